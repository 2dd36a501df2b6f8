/* lsp_nav.c - definition, references, rename, document and workspace
 * symbols.
 *
 * Four things have a name that is used elsewhere: declarations (`db`,
 * used as `uses = [db]`, `${db.host}`, `ecs(service = db)`, and in an
 * overlay's `service db { }`; a volume also as the string a service's
 * `volume = "db-data"` holds, or a template argument that becomes it),
 * templates (`worker`, used as `service x = worker(...)`), template
 * parameters (used in the body, and as named arguments of calls) and
 * alert rules (`alert high_latency { }` in the monitor, and again in an
 * overlay's monitor).  lsp_locate.c says what each name in
 * the tree stands for; this file collects the places that stand for the
 * same thing.  `app.domain` names the app by its kind, not its name, so
 * renaming the app leaves it alone.  Renaming is offered for what is
 * declared in the document itself; the new name must be a name the thing
 * renamed may have (a service's or a volume's is a DNS label, an alert's
 * a Prometheus rule name) and must not be taken.  Edits come sorted by position, one per place. */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validate.h"

/* What a set of references refers to. */
struct target {
	enum lsp_sym_kind kind;               /* SYM_DECL, SYM_TEMPLATE, SYM_PARAM */
	const struct decl *decl;
	const struct template_def *tmpl;
	const struct ast_node *tnode;         /* the template of a parameter */
	const char *param;                    /* the parameter's name */
	const char *alert;                    /* an alert rule's name */
	const struct ast_node *node;          /* and its first block */
};

struct spans {
	struct span *at;
	size_t n, cap;
};

static void add_span(struct spans *s, struct span sp)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->at = xrealloc(s->at, s->cap * sizeof *s->at);
	}
	s->at[s->n++] = sp;
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void sort_spans(struct spans *s)
{
	if (s->n)
		qsort(s->at, s->n, sizeof *s->at, by_start);
	size_t out = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!out || s->at[i].start != s->at[out - 1].start)
			s->at[out++] = s->at[i];
	s->n = out;
}

/* ---- what the cursor is on -------------------------------------------- */

static bool target_of(const struct lsp_sym *sym, struct target *t)
{
	*t = (struct target){ .kind = sym->kind };
	switch (sym->kind) {
	case SYM_DECL: t->decl = sym->decl; return !sym->by_kind;
	case SYM_TEMPLATE: t->tmpl = sym->tmpl; return true;
	case SYM_PARAM:
		t->tnode = sym->tnode;
		t->param = sym->param->u.attr.name;
		return sym->tnode != NULL;
	case SYM_ALERT:
		t->alert = sym->word;
		t->node = sym->node;
		return true;
	default: return false;
	}
}

/* The document's analysis and the symbol under params.position. */
static struct lsp_doc *symbol_at(struct lsp_request *rq, struct lsp_hit *hit, struct lsp_sym *sym)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	uint32_t at;
	if (!d || !lsp_param_offset(rq, d, "position", &at))
		return NULL;
	lsp_locate(d->comp->ast, at, hit);
	lsp_resolve(d->comp->program, hit, sym);
	return d;
}

/* ---- collecting references ------------------------------------------ */

struct collect {
	const struct program *p;
	const struct target *t;
	struct spans *out;
	bool declaration; /* include the place it is declared */
};

static bool same_template(const struct collect *c, const struct ast_node *callee)
{
	return lsp_find_template(c->p, callee) == c->t->tmpl;
}

static void collect_ident(struct collect *c, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (ctx->callee) {
		if (c->t->kind == SYM_TEMPLATE && ctx->base && !ctx->object && same_template(c, n))
			add_span(c->out, n->span);
		return;
	}
	struct lsp_sym s;
	lsp_resolve_ident(c->p, n, ctx, &s);
	if (c->t->kind == SYM_DECL && s.kind == SYM_DECL && s.decl == c->t->decl && !s.by_kind)
		add_span(c->out, n->span);
	if (c->t->kind == SYM_PARAM && s.kind == SYM_PARAM && s.tnode == c->t->tnode &&
	    !strcmp(s.param->u.attr.name, c->t->param))
		add_span(c->out, n->span);
}

