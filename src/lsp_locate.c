/* lsp_locate.c - the syntax tree in context: walking it, finding the
 * token under the cursor, and saying what a name stands for.
 *
 * The walk hands each node its context: whether it is a top-level item,
 * a block of an environment overlay, an entry of a body (and of which
 * schema kind, or which map field), a template parameter, a call
 * argument or part of a value (and for which field), and the enclosing
 * template, block and attribute.  Hover, completion, navigation and
 * semantic tokens all read the tree through this one walk, so they agree
 * on what every name is.  The walk recurses at most as deep as the tree,
 * which the parser bounds (PARSE_MAX_DEPTH).
 *
 * Names resolve as the compiler resolves them (resolve.c, check_eval.c,
 * template.c): a bare name in a value is a template parameter inside a
 * template that has one of that name, else the declaration of that name,
 * else, for the words app, pipeline, cloud and monitor, the one
 * declaration of that kind; in a field whose type is a list of words it
 * is a word.  A template is the file's own `NAME` or the module's
 * `MODULE.NAME`, `MODULE` standing for `MODULE.MODULE`. */
#include "lsp.h"

#include <string.h>

/* ---- the walk ------------------------------------------------------- */

struct walker {
	lsp_visit_fn *fn;
	void *data;
};

static void walk_node(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx);

static void walk_list(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	for (; n; n = n->next)
		walk_node(w, n, ctx);
}

/* The field a nested block named `kind` stands for, in a body of `k`. */
static const struct field *block_field(const struct lsp_ctx *ctx, const char *kind)
{
	return ctx->where == CTX_BODY && ctx->kind ? schema_field(ctx->kind, kind) : NULL;
}

struct lsp_ctx lsp_body_ctx(const struct ast_node *b, const struct lsp_ctx *ctx)
{
	struct lsp_ctx in = { .where = CTX_BODY, .template = ctx->template, .block = b };
	if (b->kind == AST_TEMPLATE) {
		in.template = b;
		in.kind = schema_top_kind(b->u.template.kind);
		return in;
	}
	const char *kind = b->u.block.kind;
	if (ctx->where == CTX_TOP && !strcmp(kind, "env")) {
		in.where = CTX_OVERLAY;
		return in;
	}
	if (ctx->where == CTX_TOP || ctx->where == CTX_OVERLAY) {
		in.kind = schema_top_kind(kind);
		return in;
	}
	const struct field *f = block_field(ctx, kind);
	if (f && f->type == TY_BLOCK)
		in.kind = schema_kind(f->arg);
	else if (f && f->type == TY_MAP)
		in.map = f;
	return in;
}

static void walk_block(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (n->u.block.base) {
		struct lsp_ctx base = { .where = CTX_VALUE, .template = ctx->template,
					.block = n, .callee = true, .base = true };
		walk_node(w, n->u.block.base, &base);
	}
	struct lsp_ctx body = lsp_body_ctx(n, ctx);
	walk_list(w, n->u.block.body, &body);
}

static void walk_template(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	struct lsp_ctx params = { .where = CTX_PARAMS, .template = n };
	walk_list(w, n->u.template.params, &params);
	struct lsp_ctx body = lsp_body_ctx(n, ctx);
	walk_list(w, n->u.template.body, &body);
}

/* The field an attribute sets, in the context it stands in. */
static const struct field *attr_field(const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (ctx->where == CTX_BODY)
		return ctx->map ? ctx->map : ctx->kind ? schema_field(ctx->kind, n->u.attr.name) : NULL;
	if (ctx->where == CTX_VALUE)
		return ctx->field; /* a map value's entries */
	return NULL;
}

static void walk_attr(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	struct lsp_ctx v = { .where = CTX_VALUE, .template = ctx->template, .block = ctx->block,
			     .attr = n, .field = attr_field(n, ctx) };
	if (ctx->where == CTX_ARGS)
		v.call = ctx->call;
	if (n->u.attr.value)
		walk_node(w, n->u.attr.value, &v);
}

static void walk_call(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	struct lsp_ctx callee = *ctx;
	callee.callee = true;
	callee.object = false;
	callee.call = n;
	walk_node(w, n->u.call.callee, &callee);
	struct lsp_ctx args = *ctx; /* `base` stays: these are a template's */
	args.where = CTX_ARGS;
	args.call = n;
	args.callee = args.object = false;
	walk_list(w, n->u.call.args, &args);
}

