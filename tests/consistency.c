/* consistency.c - one fact, every artifact (DESIGN.md section 3).
 *
 * Compiles every example and golden case, runs every backend into an
 * in-memory output, parses the artifacts back (libyaml, cJSON, small
 * line readers for Dockerfiles and HCL) and checks that each fact of the
 * model - ports, health paths and timings, replicas, images, secrets,
 * dependency edges, access logging, the security scan - reads the same
 * in every artifact that states it.
 * Ordering is one such fact: Compose depends_on (with its conditions),
 * the Kubernetes init containers, Terraform depends_on and the CI jobs'
 * needs must each say what the model's dependency graph says.
 * Golden tests only say the output did not change; this says the
 * backends agree with the model and so with each other.
 *
 *   consistency [--env NAME] FILE.dep...
 *                               check each file; exit 1 on a mismatch
 *   consistency --perturb FILE...
 *                               corrupt one fact in one backend's output
 *                               at a time (the perturbations listed for
 *                               each FILE) and require exactly that to be
 *                               reported */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "backends.h"
#include "compile.h"
#include "composed.h"
#include "names.h"
#include "depgraph.h"
#include "model.h"
#include "output.h"

struct ctx {
	const char *file;
	const struct model *m;
	struct output *o;
	int failures;
	char last[256]; /* "backend fact service" of the latest failure */
	bool quiet;
};

static void fail(struct ctx *c, const char *backend, const char *fact,
		 const char *svc, const char *fmt, ...)
{
	va_list ap;
	c->failures++;
	snprintf(c->last, sizeof c->last, "%s %s %s", backend, fact, svc);
	if (c->quiet)
		return;
	fprintf(stderr, "%s: %s: %s of %s: ", c->file, backend, fact, svc);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *file_text(const struct ctx *c, const char *path)
{
	const struct output_file *f = output_find(c->o, path);
	return f ? f->content.data ? f->content.data : "" : NULL;
}

/* --- durations: every backend spells them its own way --------------- */

/* "1m30s", "500ms", "30s" or a bare number of seconds, in ms; -1 if not. */
static long long dur_ms(const char *s)
{
	long long total = 0;
	if (!s || !*s)
		return -1;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s)
			return -1;
		s = end;
		if (!strncmp(s, "ms", 2)) { total += (long long)v; s += 2; }
		else if (*s == 'h') { total += (long long)(v * 3600000); s++; }
		else if (*s == 'm') { total += (long long)(v * 60000); s++; }
		else if (*s == 's' || !*s) { total += (long long)(v * 1000); if (*s) s++; }
		else return -1;
	}
	return total;
}

/* --- YAML: a loaded document and path lookups ------------------------- */

static yaml_node_t *ykey(yaml_document_t *d, yaml_node_t *n, const char *key)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static size_t ylen(yaml_node_t *n)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *yat(yaml_document_t *d, yaml_node_t *n, size_t i)
{
	if (i >= ylen(n))
		return NULL;
	return yaml_document_get_node(d, n->data.sequence.items.start[i]);
}

/* A '.'-separated path of keys and sequence indexes ("spec.ports.0"). */
static yaml_node_t *ypath(yaml_document_t *d, yaml_node_t *n, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *t = strtok_r(buf, ".", &save); t && n; t = strtok_r(NULL, ".", &save))
		n = (*t >= '0' && *t <= '9') ? yat(d, n, (size_t)atoi(t)) : ykey(d, n, t);
	return n;
}

static const char *ystr(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static long long yint(yaml_node_t *n)
{
	const char *s = ystr(n);
	return s ? atoll(s) : -1;
}

/* Loads the first document of `text`; false when it does not parse. */
static bool yload(yaml_document_t *d, const char *text)
{
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	bool ok = yaml_parser_load(&p, d) != 0;
	yaml_parser_delete(&p);
	return ok && yaml_document_get_root_node(d);
}

/* --- Dockerfile ------------------------------------------------------- */

static void check_docker(struct ctx *c, const struct model_service *s)
{
	char path[256];
	snprintf(path, sizeof path, "%s/Dockerfile", s->name);
	const char *t = file_text(c, path);
	if (!t || !s->build)
		return;
	const char *e = strstr(t, "\nEXPOSE ");
	if (s->port && (!e || atoi(e + 8) != s->port))
		fail(c, "docker", "port", s->name, "EXPOSE is not %d", s->port);
	const char *u = strstr(t, "\nUSER ");
	if (s->user && (!u || atoi(u + 6) != s->user))
		fail(c, "docker", "user", s->name, "USER is not %d", s->user);
	const char *h = strstr(t, "\nHEALTHCHECK ");
	if (!h || s->health.check.kind == PROBE_NONE)
		return;
	const char *iv = strstr(h, "--interval="), *rt = strstr(h, "--retries=");
	char dur[32] = "";
	if (iv)
		sscanf(iv + 11, "%31[^ ]", dur);
	if (dur_ms(dur) != s->health.interval_ms)
		fail(c, "docker", "health interval", s->name, "'%s' is not %lldms", dur,
		     (long long)s->health.interval_ms);
	if (!rt || atoi(rt + 10) != s->health.retries)
		fail(c, "docker", "health retries", s->name, "not %d", s->health.retries);
}

/* --- Compose ---------------------------------------------------------- */

static bool names_equal(yaml_document_t *d, yaml_node_t *n, const char **want, size_t count)
{
	size_t have = n && n->type == YAML_MAPPING_NODE
		? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) : ylen(n);
	if (have != count)
		return false;
	for (size_t i = 0; i < count; i++)
		if (n->type == YAML_MAPPING_NODE ? !ykey(d, n, want[i]) : false)
			return false;
	for (size_t i = 0; n->type == YAML_SEQUENCE_NODE && i < count; i++) {
		bool found = false;
		for (size_t j = 0; j < count; j++) {
			const char *v = ystr(yat(d, n, j));
			if (!v) v = ystr(ykey(d, yat(d, n, j), "source"));
			found |= v && !strcmp(v, want[i]);
		}
		if (!found)
			return false;
	}
	return true;
}

static const char *const compose_condition[] = {
	[DEP_STARTED] = "service_started", [DEP_HEALTHY] = "service_healthy",
};

/* depends_on lists exactly the graph's edges, each with its condition,
 * and the one-off jobs that list the service in `before`. */
static void check_compose_depends(struct ctx *c, yaml_document_t *d, yaml_node_t *dep,
				  const struct model_service *s)
{
	const struct dep_node *node = depgraph_node(c->m->deps, s);
	const char *names[64];
	size_t n = 0;
	for (size_t i = 0; i < node->edge_count && n < 64; i++)
		names[n++] = node->edges[i].to->name;
	size_t edges = n;
	for (size_t j = 0; j < c->m->job_count && n < 64; j++)
		if (model_job_before(c->m->jobs[j], s))
			names[n++] = c->m->jobs[j]->name;
	for (size_t i = edges; i < n; i++) {
		const char *cond = ystr(ykey(d, ykey(d, dep, names[i]), "condition"));
		if (!cond || strcmp(cond, "service_completed_successfully"))
			fail(c, "compose", "depends_on", s->name, "%s: condition is not "
			     "service_completed_successfully", names[i]);
	}
	if ((n || dep) && !names_equal(d, dep, names, n)) {
		fail(c, "compose", "depends_on", s->name, "does not list exactly the graph's edges");
		return;
	}
	for (size_t i = 0; i < edges; i++) {
		const char *cond = ystr(ykey(d, ykey(d, dep, names[i]), "condition"));
		const char *want = compose_condition[node->edges[i].condition];
		if (!cond || strcmp(cond, want))
			fail(c, "compose", "depends_on", s->name, "%s: condition is not %s", names[i], want);
	}
}

static size_t secret_names(const struct model_service *s, const char **out, size_t max)
{
	size_t n = 0;
	for (const struct model_secret_ref *r = s->secrets; r && n < max; r = r->next)
		out[n++] = r->secret->name;
	for (const struct model_composed *v = s->composed; v; v = v->next)
		for (const struct model_composed_part *p = v->parts; p && n < max; p = p->next)
			if (p->secret && composed_part_new(s, v, p))
				out[n++] = p->secret->name;
	return n;
}

static void check_compose_health(struct ctx *c, yaml_document_t *d, yaml_node_t *svc,
				 const struct model_service *s)
{
	yaml_node_t *h = ykey(d, svc, "healthcheck");
	if (!h || s->health.check.kind == PROBE_NONE)
		return;
	if (dur_ms(ystr(ykey(d, h, "interval"))) != s->health.interval_ms)
		fail(c, "compose", "health interval", s->name, "'%s'", ystr(ykey(d, h, "interval")));
	if (yint(ykey(d, h, "retries")) != s->health.retries)
		fail(c, "compose", "health retries", s->name, "not %d", s->health.retries);
	/* An HTTP probe becomes a command: its path must be inside it. */
	yaml_node_t *test = ykey(d, h, "test");
	const char *last = ystr(yat(d, test, ylen(test) - 1));
	if (s->health.check.kind == PROBE_HTTP && (!last || !strstr(last, s->health.check.path)))
		fail(c, "compose", "health path", s->name, "'%s' not in the test", s->health.check.path);
}

/* The secret contract: NAME holds the value (interpolated from SECRET_
 * in the environment of `docker compose`), or NAME_FILE names
 * /run/secrets/SECRET. */
