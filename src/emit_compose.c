/* emit_compose.c - compose.yaml through libyaml's emitter.
 *
 * Least privilege in Compose terms: every `uses` edge gets a network of
 * its own, marked internal, which only its two ends join, so a service
 * reaches exactly what its `uses` lists; only services with
 * an ingress publish a port.  Containers run as the model's non-root
 * user, drop every capability, cannot gain privileges, and have a
 * read-only root filesystem with tmpfs for the writable paths.  Secrets
 * reach the container as the service's `secrets_as` says: a variable
 * interpolated from the environment of `docker compose`, or a Compose
 * secret (a file under ./secrets/ beside compose.yaml, filled from the
 * secret store) named by NAME_FILE; no secret value is ever written.
 * Every '$' in every value is doubled by the YAML writer's value filter
 * (escape_compose), since Compose would otherwise interpolate it; the one
 * interpolation depc means, a secret's variable, is written through
 * yaml_str_interpolated from a checked name.  Reads only the model. */
#include <string.h>

#include "backends.h"
#include "composed.h"
#include "depgraph.h"
#include "emit_compose.h"
#include "escape.h"
#include "format.h"
#include "probe.h"
#include "yaml_out.h"

struct compose {
	struct yaml_out y;
	struct output *o;
	const struct model *m;
	const struct model_waits *waits; /* per service: the jobs it waits for */
};

/* The internal network of one `uses` edge: only `to` and `from` join
 * it, so two users of one service do not reach each other through it. */
static const char *edge_network(struct compose *c, const struct model_service *to,
				const struct model_service *from)
{
	return arena_printf(c->o->arena, "%s-from-%s", to->name, from->name);
}

/* The internal network of a service on no other: it reaches nothing. */
static const char *own_network(struct compose *c, const struct model_service *s)
{
	return arena_printf(c->o->arena, "%s-net", s->name);
}

