/* diff.c - field-by-field comparison of two models (depc diff).
 *
 * Each object kind has a table of fields; a field is compared by its
 * printed form, so "256Mi" and 268435456 bytes cannot disagree.  The
 * files a change touches are not guessed from a table of which backend
 * writes what (that table would drift from the backends): the field's
 * bytes are copied from b into a, every backend runs, the output is
 * compared with a's own, and a is restored.  Fields that hold pointers
 * into their own model (uses, secret references, the volume) cannot be
 * moved across models that way, since backends compare those pointers;
 * their changes are listed without files.  One build per change is
 * quadratic in the program's size, so the builds have a budget (see
 * DIFF_BUDGET); the changes past it are listed without files, and one
 * more build, of b, gives the files that all changes touch together. */
#include "diff.h"

#include <stdbool.h>
#include <string.h>

#include "backends.h"
#include "format.h"
#include "strmap.h"

struct field {
	const char *name;
	size_t off, size;
	void (*fmt)(struct strbuf *b, struct arena *a, const void *obj, size_t off);
	bool linked; /* holds pointers into its model: files not computed */
};

#define AT(obj, off, T) ((const T *)(const void *)((const char *)(obj) + (off)))
#define FIELD(T, f, fn) { #f, offsetof(T, f), sizeof(((T *)0)->f), fn, false }
#define LINKED(T, f, fn) { #f, offsetof(T, f), sizeof(((T *)0)->f), fn, true }
#define LABEL(T, f, label, fn) { label, offsetof(T, f), sizeof(((T *)0)->f), fn, false }
#define END { NULL, 0, 0, NULL, false }

/* --- printing a field -------------------------------------------------- */

static void fmt_str(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const char *s = *AT(o, off, char *);
	(void)a;
	if (s)
		strbuf_printf(b, "\"%s\"", s);
	else
		strbuf_puts(b, "(unset)");
}

static void fmt_int(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a;
	strbuf_printf(b, "%d", *AT(o, off, int));
}

static void fmt_bool(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a;
	strbuf_puts(b, *AT(o, off, bool) ? "true" : "false");
}

static void fmt_ms(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	int64_t ms = *AT(o, off, int64_t);
	strbuf_puts(b, ms ? format_duration(a, ms) : "(unset)");
}

static void fmt_bytes(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	strbuf_puts(b, format_k8s_memory(a, *AT(o, off, int64_t)));
}

static void fmt_strings(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_strings *s = AT(o, off, struct model_strings);
	(void)a;
	strbuf_putc(b, '[');
	for (size_t i = 0; i < s->count; i++)
		strbuf_printf(b, "%s\"%s\"", i ? ", " : "", s->items[i]);
	strbuf_putc(b, ']');
}

static void fmt_kv(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a;
	strbuf_putc(b, '{');
	for (const struct model_kv *kv = *AT(o, off, struct model_kv *); kv; kv = kv->next)
		strbuf_printf(b, " %s = \"%s\"", kv->key, kv->value);
	strbuf_puts(b, " }");
}

static void fmt_range(struct strbuf *b, struct arena *a, const struct model_range *r,
		      const char *(*unit)(struct arena *, int64_t))
{
	if (!r->set)
		strbuf_puts(b, "(unset)");
	else
		strbuf_printf(b, "%s..%s", unit(a, r->request), unit(a, r->limit));
}

static void fmt_cpu(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	fmt_range(b, a, AT(o, off, struct model_range), format_k8s_cpu);
}

static void fmt_memory(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	fmt_range(b, a, AT(o, off, struct model_range), format_k8s_memory);
}

/* --- service fields that are blocks ------------------------------------ */

static const struct model_service *svc(const void *o) { return o; }

static void fmt_build(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_build *m = svc(o)->build;
	(void)a, (void)off;
	if (m)
		strbuf_printf(b, "{ version = \"%s\" context = \"%s\" }", m->version, m->context);
	else
		strbuf_puts(b, "(published image)");
}

static void fmt_health(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_health *h = &svc(o)->health;
	(void)off;
	strbuf_printf(b, "{ interval = %s timeout = %s retries = %d", format_duration(a, h->interval_ms),
		      format_duration(a, h->timeout_ms), h->retries);
	if (h->liveness.kind == PROBE_HTTP)
		strbuf_printf(b, " liveness = \"%s\"", h->liveness.path);
	if (h->readiness.kind == PROBE_HTTP)
		strbuf_printf(b, " readiness = \"%s\"", h->readiness.path);
	strbuf_puts(b, " }");
}

