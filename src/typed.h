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
		struct tval *items; /* list elements; map entries (with key); the
				     * pieces of a composed secret value in `secrets`
				     * (a TY_LIST whose node is the string: TY_STRING
				     * text and TY_REF secrets, check_composed.c) */
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

/* Limits of reference evaluation (man/depc.1, LIMITS).  A chain is a
 * reference to a value that is itself a reference, and so on; the text
 * an interpolation expands to is capped per string like a literal
 * (E0107), and in all, so that values which each interpolate another
 * twice cannot double their way to an exponential size. */
#define EVAL_MAX_CHAIN 64                        /* E0110 */
#define EVAL_MAX_TEXT ((size_t)1 << 20)           /* E0111: bytes, one string */
#define EVAL_MAX_EXPANDED ((size_t)64 << 20)      /* E0112: bytes, all references */

/* The text a referenced value stands for, evaluated once (check_eval.c). */
struct eval_memo {
	const struct ast_node *value;
	const char *text;
	size_t len;
	bool failed;
	int height;  /* chain links its evaluation went through, below it */
};

struct checker {
	struct program *p;
	int depth;             /* values on `chain` */
	int reach;             /* deepest `depth` the current evaluation needed */
	const struct ast_node *chain[EVAL_MAX_CHAIN]; /* being evaluated: a cycle if seen again */
	struct eval_memo *memo; /* open-addressed by value node; malloc'd */
	size_t memo_cap, memo_count;
	struct eval_memo plain; /* the last plain string's text (text_memo) */
	size_t expanded;       /* bytes references have expanded to, in all */
	bool expanded_over;    /* E0112 was reported */
	struct tval **defaults; /* parsed schema defaults, by kind and field */
	const struct ast_node *outer_ref; /* the reference the chain started from */
	struct diag *outer_last;          /* the last diagnostic before it */
	const char *env_key;   /* the `env` entry being checked, or NULL */
	const struct ast_node *env_value; /* and its value */
};

/* check_allow.c: each key of the block's `allow` map is a policy rule of
 * that kind of declaration (E0416), each reason non-empty (E0417). */
void check_allow(struct program *p, const struct tblock *tb);

/* check_alerts.c: a service's `alerts { ... }`, the generated alerts it
 * changes (E0260-E0264); a map of the alert names, each `off` (a false
 * boolean) or a map of threshold, for and severity. */
struct tval *check_alerts(struct checker *c, const struct ast_node *e);
/* check_alerts.c: tunings of alerts the service does not get (W0073). */
struct model;
void check_alert_tunings(struct program *p, const struct model *m);
/* check_workers.c: a service without a port that declares an ingress
 * (E0370). */
void check_portless(struct program *p, const struct model *m);
/* lower_alerts.c: the tunings of a service's checked `alerts` map. */
struct model_alert_tuning;
struct model_alert_tuning *lower_alert_tunings(struct program *p, const struct tval *alerts);

/* check_rules.c: rules that involve several fields of one block;
 * `set` gives the entry that set each field, or NULL. */
void check_rules(struct checker *c, struct tblock *tb, const struct ast_node **set);

/* check_rules.c: each service listed once in `uses` (E0323). */
void check_uses_once(struct checker *c, struct tblock *tb);
/* check_jobs.c: a job's own rules; a job named where a service is needed
 * (true after reporting it); the waits of jobs and services (E0244). */
void check_job(struct checker *c, struct tblock *tb, const struct ast_node **set);
bool check_job_ref(struct checker *c, const char *field, const struct decl *d,
		   const struct ast_node *n);
struct model;
void check_jobs_model(struct program *p, struct model *m);

/* check_call.c: a constructor of `family` (probe, deploy). */
struct tval *check_call(struct checker *c, const char *family, const char *name,
			const struct ast_node *n);

/* check_eval.c: what a reference or interpolation stands for. */
const struct ast_node *eval_reference(struct checker *c, const struct ast_node *ref,
				      bool *failed);
const char *eval_string(struct checker *c, const struct ast_node *str, bool *failed);
const char *eval_interpolated(struct checker *c, const struct ast_node *n, bool *failed);
/* check_composed.c: `NAME = "text ${secret} ${db.host}"` in `secrets`. */
struct tval *check_composed(struct checker *c, const struct ast_node *entry);
/* Puts `v`, the value `ref` led to, on the chain being evaluated; false,
 * after reporting a cycle (E0221) or a chain over the limit (E0110), when
 * it cannot go on.  Every true is matched by one eval_leave(). */
bool eval_enter(struct checker *c, const struct ast_node *ref, const struct ast_node *v,
		bool *failed);
void eval_leave(struct checker *c);

/* lower.c: the model from the typed declarations (no errors allowed). */
struct model;
struct model *lower_program(struct program *p);
/* lower.c: where node n was written, for a model object's origin. */
struct model_origin;
struct model_origin lower_origin(const struct ast_node *n);
/* lower.c: one service's container (a job's too), and its `uses`,
 * resolved once every service exists. */
struct model_service *lower_service(struct program *p, struct model *m, struct decl *d);
void link_uses(struct program *p, struct decl *d);
/* lower_jobs.c: model.jobs, each with its container (d->model). */
void lower_jobs(struct program *p, struct model *m);
/* lower_facts.c: a declaration's exceptions, and the policy's view of
 * it.  One fact source serves every declaration of the program. */
struct model_allow;
struct model_decl;
struct fact_source;
struct model_allow *lower_allows(struct program *p, const struct tblock *b);
struct fact_source *lower_fact_source(struct program *p);
struct model_decl *lower_facts(struct fact_source *src, struct decl *d,
			       struct model_allow *allows);
/* lower_external.c: the `external` declarations, before `uses` is
 * linked; then who uses each. */
void lower_externals(struct program *p, struct model *m);
void lower_external_users(struct program *p, struct model *m);

/* lower_composed.c: the composed values of a `secrets` map. */
struct model_composed;
struct model_composed *lower_composed(struct program *p, const struct tval *map);

/* check_program.c: whole-deployment rules run on the model. */
void check_model(struct program *p, struct model *m);
/* check_names.c: generated names that collide, are taken or too long. */
void check_generated_names(struct program *p, const struct model *m);
/* check_units.c: values a generated target would round, clamp or refuse. */
void check_units(struct program *p, struct model *m);
/* check_text.c: strings a generated file has no way to carry. */
void check_text(struct program *p, struct model *m);
/* check_targets.c: facts a generated target cannot honour as written. */
void check_targets(struct program *p, struct model *m);
/* check_registry.c: registry hosts, credentials and the pipeline's push. */
void check_registries(struct program *p, const struct model *m);
/* check_external.c: the `external` declarations (E0245-E0247, W0063). */
void check_externals(struct program *p, const struct model *m);

#endif
