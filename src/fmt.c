/* fmt.c - reprints a syntax tree in the canonical layout (see fmt.h).
 *
 * The tree holds no comments and no layout, so the parser is asked for
 * the comments the scanner skipped, and the source is consulted for
 * what the tree leaves out: where blank lines were, and the text of
 * strings and numbers, which are copied as written.  The tree is walked
 * in source order with a cursor into the comments; before each entry or
 * item every comment that comes before it in the source is written on
 * lines of its own, and after it every comment on the line where it
 * ended (or inside it, where the layout has no line for one, such as
 * between a name and its '=') is written at the end of its line.  So no
 * comment is lost or reordered, and the output, read again, puts each
 * comment in the same place: formatting is idempotent.
 *
 * Layout decisions depend on the tree, the comments and the blank lines,
 * and on three things an author chooses on purpose, each kept only where
 * it fits: a block written on one line, a list broken between items, and
 * the column of a comment at the end of a line.  Whatever else the input
 * looks like gives the same output. */
#include "fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

#define FMT_MAX_COLUMNS 8

struct fmt {
	const struct source *src;
	const char *text;        /* src->text */
	struct strbuf out;       /* the result so far */
	struct span *comments;   /* every comment, in source order */
	size_t ncomments;
	size_t next;             /* first comment not yet written */
	uint32_t last;           /* source offset past the last thing written */
	size_t indent;           /* spaces opening the current line */
	size_t col;              /* characters on the current output line */
	bool fresh;              /* nothing written yet after an opening bracket */
	/* Columns of the run of one-line blocks being written: blocks whose
	 * entries have the names of `columns_of`'s pad entry k to column[k]. */
	const struct ast_node *columns_of;
	size_t column[FMT_MAX_COLUMNS];
	size_t ncolumns;
};

static void flat(struct fmt *f, struct strbuf *b, const struct ast_node *n);
static void value(struct fmt *f, const struct ast_node *n, size_t extra);
static void entries(struct fmt *f, const struct ast_node *first, uint32_t close);

/* --- output ------------------------------------------------------------- */

static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* The length of the run of `s` before its first "\r\n", or n. */
static size_t before_crlf(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	const char *cr = memchr(s, '\r', n);
	while (cr && (size_t)(cr - s) + 1 < n && cr[1] != '\n')
		cr = memchr(cr + 1, '\r', n - (size_t)(cr + 1 - s));
	return cr && (size_t)(cr - s) + 1 < n ? (size_t)(cr - s) : n;
}

/* Appends text with no "\r\n" in it; the column counts the characters
 * after its last line break. */
static void emit_run(struct fmt *f, const char *s, size_t n)
{
	if (n == 0)
		return;
	strbuf_put(&f->out, s, n);
	size_t i = n;
	while (i > 0 && s[i - 1] != '\n')
		i--;
	f->col = (i > 0 ? 0 : f->col) + chars(s + i, n - i);
}

/* Appends text; "\r\n" becomes "\n" (strings and block comments are
 * copied from sources that may use either).  Copied a run at a time:
 * formatting a big document writes hundreds of thousands of these. */
static void emit(struct fmt *f, const char *s, size_t n)
{
	for (;;) {
		size_t run = before_crlf(s, n);
		emit_run(f, s, run);
		if (run == n)
			return;
		s += run + 1; /* the '\r' is dropped, its '\n' starts the next run */
		n -= run + 1;
	}
}

static void emits(struct fmt *f, const char *s)
{
	emit(f, s, strlen(s));
}

static void source_text(struct fmt *f, struct span s)
{
	emit(f, f->text + s.start, s.end - s.start);
}

/* Ends the line, dropping spaces left at its end. */
static void newline(struct fmt *f)
{
	while (f->out.len && f->out.data[f->out.len - 1] == ' ')
		f->out.len--;
	strbuf_putc(&f->out, '\n');
	f->col = 0;
}

static void begin_line(struct fmt *f)
{
	for (size_t i = 0; i < f->indent; i++)
		strbuf_putc(&f->out, ' ');
	f->col = f->indent;
}

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* --- comments and blank lines ------------------------------------------- */

static size_t line_of(const struct fmt *f, uint32_t at)
{
	return source_line_of(f->src, at);
}

/* line_of(f, a) == line_of(f, b), without looking the lines up: no line
 * break between them. */
static bool same_line(const struct fmt *f, uint32_t a, uint32_t b)
{
	uint32_t len = (uint32_t)f->src->len;
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	lo = lo < len ? lo : len;
	hi = hi < len ? hi : len;
	return !memchr(f->text + lo, '\n', hi - lo);
}

static bool is_line_comment(const struct fmt *f, size_t i)
{
	return f->text[f->comments[i].start] != '/' || f->text[f->comments[i].start + 1] == '/';
}

static void comment(struct fmt *f, size_t i)
{
	struct span s = f->comments[i];
	if (is_line_comment(f, i))
		while (s.end > s.start && strchr(" \t\r", f->text[s.end - 1]))
			s.end--;
	source_text(f, s);
	f->last = max32(f->last, f->comments[i].end);
}

