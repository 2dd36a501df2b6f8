/* alert_rules.h - the Prometheus alerting rules of a deployment.
 *
 * One writer for the rule groups, used by monitoring/alerts.yml and by
 * the Prometheus Operator's PrometheusRule, so both carry the same
 * alerts.  Groups, in order: one per service with metrics ("service.NAME":
 * target down, targets missing, 5xx ratio above the SLO, p95 latency
 * above the SLO), "node-exporter" (host down, disk and memory low) when
 * node_exporter is on, and "app.NAME" with the alerts the source
 * declares.  Group names cannot collide: service names hold no '.'. */
#ifndef DEPC_ALERT_RULES_H
#define DEPC_ALERT_RULES_H

#include <stdbool.h>

#include "arena.h"
#include "model.h"
#include "yaml_out.h"

/* How long the SLO alerts' conditions must hold before they fire. */
#define ALERT_RULES_ERROR_FOR_MS 300000    /* ServiceHighErrorRatio */
#define ALERT_RULES_LATENCY_FOR_MS 600000  /* ServiceHighLatency */

/* Does `s` get a scrape job, SLO alerts and RED panels?  It needs a
 * metrics block and a port to scrape. */
bool alert_rules_scraped(const struct model_service *s);

/* Does `s` get alert `al` (before any `alerts { }` turns it off)?  The
 * request alerts need a port: a worker exposing only metrics serves no
 * requests. */
struct service_alert;
bool alert_rules_generated(const struct model_service *s, const struct service_alert *al);

/* Alert `name` of service `s` as its `alerts { }` tunes it: false when
 * it is off or not generated; else *tuned is `s` with the threshold in
 * place of the objective, *for_ms and *severity the rule's. */
bool alert_rules_tune(const struct model_service *s, const char *name,
		      struct model_service *tuned, int64_t *for_ms, const char **severity);

/* The rate window of the SLO alerts: 5m, or four scrape intervals when
 * that is longer, so rate() always sees enough samples. */
int64_t alert_rules_window_ms(const struct model *m);

/* Writes `groups: [...]` into the mapping open in `y`. */
void alert_rules_put_groups(struct yaml_out *y, struct arena *a, const struct model *m);

#endif
