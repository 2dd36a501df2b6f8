/* lsp_docs.c - open documents: text sync, analysis, positions.
 *
 * The client owns the text of an open document and sends it whole
 * (didOpen, or a change without a range) or as edits (a change with a
 * range, applied in order, each against the text the previous one left).
 * A document keeps its current text in one malloc'd buffer and at most
 * one analysis: a compilation of that text, with its own arena, made the
 * first time something needs it and freed as soon as the text changes,
 * so memory follows the open documents, not the session's length.
 *
 * Positions are (line, character) with the character counted in the
 * unit negotiated at initialize: UTF-16 code units or bytes.  Converting
 * is source.c's job (source_offset_utf16 and friends), exact for any
 * text: a column inside a surrogate pair or a multi-byte character means
 * the start of that character, and a column or line past the end clamps
 * to the end, as the LSP specification says.  A document URI with the
 * file: scheme names its source by path, so relative imports resolve
 * from the document's directory; any other URI is the name itself. */
#include "lsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* ---- URIs -------------------------------------------------------- */

/* file:///a%20b/x.dep -> /a b/x.dep (an authority, if any, is skipped);
 * a NUL written as %00 ends the name. */
static char *uri_to_name(const char *uri)
{
	if (strncmp(uri, "file://", 7))
		return strdup(uri);
	const char *p = strchr(uri + 7, '/');
	if (!p)
		return strdup(uri);
	char *out = xmalloc(strlen(p) + 1), *o = out;
	for (; *p; p++) {
		if (*p == '%' && lsp_hex_digit(p[1]) >= 0 && lsp_hex_digit(p[2]) >= 0) {
			*o++ = (char)(lsp_hex_digit(p[1]) * 16 + lsp_hex_digit(p[2]));
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

char *lsp_file_uri(const char *name)
{
	static const char safe[] = "-._~/!$&'()*+,;=:@";
	char *out = xmalloc(strlen(name) * 3 + 8), *o = out;
	o += sprintf(o, "file://");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(safe, *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

char *lsp_source_uri(const struct lsp_doc *d, const struct source *src)
{
	if (!src)
		return NULL;
	if (d->comp && src == d->comp->source)
		return strdup(d->uri);
	if (src->name[0] != '/')
		return lsp_library_uri(src->name); /* or NULL: a name that is no file */
	return lsp_file_uri(src->name);
}

/* ---- positions ------------------------------------------------------ */

size_t lsp_column(const struct lsp_server *s, const struct source *src, uint32_t offset)
{
	if (offset > src->len)
		offset = (uint32_t)src->len;
	if (s->encoding == LSP_UTF16)
		return source_utf16_column(src, offset) - 1;
	size_t line = source_line_of(src, offset);
	return offset - src->line_starts[line - 1];
}

cJSON *lsp_position(const struct lsp_server *s, const struct source *src, uint32_t offset)
{
	struct strbuf b;
	strbuf_init(&b);
	lsp_raw_position(&b, s, src, offset);
	return lsp_raw_item(&b);
}

cJSON *lsp_range(const struct lsp_server *s, const struct source *src, struct span sp)
{
	struct strbuf b;
	strbuf_init(&b);
	lsp_raw_range(&b, s, src, sp);
	return lsp_raw_item(&b);
}

cJSON *lsp_location(const struct lsp_server *s, const struct lsp_doc *d,
		    const struct source *src, struct span sp)
{
	char *uri = lsp_source_uri(d, src);
	if (!uri)
		return NULL;
	cJSON *l = cJSON_CreateObject();
	cJSON_AddStringToObject(l, "uri", uri);
	cJSON_AddItemToObject(l, "range", lsp_range(s, src, sp));
	free(uri);
	return l;
}

/* A non-negative integer that fits an offset, from a JSON number. */
static bool get_index(const cJSON *o, const char *key, size_t *out)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(n) || n->valuedouble < 0 || n->valuedouble > 4294967295.0 ||
	    n->valuedouble != (double)(uint64_t)n->valuedouble)
		return false;
	*out = (size_t)n->valuedouble;
	return true;
}

static bool read_position(const struct lsp_server *s, const struct source *src,
			  const cJSON *pos, uint32_t *offset)
{
	size_t line, col;
	if (!get_index(pos, "line", &line) || !get_index(pos, "character", &col))
		return false;
	*offset = s->encoding == LSP_UTF16 ? source_offset_utf16(src, line, col)
					   : source_offset_utf8(src, line, col);
	return true;
}

static bool read_range(const struct lsp_server *s, const struct source *src,
		       const cJSON *range, struct span *out)
{
	uint32_t a, b;
	if (!read_position(s, src, cJSON_GetObjectItemCaseSensitive(range, "start"), &a) ||
	    !read_position(s, src, cJSON_GetObjectItemCaseSensitive(range, "end"), &b))
		return false;
	*out = span_make(a < b ? a : b, a < b ? b : a);
	return true;
}

bool lsp_param_offset(struct lsp_request *rq, struct lsp_doc *d, const char *key,
		      uint32_t *offset)
{
	const cJSON *pos = cJSON_GetObjectItemCaseSensitive(rq->params, key);
	if (read_position(rq->s, d->comp->source, pos, offset))
		return true;
	lsp_fail(rq, LSP_INVALID_PARAMS, "'%s' is not a valid position", key);
	return false;
}

bool lsp_read_range(struct lsp_request *rq, struct lsp_doc *d, const cJSON *range,
		    struct span *out)
{
	if (read_range(rq->s, d->comp->source, range, out))
		return true;
	lsp_fail(rq, LSP_INVALID_PARAMS, "invalid range");
	return false;
}

/* ---- the store ------------------------------------------------------ */

struct lsp_doc *lsp_doc_find(struct lsp_server *s, const char *uri)
{
	for (struct lsp_doc *d = s->docs; d; d = d->next)
		if (!strcmp(d->uri, uri))
			return d;
	return NULL;
}

static void forget_analysis(struct lsp_doc *d)
{
	free(d->symbols);
	free(d->tokens);
	free(d->formatting);
	d->symbols = d->tokens = d->formatting = NULL;
	d->comments = NULL; /* in the compilation's arena */
	if (!d->comp)
		return;
	compile_free(d->comp);
	free(d->comp);
	d->comp = NULL;
}

/* The document's text is being replaced: `old` goes, unless the tree
 * of the last analysis was parsed from it and the next analysis is to
 * compare against it (reparse.h). */
static void drop_text(struct lsp_doc *d, char *old)
{
	if (old != d->syntax.text)
		free(old);
}

static void doc_free(struct lsp_doc *d)
{
	forget_analysis(d);
	free(d->uri);
	free(d->name);
	if (d->syntax.text != d->text)
		free((char *)d->syntax.text);
	free(d->text);
	reparse_free(&d->syntax);
	free(d);
}

static void unlink_doc(struct lsp_server *s, struct lsp_doc *d)
{
	for (struct lsp_doc **p = &s->docs; *p; p = &(*p)->next)
		if (*p == d) {
			*p = d->next;
			return;
		}
}

void lsp_docs_free(struct lsp_server *s)
{
	while (s->docs) {
		struct lsp_doc *d = s->docs;
		s->docs = d->next;
		doc_free(d);
	}
}

struct compilation *lsp_doc_analyse(struct lsp_server *s, struct lsp_doc *d)
{
	if (d->comp)
		return d->comp;
	struct compilation *c = xmalloc(sizeof *c);
	d->comp = c;
	compile_init(c);
	/* compile_load_memory, keeping the comments the scanner skips: the
	 * semantic tokens and folding ranges need them, and scanning the
	 * text again for them took as long as this parse.  The source is the
	 * document's own text (two NULs end it), which outlives the analysis:
	 * a copy was a second document in memory.  After an edit, the items
	 * it did not touch are the last tree's (reparse.h). */
	c->source = source_borrow(&c->arena, d->name, d->text, d->len);
	char *parsed = (char *)d->syntax.text;
	c->ast = reparse(&d->syntax, c->source, &c->diags, &d->comments);
	c->source = &d->syntax.source;
	if (parsed != d->text)
		free(parsed); /* the last version's text, kept for the comparison */
	d->syntax_errors = c->diags.errors > 0;
	if (!compile_check(d->comp, &s->options) && !d->comp->program)
		compile_resolve_partial(d->comp, &s->options);
	diag_bag_sort(&d->comp->diags);
	return d->comp;
}

/* The new text of a document, from the client's string. */
static void set_text(struct lsp_doc *d, const char *text, size_t len)
{
	forget_analysis(d);
	drop_text(d, d->text);
	d->text = xmalloc(len + 2);
	memcpy(d->text, text, len);
	d->text[len] = d->text[len + 1] = '\0';
	d->len = len;
	d->dirty = true;
}

static const cJSON *text_document(struct lsp_request *rq, const char **uri)
{
	const cJSON *td = cJSON_GetObjectItemCaseSensitive(rq->params, "textDocument");
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(td, "uri");
	if (!cJSON_IsString(u)) {
		lsp_fail(rq, LSP_INVALID_PARAMS, "textDocument.uri is missing");
		return NULL;
	}
	*uri = u->valuestring;
	return td;
}

struct lsp_doc *lsp_param_doc(struct lsp_request *rq)
{
	const char *uri;
	if (!text_document(rq, &uri))
		return NULL;
	struct lsp_doc *d = lsp_doc_find(rq->s, uri);
	if (!d) {
		lsp_fail(rq, LSP_INVALID_PARAMS, "the document '%s' is not open", uri);
		return NULL;
	}
	lsp_doc_analyse(rq->s, d);
	return d;
}

/* ---- text synchronisation ---------------------------------------------- */

cJSON *lsp_did_open(struct lsp_request *rq)
{
	const char *uri;
	const cJSON *td = text_document(rq, &uri);
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(td, "text");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(td, "version");
	if (!td || !cJSON_IsString(text) || !cJSON_IsNumber(version))
		return lsp_fail(rq, LSP_INVALID_PARAMS, "didOpen needs textDocument.uri, text and version");
	struct lsp_doc *d = lsp_doc_find(rq->s, uri);
	if (!d) {
		d = xmalloc(sizeof *d);
		memset(d, 0, sizeof *d);
		reparse_init(&d->syntax);
		d->uri = strdup(uri);
		d->name = uri_to_name(uri);
		if (!d->uri || !d->name)
			depc_out_of_memory();
		d->next = rq->s->docs;
		rq->s->docs = d;
	}
	d->version = (int64_t)version->valuedouble;
	size_t len;
	const char *bytes = lsp_text(rq, text, &len);
	set_text(d, bytes, len);
	return NULL;
}

/* Replaces the bytes of `at` with the n bytes of `text`. */
static void splice(struct lsp_doc *d, struct span at, const char *text, size_t n)
{
	size_t len = d->len - (at.end - at.start) + n;
	char *out = xmalloc(len + 2);
	memcpy(out, d->text, at.start);
	memcpy(out + at.start, text, n);
	memcpy(out + at.start + n, d->text + at.end, d->len - at.end);
	out[len] = out[len + 1] = '\0';
	drop_text(d, d->text);
	d->text = out;
	d->len = len;
}

static bool change_failed(struct lsp_request *rq, const char *why)
{
	lsp_fail(rq, LSP_INVALID_PARAMS, "%s", why);
	return false;
}

/* A position of a change, a negative line or character read as 0: the
 * specification has no negative positions, but a client that computes
 * one means the start, and refusing the change would leave the server
 * out of step for the rest of the session. */
static bool change_position(const struct lsp_server *s, const struct source *src,
			    const cJSON *pos, uint32_t *offset)
{
	cJSON *copy = cJSON_Duplicate(pos, true);
	const char *const keys[] = { "line", "character" };
	for (size_t i = 0; copy && i < 2; i++) {
		cJSON *n = cJSON_GetObjectItemCaseSensitive(copy, keys[i]);
		if (cJSON_IsNumber(n) && n->valuedouble < 0)
			cJSON_SetNumberValue(n, 0);
	}
	bool ok = read_position(s, src, copy, offset);
	cJSON_Delete(copy);
	return ok;
}

/* One content change: the whole text, or a range replaced.  The range is
 * read against the line map of the current text: the analysis's, when
 * the text has one (an edit after diagnostics were published), else one
 * made for the change alone. */
static bool apply_change(struct lsp_request *rq, struct lsp_doc *d, const cJSON *change)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(change, "text");
	const cJSON *range = cJSON_GetObjectItemCaseSensitive(change, "range");
	if (!cJSON_IsString(text))
		return change_failed(rq, "a content change has no text");
	size_t n;
	const char *bytes = lsp_text(rq, text, &n);
	if (!range) {
		set_text(d, bytes, n);
		return true;
	}
	struct arena a;
	arena_init(&a);
	const struct source *src = d->comp ? d->comp->source
					   : source_from_memory(&a, d->name, d->text, d->len);
	uint32_t x, y;
	bool ok = change_position(rq->s, src, cJSON_GetObjectItemCaseSensitive(range, "start"), &x) &&
		  change_position(rq->s, src, cJSON_GetObjectItemCaseSensitive(range, "end"), &y);
	arena_free(&a);
	if (!ok)
		return change_failed(rq, "a content change has an invalid range");
	struct span at = span_make(x < y ? x : y, x < y ? y : x);
	if (d->len - (at.end - at.start) + n > SOURCE_MAX_BYTES)
		return change_failed(rq, "the document would be larger than the limit (256 MiB)");
	forget_analysis(d); /* before its text goes */
	splice(d, at, bytes, n);
	d->dirty = true;
	return true;
}

/* Clears what the editor shows for a document the server lets go of. */
static void clear_shown(struct lsp_server *s, struct lsp_doc *d)
{
	if (!d->shown)
		return;
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "uri", d->uri);
	cJSON_AddArrayToObject(p, "diagnostics");
	lsp_notify(s, "textDocument/publishDiagnostics", p);
}

/* A change the server could not apply leaves it out of step with the
 * client: the document is closed, what it showed cleared, and the client
 * told why in the log. */
cJSON *lsp_did_change(struct lsp_request *rq)
{
	const char *uri;
	const cJSON *td = text_document(rq, &uri);
	const cJSON *changes = cJSON_GetObjectItemCaseSensitive(rq->params, "contentChanges");
	if (!td || !cJSON_IsArray(changes))
		return lsp_fail(rq, LSP_INVALID_PARAMS, "didChange needs textDocument.uri and contentChanges");
	struct lsp_doc *d = lsp_doc_find(rq->s, uri);
	if (!d)
		return lsp_fail(rq, LSP_INVALID_PARAMS, "the document '%s' is not open", uri);
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(td, "version");
	if (cJSON_IsNumber(version))
		d->version = (int64_t)version->valuedouble;
	const cJSON *c;
	cJSON_ArrayForEach(c, changes) {
		if (!apply_change(rq, d, c)) {
			unlink_doc(rq->s, d);
			clear_shown(rq->s, d);
			doc_free(d);
			return NULL;
		}
	}
	return NULL;
}

cJSON *lsp_did_close(struct lsp_request *rq)
{
	const char *uri;
	if (!text_document(rq, &uri))
		return NULL;
	struct lsp_doc *d = lsp_doc_find(rq->s, uri);
	if (!d)
		return lsp_fail(rq, LSP_INVALID_PARAMS, "the document '%s' is not open", uri);
	unlink_doc(rq->s, d);
	clear_shown(rq->s, d);
	doc_free(d);
	return NULL;
}