/* Is there a line holding only white space strictly between the lines
 * of `from` and `to`? */
static bool blank_between(const struct fmt *f, uint32_t from, uint32_t to)
{
	uint32_t len = (uint32_t)f->src->len;
	const char *p = f->text + (from < len ? from : len), *end = f->text + (to < len ? to : len);
	/* Each line starting after a line break at or after `from` and ended
	 * by one before `to`; as before, a NUL counts as white space. */
	for (p = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL; p;
	     p = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL) {
		p++;
		while (p < end && strchr(" \t\r", *p))
			p++;
		if (p < end && *p == '\n')
			return true;
	}
	return false;
}

/* One empty line where the source had at least one, except right after
 * an opening bracket. */
static void blank_before(struct fmt *f, uint32_t at)
{
	if (!f->fresh && blank_between(f, f->last, at))
		strbuf_putc(&f->out, '\n');
}

/* Writes the comments that start before `at` on lines of their own,
 * keeping together those that shared a source line.  Called at the
 * start of a line. */
static void leading(struct fmt *f, uint32_t at)
{
	bool open = false;
	while (f->next < f->ncomments && f->comments[f->next].start < at) {
		struct span c = f->comments[f->next];
		if (open && same_line(f, f->comments[f->next - 1].end, c.start)) {
			emits(f, " ");
		} else {
			if (open)
				newline(f);
			blank_before(f, c.start);
			begin_line(f);
		}
		comment(f, f->next++);
		open = true;
		f->fresh = false;
	}
	if (open)
		newline(f);
}

/* Index just past the comments from `i` on that belong at the end of the
 * line of something ending at `anchor`: those inside it and those after
 * it on its last line, all before `limit`. */
static size_t trailing_end(const struct fmt *f, size_t i, uint32_t limit, uint32_t anchor)
{
	while (i < f->ncomments && f->comments[i].start < limit &&
	       (f->comments[i].start < anchor || same_line(f, anchor, f->comments[i].start)))
		i++;
	return i;
}

/* Nothing may follow a line comment on its line, so a comment after one
 * goes on the next line. */
static bool spills(const struct fmt *f, size_t i, size_t end)
{
	for (size_t k = i + 1; k < end; k++)
		if (is_line_comment(f, k - 1))
			return true;
	return false;
}

/* A comment at the end of a line keeps the column its author gave it,
 * so comments lined up by hand stay lined up, when that leaves two
 * spaces after the code; else it goes two spaces after the code. */
static void comment_column(struct fmt *f, size_t i)
{
	uint32_t at = f->comments[i].start;
	struct span line = source_line_span(f->src, line_of(f, at));
	size_t col = chars(f->text + line.start, at - line.start);
	emits(f, "  ");
	while (f->col < col)
		emits(f, " ");
}

/* Ends the line of something that ended at `anchor` in the source,
 * with its trailing comments. */
static void trailing(struct fmt *f, uint32_t limit, uint32_t anchor)
{
	size_t end = trailing_end(f, f->next, limit, anchor);
	f->last = max32(f->last, anchor);
	for (size_t i = f->next; i < end; i++) {
		if (i == f->next) {
			comment_column(f, i);
		} else if (is_line_comment(f, i - 1)) {
			newline(f);
			begin_line(f);
		} else {
			emits(f, " ");
		}
		comment(f, i);
	}
	f->next = end;
	newline(f);
	f->fresh = false;
}

static size_t first_comment_at(const struct fmt *f, uint32_t at)
{
	size_t i = f->next;
	while (i < f->ncomments && f->comments[i].start < at)
		i++;
	return i;
}

static bool comment_inside(const struct fmt *f, uint32_t start, uint32_t end)
{
	size_t i = first_comment_at(f, start);
	return i < f->ncomments && f->comments[i].start < end;
}

/* The offset of `ch` at or after `from`, past white space, separators
 * and comments; for the brackets of a template, which the tree does not
 * record.  `from` when something else comes first. */
static uint32_t find_char(const struct fmt *f, uint32_t from, char ch)
{
	uint32_t i = from;
	size_t c = first_comment_at(f, from);
	while (i < f->src->len && f->text[i] != ch) {
		if (c < f->ncomments && f->comments[c].start == i)
			i = f->comments[c++].end;
		else if (strchr(" \t\r\n,;", f->text[i]))
			i++;
		else
			return from;
	}
	return i;
}

/* --- values on one line ------------------------------------------------- */

static void flat_list(struct fmt *f, struct strbuf *b, const struct ast_node *n,
		      const char *sep)
{
	for (; n; n = n->next) {
		flat(f, b, n);
		if (n->next)
			strbuf_puts(b, sep);
	}
}

static void flat_span(struct fmt *f, struct strbuf *b, struct span s)
{
	const char *p = f->text + s.start;
	size_t n = s.end - s.start;
	for (;;) {
		size_t run = before_crlf(p, n);
		strbuf_put(b, p, run);
		if (run == n)
			return;
		p += run + 1;
		n -= run + 1;
	}
}