static void fmt_ingress(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_service *s = svc(o);
	(void)a, (void)off;
	if (!s->ingress.set) {
		strbuf_puts(b, "(none)");
		return;
	}
	strbuf_printf(b, "{ host = \"%s\"", s->ingress.host);
	if (s->ingress.tls_issuer)
		strbuf_printf(b, " tls = \"%s\"", s->ingress.tls_issuer);
	strbuf_printf(b, " path = \"%s\" }", s->ingress.path ? s->ingress.path : "/");
}

static void fmt_metrics(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_service *s = svc(o);
	(void)off;
	if (!s->metrics.set) {
		strbuf_puts(b, "(none)");
		return;
	}
	strbuf_printf(b, "{ path = \"%s\" port = %d slo_latency = %s slo_errors = %g%% }",
		      s->metrics.path, s->metrics.port, format_duration(a, s->metrics.slo_latency_ms),
		      s->metrics.slo_error_percent);
}

static void fmt_rollout(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	static const char *const fail[] = { "rollback", "pause", "continue" };
	const struct model_service *s = svc(o);
	(void)off;
	strbuf_printf(b, "{ parallelism = %d delay = %s on_failure = %s }", s->rollout.parallelism,
		      format_duration(a, s->rollout.delay_ms), fail[s->rollout.on_failure]);
}

static void fmt_autoscale(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_service *s = svc(o);
	(void)a, (void)off;
	if (s->autoscale.set)
		strbuf_printf(b, "{ min = %d max = %d cpu = %g%% }", s->autoscale.min,
			      s->autoscale.max, s->autoscale.cpu_percent);
	else
		strbuf_puts(b, "(none)");
}

static void fmt_secret_refs(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a, (void)off;
	strbuf_putc(b, '{');
	for (const struct model_secret_ref *r = svc(o)->secrets; r; r = r->next)
		strbuf_printf(b, " %s = %s", r->env, r->secret->name);
	/* a composed value as its text, secrets by name: never a value */
	for (const struct model_composed *c = svc(o)->composed; c; c = c->next) {
		strbuf_printf(b, " %s = \"", c->env);
		for (const struct model_composed_part *p = c->parts; p; p = p->next)
			if (p->secret)
				strbuf_printf(b, "${%s}", p->secret->name);
			else
				strbuf_puts(b, p->text);
		strbuf_putc(b, '"');
	}
	strbuf_puts(b, " }");
}

static void fmt_uses(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a, (void)off;
	strbuf_putc(b, '[');
	for (size_t i = 0; i < svc(o)->uses_count; i++)
		strbuf_printf(b, "%s%s", i ? ", " : "", svc(o)->uses[i]->name);
	strbuf_putc(b, ']');
}

static void fmt_externals(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a, (void)off;
	strbuf_putc(b, '[');
	for (size_t i = 0; i < svc(o)->external_count; i++)
		strbuf_printf(b, "%s%s", i ? ", " : "", svc(o)->externals[i]->name);
	strbuf_putc(b, ']');
}

static void fmt_volume(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a, (void)off;
	strbuf_puts(b, svc(o)->volume ? svc(o)->volume->name : "(none)");
}

/* A registry's credential, by the secret's name. */
static void fmt_credential(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	(void)a, (void)off;
	strbuf_puts(b, ((const struct model_registry *)o)->credential->name);
}

/* --- the tables ---------------------------------------------------------- */

#define S struct model_service
static const struct field service_fields[] = {
	FIELD(S, image, fmt_str), FIELD(S, build, fmt_build), FIELD(S, port, fmt_int),
	FIELD(S, replicas, fmt_int), FIELD(S, command, fmt_strings), FIELD(S, env, fmt_kv),
	LINKED(S, secrets, fmt_secret_refs), LINKED(S, uses, fmt_uses),
	LINKED(S, externals, fmt_externals),
	FIELD(S, health, fmt_health), FIELD(S, cpu, fmt_cpu), FIELD(S, memory, fmt_memory),
	FIELD(S, ingress, fmt_ingress), FIELD(S, metrics, fmt_metrics),
	FIELD(S, rollout, fmt_rollout), FIELD(S, autoscale, fmt_autoscale),
	LINKED(S, volume, fmt_volume), FIELD(S, data_path, fmt_str), FIELD(S, user, fmt_int),
	FIELD(S, read_only, fmt_bool), FIELD(S, restart, fmt_str),
	FIELD(S, wait_for, fmt_str),
	FIELD(S, placement, fmt_strings), END,
};
#undef S

