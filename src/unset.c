/* unset.c - `unset PATH [VALUE]`: taking out what a template or the
 * base declaration sets.
 *
 * An unset in a declaration's body removes from the template's body; in
 * an environment overlay, from the declaration as the base file (and
 * its template) made it.  So the base is trimmed first and the body is
 * merged over the result: a field both unset and set in one body ends
 * up with the body's value.  `unset tmpfs "/tmp"` (or a list of values)
 * removes those entries of a list and keeps the others.  An unset may
 * sit in a nested block (`health { unset startup }`); its path then
 * starts at that block.  Nothing here modifies its inputs: entries on
 * the way to what is removed are copied. */
#include "program.h"

#include <string.h>

#include "suggest.h"

#define UNSET_MAX_DEPTH 16

/* The full path of one unset: the enclosing blocks' names, then its
 * own segments (the only ones with nodes to point at). */
struct upath {
	const char *names[UNSET_MAX_DEPTH];
	const struct ast_node *segs[UNSET_MAX_DEPTH]; /* NULL for a block's */
	size_t n;
	const struct ast_node *node; /* the AST_UNSET */
};

struct unsetter {
	struct program *p;
	const struct kind *kind;
	const char *from;            /* "template 'redis'", "the base file" */
};

static const char *entry_name(const struct ast_node *e)
{
	return e->kind == AST_BLOCK ? e->u.block.kind : e->u.attr.name;
}

static bool names_entry(const struct ast_node *e, const char *name)
{
	if (e->kind == AST_BLOCK)
		return !e->u.block.label && !strcmp(e->u.block.kind, name);
	return e->kind == AST_ATTR && !strcmp(e->u.attr.name, name);
}

static bool maplike(const struct ast_node *e)
{
	if (e->kind == AST_BLOCK)
		return !e->u.block.base;
	return e->kind == AST_ATTR && e->u.attr.value && e->u.attr.value->kind == AST_MAP;
}

static struct ast_node *entries_of(const struct ast_node *e)
{
	return e->kind == AST_BLOCK ? e->u.block.body : e->u.attr.value->u.list.items;
}

static struct span path_span(const struct upath *u)
{
	const struct ast_node *first = u->node->u.unset.path, *last = first;
	while (last->next)
		last = last->next;
	return span_join(first->span, last->span);
}

/* The span of segment i, or the whole path for a block's name. */
static struct span seg_span(const struct upath *u, size_t i)
{
	return u->segs[i] ? u->segs[i]->span : path_span(u);
}

/* --- the path against the schema --------------------------------------- */

