/* import_deploy.c - a Compose healthcheck and deploy block in .dep terms.
 *
 * healthcheck: becomes `health { readiness = exec(...) ... }`: a test in
 * exec form (CMD) keeps its words, a shell test (CMD-SHELL, or a plain
 * string) runs under `sh -c`, and durations are rewritten in one unit.
 * deploy: gives replicas, resources (reservation..limit), the rollout
 * (update_config), the restart policy and placement constraints; the
 * rest is reported. */
#include <stdlib.h>
#include <string.h>

#include "import_impl.h"

/* --- healthcheck -------------------------------------------------------- */

/* curl/wget of http://localhost[:PORT]/PATH: an http() probe, which
 * depc runs with a client the image has (the Compose test's curl is
 * often missing from it). */
static const char *http_probe(struct imp *im, const char *cmd)
{
	static const char *const hosts[] = { "http://localhost", "http://127.0.0.1", "localhost",
					     "127.0.0.1" };
	if (!strstr(cmd, "curl") && !strstr(cmd, "wget"))
		return NULL;
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		const char *h = strstr(cmd, hosts[i]);
		if (!h)
			continue;
		const char *p = h + strlen(hosts[i]);
		long port = 0;
		if (*p == ':')
			port = strtol(p + 1, (char **)&p, 10);
		if (*p && *p != '/' && *p != ' ' && *p != '"' && *p != '\'')
			continue;
		size_t len = *p == '/' ? strcspn(p, " \"'|;&") : 0;
		const char *path = len ? arena_strndup(im->a, p, len) : "/";
		return port > 0 ? arena_printf(im->a, "http(%s, %ld)", imp_quote(im->a, path), port)
				: arena_printf(im->a, "http(%s)", imp_quote(im->a, path));
	}
	return NULL;
}

static const char *probe(struct imp *im, yaml_node_t *test, bool *none)
{
	const char **words, *shell[4] = { "CMD", "sh", "-c", NULL };
	size_t n = imp_strings(im, test, &words);
	*none = n && !strcmp(words[0], "NONE");
	if (!n || *none)
		return NULL;
	if (imp_scalar(test) || (!strcmp(words[0], "CMD-SHELL") && n == 2)) {
		shell[3] = words[n - 1];
		words = shell;
		n = 4;
	} else if (strcmp(words[0], "CMD") || n < 2) {
		return NULL;
	}
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "exec(");
	for (size_t i = 1; i < n; i++)
		strbuf_printf(&b, "%s%s", i > 1 ? ", " : "",
			      imp_quote(im->a, imp_text(im, test, words[i])));
	strbuf_putc(&b, ')');
	return strbuf_finish(&b, im->a);
}

static void health_duration(struct imp *im, struct imp_service *s, struct imp_pair *p,
			    const char *field)
{
	int64_t ms;
	if (imp_duration(imp_scalar(p->value), &ms) && (ms > 0 || !strcmp(field, "start")))
		strbuf_printf(&s->slot[SL_HEALTH], "%s = %s\n", field,
			      imp_format_duration(im->a, ms));
	else
		imp_dropped(im, p->key, "'%s' is not a duration depc can write in whole "
			    "milliseconds", imp_scalar(p->value) ? imp_scalar(p->value) : "?");
}

static void health_option(struct imp *im, struct imp_service *s, struct imp_pair *p)
{
	static const struct { const char *key, *field; } durations[] = {
		{ "interval", "interval" }, { "timeout", "timeout" }, { "start_period", "start" },
	};
	const char *k = imp_scalar(p->key);
	int64_t retries;
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(k, durations[i].key)) {
			health_duration(im, s, p, durations[i].field);
			return;
		}
	if (!strcmp(k, "retries") && imp_int(imp_scalar(p->value), &retries) && retries > 0)
		strbuf_printf(&s->slot[SL_HEALTH], "retries = %lld\n", (long long)retries);
	else if (!strcmp(k, "retries"))
		imp_dropped(im, p->key, "'%s' is not a positive number",
			    imp_scalar(p->value) ? imp_scalar(p->value) : "?");
	else if (strcmp(k, "test") && strcmp(k, "disable"))
		imp_dropped(im, p->key, "depc has no such health check setting");
}

