/* ast_walk.c - whole-tree operations: stamping the source, deep copy.
 *
 * Both recurse through every child; depth is bounded by PARSE_MAX_DEPTH
 * because the parser refuses anything deeper. */
#include "ast.h"

typedef void (*child_fn)(struct ast_node **slot, void *ctx);

/* Calls fn on the slot of every direct child (list heads included; the
 * rest of a list is reached through each element's `next`). */
static void each_child(struct ast_node *n, child_fn fn, void *ctx)
{
	switch (n->kind) {
	case AST_FILE: fn(&n->u.file.items, ctx); break;
	case AST_TEMPLATE:
		fn(&n->u.template.params, ctx);
		fn(&n->u.template.body, ctx);
		break;
	case AST_BLOCK:
		fn(&n->u.block.base, ctx);
		fn(&n->u.block.body, ctx);
		break;
	case AST_ATTR: fn(&n->u.attr.value, ctx); break;
	case AST_MEMBER: fn(&n->u.member.object, ctx); break;
	case AST_CALL:
		fn(&n->u.call.callee, ctx);
		fn(&n->u.call.args, ctx);
		break;
	case AST_STRING: fn(&n->u.string.parts, ctx); break;
	case AST_LIST: case AST_MAP: fn(&n->u.list.items, ctx); break;
	case AST_RANGE:
		fn(&n->u.range.lo, ctx);
		fn(&n->u.range.hi, ctx);
		break;
	case AST_UNSET:
		fn(&n->u.unset.path, ctx);
		fn(&n->u.unset.value, ctx);
		break;
	default: break;
	}
}

static void stamp(struct ast_node **slot, void *ctx)
{
	for (struct ast_node *n = *slot; n; n = n->next)
		ast_set_source(n, ctx);
}

void ast_set_source(struct ast_node *n, const struct source *src)
{
	n->src = src;
	each_child(n, stamp, (void *)src);
}

static void copy_list(struct ast_node **slot, void *ctx)
{
	struct ast_list out = { 0 };
	for (const struct ast_node *n = *slot; n; n = n->next)
		ast_list_append(&out, ast_copy(ctx, n));
	*slot = out.head;
}

struct ast_node *ast_copy(struct arena *a, const struct ast_node *n)
{
	if (!n)
		return NULL;
	struct ast_node *c = ast_clone(a, n);
	each_child(c, copy_list, a);
	return c;
}
