/* lsp_diag.c - the compiler's diagnostics as LSP diagnostics and fixes.
 *
 * One diagnostic of the bag becomes one LSP Diagnostic: its span the
 * range, its code ("E0201") the code, its severity mapped (error 1,
 * warning 2, note 3), its secondary labels the relatedInformation (those
 * that point into a file the editor can open), and its notes and help
 * lines appended to the message, as the terminal shows them.  The
 * explanation of a code is `depc explain CODE`, which has no URL, so no
 * codeDescription is sent.  A diagnostic about another file (an imported
 * one) is shown at the top of the document, its message prefixed with
 * where it is.
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

/* The message with notes and help; for a diagnostic about another file,
 * prefixed with that file's line and column. */
static char *message_text(const struct diag *dg, const struct source *main)
{
	struct strbuf b;
	strbuf_init(&b);
	if (dg->src && dg->src != main)
		strbuf_printf(&b, "%s:%zu:%zu: ", dg->src->name, source_line_of(dg->src, dg->span.start),
			      source_char_column(dg->src, dg->span.start));
	strbuf_puts(&b, dg->message);
	append_texts(&b, "note", dg->notes);
	append_texts(&b, "help", dg->helps);
	return b.data ? b.data : strdup("");
}

static cJSON *related(struct lsp_server *s, const struct lsp_doc *d, const struct diag *dg)
{
	cJSON *list = cJSON_CreateArray();
	for (const struct diag_label *l = dg->labels; l; l = l->next) {
		cJSON *loc = lsp_location(s, d, l->src, l->span);
		if (!loc)
			continue;
		cJSON *info = cJSON_CreateObject();
		cJSON_AddItemToObject(info, "location", loc);
		cJSON_AddStringToObject(info, "message", l->message ? l->message : "");
		cJSON_AddItemToArray(list, info);
	}
	return list;
}

static cJSON *diagnostic(struct lsp_server *s, const struct lsp_doc *d, const struct diag *dg)
{
	const struct source *main = d->comp->source;
	struct span at = dg->src == main ? dg->span : span_make(0, 0);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "range", lsp_range(s, main, at));
	cJSON_AddNumberToObject(o, "severity", severity(dg->severity));
	cJSON_AddStringToObject(o, "code", diag_code_name(dg->code));
	cJSON_AddStringToObject(o, "source", "depc");
	char *text = message_text(dg, main);
	cJSON_AddStringToObject(o, "message", text);
	free(text);
	cJSON *rel = related(s, d, dg);
	if (cJSON_GetArraySize(rel))
		cJSON_AddItemToObject(o, "relatedInformation", rel);
	else
		cJSON_Delete(rel);
	return o;
}

void lsp_publish(struct lsp_server *s, struct lsp_doc *d)
{
	struct compilation *c = lsp_doc_analyse(s, d);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "uri", d->uri);
	cJSON_AddNumberToObject(p, "version", (double)d->version);
	cJSON *list = cJSON_AddArrayToObject(p, "diagnostics");
	for (const struct diag *dg = c->diags.first; dg; dg = dg->next)
		cJSON_AddItemToArray(list, diagnostic(s, d, dg));
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

static cJSON *fix_action(struct lsp_server *s, const struct lsp_doc *d, const struct diag *dg)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "title", dg->fix->title ? dg->fix->title : "apply the fix");
	cJSON_AddStringToObject(a, "kind", "quickfix");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(a, "diagnostics"), diagnostic(s, d, dg));
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
			cJSON_AddItemToArray(list, fix_action(rq->s, d, dg));
	return list;
}
