/* check_units.c - values each generated target must state exactly.
 *
 * The model keeps milliseconds, bytes and millicores.  Some targets count
 * in coarser whole units (Kubernetes probe and rollout seconds; ECS
 * seconds, cpu units and MiB) or take only some values (ECS health-check
 * ranges, Fargate task sizes).  Rounding or clamping there would deploy
 * something other than what was written, so such a value is an error
 * that names the target, what the value would become, and the exact
 * values nearest to it.  Only targets this program generates are
 * checked: Kubernetes probes where a service has one, ECS when the cloud
 * has an ecs block.  Compose, Docker and Prometheus spell any whole
 * number of milliseconds, bytes and millicores, so they need no check. */
#include <inttypes.h>
#include <string.h>

#include "format.h"
#include "model.h"
#include "probe.h"
#include "typed.h"

struct units {
	struct program *p;
	const struct model *m;
	bool ecs;            /* terraform/ecs.tf is generated */
	bool ecs_size_told;  /* a bad ecs block size is reported once */
};

/* The typed value of `block.field` in service `svc` (block NULL: the
 * service's own field), or of the cloud's ecs block when svc is NULL. */
static const struct tval *value_of(struct program *p, const char *svc, const char *block,
				   const char *field)
{
	struct decl *d = svc ? program_find(p, svc) : program_find_kind(p, "cloud");
	const struct tblock *b = d ? d->typed : NULL;
	const struct tval *sub = b && block ? tblock_get(b, block) : NULL;
	if (block)
		b = sub ? sub->u.block : NULL;
	return b ? tblock_get(b, field) : NULL;
}

/* Where to point for that value: the value as written, else the block
 * that holds it, else the declaration. */
static const struct ast_node *node_of(struct program *p, const char *svc, const char *block,
				      const struct tval *v)
{
	if (v && v->node)
		return v->node;
	struct decl *d = svc ? program_find(p, svc) : program_find_kind(p, "cloud");
	const struct tval *sub = d && block ? tblock_get(d->typed, block) : NULL;
	return sub && sub->node ? sub->node : d->block;
}

/* The value's source text when it is a literal, so messages quote what
 * was written ("1500ms"); else `dflt`. */
static const char *shown(struct program *p, const struct tval *v, const char *dflt)
{
	const struct ast_node *n = v ? v->node : NULL;
	if (!n || (n->kind != AST_UNIT && n->kind != AST_INT && n->kind != AST_FLOAT))
		return dflt;
	return arena_strndup(p->arena, n->src->text + n->span.start, n->span.end - n->span.start);
}

/* "write 1s or 2s", leaving out a zero that would not be a fix. */
static void help_nearest(struct units *u, struct diag *d, const char *why, const char *lo,
			 const char *hi, bool lo_ok)
{
	if (lo_ok)
		diag_add_help(u->p->diags, d, "%s: write %s or %s", why, lo, hi);
	else
		diag_add_help(u->p->diags, d, "%s: write %s", why, hi);
}

/* --- timings ------------------------------------------------------------ */

struct timing {
	const char *block, *field; /* where it is set: health.interval */
	int64_t ms;
	const char *targets;       /* "Kubernetes", "ECS", "Kubernetes and ECS" */
	const char *what;          /* "health-check timings", "minReadySeconds" */
};

/* False after reporting a value the targets cannot state. */
static bool check_seconds(struct units *u, const struct model_service *s, const struct timing *t)
{
	struct whole w = format_whole_seconds(t->ms);
	if (whole_exact(w))
		return true;
	const struct tval *v = value_of(u->p, s->name, t->block, t->field);
	const struct ast_node *at = node_of(u->p, s->name, t->block, v);
	const char *text = shown(u->p, v, arena_printf(u->p->arena, "%" PRId64 "ms", t->ms));
	struct diag *d = diag_emit(u->p->diags, DIAG_E0324, at->src, at->span,
				   "'%s' of %s '%s' is %s, which %s would round to %" PRId64 "s",
				   t->field, s->job ? "job" : "service", s->name, text, t->targets, w.up);
	help_nearest(u, d, arena_printf(u->p->arena, "%s %s %s in whole seconds", t->targets,
					strchr(t->targets, ' ') ? "count" : "counts", t->what),
		     arena_printf(u->p->arena, "%" PRId64 "s", w.down),
		     arena_printf(u->p->arena, "%" PRId64 "s", w.up), w.down > 0);
	return false;
}

