/* check_eval.c - what a reference or an interpolation stands for.
 *
 * References are compile-time facts: `app.domain` is the text the app
 * declares, `db.port` the port the db service listens on, `db.host` the
 * name other services reach it by.  A reference to a secret's value is an
 * error wherever it appears: secrets reach a container only through the
 * `secrets` map, never through text depc writes out. */
#include "typed.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

static struct ast_node *text_node(struct checker *c, const struct ast_node *at,
				  const char *text)
{
	struct ast_node *t = ast_text(c->p->arena, at->span, text, strlen(text));
	t->src = at->src;
	struct ast_node *s = ast_string(c->p->arena, at->span, t);
	s->src = at->src;
	return s;
}

/* A node's text as written, for messages that quote it. */
static const char *source_text(struct checker *c, const struct ast_node *n)
{
	return arena_strndup(c->p->arena, n->src->text + n->span.start,
			     n->span.end - n->span.start);
}

static void report_unknown_name(struct checker *c, const struct ast_node *ref,
				const char *name, bool interp)
{
	struct diag *d = diag_emit(c->p->diags, interp ? DIAG_E0213 : DIAG_E0201,
				   ref->src, ref->span, "unknown name '%s'", name);
	const char *best = program_suggest(c->p, name, NULL);
	if (best) {
		diag_add_help(c->p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(c->p->diags, d, ref->span, best,
			     arena_printf(c->p->arena, "replace with '%s'", best));
	} else if (!interp) {
		diag_add_help(c->p->diags, d, "if you mean the text, write it in quotes: \"%s\"",
			      name);
	}
}

static void report_secret(struct checker *c, const struct ast_node *ref, const char *name)
{
	struct diag *d = diag_emit(c->p->diags, DIAG_E0215, ref->src, ref->span,
				   "the value of secret '%s' cannot be used as text", name);
	diag_add_note(c->p->diags, d, "depc never writes a secret's value into any file");
	if (c->env_key && c->env_value && c->env_value->kind == AST_STRING &&
	    c->env_value->u.string.parts == ref && !ref->next)
		diag_add_help(c->p->diags, d, "give it to the service in `secrets`: "
			      "secrets { %s = %s }", c->env_key, name);
	else if (c->env_key) /* a value built from a secret is a secret: composed in `secrets` */
		diag_add_help(c->p->diags, d, "move %s from `env` to `secrets`, where a value built "
			      "from secrets is delivered as a secret: secrets { %s = \"...${%s}...\" }",
			      c->env_key, c->env_key, name);
	else
		diag_add_help(c->p->diags, d, "give it to the service as an environment variable: "
			      "secrets { NAME = %s }", name);
}

static const struct ast_node *find_attr(const struct ast_node *body, const char *name)
{
	const struct ast_node *found = NULL;
	for (const struct ast_node *e = body; e; e = e->next)
		if (e->kind == AST_ATTR && !strcmp(e->u.attr.name, name))
			found = e->u.attr.value;
	return found;
}

static struct span decl_span(const struct decl *d)
{
	const struct ast_node *b = d->block;
	return b->u.block.label ? b->u.block.label_span : b->u.block.kind_span;
}

static void report_member(struct checker *c, const struct ast_node *ref,
			  const struct decl *d, const char *member, bool known)
{
	struct diag *dg;
	if (known) {
		dg = diag_emit(c->p->diags, DIAG_E0209, ref->src, ref->u.member.name_span,
			       "%s '%s' does not set '%s'", d->kind->name, d->name, member);
		diag_add_label(c->p->diags, dg, d->block->src, decl_span(d), "declared here");
		diag_add_help(c->p->diags, dg, "set %s = ... in %s '%s'", member,
			      d->kind->name, d->name);
		return;
	}
	dg = diag_emit(c->p->diags, DIAG_E0209, ref->src, ref->u.member.name_span,
		       "%s '%s' has no member '%s'", d->kind->name, d->name, member);
	struct suggest s;
	suggest_init(&s, member);
	suggest_consider(&s, "name");
	if (!strcmp(d->kind->name, "service"))
		suggest_consider(&s, "host");
	for (size_t i = 0; i < d->kind->field_count; i++)
		suggest_consider(&s, d->kind->fields[i].name);
	for (size_t i = 0; i < d->param_count; i++)
		suggest_consider(&s, d->param_names[i]->u.attr.name);
	const char *best = suggest_result(&s);
	if (best)
		diag_add_help(c->p->diags, dg, "did you mean '%s'?", best);
}

/* `${web.health}`: a reference stands for one value, never a block, a
 * map or a list; said at the reference, not where the value lives. */
static void report_not_value(struct checker *c, const struct ast_node *ref, const char *what)
{
	const char *text = source_text(c, ref);
	struct diag *d = diag_emit(c->p->diags, DIAG_E0302, ref->src, ref->span,
				   "'%s' is a %s, and a reference stands for a single value", text, what);
	diag_add_help(c->p->diags, d, "refer to one value, such as %s.name or %s.port",
		      ref->kind == AST_MEMBER ? ref->u.member.object->u.ident.name : text,
		      ref->kind == AST_MEMBER ? ref->u.member.object->u.ident.name : text);
}

/* ${db.username}: a parameter of the template `db` is made from stands
 * for its argument, or its default.  A parameter with a field's name is
 * that field's value when the template sets it (E0230 otherwise), so a
 * field the declaration sets is what such a name means. */
static const struct ast_node *param_value(const struct decl *d, const char *name)
{
	for (size_t i = 0; i < d->param_count; i++)
		if (!strcmp(d->param_names[i]->u.attr.name, name))
			return d->param_values[i];
	return NULL;
}

static const struct ast_node *member_of(struct checker *c, const struct ast_node *ref,
					struct decl *d, bool *failed)
{
	const char *member = ref->u.member.name;
	if (!strcmp(member, "name") ||
	    (!strcmp(member, "host") && !strcmp(d->kind->name, "service")))
		return text_node(c, ref, d->name);
	const struct field *f = schema_field(d->kind, member);
	const struct ast_node *param = param_value(d, member);
	if (param && !(f && find_attr(d->body, member)))
		return param;
	if (f && (f->type == TY_BLOCK || f->type == TY_MAP)) {
		report_not_value(c, ref, schema_type_name(f->type));
		*failed = true;
		return NULL;
	}
	const struct ast_node *v = f ? find_attr(d->body, member) : NULL;
	if (!v) {
		report_member(c, ref, d, member, f != NULL);
		*failed = true;
	}
	return v;
}

/* shop.example.com parses as a chain of members; it is nearly always
 * text that lost its quotes. */
static void report_dotted(struct checker *c, const struct ast_node *ref)
{
	const char *text = source_text(c, ref);
	struct diag *d = diag_emit(c->p->diags, DIAG_E0209, ref->src, ref->span,
				   "'%s' is not a reference: references have one '.', as in NAME.MEMBER",
				   text);
	diag_add_help(c->p->diags, d, "if you mean the text, write it in quotes: \"%s\"", text);
	diag_set_fix(c->p->diags, d, ref->span, arena_printf(c->p->arena, "\"%s\"", text),
		     "put it in quotes");
}

/* `app.domain` in a file with no app block. */
static void report_undeclared_kind(struct checker *c, const struct ast_node *obj,
				   const struct kind *k, const struct ast_node *ref)
{
	struct diag *d = diag_emit(c->p->diags, DIAG_E0201, obj->src, obj->span,
				   "'%s' refers to the %s declaration, and there is none", k->name, k->name);
	if (ref->kind == AST_MEMBER)
		diag_add_help(c->p->diags, d, "declare it: %s%s { %s = ... }", k->name,
			      k->label == LABEL_NONE ? "" : " NAME", ref->u.member.name);
	else
		diag_add_help(c->p->diags, d, "declare it: %s%s { ... }", k->name,
			      k->label == LABEL_NONE ? "" : " NAME");
}

static const struct ast_node *eval_ref(struct checker *c, const struct ast_node *ref,
				       bool interp, bool *failed)
{
	if (ref->kind == AST_MEMBER && ref->u.member.object->kind != AST_IDENT) {
		report_dotted(c, ref);
		*failed = true;
		return NULL;
	}
	const struct ast_node *obj = ref->kind == AST_MEMBER ? ref->u.member.object : ref;
	struct decl *d = program_find(c->p, obj->u.ident.name);
	const struct kind *k = schema_top_kind(obj->u.ident.name);
	if (!d && k && k->unique) /* `app.domain`: the app, whatever its name */
		d = program_find_kind(c->p, k->name);
	if (!d && k && k->unique) {
		report_undeclared_kind(c, obj, k, ref);
		*failed = true;
		return NULL;
	}
	if (!d) {
		report_unknown_name(c, obj, obj->u.ident.name, interp);
		*failed = true;
		return NULL;
	}
	if (!strcmp(d->kind->name, "secret")) {
		report_secret(c, ref, d->name);
		*failed = true;
		return NULL;
	}
	if (ref->kind == AST_IDENT)
		return text_node(c, ref, d->name);
	return member_of(c, ref, d, failed);
}

const struct ast_node *eval_reference(struct checker *c, const struct ast_node *ref,
				      bool *failed)
{
	return eval_ref(c, ref, false, failed);
}

/* --- chains, cycles and the size of what references expand to -------- */

static void report_cycle(struct checker *c, const struct ast_node *ref)
{
	const char *text = source_text(c, ref);
	struct diag *d = diag_emit(c->p->diags, DIAG_E0221, ref->src, ref->span,
				   "'%s' leads back to itself", text);
	diag_add_help(c->p->diags, d, "set one of the fields to a value instead "
		      "of a reference");
}

static void report_chain(struct checker *c, const struct ast_node *ref)
{
	const char *text = source_text(c, ref);
	struct diag *d = diag_emit(c->p->diags, DIAG_E0110, ref->src, ref->span,
				   "'%s' is reached through more than %d references in a chain",
				   text, EVAL_MAX_CHAIN);
	diag_add_help(c->p->diags, d, "set the value here, or refer to the declaration "
		      "that sets it, instead of going through other references");
}

bool eval_enter(struct checker *c, const struct ast_node *ref, const struct ast_node *v,
		bool *failed)
{
	for (int i = 0; i < c->depth; i++)
		if (c->chain[i] == v) {
			report_cycle(c, ref);
			*failed = true;
			return false;
		}
	if (c->depth >= EVAL_MAX_CHAIN) {
		report_chain(c, ref);
		*failed = true;
		return false;
	}
	if (c->depth == 0) {
		c->outer_ref = ref;
		c->outer_last = c->p->diags->last;
	}
	c->chain[c->depth++] = v;
	if (c->depth > c->reach)
		c->reach = c->depth;
	return true;
}

static bool within(const struct ast_node *n, const struct source *src, struct span span)
{
	return n->src == src && span.start >= n->span.start && span.end <= n->span.end;
}

/* A value found wrong at the end of a chain of references that leads
 * into a template or another file is the user's mistake where the chain
 * began (description = db.tmpfs): the diagnostic points there first,
 * and at the value beside it, naming the template that sets it. */
static void point_at_reference(struct checker *c, struct diag *dg)
{
	const struct ast_node *ref = c->outer_ref;
	if (!dg->src || within(ref, dg->src, dg->span))
		return;
	const struct template_def *t = template_at(c->p, dg->src, dg->span);
	if (!t && dg->src == ref->src)
		return; /* a chain in the user's own file: said where it breaks */
	if (t)
		diag_add_label(c->p->diags, dg, dg->src, dg->span, "the value, set in template '%s'",
			       template_name(c->p->arena, t));
	else
		diag_add_label(c->p->diags, dg, dg->src, dg->span, "the value, set here");
	/* the label added last goes first: the reference's own line leads */
	struct diag_label *l = dg->labels, *last = l;
	for (; last->next; last = last->next)
		;
	if (last != l) {
		struct diag_label *prev = l;
		while (prev->next != last)
			prev = prev->next;
		prev->next = NULL;
		last->next = l;
		dg->labels = last;
	}
	dg->src = ref->src;
	dg->span = ref->span;
	dg->label = NULL;
	dg->fix = NULL;
}

void eval_leave(struct checker *c)
{
	if (--c->depth > 0)
		return;
	struct diag *dg = c->outer_last ? c->outer_last->next : c->p->diags->first;
	for (; dg; dg = dg->next)
		point_at_reference(c, dg);
}

/* Values are hashed by address: each is evaluated once, however many
 * references lead to it, so text that interpolates another value twice,
 * level after level, costs linear time rather than exponential. */
static size_t memo_slot(const struct checker *c, const struct ast_node *v)
{
	size_t h = (size_t)((uintptr_t)v >> 4) * 0x9E3779B97F4A7C15u;
	size_t i = h & (c->memo_cap - 1);
	while (c->memo[i].value && c->memo[i].value != v)
		i = (i + 1) & (c->memo_cap - 1);
	return i;
}

static const struct eval_memo *memo_find(const struct checker *c, const struct ast_node *v)
{
	if (!c->memo_cap)
		return NULL;
	const struct eval_memo *m = &c->memo[memo_slot(c, v)];
	return m->value ? m : NULL;
}

/* The table is the checker's own, not the arena's, so a table it grew
 * out of is freed (the arena would keep every one, as much again as the
 * last); check_program frees the last.  No caller keeps a slot across a
 * memo_put. */
static void memo_grow(struct checker *c)
{
	struct eval_memo *old = c->memo;
	size_t old_cap = c->memo_cap;
	c->memo_cap = old_cap ? old_cap * 2 : 64;
	c->memo = xcalloc(c->memo_cap, sizeof *c->memo);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].value)
			c->memo[memo_slot(c, old[i].value)] = old[i];
	free(old);
}

