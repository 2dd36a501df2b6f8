/* emit_k8s.h - what the parts of the Kubernetes backend share.
 *
 * The backend writes one object per file under k8s/ and is split by
 * concern: emit_k8s.c (the driver, the namespace, secrets, the
 * kustomization and the helpers below), emit_k8s_workload.c (service
 * accounts, Deployments and StatefulSets, disruption budgets,
 * autoscalers) and emit_k8s_network.c (Services, Ingresses and
 * NetworkPolicies).  Every object goes through k8s_begin/k8s_end, which
 * also records its file for kustomization.yaml, so a file written is a
 * file listed. */
#ifndef DEPC_EMIT_K8S_H
#define DEPC_EMIT_K8S_H

#include <stdbool.h>

#include "model.h"
#include "output.h"
#include "yaml_out.h"

/* The init containers' image: busybox has `nc -z`; the tag is a release,
 * never `latest` (E0408), but not a digest (the report says so). */
#define K8S_WAIT_IMAGE "busybox:1.36.1"

struct k8s {
	struct yaml_out y;           /* the object being written */
	struct output *o;
	struct arena *a;
	const struct model *m;
	const char *path;            /* of the file being written */
	const char **files;          /* written so far, relative to k8s/ */
	size_t file_count, file_cap;
	/* The policy exceptions of the declaration whose objects are being
	 * written, and what it is ("service web"): each of its files names
	 * them in comments.  NULL between declarations. */
	const struct model_allow *allows;
	const char *allows_of;
};

/* Starts k8s/FILE.yaml with the banner, apiVersion and kind, leaving the
 * object's mapping open; false (o->error set) when the output refused
 * the file. */
bool k8s_begin(struct k8s *k, const char *file, const char *api, const char *kind);
/* The same with a second comment line, `note`, under the banner. */
bool k8s_begin_noted(struct k8s *k, const char *file, const char *api, const char *kind,
		     const char *note);
/* Closes the object and the document; false when the emitter failed. */
bool k8s_end(struct k8s *k);
/* Inside a container's securityContext: no privilege escalation, not
 * privileged, every capability dropped, and the root filesystem
 * read-only unless the source opts out. */
void k8s_locked_down(struct k8s *k, bool read_only_root);

/* metadata: name, namespace and the app.kubernetes.io labels.  `s` is
 * the service the object belongs to, or NULL for an app-wide object,
 * which is labelled with the app and `component` instead. */
void k8s_metadata(struct k8s *k, const char *name, const struct model_service *s,
		  const char *component);
/* The same, leaving metadata open for annotations; the caller closes it. */
void k8s_metadata_open(struct k8s *k, const char *name, const struct model_service *s,
		       const char *component);
/* annotations: depc.dev/allow.CODE: REASON for each policy exception,
 * inside an open metadata mapping; nothing when there is none.  Unlike a
 * comment, an annotation stays on the object in the cluster. */
void k8s_allow_annotations(struct k8s *k, const struct model_allow *allows);
/* ExternalSecrets (emit_k8s.c): how often one re-reads a secret, and its
 * spec up to an open `target` (name, creationPolicy written). */
/* One env entry of the secret contract (emit_k8s_workload.c): ENV from
 * key SECRET of Secret SECRET, or ENV_FILE naming `file` (secrets_as). */
void k8s_secret_env(struct k8s *k, const struct model_service *s, const char *env,
		    const char *secret, const char *file);
int64_t k8s_refresh_ms(const struct model_secret *sec);
void k8s_eso_spec_open(struct k8s *k, int64_t refresh_ms, const char *name);
/* The labels above, as a mapping under `key` (e.g. a pod template's). */
void k8s_labels(struct k8s *k, const char *key, const struct model_service *s,
		const char *component);
/* matchLabels: the two labels that select a service's pods, unique in a
 * namespace shared with other apps. */
void k8s_match_labels(struct k8s *k, const struct model_service *s);
/* selector: { matchLabels: ... } for workloads and budgets. */
void k8s_selector(struct k8s *k, const struct model_service *s);

/* A Kubernetes object name from a depc name: '_' becomes '-', letters
 * are lowered ("database_url" -> "database-url"). */
const char *k8s_name(struct k8s *k, const char *name);
/* The Secret (made by the ExternalSecret) holding `sec`, and its key. */
const char *k8s_secret_name(struct k8s *k, const struct model_secret *sec);

/* The headless Service that gives a StatefulSet's pods their names. */
const char *k8s_headless_name(struct k8s *k, const struct model_service *s);

/* Replicas the workload runs at least: the autoscaler's minimum when
 * there is one, since the autoscaler then owns the count. */
int k8s_replicas(const struct model_service *s);
/* A StatefulSet (one volume per replica, stable names) rather than a
 * Deployment: the service is `stateful` or keeps data in a volume. */
bool k8s_is_stateful(const struct model_service *s);
/* Prometheus scrapes the service's pods inside the cluster. */
bool k8s_scraped(const struct model *m, const struct model_service *s);

/* The same, for a file kustomization.yaml does not list (a one-off
 * Job, which the workflow replaces on each deploy). */
bool k8s_begin_unlisted(struct k8s *k, const char *file, const char *api, const char *kind);

bool emit_k8s_service_account(struct k8s *k, const struct model_service *s);
/* A pod template: labels, identity, security, init containers, the
 * container and its volumes; a job's restarts Never. */
void k8s_pod_template(struct k8s *k, const struct model_service *s);
/* emit_k8s_job.c: a job's ServiceAccount, Job or CronJob, NetworkPolicy. */
bool emit_k8s_job(struct k8s *k, const struct model_job *j);
bool emit_k8s_jobs_kustomization(struct k8s *k);
bool emit_k8s_workload(struct k8s *k, const struct model_service *s);
bool emit_k8s_budget(struct k8s *k, const struct model_service *s);
bool emit_k8s_autoscaler(struct k8s *k, const struct model_service *s);

/* initContainers waiting for what s depends on, if s waits (wait_for). */
void k8s_wait_containers(struct k8s *k, const struct model_service *s);

/* emit_k8s_registry.c: an ExternalSecret making a dockerconfigjson
 * Secret per registry an image is pulled from, and a pod spec's
 * imagePullSecrets naming the one its image needs (nothing when none). */
bool emit_k8s_registries(struct k8s *k);
void k8s_pull_secrets(struct k8s *k, const struct model_service *s);

bool emit_k8s_services(struct k8s *k, const struct model_service *s);
bool emit_k8s_ingress(struct k8s *k, const struct model_service *s);
bool emit_k8s_policies(struct k8s *k);
bool emit_k8s_service_policy(struct k8s *k, const struct model_service *s);
/* emit_k8s_composed.c: an ExternalSecret that renders each composed
 * secret value; the container's variables (or NAME_FILE under `dir`) and
 * the projected volume's sources that read them. */
const char *k8s_composed_name(struct k8s *k, const struct model_service *s,
			      const struct model_composed *c);
bool emit_k8s_composed_secrets(struct k8s *k);
void k8s_composed_env(struct k8s *k, const struct model_service *s, const char *dir);
void k8s_composed_volume_sources(struct k8s *k, const struct model_service *s);
/* emit_k8s_monitoring.c: the Prometheus Operator's objects, when asked. */
bool emit_k8s_monitoring(struct k8s *k);

#endif
