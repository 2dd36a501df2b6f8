/* parse.c - drives the scanner and parser over one source.
 *
 * Before scanning, the whole text is checked to be UTF-8 without NUL
 * bytes, so the scanner and every later stage may assume valid text.
 * This file also holds the tree-building steps that need the parser's
 * state: nesting and chain limits, and the dedent of multi-line strings. */
#include "parse.h"

#include <string.h>

#include "lex_support.h"
#include "parser.h"

#define MAX_ENCODING_ERRORS 10

static void report_invalid_bytes(struct parser *p, uint32_t start, uint32_t end)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0001, p->src, span_make(start, end),
				   "invalid UTF-8 byte 0x%02X",
				   (unsigned char)p->src->text[start]);
	diag_set_label(p->diags, d, "not UTF-8");
	diag_add_help(p->diags, d, "a .dep file is UTF-8 text; re-save it as UTF-8");
}

static void report_nul(struct parser *p, uint32_t at)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0002, p->src, span_make(at, at + 1),
				   "NUL byte in the source");
	diag_add_help(p->diags, d, "a .dep file is text; remove the NUL byte "
		      "(is this a binary file?)");
}

/* Reports runs of bad bytes, at most MAX_ENCODING_ERRORS of them, and
 * returns whether the text is clean. */
static bool check_encoding(struct parser *p)
{
	const char *t = p->src->text;
	size_t len = p->src->len, i = 0, reported = 0, bad = 0;
	while (i < len) {
		int32_t cp;
		int n = t[i] ? source_decode(t + i, len - i, &cp) : 0;
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		size_t start = i++;
		while (n < 0 && i < len && t[i] && source_decode(t + i, len - i, &cp) < 0)
			i++;
		bad++;
		if (reported++ >= MAX_ENCODING_ERRORS)
			continue;
		if (n == 0)
			report_nul(p, (uint32_t)start);
		else
			report_invalid_bytes(p, (uint32_t)start, (uint32_t)i);
	}
	if (bad > MAX_ENCODING_ERRORS)
		diag_add_note(p->diags, p->diags->last,
			      "%zu more places with invalid bytes are not shown",
			      bad - MAX_ENCODING_ERRORS);
	return bad == 0;
}

struct ast_node *parse_source(struct arena *a, const struct source *src,
			      struct diag_bag *diags)
{
	struct parser p = { .arena = a, .src = src, .diags = diags };
	struct span whole = span_make(0, (uint32_t)src->len);
	if (check_encoding(&p) && lex_open(&p)) {
		parse_run(&p);
		lex_close(&p);
	}
	struct ast_node *root = p.root ? p.root : ast_file(a, whole, NULL);
	ast_set_source(root, src);
	return root;
}

bool parse_enter(struct parser *p, struct span at)
{
	if (p->stopped)
		return false;
	if (p->depth < PARSE_MAX_DEPTH) {
		p->open[p->depth++] = at;
		return true;
	}
	struct diag *d = diag_emit(p->diags, DIAG_E0102, p->src, at,
				   "nesting is deeper than %d levels", PARSE_MAX_DEPTH);
	diag_set_label(p->diags, d, "one level too deep");
	diag_add_note(p->diags, d, "the rest of the file is not read");
	diag_add_help(p->diags, d, "flatten the structure: split it into separate "
		      "declarations and refer to them by name");
	p->stopped = true;
	return false;
}

void parse_leave(struct parser *p, struct span at)
{
	p->closed_valid = p->depth > 0;
	if (!p->closed_valid)
		return;
	p->closed = p->open[--p->depth];
	if (p->depth == 0) {
		p->outer_close = at;
		p->outer_closed = true;
	}
}

static bool chain_too_long(struct parser *p, struct span at, unsigned chain)
{
	if (chain <= PARSE_MAX_DEPTH || p->stopped)
		return p->stopped;
	struct diag *d = diag_emit(p->diags, DIAG_E0102, p->src, at,
				   "a chain of more than %d '.' or '(' operators",
				   PARSE_MAX_DEPTH);
	diag_add_note(p->diags, d, "the rest of the file is not read");
	p->stopped = true;
	return true;
}

struct ast_node *parse_member(struct parser *p, struct span at,
			      struct ast_node *object, const char *name,
			      struct span name_span)
{
	struct ast_node *n = ast_member(p->arena, at, object, name, name_span);
	return chain_too_long(p, at, n->u.member.chain) ? object : n;
}

