/* check.c - every declaration against the schema.
 *
 * Walks each declaration's merged entries: unknown fields (with
 * did-you-mean), fields set twice, blocks written as fields and the
 * reverse, missing required fields, value types (check_value.c), integer
 * ranges, then the per-kind rules that involve several fields.  Unset
 * fields get their schema default, parsed from the schema's text once per
 * compilation, so a default is checked exactly like user input. */
#include "typed.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "suggest.h"
#include "strmap.h"
#include "validate.h"

#define MAX_FIELDS 64

struct tval *tblock_get(const struct tblock *b, const char *field)
{
	const struct field *f = b ? schema_field(b->kind, field) : NULL;
	return f ? b->fields[f - b->kind->fields] : NULL;
}

static const char *entry_name(const struct ast_node *e)
{
	return e->kind == AST_BLOCK ? e->u.block.kind : e->u.attr.name;
}

static struct span entry_span(const struct ast_node *e)
{
	return e->kind == AST_BLOCK ? e->u.block.kind_span : e->u.attr.name_span;
}

void check_unknown_field(struct program *p, const struct kind *k, const struct ast_node *e)
{
	const char *name = entry_name(e);
	struct diag *d = diag_emit(p->diags, DIAG_E0301, e->src, entry_span(e),
				   "%s has no field '%s'", k->name, name);
	struct suggest s;
	suggest_init(&s, name);
	for (size_t i = 0; i < k->field_count; i++)
		suggest_consider(&s, k->fields[i].name);
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, entry_span(e), best,
			     arena_printf(p->arena, "replace with '%s'", best));
	} else if (!strcmp(k->name, "job") && schema_field(schema_kind("service"), name)) {
		diag_add_help(p->diags, d, "'%s' is a field of a long-running service; a job runs to "
			      "completion and has no port, ingress, replicas, health, metrics, rollout, "
			      "autoscale, volume or restart", name);
	}
}

static void report_twice(struct checker *c, const struct ast_node *e,
			 const struct ast_node *first)
{
	struct diag *d = diag_emit(c->p->diags, DIAG_E0304, e->src, entry_span(e),
				   "'%s' is set twice", entry_name(e));
	if (first)
		diag_add_label(c->p->diags, d, first->src, entry_span(first), "first set here");
	diag_add_help(c->p->diags, d, "remove one of them");
}

static bool wrong_shape(struct checker *c, const struct field *f, const struct ast_node *e)
{
	bool want_block = f->type == TY_BLOCK;
	bool maplike = e->kind == AST_BLOCK || (e->u.attr.value && e->u.attr.value->kind == AST_MAP);
	if (f->type == TY_MAP && !maplike) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0302, e->src, e->u.attr.value->span,
					   "'%s' expects NAME = value entries, found %s", f->name,
					   ast_kind_name(e->u.attr.value->kind));
		diag_add_help(c->p->diags, d, "write %s { NAME = ... }", f->name);
		return true;
	}
	if (f->type == TY_MAP || want_block == (e->kind == AST_BLOCK))
		return false;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0302, e->src, entry_span(e),
				   want_block ? "'%s' is a block, not a field"
					      : "'%s' is a field, not a block", f->name);
	diag_add_help(c->p->diags, d, want_block ? "write %s { ... }" : "write %s = ...", f->name);
	return true;
}

/* --- defaults ---------------------------------------------------------- */

static struct tval *default_value(struct checker *c, const struct kind *k,
				  const struct field *f, struct tval **cache)
{
	size_t slot = (size_t)(k - schema_kind_at(0)) * MAX_FIELDS + schema_field_index(k, f);
	if (cache[slot])
		return cache[slot];
	const char *text = arena_printf(c->p->arena, "x = %s\n", f->def);
	const struct source *src = source_from_memory(c->p->arena, "<default>", text, strlen(text));
	struct ast_node *root = parse_source(c->p->arena, src, c->p->diags);
	struct ast_node *attr = root->u.file.items;
	cache[slot] = attr ? check_value(c, f, attr->u.attr.value) : NULL;
	if (cache[slot])
		cache[slot]->node = NULL;
	return cache[slot];
}

/* A repeatable block's list under construction (dashboards, panels,
 * alerts): its end, and for each label the blocks that have it, so a
 * block joins without a walk along the list and the labels before it. */
struct same_label {
	const struct ast_node *node;
	struct same_label *next;
};

struct multi_list {
	struct tval **tail;
	struct strmap labels; /* label -> struct same_label, in source order */
};

struct block_state {
	const struct kind *kind;
	struct tval **fields;
	const struct ast_node **first; /* entry that set each field */
	struct multi_list *multi;      /* per field, made at the first repeatable one */
};