static const struct eval_memo *memo_put(struct checker *c, struct eval_memo m)
{
	if (2 * (c->memo_count + 1) > c->memo_cap)
		memo_grow(c);
	struct eval_memo *slot = &c->memo[memo_slot(c, m.value)];
	if (!slot->value)
		c->memo_count++;
	*slot = m;
	return slot;
}

static void report_long_text(struct checker *c, const struct ast_node *ref)
{
	const char *text = source_text(c, ref);
	struct diag *d = diag_emit(c->p->diags, DIAG_E0111, ref->src, ref->span,
				   "interpolating '%s' makes the text longer than %zu bytes",
				   text, EVAL_MAX_TEXT);
	diag_add_note(c->p->diags, d, "a value that interpolates another twice doubles "
		      "at every level of references");
	diag_add_help(c->p->diags, d, "write the text once, or interpolate fewer values");
}

/* E0112, once: past it every expansion fails, and the first says why. */
static void report_expanded(struct checker *c, const struct ast_node *ref)
{
	if (c->expanded_over)
		return;
	c->expanded_over = true;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0112, ref->src, ref->span,
				   "references expand to more than %zu MiB of text in all",
				   EVAL_MAX_EXPANDED >> 20);
	diag_add_note(c->p->diags, d, "each reference copies the text of the value it "
		      "refers to");
	diag_add_help(c->p->diags, d, "refer to long values from fewer places");
}

