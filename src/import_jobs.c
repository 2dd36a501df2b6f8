/* import_jobs.c - Compose services that run to completion, as jobs.
 *
 * A service with `restart: "no"`, or one another service waits for with
 * `condition: service_completed_successfully`, is a one-off job: a
 * migration, a seed.  Every `depends_on` on it becomes its `before`
 * (the job runs to completion before that service starts), since no
 * `uses` may name a job.  What a job does not have (a port, health
 * check, replicas, rollout, volume, restart policy) is not imported, and
 * said so.  A service whose image is made by a standard-library
 * template stays a service: a template makes services only. */
#include <string.h>

#include "import_impl.h"

static void move_uses(struct imp *im, struct imp_service *s)
{
	size_t kept = 0;
	for (size_t i = 0; i < s->nuses; i++) {
		struct imp_service *t = s->uses[i];
		if (!t->job) {
			s->uses_at[kept] = s->uses_at[i];
			s->uses[kept++] = t;
			continue;
		}
		if (t->nbefore == t->before_cap) {
			t->before_cap = t->before_cap ? 2 * t->before_cap : 4;
			t->before = imp_grown(im->a, t->before, t->nbefore, t->before_cap,
					      sizeof *t->before);
		}
		t->before[t->nbefore++] = s;
	}
	s->nuses = kept;
}

void imp_jobs(struct imp *im)
{
	for (size_t i = 0; i < im->nservices; i++) {
		struct imp_service *s = &im->services[i];
		if (s->job && s->tmpl) {
			imp_warn(im, s->key, "'%s' runs to completion but is made by %s, a service "
				 "template: it stays a service", s->compose, s->tmpl);
			s->job = false;
		}
	}
	for (size_t i = 0; i < im->nservices; i++)
		move_uses(im, &im->services[i]);
}

/* Slots a job has, in the order a service writes them. */
static bool job_slot(int i)
{
	switch (i) {
	case SL_IMAGE: case SL_BUILD: case SL_COMMAND: case SL_ENV: case SL_SECRETS:
	case SL_USES: case SL_RESOURCES: case SL_USER: case SL_READ_ONLY: case SL_TMPFS:
	case SL_ALLOW:
		return true;
	default:
		return false;
	}
}

bool imp_put_job(struct imp *im, struct imp_service *s, struct strbuf *b)
{
	static const char *const dropped[SL_COUNT] = {
		[SL_REPLICAS] = "replicas", [SL_HEALTH] = "healthcheck", [SL_ROLLOUT] = "update_config",
		[SL_VOLUME] = "volumes", [SL_PLACEMENT] = "placement",
	};
	if (!s->job)
		return false;
	strbuf_printf(b, "\njob %s {\n", s->name);
	if (s->notes.len)
		strbuf_put(b, s->notes.data, s->notes.len);
	for (int i = 0; i < SL_COUNT; i++) {
		if (job_slot(i))
			imp_put_slot(im, s, b, i);
		else if (dropped[i] && s->slot[i].len)
			imp_warn(im, s->key, "%s of '%s' is not imported: a job runs to completion "
				 "and has none", dropped[i], s->compose);
		if (i == SL_USES && s->nbefore) {
			strbuf_puts(b, "before = [");
			for (size_t k = 0; k < s->nbefore; k++)
				strbuf_printf(b, "%s%s", k ? ", " : "", s->before[k]->name);
			strbuf_puts(b, "]\n");
		}
	}
	strbuf_puts(b, "}\n");
	return true;
}