/* A range, or a number before '.', must be parenthesised to read back. */
static void flat_operand(struct fmt *f, struct strbuf *b, const struct ast_node *n,
			 bool member)
{
	bool paren = n->kind == AST_RANGE ||
		     (member && (n->kind == AST_INT || n->kind == AST_FLOAT || n->kind == AST_UNIT));
	if (paren)
		strbuf_putc(b, '(');
	flat(f, b, n);
	if (paren)
		strbuf_putc(b, ')');
}

static void flat_attr(struct fmt *f, struct strbuf *b, const struct ast_node *n)
{
	if (n->u.attr.name_quoted)
		flat_span(f, b, n->u.attr.name_span);
	else
		strbuf_puts(b, n->u.attr.name);
	if (n->u.attr.value) {
		strbuf_puts(b, " = ");
		flat(f, b, n->u.attr.value);
	}
}

static void flat_compound(struct fmt *f, struct strbuf *b, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_LIST:
		strbuf_putc(b, '[');
		flat_list(f, b, n->u.list.items, ", ");
		strbuf_putc(b, ']');
		break;
	case AST_MAP:
		strbuf_puts(b, n->u.list.items ? "{ " : "{");
		flat_list(f, b, n->u.list.items, ", ");
		strbuf_puts(b, n->u.list.items ? " }" : "}");
		break;
	case AST_MEMBER:
		flat_operand(f, b, n->u.member.object, true);
		strbuf_printf(b, ".%s", n->u.member.name);
		break;
	case AST_CALL:
		flat_operand(f, b, n->u.call.callee, true);
		strbuf_putc(b, '(');
		flat_list(f, b, n->u.call.args, ", ");
		strbuf_putc(b, ')');
		break;
	default:
		flat_operand(f, b, n->u.range.lo, false);
		strbuf_puts(b, "..");
		flat_operand(f, b, n->u.range.hi, false);
		break;
	}
}

/* Strings, numbers and unit literals are copied as written. */
static void flat(struct fmt *f, struct strbuf *b, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_IDENT: strbuf_puts(b, n->u.ident.name); break;
	case AST_BOOL: strbuf_puts(b, n->u.boolean.value ? "true" : "false"); break;
	case AST_ATTR: flat_attr(f, b, n); break;
	case AST_INT: case AST_FLOAT: case AST_UNIT: case AST_STRING:
		flat_span(f, b, n->span);
		break;
	default: flat_compound(f, b, n); break;
	}
}

/* --- values that may break ---------------------------------------------- */

static bool breakable(const struct ast_node *n)
{
	return ((n->kind == AST_LIST || n->kind == AST_MAP) && n->u.list.items) ||
	       (n->kind == AST_CALL && n->u.call.args);
}

/* Characters up to the first line break (a multi-line string). */
static size_t first_line_width(const struct strbuf *b)
{
	const char *nl = memchr(b->data ? b->data : "", '\n', b->len);
	return chars(b->data, nl ? (size_t)(nl - b->data) : b->len);
}

/* Does `n` go on one line starting at column `col`, with `extra`
 * characters after it?  Never when a comment is inside it. */
static bool fits_at(struct fmt *f, const struct ast_node *n, size_t col, size_t extra)
{
	if (!breakable(n))
		return true;
	if (comment_inside(f, n->span.start, n->span.end))
		return false;
	struct strbuf b;
	strbuf_init(&b);
	flat(f, &b, n);
	bool fits = col + first_line_width(&b) + extra <= FMT_WIDTH;
	strbuf_free(&b);
	return fits;
}

static void flat_out(struct fmt *f, const struct ast_node *n)
{
	struct strbuf b;
	strbuf_init(&b);
	flat(f, &b, n);
	emit(f, b.data ? b.data : "", b.len);
	strbuf_free(&b);
}

/* An item of a broken list: a value, a named argument or a parameter. */
static void item(struct fmt *f, const struct ast_node *n, size_t extra)
{
	if (n->kind != AST_ATTR) {
		value(f, n, extra);
		return;
	}
	emits(f, n->u.attr.name);
	if (n->u.attr.value) {
		emits(f, " = ");
		value(f, n->u.attr.value, extra);
	}
}

/* Items one per line, each with a comma, after an opening bracket that
 * ended at `open` in the source; `close` is the closing bracket. */
static void broken_items(struct fmt *f, const struct ast_node *items, uint32_t open,
			 uint32_t close, const char *closer)
{
	f->indent += 2; /* a comment spilling off the opening line is inside */
	trailing(f, items ? items->span.start : close, open);
	f->fresh = true;
	for (const struct ast_node *n = items; n; n = n->next) {
		leading(f, n->span.start);
		blank_before(f, n->span.start);
		begin_line(f);
		item(f, n, 1);
		emits(f, ",");
		trailing(f, n->next ? n->next->span.start : close, n->span.end);
	}
	leading(f, close);
	f->indent -= 2;
	begin_line(f);
	emits(f, closer);
	f->last = max32(f->last, close + 1);
}

