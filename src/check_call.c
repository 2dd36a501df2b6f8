/* check_call.c - constructor values: http("/health"), ecs(cluster = "x").
 *
 * A constructor belongs to a family (probe, deploy) named by the field's
 * type; its parameters are typed like fields.  Positional arguments fill
 * parameters in order; a variadic constructor's last parameter collects
 * the rest into a list (exec("pg_isready", "-U", "app")). */
#include "typed.h"

#include <string.h>

#include "suggest.h"

static void report_unknown_ctor(struct checker *c, const char *family,
				const struct ast_node *callee, const char *name)
{
	struct diag *d = diag_emit(c->p->diags, DIAG_E0317, callee->src, callee->span,
				   "unknown %s '%s'", family, name);
	struct suggest s;
	suggest_init(&s, name);
	struct strbuf all;
	strbuf_init(&all);
	for (size_t i = 0; i < schema_ctor_count(); i++) {
		const struct ctor *k = schema_ctor_at(i);
		if (strcmp(k->family, family))
			continue;
		suggest_consider(&s, k->name);
		strbuf_printf(&all, "%s%s()", all.len ? ", " : "", k->name);
	}
	const char *best = suggest_result(&s);
	if (best)
		diag_add_help(c->p->diags, d, "did you mean '%s'?", best);
	diag_add_note(c->p->diags, d, "a %s is one of %s", family, all.data ? all.data : "");
	strbuf_free(&all);
}

static bool bad_arg(struct checker *c, const struct ast_node *at, const char *fmt,
		    const char *a, const char *b)
{
	diag_emit(c->p->diags, DIAG_E0318, at->src, at->span, fmt, a, b);
	return false;
}

static void report_unknown_param(struct checker *c, const struct ctor *k,
				 const struct ast_node *arg)
{
	struct diag *d = diag_emit(c->p->diags, DIAG_E0318, arg->src, arg->u.attr.name_span,
				   "%s() has no parameter '%s'", k->name, arg->u.attr.name);
	struct suggest s;
	suggest_init(&s, arg->u.attr.name);
	struct strbuf all;
	strbuf_init(&all);
	for (size_t i = 0; i < k->param_count; i++) {
		suggest_consider(&s, k->params[i].name);
		strbuf_printf(&all, "%s'%s'", i == 0 ? "" : i + 1 == k->param_count ? " and " : ", ",
			      k->params[i].name);
	}
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(c->p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(c->p->diags, d, arg->u.attr.name_span, best,
			     arena_printf(c->p->arena, "replace with '%s'", best));
	}
	if (all.len)
		diag_add_note(c->p->diags, d, "%s() takes %s", k->name, all.data);
	else
		diag_add_note(c->p->diags, d, "%s() takes no arguments", k->name);
	strbuf_free(&all);
}

static bool put_arg(struct checker *c, const struct ctor *k, size_t i,
		    const struct ast_node *arg, const struct ast_node *value,
		    struct tval **args)
{
	const struct field *p = &k->params[i];
	bool rest = k->variadic && i == k->param_count - 1;
	struct tval *v = check_typed(c, p->type, p->elem, p->arg, p->name, value);
	if (!v)
		return false;
	if (args[i] && !rest)
		return bad_arg(c, arg, "%s() gets '%s' twice", k->name, p->name);
	if (rest) {
		struct tval **tail = &args[i];
		while (*tail)
			tail = &(*tail)->next;
		*tail = v;
	} else {
		args[i] = v;
	}
	return true;
}

static bool bind_arg(struct checker *c, const struct ctor *k, const struct ast_node *arg,
		     size_t *pos, struct tval **args)
{
	if (arg->kind != AST_ATTR) {
		size_t i = *pos < k->param_count ? *pos : k->param_count - 1;
		if (k->param_count == 0 || (*pos >= k->param_count && !k->variadic)) {
			diag_emit(c->p->diags, DIAG_E0318, arg->src, arg->span,
				  "%s() takes at most %zu argument%s", k->name, k->param_count,
				  k->param_count == 1 ? "" : "s");
			return false;
		}
		(*pos)++;
		return put_arg(c, k, i, arg, arg, args);
	}
	for (size_t i = 0; i < k->param_count; i++)
		if (!strcmp(k->params[i].name, arg->u.attr.name))
			return put_arg(c, k, i, arg, arg->u.attr.value, args);
	report_unknown_param(c, k, arg);
	return false;
}

static bool check_required(struct checker *c, const struct ctor *k,
			   const struct ast_node *n, struct tval **args)
{
	bool ok = true;
	for (size_t i = 0; i < k->param_count; i++) {
		if (args[i] || !(k->params[i].flags & F_REQUIRED))
			continue;
		struct diag *d = diag_emit(c->p->diags, DIAG_E0318, n->src, n->span,
					   "%s() needs '%s'", k->name, k->params[i].name);
		diag_add_help(c->p->diags, d, "add '%s', the %s", k->params[i].name, k->params[i].doc);
		ok = false;
	}
	return ok;
}

struct tval *check_call(struct checker *c, const char *family, const char *name,
			const struct ast_node *n)
{
	const struct ast_node *callee = n->kind == AST_CALL ? n->u.call.callee : n;
	if (callee->kind != AST_IDENT) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0302, n->src, n->span,
					   "'%s' expects a %s such as %s", name, family,
					   !strcmp(family, "probe") ? "http(\"/health\")" : "ecs(...)");
		(void)d;
		return NULL;
	}
	const struct ctor *k = schema_ctor(family, callee->u.ident.name);
	if (!k) {
		report_unknown_ctor(c, family, callee, callee->u.ident.name);
		return NULL;
	}
	struct tval **args = arena_calloc(c->p->arena, k->param_count ? k->param_count : 1,
					  sizeof *args);
	bool ok = true;
	size_t pos = 0;
	const struct ast_node *list = n->kind == AST_CALL ? n->u.call.args : NULL;
	for (const struct ast_node *a = list; a; a = a->next)
		ok &= bind_arg(c, k, a, &pos, args);
	if (!ok || !check_required(c, k, n, args))
		return NULL;
	struct tval *v = arena_alloc(c->p->arena, sizeof *v);
	v->type = TY_CALL;
	v->node = n;
	v->u.call.ctor = k;
	v->u.call.args = args;
	return v;
}