/* `worker(image = ...)`: a named argument of a call of the template. */
static void collect_attr(struct collect *c, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (c->t->kind != SYM_PARAM || strcmp(n->u.attr.name, c->t->param))
		return;
	const struct template_def *t = NULL;
	if (ctx->where == CTX_ARGS && ctx->base)
		t = lsp_find_template(c->p, ctx->call);
	bool declared = ctx->where == CTX_PARAMS && ctx->template == c->t->tnode;
	if ((t && t->node == c->t->tnode) || (declared && c->declaration))
		add_span(c->out, n->u.attr.name_span);
}

static void collect_block(struct collect *c, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (c->t->kind == SYM_ALERT && lsp_is_alert(n, ctx) && !strcmp(n->u.block.label, c->t->alert) &&
	    (c->declaration || n != c->t->node))
		add_span(c->out, n->u.block.label_span);
	if (c->t->kind != SYM_DECL || !n->u.block.label)
		return;
	bool own = ctx->where == CTX_TOP && n == c->t->decl->block && c->declaration;
	bool overlay = ctx->where == CTX_OVERLAY && !strcmp(n->u.block.label, c->t->decl->name) &&
		       !strcmp(n->u.block.kind, c->t->decl->kind->name);
	if (own || overlay)
		add_span(c->out, n->u.block.label_span);
}

/* `volume = "db-data"`: the volume db-data, named in a string. */
static void collect_string(struct collect *c, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	const char *name;
	struct span sp;
	if (c->t->kind == SYM_DECL && !strcmp(c->t->decl->kind->name, "volume") &&
	    lsp_volume_string(c->p, n, ctx, &name, &sp) && !strcmp(name, c->t->decl->name))
		add_span(c->out, sp);
}

static bool collect_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct collect *c = data;
	switch (n->kind) {
	case AST_IDENT: collect_ident(c, n, ctx); break;
	case AST_MEMBER:
		if (ctx->callee && ctx->base && c->t->kind == SYM_TEMPLATE && same_template(c, n))
			add_span(c->out, n->u.member.name_span);
		break;
	case AST_ATTR: collect_attr(c, n, ctx); break;
	case AST_BLOCK: collect_block(c, n, ctx); break;
	case AST_STRING: collect_string(c, n, ctx); break;
	case AST_TEMPLATE:
		if (c->t->kind == SYM_TEMPLATE && n == c->t->tmpl->node && c->declaration)
			add_span(c->out, n->u.template.name_span);
		break;
	default: break;
	}
	return true;
}

static void collect(const struct lsp_doc *d, const struct target *t, bool declaration,
		    struct spans *out)
{
	struct collect c = { d->comp->program, t, out, declaration };
	lsp_walk(d->comp->ast, collect_visit, &c);
	sort_spans(out);
}

/* ---- definition and references ------------------------------------- */

/* The entry that sets `field` in a declaration's merged body. */
static const struct ast_node *setting(const struct decl *d, const char *field)
{
	const struct ast_node *found = NULL;
	for (const struct ast_node *e = d->body; e; e = e->next)
		if ((e->kind == AST_ATTR && !strcmp(e->u.attr.name, field)) ||
		    (e->kind == AST_BLOCK && !strcmp(e->u.block.kind, field)))
			found = e;
	return found;
}

static cJSON *definition_of(struct lsp_server *s, const struct lsp_doc *d, const struct lsp_sym *sym)
{
	const struct ast_node *e;
	switch (sym->kind) {
	case SYM_DECL: return lsp_location(s, d, sym->decl->block->src, lsp_decl_span(sym->decl));
	case SYM_TEMPLATE:
		return lsp_location(s, d, sym->tmpl->node->src, sym->tmpl->node->u.template.name_span);
	case SYM_PARAM:
		return sym->tnode ? lsp_location(s, d, sym->param->src, sym->param->u.attr.name_span) : NULL;
	case SYM_MODULE: return lsp_location(s, d, sym->module->src, span_make(0, 0));
	case SYM_ALERT:
		return lsp_location(s, d, sym->node->src, sym->node->u.block.label_span);
	case SYM_FIELD: case SYM_MEMBER:
		if (!sym->decl)
			return NULL;
		e = setting(sym->decl, sym->member);
		if (!e)
			return lsp_location(s, d, sym->decl->block->src, lsp_decl_span(sym->decl));
		return lsp_location(s, d, e->src, e->kind == AST_ATTR ? e->u.attr.name_span
								       : e->u.block.kind_span);
	default: return NULL;
	}
}

