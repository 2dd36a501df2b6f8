/* emit_k8s_job.c - jobs on Kubernetes: batch/v1 Jobs and CronJobs.
 *
 * A job's pod is a service's pod (k8s_pod_template): its own
 * ServiceAccount with no token, non-root, read-only, every capability
 * dropped, init containers waiting for what it uses, and a
 * NetworkPolicy letting it reach exactly its `uses`.  Kubernetes 1.23 is
 * the oldest cluster served (ttlSecondsAfterFinished is GA there; the
 * CronJob timeZone field is not, so schedules run in the controller's
 * time zone, UTC on every managed cluster).
 *
 * A scheduled job is a CronJob in the kustomization.  A one-off Job is
 * not: its pod template cannot be changed once created, so `kubectl
 * apply -k` of a new release would fail on it.  It is written to
 * k8s/jobs/NAME-job.yaml, which the workflow deletes, applies and waits
 * for before it rolls out the services in `before` (man/dep.5, JOBS). */
#include "emit_k8s.h"

#include "format.h"

/* Finished Jobs stay a day, so their logs can be read after a deploy. */
#define JOB_TTL_SECONDS 86400
/* A CronJob run the controller missed (it was down) still starts within
 * five minutes; later, it waits for the next time. */
#define CRON_STARTING_DEADLINE 300
#define CRON_HISTORY 3

static void put_job_spec(struct k8s *k, const struct model_job *j, bool ttl)
{
	yaml_key_map(&k->y, "spec");
	yaml_kv_int(&k->y, "backoffLimit", j->retries);
	yaml_kv_int(&k->y, "activeDeadlineSeconds", format_seconds(j->timeout_ms));
	if (ttl)
		yaml_kv_int(&k->y, "ttlSecondsAfterFinished", JOB_TTL_SECONDS);
	k8s_pod_template(k, j->run);
	yaml_close(&k->y);
}

static bool emit_one_off(struct k8s *k, const struct model_job *j)
{
	if (!k8s_begin_unlisted(k, arena_printf(k->a, "jobs/%s-job", j->name), "batch/v1", "Job"))
		return false;
	k8s_metadata_open(k, j->name, j->run, NULL);
	k8s_allow_annotations(k, j->run->allows);
	yaml_close(&k->y);
	put_job_spec(k, j, true);
	return k8s_end(k);
}

static bool emit_cron(struct k8s *k, const struct model_job *j)
{
	if (!k8s_begin(k, arena_printf(k->a, "%s-cronjob", j->name), "batch/v1", "CronJob"))
		return false;
	k8s_metadata_open(k, j->name, j->run, NULL);
	k8s_allow_annotations(k, j->run->allows);
	yaml_close(&k->y);
	yaml_key_map(&k->y, "spec");
	yaml_kv_str(&k->y, "schedule", j->schedule);
	/* A run still going when the next is due: the next is skipped. */
	yaml_kv_str(&k->y, "concurrencyPolicy", "Forbid");
	yaml_kv_int(&k->y, "startingDeadlineSeconds", CRON_STARTING_DEADLINE);
	yaml_kv_int(&k->y, "successfulJobsHistoryLimit", CRON_HISTORY);
	yaml_kv_int(&k->y, "failedJobsHistoryLimit", CRON_HISTORY);
	yaml_key_map(&k->y, "jobTemplate");
	yaml_key_map(&k->y, "metadata");
	k8s_labels(k, "labels", j->run, NULL);
	yaml_close(&k->y);
	put_job_spec(k, j, false);  /* the history limits keep the finished runs */
	yaml_close(&k->y);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* k8s/jobs/kustomization.yaml: the one-off Jobs, applied by the workflow
 * (or by hand: man/dep.5, JOBS) after deleting their previous runs. */
bool emit_k8s_jobs_kustomization(struct k8s *k)
{
	bool any = false;
	for (size_t i = 0; i < k->m->job_count; i++)
		any |= !model_job_scheduled(k->m->jobs[i]);
	if (!any)
		return true;
	if (!k8s_begin_unlisted(k, "jobs/kustomization", "kustomize.config.k8s.io/v1beta1", "Kustomization"))
		return false;
	yaml_key_seq(&k->y, "resources");
	for (size_t i = 0; i < k->m->job_count; i++)
		if (!model_job_scheduled(k->m->jobs[i]))
			yaml_str(&k->y, arena_printf(k->a, "%s-job.yaml", k->m->jobs[i]->name));
	yaml_close(&k->y);
	return k8s_end(k);
}

bool emit_k8s_job(struct k8s *k, const struct model_job *j)
{
	k->allows = j->run->allows;
	k->allows_of = arena_printf(k->a, "job %s", j->name);
	bool ok = emit_k8s_service_account(k, j->run) &&
		  (model_job_scheduled(j) ? emit_cron(k, j) : emit_one_off(k, j)) &&
		  emit_k8s_service_policy(k, j->run);
	k->allows = NULL;
	return ok;
}
