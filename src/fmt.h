/* fmt.h - the canonical layout of a .dep file (`depc fmt`).
 *
 * fmt_source() reprints a source from its syntax tree: two-space
 * indentation, one entry per line except in a block its author wrote on
 * one line (kept so when it fits), '=' aligned in runs of entries,
 * lists, maps and argument lists on one line when they fit in FMT_WIDTH
 * columns, else broken where the author broke them between items, else
 * one item per line (with a trailing comma).  Strings, numbers and unit
 * literals are copied as written, and every comment is kept where it
 * was: a comment on a line of its own stays before the entry it
 * preceded, a comment after an entry stays at the end of that entry's
 * line, in its column when there is room.  There are no options;
 * formatting again gives the same bytes, and the tree of the result is
 * the tree of the input.  The language server prints the tree and
 * comments its analysis parsed already with fmt_tree(), the printer
 * fmt_source() runs after its own parse. */
#ifndef DEPC_FMT_H
#define DEPC_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

/* Columns a line may take before a list, map or call is broken up. */
#define FMT_WIDTH 100

/* The formatted text of `src` (an arena string), or NULL when the source
 * has lexical or syntax errors, which are then in `diags`. */
char *fmt_source(struct arena *a, const struct source *src, struct diag_bag *diags);

struct ast_node;
struct parse_comment;

/* The formatted text (an arena string) of `root`, the syntax tree of
 * `src` as parsed without error, with the comments that parse handed
 * back.  The tree must be as the parser made it: fmt_source() gives the
 * same bytes for `src`. */
char *fmt_tree(struct arena *a, const struct source *src, const struct ast_node *root,
	       const struct parse_comment *comments);

enum fmt_mode {
	FMT_PRINT, /* write the formatted text to `out` */
	FMT_CHECK, /* write nothing; name the file on `err` when it is not formatted */
	FMT_WRITE, /* replace the file when it is not formatted */
};

/* Formats one file ("-" is standard input, which FMT_WRITE prints).
 * Returns 0 when done (or already formatted), 1 when the file has
 * syntax errors (rendered on `err`) or, with FMT_CHECK, is not
 * formatted, and 2 on an I/O error. */
int fmt_file(const char *path, enum fmt_mode mode,
	     const struct diag_render_options *ro, FILE *out, FILE *err);

/* Writes `len` bytes to `path` atomically: into a temporary file beside
 * it, then renamed over it, so a reader sees the old file or the new one
 * and never a part.  An existing file keeps its permissions.  With
 * `replace` false an existing `path` is an error ("file exists"). */
bool fmt_write_file(const char *path, const char *text, size_t len, bool replace,
		    const char **error);

#endif
