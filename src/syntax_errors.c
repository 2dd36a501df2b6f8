/* syntax_errors.c - words a syntax error in plain language.
 *
 * Bison reports the token it found and the tokens it could have taken.
 * Raw, that list is noise ("expected name, integer, decimal number, ...");
 * here value-starting tokens collapse into "a value", separators that are
 * always optional are dropped, the rest come in a fixed order, and the
 * message quotes the text found, so the user reads "expected a value,
 * found '}'".  Labels point at the bracket a mistake left open or the '='
 * left without a value, and help lines name the likely fix.  The scanner
 * keeps what this needs in struct parser: the bracket stack, the end of
 * the token before the error, where the last error was.
 *
 * Errors that only echo an earlier one are not reported: the token right
 * after input a lexical error dropped (in `x = @` the '@' is reported, so
 * the '}' after it is not), the end of a file whose last string or
 * comment never closed, and, after an earlier syntax error, a closing
 * bracket the parser cannot take whose opening bracket that error's
 * recovery skipped. */
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
 * could start, the misplaced-import alternative inside blocks, and
 * `unset`, which "a field name" already covers there. */
static bool is_noise(const char *const *names, int n, const char *name)
{
	bool entries = entry_context(names, n);
	if (entries && (!strcmp(name, "';'") || !strcmp(name, "','")))
		return true;
	if (entries && !strcmp(name, "'import'") && has(names, n, "'}'"))
		return true;
	if (entries && !strcmp(name, "'unset'"))
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

static const char *expected_word(struct parser *p, const char *const *names,
				 int n, const char *name, bool values)
{
	if (!strcmp(name, "name")) {
		if (has(names, n, "end of file"))
			return "a declaration";
		/* Only a name may follow the '=' of a block header. */
		if (n == 1 && p->prev_end > 0 && p->src->text[p->prev_end - 1] == '=')
			return "a template name";
		if (n == 1 && p->prev_end >= 5 &&
		    !strncmp(p->src->text + p->prev_end - 5, "unset", 5))
			return "the name of the field to unset";
		return has(names, n, "'}'") && !values ? "a field name" : "a name";
	}
	if (!strcmp(name, "end of file"))
		return NULL; /* "a declaration" says it: the file may end there */
	if (!strcmp(name, "string"))
		return "a string";
	if (!strcmp(name, "multi-line string") && has(names, n, "string"))
		return NULL;
	return name;
}

/* Words first, then punctuation in one fixed order, so the same
 * situation always reads the same ("',' or ']'", never "']' or ','"). */
static int rank(const char *word)
{
	static const char *const order[] = {
		"','", "';'", "')'", "']'", "'}'", "'{'", "'='", "'('", "'.'", "'..'",
	};
	if (word[0] != '\'')
		return 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (!strcmp(word, order[i]))
			return (int)i + 1;
	return (int)(sizeof order / sizeof order[0]) + 1;
}

static void sort_expected(const char **out, int k)
{
	for (int i = 1; i < k; i++) {
		const char *w = out[i];
		int j = i;
		for (; j > 0 && rank(out[j - 1]) > rank(w); j--)
			out[j] = out[j - 1];
		out[j] = w;
	}
}

static void append_expected(struct strbuf *b, struct parser *p,
			    const char *const *names, int n)
{
	bool values = has(names, n, "integer") && has(names, n, "string");
	/* A map's key: a name or a string, but no other value. */
	bool keys = !values && has(names, n, "name") && has(names, n, "string") &&
		    has(names, n, "'}'");
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
		const char *word = expected_word(p, names, n, names[i], values);
		if (word)
			out[k++] = word;
	}
	sort_expected(out, k);
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

/* Whether the token before the error is `tok` ("=", ".."). */
static bool prev_token_is(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);
	return p->prev_end >= n && !memcmp(p->src->text + p->prev_end - n, tok, n);
}

/* The token before the error, when it is '=' on an earlier line: the
 * value after it is missing ("port =" then "}" on the next line). */
