/* diag.c - the diagnostics bag, its code table, and its renderers.
 *
 * Passes push diagnostics with diag_emit() and decorate them with labels,
 * notes, help and a fix; everything is copied into the bag's arena, so the
 * caller's format arguments may die right after the call.  The bag keeps
 * at most `limit` errors: the next one is replaced by a single E0104, and
 * from then on diag_emit() hands out unlinked scratch diagnostics, so
 * callers never test for NULL.
 *
 * Renderers read the bag and never change it.  The text renderer prints
 * what modern compilers print (header, source line, underline, labels,
 * notes, help, summary); it must stay byte-for-byte stable because golden
 * tests compare it.  Its columns are display cells: a tab runs to the next
 * tab stop, wide characters take two cells, and anything that would upset
 * a terminal (control characters, invalid UTF-8) is shown as U+FFFD in
 * one cell, so the underline always sits under what was printed.  The
 * JSON renderer builds a cJSON tree and frees it before returning. */
#include "diag.h"
#include "secret_text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <utf8proc.h>

/* ---- the code table, generated from diag_codes.def ---- */

struct code_info {
	const char *name;          /* "E0101" */
	const char *summary;       /* one line for `depc explain --list` */
	enum diag_severity sev;    /* default severity */
};

#define SEV_OF_ERROR   SEV_ERROR
#define SEV_OF_WARNING SEV_WARNING

static const struct code_info code_table[DIAG_CODE_COUNT] = {
#define DIAG(code, sev, summary) { #code, summary, SEV_OF_##sev },
#include "diag_codes.def"
#undef DIAG
};

static const struct code_info *code_info(enum diag_code code)
{
	static const struct code_info unknown = { "E????", "unknown code", SEV_ERROR };
	return (unsigned)code < DIAG_CODE_COUNT ? &code_table[code] : &unknown;
}

const char *diag_code_name(enum diag_code code)
{
	return code_info(code)->name;
}

const char *diag_code_summary(enum diag_code code)
{
	return code_info(code)->summary;
}

enum diag_severity diag_code_severity(enum diag_code code)
{
	return code_info(code)->sev;
}

bool diag_code_lookup(const char *name, enum diag_code *out)
{
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		if (strcasecmp(name, code_table[i].name) == 0) {
			*out = (enum diag_code)i;
			return true;
		}
	}
	return false;
}

/* ---- building the bag ---- */

void diag_bag_init(struct diag_bag *bag, struct arena *a)
{
	memset(bag, 0, sizeof *bag);
	bag->arena = a;
}

static struct diag *new_diag(struct diag_bag *bag, enum diag_code code,
			     const struct source *src, struct span span)
{
	struct diag *d = arena_alloc(bag->arena, sizeof *d);
	d->code = code;
	d->severity = diag_code_severity(code);
	d->src = src;
	d->span = span;
	return d;
}

static void link_diag(struct diag_bag *bag, struct diag *d)
{
	if (bag->last)
		bag->last->next = d;
	else
		bag->first = d;
	bag->last = d;
	if (d->severity == SEV_ERROR)
		bag->errors++;
	else if (d->severity == SEV_WARNING)
		bag->warnings++;
}

/* The one E0104 that stands for every error past the limit. */
static void add_overflow(struct diag_bag *bag)
{
	struct diag *d = new_diag(bag, DIAG_E0104, NULL, span_make(0, 0));
	d->severity = SEV_ERROR;
	d->message = arena_printf(bag->arena,
				  "too many errors (limit is %zu); the rest are not reported",
				  bag->limit);
	link_diag(bag, d);
	bag->overflow = true;
}

/* True when a diagnostic of this severity must not be kept. */
static bool over_limit(struct diag_bag *bag, enum diag_severity sev)
{
	if (bag->overflow)
		return true;
	if (bag->limit == 0 || sev != SEV_ERROR || bag->errors < bag->limit)
		return false;
	add_overflow(bag);
	return true;
}

/* Text formatted for a diagnostic, with whatever is secret by its value
 * (a known key format, a random token, a URL's password) masked: a
 * message or help that quotes a value never carries a secret out. */
static char *masked_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char *text = arena_vprintf(a, fmt, ap);
	secret_mask(text);
	return text;
}

struct diag *diag_vemit_as(struct diag_bag *bag, enum diag_code code,
			   enum diag_severity sev, const struct source *src,
			   struct span span, const char *fmt, va_list ap)
{
	if (over_limit(bag, sev)) {
		/* not formatted or kept: nobody will see it, and there may be
		 * millions */
		bag->dropped++;
		bag->scratch = (struct diag){ .code = code, .severity = sev, .src = src,
					      .span = span,
					      .message = diag_code_summary(code) };
		return &bag->scratch;
	}
	struct diag *d = new_diag(bag, code, src, span);
	d->severity = sev;
	d->message = masked_vprintf(bag->arena, fmt, ap);
	link_diag(bag, d);
	return d;
}

