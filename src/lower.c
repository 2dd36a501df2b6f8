/* lower.c - typed declarations to the model backends read.
 *
 * Runs only on a program without errors, so every required field is
 * present and every value has its type; this file only reshapes, fills
 * in facts derived from several places (a probe's default port is the
 * service's port, a volume named by a service but never declared gets
 * default settings) and keeps each object's source range. */
#include "model.h"

#include <assert.h>
#include <string.h>

#include "lower_registry.h"
#include "typed.h"

#define NEW(p, type) ((type *)arena_alloc((p)->arena, sizeof(type)))

static const char *str(const struct tblock *b, const char *f)
{
	struct tval *v = tblock_get(b, f);
	return v ? v->u.s : NULL;
}

static int64_t num(const struct tblock *b, const char *f)
{
	struct tval *v = tblock_get(b, f);
	return v ? v->u.i : 0;
}

static double real(const struct tblock *b, const char *f)
{
	struct tval *v = tblock_get(b, f);
	return v ? v->u.d : 0;
}

static bool flag(const struct tblock *b, const char *f)
{
	struct tval *v = tblock_get(b, f);
	return v && v->u.b;
}

static const struct tblock *sub(const struct tblock *b, const char *f)
{
	struct tval *v = tblock_get(b, f);
	return v ? v->u.block : NULL;
}

/* Where a model object was written: nowhere for NULL (a default). */
struct model_origin lower_origin(const struct ast_node *n)
{
	struct model_origin o = { NULL, { 0, 0 } };
	if (n) {
		o.src = n->src;
		o.span = n->span;
	}
	return o;
}

/* Text that goes into generated files is text the checker produced; a
 * secret is a TY_REF, so it cannot land here: secrets reach the model
 * only through secret_refs(), and struct model_secret has no field that
 * could hold a value (the secret-flow rule, policy_text.c). */
static const char *plain_text(const struct tval *v)
{
	assert(v->type != TY_REF && v->type != TY_BLOCK);
	return v->u.s;
}

static struct model_strings strings(struct program *p, const struct tval *list)
{
	struct model_strings s = { NULL, 0 };
	if (!list)
		return s;
	for (const struct tval *v = list->u.items; v; v = v->next)
		s.count++;
	s.items = arena_calloc(p->arena, s.count ? s.count : 1, sizeof *s.items);
	size_t i = 0;
	for (const struct tval *v = list->u.items; v; v = v->next)
		s.items[i++] = plain_text(v);
	return s;
}

static struct model_kv *kvs(struct program *p, const struct tval *map)
{
	struct model_kv *head = NULL, **tail = &head;
	for (const struct tval *v = map ? map->u.items : NULL; v; v = v->next) {
		struct model_kv *kv = NEW(p, struct model_kv);
		kv->key = v->key;
		kv->value = plain_text(v);
		*tail = kv;
		tail = &kv->next;
	}
	return head;
}

/* --- app, secrets, volumes -------------------------------------------- */

static void lower_app(struct program *p, struct model *m)
{
	struct decl *d = program_find_kind(p, "app");
	const struct tblock *b = d ? d->typed : NULL;
	m->app.name = d ? d->name : "app";
	m->app.version = b ? str(b, "version") : "latest";
	m->app.registry = b ? str(b, "registry") : NULL;
	m->app.domain = b ? str(b, "domain") : NULL;
	m->app.vault = b ? str(b, "vault") : "aws-secretsmanager";
	m->app.repository = b ? str(b, "repository") : NULL;
	const char *ns = b ? str(b, "namespace") : NULL;
	m->app.namespace = ns ? ns : p->env ? p->env : m->app.name;
	m->app.origin = lower_origin(d ? d->block : NULL);
	m->app.allows = lower_allows(p, b);
}

static struct model_secret *lower_secret(struct program *p, struct decl *d)
{
	struct model_secret *s = NEW(p, struct model_secret);
	s->name = d->name;
	s->vault_path = str(d->typed, "vault");
	s->property = str(d->typed, "property");
	s->rotate_ms = num(d->typed, "rotate");
	s->origin = lower_origin(d->block);
	s->allows = lower_allows(p, d->typed);
	return s;
}

static struct model_volume *lower_volume(struct program *p, struct decl *d)
{
	struct model_volume *v = NEW(p, struct model_volume);
	v->name = d->name;
	v->size_bytes = num(d->typed, "size");
	v->class = str(d->typed, "class");
	v->declared = true;
	v->origin = lower_origin(d->block);
	v->allows = lower_allows(p, d->typed);
	return v;
}

