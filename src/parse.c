/* parse.c - drives the scanner and parser over one source.
 *
 * Before scanning, the whole text is checked to be UTF-8 without NUL
 * bytes, so the scanner and every later stage may assume valid text.
 * This file also holds the tree-building steps that need the parser's
 * state: nesting and chain limits, and the dedent of multi-line strings. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include "lex_support.h"
#include "parser.h"

#define MAX_ENCODING_ERRORS 10

/* "byte 0xE9", "bytes 0xFF 0xFE" for a short run, a count for a long one. */
static void report_invalid_bytes(struct parser *p, uint32_t start, uint32_t end)
{
	const unsigned char *b = (const unsigned char *)p->src->text + start;
	uint32_t n = end - start;
	struct strbuf what;
	strbuf_init(&what);
	if (n > 4)
		strbuf_printf(&what, "%u invalid UTF-8 bytes, the first 0x%02X", n, b[0]);
	else
		strbuf_puts(&what, n == 1 ? "invalid UTF-8 byte" : "invalid UTF-8 bytes");
	for (uint32_t i = 0; n <= 4 && i < n; i++)
		strbuf_printf(&what, " 0x%02X", b[i]);
	struct diag *d = diag_emit(p->diags, DIAG_E0001, p->src, span_make(start, end),
				   "%s", what.data);
	strbuf_free(&what);
	diag_set_label(p->diags, d, "not UTF-8");
	/* A lone byte from 0xA0 up is most often a Latin-1 letter. */
	if (n == 1 && b[0] >= 0xA0)
		diag_add_help(p->diags, d, "0x%02X is '%c%c' in Latin-1 (ISO 8859-1); "
			      "a .dep file is UTF-8 text, so re-save it as UTF-8",
			      b[0], 0xC0 | (b[0] >> 6), 0x80 | (b[0] & 0x3F));
	else
		diag_add_help(p->diags, d, "a .dep file is UTF-8 text; re-save it as UTF-8");
}

static void report_nul(struct parser *p, uint32_t start, uint32_t end)
{
	struct diag *d;
	if (end - start == 1)
		d = diag_emit(p->diags, DIAG_E0002, p->src, span_make(start, end),
			      "NUL byte in the source");
	else
		d = diag_emit(p->diags, DIAG_E0002, p->src, span_make(start, end),
			      "%u NUL bytes in the source", end - start);
	diag_add_help(p->diags, d, "a .dep file is text; remove the NUL byte%s "
		      "(is this a binary file?)", end - start == 1 ? "" : "s");
}

/* Are the 8 bytes at t all ASCII and none NUL?  Read as one word: most
 * of any source is such runs, and a byte at a time was 5 instructions
 * per byte of input. */
static bool ascii_word(const char *t)
{
	uint64_t w;
	memcpy(&w, t, sizeof w);
	const uint64_t high = UINT64_C(0x8080808080808080);
	return !(w & high) && !((w - UINT64_C(0x0101010101010101)) & ~w & high);
}

/* Reports runs of bad bytes in [from, len), at most MAX_ENCODING_ERRORS
 * of them, and returns whether the text is clean. */
static bool check_encoding(struct parser *p, size_t from, size_t len)
{
	const char *t = p->src->text;
	size_t i = from, reported = 0, bad = 0;
	while (i < len) {
		if (len - i >= 8 && ascii_word(t + i)) {
			i += 8;
			continue;
		}
		if ((unsigned char)t[i] - 1u < 0x7fu) {
			i++;  /* ASCII other than NUL, most of any source */
			continue;
		}
		int32_t cp;
		int n = t[i] ? source_decode(t + i, len - i, &cp) : 0;
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		size_t start = i++;
		while (n < 0 && i < len && t[i] && source_decode(t + i, len - i, &cp) < 0)
			i++;
		while (n == 0 && i < len && !t[i])
			i++;
		bad++;
		if (reported++ >= MAX_ENCODING_ERRORS)
			continue;
		if (n == 0)
			report_nul(p, (uint32_t)start, (uint32_t)i);
		else
			report_invalid_bytes(p, (uint32_t)start, (uint32_t)i);
	}
	if (bad > MAX_ENCODING_ERRORS)
		diag_add_note(p->diags, p->diags->last,
			      "%zu more places with invalid bytes are not shown",
			      bad - MAX_ENCODING_ERRORS);
	return bad == 0;
}

static struct ast_node *parse(struct arena *a, const struct source *src,
			      struct diag_bag *diags, struct parse_comment **comments)
{
	struct parser p = { .arena = a, .src = src, .diags = diags,
			    .keep_comments = comments != NULL };
	struct span whole = span_make(0, (uint32_t)src->len);
	if (check_encoding(&p, 0, src->len) && lex_open(&p)) {
		parse_run(&p);
		lex_close(&p);
	}
	struct ast_node *root = p.root ? p.root : ast_file(a, whole, NULL);
	ast_set_source(root, src);
	if (comments)
		*comments = p.comments;
	return root;
}