static void check_compose_secret_env(struct ctx *c, yaml_document_t *d, yaml_node_t *env,
				     const struct model_service *s)
{
	char key[300], want[300];
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		snprintf(key, sizeof key, "%s%s", r->env, s->secrets_as_file ? "_FILE" : "");
		const char *v = ystr(ykey(d, env, key));
		if (s->secrets_as_file)
			snprintf(want, sizeof want, "/run/secrets/%s", r->secret->name);
		if (!v || (s->secrets_as_file ? strcmp(v, want) : strncmp(v, "${SECRET_", 9)))
			fail(c, "compose", "secret delivery", s->name, "%s is '%s'", key, v ? v : "-");
	}
	/* A composed value: interpolated from each part's variable, or the
	 * file the wrapper writes. */
	for (const struct model_composed *cv = s->composed; cv; cv = cv->next) {
		snprintf(key, sizeof key, "%s%s", cv->env, s->secrets_as_file ? "_FILE" : "");
		const char *v = ystr(ykey(d, env, key));
		snprintf(want, sizeof want, "/run/composed/%s", cv->env);
		bool ok = v && (s->secrets_as_file ? !strcmp(v, want) : true);
		for (const struct model_composed_part *p = cv->parts; ok && !s->secrets_as_file && p;
		     p = p->next)
			ok = !p->secret || strstr(v, "${SECRET_");
		if (!ok)
			fail(c, "compose", "composed secret delivery", s->name, "%s is '%s'", key,
			     v ? v : "-");
	}
}

/* The restart policy is the engine's own `restart`, and deploy holds no
 * Swarm-only key. */
static void check_compose_restart(struct ctx *c, yaml_document_t *d, yaml_node_t *svc,
				  const struct model_service *s)
{
	char want[64];
	if (!strcmp(s->restart, "on-failure") && s->max_attempts > 0)
		snprintf(want, sizeof want, "on-failure:%d", s->max_attempts);
	else
		snprintf(want, sizeof want, "%s", s->restart);
	const char *r = ystr(ykey(d, svc, "restart"));
	if (!r || strcmp(r, want))
		fail(c, "compose", "restart", s->name, "'%s' is not '%s'", r ? r : "-", want);
	static const char *const swarm[] = { "update_config", "rollback_config", "placement", "restart_policy" };
	for (size_t i = 0; i < sizeof swarm / sizeof swarm[0]; i++)
		if (ykey(d, ykey(d, svc, "deploy"), swarm[i]))
			fail(c, "compose", "engine", s->name, "deploy.%s is Swarm's", swarm[i]);
}

static void check_compose_service(struct ctx *c, yaml_document_t *d, yaml_node_t *svc,
				  const struct model_service *s)
{
	char buf[512];
	const char *img = model_service_image(c->m, s, buf, sizeof buf);
	const char *image = ystr(ykey(d, svc, "image"));
	if (image && strcmp(image, img))
		fail(c, "compose", "image", s->name, "'%s' is not '%s'", image, img);
	yaml_node_t *ports = ykey(d, svc, "ports");
	for (size_t i = 0; i < ylen(ports); i++) {
		const char *p = ystr(yat(d, ports, i)), *colon = p ? strrchr(p, ':') : NULL;
		if (!colon || atoi(colon + 1) != s->port)
			fail(c, "compose", "port", s->name, "'%s' does not publish %d", p ? p : "?", s->port);
	}
	yaml_node_t *rep = ypath(d, svc, "deploy.replicas");
	if (rep && yint(rep) != s->replicas)
		fail(c, "compose", "replicas", s->name, "%s is not %d", ystr(rep), s->replicas);
	const char *names[64];
	check_compose_depends(c, d, ykey(d, svc, "depends_on"), s);
	size_t n = s->secrets_as_file ? secret_names(s, names, 64) : 0;
	yaml_node_t *sec = ykey(d, svc, "secrets");
	if ((n || sec) && !names_equal(d, sec, names, n))
		fail(c, "compose", "secrets", s->name, "do not list exactly the service's secret files");
	check_compose_secret_env(c, d, ykey(d, svc, "environment"), s);
	check_compose_health(c, d, svc, s);
	check_compose_restart(c, d, svc, s);
}

/* Isolation as on Kubernetes: two services share a network only when
 * one lists the other in `uses`. */
static void check_compose_isolation(struct ctx *c, yaml_document_t *d, yaml_node_t *svcs)
{
	for (size_t i = 0; i < c->m->service_count; i++)
		for (size_t j = i + 1; j < c->m->service_count; j++) {
			const struct model_service *a = c->m->services[i], *b = c->m->services[j];
			if (model_uses(a, b) || model_uses(b, a))
				continue;
			yaml_node_t *na = ykey(d, ykey(d, svcs, a->name), "networks");
			yaml_node_t *nb = ykey(d, ykey(d, svcs, b->name), "networks");
			for (size_t x = 0; x < ylen(na); x++)
				for (size_t y = 0; y < ylen(nb); y++) {
					const char *p = ystr(yat(d, na, x)), *q = ystr(yat(d, nb, y));
					if (p && q && !strcmp(p, q))
						fail(c, "compose", "isolation", a->name, "shares network %s with %s", p, b->name);
				}
		}
}

static void check_compose(struct ctx *c)
{
	const char *t = file_text(c, "compose.yaml");
	yaml_document_t d;
	if (!t)
		return;
	if (!yload(&d, t)) {
		fail(c, "compose", "syntax", "compose.yaml", "does not parse");
		return;
	}
	yaml_node_t *svcs = ykey(&d, yaml_document_get_root_node(&d), "services");
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *s = c->m->services[i];
		yaml_node_t *svc = ykey(&d, svcs, s->name);
		if (!svc)
			fail(c, "compose", "service", s->name, "missing");
		else
			check_compose_service(c, &d, svc, s);
	}
	check_compose_isolation(c, &d, svcs);
	yaml_document_delete(&d);
}

/* --- Kubernetes ------------------------------------------------------- */

/* The k8s object named `name` of `kind`, loaded into *d. */
static yaml_node_t *k8s_find(struct ctx *c, yaml_document_t *d, const char *kind, const char *name)
{
	for (const struct output_file *f = output_files(c->o); f; f = f->next) {
		if (strncmp(f->path, "k8s/", 4) || !f->content.data)
			continue;
		if (!yload(d, f->content.data))
			continue;
		yaml_node_t *r = yaml_document_get_root_node(d);
		const char *k = ystr(ykey(d, r, "kind")), *n = ystr(ypath(d, r, "metadata.name"));
		if (k && n && !strcmp(k, kind) && !strcmp(n, name))
			return r;
		yaml_document_delete(d);
	}
	return NULL;
}

/* The service's Deployment, or its StatefulSet when it keeps a volume. */
static yaml_node_t *k8s_workload(struct ctx *c, yaml_document_t *d, const struct model_service *s)
{
	yaml_node_t *w = k8s_find(c, d, "Deployment", s->name);
	return w ? w : k8s_find(c, d, "StatefulSet", s->name);
}

static void check_probe(struct ctx *c, yaml_document_t *d, yaml_node_t *p, const char *which,
			const struct model_service *s, const struct model_probe *mp)
{
	char fact[64];
	if (mp->kind != PROBE_HTTP || !p)
		return;
	snprintf(fact, sizeof fact, "%s path", which);
	const char *path = ystr(ypath(d, p, "httpGet.path"));
	if (!path || strcmp(path, mp->path))
		fail(c, "k8s", fact, s->name, "'%s' is not '%s'", path ? path : "-", mp->path);
	snprintf(fact, sizeof fact, "%s port", which);
	if (yint(ypath(d, p, "httpGet.port")) != mp->port)
		fail(c, "k8s", fact, s->name, "not %d", mp->port);
	if (yint(ykey(d, p, "periodSeconds")) * 1000 != s->health.interval_ms)
		fail(c, "k8s", "health interval", s->name, "periodSeconds differs");
	if (yint(ykey(d, p, "failureThreshold")) != s->health.retries)
		fail(c, "k8s", "health retries", s->name, "failureThreshold differs");
	if (yint(ykey(d, p, "timeoutSeconds")) >= yint(ykey(d, p, "periodSeconds")))
		fail(c, "k8s", "health timeout", s->name, "timeoutSeconds is not below periodSeconds");
}

/* The ExternalSecret a secretKeyRef names must fetch the model's path. */
static void check_external_secret(struct ctx *c, const char *k8s_name,
				  const struct model_service *s, const struct model_secret *sec)
{
	yaml_document_t d;
	yaml_node_t *es = k8s_find(c, &d, "ExternalSecret", k8s_name);
	if (!es) {
		fail(c, "k8s", "secrets", s->name, "no ExternalSecret %s", k8s_name);
		return;
	}
	const char *api = ystr(ykey(&d, es, "apiVersion"));
	if (!api || strcmp(api, "external-secrets.io/v1"))
		fail(c, "k8s", "ExternalSecret version", s->name, "'%s' is not external-secrets.io/v1",
		     api ? api : "-");
	const char *key = ystr(ypath(&d, es, "spec.data.0.remoteRef.key"));
	if (!key || strcmp(key, sec->vault_path))
		fail(c, "k8s", "secret vault path", s->name, "%s fetches '%s', not '%s'",
		     k8s_name, key ? key : "-", sec->vault_path);
	yaml_document_delete(&d);
}

/* A composed value: its own ExternalSecret renders it with a v2
 * template, reading every secret part from the store; the container
 * reads the Secret as it reads any other. */