static void walk_children(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	struct lsp_ctx in = *ctx;
	in.object = in.callee = false;
	if (ctx->where == CTX_ARGS)
		in.where = CTX_VALUE;
	switch (n->kind) {
	case AST_FILE: walk_list(w, n->u.file.items, ctx); break;
	case AST_TEMPLATE: walk_template(w, n, ctx); break;
	case AST_BLOCK: walk_block(w, n, ctx); break;
	case AST_ATTR: walk_attr(w, n, ctx); break;
	case AST_CALL:
		in.base = ctx->base && ctx->callee; /* only the block's own call */
		walk_call(w, n, &in);
		break;
	case AST_MEMBER:
		in.object = true;
		in.callee = ctx->callee;
		walk_node(w, n->u.member.object, &in);
		break;
	case AST_STRING: walk_list(w, n->u.string.parts, &in); break;
	case AST_LIST: case AST_MAP: walk_list(w, n->u.list.items, &in); break;
	case AST_RANGE:
		walk_node(w, n->u.range.lo, &in);
		walk_node(w, n->u.range.hi, &in);
		break;
	default: break;
	}
}

static void walk_node(struct walker *w, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (n && w->fn(n, ctx, w->data))
		walk_children(w, n, ctx);
}

void lsp_walk(const struct ast_node *file, lsp_visit_fn *fn, void *data)
{
	struct walker w = { fn, data };
	struct lsp_ctx top = { .where = CTX_TOP };
	walk_node(&w, file, &top);
}

/* ---- the token under the cursor -------------------------------------- */

struct finder {
	uint32_t at;
	struct lsp_hit *hit;
	bool exact; /* the hit contains `at`, not merely ends there */
};

static void consider(struct finder *f, const struct ast_node *n, const struct lsp_ctx *ctx,
		     enum lsp_part part, struct span sp)
{
	bool inside = sp.start <= f->at && f->at < sp.end;
	bool touching = sp.end == f->at && sp.end > sp.start;
	if (!inside && !(touching && !f->exact))
		return;
	f->exact = inside;
	*f->hit = (struct lsp_hit){ .node = n, .part = part, .span = sp, .ctx = *ctx };
}

static void consider_parts(struct finder *f, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	switch (n->kind) {
	case AST_BLOCK:
		consider(f, n, ctx, PART_KIND, n->u.block.kind_span);
		if (n->u.block.label)
			consider(f, n, ctx, PART_LABEL, n->u.block.label_span);
		break;
	case AST_TEMPLATE:
		consider(f, n, ctx, PART_KIND, n->u.template.kind_span);
		consider(f, n, ctx, PART_NAME, n->u.template.name_span);
		break;
	case AST_IMPORT:
		consider(f, n, ctx, PART_PATH, n->u.import.path_span);
		if (n->u.import.alias)
			consider(f, n, ctx, PART_ALIAS, n->u.import.alias_span);
		break;
	case AST_ATTR: consider(f, n, ctx, PART_NAME, n->u.attr.name_span); break;
	case AST_UNSET: /* each segment of its path is a name of its own */
		for (const struct ast_node *seg = n->u.unset.path; seg; seg = seg->next)
			consider(f, n, ctx, PART_NAME, seg->span);
		break;
	case AST_MEMBER: consider(f, n, ctx, PART_NAME, n->u.member.name_span); break;
	case AST_IDENT: case AST_INT: case AST_FLOAT: case AST_UNIT: case AST_BOOL:
	case AST_RANGE: /* its bounds, visited next, take their own spans */
		consider(f, n, ctx, PART_WHOLE, n->span);
		break;
	case AST_STRING: /* a plain one-line string may be a name: its text */
		if (!n->u.string.multiline && n->span.end - n->span.start >= 2 &&
		    (!n->u.string.parts || (n->u.string.parts->kind == AST_TEXT &&
					    !n->u.string.parts->next)))
			consider(f, n, ctx, PART_WHOLE, span_make(n->span.start + 1, n->span.end - 1));
		else /* its text, around interpolations that take their own spans */
			consider(f, n, ctx, PART_WHOLE, n->span);
		break;
	default: break;
	}
}