/* Appends the text of a referenced value, within both limits. */
static void append_expanded(struct checker *c, struct strbuf *b, const struct ast_node *ref,
			    const struct eval_memo *m, bool *failed)
{
	if (m->failed) {
		*failed = true;
		return;
	}
	if (b->len > EVAL_MAX_TEXT || m->len > EVAL_MAX_TEXT - b->len) {
		report_long_text(c, ref);
		*failed = true;
		return;
	}
	if (m->len > EVAL_MAX_EXPANDED - c->expanded) {
		report_expanded(c, ref);
		*failed = true;
		return;
	}
	c->expanded += m->len;
	strbuf_put(b, m->text, m->len);
}

static void append_part(struct checker *c, struct strbuf *b,
			const struct ast_node *n, bool *failed);

static const struct eval_memo *text_memo(struct checker *c, const struct ast_node *at,
					 const struct ast_node *str);

/* A value already evaluated still counts the chain beneath it, so the
 * chain limit does not depend on the order declarations are checked. */
static bool chain_fits(struct checker *c, const struct ast_node *at, int height,
		       bool *failed)
{
	if (c->depth + height > EVAL_MAX_CHAIN) {
		report_chain(c, at);
		*failed = true;
		return false;
	}
	if (c->depth + height > c->reach)
		c->reach = c->depth + height;
	return true;
}