cJSON *lsp_definition(struct lsp_request *rq)
{
	struct lsp_hit hit;
	struct lsp_sym sym;
	struct lsp_doc *d = symbol_at(rq, &hit, &sym);
	if (!d)
		return NULL;
	cJSON *loc = definition_of(rq->s, d, &sym);
	return loc ? loc : cJSON_CreateNull();
}

cJSON *lsp_references(struct lsp_request *rq)
{
	struct lsp_hit hit;
	struct lsp_sym sym;
	struct target t;
	struct lsp_doc *d = symbol_at(rq, &hit, &sym);
	if (!d)
		return NULL;
	cJSON *list = cJSON_CreateArray();
	if (!target_of(&sym, &t))
		return list;
	const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(rq->params, "context");
	bool decl = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ctx, "includeDeclaration"));
	struct spans spans = { 0 };
	collect(d, &t, decl, &spans);
	for (size_t i = 0; i < spans.n; i++)
		cJSON_AddItemToArray(list, lsp_location(rq->s, d, d->comp->source, spans.at[i]));
	free(spans.at);
	return list;
}

/* ---- rename ------------------------------------------------------------ */

/* What may be renamed: a target declared in this document, with the
 * cursor on a token that spells its name. */
static bool renamable(const struct lsp_doc *d, const struct lsp_hit *hit,
		      const struct lsp_sym *sym, struct target *t)
{
	const struct source *src = d->comp->source;
	if (!hit->node || hit->node->kind == AST_MEMBER || !target_of(sym, t))
		return false;
	if (hit->node->kind == AST_BLOCK && hit->part != PART_LABEL)
		return false;
	switch (t->kind) {
	case SYM_DECL: return t->decl->block->src == src;
	case SYM_TEMPLATE: return !t->tmpl->module && t->tmpl->node->src == src;
	case SYM_PARAM: return t->tnode->src == src;
	case SYM_ALERT: return t->node->src == src;
	default: return false;
	}
}

cJSON *lsp_prepare_rename(struct lsp_request *rq)
{
	struct lsp_hit hit;
	struct lsp_sym sym;
	struct target t;
	struct lsp_doc *d = symbol_at(rq, &hit, &sym);
	if (!d)
		return NULL;
	if (!renamable(d, &hit, &sym, &t))
		return cJSON_CreateNull();
	const struct source *src = d->comp->source;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "range", lsp_range(rq->s, src, hit.span));
	char *text = arena_strndup(&rq->scratch, src->text + hit.span.start,
				   hit.span.end - hit.span.start);
	cJSON_AddStringToObject(r, "placeholder", text);
	return r;
}

/* Is `name` already the name of something the target would clash with? */
static bool taken(const struct lsp_doc *d, const struct target *t, const char *name)
{
	const struct program *p = d->comp->program;
	const struct ast_node *other;
	switch (t->kind) {
	case SYM_ALERT:
		other = lsp_alert_def(d->comp->ast, name);
		return other && strcmp(name, t->alert);
	case SYM_DECL: return program_find(p, name) && program_find(p, name) != t->decl;
	case SYM_PARAM: return lsp_template_param(t->tnode, name) != NULL;
	default:
		for (const struct template_def *x = p->templates; x; x = x->next)
			if (!x->module && x != t->tmpl && !strcmp(x->node->u.template.name, name))
				return true;
		return false;
	}
}

/* Why `name` cannot be the target's name ("service name: ..."), or NULL.
 * Services and volumes become DNS names (E0315); Prometheus takes alert
 * names of letters, digits and '_' only. */
static const char *invalid_name(struct arena *a, const struct target *t, const char *name)
{
	if (!lsp_valid_name(name))
		return "name";
	const char *kind = t->kind == SYM_DECL ? t->decl->kind->name : NULL;
	if (kind && (!strcmp(kind, "service") || !strcmp(kind, "volume"))) {
		const char *why = validate_name(name);
		return why ? arena_printf(a, "%s name: %s", kind, why) : NULL;
	}
	if (t->kind == SYM_ALERT && strchr(name, '-'))
		return "alert name: alert names use only letters, digits and '_'";
	return NULL;
}