static void broken_map(struct fmt *f, const struct ast_node *n)
{
	uint32_t close = n->span.end - 1;
	emits(f, "{");
	f->indent += 2;
	trailing(f, n->u.list.items->span.start, n->span.start + 1);
	entries(f, n->u.list.items, close);
	f->indent -= 2;
	begin_line(f);
	emits(f, "}");
	f->last = max32(f->last, n->span.end);
}

/* Did the author break these items only between items, the first on
 * the opening bracket's line (`f(a, b,\n  c)`)?  Such a list keeps its
 * breaks, each line after the first starting under the first item. */
static bool filled(const struct fmt *f, const struct ast_node *items, uint32_t open,
		   uint32_t close)
{
	if (!items || !same_line(f, open, items->span.start) ||
	    comment_inside(f, open, close))
		return false;
	for (const struct ast_node *n = items; n->next; n = n->next)
		if (!same_line(f, n->span.end, n->next->span.start))
			return true;
	return false; /* all on one line that does not fit: one per line */
}

/* Columns the items from `n` up to the next break take, flat. */
static size_t line_width(struct fmt *f, const struct ast_node *n)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct ast_node *prev = NULL; n; prev = n, n = n->next) {
		if (prev && !same_line(f, prev->span.end, n->span.start))
			break;
		if (prev)
			strbuf_puts(&b, ", ");
		flat(f, &b, n);
	}
	size_t w = first_line_width(&b);
	strbuf_free(&b);
	return w;
}

/* Each line after the first starts under the first item, or, when its
 * items would not fit there, four columns in from the block's entries. */
static void filled_items(struct fmt *f, const struct ast_node *items, const char *closer,
			 uint32_t close)
{
	size_t col = f->col;
	for (const struct ast_node *prev = NULL, *n = items; n; prev = n, n = n->next) {
		if (prev && !same_line(f, prev->span.end, n->span.start)) {
			emits(f, ",");
			newline(f);
			size_t to = col + line_width(f, n) + 1 <= FMT_WIDTH ? col : f->indent + 4;
			while (f->col < to)
				emits(f, " ");
		} else if (prev) {
			emits(f, ", ");
		}
		item(f, n, n->next ? 1 : 1 + strlen(closer));
	}
	emits(f, closer);
	f->last = max32(f->last, close + 1);
}

/* A value at the current column, broken over lines when it does not fit. */
static void value(struct fmt *f, const struct ast_node *n, size_t extra)
{
	if (fits_at(f, n, f->col, extra)) {
		flat_out(f, n);
	} else if (n->kind == AST_LIST && filled(f, n->u.list.items, n->span.start, n->span.end - 1)) {
		emits(f, "[");
		filled_items(f, n->u.list.items, "]", n->span.end - 1);
	} else if (n->kind == AST_CALL &&
		   filled(f, n->u.call.args, n->u.call.callee->span.end, n->span.end - 1)) {
		struct strbuf b;
		strbuf_init(&b);
		flat_operand(f, &b, n->u.call.callee, true);
		emit(f, b.data, b.len);
		strbuf_free(&b);
		emits(f, "(");
		filled_items(f, n->u.call.args, ")", n->span.end - 1);
	} else if (n->kind == AST_LIST) {
		emits(f, "[");
		broken_items(f, n->u.list.items, n->span.start + 1, n->span.end - 1, "]");
	} else if (n->kind == AST_MAP) {
		broken_map(f, n);
	} else {
		const struct ast_node *callee = n->u.call.callee;
		struct strbuf b;
		strbuf_init(&b);
		flat_operand(f, &b, callee, true);
		emit(f, b.data, b.len);
		strbuf_free(&b);
		emits(f, "(");
		broken_items(f, n->u.call.args, callee->span.end, n->span.end - 1, ")");
	}
}

/* --- entries ------------------------------------------------------------ */

static size_t label_width(const struct fmt *f, const struct ast_node *n)
{
	if (!n->u.block.label)
		return 0;
	struct span s = n->u.block.label_span;
	return 1 + (n->u.block.label_quoted ? chars(f->text + s.start, s.end - s.start)
					    : strlen(n->u.block.label));
}

/* What comes before the '=' of an attribute or the '{' of a block. */
static size_t name_width(const struct fmt *f, const struct ast_node *n)
{
	if (n->kind == AST_BLOCK)
		return strlen(n->u.block.kind) + label_width(f, n);
	if (!n->u.attr.name_quoted)
		return strlen(n->u.attr.name);
	struct span s = n->u.attr.name_span;
	return chars(f->text + s.start, s.end - s.start);
}

static bool block_on_one_line(struct fmt *f, const struct ast_node *n, size_t col,
			      struct strbuf *b);
static bool flat_body(struct fmt *f, struct strbuf *b, const struct ast_node *first);

/* An attribute that takes one line: its value fits unbroken and holds
 * no multi-line string. */
