/* import_ports.c - the port a service listens on, from every place the
 * Compose file states one.
 *
 * The best evidence is how others reach it: a user's variable holding
 * this service's name with a port (backend:9091, kafka://broker:9092).
 * Then what the service says of itself in its variables (PORT=8000,
 * FLASK_SERVER_PORT=9091, ASPNETCORE_URLS=http://+:8000), then ports:
 * and expose:, then its labels (a proxy's ...server.port=80), the
 * address in its command (-b 0.0.0.0:8000, address=:80), the URL of its
 * health check (localhost:8000), the Dockerfile's EXPOSE, and last the
 * template's default.  Ports: entries that are not the chosen one are
 * reported, each naming what chose it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_impl.h"

static const char *const evidence_name[] = {
	[PE_NONE] = "nothing", [PE_DEFAULT] = "the template's default",
	[PE_HEALTH] = "its health check's URL", [PE_LABEL] = "its labels",
	[PE_COMMAND] = "the address in its command", [PE_PORTS] = "its ports",
	[PE_OWN_ENV] = "its own variables", [PE_USERS] = "the address its users connect to",
};

static int port_number(const char *p, const char **end)
{
	char *e;
	long v = strtol(p, &e, 10);
	if (end)
		*end = e;
	return e != p && v >= 1 && v <= 65535 && !isalnum((unsigned char)*e) ? (int)v : 0;
}

static const char *find_host(const char *text, const char *name, size_t n)
{
	for (; *text; text++)
		if (!strncasecmp(text, name, n))
			return text;
	return NULL;
}

/* What a host name follows, besides the start of the text. */
static const char host_start[] = "/@=, ;";

/* HOST:PORT in `text` for the host `name` (as a whole word: after the
 * start, '/', '@', '=', ',' or a space); 0 when there is none. */
static int port_of_host(const char *text, const char *name)
{
	size_t n = strlen(name);
	if (!n)
		return 0; /* no host has an empty name; and p += n would not move */
	for (const char *p = text; p && (p = find_host(p, name, n)); p += n) {
		bool start = p == text || strchr(host_start, p[-1]);
		if (start && p[n] == ':')
			if (port_number(p + n + 1, NULL))
				return port_number(p + n + 1, NULL);
	}
	return 0;
}

/* A port that `text` says a server binds: ":8000", "+:8000",
 * "0.0.0.0:8000", "*:8000", "localhost:8000" or "127.0.0.1:8000". */
static int bound_port(const char *text)
{
	static const char *const hosts[] = { "0.0.0.0:", "+:", "*:", "[::]:", "localhost:",
					     "127.0.0.1:", "=:" };
	for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
		const char *p = text ? strstr(text, hosts[i]) : NULL;
		if (p && port_number(p + strlen(hosts[i]), NULL))
			return port_number(p + strlen(hosts[i]), NULL);
	}
	return text && text[0] == ':' ? port_number(text + 1, NULL) : 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcasecmp(s + n - k, suffix);
}

struct seen {
	int port;
	struct imp_service *target;
};

static void user_env(struct imp *im, struct imp_service *u, yaml_node_t *at, const char *key,
		     const char *value)
{
	(void)im, (void)u, (void)at, (void)key;
	struct seen *seen = (struct seen *)im->scratch;
	if (value && !seen->port)
		seen->port = port_of_host(value, seen->target->compose);
}

/* Every other service's variables, then every command, for HOST:PORT. */
static int scan_users(struct imp *im, struct imp_service *s)
{
	struct seen seen = { 0, s };
	im->scratch = &seen;
	for (size_t i = 0; i < im->nservices && !seen.port; i++)
		if (&im->services[i] != s)
			imp_each_env(im, &im->services[i], user_env);
	for (size_t i = 0; i < im->nservices && !seen.port; i++)
		for (size_t k = 0; k < im->services[i].ncommand && !seen.port; k++)
			seen.port = port_of_host(im->services[i].command[k], s->compose);
	im->scratch = NULL;
	return seen.port;
}

/* --- how users reach a service ------------------------------------------ */

/* scan_users for each service read every other service's environment:
 * n times the whole file.  Instead each text is read once, and every
 * HOST:PORT in it where HOST is some service's name is noted for that
 * name, first in the file first.  A host starts where port_of_host
 * lets one start, and is as long as some service's name: each length
 * is tried there.  port_of_host goes on after a failed match, not
 * inside it; that differs from trying every start only for a name that
 * holds one of host_start (or is empty), and those still scan. */
struct reach {
	int env;                        /* the first port in some environment */
	const struct imp_service *env_from; /* whose environment that was */
	int env_other;                  /* the first in another's environment */
	int command;                    /* the first in a command */
};