static void check_k8s_composed(struct ctx *c, yaml_document_t *d, yaml_node_t *env,
			       const struct model_service *s)
{
	struct arena a;
	arena_init(&a);
	for (const struct model_composed *cv = s->composed; cv; cv = cv->next) {
		const char *name = names_k8s_composed(&a, s->name, cv->env);
		const char *ref = NULL;
		for (size_t i = 0; i < ylen(env); i++) {
			yaml_node_t *e = yat(d, env, i);
			const char *n = ystr(ykey(d, e, "name"));
			if (n && !strcmp(n, s->secrets_as_file ? arena_printf(&a, "%s_FILE", cv->env)
							    : cv->env))
				ref = s->secrets_as_file ? ystr(ykey(d, e, "value"))
					: ystr(ypath(d, e, "valueFrom.secretKeyRef.name"));
		}
		const char *want = s->secrets_as_file ? arena_printf(&a, "/run/secrets/%s", name) : name;
		if (!ref || strcmp(ref, want))
			fail(c, "k8s", "composed secret delivery", s->name, "%s does not read %s",
			     cv->env, want);
		yaml_document_t ed;
		yaml_node_t *es = k8s_find(c, &ed, "ExternalSecret", name);
		if (!es) {
			fail(c, "k8s", "composed secret", s->name, "no ExternalSecret %s", name);
			continue;
		}
		const char *engine = ystr(ypath(&ed, es, "spec.target.template.engineVersion"));
		if (!engine || strcmp(engine, "v2") || !ypath(&ed, es, arena_printf(&a,
							"spec.target.template.data.%s", name)))
			fail(c, "k8s", "composed secret", s->name, "%s renders no v2 template", name);
		yaml_node_t *data = ypath(&ed, es, "spec.data");
		for (const struct model_composed_part *p = cv->parts; p; p = p->next) {
			bool found = !p->secret;
			for (size_t i = 0; !found && i < ylen(data); i++) {
				const char *k = ystr(ypath(&ed, yat(&ed, data, i), "remoteRef.key"));
				found = k && !strcmp(k, p->secret->vault_path);
			}
			if (!found)
				fail(c, "k8s", "composed secret", s->name, "%s does not fetch '%s'", name,
				     p->secret->vault_path);
		}
		yaml_document_delete(&ed);
	}
	arena_free(&a);
}

static void check_k8s_secrets(struct ctx *c, yaml_document_t *d, yaml_node_t *ctr,
			      const struct model_service *s)
{
	yaml_node_t *env = ykey(d, ctr, "env");
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		const char *ref = NULL, *file = NULL;
		char want[300];
		snprintf(want, sizeof want, "%s_FILE", r->env);
		for (size_t i = 0; i < ylen(env); i++) {
			yaml_node_t *e = yat(d, env, i);
			const char *n = ystr(ykey(d, e, "name"));
			if (n && !strcmp(n, r->env))
				ref = ystr(ypath(d, e, "valueFrom.secretKeyRef.name"));
			if (n && !strcmp(n, want))
				file = ystr(ykey(d, e, "value"));
		}
		if (s->secrets_as_file) {
			snprintf(want, sizeof want, "/run/secrets/%s", r->secret->name);
			if (!file || strcmp(file, want) || ref)
				fail(c, "k8s", "secret delivery", s->name, "%s_FILE is not %s", r->env, want);
		} else if (!ref || file)
			fail(c, "k8s", "secret delivery", s->name, "%s has no secretKeyRef", r->env);
		else
			check_external_secret(c, ref, s, r->secret);
	}
	check_k8s_composed(c, d, env, s);
}

/* A private registry's credential: the pod names its pull Secret, made
 * by an ExternalSecret from the credential's store path, exactly when
 * the model says the image is under the registry's host. */
static void check_k8s_pull(struct ctx *c, yaml_document_t *d, yaml_node_t *w,
			   const struct model_service *s)
{
	yaml_node_t *pulls = ypath(d, w, "spec.template.spec.imagePullSecrets");
	const char *name = ystr(ypath(d, w, "spec.template.spec.imagePullSecrets.0.name"));
	if (!s->registry) {
		if (pulls)
			fail(c, "k8s", "pull credential", s->name, "names a pull Secret, from no registry");
		return;
	}
	char want[256];
	snprintf(want, sizeof want, "%s", s->registry->name);
	for (char *p = want; *p; p++)
		*p = *p == '_' ? '-' : *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
	if (ylen(pulls) != 1 || !name || strcmp(name, want)) {
		fail(c, "k8s", "pull credential", s->name, "imagePullSecrets is not [%s]", want);
		return;
	}
	yaml_document_t es_doc;
	yaml_node_t *es = k8s_find(c, &es_doc, "ExternalSecret", want);
	const char *type = es ? ystr(ypath(&es_doc, es, "spec.target.template.type")) : NULL;
	const char *key = es ? ystr(ypath(&es_doc, es, "spec.data.0.remoteRef.key")) : NULL;
	if (!type || strcmp(type, "kubernetes.io/dockerconfigjson") || !key ||
	    strcmp(key, s->registry->credential->vault_path))
		fail(c, "k8s", "pull credential", s->name, "ExternalSecret %s does not make a "
		     "dockerconfigjson Secret from %s", want, s->registry->credential->vault_path);
	if (es)
		yaml_document_delete(&es_doc);
}

/* The script of an init container waits for host:port. */
static bool waits_for(yaml_document_t *d, yaml_node_t *init, const char *host, int port)
{
	char probe[300];
	snprintf(probe, sizeof probe, "nc -z -w 2 %s %d;", host, port);
	for (size_t j = 0; j < ylen(init); j++) {
		yaml_node_t *cmd = ykey(d, yat(d, init, j), "command");
		const char *script = ystr(yat(d, cmd, ylen(cmd) - 1));
		if (script && strstr(script, probe))
			return true;
	}
	return false;
}

/* A waiting container is held to the rules of every other one: pinned
 * image, non-root, read-only root, no privilege, no capability, limits. */
static void check_init_privilege(struct ctx *c, yaml_document_t *d, yaml_node_t *ctr,
				 const struct model_service *s)
{
	const char *image = ystr(ykey(d, ctr, "image"));
	const char *tag = image ? strrchr(image, ':') : NULL;
	const char *nonroot = ystr(ypath(d, ctr, "securityContext.runAsNonRoot"));
	const char *ro = ystr(ypath(d, ctr, "securityContext.readOnlyRootFilesystem"));
	const char *esc = ystr(ypath(d, ctr, "securityContext.allowPrivilegeEscalation"));
	const char *drop = ystr(ypath(d, ctr, "securityContext.capabilities.drop.0"));
	bool ok = tag && strcmp(tag, ":latest") && nonroot && !strcmp(nonroot, "true") &&
		  ro && !strcmp(ro, "true") && esc && !strcmp(esc, "false") &&
		  drop && !strcmp(drop, "ALL") && ypath(d, ctr, "resources.limits.cpu") &&
		  ypath(d, ctr, "resources.limits.memory");
	if (!ok)
		fail(c, "k8s", "startup privilege", s->name, "init container %s is not least-privilege",
		     ystr(ykey(d, ctr, "name")));
}

/* wait_for = init: one init container per edge of the graph, waiting
 * for that dependency's Service; wait_for = none: no init container. */
static void check_k8s_startup(struct ctx *c, yaml_document_t *d, yaml_node_t *w,
			      const struct model_service *s)
{
	const struct dep_node *node = depgraph_node(c->m->deps, s);
	yaml_node_t *init = ypath(d, w, "spec.template.spec.initContainers");
	size_t want = strcmp(s->wait_for, "init") ? 0 : node->edge_count;
	if (ylen(init) != want) {
		fail(c, "k8s", "startup", s->name, "%zu init containers, not %zu", ylen(init), want);
		return;
	}
	for (size_t i = 0; i < want; i++) {
		const struct model_service *to = node->edges[i].to;
		check_init_privilege(c, d, yat(d, init, i), s);
		if (!waits_for(d, init, to->name, to->port))
			fail(c, "k8s", "startup", s->name, "no init container waits for %s:%d",
			     to->name, to->port);
	}
}

static void check_k8s_workload(struct ctx *c, yaml_document_t *d, yaml_node_t *w,
			       const struct model_service *s)
{
	char buf[512];
	yaml_node_t *ctr = ypath(d, w, "spec.template.spec.containers.0");
	const char *img = model_service_image(c->m, s, buf, sizeof buf);
	const char *image = ystr(ykey(d, ctr, "image"));
	if (!image || strcmp(image, img))
		fail(c, "k8s", "image", s->name, "'%s' is not '%s'", image ? image : "-", img);
	if (s->port && yint(ypath(d, ctr, "ports.0.containerPort")) != s->port)
		fail(c, "k8s", "port", s->name, "containerPort is not %d", s->port);
	yaml_node_t *rep = ypath(d, w, "spec.replicas");
	if (rep && yint(rep) != s->replicas)
		fail(c, "k8s", "replicas", s->name, "%s is not %d", ystr(rep), s->replicas);
	check_probe(c, d, ykey(d, ctr, "livenessProbe"), "liveness", s, &s->health.liveness);
	check_probe(c, d, ykey(d, ctr, "readinessProbe"), "readiness", s, &s->health.readiness);
	check_k8s_secrets(c, d, ctr, s);
	/* One release identity: the tag names one build, pulled once. */
	const char *pull = ystr(ykey(d, ctr, "imagePullPolicy"));
	if (!pull || strcmp(pull, "IfNotPresent"))
		fail(c, "k8s", "imagePullPolicy", s->name, "'%s' is not IfNotPresent", pull ? pull : "-");
	check_k8s_startup(c, d, w, s);
	check_k8s_pull(c, d, w, s);
}

/* Every service that uses s must be let in by s's NetworkPolicy, and
 * no other service of the model. */
