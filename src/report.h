/* report.h - `depc build --report`: what each target could not say.
 *
 * Every target speaks a different language, and not every construct of
 * the model has a word in each: Compose cannot route by host name, ECS
 * has no rollout delay, Kubernetes ignores `placement`.  The backends
 * approximate or drop such constructs silently; this report lists each
 * one per target, with the .dep location it came from and why.  It reads
 * only the model; every rule is written down once in report.c, beside a
 * comment naming the backend code that makes the approximation. */
#ifndef DEPC_REPORT_H
#define DEPC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "model.h"
#include "output.h"

enum report_kind { REPORT_APPROXIMATED, REPORT_DROPPED };

struct report_entry {
	const char *target;    /* backend name: compose, k8s, terraform, ... */
	enum report_kind kind;
	const char *subject;   /* "service web", "volume db-data" */
	const char *construct; /* the .dep construct, e.g. "autoscale" */
	const char *why;       /* what the target does instead, and why */
	const struct model_origin *origin;
	struct report_entry *next;
};

struct report {
	struct report_entry *entries; /* by target in backend order, then source order */
	size_t count;
};

/* Collects the entries for the targets `selected` accepts (NULL: all). */
void report_collect(struct arena *a, const struct model *m,
		    bool (*selected)(const char *targets, const char *name),
		    const char *targets, struct report *r);

/* "file:line:col: compose: approximated: service web: health: ..." lines. */
void report_print_text(const struct report *r, FILE *out);
/* One JSON document: {"entries": [{target, kind, subject, ...}]}. */
void report_print_json(const struct report *r, FILE *out);
/* REPORT.md into the output (so it is in the manifest); false when the
 * output refused the path. */
bool report_write(const struct report *r, struct output *o);

#endif
