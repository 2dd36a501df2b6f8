/* typed.h - declarations after type checking, before the model.
 *
 * check.c turns each declaration's merged entries into a tblock: one
 * slot per schema field, holding a typed value with units converted and
 * references resolved, or the schema default.  lower.c reads tblocks by
 * field name to build the model. */
#ifndef DEPC_TYPED_H
#define DEPC_TYPED_H

#include <stdbool.h>
#include <stdint.h>

#include "program.h"

struct tval {
	enum type_kind type;
	const struct ast_node *node; /* where it was written (default: NULL) */
	union {
		const char *s;    /* string, host, image, path, name, enum, cidr */
		int64_t i;        /* int, port, duration ms, size bytes, cpu millicores */
		double d;         /* number, percent */
		bool b;
		struct decl *ref;
		struct {
			struct tval *lo, *hi;
		} range;
		struct tval *items; /* list elements; map entries (with key) */
		struct {
			const struct ctor *ctor;
			struct tval **args; /* by parameter; variadic rest in a list */
		} call;
		struct tblock *block;
	} u;
	const char *key;           /* map entry name */
	struct tval *next;
};

struct tblock {
	const struct kind *kind;
	const char *label;
	const struct ast_node *node; /* the block as written */
	struct tval **fields;        /* by schema field index; NULL = unset */
};

struct tval *tblock_get(const struct tblock *b, const char *field);

/* check.c: types every declaration; sets decl->typed. */
void check_program(struct program *p);
/* check.c: "KIND has no field 'x'" with did-you-mean, for entry `e`
 * (also used on overlays that are not selected). */
void check_unknown_field(struct program *p, const struct kind *k, const struct ast_node *e);

/* check_value.c: one value against one field's type.  `ctx` names the
 * field for messages.  Returns NULL after reporting an error. */
struct checker;
struct tval *check_value(struct checker *c, const struct field *f,
			 const struct ast_node *value);
struct tval *check_typed(struct checker *c, enum type_kind type, enum type_kind elem,
			 const char *arg, const char *name, const struct ast_node *value);
/* check_value.c: `s` with capitals and '_' undone ("WebApi" -> "web-api")
 * into `fixed` when that makes a valid value of type t, else "". */
void check_repair(enum type_kind t, const char *s, char *fixed, size_t size);

struct checker {
	struct program *p;
	int depth;             /* reference evaluation depth, against cycles */
	struct tval **defaults; /* parsed schema defaults, by kind and field */
};

/* check_rules.c: rules that involve several fields of one block;
 * `set` gives the entry that set each field, or NULL. */
void check_rules(struct checker *c, struct tblock *tb, const struct ast_node **set);

/* check_call.c: a constructor of `family` (probe, deploy). */
struct tval *check_call(struct checker *c, const char *family, const char *name,
			const struct ast_node *n);

/* check_eval.c: what a reference or interpolation stands for. */
const struct ast_node *eval_reference(struct checker *c, const struct ast_node *ref,
				      bool *failed);
const char *eval_string(struct checker *c, const struct ast_node *str, bool *failed);

/* lower.c: the model from the typed declarations (no errors allowed). */
struct model;
struct model *lower_program(struct program *p);

/* check_program.c: whole-deployment rules run on the model. */
void check_model(struct program *p, struct model *m);
/* check_units.c: values a generated target would round, clamp or refuse. */
void check_units(struct program *p, struct model *m);

#endif