struct imp_reach {
	struct strmap of;               /* lowercased service name -> struct reach */
	size_t *lengths;                /* every length of those names, once */
	size_t nlengths;
};

static bool plain_name(const char *name)
{
	return *name && !name[strcspn(name, host_start)];
}

/* Calls note(t, from, port) for each HOST:PORT in text whose host is a
 * service's name, t the entry of that name, in the order of the text. */
static void each_reach(struct imp *im, struct imp_reach *r, const char *text,
		       void (*note)(struct reach *t, const struct imp_service *from, int port),
		       const struct imp_service *from)
{
	size_t len = strlen(text);
	for (size_t p = 0; p < len; p++) {
		if (p && !strchr(host_start, text[p - 1]))
			continue;
		for (size_t i = 0; i < r->nlengths && p + r->lengths[i] < len; i++) {
			const char *end = text + p + r->lengths[i];
			int port = *end == ':' ? port_number(end + 1, NULL) : 0;
			struct reach *t = port ? strmap_get(&r->of, arena_strndup_lower(im->a, text + p,
									      r->lengths[i])) : NULL;
			if (t)
				note(t, from, port);
		}
	}
}

static void note_env(struct reach *t, const struct imp_service *from, int port)
{
	if (!t->env) {
		t->env = port;
		t->env_from = from;
	} else if (!t->env_other && from != t->env_from) {
		t->env_other = port;
	}
}

static void note_command(struct reach *t, const struct imp_service *from, int port)
{
	(void)from;
	if (!t->command)
		t->command = port;
}

static void reach_env(struct imp *im, struct imp_service *u, yaml_node_t *at, const char *key,
		      const char *value)
{
	(void)at, (void)key;
	if (value)
		each_reach(im, im->scratch, value, note_env, u);
}

static int by_size(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return a < b ? -1 : a > b;
}

/* Made when first asked, after every service's keys are sorted: the
 * environment does not change after that.  Commands are noted as each
 * service's import ends (imp_note_command), since a build changes them. */
static struct imp_reach *reach_index(struct imp *im)
{
	if (im->reach)
		return im->reach;
	struct imp_reach *r = im->reach = arena_alloc(im->a, sizeof *r);
	strmap_init(&r->of, im->a);
	r->lengths = arena_calloc(im->a, im->nservices + 1, sizeof *r->lengths);
	for (size_t i = 0; i < im->nservices; i++) {
		const char *name = im->services[i].compose;
		const char *key = plain_name(name) ? arena_strndup_lower(im->a, name, strlen(name)) : NULL;
		if (key && !strmap_get(&r->of, key)) {
			strmap_add(&r->of, key, arena_calloc(im->a, 1, sizeof(struct reach)));
			r->lengths[r->nlengths++] = strlen(name);
		}
	}
	qsort(r->lengths, r->nlengths, sizeof *r->lengths, by_size);
	size_t kept = 0;
	for (size_t i = 0; i < r->nlengths; i++)
		if (!kept || r->lengths[kept - 1] != r->lengths[i])
			r->lengths[kept++] = r->lengths[i];
	r->nlengths = kept;
	im->scratch = r;
	for (size_t i = 0; i < im->nservices; i++)
		imp_each_env(im, &im->services[i], reach_env);
	im->scratch = NULL;
	return r;
}

void imp_note_command(struct imp *im, struct imp_service *s)
{
	struct imp_reach *r = reach_index(im);
	for (size_t k = 0; k < s->ncommand; k++)
		each_reach(im, r, s->command[k], note_command, s);
	s->command_noted = true;
}

/* The first HOST:PORT of s in another service's environment, else in a
 * command, in the order of the file.  Until s's own import ends, the
 * services after it have no command yet and its own is read here. */
static int from_users(struct imp *im, struct imp_service *s)
{
	if (!plain_name(s->compose))
		return scan_users(im, s);
	const char *name = s->compose;
	const struct reach *t = strmap_get(&reach_index(im)->of,
					   arena_strndup_lower(im->a, name, strlen(name)));
	int port = t->env_from != s ? t->env : t->env_other;
	if (!port)
		port = t->command;
	for (size_t k = 0; !port && !s->command_noted && k < s->ncommand; k++)
		port = port_of_host(s->command[k], name);
	return port;
}

