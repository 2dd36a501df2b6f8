/* template.c - template instantiation and the merge rule.
 *
 * The merge rule (man/dep.5, "Templates and overlays"): an entry of the
 * override replaces the base's entry of the same name when it is a scalar
 * or a list; when both are maps or blocks (an unlabelled block and a map
 * value are the same thing), their entries are merged by this same rule;
 * labelled blocks (dashboards, panels) match on kind and label.  Entries
 * new to the base are appended in the override's order.  Inputs are never
 * modified: the result is built from copies. */
#include "program.h"

#include <string.h>

#include "embed.h"
#include "suggest.h"

static bool is_maplike(const struct ast_node *n)
{
	if (n->kind == AST_BLOCK)
		return !n->u.block.label && !n->u.block.base;
	return n->kind == AST_ATTR && n->u.attr.value && n->u.attr.value->kind == AST_MAP;
}

static const char *entry_name(const struct ast_node *n)
{
	return n->kind == AST_BLOCK ? n->u.block.kind : n->u.attr.name;
}

static const struct ast_node *map_entries(const struct ast_node *n)
{
	return n->kind == AST_BLOCK ? n->u.block.body : n->u.attr.value->u.list.items;
}

static bool same_entry(const struct ast_node *a, const struct ast_node *b)
{
	if (a->kind == AST_UNSET || b->kind == AST_UNSET)
		return false;
	const char *na = entry_name(a), *nb = entry_name(b);
	if (na[0] != nb[0] || strcmp(na, nb) != 0)
		return false;
	const char *la = a->kind == AST_BLOCK ? a->u.block.label : NULL;
	const char *lb = b->kind == AST_BLOCK ? b->u.block.label : NULL;
	if (!la || !lb)
		return la == lb;
	return strcmp(la, lb) == 0;
}

/* A base entry as it goes into the result: itself when the merge owns
 * the base list (a fresh instantiation nobody else holds), else a copy.
 * Not copying the template body a second time halves what a program of
 * many templated services costs to resolve. */
static struct ast_node *take(struct arena *a, const struct ast_node *b, bool owned)
{
	if (!owned)
		return ast_copy(a, b);
	struct ast_node *n = (struct ast_node *)b;
	n->next = NULL;
	return n;
}

static struct ast_node *merge_lists(struct arena *a, const struct ast_node *base,
				    const struct ast_node *over, bool owned);

/* The node alone, its children shared: merged lists relink entries
 * through `next`, so each entry needs its own node, but nothing below an
 * entry is ever changed. */
static struct ast_node *shallow(struct arena *a, const struct ast_node *n)
{
	return ast_clone(a, n);
}

/* Both maps: a block of the override's shape holding the merged entries. */
static struct ast_node *merge_maps(struct arena *a, const struct ast_node *base,
				   const struct ast_node *over, bool owned)
{
	struct ast_node *entries = merge_lists(a, map_entries(base), map_entries(over), owned);
	struct ast_node *m = shallow(a, over);
	if (m->kind == AST_BLOCK) {
		m->u.block.body = entries;
	} else {
		m->u.attr.value = shallow(a, over->u.attr.value);
		m->u.attr.value->u.list.items = entries;
	}
	return m;
}

static struct ast_node *merge_entry(struct arena *a, const struct ast_node *base,
				    const struct ast_node *over, bool owned)
{
	if (is_maplike(base) && is_maplike(over))
		return merge_maps(a, base, over, owned);
	if (base->kind == AST_BLOCK && over->kind == AST_BLOCK)
		return merge_maps(a, base, over, owned);
	return shallow(a, over);
}