/* A volume a service names without declaring it: 1Gi, default class. */
static struct model_volume *volume_named(struct program *p, struct model *m,
					 const char *name, const struct ast_node *at)
{
	struct model_volume *v = strmap_get(&m->volume_index, name);
	if (v)
		return v;
	v = NEW(p, struct model_volume);
	v->name = name;
	v->size_bytes = 1024LL * 1024 * 1024;
	v->origin = lower_origin(at);
	m->volumes[m->volume_count++] = v;  /* room for one per service */
	strmap_add(&m->volume_index, name, v);
	return v;
}

/* --- services ----------------------------------------------------------- */

static struct model_probe probe(struct program *p, const struct tval *v, int port)
{
	struct model_probe pr = { .kind = PROBE_NONE };
	if (!v)
		return pr;
	const char *name = v->u.call.ctor->name;
	struct tval **args = v->u.call.args;
	if (!strcmp(name, "http")) {
		pr.kind = PROBE_HTTP;
		pr.path = args[0]->u.s;
		pr.port = args[1] ? (int)args[1]->u.i : port;
	} else if (!strcmp(name, "tcp")) {
		pr.kind = PROBE_TCP;
		pr.port = args[0] ? (int)args[0]->u.i : port;
	} else {
		struct tval list = { .type = TY_LIST, .u.items = args[0] };
		pr.kind = PROBE_EXEC;
		pr.command = strings(p, &list);
	}
	return pr;
}

/* Docker, Compose and ECS run one check: readiness says most about
 * whether the service can do its job, then liveness, then startup. */
static void lower_health(struct program *p, struct model_service *s, const struct tblock *b,
			 const struct tblock *svc)
{
	struct model_health *h = &s->health;
	const struct tblock *dflt = b;
	h->declared = tblock_get(svc, "health") != NULL;
	if (!b)
		return;
	h->liveness = probe(p, tblock_get(b, "liveness"), s->port);
	h->readiness = probe(p, tblock_get(b, "readiness"), s->port);
	h->startup = probe(p, tblock_get(b, "startup"), s->port);
	h->check = h->readiness.kind ? h->readiness : h->liveness.kind ? h->liveness : h->startup;
	h->interval_ms = num(dflt, "interval");
	h->timeout_ms = num(dflt, "timeout");
	/* The default timeout (5s) must not outlast a shorter interval that
	 * was written: it becomes the largest whole second below it, a value
	 * every target states.  A timeout written as long as the interval is
	 * an error (E0340). */
	const struct tval *t = tblock_get(dflt, "timeout");
	int64_t below = (h->interval_ms - 1) / 1000 * 1000;
	if ((!t || !t->node) && h->timeout_ms >= h->interval_ms && below >= 1000)
		h->timeout_ms = below;
	h->start_ms = num(dflt, "start");
	h->retries = (int)num(dflt, "retries");
}

static struct model_range range(const struct tblock *b, const char *f)
{
	struct model_range r = { false, 0, 0 };
	struct tval *v = tblock_get(b, f);
	if (v) {
		r.set = true;
		r.request = v->u.range.lo->u.i;
		r.limit = v->u.range.hi->u.i;
	}
	return r;
}

static enum model_runtime runtime_of(const char *s)
{
	if (!strcmp(s, "node")) return RUNTIME_NODE;
	if (!strcmp(s, "python")) return RUNTIME_PYTHON;
	if (!strcmp(s, "go")) return RUNTIME_GO;
	if (!strcmp(s, "java")) return RUNTIME_JAVA;
	if (!strcmp(s, "dotnet")) return RUNTIME_DOTNET;
	if (!strcmp(s, "php")) return RUNTIME_PHP;
	if (!strcmp(s, "rust")) return RUNTIME_RUST;
	if (!strcmp(s, "ruby")) return RUNTIME_RUBY;
	return RUNTIME_STATIC;
}