static void append_reference(struct checker *c, struct strbuf *b,
			     const struct ast_node *n, bool *failed)
{
	const struct ast_node *v = eval_ref(c, n, true, failed);
	if (!v)
		return;
	if (v->kind == AST_LIST || v->kind == AST_MAP || v->kind == AST_RANGE || v->kind == AST_CALL) {
		report_not_value(c, n, ast_kind_name(v->kind));
		*failed = true;
		return;
	}
	const struct eval_memo *m = memo_find(c, v);
	if (m && !chain_fits(c, n, m->height + 1, failed))
		return;
	if (!m) {
		if (!eval_enter(c, n, v, failed))
			return;
		m = text_memo(c, n, v);
		eval_leave(c);
	}
	append_expanded(c, b, n, m, failed);
}

static void append_part(struct checker *c, struct strbuf *b,
			const struct ast_node *n, bool *failed)
{
	switch (n->kind) {
	case AST_TEXT: strbuf_put(b, n->u.text.text, n->u.text.len); break;
	case AST_INT: strbuf_printf(b, "%" PRId64, n->u.integer.value); break;
	case AST_FLOAT: strbuf_puts(b, n->u.number.text); break;
	case AST_UNIT: strbuf_printf(b, "%s%s", n->u.unit.text, n->u.unit.suffix); break;
	case AST_BOOL: strbuf_puts(b, n->u.boolean.value ? "true" : "false"); break;
	case AST_STRING:
		for (const struct ast_node *p = n->u.string.parts; p; p = p->next)
			append_part(c, b, p, failed);
		break;
	case AST_IDENT: case AST_MEMBER: append_reference(c, b, n, failed); break;
	default: {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0302, n->src, n->span,
					   "a %s cannot be put inside a string",
					   ast_kind_name(n->kind));
		diag_add_help(c->p->diags, d, "interpolate a single value: \"${db.host}\"");
		*failed = true;
	}
	}
}