/* A job: its own fields, then its container's (those a job has). */
static void fmt_before(struct strbuf *b, struct arena *a, const void *o, size_t off)
{
	const struct model_job *j = o;
	(void)a, (void)off;
	strbuf_putc(b, '[');
	for (size_t i = 0; i < j->before_count; i++)
		strbuf_printf(b, "%s%s", i ? ", " : "", j->before[i]->name);
	strbuf_putc(b, ']');
}

static const struct field job_fields[] = {
	FIELD(struct model_job, schedule, fmt_str), LINKED(struct model_job, before, fmt_before),
	LABEL(struct model_job, timeout_ms, "timeout", fmt_ms),
	FIELD(struct model_job, retries, fmt_int), END,
};

#define S struct model_service
static const struct field job_run_fields[] = {
	FIELD(S, image, fmt_str), FIELD(S, build, fmt_build), FIELD(S, command, fmt_strings),
	FIELD(S, env, fmt_kv), LINKED(S, secrets, fmt_secret_refs), LINKED(S, uses, fmt_uses),
	FIELD(S, cpu, fmt_cpu), FIELD(S, memory, fmt_memory), FIELD(S, user, fmt_int),
	FIELD(S, read_only, fmt_bool), END,
};
#undef S

static const struct field app_fields[] = {
	FIELD(struct model_app, name, fmt_str), FIELD(struct model_app, version, fmt_str),
	FIELD(struct model_app, registry, fmt_str), FIELD(struct model_app, domain, fmt_str),
	FIELD(struct model_app, namespace, fmt_str), FIELD(struct model_app, vault, fmt_str),
	FIELD(struct model_app, repository, fmt_str), END,
};

static const struct field secret_fields[] = {
	FIELD(struct model_secret, vault_path, fmt_str),
	FIELD(struct model_secret, property, fmt_str),
	LABEL(struct model_secret, rotate_ms, "rotate", fmt_ms), END,
};

/* The host decides which services pull with the registry: linked. */
static const struct field registry_fields[] = {
	LINKED(struct model_registry, host, fmt_str),
	LINKED(struct model_registry, credential, fmt_credential), END,
};

static const struct field external_fields[] = {
	FIELD(struct model_external, host, fmt_str), FIELD(struct model_external, port, fmt_int),
	FIELD(struct model_external, protocol, fmt_str),
	LABEL(struct model_external, cidrs, "cidr", fmt_strings),
	FIELD(struct model_external, description, fmt_str), END,
};

static const struct field volume_fields[] = {
	LABEL(struct model_volume, size_bytes, "size", fmt_bytes),
	FIELD(struct model_volume, class, fmt_str), END,
};

#define P struct model_pipeline
static const struct field pipeline_fields[] = {
	FIELD(P, push, fmt_strings), FIELD(P, pull_request, fmt_strings), FIELD(P, tags, fmt_strings),
	FIELD(P, steps, fmt_strings), FIELD(P, scan, fmt_str), FIELD(P, publish, fmt_str),
	FIELD(P, runner, fmt_str), FIELD(P, pin_sha, fmt_bool), FIELD(P, environment, fmt_str),
	FIELD(P, node, fmt_str), FIELD(P, python, fmt_str), FIELD(P, go, fmt_str), END,
};
#undef P

#define C struct model_cloud
static const struct field cloud_fields[] = {
	FIELD(C, region, fmt_str), FIELD(C, vpc_cidr, fmt_str), FIELD(C, zones, fmt_int),
	FIELD(C, ecs_cluster, fmt_str), FIELD(C, insights, fmt_bool), FIELD(C, task_cpu, fmt_int),
	FIELD(C, task_memory, fmt_int), LABEL(C, log_retention_ms, "log_retention", fmt_ms), END,
};
#undef C

