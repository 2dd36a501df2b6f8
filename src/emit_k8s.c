/* emit_k8s.c - Kubernetes manifests under k8s/, one object per file.
 *
 * The app gets a Namespace that enforces the "restricted" Pod Security
 * Standard, so the cluster itself refuses a pod that would run as root or
 * keep a capability.  Each service gets a ServiceAccount, a Deployment
 * (or a StatefulSet with a volume per replica), a Service when it has a
 * port, an Ingress with a cert-manager certificate when it is public, a
 * PodDisruptionBudget when it runs two or more replicas, a
 * HorizontalPodAutoscaler when it declares `autoscale`, and a
 * NetworkPolicy (emit_k8s_workload.c, emit_k8s_network.c).
 *
 * Secrets.  Each secret a service reads gets an ExternalSecret, which
 * makes a Secret of the same name, holding one key of that name, from
 * the app's secret store (a ClusterSecretStore named by app.vault); pods
 * read it through secretKeyRef.  The manifests name the store path,
 * never a value.
 *
 * Labels.  app.kubernetes.io/name is the service (what Prometheus
 * discovery and the Prometheus backend's ServiceMonitors select),
 * instance and part-of the app, component the service again (or, on
 * app-wide objects, what they are), managed-by depc.  Pods are selected
 * by name and instance together, so two apps sharing a namespace cannot
 * select each other's pods.
 *
 * Policy exceptions.  Each file of a service or secret whose source
 * `allow`s a policy rule starts with comment lines naming the rules and
 * reasons, and its workload or ExternalSecret carries them as
 * depc.dev/allow.CODE annotations, which `kubectl apply` keeps.
 *
 * k8s/kustomization.yaml lists every object in the order written, so
 * `kubectl apply -k k8s` applies exactly this backend's tree.  Text from
 * the source that the kubelet would expand ($(VAR) in commands,
 * arguments, environment values and exec probes) goes through
 * escape_k8s.  Reads only the model. */
#include <ctype.h>
#include <string.h>

#include "backends.h"
#include "emit_k8s.h"
#include "format.h"
#include "names.h"

/* --- files and metadata ------------------------------------------------- */

static void remember(struct k8s *k, const char *file)
{
	if (k->file_count == k->file_cap) {
		size_t cap = k->file_cap ? 2 * k->file_cap : 32;
		const char **grown = arena_calloc(k->a, cap, sizeof *grown);
		if (k->file_count)
			memcpy(grown, k->files, k->file_count * sizeof *grown);
		k->files = grown;
		k->file_cap = cap;
	}
	k->files[k->file_count++] = file;
}

static bool begin_file(struct k8s *k, const char *file, const char *note)
{
	k->path = arena_cat(k->a, "k8s/", file, (char *)NULL);
	struct strbuf *b = output_add(k->o, k->path);
	if (!b)
		return false;
	yaml_comment(b, k->a, output_banner(k->o));
	/* one comment line per line of the note */
	for (const char *line = note; line && *line;) {
		size_t n = strcspn(line, "\n");
		yaml_comment(b, k->a, arena_strndup(k->a, line, n));
		line += n + (line[n] == '\n');
	}
	if (k->allows) {
		yaml_comment(b, k->a, "policy exceptions allowed in the source:");
		yaml_comment_allows(b, k->a, k->allows_of, k->allows);
	}
	yaml_begin(&k->y, b);
	yaml_map(&k->y);
	return true;
}

bool k8s_begin_noted(struct k8s *k, const char *file, const char *api, const char *kind,
		     const char *note)
{
	const char *name = arena_cat(k->a, file, ".yaml", (char *)NULL);
	if (!begin_file(k, name, note))
		return false;
	remember(k, name);
	yaml_kv_str(&k->y, "apiVersion", api);
	yaml_kv_str(&k->y, "kind", kind);
	return true;
}

bool k8s_begin_unlisted(struct k8s *k, const char *file, const char *api, const char *kind)
{
	if (!begin_file(k, arena_cat(k->a, file, ".yaml", (char *)NULL), NULL))
		return false;
	yaml_kv_str(&k->y, "apiVersion", api);
	yaml_kv_str(&k->y, "kind", kind);
	return true;
}

bool k8s_begin(struct k8s *k, const char *file, const char *api, const char *kind)
{
	return k8s_begin_noted(k, file, api, kind, NULL);
}