static struct model_build *lower_build(struct program *p, const struct tblock *b)
{
	if (!b)
		return NULL;
	struct model_build *m = NEW(p, struct model_build);
	m->runtime = runtime_of(str(b, "runtime"));
	m->version = str(b, "version");
	m->context = str(b, "context");
	m->install = str(b, "install");
	m->manifests = strings(p, tblock_get(b, "manifests"));
	m->compile = str(b, "compile");
	m->outputs = strings(p, tblock_get(b, "outputs"));
	m->start = strings(p, tblock_get(b, "start"));
	m->args = kvs(p, tblock_get(b, "args"));
	m->ignore = strings(p, tblock_get(b, "ignore"));
	const char *tool = str(b, "probe");
	m->probe_tool = !strcmp(tool, "wget") ? PROBE_TOOL_WGET
			: !strcmp(tool, "none") ? PROBE_TOOL_NONE : PROBE_TOOL_RUNTIME;
	return m;
}

static struct model_secret_ref *secret_refs(struct program *p, const struct tval *map)
{
	struct model_secret_ref *head = NULL, **tail = &head;
	for (const struct tval *v = map ? map->u.items : NULL; v; v = v->next) {
		/* "${secret}" alone is the secret itself; other strings are composed */
		bool composed = v->type == TY_LIST;
		const struct tval *ref = composed && !v->u.items->next &&
					 v->u.items->type == TY_REF ? v->u.items : v;
		if (ref->type != TY_REF)
			continue;
		struct model_secret_ref *r = NEW(p, struct model_secret_ref);
		r->env = v->key;
		r->secret = ref->u.ref->model;
		*tail = r;
		tail = &r->next;
	}
	return head;
}

static void lower_ingress(struct model_service *s, const struct tblock *b)
{
	if (!b)
		return;
	s->ingress.set = true;
	s->ingress.host = str(b, "host");
	s->ingress.tls_issuer = str(b, "tls");
	s->ingress.class = str(b, "class");
	s->ingress.path = str(b, "path");
	s->ingress.controller = str(b, "controller");
	s->ingress.access_log = flag(b, "access_log");
}

static void lower_metrics(struct model_service *s, const struct tblock *b)
{
	if (!b)
		return;
	s->metrics.set = true;
	s->metrics.path = str(b, "path");
	s->metrics.port = tblock_get(b, "port") ? (int)num(b, "port") : s->port;
	s->metrics.slo_latency_ms = num(b, "slo_latency");
	s->metrics.slo_error_percent = real(b, "slo_errors");
	s->metrics.requests_metric = str(b, "requests_metric");
	s->metrics.latency_metric = str(b, "latency_metric");
	s->metrics.status_label = str(b, "status_label");
}

static void lower_rollout(struct model_service *s, const struct tblock *b)
{
	s->rollout.parallelism = b ? (int)num(b, "parallelism") : 1;
	s->rollout.delay_ms = b ? num(b, "delay") : 10000;
	const char *f = b ? str(b, "on_failure") : "rollback";
	s->rollout.on_failure = !strcmp(f, "pause") ? ON_FAILURE_PAUSE
				: !strcmp(f, "continue") ? ON_FAILURE_CONTINUE : ON_FAILURE_ROLLBACK;
}

static void lower_autoscale(struct model_service *s, const struct tblock *b)
{
	if (!b)
		return;
	s->autoscale.set = true;
	s->autoscale.min = (int)num(b, "min");
	s->autoscale.max = (int)num(b, "max");
	s->autoscale.cpu_percent = real(b, "cpu");
}

static void lower_runtime(struct program *p, struct model *m, struct model_service *s,
			  const struct tblock *b)
{
	const char *vol = str(b, "volume");
	if (vol)
		s->volume = volume_named(p, m, vol, tblock_get(b, "volume")->node);
	s->data_path = str(b, "data");
	s->stateful = flag(b, "stateful");
	s->user = (int)num(b, "user");
	s->read_only = flag(b, "read_only");
	s->tmpfs = strings(p, tblock_get(b, "tmpfs"));
	s->restart = str(b, "restart");
	s->secrets_as_file = !strcmp(str(b, "secrets_as"), "file");
	s->wait_for = str(b, "wait_for");
	s->max_attempts = (int)num(b, "max_attempts");
	s->placement = strings(p, tblock_get(b, "placement"));
	s->command = strings(p, tblock_get(b, "command"));
}

