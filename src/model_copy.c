/* model_copy.c - the model, copied out of the front end's arena.
 *
 * Lowering builds the model in the compilation's arena, beside the
 * syntax tree, template instances and typed values it came from, and
 * its strings point into them.  The backends read the model alone, so
 * `depc build` copies it into an arena of its own and frees the front
 * end before they run: its peak is then the model plus the largest
 * backend, not the front end plus the backend.
 *
 * Each struct is copied whole first (so a scalar field added later is
 * copied without a word here), then every pointer in it is replaced by
 * its copy.  Objects several others point at (services, jobs, secrets,
 * volumes, registries, externals, sources) are copied once, through a
 * map from old address to new.  Services and jobs point at each other
 * in cycles (`uses`, `used_by`, a job's container): they are made as
 * shells first and filled from a work list, so a chain of ten thousand
 * `uses` does not recurse ten thousand deep.  Strings are copied once
 * per distinct text.  The policy's facts (`decls`) are not copied: no
 * backend reads them. */
#include "model_copy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph.h"

/* Old address -> new address, open addressing, at most half full. */
struct ptrmap {
	const void **keys;
	void **values;
	size_t cap, count;
};

struct todo {
	void **items; /* old objects whose shells wait to be filled */
	size_t count, cap;
};

struct copier {
	struct arena *a;        /* the model's new arena */
	struct arena scratch;   /* the string map's table, freed at the end */
	struct strmap strings;  /* text -> its copy */
	struct ptrmap objects;
	struct todo services, jobs;
};

static size_t ptr_slot(const struct ptrmap *m, const void *key)
{
	size_t h = (size_t)(((uintptr_t)key >> 3) * UINT64_C(0x9E3779B97F4A7C15));
	size_t i = h & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void ptr_grow(struct ptrmap *m)
{
	struct ptrmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 1024;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->values = xcalloc(m->cap, sizeof *m->values);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = ptr_slot(m, old.keys[i]);
		m->keys[j] = old.keys[i];
		m->values[j] = old.values[i];
	}
	free(old.keys);
	free(old.values);
}

static void *ptr_get(const struct ptrmap *m, const void *key)
{
	return m->cap ? m->values[ptr_slot(m, key)] : NULL;
}

static void ptr_put(struct ptrmap *m, const void *key, void *value)
{
	if ((m->count + 1) * 2 > m->cap)
		ptr_grow(m);
	size_t i = ptr_slot(m, key);
	m->keys[i] = key;
	m->values[i] = value;
	m->count++;
}

static void todo_push(struct todo *t, void *item)
{
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->items = xrealloc(t->items, t->cap * sizeof *t->items);
	}
	t->items[t->count++] = item;
}

static const char *str(struct copier *cx, const char *s)
{
	if (!s)
		return NULL;
	const char *kept = strmap_get(&cx->strings, s);
	if (kept)
		return kept;
	char *copy = arena_strdup(cx->a, s);
	strmap_add(&cx->strings, copy, copy);
	return copy;
}

/* A shallow copy of `size` bytes, or NULL for NULL. */
static void *dup(struct copier *cx, const void *p, size_t size)
{
	if (!p)
		return NULL;
	void *n = arena_alloc(cx->a, size);
	memcpy(n, p, size);
	return n;
}

#define DUP(cx, p) dup((cx), (p), sizeof *(p))

/* The one copy of an object several others point at: the copy made
 * already, or a new shallow one whose fields the caller then copies
 * (*fresh).  NULL for NULL. */
static void *copy_once(struct copier *cx, const void *old, size_t size, bool *fresh)
{
	void *n = old ? ptr_get(&cx->objects, old) : NULL;
	*fresh = old && !n;
	if (*fresh) {
		n = dup(cx, old, size);
		ptr_put(&cx->objects, old, n);
	}
	return n;
}

#define COPY_ONCE(cx, p, fresh) copy_once((cx), (p), sizeof *(p), (fresh))

static struct model_origin origin(struct copier *cx, struct model_origin o)
{
	if (!o.src)
		return o;
	const struct source *done = ptr_get(&cx->objects, o.src);
	if (!done) {
		done = source_from_memory(cx->a, o.src->name, o.src->text, o.src->len);
		ptr_put(&cx->objects, o.src, (void *)done);
	}
	o.src = done;
	return o;
}