bool k8s_end(struct k8s *k)
{
	yaml_close(&k->y);
	if (yaml_end(&k->y))
		return true;
	k->o->error = arena_printf(k->a, "the YAML emitter failed while writing %s", k->path);
	return false;
}

void k8s_locked_down(struct k8s *k, bool read_only_root)
{
	yaml_kv_bool(&k->y, "allowPrivilegeEscalation", false);
	yaml_kv_bool(&k->y, "privileged", false);
	yaml_kv_bool(&k->y, "readOnlyRootFilesystem", read_only_root);
	yaml_key_map(&k->y, "capabilities");
	yaml_key_seq(&k->y, "drop");
	yaml_str(&k->y, "ALL");
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void common_labels(struct k8s *k, const struct model_service *s, const char *component)
{
	const char *app = k->m->app.name;
	yaml_kv_str(&k->y, "app.kubernetes.io/name", s ? s->name : app);
	yaml_kv_str(&k->y, "app.kubernetes.io/instance", app);
	yaml_kv_str(&k->y, "app.kubernetes.io/component", s ? s->name : component);
	yaml_kv_str(&k->y, "app.kubernetes.io/part-of", app);
	yaml_kv_str(&k->y, "app.kubernetes.io/managed-by", "depc");
}

void k8s_labels(struct k8s *k, const char *key, const struct model_service *s,
		const char *component)
{
	yaml_key_map(&k->y, key);
	common_labels(k, s, component);
	yaml_close(&k->y);
}

void k8s_metadata_open(struct k8s *k, const char *name, const struct model_service *s,
		       const char *component)
{
	yaml_key_map(&k->y, "metadata");
	yaml_kv_str(&k->y, "name", name);
	yaml_kv_str(&k->y, "namespace", k->m->app.namespace);
	k8s_labels(k, "labels", s, component);
}

void k8s_allow_annotations(struct k8s *k, const struct model_allow *allows)
{
	if (!allows)
		return;
	yaml_key_map(&k->y, "annotations");
	for (const struct model_allow *al = allows; al; al = al->next)
		yaml_kv_str(&k->y, arena_printf(k->a, "depc.dev/allow.%s", al->code), al->reason);
	yaml_close(&k->y);
}

void k8s_metadata(struct k8s *k, const char *name, const struct model_service *s,
		  const char *component)
{
	k8s_metadata_open(k, name, s, component);
	yaml_close(&k->y);
}

void k8s_match_labels(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "matchLabels");
	yaml_kv_str(&k->y, "app.kubernetes.io/name", s->name);
	yaml_kv_str(&k->y, "app.kubernetes.io/instance", k->m->app.name);
	yaml_close(&k->y);
}

void k8s_selector(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "selector");
	k8s_match_labels(k, s);
	yaml_close(&k->y);
}

/* --- shared facts --------------------------------------------------------- */

const char *k8s_name(struct k8s *k, const char *name)
{
	return names_k8s(k->a, name);
}

const char *k8s_secret_name(struct k8s *k, const struct model_secret *sec)
{
	return k8s_name(k, sec->name);
}

int k8s_replicas(const struct model_service *s)
{
	return s->autoscale.set ? s->autoscale.min : s->replicas;
}

bool k8s_is_stateful(const struct model_service *s)
{
	return s->stateful || s->volume;
}

/* Discovery `static` scrapes Compose names only; `kubernetes` and `both`
 * scrape the pods from inside the cluster. */
bool k8s_scraped(const struct model *m, const struct model_service *s)
{
	return s->metrics.set && s->metrics.port > 0 && m->monitor &&
	       m->monitor->discovery && strcmp(m->monitor->discovery, "static") != 0;
}

/* --- the namespace -------------------------------------------------------- */

/* Pod Security Admission at "restricted": every pod depc writes meets
 * it, and the namespace then rejects any pod that does not. */
