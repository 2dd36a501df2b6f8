/* ast.h - the syntax tree the parser builds.
 *
 * The tree mirrors the text: it is not resolved or checked (that is
 * resolve.c and check.c), and nothing here knows what a "service" is.
 * Every node carries its byte span in one source; all nodes and strings
 * live in the compilation's arena.  Lists of nodes are singly linked
 * through `next`, in source order. */
#ifndef DEPC_AST_H
#define DEPC_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"

enum ast_kind {
	AST_FILE,     /* the whole source: items */
	AST_IMPORT,   /* import "std/node" [as name] */
	AST_TEMPLATE, /* template KIND NAME(params) { body } */
	AST_BLOCK,    /* KIND [LABEL] [= base(args)] { body } */
	AST_ATTR,     /* NAME = value; also named args, map entries, params */
	AST_IDENT,    /* a bare name: reference or enum word */
	AST_MEMBER,   /* object.name */
	AST_CALL,     /* callee(args) */
	AST_STRING,   /* "..." or """...""": parts */
	AST_TEXT,     /* literal text inside a string, escapes decoded */
	AST_INT,      /* 42 */
	AST_FLOAT,    /* 0.5 */
	AST_UNIT,     /* 30s, 256Mi, 100m: number and suffix */
	AST_BOOL,     /* true, false */
	AST_LIST,     /* [a, b] */
	AST_MAP,      /* { K = v } as a value: entries are AST_ATTR */
	AST_RANGE,    /* lo..hi */
	AST_UNSET,    /* unset a.b [value]: removes what a template sets */
	AST_KIND_COUNT
};

struct ast_node {
	enum ast_kind kind;
	struct span span;      /* the whole construct */
	const struct source *src; /* the source `span` points into; templates
				     mix nodes of several sources in one body */
	struct ast_node *next; /* next sibling in the list this node is in */
	union {
		struct {
			struct ast_node *items; /* imports, templates, blocks, attrs */
		} file;
		struct {
			const char *path;   /* decoded path string */
			struct span path_span;
			const char *alias;  /* `as NAME`, or NULL */
			struct span alias_span;
		} import;
		struct {
			const char *kind;   /* kind of block it makes, e.g. "service" */
			struct span kind_span;
			const char *name;
			struct span name_span;
			struct ast_node *params; /* AST_ATTR; value NULL = required */
			struct ast_node *body;   /* entries */
		} template;
		struct {
			const char *kind;   /* first word: service, health, env, ... */
			struct span kind_span;
			const char *label;  /* name or quoted title, or NULL */
			struct span label_span;
			bool label_quoted;  /* label was a string literal */
			struct ast_node *base; /* AST_CALL after `=`, or NULL */
			struct ast_node *body; /* entries: AST_ATTR and AST_BLOCK */
			struct span body_span; /* from '{' to '}' */
		} block;
		struct {
			const char *name;
			struct span name_span;
			bool name_quoted;      /* map key written as a string */
			struct ast_node *value; /* NULL for a required parameter */
		} attr;
		struct {
			const char *name;
		} ident;
		struct {
			struct ast_node *object;
			const char *name;
			struct span name_span;
			unsigned chain;      /* postfix operators below, for the limit */
		} member;
		struct {
			struct ast_node *callee; /* AST_IDENT or AST_MEMBER */
			struct ast_node *args;   /* exprs, then AST_ATTR for named */
			unsigned chain;
		} call;
		struct {
			struct ast_node *parts; /* AST_TEXT and interpolated exprs */
			bool multiline;
		} string;
		struct {
			const char *text; /* decoded bytes, NUL-terminated */
			size_t len;       /* may contain no NUL: \u{0} is rejected */
		} text;
		struct {
			int64_t value;
		} integer;
		struct {
			double value;
			const char *text; /* digits as written, for exact output */
		} number;
		struct {
			double value;       /* the number before the suffix */
			const char *text;   /* the number as written */
			const char *suffix; /* "s", "Mi", "m", ... */
		} unit;
		struct {
			bool value;
		} boolean;
		struct {
			struct ast_node *items; /* list elements or map AST_ATTRs */
		} list;
		struct {
			struct ast_node *lo, *hi;
		} range;
		struct {
			struct ast_node *path;  /* AST_IDENT per segment, in order */
			struct ast_node *value; /* AST_STRING or AST_LIST, or NULL */
		} unset;
	} u;
};