static struct tblock *check_block(struct checker *c, const struct kind *k,
				  const struct ast_node *node, const char *label,
				  const struct ast_node *entries);

/* Numbers and booleans are text in an environment: PORT = 3000. */
static struct tval *map_entry_value(struct checker *c, const struct field *f,
				    const struct ast_node *entry)
{
	const struct ast_node *v = entry->u.attr.value;
	bool scalar = v->kind == AST_INT || v->kind == AST_FLOAT || v->kind == AST_UNIT ||
		      v->kind == AST_BOOL;
	if (f->elem == TY_REF && v->kind == AST_STRING && !ast_string_plain(v))
		return check_composed(c, entry);
	if (f->elem != TY_STRING || !scalar) {
		c->env_key = !strcmp(f->name, "env") ? entry->u.attr.name : NULL;
		c->env_value = v;
		struct tval *t = check_typed(c, f->elem, TY_NONE, f->arg, entry->u.attr.name, v);
		c->env_key = NULL;
		c->env_value = NULL;
		return t;
	}
	bool failed = false;
	struct tval *t = arena_alloc(c->p->arena, sizeof *t);
	t->type = TY_STRING;
	t->node = v;
	t->u.s = eval_string(c, v, &failed);
	return t;
}

static const struct ast_node *earlier_key(const struct ast_node *items,
					  const struct ast_node *entry)
{
	for (const struct ast_node *j = items; j != entry; j = j->next)
		if (j->kind == AST_ATTR && !strcmp(j->u.attr.name, entry->u.attr.name))
			return j;
	return NULL;
}

/* LOG-LEVEL -> LOG_LEVEL: '-', '.' and spaces are the usual slips. */
static const char *env_name_fix(struct arena *a, const char *name)
{
	char *fixed = arena_strdup(a, name);
	for (char *p = fixed; *p; p++)
		if (*p == '-' || *p == '.' || *p == ' ')
			*p = '_';
	return validate_env_name(fixed) ? NULL : fixed;
}

static bool valid_key(struct checker *c, const struct field *f, const struct ast_node *i)
{
	if (i->kind != AST_ATTR) {
		diag_emit(c->p->diags, DIAG_E0302, i->src, i->u.block.kind_span,
			  "'%s' holds NAME = value entries, not blocks", f->name);
		return false;
	}
	/* the wrapper hands the parts of composed values over as DEPC_PART_* */
	if ((!strcmp(f->name, "env") || !strcmp(f->name, "secrets")) &&
	    !strncmp(i->u.attr.name, "DEPC_PART_", 10)) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0257, i->src, i->u.attr.name_span,
					   "'%s' is a name depc gives the parts of composed secret "
					   "values", i->u.attr.name);
		diag_add_help(c->p->diags, d, "give the variable a name that does not start with "
			      "DEPC_PART_");
		return false;
	}
	/* A quoted name in `env` may be a dotted setting (discovery.type):
	 * Compose, Kubernetes and ECS pass it, and images such as
	 * Elasticsearch read their settings so.  Quoting says it is meant. */
	bool setting = i->u.attr.name_quoted && !strcmp(f->name, "env");
	const char *why = setting ? validate_setting_name(i->u.attr.name)
				  : validate_env_name(i->u.attr.name);
	if (!why)
		return true;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0319, i->src, i->u.attr.name_span,
				   "'%s' is not a valid variable name: %s", i->u.attr.name, why);
	const char *fixed = env_name_fix(c->p->arena, i->u.attr.name);
	if (fixed) {
		diag_add_help(c->p->diags, d, "did you mean '%s'?", fixed);
		diag_set_fix(c->p->diags, d, i->u.attr.name_span, fixed,
			     arena_printf(c->p->arena, "replace with '%s'", fixed));
	}
	return false;
}

static struct tval *check_map(struct checker *c, const struct field *f, const struct ast_node *e)
{
	const struct ast_node *items = e->kind == AST_BLOCK ? e->u.block.body
							    : e->u.attr.value->u.list.items;
	struct tval *map = arena_alloc(c->p->arena, sizeof *map), **tail = &map->u.items;
	map->type = TY_MAP;
	map->node = e;
	for (const struct ast_node *i = items; i; i = i->next) {
		if (!valid_key(c, f, i))
			continue;
		const struct ast_node *first = earlier_key(items, i);
		if (first) {
			report_twice(c, i, first);
			continue;
		}
		struct tval *v = map_entry_value(c, f, i);
		if (!v)
			continue;
		v->key = i->u.attr.name;
		*tail = v;
		tail = &v->next;
	}
	return map;
}

/* Two dashboards (panels, alerts) with one title would overwrite each
 * other's generated file or panel id. */
