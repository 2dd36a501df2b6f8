/* emit_k8s_workload.c - the pods: service accounts, Deployments and
 * StatefulSets, disruption budgets and autoscalers.
 *
 * Every pod runs as the model's numeric non-root user and group under
 * the RuntimeDefault seccomp profile, with no service account token (it
 * talks to no Kubernetes API) and no service-link variables; its
 * container cannot gain privileges, keeps no capability, and has a
 * read-only root filesystem with an in-memory emptyDir for each `tmpfs`
 * path.  A service with a data volume runs as a StatefulSet whose claim
 * template gives each replica its own volume of the declared size,
 * writable by the service's group (fsGroup); the rest run as
 * Deployments.  Rollouts start new pods before stopping old ones
 * (maxUnavailable 0, maxSurge = rollout.parallelism), wait rollout.delay
 * after each is ready (minReadySeconds), and report failure after the
 * progress deadline, which is what a pipeline rolls back on: Kubernetes
 * itself never rolls back.  An autoscaled workload has no replicas field;
 * its HorizontalPodAutoscaler holds the count between `min` and `max`. */
#include <stdio.h>
#include <string.h>

#include "emit_k8s.h"
#include "escape.h"
#include "format.h"

/* --- service account ------------------------------------------------------- */

/* One identity per service, so a later role binding or cloud IAM
 * binding can name exactly one workload; it mounts no token. */
bool emit_k8s_service_account(struct k8s *k, const struct model_service *s)
{
	if (!k8s_begin(k, arena_printf(k->a, "%s-serviceaccount", s->name), "v1", "ServiceAccount"))
		return false;
	k8s_metadata(k, s->name, s, NULL);
	yaml_kv_bool(&k->y, "automountServiceAccountToken", false);
	return k8s_end(k);
}

/* --- the container ----------------------------------------------------------- */

/* The secret contract (`secrets_as`): the variable NAME from the
 * Secret's key, or NAME_FILE naming the key mounted as a file under
 * /run/secrets, the path Compose uses. */
#define SECRETS_VOLUME "run-secrets"
#define SECRETS_DIR "/run/secrets"

void k8s_secret_env(struct k8s *k, const struct model_service *s, const char *env,
		    const char *secret, const char *file)
{
	yaml_map(&k->y);
	if (s->secrets_as_file) {
		yaml_kv_str(&k->y, "name", arena_printf(k->a, "%s_FILE", env));
		yaml_kv_str(&k->y, "value", file);
		yaml_close(&k->y);
		return;
	}
	yaml_kv_str(&k->y, "name", env);
	yaml_key_map(&k->y, "valueFrom");
	yaml_key_map(&k->y, "secretKeyRef");
	yaml_kv_str(&k->y, "name", secret);
	yaml_kv_str(&k->y, "key", secret);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void put_secret_env(struct k8s *k, const struct model_service *s, const struct model_secret_ref *r)
{
	k8s_secret_env(k, s, r->env, k8s_secret_name(k, r->secret),
		       arena_printf(k->a, SECRETS_DIR "/%s", r->secret->name));
}

static void put_env(struct k8s *k, const struct model_service *s)
{
	if (!s->env && !s->secrets && !s->composed)
		return;
	yaml_key_seq(&k->y, "env");
	for (const struct model_kv *kv = s->env; kv; kv = kv->next) {
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "name", kv->key);
		yaml_kv_str(&k->y, "value", escape_k8s(k->a, kv->value));
		yaml_close(&k->y);
	}
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
		put_secret_env(k, s, r);
	k8s_composed_env(k, s, SECRETS_DIR);
	yaml_close(&k->y);
}

static bool secret_files(const struct model_service *s)
{
	return (s->secrets || s->composed) && s->secrets_as_file;
}

/* One projected volume holds every secret file of the pod, each key at
 * the secret's name, read-only and readable by the pod's group only
 * (fsGroup makes the files the group's). */