struct model_service *lower_service(struct program *p, struct model *m, struct decl *d)
{
	const struct tblock *b = d->typed;
	struct model_service *s = NEW(p, struct model_service);
	s->name = d->name;
	s->image = str(b, "image");
	s->build = lower_build(p, sub(b, "build"));
	s->port = (int)num(b, "port");
	s->replicas = (int)num(b, "replicas");
	s->env = kvs(p, tblock_get(b, "env"));
	s->secrets = secret_refs(p, tblock_get(b, "secrets"));
	s->composed = lower_composed(p, tblock_get(b, "secrets"));
	lower_health(p, s, sub(b, "health"), b);
	s->cpu = range(sub(b, "resources"), "cpu");
	s->memory = range(sub(b, "resources"), "memory");
	lower_ingress(s, sub(b, "ingress"));
	lower_metrics(s, sub(b, "metrics"));
	lower_rollout(s, sub(b, "rollout"));
	lower_autoscale(s, sub(b, "autoscale"));
	lower_runtime(p, m, s, b);
	s->origin = lower_origin(d->block);
	s->allows = lower_allows(p, b);
	s->alert_tunings = lower_alert_tunings(p, tblock_get(b, "alerts"));
	return s;
}

/* `uses` is resolved after every service exists, since a service may use
 * one declared below it. */
void link_uses(struct program *p, struct decl *d)
{
	struct model_service *s = d->model;
	struct tval *uses = tblock_get(d->typed, "uses");
	size_t n = 0;
	for (struct tval *v = uses ? uses->u.items : NULL; v; v = v->next)
		n++;
	s->uses = arena_calloc(p->arena, n + 1, sizeof *s->uses);
	s->externals = arena_calloc(p->arena, n + 1, sizeof *s->externals);
	/* externals are reached through `uses` too, but are no services */
	for (struct tval *v = uses ? uses->u.items : NULL; v; v = v->next)
		if (!strcmp(v->u.ref->kind->name, "external"))
			s->externals[s->external_count++] = v->u.ref->model;
		else
			s->uses[s->uses_count++] = v->u.ref->model;
}

/* --- pipeline, cloud, monitor ---------------------------------------- */

static struct model_deploy *deploys(struct program *p, const struct tval *list,
				    const struct model *m)
{
	struct model_deploy *head = NULL, **tail = &head;
	for (const struct tval *v = list ? list->u.items : NULL; v; v = v->next) {
		struct model_deploy *d = NEW(p, struct model_deploy);
		struct tval **args = v->u.call.args;
		if (!strcmp(v->u.call.ctor->name, "ecs")) {
			d->kind = DEPLOY_ECS;
			d->cluster = args[0] ? args[0]->u.s : NULL;
			d->service = args[1] ? args[1]->u.ref->model : NULL;
		} else {
			d->kind = DEPLOY_KUBERNETES;
			d->namespace = args[0] ? args[0]->u.s : m->app.namespace;
		}
		*tail = d;
		tail = &d->next;
	}
	return head;
}

static struct model_pipeline *lower_pipeline(struct program *p, const struct model *m)
{
	struct decl *d = program_find_kind(p, "pipeline");
	if (!d)
		return NULL;
	const struct tblock *b = d->typed, *on = sub(b, "on");
	struct model_pipeline *pl = NEW(p, struct model_pipeline);
	pl->push = strings(p, on ? tblock_get(on, "push") : NULL);
	pl->pull_request = strings(p, on ? tblock_get(on, "pull_request") : NULL);
	pl->tags = strings(p, on ? tblock_get(on, "tags") : NULL);
	pl->schedule = on ? str(on, "schedule") : NULL;
	pl->steps = strings(p, tblock_get(b, "steps"));
	pl->scan = str(b, "scan");
	const struct tval *pub = tblock_get(b, "publish");
	pl->publish = pub && pub->type == TY_ENUM ? pub->u.s : NULL; /* a registry: lower_publish */
	pl->deploys = deploys(p, tblock_get(b, "deploy"), m);
	pl->runner = str(b, "runner");
	pl->pin_sha = !strcmp(str(b, "pin"), "sha");
	pl->environment = str(b, "environment");
	pl->node = str(b, "node");
	pl->python = str(b, "python");
	pl->go = str(b, "go");
	pl->origin = lower_origin(d->block);
	pl->allows = lower_allows(p, b);
	return pl;
}

