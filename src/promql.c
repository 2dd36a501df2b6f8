/* promql.c - PromQL for a service's metrics (see promql.h). */
#include "promql.h"

#include <inttypes.h>

#include "escape.h"

/* Label values are PromQL strings and pass through escape_promql_string
 * here, the one place they are written.  Metric and label names cannot
 * be quoted in a selector, so the checker accepts only names PromQL
 * reads as such (E0332, E0333) and they are spliced as they are. */

/* NAME=VALUE or, with `regex`, NAME=~VALUE. */
static const char *matcher(struct arena *a, const char *name, bool regex, const char *value)
{
	return arena_printf(a, "%s%s%s", name, regex ? "=~" : "=", escape_promql_string(a, value));
}

/* {job="SERVICE"} plus an optional extra matcher. */
static const char *selector(struct arena *a, const struct model_service *s,
			    const char *extra)
{
	const char *job = matcher(a, "job", false, s->name);
	if (extra)
		return arena_printf(a, "{%s,%s}", job, extra);
	return arena_printf(a, "{%s}", job);
}

const char *promql_up(struct arena *a, const struct model_service *s)
{
	return arena_printf(a, "up%s", selector(a, s, NULL));
}

const char *promql_request_rate(struct arena *a, const struct model_service *s,
				const char *window)
{
	return arena_printf(a, "sum by (%s) (rate(%s%s[%s]))", s->metrics.status_label,
			    s->metrics.requests_metric, selector(a, s, NULL), window);
}

/* `or vector(0)`: with no 5xx series yet the numerator would be empty
 * and the panel blank; a zero ratio is the truth. */
const char *promql_error_ratio(struct arena *a, const struct model_service *s,
			       const char *window)
{
	const char *m = s->metrics.requests_metric;
	const char *errors = matcher(a, s->metrics.status_label, true, "5..");
	return arena_printf(a, "(sum(rate(%s%s[%s])) or vector(0)) / sum(rate(%s%s[%s]))",
			    m, selector(a, s, errors), window, m, selector(a, s, NULL), window);
}

/* Buckets are summed by `le` across instances first: a quantile of
 * per-instance quantiles means nothing. */
const char *promql_latency(struct arena *a, const struct model_service *s,
			   const char *quantile, const char *window)
{
	return arena_printf(a, "histogram_quantile(%s, sum by (le) (rate(%s_bucket%s[%s])))",
			    quantile, s->metrics.latency_metric, selector(a, s, NULL), window);
}

/* Milliseconds as exact decimal seconds ("0.5", "1", "1.25"): integer
 * arithmetic, so the text never depends on floating-point printing. */
const char *promql_latency_slo(struct arena *a, const struct model_service *s)
{
	int64_t ms = s->metrics.slo_latency_ms;
	int64_t frac = ms % 1000;
	if (!frac)
		return arena_printf(a, "%" PRId64, ms / 1000);
	int digits = 3;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	return arena_printf(a, "%" PRId64 ".%0*" PRId64, ms / 1000, digits, frac);
}

/* "%g" is exact enough for a percentage written in the source and, with
 * no setlocale() anywhere in depc, always uses '.'. */
const char *promql_error_slo(struct arena *a, const struct model_service *s)
{
	return arena_printf(a, "%g", promql_error_slo_ratio(s));
}

double promql_latency_slo_seconds(const struct model_service *s)
{
	return (double)s->metrics.slo_latency_ms / 1000.0;
}

double promql_error_slo_ratio(const struct model_service *s)
{
	return s->metrics.slo_error_percent / 100.0;
}