static struct ast_node *merge_lists(struct arena *a, const struct ast_node *base,
				    const struct ast_node *over, bool owned)
{
	struct ast_list out = { 0 };
	for (const struct ast_node *b = base, *next; b; b = next) {
		next = b->next;
		if (b->kind == AST_UNSET)
			continue;
		const struct ast_node *o = over;
		while (o && !same_entry(b, o))
			o = o->next;
		ast_list_append(&out, o ? merge_entry(a, b, o, owned) : take(a, b, owned));
	}
	for (const struct ast_node *o = over; o; o = o->next) {
		/* Unsets were applied to the base before the merge
		 * (unset.c); they add nothing. */
		if (o->kind == AST_UNSET)
			continue;
		const struct ast_node *first = over;
		bool in_base = false;
		for (const struct ast_node *b = out.head; b && !in_base; b = b->next)
			in_base = same_entry(b, o);
		while (!same_entry(first, o))
			first = first->next;
		/* A second entry of the same name is kept so the checker can
		 * report it as set twice rather than have it vanish. */
		if (!in_base || first != o)
			ast_list_append(&out, shallow(a, o));
	}
	return out.head;
}

struct ast_node *template_merge(struct arena *a, const struct ast_node *base,
				const struct ast_node *over)
{
	return merge_lists(a, base, over, false);
}

struct ast_node *template_merge_into(struct arena *a, struct ast_node *base,
				     const struct ast_node *over)
{
	return merge_lists(a, base, over, true);
}

/* --- finding the template ------------------------------------------- */

static const struct template_def *lookup(const struct program *p, const char *module,
					 const char *name)
{
	for (const struct template_def *t = p->templates; t; t = t->next) {
		bool same_module = module ? t->module && !strcmp(t->module, module) : !t->module;
		if (same_module && !strcmp(t->node->u.template.name, name))
			return t;
	}
	return NULL;
}

const char *template_name(struct arena *a, const struct template_def *t)
{
	const char *name = t->node->u.template.name;
	if (!t->module)
		return name;
	if (!strcmp(t->module, name))
		return name;
	return arena_printf(a, "%s.%s", t->module, name);
}

static bool module_imported(const struct program *p, const char *name)
{
	for (const struct module *m = p->modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return true;
	return false;
}

static bool in_stdlib(const char *name)
{
	for (const struct embedded_file *f = depc_stdlib; f->name; f++)
		if (!strcmp(f->name, name))
			return true;
	return false;
}

/* "nextjs, node": what a module does define, for the note. */
static const char *module_templates(struct program *p, const char *module)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct template_def *t = p->templates; t; t = t->next)
		if (t->module && !strcmp(t->module, module))
			strbuf_printf(&b, "%s%s", b.len ? ", " : "", t->node->u.template.name);
	return b.len ? strbuf_finish(&b, p->arena) : "nothing";
}

/* With nothing close, the likeliest cause is a missing import: of the
 * module a qualified name (node.nextjs) names, or of std/NAME. */
static void help_import(struct program *p, struct diag *d, const struct ast_node *callee,
			const char *written, const char *kind)
{
	const char *module = callee->kind == AST_MEMBER ? callee->u.member.object->u.ident.name
							: written;
	if (module_imported(p, module))
		diag_add_note(p->diags, d, "'%s' defines %s", module, module_templates(p, module));
	else if (in_stdlib(module))
		diag_add_help(p->diags, d, "add import \"std/%s\" at the top of the file", module);
	else
		diag_add_help(p->diags, d, "define it with template %s %s(...) { ... }, "
			      "or import the file that defines it", kind, written);
}

/* `nextjs` written for `node.nextjs`: the bare name of a module's
 * template is not in scope, but it is surely what was meant. */
static const char *qualified_match(struct program *p, const char *written)
{
	for (const struct template_def *t = p->templates; t; t = t->next)
		if (t->module && !strcmp(t->node->u.template.name, written))
			return template_name(p->arena, t);
	return NULL;
}

static void report_unknown(struct program *p, const struct ast_node *callee,
			   const char *written, const char *kind)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0205, callee->src, callee->span,
				   "unknown template '%s'", written);
	struct suggest s;
	suggest_init(&s, written);
	for (const struct template_def *t = p->templates; t; t = t->next)
		suggest_consider(&s, template_name(p->arena, t));
	const char *best = suggest_result(&s);
	if (!best && callee->kind == AST_IDENT)
		best = qualified_match(p, written);
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, callee->span, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	} else {
		help_import(p, d, callee, written, kind);
	}
}