static void check_k8s_policy(struct ctx *c, const struct model_service *s)
{
	yaml_document_t d;
	yaml_node_t *np = k8s_find(c, &d, "NetworkPolicy", s->name);
	if (!np)
		return;
	yaml_node_t *in = ypath(&d, np, "spec.ingress");
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *u = c->m->services[i];
		bool allowed = false;
		for (size_t r = 0; r < ylen(in); r++) {
			yaml_node_t *from = ykey(&d, yat(&d, in, r), "from");
			for (size_t f = 0; f < ylen(from); f++) {
				/* the label key has dots: not a path */
				const char *n = ystr(ykey(&d, ypath(&d, yat(&d, from, f),
							   "podSelector.matchLabels"), "app.kubernetes.io/name"));
				allowed |= n && !strcmp(n, u->name);
			}
		}
		if (allowed != model_uses(u, s))
			fail(c, "k8s", "dependency", s->name, "NetworkPolicy %s %s", allowed ? "admits" : "refuses", u->name);
	}
	yaml_document_delete(&d);
}

/* ingress-nginx logs requests unless the Ingress says otherwise, so the
 * annotation must say what access_log says, either way. */
static void check_k8s_ingress(struct ctx *c, const struct model_service *s)
{
	yaml_document_t d;
	yaml_node_t *ing;
	if (!s->ingress.set || !s->ingress.class || strcmp(s->ingress.class, "nginx") ||
	    !(ing = k8s_find(c, &d, "Ingress", s->name)))
		return;
	const char *got = ystr(ykey(&d, ypath(&d, ing, "metadata.annotations"),
				    "nginx.ingress.kubernetes.io/enable-access-log"));
	const char *want = s->ingress.access_log ? "true" : "false";
	if (!got || strcmp(got, want))
		fail(c, "k8s", "access_log", s->name, "enable-access-log is %s, not %s",
		     got ? got : "missing", want);
	yaml_document_delete(&d);
}

static void check_k8s(struct ctx *c, const struct model_service *s)
{
	check_k8s_ingress(c, s);
	yaml_document_t d;
	yaml_node_t *w = k8s_workload(c, &d, s);
	if (!w)
		return;
	check_k8s_workload(c, &d, w, s);
	yaml_document_delete(&d);
	if (s->port && (w = k8s_find(c, &d, "Service", s->name))) {
		if (yint(ypath(&d, w, "spec.ports.0.targetPort")) != s->port)
			fail(c, "k8s", "port", s->name, "Service targetPort is not %d", s->port);
		yaml_document_delete(&d);
	}
	if (s->autoscale.set && (w = k8s_find(c, &d, "HorizontalPodAutoscaler", s->name))) {
		if (yint(ypath(&d, w, "spec.minReplicas")) != s->autoscale.min)
			fail(c, "k8s", "replicas", s->name, "HPA minReplicas is not %d", s->autoscale.min);
		yaml_document_delete(&d);
	}
	check_k8s_policy(c, s);
}

/* --- Terraform: a line reader of the layout emit_terraform writes ------ */

/* The body of `resource "TYPE" "NAME" {`, up to the next resource. */
static const char *hcl_block(const char *t, const char *type, const char *name, const char **end)
{
	char head[256];
	snprintf(head, sizeof head, "resource \"%s\" \"%s\" {", type, name);
	const char *b = t ? strstr(t, head) : NULL;
	if (!b)
		return NULL;
	*end = strstr(b + 1, "\nresource ");
	if (!*end)
		*end = b + strlen(b);
	return b;
}

/* The value after `KEY =` on the next line that starts (after spaces)
 * with KEY inside [b, end), starting at the n-th match; NULL if none. */
static const char *hcl_value(const char *b, const char *end, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = b; p && p < end; p = strchr(p + 1, '\n')) {
		const char *q = p + (*p == '\n');
		while (*q == ' ')
			q++;
		if (strncmp(q, key, k) || (q[k] != ' ' && q[k] != '='))
			continue;
		q += k;
		while (*q == ' ' || *q == '=')
			q++;
		return q;
	}
	return NULL;
}

static long long hcl_int(const char *b, const char *end, const char *key)
{
	const char *v = hcl_value(b, end, key);
	return v ? atoll(v) : -1;
}

static void check_ecs_task(struct ctx *c, const char *t, const struct model_service *s)
{
	const char *end, *b = hcl_block(t, "aws_ecs_task_definition", s->name, &end);
	char img[512], want[600];
	if (!b)
		return;
	snprintf(img, sizeof img, "%s", model_service_image(c->m, s, want, sizeof want));
	if (s->port && hcl_int(b, end, "containerPort") != s->port)
		fail(c, "terraform", "port", s->name, "portMappings containerPort is not %d", s->port);
	const char *hc = strstr(b, "healthCheck = {");
	if (hc && hc < end && s->health.check.kind != PROBE_NONE) {
		if (hcl_int(hc, end, "interval") * 1000 != s->health.interval_ms)
			fail(c, "terraform", "health interval", s->name, "healthCheck interval differs");
		if (hcl_int(hc, end, "retries") != s->health.retries)
			fail(c, "terraform", "health retries", s->name, "healthCheck retries differs");
	}
	/* The tag is a variable set by CI; the repository must match. */
	const char *v = hcl_value(b, end, "image");
	char *colon = strrchr(img, ':');
	if (colon && s->build)
		*colon = '\0';
	snprintf(want, sizeof want, "\"%s%s", img, s->build ? ":" : "\"");
	if (!v || strncmp(v, want, strlen(want)))
		fail(c, "terraform", "image", s->name, "task image is not %s", img);
	/* Pulled with the registry's credential exactly when it has one. */
	const char *creds = hcl_value(b, end, "credentialsParameter");
	char cred[300] = "";
	if (s->registry)
		snprintf(cred, sizeof cred, "data.aws_secretsmanager_secret.%s.arn", s->registry->credential->name);
	if (s->registry ? !creds || strncmp(creds, cred, strlen(cred)) : creds != NULL)
		fail(c, "terraform", "pull credential", s->name, "repositoryCredentials is not %s",
		     s->registry ? cred : "absent");
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		char ref[256];
		snprintf(ref, sizeof ref, "data.aws_secretsmanager_secret.%s.arn", r->secret->name);
		const char *f = strstr(b, ref);
		if (!f || f > end)
			fail(c, "terraform", "secrets", s->name, "no valueFrom %s", ref);
	}
	/* A composed value: each secret part under its variable, and the
	 * wrapper as the entrypoint. */
	for (const struct model_composed *cv = s->composed; cv; cv = cv->next)
		for (const struct model_composed_part *p = cv->parts; p; p = p->next) {
			if (!composed_first_use(cv, p))
				continue;
			char var[300];
			struct arena a;
			arena_init(&a);
			snprintf(var, sizeof var, "name      = \"%s\"",
				 composed_part_var(&a, cv, composed_secret_number(cv, p)));
			arena_free(&a);
			const char *f = strstr(b, var);
			if (!f || f > end)
				fail(c, "terraform", "composed secrets", s->name, "no %s", var);
		}
	const char *ep = hcl_value(b, end, "entryPoint");
	if (s->composed && (!ep || strncmp(ep, "[\"/bin/sh\", \"-c\"", 16)))
		fail(c, "terraform", "composed secrets", s->name, "no wrapper entryPoint");
}

/* Security groups: b admits a on b's port exactly when a uses b. */
static void check_ecs_edges(struct ctx *c, const char *t, const struct model_service *b)
{
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *a = c->m->services[i];
		char name[256];
		const char *end;
		snprintf(name, sizeof name, "%s_from_%s", b->name, a->name);
		const char *r = hcl_block(t, "aws_vpc_security_group_ingress_rule", name, &end);
		if (!r != !model_uses(a, b))
			fail(c, "terraform", "dependency", b->name, "security group %s %s",
			     r ? "admits" : "refuses", a->name);
		if (r && hcl_int(r, end, "from_port") != b->port)
			fail(c, "terraform", "port", b->name, "rule from %s is not on %d", a->name, b->port);
	}
}

/* Is `ref` one whole item of the list [from, to)? */
static bool hcl_lists(const char *from, const char *to, const char *ref)
{
	size_t n = strlen(ref);
	for (const char *p = from; (p = strstr(p, ref)) && p < to; p++)
		if (strchr(",] \n", p[n]) && strchr("[ \n", p[-1]))
			return true;
	return false;
}

/* The ECS service depends_on exactly its edges in the graph (the
 * listener rule beside them orders no services). */
static void check_ecs_depends(struct ctx *c, const char *svc, const char *end,
			      const struct model_service *s)
{
	const struct dep_node *node = depgraph_node(c->m->deps, s);
	const char *on = hcl_value(svc, end, "depends_on");
	const char *stop = on ? strchr(on, ']') : NULL;
	size_t refs = 0;
	for (const char *p = on; stop && (p = strstr(p, "aws_ecs_service.")) && p < stop; p++)
		refs++;
	bool ok = refs == node->edge_count;
	for (size_t i = 0; ok && i < node->edge_count; i++) {
		char ref[300];
		snprintf(ref, sizeof ref, "aws_ecs_service.%s", node->edges[i].to->name);
		ok = hcl_lists(on, stop, ref);
	}
	if (!ok)
		fail(c, "terraform", "depends_on", s->name, "does not name exactly the graph's edges");
}

static void check_terraform(struct ctx *c, const struct model_service *s)
{
	const char *ecs = file_text(c, "terraform/ecs.tf");
	const char *end, *svc = hcl_block(ecs, "aws_ecs_service", s->name, &end);
	if (!svc)
		return;
	long long want = s->autoscale.set ? s->autoscale.min : s->replicas;
	if (hcl_int(svc, end, "desired_count") != want)
		fail(c, "terraform", "replicas", s->name, "desired_count is not %lld", want);
	check_ecs_task(c, ecs, s);
	check_ecs_depends(c, svc, end, s);
	const char *sg = file_text(c, "terraform/security.tf");
	if (sg)
		check_ecs_edges(c, sg, s);
}

