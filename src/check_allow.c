/* check_allow.c - `allow { CODE = "reason" }`, checked with the other
 * fields of a declaration.
 *
 * Each key must be a policy rule that can be broken by this kind of
 * declaration (E0416) and each reason must say something (E0417).  The
 * rule table is the policy's (policy.h); the checker reads it, the
 * policy never reads the checker.  Whether an allow matches a breach is
 * known only after the policy ran: that is W0050, in policy.c. */
#include <string.h>
#include <strings.h>

#include "policy.h"
#include "typed.h"

static const char *kind_plural(const char *kind)
{
	return !strcmp(kind, "app") ? "the app" : !strcmp(kind, "pipeline") ? "the pipeline"
		: !strcmp(kind, "cloud") ? "the cloud" : !strcmp(kind, "monitor") ? "monitor"
		: !strcmp(kind, "service") ? "services" : !strcmp(kind, "secret") ? "secrets"
		: !strcmp(kind, "external") ? "externals" : "volumes";
}

/* "service|secret" -> "services or secrets" */
static const char *kinds_text(struct arena *a, const char *kinds)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const char *k = kinds; *k;) {
		size_t n = strcspn(k, "|");
		char one[32];
		snprintf(one, sizeof one, "%.*s", (int)(n < 31 ? n : 31), k);
		if (k != kinds)
			strbuf_puts(&b, " or ");
		strbuf_puts(&b, kind_plural(one));
		k += n + (k[n] == '|');
	}
	return strbuf_finish(&b, a);
}

/* The AST entries of an `allow` map, written as a block or a map value. */
static const struct ast_node *allow_entries(const struct tval *map)
{
	const struct ast_node *e = map->node;
	return e->kind == AST_BLOCK ? e->u.block.body : e->u.attr.value->u.list.items;
}

static void check_allow_key(struct program *p, const struct tblock *tb,
			    const struct ast_node *entry)
{
	const char *code = entry->u.attr.name;
	const struct policy_rule *r = policy_rule_named(code);
	if (r && r->kinds && schema_enum_has(r->kinds, tb->kind->name))
		return;
	struct diag *d;
	if (r && !r->kinds) {
		d = diag_emit(p->diags, DIAG_E0416, entry->src, entry->u.attr.name_span,
			      "%s (%s) cannot be allowed", r->id, r->title);
		diag_add_note(p->diags, d, "%s", r->construction);
		return;
	}
	if (!r) {
		d = diag_emit(p->diags, DIAG_E0416, entry->src, entry->u.attr.name_span,
			      "'%s' is not a policy rule", code);
		diag_add_help(p->diags, d, "allow takes the code of a policy rule; "
			      "`depc check --policy` lists them");
		return;
	}
	d = diag_emit(p->diags, DIAG_E0416, entry->src, entry->u.attr.name_span,
		      "%s (%s) is not a rule about %s", r->id, r->title, kind_plural(tb->kind->name));
	diag_add_help(p->diags, d, "%s is checked on %s only: allow it there",
		      r->id, kinds_text(p->arena, r->kinds));
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

void check_allow(struct program *p, const struct tblock *tb)
{
	const struct tval *map = tblock_get(tb, "allow");
	if (!map)
		return;
	for (const struct ast_node *e = allow_entries(map); e; e = e->next)
		if (e->kind == AST_ATTR)
			check_allow_key(p, tb, e);
	for (const struct tval *v = map->u.items; v; v = v->next) {
		if (!blank(v->u.s))
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_E0417, v->node->src, v->node->span,
					   "allow %s has no reason", v->key);
		diag_add_help(p->diags, d, "say why this declaration needs the exception: "
			      "%s = \"...\"; the reason is printed with every warning", v->key);
	}
}