static void report_deep(struct program *p, const struct ast_node *callee)
{
	const char *text = arena_strndup(p->arena, callee->src->text + callee->span.start,
					 callee->span.end - callee->span.start);
	struct diag *d = diag_emit(p->diags, DIAG_E0205, callee->src, callee->span,
				   "'%s' is not a template name", text);
	diag_add_help(p->diags, d, "a template is named NAME or MODULE.NAME, e.g. node.nextjs");
}

/* `postgres` is a local template or module postgres's template postgres;
 * `node.nextjs` is module node's template nextjs. */
static const struct template_def *find_template(struct program *p,
						const struct ast_node *callee, const char *kind)
{
	const struct template_def *t = NULL;
	const char *written;
	if (callee->kind == AST_IDENT) {
		written = callee->u.ident.name;
		t = lookup(p, NULL, written);
		if (!t)
			t = lookup(p, written, written);
	} else if (callee->kind == AST_MEMBER && callee->u.member.object->kind == AST_IDENT) {
		const char *module = callee->u.member.object->u.ident.name;
		written = arena_printf(p->arena, "%s.%s", module, callee->u.member.name);
		t = lookup(p, module, callee->u.member.name);
	} else {
		report_deep(p, callee);
		return NULL;
	}
	if (!t)
		report_unknown(p, callee, written, kind);
	return t;
}

/* --- binding arguments ------------------------------------------------ */

struct binding {
	const struct ast_node *param;  /* AST_ATTR of the template */
	const struct ast_node *value;  /* argument, default, or NULL */
	const struct ast_node *given;  /* the argument node, for duplicates */
};

static struct binding *find_binding(struct binding *b, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(b[i].param->u.attr.name, name))
			return &b[i];
	return NULL;
}

static void report_unknown_param(struct program *p, const struct ast_node *arg,
				 struct binding *b, size_t n, const char *tname)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0207, arg->src, arg->u.attr.name_span,
				   "template '%s' has no parameter '%s'", tname,
				   arg->u.attr.name);
	struct suggest s;
	suggest_init(&s, arg->u.attr.name);
	for (size_t i = 0; i < n; i++)
		suggest_consider(&s, b[i].param->u.attr.name);
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, arg->u.attr.name_span, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	}
}

static bool bind_named(struct program *p, const struct ast_node *arg,
		       struct binding *b, size_t n, const char *tname)
{
	struct binding *slot = find_binding(b, n, arg->u.attr.name);
	if (!slot) {
		report_unknown_param(p, arg, b, n, tname);
		return false;
	}
	if (slot->given) {
		struct diag *d = diag_emit(p->diags, DIAG_E0219, arg->src, arg->span,
					   "parameter '%s' is given twice", arg->u.attr.name);
		diag_add_label(p->diags, d, slot->given->src, slot->given->span,
			       "first given here");
		return false;
	}
	slot->given = arg;
	slot->value = arg->u.attr.value;
	return true;
}

/* Reported once, under every extra argument, rather than once each. */
static void report_extra(struct program *p, const struct ast_node *arg, size_t n,
			 const char *tname)
{
	struct span at = arg->span;
	size_t extra = 0;
	for (const struct ast_node *a = arg; a; a = a->next)
		if (a->kind != AST_ATTR) {
			at = span_join(at, a->span);
			extra++;
		}
	struct diag *d = n
		? diag_emit(p->diags, DIAG_E0220, arg->src, at, "template '%s' takes %zu argument%s",
			    tname, n, n == 1 ? "" : "s")
		: diag_emit(p->diags, DIAG_E0220, arg->src, at, "template '%s' takes no arguments",
			    tname);
	diag_add_help(p->diags, d, "remove the extra argument%s", extra == 1 ? "" : "s");
}

static bool bind_positional(struct program *p, const struct ast_node *arg,
			    size_t index, struct binding *b, size_t n, const char *tname)
{
	if (index >= n) {
		if (index == n)
			report_extra(p, arg, n, tname);
		return false;
	}
	b[index].given = arg;
	b[index].value = arg;
	return true;
}

