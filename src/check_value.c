/* check_value.c - one value against one type.
 *
 * Converts literals to typed values (units to base units), evaluates
 * references and interpolation for text-like types, resolves references
 * to declarations, and reports every mismatch with the field's name and
 * the expected type.  Errors never stop the check: the caller simply
 * gets NULL for that field. */
#include "typed.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "units.h"
#include "validate.h"

#define A(c) ((c)->p->arena)
#define DIAGS(c) ((c)->p->diags)

static struct tval *new_val(struct checker *c, enum type_kind t, const struct ast_node *n)
{
	struct tval *v = arena_alloc(A(c), sizeof *v);
	v->type = t;
	v->node = n;
	return v;
}

static const char *found_name(const struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT: return "an integer";
	case AST_FLOAT: return "a decimal number";
	case AST_UNIT: return "a number with a unit";
	case AST_STRING: return "a string";
	case AST_BOOL: return "a boolean";
	case AST_LIST: return "a list";
	case AST_MAP: return "a map";
	case AST_RANGE: return "a range";
	case AST_CALL: return "a constructor call";
	case AST_IDENT: return "a bare name";
	case AST_MEMBER: return "a reference";
	default: return "something else";
	}
}

static struct tval *mismatch(struct checker *c, const char *name, const char *expected,
			     const struct ast_node *n, const char *help)
{
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0302, n->src, n->span,
				   "'%s' expects %s, found %s", name, expected, found_name(n));
	if (help)
		diag_add_help(DIAGS(c), d, "%s", help);
	return NULL;
}

/* --- text-like values ------------------------------------------------- */

static const char *text_of(struct checker *c, const char *name, const struct ast_node *n,
			   const char *expected)
{
	bool failed = false;
	if (n->kind == AST_IDENT || n->kind == AST_MEMBER) {
		const struct ast_node *v = eval_reference(c, n, &failed);
		if (!v)
			return NULL;
		c->depth++;
		const char *s = text_of(c, name, v, expected);
		c->depth--;
		return s;
	}
	if (n->kind != AST_STRING) {
		mismatch(c, name, expected, n, n->kind == AST_INT || n->kind == AST_UNIT ||
			 n->kind == AST_FLOAT ? "put the value in quotes" : NULL);
		return NULL;
	}
	const char *s = eval_string(c, n, &failed);
	return failed ? NULL : s;
}

static struct tval *checked_text(struct checker *c, enum type_kind t, const char *name,
				 const struct ast_node *n)
{
	char what[64];
	snprintf(what, sizeof what, "a %s", schema_type_name(t));
	const char *s = text_of(c, name, n, t == TY_STRING ? "a string" : what);
	if (!s)
		return NULL;
	char fixed[32] = "";
	const char *why = NULL;
	enum diag_code code = DIAG_E0302;
	switch (t) {
	case TY_IMAGE: why = validate_image(s); code = DIAG_E0307; break;
	case TY_CIDR: why = validate_cidr(s, fixed, sizeof fixed); code = DIAG_E0308; break;
	case TY_HOST: why = validate_host(s); code = DIAG_E0314; break;
	case TY_NAME: why = validate_name(s); code = DIAG_E0315; break;
	case TY_PATH: why = *s ? NULL : "it is empty"; break;
	default: break;
	}
	if (why) {
		struct diag *d = diag_emit(DIAGS(c), code, n->src, n->span,
					   "'%s' is not a valid %s: %s", s, schema_type_name(t), why);
		if (*fixed)
			diag_add_help(DIAGS(c), d, "did you mean \"%s\"?", fixed);
		return NULL;
	}
	struct tval *v = new_val(c, t, n);
	v->u.s = s;
	return v;
}

/* --- numbers and units ------------------------------------------------ */

static struct tval *check_int(struct checker *c, enum type_kind t, const char *name,
			      const struct ast_node *n)
{
	if (n->kind != AST_INT)
		return mismatch(c, name, t == TY_PORT ? "a port number" : "an integer", n,
				n->kind == AST_STRING ? "remove the quotes" : NULL);
	int64_t i = n->u.integer.value;
	if (t == TY_PORT && (i < 1 || i > 65535)) {
		struct diag *d = diag_emit(DIAGS(c), DIAG_E0305, n->src, n->span,
					   "port %" PRId64 " is out of range", i);
		diag_add_help(DIAGS(c), d, "ports are from 1 to 65535");
		return NULL;
	}
	struct tval *v = new_val(c, t, n);
	v->u.i = i;
	return v;
}