static bool one_line_attr(struct fmt *f, const struct ast_node *n)
{
	if (n->kind != AST_ATTR || !n->u.attr.value)
		return false;
	const struct ast_node *v = n->u.attr.value;
	if (!fits_at(f, v, f->indent + name_width(f, n) + 3, 0))
		return false;
	struct strbuf b;
	strbuf_init(&b);
	flat(f, &b, v);
	bool one = !b.len || !memchr(b.data, '\n', b.len);
	strbuf_free(&b);
	return one;
}

/* Entries whose '=' or '{' lines up with their neighbours': attributes,
 * and blocks kept on one line (`env      { NODE_ENV = "production" }`
 * under `replicas = 2`).  A block over several lines ends a run. */
static bool aligned(struct fmt *f, const struct ast_node *n)
{
	if (n->kind == AST_ATTR)
		return n->u.attr.value != NULL;
	if (n->kind != AST_BLOCK || n->u.block.base)
		return false;
	struct strbuf b;
	strbuf_init(&b);
	bool one = block_on_one_line(f, n, f->indent + name_width(f, n), &b);
	strbuf_free(&b);
	return one;
}

/* Named blocks line up with their own kind (`secret a {` over `secret
 * bc {`), everything else with everything else. */
static bool same_family(const struct ast_node *a, const struct ast_node *b)
{
	bool named_a = a->kind == AST_BLOCK && a->u.block.label;
	bool named_b = b->kind == AST_BLOCK && b->u.block.label;
	if (named_a != named_b)
		return false;
	return !named_a || !strcmp(a->u.block.kind, b->u.block.kind);
}

/* Does the run of aligned entries go on from `e` to `next`?  Not
 * across a blank line, a comment on a line of its own or a line holding
 * only the rest of `e`'s trailing comments. */
static bool run_continues(struct fmt *f, const struct ast_node *e, const struct ast_node *next)
{
	size_t i = first_comment_at(f, e->span.start);
	size_t end = trailing_end(f, i, next->span.start, e->span.end);
	if (end < f->ncomments && f->comments[end].start < next->span.start)
		return false;
	if (spills(f, i, end))
		return false;
	uint32_t last = e->span.end;
	for (size_t k = i; k < end; k++)
		last = max32(last, f->comments[k].end);
	return !blank_between(f, last, next->span.start) && aligned(f, next) &&
	       same_family(e, next);
}

/* Columns a block kept on one line takes after its name, or 0. */
static size_t flat_block_width(struct fmt *f, const struct ast_node *n)
{
	if (n->kind != AST_BLOCK)
		return 0;
	struct strbuf b;
	strbuf_init(&b);
	flat_body(f, &b, n->u.block.body);
	size_t w = 1 + chars(b.data, b.len);
	strbuf_free(&b);
	return w;
}

/* The last entry of the run starting at `n`, and the width of its widest
 * name.  A run stops before a name so wide that a one-line block of the
 * run would no longer fit beside it. */
static const struct ast_node *run_of(struct fmt *f, const struct ast_node *n, size_t *width)
{
	*width = name_width(f, n);
	size_t body = flat_block_width(f, n);
	while (n->next && run_continues(f, n, n->next)) {
		size_t w = name_width(f, n->next), b = flat_block_width(f, n->next);
		w = w > *width ? w : *width;
		b = b > body ? b : body;
		if (body && f->indent + w + b > FMT_WIDTH)
			break;
		if (b && f->indent + w + b > FMT_WIDTH)
			break;
		n = n->next;
		*width = w;
		body = b;
	}
	return n;
}

static void attr_name(struct fmt *f, const struct ast_node *n)
{
	if (n->u.attr.name_quoted)
		source_text(f, n->u.attr.name_span);
	else
		emits(f, n->u.attr.name);
}

static void attribute(struct fmt *f, const struct ast_node *n, size_t width, bool one_line)
{
	attr_name(f, n);
	for (size_t w = name_width(f, n); w < width; w++)
		emits(f, " ");
	emits(f, " = ");
	if (one_line)
		flat_out(f, n->u.attr.value);
	else
		value(f, n->u.attr.value, 0);
}

static bool has_braces(const struct ast_node *n)
{
	return n->u.block.body_span.end > n->u.block.body_span.start;
}

static bool flat_body(struct fmt *f, struct strbuf *b, const struct ast_node *first);

/* One entry of a block kept on one line; false for what needs lines of
 * its own: a multi-line string, a nested block with a base. */
static bool flat_entry(struct fmt *f, struct strbuf *b, const struct ast_node *n)
{
	if (n->kind == AST_ATTR) {
		size_t at = b->len;
		flat_attr(f, b, n);
		return !memchr(b->data + at, '\n', b->len - at);
	}
	if (n->kind != AST_BLOCK || n->u.block.base || !has_braces(n))
		return false;
	strbuf_puts(b, n->u.block.kind);
	if (n->u.block.label) {
		strbuf_putc(b, ' ');
		if (n->u.block.label_quoted)
			flat_span(f, b, n->u.block.label_span);
		else
			strbuf_puts(b, n->u.block.label);
	}
	strbuf_putc(b, ' ');
	return flat_body(f, b, n->u.block.body);
}

