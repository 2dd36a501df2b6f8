/* emit_k8s_registry.c - pull credentials of private registries.
 *
 * Each registry an image is pulled from gets an ExternalSecret named
 * after it, which makes a Secret of type kubernetes.io/dockerconfigjson
 * from the credential in the store: ESO reads the secret's `username`
 * and `password` properties, and its v2 template builds the whole
 * .dockerconfigjson with toJson, so a password holding quotes,
 * backslashes or braces stays a JSON string and no value is ever in the
 * manifest.  The pods whose image is under that registry's host, and
 * only those, name the Secret in imagePullSecrets.  Docker Hub's
 * credential is keyed https://index.docker.io/v1/, the key the kubelet
 * looks Docker Hub images up by; every other registry by its host. */
#include <string.h>

#include "emit_k8s.h"
#include "escape.h"
#include "format.h"
#include "image_host.h"
#include "names.h"

/* The Secret (and its ExternalSecret) holding registry r's credential. */
static const char *pull_secret_name(struct k8s *k, const struct model_registry *r)
{
	return k8s_name(k, r->name);
}

/* {"auths": {KEY: {"username", "password", "auth"}}}, all made by the
 * template; the key is the only text from the source, in a Go string
 * literal. */
static const char *dockerconfig_template(struct k8s *k, const struct model_registry *r)
{
	const char *key = image_host_same(r->host, IMAGE_HOST_DOCKER_HUB)
			  ? "https://index.docker.io/v1/" : r->host;
	return arena_printf(k->a, "{{ dict \"auths\" (dict %s (dict \"username\" .username "
			    "\"password\" .password \"auth\" (printf \"%%s:%%s\" .username .password "
			    "| b64enc))) | toJson }}", escape_go_template_string(k->a, key));
}

static void put_property(struct k8s *k, const struct model_secret *sec, const char *property)
{
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "secretKey", property);
	yaml_key_map(&k->y, "remoteRef");
	yaml_kv_str(&k->y, "key", sec->vault_path);
	yaml_kv_str(&k->y, "property", property);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* Inside the open target: the template that makes the pull secret. */
static void put_template(struct k8s *k, const struct model_registry *r)
{
	yaml_key_map(&k->y, "template");
	yaml_kv_str(&k->y, "type", "kubernetes.io/dockerconfigjson");
	yaml_kv_str(&k->y, "engineVersion", "v2");
	yaml_key_map(&k->y, "data");
	yaml_kv_str(&k->y, ".dockerconfigjson", dockerconfig_template(k, r));
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* Re-read as the credential's other ExternalSecrets are (emit_k8s.c):
 * hourly, or as often as it rotates when that is more often. */
static bool emit_registry(struct k8s *k, const struct model_registry *r)
{
	const struct model_secret *sec = r->credential;
	const char *name = pull_secret_name(k, r);
	k->allows = sec->allows;
	k->allows_of = arena_printf(k->a, "secret %s", sec->name);
	bool begun = k8s_begin_noted(k, names_k8s_file(k->a, name, "externalsecret"),
				     "external-secrets.io/v1", "ExternalSecret",
				     arena_printf(k->a, "Pull credential of registry %s (%s), from secret %s.",
						  r->name, r->host, sec->name));
	k->allows = NULL;
	if (!begun)
		return false;
	k8s_metadata_open(k, name, NULL, "registry");
	k8s_allow_annotations(k, sec->allows);
	yaml_close(&k->y);
	k8s_eso_spec_open(k, k8s_refresh_ms(sec), name);
	put_template(k, r);
	yaml_key_seq(&k->y, "data");
	put_property(k, sec, "username");
	put_property(k, sec, "password");
	yaml_close(&k->y);
	yaml_close(&k->y);
	return k8s_end(k);
}

bool emit_k8s_registries(struct k8s *k)
{
	for (size_t i = 0; i < k->m->registry_count; i++)
		if (k->m->registries[i]->image_count && !emit_registry(k, k->m->registries[i]))
			return false;
	return true;
}

void k8s_pull_secrets(struct k8s *k, const struct model_service *s)
{
	if (!s->registry)
		return;
	yaml_key_seq(&k->y, "imagePullSecrets");
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "name", pull_secret_name(k, s->registry));
	yaml_close(&k->y);
	yaml_close(&k->y);
}