static void put_build(struct compose *c, const struct model_service *s)
{
	struct arena *a = c->o->arena;
	const char *dockerfile = arena_printf(a, "%s/Dockerfile", s->name);
	yaml_key_map(&c->y, "build");
	yaml_kv_str(&c->y, "context", output_relative_source(c->o, s->build->context));
	/* Compose resolves `dockerfile` from the context, so point back. */
	yaml_kv_str(&c->y, "dockerfile", output_from_source(c->o, s->build->context, dockerfile));
	if (s->build->args) {
		yaml_key_map(&c->y, "args");
		for (const struct model_kv *kv = s->build->args; kv; kv = kv->next)
			yaml_kv_str(&c->y, kv->key, kv->value);
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

/* The shell variable `docker compose` reads a secret delivered as a
 * variable from: SECRET_ and the secret's name in capitals.  `:?` makes
 * Compose refuse to start when it is unset rather than pass "". */
const char *compose_secret_variable(struct arena *a, const struct model_secret *sec)
{
	char *v = arena_printf(a, "SECRET_%s", sec->name);
	for (char *p = v; *p; p++)
		*p = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A')
		   : ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ? *p : '_';
	return v;
}

const char *compose_secret_interpolation(struct arena *a, const struct model_secret *sec)
{
	return arena_printf(a, "${%s:?secret %s is not set}", compose_secret_variable(a, sec),
			    sec->name);
}

/* One secret contract on every target: with `secrets_as = env` the
 * variable NAME holds the value (interpolated from the environment of
 * `docker compose`, never written here); with `secrets_as = file` the
 * value is the Compose secret /run/secrets/SECRET, named by NAME_FILE. */
static void put_environment(struct compose *c, const struct model_service *s)
{
	if (!s->env && !s->secrets && !s->composed)
		return;
	struct arena *a = c->o->arena;
	yaml_key_map(&c->y, "environment");
	for (const struct model_kv *kv = s->env; kv; kv = kv->next)
		yaml_kv_str(&c->y, kv->key, kv->value);
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		if (s->secrets_as_file) {
			yaml_kv_str(&c->y, arena_printf(a, "%s_FILE", r->env),
				    arena_printf(a, "/run/secrets/%s", r->secret->name));
			continue;
		}
		yaml_str(&c->y, r->env);
		yaml_str_interpolated(&c->y, compose_secret_interpolation(a, r->secret));
	}
	compose_composed_env(&c->y, a, s);
	yaml_close(&c->y);
	if (!(s->secrets || s->composed) || !s->secrets_as_file)
		return;
	yaml_key_seq(&c->y, "secrets");
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
		yaml_str(&c->y, r->secret->name);
	compose_composed_secret_files(&c->y, s);
	yaml_close(&c->y);
}

/* Compose starts a service once each dependency is healthy (its
 * container runs a health check) or running (it runs none), as the
 * dependency graph says. */
static void put_depends(struct compose *c, const struct model_service *s)
{
	static const char *const condition[] = {
		[DEP_STARTED] = "service_started", [DEP_HEALTHY] = "service_healthy",
	};
	const struct dep_node *n = depgraph_node(c->m->deps, s);
	const struct model_waits *jobs = &c->waits[s->index];
	if (!n->edge_count && !jobs->count)
		return;
	yaml_key_map(&c->y, "depends_on");
	for (size_t i = 0; i < n->edge_count; i++) {
		yaml_key_map(&c->y, n->edges[i].to->name);
		yaml_kv_str(&c->y, "condition", condition[n->edges[i].condition]);
		yaml_close(&c->y);
	}
	/* A one-off job listing this service in `before` must have exited 0. */
	for (size_t j = 0; j < jobs->count; j++) {
		yaml_key_map(&c->y, jobs->jobs[j]->name);
		yaml_kv_str(&c->y, "condition", "service_completed_successfully");
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

/* A job waits for what it uses as a service does (depgraph.c's rule:
 * healthy when the used container runs a health check, else started). */
static void put_job_depends(struct compose *c, const struct model_service *run)
{
	if (!run->uses_count)
		return;
	yaml_key_map(&c->y, "depends_on");
	for (size_t i = 0; i < run->uses_count; i++) {
		const struct model_service *t = run->uses[i];
		yaml_key_map(&c->y, t->name);
		yaml_kv_str(&c->y, "condition", probe_command(c->o->arena, t, &t->health.check).count
			    ? "service_healthy" : "service_started");
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

static void put_healthcheck(struct compose *c, const struct model_service *s)
{
	struct arena *a = c->o->arena;
	const struct model_health *h = &s->health;
	struct model_strings cmd = probe_command(a, s, &h->check);
	if (!cmd.count)
		return;
	yaml_key_map(&c->y, "healthcheck");
	yaml_key_seq(&c->y, "test");
	yaml_str(&c->y, "CMD");
	for (size_t i = 0; i < cmd.count; i++)
		yaml_str(&c->y, cmd.items[i]);
	yaml_close(&c->y);
	yaml_kv_str(&c->y, "interval", format_duration(a, h->interval_ms));
	yaml_kv_str(&c->y, "timeout", format_duration(a, h->timeout_ms));
	yaml_kv_str(&c->y, "start_period", format_duration(a, h->start_ms));
	yaml_kv_int(&c->y, "retries", h->retries);
	yaml_close(&c->y);
}

/* Each service is alone on its networks unless `uses` joins it to
 * another's, as the Kubernetes NetworkPolicies allow: an ingress service
 * has a public network of its own, each `uses` edge an internal network
 * that only its two ends join, and a service with none of these an
 * internal network of its own (so two services that do not list each
 * other in `uses` share no network, users of one service included).  A
 * service with externals in `uses` joins a network of its own with a
 * route out, `NAME-egress`; the others have no route out at all. */
static bool public(const struct model *m, const struct model_service *s)
{
	(void)m;
	return s->ingress.set;
}

static const char *public_network(struct compose *c, const struct model_service *s)
{
	return arena_printf(c->o->arena, "%s-public", s->name);
}

static const char *egress_network(struct compose *c, const struct model_service *s)
{
	return arena_printf(c->o->arena, "%s-egress", s->name);
}

static bool alone(const struct model *m, const struct model_service *s)
{
	return !public(m, s) && !model_service_used(s) && !s->uses_count && !s->external_count;
}

static void put_networks(struct compose *c, const struct model_service *s)
{
	yaml_key_seq(&c->y, "networks");
	if (public(c->m, s))
		yaml_str(&c->y, public_network(c, s));
	if (s->external_count)
		yaml_str(&c->y, egress_network(c, s));
	for (size_t i = 0; i < s->used_by_count; i++)
		yaml_str(&c->y, edge_network(c, s, s->used_by[i]));
	for (size_t i = 0; i < s->uses_count; i++)
		yaml_str(&c->y, edge_network(c, s->uses[i], s));
	if (alone(c->m, s))
		yaml_str(&c->y, own_network(c, s));
	yaml_close(&c->y);
}

static void put_hardening(struct compose *c, const struct model_service *s)
{
	yaml_kv_str(&c->y, "user", arena_printf(c->o->arena, "%d:%d", s->user, s->user));
	yaml_kv_bool(&c->y, "read_only", s->read_only);
	if (s->tmpfs.count || compose_composed_wraps(s)) {
		yaml_key_seq(&c->y, "tmpfs");
		for (size_t i = 0; i < s->tmpfs.count; i++)
			yaml_str(&c->y, s->tmpfs.items[i]);
		if (compose_composed_wraps(s)) /* where composed values are written */
			yaml_str(&c->y, COMPOSED_DIR);
		yaml_close(&c->y);
	}
	yaml_key_seq(&c->y, "cap_drop");
	yaml_str(&c->y, "ALL");
	yaml_close(&c->y);
	yaml_key_seq(&c->y, "security_opt");
	yaml_str(&c->y, "no-new-privileges:true");
	yaml_close(&c->y);
}

static void put_resources(struct compose *c, const struct model_service *s)
{
	struct arena *a = c->o->arena;
	if (!s->cpu.set && !s->memory.set)
		return;
	yaml_key_map(&c->y, "resources");
	for (int limit = 1; limit >= 0; limit--) {
		yaml_key_map(&c->y, limit ? "limits" : "reservations");
		if (s->cpu.set)
			yaml_kv_str(&c->y, "cpus", format_docker_cpus(a, limit ? s->cpu.limit : s->cpu.request));
		if (s->memory.set)
			yaml_kv_str(&c->y, "memory", format_docker_memory(a,
				    limit ? s->memory.limit : s->memory.request));
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

/* The file is for `docker compose` (Compose v2), not a Swarm stack:
 * `build` and `depends_on` are what make it run, and Swarm ignores both.
 * So deploy holds only what `docker compose up` honours (replicas and
 * resources); update_config, rollback_config and placement are Swarm's
 * and left out (--report says so).  The restart policy is the engine's
 * own `restart`, which takes a retry count with on-failure only. */
static void put_restart(struct compose *c, const struct model_service *s)
{
	if (!strcmp(s->restart, "on-failure") && s->max_attempts > 0)
		yaml_kv_str(&c->y, "restart", arena_printf(c->o->arena, "on-failure:%d", s->max_attempts));
	else
		yaml_kv_str(&c->y, "restart", s->restart);
}

static void put_deploy(struct compose *c, const struct model_service *s)
{
	yaml_key_map(&c->y, "deploy");
	yaml_kv_int(&c->y, "replicas", s->replicas);
	put_resources(c, s);
	yaml_close(&c->y);
}

/* Replicas of one service cannot share a host port under `docker
 * compose`: with more than one, Docker picks a free host port for each
 * (`docker compose port --index N` names it), so no two services' ports
 * can collide either. */
static const char *published(struct arena *a, const struct model_service *s)
{
	if (s->replicas > 1)
		return arena_printf(a, "0.0.0.0::%d", s->port);
	return arena_printf(a, "0.0.0.0:%d:%d", s->port, s->port);
}

static void put_service(struct compose *c, const struct model_service *s)
{
	struct arena *a = c->o->arena;
	char image[512];
	yaml_key_map(&c->y, s->name);
	if (s->build)
		put_build(c, s);
	yaml_kv_str(&c->y, "image", model_service_image(c->m, s, image, sizeof image));
	if (compose_composed_wraps(s)) {
		compose_composed_command(&c->y, a, s);
	} else if (s->command.count) {
		yaml_key_seq(&c->y, "command");
		for (size_t i = 0; i < s->command.count; i++)
			yaml_str(&c->y, s->command.items[i]);
		yaml_close(&c->y);
	}
	if (s->ingress.set && s->port) {
		yaml_key_seq(&c->y, "ports");
		/* An ingress service is public by definition; say so explicitly. */
		yaml_str(&c->y, published(a, s));
		yaml_close(&c->y);
	}
	put_environment(c, s);
	put_depends(c, s);
	put_healthcheck(c, s);
	put_networks(c, s);
	if (s->volume) {
		yaml_key_seq(&c->y, "volumes");
		yaml_str(&c->y, arena_printf(a, "%s:%s", s->volume->name, s->data_path));
		yaml_close(&c->y);
	}
	put_hardening(c, s);
	put_restart(c, s);
	put_deploy(c, s);
	yaml_close(&c->y);
}

/* A job is a container that runs to completion: never restarted, and
 * the services in its `before` wait for it to exit 0.  A scheduled job
 * is in the "jobs" profile, so `up` leaves it alone and `docker compose
 * run --rm NAME` runs it; Compose has no scheduler (--report says so). */
static void put_job(struct compose *c, const struct model_job *j)
{
	const struct model_service *s = j->run;
	char image[512];
	yaml_key_map(&c->y, j->name);
	/* `from` a built service: the same build, so the image exists
	 * locally under its name whichever service Compose builds first. */
	if (s->build || (j->from && j->from->build))
		put_build(c, s->build ? s : j->from);
	yaml_kv_str(&c->y, "image", model_service_image(c->m, s, image, sizeof image));
	if (model_job_scheduled(j)) {
		yaml_key_seq(&c->y, "profiles");
		yaml_str(&c->y, "jobs");
		yaml_close(&c->y);
	}
	if (s->command.count) {
		yaml_key_seq(&c->y, "command");
		for (size_t i = 0; i < s->command.count; i++)
			yaml_str(&c->y, s->command.items[i]);
		yaml_close(&c->y);
	}
	put_environment(c, s);
	put_job_depends(c, s);
	put_networks(c, s);
	put_hardening(c, s);
	yaml_kv_str(&c->y, "restart", "no");
	put_deploy(c, s);
	yaml_close(&c->y);
}

static void put_networks_top(struct compose *c)
{
	yaml_key_map(&c->y, "networks");
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_service *s = c->m->services[i];
		if (public(c->m, s)) {
			yaml_key_map(&c->y, public_network(c, s));
			yaml_close(&c->y);
		}
		if (s->external_count) {
			/* not internal: the route out to the externals */
			yaml_key_map(&c->y, egress_network(c, s));
			yaml_close(&c->y);
		}
		for (size_t j = 0; j < s->used_by_count; j++) {
			yaml_key_map(&c->y, edge_network(c, s, s->used_by[j]));
			yaml_kv_bool(&c->y, "internal", true);
			yaml_close(&c->y);
		}
		if (!alone(c->m, s))
			continue;
		yaml_key_map(&c->y, own_network(c, s));
		yaml_kv_bool(&c->y, "internal", true);
		yaml_close(&c->y);
	}
	/* A job's `uses` edges are in its services' used_by, above. */
	for (size_t i = 0; i < c->m->job_count; i++) {
		const struct model_service *s = c->m->jobs[i]->run;
		if (public(c->m, s)) {
			yaml_key_map(&c->y, public_network(c, s));
			yaml_close(&c->y);
		}
		if (!alone(c->m, s))
			continue;
		yaml_key_map(&c->y, own_network(c, s));
		yaml_kv_bool(&c->y, "internal", true);
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

/* The volumes some service mounts, in the model's order: one pass over
 * the services into a set, where asking every service about every
 * volume made 50,000 services take seconds. */
static void put_volumes_top(struct compose *c)
{
	struct strmap used;
	strmap_init(&used, c->o->arena);
	for (size_t i = 0; i < c->m->service_count; i++) {
		const struct model_volume *vol = c->m->services[i]->volume;
		if (vol)
			strmap_add(&used, vol->name, (void *)vol);
	}
	if (!used.count)
		return;
	yaml_key_map(&c->y, "volumes");
	for (size_t v = 0; v < c->m->volume_count; v++) {
		const struct model_volume *vol = c->m->volumes[v];
		if (strmap_get(&used, vol->name) != vol)
			continue;
		yaml_key_map(&c->y, vol->name);
		if (vol->class)
			yaml_kv_str(&c->y, "driver", vol->class);
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

/* The secrets some service reads as a file (a Compose secret each), by
 * name, and whether any is read as a variable: one pass over the refs. */
struct secret_use {
	struct strmap files;
	bool any_file, any_var;
};

static void secret_use_of(const struct model_service *s, struct secret_use *u)
{
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		if (!s->secrets_as_file) {
			u->any_var = true;
			continue;
		}
		u->any_file = true;
		if (!strmap_get(&u->files, r->secret->name))
			strmap_add(&u->files, r->secret->name, r->secret);
	}
	for (const struct model_composed *c = s->composed; c; c = c->next)
		for (const struct model_composed_part *q = c->parts; q; q = q->next) {
			if (!q->secret)
				continue;
			u->any_var |= !s->secrets_as_file;
			u->any_file |= s->secrets_as_file;
			if (s->secrets_as_file && !strmap_get(&u->files, q->secret->name))
				strmap_add(&u->files, q->secret->name, q->secret);
		}
}

static void secret_use(const struct model *m, struct arena *a, struct secret_use *u)
{
	strmap_init(&u->files, a);
	u->any_file = u->any_var = false;
	for (size_t i = 0; i < m->service_count; i++)
		secret_use_of(m->services[i], u);
	for (size_t i = 0; i < m->job_count; i++)
		secret_use_of(m->jobs[i]->run, u);
}

static void put_secrets_top(struct compose *c, const struct secret_use *u)
{
	if (!u->any_file)
		return;
	yaml_key_map(&c->y, "secrets");
	for (size_t i = 0; i < c->m->secret_count; i++) {
		const struct model_secret *sec = c->m->secrets[i];
		if (!strmap_get(&u->files, sec->name))
			continue;
		yaml_key_map(&c->y, sec->name);
		yaml_kv_str(&c->y, "file", arena_printf(c->o->arena, "./secrets/%s", sec->name));
		yaml_close(&c->y);
	}
	yaml_close(&c->y);
}

/* Where each secret's value comes from, so the file says how to run it. */
static void put_secret_help(struct strbuf *b, const struct model *m, const struct secret_use *u,
			    struct arena *a)
{
	yaml_comment(b, a, "for `docker compose` (Compose v2), not `docker stack deploy`");
	if (u->any_var) {
		yaml_comment(b, a, "secrets read as variables: export SECRET_NAME (the secret's name in");
		yaml_comment(b, a, arena_printf(a, "capitals) from the %s store before `docker compose up`",
						m->app.vault));
	}
	if (u->any_file) {
		yaml_comment(b, a, "secrets read as files: put each one's value in ./secrets/NAME beside");
		yaml_comment(b, a, arena_printf(a, "this file, fetched from the %s store; .gitignore keeps",
						m->app.vault));
		yaml_comment(b, a, "them out of git and each Dockerfile.dockerignore out of images");
	}
	if (u->any_var || u->any_file)
		yaml_comment(b, a, "no secret value is ever part of this file");
}

/* Policy rules the source allows are named with their reasons, so an
 * exception is visible where the configuration is read. */
static void put_exceptions(struct strbuf *b, const struct model *m, struct arena *a)
{
	bool any = m->app.allows != NULL;
	for (size_t i = 0; i < m->service_count; i++)
		any |= m->services[i]->allows != NULL;
	for (size_t i = 0; i < m->job_count; i++)
		any |= m->jobs[i]->run->allows != NULL;
	for (size_t i = 0; i < m->secret_count; i++)
		any |= m->secrets[i]->allows != NULL;
	for (size_t i = 0; i < m->volume_count; i++)
		any |= m->volumes[i]->allows != NULL;
	if (!any)
		return;
	yaml_comment(b, a, "policy exceptions allowed in the source:");
	yaml_comment_allows(b, a, arena_printf(a, "app %s", m->app.name), m->app.allows);
	for (size_t i = 0; i < m->service_count; i++)
		yaml_comment_allows(b, a, arena_printf(a, "service %s", m->services[i]->name),
				    m->services[i]->allows);
	for (size_t i = 0; i < m->job_count; i++)
		yaml_comment_allows(b, a, arena_printf(a, "job %s", m->jobs[i]->name),
				    m->jobs[i]->run->allows);
	for (size_t i = 0; i < m->secret_count; i++)
		yaml_comment_allows(b, a, arena_printf(a, "secret %s", m->secrets[i]->name),
				    m->secrets[i]->allows);
	for (size_t i = 0; i < m->volume_count; i++)
		yaml_comment_allows(b, a, arena_printf(a, "volume %s", m->volumes[i]->name),
				    m->volumes[i]->allows);
}

/* Compose has no pull credentials: Docker's own login serves each
 * private registry an image comes from (--report says so too). */
static void put_registry_logins(struct strbuf *b, const struct model *m, struct arena *a)
{
	for (size_t i = 0; i < m->registry_count; i++) {
		const struct model_registry *r = m->registries[i];
		if (!r->image_count)
			continue;
		yaml_comment(b, a, arena_printf(a, "images from registry %s: run `docker login %s` first, "
						"with the credential in secret %s", r->name,
						r->host, r->credential->name));
	}
}

/* The secret files Compose reads never belong in a commit. */
static bool gitignore(const struct model *m, struct output *o)
{
	bool any = false;
	for (size_t i = 0; i < m->secret_count; i++)
		any |= model_secret_used(m->secrets[i]);
	if (!any)
		return true;
	struct strbuf *b = output_add(o, ".gitignore");
	if (!b)
		return false;
	yaml_comment(b, o->arena, output_banner(o)); /* '#' comments, as in YAML */
	yaml_comment(b, o->arena, "the secret values Compose reads; never committed");
	strbuf_puts(b, "/secrets/\n");
	return true;
}

bool emit_compose(const struct model *m, struct output *o)
{
	if (!gitignore(m, o))
		return false;
	struct strbuf *b = output_add(o, "compose.yaml");
	if (!b)
		return false;
	yaml_comment(b, o->arena, output_banner(o));
	struct secret_use use;
	secret_use(m, o->arena, &use);
	put_secret_help(b, m, &use, o->arena);
	put_registry_logins(b, m, o->arena);
	put_exceptions(b, m, o->arena);
	struct compose c = { .o = o, .m = m, .waits = model_waits_of(m, o->arena) };
	yaml_begin(&c.y, b);
	/* Compose interpolates every value: '$' is doubled in all of them
	 * here, so no backend code can write one that Compose would expand. */
	yaml_set_value_filter(&c.y, escape_compose, o->arena);
	yaml_map(&c.y);
	yaml_key_map(&c.y, "services");
	for (size_t i = 0; i < m->service_count; i++)
		put_service(&c, m->services[i]);
	for (size_t i = 0; i < m->job_count; i++)
		put_job(&c, m->jobs[i]);
	yaml_close(&c.y);
	put_networks_top(&c);
	put_volumes_top(&c);
	put_secrets_top(&c, &use);
	yaml_close(&c.y);
	if (!yaml_end(&c.y)) {
		o->error = "the YAML emitter failed while writing compose.yaml";
		return false;
	}
	return true;
}