/* One load balancer serves every ingress service: it writes access logs
 * exactly when one of them keeps access_log on, into a bucket whose
 * policy lets the load balancer write. */
static void check_alb_logs(struct ctx *c)
{
	const char *alb = file_text(c, "terraform/alb.tf"), *end, *lb;
	if (!alb || !(lb = hcl_block(alb, "aws_lb", "main", &end)))
		return;
	const char *logging = NULL;
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *s = c->m->services[i];
		if (s->ingress.set && s->port && s->ingress.access_log)
			logging = s->name;
	}
	const char *block = strstr(lb, "access_logs {");
	bool on = block && block < end && strstr(block, "enabled = true");
	const char *audit = file_text(c, "terraform/audit.tf");
	if (on != (logging != NULL))
		fail(c, "terraform", "access_log", logging ? logging : "every ingress service",
		     "the load balancer's access logs are %s", on ? "on" : "off");
	else if (on && (!audit || !strstr(audit, "resource \"aws_s3_bucket\" \"audit\"") ||
			!strstr(audit, "\"LoadBalancerAccessLogs\"")))
		fail(c, "terraform", "access_log", logging, "no bucket the load balancer may write to");
}

/* --- Prometheus, CI, Grafana ------------------------------------------ */

static void check_prometheus_job(struct ctx *c, yaml_document_t *d, yaml_node_t *job,
				 const struct model_service *s)
{
	const char *path = ystr(ykey(d, job, "metrics_path"));
	if (!path || strcmp(path, s->metrics.path))
		fail(c, "prometheus", "metrics path", s->name, "'%s'", path ? path : "-");
	yaml_node_t *port = ypath(d, job, "dns_sd_configs.0.port");
	const char *target = ystr(ypath(d, job, "static_configs.0.targets.0"));
	const char *colon = target ? strrchr(target, ':') : NULL;
	long long got = port ? yint(port) : colon ? atoll(colon + 1) : -1;
	if (got != -1 && got != s->metrics.port)
		fail(c, "prometheus", "port", s->name, "scrape port %lld is not %d", got, s->metrics.port);
}

static void check_prometheus(struct ctx *c)
{
	const char *t = file_text(c, "monitoring/prometheus.yml");
	yaml_document_t d;
	if (!t || !yload(&d, t))
		return;
	yaml_node_t *jobs = ykey(&d, yaml_document_get_root_node(&d), "scrape_configs");
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *s = c->m->services[i];
		for (size_t j = 0; s->metrics.set && j < ylen(jobs); j++) {
			const char *n = ystr(ykey(&d, yat(&d, jobs, j), "job_name"));
			if (n && !strcmp(n, s->name))
				check_prometheus_job(c, &d, yat(&d, jobs, j), s);
		}
	}
	yaml_document_delete(&d);
}

/* The service an ECS deploy job rolls out, read from its script. */
static const struct model_service *ecs_job_service(struct ctx *c, yaml_document_t *d,
						   yaml_node_t *job)
{
	yaml_node_t *steps = ykey(d, job, "steps");
	for (size_t i = 0; i < ylen(steps); i++) {
		const char *run = ystr(ykey(d, yat(d, steps, i), "run"));
		const char *at = run ? strstr(run, "aws ecs update-service ") : NULL;
		const char *name = at ? strstr(at, "--service ") : NULL;
		if (!name)
			continue;
		name += strlen("--service ");
		size_t n = strcspn(name, " \n");
		for (size_t k = 0; k < c->m->service_count; k++)
			if (strlen(c->m->services[k]->name) == n && !strncmp(c->m->services[k]->name, name, n))
				return c->m->services[k];
	}
	return NULL;
}

static bool needs_job(yaml_document_t *d, yaml_node_t *job, const char *id)
{
	yaml_node_t *needs = ykey(d, job, "needs");
	if (ystr(needs))
		return !strcmp(ystr(needs), id);
	for (size_t i = 0; i < ylen(needs); i++)
		if (ystr(yat(d, needs, i)) && !strcmp(ystr(yat(d, needs, i)), id))
			return true;
	return false;
}

struct ci_job {
	const char *id;
	yaml_node_t *job;
	const struct model_service *ecs; /* rolled out to ECS, or NULL */
};

static size_t ci_jobs(struct ctx *c, yaml_document_t *d, struct ci_job *out, size_t max)
{
	yaml_node_t *jobs = ykey(d, yaml_document_get_root_node(d), "jobs");
	size_t n = 0;
	if (!jobs || jobs->type != YAML_MAPPING_NODE)
		return 0;
	for (yaml_node_pair_t *p = jobs->data.mapping.pairs.start; p < jobs->data.mapping.pairs.top && n < max; p++) {
		out[n].id = ystr(yaml_document_get_node(d, p->key));
		out[n].job = yaml_document_get_node(d, p->value);
		out[n].ecs = ecs_job_service(c, d, out[n].job);
		n++;
	}
	return n;
}

/* Where a Kubernetes rollout of s is waited for in `run`, or NULL. */
static const char *rollout_of(const char *run, const struct model_service *s)
{
	char what[300];
	for (const char *kind = "deployment/"; kind; kind = *kind == 'd' ? "statefulset/" : NULL) {
		snprintf(what, sizeof what, "rollout status %s%s ", kind, s->name);
		const char *at = strstr(run, what);
		if (at)
			return at;
	}
	return NULL;
}

/* Rollouts are waited for in start order: a dependency's first; a
 * failed one is undone where the service says on_failure = rollback. */
static void check_rollout_order(struct ctx *c, const char *run)
{
	char undo[300];
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *s = c->m->services[i];
		snprintf(undo, sizeof undo, "rollout undo %s/%s\n", s->stateful ? "statefulset" : "deployment",
			 s->name);
		if (rollout_of(run, s) && s->rollout.on_failure == ON_FAILURE_ROLLBACK && !strstr(run, undo))
			fail(c, "github", "rollback", s->name, "a failed rollout is not undone");
	}
	for (size_t i = 0; i < c->m->service_count; i++)
		for (size_t j = 0; j < c->m->service_count; j++) {
			const struct model_service *a = c->m->services[i], *b = c->m->services[j];
			const char *pa = rollout_of(run, a), *pb = rollout_of(run, b);
			if (pa && pb && pa < pb && depgraph_reaches(c->m->deps, a, b))
				fail(c, "github", "rollout order", a->name, "waited for before %s", b->name);
		}
}

/* Does job i wait for job j, through `needs` directly or not?  The
 * workflow lists only the nearest deploys a deploy depends on. */
static bool job_waits_for(yaml_document_t *d, const struct ci_job *jobs, size_t n, size_t i,
			  size_t j)
{
	bool seen[64] = { false };
	size_t stack[64], depth = 0;
	stack[depth++] = i;
	seen[i] = true;
	while (depth) {
		size_t k = stack[--depth];
		for (size_t m = 0; m < n; m++) {
			if (seen[m] || !needs_job(d, jobs[k].job, jobs[m].id))
				continue;
			if (m == j)
				return true;
			seen[m] = true;
			stack[depth++] = m;
		}
	}
	return false;
}

/* One release identity: the ECS job registers a task definition that
 * runs this commit's image, the tag Kubernetes deploys, and deploys that
 * revision rather than re-pulling a mutable tag. */
static void check_ecs_release(struct ctx *c, const char *run, const struct model_service *s)
{
	char want[300];
	const char *repo = c->m->app.registry ? c->m->app.registry : c->m->app.name;
	snprintf(want, sizeof want, ".image = \"%s/%s:\" + $sha", repo, s->name);
	if (s->build && (!strstr(run, want) || !strstr(run, "--arg sha \"$GITHUB_SHA\"")))
		fail(c, "github", "release image", s->name, "the ECS release does not run %s:$GITHUB_SHA", repo);
	if (!strstr(run, "aws ecs register-task-definition") || !strstr(run, "--task-definition \"$release\"") ||
	    strstr(run, "--force-new-deployment"))
		fail(c, "github", "release revision", s->name, "no new task definition revision is deployed");
}

/* The ECS deploy that runs a one-off job: the first, in pipeline order,
 * of a service in its `before`. */
static const struct model_service *job_runner(const struct ctx *c, const struct model_job *job)
{
	const struct model_deploy *d = c->m->pipeline ? c->m->pipeline->deploys : NULL;
	while (d && !(d->kind == DEPLOY_ECS && d->service && model_job_before(job, d->service)))
		d = d->next;
	return d ? d->service : NULL;
}

/* One step: a depends on b, or b's deploy runs a one-off job a waits for. */
static bool ecs_step(const struct ctx *c, const struct model_service *a, const struct model_service *b)
{
	if (depgraph_reaches(c->m->deps, a, b))
		return true;
	for (size_t j = 0; j < c->m->job_count; j++) {
		const struct model_job *job = c->m->jobs[j];
		if (!model_job_scheduled(job) && model_job_before(job, a) && a != b &&
		    job_runner(c, job) == b)
			return true;
	}
	return false;
}