static cJSON *workspace_edit(struct lsp_server *s, const struct lsp_doc *d,
			     const struct spans *spans, const char *text)
{
	cJSON *edit = cJSON_CreateObject();
	cJSON *edits = cJSON_AddArrayToObject(cJSON_AddObjectToObject(edit, "changes"), d->uri);
	for (size_t i = 0; i < spans->n; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddItemToObject(e, "range", lsp_range(s, d->comp->source, spans->at[i]));
		cJSON_AddStringToObject(e, "newText", text);
		cJSON_AddItemToArray(edits, e);
	}
	return edit;
}

cJSON *lsp_rename(struct lsp_request *rq)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(rq->params, "newName");
	if (!cJSON_IsString(name))
		return lsp_fail(rq, LSP_INVALID_PARAMS, "newName is missing");
	struct lsp_hit hit;
	struct lsp_sym sym;
	struct target t;
	struct lsp_doc *d = symbol_at(rq, &hit, &sym);
	if (!d)
		return NULL;
	if (!renamable(d, &hit, &sym, &t))
		return lsp_fail(rq, LSP_REQUEST_FAILED, "there is nothing to rename here");
	const char *why = invalid_name(&rq->scratch, &t, name->valuestring);
	if (why)
		return lsp_fail(rq, LSP_INVALID_PARAMS, "'%s' is not a valid %s", name->valuestring, why);
	if (taken(d, &t, name->valuestring))
		return lsp_fail(rq, LSP_REQUEST_FAILED, "'%s' is already declared", name->valuestring);
	struct spans spans = { 0 };
	collect(d, &t, true, &spans);
	cJSON *edit = workspace_edit(rq->s, d, &spans, name->valuestring);
	free(spans.at);
	return edit;
}

/* ---- symbols -------------------------------------------------------- */

static int kind_symbol(const char *kind)
{
	static const struct { const char *kind; int symbol; } table[] = {
		{ "app", 4 }, { "service", 5 }, { "secret", 20 }, { "volume", 19 }, { "registry", 19 },
		{ "pipeline", 24 }, { "cloud", 3 }, { "monitor", 19 }, { "env", 3 },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (!strcmp(table[i].kind, kind))
			return table[i].symbol;
	return 23; /* a nested block: Struct */
}

/* One DocumentSymbol, written as text (lsp_raw.c), its children after
 * it when there are any: ",\"children\":[" is left open for them. */
static void symbol(struct strbuf *b, const struct lsp_server *s, const struct source *src,
		   const char *name, const char *detail, int kind, struct span range,
		   struct span sel)
{
	cJSON *text = cJSON_CreateString(name);
	if (!text)
		depc_out_of_memory();
	char *quoted = cJSON_PrintUnformatted(text);
	cJSON_Delete(text);
	if (!quoted)
		depc_out_of_memory();
	strbuf_puts(b, "{\"name\":");
	strbuf_puts(b, quoted);
	free(quoted);
	if (detail) {
		/* kind words and "template KIND": nothing to escape */
		strbuf_puts(b, ",\"detail\":\"");
		strbuf_puts(b, detail);
		strbuf_putc(b, '"');
	}
	strbuf_puts(b, ",\"kind\":");
	lsp_raw_uint(b, (size_t)kind);
	strbuf_puts(b, ",\"range\":");
	lsp_raw_range(b, s, src, range);
	strbuf_puts(b, ",\"selectionRange\":");
	lsp_raw_range(b, s, src, sel);
}

static void block_symbol(struct strbuf *b, const struct lsp_server *s, const struct source *src,
			 const struct ast_node *n);

/* The labelled blocks among `entries` (a dashboard's panels, an
 * overlay's declarations, alert rules) as children; fields and blocks
 * without a label are not symbols of their own. */
static void children(struct strbuf *b, const struct lsp_server *s, const struct source *src,
		     const struct ast_node *entries)
{
	bool any = false;
	for (const struct ast_node *e = entries; e; e = e->next) {
		if (e->kind != AST_BLOCK || !e->u.block.label || !*e->u.block.label)
			continue;
		strbuf_puts(b, any ? "," : ",\"children\":[");
		block_symbol(b, s, src, e);
		any = true;
	}
	if (any)
		strbuf_putc(b, ']');
}

/* Kinds whose symbol kind no other named block has: their detail would
 * repeat what the symbol kind says (the bench program's outline was
 * larger than its source with it). */
static bool kind_says_it(const char *kind)
{
	return !strcmp(kind, "app") || !strcmp(kind, "service") || !strcmp(kind, "secret") ||
	       !strcmp(kind, "volume");
}

static void block_symbol(struct strbuf *b, const struct lsp_server *s, const struct source *src,
			 const struct ast_node *n)
{
	const char *label = n->u.block.label;
	bool named = label && *label;
	bool detail = named && !kind_says_it(n->u.block.kind);
	symbol(b, s, src, named ? label : n->u.block.kind, detail ? n->u.block.kind : NULL,
	       kind_symbol(n->u.block.kind), n->span,
	       named ? n->u.block.label_span : n->u.block.kind_span);
	children(b, s, src, n->u.block.body);
	strbuf_putc(b, '}');
}

/* Imports, templates and declarations; false for anything else. */
static bool item_symbol(struct strbuf *b, const struct lsp_server *s, struct arena *a,
			const struct source *src, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_IMPORT:
		symbol(b, s, src, n->u.import.path, NULL, 2, n->span, n->u.import.path_span);
		strbuf_putc(b, '}');
		return true;
	case AST_TEMPLATE:
		symbol(b, s, src, n->u.template.name,
		       arena_printf(a, "template %s", n->u.template.kind), 12, n->span,
		       n->u.template.name_span);
		children(b, s, src, n->u.template.body);
		strbuf_putc(b, '}');
		return true;
	case AST_BLOCK:
		block_symbol(b, s, src, n);
		return true;
	default:
		return false;
	}
}

