/* check_jobs.c - the rules of `job` declarations.
 *
 * A job runs exactly one of a service's image (`from`), a published image
 * or a build of its own; a scheduled job runs on its schedule, so it has
 * no `before`; a schedule is a cron expression every target takes
 * (cron.c).  Jobs are not reached over the network, so no `uses` lists
 * one, and `before` and `from` name services.  On the whole deployment: a
 * service waits for the one-off jobs that list it in `before`, and a job
 * for the services it uses, so those waits must not form a cycle. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cron.h"
#include "depgraph.h"
#include "model.h"
#include "typed.h"
#include "validate.h"

#define DIAGS(c) ((c)->p->diags)

static struct span label_span(const struct tblock *tb)
{
	const struct ast_node *n = tb->node;
	return n->u.block.label ? n->u.block.label_span : n->u.block.kind_span;
}

bool check_job_ref(struct checker *c, const char *field, const struct decl *d,
		   const struct ast_node *n)
{
	if (strcmp(d->kind->name, "job"))
		return false;
	if (!strcmp(field, "uses")) {
		struct diag *dg = diag_emit(DIAGS(c), DIAG_E0240, n->src, n->span,
					    "'%s' is a job, and a job is not listed in `uses`", d->name);
		diag_add_label(DIAGS(c), dg, d->block->src, d->block->u.block.label_span,
			       "declared as a job here");
		diag_add_help(DIAGS(c), dg, "a job is not reached over the network; to run it before "
			      "this service starts, remove it here and list the service in the "
			      "job's `before`");
		return true;
	}
	struct diag *dg = diag_emit(DIAGS(c), DIAG_E0241, n->src, n->span,
				    "'%s' is a job, but `%s` names a service", d->name, field);
	diag_add_label(DIAGS(c), dg, d->block->src, d->block->u.block.label_span,
		       "declared as a job here");
	diag_add_help(DIAGS(c), dg, !strcmp(field, "before")
		      ? "`before` lists the services that wait for this job; jobs run in no "
			"order among themselves, so list services only"
		      : "`from` names the service whose image the job runs");
	return true;
}

static void check_source(struct checker *c, struct tblock *tb, const struct ast_node **set)
{
	const char *names[] = { "from", "image", "build" };
	const struct ast_node *at[3];
	int count = 0;
	for (int i = 0; i < 3; i++) {
		at[i] = set[schema_field_index(tb->kind, schema_field(tb->kind, names[i]))];
		count += at[i] != NULL;
	}
	if (count == 1)
		return;
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0242, tb->node->src, label_span(tb),
				   count ? "job '%s' sets more than one of from, image and build"
					 : "job '%s' has none of from, image and build", tb->label);
	for (int i = 0; i < 3; i++)
		if (at[i])
			diag_add_label(DIAGS(c), d, at[i]->src, at[i]->kind == AST_BLOCK
				       ? at[i]->u.block.kind_span : at[i]->u.attr.name_span,
				       "%s set here", names[i]);
	diag_add_help(DIAGS(c), d, count ? "keep one: the image of a service (from = NAME), a "
		      "published image, or a build" : "set from = SERVICE to run that service's "
		      "image with this job's command, or image = \"name:tag\"");
}

/* The schedule's bad part, inside the quotes when the literal is written
 * as its value reads (no escapes, no interpolation), else the value. */
static struct span bad_span(const struct tval *v, const struct cron_error *e)
{
	const struct ast_node *n = v->node;
	struct span s = n->span;
	size_t len = strlen(v->u.s);
	if (n->kind == AST_STRING && s.end - s.start == len + 2 &&
	    !memcmp(n->src->text + s.start + 1, v->u.s, len) && e->end > e->start) {
		s.start += (uint32_t)(1 + e->start);
		s.end = s.start + (uint32_t)(e->end - e->start);
	}
	return s;
}