/* Must the ECS deploy of a wait for that of b, through any chain of steps? */
static bool ecs_deploy_after(const struct ctx *c, const struct model_service *a,
			     const struct model_service *b)
{
	size_t n = c->m->service_count, depth = 0;
	bool *seen = calloc(n, sizeof *seen);
	const struct model_service **stack = calloc(n, sizeof *stack);
	bool found = false;
	stack[depth++] = a;
	seen[a->index] = true;
	while (depth && !found) {
		const struct model_service *s = stack[--depth];
		for (size_t i = 0; i < n && !found; i++) {
			const struct model_service *t = c->m->services[i];
			if (seen[i] || !ecs_step(c, s, t))
				continue;
			found = t == b;
			seen[i] = true;
			stack[depth++] = t;
		}
	}
	free(seen);
	free(stack);
	return found;
}

/* Every deploy job runs after the build when images are built; an ECS
 * deploy after the ECS deploy of each service its service depends on,
 * directly or not, and of the one-off jobs it waits for, and no other. */
static void check_github_order(struct ctx *c, yaml_document_t *d)
{
	struct ci_job jobs[64];
	size_t n = ci_jobs(c, d, jobs, 64);
	bool built = false;
	for (size_t i = 0; i < c->m->service_count; i++)
		built |= c->m->services[i]->build != NULL;
	for (size_t i = 0; i < n; i++) {
		const char *name = jobs[i].ecs ? jobs[i].ecs->name : jobs[i].id;
		if (built && !strncmp(jobs[i].id, "deploy-", 7) && !needs_job(d, jobs[i].job, "build"))
			fail(c, "github", "needs", name, "job %s does not need build", jobs[i].id);
		for (size_t j = 0; jobs[i].ecs && j < n; j++)
			if (jobs[j].ecs && i != j && job_waits_for(d, jobs, n, i, j) !=
			    ecs_deploy_after(c, jobs[i].ecs, jobs[j].ecs))
				fail(c, "github", "needs", name, "%s %s", job_waits_for(d, jobs, n, i, j)
				     ? "waits for" : "does not wait for", jobs[j].id);
		yaml_node_t *steps = ykey(d, jobs[i].job, "steps");
		for (size_t k = 0; k < ylen(steps); k++) {
			const char *run = ystr(ykey(d, yat(d, steps, k), "run"));
			if (run && strstr(run, "kubectl apply"))
				check_rollout_order(c, run);
			if (run && strstr(run, "aws ecs update-service ") && jobs[i].ecs)
				check_ecs_release(c, run, jobs[i].ecs);
		}
	}
}

/* CI pushes each built image under the version tag the others run. */
/* The scanner the pipeline names runs in a security job; `scan = none`
 * (an allowed exception) leaves no security job at all. */
static void check_scan(struct ctx *c, yaml_document_t *d, const char *path)
{
	const char *scan = c->m->pipeline->scan ? c->m->pipeline->scan : "trivy";
	yaml_node_t *job = ypath(d, yaml_document_get_root_node(d), "jobs.security");
	bool none = !strcmp(scan, "none");
	const char *want = !strcmp(scan, "snyk") ? "snyk/actions/setup@" : "aquasecurity/trivy-action@";
	bool found = false;
	yaml_node_t *steps = ykey(d, job, "steps");
	for (size_t i = 0; i < ylen(steps); i++) {
		const char *uses = ystr(ykey(d, yat(d, steps, i), "uses"));
		found |= uses && !strncmp(uses, want, strlen(want));
	}
	if (none ? job != NULL : !found)
		fail(c, "github", "scan", "the pipeline", "%s: %s", path,
		     none ? "a security job runs, yet scan = none" : "the security job does not run the scanner");
}

static void check_github(struct ctx *c)
{
	for (const struct output_file *f = output_files(c->o); f; f = f->next) {
		yaml_document_t d;
		if (strncmp(f->path, ".github/workflows/", 18) || !f->content.data)
			continue;
		if (!yload(&d, f->content.data)) {
			fail(c, "github", "syntax", f->path, "does not parse");
			continue;
		}
		check_scan(c, &d, f->path);
		check_github_order(c, &d);
		yaml_document_delete(&d);
		for (size_t i = 0; c->m->app.registry && i < c->m->service_count; i++) {
			const struct model_service *s = c->m->services[i];
			char buf[512], line[600];
			if (!s->build)
				continue;
			const char *img = model_service_image(c->m, s, buf, sizeof buf);
			snprintf(line, sizeof line, " %s\n", img);
			if (!strstr(f->content.data, line))
				fail(c, "github", "image", s->name, "%s does not push %s", f->path, img);
		}
	}
}

/* Every dashboard parses, and has the model's panels, in order. */
static void check_grafana(struct ctx *c)
{
	for (const struct model_dashboard *db = c->m->monitor ? c->m->monitor->dashboards : NULL; db; db = db->next) {
		char path[512];
		snprintf(path, sizeof path, "monitoring/grafana/%s.json", output_slug(c->o->arena, db->title));
		const char *t = file_text(c, path);
		cJSON *j = t ? cJSON_Parse(t) : NULL;
		cJSON *panels = cJSON_GetObjectItemCaseSensitive(j, "panels");
		const cJSON *p = panels ? panels->child : NULL;
		for (const struct model_panel *mp = db->panels; mp; mp = mp->next, p = p ? p->next : NULL) {
			const cJSON *title = cJSON_GetObjectItemCaseSensitive(p, "title");
			if (!cJSON_IsString(title) || strcmp(title->valuestring, mp->title))
				fail(c, "grafana", "panel", db->title, "'%s' missing", mp->title);
		}
		cJSON_Delete(j);
	}
}

/* --- resources and health timings: one quantity, every unit ----------- */

/* Each backend states cpu, memory and health-check timings in its own
 * unit (Kubernetes "250m"/"512Mi" and whole seconds, Compose "0.25"/
 * "512M" and Go durations, ECS cpu units, MiB and seconds, Dockerfile Go
 * durations).  The parsers below read each back into the model's unit,
 * without the renderers of src/format.c, so a backend that spells one
 * wrongly, or rounds it, is caught. */

/* "250m", "2", "0.5" (cores) in millicores; -1 if not a quantity. */
static long long cpu_mc(const char *s)
{
	char *end;
	double v = s ? strtod(s, &end) : 0;
	if (!s || end == s)
		return -1;
	if (!strcmp(end, "m"))
		return (long long)(v + 0.5);
	return *end ? -1 : (long long)(v * 1000 + 0.5);
}

/* "512Mi" (Kubernetes) or "512M" (Docker, binary): bytes; -1 if not. */
static long long size_bytes(const char *s)
{
	static const struct { const char *suffix; long long factor; } units[] = {
		{ "Ki", 1LL << 10 }, { "Mi", 1LL << 20 }, { "Gi", 1LL << 30 }, { "Ti", 1LL << 40 },
		{ "K", 1LL << 10 }, { "M", 1LL << 20 }, { "G", 1LL << 30 }, { "T", 1LL << 40 },
		{ "b", 1 }, { "", 1 },
	};
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || end == s)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(end, units[i].suffix))
			return v * units[i].factor;
	return -1;
}

static void expect_quantity(struct ctx *c, const char *backend, const char *fact,
			    const struct model_service *s, const char *text, long long got,
			    long long want)
{
	if (got != want)
		fail(c, backend, fact, s->name, "'%s' is not %lld", text ? text : "-", want);
}

/* requests/limits (Kubernetes) or reservations/limits (Compose). */
static void check_resource_map(struct ctx *c, const char *backend, yaml_document_t *d,
			       yaml_node_t *res, const struct model_service *s, bool k8s)
{
	static const char *const keys[2][2] = { { "reservations", "limits" }, { "requests", "limits" } };
	for (int lim = 0; lim < 2; lim++) {
		yaml_node_t *m = ykey(d, res, keys[k8s][lim]);
		const char *cpu = ystr(ykey(d, m, k8s ? "cpu" : "cpus"));
		const char *mem = ystr(ykey(d, m, "memory"));
		if (s->cpu.set)
			expect_quantity(c, backend, "cpu", s, cpu, cpu_mc(cpu),
					lim ? s->cpu.limit : s->cpu.request);
		if (s->memory.set)
			expect_quantity(c, backend, "memory", s, mem, size_bytes(mem),
					lim ? s->memory.limit : s->memory.request);
	}
}

static void check_k8s_resources(struct ctx *c, const struct model_service *s)
{
	yaml_document_t d;
	yaml_node_t *w = k8s_workload(c, &d, s);
	if (!w)
		return;
	yaml_node_t *ctr = ypath(&d, w, "spec.template.spec.containers.0");
	check_resource_map(c, "k8s", &d, ykey(&d, ctr, "resources"), s, true);
	static const char *const probes[] = { "startupProbe", "livenessProbe", "readinessProbe" };
	for (size_t i = 0; i < 3; i++) {
		yaml_node_t *p = ykey(&d, ctr, probes[i]);
		if (!p)
			continue;
		if (yint(ykey(&d, p, "timeoutSeconds")) * 1000 != s->health.timeout_ms)
			fail(c, "k8s", "health timeout", s->name, "%s timeoutSeconds differs", probes[i]);
		long long delay = yint(ykey(&d, p, "initialDelaySeconds")) * 1000;
		if (delay != 0 && delay != s->health.start_ms)
			fail(c, "k8s", "health start", s->name, "%s initialDelaySeconds differs", probes[i]);
	}
	yaml_document_delete(&d);
}

static void check_compose_resources(struct ctx *c, const struct model_service *s)
{
	const char *t = file_text(c, "compose.yaml");
	yaml_document_t d;
	if (!t || !yload(&d, t))
		return;
	yaml_node_t *svc = ykey(&d, ypath(&d, yaml_document_get_root_node(&d), "services"), s->name);
	yaml_node_t *res = ypath(&d, svc, "deploy.resources");
	if (res)
		check_resource_map(c, "compose", &d, res, s, false);
	yaml_node_t *h = ykey(&d, svc, "healthcheck");
	if (h && dur_ms(ystr(ykey(&d, h, "timeout"))) != s->health.timeout_ms)
		fail(c, "compose", "health timeout", s->name, "'%s'", ystr(ykey(&d, h, "timeout")));
	if (h && dur_ms(ystr(ykey(&d, h, "start_period"))) != s->health.start_ms)
		fail(c, "compose", "health start", s->name, "'%s'", ystr(ykey(&d, h, "start_period")));
	yaml_document_delete(&d);
}