static void report_unknown_field(struct unsetter *us, const struct upath *u, size_t i,
				 const struct kind *k)
{
	struct span at = seg_span(u, i);
	struct diag *d = diag_emit(us->p->diags, DIAG_E0113, u->node->src, at,
				   "%s has no field '%s' to unset", k->name, u->names[i]);
	struct suggest s;
	suggest_init(&s, u->names[i]);
	for (size_t f = 0; f < k->field_count; f++)
		suggest_consider(&s, k->fields[f].name);
	const char *best = suggest_result(&s);
	if (best && u->segs[i]) {
		diag_add_help(us->p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(us->p->diags, d, at, best,
			     arena_printf(us->p->arena, "replace with '%s'", best));
	}
}

static void report_no_fields(struct unsetter *us, const struct upath *u, size_t i,
			     const char *what)
{
	struct diag *d = diag_emit(us->p->diags, DIAG_E0113, u->node->src, seg_span(u, i),
				   "'%s' is %s, not a block or a map: it has no entry '%s'",
				   u->names[i - 1], what,
				   u->names[i]);
	diag_add_help(us->p->diags, d, "unset '%s' itself", u->names[i - 1]);
}

/* Follows the path through the schema.  Returns the field of the last
 * segment (NULL after reporting E0113); *map_key tells that the last
 * segment is an entry of a map rather than a field. */
static const struct field *resolve_path(struct unsetter *us, const struct upath *u,
					bool *map_key)
{
	const struct kind *k = us->kind;
	const struct field *f = NULL;
	*map_key = false;
	for (size_t i = 0; i < u->n; i++) {
		if (*map_key) {
			report_no_fields(us, u, i, "an entry of a map");
			return NULL;
		}
		if (f && f->type == TY_MAP) {
			*map_key = true;
			continue;
		}
		if (f && f->type != TY_BLOCK) {
			report_no_fields(us, u, i, arena_printf(us->p->arena, "a %s",
								schema_type_name(f->type)));
			return NULL;
		}
		if (f)
			k = schema_kind(f->arg);
		f = k ? schema_field(k, u->names[i]) : NULL;
		if (!f) {
			if (k)
				report_unknown_field(us, u, i, k);
			return NULL;
		}
	}
	return f;
}

/* A service needs an image or a build: unsetting one the other does
 * not stand in for is unsetting something required. */
static bool service_needs(const struct unsetter *us, const struct upath *u,
			  const struct ast_node *base)
{
	if (strcmp(us->kind->name, "service") != 0 || u->n != 1)
		return false;
	const char *other = !strcmp(u->names[0], "image") ? "build"
		: !strcmp(u->names[0], "build") ? "image" : NULL;
	if (!other)
		return false;
	for (const struct ast_node *e = base; e; e = e->next)
		if (names_entry(e, other))
			return false;
	return true;
}

static bool check_shape(struct unsetter *us, const struct upath *u,
			const struct field *f, bool map_key, const struct ast_node *base)
{
	const struct ast_node *value = u->node->u.unset.value;
	if (value && (map_key || f->type != TY_LIST)) {
		struct diag *d = diag_emit(us->p->diags, DIAG_E0115, u->node->src, value->span,
					   "'%s' is not a list: there are no entries to unset by value",
					   u->names[u->n - 1]);
		diag_add_help(us->p->diags, d, "write unset %s to remove it whole",
			      ast_unset_path(us->p->arena, u->node));
		return false;
	}
	if (!value && !map_key && ((f->flags & F_REQUIRED) || service_needs(us, u, base))) {
		struct diag *d = diag_emit(us->p->diags, DIAG_E0114, u->node->src, path_span(u),
					   "'%s' is required and cannot be unset", u->names[u->n - 1]);
		diag_add_help(us->p->diags, d, "set it to another value instead: %s = ...",
			      u->names[u->n - 1]);
		return false;
	}
	if (f->flags & F_MULTI) {
		struct diag *d = diag_emit(us->p->diags, DIAG_E0115, u->node->src, path_span(u),
					   "'%s' blocks are told apart by their titles and cannot be "
					   "unset by path", u->names[u->n - 1]);
		diag_add_help(us->p->diags, d, "change the block instead of removing it");
		return false;
	}
	return true;
}

/* --- removing ----------------------------------------------------------- */

static struct ast_node *shallow(struct arena *a, const struct ast_node *n)
{
	return ast_clone(a, n);
}

static bool same_value(const struct ast_node *a, const struct ast_node *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case AST_STRING: {
		const char *x = ast_string_plain(a), *y = ast_string_plain(b);
		return x && y && !strcmp(x, y);
	}
	case AST_IDENT: return !strcmp(a->u.ident.name, b->u.ident.name);
	case AST_INT: return a->u.integer.value == b->u.integer.value;
	case AST_UNIT:
		return !strcmp(a->u.unit.text, b->u.unit.text) &&
		       !strcmp(a->u.unit.suffix, b->u.unit.suffix);
	case AST_BOOL: return a->u.boolean.value == b->u.boolean.value;
	default: return false;
	}
}

static const struct ast_node *values_of(const struct ast_node *value)
{
	return value->kind == AST_LIST ? value->u.list.items : value;
}

static bool listed(const struct ast_node *value, const struct ast_node *item)
{
	const struct ast_node *v = values_of(value);
	for (; v; v = value->kind == AST_LIST ? v->next : NULL)
		if (same_value(v, item))
			return true;
	return false;
}

