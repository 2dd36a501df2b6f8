/* lower_jobs.c - `job` declarations to model.jobs.
 *
 * A job's container is lowered as a service is, then given what a run to
 * completion has: one instance, never restarted by the runtime (retries
 * are the job's own), the fields of a long-running service left at
 * nothing.  The declaration's model object is that container, so the
 * policy and the name checks see a job as they see a service. */
#include "model.h"

#include <string.h>

#include "typed.h"

static struct model_service **services_of(struct program *p, const struct tval *list,
					  size_t *count)
{
	*count = 0;
	for (const struct tval *v = list ? list->u.items : NULL; v; v = v->next)
		(*count)++;
	struct model_service **out = arena_calloc(p->arena, *count + 1, sizeof *out);
	size_t i = 0;
	for (const struct tval *v = list ? list->u.items : NULL; v; v = v->next)
		out[i++] = v->u.ref->model;
	return out;
}

static struct model_job *lower_job(struct program *p, struct model *m, struct decl *d)
{
	const struct tblock *b = d->typed;
	struct model_job *j = arena_alloc(p->arena, sizeof *j);
	struct model_service *run = lower_service(p, m, d);
	run->replicas = 1;
	run->restart = "no";
	run->max_attempts = 0;
	run->wait_for = "none";
	run->job = j;
	d->model = run;
	link_uses(p, d);
	j->name = d->name;
	j->run = run;
	const struct tval *from = tblock_get(b, "from");
	j->from = from ? from->u.ref->model : NULL;
	const struct tval *sched = tblock_get(b, "schedule");
	j->schedule = sched ? sched->u.s : NULL;
	j->before = services_of(p, tblock_get(b, "before"), &j->before_count);
	j->timeout_ms = tblock_get(b, "timeout")->u.i;
	j->retries = (int)tblock_get(b, "retries")->u.i;
	j->origin = run->origin;
	return j;
}

void lower_jobs(struct program *p, struct model *m)
{
	size_t n = 0;
	for (struct decl *d = p->decls; d; d = d->next)
		n += !strcmp(d->kind->name, "job");
	m->jobs = arena_calloc(p->arena, n + 1, sizeof *m->jobs);
	for (struct decl *d = p->decls; d; d = d->next)
		if (!strcmp(d->kind->name, "job")) {
			struct model_job *j = lower_job(p, m, d);
			j->index = m->job_count;
			m->jobs[m->job_count++] = j;
		}
}
