/* promql.h - the PromQL a service's metrics block stands for.
 *
 * The alert rules (alert_rules.c) and the Grafana RED panels
 * (emit_grafana.c) ask the same questions of the same series, so the
 * expressions are built in one place and cannot drift: a dashboard shows
 * exactly the ratio an alert fires on.  Every series is selected by
 * job="SERVICE", the job name of the service's scrape job in every
 * discovery mode (static, Kubernetes, Prometheus Operator), and the
 * metric and label names come from the model (requests_metric,
 * latency_metric, status_label).  `window` is a range such as "5m" for
 * rules or "$__rate_interval" for Grafana. */
#ifndef DEPC_PROMQL_H
#define DEPC_PROMQL_H

#include "arena.h"
#include "model.h"

/* up{job="SERVICE"} */
const char *promql_up(struct arena *a, const struct model_service *s);
/* Requests per second, one series per status code. */
const char *promql_request_rate(struct arena *a, const struct model_service *s,
				const char *window);
/* 5xx responses over all responses, 0 (not empty) when there were none. */
const char *promql_error_ratio(struct arena *a, const struct model_service *s,
			       const char *window);
/* The quantile ("0.95") of request latency in seconds, over all instances. */
const char *promql_latency(struct arena *a, const struct model_service *s,
			   const char *quantile, const char *window);

/* The SLO thresholds as PromQL numbers: "0.5" seconds, "0.05" ratio. */
const char *promql_latency_slo(struct arena *a, const struct model_service *s);
const char *promql_error_slo(struct arena *a, const struct model_service *s);
/* The same values as doubles, for dashboard threshold lines. */
double promql_latency_slo_seconds(const struct model_service *s);
double promql_error_slo_ratio(const struct model_service *s);

#endif