static void report_missing_value(struct unsetter *us, const struct upath *u,
				 const struct ast_node *v, const struct ast_node *items)
{
	struct diag *d = diag_emit(us->p->diags, DIAG_W0072, u->node->src, v->span,
				   "%s sets no such entry of '%s' to unset", us->from,
				   u->names[u->n - 1]);
	const char *text = v->kind == AST_STRING ? ast_string_plain(v) : NULL;
	struct suggest s;
	suggest_init(&s, text ? text : "");
	for (const struct ast_node *i = items; i && text; i = i->next)
		if (i->kind == AST_STRING && ast_string_plain(i))
			suggest_consider(&s, ast_string_plain(i));
	const char *best = text ? suggest_result(&s) : NULL;
	if (best)
		diag_add_help(us->p->diags, d, "did you mean \"%s\"?", best);
	else
		diag_add_help(us->p->diags, d, "remove this unset");
}

/* The attribute with the entries of its list that `value` names left
 * out; each value that names none is reported. */
static struct ast_node *remove_values(struct unsetter *us, const struct upath *u,
				      const struct ast_node *attr)
{
	const struct ast_node *value = u->node->u.unset.value;
	const struct ast_node *list = attr->u.attr.value;
	if (!list || list->kind != AST_LIST) {
		/* A list taken from elsewhere (a reference) has no entries
		 * written here to take out. */
		for (const struct ast_node *v = values_of(value); v;
		     v = value->kind == AST_LIST ? v->next : NULL)
			report_missing_value(us, u, v, NULL);
		return shallow(us->p->arena, attr);
	}
	for (const struct ast_node *v = values_of(value); v;
	     v = value->kind == AST_LIST ? v->next : NULL) {
		bool found = false;
		for (const struct ast_node *i = list->u.list.items; i && !found; i = i->next)
			found = same_value(i, v);
		if (!found)
			report_missing_value(us, u, v, list->u.list.items);
	}
	struct ast_list kept = { 0 };
	for (const struct ast_node *i = list->u.list.items; i; i = i->next)
		if (!listed(value, i))
			ast_list_append(&kept, shallow(us->p->arena, i));
	struct ast_node *out = shallow(us->p->arena, attr);
	out->u.attr.value = shallow(us->p->arena, list);
	out->u.attr.value->u.list.items = kept.head;
	return out;
}

static struct ast_node *remove_at(struct unsetter *us, const struct upath *u, size_t depth,
				  const struct ast_node *list, bool *found);

/* `e` with segment `depth` onwards removed inside it. */
static struct ast_node *remove_inside(struct unsetter *us, const struct upath *u, size_t depth,
				      const struct ast_node *e, bool *found)
{
	if (depth + 1 == u->n) {
		*found = true;
		return u->node->u.unset.value ? remove_values(us, u, e) : NULL;
	}
	if (!maplike(e))
		return shallow(us->p->arena, e);
	struct ast_node *inner = remove_at(us, u, depth + 1, entries_of(e), found);
	struct ast_node *out = shallow(us->p->arena, e);
	if (out->kind == AST_BLOCK) {
		out->u.block.body = inner;
	} else {
		out->u.attr.value = shallow(us->p->arena, e->u.attr.value);
		out->u.attr.value->u.list.items = inner;
	}
	return out;
}

static struct ast_node *remove_at(struct unsetter *us, const struct upath *u, size_t depth,
				  const struct ast_node *list, bool *found)
{
	struct ast_list out = { 0 };
	for (const struct ast_node *e = list; e; e = e->next) {
		struct ast_node *kept = names_entry(e, u->names[depth]) && !*found
			? remove_inside(us, u, depth, e, found) : shallow(us->p->arena, e);
		if (kept)
			ast_list_append(&out, kept);
	}
	return out.head;
}

/* The entries at the deepest level of the path the base does set. */
static const struct ast_node *deepest_set(const struct upath *u, const struct ast_node *base,
					  size_t *level)
{
	*level = 0;
	for (size_t i = 0; i + 1 < u->n; i++) {
		const struct ast_node *e = base;
		while (e && !names_entry(e, u->names[i]))
			e = e->next;
		if (!e || !maplike(e))
			return base;
		base = entries_of(e);
		*level = i + 1;
	}
	return base;
}

