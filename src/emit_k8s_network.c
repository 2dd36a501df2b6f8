/* emit_k8s_network.c - Services, Ingresses and NetworkPolicies.
 *
 * Least privilege on the network: the namespace denies all traffic in
 * and out (default-deny), lets every pod resolve names (allow-dns: UDP
 * and TCP 53 to kube-dns in kube-system), and each service's own policy
 * opens exactly the edges the source declares, on the receiving
 * container's port:
 *   - ingress  -> from the ingress controller's namespace (`controller`,
 *                 matched by its kubernetes.io/metadata.name label);
 *   - uses     -> egress from the user to the used service's pods, and
 *                 ingress to them from the user's pods;
 *   - metrics  -> when Prometheus scrapes inside the cluster (the monitor
 *                 block's discovery is `kubernetes` or `both`), from pods
 *                 labelled app.kubernetes.io/name=prometheus, in any
 *                 namespace since the source does not say which, to the
 *                 metrics port only;
 *   - tls      -> cert-manager answers the ACME HTTP-01 challenge from a
 *                 solver pod it starts in this namespace, reached through
 *                 the ingress controller on port 8089 (acme-http01-solver).
 *   - externals in `uses` -> egress to the external's addresses (or
 *                 every public address) on its port, named in a comment.
 * Nothing else gets in or out, including traffic to the internet.
 *
 * A public service's Service listens on 80 for its Ingress, as the
 * specification has it; when other services also use it, it listens on
 * its own port too, since their connection strings name that port. */
#include <string.h>

#include "emit_k8s.h"

#define ACME_SOLVER_PORT 8089

const char *k8s_headless_name(struct k8s *k, const struct model_service *s)
{
	return arena_printf(k->a, "%s-headless", s->name);
}

/* --- Services ------------------------------------------------------------- */

static void put_service_port(struct k8s *k, const char *name, int port, int target)
{
	yaml_map(&k->y);
	if (name)
		yaml_kv_str(&k->y, "name", name);
	yaml_kv_int(&k->y, "port", port);
	yaml_kv_int(&k->y, "targetPort", target);
	yaml_kv_str(&k->y, "protocol", "TCP");
	yaml_close(&k->y);
}

static void put_ports(struct k8s *k, const struct model_service *s, bool headless)
{
	if (!s->port)
		return;
	bool public = s->ingress.set && !headless;
	/* A public service on port 80 already listens on its own port. */
	bool direct = !public || (model_service_used(s) && s->port != 80);
	yaml_key_seq(&k->y, "ports");
	if (public)
		put_service_port(k, direct ? "http" : NULL, 80, s->port);
	if (direct)
		put_service_port(k, public ? arena_printf(k->a, "port-%d", s->port) : NULL,
				 s->port, s->port);
	yaml_close(&k->y);
}

/* A Service selects with a bare label map, not a LabelSelector. */
static void put_service_selector(struct k8s *k, const struct model_service *s)
{
	yaml_key_map(&k->y, "selector");
	yaml_kv_str(&k->y, "app.kubernetes.io/name", s->name);
	yaml_kv_str(&k->y, "app.kubernetes.io/instance", k->m->app.name);
	yaml_close(&k->y);
}