struct ast_node *parse_region(struct arena *a, const struct source *src, uint32_t from,
			      uint32_t to, struct diag_bag *diags,
			      struct parse_comment **comments)
{
	struct parser p = { .arena = a, .src = src, .diags = diags, .keep_comments = true };
	char *copy = NULL;
	if (check_encoding(&p, from, to) && lex_open_region(&p, from, to, &copy)) {
		parse_run(&p);
		lex_close(&p);
	}
	free(copy);
	*comments = p.comments;
	return p.root ? p.root : ast_file(a, span_make(0, 0), NULL);
}

struct ast_node *parse_source(struct arena *a, const struct source *src,
			      struct diag_bag *diags)
{
	return parse(a, src, diags, NULL);
}

struct ast_node *parse_source_comments(struct arena *a, const struct source *src,
				       struct diag_bag *diags,
				       struct parse_comment **comments)
{
	return parse(a, src, diags, comments);
}

void lex_comment(struct parser *p, struct span at)
{
	if (!p->keep_comments)
		return;
	struct parse_comment *c = arena_alloc(p->arena, sizeof *c);
	c->span = at;
	if (p->comments_tail)
		p->comments_tail->next = c;
	else
		p->comments = c;
	p->comments_tail = c;
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

/* `step` is the one operator past the limit: '.name' or '(args)'. */
static bool chain_too_long(struct parser *p, struct span step, unsigned chain)
{
	if (chain <= PARSE_MAX_DEPTH || p->stopped)
		return p->stopped;
	struct diag *d = diag_emit(p->diags, DIAG_E0102, p->src, step,
				   "a chain of more than %d '.' or '(' operators",
				   PARSE_MAX_DEPTH);
	diag_set_label(p->diags, d, "one step too many");
	diag_add_note(p->diags, d, "the rest of the file is not read");
	diag_add_help(p->diags, d, "refer to the value by a shorter path");
	p->stopped = true;
	return true;
}

struct ast_node *parse_member(struct parser *p, struct span at,
			      struct ast_node *object, const char *name,
			      struct span name_span)
{
	struct ast_node *n = ast_member(p->arena, at, object, name, name_span);
	struct span step = span_make(object->span.end, name_span.end);
	return chain_too_long(p, step, n->u.member.chain) ? object : n;
}

struct ast_node *parse_call(struct parser *p, struct span at,
			    struct ast_node *callee, struct ast_node *args)
{
	struct ast_node *n = ast_call(p->arena, at, callee, args);
	struct span step = span_make(callee->span.end, at.end);
	return chain_too_long(p, step, n->u.call.chain) ? callee : n;
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

/* A quoted block label (a dashboard or panel title) names the block and
 * becomes a file name and a UID, so it must be fixed text. */
struct ast_node *parse_label(struct parser *p, struct ast_node *str)
{
	fixed_string(p, str, "a block title");
	return str;
}

struct ast_node *parse_key(struct parser *p, struct ast_node *str)
{
	const char *text = fixed_string(p, str, "a map key");
	return ast_attr(p->arena, str->span, text, str->span, true, NULL);
}

/* Whether the token just read - where the parse resumes after an error
 * - is the first on a line below that error.  Then what follows is a new
 * entry, and an error in it is news, not an echo of the last one. */
bool parse_resync(struct parser *p)
{
	const char *t = p->src->text;
	uint32_t i = p->last_start;
	if (source_line_of(p->src, i) <= source_line_of(p->src, p->last_error))
		return false;
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	return i == 0 || t[i - 1] == '\n';
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
		/* Underline the indentation and the first character. */
		int32_t cp;
		int len = source_decode(t + i, ls.end - i, &cp);
		struct span s = span_make(ls.start, i + (uint32_t)(len > 0 ? len : 1));
		struct diag *d = diag_emit(p->diags, DIAG_E0011, p->src, s,
					   "line is indented less than the closing \"\"\"");
		diag_set_label(p->diags, d, "indented %u, the margin is %d",
			       i - ls.start, indent);
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

/* E0107: a literal over PARSE_MAX_STRING bytes is reported once; it is
 * kept in the tree so the rest of the file still checks. */
static void check_string_size(struct parser *p, struct span at)
{
	if (at.end - at.start <= PARSE_MAX_STRING)
		return;
	struct diag *d = diag_emit(p->diags, DIAG_E0107, p->src,
				   span_make(at.start, at.start + 1),
				   "string literal is longer than the limit of %u bytes",
				   (unsigned)PARSE_MAX_STRING);
	diag_set_label(p->diags, d, "this string is %u bytes long",
		       (unsigned)(at.end - at.start));
	diag_add_help(p->diags, d, "keep large content in a file and refer to it by path");
}

/* string : T_STR_BEGIN string_parts T_STR_END */
struct ast_node *parse_string(struct parser *p, struct span at, struct ast_node *parts)
{
	check_string_size(p, at);
	return ast_string(p->arena, at, parts);
}

struct ast_node *parse_mstring(struct parser *p, struct span at,
			       struct ast_node *parts, int indent)
{
	check_string_size(p, at);
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