static void report_not_set(struct unsetter *us, const struct upath *u,
			   const struct ast_node *base)
{
	size_t level;
	const struct ast_node *entries = deepest_set(u, base, &level);
	struct span at = seg_span(u, level);
	struct diag *d = diag_emit(us->p->diags, DIAG_W0072, u->node->src, at,
				   "%s does not set '%s': there is nothing to unset", us->from,
				   ast_unset_path(us->p->arena, u->node));
	struct suggest s;
	suggest_init(&s, u->names[level]);
	for (const struct ast_node *e = entries; e; e = e->next)
		if (e->kind == AST_ATTR || e->kind == AST_BLOCK)
			suggest_consider(&s, entry_name(e));
	const char *best = suggest_result(&s);
	if (best && u->segs[level]) {
		diag_add_help(us->p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(us->p->diags, d, at, best,
			     arena_printf(us->p->arena, "replace with '%s'", best));
	} else {
		diag_add_help(us->p->diags, d, "remove this unset");
	}
}

static struct ast_node *apply_one(struct unsetter *us, const struct upath *u,
				  struct ast_node *base)
{
	bool map_key;
	const struct field *f = resolve_path(us, u, &map_key);
	if (!f || !check_shape(us, u, f, map_key, base))
		return base;
	bool found = false;
	struct ast_node *out = remove_at(us, u, 0, base, &found);
	if (!found) {
		report_not_set(us, u, base);
		return base;
	}
	return out;
}

/* --- finding the unsets ------------------------------------------------- */

static struct ast_node *walk(struct unsetter *us, struct upath *prefix,
			     const struct ast_node *body, struct ast_node *base);

static struct ast_node *walk_unset(struct unsetter *us, const struct upath *prefix,
				   const struct ast_node *n, struct ast_node *base)
{
	struct upath u = *prefix;
	u.node = n;
	for (const struct ast_node *seg = n->u.unset.path; seg; seg = seg->next) {
		if (u.n == UNSET_MAX_DEPTH)
			return base;
		u.names[u.n] = seg->u.ident.name;
		u.segs[u.n++] = seg;
	}
	return apply_one(us, &u, base);
}

static struct ast_node *walk(struct unsetter *us, struct upath *prefix,
			     const struct ast_node *body, struct ast_node *base)
{
	for (const struct ast_node *n = body; n; n = n->next) {
		if (n->kind == AST_UNSET) {
			base = walk_unset(us, prefix, n, base);
		} else if (n->kind == AST_BLOCK && !n->u.block.label && !n->u.block.base &&
			   prefix->n < UNSET_MAX_DEPTH) {
			prefix->names[prefix->n] = n->u.block.kind;
			prefix->segs[prefix->n++] = NULL;
			base = walk(us, prefix, n->u.block.body, base);
			prefix->n--;
		}
	}
	return base;
}

struct ast_node *unset_apply(struct program *p, const struct kind *k, const char *from,
			     struct ast_node *base, const struct ast_node *over)
{
	struct unsetter us = { p, k, from };
	struct upath prefix = { .n = 0 };
	return walk(&us, &prefix, over, base);
}

void unset_report_one(struct program *p, const struct ast_node *n, const char *where)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0116, n->src, n->span,
				   "unset %s: there is nothing to remove it from", where);
	diag_add_help(p->diags, d, "unset belongs in a declaration made from a template, "
		      "or in an environment overlay; remove it");
}

void unset_report_misplaced(struct program *p, const struct ast_node *body, const char *where)
{
	for (const struct ast_node *n = body; n; n = n->next) {
		if (n->kind == AST_BLOCK)
			unset_report_misplaced(p, n->u.block.body, where);
		else if (n->kind == AST_UNSET)
			unset_report_one(p, n, where);
	}
}

bool unset_any(const struct ast_node *body)
{
	for (const struct ast_node *n = body; n; n = n->next)
		if (n->kind == AST_UNSET ||
		    (n->kind == AST_BLOCK && unset_any(n->u.block.body)))
			return true;
	return false;
}

struct ast_node *unset_strip(struct arena *a, struct ast_node *body)
{
	if (!unset_any(body))
		return body;
	struct ast_list out = { 0 };
	for (const struct ast_node *n = body; n; n = n->next) {
		if (n->kind == AST_UNSET)
			continue;
		struct ast_node *c = shallow(a, n);
		if (c->kind == AST_BLOCK)
			c->u.block.body = unset_strip(a, c->u.block.body);
		ast_list_append(&out, c);
	}
	return out.head;
}