/* "{ a = 1  b = 2 }": entries two spaces apart, as one-line blocks are
 * written by hand; with `column`, entry k padded to column[k] wide. */
static bool flat_body_in(struct fmt *f, struct strbuf *b, const struct ast_node *first,
			 const size_t *column)
{
	if (!first) {
		strbuf_puts(b, "{}");
		return true;
	}
	strbuf_puts(b, "{ ");
	size_t k = 0;
	for (const struct ast_node *n = first; n; n = n->next, k++) {
		size_t at = b->len;
		if (!flat_entry(f, b, n))
			return false;
		for (size_t w = chars(b->data + at, b->len - at); column && n->next && w < column[k]; w++)
			strbuf_putc(b, ' ');
		strbuf_puts(b, n->next ? "  " : " }");
	}
	return true;
}

static bool flat_body(struct fmt *f, struct strbuf *b, const struct ast_node *first)
{
	return flat_body_in(f, b, first, NULL);
}

/* Do two blocks hold attributes of the same names in the same order? */
static bool same_names(const struct ast_node *a, const struct ast_node *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (a->kind != AST_ATTR || b->kind != AST_ATTR || strcmp(a->u.attr.name, b->u.attr.name))
			return false;
	return !a && !b;
}

/* In a run from `first` to `last`, the one-line blocks with the entry
 * names of the first such block (of two or more entries) line their
 * entries up in columns, as secrets listed one per line are written:
 *   secret api_key    { vault = "prod/api-key"  rotate = 720h }
 *   secret db_url     { vault = "prod/db-url"   rotate = 24h } */
static void columns(struct fmt *f, const struct ast_node *first, const struct ast_node *last)
{
	f->columns_of = NULL;
	f->ncolumns = 0;
	for (const struct ast_node *n = first; n; n = n == last ? NULL : n->next) {
		const struct ast_node *body = n->kind == AST_BLOCK ? n->u.block.body : NULL;
		size_t count = 0;
		for (const struct ast_node *e = body; e; e = e->next)
			count++;
		if (!f->columns_of && count >= 2 && count <= FMT_MAX_COLUMNS && same_names(body, body) &&
		    aligned(f, n)) {
			f->columns_of = body;
			memset(f->column, 0, sizeof f->column);
		}
		if (!f->columns_of || !same_names(f->columns_of, body) || !aligned(f, n))
			continue;
		f->ncolumns++;
		size_t k = 0;
		for (const struct ast_node *e = body; e; e = e->next, k++) {
			struct strbuf b;
			strbuf_init(&b);
			flat_entry(f, &b, e);
			size_t w = chars(b.data, b.len);
			f->column[k] = w > f->column[k] ? w : f->column[k];
			strbuf_free(&b);
		}
	}
	if (f->ncolumns < 2)
		f->columns_of = NULL;
}

/* A block its author wrote on one line stays on one line when it fits
 * and holds no comment: `secret key { vault = "..."  rotate = 720h }`,
 * its body in `b`.  Written over several lines, it keeps one entry per
 * line.  `col` is where the block's name ends. */
static bool block_on_one_line(struct fmt *f, const struct ast_node *n, size_t col,
			      struct strbuf *b)
{
	struct span body = n->u.block.body_span;
	if (!n->u.block.body || !same_line(f, body.start, body.end - 1) ||
	    comment_inside(f, body.start, body.end))
		return false;
	return flat_body(f, b, n->u.block.body) && col + 1 + chars(b->data, b->len) <= FMT_WIDTH;
}

static bool one_line_block(struct fmt *f, const struct ast_node *n)
{
	struct strbuf b;
	strbuf_init(&b);
	bool ok = block_on_one_line(f, n, f->col, &b);
	if (ok && f->columns_of && same_names(f->columns_of, n->u.block.body)) {
		struct strbuf padded;
		strbuf_init(&padded);
		flat_body_in(f, &padded, n->u.block.body, f->column);
		if (f->col + 1 + chars(padded.data, padded.len) <= FMT_WIDTH) {
			strbuf_free(&b);
			b = padded;
		} else {
			strbuf_free(&padded);
		}
	}
	if (ok) {
		emits(f, " ");
		emit(f, b.data, b.len);
		f->last = max32(f->last, n->u.block.body_span.end);
	}
	strbuf_free(&b);
	return ok;
}

/* KIND [LABEL] [= BASE] [{ entries }]; empty braces after a base are
 * dropped, since they mean nothing. */
