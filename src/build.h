/* build.h - `depc build`: run the selected backends and write the tree. */
#ifndef DEPC_BUILD_H
#define DEPC_BUILD_H

#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "model.h"

struct build_options {
	const char *out_dir;   /* -o DIR, or "-" for standard output */
	const char *targets;   /* --target a,b,c or NULL for all */
	bool check;            /* --check: compare, write nothing */
	bool report;           /* --report: REPORT.md, and the report on `err` */
	bool report_json;      /* --format json: the report on `err` as JSON */
	bool force;            /* --force: overwrite generated files edited by hand */
	const char *workflow_dir; /* --workflow-dir: where the GitHub workflow goes */
	bool color;            /* warnings on `err` in colour, as check's are */
};

/* Returns the exit code: 0 written (or up to date), 1 stale (--check),
 * 2 usage or I/O error (the message is on `err`). */
int build_run(struct arena *a, const struct model *m, const char *source_name,
	      const struct build_options *opt, FILE *err);

#endif