/* The Dockerfile's --timeout and --start-period (absent means 0s). */
static void check_docker_timings(struct ctx *c, const struct model_service *s)
{
	char path[256], dur[32] = "0s";
	snprintf(path, sizeof path, "%s/Dockerfile", s->name);
	const char *t = file_text(c, path), *h = t ? strstr(t, "\nHEALTHCHECK ") : NULL;
	if (!h)
		return;
	const char *to = strstr(h, "--timeout="), *sp = strstr(h, "--start-period=");
	if (!to || sscanf(to + 10, "%31[^ ]", dur) != 1 || dur_ms(dur) != s->health.timeout_ms)
		fail(c, "docker", "health timeout", s->name, "'%s' is not %lldms", dur,
		     (long long)s->health.timeout_ms);
	snprintf(dur, sizeof dur, "0s");
	if (sp)
		sscanf(sp + 15, "%31[^ ]", dur);
	if (dur_ms(dur) != s->health.start_ms)
		fail(c, "docker", "health start", s->name, "'%s' is not %lldms", dur,
		     (long long)s->health.start_ms);
}

/* Fargate's sizes, written out here from AWS's table rather than taken
 * from src/format.c, so the two are checked against each other: for each
 * cpu, the memory range in MiB and its step. */
static const struct { long long cpu, lo, hi, step; } fargate_sizes[] = {
	{ 256, 512, 512, 512 }, { 256, 1024, 2048, 1024 }, { 512, 1024, 4096, 1024 },
	{ 1024, 2048, 8192, 1024 }, { 2048, 4096, 16384, 1024 }, { 4096, 8192, 30720, 1024 },
	{ 8192, 16384, 61440, 4096 }, { 16384, 32768, 122880, 8192 },
};

/* The smallest size with at least this cpu and memory, cpu first. */
static bool fargate_fit(long long *cpu, long long *mem)
{
	for (size_t i = 0; i < sizeof fargate_sizes / sizeof fargate_sizes[0]; i++) {
		if (fargate_sizes[i].cpu < *cpu || fargate_sizes[i].hi < *mem)
			continue;
		long long m = fargate_sizes[i].lo;
		while (m < *mem)
			m += fargate_sizes[i].step;
		*cpu = fargate_sizes[i].cpu;
		*mem = m;
		return true;
	}
	return false;
}

/* The task size is the ecs block's, raised to the service's limits and
 * then to the smallest Fargate size that holds them; the container's cpu
 * is the request in 1/1024 cores (rounded up, W0001), its memory the
 * limit and its reservation the request, in MiB. */
static void check_ecs_resources(struct ctx *c, const struct model_service *s)
{
	const char *t = file_text(c, "terraform/ecs.tf"), *end;
	const char *b = hcl_block(t, "aws_ecs_task_definition", s->name, &end);
	if (!b || !c->m->cloud)
		return;
	long long cpu = c->m->cloud->task_cpu, mem = c->m->cloud->task_memory;
	if (s->cpu.set && (s->cpu.limit * 1024 + 999) / 1000 > cpu)
		cpu = (s->cpu.limit * 1024 + 999) / 1000;
	if (s->memory.set && (s->memory.limit + (1LL << 20) - 1) >> 20 > mem)
		mem = (s->memory.limit + (1LL << 20) - 1) >> 20;
	fargate_fit(&cpu, &mem);
	if (hcl_int(b, end, "cpu") != cpu)
		fail(c, "terraform", "task cpu", s->name, "not %lld units", cpu);
	if (hcl_int(b, end, "memory") != mem)
		fail(c, "terraform", "task memory", s->name, "not %lld MiB", mem);
	const char *ctr = strstr(b, "container_definitions");
	if (ctr && ctr < end && s->cpu.set &&
	    hcl_int(ctr, end, "cpu") != (s->cpu.request * 1024 + 999) / 1000)
		fail(c, "terraform", "cpu", s->name, "container cpu is not %lldm", (long long)s->cpu.request);
	if (ctr && ctr < end && s->memory.set &&
	    (hcl_int(ctr, end, "memory") * (1LL << 20) != s->memory.limit ||
	     hcl_int(ctr, end, "memoryReservation") * (1LL << 20) != s->memory.request))
		fail(c, "terraform", "memory", s->name, "container memory differs");
	const char *hc = strstr(b, "healthCheck = {");
	if (!hc || hc > end)
		return;
	if (hcl_int(hc, end, "timeout") * 1000 != s->health.timeout_ms)
		fail(c, "terraform", "health timeout", s->name, "healthCheck timeout differs");
	if (hcl_int(hc, end, "startPeriod") * 1000 != s->health.start_ms)
		fail(c, "terraform", "health start", s->name, "healthCheck startPeriod differs");
}

static void check_units_all(struct ctx *c)
{
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *s = c->m->services[i];
		check_k8s_resources(c, s);
		check_compose_resources(c, s);
		check_docker_timings(c, s);
		check_ecs_resources(c, s);
	}
}

/* --- jobs ---------------------------------------------------------------- */

/* One job, each target's statement of it: Compose never restarts it and
 * keeps a scheduled one out of `up`; Kubernetes retries it `retries`
 * times and stops it at `timeout`, as a Job outside the kustomization or
 * a CronJob on the schedule inside it; ECS has its task definition and,
 * when scheduled, a schedule. */
static void check_job_compose(struct ctx *c, const struct model_job *j)
{
	const char *t = file_text(c, "compose.yaml");
	yaml_document_t d;
	if (!t || !yload(&d, t))
		return;
	yaml_node_t *svc = ykey(&d, ykey(&d, yaml_document_get_root_node(&d), "services"), j->name);
	const char *restart = ystr(ykey(&d, svc, "restart"));
	if (!svc || !restart || strcmp(restart, "no"))
		fail(c, "compose", "job restart", j->name, "not a service with restart \"no\"");
	yaml_node_t *prof = ykey(&d, svc, "profiles");
	if ((prof != NULL) != model_job_scheduled(j))
		fail(c, "compose", "job schedule", j->name, "profiles do not match the schedule");
	yaml_document_delete(&d);
}

static void check_job_k8s(struct ctx *c, const struct model_job *j)
{
	yaml_document_t d;
	bool cron = model_job_scheduled(j);
	yaml_node_t *o = k8s_find(c, &d, cron ? "CronJob" : "Job", j->name);
	if (!o) {
		fail(c, "k8s", "job", j->name, "no %s", cron ? "CronJob" : "Job");
		return;
	}
	yaml_node_t *spec = ypath(&d, o, cron ? "spec.jobTemplate.spec" : "spec");
	if (yint(ykey(&d, spec, "backoffLimit")) != j->retries)
		fail(c, "k8s", "job retries", j->name, "backoffLimit is not %d", j->retries);
	if (yint(ykey(&d, spec, "activeDeadlineSeconds")) * 1000 != j->timeout_ms)
		fail(c, "k8s", "job timeout", j->name, "activeDeadlineSeconds is not the timeout");
	const char *sched = ystr(ypath(&d, o, "spec.schedule"));
	if (cron && (!sched || strcmp(sched, j->schedule)))
		fail(c, "k8s", "job schedule", j->name, "schedule is not \"%s\"", j->schedule);
	yaml_document_delete(&d);
	const char *kust = file_text(c, "k8s/kustomization.yaml");
	char file[300];
	snprintf(file, sizeof file, "- %s-%s.yaml\n", j->name, cron ? "cronjob" : "job");
	if (kust && (strstr(kust, file) != NULL) != cron)
		fail(c, "k8s", "job kustomization", j->name, "a %s must %sbe in kustomization.yaml",
		     cron ? "CronJob" : "one-off Job", cron ? "" : "not ");
}

static void check_job_terraform(struct ctx *c, const struct model_job *j)
{
	const char *t = file_text(c, "terraform/jobs.tf"), *end;
	if (!file_text(c, "terraform/ecs.tf"))
		return;
	char label[256];
	snprintf(label, sizeof label, "%s", j->name);
	for (char *p = label; *p; p++)
		*p = *p == '-' ? '_' : *p;
	if (!t || !hcl_block(t, "aws_ecs_task_definition", label, &end))
		fail(c, "terraform", "job task", j->name, "no task definition");
	bool sched = t && hcl_block(t, "aws_scheduler_schedule", label, &end);
	if (sched != model_job_scheduled(j))
		fail(c, "terraform", "job schedule", j->name, "a schedule %s", sched ? "it has none of" : "missing");
}

static void check_jobs(struct ctx *c)
{
	for (size_t i = 0; i < c->m->job_count; i++) {
		check_job_compose(c, c->m->jobs[i]);
		check_job_k8s(c, c->m->jobs[i]);
		check_job_terraform(c, c->m->jobs[i]);
	}
}

/* --- driver ------------------------------------------------------------ */

static void check_all(struct ctx *c)
{
	check_compose(c);
	for (size_t i = 0; i < c->m->service_count; i++) {
		check_docker(c, c->m->services[i]);
		check_k8s(c, c->m->services[i]);
		check_terraform(c, c->m->services[i]);
	}
	check_alb_logs(c);
	check_prometheus(c);
	check_github(c);
	check_grafana(c);
	check_units_all(c);
	check_jobs(c);
}