/* The outline of a document: its imports, templates and declarations,
 * with the labelled blocks inside them.  A field is not a symbol: listing
 * every one made the answer nine times the size of the source. */
static char *symbols_answer(struct lsp_request *rq, struct lsp_doc *d)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '[');
	bool any = false;
	for (const struct ast_node *n = d->comp->ast->u.file.items; n; n = n->next) {
		size_t before = b.len;
		if (any)
			strbuf_putc(&b, ',');
		if (item_symbol(&b, rq->s, &rq->scratch, d->comp->source, n))
			any = true;
		else
			b.len = before;
	}
	strbuf_putc(&b, ']');
	return b.data;
}

cJSON *lsp_document_symbols(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	if (!d)
		return NULL;
	if (!d->symbols)
		d->symbols = symbols_answer(rq, d);
	return lsp_raw_ref(d->symbols);
}

/* Case-insensitive substring, as editors filter symbol lists. */
static bool matches(const char *name, const char *query)
{
	size_t q = strlen(query);
	for (const char *p = name; *p; p++)
		if (!strncasecmp(p, query, q))
			return true;
	return q == 0;
}

static void add_workspace_symbol(struct lsp_server *s, cJSON *list, const struct lsp_doc *d,
				 const struct ast_node *n, const char *query)
{
	bool block = n->kind == AST_BLOCK && n->u.block.label && *n->u.block.label;
	if (!block && n->kind != AST_TEMPLATE)
		return;
	const char *name = block ? n->u.block.label : n->u.template.name;
	if (!matches(name, query))
		return;
	struct span sel = block ? n->u.block.label_span : n->u.template.name_span;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddNumberToObject(o, "kind", block ? kind_symbol(n->u.block.kind) : 12);
	cJSON_AddItemToObject(o, "location", lsp_location(s, d, d->comp->source, sel));
	cJSON_AddStringToObject(o, "containerName", block ? n->u.block.kind : "template");
	cJSON_AddItemToArray(list, o);
}

/* Every open document, oldest first; top-level declarations and templates. */
cJSON *lsp_workspace_symbols(struct lsp_request *rq)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(rq->params, "query");
	if (!cJSON_IsString(q))
		return lsp_fail(rq, LSP_INVALID_PARAMS, "query is missing");
	cJSON *list = cJSON_CreateArray();
	const struct lsp_doc *last = NULL;
	while (last != rq->s->docs) {
		struct lsp_doc *d = rq->s->docs;
		while (d->next != last)
			d = d->next;
		lsp_doc_analyse(rq->s, d);
		for (const struct ast_node *n = d->comp->ast->u.file.items; n; n = n->next)
			add_workspace_symbol(rq->s, list, d, n, q->valuestring);
		last = d;
	}
	return list;
}