static void put_secret_volume(struct k8s *k, const struct model_service *s)
{
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "name", SECRETS_VOLUME);
	yaml_key_map(&k->y, "projected");
	yaml_kv_int(&k->y, "defaultMode", 0440);
	yaml_key_seq(&k->y, "sources");
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		const char *name = k8s_secret_name(k, r->secret);
		yaml_map(&k->y);
		yaml_key_map(&k->y, "secret");
		yaml_kv_str(&k->y, "name", name);
		yaml_key_seq(&k->y, "items");
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "key", name);
		yaml_kv_str(&k->y, "path", r->secret->name);
		yaml_close(&k->y);
		yaml_close(&k->y);
		yaml_close(&k->y);
		yaml_close(&k->y);
	}
	k8s_composed_volume_sources(k, s);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void put_quantities(struct k8s *k, const char *key, const struct model_service *s,
			   bool limit)
{
	yaml_key_map(&k->y, key);
	if (s->cpu.set)
		yaml_kv_str(&k->y, "cpu", format_k8s_cpu(k->a, limit ? s->cpu.limit : s->cpu.request));
	if (s->memory.set)
		yaml_kv_str(&k->y, "memory", format_k8s_memory(k->a,
			    limit ? s->memory.limit : s->memory.request));
	yaml_close(&k->y);
}

static void put_resources(struct k8s *k, const struct model_service *s)
{
	if (!s->cpu.set && !s->memory.set)
		return;
	yaml_key_map(&k->y, "resources");
	put_quantities(k, "requests", s, false);
	put_quantities(k, "limits", s, true);
	yaml_close(&k->y);
}

static void put_probe_action(struct k8s *k, const struct model_probe *p)
{
	if (p->kind == PROBE_EXEC) {
		yaml_key_map(&k->y, "exec");
		yaml_key_seq(&k->y, "command");
		for (size_t i = 0; i < p->command.count; i++)
			yaml_str(&k->y, escape_k8s(k->a, p->command.items[i]));
		yaml_close(&k->y);
		yaml_close(&k->y);
		return;
	}
	yaml_key_map(&k->y, p->kind == PROBE_HTTP ? "httpGet" : "tcpSocket");
	if (p->kind == PROBE_HTTP)
		yaml_kv_str(&k->y, "path", p->path);
	yaml_kv_int(&k->y, "port", p->port);
	yaml_close(&k->y);
}

/* Whole seconds, or Kubernetes' own default when the model has none. */
static int64_t seconds_or(int64_t ms, int64_t dflt)
{
	return ms > 0 ? format_seconds(ms) : dflt;
}

/* `start` delays only the first probe to run: the startup probe when
 * there is one, since liveness and readiness wait for it anyway. */
static void put_probe(struct k8s *k, const char *key, const struct model_probe *p,
		      const struct model_health *h, bool first)
{
	if (p->kind == PROBE_NONE || (p->kind != PROBE_EXEC && p->port <= 0))
		return;
	yaml_key_map(&k->y, key);
	put_probe_action(k, p);
	yaml_kv_int(&k->y, "initialDelaySeconds", first ? format_seconds(h->start_ms) : 0);
	yaml_kv_int(&k->y, "periodSeconds", seconds_or(h->interval_ms, 10));
	yaml_kv_int(&k->y, "timeoutSeconds", seconds_or(h->timeout_ms, 1));
	yaml_kv_int(&k->y, "failureThreshold", h->retries > 0 ? h->retries : 3);
	yaml_close(&k->y);
}

static void put_probes(struct k8s *k, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	bool startup = h->startup.kind != PROBE_NONE;
	put_probe(k, "startupProbe", &h->startup, h, true);
	put_probe(k, "livenessProbe", &h->liveness, h, !startup);
	put_probe(k, "readinessProbe", &h->readiness, h, !startup);
}

static void put_ports(struct k8s *k, const struct model_service *s)
{
	bool metrics = s->metrics.set && s->metrics.port > 0 && s->metrics.port != s->port;
	if (!s->port && !metrics)
		return;
	yaml_key_seq(&k->y, "ports");
	if (s->port) {
		yaml_map(&k->y);
		yaml_kv_int(&k->y, "containerPort", s->port);
		yaml_kv_str(&k->y, "protocol", "TCP");
		yaml_close(&k->y);
	}
	if (metrics) {
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "name", "metrics");
		yaml_kv_int(&k->y, "containerPort", s->metrics.port);
		yaml_kv_str(&k->y, "protocol", "TCP");
		yaml_close(&k->y);
	}
	yaml_close(&k->y);
}

static void put_container_security(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "securityContext");
	k8s_locked_down(k, s->read_only);
	yaml_close(&k->y);
}