static struct model_cloud *lower_cloud(struct program *p)
{
	struct decl *d = program_find_kind(p, "cloud");
	if (!d)
		return NULL;
	const struct tblock *b = d->typed, *vpc = sub(b, "vpc"), *ecs = sub(b, "ecs");
	struct model_cloud *c = NEW(p, struct model_cloud);
	c->provider = d->name;
	c->region = str(b, "region");
	c->vpc_cidr = vpc ? str(vpc, "cidr") : NULL;
	c->zones = vpc ? (int)num(vpc, "zones") : 2;
	c->has_ecs = ecs != NULL;
	c->ecs_cluster = ecs ? str(ecs, "cluster") : NULL;
	c->insights = ecs ? flag(ecs, "insights") : false;
	c->task_cpu = ecs ? (int)num(ecs, "cpu") : 256;
	c->task_memory = ecs ? (int)num(ecs, "memory") : 512;
	c->log_retention_ms = num(b, "logs");
	c->audit = flag(b, "audit");
	c->origin = lower_origin(d->block);
	c->allows = lower_allows(p, b);
	return c;
}

static struct model_dashboard *dashboards(struct program *p, const struct tval *list)
{
	struct model_dashboard *head = NULL, **tail = &head;
	for (const struct tval *v = list ? list->u.items : NULL; v; v = v->next) {
		const struct tblock *b = v->u.block;
		struct model_dashboard *d = NEW(p, struct model_dashboard);
		d->title = b->label;
		d->origin = lower_origin(b->node);
		if (b->node && b->node->u.block.label)
			d->origin.span = b->node->u.block.label_span;
		d->tags = strings(p, tblock_get(b, "tags"));
		d->refresh_ms = num(b, "refresh");
		struct model_panel **pt = &d->panels;
		struct tval *panels = tblock_get(b, "panel");
		for (const struct tval *pv = panels ? panels->u.items : NULL; pv; pv = pv->next) {
			struct model_panel *pn = NEW(p, struct model_panel);
			pn->title = pv->u.block->label;
			pn->query = str(pv->u.block, "query");
			pn->legend = str(pv->u.block, "legend");
			pn->type = str(pv->u.block, "type");
			pn->unit = str(pv->u.block, "unit");
			*pt = pn;
			pt = &pn->next;
		}
		*tail = d;
		tail = &d->next;
	}
	return head;
}

static struct model_alert *alerts(struct program *p, const struct tval *list)
{
	struct model_alert *head = NULL, **tail = &head;
	for (const struct tval *v = list ? list->u.items : NULL; v; v = v->next) {
		const struct tblock *b = v->u.block;
		struct model_alert *a = NEW(p, struct model_alert);
		a->name = b->label;
		a->expr = str(b, "expr");
		a->for_ms = num(b, "for");
		a->severity = str(b, "severity");
		a->summary = str(b, "summary");
		*tail = a;
		tail = &a->next;
	}
	return head;
}

static struct model_monitor *lower_monitor(struct program *p)
{
	struct decl *d = program_find_kind(p, "monitor");
	if (!d)
		return NULL;
	const struct tblock *b = d->typed;
	struct model_monitor *mon = NEW(p, struct model_monitor);
	mon->scrape_ms = num(b, "scrape");
	mon->evaluate_ms = num(b, "evaluate");
	mon->alerting = str(b, "alerting");
	mon->node_exporter = flag(b, "node_exporter");
	mon->discovery = str(b, "discovery");
	mon->operator_crds = flag(b, "operator");
	mon->dashboards = dashboards(p, tblock_get(b, "dashboard"));
	mon->alerts = alerts(p, tblock_get(b, "alert"));
	mon->origin = lower_origin(d->block);
	mon->allows = lower_allows(p, b);
	return mon;
}

/* --- the whole model ---------------------------------------------------- */

/* Who uses a service and who reads a secret, found once here: backends
 * ask per service, and a scan of every service each time would make a
 * build quadratic in the number of services. */
static void link_reverse(struct program *p, struct model *m)
{
	strmap_init(&m->service_index, p->arena);
	for (size_t i = 0; i < m->service_count; i++) {
		struct model_service *s = m->services[i];
		s->index = i;
		strmap_add(&m->service_index, s->name, s);
		for (size_t u = 0; u < s->uses_count; u++)
			s->uses[u]->used_by_count++;
		for (struct model_secret_ref *r = s->secrets; r; r = r->next)
			r->secret->reader_count++;
		for (struct model_composed *v = s->composed; v; v = v->next)
			for (struct model_composed_part *q = v->parts; q; q = q->next)
				if (q->secret)
					q->secret->composed_count++;
	}
	/* A job's container uses services and reads secrets as a service does. */
	for (size_t j = 0; j < m->job_count; j++) {
		struct model_service *s = m->jobs[j]->run;
		for (size_t u = 0; u < s->uses_count; u++)
			s->uses[u]->used_by_count++;
		for (struct model_secret_ref *r = s->secrets; r; r = r->next)
			r->secret->reader_count++;
	}
	for (size_t i = 0; i < m->service_count; i++) {
		struct model_service *s = m->services[i];
		s->used_by = arena_calloc(p->arena, s->used_by_count + 1, sizeof *s->used_by);
		s->used_by_count = 0;
	}
	for (size_t i = 0; i < m->service_count; i++)
		for (size_t u = 0; u < m->services[i]->uses_count; u++) {
			struct model_service *t = m->services[i]->uses[u];
			t->used_by[t->used_by_count++] = m->services[i];
		}
	for (size_t j = 0; j < m->job_count; j++)
		for (size_t u = 0; u < m->jobs[j]->run->uses_count; u++) {
			struct model_service *t = m->jobs[j]->run->uses[u];
			t->used_by[t->used_by_count++] = m->jobs[j]->run;
		}
}