static struct tval *check_number(struct checker *c, enum type_kind t, const char *name,
				 const struct ast_node *n)
{
	double d;
	if (n->kind == AST_INT)
		d = (double)n->u.integer.value;
	else if (n->kind == AST_FLOAT)
		d = n->u.number.value;
	else if (t == TY_PERCENT && n->kind == AST_UNIT && !strcmp(n->u.unit.suffix, "%"))
		d = n->u.unit.value;
	else
		return mismatch(c, name, t == TY_PERCENT ? "a percentage like 70%" : "a number",
				n, NULL);
	struct tval *v = new_val(c, t, n);
	v->u.d = d;
	return v;
}

static enum unit_dim dim_of(enum type_kind t)
{
	return t == TY_DURATION ? UNIT_DURATION : t == TY_SIZE ? UNIT_SIZE : UNIT_CPU;
}

static struct tval *unit_mismatch(struct checker *c, enum type_kind t, const char *name,
				  const struct ast_node *n)
{
	const char *suffix = n->u.unit.suffix;
	const char *other = "something else";
	for (int dim = 0; dim < UNIT_DIM_COUNT; dim++)
		if (unit_in_dim(suffix, (enum unit_dim)dim))
			other = unit_dim_name((enum unit_dim)dim);
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0306, n->src, n->span,
				   "'%s%s' is a %s, but '%s' is a %s", n->u.unit.text, suffix,
				   other, name, schema_type_name(t));
	diag_add_help(DIAGS(c), d, "%s units are %s", schema_type_name(t),
		      unit_list(dim_of(t)));
	return NULL;
}

static struct tval *check_measure(struct checker *c, enum type_kind t, const char *name,
				  const struct ast_node *n)
{
	double base;
	if (n->kind == AST_UNIT) {
		if (!unit_to_base(n->u.unit.suffix, n->u.unit.value, dim_of(t), &base))
			return unit_mismatch(c, t, name, n);
	} else if (t == TY_CPU && (n->kind == AST_INT || n->kind == AST_FLOAT)) {
		base = (n->kind == AST_INT ? (double)n->u.integer.value : n->u.number.value) * 1000;
	} else if (n->kind == AST_INT) {
		struct diag *d = diag_emit(DIAGS(c), DIAG_E0306, n->src, n->span,
					   "'%s' needs a unit", name);
		diag_add_help(DIAGS(c), d, "write %" PRId64 "%s; %s units are %s",
			      n->u.integer.value, t == TY_DURATION ? "s" : "Mi",
			      schema_type_name(t), unit_list(dim_of(t)));
		return NULL;
	} else {
		return mismatch(c, name, t == TY_DURATION ? "a duration like 30s"
				: t == TY_SIZE ? "a size like 256Mi" : "cpu like 500m", n, NULL);
	}
	if (base < 0 || base > 9.2e18) {
		diag_emit(DIAGS(c), DIAG_E0310, n->src, n->span,
			  "'%s' must be positive", name);
		return NULL;
	}
	struct tval *v = new_val(c, t, n);
	v->u.i = (int64_t)llround(base);
	return v;
}

/* --- words, references, ranges, lists, calls -------------------------- */

static const char *word_of(const struct ast_node *n)
{
	if (n->kind == AST_IDENT)
		return n->u.ident.name;
	return ast_string_plain(n);
}

static struct tval *check_enum(struct checker *c, const char *words, const char *name,
			       const struct ast_node *n)
{
	const char *w = word_of(n);
	if (n->kind == AST_BOOL)
		w = n->u.boolean.value ? "true" : "false";
	if (!w)
		return mismatch(c, name, "one of the words", n, NULL);
	if (schema_enum_has(words, w)) {
		struct tval *v = new_val(c, TY_ENUM, n);
		v->u.s = w;
		return v;
	}
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0313, n->src, n->span,
				   "'%s' is not a valid value for '%s'", w, name);
	struct suggest s;
	suggest_init(&s, w);
	char buf[128];
	snprintf(buf, sizeof buf, "%s", words);
	for (char *tok = strtok(buf, "|"); tok; tok = strtok(NULL, "|"))
		suggest_consider(&s, tok);
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(DIAGS(c), d, "did you mean '%s'?", best);
		diag_set_fix(DIAGS(c), d, n->span, best, arena_printf(A(c), "replace with '%s'", best));
	}
	diag_add_note(DIAGS(c), d, "'%s' is one of: %s", name, words);
	return NULL;
}

