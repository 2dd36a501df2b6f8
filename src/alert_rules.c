/* alert_rules.c - Prometheus rule groups (see alert_rules.h).
 *
 * The generated alerts share names across services (ServiceDown,
 * ServiceHighErrorRatio, ...) and carry a `service` label, so
 * Alertmanager can group and route them by symptom or by service, and
 * their expressions come from promql.c, the same ones the Grafana panels
 * plot.  Summaries and descriptions are Prometheus templates; the
 * numbers in them are written from the model, so the text states the
 * objective an alert enforces. */
#include "alert_rules.h"

#include <string.h>

#include "alert_names.h"
#include "format.h"
#include "promql.h"

/* One rule as written; labels beyond severity are the service's. */
struct rule {
	const char *alert, *expr, *severity, *summary, *description;
	int64_t for_ms;
	const char *service;   /* or NULL */
};

bool alert_rules_scraped(const struct model_service *s)
{
	return s->metrics.set && s->metrics.port > 0;
}

bool alert_rules_generated(const struct model_service *s, const struct service_alert *al)
{
	return alert_rules_scraped(s) && (!al->http || s->port > 0);
}

bool alert_rules_tune(const struct model_service *s, const char *name,
		      struct model_service *tuned, int64_t *for_ms, const char **severity)
{
	const struct service_alert *al = service_alert_named(name);
	if (!al || !alert_rules_generated(s, al))
		return false;
	*tuned = *s;
	*for_ms = al->for_ms;
	*severity = al->severity;
	const struct model_alert_tuning *t = s->alert_tunings;
	while (t && strcmp(t->alert, name))
		t = t->next;
	if (!t)
		return true;
	if (t->off)
		return false;
	if (t->has_threshold && al->threshold == ALERT_THRESHOLD_PERCENT)
		tuned->metrics.slo_error_percent = t->threshold;
	else if (t->has_threshold && al->threshold == ALERT_THRESHOLD_DURATION)
		tuned->metrics.slo_latency_ms = (int64_t)t->threshold;
	if (t->for_ms > 0)
		*for_ms = t->for_ms;
	if (t->severity)
		*severity = t->severity;
	return true;
}

int64_t alert_rules_window_ms(const struct model *m)
{
	int64_t four = m->monitor ? 4 * m->monitor->scrape_ms : 0;
	return four > 300000 ? four : 300000;
}

static void put_rule(struct yaml_out *y, struct arena *a, const struct rule *r)
{
	yaml_map(y);
	yaml_kv_str(y, "alert", r->alert);
	yaml_kv_str(y, "expr", r->expr);
	if (r->for_ms > 0)
		yaml_kv_str(y, "for", format_duration(a, r->for_ms));
	yaml_key_map(y, "labels");
	yaml_kv_str(y, "severity", r->severity);
	if (r->service)
		yaml_kv_str(y, "service", r->service);
	yaml_close(y);
	if (r->summary || r->description) {
		yaml_key_map(y, "annotations");
		if (r->summary)
			yaml_kv_str(y, "summary", r->summary);
		if (r->description)
			yaml_kv_str(y, "description", r->description);
		yaml_close(y);
	}
	yaml_close(y);
}

static void put_rules(struct yaml_out *y, struct arena *a, const struct rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_rule(y, a, &r[i]);
}

/* A target that answers no scrape is down; a job with no target at all
 * (every pod gone, or the pods lost their scrape annotation) makes `up`
 * vanish instead of reading 0, which only absent() notices. */
static void put_down(struct yaml_out *y, struct arena *a, const struct model_service *s)
{
	struct model_service t;
	struct rule r = { "ServiceDown", NULL, NULL, NULL, NULL, 0, s->name };
	if (!alert_rules_tune(s, r.alert, &t, &r.for_ms, &r.severity))
		return;
	r.expr = arena_printf(a, "%s == 0", promql_up(a, s));
	r.summary = arena_printf(a, "%s instance {{ $labels.instance }} is down", s->name);
	r.description = arena_printf(a, "Prometheus has failed to scrape {{ $labels.instance }} "
				     "(job %s) for more than %s.", s->name,
				     r.for_ms == 60000 ? "a minute" : format_duration(a, r.for_ms));
	put_rule(y, a, &r);
}

static void put_missing(struct yaml_out *y, struct arena *a, const struct model_service *s)
{
	struct model_service t;
	struct rule r = { "ServiceTargetsMissing", NULL, NULL, NULL, NULL, 0, s->name };
	if (!alert_rules_tune(s, r.alert, &t, &r.for_ms, &r.severity))
		return;
	r.expr = arena_printf(a, "absent(%s)", promql_up(a, s));
	r.summary = arena_printf(a, "no %s target is being scraped", s->name);
	r.description = arena_printf(a, "Service discovery has found no target for job %s for "
				     "%s: every instance is gone, or discovery no longer "
				     "matches them.", s->name,
				     r.for_ms == 300000 ? "5 minutes" : format_duration(a, r.for_ms));
	put_rule(y, a, &r);
}

/* The request alerts, with the objective (or the threshold the service's
 * `alerts` sets instead) in the expression and the description. */
