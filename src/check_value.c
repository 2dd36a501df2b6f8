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

static bool is_scalar(const struct ast_node *n)
{
	return n->kind == AST_INT || n->kind == AST_FLOAT || n->kind == AST_UNIT ||
	       n->kind == AST_BOOL;
}

/* `t` names what was expected, only when it was not found. */
static const char *text_of(struct checker *c, const char *name, const struct ast_node *n,
			   enum type_kind t)
{
	bool failed = false;
	if (n->kind == AST_IDENT || n->kind == AST_MEMBER) {
		const struct ast_node *v = eval_reference(c, n, &failed);
		if (!v || !eval_enter(c, n, v, &failed))
			return NULL;
		/* a number, size or boolean stands for its text, as in "${db.port}" */
		const char *s = is_scalar(v) ? eval_string(c, v, &failed) : text_of(c, name, v, t);
		s = failed ? NULL : s;
		eval_leave(c);
		return s;
	}
	if (n->kind != AST_STRING) {
		const char *expected = t == TY_STRING ? "a string"
				       : arena_printf(A(c), "a %s", schema_type_name(t));
		mismatch(c, name, expected, n, n->kind == AST_INT || n->kind == AST_UNIT ||
			 n->kind == AST_FLOAT ? "put the value in quotes" : NULL);
		return NULL;
	}
	const char *s = eval_string(c, n, &failed);
	return failed ? NULL : s;
}

static const char *validate_as(enum type_kind t, const char *s, char *fixed, size_t size)
{
	switch (t) {
	case TY_IMAGE: return validate_image(s);
	case TY_CIDR: return validate_cidr(s, fixed, size);
	case TY_HOST: return validate_host(s);
	case TY_NAME: return validate_name(s);
	case TY_PATH: return *s ? NULL : "it is empty";
	default: return NULL;
	}
}

static enum diag_code code_of(enum type_kind t)
{
	switch (t) {
	case TY_IMAGE: return DIAG_E0307;
	case TY_CIDR: return DIAG_E0308;
	case TY_HOST: return DIAG_E0314;
	case TY_NAME: return DIAG_E0315;
	default: return DIAG_E0302;
	}
}

/* Where an image reference's tag or digest begins: case matters there. */
static size_t image_name_end(const char *s)
{
	const char *slash = strrchr(s, '/');
	size_t from = slash ? (size_t)(slash - s) : 0;
	size_t end = from + strcspn(s + from, ":@");
	return end;
}

/* The usual slips in names are capitals and '_' (Web_Api for web-api);
 * when undoing them makes a valid value, it is offered as the fix. */
void check_repair(enum type_kind t, const char *s, char *fixed, size_t size)
{
	if (*fixed || (t != TY_IMAGE && t != TY_HOST && t != TY_NAME) || strlen(s) * 2 >= size)
		return;
	size_t keep = t == TY_IMAGE ? image_name_end(s) : strlen(s);
	char *o = fixed;
	for (const char *p = s; *p; p++) {
		bool upper = *p >= 'A' && *p <= 'Z' && (size_t)(p - s) < keep;
		if (t == TY_NAME && upper && p > s && p[-1] >= 'a' && p[-1] <= 'z')
			*o++ = '-'; /* WebApi -> web-api */
		*o++ = upper ? (char)(*p - 'A' + 'a') : (*p == '_' && t != TY_IMAGE) ? '-' : *p;
	}
	*o = '\0';
	if (validate_as(t, fixed, NULL, 0) || !strcmp(fixed, s))
		*fixed = '\0';
}

