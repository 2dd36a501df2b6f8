/* lower_alerts.c - a service's checked `alerts { ... }` into the
 * model's tunings (check_alerts.c made the map). */
#include <string.h>

#include "model.h"
#include "typed.h"

/* Where the alert is named: the block's kind word or the entry's name. */
static struct model_origin name_origin(const struct ast_node *n)
{
	struct model_origin o = { n->src, n->span };
	if (n->kind == AST_BLOCK)
		o.span = n->u.block.kind_span;
	else if (n->kind == AST_ATTR)
		o.span = n->u.attr.name_span;
	return o;
}

static void lower_setting(struct model_alert_tuning *t, const struct tval *v)
{
	if (!strcmp(v->key, "threshold")) {
		t->has_threshold = true;
		t->threshold = v->type == TY_PERCENT ? v->u.d : (double)v->u.i;
	} else if (!strcmp(v->key, "for")) {
		t->for_ms = v->u.i;
	} else if (!strcmp(v->key, "severity")) {
		t->severity = v->u.s;
	}
}

struct model_alert_tuning *lower_alert_tunings(struct program *p, const struct tval *alerts)
{
	struct model_alert_tuning *head = NULL, **tail = &head;
	for (const struct tval *v = alerts ? alerts->u.items : NULL; v; v = v->next) {
		struct model_alert_tuning *t = arena_calloc(p->arena, 1, sizeof *t);
		t->alert = v->key;
		t->off = v->type == TY_BOOL;
		t->origin = name_origin(v->node);
		for (const struct tval *s = v->type == TY_MAP ? v->u.items : NULL; s; s = s->next)
			lower_setting(t, s);
		*tail = t;
		tail = &t->next;
	}
	return head;
}
