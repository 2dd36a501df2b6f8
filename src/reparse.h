/* reparse.h - a new version of a text parsed from the last one's tree.
 *
 * An editor sends an edit of a few bytes and wants its diagnostics at
 * once; parsing the whole file again was a third of that work.  A
 * struct reparse keeps the tree of the last version in an arena of its
 * own.  The next version reuses every top-level item (import, template,
 * declaration) away from the bytes that changed, and parses only the
 * stretch between them, alone.  Where that cannot be shown to give the
 * tree a whole parse gives, the whole text is parsed instead: see
 * reparse.c for when. */
#ifndef DEPC_REPARSE_H
#define DEPC_REPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

struct reparse {
	struct arena arena;       /* the tree and comments; outlives each analysis */
	struct source source;     /* what every node points at: the last call's
				     source, copied here so a moved node needs
				     no change (its line table is the caller's) */
	const char *text;         /* the text they were parsed from (the caller's) */
	size_t len;
	struct ast_node *root;    /* NULL before the first parse */
	struct parse_comment *comments;
	bool clean;               /* that parse reported nothing: reusable */
	size_t whole_size;        /* the arena's size after the last whole parse */
	size_t items_reused;      /* of the last parse, for tests: 0 when whole */
};

void reparse_init(struct reparse *r);
void reparse_free(struct reparse *r);

/* The tree of `src` and its comments, into r's arena, and what a parse
 * of `src` reports into `diags`.  Its nodes and diagnostics point at
 * r->source, a copy of *src: the caller uses that in place of src.  The
 * text of the last call must still be alive (r->text); this call's text
 * must stay so until the next.  Nodes of the last tree are moved into
 * the new one, so the last tree is gone. */
struct ast_node *reparse(struct reparse *r, const struct source *src, struct diag_bag *diags,
			 struct parse_comment **comments);

#endif