struct ecs_range {
	const char *field;
	int64_t lo, hi; /* seconds, or a count for retries */
};

static const struct ecs_range ecs_ranges[] = {
	{ "interval", 5, 300 }, { "timeout", 2, 120 }, { "start", 0, 300 }, { "retries", 1, 10 },
};

static void check_ecs_range(struct units *u, const struct model_service *s,
			    const struct ecs_range *r, int64_t n)
{
	if (n >= r->lo && n <= r->hi)
		return;
	bool count = !strcmp(r->field, "retries");
	const char *unit = count ? "" : "s";
	const struct tval *v = value_of(u->p, s->name, "health", r->field);
	const struct ast_node *at = node_of(u->p, s->name, "health", v);
	const char *text = shown(u->p, v, arena_printf(u->p->arena, "%" PRId64 "%s", n, unit));
	struct diag *d = diag_emit(u->p->diags, DIAG_E0325, at->src, at->span,
				   "'%s' of service '%s' is %s, outside the %" PRId64 "%s to %" PRId64
				   "%s an ECS health check takes", r->field, s->name, text,
				   r->lo, unit, r->hi, unit);
	diag_add_help(u->p->diags, d, "write %s from %" PRId64 "%s to %" PRId64 "%s; ECS would "
		      "otherwise run the check with %" PRId64 "%s", count ? "retries" : "a time",
		      r->lo, unit, r->hi, unit, n < r->lo ? r->lo : r->hi, unit);
}

/* Kubernetes states probe timings in whole seconds wherever a probe is
 * written; ECS in whole seconds too, within its own ranges. */
static void check_health(struct units *u, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	bool k8s = h->liveness.kind || h->readiness.kind || h->startup.kind;
	/* ECS runs the check in the container; an ingress adds the ALB's
	 * target-group check, with the same timings and ranges. */
	bool ecs = u->ecs && (probe_command(u->p->arena, s, &h->check).count > 0 ||
			      (s->ingress.set && s->port));
	if (!k8s && !ecs)
		return;
	const char *targets = k8s && ecs ? "Kubernetes and ECS" : k8s ? "Kubernetes" : "ECS";
	const struct timing timings[] = {
		{ "health", "interval", h->interval_ms, targets, "health-check timings" },
		{ "health", "timeout", h->timeout_ms, targets, "health-check timings" },
		{ "health", "start", h->start_ms, targets, "health-check timings" },
	};
	/* A value already reported as inexact is not reported again for its range. */
	bool exact[] = { true, true, true, true };
	int64_t n[] = { 0, 0, 0, h->retries };
	for (size_t i = 0; i < 3; i++) {
		exact[i] = check_seconds(u, s, &timings[i]);
		n[i] = format_whole_seconds(timings[i].ms).up;
	}
	for (size_t i = 0; ecs && i < sizeof ecs_ranges / sizeof ecs_ranges[0]; i++)
		if (exact[i])
			check_ecs_range(u, s, &ecs_ranges[i], n[i]);
}

/* --- ECS sizes ------------------------------------------------------------ */

static const struct tval *range_end(const struct tval *range, bool hi)
{
	return range && range->type == TY_RANGE ? (hi ? range->u.range.hi : range->u.range.lo) : NULL;
}

static void check_mebibytes(struct units *u, const struct model_service *s, bool hi)
{
	int64_t bytes = hi ? s->memory.limit : s->memory.request;
	struct whole w = format_ecs_memory(bytes);
	if (whole_exact(w))
		return;
	const struct tval *v = range_end(value_of(u->p, s->name, "resources", "memory"), hi);
	const struct ast_node *at = node_of(u->p, s->name, "resources", v);
	struct diag *d = diag_emit(u->p->diags, DIAG_E0324, at->src, at->span,
				   "memory %s of %s '%s' is %s, which ECS would round to %" PRId64
				   " MiB", hi ? "limit" : "request", s->job ? "job" : "service", s->name,
				   shown(u->p, v, arena_printf(u->p->arena, "%" PRId64 " bytes", bytes)),
				   w.up);
	help_nearest(u, d, "ECS counts memory in whole MiB",
		     arena_printf(u->p->arena, "%" PRId64 "Mi", w.down),
		     arena_printf(u->p->arena, "%" PRId64 "Mi", w.up), w.down > 0);
}