static const char *cli_env; /* --env NAME on the command line */

/* --env NAME, else "# depc-flags: --env NAME" on a case's first line. */
static const char *env_flag(struct compilation *comp)
{
	if (cli_env)
		return cli_env;
	const char *t = comp->source->text, *e = strstr(t, "--env ");
	const char *nl = strchr(t, '\n');
	if (strncmp(t, "# depc-flags:", 13) || !e || (nl && e > nl))
		return NULL;
	e += 6;
	return arena_strndup(&comp->arena, e, strcspn(e, " \n"));
}

static void replace_in(struct output *o, const char *path, const char *from, const char *to)
{
	for (struct output_file *f = output_files(o); f; f = f->next) {
		if (strcmp(f->path, path))
			continue;
		char *at = strstr(f->content.data, from);
		if (!at)
			return;
		struct strbuf b;
		strbuf_init(&b);
		strbuf_put(&b, f->content.data, (size_t)(at - f->content.data));
		strbuf_puts(&b, to);
		strbuf_puts(&b, at + strlen(from));
		strbuf_free(&f->content);
		f->content = b;
	}
}

struct perturbation {
	const char *dep;  /* the case it applies to, by file name */
	const char *path, *from, *to, *expect;
};

/* One fact changed in one backend's output; the checker must name it. */
static const struct perturbation perturbations[] = {
	{ "webapp.dep", "k8s/web-deployment.yaml", "containerPort: 3000", "containerPort: 3001", "k8s port web" },
	{ "webapp.dep", "compose.yaml", "      cache:\n        condition", "      dbx:\n        condition", "compose depends_on web" },
	{ "webapp.dep", "terraform/ecs.tf", "desired_count                      = 3", "desired_count                      = 2", "terraform replicas web" },
	{ "webapp.dep", "web/Dockerfile", "--retries=3", "--retries=4", "docker health retries web" },
	{ "webapp.dep", "k8s/db-networkpolicy.yaml", "app.kubernetes.io/name: web\n", "app.kubernetes.io/name: cache\n", NULL },
	/* Ordering: each backend's statement of the dependency graph. */
	{ "webapp.dep", "k8s/web-deployment.yaml", "nc -z -w 2 cache 6379;", "nc -z -w 2 db 5432;", "k8s startup web" },
	{ "webapp.dep", "k8s/web-deployment.yaml", "          readOnlyRootFilesystem: true\n", "          readOnlyRootFilesystem: false\n",
	  "k8s startup privilege web" },
	{ "webapp.dep", "terraform/ecs.tf", "    aws_ecs_service.cache,\n", "", "terraform depends_on web" },
	{ "webapp.dep", ".github/workflows/myapp.yml", "    needs: build\n", "    needs: security\n", "github needs web" },
	{ "ordering.dep", "compose.yaml", "      queue:\n        condition: service_started",
	  "      queue:\n        condition: service_healthy", "compose depends_on api" },
	{ "ordering.dep", "terraform/ecs.tf", "    aws_ecs_service.api,\n", "", "terraform depends_on web" },
	{ "ordering.dep", ".github/workflows/chain.yml", "    - deploy-ecs-chain-api\n", "    - deploy-ecs-chain-queue\n",
	  "github needs web" },
	{ "ordering.dep", ".github/workflows/chain.yml",
	  "if ! kubectl -n chain rollout status deployment/api --timeout=10m",
	  "if ! kubectl -n chain rollout status deployment/web --timeout=10m", "github rollout order web" },
	/* jobs: the waiting, the retries, where a one-off Job is applied from */
	{ "jobs-migrate.dep", "compose.yaml", "      migrate:\n        condition: service_completed_successfully",
	  "      migrate:\n        condition: service_started", "compose depends_on api" },
	{ "jobs-migrate.dep", "k8s/jobs/migrate-job.yaml", "backoffLimit: 1", "backoffLimit: 6", "k8s job retries migrate" },
	{ "jobs-migrate.dep", "k8s/kustomization.yaml", "- cleanup-cronjob.yaml\n", "", "k8s job kustomization cleanup" },
	{ "webapp.dep", "k8s/web-ingress.yaml", "enable-access-log: \"true\"", "enable-access-log: \"false\"", "k8s access_log web" },
	{ "webapp.dep", "terraform/alb.tf", "    enabled = true\n", "    enabled = false\n", "terraform access_log web" },
	{ "webapp.dep", ".github/workflows/myapp.yml", "uses: snyk/actions/setup@", "uses: snyk/actions/other@", "github scan the pipeline" },
	/* resources and health timings, each in one backend's own unit */
	{ "webapp.dep", "k8s/web-deployment.yaml", "cpu: 500m", "cpu: 501m", "k8s cpu web" },
	{ "webapp.dep", "compose.yaml", "memory: 512M\n", "memory: 513M\n", "compose memory web" },
	{ "webapp.dep", "terraform/ecs.tf", "memory                   = 1024", "memory                   = 2048", "terraform task memory web" },
	{ "webapp.dep", "terraform/ecs.tf", "cpu                    = 128", "cpu                    = 129", "terraform cpu web" },
	{ "webapp.dep", "k8s/web-deployment.yaml", "timeoutSeconds: 5", "timeoutSeconds: 4", "k8s health timeout web" },
	{ "webapp.dep", "web/Dockerfile", "--timeout=5s", "--timeout=4s", "docker health timeout web" },
	{ "webapp.dep", "compose.yaml", "start_period: 5s", "start_period: 6s", "compose health start web" },
	/* one contract per fact: release identity, rollback, secrets, restart */
	{ "webapp.dep", ".github/workflows/myapp.yml", "--arg sha \"$GITHUB_SHA\"", "--arg sha latest",
	  "github release image web" },
	{ "webapp.dep", ".github/workflows/myapp.yml", "rollout undo deployment/web", "rollout history deployment/web",
	  "github rollback web" },
	{ "webapp.dep", "compose.yaml", "restart: on-failure:3\n    deploy:\n      replicas: 3",
	  "restart: always\n    deploy:\n      replicas: 3", "compose restart web" },
	{ "webapp.dep", "compose.yaml", "DATABASE_URL: ${SECRET_DATABASE_URL", "DATABASE_URL_FILE: ${SECRET_DATABASE_URL",
	  "compose secret delivery web" },
	{ "webapp.dep", "compose.yaml", "    - cache-from-web\n    volumes:", "    - db-from-web\n    volumes:",
	  "compose isolation db" },
	{ "webapp.dep", "k8s/web-deployment.yaml", "        imagePullPolicy: IfNotPresent\n        ports:",
	  "        imagePullPolicy: Always\n        ports:", "k8s imagePullPolicy web" },
	{ "webapp.dep", "terraform/ecs.tf", "startPeriod = 5", "startPeriod = 6", "terraform health start web" },	/* private registries: who pulls with which credential */
	{ "registries-targets.dep", "k8s/audit-deployment.yaml", "      - name: acme\n", "      - name: quay\n",
	  "k8s pull credential audit" },
	{ "registries-targets.dep", "terraform/ecs.tf", "data.aws_secretsmanager_secret.quay_login.arn\n      }",
	  "data.aws_secretsmanager_secret.registry_login.arn\n      }", "terraform pull credential reports" },
};

static int check_file(const char *path, const struct perturbation *perturb)
{
	struct compilation comp;
	const char *err;
	struct compile_options opt = { 0 };
	int rc = 0;
	compile_init(&comp);
	if (!compile_load_file(&comp, path, &err) ||
	    !compile_check(&comp, (opt.env = env_flag(&comp), &opt))) {
		fprintf(stderr, "%s: does not compile\n", path);
		compile_free(&comp);
		return 1;
	}
	struct output o;
	output_init(&o, &comp.arena, path, "out");
	for (size_t i = 0; i < backend_count(); i++)
		if (!backend_at(i)->emit(comp.model, &o))
			fprintf(stderr, "%s: %s: %s\n", path, backend_at(i)->name, o.error), rc = 1;
	struct ctx c = { .file = path, .m = comp.model, .o = &o, .quiet = perturb != NULL };
	if (perturb)
		replace_in(&o, perturb->path, perturb->from, perturb->to);
	check_all(&c);
	if (perturb) {
		/* The NetworkPolicy case flips an edge: two facts (web refused,
		 * cache admitted), both from k8s dependency of db. */
		const char *want = perturb->expect ? perturb->expect : "k8s dependency db";
		int count = perturb->expect ? 1 : 2;
		rc = (c.failures != count || strcmp(c.last, want));
		printf("%s perturb %s: %d report(s), last '%s' (want %d, '%s')\n",
		       rc ? "FAIL" : "ok", perturb->path, c.failures, c.last, count, want);
	} else {
		rc |= c.failures != 0;
		printf("%s %s\n", rc ? "FAIL" : "ok", path);
	}
	output_free(&o);
	compile_free(&comp);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	if (argc >= 3 && !strcmp(argv[1], "--perturb")) {
		for (int f = 2; f < argc; f++) {
			const char *base = strrchr(argv[f], '/') ? strrchr(argv[f], '/') + 1 : argv[f];
			for (size_t i = 0; i < sizeof perturbations / sizeof *perturbations; i++)
				if (!strcmp(perturbations[i].dep, base))
					rc |= check_file(argv[f], &perturbations[i]);
		}
		return rc;
	}
	int first = 1;
	if (argc > 2 && !strcmp(argv[1], "--env"))
		cli_env = argv[2], first = 3;
	for (int i = first; i < argc; i++)
		rc |= check_file(argv[i], NULL);
	return rc;
}
