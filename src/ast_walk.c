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

static struct span moved(struct span s, int64_t delta)
{
	return span_make((uint32_t)(s.start + delta), (uint32_t)(s.end + delta));
}

/* Every span a node holds besides its own. */
static void shift_names(struct ast_node *n, int64_t delta)
{
	switch (n->kind) {
	case AST_IMPORT:
		n->u.import.path_span = moved(n->u.import.path_span, delta);
		if (n->u.import.alias) /* else the span is empty, at 0 */
			n->u.import.alias_span = moved(n->u.import.alias_span, delta);
		break;
	case AST_TEMPLATE:
		n->u.template.kind_span = moved(n->u.template.kind_span, delta);
		n->u.template.name_span = moved(n->u.template.name_span, delta);
		break;
	case AST_BLOCK:
		n->u.block.kind_span = moved(n->u.block.kind_span, delta);
		if (n->u.block.label)
			n->u.block.label_span = moved(n->u.block.label_span, delta);
		n->u.block.body_span = moved(n->u.block.body_span, delta);
		break;
	case AST_ATTR: n->u.attr.name_span = moved(n->u.attr.name_span, delta); break;
	case AST_MEMBER: n->u.member.name_span = moved(n->u.member.name_span, delta); break;
	default: break;
	}
}

static void shift_list(struct ast_node **slot, void *ctx)
{
	for (struct ast_node *n = *slot; n; n = n->next)
		ast_shift(n, *(const int64_t *)ctx);
}

void ast_shift(struct ast_node *n, int64_t delta)
{
	if (!delta)
		return;
	n->span = moved(n->span, delta);
	shift_names(n, delta);
	each_child(n, shift_list, &delta);
}