static void check_job_schedule(struct checker *c, struct tblock *tb)
{
	struct tval *v = tblock_get(tb, "schedule");
	if (!v || !v->node)
		return;
	struct cron_error e;
	if (cron_check(v->u.s, &e)) {
		struct tval *before = tblock_get(tb, "before");
		if (!before || !before->node)
			return;
		struct diag *d = diag_emit(DIAGS(c), DIAG_E0243, before->node->src, before->node->span,
					   "scheduled job '%s' lists services in `before`", tb->label);
		diag_add_label(DIAGS(c), d, v->node->src, v->node->span, "scheduled here");
		diag_add_help(DIAGS(c), d, "a scheduled job runs on its schedule, not on a deploy: "
			      "remove `before`, or remove `schedule` to run it once per deploy");
		return;
	}
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0350, v->node->src, bad_span(v, &e),
				   "schedule of job '%s' is not a cron expression: %s", tb->label, e.why);
	diag_add_help(DIAGS(c), d, "write minute hour day-of-month month day-of-week, in UTC: "
		      "\"0 3 * * *\" runs every day at 03:00, \"*/15 * * * 1-5\" every quarter "
		      "hour on weekdays");
}

/* `from` without `command` starts the service's own process (its build's
 * start command or the image's CMD): a server, which never completes. */
static void check_from_command(struct checker *c, struct tblock *tb)
{
	struct tval *from = tblock_get(tb, "from");
	if (!from || !from->node || tblock_get(tb, "command") || tblock_get(tb, "image") ||
	    tblock_get(tb, "build"))
		return;  /* with an image or a build too, E0242 says what is wrong */
	struct diag *d = diag_emit(DIAGS(c), DIAG_W0060, from->node->src, from->node->span,
				   "job '%s' runs the image of '%s' with that service's own command",
				   tb->label, from->u.ref->name);
	diag_add_note(DIAGS(c), d, "a long-running process never completes: the deploy would "
		      "wait for the job until its timeout");
	diag_add_help(DIAGS(c), d, "set command = [...] to what the job runs, e.g. "
		      "[\"alembic\", \"upgrade\", \"head\"]");
}

void check_job(struct checker *c, struct tblock *tb, const struct ast_node **set)
{
	const char *why = validate_name(tb->label);
	if (why) {
		struct diag *d = diag_emit(DIAGS(c), DIAG_E0315, tb->node->src, label_span(tb),
					   "'%s' is not a valid job name: %s", tb->label, why);
		diag_add_note(DIAGS(c), d, "job names become container and object names on every target");
	}
	check_source(c, tb, set);
	check_from_command(c, tb);
	check_job_schedule(c, tb);
	check_uses_once(c, tb);
}

/* --- the whole deployment ------------------------------------------------ */

static const struct ast_node *list_entry(struct program *p, const char *decl,
					 const char *field, const char *name)
{
	struct decl *d = program_find(p, decl);
	struct tval *list = d && d->typed ? tblock_get(d->typed, field) : NULL;
	for (struct tval *v = list ? list->u.items : NULL; v; v = v->next)
		if (!strcmp(v->u.ref->name, name))
			return v->node;
	return d ? d->block : NULL;
}

static void check_job_ports(struct program *p, const struct model_job *j)
{
	for (size_t u = 0; u < j->run->uses_count; u++) {
		const struct model_service *t = j->run->uses[u];
		if (t->port)
			continue;
		const struct ast_node *at = list_entry(p, j->name, "uses", t->name);
		struct diag *d = diag_emit(p->diags, DIAG_E0321, at->src, at->span,
					   "job '%s' uses '%s', which has no port", j->name, t->name);
		diag_add_help(p->diags, d, "give '%s' a port, or remove it from `uses`", t->name);
	}
}

/* Waits as a graph: node i < S is service i, S + j is job j.  A service
 * waits for what it uses and for the one-off jobs naming it in `before`;
 * a job waits for what it uses. */
struct waits {
	const struct model *m;
	size_t services;
	size_t **job_of;     /* per service: jobs naming it in `before` (indices) */
	size_t *job_count;
};

static size_t edge_count(const struct waits *w, size_t node)
{
	if (node < w->services)
		return w->m->services[node]->uses_count + w->job_count[node];
	return w->m->jobs[node - w->services]->run->uses_count;
}