static bool check_missing(struct program *p, const struct ast_node *call,
			  struct binding *b, size_t n, const char *tname)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		if (b[i].value)
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_E0208, call->src, call->span,
					   "template '%s' needs the argument '%s'", tname,
					   b[i].param->u.attr.name);
		diag_add_label(p->diags, d, b[i].param->src, b[i].param->span,
			       "parameter declared here");
		diag_add_help(p->diags, d, "add %s = ... to the arguments",
			      b[i].param->u.attr.name);
		ok = false;
	}
	return ok;
}

static struct binding *bind(struct program *p, const struct ast_node *tmpl,
			    const struct ast_node *call, const char *tname, size_t *count)
{
	size_t n = ast_count(tmpl->u.template.params), pos = 0;
	struct binding *b = arena_calloc(p->arena, n ? n : 1, sizeof *b);
	const struct ast_node *param = tmpl->u.template.params;
	for (size_t i = 0; i < n; i++, param = param->next) {
		b[i].param = param;
		b[i].value = param->u.attr.value;
	}
	bool ok = true;
	const struct ast_node *args = call->kind == AST_CALL ? call->u.call.args : NULL;
	for (const struct ast_node *arg = args; arg; arg = arg->next) {
		if (arg->kind == AST_ATTR)
			ok &= bind_named(p, arg, b, n, tname);
		else
			ok &= bind_positional(p, arg, pos++, b, n, tname);
	}
	ok &= check_missing(p, call, b, n, tname);
	*count = n;
	return ok ? b : NULL;
}

/* --- substitution ----------------------------------------------------- */

struct subst {
	struct arena *arena;
	struct binding *b;
	size_t n;
};

static struct ast_node *substitute(struct subst *s, const struct ast_node *n);

static struct ast_node *substitute_list(struct subst *s, const struct ast_node *n)
{
	struct ast_list out = { 0 };
	for (; n; n = n->next)
		ast_list_append(&out, substitute(s, n));
	return out.head;
}

/* Does the expression `n` (with its list successors) name a parameter? */
static bool mentions_list(const struct subst *s, const struct ast_node *n);

static bool mentions(const struct subst *s, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_IDENT: return find_binding(s->b, s->n, n->u.ident.name) != NULL;
	case AST_ATTR: return n->u.attr.value && mentions(s, n->u.attr.value);
	case AST_MEMBER: return mentions(s, n->u.member.object);
	case AST_CALL: return mentions_list(s, n->u.call.args);
	case AST_STRING: return mentions_list(s, n->u.string.parts);
	case AST_LIST: case AST_MAP: return mentions_list(s, n->u.list.items);
	case AST_RANGE: return mentions(s, n->u.range.lo) || mentions(s, n->u.range.hi);
	case AST_BLOCK: return mentions_list(s, n->u.block.body);
	default: return false;
	}
}

static bool mentions_list(const struct subst *s, const struct ast_node *n)
{
	for (; n; n = n->next)
		if (mentions(s, n))
			return true;
	return false;
}

/* A field's value that names no parameter is shared with the template,
 * not copied: nothing changes a value once parsed, and the template's
 * lists of files and commands made up most of what each service cost.
 * Maps are copied all the same, because merging relinks their entries. */
static struct ast_node *substitute_value(struct subst *s, const struct ast_node *v)
{
	if (v->kind != AST_MAP && !mentions(s, v))
		return (struct ast_node *)v;
	return substitute(s, v);
}

/* The items of a list, a call's arguments or a string's parts: shared
 * with the template when none names a parameter.  Merging relinks only
 * block bodies and map entries, so these lists are never changed. */
static struct ast_node *substitute_part(struct subst *s, const struct ast_node *list)
{
	if (!mentions_list(s, list))
		return (struct ast_node *)list;
	return substitute_list(s, list);
}

/* A bare name that is a parameter becomes a copy of its argument;
 * everything else is copied with its children substituted.  Field names
 * are not expressions, so a field called like a parameter is untouched. */
