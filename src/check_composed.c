/* check_composed.c - a value built from secrets and references.
 *
 * In a service's `secrets` map a value may be a string:
 *
 *   DATABASE_URL = "postgres://app:${db_password}@${db.host}:${db.port}/shop"
 *
 * `${NAME}` naming a secret stands for the secret's value; every other
 * interpolation is a reference, evaluated as in `env`.  The value holds a
 * secret, so it is a secret: the backends deliver it as one and never
 * write it (lower_composed.c, man/dep.5 SECRETS).  The result is a
 * TY_LIST whose node is the string and whose items are the pieces in
 * order: TY_STRING text (literal text and references, joined) and TY_REF
 * secrets. */
#include "typed.h"

#include <string.h>

#define A(c) ((c)->p->arena)

static struct tval *piece(struct checker *c, enum type_kind t, const struct ast_node *n)
{
	struct tval *v = arena_calloc(A(c), 1, sizeof *v);
	v->type = t;
	v->node = n;
	return v;
}

/* `${db_pasword}`: a secret is the likely meaning, so secrets are
 * suggested first, then any declaration. */
static void report_unknown(struct checker *c, const struct ast_node *n, const char *var)
{
	const char *name = n->u.ident.name;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0255, n->src, n->span,
				   "unknown name '%s' in the composed secret value of %s", name, var);
	const char *best = program_suggest(c->p, name, "secret");
	if (!best)
		best = program_suggest(c->p, name, NULL);
	if (best) {
		diag_add_help(c->p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(c->p->diags, d, n->span, best,
			     arena_printf(A(c), "replace with '%s'", best));
	} else {
		diag_add_help(c->p->diags, d, "interpolate a secret (declare it: secret %s "
			      "{ vault = \"...\" }) or a reference such as db.host", name);
	}
}

static void report_no_secret(struct checker *c, const struct ast_node *entry)
{
	const char *var = entry->u.attr.name;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0256, entry->u.attr.value->src,
				   entry->u.attr.value->span,
				   "the value of %s in `secrets` holds no secret", var);
	diag_add_note(c->p->diags, d, "a string in `secrets` is a value built from secrets: "
		      "at least one ${NAME} must name a secret");
	diag_add_help(c->p->diags, d, "a value without a secret is not secret: move %s to `env`",
		      var);
}

/* Appends text to `*last` when it is text, else starts a text piece. */
static void put_text(struct checker *c, struct tval ***tail, struct tval **last,
		     const struct ast_node *n, const char *text, size_t len)
{
	if (*last && (*last)->type == TY_STRING) {
		(*last)->u.s = arena_printf(A(c), "%s%.*s", (*last)->u.s, (int)len, text);
		return;
	}
	struct tval *t = piece(c, TY_STRING, n);
	t->u.s = arena_strndup(A(c), text, len);
	**tail = *last = t;
	*tail = &t->next;
}

struct tval *check_composed(struct checker *c, const struct ast_node *entry)
{
	const struct ast_node *str = entry->u.attr.value;
	const char *var = entry->u.attr.name;
	struct tval *head = NULL, **tail = &head, *last = NULL;
	bool failed = false, any_secret = false;
	for (const struct ast_node *n = str->u.string.parts; n; n = n->next) {
		const struct decl *d = n->kind == AST_IDENT ? program_find(c->p, n->u.ident.name) : NULL;
		/* `${app}` names the app whatever it is called: eval knows it */
		if (n->kind == AST_IDENT && !d && !schema_top_kind(n->u.ident.name)) {
			report_unknown(c, n, var);
			failed = true;
		} else if (d && !strcmp(d->kind->name, "secret")) {
			struct tval *s = piece(c, TY_REF, n);
			s->u.ref = (struct decl *)d;
			*tail = last = s;
			tail = &s->next;
			any_secret = true;
		} else {
			const char *text = n->kind == AST_TEXT ? n->u.text.text
					   : eval_interpolated(c, n, &failed);
			size_t len = n->kind == AST_TEXT ? n->u.text.len : strlen(text);
			put_text(c, &tail, &last, n, text, len);
		}
	}
	if (failed)
		return NULL;
	if (!any_secret) {
		report_no_secret(c, entry);
		return NULL;
	}
	struct tval *v = piece(c, TY_LIST, str);
	v->u.items = head;
	return v;
}
