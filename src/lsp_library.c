/* lsp_library.c - what the server shows that is no file of the user's:
 * the standard library's templates and the `depc explain` pages.
 *
 * Both are compiled into depc.  A template of the standard library is
 * shown from its installed copy ($(pkgdatadir)/std) when that file holds
 * exactly the text depc was built with, so an editor opens a real file;
 * otherwise, and for the explain pages, as a virtual document with a
 * `depc:` URI (depc:///std/postgres.dep, depc:///explain/E0201.md) whose text
 * the client asks for with workspace/textDocumentContent (LSP 3.18; the
 * shipped editor setups make that request).  A diagnostic's
 * codeDescription points at its explain page. */
#include "lsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"

#ifndef DEPC_STDLIB_DIR
#define DEPC_STDLIB_DIR "/usr/local/share/depc/std"
#endif

#define STD_PREFIX "<std>/"
/* "depc:///std/x.dep": with "//", Vim and Neovim keep the name as a
 * URL rather than read it as a relative path; clients that drop the
 * empty authority send "depc:/std/x.dep", read the same. */
#define URI_STD "depc:///std/"
#define URI_EXPLAIN "depc:///explain/"

static const struct embedded_file *find(const struct embedded_file *table, const char *name,
					size_t len)
{
	for (const struct embedded_file *f = table; f->name; f++)
		if (strlen(f->name) == len && !strncmp(f->name, name, len))
			return f;
	return NULL;
}

/* Does the file at `path` hold exactly `text`? */
static bool same_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t want = strlen(text), got = 0;
	char buf[4096];
	bool same = true;
	for (size_t n; same && (n = fread(buf, 1, sizeof buf, f)) > 0; got += n)
		same = got + n <= want && !memcmp(buf, text + got, n);
	fclose(f);
	return same && got == want;
}

char *lsp_library_uri(const char *name)
{
	size_t plen = strlen(STD_PREFIX), len = strlen(name);
	if (strncmp(name, STD_PREFIX, plen) || len < plen + 4 || strcmp(name + len - 4, ".dep"))
		return NULL;
	const char *base = name + plen;
	const struct embedded_file *f = find(depc_stdlib, base, len - plen - 4);
	if (!f)
		return NULL;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", DEPC_STDLIB_DIR, base);
	if (same_text(path, f->contents))
		return lsp_file_uri(path);
	char *uri = xmalloc(strlen(URI_STD) + strlen(base) + 1);
	sprintf(uri, "%s%s", URI_STD, base);
	return uri;
}

char *lsp_explain_uri(struct arena *a, const char *code)
{
	return arena_printf(a, "%s%s.md", URI_EXPLAIN, code);
}

/* The text of a depc: URI, or NULL. */
static const char *library_text(const char *uri)
{
	const struct embedded_file *table = NULL;
	const char *name = NULL, *ext = NULL;
	if (strncmp(uri, "depc:", 5))
		return NULL;
	const char *path = uri + 5;
	while (*path == '/')
		path++;
	if (!strncmp(path, "std/", 4))
		table = depc_stdlib, name = path + 4, ext = ".dep";
	else if (!strncmp(path, "explain/", 8))
		table = depc_explain, name = path + 8, ext = ".md";
	if (!table)
		return NULL;
	size_t len = strlen(name), elen = strlen(ext);
	if (len <= elen || strcmp(name + len - elen, ext))
		return NULL;
	const struct embedded_file *f = find(table, name, len - elen);
	return f ? f->contents : NULL;
}

cJSON *lsp_text_document_content(struct lsp_request *rq)
{
	const cJSON *uri = cJSON_GetObjectItemCaseSensitive(rq->params, "uri");
	if (!cJSON_IsString(uri))
		return lsp_fail(rq, LSP_INVALID_PARAMS, "uri is missing");
	const char *text = library_text(uri->valuestring);
	if (!text)
		return lsp_fail(rq, LSP_INVALID_PARAMS, "no document '%s'", uri->valuestring);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "text", text);
	return r;
}