static struct ast_node *substitute(struct subst *s, const struct ast_node *n)
{
	if (n->kind == AST_IDENT) {
		struct binding *b = find_binding(s->b, s->n, n->u.ident.name);
		if (b)
			return ast_copy(s->arena, b->value);
	}
	struct ast_node *c = ast_clone(s->arena, n);
	switch (c->kind) {
	case AST_BLOCK: c->u.block.body = substitute_list(s, n->u.block.body); break;
	case AST_ATTR:
		if (n->u.attr.value)
			c->u.attr.value = substitute_value(s, n->u.attr.value);
		break;
	case AST_MEMBER: c->u.member.object = substitute(s, n->u.member.object); break;
	case AST_CALL: c->u.call.args = substitute_part(s, n->u.call.args); break;
	case AST_STRING: c->u.string.parts = substitute_part(s, n->u.string.parts); break;
	case AST_LIST: c->u.list.items = substitute_part(s, n->u.list.items); break;
	case AST_MAP: c->u.list.items = substitute_list(s, n->u.list.items); break;
	case AST_RANGE:
		c->u.range.lo = substitute(s, n->u.range.lo);
		c->u.range.hi = substitute(s, n->u.range.hi);
		break;
	default: break;
	}
	return c;
}

/* What each parameter stands for in this declaration, for ${NAME.PARAM}. */
static void keep_params(struct program *p, struct decl *d, const struct template_def *t,
			const struct subst *s)
{
	d->tmpl = t;
	d->param_count = s->n;
	d->param_names = arena_calloc(p->arena, s->n ? s->n : 1, sizeof *d->param_names);
	d->param_values = arena_calloc(p->arena, s->n ? s->n : 1, sizeof *d->param_values);
	for (size_t i = 0; i < s->n; i++) {
		d->param_names[i] = s->b[i].param;
		d->param_values[i] = s->b[i].value;
	}
}

/* --- the expansion budget --------------------------------------------- */

/* An instance is charged the nodes substitute() will make: a parameter
 * counts as its argument, copied whole.  Counted before anything is
 * copied, and an argument only up to `cap`: past it the answer is known
 * to be too many, and counting stops. */

/* Syntax nodes in `n` and its list successors, at most about `cap`. */
static size_t count_nodes(const struct ast_node *n, size_t cap);

static size_t count_one(const struct ast_node *n, size_t cap)
{
	size_t k = 1;
	switch (n->kind) {
	case AST_BLOCK: k += count_nodes(n->u.block.body, cap - k); break;
	case AST_ATTR: k += count_nodes(n->u.attr.value, cap - k); break;
	case AST_MEMBER: k += count_nodes(n->u.member.object, cap - k); break;
	case AST_CALL: k += count_nodes(n->u.call.args, cap - k); break;
	case AST_STRING: k += count_nodes(n->u.string.parts, cap - k); break;
	case AST_LIST: case AST_MAP: k += count_nodes(n->u.list.items, cap - k); break;
	case AST_RANGE:
		k += count_nodes(n->u.range.lo, cap - k);
		if (k < cap)
			k += count_nodes(n->u.range.hi, cap - k);
		break;
	default: break;
	}
	return k;
}

static size_t count_nodes(const struct ast_node *n, size_t cap)
{
	size_t k = 0;
	for (; n && k < cap; n = n->next)
		k += count_one(n, cap - k);
	return k;
}

/* What an instance of a template is made of, counted once per template:
 * the nodes of its body that are not a parameter's name, and how many
 * times each parameter (in declaration order) is named.  An instance
 * then costs `nodes` plus each argument's size times its mentions; the
 * body was walked again for every declaration. */
struct template_cost {
	size_t nodes;
	size_t *mentions;
};

struct cost_walk {
	struct template_cost *c;
	const struct ast_node *params;
};

static void cost_list(struct cost_walk *w, const struct ast_node *n);

static void cost_one(struct cost_walk *w, const struct ast_node *n)
{
	if (n->kind == AST_IDENT) {
		size_t i = 0;
		for (const struct ast_node *p = w->params; p; p = p->next, i++)
			if (!strcmp(p->u.attr.name, n->u.ident.name)) {
				w->c->mentions[i]++;
				return;
			}
	}
	w->c->nodes++;
	switch (n->kind) {
	case AST_BLOCK: cost_list(w, n->u.block.body); break;
	case AST_ATTR: cost_list(w, n->u.attr.value); break;
	case AST_MEMBER: cost_list(w, n->u.member.object); break;
	case AST_CALL: cost_list(w, n->u.call.args); break;
	case AST_STRING: cost_list(w, n->u.string.parts); break;
	case AST_LIST: case AST_MAP: cost_list(w, n->u.list.items); break;
	case AST_RANGE:
		cost_list(w, n->u.range.lo);
		cost_list(w, n->u.range.hi);
		break;
	default: break;
	}
}

