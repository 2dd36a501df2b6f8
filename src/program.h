/* program.h - the declarations of one compilation, between the stages.
 *
 * resolve.c fills it from the syntax tree (imports, the declaration
 * table, templates, environment overlays); check.c types every
 * declaration against the schema; lower.c turns the typed declarations
 * into the model.  Backends never see this: they read model.h only. */
#ifndef DEPC_PROGRAM_H
#define DEPC_PROGRAM_H

#include <stdbool.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "schema.h"

struct tblock;

struct decl {
	const struct kind *kind;
	const char *name;       /* label, or the kind's name when unlabelled */
	struct ast_node *block; /* the declaration as written */
	struct ast_node *body;  /* entries after template and overlay merges */
	struct tblock *typed;   /* set by check.c; NULL when it had errors */
	void *model;            /* set by lower.c: the model object */
	bool visiting;          /* cycle guard while evaluating references */
	const struct template_def *tmpl; /* the template it is made from, or NULL */
	const struct ast_node **param_names;  /* the template's parameters (AST_ATTR) */
	const struct ast_node **param_values; /* what each stands for: argument or default */
	size_t param_count;
	struct decl *next;
};

struct template_cost;
struct template_def {
	const char *module;       /* import name, or NULL for the main file */
	struct ast_node *node;    /* AST_TEMPLATE */
	struct template_cost *cost; /* template.c, made at the first instance */
	struct template_def *next;
};

struct module {
	const char *name;         /* name it is imported as */
	const char *path;         /* as written in the import */
	const struct source *src;
	struct ast_node *ast;
	bool loading;             /* on the import stack: a cycle if seen again */
	struct module *next;
};

struct program {
	struct arena *arena;
	struct diag_bag *diags;
	const struct source *src;    /* the main file */
	struct ast_node *root;       /* its syntax tree */
	const char *const *search;   /* -I directories, then DEPC_PATH's */
	size_t search_count;
	const char *env;             /* --env, or NULL */
	struct module *modules;
	struct template_def *templates;
	struct decl *decls;          /* in source order */
	struct decl **decls_tail;
	struct decl **index;         /* open-addressed by name, namespace decls */
	size_t index_cap;            /* slots in index: a power of two, or 0 */
	size_t index_count;          /* decls in index */
	struct decl *first_of_kind[32]; /* first decl of each schema kind */
	size_t decl_count;           /* decls kept, at most PROGRAM_MAX_DECLS */
	size_t template_nodes;       /* made by instantiation, at most TEMPLATE_MAX_NODES */
};

/* Declarations one program may hold; past it E0108 is reported once and
 * the rest are dropped, which bounds the model and every backend. */
#define PROGRAM_DEFAULT_MAX_DECLS ((size_t)1000000)
#define PROGRAM_MAX_DECLS (program_max_decls())

/* PROGRAM_DEFAULT_MAX_DECLS, or fewer when the environment variable
 * DEPC_MAX_DECLS holds a smaller positive number: the test suite reaches
 * the limit with a thousand declarations instead of generating and
 * parsing a million.  It can only lower the limit, never raise it. */
size_t program_max_decls(void);

/* Syntax nodes all template instantiations together may make (E0109).
 * Instantiation never nests (templates are top-level only and a template
 * body cannot use another), but it still multiplies: every declaration
 * copies its template, and every use of a parameter copies the argument,
 * so a small file could ask for billions of nodes. */
#define TEMPLATE_MAX_NODES ((size_t)1 << 21)
/* ...plus this many per byte of the file compiled: a program of 50,000
 * services made from the standard library needs about 3 million nodes
 * from 21 MB, while one template used a thousand times over a thousand
 * arguments needs millions from a few kilobytes.  The budget grows with
 * the input, so no input costs more than in proportion to its size. */
#define TEMPLATE_NODES_PER_BYTE 4

void program_init(struct program *p, struct arena *a, struct diag_bag *diags,
		  const struct source *src, struct ast_node *root);

/* Declaration by name (names are unique across kinds), or NULL. */
struct decl *program_find(const struct program *p, const char *name);
/* Declarations of kind `k` are named in that one namespace, so
 * program_find() finds them. */
bool program_named_kind(const struct kind *k);
/* The declaration of a unique kind (app, pipeline, ...), or NULL. */
struct decl *program_find_kind(const struct program *p, const char *kind);
/* Best did-you-mean among declarations of `kind` (NULL: any kind). */
const char *program_suggest(const struct program *p, const char *name,
			    const char *kind);

/* resolve.c: fills modules, templates and decls, applies --env. */
void resolve_program(struct program *p);
/* "cloud NAME { region = ... }": where a stray field belongs, for help
 * text, or NULL when no top-level kind has it. */
const char *resolve_field_home(struct arena *a, const char *field);

/* overlay.c: checks every `env NAME { }` and merges the selected one. */
void resolve_overlays(struct program *p);

/* template.c: the merge rule of man/dep.5 — scalars replaced, maps and
 * blocks merged entry by entry, lists replaced.  Returns new entries;
 * neither input is modified. */
struct ast_node *template_merge(struct arena *a, const struct ast_node *base,
				const struct ast_node *over);
/* The same, taking the entries of `base` into the result instead of
 * copying them: for a base list nothing else refers to. */
struct ast_node *template_merge_into(struct arena *a, struct ast_node *base,
				     const struct ast_node *over);
/* unset.c: the base with what the `unset` entries of `over` (at any
 * depth) name taken out, each checked against kind k's schema and the
 * base; `from` names the base in messages ("template 'redis'"). */
struct ast_node *unset_apply(struct program *p, const struct kind *k, const char *from,
			     struct ast_node *base, const struct ast_node *over);
/* Does the body hold an unset, at any depth? */
bool unset_any(const struct ast_node *body);
/* The body without its unsets (copied along the way when it has any). */
struct ast_node *unset_strip(struct arena *a, struct ast_node *body);
/* E0116 under every unset in `body` (at any depth), placed `where`
 * nothing can be removed ("in a template's body"). */
void unset_report_misplaced(struct program *p, const struct ast_node *body,
			    const char *where);
/* E0116 under the one unset n. */
void unset_report_one(struct program *p, const struct ast_node *n, const char *where);
/* Instantiates `call` (or bare name) for declaration `d`: binds arguments
 * to parameters and returns the template's body with them substituted,
 * or NULL after reporting an error. */
struct ast_node *template_instantiate(struct program *p, struct decl *d,
				      struct ast_node *base);
/* The name a template is called by: nextjs's is node.nextjs. */
const char *template_name(struct arena *a, const struct template_def *t);
/* E0230 for each parameter of `t` named like a field of its kind that
 * the body sets to anything but that very parameter (`port = port`):
 * ${svc.NAME} would have two meanings. */
void template_check_params(struct program *p, const struct template_def *t);
/* A field the body sets that the template also passes on from its parameter (W0078). */
void template_check_overrides(struct program *p, const struct decl *d);
/* A diagnostic inside a standard library template (which the user cannot
 * edit) for `d`, made from it: points at d's template call first, the
 * template's line beside it.  False, changing nothing, for any other. */
bool template_lead_with_call(struct program *p, struct diag *dg, const struct decl *d);
/* The template that holds the byte range, or NULL. */
const struct template_def *template_at(const struct program *p, const struct source *src,
				       struct span span);

#endif
