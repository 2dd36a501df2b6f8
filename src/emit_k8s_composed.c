/* emit_k8s_composed.c - composed secret values on Kubernetes.
 *
 * Each composed value (`secrets { URL = "...${pw}..." }`) is rendered in
 * the cluster, never in a manifest: an ExternalSecret of its own reads
 * each secret part from the store into its data and a template (the
 * External Secrets Operator's engine v2, Go's text/template) joins them
 * with the literal text into the one key of the Secret it makes.  With
 * the default merge policy the Secret holds only that key, so the pod
 * can read the composed value and not the parts.  The pod reads it as
 * any other secret (emit_k8s_workload.c): secretKeyRef, or the projected
 * volume with NAME_FILE naming it. */
#include <string.h>

#include "composed.h"
#include "emit_k8s.h"
#include "format.h"
#include "names.h"

const char *k8s_composed_name(struct k8s *k, const struct model_service *s,
			      const struct model_composed *c)
{
	return names_k8s_composed(k->a, s->name, c->env);
}

/* As often as the most often rotated part, hourly at most (emit_k8s.c). */
static int64_t refresh_ms(const struct model_composed *c)
{
	int64_t ms = 3600000;
	for (const struct model_composed_part *p = c->parts; p; p = p->next)
		if (p->secret && k8s_refresh_ms(p->secret) < ms)
			ms = k8s_refresh_ms(p->secret);
	return ms;
}

static void put_data(struct k8s *k, const struct model_composed *c)
{
	yaml_key_seq(&k->y, "data");
	for (const struct model_composed_part *p = c->parts; p; p = p->next) {
		if (!composed_first_use(c, p)) /* a secret used twice is read once */
			continue;
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "secretKey", p->secret->name);
		yaml_key_map(&k->y, "remoteRef");
		yaml_kv_str(&k->y, "key", p->secret->vault_path);
		if (p->secret->property)
			yaml_kv_str(&k->y, "property", p->secret->property);
		yaml_close(&k->y);
		yaml_close(&k->y);
	}
	yaml_close(&k->y);
}

static bool emit_one(struct k8s *k, const struct model_service *s, const struct model_composed *c)
{
	const char *name = k8s_composed_name(k, s, c);
	if (!k8s_begin_noted(k, names_k8s_file(k->a, name, "externalsecret"),
			     "external-secrets.io/v1", "ExternalSecret",
			     arena_printf(k->a, "%s of service %s, composed from secrets in the cluster",
					  c->env, s->name)))
		return false;
	k8s_metadata(k, name, s, NULL);
	k8s_eso_spec_open(k, refresh_ms(c), name);
	yaml_key_map(&k->y, "template");
	yaml_kv_str(&k->y, "engineVersion", "v2");
	yaml_key_map(&k->y, "data");
	yaml_kv_str(&k->y, name, composed_go_template(k->a, c));
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	put_data(k, c);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* Every service's values, then every job's (a job's container reads
 * them as a service does). */
bool emit_k8s_composed_secrets(struct k8s *k)
{
	for (size_t i = 0; i < model_container_count(k->m); i++) {
		const struct model_service *s = model_container_at(k->m, i);
		for (const struct model_composed *c = s->composed; c; c = c->next)
			if (!emit_one(k, s, c))
				return false;
	}
	return true;
}

void k8s_composed_env(struct k8s *k, const struct model_service *s, const char *dir)
{
	for (const struct model_composed *c = s->composed; c; c = c->next) {
		const char *name = k8s_composed_name(k, s, c);
		k8s_secret_env(k, s, c->env, name, arena_printf(k->a, "%s/%s", dir, name));
	}
}

void k8s_composed_volume_sources(struct k8s *k, const struct model_service *s)
{
	for (const struct model_composed *c = s->composed; c; c = c->next) {
		const char *name = k8s_composed_name(k, s, c);
		yaml_map(&k->y);
		yaml_key_map(&k->y, "secret");
		yaml_kv_str(&k->y, "name", name);
		yaml_key_seq(&k->y, "items");
		yaml_map(&k->y);
		yaml_kv_str(&k->y, "key", name);
		yaml_kv_str(&k->y, "path", name);
		yaml_close(&k->y);
		yaml_close(&k->y);
		yaml_close(&k->y);
		yaml_close(&k->y);
	}
}