/* The container's cpu is the request; the limit only sizes the task,
 * where E0326 judges it.  A warning, not an error: ECS's container cpu
 * is a relative share, and 103 units for 100m changes it by a fraction
 * of a percent, but it is still not the value written. */
static void check_cpu_units(struct units *u, const struct model_service *s)
{
	struct whole w = format_ecs_cpu(s->cpu.request);
	if (whole_exact(w))
		return;
	const struct tval *v = range_end(value_of(u->p, s->name, "resources", "cpu"), false);
	const struct ast_node *at = node_of(u->p, s->name, "resources", v);
	struct diag *d = diag_emit(u->p->diags, DIAG_W0001, at->src, at->span,
				   "cpu request of %s '%s' is %s, which ECS rounds to %"
				   PRId64 " cpu units", s->job ? "job" : "service", s->name,
				   shown(u->p, v, arena_printf(u->p->arena, "%" PRId64 "m", s->cpu.request)),
				   w.up);
	int64_t down = s->cpu.request / 125 * 125;
	help_nearest(u, d, "ECS counts cpu in units of 1/1024 core, whole only for "
		     "multiples of 125m", arena_printf(u->p->arena, "%" PRId64 "m", down),
		     arena_printf(u->p->arena, "%" PRId64 "m", down + 125), down > 0);
}

/* Where one side of a task size comes from: the service's limit when it
 * raised the ecs block's value, else the ecs block. */
struct size_origin {
	const struct ast_node *at;
	bool from_service;
};

static struct size_origin size_origin(struct units *u, const struct model_service *s,
				      const char *field, bool raised)
{
	struct size_origin o = { NULL, raised };
	const struct tval *v = raised ? range_end(value_of(u->p, s->name, "resources", field), true)
				      : value_of(u->p, NULL, "ecs", field);
	o.at = raised ? node_of(u->p, s->name, "resources", v) : node_of(u->p, NULL, "ecs", v);
	return o;
}

/* "raise the memory limit to 2Gi, or set memory = 2048 in the ecs block";
 * only the latter when the size is the ecs block's own. */
static const char *size_fix(struct units *u, const char *field, const char *limit, int64_t n,
			    bool block_only)
{
	if (block_only)
		return arena_printf(u->p->arena, "set %s = %" PRId64 " in the ecs block", field, n);
	return arena_printf(u->p->arena, "raise the %s limit to %s, or set %s = %" PRId64
			    " in the ecs block", field, limit, field, n);
}

static struct diag *emit_task_size(struct units *u, const struct model_service *s, int64_t cpu,
				   int64_t mib, const struct ast_node *at, bool block_only)
{
	if (block_only)
		return diag_emit(u->p->diags, DIAG_E0326, at->src, at->span,
				 "the ecs block's task size, %" PRId64 " cpu units and %" PRId64
				 " MiB, is not a Fargate size (service '%s' runs in it)", cpu, mib, s->name);
	return diag_emit(u->p->diags, DIAG_E0326, at->src, at->span,
			 "%s '%s' needs a Fargate task of %" PRId64 " cpu units and %" PRId64
			 " MiB, which is not a Fargate size", s->job ? "job" : "service", s->name, cpu, mib);
}

static void report_task_size(struct units *u, const struct model_service *s, int64_t cpu,
			     int64_t mib, struct size_origin oc, struct size_origin om)
{
	int64_t ncpu, nmib;
	bool near = fargate_nearest(cpu, mib, &ncpu, &nmib);
	bool cpu_wrong = !near || ncpu != cpu;
	bool block_only = !oc.from_service && !om.from_service;
	struct size_origin main = cpu_wrong ? oc : om, other = cpu_wrong ? om : oc;
	struct diag *d = emit_task_size(u, s, cpu, mib, main.at, block_only);
	if (other.at != main.at)
		diag_add_label(u->p->diags, d, other.at->src, other.at->span, "%s comes from here",
			       cpu_wrong ? "memory" : "cpu");
	if (!near) {
		diag_add_help(u->p->diags, d, "the largest Fargate size is 16384 cpu units with "
			      "122880 MiB (16 cores, 120Gi)");
		return;
	}
	struct arena *a = u->p->arena;
	const char *cfix = ncpu == cpu ? NULL
			   : size_fix(u, "cpu", format_k8s_cpu(a, ncpu * 1000 / 1024), ncpu, block_only);
	const char *mfix = nmib == mib ? NULL
			   : size_fix(u, "memory", format_k8s_memory(a, nmib << 20), nmib, block_only);
	diag_add_help(u->p->diags, d, "the nearest Fargate size, the smallest with at least this cpu "
		      "and memory, is %" PRId64 " cpu units with %" PRId64 " MiB: %s%s%s", ncpu, nmib,
		      cfix ? cfix : mfix, cfix && mfix ? "; and " : "", cfix && mfix ? mfix : "");
}

