/* emit_prometheus.c - Prometheus configuration and alerting rules.
 *
 * monitoring/prometheus.yml scrapes every service that declares metrics
 * under the job name SERVICE, so one alerts.yml (rule_files, beside it)
 * serves every way of running Prometheus.  Discovery follows the monitor
 * block: `static` scrapes the Compose service names (SERVICE:PORT, or
 * DNS discovery of every replica when there are several, since the name
 * alone resolves to one replica per scrape and would mix their
 * counters); `kubernetes` finds the pods in the app's namespace that
 * carry app.kubernetes.io/name=SERVICE and prometheus.io/scrape="true",
 * taking path and port from their prometheus.io/path and /port
 * annotations; `both` writes the Compose jobs to prometheus.yml and a
 * complete in-cluster configuration to prometheus-kubernetes.yml, so the
 * first also passes a promtool built without Kubernetes discovery (as
 * Debian's is).  With `operator = true` the Kubernetes backend writes
 * the Operator's ServiceMonitors and PrometheusRule instead
 * (emit_k8s_monitoring.c).  Nothing is written without a monitor block.
 * Reads only the model. */
#include <string.h>

#include "alert_rules.h"
#include "backends.h"
#include "format.h"
#include "yaml_out.h"

struct prom {
	struct yaml_out y;
	struct output *o;
	const struct model *m;
	bool kubernetes;   /* this file discovers targets in Kubernetes */
};

/* A service named node-exporter that declares metrics is the exporter
 * itself; a second job of that name would be rejected. */
static bool node_job(const struct model *m)
{
	const struct model_service *s = model_find_service(m, "node-exporter");
	return m->monitor->node_exporter && !(s && alert_rules_scraped(s));
}

/* key: [item], the way Prometheus's own examples write short lists. */
static void put_string_seq(struct yaml_out *y, const char *key, const char *item)
{
	yaml_str(y, key);
	yaml_flow_seq(y);
	yaml_str(y, item);
	yaml_close(y);
}

static void put_global(struct prom *p)
{
	struct arena *a = p->o->arena;
	yaml_key_map(&p->y, "global");
	yaml_kv_str(&p->y, "scrape_interval", format_duration(a, p->m->monitor->scrape_ms));
	yaml_kv_str(&p->y, "evaluation_interval", format_duration(a, p->m->monitor->evaluate_ms));
	yaml_close(&p->y);
}

static void put_alerting(struct prom *p)
{
	if (!p->m->monitor->alerting)
		return;
	yaml_key_map(&p->y, "alerting");
	yaml_key_seq(&p->y, "alertmanagers");
	yaml_map(&p->y);
	yaml_key_seq(&p->y, "static_configs");
	yaml_map(&p->y);
	put_string_seq(&p->y, "targets", p->m->monitor->alerting);
	yaml_close(&p->y);
	yaml_close(&p->y);
	yaml_close(&p->y);
	yaml_close(&p->y);
	yaml_close(&p->y);
}

/* One relabel rule; NULL fields are left to Prometheus's defaults. */
struct relabel {
	const char *sources[2];
	const char *regex, *action, *target, *replacement;
};

static void put_relabel(struct yaml_out *y, const struct relabel *r)
{
	yaml_map(y);
	yaml_str(y, "source_labels");
	yaml_flow_seq(y);
	for (size_t i = 0; i < 2 && r->sources[i]; i++)
		yaml_str(y, r->sources[i]);
	yaml_close(y);
	if (r->regex)
		yaml_kv_str(y, "regex", r->regex);
	yaml_kv_str(y, "action", r->action ? r->action : "replace");
	if (r->target)
		yaml_kv_str(y, "target_label", r->target);
	if (r->replacement)
		yaml_kv_str(y, "replacement", r->replacement);
	yaml_close(y);
}

static void put_relabels(struct yaml_out *y, const struct relabel *r, size_t n)
{
	yaml_key_seq(y, "relabel_configs");
	for (size_t i = 0; i < n; i++)
		put_relabel(y, &r[i]);
	yaml_close(y);
}