static struct tval *check_ref(struct checker *c, const char *kind, const char *name,
			      const struct ast_node *n)
{
	if (n->kind != AST_IDENT)
		return mismatch(c, name, arena_printf(A(c), "the name of a %s", kind), n,
				n->kind == AST_STRING ? "refer to it by name, without quotes" : NULL);
	struct decl *d = program_find(c->p, n->u.ident.name);
	if (!d) {
		struct diag *dg = diag_emit(DIAGS(c), DIAG_E0201, n->src, n->span,
					    "unknown %s '%s'", kind, n->u.ident.name);
		const char *best = program_suggest(c->p, n->u.ident.name, kind);
		if (best) {
			diag_add_help(DIAGS(c), dg, "did you mean '%s'?", best);
			diag_set_fix(DIAGS(c), dg, n->span, best,
				     arena_printf(A(c), "replace with '%s'", best));
		} else {
			diag_add_help(DIAGS(c), dg, "declare it: %s %s { ... }", kind, n->u.ident.name);
		}
		return NULL;
	}
	if (strcmp(d->kind->name, kind) != 0) {
		struct diag *dg = diag_emit(DIAGS(c), DIAG_E0217, n->src, n->span,
					    "'%s' is a %s, but '%s' needs a %s", d->name,
					    d->kind->name, name, kind);
		diag_add_label(DIAGS(c), dg, d->block->src, d->block->u.block.label_span,
			       "declared as a %s here", d->kind->name);
		return NULL;
	}
	struct tval *v = new_val(c, TY_REF, n);
	v->u.ref = d;
	return v;
}

static struct tval *check_range(struct checker *c, enum type_kind elem, const char *name,
				const struct ast_node *n)
{
	const struct ast_node *lo = n->kind == AST_RANGE ? n->u.range.lo : n;
	const struct ast_node *hi = n->kind == AST_RANGE ? n->u.range.hi : n;
	struct tval *l = check_typed(c, elem, TY_NONE, NULL, name, lo);
	struct tval *h = lo == hi ? l : check_typed(c, elem, TY_NONE, NULL, name, hi);
	if (!l || !h)
		return NULL;
	if (l->u.i > h->u.i) {
		struct diag *d = diag_emit(DIAGS(c), DIAG_E0309, n->src, n->span,
					   "the request of '%s' is greater than its limit", name);
		diag_add_help(DIAGS(c), d, "write the smaller value first: request..limit");
		return NULL;
	}
	struct tval *v = new_val(c, TY_RANGE, n);
	v->u.range.lo = l;
	v->u.range.hi = h;
	return v;
}

static struct tval *check_list(struct checker *c, enum type_kind elem, const char *arg,
			       const char *name, const struct ast_node *n)
{
	struct tval *v = new_val(c, TY_LIST, n), **tail = &v->u.items;
	bool ok = true;
	const struct ast_node *items = n->kind == AST_LIST ? n->u.list.items : n;
	for (const struct ast_node *e = items; e; e = n->kind == AST_LIST ? e->next : NULL) {
		struct tval *t = check_typed(c, elem, TY_NONE, arg, name, e);
		if (!t) {
			ok = false;
			continue;
		}
		*tail = t;
		tail = &t->next;
	}
	return ok ? v : NULL;
}

struct tval *check_typed(struct checker *c, enum type_kind type, enum type_kind elem,
			 const char *arg, const char *name, const struct ast_node *n)
{
	switch (type) {
	case TY_STRING: case TY_HOST: case TY_IMAGE: case TY_PATH: case TY_NAME: case TY_CIDR:
		return checked_text(c, type, name, n);
	case TY_INT: case TY_PORT: return check_int(c, type, name, n);
	case TY_NUMBER: case TY_PERCENT: return check_number(c, type, name, n);
	case TY_BOOL:
		if (n->kind != AST_BOOL)
			return mismatch(c, name, "true or false", n, NULL);
		struct tval *b = new_val(c, TY_BOOL, n);
		b->u.b = n->u.boolean.value;
		return b;
	case TY_DURATION: case TY_SIZE: case TY_CPU: return check_measure(c, type, name, n);
	case TY_ENUM: return check_enum(c, arg, name, n);
	case TY_REF: return check_ref(c, arg, name, n);
	case TY_RANGE: return check_range(c, elem, name, n);
	case TY_LIST: return check_list(c, elem, arg, name, n);
	case TY_CALL: return check_call(c, arg, name, n);
	default: return mismatch(c, name, schema_type_name(type), n, NULL);
	}
}

struct tval *check_value(struct checker *c, const struct field *f,
			 const struct ast_node *value)
{
	return check_typed(c, f->type, f->elem, f->arg, f->name, value);
}