static const struct field monitor_fields[] = {
	LABEL(struct model_monitor, scrape_ms, "scrape", fmt_ms),
	LABEL(struct model_monitor, evaluate_ms, "evaluate", fmt_ms),
	FIELD(struct model_monitor, alerting, fmt_str),
	FIELD(struct model_monitor, node_exporter, fmt_bool),
	FIELD(struct model_monitor, discovery, fmt_str), END,
};

static const struct field alert_fields[] = {
	FIELD(struct model_alert, expr, fmt_str), FIELD(struct model_alert, severity, fmt_str),
	FIELD(struct model_alert, summary, fmt_str), LABEL(struct model_alert, for_ms, "for", fmt_ms), END,
};

/* --- comparing and locating ---------------------------------------------- */

/* The per-change builds' budget, in bytes of generated text.  One build
 * per change costs changes x output, quadratic in the program's size
 * (bench/gen-program 1000 with every service's replicas changed: 1,000
 * builds of 23 MB, 428 s and 7.6 GB).  Each build is counted at the size
 * of the base's output, and a change whose build would pass the budget
 * gets none.  On a shared two-core machine builds make 70 MB of files a
 * second with many small ones (1,500 secrets, 1.1 MB) to 107 MB/s with
 * larger ones (gen-program 100, 2.3 MB), so 128 MiB is at most about 2 s
 * of them; gen-program 100 still gets files for 57 of its 100 changes.
 * Counted, never timed, so the output does not depend on the machine or
 * its load. */
#define DIFF_BUDGET ((size_t)128 << 20)

struct diff {
	struct arena *arena;
	struct model *a;
	struct output base; /* what a generates unchanged */
	size_t base_size;   /* its bytes: what each change's build costs */
	size_t spent;       /* of DIFF_BUDGET, by the builds so far */
	size_t skipped;     /* changes left without files by the budget */
	FILE *out;
	size_t changes;
};

/* Every backend on m into o, whose paths and file records live in home.
 * Each backend allocates from a scratch arena freed when it is done, as
 * in build.c: the labels and paths it computes on the way are about as
 * large as the files and are not needed to compare them. */
static void emit_all(struct diff *d, const struct model *m, struct output *o, struct arena *home)
{
	output_init(o, home, d->a->source_name, ".");
	for (size_t i = 0; i < backend_count(); i++) {
		struct arena scratch;
		arena_init(&scratch);
		o->arena = &scratch;
		backend_at(i)->emit(m, o);
		o->arena = home;
		if (o->error) /* a backend may have written it in the scratch */
			o->error = arena_strdup(home, o->error);
		arena_free(&scratch);
	}
}

static size_t output_size(struct output *o)
{
	size_t n = 0;
	for (const struct output_file *f = output_files(o); f; f = f->next)
		n += f->content.len;
	return n;
}

static bool same_file(const struct output_file *x, const struct output_file *y)
{
	return x->content.len == y->content.len &&
	       (!x->content.len || !memcmp(x->content.data, y->content.data, x->content.len));
}

/* Prints the files that differ between d->base and `o` (both sorted). */
static size_t print_touched(struct diff *d, struct output *o)
{
	const struct output_file *x = output_files(&d->base), *y = output_files(o);
	size_t n = 0;
	while (x || y) {
		int c = !x ? 1 : !y ? -1 : strcmp(x->path, y->path);
		if (c || !same_file(x, y)) {
			const char *path = c <= 0 ? x->path : y->path;
			fprintf(d->out, "    %s%s\n", path, c < 0 ? " (removed)" : c > 0 ? " (added)" : "");
			n++;
		}
		if (c <= 0)
			x = x->next;
		if (c >= 0)
			y = y->next;
	}
	return n;
}

/* Builds m and prints the files that differ from the base.  The build
 * has an arena of its own, freed once it is printed, so however many
 * builds a diff makes it holds two at a time: the base and this one. */
static void print_build(struct diff *d, const struct model *m)
{
	struct arena home;
	struct output o;
	arena_init(&home);
	emit_all(d, m, &o, &home);
	if (!print_touched(d, &o))
		fprintf(d->out, "    (no generated file changes)\n");
	output_free(&o);
	arena_free(&home);
}