void imp_healthcheck(struct imp *im, struct imp_service *s)
{
	yaml_node_t *v = s->v[IK_HEALTHCHECK];
	bool disable = false, none = false;
	if (!imp_is_map(v))
		return;
	imp_bool(imp_scalar(imp_get(im, v, "disable", NULL)), &disable);
	yaml_node_t *test = imp_get(im, v, "test", NULL);
	const char *check = disable ? NULL : probe(im, test, &none);
	const char **words;
	size_t nwords = imp_strings(im, test, &words);
	const char *http = check && nwords ? http_probe(im, words[nwords - 1]) : NULL;
	if (http && nwords > 2 && !strcmp(words[0], "CMD")) /* exec form: one word is no URL */
		http = NULL;
	if (http) {
		imp_warn(im, s->k[IK_HEALTHCHECK], "the health check of service '%s' fetches a URL: it "
			 "is imported as %s, which depc runs with a client its image has", s->compose,
			 http);
		check = http;
	}
	if (disable || none)
		return;
	if (!check) {
		imp_dropped(im, s->k[IK_HEALTHCHECK], "%s", test
			    ? "its test is not CMD, CMD-SHELL or a command line"
			    : "it has no 'test' (the image's own check); depc needs it written out");
		return;
	}
	strbuf_printf(&s->slot[SL_HEALTH], "readiness = %s\n", check);
	struct imp_pair *pairs;
	size_t n = imp_pairs(im, v, &pairs);
	int64_t interval = -1, timeout = -1;
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		if (k && !strcmp(k, "interval"))
			imp_duration(imp_scalar(pairs[i].value), &interval);
		if (k && !strcmp(k, "timeout"))
			imp_duration(imp_scalar(pairs[i].value), &timeout);
	}
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		/* depc asks for a check that ends before the next (E0340). */
		if (k && !strcmp(k, "timeout") && interval > 0 && timeout >= interval)
			imp_dropped(im, pairs[i].key, "a timeout not shorter than the interval overlaps "
				    "the next check; depc's default is kept");
		else if (k)
			health_option(im, s, &pairs[i]);
	}
}

/* --- deploy ------------------------------------------------------------- */

/* limits: or reservations: (index 1 or 0 of the service's ranges). */
static void resources(struct imp *im, struct imp_service *s, yaml_node_t *v, int limit)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key), *val = imp_scalar(pairs[i].value);
		int64_t x;
		if (k && !strcmp(k, "cpus") && imp_cpus(val, &x))
			s->cpu[limit] = x;
		else if (k && !strcmp(k, "memory") && imp_memory(val, &x))
			s->mem[limit] = x;
		else
			imp_dropped(im, pairs[i].key, "depc sets cpus and memory only");
	}
}

static void resources_block(struct imp *im, struct imp_service *s, yaml_node_t *v)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		if (k && (!strcmp(k, "limits") || !strcmp(k, "reservations")))
			resources(im, s, pairs[i].value, !strcmp(k, "limits"));
		else
			imp_dropped(im, pairs[i].key, "depc sets limits and reservations only");
	}
	/* Docker refuses a reservation above the limit; keep the .dep legal. */
	if (s->cpu[0] > s->cpu[1] && s->cpu[1] >= 0)
		s->cpu[0] = s->cpu[1];
	if (s->mem[0] > s->mem[1] && s->mem[1] >= 0)
		s->mem[0] = s->mem[1];
}

