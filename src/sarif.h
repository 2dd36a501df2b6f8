/* sarif.h - SARIF 2.1.0 logs, the format code-scanning services read.
 *
 * `depc check --format sarif` writes every diagnostic as a result, and
 * `depc check --policy --format sarif` the compliance report (see
 * policy_report.c), both through these builders.  Columns count Unicode
 * code points, as depc's do, and the run says so (columnKind); lines and
 * columns are 1-based, end columns exclusive.  Trees are cJSON; every
 * allocation failure aborts through depc_out_of_memory(). */
#ifndef DEPC_SARIF_H
#define DEPC_SARIF_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "diag.h"

/* A log with one run of the tool "depc"; *rules and *results receive the
 * run's (empty) arrays for the caller to fill. */
cJSON *sarif_log(cJSON **rules, cJSON **results);
/* A reportingDescriptor: id, a one-line description, the default level. */
cJSON *sarif_rule(const char *id, const char *text, const char *level);
/* A location in a source; `message` may be NULL. */
cJSON *sarif_location(const struct source *s, struct span sp, const char *message);
/* {"text": text} */
cJSON *sarif_message(const char *text);
/* Adds item under key (or to an array when key is NULL), aborting when
 * cJSON could not allocate. */
void sarif_put(cJSON *parent, const char *key, cJSON *item);
/* Prints the log followed by a newline and frees it. */
void sarif_print(FILE *out, cJSON *log);

/* Every diagnostic of the bag, with its labels as related locations and
 * its fix as a SARIF fix. */
void diag_render_sarif(FILE *out, const struct diag_bag *bag);

#endif