static bool find_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct finder *f = data;
	if (n->span.start > f->at || n->span.end < f->at)
		return false;
	consider_parts(f, n, ctx);
	return true;
}

void lsp_locate(const struct ast_node *file, uint32_t offset, struct lsp_hit *hit)
{
	memset(hit, 0, sizeof *hit);
	struct finder f = { .at = offset, .hit = hit };
	lsp_walk(file, find_visit, &f);
}

struct scope_finder {
	uint32_t at;
	struct lsp_ctx ctx;
	const struct ast_node *block;
};

/* The innermost body whose braces hold `at`. */
static bool scope_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct scope_finder *f = data;
	if (n->span.start > f->at || n->span.end < f->at)
		return false;
	struct span body = n->kind == AST_BLOCK ? n->u.block.body_span : n->span;
	bool braces = n->kind == AST_BLOCK ? body.end > body.start : n->kind == AST_TEMPLATE;
	if (braces && body.start < f->at && f->at < body.end &&
	    (n->kind == AST_BLOCK || f->at > n->u.template.name_span.end)) {
		f->ctx = lsp_body_ctx(n, ctx);
		f->block = n;
	}
	return true;
}

struct lsp_ctx lsp_scope_at(const struct ast_node *file, uint32_t offset,
			    const struct ast_node **block)
{
	struct scope_finder f = { .at = offset, .ctx = { .where = CTX_TOP } };
	lsp_walk(file, scope_visit, &f);
	if (block)
		*block = f.block;
	return f.ctx;
}

/* ---- names -------------------------------------------------------- */

static const struct template_def *lookup(const struct program *p, const char *module,
					 const char *name)
{
	for (const struct template_def *t = p ? p->templates : NULL; t; t = t->next) {
		bool same = module ? t->module && !strcmp(t->module, module) : !t->module;
		if (same && !strcmp(t->node->u.template.name, name))
			return t;
	}
	return NULL;
}

const struct template_def *lsp_find_template(const struct program *p,
					     const struct ast_node *callee)
{
	if (callee && callee->kind == AST_CALL)
		callee = callee->u.call.callee;
	if (!callee)
		return NULL;
	if (callee->kind == AST_IDENT) {
		const struct template_def *t = lookup(p, NULL, callee->u.ident.name);
		return t ? t : lookup(p, callee->u.ident.name, callee->u.ident.name);
	}
	if (callee->kind == AST_MEMBER && callee->u.member.object->kind == AST_IDENT)
		return lookup(p, callee->u.member.object->u.ident.name, callee->u.member.name);
	return NULL;
}

const struct template_def **lsp_templates(const struct program *p, size_t *n)
{
	*n = 0;
	for (const struct template_def *t = p ? p->templates : NULL; t; t = t->next)
		(*n)++;
	const struct template_def **list = xmalloc((*n ? *n : 1) * sizeof *list);
	size_t i = *n;
	for (const struct template_def *t = p ? p->templates : NULL; t; t = t->next)
		list[--i] = t;
	return list;
}

const char *lsp_template_name(struct arena *a, const struct template_def *t)
{
	const char *name = t->node->u.template.name;
	if (!t->module || !strcmp(t->module, name))
		return name;
	return arena_printf(a, "%s.%s", t->module, name);
}

const struct ast_node *lsp_template_param(const struct ast_node *tmpl, const char *name)
{
	if (!tmpl || tmpl->kind != AST_TEMPLATE)
		return NULL;
	for (const struct ast_node *p = tmpl->u.template.params; p; p = p->next)
		if (!strcmp(p->u.attr.name, name))
			return p;
	return NULL;
}

/* The family of constructors the value of `f` is made of, or NULL. */
static const char *call_family(const struct field *f)
{
	if (f && (f->type == TY_CALL || (f->type == TY_LIST && f->elem == TY_CALL)))
		return f->arg;
	return NULL;
}

const struct ctor *lsp_find_ctor(const struct ast_node *call, const struct lsp_ctx *ctx)
{
	const struct ast_node *callee = call->u.call.callee;
	if (callee->kind != AST_IDENT)
		return NULL;
	const char *family = call_family(ctx->field);
	if (family)
		return schema_ctor(family, callee->u.ident.name);
	for (size_t i = 0; i < schema_ctor_count(); i++) /* in a template or an argument */
		if (!strcmp(schema_ctor_at(i)->name, callee->u.ident.name))
			return schema_ctor_at(i);
	return NULL;
}