/* kubernetes_sd_configs with one role, limited to `ns` when given. */
static void put_k8s_sd(struct yaml_out *y, const char *role, const char *ns)
{
	yaml_key_seq(y, "kubernetes_sd_configs");
	yaml_map(y);
	yaml_kv_str(y, "role", role);
	if (ns) {
		yaml_key_map(y, "namespaces");
		put_string_seq(y, "names", ns);
		yaml_close(y);
	}
	yaml_close(y);
	yaml_close(y);
}

#define POD_PORT "__meta_kubernetes_pod_annotation_prometheus_io_port"
#define POD_IP "__meta_kubernetes_pod_ip"

/* Keep the running pods that opt in, of this service of this app (another
 * app in the namespace may have a service of the same name); then the
 * annotations set path and port.  An IPv6 pod address needs brackets,
 * hence two address rules, each anchored so only one matches.  Without a
 * port annotation the discovered container port stays. */
static void put_pod_relabels(struct prom *p, const struct model_service *s)
{
	const struct relabel r[] = {
		{ { "__meta_kubernetes_pod_annotation_prometheus_io_scrape" }, "true", "keep", NULL, NULL },
		{ { "__meta_kubernetes_pod_label_app_kubernetes_io_name" }, s->name, "keep", NULL, NULL },
		{ { "__meta_kubernetes_pod_label_app_kubernetes_io_instance" }, p->m->app.name, "keep",
		  NULL, NULL },
		{ { "__meta_kubernetes_pod_phase" }, "Pending|Succeeded|Failed", "drop", NULL, NULL },
		{ { "__meta_kubernetes_pod_annotation_prometheus_io_path" }, "(.+)", NULL,
		  "__metrics_path__", NULL },
		{ { POD_PORT, POD_IP }, "(\\d+);([^:]+)", NULL, "__address__", "$2:$1" },
		{ { POD_PORT, POD_IP }, "(\\d+);(.*:.*)", NULL, "__address__", "[$2]:$1" },
		{ { "__meta_kubernetes_namespace" }, NULL, NULL, "namespace", NULL },
		{ { "__meta_kubernetes_pod_name" }, NULL, NULL, "pod", NULL },
		{ { "__meta_kubernetes_pod_node_name" }, NULL, NULL, "node", NULL },
	};
	put_relabels(&p->y, r, sizeof r / sizeof r[0]);
}

/* Several replicas behind one Compose name: an A lookup returns them
 * all, so each is its own target. */
static void put_compose_targets(struct prom *p, const struct model_service *s)
{
	if (s->replicas > 1) {
		yaml_key_seq(&p->y, "dns_sd_configs");
		yaml_map(&p->y);
		put_string_seq(&p->y, "names", s->name);
		yaml_kv_str(&p->y, "type", "A");
		yaml_kv_int(&p->y, "port", s->metrics.port);
		yaml_close(&p->y);
		yaml_close(&p->y);
		return;
	}
	yaml_key_seq(&p->y, "static_configs");
	yaml_map(&p->y);
	put_string_seq(&p->y, "targets",
		       arena_printf(p->o->arena, "%s:%d", s->name, s->metrics.port));
	yaml_close(&p->y);
	yaml_close(&p->y);
}

static void put_service_job(struct prom *p, const struct model_service *s)
{
	yaml_map(&p->y);
	yaml_kv_str(&p->y, "job_name", s->name);
	yaml_kv_str(&p->y, "metrics_path", s->metrics.path);
	yaml_kv_str(&p->y, "scheme", "http");
	if (p->kubernetes) {
		put_k8s_sd(&p->y, "pod", p->m->app.namespace);
		put_pod_relabels(p, s);
	} else {
		put_compose_targets(p, s);
	}
	yaml_close(&p->y);
}

#define NODE_IP "__meta_kubernetes_node_address_InternalIP"

/* node-exporter runs on every node's host network (a DaemonSet), so the
 * targets are the nodes themselves on port 9100. */