static void put_error_ratio(struct yaml_out *y, struct arena *a, const struct model *m,
			    const struct model_service *s)
{
	struct model_service t;
	struct rule r = { "ServiceHighErrorRatio", NULL, NULL, NULL, NULL, 0, s->name };
	if (!alert_rules_tune(s, r.alert, &t, &r.for_ms, &r.severity))
		return;
	const char *w = format_duration(a, alert_rules_window_ms(m));
	r.expr = arena_printf(a, "%s > %s", promql_error_ratio(a, &t, w), promql_error_slo(a, &t));
	r.summary = arena_printf(a, "%s is failing {{ $value | humanizePercentage }} of requests",
				 s->name);
	/* A threshold the service's `alerts` sets is not its objective. */
	bool tuned = t.metrics.slo_error_percent != s->metrics.slo_error_percent;
	r.description = arena_printf(a, "The share of %s requests answered with a 5xx status over "
				     "the last %s is above the %g%% %s.", s->name, w,
				     t.metrics.slo_error_percent, tuned ? "threshold" : "objective");
	put_rule(y, a, &r);
}

static void put_latency(struct yaml_out *y, struct arena *a, const struct model *m,
			const struct model_service *s)
{
	struct model_service t;
	struct rule r = { "ServiceHighLatency", NULL, NULL, NULL, NULL, 0, s->name };
	if (!alert_rules_tune(s, r.alert, &t, &r.for_ms, &r.severity))
		return;
	const char *w = format_duration(a, alert_rules_window_ms(m));
	const char *lat = promql_latency_slo(a, &t);
	r.expr = arena_printf(a, "%s > %s", promql_latency(a, &t, "0.95", w), lat);
	r.summary = arena_printf(a, "%s p95 latency is {{ $value | humanizeDuration }}", s->name);
	bool tuned = t.metrics.slo_latency_ms != s->metrics.slo_latency_ms;
	r.description = arena_printf(a, "The 95th percentile of %s request latency over the last %s "
				     "is above the %ss %s.", s->name, w, lat,
				     tuned ? "threshold" : "objective");
	put_rule(y, a, &r);
}

/* Does `s` keep any alert once its `alerts { }` is applied?  A group
 * holding no rule is left out. */
static bool any_rule(const struct model_service *s)
{
	struct model_service t;
	int64_t for_ms;
	const char *severity;
	for (size_t i = 0; i < service_alert_count(); i++)
		if (alert_rules_tune(s, service_alert_at(i)->name, &t, &for_ms, &severity))
			return true;
	return false;
}

static void put_service_group(struct yaml_out *y, struct arena *a, const struct model *m,
			      const struct model_service *s)
{
	if (!any_rule(s))
		return;
	yaml_map(y);
	yaml_kv_str(y, "name", arena_printf(a, "service.%s", s->name));
	yaml_key_seq(y, "rules");
	put_down(y, a, s);
	put_missing(y, a, s);
	put_error_ratio(y, a, m, s);
	put_latency(y, a, m, s);
	yaml_close(y);
	yaml_close(y);
}

/* Host alerts on node-exporter's fixed metric names.  Pseudo and
 * read-only filesystems are left out: they are always "full". */
static void put_node_group(struct yaml_out *y, struct arena *a)
{
	const char *fs = "{job=\"node-exporter\",fstype!~\"tmpfs|overlay|squashfs|ramfs\"}";
	struct rule r[] = {
		{ "NodeExporterDown", "up{job=\"node-exporter\"} == 0", "warning",
		  "node-exporter on {{ $labels.instance }} is down",
		  "Host metrics of {{ $labels.instance }} have not been scraped for 5 minutes.",
		  300000, NULL },
		{ "NodeFilesystemSpaceLow", arena_printf(a, "node_filesystem_avail_bytes%s / "
			"node_filesystem_size_bytes%s < 0.1 and node_filesystem_readonly%s == 0",
			fs, fs, fs), "warning",
		  "{{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% space left",
		  "Only {{ $value | humanizePercentage }} of the filesystem is free.", 900000, NULL },
		{ "NodeMemoryLow", "node_memory_MemAvailable_bytes{job=\"node-exporter\"} / "
			"node_memory_MemTotal_bytes{job=\"node-exporter\"} < 0.1", "warning",
		  "{{ $labels.instance }} has less than 10% memory available",
		  "Only {{ $value | humanizePercentage }} of memory is available.", 900000, NULL },
	};
	yaml_map(y);
	yaml_kv_str(y, "name", "node-exporter");
	yaml_key_seq(y, "rules");
	put_rules(y, a, r, sizeof r / sizeof r[0]);
	yaml_close(y);
	yaml_close(y);
}

static void put_declared_group(struct yaml_out *y, struct arena *a, const struct model *m)
{
	yaml_map(y);
	yaml_kv_str(y, "name", arena_printf(a, "app.%s", m->app.name));
	yaml_key_seq(y, "rules");
	for (const struct model_alert *al = m->monitor->alerts; al; al = al->next) {
		struct rule r = { al->name, al->expr, al->severity, al->summary, NULL,
				  al->for_ms, NULL };
		put_rule(y, a, &r);
	}
	yaml_close(y);
	yaml_close(y);
}

void alert_rules_put_groups(struct yaml_out *y, struct arena *a, const struct model *m)
{
	yaml_key_seq(y, "groups");
	for (size_t i = 0; i < m->service_count; i++)
		if (alert_rules_scraped(m->services[i]))
			put_service_group(y, a, m, m->services[i]);
	if (m->monitor->node_exporter)
		put_node_group(y, a);
	if (m->monitor->alerts)
		put_declared_group(y, a, m);
	yaml_close(y);
}
