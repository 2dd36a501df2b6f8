/* alert_names.c - the table of alert_names.h. */
#include "alert_names.h"

#include <string.h>

static const struct service_alert alerts[] = {
	{ "ServiceDown", ALERT_THRESHOLD_NONE, false, 60000, "critical",
	  "an instance has not answered a scrape for the `for` duration" },
	{ "ServiceTargetsMissing", ALERT_THRESHOLD_NONE, false, 300000, "critical",
	  "service discovery finds no instance to scrape at all" },
	{ "ServiceHighErrorRatio", ALERT_THRESHOLD_PERCENT, true, 300000, "critical",
	  "the share of requests answered with a 5xx status is above the threshold "
	  "(default: metrics.slo_errors)" },
	{ "ServiceHighLatency", ALERT_THRESHOLD_DURATION, true, 600000, "warning",
	  "the 95th percentile of request latency is above the threshold "
	  "(default: metrics.slo_latency)" },
};

const struct service_alert *service_alert_named(const char *name)
{
	for (size_t i = 0; i < sizeof alerts / sizeof alerts[0]; i++)
		if (!strcmp(alerts[i].name, name))
			return &alerts[i];
	return NULL;
}

size_t service_alert_count(void)
{
	return sizeof alerts / sizeof alerts[0];
}

const struct service_alert *service_alert_at(size_t i)
{
	return i < service_alert_count() ? &alerts[i] : NULL;
}