struct diag *diag_emit_as(struct diag_bag *bag, enum diag_code code,
			  enum diag_severity sev, const struct source *src,
			  struct span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = diag_vemit_as(bag, code, sev, src, span, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *diag_emit(struct diag_bag *bag, enum diag_code code,
		       const struct source *src, struct span span,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = diag_vemit_as(bag, code, diag_code_severity(code), src, span, fmt, ap);
	va_end(ap);
	return d;
}

void diag_bag_move(struct diag_bag *to, struct diag_bag *from)
{
	struct diag *d = from->first;
	while (d) {
		struct diag *next = d->next;
		d->next = NULL;
		if (d->code == DIAG_E0104 || over_limit(to, d->severity))
			to->dropped += d->code != DIAG_E0104;
		else
			link_diag(to, d);
		d = next;
	}
	to->dropped += from->dropped;
	for (struct diag_redaction *r = from->redactions, *next; r; r = next) {
		next = r->next;
		r->next = to->redactions;
		to->redactions = r;
	}
	struct arena *a = from->arena;
	diag_bag_init(from, a);
}

void diag_redact(struct diag_bag *bag, const struct source *src, struct span span)
{
	struct diag_redaction *r = arena_alloc(bag->arena, sizeof *r);
	r->src = src;
	r->span = span;
	r->next = bag->redactions;
	bag->redactions = r;
}

void diag_set_label(struct diag_bag *bag, struct diag *d, const char *fmt, ...)
{
	if (d == &bag->scratch)
		return;
	va_list ap;
	va_start(ap, fmt);
	d->label = masked_vprintf(bag->arena, fmt, ap);
	va_end(ap);
}

void diag_add_label(struct diag_bag *bag, struct diag *d,
		    const struct source *src, struct span span,
		    const char *fmt, ...)
{
	if (d == &bag->scratch)
		return;
	struct diag_label *l = arena_alloc(bag->arena, sizeof *l);
	l->src = src;
	l->span = span;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		l->message = masked_vprintf(bag->arena, fmt, ap);
		va_end(ap);
	}
	struct diag_label **tail = &d->labels;
	while (*tail)
		tail = &(*tail)->next;
	*tail = l;
}

void diag_lead_with(struct diag_bag *bag, struct diag *d, const struct source *src,
		    struct span span, const char *fmt, ...)
{
	if (d == &bag->scratch)
		return;
	struct diag_label *l = arena_alloc(bag->arena, sizeof *l);
	l->src = d->src;
	l->span = d->span;
	va_list ap;
	va_start(ap, fmt);
	l->message = masked_vprintf(bag->arena, fmt, ap);
	va_end(ap);
	l->next = d->labels;
	d->labels = l;
	d->src = src;
	d->span = span;
	d->label = NULL;
	d->fix = NULL;
}

static void append_text(struct diag_bag *bag, struct diag_text **list,
			const char *fmt, va_list ap)
{
	struct diag_text *t = arena_alloc(bag->arena, sizeof *t);
	t->text = masked_vprintf(bag->arena, fmt, ap);
	while (*list)
		list = &(*list)->next;
	*list = t;
}

void diag_add_note(struct diag_bag *bag, struct diag *d, const char *fmt, ...)
{
	if (d == &bag->scratch)
		return;
	va_list ap;
	va_start(ap, fmt);
	append_text(bag, &d->notes, fmt, ap);
	va_end(ap);
}

void diag_add_help(struct diag_bag *bag, struct diag *d, const char *fmt, ...)
{
	if (d == &bag->scratch)
		return;
	va_list ap;
	va_start(ap, fmt);
	append_text(bag, &d->helps, fmt, ap);
	va_end(ap);
}

void diag_set_fix(struct diag_bag *bag, struct diag *d, struct span span,
		  const char *replacement, const char *title)
{
	if (d == &bag->scratch)
		return;
	struct diag_fix *f = arena_alloc(bag->arena, sizeof *f);
	f->span = span;
	f->replacement = arena_strdup(bag->arena, replacement ? replacement : "");
	f->title = title ? arena_strdup(bag->arena, title) : NULL;
	d->fix = f;
}

/* ---- sorting: a stable merge sort on the list, O(n log n) ---- */

/* Diagnostics about no file come first, then by file name and offset;
 * the "too many errors" summary goes last, after what it summarises. */
static int diag_cmp(const struct diag *a, const struct diag *b)
{
	bool a_last = a->code == DIAG_E0104, b_last = b->code == DIAG_E0104;
	if (a_last || b_last)
		return a_last - b_last;
	if (!a->src || !b->src)
		return (a->src != NULL) - (b->src != NULL);
	int c = strcmp(a->src->name, b->src->name);
	if (c)
		return c;
	return (a->span.start > b->span.start) - (a->span.start < b->span.start);
}

/* Merges two sorted lists; on ties the left (earlier) one goes first. */
static struct diag *merge(struct diag *a, struct diag *b)
{
	struct diag head = { 0 }, *tail = &head;
	while (a && b) {
		struct diag **from = diag_cmp(a, b) <= 0 ? &a : &b;
		tail->next = *from;
		tail = *from;
		*from = (*from)->next;
	}
	tail->next = a ? a : b;
	return head.next;
}

/* Sorts the first n nodes of *list, advancing *list past them.  Recursion
 * depth is log2(n), so long bags cannot overflow the stack. */
static struct diag *sort_run(struct diag **list, size_t n)
{
	if (n == 1) {
		struct diag *d = *list;
		*list = d->next;
		d->next = NULL;
		return d;
	}
	struct diag *left = sort_run(list, n / 2);
	struct diag *right = sort_run(list, n - n / 2);
	return merge(left, right);
}

void diag_bag_sort(struct diag_bag *bag)
{
	size_t n = 0;
	for (struct diag *d = bag->first; d; d = d->next)
		n++;
	if (n < 2)
		return;
	struct diag *rest = bag->first;
	bag->first = sort_run(&rest, n);
	struct diag *d = bag->first;
	while (d->next)
		d = d->next;
	bag->last = d;
}

/* ---- text rendering ---- */

#define ANSI_RESET  "\033[0m"
#define ANSI_BOLD   "\033[1m"
#define ANSI_RED    "\033[1;31m"
#define ANSI_YELLOW "\033[1;33m"
#define ANSI_BLUE   "\033[1;34m"
#define ANSI_CYAN   "\033[1;36m"

/* Everything one diagnostic's rendering needs besides the diagnostic. */
struct mark_cache;

/* The masked spans, sorted by source and start and merged where they
 * overlap, so a cell is found by bisection: a walk of the list for every
 * printed character made a report of thousands of allowed secrets
 * quadratic. */
struct masks {
	struct diag_redaction *items;
	size_t count;
};

struct render {
	FILE *out;
	bool color;
	size_t tab_width; /* at least 1 */
	size_t gutter;    /* digits of the largest line number printed */
	const struct masks *masks; /* bytes shown as '*' */
	struct mark_cache *marks; /* long lines, measured once */
};

/* Prints text, wrapped in an ANSI colour when colours are on. */
static void paint(const struct render *r, const char *ansi, const char *text)
{
	if (r->color)
		fprintf(r->out, "%s%s%s", ansi, text, ANSI_RESET);
	else
		fputs(text, r->out);
}

static const char *severity_word(enum diag_severity sev)
{
	return sev == SEV_ERROR ? "error" : sev == SEV_WARNING ? "warning" : "note";
}

static const char *severity_color(enum diag_severity sev)
{
	return sev == SEV_ERROR ? ANSI_RED : sev == SEV_WARNING ? ANSI_YELLOW : ANSI_CYAN;
}

static void put_spaces(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

static size_t digits(size_t n)
{
	size_t d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* One character of a source line as the terminal will show it. */
struct cell {
	uint32_t len;   /* bytes it takes in the source */
	int32_t cp;     /* code point, or -1 for a byte that is not UTF-8 */
	size_t width;   /* display cells */
	bool replaced;  /* shown as U+FFFD */
};

/* Controls (C0, DEL, C1) would garble the terminal and bidi overrides
 * would reorder what it shows (the "trojan source" trick), so these, like
 * invalid bytes, are shown as U+FFFD. */
static bool shown_replaced(int32_t cp)
{
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_CC ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* A replaced character takes one cell; everything else is printed as is
 * and takes the width utf8proc gives it (0 for combining marks, which the
 * terminal draws on the previous cell, 2 for wide characters). */
static struct cell cell_at(const char *p, const char *end, size_t col,
			   size_t tab_width)
{
	struct cell c = { 1, -1, 1, true };
	int len = source_decode(p, (size_t)(end - p), &c.cp);
	if (len < 0) {
		c.cp = -1;
		return c;
	}
	c.len = (uint32_t)len;
	if (c.cp == '\t') {
		c.width = tab_width - col % tab_width;
		c.replaced = false;
	} else if (!shown_replaced(c.cp)) {
		c.width = (size_t)utf8proc_charwidth(c.cp);
		c.replaced = false;
	}
	return c;
}

/* The bytes of a line that are shown: no line ending, no trailing '\r'. */
static struct span shown_line(const struct source *s, size_t line)
{
	struct span ls = source_line_span(s, line);
	if (ls.end > ls.start && s->text[ls.end - 1] == '\r')
		ls.end--;
	return ls;
}

static void print_cell(const struct render *r, const char *p, struct cell c)
{
	if (c.cp == '\t')
		put_spaces(r->out, c.width);
	else if (c.replaced)
		fputs("\xEF\xBF\xBD", r->out);
	else
		fwrite(p, 1, c.len, r->out);
}

/* A masked cell keeps its width, so the underline stays in place. */
static void print_masked(const struct render *r, struct cell c)
{
	for (size_t i = 0; i < c.width; i++)
		fputc('*', r->out);
}

static bool placed_before(const struct diag_redaction *x, const struct source *s, uint32_t at)
{
	uintptr_t a = (uintptr_t)x->src, b = (uintptr_t)s;
	return a < b || (a == b && x->span.start <= at);
}

static int by_place(const void *x, const void *y)
{
	const struct diag_redaction *a = x, *b = y;
	if (a->src != b->src)
		return (uintptr_t)a->src < (uintptr_t)b->src ? -1 : 1;
	return (a->span.start > b->span.start) - (a->span.start < b->span.start);
}

static struct masks masks_of(const struct diag_bag *bag)
{
	struct masks m = { NULL, 0 };
	size_t n = 0;
	for (const struct diag_redaction *x = bag->redactions; x; x = x->next)
		n++;
	if (!n)
		return m;
	m.items = xcalloc(n, sizeof *m.items);
	for (const struct diag_redaction *x = bag->redactions; x; x = x->next)
		m.items[m.count++] = *x;
	qsort(m.items, m.count, sizeof *m.items, by_place);
	size_t kept = 0;
	for (size_t i = 0; i < m.count; i++) {
		struct diag_redaction *last = kept ? &m.items[kept - 1] : NULL;
		if (last && last->src == m.items[i].src && m.items[i].span.start <= last->span.end)
			last->span.end = m.items[i].span.end > last->span.end ? m.items[i].span.end
									  : last->span.end;
		else
			m.items[kept++] = m.items[i];
	}
	m.count = kept;
	return m;
}

static bool redacted(const struct render *r, const struct source *s, uint32_t at)
{
	const struct masks *m = r->masks;
	size_t lo = 0, hi = m->count; /* the first placed after (s, at) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (placed_before(&m->items[mid], s, at))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && m->items[lo - 1].src == s && at < m->items[lo - 1].span.end;
}

/* ---- long lines ----
 *
 * Every snippet needs display columns, and a header the character
 * column, of positions in its line; measured from the line's start, ten
 * thousand diagnostics on one megabyte-long line are ten billion steps.
 * So a long line is walked once, leaving a checkpoint every
 * CHECKPOINT_BYTES, and each measure starts from the checkpoint before
 * it.  A few lines are kept, replaced in turn. */
#define LONG_LINE 4096
#define CHECKPOINT_BYTES 4096
#define LONG_LINE_CACHE 4

struct checkpoint {
	uint32_t at;  /* a byte where a cell starts */
	size_t col;   /* display column there */
	size_t chars; /* characters before it in the line */
};

struct line_marks {
	const struct source *src; /* NULL: slot unused */
	uint32_t start;           /* the line's first byte */
	struct checkpoint *cp;
	size_t count;
	size_t width;             /* display columns of the whole line */
};

struct mark_cache {
	struct line_marks line[LONG_LINE_CACHE];
	size_t turn; /* the slot replaced next */
};

static void build_marks(const struct render *r, struct line_marks *m,
			const struct source *s, struct span ls)
{
	size_t cap = (ls.end - ls.start) / CHECKPOINT_BYTES + 2;
	free(m->cp);
	*m = (struct line_marks){ s, ls.start, xmalloc(cap * sizeof *m->cp), 0, 0 };
	const char *p = s->text + ls.start, *end = s->text + ls.end;
	size_t col = 0, chars = 0;
	uint32_t last = ls.start;
	m->cp[m->count++] = (struct checkpoint){ ls.start, 0, 0 };
	while (p < end) {
		uint32_t at = (uint32_t)(p - s->text);
		if (at - last >= CHECKPOINT_BYTES && m->count < cap) {
			m->cp[m->count++] = (struct checkpoint){ at, col, chars };
			last = at;
		}
		struct cell c = cell_at(p, end, col, r->tab_width);
		col += c.width;
		p += c.len;
		chars++;
	}
	m->width = col;
}

/* The measured line `ls`, or NULL for a short line (walked directly). */
static const struct line_marks *marks_of(const struct render *r, const struct source *s,
					 struct span ls)
{
	if (!r->marks || ls.end - ls.start < LONG_LINE)
		return NULL;
	for (size_t i = 0; i < LONG_LINE_CACHE; i++)
		if (r->marks->line[i].src == s && r->marks->line[i].start == ls.start)
			return &r->marks->line[i];
	struct line_marks *m = &r->marks->line[r->marks->turn++ % LONG_LINE_CACHE];
	build_marks(r, m, s, ls);
	return m;
}

/* The last checkpoint at or before byte `at`, or at or before display
 * column `col` when by_col; the line's start without checkpoints. */
static struct checkpoint checkpoint_before(const struct line_marks *m, struct span ls,
					   size_t value, bool by_col)
{
	struct checkpoint first = { ls.start, 0, 0 };
	if (!m)
		return first;
	size_t lo = 0, hi = m->count; /* answer in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		size_t key = by_col ? m->cp[mid].col : m->cp[mid].at;
		if (key <= value)
			lo = mid;
		else
			hi = mid;
	}
	return m->cp[lo];
}

static void free_marks(struct mark_cache *marks)
{
	for (size_t i = 0; i < LONG_LINE_CACHE; i++)
		free(marks->line[i].cp);
}

/* Display column of the first character that starts at or after offset
 * (or of the line's end); the caret for `offset` goes there. */
static size_t display_col(const struct render *r, const struct source *s,
			  struct span ls, uint32_t offset)
{
	uint32_t stop_at = offset < ls.end ? offset : ls.end;
	const struct line_marks *m = marks_of(r, s, ls);
	if (m && stop_at == ls.end)
		return m->width;
	struct checkpoint from = checkpoint_before(m, ls, stop_at, false);
	const char *p = s->text + from.at, *end = s->text + ls.end;
	const char *stop = s->text + stop_at;
	size_t col = from.col;
	while (p < stop) {
		struct cell c = cell_at(p, end, col, r->tab_width);
		col += c.width;
		p += c.len;
	}
	return col;
}

/* 1-based character column of offset, as source_char_column() counts. */
static size_t char_column(const struct render *r, const struct source *s, uint32_t offset)
{
	if (offset > s->len)
		offset = (uint32_t)s->len;
	struct span ls = source_line_span(s, source_line_of(s, offset));
	const struct line_marks *m = marks_of(r, s, ls);
	if (!m || offset > ls.end)
		return source_char_column(s, offset);
	struct checkpoint from = checkpoint_before(m, ls, offset, false);
	const char *p = s->text + from.at, *stop = s->text + offset;
	const char *end = s->text + s->len;
	size_t n = from.chars;
	while (p < stop) {
		int32_t cp;
		int len = source_decode(p, (size_t)(end - p), &cp);
		p += len < 0 ? 1 : len;
		n++;
	}
	return n + 1;
}

/* The display columns [from, to) of a line that a snippet shows.  A line
 * of a megabyte must not be copied to the terminal whole, so only a
 * window of SNIPPET_WIDTH columns around the span is printed, with "..."
 * standing for what is cut on either side. */
#define SNIPPET_WIDTH 120
#define SNIPPET_LEAD 40 /* columns kept before the span when cutting */

struct window {
	size_t from, to;
	bool cut_left, cut_right;
};

static struct window snippet_window(size_t width, size_t span_from)
{
	struct window w = { 0, width, false, false };
	if (width <= SNIPPET_WIDTH)
		return w;
	w.from = span_from > SNIPPET_LEAD ? span_from - SNIPPET_LEAD : 0;
	if (w.from + SNIPPET_WIDTH > width)
		w.from = width - SNIPPET_WIDTH;
	w.to = w.from + SNIPPET_WIDTH;
	w.cut_left = w.from > 0;
	w.cut_right = w.to < width;
	return w;
}

/* Columns the "..." before a cut line takes, so the caret moves with it. */
static size_t window_lead(const struct window *w)
{
	return w->cut_left ? 3 : 0;
}

/* A cell straddling a window edge (half a wide character, part of a tab)
 * is shown as spaces for its columns inside, so later cells stay put. */
/* String literals of a quoted line that are secret by their value, or
 * a credential on a command line: masked even when no rule pointed at
 * them (E0302 quoting a line, a note at another place).  A line is
 * scanned from its start when it is short; a long one from where the
 * snippet starts, so a hostile line is not scanned once per diagnostic. */
#define LINE_MASKS 16
#define LINE_SCAN_MAX 4096
struct line_masks {
	uint32_t start[LINE_MASKS], end[LINE_MASKS];
	size_t n;
};

static void add_literal(struct line_masks *m, const char *text, uint32_t open, uint32_t close)
{
	const char *v = text + open + 1;
	size_t n = close - open - 1;
	char *copy = malloc(n + 1);
	if (!copy)
		return;
	memcpy(copy, v, n);
	copy[n] = '\0';
	bool secret = secret_by_value(copy, n) || secret_cli_flag(copy, NULL);
	free(copy);
	if (secret && m->n < LINE_MASKS) {
		m->start[m->n] = open + 1;
		m->end[m->n++] = close;
	}
}

static void find_line_masks(const struct source *s, uint32_t from, uint32_t to,
			    struct line_masks *m)
{
	m->n = 0;
	uint32_t open = 0;
	bool in = false;
	for (uint32_t i = from; i < to; i++) {
		char ch = s->text[i];
		if (in && ch == '\\') {
			i++;
		} else if (ch == '"') {
			if (in)
				add_literal(m, s->text, open, i);
			else
				open = i;
			in = !in;
		}
	}
}

static bool line_masked(const struct line_masks *m, uint32_t at)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (at >= m->start[i] && at < m->end[i])
			return true;
	return false;
}

static void print_window_cell(const struct render *r, const struct source *s,
			      const char *p, struct cell c, size_t col,
			      const struct window *w, const struct line_masks *m)
{
	if (col >= w->from && col + c.width <= w->to) {
		uint32_t at = (uint32_t)(p - s->text);
		if (c.cp != '\t' && (redacted(r, s, at) || line_masked(m, at)))
			print_masked(r, c);
		else
			print_cell(r, p, c);
		return;
	}
	size_t lo = col > w->from ? col : w->from;
	size_t hi = col + c.width < w->to ? col + c.width : w->to;
	if (hi > lo)
		put_spaces(r->out, hi - lo);
}

static void print_line_text(const struct render *r, const struct source *s,
			    struct span ls, const struct window *w)
{
	struct checkpoint from = checkpoint_before(marks_of(r, s, ls), ls, w->from, true);
	const char *p = s->text + from.at, *end = s->text + ls.end;
	size_t col = from.col;
	struct line_masks masks;
	uint32_t scan = ls.end - ls.start <= LINE_SCAN_MAX ? ls.start : from.at;
	find_line_masks(s, scan, ls.end - scan <= 2 * LINE_SCAN_MAX ? ls.end
			     : scan + 2 * LINE_SCAN_MAX, &masks);
	if (w->cut_left)
		fputs("...", r->out);
	while (p < end && col < w->to) {
		struct cell c = cell_at(p, end, col, r->tab_width);
		if (col + c.width > w->from)
			print_window_cell(r, s, p, c, col, w, &masks);
		col += c.width;
		p += c.len;
	}
	if (w->cut_right)
		fputs("...", r->out);
}

/* " 12 |" in the gutter colour; blank instead of the number when line is 0. */
static void print_gutter(const struct render *r, size_t line)
{
	char buf[64];
	if (line)
		snprintf(buf, sizeof buf, " %*zu |", (int)r->gutter, line);
	else
		snprintf(buf, sizeof buf, " %*s |", (int)r->gutter, "");
	paint(r, ANSI_BLUE, buf);
}

static void print_empty_gutter(const struct render *r)
{
	print_gutter(r, 0);
	fputc('\n', r->out);
}

/* How one snippet's underline looks: primary ^~~~, secondary ----. */
struct marker {
	char first;        /* character under the span's first cell */
	char rest;         /* character under the others */
	const char *ansi;  /* colour of the underline */
	const char *label; /* text after the underline, or NULL */
};

static void print_underline(const struct render *r, size_t from, size_t to,
			    const struct marker *m)
{
	size_t width = to > from ? to - from : 1;
	char *buf = xmalloc(width + 1);
	buf[0] = m->first;
	memset(buf + 1, m->rest, width - 1);
	buf[width] = '\0';
	paint(r, m->ansi, buf);
	free(buf);
}

/* The gutter, the first line of `sp`, and the underline beneath it.  A
 * span running past its first line is underlined to that line's end, and
 * one running past the window's right edge to the window's edge. */
static void print_snippet(const struct render *r, const struct source *s,
			  struct span sp, const struct marker *m)
{
	uint32_t start = sp.start < s->len ? sp.start : (uint32_t)s->len;
	size_t line = source_line_of(s, start);
	struct span ls = shown_line(s, line);
	size_t from = display_col(r, s, ls, start);
	size_t to = display_col(r, s, ls, sp.end > start ? sp.end : start);
	struct window w = snippet_window(display_col(r, s, ls, ls.end), from);
	print_empty_gutter(r);
	print_gutter(r, line);
	if (ls.end > ls.start)
		fputc(' ', r->out);
	print_line_text(r, s, ls, &w);
	fputc('\n', r->out);
	print_gutter(r, 0);
	if (to > w.to)
		to = w.to;
	fputc(' ', r->out);
	put_spaces(r->out, window_lead(&w) + from - w.from);
	print_underline(r, from, to, m);
	if (m->label)
		fprintf(r->out, " %s", m->label);
	fputc('\n', r->out);
}

/* "file:line:col: " for a position, nothing for a missing source. */
static void print_location(const struct render *r, const struct source *s,
			   uint32_t offset)
{
	if (!s) {
		fputs("depc: ", r->out);
		return;
	}
	fprintf(r->out, "%s:%zu:%zu: ", s->name, source_line_of(s, offset),
		char_column(r, s, offset));
}

/* A message quotes the names it is about, and a hostile name may be a
 * megabyte long: past MESSAGE_MAX bytes the message is cut, at a
 * character boundary, and ends in "...". */
#define MESSAGE_MAX 1000

static void print_message(const struct render *r, const char *msg)
{
	size_t len = strlen(msg);
	if (len <= MESSAGE_MAX) {
		paint(r, ANSI_BOLD, msg);
		return;
	}
	len = MESSAGE_MAX;
	while (len > 0 && ((unsigned char)msg[len] & 0xC0) == 0x80)
		len--;
	char *cut = xmalloc(len + 4);
	memcpy(cut, msg, len);
	memcpy(cut + len, "...", 4);
	paint(r, ANSI_BOLD, cut);
	free(cut);
}

static void print_header(const struct render *r, const struct diag *d)
{
	char word[64];
	snprintf(word, sizeof word, "%s[%s]", severity_word(d->severity),
		 diag_code_name(d->code));
	print_location(r, d->src, d->span.start);
	paint(r, severity_color(d->severity), word);
	fputs(": ", r->out);
	print_message(r, d->message ? d->message : "");
	fputc('\n', r->out);
}

/* Secondary location: its own "note:" header and a ---- underline. */
static void print_label(const struct render *r, const struct diag_label *l)
{
	struct marker m = { '-', '-', ANSI_CYAN, NULL };
	print_location(r, l->src, l->span.start);
	paint(r, ANSI_CYAN, "note:");
	fprintf(r->out, " %s\n", l->message ? l->message : "related location");
	if (l->src)
		print_snippet(r, l->src, l->span, &m);
}

/* "   = note: text", the '=' under the gutter's '|'. */
static void print_texts(const struct render *r, const struct diag_text *t,
			const char *word)
{
	for (; t; t = t->next) {
		put_spaces(r->out, r->gutter + 2);
		paint(r, ANSI_BLUE, "=");
		fputc(' ', r->out);
		paint(r, ANSI_CYAN, word);
		fprintf(r->out, " %s\n", t->text);
	}
}

static size_t line_number(const struct source *s, struct span sp)
{
	return s ? source_line_of(s, sp.start) : 0;
}

/* The gutter must fit every line number this diagnostic prints. */
static size_t gutter_width(const struct diag *d)
{
	size_t max = line_number(d->src, d->span);
	for (const struct diag_label *l = d->labels; l; l = l->next) {
		size_t n = line_number(l->src, l->span);
		if (n > max)
			max = n;
	}
	return digits(max);
}

static void render_one(struct render *r, const struct diag *d)
{
	struct marker m = { '^', '~', severity_color(d->severity), d->label };
	r->gutter = gutter_width(d);
	print_header(r, d);
	if (d->src)
		print_snippet(r, d->src, d->span, &m);
	for (const struct diag_label *l = d->labels; l; l = l->next)
		print_label(r, l);
	if (d->notes || d->helps)
		print_empty_gutter(r);
	print_texts(r, d->notes, "note:");
	print_texts(r, d->helps, "help:");
}

/* "1 error, 2 warnings emitted"; a part with a zero count is left out. */
static void print_summary(FILE *out, size_t errors, size_t warnings)
{
	if (errors)
		fprintf(out, "%zu error%s", errors, errors == 1 ? "" : "s");
	if (errors && warnings)
		fputs(", ", out);
	if (warnings)
		fprintf(out, "%zu warning%s", warnings, warnings == 1 ? "" : "s");
	if (errors || warnings)
		fputs(" emitted\n", out);
}

/* Each diagnostic is rendered into memory and written with one call: put
 * character by character on an unbuffered stderr, ten thousand warnings
 * took over a million write(2) calls. */
static void render_buffered(struct render *r, FILE *out, const struct diag *d,
			    bool first)
{
	char *buf = NULL;
	size_t len = 0;
	r->out = open_memstream(&buf, &len);
	if (!r->out)
		depc_out_of_memory();
	if (!first)
		fputc('\n', r->out);
	render_one(r, d);
	if (fclose(r->out) != 0)
		depc_out_of_memory();
	fwrite(buf, 1, len, out);
	free(buf);
	r->out = out;
}

void diag_render_text(FILE *out, const struct diag_bag *bag,
		      const struct diag_render_options *opt)
{
	if (!bag->first)
		return;
	struct mark_cache marks = { 0 };
	struct masks masks = masks_of(bag);
	struct render r = { out, opt && opt->color, 4, 1, &masks, &marks };
	if (opt && opt->tab_width)
		r.tab_width = opt->tab_width;
	for (const struct diag *d = bag->first; d; d = d->next)
		render_buffered(&r, out, d, d == bag->first);
	free_marks(&marks);
	free(masks.items);
	if (bag->errors || bag->warnings)
		fputc('\n', out);
	print_summary(out, bag->errors, bag->warnings);
	fflush(out);
}

/* ---- JSON rendering ---- */

/* Adds item under key, aborting when cJSON could not allocate. */
static void put(cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item))
		depc_out_of_memory();
}

static void push(cJSON *array, cJSON *item)
{
	if (!item || !cJSON_AddItemToArray(array, item))
		depc_out_of_memory();
}

static cJSON *json_string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *json_object(void)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		depc_out_of_memory();
	return o;
}

static cJSON *json_position(const struct render *r, const struct source *s,
			    uint32_t offset)
{
	if (offset > s->len)
		offset = (uint32_t)s->len;
	cJSON *o = json_object();
	put(o, "line", cJSON_CreateNumber((double)source_line_of(s, offset)));
	put(o, "column", cJSON_CreateNumber((double)char_column(r, s, offset)));
	put(o, "offset", cJSON_CreateNumber((double)offset));
	return o;
}

static cJSON *json_range(const struct render *r, const struct source *s, struct span sp)
{
	cJSON *o = json_object();
	put(o, "start", json_position(r, s, sp.start));
	put(o, "end", json_position(r, s, sp.end));
	return o;
}

static cJSON *json_label(const struct render *r, const struct diag_label *l)
{
	cJSON *o = json_object();
	put(o, "file", json_string_or_null(l->src ? l->src->name : NULL));
	if (l->src)
		put(o, "range", json_range(r, l->src, l->span));
	put(o, "message", json_string_or_null(l->message));
	return o;
}

static cJSON *json_texts(const struct diag_text *t)
{
	cJSON *a = cJSON_CreateArray();
	if (!a)
		depc_out_of_memory();
	for (; t; t = t->next)
		push(a, cJSON_CreateString(t->text));
	return a;
}

static cJSON *json_fix(const struct render *r, const struct diag *d)
{
	if (!d->fix)
		return cJSON_CreateNull();
	cJSON *o = json_object();
	if (d->src)
		put(o, "range", json_range(r, d->src, d->fix->span));
	put(o, "replacement", cJSON_CreateString(d->fix->replacement));
	put(o, "title", json_string_or_null(d->fix->title));
	return o;
}

static cJSON *json_labels(const struct render *r, const struct diag_label *l)
{
	cJSON *a = cJSON_CreateArray();
	if (!a)
		depc_out_of_memory();
	for (; l; l = l->next)
		push(a, json_label(r, l));
	return a;
}

static cJSON *json_diag(const struct render *r, const struct diag *d)
{
	cJSON *o = json_object();
	put(o, "file", json_string_or_null(d->src ? d->src->name : NULL));
	put(o, "code", cJSON_CreateString(diag_code_name(d->code)));
	put(o, "severity", cJSON_CreateString(severity_word(d->severity)));
	put(o, "message", cJSON_CreateString(d->message ? d->message : ""));
	if (d->src)
		put(o, "range", json_range(r, d->src, d->span));
	put(o, "label", json_string_or_null(d->label));
	put(o, "labels", json_labels(r, d->labels));
	put(o, "notes", json_texts(d->notes));
	put(o, "help", json_texts(d->helps));
	put(o, "fix", json_fix(r, d));
	return o;
}

void diag_render_json(FILE *out, const struct diag_bag *bag)
{
	/* Only the long-line cache is used: columns come from checkpoints. */
	struct mark_cache marks = { 0 };
	struct masks masks = masks_of(bag);
	struct render r = { out, false, 4, 1, &masks, &marks };
	cJSON *root = json_object();
	cJSON *list = cJSON_CreateArray();
	put(root, "diagnostics", list);
	for (const struct diag *d = bag->first; d; d = d->next)
		push(list, json_diag(&r, d));
	free_marks(&marks);
	free(masks.items);
	put(root, "errors", cJSON_CreateNumber((double)bag->errors));
	put(root, "warnings", cJSON_CreateNumber((double)bag->warnings));
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		depc_out_of_memory();
	fputs(text, out);
	fputc('\n', out);
	cJSON_free(text);
}
