/* lower_composed.c - composed secret values into the model.
 *
 * The checker left each composed value of a `secrets` map as a chain of
 * text and secret pieces (check_composed.c); the model keeps the same
 * chain with secrets resolved to their model objects.  A string that is
 * one secret and nothing else ("${db_password}") is that secret, read as
 * any other (lower.c), and is not composed. */
#include "model.h"

#include "typed.h"

static struct model_composed *one(struct program *p, const struct tval *v)
{
	struct model_composed *c = arena_calloc(p->arena, 1, sizeof *c);
	c->env = v->key;
	c->origin = lower_origin(v->node);
	struct model_composed_part **tail = &c->parts;
	for (const struct tval *q = v->u.items; q; q = q->next) {
		struct model_composed_part *part = arena_calloc(p->arena, 1, sizeof *part);
		if (q->type == TY_REF) {
			part->secret = q->u.ref->model;
			c->secret_parts++;
		} else {
			part->text = q->u.s;
		}
		*tail = part;
		tail = &part->next;
	}
	return c;
}

struct model_composed *lower_composed(struct program *p, const struct tval *map)
{
	struct model_composed *head = NULL, **tail = &head;
	for (const struct tval *v = map ? map->u.items : NULL; v; v = v->next) {
		if (v->type != TY_LIST || (!v->u.items->next && v->u.items->type == TY_REF))
			continue;
		*tail = one(p, v);
		tail = &(*tail)->next;
	}
	return head;
}