static void report_same_label(struct checker *c, const struct ast_node *e,
			      const struct ast_node *first)
{
	const char *q = e->u.block.label_quoted ? "\"" : "'";
	struct diag *d = diag_emit(c->p->diags, DIAG_E0304, e->src, e->u.block.label_span,
				   "%s %s%s%s is defined twice", e->u.block.kind, q, e->u.block.label, q);
	diag_add_label(c->p->diags, d, first->src, first->u.block.label_span, "the first one");
	diag_add_help(c->p->diags, d, "give each %s its own %s, or merge them", e->u.block.kind,
		      e->u.block.label_quoted ? "title" : "name");
}

/* E0304 against each earlier block of the list with this label. */
static void note_label(struct checker *c, struct multi_list *multi, const struct ast_node *e,
		       const char *label)
{
	struct same_label *x = arena_alloc(c->p->arena, sizeof *x);
	x->node = e;
	struct same_label *first = strmap_add(&multi->labels, label, x);
	if (first == x)
		return;
	struct same_label *y = first;
	report_same_label(c, e, y->node);
	for (; y->next; y = y->next)
		report_same_label(c, e, y->next->node);
	y->next = x;
}

/* A nested block: its label follows the kind's rule; a repeatable block
 * (dashboard, panel) collects into a list in source order (`multi`). */
static struct tval *check_nested(struct checker *c, const struct field *f,
				 const struct ast_node *e, struct tval *prev,
				 struct multi_list *multi)
{
	const struct kind *k = schema_kind(f->arg);
	const char *label = e->u.block.label;
	if (k->label == LABEL_NONE && label) {
		diag_emit(c->p->diags, DIAG_E0212, e->src, e->u.block.label_span,
			  "'%s' takes no name", f->name);
	} else if (k->label != LABEL_NONE && !label) {
		bool title = k->label == LABEL_TITLE;
		struct diag *d = diag_emit(c->p->diags, DIAG_E0212, e->src, e->u.block.kind_span,
					   "%s without a %s", f->name, title ? "title" : "name");
		diag_add_help(c->p->diags, d, title ? "write %s \"Title\" { ... }"
					      : "write %s NAME { ... }", f->name);
		return prev;
	}
	if (e->u.block.base)
		diag_emit(c->p->diags, DIAG_E0216, e->src, e->u.block.base->span,
			  "a nested '%s' block cannot use a template", f->name);
	struct tblock *tb = check_block(c, k, e, label, e->u.block.body);
	struct tval *v = arena_alloc(c->p->arena, sizeof *v);
	v->type = TY_BLOCK;
	v->node = e;
	v->u.block = tb;
	if (!(f->flags & F_MULTI))
		return v;
	struct tval *list = prev;
	if (!list) {
		list = arena_alloc(c->p->arena, sizeof *list);
		list->type = TY_LIST;
		list->node = e;
		multi->tail = &list->u.items;
		strmap_init(&multi->labels, c->p->arena);
	}
	if (label)
		note_label(c, multi, e, label);
	*multi->tail = v;
	multi->tail = &v->next;
	return list;
}

static struct multi_list *multi_of(struct checker *c, struct block_state *st,
				    const struct field *f, size_t i)
{
	if (!(f->flags & F_MULTI))
		return NULL;
	if (!st->multi)
		st->multi = arena_calloc(c->p->arena, st->kind->field_count, sizeof *st->multi);
	return &st->multi[i];
}

static void check_entry(struct checker *c, struct block_state *st, const struct ast_node *e)
{
	const struct field *f = schema_field(st->kind, entry_name(e));
	if (!f) {
		check_unknown_field(c->p, st->kind, e);
		return;
	}
	if (wrong_shape(c, f, e))
		return;
	size_t i = schema_field_index(st->kind, f);
	if (st->first[i] && !(f->flags & F_MULTI)) {
		report_twice(c, e, st->first[i]);
		return;
	}
	if (!st->first[i])
		st->first[i] = e;
	if (f->type == TY_BLOCK)
		st->fields[i] = check_nested(c, f, e, st->fields[i], multi_of(c, st, f, i));
	else if (f->type == TY_MAP && f->arg && !strcmp(f->arg, "alerts"))
		st->fields[i] = check_alerts(c, e);
	else if (f->type == TY_MAP)
		st->fields[i] = check_map(c, f, e);
	else
		st->fields[i] = check_value(c, f, e->u.attr.value);
}

