/* lsp_diag.c - the compiler's diagnostics as LSP diagnostics and fixes.
 *
 * One diagnostic of the bag becomes one LSP Diagnostic: its span the
 * range, its code ("E0201") the code, its severity mapped (error 1,
 * warning 2, note 3), its secondary labels the relatedInformation (those
 * that point into a file the editor can open), and its notes and help
 * lines appended to the message, as the terminal shows them; its
 * codeDescription is the `depc explain` page (a depc: document,
 * lsp_library.c).  A diagnostic about another file (a template of the
 * standard library, or of an imported file) is shown where the document
 * instantiates that template, with the template's own location first in
 * relatedInformation (see places() below).
 *
 * Diagnostics are published for a document when it changed and the
 * input queue has run dry (lsp.c calls lsp_publish_pending then), with
 * the version they belong to.  A diagnostic's fix is offered as a
 * quickfix code action when the requested range touches its span. */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

static int severity(enum diag_severity sev)
{
	switch (sev) {
	case SEV_ERROR: return 1;
	case SEV_WARNING: return 2;
	default: return 3;
	}
}

static void append_texts(struct strbuf *b, const char *prefix, const struct diag_text *t)
{
	for (; t; t = t->next)
		strbuf_printf(b, "\n%s: %s", prefix, t->text);
}

/* The message with notes and help; for a diagnostic about another file
 * that the editor cannot open, prefixed with that file's line and
 * column. */
static char *message_text(const struct diag *dg, bool prefix)
{
	struct strbuf b;
	strbuf_init(&b);
	if (prefix)
		strbuf_printf(&b, "%s:%zu:%zu: ", dg->src->name, source_line_of(dg->src, dg->span.start),
			      source_char_column(dg->src, dg->span.start));
	strbuf_puts(&b, dg->message);
	append_texts(&b, "note", dg->notes);
	append_texts(&b, "help", dg->helps);
	return b.data ? b.data : strdup("");
}

static void add_related(cJSON *list, cJSON *loc, const char *message)
{
	cJSON *info = cJSON_CreateObject();
	cJSON_AddItemToObject(info, "location", loc);
	cJSON_AddStringToObject(info, "message", message ? message : "");
	cJSON_AddItemToArray(list, info);
}

/* The labels, after the primary location when that is shown elsewhere. */
static cJSON *related(struct lsp_server *s, const struct lsp_doc *d, const struct diag *dg,
		      cJSON *primary)
{
	cJSON *list = cJSON_CreateArray();
	if (primary)
		add_related(list, primary, dg->message);
	for (const struct diag_label *l = dg->labels; l; l = l->next) {
		cJSON *loc = lsp_location(s, d, l->src, l->span);
		if (loc)
			add_related(list, loc, l->message);
	}
	return list;
}

/* ---- where a diagnostic about another file is shown ------------------ */

/* Does the message name `name` in quotes? */
static bool names(const char *message, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = strchr(message, '\''); p; p = strchr(p + 1, '\''))
		if (!strncmp(p + 1, name, n) && p[1 + n] == '\'')
			return true;
	return false;
}

/* Is declaration x of the document made from a template whose text
 * holds the diagnostic's span? */
static bool made_from(const struct lsp_doc *d, const struct decl *x, const struct diag *dg)
{
	const struct ast_node *base = x->block->u.block.base;
	const struct template_def *t = base ? lsp_find_template(d->comp->program, base) : NULL;
	return t && x->block->src == d->comp->source && t->node->src == dg->src &&
	       dg->span.start >= t->node->span.start && dg->span.end <= t->node->span.end;
}

/* At most this many places for one diagnostic. */
#define MAX_PLACES 16

/* The declarations that instantiated what is wrong; when the message
 * names some of them ('site' and 'docs' both publish ...), only those.
 * Named ones are looked for among all: taking the first MAX_PLACES
 * instances and then filtering showed a message about the 5,000th
 * instance at the first sixteen. */
static size_t instantiations(const struct lsp_doc *d, const struct diag *dg,
			     const struct decl **out, size_t max)
{
	const struct decl *unnamed[MAX_PLACES];
	size_t n = 0, named = 0;
	for (const struct decl *x = d->comp->program ? d->comp->program->decls : NULL;
	     x && named < max; x = x->next) {
		if (!made_from(d, x, dg))
			continue;
		if (names(dg->message, x->name))
			out[named++] = x;
		else if (n < max)
			unnamed[n++] = x;
	}
	if (named)
		return named;
	memcpy(out, unnamed, n * sizeof *out);
	return n;
}

/* The span of the template call of a declaration: `postgres` of
 * `service db = postgres(...)`. */
static struct span callee_span(const struct ast_node *block)
{
	const struct ast_node *b = block->u.block.base;
	return b->kind == AST_CALL ? b->u.call.callee->span : b->span;
}

/* The import of the document that brought in `src`, or NULL. */
static const struct ast_node *import_of(const struct lsp_doc *d, const struct source *src)
{
	const struct program *p = d->comp->program;
	for (const struct module *m = p ? p->modules : NULL; m; m = m->next) {
		if (m->src != src)
			continue;
		for (const struct ast_node *n = d->comp->ast->u.file.items; n; n = n->next)
			if (n->kind == AST_IMPORT && !strcmp(n->u.import.path, m->path))
				return n;
	}
	return NULL;
}