static size_t edge_to(const struct waits *w, size_t node, size_t i)
{
	if (node >= w->services)
		return w->m->jobs[node - w->services]->run->uses[i]->index;
	const struct model_service *s = w->m->services[node];
	if (i < s->uses_count)
		return s->uses[i]->index;
	return w->services + w->job_of[node][i - s->uses_count];
}

static const char *node_name(const struct waits *w, size_t node)
{
	return node < w->services ? w->m->services[node]->name
				  : w->m->jobs[node - w->services]->name;
}

static void report_cycle(struct program *p, const struct waits *w, const size_t *stack,
			 size_t depth, size_t back)
{
	struct strbuf path;
	strbuf_init(&path);
	size_t first = 0;
	while (stack[first] != back)
		first++;
	size_t job = SIZE_MAX;
	for (size_t i = first; i < depth; i++) {
		strbuf_printf(&path, "%s -> ", node_name(w, stack[i]));
		if (stack[i] >= w->services && job == SIZE_MAX)
			job = stack[i];
	}
	strbuf_puts(&path, node_name(w, back));
	/* Point at the `before` entry that closes the cycle at the job. */
	const struct model_job *j = w->m->jobs[job - w->services];
	size_t k = first;
	while (stack[k] != job)
		k++;
	size_t waiter = k > first ? stack[k - 1] : stack[depth - 1];
	const struct ast_node *at = list_entry(p, j->name, "before", node_name(w, waiter));
	struct diag *d = diag_emit(p->diags, DIAG_E0244, at->src, at->span,
				   "job '%s' and the services around it wait for each other: %s "
				   "(each waits for the next)", j->name, path.data);
	diag_add_help(p->diags, d, "a job starts after the services it uses and before those in "
		      "its `before`; remove one of these `uses` or `before` entries");
	strbuf_free(&path);
}

/* Depth-first, iterative (a chain of services may be long); stops at
 * the first cycle, since one fix often breaks the others. */
static void find_cycle(struct program *p, const struct waits *w)
{
	size_t n = w->services + w->m->job_count;
	unsigned char *state = xcalloc(n, 1);   /* 0 new, 1 on stack, 2 done */
	size_t *stack = xcalloc(n, sizeof *stack), *next = xcalloc(n, sizeof *next);
	for (size_t root = w->services; root < n; root++) {
		if (state[root])
			continue;
		size_t depth = 0;
		stack[depth] = root;
		next[depth++] = 0;
		state[root] = 1;
		while (depth) {
			size_t node = stack[depth - 1];
			if (next[depth - 1] == edge_count(w, node)) {
				state[node] = 2;
				depth--;
				continue;
			}
			size_t to = edge_to(w, node, next[depth - 1]++);
			if (state[to] == 1) {
				report_cycle(p, w, stack, depth, to);
				goto done;
			}
			if (!state[to]) {
				state[to] = 1;
				stack[depth] = to;
				next[depth++] = 0;
			}
		}
	}
done:
	free(state);
	free(stack);
	free(next);
}

void check_jobs_model(struct program *p, struct model *m)
{
	if (!m->job_count)
		return;
	for (size_t j = 0; j < m->job_count; j++)
		check_job_ports(p, m->jobs[j]);
	if (m->deps->cycle_count)
		return;  /* E0311 already; the service graph must be sound first */
	struct waits w = { m, m->service_count, NULL, NULL };
	w.job_of = arena_calloc(p->arena, m->service_count + 1, sizeof *w.job_of);
	w.job_count = arena_calloc(p->arena, m->service_count + 1, sizeof *w.job_count);
	for (size_t j = 0; j < m->job_count; j++)
		for (size_t b = 0; b < m->jobs[j]->before_count; b++)
			w.job_count[m->jobs[j]->before[b]->index]++;
	for (size_t s = 0; s < m->service_count; s++) {
		w.job_of[s] = arena_calloc(p->arena, w.job_count[s] + 1, sizeof **w.job_of);
		w.job_count[s] = 0;
	}
	for (size_t j = 0; j < m->job_count; j++)
		for (size_t b = 0; b < m->jobs[j]->before_count; b++) {
			size_t s = m->jobs[j]->before[b]->index;
			w.job_of[s][w.job_count[s]++] = j;
		}
	find_cycle(p, &w);
}