/* Is there budget left for one more build?  Taken if so. */
static bool afford_build(struct diff *d)
{
	if (d->base_size > DIFF_BUDGET - d->spent)
		return false;
	d->spent += d->base_size;
	return true;
}

/* b's value of field f put into a's object for one run of the backends. */
static void show_touched(struct diff *d, void *obj_a, const void *obj_b, const struct field *f)
{
	unsigned char saved[256];
	if (f->linked || f->size > sizeof saved) {
		fprintf(d->out, "    (files not computed: the field refers to other objects)\n");
		return;
	}
	if (!afford_build(d)) {
		fprintf(d->out, "    (files not computed: past the budget for one build per change; "
			"see all changes together at the end)\n");
		d->skipped++;
		return;
	}
	memcpy(saved, (char *)obj_a + f->off, f->size);
	memcpy((char *)obj_a + f->off, (const char *)obj_b + f->off, f->size);
	print_build(d, d->a);
	memcpy((char *)obj_a + f->off, saved, f->size);
}

/* When the budget left changes without files: the files that differ
 * between the two whole models, one more build. */
static void show_total(struct diff *d, const struct model *b, const char *name_a,
		       const char *name_b)
{
	if (!d->skipped)
		return;
	fprintf(d->out, "# %s -> %s, all changes together: the generated files that differ "
		"(%zu change%s above %s past the budget for one build per change)\n", name_a, name_b,
		d->skipped, d->skipped == 1 ? "" : "s", d->skipped == 1 ? "is" : "are");
	print_build(d, b);
}

static void compare(struct diff *d, const char *what, void *obj_a, const void *obj_b,
		    const struct field *fields)
{
	for (const struct field *f = fields; f->name; f++) {
		struct strbuf x, y;
		strbuf_init(&x);
		strbuf_init(&y);
		f->fmt(&x, d->arena, obj_a, f->off);
		f->fmt(&y, d->arena, obj_b, f->off);
		if (strcmp(x.data ? x.data : "", y.data ? y.data : "")) {
			fprintf(d->out, "%s: %s: %s -> %s\n", what, f->name, x.data, y.data);
			show_touched(d, obj_a, obj_b, f);
			d->changes++;
		}
		strbuf_free(&x);
		strbuf_free(&y);
	}
}

static void presence(struct diff *d, const char *what, bool in_a, bool in_b)
{
	if (in_a == in_b)
		return;
	fprintf(d->out, "%s: %s\n", what, in_a ? "only in the first environment" : "only in the second environment");
	d->changes++;
}

static void compare_services(struct diff *d, const struct model *b)
{
	for (size_t i = 0; i < d->a->service_count; i++) {
		struct model_service *s = d->a->services[i];
		const struct model_service *t = model_find_service(b, s->name);
		char *what = arena_printf(d->arena, "service %s", s->name);
		presence(d, what, true, t != NULL);
		if (t)
			compare(d, what, s, t, service_fields);
	}
	for (size_t i = 0; i < b->service_count; i++)
		if (!model_find_service(d->a, b->services[i]->name))
			presence(d, arena_printf(d->arena, "service %s", b->services[i]->name), false, true);
}

/* Objects with their name as first member (secrets, volumes, registries,
 * externals, jobs), by that name.  Inserted from the last because
 * strmap_add keeps the first of equal keys: a look-up then finds the
 * last of equal names, as the scan it replaces did.  A checked model
 * has no two (E0202: every declaration's name is its own; a volume a
 * service makes up is looked up among the declared first), so that
 * only matters on paper. */
static const char *name_of(const void *obj) { return *(const char *const *)obj; }

static struct strmap by_name(struct diff *d, void *const *xs, size_t n)
{
	struct strmap m;
	strmap_init(&m, d->arena);
	if (n)
		strmap_reserve(&m, n);
	for (size_t i = n; i-- > 0;)
		strmap_add(&m, name_of(xs[i]), xs[i]);
	return m;
}

/* Each of a's objects (mutable) against b's of its name; those only in
 * b are not listed. */
static void compare_named(struct diff *d, const char *kind, void **xa, size_t na,
			  const struct strmap *in_b, const struct field *fields)
{
	for (size_t i = 0; i < na; i++) {
		const void *match = strmap_get(in_b, name_of(xa[i]));
		char *what = arena_printf(d->arena, "%s %s", kind, name_of(xa[i]));
		presence(d, what, true, match != NULL);
		if (match)
			compare(d, what, xa[i], match, fields);
	}
}