static struct model_strings strings(struct copier *cx, struct model_strings s)
{
	const char **items = arena_calloc(cx->a, s.count + 1, sizeof *items);
	for (size_t i = 0; i < s.count; i++)
		items[i] = str(cx, s.items[i]);
	s.items = items;
	return s;
}

static struct model_kv *kvs(struct copier *cx, const struct model_kv *kv)
{
	struct model_kv *head = NULL, **at = &head;
	for (; kv; kv = kv->next, at = &(*at)->next) {
		*at = DUP(cx, kv);
		(*at)->key = str(cx, kv->key);
		(*at)->value = str(cx, kv->value);
	}
	return head;
}

static struct model_allow *allows(struct copier *cx, const struct model_allow *al)
{
	struct model_allow *head = NULL, **at = &head;
	for (; al; al = al->next, at = &(*at)->next) {
		*at = DUP(cx, al);
		(*at)->code = str(cx, al->code);
		(*at)->rule = str(cx, al->rule);
		(*at)->reason = str(cx, al->reason);
	}
	return head;
}

/* The copy of a service, made as a shell (filled later) on first sight. */
static struct model_service *service(struct copier *cx, const struct model_service *s)
{
	bool fresh;
	struct model_service *n = COPY_ONCE(cx, s, &fresh);
	if (fresh)
		todo_push(&cx->services, (void *)s);
	return n;
}

static struct model_job *job(struct copier *cx, const struct model_job *j)
{
	bool fresh;
	struct model_job *n = COPY_ONCE(cx, j, &fresh);
	if (fresh)
		todo_push(&cx->jobs, (void *)j);
	return n;
}

static struct model_service **services(struct copier *cx, struct model_service *const *list,
				       size_t count)
{
	if (!list)
		return NULL;
	struct model_service **n = arena_calloc(cx->a, count + 1, sizeof *n);
	for (size_t i = 0; i < count; i++)
		n[i] = service(cx, list[i]);
	return n;
}

static struct model_secret *secret(struct copier *cx, const struct model_secret *s)
{
	bool fresh;
	struct model_secret *n = COPY_ONCE(cx, s, &fresh);
	if (!fresh)
		return n;
	n->name = str(cx, s->name);
	n->vault_path = str(cx, s->vault_path);
	n->property = str(cx, s->property);
	n->allows = allows(cx, s->allows);
	n->origin = origin(cx, s->origin);
	return n;
}

static struct model_volume *volume(struct copier *cx, const struct model_volume *v)
{
	bool fresh;
	struct model_volume *n = COPY_ONCE(cx, v, &fresh);
	if (!fresh)
		return n;
	n->name = str(cx, v->name);
	n->class = str(cx, v->class);
	n->allows = allows(cx, v->allows);
	n->origin = origin(cx, v->origin);
	return n;
}

static struct model_registry *registry(struct copier *cx, const struct model_registry *r)
{
	bool fresh;
	struct model_registry *n = COPY_ONCE(cx, r, &fresh);
	if (!fresh)
		return n;
	n->name = str(cx, r->name);
	n->host = str(cx, r->host);
	n->credential = secret(cx, r->credential);
	n->origin = origin(cx, r->origin);
	return n;
}

static struct model_external *external(struct copier *cx, const struct model_external *e)
{
	bool fresh;
	struct model_external *n = COPY_ONCE(cx, e, &fresh);
	if (!fresh)
		return n;
	n->name = str(cx, e->name);
	n->host = str(cx, e->host);
	n->protocol = str(cx, e->protocol);
	n->cidrs = strings(cx, e->cidrs);
	n->description = str(cx, e->description);
	n->used_by = services(cx, e->used_by, e->used_by_count);
	n->allows = allows(cx, e->allows);
	n->origin = origin(cx, e->origin);
	return n;
}

static struct model_probe probe(struct copier *cx, struct model_probe p)
{
	p.path = str(cx, p.path);
	p.command = strings(cx, p.command);
	return p;
}