static void put_node_job(struct prom *p)
{
	yaml_map(&p->y);
	yaml_kv_str(&p->y, "job_name", "node-exporter");
	if (!p->kubernetes) {
		yaml_key_seq(&p->y, "static_configs");
		yaml_map(&p->y);
		put_string_seq(&p->y, "targets", "node-exporter:9100");
		yaml_close(&p->y);
		yaml_close(&p->y);
		yaml_close(&p->y);
		return;
	}
	put_k8s_sd(&p->y, "node", NULL);
	const struct relabel r[] = {
		{ { NODE_IP }, "([^:]+)", NULL, "__address__", "$1:9100" },
		{ { NODE_IP }, "(.*:.*)", NULL, "__address__", "[$1]:9100" },
		{ { "__meta_kubernetes_node_name" }, NULL, NULL, "node", NULL },
	};
	put_relabels(&p->y, r, sizeof r / sizeof r[0]);
	yaml_close(&p->y);
}

static void put_scrape_configs(struct prom *p)
{
	yaml_key_seq(&p->y, "scrape_configs");
	for (size_t i = 0; i < p->m->service_count; i++)
		if (alert_rules_scraped(p->m->services[i]))
			put_service_job(p, p->m->services[i]);
	if (node_job(p->m))
		put_node_job(p);
	yaml_close(&p->y);
}

static void put_note(struct strbuf *b, struct arena *a, const struct model *m, bool kubernetes)
{
	if (!kubernetes) {
		yaml_comment(b, a, "for a Prometheus in the Compose project, joined to the networks of the");
		yaml_comment(b, a, "services it scrapes: targets are Compose service names");
		return;
	}
	yaml_comment(b, a, "for a Prometheus in the cluster: it needs RBAC to list and watch pods");
	yaml_comment(b, a, arena_printf(a, "in namespace %s%s", m->app.namespace,
		     node_job(m) ? " and nodes (node-exporter on each node's port 9100)" : ""));
}

static bool write_config(struct output *o, const struct model *m, const char *path,
			 bool kubernetes)
{
	struct strbuf *b = output_add(o, path);
	if (!b)
		return false;
	yaml_comment(b, o->arena, output_banner(o));
	put_note(b, o->arena, m, kubernetes);
	if (m->monitor->allows) {
		yaml_comment(b, o->arena, "policy exceptions allowed in the source:");
		yaml_comment_allows(b, o->arena, "monitor", m->monitor->allows);
	}
	struct prom p = { .o = o, .m = m, .kubernetes = kubernetes };
	yaml_begin(&p.y, b);
	yaml_map(&p.y);
	put_global(&p);
	put_alerting(&p);
	put_string_seq(&p.y, "rule_files", "alerts.yml");
	put_scrape_configs(&p);
	yaml_close(&p.y);
	if (!yaml_end(&p.y)) {
		o->error = arena_printf(o->arena, "the YAML emitter failed while writing %s", path);
		return false;
	}
	return true;
}

static bool write_alerts(struct output *o, const struct model *m)
{
	struct strbuf *b = output_add(o, "monitoring/alerts.yml");
	if (!b)
		return false;
	yaml_comment(b, o->arena, output_banner(o));
	struct yaml_out y;
	yaml_begin(&y, b);
	yaml_map(&y);
	alert_rules_put_groups(&y, o->arena, m);
	yaml_close(&y);
	if (!yaml_end(&y)) {
		o->error = "the YAML emitter failed while writing monitoring/alerts.yml";
		return false;
	}
	return true;
}

/* --- Prometheus Operator ---------------------------------------------- */

bool emit_prometheus(const struct model *m, struct output *o)
{
	if (!m->monitor)
		return true;
	const char *d = m->monitor->discovery;
	bool both = !strcmp(d, "both");
	if (!write_config(o, m, "monitoring/prometheus.yml", !strcmp(d, "kubernetes")))
		return false;
	if (both && !write_config(o, m, "monitoring/prometheus-kubernetes.yml", true))
		return false;
	return write_alerts(o, m);
}