/* "tmpfs-" and the path's letters and digits ("/var/run/postgresql" ->
 * "tmpfs-var-run-postgresql"); a repeat or an overlong name falls back to
 * "tmpfs-N", so names stay unique, valid and stable. */
static const char *tmpfs_volume(struct k8s *k, const struct model_service *s, size_t i)
{
	const char *name = arena_printf(k->a, "tmpfs-%s", output_slug(k->a, s->tmpfs.items[i]));
	bool clash = strlen(name) > 63;
	for (size_t j = 0; j < i && !clash; j++)
		clash = !strcmp(name, arena_printf(k->a, "tmpfs-%s", output_slug(k->a, s->tmpfs.items[j])));
	return clash ? arena_printf(k->a, "tmpfs-%zu", i) : name;
}

static void put_mount(struct k8s *k, const char *name, const char *path)
{
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "name", name);
	yaml_kv_str(&k->y, "mountPath", path);
	yaml_close(&k->y);
}

static bool has_data(const struct model_service *s)
{
	return s->volume && s->data_path;
}

static void put_mounts(struct k8s *k, const struct model_service *s)
{
	if (!s->tmpfs.count && !has_data(s) && !secret_files(s))
		return;
	yaml_key_seq(&k->y, "volumeMounts");
	if (secret_files(s)) {
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "name", SECRETS_VOLUME);
		yaml_kv_str(&k->y, "mountPath", SECRETS_DIR);
		yaml_kv_bool(&k->y, "readOnly", true);
		yaml_close(&k->y);
	}
	if (has_data(s))
		put_mount(k, k8s_name(k, s->volume->name), s->data_path);
	for (size_t i = 0; i < s->tmpfs.count; i++)
		put_mount(k, tmpfs_volume(k, s, i), s->tmpfs.items[i]);
	yaml_close(&k->y);
}

static void put_container(struct k8s *k, const struct model_service *s)
{
	char image[512];
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "name", s->name);
	yaml_kv_str(&k->y, "image", model_service_image(k->m, s, image, sizeof image));
	/* Every release is a new immutable tag (the commit SHA), so a node
	 * that has the image already has the right one. */
	yaml_kv_str(&k->y, "imagePullPolicy", "IfNotPresent");
	/* `command` replaces the image's CMD and keeps its ENTRYPOINT, as in
	 * Compose: that is Kubernetes' args. */
	if (s->command.count) {
		yaml_key_seq(&k->y, "args");
		for (size_t i = 0; i < s->command.count; i++)
			yaml_str(&k->y, escape_k8s(k->a, s->command.items[i]));
		yaml_close(&k->y);
	}
	put_ports(k, s);
	put_env(k, s);
	put_resources(k, s);
	put_probes(k, s);
	put_container_security(k, s);
	put_mounts(k, s);
	yaml_close(&k->y);
}

/* --- the pod ------------------------------------------------------------- */

static void put_pod_security(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "securityContext");
	yaml_kv_bool(&k->y, "runAsNonRoot", true);
	yaml_kv_int(&k->y, "runAsUser", s->user);
	yaml_kv_int(&k->y, "runAsGroup", s->user);
	if (has_data(s) || secret_files(s))
		yaml_kv_int(&k->y, "fsGroup", s->user);
	if (has_data(s))
		yaml_kv_str(&k->y, "fsGroupChangePolicy", "OnRootMismatch");
	yaml_key_map(&k->y, "seccompProfile");
	yaml_kv_str(&k->y, "type", "RuntimeDefault");
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* Replicas spread over zones and nodes when the cluster allows it
 * (ScheduleAnyway), so one node or zone going down leaves some running. */
static void put_spread(struct k8s *k, const struct model_service *s)
{
	static const char *const keys[] = { "topology.kubernetes.io/zone", "kubernetes.io/hostname" };
	if (k8s_replicas(s) < 2)
		return;
	yaml_key_seq(&k->y, "topologySpreadConstraints");
	for (size_t i = 0; i < 2; i++) {
		yaml_map(&k->y);
		yaml_kv_int(&k->y, "maxSkew", 1);
		yaml_kv_str(&k->y, "topologyKey", keys[i]);
		yaml_kv_str(&k->y, "whenUnsatisfiable", "ScheduleAnyway");
		yaml_key_map(&k->y, "labelSelector");
		k8s_match_labels(k, s);
		yaml_close(&k->y);
		yaml_close(&k->y);
	}
	yaml_close(&k->y);
}