static void cost_list(struct cost_walk *w, const struct ast_node *n)
{
	for (; n; n = n->next)
		cost_one(w, n);
}

static const struct template_cost *template_cost(struct arena *a, struct template_def *t)
{
	if (!t->cost) {
		const struct ast_node *tmpl = t->node;
		struct template_cost *c = arena_alloc(a, sizeof *c);
		c->nodes = 0;
		c->mentions = arena_calloc(a, ast_count(tmpl->u.template.params) + 1,
					   sizeof *c->mentions);
		struct cost_walk w = { c, tmpl->u.template.params };
		cost_list(&w, tmpl->u.template.body);
		t->cost = c;
	}
	return t->cost;
}

/* The nodes this instance adds, or more than `cap` when it adds more. */
static size_t instance_nodes(struct arena *a, struct template_def *t, const struct subst *s,
			     size_t cap)
{
	const struct template_cost *c = template_cost(a, t);
	size_t need = c->nodes;
	for (size_t i = 0; i < s->n && need <= cap; i++) {
		if (!c->mentions[i])
			continue;
		/* the argument alone: in a call, its `next` is the next argument */
		size_t each = count_one(s->b[i].value, cap + 1);
		if (each > (cap + 1 - need) / c->mentions[i])
			return cap + 1;
		need += each * c->mentions[i];
	}
	return need;
}

/* Takes this instantiation's nodes from the program's budget, or reports
 * E0109 at the template's name and takes nothing. */
static bool within_budget(struct program *p, const struct subst *s, struct template_def *t,
			  const struct ast_node *callee, const char *tname)
{
	size_t budget = TEMPLATE_MAX_NODES + TEMPLATE_NODES_PER_BYTE * p->src->len;
	size_t left = budget - p->template_nodes;
	size_t need = instance_nodes(p->arena, t, s, left);
	if (need <= left) {
		p->template_nodes += need;
		return true;
	}
	struct diag *d = diag_emit(p->diags, DIAG_E0109, callee->src, callee->span,
				   "instantiating '%s' here would take the templates of this "
				   "deployment past %zu syntax nodes", tname, budget);
	diag_add_note(p->diags, d, "every declaration copies its template, and every use of "
		      "a parameter copies its argument");
	diag_add_help(p->diags, d, "pass long values to fewer parameters, or use them in "
		      "fewer places");
	return false;
}

struct ast_node *template_instantiate(struct program *p, struct decl *d,
				      struct ast_node *base)
{
	const struct ast_node *callee = base->kind == AST_CALL ? base->u.call.callee : base;
	const struct template_def *t = find_template(p, callee, d->kind->name);
	if (!t)
		return NULL;
	const struct ast_node *tmpl = t->node;
	const char *tname = template_name(p->arena, t);
	if (strcmp(tmpl->u.template.kind, d->kind->name) != 0) {
		struct diag *dg = diag_emit(p->diags, DIAG_E0216, callee->src, callee->span,
					    "template '%s' makes a %s, not a %s", tname,
					    tmpl->u.template.kind, d->kind->name);
		diag_add_label(p->diags, dg, tmpl->src, tmpl->u.template.kind_span,
			       "declared as a %s template here", tmpl->u.template.kind);
		return NULL;
	}
	struct subst s = { p->arena, NULL, 0 };
	s.b = bind(p, tmpl, base, tname, &s.n);
	/* t is the program's own (arena) template; its cost is a memo that
	 * changes nothing any reader of it sees */
	if (!s.b || !within_budget(p, &s, (struct template_def *)t, callee, tname))
		return NULL;
	keep_params(p, d, t, &s);
	return substitute_list(&s, tmpl->u.template.body);
}