static void health(struct copier *cx, struct model_health *h)
{
	h->liveness = probe(cx, h->liveness);
	h->readiness = probe(cx, h->readiness);
	h->startup = probe(cx, h->startup);
	h->check = probe(cx, h->check);
}

static struct model_build *build(struct copier *cx, const struct model_build *b)
{
	struct model_build *n = DUP(cx, b);
	if (!n)
		return NULL;
	n->version = str(cx, b->version);
	n->context = str(cx, b->context);
	n->install = str(cx, b->install);
	n->manifests = strings(cx, b->manifests);
	n->compile = str(cx, b->compile);
	n->outputs = strings(cx, b->outputs);
	n->start = strings(cx, b->start);
	n->args = kvs(cx, b->args);
	n->ignore = strings(cx, b->ignore);
	return n;
}

static struct model_secret_ref *secret_refs(struct copier *cx, const struct model_secret_ref *r)
{
	struct model_secret_ref *head = NULL, **at = &head;
	for (; r; r = r->next, at = &(*at)->next) {
		*at = DUP(cx, r);
		(*at)->env = str(cx, r->env);
		(*at)->secret = secret(cx, r->secret);
	}
	return head;
}

static struct model_composed *composed(struct copier *cx, const struct model_composed *c)
{
	struct model_composed *head = NULL, **at = &head;
	for (; c; c = c->next, at = &(*at)->next) {
		*at = DUP(cx, c);
		(*at)->env = str(cx, c->env);
		(*at)->origin = origin(cx, c->origin);
		struct model_composed_part **part = &(*at)->parts;
		for (const struct model_composed_part *p = c->parts; p; p = p->next) {
			*part = DUP(cx, p);
			(*part)->text = str(cx, p->text);
			(*part)->secret = secret(cx, p->secret);
			part = &(*part)->next;
		}
	}
	return head;
}

static struct model_alert_tuning *tunings(struct copier *cx, const struct model_alert_tuning *t)
{
	struct model_alert_tuning *head = NULL, **at = &head;
	for (; t; t = t->next, at = &(*at)->next) {
		*at = DUP(cx, t);
		(*at)->alert = str(cx, t->alert);
		(*at)->severity = str(cx, t->severity);
		(*at)->origin = origin(cx, t->origin);
	}
	return head;
}

static void fill_service(struct copier *cx, const struct model_service *s)
{
	struct model_service *n = ptr_get(&cx->objects, s);
	n->name = str(cx, s->name);
	n->image = str(cx, s->image);
	n->registry = registry(cx, s->registry);
	n->build = build(cx, s->build);
	n->command = strings(cx, s->command);
	n->env = kvs(cx, s->env);
	n->secrets = secret_refs(cx, s->secrets);
	n->composed = composed(cx, s->composed);
	n->uses = services(cx, s->uses, s->uses_count);
	if (s->externals) {
		n->externals = arena_calloc(cx->a, s->external_count + 1, sizeof *n->externals);
		for (size_t i = 0; i < s->external_count; i++)
			n->externals[i] = external(cx, s->externals[i]);
	}
	n->used_by = services(cx, s->used_by, s->used_by_count);
	n->wait_for = str(cx, s->wait_for);
	health(cx, &n->health);
	n->ingress.host = str(cx, s->ingress.host);
	n->ingress.tls_issuer = str(cx, s->ingress.tls_issuer);
	n->ingress.class = str(cx, s->ingress.class);
	n->ingress.path = str(cx, s->ingress.path);
	n->ingress.controller = str(cx, s->ingress.controller);
	n->metrics.path = str(cx, s->metrics.path);
	n->metrics.requests_metric = str(cx, s->metrics.requests_metric);
	n->metrics.latency_metric = str(cx, s->metrics.latency_metric);
	n->metrics.status_label = str(cx, s->metrics.status_label);
	n->volume = volume(cx, s->volume);
	n->data_path = str(cx, s->data_path);
	n->tmpfs = strings(cx, s->tmpfs);
	n->restart = str(cx, s->restart);
	n->placement = strings(cx, s->placement);
	n->allows = allows(cx, s->allows);
	n->alert_tunings = tunings(cx, s->alert_tunings);
	n->origin = origin(cx, s->origin);
	n->job = job(cx, s->job);
}