/* A diagnostic about a template of another file is shown where the
 * document instantiates it (once per declaration it concerns), or else
 * at the first of its labels in the document, or else at the import of
 * that file; its own location goes first in relatedInformation.
 * Failing all, at the top. */
static size_t places(const struct lsp_doc *d, const struct diag *dg, struct span *at,
		     size_t max)
{
	const struct source *main = d->comp->source;
	if (dg->src == main || !dg->src) {
		at[0] = dg->src ? dg->span : span_make(0, 0);
		return 1;
	}
	const struct decl *decls[MAX_PLACES];
	size_t n = instantiations(d, dg, decls, max < MAX_PLACES ? max : MAX_PLACES);
	for (size_t i = 0; i < n; i++)
		at[i] = callee_span(decls[i]->block);
	if (n)
		return n;
	for (const struct diag_label *l = dg->labels; l; l = l->next)
		if (l->src == main) {
			at[0] = l->span;
			return 1;
		}
	const struct ast_node *imp = import_of(d, dg->src);
	at[0] = imp ? imp->u.import.path_span : span_make(0, 0);
	return 1;
}

static cJSON *diagnostic_at(struct lsp_server *s, const struct lsp_doc *d,
			    const struct diag *dg, struct span at, struct arena *a)
{
	const struct source *main = d->comp->source;
	cJSON *elsewhere = dg->src && dg->src != main ? lsp_location(s, d, dg->src, dg->span) : NULL;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "range", lsp_range(s, main, at));
	cJSON_AddNumberToObject(o, "severity", severity(dg->severity));
	cJSON_AddStringToObject(o, "code", diag_code_name(dg->code));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "codeDescription"), "href",
				lsp_explain_uri(a, diag_code_name(dg->code)));
	cJSON_AddStringToObject(o, "source", "depc");
	char *text = message_text(dg, dg->src && dg->src != main && !elsewhere);
	cJSON_AddStringToObject(o, "message", text);
	free(text);
	cJSON *rel = related(s, d, dg, elsewhere);
	if (cJSON_GetArraySize(rel))
		cJSON_AddItemToObject(o, "relatedInformation", rel);
	else
		cJSON_Delete(rel);
	return o;
}

/* Adds the diagnostic to `list`, once per place it is shown. */
static void add_diagnostic(struct lsp_server *s, const struct lsp_doc *d, const struct diag *dg,
			   cJSON *list, struct arena *a)
{
	struct span at[MAX_PLACES];
	size_t n = places(d, dg, at, MAX_PLACES);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list, diagnostic_at(s, d, dg, at[i], a));
}

void lsp_publish(struct lsp_server *s, struct lsp_doc *d)
{
	struct compilation *c = lsp_doc_analyse(s, d);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "uri", d->uri);
	cJSON_AddNumberToObject(p, "version", (double)d->version);
	cJSON *list = cJSON_AddArrayToObject(p, "diagnostics");
	struct arena a;
	arena_init(&a);
	for (const struct diag *dg = c->diags.first; dg; dg = dg->next)
		add_diagnostic(s, d, dg, list, &a);
	arena_free(&a);
	d->shown = cJSON_GetArraySize(list) > 0;
	d->dirty = false;
	lsp_notify(s, "textDocument/publishDiagnostics", p);
}

/* Oldest document first, so the order does not depend on the list's. */
void lsp_publish_pending(struct lsp_server *s)
{
	struct lsp_doc *last = NULL;
	for (;;) {
		struct lsp_doc *pick = NULL;
		for (struct lsp_doc *d = s->docs; d && d != last; d = d->next)
			if (d->dirty)
				pick = d;
		if (!pick)
			return;
		lsp_publish(s, pick);
		last = pick;
	}
}

/* ---- code actions ---------------------------------------------------- */

static cJSON *text_edit(struct lsp_server *s, const struct source *src, struct span at,
			const char *text)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddItemToObject(e, "range", lsp_range(s, src, at));
	cJSON_AddStringToObject(e, "newText", text);
	return e;
}

static cJSON *fix_action(struct lsp_server *s, const struct lsp_doc *d, const struct diag *dg,
			struct arena *arena)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "title", dg->fix->title ? dg->fix->title : "apply the fix");
	cJSON_AddStringToObject(a, "kind", "quickfix");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(a, "diagnostics"),
			     diagnostic_at(s, d, dg, dg->span, arena));
	cJSON_AddBoolToObject(a, "isPreferred", true);
	cJSON *changes = cJSON_AddObjectToObject(cJSON_AddObjectToObject(a, "edit"), "changes");
	cJSON *edits = cJSON_AddArrayToObject(changes, d->uri);
	cJSON_AddItemToArray(edits, text_edit(s, d->comp->source, dg->fix->span,
					      dg->fix->replacement));
	return a;
}

static bool touches(struct span a, struct span b)
{
	return a.start <= b.end && b.start <= a.end;
}

cJSON *lsp_code_action(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	struct span at;
	if (!d || !lsp_read_range(rq, d, cJSON_GetObjectItemCaseSensitive(rq->params, "range"), &at))
		return NULL;
	cJSON *list = cJSON_CreateArray();
	for (const struct diag *dg = d->comp->diags.first; dg; dg = dg->next)
		if (dg->fix && dg->src == d->comp->source && touches(dg->span, at))
			cJSON_AddItemToArray(list, fix_action(rq->s, d, dg, &rq->scratch));
	return list;
}
