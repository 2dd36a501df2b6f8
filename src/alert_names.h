/* alert_names.h - the alerts depc generates for each service.
 *
 * One table names them for the rule writer (alert_rules.c), the checker
 * of `alerts { ... }` (check_alerts.c), the Grafana panels that draw
 * their thresholds and the language server, so a name one of them
 * knows is a name all of them know. */
#ifndef DEPC_ALERT_NAMES_H
#define DEPC_ALERT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the `threshold` of an alert is measured in. */
enum alert_threshold {
	ALERT_THRESHOLD_NONE,     /* the alert has none: it fires on a state */
	ALERT_THRESHOLD_PERCENT,  /* 2%: a share of requests */
	ALERT_THRESHOLD_DURATION, /* 500ms: a latency */
};

struct service_alert {
	const char *name;
	enum alert_threshold threshold;
	bool http;          /* about requests served: only a service with a port */
	int64_t for_ms;     /* how long the condition holds before it fires */
	const char *severity;
	const char *doc;    /* one line: when it fires */
};

const struct service_alert *service_alert_named(const char *name);
size_t service_alert_count(void);
const struct service_alert *service_alert_at(size_t i);

#endif