static bool emit_namespace(struct k8s *k)
{
	static const char *const modes[] = { "enforce", "audit", "warn" };
	if (!k8s_begin(k, "namespace", "v1", "Namespace"))
		return false;
	yaml_key_map(&k->y, "metadata");
	yaml_kv_str(&k->y, "name", k->m->app.namespace);
	yaml_key_map(&k->y, "labels");
	common_labels(k, NULL, "namespace");
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		yaml_kv_str(&k->y, arena_printf(k->a, "pod-security.kubernetes.io/%s", modes[i]),
			    "restricted");
	yaml_close(&k->y);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* --- secrets ------------------------------------------------------------- */

/* One key, named like the Secret, read from the vault path (and the
 * property inside it, for a structured secret). */
static void put_secret_data(struct k8s *k, const struct model_secret *sec, const char *key)
{
	yaml_key_seq(&k->y, "data");
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "secretKey", key);
	yaml_key_map(&k->y, "remoteRef");
	yaml_kv_str(&k->y, "key", sec->vault_path);
	if (sec->property)
		yaml_kv_str(&k->y, "property", sec->property);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* The store is re-read hourly, or as often as the secret rotates when
 * that is more often: reading it only once per rotation period would
 * leave the old value in the Secret for up to a whole period. */
int64_t k8s_refresh_ms(const struct model_secret *sec)
{
	int64_t hour = 3600000;
	return sec->rotate_ms > 0 && sec->rotate_ms < hour ? sec->rotate_ms : hour;
}

/* Every ExternalSecret: read from the app's store every refresh_ms into
 * a Secret called `name` that it owns; the target is left open for a
 * template. */
void k8s_eso_spec_open(struct k8s *k, int64_t refresh_ms, const char *name)
{
	yaml_key_map(&k->y, "spec");
	yaml_kv_str(&k->y, "refreshInterval", format_duration(k->a, refresh_ms));
	yaml_key_map(&k->y, "secretStoreRef");
	yaml_kv_str(&k->y, "name", k->m->app.vault);
	yaml_kv_str(&k->y, "kind", "ClusterSecretStore");
	yaml_close(&k->y);
	yaml_key_map(&k->y, "target");
	yaml_kv_str(&k->y, "name", name);
	yaml_kv_str(&k->y, "creationPolicy", "Owner");
}

static bool emit_external_secret(struct k8s *k, const struct model_secret *sec)
{
	const char *name = k8s_secret_name(k, sec);
	k->allows = sec->allows;
	k->allows_of = arena_cat(k->a, "secret ", sec->name, (char *)NULL);
	bool begun = k8s_begin(k, names_k8s_file(k->a, name, "externalsecret"),
			       "external-secrets.io/v1", "ExternalSecret");
	k->allows = NULL;
	if (!begun)
		return false;
	k8s_metadata_open(k, name, NULL, "secret");
	k8s_allow_annotations(k, sec->allows);
	yaml_close(&k->y);
	k8s_eso_spec_open(k, k8s_refresh_ms(sec), name);
	yaml_close(&k->y);
	put_secret_data(k, sec, name);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* --- kustomization.yaml ------------------------------------------------- */

static bool emit_kustomization(struct k8s *k)
{
	if (!begin_file(k, "kustomization.yaml", NULL))
		return false;
	yaml_kv_str(&k->y, "apiVersion", "kustomize.config.k8s.io/v1beta1");
	yaml_kv_str(&k->y, "kind", "Kustomization");
	yaml_key_seq(&k->y, "resources");
	for (size_t i = 0; i < k->file_count; i++)
		yaml_str(&k->y, k->files[i]);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* --- the backend ----------------------------------------------------------- */

static bool emit_service(struct k8s *k, const struct model_service *s)
{
	k->allows = s->allows;
	k->allows_of = arena_cat(k->a, "service ", s->name, (char *)NULL);
	bool ok = emit_k8s_service_account(k, s) && emit_k8s_workload(k, s) &&
		  emit_k8s_services(k, s) && emit_k8s_ingress(k, s) &&
		  emit_k8s_budget(k, s) && emit_k8s_autoscaler(k, s) &&
		  emit_k8s_service_policy(k, s);
	k->allows = NULL;
	return ok;
}

bool emit_k8s(const struct model *m, struct output *o)
{
	struct k8s k = { .o = o, .a = o->arena, .m = m };
	if (!emit_namespace(&k) || !emit_k8s_policies(&k))
		return false;
	for (size_t i = 0; i < m->secret_count; i++)
		if (m->secrets[i]->reader_count && !emit_external_secret(&k, m->secrets[i]))
			return false;
	if (!emit_k8s_registries(&k) || !emit_k8s_composed_secrets(&k))
		return false;
	for (size_t i = 0; i < m->service_count; i++)
		if (!emit_service(&k, m->services[i]))
			return false;
	for (size_t i = 0; i < m->job_count; i++)
		if (!emit_k8s_job(&k, m->jobs[i]))
			return false;
	if (!emit_k8s_jobs_kustomization(&k))
		return false;
	return emit_k8s_monitoring(&k) && emit_kustomization(&k);
}