/* --- parameters as members --------------------------------------------- */

static const struct ast_node *find_field_entry(const struct ast_node *body, const char *name)
{
	for (const struct ast_node *e = body; e; e = e->next)
		if ((e->kind == AST_ATTR && e->u.attr.name[0] == name[0] &&
		     !strcmp(e->u.attr.name, name)) ||
		    (e->kind == AST_BLOCK && e->u.block.kind[0] == name[0] &&
		     !strcmp(e->u.block.kind, name)))
			return e;
	return NULL;
}

/* ${db.host} and ${db.name} are the declaration's name, whatever the
 * template's parameters are called. */
static void report_builtin_member(struct program *p, const struct template_def *t,
				  const struct kind *k, const struct ast_node *param)
{
	const char *name = param->u.attr.name;
	struct diag *d = diag_emit(p->diags, DIAG_E0230, param->src, param->u.attr.name_span,
				   "parameter '%s' of template '%s' has the name of the %s member '%s'",
				   name, template_name(p->arena, t), k->name, name);
	diag_add_note(p->diags, d, "${NAME.%s} is always the %s's name", name, k->name);
	diag_add_help(p->diags, d, "rename the parameter, for example to '%s_%s'",
		      !strcmp(name, "host") ? "advertised" : "display", name);
}

void template_check_params(struct program *p, const struct template_def *t)
{
	const struct ast_node *tmpl = t->node;
	const struct kind *k = schema_kind(tmpl->u.template.kind);
	if (!k)
		return;
	for (const struct ast_node *param = tmpl->u.template.params; param; param = param->next) {
		const char *name = param->u.attr.name;
		if (!strcmp(name, "name") || (!strcmp(name, "host") && !strcmp(k->name, "service"))) {
			report_builtin_member(p, t, k, param);
			continue;
		}
		if (!schema_field(k, name))
			continue;
		const struct ast_node *e = find_field_entry(tmpl->u.template.body, name);
		const struct ast_node *v = e && e->kind == AST_ATTR ? e->u.attr.value : NULL;
		if (!e || (v && v->kind == AST_IDENT && !strcmp(v->u.ident.name, name)))
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_E0230, param->src, param->u.attr.name_span,
					   "parameter '%s' of template '%s' has the name of the %s "
					   "field '%s'", name, template_name(p->arena, t), k->name, name);
		diag_add_label(p->diags, d, e->src, e->span, "the field is set to something "
			       "else here");
		diag_add_note(p->diags, d, "${NAME.%s} on a %s made from it would have two meanings",
			      name, k->name);
		diag_add_help(p->diags, d, "rename the parameter, or set %s = %s in the body",
			      name, name);
	}
}

/* --- fields set past a parameter -------------------------------------- */

static const struct ast_node *first_use(const struct ast_node *n, const char *name);

/* The first place in the list starting at `n` that names `name`. */
static const struct ast_node *first_use_list(const struct ast_node *n, const char *name)
{
	const struct ast_node *hit = NULL;
	for (; n && !hit; n = n->next)
		hit = first_use(n, name);
	return hit;
}

/* The first place in the expression or entry `n` that names `name`. */
static const struct ast_node *first_use(const struct ast_node *n, const char *name)
{
	switch (n->kind) {
	case AST_IDENT: return !strcmp(n->u.ident.name, name) ? n : NULL;
	case AST_ATTR: return n->u.attr.value ? first_use(n->u.attr.value, name) : NULL;
	case AST_MEMBER: return first_use(n->u.member.object, name);
	case AST_CALL: return first_use_list(n->u.call.args, name);
	case AST_STRING: return first_use_list(n->u.string.parts, name);
	case AST_LIST: case AST_MAP: return first_use_list(n->u.list.items, name);
	case AST_RANGE: {
		const struct ast_node *lo = first_use(n->u.range.lo, name);
		return lo ? lo : first_use(n->u.range.hi, name);
	}
	case AST_BLOCK: return first_use_list(n->u.block.body, name);
	default: return NULL;
	}
}

/* The value the template gets for `param`: the call's argument, by name
 * or by position, or the parameter's default (NULL: none). */