static void block(struct fmt *f, const struct ast_node *n, size_t width)
{
	struct span body = n->u.block.body_span;
	bool inner = comment_inside(f, body.start, body.end);
	bool braces = has_braces(n) && (n->u.block.body || inner || !n->u.block.base);
	emits(f, n->u.block.kind);
	if (n->u.block.label) {
		emits(f, " ");
		if (n->u.block.label_quoted)
			source_text(f, n->u.block.label_span);
		else
			emits(f, n->u.block.label);
	}
	for (size_t w = name_width(f, n); w < width; w++)
		emits(f, " ");
	if (n->u.block.base) {
		emits(f, " = ");
		value(f, n->u.block.base, braces ? 2 : 0);
	}
	if (!braces)
		return;
	if (!n->u.block.body && !inner) {
		emits(f, " {}");
		return;
	}
	if (one_line_block(f, n))
		return;
	emits(f, " {");
	f->indent += 2;
	trailing(f, n->u.block.body ? n->u.block.body->span.start : body.end - 1, body.start + 1);
	entries(f, n->u.block.body, body.end - 1);
	f->indent -= 2;
	begin_line(f);
	emits(f, "}");
}

/* (PARAMS) of a template; returns the offset of its ')'. */
static uint32_t params(struct fmt *f, const struct ast_node *n)
{
	uint32_t open = find_char(f, n->u.template.name_span.end, '(');
	const struct ast_node *last = n->u.template.params;
	while (last && last->next)
		last = last->next;
	uint32_t close = find_char(f, last ? last->span.end : open + 1, ')');
	struct ast_node list = { .kind = AST_LIST, .span = span_make(open, close + 1),
				 .u.list.items = n->u.template.params };
	if (fits_at(f, &list, f->col, 2)) {
		struct strbuf b;
		strbuf_init(&b);
		flat_list(f, &b, n->u.template.params, ", ");
		emits(f, "(");
		emit(f, b.data ? b.data : "", b.len);
		emits(f, ")");
		strbuf_free(&b);
	} else if (filled(f, n->u.template.params, open, close)) {
		emits(f, "(");
		filled_items(f, n->u.template.params, ")", close);
	} else {
		emits(f, "(");
		broken_items(f, n->u.template.params, open + 1, close, ")");
	}
	return close;
}

/* template KIND NAME(PARAMS) { entries } */
static void template(struct fmt *f, const struct ast_node *n)
{
	emits(f, "template ");
	emits(f, n->u.template.kind);
	emits(f, " ");
	emits(f, n->u.template.name);
	uint32_t open = find_char(f, params(f, n) + 1, '{'), close = n->span.end - 1;
	if (!n->u.template.body && !comment_inside(f, open, close)) {
		emits(f, " {}");
		return;
	}
	emits(f, " {");
	f->indent += 2;
	trailing(f, n->u.template.body ? n->u.template.body->span.start : close, open + 1);
	entries(f, n->u.template.body, close);
	f->indent -= 2;
	begin_line(f);
	emits(f, "}");
}

/* "unset health.startup", "unset tmpfs "/tmp"": the path without
 * spaces, the value as any value is written. */
static void unset(struct fmt *f, const struct ast_node *n)
{
	emits(f, "unset ");
	for (const struct ast_node *seg = n->u.unset.path; seg; seg = seg->next) {
		emits(f, seg->u.ident.name);
		if (seg->next)
			emits(f, ".");
	}
	if (n->u.unset.value) {
		emits(f, " ");
		value(f, n->u.unset.value, 0);
	}
}

static void entry(struct fmt *f, const struct ast_node *n, size_t width, bool one_line)
{
	switch (n->kind) {
	case AST_UNSET: unset(f, n); break;
	case AST_ATTR: attribute(f, n, width, one_line); break;
	case AST_BLOCK: block(f, n, width); break;
	case AST_TEMPLATE: template(f, n); break;
	case AST_IMPORT:
		emits(f, "import ");
		source_text(f, n->u.import.path_span);
		if (n->u.import.alias) {
			emits(f, " as ");
			emits(f, n->u.import.alias);
		}
		break;
	default: flat_out(f, n); break;
	}
}

/* The entries of a file, block or broken map, one per line, '=' and
 * one-line blocks' '{' aligned in runs; then the comments before `close`. */
static void entries(struct fmt *f, const struct ast_node *first, uint32_t close)
{
	const struct ast_node *run_end = NULL, *outer_columns = f->columns_of;
	size_t width = 0, outer[FMT_MAX_COLUMNS], outer_n = f->ncolumns;
	memcpy(outer, f->column, sizeof outer);
	f->columns_of = NULL;
	f->fresh = true;
	for (const struct ast_node *n = first; n; n = n->next) {
		leading(f, n->span.start);
		blank_before(f, n->span.start);
		bool one_line = one_line_attr(f, n);
		if (!run_end && aligned(f, n)) {
			run_end = run_of(f, n, &width);
			columns(f, n, run_end);
		}
		begin_line(f);
		entry(f, n, run_end ? width : 0, one_line);
		trailing(f, n->next ? n->next->span.start : close, n->span.end);
		if (n == run_end) {
			run_end = NULL;
			f->columns_of = NULL;
		}
	}
	leading(f, close);
	f->columns_of = outer_columns; /* a broken map's entries ran inside a run */
	f->ncolumns = outer_n;
	memcpy(f->column, outer, sizeof outer);
}