/* Declarations are told apart by their kind's schema entry, one per
 * kind: an address compared, not a name. */
static size_t count_kind(struct program *p, const struct kind *kind)
{
	size_t n = 0;
	for (struct decl *d = p->decls; d; d = d->next)
		n += d->kind == kind;
	return n;
}

static void lower_declared(struct program *p, struct model *m)
{
	const struct kind *secret = schema_kind("secret"), *volume = schema_kind("volume");
	const struct kind *service = schema_kind("service");
	m->secrets = arena_calloc(p->arena, count_kind(p, secret) + 1, sizeof *m->secrets);
	size_t services = count_kind(p, service);
	m->volumes = arena_calloc(p->arena, count_kind(p, volume) + services + 1,
				  sizeof *m->volumes);
	strmap_init(&m->volume_index, p->arena);
	m->services = arena_calloc(p->arena, services + 1, sizeof *m->services);
	for (struct decl *d = p->decls; d; d = d->next) {
		if (d->kind == secret)
			m->secrets[m->secret_count++] = d->model = lower_secret(p, d);
		else if (d->kind == volume) {
			struct model_volume *v = d->model = lower_volume(p, d);
			m->volumes[m->volume_count++] = v;
			strmap_add(&m->volume_index, v->name, v);
		}
	}
	for (struct decl *d = p->decls; d; d = d->next)
		if (d->kind == service)
			m->services[m->service_count++] = d->model = lower_service(p, m, d);
	lower_externals(p, m);
	for (struct decl *d = p->decls; d; d = d->next)
		if (d->kind == service)
			link_uses(p, d);
	lower_jobs(p, m);
	link_reverse(p, m);
	lower_external_users(p, m);
}

/* The policy's view of every declaration (lower_facts.c). */
static void lower_decls(struct program *p, struct model *m)
{
	struct model_decl **tail = &m->decls;
	struct fact_source *src = lower_fact_source(p);
	for (struct decl *d = p->decls; d; d = d->next) {
		const char *k = d->kind->name;
		if (!strcmp(k, "app"))
			d->model = &m->app;
		else if (!strcmp(k, "pipeline"))
			d->model = m->pipeline;
		else if (!strcmp(k, "cloud"))
			d->model = m->cloud;
		else if (!strcmp(k, "monitor"))
			d->model = m->monitor;
		struct model_allow *a = !strcmp(k, "app") ? m->app.allows
			: !strcmp(k, "pipeline") ? m->pipeline->allows
			: !strcmp(k, "cloud") ? m->cloud->allows
			: !strcmp(k, "monitor") ? m->monitor->allows
			: !strcmp(k, "service") || !strcmp(k, "job")
			? ((struct model_service *)d->model)->allows
			: !strcmp(k, "secret") ? ((struct model_secret *)d->model)->allows
			: !strcmp(k, "volume") ? ((struct model_volume *)d->model)->allows
			: !strcmp(k, "external") ? ((struct model_external *)d->model)->allows : NULL;
		*tail = lower_facts(src, d, a);
		tail = &(*tail)->next;
	}
}

struct model *lower_program(struct program *p)
{
	struct model *m = NEW(p, struct model);
	m->source_name = p->src->name;
	m->environment = p->env;
	lower_app(p, m);
	lower_declared(p, m);
	lower_registries(p, m);
	m->pipeline = lower_pipeline(p, m);
	lower_publish(p, m);
	m->cloud = lower_cloud(p);
	m->monitor = lower_monitor(p);
	lower_decls(p, m);
	return m;
}