static void put_volumes(struct k8s *k, const struct model_service *s)
{
	if (!s->tmpfs.count && !secret_files(s))
		return;
	yaml_key_seq(&k->y, "volumes");
	if (secret_files(s))
		put_secret_volume(k, s);
	for (size_t i = 0; i < s->tmpfs.count; i++) {
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "name", tmpfs_volume(k, s, i));
		yaml_key_map(&k->y, "emptyDir");
		yaml_kv_str(&k->y, "medium", "Memory");
		yaml_close(&k->y);
		yaml_close(&k->y);
	}
	yaml_close(&k->y);
}

static void put_pod_metadata(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "metadata");
	k8s_labels(k, "labels", s, NULL);
	if (s->metrics.set && s->metrics.port > 0) {
		yaml_key_map(&k->y, "annotations");
		yaml_kv_str(&k->y, "prometheus.io/scrape", "true");
		yaml_kv_str(&k->y, "prometheus.io/port", arena_printf(k->a, "%d", s->metrics.port));
		yaml_kv_str(&k->y, "prometheus.io/path", s->metrics.path);
		yaml_close(&k->y);
	}
	yaml_close(&k->y);
}

void k8s_pod_template(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "template");
	put_pod_metadata(k, s);
	yaml_key_map(&k->y, "spec");
	yaml_kv_str(&k->y, "serviceAccountName", s->name);
	yaml_kv_bool(&k->y, "automountServiceAccountToken", false);
	yaml_kv_bool(&k->y, "enableServiceLinks", false);
	k8s_pull_secrets(k, s);
	if (s->job)  /* a failed run is the Job's to retry (backoffLimit), never the kubelet's */
		yaml_kv_str(&k->y, "restartPolicy", "Never");
	put_pod_security(k, s);
	put_spread(k, s);
	k8s_wait_containers(k, s);
	yaml_key_seq(&k->y, "containers");
	put_container(k, s);
	yaml_close(&k->y);
	put_volumes(k, s);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* --- Deployment and StatefulSet ------------------------------------------ */

/* Long enough to pull the image onto a cold node (five minutes) and for
 * the health block to pass (start + interval x retries), plus the wait
 * after ready; past it the rollout counts as failed. */
static int64_t progress_deadline(const struct model_service *s)
{
	const struct model_health *h = &s->health;
	return 300 + format_seconds(h->start_ms) + format_seconds(h->interval_ms) * h->retries +
	       format_seconds(s->rollout.delay_ms);
}

static void put_deployment_strategy(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "strategy");
	yaml_kv_str(&k->y, "type", "RollingUpdate");
	yaml_key_map(&k->y, "rollingUpdate");
	yaml_kv_int(&k->y, "maxSurge", s->rollout.parallelism > 0 ? s->rollout.parallelism : 1);
	yaml_kv_int(&k->y, "maxUnavailable", 0);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_kv_int(&k->y, "progressDeadlineSeconds", progress_deadline(s));
}