/* --- the whole source --------------------------------------------------- */

static void collect_comments(struct fmt *f, struct arena *a, const struct parse_comment *list)
{
	for (const struct parse_comment *c = list; c; c = c->next)
		f->ncomments++;
	f->comments = arena_calloc(a, f->ncomments ? f->ncomments : 1, sizeof *f->comments);
	size_t i = 0;
	for (const struct parse_comment *c = list; c; c = c->next)
		f->comments[i++] = c->span;
}

char *fmt_tree(struct arena *a, const struct source *src, const struct ast_node *root,
	       const struct parse_comment *comments)
{
	struct fmt f = { .src = src, .text = src->text };
	strbuf_init(&f.out);
	collect_comments(&f, a, comments);
	entries(&f, root->u.file.items, (uint32_t)src->len);
	leading(&f, UINT32_MAX);
	return strbuf_finish(&f.out, a);
}

char *fmt_source(struct arena *a, const struct source *src, struct diag_bag *diags)
{
	size_t errors = diags->errors;
	struct parse_comment *comments = NULL;
	struct ast_node *root = parse_source_comments(a, src, diags, &comments);
	if (diags->errors > errors)
		return NULL;
	return fmt_tree(a, src, root, comments);
}

/* --- files -------------------------------------------------------------- */

static char *temp_name(const char *path)
{
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 16);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".depc-XXXXXX", 13);
	return tmp;
}

static bool write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t w = write(fd, text, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		text += w;
		len -= (size_t)w;
	}
	return fsync(fd) == 0;
}

/* Moves the finished temporary file to `path`: over it, or, when it must
 * not be replaced, by a hard link, which fails if `path` appeared
 * meanwhile (a file system without links gets a checked rename). */
static bool move_into_place(const char *tmp, const char *path, bool replace)
{
	struct stat st;
	if (replace)
		return rename(tmp, path) == 0;
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return true;
	}
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
		return false;
	if (stat(path, &st) == 0) {
		errno = EEXIST;
		return false;
	}
	return rename(tmp, path) == 0;
}

/* A file with other hard links is rewritten in place: a rename would
 * give this name a new file and leave the other names on the old text.
 * The new text goes over the old from the start and the file is cut to
 * its length after, so it is never seen empty. */
static bool rewrite_in_place(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = write_all(fd, text, len) && ftruncate(fd, (off_t)len) == 0;
	return close(fd) == 0 && ok;
}

bool fmt_write_file(const char *path, const char *text, size_t len, bool replace,
		    const char **error)
{
	struct stat st;
	char *real = replace ? realpath(path, NULL) : NULL; /* write through a symlink */
	const char *target = real ? real : path;
	bool exists = stat(target, &st) == 0;
	if (replace && exists && S_ISREG(st.st_mode) && st.st_nlink > 1) {
		bool ok = rewrite_in_place(target, text, len);
		if (!ok)
			*error = strerror(errno ? errno : EIO);
		free(real);
		return ok;
	}
	char *tmp = temp_name(target);
	int fd = -1;
	errno = EEXIST;
	if (replace || !exists)
		fd = mkstemp(tmp);
	bool ok = fd >= 0;
	if (ok) {
		ok = fchmod(fd, exists ? st.st_mode & 07777 : 0644) == 0 &&
		     write_all(fd, text, len);
		ok = close(fd) == 0 && ok;
		ok = ok && move_into_place(tmp, target, replace);
	}
	if (!ok) {
		*error = strerror(errno ? errno : EIO);
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	free(real);
	return ok;
}

static int fmt_result(const char *path, const struct source *src, const char *text,
		      enum fmt_mode mode, FILE *out, FILE *err)
{
	bool same = strlen(text) == src->len && !memcmp(text, src->text, src->len);
	const char *io = NULL;
	if (mode == FMT_CHECK) {
		if (!same)
			fprintf(err, "%s: not formatted\n", src->name);
		return same ? 0 : 1;
	}
	if (mode == FMT_PRINT || !strcmp(path, "-")) {
		fputs(text, out);
		return 0;
	}
	if (!same && !fmt_write_file(path, text, strlen(text), true, &io)) {
		fprintf(err, "depc: cannot write '%s': %s\n", path, io);
		return 2;
	}
	return 0;
}

int fmt_file(const char *path, enum fmt_mode mode,
	     const struct diag_render_options *ro, FILE *out, FILE *err)
{
	struct arena a;
	struct diag_bag bag;
	const char *io = NULL;
	arena_init(&a);
	diag_bag_init(&bag, &a);
	struct source *src = source_read_file(&a, path, &io);
	int rc = 2;
	if (!src) {
		fprintf(err, "depc: cannot read '%s': %s\n", path, io);
	} else {
		char *text = fmt_source(&a, src, &bag);
		if (text) {
			rc = fmt_result(path, src, text, mode, out, err);
		} else {
			diag_bag_sort(&bag);
			diag_render_text(err, &bag, ro);
			rc = 1;
		}
	}
	arena_free(&a);
	return rc;
}