static void fill_job(struct copier *cx, const struct model_job *j)
{
	struct model_job *n = ptr_get(&cx->objects, j);
	n->name = str(cx, j->name);
	n->run = service(cx, j->run);
	n->from = service(cx, j->from);
	n->schedule = str(cx, j->schedule);
	n->before = services(cx, j->before, j->before_count);
	n->origin = origin(cx, j->origin);
}

/* Fills shells until none is left: filling one may make more. */
static void fill_shells(struct copier *cx)
{
	size_t s = 0, j = 0;
	while (s < cx->services.count || j < cx->jobs.count) {
		while (s < cx->services.count)
			fill_service(cx, cx->services.items[s++]);
		while (j < cx->jobs.count)
			fill_job(cx, cx->jobs.items[j++]);
	}
}

static struct model_deploy *deploys(struct copier *cx, const struct model_deploy *d)
{
	struct model_deploy *head = NULL, **at = &head;
	for (; d; d = d->next, at = &(*at)->next) {
		*at = DUP(cx, d);
		(*at)->cluster = str(cx, d->cluster);
		(*at)->service = service(cx, d->service);
		(*at)->namespace = str(cx, d->namespace);
	}
	return head;
}

static struct model_pipeline *pipeline(struct copier *cx, const struct model_pipeline *p)
{
	struct model_pipeline *n = DUP(cx, p);
	if (!n)
		return NULL;
	n->push = strings(cx, p->push);
	n->pull_request = strings(cx, p->pull_request);
	n->tags = strings(cx, p->tags);
	n->schedule = str(cx, p->schedule);
	n->steps = strings(cx, p->steps);
	n->scan = str(cx, p->scan);
	n->publish = str(cx, p->publish);
	n->publish_registry = registry(cx, p->publish_registry);
	n->deploys = deploys(cx, p->deploys);
	n->runner = str(cx, p->runner);
	n->environment = str(cx, p->environment);
	n->node = str(cx, p->node);
	n->python = str(cx, p->python);
	n->go = str(cx, p->go);
	n->allows = allows(cx, p->allows);
	n->origin = origin(cx, p->origin);
	return n;
}

static struct model_cloud *cloud(struct copier *cx, const struct model_cloud *c)
{
	struct model_cloud *n = DUP(cx, c);
	if (!n)
		return NULL;
	n->provider = str(cx, c->provider);
	n->region = str(cx, c->region);
	n->vpc_cidr = str(cx, c->vpc_cidr);
	n->ecs_cluster = str(cx, c->ecs_cluster);
	n->allows = allows(cx, c->allows);
	n->origin = origin(cx, c->origin);
	return n;
}

static struct model_dashboard *dashboards(struct copier *cx, const struct model_dashboard *d)
{
	struct model_dashboard *head = NULL, **at = &head;
	for (; d; d = d->next, at = &(*at)->next) {
		*at = DUP(cx, d);
		(*at)->title = str(cx, d->title);
		(*at)->tags = strings(cx, d->tags);
		(*at)->origin = origin(cx, d->origin);
		struct model_panel **panel = &(*at)->panels;
		for (const struct model_panel *p = d->panels; p; p = p->next) {
			*panel = DUP(cx, p);
			(*panel)->title = str(cx, p->title);
			(*panel)->query = str(cx, p->query);
			(*panel)->legend = str(cx, p->legend);
			(*panel)->type = str(cx, p->type);
			(*panel)->unit = str(cx, p->unit);
			panel = &(*panel)->next;
		}
	}
	return head;
}

static struct model_alert *alerts(struct copier *cx, const struct model_alert *al)
{
	struct model_alert *head = NULL, **at = &head;
	for (; al; al = al->next, at = &(*at)->next) {
		*at = DUP(cx, al);
		(*at)->name = str(cx, al->name);
		(*at)->expr = str(cx, al->expr);
		(*at)->severity = str(cx, al->severity);
		(*at)->summary = str(cx, al->summary);
	}
	return head;
}

