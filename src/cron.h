/* cron.h - the five-field cron schedules of jobs, checked and translated.
 *
 * A job's `schedule` is minute hour day-of-month month day-of-week, in
 * UTC, as Kubernetes CronJobs take it.  cron_check finds the field that
 * is wrong and says why; cron_to_aws writes the same schedule as
 * EventBridge Scheduler's cron(...) with its six fields. */
#ifndef DEPC_CRON_H
#define DEPC_CRON_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct cron_error {
	size_t start, end;   /* byte offsets of the bad part in the expression */
	const char *why;     /* static text */
};

/* True when `expr` is a schedule every target takes; else *err says where. */
bool cron_check(const char *expr, struct cron_error *err);

/* "cron(M H DOM MON DOW *)" for a schedule cron_check accepted: the day
 * of week counts from 1 (Sunday), and the day left free is '?'. */
const char *cron_to_aws(struct arena *a, const char *expr);

#endif