struct ast_node *parse_call(struct parser *p, struct span at,
			    struct ast_node *callee, struct ast_node *args)
{
	struct ast_node *n = ast_call(p->arena, at, callee, args);
	return chain_too_long(p, at, n->u.call.chain) ? callee : n;
}

static const char *fixed_string(struct parser *p, struct ast_node *str,
				const char *what)
{
	const char *plain = ast_string_plain(str);
	if (plain)
		return plain;
	struct diag *d = diag_emit(p->diags, DIAG_E0106, p->src, str->span,
				   "%s cannot contain interpolation", what);
	diag_add_help(p->diags, d, "write the text out in full, or escape '$' as '\\$'");
	return "";
}

struct ast_node *parse_import(struct parser *p, struct span at,
			      struct ast_node *path, const char *alias,
			      struct span alias_span)
{
	const char *text = fixed_string(p, path, "an import path");
	return ast_import(p->arena, at, text, path->span, alias, alias_span);
}

struct ast_node *parse_key(struct parser *p, struct ast_node *str)
{
	const char *text = fixed_string(p, str, "a map key");
	return ast_attr(p->arena, str->span, text, str->span, true, NULL);
}

void parse_misplaced(struct parser *p, struct span at, const char *what)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0105, p->src, at,
				   "'%s' inside a block", what);
	diag_add_help(p->diags, d, "move the %s to the top level of the file", what);
}

void parse_report_failure(struct parser *p, struct span at, const char *msg)
{
	if (!p->stopped)
		diag_emit(p->diags, DIAG_E0101, p->src, at, "%s", msg);
	p->stopped = true;
}

/* Multi-line strings: the closing """ sets the margin.  Every line must
 * be indented at least that far (checked on the raw source so the span is
 * exact); the margin and the newline after the opening """ are removed. */
static void check_margin(struct parser *p, struct span at, int indent)
{
	const char *t = p->src->text;
	size_t first = source_line_of(p->src, at.start);
	size_t last = source_line_of(p->src, at.end);
	for (size_t line = first + 1; line < last; line++) {
		struct span ls = source_line_span(p->src, line);
		uint32_t i = ls.start;
		while (i < ls.end && (t[i] == ' ' || t[i] == '\t') &&
		       (int)(i - ls.start) < indent)
			i++;
		if ((int)(i - ls.start) >= indent || i == ls.end)
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_E0011, p->src,
					   span_make(ls.start, i > ls.start ? i : i + 1),
					   "line is indented less than the closing \"\"\"");
		diag_add_label(p->diags, d, p->src, span_make(at.end - 3, at.end),
			       "the closing quotes set the margin");
		diag_add_help(p->diags, d, "indent every line at least %d characters, "
			      "or move the closing \"\"\" to the left", indent);
	}
}

struct dedent {
	int indent;      /* margin to remove */
	int removed;     /* removed so far on this line */
	bool line_start; /* still inside this line's margin */
};

static struct ast_node *dedent_text(struct arena *a, struct ast_node *n,
				    struct dedent *st)
{
	const char *s = n->u.text.text;
	char *out = arena_alloc(a, n->u.text.len + 1);
	size_t k = 0;
	for (size_t i = 0; i < n->u.text.len; i++) {
		char c = s[i];
		if (st->line_start && st->removed < st->indent && (c == ' ' || c == '\t')) {
			st->removed++;
			continue;
		}
		st->line_start = c == '\n';
		st->removed = 0;
		out[k++] = c;
	}
	return ast_text(a, n->span, out, k);
}

struct ast_node *parse_mstring(struct parser *p, struct span at,
			       struct ast_node *parts, int indent)
{
	struct ast_node *str = ast_string(p->arena, at, parts);
	str->u.string.multiline = true;
	struct ast_node *first = str->u.string.parts;
	if (indent < 0 || !first)
		return str;
	check_margin(p, at, indent);
	struct dedent st = { indent, 0, false };
	if (first->kind == AST_TEXT && first->u.text.len && first->u.text.text[0] == '\n') {
		first->u.text.text++;
		first->u.text.len--;
		st.line_start = true;
	}
	struct ast_list out = { 0 };
	for (struct ast_node *n = first, *next; n; n = next) {
		next = n->next;
		n->next = NULL;
		if (n->kind == AST_TEXT)
			n = dedent_text(p->arena, n, &st);
		else
			st.line_start = false;
		ast_list_append(&out, n);
	}
	str->u.string.parts = out.head;
	return str;
}