static const struct ast_node *argument_for(const struct ast_node *tmpl, const struct ast_node *call,
					   const struct ast_node *param)
{
	size_t index = 0, pos = 0;
	for (const struct ast_node *q = tmpl->u.template.params; q != param; q = q->next)
		index++;
	const struct ast_node *args = call->kind == AST_CALL ? call->u.call.args : NULL;
	for (const struct ast_node *arg = args; arg; arg = arg->next) {
		if (arg->kind == AST_ATTR && !strcmp(arg->u.attr.name, param->u.attr.name))
			return arg->u.attr.value;
		if (arg->kind != AST_ATTR && pos++ == index)
			return arg;
	}
	return param->u.attr.value;
}

/* Do two literals say the same value?  Only numbers and plain strings
 * are compared; anything else counts as different. */
static bool same_literal(const struct ast_node *a, const struct ast_node *b)
{
	if (!a || !b || a->kind != b->kind)
		return false;
	if (a->kind == AST_INT)
		return a->u.integer.value == b->u.integer.value;
	if (a->kind == AST_STRING && ast_string_plain(a) && ast_string_plain(b))
		return !strcmp(ast_string_plain(a), ast_string_plain(b));
	return false;
}

/* A template that sets `port = port` and also writes `port` into its
 * env, health or command keeps those at the argument when the body sets
 * the field: `node(...) { port = 10000 }` listens as PORT=3000 says
 * while every target sends traffic to 10000.  Said once per field, and
 * not when the body repeats the value the template has anyway. */
void template_check_overrides(struct program *p, const struct decl *d)
{
	const struct ast_node *tmpl = d->tmpl ? d->tmpl->node : NULL;
	const struct ast_node *over = d->block->u.block.body;
	for (const struct ast_node *param = tmpl ? tmpl->u.template.params : NULL; param;
	     param = param->next) {
		const char *name = param->u.attr.name;
		const struct ast_node *own = find_field_entry(tmpl->u.template.body, name);
		const struct ast_node *set = find_field_entry(over, name);
		if (!own || own->kind != AST_ATTR || own->u.attr.value->kind != AST_IDENT ||
		    strcmp(own->u.attr.value->u.ident.name, name) || !set || set->kind != AST_ATTR ||
		    same_literal(set->u.attr.value, argument_for(tmpl, d->block->u.block.base, param)))
			continue;
		const struct ast_node *use = NULL;
		for (const struct ast_node *e = tmpl->u.template.body; e && !use; e = e->next)
			use = e == own ? NULL : first_use(e, name);
		if (!use)
			continue;
		const char *tname = template_name(p->arena, d->tmpl);
		struct diag *dg = diag_emit(p->diags, DIAG_W0078, set->src, set->u.attr.name_span,
					    "'%s' set in the body of %s '%s' does not reach the rest of "
					    "template '%s'", name, d->kind->name, d->name, tname);
		diag_add_label(p->diags, dg, use->src, use->span, "the template uses its "
			       "parameter '%s' here too, which keeps the argument's value", name);
		diag_add_help(p->diags, dg, "pass it as an argument instead: %s(%s = ...), and "
			      "remove it from the body", tname, name);
	}
}

const struct template_def *template_at(const struct program *p, const struct source *src,
				       struct span span)
{
	for (const struct template_def *t = p->templates; t; t = t->next) {
		const struct ast_node *n = t->node;
		if (n->src == src && span.start >= n->span.start && span.end <= n->span.end)
			return t;
	}
	return NULL;
}

/* Puts `l`, the label added last, first. */
bool template_lead_with_call(struct program *p, struct diag *dg, const struct decl *d)
{
	const struct ast_node *base = d->block->u.block.base;
	if (!base || !d->tmpl || !dg->src || strncmp(dg->src->name, "<std>/", 6) != 0 ||
	    template_at(p, dg->src, dg->span) != d->tmpl)
		return false;
	diag_lead_with(p->diags, dg, base->src, base->span, "in template '%s', made for %s '%s'",
		       template_name(p->arena, d->tmpl), d->kind->name, d->name);
	return true;
}