static void update_option(struct imp *im, struct imp_service *s, struct imp_pair *p)
{
	const char *k = imp_scalar(p->key), *v = imp_scalar(p->value);
	int64_t x;
	if (!strcmp(k, "parallelism") && imp_int(v, &x) && x > 0)
		strbuf_printf(&s->slot[SL_ROLLOUT], "parallelism = %lld\n", (long long)x);
	else if (!strcmp(k, "delay") && imp_duration(v, &x) && x > 0)
		strbuf_printf(&s->slot[SL_ROLLOUT], "delay = %s\n", imp_format_duration(im->a, x));
	else if (!strcmp(k, "failure_action") && v &&
		 (!strcmp(v, "rollback") || !strcmp(v, "pause") || !strcmp(v, "continue")))
		strbuf_printf(&s->slot[SL_ROLLOUT], "on_failure = %s\n", v);
	else if (!strcmp(k, "order"))
		imp_dropped(im, p->key, "depc starts the new instance first, or stops the old "
			    "one first when the service is stateful");
	else
		imp_dropped(im, p->key, "depc sets parallelism, delay and failure_action only");
}

static void restart_policy(struct imp *im, struct imp_service *s, struct imp_pair *p)
{
	const char *k = imp_scalar(p->key), *v = imp_scalar(p->value);
	int64_t x;
	if (!strcmp(k, "condition") && v && (!strcmp(v, "on-failure") || !strcmp(v, "any") ||
					      !strcmp(v, "none")))
		imp_slot(im, s, SL_RESTART, p->key, "restart = %s\n",
			 !strcmp(v, "any") ? "always" : !strcmp(v, "none") ? "no" : v);
	else if (!strcmp(k, "condition"))
		imp_dropped(im, p->key, "depc restarts a container that fails");
	else if (!strcmp(k, "max_attempts") && imp_int(v, &x) && x >= 0)
		imp_slot(im, s, SL_MAX_ATTEMPTS, p->key, "max_attempts = %lld\n", (long long)x);
	else
		imp_dropped(im, p->key, "depc sets the condition and max_attempts only");
}

static void placement(struct imp *im, struct imp_service *s, struct imp_pair *p)
{
	const char **items;
	const char *k = imp_scalar(p->key);
	size_t n = imp_strings(im, p->value, &items);
	if (!strcmp(k, "constraints") && n)
		imp_slot(im, s, SL_PLACEMENT, p->key, "placement = %s\n", imp_list(im->a, items, n));
	else
		imp_dropped(im, p->key, "depc sets placement constraints only");
}

/* The entries of a mapping, each handed to `each`. */
static void each_pair(struct imp *im, struct imp_service *s, yaml_node_t *v,
		      void (*each)(struct imp *, struct imp_service *, struct imp_pair *))
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : 0;
	for (size_t i = 0; i < n; i++)
		if (imp_scalar(pairs[i].key))
			each(im, s, &pairs[i]);
}

static void deploy_option(struct imp *im, struct imp_service *s, struct imp_pair *p)
{
	const char *k = imp_scalar(p->key), *v = imp_scalar(p->value);
	int64_t x;
	if (!strcmp(k, "replicas") && imp_int(v, &x) && x >= 0)
		imp_slot(im, s, SL_REPLICAS, p->key, "replicas = %lld\n", (long long)x);
	else if (!strcmp(k, "mode") && v && !strcmp(v, "replicated"))
		return;
	else if (!strcmp(k, "resources"))
		resources_block(im, s, p->value);
	else if (!strcmp(k, "update_config"))
		each_pair(im, s, p->value, update_option);
	else if (!strcmp(k, "restart_policy"))
		each_pair(im, s, p->value, restart_policy);
	else if (!strcmp(k, "placement"))
		each_pair(im, s, p->value, placement);
	else if (!strcmp(k, "mode"))
		imp_dropped(im, p->key, "depc runs 'replicas' instances, not one per node");
	else
		imp_dropped(im, p->key, "depc has no equivalent");
}

void imp_deploy(struct imp *im, struct imp_service *s)
{
	each_pair(im, s, s->v[IK_DEPLOY], deploy_option);
}