static void hint_value_missing(struct parser *p, struct diag *d, struct span at)
{
	uint32_t eq = p->prev_end - 1;
	if (p->prev_end == 0 || p->src->text[eq] != '=' ||
	    line_of(p, eq) == line_of(p, at.start))
		return;
	diag_add_label(p->diags, d, p->src, span_make(eq, eq + 1),
		       "no value after this '='");
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* "port =" with no value, then "replicas = 3": 'replicas' became the
 * value of 'port', and the second '=' is where the parser noticed. */
static void hint_value_missing_above(struct parser *p, struct diag *d)
{
	const char *t = p->src->text;
	uint32_t start = p->prev_end;
	while (start > 0 && is_name_char(t[start - 1]))
		start--;
	uint32_t before = start;
	while (before > 0 && (t[before - 1] == ' ' || t[before - 1] == '\t'))
		before--;
	if (start == p->prev_end || (before > 0 && t[before - 1] != '\n'))
		return;
	while (before > 0 && (t[before - 1] == ' ' || t[before - 1] == '\t' ||
			      t[before - 1] == '\n' || t[before - 1] == '\r'))
		before--;
	if (before == 0 || t[before - 1] != '=')
		return;
	diag_add_label(p->diags, d, p->src, span_make(before - 1, before),
		       "this '=' has no value, so '%.*s' was read as its value",
		       (int)(p->prev_end - start), t + start);
}

/* Labels: the bracket left open at the end of the file, the bracket a
 * wrong closing one leaves open, the '=' left without a value. */
static void add_labels(struct parser *p, struct diag *d, struct span at,
		       const char *found, bool values)
{
	if (!strcmp(found, "end of file") && p->depth > 0) {
		struct span open = p->open[p->depth - 1];
		diag_add_label(p->diags, d, p->src, open, "this bracket is never closed");
	}
	if (is_closer(found))
		hint_closer(p, d, at);
	if (values)
		hint_value_missing(p, d, at);
}

/* One help line for the situation, the most specific first. */
static void add_help(struct parser *p, struct diag *d, struct span at,
		     const char *found, const char *const *expected, int n)
{
	bool values = has(expected, n, "integer") && has(expected, n, "string");
	bool value_found = is_value_start(found);
	if (has(expected, n, "','") && has(expected, n, "']'") && value_found)
		hint_separator(p, d, at, '[', "list items");
	else if (has(expected, n, "','") && has(expected, n, "')'") && value_found)
		hint_separator(p, d, at, '(', "arguments");
	else if (!strcmp(found, "'='") && has(expected, n, "'{'") && !values)
		diag_add_help(p->diags, d, "a block label is a name or a string; "
			      "write 'KIND NAME = template(...)' to use a template");
	else if (has(expected, n, "'{'") && !values &&
		 line_of(p, p->prev_end) < line_of(p, at.start))
		diag_add_help(p->diags, d, "add '{' at the end of line %zu to open the block",
			      line_of(p, p->prev_end));
	else if (has(expected, n, "'='") && has(expected, n, "'{'") && value_found)
		diag_add_help(p->diags, d, "set a field with 'NAME = value', or open a block with '{'");
	else if (!strcmp(found, "'{'") && n == 1 && has(expected, n, "name"))
		diag_add_help(p->diags, d, "after '=' comes a template, as in "
			      "'service db = postgres(version = \"15\") { ... }'; "
			      "to write the block yourself, drop the '='");
	else if (!strcmp(found, "string") && has(expected, n, "end of file"))
		diag_add_help(p->diags, d, "a declaration starts with its kind and "
			      "name, as in 'service web { ... }'");
	else if (!strcmp(found, "string") && entry_context(expected, n) && !values)
		diag_add_help(p->diags, d, "names are written without quotes; for keys "
			      "that are not names, assign a map: env = { \"X-KEY\" = \"1\" }");
	else if (!strcmp(found, "'='") && entry_context(expected, n))
		hint_value_missing_above(p, d);
	else if (values && !strcmp(found, "'='") && prev_token_is(p, "="))
		diag_add_help(p->diags, d, "a field is set with a single '='");
	else if (values && prev_token_is(p, ".."))
		diag_add_help(p->diags, d, "a range needs both ends, as in 100m..500m");
}

/* Whether this error only repeats one already reported (see the top). */
static bool is_echo(struct parser *p, const char *found,
		    const char *const *expected, int n)
{
	if (p->after_dropped)
		return true;
	if (!strcmp(found, "end of file") && p->eof_error)
		return true;
	/* A closing bracket where the parser takes none, whose opening
	 * bracket came before the last error (or which has none): that
	 * error's recovery skipped the opening one. */
	if (is_closer(found) && p->syntax_errors > 0 &&
	    (!p->closed_valid || p->closed.start < p->last_error))
		return !has(expected, n, "'}'") && !has(expected, n, "']'") &&
		       !has(expected, n, "')'");
	return false;
}

void syntax_error_report(struct parser *p, struct span at, const char *found,
			 const char *const *expected, int n)
{
	if (p->stopped)
		return;
	bool echo = is_echo(p, found, expected, n);
	p->syntax_errors++;
	p->last_error = at.start;
	if (echo)
		return;
	struct strbuf b;
	strbuf_init(&b);
	if (is_closer(found) && !p->closed_valid) {
		strbuf_printf(&b, "unmatched '%c'", found[1]);
	} else {
		if (n > 0) {
			strbuf_puts(&b, "expected ");
			append_expected(&b, p, expected, n);
			strbuf_puts(&b, ", found ");
		} else {
			strbuf_puts(&b, "unexpected ");
		}
		append_found(&b, p, at, found);
	}
	struct diag *d = diag_emit(p->diags, DIAG_E0101, p->src, at, "%s", b.data);
	strbuf_free(&b);
	add_labels(p, d, at, found, has(expected, n, "integer") && has(expected, n, "string"));
	if (!is_closer(found) || p->closed_valid)
		add_help(p, d, at, found, expected, n);
}
