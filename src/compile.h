/* compile.h - one compilation: a source through every front-end stage.
 *
 * The command line, the language server and the tests all drive the
 * pipeline through this one interface, so they cannot disagree about
 * what a file means.  Everything a compilation makes lives in its arena
 * and is released by compile_free(). */
#ifndef DEPC_COMPILE_H
#define DEPC_COMPILE_H

#include <stdbool.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "source.h"

/* Errors kept before the rest are summarised by E0104. */
#define COMPILE_ERROR_LIMIT 50

struct model;
struct program;
struct policy_result;

struct compile_options {
	const char *env;               /* --env NAME, or NULL */
	const char *const *search;     /* -I directories, then DEPC_PATH entries */
	size_t search_count;
	const char *const *allow;      /* --allow CODE: policy rules downgraded */
	size_t allow_count;            /* everywhere to warnings */
	bool policy_report;            /* check --policy: the report is shown */
};

struct compilation {
	struct arena arena;
	struct diag_bag diags;
	struct source *source; /* the file being compiled */
	struct ast_node *ast;  /* its syntax tree (never NULL once loaded) */
	struct model *model;   /* set by compile_check when there are no errors */
	struct program *program; /* declarations, templates, imports: set by
				    compile_check once the tree parsed cleanly,
				    or by compile_resolve_partial; else NULL */
	struct policy_result *policy; /* the policy pass's compliance report:
					 set when the model checked clean */
};

void compile_init(struct compilation *c);
void compile_free(struct compilation *c);

/* Reads `path` ("-" is standard input).  Returns false with *io_error set
 * when the file cannot be read; syntax errors are diagnostics instead. */
bool compile_load_file(struct compilation *c, const char *path,
		       const char **io_error);
void compile_load_memory(struct compilation *c, const char *name,
			 const char *text, size_t len);

/* Runs the stages after parsing: resolve, check, lower to the model,
 * and the policy pass over a model that checked clean.  Returns true
 * when no error was found (c->model is then set). */
bool compile_check(struct compilation *c, const struct compile_options *opt);

/* For the language server, whose names must resolve while a file is
 * being typed: resolves the imports, templates and declarations of a
 * tree that has syntax errors (after compile_check declined to).  Its
 * diagnostics go to a bag of its own that is dropped, since a partial
 * tree yields follow-on errors nobody should see: c->diags is untouched.
 * Sets c->program. */
void compile_resolve_partial(struct compilation *c, const struct compile_options *opt);

#endif