static struct tval *checked_text(struct checker *c, enum type_kind t, const char *name,
				 const struct ast_node *n)
{
	const char *s = text_of(c, name, n, t);
	if (!s)
		return NULL;
	char fixed[256] = "";
	const char *why = validate_as(t, s, fixed, sizeof fixed);
	if (why) {
		struct diag *d = diag_emit(DIAGS(c), code_of(t), n->src, n->span,
					   "'%s' is not a valid %s: %s", s, schema_type_name(t), why);
		check_repair(t, s, fixed, sizeof fixed);
		if (*fixed) {
			diag_add_help(DIAGS(c), d, "did you mean \"%s\"?", fixed);
			if (n->kind == AST_STRING && ast_string_plain(n))
				diag_set_fix(DIAGS(c), d, n->span, arena_printf(A(c), "\"%s\"", fixed),
					     arena_printf(A(c), "replace with \"%s\"", fixed));
		}
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

/* "a duration", "cpu", ...: the dimensions a suffix has, for messages. */
static const char *dim_phrase(const char *suffix)
{
	if (unit_in_dim(suffix, UNIT_DURATION) && unit_in_dim(suffix, UNIT_CPU))
		return "minutes or millicores";
	if (unit_in_dim(suffix, UNIT_DURATION))
		return "a duration";
	if (unit_in_dim(suffix, UNIT_SIZE))
		return "a size";
	if (unit_in_dim(suffix, UNIT_CPU))
		return "cpu";
	return "a percentage";
}

static struct tval *unit_mismatch(struct checker *c, enum type_kind t, const char *name,
				  const struct ast_node *n)
{
	const char *suffix = n->u.unit.suffix;
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0306, n->src, n->span,
				   "'%s%s' is %s, but '%s' takes %s", n->u.unit.text, suffix,
				   dim_phrase(suffix), name,
				   t == TY_CPU ? "cpu" : t == TY_SIZE ? "a size" : "a duration");
	/* Kubernetes reads 256m of memory as 0.256 bytes: the classic slip. */
	if (t == TY_SIZE && !strcmp(suffix, "m")) {
		diag_add_help(DIAGS(c), d, "'m' means minutes or millicores; for mebibytes write %sMi",
			      n->u.unit.text);
		diag_set_fix(DIAGS(c), d, n->span, arena_printf(A(c), "%sMi", n->u.unit.text),
			     arena_printf(A(c), "replace with '%sMi'", n->u.unit.text));
		return NULL;
	}
	diag_add_help(DIAGS(c), d, "%s units are %s", schema_type_name(t), unit_list(dim_of(t)));
	return NULL;
}

/* The model counts whole milliseconds, bytes and millicores, and no
 * target can state less: Kubernetes takes no cpu finer than 1m.  A finer
 * value would be rounded, so it is an error (E0324). */
static bool whole_base(struct checker *c, enum type_kind t, const struct ast_node *n, double base)
{
	if (fabs(base - round(base)) <= 1e-9 * (1 + fabs(base)))
		return true;
	static const struct { const char *unit, *suffix, *who, *what; } finest[] = {
		{ "milliseconds", "ms", "depc", "durations" },
		{ "bytes", "B", "depc", "sizes" },
		{ "millicores", "m", "Kubernetes", "cpu" },
	};
	int i = t == TY_DURATION ? 0 : t == TY_SIZE ? 1 : 2;
	int64_t lo = (int64_t)floor(base), hi = lo + 1;
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0324, n->src, n->span,
				   "'%.*s' is not a whole number of %s; %s would round it to %"
				   PRId64 "%s", (int)(n->span.end - n->span.start),
				   n->src->text + n->span.start, finest[i].unit, finest[i].who,
				   (int64_t)llround(base), finest[i].suffix);
	if (lo > 0)
		diag_add_help(DIAGS(c), d, "%s counts %s in whole %s: write %" PRId64 "%s or %"
			      PRId64 "%s", finest[i].who, finest[i].what, finest[i].unit, lo,
			      finest[i].suffix, hi, finest[i].suffix);
	else
		diag_add_help(DIAGS(c), d, "%s counts %s in whole %s: write %" PRId64 "%s",
			      finest[i].who, finest[i].what, finest[i].unit, hi, finest[i].suffix);
	return false;
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
	if (base < 0) {
		diag_emit(DIAGS(c), DIAG_E0310, n->src, n->span, "'%s' cannot be negative", name);
		return NULL;
	}
	if (base > 9.2e18) { /* past int64 in base units: no real deployment */
		diag_emit(DIAGS(c), DIAG_E0305, n->src, n->span, "'%s' is too large", name);
		return NULL;
	}
	if (!whole_base(c, t, n, base))
		return NULL;
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

/* "rollback|pause|continue" -> "rollback, pause or continue". */
static const char *enum_phrase(struct arena *a, const char *words)
{
	const char *last = strrchr(words, '|');
	struct strbuf b;
	strbuf_init(&b);
	for (const char *p = words; *p; p++) {
		if (*p != '|')
			strbuf_putc(&b, *p);
		else
			strbuf_puts(&b, p == last ? " or " : ", ");
	}
	return strbuf_finish(&b, a);
}

/* The word not found: did-you-mean among the words and, for a field
 * that also takes a reference (`or_ref`), among those declarations. */
static struct tval *unknown_word(struct checker *c, const char *words, const char *or_ref,
				 const char *name, const struct ast_node *n, const char *w)
{
	struct diag *d = diag_emit(DIAGS(c), DIAG_E0313, n->src, n->span,
				   "'%s' is not a valid value for '%s'", w, name);
	struct suggest s;
	suggest_init(&s, w);
	char buf[128];
	snprintf(buf, sizeof buf, "%s", words);
	for (char *tok = strtok(buf, "|"); tok; tok = strtok(NULL, "|"))
		suggest_consider(&s, tok);
	const char *best = suggest_result(&s);
	if (!best && or_ref)
		best = program_suggest(c->p, w, or_ref);
	if (best) {
		diag_add_help(DIAGS(c), d, "did you mean '%s'?", best);
		diag_set_fix(DIAGS(c), d, n->span, best, arena_printf(A(c), "replace with '%s'", best));
	} else if (or_ref) {
		diag_add_help(DIAGS(c), d, "declare it: %s %s { ... }", or_ref, w);
	}
	if (or_ref)
		diag_add_note(DIAGS(c), d, "'%s' is one of %s, or the name of a %s", name,
			      enum_phrase(A(c), words), or_ref);
	else
		diag_add_note(DIAGS(c), d, "'%s' is one of %s", name, enum_phrase(A(c), words));
	return NULL;
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
	return unknown_word(c, words, NULL, name, n, w);
}

/* A string where a secret belongs is most likely the secret's value:
 * it is masked in every snippet and never repeated in the help. */
static struct tval *secret_literal(struct checker *c, const char *name, const struct ast_node *n)
{
	struct span inner = n->span;
	size_t q = n->u.string.multiline ? 3 : 1;
	if (inner.end - inner.start >= 2 * q) {
		inner.start += (uint32_t)q;
		inner.end -= (uint32_t)q;
	}
	diag_redact(DIAGS(c), n->src, inner);
	return mismatch(c, name, "the name of a secret", n, "a secret's value never goes in the "
			"source: declare secret NAME { vault = \"...\" } and write NAME here, "
			"without quotes");
}

/* "service|external" -> "service": what a message calls the reference. */
static const char *first_kind(struct checker *c, const char *kinds)
{
	return arena_strndup(A(c), kinds, strcspn(kinds, "|"));
}

static struct tval *check_ref(struct checker *c, const char *kinds, const char *name,
			      const struct ast_node *n)
{
	const char *kind = first_kind(c, kinds);
	const char *plain = n->kind == AST_STRING ? ast_string_plain(n) : NULL;
	if (n->kind == AST_STRING && !strcmp(kind, "secret") && !(plain && program_find(c->p, plain)))
		return secret_literal(c, name, n);
	if (n->kind != AST_IDENT)
		return mismatch(c, name, arena_printf(A(c), "the name of a %s", kind), n,
				plain ? arena_printf(A(c), "refer to it by name, without quotes: %s",
						     plain) : NULL);
	struct decl *d = program_find(c->p, n->u.ident.name);
	if (!d) {
		struct diag *dg = diag_emit(DIAGS(c), DIAG_E0201, n->src, n->span,
					    "unknown %s '%s'", kind, n->u.ident.name);
		const char *best = program_suggest(c->p, n->u.ident.name, kinds);
		if (best) {
			diag_add_help(DIAGS(c), dg, "did you mean '%s'?", best);
			diag_set_fix(DIAGS(c), dg, n->span, best,
				     arena_printf(A(c), "replace with '%s'", best));
		} else {
			diag_add_help(DIAGS(c), dg, "declare it: %s %s { ... }", kind, n->u.ident.name);
		}
		return NULL;
	}
	if (!schema_enum_has(kinds, d->kind->name) && !strcmp(kind, "service") &&
	    check_job_ref(c, name, d, n))
		return NULL;
	if (!schema_enum_has(kinds, d->kind->name)) {
		struct diag *dg = diag_emit(DIAGS(c), DIAG_E0217, n->src, n->span,
					    "'%s' is a %s, but '%s' needs a %s", d->name,
					    d->kind->name, name, strchr(kinds, '|')
					    ? arena_printf(A(c), "%s or an %s", kind, kinds + strlen(kind) + 1)
					    : kind);
		diag_add_label(DIAGS(c), dg, d->block->src, d->block->u.block.label_span,
			       "declared as a %s here", d->kind->name);
		if (!strcmp(kind, "secret"))
			diag_add_help(DIAGS(c), dg, "declare the secret: secret NAME { vault = \"path/in/store\" }");
		return NULL;
	}
	struct tval *v = new_val(c, TY_REF, n);
	v->u.ref = d;
	return v;
}

/* A node's text as written, when it lies in one source. */
static const char *written(struct checker *c, const struct ast_node *n)
{
	return arena_strndup(A(c), n->src->text + n->span.start, n->span.end - n->span.start);
}

/* `500m..100m` -> `100m..500m`, from the text as written. */
static void swap_fix(struct checker *c, struct diag *d, const struct ast_node *n)
{
	if (n->kind != AST_RANGE || n->src != n->u.range.lo->src || n->src != n->u.range.hi->src)
		return;
	const char *fix = arena_printf(A(c), "%s..%s", written(c, n->u.range.hi),
				       written(c, n->u.range.lo));
	diag_set_fix(DIAGS(c), d, n->span, fix, arena_printf(A(c), "swap to %s", fix));
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
					   "the %s request %s is greater than its limit %s", name,
					   written(c, lo), written(c, hi));
		diag_add_help(DIAGS(c), d, "a range is request..limit, the smaller value first");
		swap_fix(c, d, n);
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

/* A word of the field, else the name of a declaration of its `or_ref`
 * kind (publish = acme): a TY_REF then. */
static struct tval *check_word_or_ref(struct checker *c, const struct field *f,
				      const struct ast_node *n)
{
	const char *w = n->kind == AST_IDENT ? n->u.ident.name : NULL;
	if (!w || schema_enum_has(f->arg, w))
		return check_enum(c, f->arg, f->name, n);
	const struct decl *d = program_find(c->p, w);
	if (d && !strcmp(d->kind->name, schema_or_ref(f)))
		return check_ref(c, schema_or_ref(f), f->name, n);
	return unknown_word(c, f->arg, schema_or_ref(f), f->name, n, w);
}

struct tval *check_value(struct checker *c, const struct field *f,
			 const struct ast_node *value)
{
	if (f->type == TY_ENUM && schema_or_ref(f))
		return check_word_or_ref(c, f, value);
	return check_typed(c, f->type, f->elem, f->arg, f->name, value);
}
