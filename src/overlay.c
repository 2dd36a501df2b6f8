/* overlay.c - environment overlays: `env production { ... }`.
 *
 * Every overlay is checked whether or not it is selected, so a typo in
 * the production overlay is found while building staging.  The overlay
 * named by --env is merged over the declarations it names with the
 * template merge rule. */
#include "program.h"

#include <string.h>

#include "suggest.h"
#include "typed.h"

/* The declaration an overlay entry changes.  A unique kind needs no
 * name (`app { ... }` changes the app), but a name it gives must match. */
static struct decl *overlay_target(struct program *p, const struct ast_node *e)
{
	const struct kind *k = schema_top_kind(e->u.block.kind);
	if (!k)
		return NULL;
	const char *label = e->u.block.label;
	/* found through the indexes: an overlay that changes each of
	 * 10,000 services scanned the declarations once per entry */
	if (k->label == LABEL_NONE || (k->unique && !label))
		return program_find_kind(p, k->name);
	if (!label) /* a kind whose declarations all have a name (E0212) */
		return NULL;
	if (program_named_kind(k)) {
		struct decl *d = program_find(p, label);
		return d && d->kind == k ? d : NULL;
	}
	/* `cloud aws`: a label outside the names' namespace, and one cloud */
	for (struct decl *d = p->decls; d; d = d->next)
		if (d->kind == k && !strcmp(d->name, label))
			return d;
	return NULL;
}

static void report_unknown_kind(struct program *p, const struct ast_node *e)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0210, e->src, e->u.block.kind_span,
				   "unknown kind of declaration '%s'", e->u.block.kind);
	struct suggest s;
	suggest_init(&s, e->u.block.kind);
	for (size_t i = 0; i < schema_kind_count(); i++)
		if (schema_kind_at(i)->top_level)
			suggest_consider(&s, schema_kind_at(i)->name);
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, e->u.block.kind_span, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	}
}

/* Why `e` changes nothing: a nested overlay, an unknown kind, a missing
 * name, or a declaration the file does not have. */
static void report_no_target(struct program *p, const struct ast_node *e)
{
	const char *kind = e->u.block.kind, *label = e->u.block.label;
	const struct kind *k = schema_top_kind(kind);
	if (!strcmp(kind, "env")) {
		diag_emit(p->diags, DIAG_E0214, e->src, e->u.block.kind_span,
			  "an overlay cannot hold another overlay");
		return;
	}
	if (!k) {
		report_unknown_kind(p, e);
		return;
	}
	if (!label && k->label != LABEL_NONE && !k->unique) {
		struct diag *d = diag_emit(p->diags, DIAG_E0212, e->src, e->u.block.kind_span,
					   "the overlay must name the %s it changes", kind);
		diag_add_help(p->diags, d, "write %s NAME { ... }", kind);
		return;
	}
	struct span at = label ? e->u.block.label_span : e->u.block.kind_span;
	struct decl *same_kind = k->unique ? program_find_kind(p, kind) : NULL;
	struct diag *d = label
		? diag_emit(p->diags, DIAG_E0214, e->src, at,
			    "the overlay changes %s '%s', which is not declared", kind, label)
		: diag_emit(p->diags, DIAG_E0214, e->src, at,
			    "the overlay changes the %s, which is not declared", kind);
	const char *best = same_kind ? same_kind->name
		: label ? program_suggest(p, label, kind) : NULL;
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, at, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	} else {
		diag_add_help(p->diags, d, "an overlay can only change declarations of the file; "
			      "declare it outside the overlay");
	}
}

/* An overlay that is not selected is never type-checked, so at least
 * its field names are checked here: a typo in production's overlay must
 * show up while building staging.  Values are checked when it is used. */
static void check_names(struct program *p, const struct kind *k, const struct ast_node *entries)
{
	for (const struct ast_node *e = entries; e; e = e->next) {
		if (e->kind == AST_UNSET)
			continue;
		const char *name = e->kind == AST_BLOCK ? e->u.block.kind : e->u.attr.name;
		const struct field *f = schema_field(k, name);
		if (!f)
			check_unknown_field(p, k, e);
		else if (f->type == TY_BLOCK && e->kind == AST_BLOCK)
			check_names(p, schema_kind(f->arg), e->u.block.body);
	}
}