static void own_env(struct imp *im, struct imp_service *s, yaml_node_t *at, const char *key,
		    const char *value)
{
	(void)s, (void)at;
	struct seen *seen = (struct seen *)im->scratch;
	if (!value || seen->port)
		return;
	if (ends_with(key, "PORT") && port_number(value, NULL) &&
	    value[strspn(value, "0123456789")] == 0)
		seen->port = port_number(value, NULL);
	else if (ends_with(key, "_URLS") || ends_with(key, "_URL") || ends_with(key, "_ADDR") ||
		 ends_with(key, "_ADDRESS") || ends_with(key, "_LISTEN"))
		seen->port = bound_port(value);
}

static int from_own_env(struct imp *im, struct imp_service *s)
{
	struct seen seen = { 0, s };
	im->scratch = &seen;
	imp_each_env(im, s, own_env);
	im->scratch = NULL;
	return seen.port;
}

static int from_labels(struct imp *im, struct imp_service *s)
{
	yaml_node_t *v = s->v[IK_LABELS];
	struct imp_pair *pairs;
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : imp_seq_len(v);
	for (size_t i = 0; i < n; i++) {
		const char *key, *value;
		if (imp_is_map(v)) {
			key = imp_scalar(pairs[i].key), value = imp_scalar(pairs[i].value);
		} else {
			key = imp_scalar(imp_seq_at(im, v, i));
			value = key && strchr(key, '=') ? strchr(key, '=') + 1 : NULL;
			key = key && value ? arena_strndup(im->a, key, (size_t)(value - 1 - key)) : NULL;
		}
		if (key && value && ends_with(key, ".port") && port_number(value, NULL))
			return port_number(value, NULL);
	}
	return 0;
}

static int from_command(struct imp_service *s)
{
	for (size_t i = 0; i < s->ncommand; i++) {
		int p = bound_port(s->command[i]);
		const char *eq = strchr(s->command[i], '=');
		if (!p && eq)
			p = bound_port(eq + 1);
		if (!p && i && (!strcmp(s->command[i - 1], "--port") || !strcmp(s->command[i - 1], "-p")))
			p = port_number(s->command[i], NULL);
		if (p)
			return p;
	}
	return 0;
}

static int from_health(struct imp *im, struct imp_service *s)
{
	const char **words;
	size_t n = imp_strings(im, imp_get(im, s->v[IK_HEALTHCHECK], "test", NULL), &words);
	for (size_t i = 0; i < n; i++) {
		int p = bound_port(words[i]);
		if (p)
			return p;
	}
	return 0;
}

/* The first ports: entry, or the one that matches better evidence. */
static int from_ports(struct imp_service *s, int want)
{
	for (size_t i = 0; want && i < s->nports; i++)
		if (s->ports[i] == want)
			return want;
	return s->nports ? s->ports[0] : 0;
}

static void set_port(struct imp_service *s, int port, enum imp_port_evidence from)
{
	if (!s->port && port) {
		s->port = port;
		s->port_from = from;
	}
}

static void report_ports(struct imp *im, struct imp_service *s)
{
	for (size_t i = 0; i < s->nports; i++) {
		if (s->ports[i] != s->port)
			imp_warn(im, s->ports_at[i], "port %d is not imported: a depc service listens on "
				 "one port, and %s say%s %d", s->ports[i], evidence_name[s->port_from],
				 s->port_from == PE_PORTS || s->port_from == PE_LABEL ? "" : "s", s->port);
		else if (s->ports_published[i])
			imp_warn(im, s->ports_at[i], "port %d is not published: depc publishes a service's "
				 "port only when the service has an ingress block", s->ports[i]);
	}
}

bool imp_port_stated(struct imp *im, struct imp_service *s)
{
	return s->nports || from_users(im, s) || from_own_env(im, s) || from_labels(im, s) ||
	       from_command(s) || from_health(im, s);
}

void imp_decide_port(struct imp *im, struct imp_service *s)
{
	int users = from_users(im, s), own = from_own_env(im, s);
	set_port(s, users, PE_USERS);
	set_port(s, own, PE_OWN_ENV);
	set_port(s, from_ports(s, 0), PE_PORTS);
	set_port(s, from_labels(im, s), PE_LABEL);
	set_port(s, from_command(s), PE_COMMAND);
	set_port(s, from_health(im, s), PE_HEALTH);
	if (!s->port && s->build_port) {
		s->port = s->build_port;
		s->port_note = "the Dockerfile's EXPOSE";
	}
	int fallback = s->fam ? imp_family_port(s->fam) : abs(s->lang_port);
	set_port(s, fallback, PE_DEFAULT);
	if (s->port_from > PE_DEFAULT && s->port_from != PE_PORTS)
		s->port_note = arena_printf(im->a, "from %s", evidence_name[s->port_from]);
	report_ports(im, s);
}
