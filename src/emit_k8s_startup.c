/* emit_k8s_startup.c - start-up order in a pod: one init container per
 * dependency in the graph, when the service says `wait_for = init`.
 *
 * Kubernetes starts every pod at once; without this a service's first
 * connections fail until what it uses is up, and the pod may crash-loop.
 * Each init container connects to the dependency's Service until one
 * answers.  A Service routes only to ready pods, so a dependency with a
 * health check is waited for until healthy, one without until it runs:
 * the same conditions Compose writes in depends_on.  The connection is
 * allowed by the NetworkPolicy egress that `uses` already grants.
 *
 * The waiting container is held to the rules of every other container:
 * a pinned image, a numeric non-root user, a read-only root filesystem,
 * no capability, no privilege escalation, and cpu and memory limits. */
#include <string.h>

#include "depgraph.h"
#include "emit_k8s.h"
#include "escape.h"

/* busybox has `nc -z`; the tag is a release, never `latest` (E0408). */
/* nobody: the image has no user of its own, and needs no files. */
#define WAIT_USER 65534

/* "wait-for-NAME", or "wait-for-N" when NAME would make it longer than a
 * container name may be (63). */
static const char *wait_name(struct k8s *k, const struct model_service *dep, size_t i)
{
	const char *name = k8s_name(k, arena_printf(k->a, "wait-for-%s", dep->name));
	return strlen(name) <= 63 ? name : arena_printf(k->a, "wait-for-%zu", i);
}

static const char *wait_script(struct k8s *k, const struct model_service *dep)
{
	const char *host = escape_shell_word(k->a, dep->name);
	return escape_k8s(k->a, arena_printf(k->a,
		"until nc -z -w 2 %s %d; do echo waiting for %s; sleep 2; done", host, dep->port, host));
}

static void put_wait_resources(struct k8s *k)
{
	yaml_key_map(&k->y, "resources");
	yaml_key_map(&k->y, "requests");
	yaml_kv_str(&k->y, "cpu", "10m");
	yaml_kv_str(&k->y, "memory", "16Mi");
	yaml_close(&k->y);
	yaml_key_map(&k->y, "limits");
	yaml_kv_str(&k->y, "cpu", "100m");
	yaml_kv_str(&k->y, "memory", "32Mi");
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void put_wait_security(struct k8s *k)
{
	yaml_key_map(&k->y, "securityContext");
	yaml_kv_bool(&k->y, "runAsNonRoot", true);
	yaml_kv_int(&k->y, "runAsUser", WAIT_USER);
	yaml_kv_int(&k->y, "runAsGroup", WAIT_USER);
	k8s_locked_down(k, true);
	yaml_close(&k->y);
}

static void put_wait(struct k8s *k, const struct model_service *dep, size_t i)
{
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "name", wait_name(k, dep, i));
	yaml_kv_str(&k->y, "image", K8S_WAIT_IMAGE);
	yaml_kv_str(&k->y, "imagePullPolicy", "IfNotPresent");
	yaml_key_seq(&k->y, "command");
	yaml_str(&k->y, "sh");
	yaml_str(&k->y, "-c");
	yaml_str(&k->y, wait_script(k, dep));
	yaml_close(&k->y);
	put_wait_resources(k);
	put_wait_security(k);
	yaml_close(&k->y);
}

void k8s_wait_containers(struct k8s *k, const struct model_service *s)
{
	if (s->job) {  /* a job's pod waits for what it uses, as a service's does */
		if (!s->uses_count)
			return;
		yaml_key_seq(&k->y, "initContainers");
		for (size_t i = 0; i < s->uses_count; i++)
			put_wait(k, s->uses[i], i);
		yaml_close(&k->y);
		return;
	}
	const struct dep_node *n = depgraph_node(k->m->deps, s);
	if (strcmp(s->wait_for, "init") || !n->edge_count)
		return;
	yaml_key_seq(&k->y, "initContainers");
	for (size_t i = 0; i < n->edge_count; i++)
		put_wait(k, n->edges[i].to, i);
	yaml_close(&k->y);
}
