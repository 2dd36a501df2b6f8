/* syntax_errors.c - words a syntax error in plain language.
 *
 * Bison reports the token it found and the tokens it could have taken.
 * Raw, that list is noise ("expected name, integer, decimal number, ...");
 * here value-starting tokens collapse into "a value", separators that are
 * always optional are dropped, and the message names the text found, so
 * the user reads "expected a value after '=', found '}'".  Labels point at
 * the bracket a mistake left open, and help lines name the likely fix.
 *
 * Errors that only echo an earlier one are not reported: the token right
 * after input a lexical error dropped (in `port: 80` the ':' is already
 * reported, so '80' is not), the end of a file whose last string or
 * comment never closed, and a closing bracket with nothing open after an
 * earlier syntax error (it most likely closes what that error broke). */
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

/* Where a field or block may start: inside a block, or at the top level
 * (where the file may also end). */
static bool entry_context(const char *const *names, int n)
{
	return has(names, n, "name") &&
	       (has(names, n, "'}'") || has(names, n, "end of file"));
}

static bool is_closer(const char *found)
{
	return !strcmp(found, "'}'") || !strcmp(found, "']'") || !strcmp(found, "')'");
}

/* Drops what never helps the reader: optional separators where an entry
 * could start, the misplaced-import alternative inside blocks. */
static bool is_noise(const char *const *names, int n, const char *name)
{
	bool entries = entry_context(names, n);
	if (entries && (!strcmp(name, "';'") || !strcmp(name, "','")))
		return true;
	if (entries && !strcmp(name, "'import'") && has(names, n, "'}'"))
		return true;
	/* An operator that could continue the value is rarely what was
	 * missing when a separator or closing bracket also fits. */
	bool closable = has(names, n, "','") || has(names, n, "']'") ||
			has(names, n, "')'") || entries;
	if (closable && (!strcmp(name, "'..'") || !strcmp(name, "'('") ||
			 !strcmp(name, "'.'")))
		return true;
	return false;
}

static const char *expected_word(const char *const *names, int n,
				 const char *name, bool values)
{
	if (!strcmp(name, "name")) {
		if (has(names, n, "end of file"))
			return "a declaration";
		return has(names, n, "'}'") && !values ? "a field name" : "a name";
	}
	if (!strcmp(name, "end of file"))
		return NULL; /* "a declaration" says it: the file may end there */
	return name;
}