static bool emit_service(struct k8s *k, const struct model_service *s, bool headless)
{
	const char *name = headless ? k8s_headless_name(k, s) : s->name;
	if (!k8s_begin(k, arena_printf(k->a, "%s-service", name), "v1", "Service"))
		return false;
	k8s_metadata(k, name, s, NULL);
	yaml_key_map(&k->y, "spec");
	yaml_kv_str(&k->y, "type", "ClusterIP");
	if (headless)
		yaml_kv_str(&k->y, "clusterIP", "None");
	put_service_selector(k, s);
	put_ports(k, s, headless);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* The ClusterIP Service is what users connect to; a StatefulSet also
 * needs a headless one to name its pods (db-0.db-headless). */
bool emit_k8s_services(struct k8s *k, const struct model_service *s)
{
	if (s->port && !emit_service(k, s, false))
		return false;
	return !k8s_is_stateful(s) || emit_service(k, s, true);
}

/* --- Ingress --------------------------------------------------------------- */

static void put_ingress_rule(struct k8s *k, const struct model_service *s)
{
	yaml_key_seq(&k->y, "rules");
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "host", s->ingress.host);
	yaml_key_map(&k->y, "http");
	yaml_key_seq(&k->y, "paths");
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "path", s->ingress.path ? s->ingress.path : "/");
	yaml_kv_str(&k->y, "pathType", "Prefix");
	yaml_key_map(&k->y, "backend");
	yaml_key_map(&k->y, "service");
	yaml_kv_str(&k->y, "name", s->name);
	yaml_key_map(&k->y, "port");
	yaml_kv_int(&k->y, "number", 80);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* cert-manager sees the issuer annotation and keeps a certificate for
 * the host in SERVICE-tls; the controller serves only HTTPS with it.
 * ingress-nginx (class nginx) logs requests unless an Ingress turns it
 * off, so access_log is written out either way and a controller-wide
 * default cannot silently decide it; other controllers have no such
 * per-Ingress switch. */
bool emit_k8s_ingress(struct k8s *k, const struct model_service *s)
{
	if (!s->ingress.set || !s->port)
		return true;
	if (!k8s_begin(k, arena_printf(k->a, "%s-ingress", s->name), "networking.k8s.io/v1", "Ingress"))
		return false;
	k8s_metadata_open(k, s->name, s, NULL);
	yaml_key_map(&k->y, "annotations");
	yaml_kv_str(&k->y, "cert-manager.io/cluster-issuer", s->ingress.tls_issuer);
	if (s->ingress.class && !strcmp(s->ingress.class, "nginx"))
		yaml_kv_str(&k->y, "nginx.ingress.kubernetes.io/enable-access-log",
			    s->ingress.access_log ? "true" : "false");
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_key_map(&k->y, "spec");
	yaml_kv_str(&k->y, "ingressClassName", s->ingress.class);
	yaml_key_seq(&k->y, "tls");
	yaml_map(&k->y);
	yaml_key_seq(&k->y, "hosts");
	yaml_str(&k->y, s->ingress.host);
	yaml_close(&k->y);
	yaml_kv_str(&k->y, "secretName", arena_printf(k->a, "%s-tls", s->name));
	yaml_close(&k->y);
	yaml_close(&k->y);
	put_ingress_rule(k, s);
	yaml_close(&k->y);
	return k8s_end(k);
}

/* --- NetworkPolicy building blocks ------------------------------------------- */

static void put_policy_types(struct k8s *k, bool ingress, bool egress)
{
	yaml_key_seq(&k->y, "policyTypes");
	if (ingress)
		yaml_str(&k->y, "Ingress");
	if (egress)
		yaml_str(&k->y, "Egress");
	yaml_close(&k->y);
}

static void put_port(struct k8s *k, const char *protocol, int port)
{
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "protocol", protocol);
	yaml_kv_int(&k->y, "port", port);
	yaml_close(&k->y);
}