static void report_missing(struct checker *c, const struct kind *k, const struct field *f,
			   const struct ast_node *node)
{
	struct span at = node->kind == AST_BLOCK
		? (node->u.block.label ? node->u.block.label_span : node->u.block.kind_span)
		: node->span;
	const char *label = node->kind == AST_BLOCK ? node->u.block.label : NULL;
	struct diag *d = label
		? diag_emit(c->p->diags, DIAG_E0303, node->src, at,
			    "%s '%s' is missing the required field '%s'", k->name, label, f->name)
		: diag_emit(c->p->diags, DIAG_E0303, node->src, at,
			    "%s is missing the required field '%s'", k->name, f->name);
	char type[96];
	diag_add_help(c->p->diags, d, "add %s %s (%s: %s)", f->name,
		      f->type == TY_BLOCK ? "{ ... }" : "= ...",
		      schema_describe(f, type, sizeof type), f->doc);
}

static struct tblock *check_block(struct checker *c, const struct kind *k,
				  const struct ast_node *node, const char *label,
				  const struct ast_node *entries)
{
	struct tblock *tb = arena_alloc(c->p->arena, sizeof *tb);
	tb->kind = k;
	tb->label = label;
	tb->node = node;
	tb->fields = arena_calloc(c->p->arena, k->field_count, sizeof *tb->fields);
	/* Which entry set each field is needed only here: on the stack, or
	 * on the heap for a kind with more fields than any has today.  In
	 * the arena it stayed for the whole compilation, a pointer per field
	 * of every block. */
	const struct ast_node *first[64] = { NULL };
	struct block_state st = { k, tb->fields,
				  k->field_count <= 64 ? first
						       : xcalloc(k->field_count, sizeof *st.first), NULL };
	for (const struct ast_node *e = entries; e; e = e->next)
		check_entry(c, &st, e);
	for (size_t i = 0; i < k->field_count; i++) {
		const struct field *f = &k->fields[i];
		if (!st.first[i] && (f->flags & F_REQUIRED))
			report_missing(c, k, f, node);
		else if (!st.first[i] && f->def)
			tb->fields[i] = default_value(c, k, f, c->defaults);
	}
	check_rules(c, tb, st.first);
	if (st.first != first)
		free(st.first);
	return tb;
}

/* --- errors inside templates ---------------------------------------- */

static bool inside(const struct ast_node *n, const struct diag *dg)
{
	return n->src == dg->src && dg->span.start >= n->span.start && dg->span.end <= n->span.end;
}

static bool same_diag(const struct diag *a, const struct diag *b)
{
	return a->code == b->code && a->src == b->src && a->span.start == b->span.start &&
	       a->span.end == b->span.end && !strcmp(a->message, b->message);
}

/* Is there an earlier diagnostic that says the same as `dg`?  A mistake
 * in a template is one mistake however often the template is used. */
static bool repeated(const struct diag_bag *bag, const struct diag *dg)
{
	for (const struct diag *e = bag->first; e && e != dg; e = e->next)
		if (same_diag(e, dg))
			return true;
	return false;
}

/* Removes *link, the diagnostic after `prev` (NULL: the first). */
static void unlink_diag(struct diag_bag *bag, struct diag **link, struct diag *prev)
{
	struct diag *dg = *link;
	*link = dg->next;
	if (bag->last == dg)
		bag->last = prev;
	bag->errors -= dg->severity == SEV_ERROR;
	bag->warnings -= dg->severity == SEV_WARNING;
}

/* A diagnostic that points into a template body says nothing about
 * which declaration used the template; a label at the template call
 * does, only for the template this declaration is made from (one that
 * a reference led into is named where the reference is).  `last` is the bag's last diagnostic before `d` was checked. */
static void note_template_use(struct program *p, struct decl *d, struct diag *last)
{
	const struct ast_node *base = d->block->u.block.base;
	struct diag_bag *bag = p->diags;
	if (!base)
		return;
	struct diag *prev = last, **link = last ? &last->next : &bag->first;
	while (*link) {
		struct diag *dg = *link;
		bool from_template = !inside(d->block, dg) && d->tmpl &&
				     template_at(p, dg->src, dg->span) == d->tmpl;
		if (from_template && template_lead_with_call(p, dg, d)) {
			prev = dg;
			link = &dg->next;
			continue;
		}
		if (from_template && repeated(bag, dg)) {
			unlink_diag(bag, link, prev);
			continue;
		}
		if (from_template)
			diag_add_label(bag, dg, base->src, base->span,
				       "in %s '%s', made from this template", d->kind->name, d->name);
		prev = dg;
		link = &dg->next;
	}
}

void check_program(struct program *p)
{
	struct checker c = { .p = p };
	c.defaults = arena_calloc(p->arena, schema_kind_count() * MAX_FIELDS, sizeof *c.defaults);
	for (struct decl *d = p->decls; d; d = d->next) {
		size_t before = p->diags->errors;
		struct diag *last = p->diags->last;
		struct tblock *tb = check_block(&c, d->kind, d->block, d->name, d->body);
		d->typed = p->diags->errors == before ? tb : NULL;
		note_template_use(p, d, last);
	}
	free(c.memo);
}