static void report_loose_field(struct program *p, const struct ast_node *e)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0211, e->src, e->u.attr.name_span,
				   "field '%s' directly inside an overlay", e->u.attr.name);
	const char *home = resolve_field_home(p->arena, e->u.attr.name);
	diag_add_help(p->diags, d, "put it in the declaration it changes: %s",
		      home ? home : "service NAME { ... }");
}

static void apply_entry(struct program *p, const struct ast_node *e, bool selected)
{
	if (e->kind == AST_UNSET) {
		unset_report_one(p, e, "directly inside an overlay");
		return;
	}
	if (e->kind != AST_BLOCK) {
		report_loose_field(p, e);
		return;
	}
	struct decl *target = overlay_target(p, e);
	if (!target) {
		report_no_target(p, e);
		return;
	}
	/* An unset in an overlay takes out what the base file sets; in an
	 * overlay not selected it is checked all the same, its result
	 * dropped. */
	const char *from = arena_printf(p->arena, "the base %s '%s'", target->kind->name,
					target->name);
	struct ast_node *base = unset_apply(p, target->kind, from, target->body,
					    e->u.block.body);
	if (selected)
		target->body = unset_strip(p->arena, template_merge(p->arena, base,
								    e->u.block.body));
	else
		check_names(p, target->kind, e->u.block.body);
}

static bool overlay_named(struct program *p, const struct ast_node *env)
{
	if (env->u.block.label && !env->u.block.label_quoted)
		return true;
	struct diag *d = env->u.block.label
		? diag_emit(p->diags, DIAG_E0212, env->src, env->u.block.label_span,
			    "an environment's name is written without quotes")
		: diag_emit(p->diags, DIAG_E0212, env->src, env->u.block.kind_span,
			    "an environment overlay needs a name");
	diag_add_help(p->diags, d, "write env production { ... }");
	return false;
}

static const struct ast_node *earlier_env(const struct program *p,
					  const struct ast_node *env)
{
	for (const struct ast_node *n = p->root->u.file.items; n != env; n = n->next)
		if (n->kind == AST_BLOCK && !strcmp(n->u.block.kind, "env") &&
		    n->u.block.label && !strcmp(n->u.block.label, env->u.block.label))
			return n;
	return NULL;
}

static void report_unknown_env(struct program *p)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0206, NULL, span_make(0, 0),
				   "unknown environment '%s'", p->env);
	struct suggest s;
	suggest_init(&s, p->env);
	struct strbuf names;
	strbuf_init(&names);
	size_t count = 0;
	for (const struct ast_node *n = p->root->u.file.items; n; n = n->next) {
		if (n->kind != AST_BLOCK || strcmp(n->u.block.kind, "env") || !n->u.block.label)
			continue;
		suggest_consider(&s, n->u.block.label);
		strbuf_printf(&names, "%s'%s'", names.len ? ", " : "", n->u.block.label);
		count++;
	}
	const char *best = suggest_result(&s);
	if (best)
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
	if (names.len)
		diag_add_note(p->diags, d, "this file declares %s %s",
			      count == 1 ? "one environment:" : "the environments", names.data);
	else
		diag_add_note(p->diags, d, "this file declares no environments");
	if (!best)
		diag_add_help(p->diags, d, "pass one of them to --env, or declare "
			      "env %s { ... } with what changes there", p->env);
	strbuf_free(&names);
}

void resolve_overlays(struct program *p)
{
	bool found = false;
	for (const struct ast_node *n = p->root->u.file.items; n; n = n->next) {
		if (n->kind != AST_BLOCK || strcmp(n->u.block.kind, "env") || !overlay_named(p, n))
			continue;
		const struct ast_node *first = earlier_env(p, n);
		if (first) {
			struct diag *d = diag_emit(p->diags, DIAG_E0202, n->src, n->u.block.label_span,
						   "environment '%s' is declared twice", n->u.block.label);
			diag_add_label(p->diags, d, first->src, first->u.block.label_span,
				       "first declared here");
			continue;
		}
		bool selected = p->env && !strcmp(p->env, n->u.block.label);
		found |= selected;
		for (const struct ast_node *e = n->u.block.body; e; e = e->next)
			apply_entry(p, e, selected);
	}
	if (p->env && !found)
		report_unknown_env(p);
}
