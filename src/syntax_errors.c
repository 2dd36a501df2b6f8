/* syntax_errors.c - words a syntax error in plain language.
 *
 * Bison reports the token it found and the tokens it could have taken.
 * Raw, that list is noise ("expected name, integer, decimal number, ...");
 * here value-starting tokens collapse into "a value", separators that are
 * always optional are dropped, and the message names the text found, so
 * the user reads "expected a value after '=', found '}'".  When the file
 * ends inside a bracket, a label points at the bracket left open. */
#include <stdio.h>
#include <string.h>

#include "lex_support.h"

static const char *const value_starts[] = {
	"name", "integer", "decimal number", "number with a unit", "string",
	"multi-line string", "'true'", "'false'", "'['", "'{'", "'('",
};
#define VALUE_STARTS (sizeof value_starts / sizeof value_starts[0])

static bool is_value_start(const char *name)
{
	for (size_t i = 0; i < VALUE_STARTS; i++)
		if (strcmp(name, value_starts[i]) == 0)
			return true;
	return false;
}

static bool has(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* Drops what never helps the reader: optional separators where an entry
 * could start, the misplaced-import alternative inside blocks. */
static bool is_noise(const char *const *names, int n, const char *name)
{
	bool entry_context = has(names, n, "name") && has(names, n, "'}'");
	if (entry_context && (!strcmp(name, "';'") || !strcmp(name, "','")))
		return true;
	if (entry_context && !strcmp(name, "'import'"))
		return true;
	/* An operator that could continue the value is rarely what was
	 * missing when a separator or closing bracket also fits. */
	bool closable = has(names, n, "','") || has(names, n, "']'") ||
			has(names, n, "')'") || entry_context;
	if (closable && (!strcmp(name, "'..'") || !strcmp(name, "'('") ||
			 !strcmp(name, "'.'")))
		return true;
	return false;
}

static void append_expected(struct strbuf *b, const char *const *names, int n)
{
	bool values = has(names, n, "integer") && has(names, n, "string");
	const char *out[PARSE_MAX_EXPECTED + 1];
	int k = 0;
	if (values)
		out[k++] = "a value";
	for (int i = 0; i < n; i++) {
		if ((values && is_value_start(names[i])) || is_noise(names, n, names[i]))
			continue;
		if (!strcmp(names[i], "name"))
			out[k++] = has(names, n, "'}'") && !values ? "a field name" : "a name";
		else if (!strcmp(names[i], "end of file"))
			out[k++] = "end of file";
		else
			out[k++] = names[i];
	}
	for (int i = 0; i < k; i++) {
		if (i > 0)
			strbuf_puts(b, i == k - 1 ? " or " : ", ");
		strbuf_puts(b, out[i]);
	}
}

/* "'}'", "'port'", "end of file", "a string" - what the reader sees. */
static void append_found(struct strbuf *b, struct parser *p, struct span at,
			 const char *found)
{
	uint32_t len = at.end - at.start;
	if (!strcmp(found, "end of file"))
		strbuf_puts(b, "end of file");
	else if (!strcmp(found, "string") || !strcmp(found, "multi-line string"))
		strbuf_puts(b, "a string");
	else if (len > 0 && len <= 40)
		strbuf_printf(b, "'%.*s'", (int)len, p->src->text + at.start);
	else
		strbuf_puts(b, found);
}

static void add_hints(struct parser *p, struct diag *d, const char *found,
		      const char *const *expected, int n)
{
	if (!strcmp(found, "end of file") && p->depth > 0) {
		struct span open = p->open[p->depth - 1];
		diag_add_label(p->diags, d, p->src, open, "this bracket is never closed");
	}
	if (has(expected, n, "','") && has(expected, n, "']'") && is_value_start(found))
		diag_add_help(p->diags, d, "separate list items with ','");
	else if (has(expected, n, "','") && has(expected, n, "')'") && is_value_start(found))
		diag_add_help(p->diags, d, "separate arguments with ','");
	else if (!strcmp(found, "'='") && has(expected, n, "'{'") && !has(expected, n, "integer"))
		diag_add_help(p->diags, d, "a block label is a name or a string; "
			      "write 'KIND NAME = template(...)' to use a template");
	else if (has(expected, n, "'='") && has(expected, n, "'{'") && is_value_start(found))
		diag_add_help(p->diags, d, "set a field with 'NAME = value', or open a block with '{'");
}

void syntax_error_report(struct parser *p, struct span at, const char *found,
			 const char *const *expected, int n)
{
	if (p->stopped)
		return;
	struct strbuf b;
	strbuf_init(&b);
	if (n > 0) {
		strbuf_puts(&b, "expected ");
		append_expected(&b, expected, n);
		strbuf_puts(&b, ", found ");
	} else {
		strbuf_puts(&b, "unexpected ");
	}
	append_found(&b, p, at, found);
	struct diag *d = diag_emit(p->diags, DIAG_E0101, p->src, at, "%s", b.data);
	strbuf_free(&b);
	add_hints(p, d, found, expected, n);
}