/* ---- names written elsewhere than in a declaration's header --------- */

static bool is_volume_field(const struct field *f)
{
	return f && f == schema_field(schema_kind("service"), "volume");
}

/* Does the template's body set the service's volume to parameter `name`? */
static bool param_is_volume(const struct ast_node *tmpl, const char *name)
{
	for (const struct ast_node *e = tmpl->u.template.body; e; e = e->next)
		if (e->kind == AST_ATTR && !strcmp(e->u.attr.name, "volume") && e->u.attr.value &&
		    e->u.attr.value->kind == AST_IDENT && !strcmp(e->u.attr.value->u.ident.name, name))
			return true;
	return false;
}

bool lsp_volume_string(const struct program *p, const struct ast_node *n,
		       const struct lsp_ctx *ctx, const char **name, struct span *sp)
{
	if (n->kind != AST_STRING || n->u.string.multiline || ctx->where != CTX_VALUE ||
	    !ctx->attr || ctx->attr->u.attr.value != n)
		return false;
	const struct ast_node *part = n->u.string.parts;
	if (part && (part->kind != AST_TEXT || part->next))
		return false;
	bool volume = is_volume_field(ctx->field);
	if (!volume && ctx->call && ctx->block && ctx->block->kind == AST_BLOCK &&
	    ctx->block->u.block.base == ctx->call) {
		const struct template_def *t = lsp_find_template(p, ctx->call);
		volume = t && !strcmp(t->node->u.template.kind, "service") &&
			 param_is_volume(t->node, ctx->attr->u.attr.name);
	}
	if (!volume)
		return false;
	*name = part ? part->u.text.text : "";
	*sp = span_make(n->span.start + 1, n->span.end - 1);
	return true;
}

bool lsp_is_alert(const struct ast_node *n, const struct lsp_ctx *ctx)
{
	return n->kind == AST_BLOCK && n->u.block.label && !strcmp(n->u.block.kind, "alert") &&
	       ctx->where == CTX_BODY && ctx->kind && !strcmp(ctx->kind->name, "monitor");
}

struct alert_finder {
	const char *name;
	const struct ast_node *first;
};

static bool alert_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct alert_finder *f = data;
	if (!f->first && lsp_is_alert(n, ctx) && !strcmp(n->u.block.label, f->name))
		f->first = n;
	return !f->first;
}

const struct ast_node *lsp_alert_def(const struct ast_node *file, const char *name)
{
	struct alert_finder f = { .name = name };
	for (const struct ast_node *n = file ? file->u.file.items : NULL; n; n = n->next) {
		if (n->kind != AST_BLOCK || strcmp(n->u.block.kind, "monitor"))
			continue;
		for (const struct ast_node *e = n->u.block.body; e; e = e->next)
			if (e->kind == AST_BLOCK && !strcmp(e->u.block.kind, "alert") &&
			    e->u.block.label && !strcmp(e->u.block.label, name))
				return e;
	}
	if (file)
		lsp_walk(file, alert_visit, &f); /* one only an overlay adds */
	return f.first;
}

struct span lsp_decl_span(const struct decl *d)
{
	const struct ast_node *b = d->block;
	return b->u.block.label ? b->u.block.label_span : b->u.block.kind_span;
}

static bool is_word_field(const struct field *f)
{
	return f && (f->type == TY_ENUM || (f->type == TY_LIST && f->elem == TY_ENUM));
}

static struct decl *find_decl(const struct program *p, const char *name, bool *by_kind)
{
	*by_kind = false;
	struct decl *d = p ? program_find(p, name) : NULL;
	const struct kind *k = schema_top_kind(name);
	if (!d && k && k->unique && p) {
		d = program_find_kind(p, name);
		*by_kind = d != NULL;
	}
	return d;
}