static void compare_kind(struct diff *d, const char *kind, void **xa, size_t na,
			 void *const *xb, size_t nb, const struct field *fields)
{
	struct strmap in_b = by_name(d, xb, nb);
	compare_named(d, kind, xa, na, &in_b, fields);
}

/* Jobs by name: every job's own fields, then every job's container's,
 * then the jobs only in b. */
static void compare_jobs(struct diff *d, const struct model *b)
{
	struct model *a = d->a;
	struct strmap in_a = by_name(d, (void *const *)a->jobs, a->job_count);
	struct strmap in_b = by_name(d, (void *const *)b->jobs, b->job_count);
	compare_named(d, "job", (void **)a->jobs, a->job_count, &in_b, job_fields);
	for (size_t i = 0; i < a->job_count; i++) {
		const struct model_job *t = strmap_get(&in_b, a->jobs[i]->name);
		if (t)
			compare(d, arena_printf(d->arena, "job %s", t->name), a->jobs[i]->run,
				t->run, job_run_fields);
	}
	for (size_t j = 0; j < b->job_count; j++)
		if (!strmap_get(&in_a, b->jobs[j]->name))
			presence(d, arena_printf(d->arena, "job %s", b->jobs[j]->name), false, true);
}

/* Alerts in both, by name (E0304: a monitor has no two of one name);
 * one only in a or b is not listed. */
static void compare_alerts(struct diff *d, const struct model_monitor *mb)
{
	struct strmap in_b;
	strmap_init(&in_b, d->arena);
	for (struct model_alert *y = mb->alerts; y; y = y->next)
		strmap_add(&in_b, y->name, y);
	for (struct model_alert *x = d->a->monitor->alerts; x; x = x->next) {
		const struct model_alert *y = strmap_get(&in_b, x->name);
		if (y)
			compare(d, arena_printf(d->arena, "alert %s", x->name), x, y, alert_fields);
	}
}

/* Pipeline, cloud and monitor: compared when both have one. */
static void compare_singletons(struct diff *d, const struct model *b)
{
	struct model *a = d->a;
	presence(d, "pipeline", a->pipeline, b->pipeline);
	if (a->pipeline && b->pipeline)
		compare(d, "pipeline", a->pipeline, b->pipeline, pipeline_fields);
	presence(d, "cloud", a->cloud, b->cloud);
	if (a->cloud && b->cloud)
		compare(d, "cloud", a->cloud, b->cloud, cloud_fields);
	presence(d, "monitor", a->monitor, b->monitor);
	if (a->monitor && b->monitor) {
		compare(d, "monitor", a->monitor, b->monitor, monitor_fields);
		compare_alerts(d, b->monitor);
	}
}

size_t diff_models(struct arena *arena, struct model *a, const struct model *b,
		   const char *name_a, const char *name_b, FILE *out)
{
	struct diff d = { .arena = arena, .a = a, .out = out };
	fprintf(out, "# %s: %s -> %s (each change, then the generated files it touches)\n",
		a->source_name, name_a, name_b);
	emit_all(&d, a, &d.base, arena);
	d.base_size = output_size(&d.base);
	compare(&d, "app", &a->app, &b->app, app_fields);
	compare_services(&d, b);
	compare_kind(&d, "secret", (void **)a->secrets, a->secret_count,
		     (void *const *)b->secrets, b->secret_count, secret_fields);
	compare_kind(&d, "volume", (void **)a->volumes, a->volume_count,
		     (void *const *)b->volumes, b->volume_count, volume_fields);
	compare_kind(&d, "registry", (void **)a->registries, a->registry_count,
		     (void *const *)b->registries, b->registry_count, registry_fields);
	compare_jobs(&d, b);
	compare_kind(&d, "external", (void **)a->externals, a->external_count,
		     (void *const *)b->externals, b->external_count, external_fields);
	compare_singletons(&d, b);
	show_total(&d, b, name_a, name_b);
	fprintf(out, "# %zu change%s\n", d.changes, d.changes == 1 ? "" : "s");
	output_free(&d.base);
	return d.changes;
}