/* The text of a string written as one piece of text (most are), or
 * NULL; its length in *len. */
static const char *plain_text(const struct ast_node *str, size_t *len)
{
	const struct ast_node *part = str->kind == AST_STRING ? str->u.string.parts : NULL;
	if (str->kind != AST_STRING || (part && (part->next || part->kind != AST_TEXT)))
		return NULL;
	*len = part ? part->u.text.len : 0;
	return part ? part->u.text.text : "";
}

/* The text of `str`, evaluated once and kept: a value that many
 * references lead to is not evaluated, nor reported, again for each.
 * A string written as one piece (most are) is its own text, NUL-ended
 * like every text part: it is neither copied nor kept, which spared a
 * copy and a table entry per string, read once at random places.  Its
 * memo is the checker's `plain`, good until the next call. */
static const struct eval_memo *text_memo(struct checker *c, const struct ast_node *at,
					 const struct ast_node *str)
{
	static const struct eval_memo chain_too_long = { NULL, "", 0, true, 0 };
	size_t len = 0;
	const char *plain = plain_text(str, &len);
	if (plain) {
		if (c->depth > c->reach)
			c->reach = c->depth;
		c->plain = (struct eval_memo){ str, plain, len, false, 0 };
		return &c->plain;
	}
	const struct eval_memo *m = memo_find(c, str);
	bool failed = false;
	if (m)
		return chain_fits(c, at, m->height, &failed) ? m : &chain_too_long;
	int outer = c->reach;
	c->reach = c->depth;
	struct strbuf b;
	strbuf_init(&b);
	append_part(c, &b, str, &failed);
	struct eval_memo fresh = { str, NULL, b.len, failed, c->reach - c->depth };
	fresh.text = strbuf_finish(&b, c->p->arena);
	if (outer > c->reach)
		c->reach = outer;
	return memo_put(c, fresh);
}

const char *eval_string(struct checker *c, const struct ast_node *str, bool *failed)
{
	const struct eval_memo *m = text_memo(c, str, str);
	if (m->failed)
		*failed = true;
	return m->text;
}

/* One interpolated reference of a composed secret value (check_composed.c):
 * its text, evaluated as in any string. */
const char *eval_interpolated(struct checker *c, const struct ast_node *n, bool *failed)
{
	struct strbuf b;
	strbuf_init(&b);
	append_part(c, &b, n, failed);
	return strbuf_finish(&b, c->p->arena);
}
