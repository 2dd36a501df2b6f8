/* overlay.c - environment overlays: `env production { ... }`.
 *
 * Every overlay is checked whether or not it is selected, so a typo in
 * the production overlay is found while building staging.  The overlay
 * named by --env is merged over the declarations it names with the
 * template merge rule. */
#include "program.h"

#include <string.h>

#include "suggest.h"

static struct decl *overlay_target(struct program *p, const struct ast_node *e)
{
	const struct kind *k = schema_top_kind(e->u.block.kind);
	if (!k)
		return NULL;
	for (struct decl *d = p->decls; d; d = d->next) {
		if (d->kind != k)
			continue;
		if (k->label == LABEL_NONE || k->unique ||
		    (e->u.block.label && !strcmp(d->name, e->u.block.label)))
			return d;
	}
	return NULL;
}

static void report_no_target(struct program *p, const struct ast_node *e)
{
	const char *label = e->u.block.label;
	struct span at = label ? e->u.block.label_span : e->u.block.kind_span;
	struct diag *d = diag_emit(p->diags, DIAG_E0214, e->src, at,
				   "the overlay changes %s '%s', which is not declared",
				   e->u.block.kind, label ? label : e->u.block.kind);
	const char *best = label ? program_suggest(p, label, e->u.block.kind) : NULL;
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, at, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	} else {
		diag_add_help(p->diags, d, "an overlay can only change declarations of the file; "
			      "declare it outside the overlay");
	}
}

static void apply_entry(struct program *p, const struct ast_node *e, bool selected)
{
	if (e->kind != AST_BLOCK) {
		struct diag *d = diag_emit(p->diags, DIAG_E0211, e->src, e->u.attr.name_span,
					   "field '%s' directly inside an overlay", e->u.attr.name);
		diag_add_help(p->diags, d, "put it in the block it changes, "
			      "e.g. service web { %s = ... }", e->u.attr.name);
		return;
	}
	struct decl *target = overlay_target(p, e);
	if (!target) {
		report_no_target(p, e);
		return;
	}
	if (selected)
		target->body = template_merge(p->arena, target->body, e->u.block.body);
}

static bool overlay_named(struct program *p, const struct ast_node *env)
{
	if (env->u.block.label && !env->u.block.label_quoted)
		return true;
	struct diag *d = diag_emit(p->diags, DIAG_E0212, env->src,
				   env->u.block.label ? env->u.block.label_span
						      : env->u.block.kind_span,
				   "an environment overlay needs a name without quotes");
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
	for (const struct ast_node *n = p->root->u.file.items; n; n = n->next) {
		if (n->kind != AST_BLOCK || strcmp(n->u.block.kind, "env") || !n->u.block.label)
			continue;
		suggest_consider(&s, n->u.block.label);
		strbuf_printf(&names, "%s'%s'", names.len ? ", " : "", n->u.block.label);
	}
	const char *best = suggest_result(&s);
	if (best)
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
	if (names.len)
		diag_add_note(p->diags, d, "this file declares %s", names.data);
	else
		diag_add_note(p->diags, d, "this file declares no environments");
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