static struct model_monitor *monitor(struct copier *cx, const struct model_monitor *m)
{
	struct model_monitor *n = DUP(cx, m);
	if (!n)
		return NULL;
	n->alerting = str(cx, m->alerting);
	n->discovery = str(cx, m->discovery);
	n->dashboards = dashboards(cx, m->dashboards);
	n->alerts = alerts(cx, m->alerts);
	n->allows = allows(cx, m->allows);
	n->origin = origin(cx, m->origin);
	return n;
}

static void app(struct copier *cx, struct model_app *a)
{
	a->name = str(cx, a->name);
	a->version = str(cx, a->version);
	a->registry = str(cx, a->registry);
	a->domain = str(cx, a->domain);
	a->namespace = str(cx, a->namespace);
	a->vault = str(cx, a->vault);
	a->repository = str(cx, a->repository);
	a->allows = allows(cx, a->allows);
	a->origin = origin(cx, a->origin);
}

/* An array of objects copied one by one with `copy`, NULL-terminated
 * like the original. */
#define COPY_ARRAY(cx, list, count, copy)                                        \
	do {                                                                     \
		if (list) {                                                      \
			void *old_ = (list);                                     \
			(list) = arena_calloc((cx)->a, (count) + 1, sizeof *(list)); \
			for (size_t i_ = 0; i_ < (count); i_++)                  \
				(list)[i_] = copy((cx), ((__typeof__(list))old_)[i_]); \
		}                                                                \
	} while (0)

/* The dependency graph keeps its start order and edges; a model that
 * reached the backends has no cycles to copy. */
static const struct depgraph *deps(struct copier *cx, const struct depgraph *g)
{
	struct depgraph *n = DUP(cx, g);
	if (!n)
		return NULL;
	n->nodes = arena_calloc(cx->a, g->count + 1, sizeof *n->nodes);
	n->order = arena_calloc(cx->a, g->count + 1, sizeof *n->order);
	for (size_t i = 0; i < g->count; i++) {
		const struct dep_node *o = &g->nodes[i];
		n->nodes[i] = *o;
		n->nodes[i].service = service(cx, o->service);
		n->nodes[i].edges = arena_calloc(cx->a, o->edge_count + 1, sizeof *o->edges);
		for (size_t e = 0; e < o->edge_count; e++) {
			n->nodes[i].edges[e] = o->edges[e];
			n->nodes[i].edges[e].to = service(cx, o->edges[e].to);
		}
		n->order[i] = g->order[i] ? service(cx, g->order[i]) : NULL;
	}
	n->cycles = NULL;
	return n;
}

/* A name index, entry for entry: its values are objects already copied. */
static void copy_index(struct copier *cx, struct strmap *map)
{
	struct strmap old = *map;
	strmap_init(map, cx->a);
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			strmap_add(map, str(cx, old.keys[i]), ptr_get(&cx->objects, old.values[i]));
}

struct model *model_copy(struct arena *a, const struct model *m)
{
	struct copier cx = { .a = a };
	arena_init(&cx.scratch);
	strmap_init(&cx.strings, &cx.scratch);
	struct model *n = DUP(&cx, m);
	n->source_name = str(&cx, m->source_name);
	n->environment = str(&cx, m->environment);
	app(&cx, &n->app);
	COPY_ARRAY(&cx, n->services, m->service_count, service);
	COPY_ARRAY(&cx, n->jobs, m->job_count, job);
	COPY_ARRAY(&cx, n->secrets, m->secret_count, secret);
	COPY_ARRAY(&cx, n->volumes, m->volume_count, volume);
	COPY_ARRAY(&cx, n->registries, m->registry_count, registry);
	COPY_ARRAY(&cx, n->externals, m->external_count, external);
	n->pipeline = pipeline(&cx, m->pipeline);
	n->cloud = cloud(&cx, m->cloud);
	n->monitor = monitor(&cx, m->monitor);
	n->deps = deps(&cx, m->deps);
	fill_shells(&cx);
	n->decls = NULL;
	copy_index(&cx, &n->service_index);
	copy_index(&cx, &n->volume_index);
	arena_free(&cx.scratch);
	free(cx.objects.keys);
	free(cx.objects.values);
	free(cx.services.items);
	free(cx.jobs.items);
	return n;
}
