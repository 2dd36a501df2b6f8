/* emit_k8s_monitoring.c - the Prometheus Operator's objects, for a
 * monitor with `operator = true`: a ServiceMonitor per scraped service
 * and one PrometheusRule holding the alert rules.
 *
 * They are Kubernetes objects, written by this backend so that
 * k8s/kustomization.yaml lists them and `kubectl apply -k k8s` applies
 * them with everything else; the rules are the ones the Prometheus
 * backend writes to alerts.yml (alert_rules.c).  Reads only the model. */
#include "alert_rules.h"
#include "emit_k8s.h"
#include "format.h"

#define OPERATOR_API "monitoring.coreos.com/v1"

/* KEY: [ITEM], as the Operator's examples write one-item lists. */
static void put_one(struct k8s *k, const char *key, const char *item)
{
	yaml_str(&k->y, key);
	yaml_flow_seq(&k->y);
	yaml_str(&k->y, item);
	yaml_close(&k->y);
}

/* A StatefulSet's headless Service carries the same labels as its
 * Service; scraping through both would count every pod twice, so only
 * the Service named after the service is kept. */
static void put_relabel(struct k8s *k, const struct model_service *s)
{
	yaml_key_seq(&k->y, "relabelings");
	yaml_map(&k->y);
	put_one(k, "sourceLabels", "__meta_kubernetes_service_name");
	yaml_kv_str(&k->y, "regex", s->name);
	yaml_kv_str(&k->y, "action", "keep");
	yaml_close(&k->y);
	yaml_close(&k->y);
}

/* A monitor's spec: what carries s's labels in the app's namespace, and
 * its one endpoint opened under `list` for the caller's port. */
static void open_scrape_spec(struct k8s *k, const struct model_service *s, const char *list)
{
	yaml_key_map(&k->y, "spec");
	yaml_key_map(&k->y, "selector");
	k8s_match_labels(k, s);
	yaml_close(&k->y);
	yaml_key_map(&k->y, "namespaceSelector");
	put_one(k, "matchNames", k->m->app.namespace);
	yaml_close(&k->y);
	yaml_key_seq(&k->y, list);
	yaml_map(&k->y);
}

static void put_scrape_path(struct k8s *k, const struct model_service *s)
{
	yaml_kv_str(&k->y, "path", s->metrics.path);
	yaml_kv_str(&k->y, "scheme", "http");
	yaml_kv_str(&k->y, "interval", format_duration(k->a, k->m->monitor->scrape_ms));
}

/* The operator names the job after the Service, which this backend
 * names after the service: job="SERVICE", as the rules expect.
 * targetPort is the container port, so a metrics port the Service does
 * not publish is still scraped. */
static void put_monitor_spec(struct k8s *k, const struct model_service *s)
{
	open_scrape_spec(k, s, "endpoints");
	yaml_kv_int(&k->y, "targetPort", s->metrics.port);
	put_scrape_path(k, s);
	put_relabel(k, s);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static bool service_monitor(struct k8s *k, const struct model_service *s)
{
	if (!k8s_begin(k, arena_printf(k->a, "%s-servicemonitor", s->name), OPERATOR_API,
		       "ServiceMonitor"))
		return false;
	k8s_metadata(k, s->name, s, NULL);
	put_monitor_spec(k, s);
	return k8s_end(k);
}

/* A service with no port has no Service for a ServiceMonitor to select:
 * its pods are scraped directly, on the container port named "metrics"
 * (the workload names the metrics port so), and the job is named after
 * the service as the rules expect (a PodMonitor's own is
 * NAMESPACE/NAME). */
static void put_pod_monitor_spec(struct k8s *k, const struct model_service *s)
{
	open_scrape_spec(k, s, "podMetricsEndpoints");
	yaml_kv_str(&k->y, "port", "metrics");
	put_scrape_path(k, s);
	yaml_key_seq(&k->y, "relabelings");
	yaml_map(&k->y);
	yaml_kv_str(&k->y, "action", "replace");
	yaml_kv_str(&k->y, "targetLabel", "job");
	yaml_kv_str(&k->y, "replacement", s->name);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
	yaml_close(&k->y);
}

static bool pod_monitor(struct k8s *k, const struct model_service *s)
{
	if (!k8s_begin(k, arena_printf(k->a, "%s-podmonitor", s->name), OPERATOR_API,
		       "PodMonitor"))
		return false;
	k8s_metadata(k, s->name, s, NULL);
	put_pod_monitor_spec(k, s);
	return k8s_end(k);
}

static bool prometheus_rule(struct k8s *k)
{
	const char *app = k->m->app.name;
	if (!k8s_begin(k, arena_printf(k->a, "%s-prometheusrule", app), OPERATOR_API,
		       "PrometheusRule"))
		return false;
	k8s_metadata(k, app, NULL, "alerts");
	yaml_key_map(&k->y, "spec");
	alert_rules_put_groups(&k->y, k->a, k->m);
	yaml_close(&k->y);
	return k8s_end(k);
}

bool emit_k8s_monitoring(struct k8s *k)
{
	const struct model *m = k->m;
	if (!m->monitor || !m->monitor->operator_crds)
		return true;
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (alert_rules_scraped(s) && !(s->port ? service_monitor(k, s) : pod_monitor(k, s)))
			return false;
	}
	return prometheus_rule(k);
}