static void put_claim_template(struct k8s *k, const struct model_service *s)
{
	const struct model_volume *v = s->volume;
	yaml_key_seq(&k->y, "volumeClaimTemplates");
	yaml_map(&k->y);
	yaml_key_map(&k->y, "metadata");
	yaml_kv_str(&k->y, "name", k8s_name(k, v->name));
	k8s_labels(k, "labels", s, NULL);
	yaml_close(&k->y);
	yaml_key_map(&k->y, "spec");
	yaml_key_seq(&k->y, "accessModes");
	yaml_str(&k->y, "ReadWriteOnce");
	yaml_close(&k->y);
	if (v->class)
		yaml_kv_str(&k->y, "storageClassName", v->class);
	yaml_key_map(&k->y, "resources");
	yaml_key_map(&k->y, "requests");
	yaml_kv_str(&k->y, "storage", format_k8s_memory(k->a, v->size_bytes));
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static bool any_dollar(const struct model_strings *list)
{
	for (size_t i = 0; i < list->count; i++)
		if (strchr(list->items[i], '$'))
			return true;
	return false;
}

/* Does escape_k8s change any text of this pod?  Then the file says why
 * it holds "$$", which looks like a mistake to a reader. */
static bool escapes_dollar(const struct model_service *s)
{
	const struct model_health *h = &s->health;
	bool any = any_dollar(&s->command) || any_dollar(&h->liveness.command) ||
		   any_dollar(&h->readiness.command) || any_dollar(&h->startup.command);
	for (const struct model_kv *kv = s->env; kv && !any; kv = kv->next)
		any = strchr(kv->value, '$') != NULL;
	return any;
}

bool emit_k8s_workload(struct k8s *k, const struct model_service *s)
{
	bool sts = k8s_is_stateful(s);
	const char *kind = sts ? "StatefulSet" : "Deployment";
	const char *note = escapes_dollar(s) ? "\"$$\" is a literal \"$\": Kubernetes expands $(VAR) "
		"in commands, arguments, env values and exec probes" : NULL;
	if (!k8s_begin_noted(k, arena_printf(k->a, "%s-%s", s->name, sts ? "statefulset" : "deployment"),
			     "apps/v1", kind, note))
		return false;
	k8s_metadata_open(k, s->name, s, NULL);
	k8s_allow_annotations(k, s->allows);
	yaml_close(&k->y);
	yaml_key_map(&k->y, "spec");
	if (sts)
		yaml_kv_str(&k->y, "serviceName", k8s_headless_name(k, s));
	/* With an autoscaler the count is its to keep: a replicas field would
	 * reset it to the manifest's number on every apply, mid-peak too. */
	if (!s->autoscale.set)
		yaml_kv_int(&k->y, "replicas", s->replicas);
	k8s_selector(k, s);
	yaml_kv_int(&k->y, "minReadySeconds", format_seconds(s->rollout.delay_ms));
	if (!sts)
		put_deployment_strategy(k, s);
	k8s_pod_template(k, s);
	if (sts && has_data(s))
		put_claim_template(k, s);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* --- budget and autoscaler ------------------------------------------------- */

/* One pod at a time may be evicted (a node drain, an upgrade): a budget
 * counted in pods that may go, not pods that must stay, keeps working
 * as the autoscaler changes the count. */
bool emit_k8s_budget(struct k8s *k, const struct model_service *s)
{
	if (k8s_replicas(s) < 2)
		return true;
	if (!k8s_begin(k, arena_printf(k->a, "%s-pdb", s->name), "policy/v1", "PodDisruptionBudget"))
		return false;
	k8s_metadata(k, s->name, s, NULL);
	yaml_key_map(&k->y, "spec");
	yaml_kv_int(&k->y, "maxUnavailable", 1);
	k8s_selector(k, s);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* Average cpu use as a percentage of the pods' cpu request. */
static void put_cpu_metric(struct k8s *k, int percent)
{
	yaml_key_seq(&k->y, "metrics");
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "type", "Resource");
	yaml_key_map(&k->y, "resource");
	yaml_kv_str(&k->y, "name", "cpu");
	yaml_key_map(&k->y, "target");
	yaml_kv_str(&k->y, "type", "Utilization");
	yaml_kv_int(&k->y, "averageUtilization", percent);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

bool emit_k8s_autoscaler(struct k8s *k, const struct model_service *s)
{
	if (!s->autoscale.set)
		return true;
	int percent = (int)(s->autoscale.cpu_percent + 0.5);
	if (!k8s_begin(k, arena_printf(k->a, "%s-hpa", s->name), "autoscaling/v2",
		       "HorizontalPodAutoscaler"))
		return false;
	k8s_metadata(k, s->name, s, NULL);
	yaml_key_map(&k->y, "spec");
	yaml_key_map(&k->y, "scaleTargetRef");
	yaml_kv_str(&k->y, "apiVersion", "apps/v1");
	yaml_kv_str(&k->y, "kind", k8s_is_stateful(s) ? "StatefulSet" : "Deployment");
	yaml_kv_str(&k->y, "name", s->name);
	yaml_close(&k->y);
	yaml_kv_int(&k->y, "minReplicas", s->autoscale.min);
	yaml_kv_int(&k->y, "maxReplicas", s->autoscale.max);
	put_cpu_metric(k, percent > 0 ? percent : 1);
	yaml_close(&k->y);
	return k8s_end(k);
}