void lsp_resolve_ident(const struct program *p, const struct ast_node *id,
		       const struct lsp_ctx *ctx, struct lsp_sym *out)
{
	memset(out, 0, sizeof *out);
	const char *name = id->u.ident.name;
	const struct ast_node *param = lsp_template_param(ctx->template, name);
	if (param && ctx->where != CTX_PARAMS) {
		*out = (struct lsp_sym){ .kind = SYM_PARAM, .tnode = ctx->template, .param = param };
		return;
	}
	if (is_word_field(ctx->field) && schema_enum_has(ctx->field->arg, name)) {
		*out = (struct lsp_sym){ .kind = SYM_WORD, .field = ctx->field, .word = name };
		return;
	}
	out->decl = find_decl(p, name, &out->by_kind);
	if (out->decl)
		out->kind = SYM_DECL;
}

static struct decl *decl_of_block(const struct program *p, const struct ast_node *b)
{
	for (struct decl *d = p ? p->decls : NULL; d; d = d->next)
		if (d->block == b)
			return d;
	return NULL;
}

static const struct template_def *template_of_node(const struct program *p,
						   const struct ast_node *n)
{
	for (const struct template_def *t = p ? p->templates : NULL; t; t = t->next)
		if (t->node == n)
			return t;
	return NULL;
}

static const struct module *module_of_import(const struct program *p, const struct ast_node *n)
{
	for (const struct module *m = p ? p->modules : NULL; m; m = m->next)
		if (!strcmp(m->path, n->u.import.path))
			return m;
	return NULL;
}

