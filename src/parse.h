/* parse.h - the front end's entry point: source text to AST.
 *
 * parse_source() runs the flex scanner and the bison parser over one
 * source.  Lexical and syntax errors go into the diagnostics bag; the
 * parser recovers at the next entry so one run reports several errors.
 * The returned tree is never NULL, but when the bag holds errors it may
 * be partial and must not be lowered to a model. */
#ifndef DEPC_PARSE_H
#define DEPC_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "source.h"

/* Brackets, braces, parentheses, interpolations and member chains nest at
 * most this deep, so no later recursive walk can exhaust the C stack. */
#define PARSE_MAX_DEPTH 256
/* A string literal spans at most this many bytes of source (E0107). */
#define PARSE_MAX_STRING ((uint32_t)1 << 20)

/* A comment the scanner skipped (`#`, `//` or a block comment), from
 * its first byte to its last; a line comment stops before the newline. */
struct parse_comment {
	struct span span;
	struct parse_comment *next;
};

/* The first place at or after `from` where the scanner found a byte
 * sequence (`at` is the source length when there is none), kept so the
 * next question from a later place is answered without a new search. */
struct parse_found {
	bool valid;    /* a search was made */
	uint32_t from; /* where it started */
	uint32_t at;   /* what it found */
};

/* State shared by the scanner and the parser of one source (flex's
 * yyextra and bison's parse-param). */
struct parser {
	struct arena *arena;
	const struct source *src;
	struct diag_bag *diags;
	void *scanner;           /* yyscan_t */
	uint32_t offset;         /* scanner position: bytes consumed */
	uint32_t string_start;   /* where the open string or comment began */
	uint32_t interp_start;   /* where the open ${ began */
	int interp_depth;        /* `depth` outside the open ${ */
	bool pending_string_end; /* a broken interpolation also ended its string */
	const char *pending_text; /* text of a 'single-quoted' string, still owed */
	int depth;               /* open ( [ { ${ right now */
	struct span open[PARSE_MAX_DEPTH]; /* where each of them opened */
	struct span closed;      /* the opener the last closing bracket matched */
	bool closed_valid;       /* that closer had an opener to match */
	struct span outer_close; /* last closer that left no bracket open */
	bool outer_closed;       /* `outer_close` is set */
	uint32_t last_start;     /* start of the token just read */
	uint32_t last_end;       /* end of the token just read */
	uint32_t prev_end;       /* end of the token before it */
	bool dropped;            /* a lexical error dropped input just now */
	bool after_dropped;      /* the current token follows dropped input */
	bool eof_error;          /* a string or comment ran to the end of file */
	unsigned syntax_errors;  /* syntax errors so far, reported or not */
	uint32_t last_error;     /* where the last of them was */
	bool stopped;            /* a limit was hit: the rest is not parsed */
	uint32_t plain_end;      /* where the PLAIN run of word characters ends */
	struct parse_found close_quote[2]; /* the next ” and ’ (lex_curly_closes) */
	struct parse_found newline; /* the next newline (lex_curly_closes) */
	struct ast_node *root;   /* the finished file node */
	bool keep_comments;      /* collect comments (for fmt) */
	struct parse_comment *comments, *comments_tail; /* in source order */
};

struct ast_node *parse_source(struct arena *a, const struct source *src,
			      struct diag_bag *diags);
/* The same, also handing back every comment in source order (the
 * formatter puts them back; the tree has no place for them). */
struct ast_node *parse_source_comments(struct arena *a, const struct source *src,
				       struct diag_bag *diags,
				       struct parse_comment **comments);

/* The items of bytes [from, to) of `src` alone, with the source's
 * offsets, and the comments among them; the nodes' source is not set.
 * Only a parse without diagnostics stands for those bytes of a parse of
 * the whole source (reparse.c decides where that holds). */
struct ast_node *parse_region(struct arena *a, const struct source *src, uint32_t from,
			      uint32_t to, struct diag_bag *diags,
			      struct parse_comment **comments);

/* Used by the scanner: called on every opening bracket; reports E0102
 * and stops the parse when the limit is passed.  parse_leave is called
 * on every closing one and remembers what it matched, for messages. */
bool parse_enter(struct parser *p, struct span at);
void parse_leave(struct parser *p, struct span at);

#endif