/* A size written in the ecs block must be one Fargate offers.  A size
 * raised to a service's limits is depc's choice, not a value written:
 * the backend takes the smallest Fargate size that holds the limits
 * (the containers keep their limits exactly), and the translation
 * report says so.  Only limits no Fargate size holds are an error. */
static void check_task_size(struct units *u, const struct model_service *s)
{
	const struct model_cloud *c = u->m->cloud;
	int64_t cpu, mib, ncpu, nmib;
	fargate_task(c->task_cpu, c->task_memory, s->cpu.set ? s->cpu.limit : 0,
		     s->memory.set ? s->memory.limit : 0, &cpu, &mib);
	if (fargate_valid(cpu, mib))
		return;
	bool raised = cpu != c->task_cpu || mib != c->task_memory;
	if (raised && fargate_nearest(cpu, mib, &ncpu, &nmib))
		return;
	/* A limit that equals the ecs block's value is still the one written
	 * on the service, the nearer place to fix. */
	struct size_origin oc = size_origin(u, s, "cpu", s->cpu.set &&
					    format_ecs_cpu(s->cpu.limit).up >= c->task_cpu);
	struct size_origin om = size_origin(u, s, "memory", s->memory.set &&
					    format_ecs_memory(s->memory.limit).up >= c->task_memory);
	if (!oc.from_service && !om.from_service) { /* the same for every service */
		if (u->ecs_size_told)
			return;
		u->ecs_size_told = true;
	}
	report_task_size(u, s, cpu, mib, oc, om);
}

/* The size written in the ecs block, judged on its own: a service whose
 * limits raise its task past it would otherwise hide a wrong value. */
static void check_ecs_block(struct units *u)
{
	const struct model_cloud *c = u->m->cloud;
	if (fargate_valid(c->task_cpu, c->task_memory) || !u->m->service_count)
		return;
	const struct model_service *s = u->m->services[0];
	u->ecs_size_told = true;
	report_task_size(u, s, c->task_cpu, c->task_memory, size_origin(u, s, "cpu", false),
			 size_origin(u, s, "memory", false));
}

static void check_ecs(struct units *u, const struct model_service *s)
{
	if (s->memory.set) {
		check_mebibytes(u, s, true);
		/* `memory = 500M` is both ends: one report. */
		if (range_end(value_of(u->p, s->name, "resources", "memory"), false) !=
		    range_end(value_of(u->p, s->name, "resources", "memory"), true))
			check_mebibytes(u, s, false);
	}
	if (s->cpu.set)
		check_cpu_units(u, s);
	check_task_size(u, s);
}

void check_units(struct program *p, struct model *m)
{
	struct units u = { p, m, m->cloud && m->cloud->has_ecs, false };
	if (u.ecs)
		check_ecs_block(&u);
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		check_health(&u, s);
		/* Every service is a Kubernetes workload: minReadySeconds. */
		const struct timing delay = { "rollout", "delay", s->rollout.delay_ms, "Kubernetes",
					      "minReadySeconds" };
		check_seconds(&u, s, &delay);
		if (u.ecs)
			check_ecs(&u, s);
	}
	/* A job's container is a task on ECS, and its timeout Kubernetes'
	 * activeDeadlineSeconds. */
	for (size_t i = 0; i < m->job_count; i++) {
		const struct model_service *s = m->jobs[i]->run;
		const struct timing timeout = { NULL, "timeout", m->jobs[i]->timeout_ms, "Kubernetes",
						"activeDeadlineSeconds" };
		check_seconds(&u, s, &timeout);
		if (u.ecs)
			check_ecs(&u, s);
	}
}