static const struct module *module_named(const struct program *p, const char *name)
{
	for (const struct module *m = p ? p->modules : NULL; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

/* `service web` in an overlay names the declaration web, if a service. */
static struct decl *overlay_target(const struct program *p, const struct ast_node *b)
{
	bool by_kind;
	struct decl *d = find_decl(p, b->u.block.label, &by_kind);
	return d && !strcmp(d->kind->name, b->u.block.kind) ? d : NULL;
}

static void resolve_block(const struct program *p, const struct lsp_hit *h, struct lsp_sym *out,
			  const struct ast_node *file)
{
	const struct ast_node *n = h->node;
	if (h->part == PART_LABEL && lsp_is_alert(n, &h->ctx)) {
		out->word = n->u.block.label;
		out->node = file ? lsp_alert_def(file, out->word) : n;
		out->kind = SYM_ALERT;
	} else if (h->part == PART_KIND && h->ctx.where == CTX_BODY) {
		out->field = block_field(&h->ctx, n->u.block.kind);
		out->k = h->ctx.kind;
		out->kind = out->field ? SYM_FIELD : SYM_NONE;
	} else if (h->part == PART_KIND) {
		out->k = schema_top_kind(n->u.block.kind);
		out->kind = out->k ? SYM_KIND : SYM_NONE;
	} else if (h->ctx.where == CTX_TOP || h->ctx.where == CTX_OVERLAY) {
		out->decl = h->ctx.where == CTX_TOP ? decl_of_block(p, n) : overlay_target(p, n);
		out->kind = out->decl ? SYM_DECL : SYM_NONE;
	}
}

/* NAME = value as a named argument: a template's or a constructor's. */
static void resolve_argument(const struct program *p, const struct lsp_hit *h,
			     struct lsp_sym *out)
{
	const char *name = h->node->u.attr.name;
	if (h->ctx.base) {
		const struct template_def *t = lsp_find_template(p, h->ctx.call);
		out->param = t ? lsp_template_param(t->node, name) : NULL;
		out->tnode = t ? t->node : NULL;
		out->kind = out->param ? SYM_PARAM : SYM_NONE;
		return;
	}
	out->ctor = lsp_find_ctor(h->ctx.call, &h->ctx);
	for (size_t i = 0; out->ctor && i < out->ctor->param_count; i++)
		if (!strcmp(out->ctor->params[i].name, name))
			out->field = &out->ctor->params[i];
	out->kind = out->field ? SYM_FIELD : SYM_NONE;
}

static void resolve_attr(const struct program *p, const struct lsp_hit *h, struct lsp_sym *out)
{
	const struct lsp_ctx *ctx = &h->ctx;
	if (ctx->where == CTX_BODY && ctx->kind && !ctx->map) {
		out->k = ctx->kind;
		out->field = schema_field(ctx->kind, h->node->u.attr.name);
		out->kind = out->field ? SYM_FIELD : SYM_NONE;
	} else if (ctx->where == CTX_PARAMS) {
		*out = (struct lsp_sym){ .kind = SYM_PARAM, .tnode = ctx->template, .param = h->node };
	} else if (ctx->where == CTX_ARGS) {
		resolve_argument(p, h, out);
	}
}

/* X.y: the member y of declaration X (or a module's template). */
static void resolve_member(const struct program *p, const struct lsp_hit *h, struct lsp_sym *out)
{
	const struct ast_node *n = h->node, *obj = n->u.member.object;
	if (h->ctx.callee && h->ctx.base) {
		out->tmpl = lsp_find_template(p, n);
		out->kind = out->tmpl ? SYM_TEMPLATE : SYM_NONE;
		return;
	}
	if (obj->kind != AST_IDENT)
		return;
	out->decl = find_decl(p, obj->u.ident.name, &out->by_kind);
	if (!out->decl)
		return;
	const char *m = n->u.member.name;
	out->member = m;
	out->k = out->decl->kind;
	out->field = schema_field(out->decl->kind, m);
	bool special = !strcmp(m, "name") || (!strcmp(m, "host") && !strcmp(out->k->name, "service"));
	out->kind = special ? SYM_MEMBER : out->field ? SYM_FIELD : SYM_NONE;
}

static void resolve_callee(const struct program *p, const struct lsp_hit *h, struct lsp_sym *out)
{
	const struct ast_node *n = h->node;
	if (h->ctx.base && h->ctx.object) {
		out->module = module_named(p, n->u.ident.name);
		out->kind = out->module ? SYM_MODULE : SYM_NONE;
	} else if (h->ctx.base) {
		out->tmpl = lsp_find_template(p, n);
		out->kind = out->tmpl ? SYM_TEMPLATE : SYM_NONE;
	} else if (h->ctx.call) {
		out->ctor = lsp_find_ctor(h->ctx.call, &h->ctx);
		out->kind = out->ctor ? SYM_CTOR : SYM_NONE;
	}
}

/* "db-data" as a service's volume: the volume declared so, if any. */
static void resolve_string(const struct program *p, const struct lsp_hit *h, struct lsp_sym *out)
{
	const char *name;
	struct span sp;
	if (!lsp_volume_string(p, h->node, &h->ctx, &name, &sp))
		return;
	struct decl *d = p ? program_find(p, name) : NULL;
	out->word = name;
	if (d && !strcmp(d->kind->name, "volume")) {
		out->decl = d;
		out->kind = SYM_DECL;
	} else {
		out->kind = SYM_VOLUME;
	}
}

void lsp_resolve(const struct program *p, const struct lsp_hit *h, struct lsp_sym *out)
{
	memset(out, 0, sizeof *out);
	const struct ast_node *n = h->node;
	if (!n)
		return;
	switch (n->kind) {
	case AST_BLOCK: resolve_block(p, h, out, p ? p->root : NULL); break;
	case AST_STRING: resolve_string(p, h, out); break;
	case AST_TEMPLATE:
		out->k = h->part == PART_KIND ? schema_top_kind(n->u.template.kind) : NULL;
		out->tmpl = h->part == PART_NAME ? template_of_node(p, n) : NULL;
		out->kind = out->k ? SYM_KIND : out->tmpl ? SYM_TEMPLATE : SYM_NONE;
		break;
	case AST_IMPORT:
		out->module = module_of_import(p, n);
		out->kind = out->module ? SYM_MODULE : SYM_NONE;
		break;
	case AST_ATTR: resolve_attr(p, h, out); break;
	case AST_MEMBER: resolve_member(p, h, out); break;
	case AST_IDENT:
		if (h->ctx.callee)
			resolve_callee(p, h, out);
		else
			lsp_resolve_ident(p, n, &h->ctx, out);
		break;
	default: break;
	}
}

static bool name_char(char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A letter or '_', then letters, digits, '_', and '-' between two of them. */
bool lsp_valid_name(const char *s)
{
	static const char *const reserved[] = { "import", "template", "as", "true", "false" };
	if (!name_char(s[0]) || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 1; s[i]; i++)
		if (!name_char(s[i]) && !(s[i] == '-' && name_char(s[i + 1])))
			return false;
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (!strcmp(s, reserved[i]))
			return false;
	return true;
}