/* ports: [TCP port], closing the rule opened by the caller. */
static void end_rule(struct k8s *k, int port)
{
	yaml_key_seq(&k->y, "ports");
	put_port(k, "TCP", port);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void put_pod_peer(struct k8s *k, const struct model_service *s)
{
	yaml_map(&k->y);
	yaml_key_map(&k->y, "podSelector");
	k8s_match_labels(k, s);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void put_namespace_selector(struct k8s *k, const char *ns)
{
	yaml_key_map(&k->y, "namespaceSelector");
	yaml_key_map(&k->y, "matchLabels");
	yaml_kv_str(&k->y, "kubernetes.io/metadata.name", ns);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static void put_namespace_peer(struct k8s *k, const char *ns)
{
	yaml_map(&k->y);
	put_namespace_selector(k, ns);
	yaml_close(&k->y);
}

static bool begin_policy_noted(struct k8s *k, const char *name, const struct model_service *s,
			       const char *note)
{
	if (!k8s_begin_noted(k, arena_printf(k->a, "%s-networkpolicy", name),
			     "networking.k8s.io/v1", "NetworkPolicy", note))
		return false;
	k8s_metadata(k, name, s, "network-policy");
	yaml_key_map(&k->y, "spec");
	return true;
}

static bool begin_policy(struct k8s *k, const char *name, const struct model_service *s)
{
	return begin_policy_noted(k, name, s, NULL);
}

static bool end_policy(struct k8s *k)
{
	yaml_close(&k->y);
	return k8s_end(k);
}

/* --- the namespace-wide policies --------------------------------------------- */

static bool emit_default_deny(struct k8s *k)
{
	if (!begin_policy(k, "default-deny", NULL))
		return false;
	yaml_key_map(&k->y, "podSelector");
	yaml_close(&k->y);
	put_policy_types(k, true, true);
	return end_policy(k);
}

static bool emit_allow_dns(struct k8s *k)
{
	if (!begin_policy(k, "allow-dns", NULL))
		return false;
	yaml_key_map(&k->y, "podSelector");
	yaml_close(&k->y);
	put_policy_types(k, false, true);
	yaml_key_seq(&k->y, "egress");
	yaml_map(&k->y);
	yaml_key_seq(&k->y, "to");
	yaml_map(&k->y);
	put_namespace_selector(k, "kube-system");
	yaml_key_map(&k->y, "podSelector");
	yaml_key_map(&k->y, "matchLabels");
	yaml_kv_str(&k->y, "k8s-app", "kube-dns");
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_key_seq(&k->y, "ports");
	put_port(k, "UDP", 53);
	put_port(k, "TCP", 53);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	return end_policy(k);
}

static bool first_with_controller(const struct model *m, size_t i)
{
	const struct model_service *s = m->services[i];
	if (!s->ingress.set || !s->port)
		return false;
	for (size_t j = 0; j < i; j++)
		if (m->services[j]->ingress.set && m->services[j]->port &&
		    !strcmp(m->services[j]->ingress.controller, s->ingress.controller))
			return false;
	return true;
}

/* Only when some service is public; the solver pods exist only while a
 * certificate is being issued or renewed. */
static bool emit_acme_solver(struct k8s *k)
{
	const struct model *m = k->m;
	bool any = false;
	for (size_t i = 0; i < m->service_count; i++)
		any |= first_with_controller(m, i);
	if (!any)
		return true;
	if (!begin_policy(k, "acme-http01-solver", NULL))
		return false;
	yaml_key_map(&k->y, "podSelector");
	yaml_key_map(&k->y, "matchLabels");
	yaml_kv_str(&k->y, "acme.cert-manager.io/http01-solver", "true");
	yaml_close(&k->y);
	yaml_close(&k->y);
	put_policy_types(k, true, false);
	yaml_key_seq(&k->y, "ingress");
	yaml_map(&k->y);
	yaml_key_seq(&k->y, "from");
	for (size_t i = 0; i < m->service_count; i++)
		if (first_with_controller(m, i))
			put_namespace_peer(k, m->services[i]->ingress.controller);
	yaml_close(&k->y);
	end_rule(k, ACME_SOLVER_PORT);
	yaml_close(&k->y);
	return end_policy(k);
}

bool emit_k8s_policies(struct k8s *k)
{
	return emit_default_deny(k) && emit_allow_dns(k) && emit_acme_solver(k);
}

/* --- a service's own policy ---------------------------------------------------- */

/* Prometheus pods in any namespace (an empty namespaceSelector), on the
 * metrics port only. */
static void put_scrape_rule(struct k8s *k, const struct model_service *s)
{
	yaml_map(&k->y);
	yaml_key_seq(&k->y, "from");
	yaml_map(&k->y);
	yaml_key_map(&k->y, "namespaceSelector");
	yaml_close(&k->y);
	yaml_key_map(&k->y, "podSelector");
	yaml_key_map(&k->y, "matchLabels");
	yaml_kv_str(&k->y, "app.kubernetes.io/name", "prometheus");
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	end_rule(k, s->metrics.port);
}

static void put_ingress_rules(struct k8s *k, const struct model_service *s)
{
	const struct model *m = k->m;
	yaml_key_seq(&k->y, "ingress");
	if (s->ingress.set && s->port) {
		yaml_map(&k->y);
		yaml_key_seq(&k->y, "from");
		put_namespace_peer(k, s->ingress.controller);
		yaml_close(&k->y);
		end_rule(k, s->port);
	}
	if (s->port && model_service_used(s)) {
		yaml_map(&k->y);
		yaml_key_seq(&k->y, "from");
		for (size_t i = 0; i < s->used_by_count; i++)
			put_pod_peer(k, s->used_by[i]);
		yaml_close(&k->y);
		end_rule(k, s->port);
	}
	if (k8s_scraped(m, s))
		put_scrape_rule(k, s);
	yaml_close(&k->y);
}

/* An external in `uses`: its addresses on its port.  Without declared
 * addresses, every public one: private, shared, loopback and link-local
 * ranges stay closed, so the rule opens no path to another pod, a node
 * or the cloud's metadata service. */
static void put_external_rule(struct k8s *k, const struct model_external *e)
{
	yaml_map(&k->y);
	yaml_key_seq(&k->y, "to");
	for (size_t i = 0; i < (e->cidrs.count ? e->cidrs.count : 1); i++) {
		yaml_map(&k->y);
		yaml_key_map(&k->y, "ipBlock");
		yaml_kv_str(&k->y, "cidr", e->cidrs.count ? e->cidrs.items[i] : "0.0.0.0/0");
		if (!e->cidrs.count) {
			yaml_key_seq(&k->y, "except");
			for (size_t r = 0; r < model_nonpublic_count(); r++)
				yaml_str(&k->y, model_nonpublic_at(r));
			yaml_close(&k->y);
		}
		yaml_close(&k->y);
		yaml_close(&k->y);
	}
	yaml_close(&k->y);
	end_rule(k, e->port);
}

/* The head comment of a service's policy: what each egress rule to an
 * address outside the cluster is for, since the rule holds only
 * addresses. */
static const char *externals_note(struct k8s *k, const struct model_service *s)
{
	if (!s->external_count)
		return NULL;
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "egress outside the cluster, to the externals in `uses`:");
	for (size_t i = 0; i < s->external_count; i++) {
		const struct model_external *e = s->externals[i];
		strbuf_printf(&b, "\n  %s: %s, TCP %d (%s), %s", e->name, e->host, e->port,
			      e->protocol, e->cidrs.count ? "its declared addresses"
			      : "any public address");
		if (e->description)
			strbuf_printf(&b, ": %s", e->description);
	}
	return strbuf_finish(&b, k->a);
}

static void put_egress_rules(struct k8s *k, const struct model_service *s)
{
	yaml_key_seq(&k->y, "egress");
	for (size_t i = 0; i < s->external_count; i++)
		put_external_rule(k, s->externals[i]);
	for (size_t i = 0; i < s->uses_count; i++) {
		if (!s->uses[i]->port)
			continue;
		yaml_map(&k->y);
		yaml_key_seq(&k->y, "to");
		put_pod_peer(k, s->uses[i]);
		yaml_close(&k->y);
		end_rule(k, s->uses[i]->port);
	}
	yaml_close(&k->y);
}

static bool has_ingress_rules(const struct model *m, const struct model_service *s)
{
	return (s->port && (s->ingress.set || model_service_used(s))) || k8s_scraped(m, s);
}

/* Both directions are listed as policy types even when a list is empty:
 * the policy then says in itself that nothing else may reach or leave
 * the service, whatever happens to default-deny. */
bool emit_k8s_service_policy(struct k8s *k, const struct model_service *s)
{
	if (!begin_policy_noted(k, s->name, s, externals_note(k, s)))
		return false;
	yaml_key_map(&k->y, "podSelector");
	k8s_match_labels(k, s);
	yaml_close(&k->y);
	put_policy_types(k, true, true);
	if (has_ingress_rules(k->m, s))
		put_ingress_rules(k, s);
	if (s->uses_count || s->external_count)
		put_egress_rules(k, s);
	return end_policy(k);
}