static void append_expected(struct strbuf *b, const char *const *names, int n)
{
	bool values = has(names, n, "integer") && has(names, n, "string");
	/* A map's key: a name or a string, but no other value. */
	bool keys = !values && has(names, n, "name") && has(names, n, "string");
	const char *out[PARSE_MAX_EXPECTED + 1];
	int k = 0;
	if (values)
		out[k++] = "a value";
	if (keys)
		out[k++] = "a key";
	for (int i = 0; i < n; i++) {
		if ((values && is_value_start(names[i])) || is_noise(names, n, names[i]))
			continue;
		if (keys && (!strcmp(names[i], "name") || strstr(names[i], "string")))
			continue;
		const char *word = expected_word(names, n, names[i], values);
		if (word)
			out[k++] = word;
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

static char opener_of(char closer)
{
	return closer == '}' ? '{' : closer == ']' ? '[' : '(';
}

static size_t line_of(struct parser *p, uint32_t offset)
{
	return source_line_of(p->src, offset);
}

/* The innermost open bracket, if it is `c`. */
static bool innermost_is(struct parser *p, char c, struct span *out)
{
	if (p->depth <= 0)
		return false;
	*out = p->open[p->depth - 1];
	return p->src->text[out->start] == c;
}

/* A closing bracket that does not fit: point at what it left open, or,
 * when it closes nothing, at the bracket that closed the last block. */
static void hint_closer(struct parser *p, struct diag *d, struct span at)
{
	char closer = p->src->text[at.start];
	if (!p->closed_valid) {
		diag_set_label(p->diags, d, "no '%c' is open here", opener_of(closer));
		if (p->outer_closed)
			diag_add_label(p->diags, d, p->src, p->outer_close,
				       "the last open bracket was closed here");
		diag_add_help(p->diags, d, "remove the extra '%c', or the one that "
			      "closes the block too early", closer);
		return;
	}
	char opener = p->src->text[p->closed.start];
	if (opener != '$' && opener != opener_of(closer))
		diag_add_label(p->diags, d, p->src,
			       p->closed, "this '%c' is not closed", opener);
}

/* A list or argument list missing a ',' or its closing bracket. */
static void hint_separator(struct parser *p, struct diag *d, struct span at,
			   char opener, const char *items)
{
	struct span open;
	char closer = opener == '[' ? ']' : ')';
	if (innermost_is(p, opener, &open) && line_of(p, open.start) < line_of(p, at.start)) {
		diag_add_label(p->diags, d, p->src, open, "this '%c' is still open", opener);
		diag_add_help(p->diags, d, "separate %s with ',', or close the '%c' with '%c'",
			      items, opener, closer);
	} else {
		diag_add_help(p->diags, d, "separate %s with ','", items);
	}
}

static void add_hints(struct parser *p, struct diag *d, struct span at,
		      const char *found, const char *const *expected, int n)
{
	if (!strcmp(found, "end of file") && p->depth > 0) {
		struct span open = p->open[p->depth - 1];
		diag_add_label(p->diags, d, p->src, open, "this bracket is never closed");
	}
	if (is_closer(found)) {
		hint_closer(p, d, at);
		if (!p->closed_valid)
			return;
	}
	bool values = has(expected, n, "integer") && has(expected, n, "string");
	if (has(expected, n, "','") && has(expected, n, "']'") && is_value_start(found))
		hint_separator(p, d, at, '[', "list items");
	else if (has(expected, n, "','") && has(expected, n, "')'") && is_value_start(found))
		hint_separator(p, d, at, '(', "arguments");
	else if (!strcmp(found, "'='") && has(expected, n, "'{'") && !values)
		diag_add_help(p->diags, d, "a block label is a name or a string; "
			      "write 'KIND NAME = template(...)' to use a template");
	else if (has(expected, n, "'{'") && !values && line_of(p, p->prev_end) < line_of(p, at.start))
		diag_add_help(p->diags, d, "add '{' at the end of line %zu to open the block",
			      line_of(p, p->prev_end));
	else if (has(expected, n, "'='") && has(expected, n, "'{'") && is_value_start(found))
		diag_add_help(p->diags, d, "set a field with 'NAME = value', or open a block with '{'");
	else if (!strcmp(found, "'{'") && n == 1 && has(expected, n, "name"))
		diag_add_help(p->diags, d, "after '=' comes the template the block is made "
			      "from, as in 'service db = postgres(version = \"15\") { ... }'; "
			      "without a template, write 'service db { ... }'");
	else if (!strcmp(found, "string") && entry_context(expected, n) && !values)
		diag_add_help(p->diags, d, "names are written without quotes; for keys "
			      "that are not names, assign a map: env = { \"X-KEY\" = \"1\" }");
}

/* Whether this error only repeats one already reported (see the top). */
static bool is_echo(struct parser *p, const char *found,
		    const char *const *expected, int n)
{
	if (p->after_dropped)
		return true;
	if (!strcmp(found, "end of file") && p->eof_error)
		return true;
	if (is_closer(found) && !p->closed_valid && p->syntax_errors > 0) {
		char closer[4] = { '\'', 0, '\'', 0 };
		closer[1] = found[1];
		return !has(expected, n, closer);
	}
	return false;
}

void syntax_error_report(struct parser *p, struct span at, const char *found,
			 const char *const *expected, int n)
{
	if (p->stopped)
		return;
	bool echo = is_echo(p, found, expected, n);
	p->syntax_errors++;
	if (echo)
		return;
	struct strbuf b;
	strbuf_init(&b);
	if (is_closer(found) && !p->closed_valid) {
		strbuf_printf(&b, "unmatched '%c'", found[1]);
	} else {
		if (n > 0) {
			strbuf_puts(&b, "expected ");
			append_expected(&b, expected, n);
			strbuf_puts(&b, ", found ");
		} else {
			strbuf_puts(&b, "unexpected ");
		}
		append_found(&b, p, at, found);
	}
	struct diag *d = diag_emit(p->diags, DIAG_E0101, p->src, at, "%s", b.data);
	strbuf_free(&b);
	add_hints(p, d, at, found, expected, n);
}