/* Constructors: one per kind, each called from one grammar action.  A
 * node is only as large as its kind's member of the union: never read
 * another kind's member, nor copy a node by assignment (ast_clone). */
struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct span span);
struct ast_node *ast_file(struct arena *a, struct span span, struct ast_node *items);
struct ast_node *ast_import(struct arena *a, struct span span, const char *path,
			    struct span path_span, const char *alias,
			    struct span alias_span);
struct ast_node *ast_block(struct arena *a, struct span span, const char *kind,
			   struct span kind_span, struct ast_node *label,
			   struct ast_node *base, struct ast_node *body,
			   struct span body_span);
struct ast_node *ast_template(struct arena *a, struct span span,
			      const char *kind, struct span kind_span,
			      const char *name, struct span name_span,
			      struct ast_node *params, struct ast_node *body);
struct ast_node *ast_attr(struct arena *a, struct span span, const char *name,
			  struct span name_span, bool quoted, struct ast_node *value);
struct ast_node *ast_ident(struct arena *a, struct span span, const char *name);
struct ast_node *ast_member(struct arena *a, struct span span,
			    struct ast_node *object, const char *name,
			    struct span name_span);
struct ast_node *ast_call(struct arena *a, struct span span,
			  struct ast_node *callee, struct ast_node *args);
/* AST_INT, AST_FLOAT or AST_UNIT from the literal's text ("256Mi").
 * The scanner has already checked the text. */
struct ast_node *ast_number(struct arena *a, struct span span,
			    enum ast_kind kind, const char *text);
struct ast_node *ast_bool(struct arena *a, struct span span, bool value);
struct ast_node *ast_text(struct arena *a, struct span span, const char *text,
			  size_t len);
/* A string from its parts; adjacent text parts are merged into one. */
struct ast_node *ast_string(struct arena *a, struct span span,
			    struct ast_node *parts);
struct ast_node *ast_range(struct arena *a, struct span span,
			   struct ast_node *lo, struct ast_node *hi);
struct ast_node *ast_list(struct arena *a, enum ast_kind kind, struct span span,
			  struct ast_node *items);
struct ast_node *ast_unset(struct arena *a, struct span span, struct ast_node *path,
			   struct ast_node *value);
/* "health.startup": an unset's path as written, for messages. */
const char *ast_unset_path(struct arena *a, const struct ast_node *unset);

/* An append-only list under construction: keeps the tail for O(1) append. */
struct ast_list {
	struct ast_node *head, *tail;
};
void ast_list_append(struct ast_list *l, struct ast_node *n);

/* The node alone, `next` cleared, its children shared.  Nodes are
 * allocated at the size of their kind: this is the only way to copy one. */
struct ast_node *ast_clone(struct arena *a, const struct ast_node *n);
/* Sets `src` on every node of a freshly parsed tree. */
void ast_set_source(struct ast_node *n, const struct source *src);
/* Moves `n` and everything under it `delta` bytes along its source
 * (reparse.c): every span it holds. */
void ast_shift(struct ast_node *n, int64_t delta);
/* A deep copy whose lists can be relinked without touching the original
 * (template instantiation and overlays splice copies). */
struct ast_node *ast_copy(struct arena *a, const struct ast_node *n);

/* The string's text when it has no interpolation, else NULL. */
const char *ast_string_plain(const struct ast_node *str);
/* "service", "string", ... for messages. */
const char *ast_kind_name(enum ast_kind kind);
/* Number of nodes in a sibling list. */
size_t ast_count(const struct ast_node *list);

/* An S-expression dump, one line, used by the parser tests and `depc
 * parse --dump` style debugging.  Returns an arena string. */
char *ast_dump(struct arena *a, const struct ast_node *n);

#endif
