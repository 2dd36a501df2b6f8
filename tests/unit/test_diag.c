/* test_diag.c - unit tests for src/diag.c.
 *
 * The text renderer is compared byte for byte against expected strings,
 * rendered into memory with open_memstream().  No code in
 * diag_codes.def is a warning yet, so tests that need a warning turn an
 * error into one by hand (make_warning), as a severity flag would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>

#include "diag.h"

#include "unit.h"

/* One arena and one bag per test. */
struct fixture {
	struct arena arena;
	struct diag_bag bag;
};

static void fx_init(struct fixture *fx)
{
	arena_init(&fx->arena);
	diag_bag_init(&fx->bag, &fx->arena);
}

static struct source *fx_source(struct fixture *fx, const char *name,
				const char *text)
{
	return source_from_memory(&fx->arena, name, text, strlen(text));
}

static struct span span_of(const char *text, const char *needle, size_t len)
{
	const char *p = strstr(text, needle);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	uint32_t start = (uint32_t)(p - text);
	return span_make(start, start + (uint32_t)len);
}

static void make_warning(struct diag_bag *bag, struct diag *d)
{
	d->severity = SEV_WARNING;
	bag->errors--;
	bag->warnings++;
}

static char *render(const struct diag_bag *bag, bool color, size_t tab)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	struct diag_render_options opt = { color, tab };
	diag_render_text(f, bag, &opt);
	fclose(f);
	return buf;
}

static char *render_json(const struct diag_bag *bag)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	diag_render_json(f, bag);
	fclose(f);
	return buf;
}

/* Compares the rendering with `want`, showing both when they differ. */
static void expect_render(const struct diag_bag *bag, size_t tab,
			  const char *want)
{
	char *got = render(bag, false, tab);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n--- expected ---\n%s--- got ---\n%s---\n",
			want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

/* ---- code table ---- */

static void test_code_table(void)
{
	CU_ASSERT_STRING_EQUAL(diag_code_name(DIAG_E0101), "E0101");
	CU_ASSERT_STRING_EQUAL(diag_code_name(DIAG_E0003), "E0003");
	CU_ASSERT_STRING_EQUAL(diag_code_summary(DIAG_E0003),
			       "unterminated string literal");
	CU_ASSERT_EQUAL(diag_code_severity(DIAG_E0104), SEV_ERROR);
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		const char *name = diag_code_name((enum diag_code)i);
		CU_ASSERT_EQUAL(strlen(name), 5);
		CU_ASSERT(name[0] == 'E' || name[0] == 'W');
		CU_ASSERT(diag_code_summary((enum diag_code)i)[0] != '\0');
	}
}

static void test_code_lookup(void)
{
	enum diag_code c = DIAG_CODE_COUNT;
	CU_ASSERT_TRUE(diag_code_lookup("E0104", &c));
	CU_ASSERT_EQUAL(c, DIAG_E0104);
	CU_ASSERT_TRUE(diag_code_lookup("e0001", &c));
	CU_ASSERT_EQUAL(c, DIAG_E0001);
	CU_ASSERT_FALSE(diag_code_lookup("E9999", &c));
	CU_ASSERT_FALSE(diag_code_lookup("", &c));
	CU_ASSERT_FALSE(diag_code_lookup("E01011", &c));
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		CU_ASSERT_TRUE(diag_code_lookup(diag_code_name((enum diag_code)i), &c));
		CU_ASSERT_EQUAL(c, (enum diag_code)i);
	}
}

/* ---- building the bag ---- */

static void test_emit(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "a.dep", "x = 1\n");
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008,
				   s, span_make(0, 1), "bad '%s' at %d", "x", 7);
	CU_ASSERT_PTR_EQUAL(fx.bag.first, d);
	CU_ASSERT_PTR_EQUAL(fx.bag.last, d);
	CU_ASSERT_EQUAL(d->code, DIAG_E0008);
	CU_ASSERT_EQUAL(d->severity, SEV_ERROR);
	CU_ASSERT_STRING_EQUAL(d->message, "bad 'x' at 7");
	CU_ASSERT_PTR_EQUAL(d->src, s);
	CU_ASSERT_EQUAL(fx.bag.errors, 1);
	CU_ASSERT_EQUAL(fx.bag.warnings, 0);
	struct diag *d2 = diag_emit(&fx.bag, DIAG_E0101, NULL, span_make(0, 0), "two");
	CU_ASSERT_PTR_EQUAL(d->next, d2);
	CU_ASSERT_PTR_EQUAL(fx.bag.last, d2);
	CU_ASSERT_EQUAL(fx.bag.errors, 2);
	arena_free(&fx.arena);
}

static void test_decorations(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "a.dep", "x = 1\n");
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "m");
	char word[] = "dbb";
	diag_set_label(&fx.bag, d, "unknown '%s'", word);
	diag_add_label(&fx.bag, d, s, span_make(4, 5), "first %d", 1);
	diag_add_label(&fx.bag, d, s, span_make(2, 3), "second");
	diag_add_note(&fx.bag, d, "n%d", 1);
	diag_add_help(&fx.bag, d, "h%d", 1);
	diag_add_note(&fx.bag, d, "n%d", 2);
	diag_set_fix(&fx.bag, d, span_make(0, 1), word, "replace with 'db'");
	word[0] = 'X'; /* everything was copied */
	CU_ASSERT_STRING_EQUAL(d->label, "unknown 'dbb'");
	CU_ASSERT_STRING_EQUAL(d->labels->message, "first 1");
	CU_ASSERT_STRING_EQUAL(d->labels->next->message, "second");
	CU_ASSERT_PTR_NULL(d->labels->next->next);
	CU_ASSERT_STRING_EQUAL(d->notes->text, "n1");
	CU_ASSERT_STRING_EQUAL(d->notes->next->text, "n2");
	CU_ASSERT_STRING_EQUAL(d->helps->text, "h1");
	CU_ASSERT_STRING_EQUAL(d->fix->replacement, "dbb");
	CU_ASSERT_STRING_EQUAL(d->fix->title, "replace with 'db'");
	arena_free(&fx.arena);
}

/* A downgraded policy rule counts as a warning, not as an error, and
 * does not use up the error limit. */
static void test_emit_as(void)
{
	struct fixture fx;
	fx_init(&fx);
	fx.bag.limit = 1;
	struct diag *w = diag_emit_as(&fx.bag, DIAG_E0407, SEV_WARNING, NULL, span_make(0, 0),
				      "allowed %d", 1);
	CU_ASSERT_EQUAL(w->severity, SEV_WARNING);
	CU_ASSERT_STRING_EQUAL(w->message, "allowed 1");
	diag_emit_as(&fx.bag, DIAG_E0407, SEV_WARNING, NULL, span_make(0, 0), "again");
	CU_ASSERT_EQUAL(fx.bag.warnings, 2);
	CU_ASSERT_EQUAL(fx.bag.errors, 0);
	struct diag *e = diag_emit_as(&fx.bag, DIAG_E0407, SEV_ERROR, NULL, span_make(0, 0), "e");
	CU_ASSERT_EQUAL(e->severity, SEV_ERROR);
	CU_ASSERT_EQUAL(fx.bag.errors, 1);
	CU_ASSERT_FALSE(fx.bag.overflow);
	diag_emit_as(&fx.bag, DIAG_E0407, SEV_ERROR, NULL, span_make(0, 0), "past the limit");
	CU_ASSERT_TRUE(fx.bag.overflow);
	arena_free(&fx.arena);
}

/* A redacted span is masked in every snippet that shows its line, the
 * underline staying where it was. */
static void test_render_redacted(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *text = "env { PASSWORD = \"h\u00e9nter2\"  OTHER = 1 }\n";
	struct source *s = fx_source(&fx, "r.dep", text);
	struct span secret = span_of(text, "h\u00e9nter2", 8);
	diag_redact(&fx.bag, s, secret);
	diag_emit(&fx.bag, DIAG_E0402, s, span_make(secret.start - 1, secret.end + 1), "first");
	diag_emit(&fx.bag, DIAG_E0301, s, span_of(text, "OTHER", 5), "second");
	char *out = render(&fx.bag, false, 4);
	CU_ASSERT_PTR_NULL(strstr(out, "nter2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out,
		" 1 | env { PASSWORD = \"*******\"  OTHER = 1 }\n"
		"   |                  ^~~~~~~~~\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "   |                             ^~~~~\n"));
	free(out);
	arena_free(&fx.arena);
}

/* Masks from many places: overlapping, touching, empty, in two sources
 * and given in any order, each byte masked exactly when some span of
 * its own source holds it. */
static void test_render_redacted_many(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *text = "x = \"abcdefghijklmnopqrstuvwxyz\"\n";
	struct source *a = fx_source(&fx, "a.dep", text);
	struct source *b = fx_source(&fx, "b.dep", text);
	uint32_t at = span_of(text, "a", 1).start;
	diag_redact(&fx.bag, a, span_make(at + 10, at + 12));  /* k l */
	diag_redact(&fx.bag, a, span_make(at + 2, at + 5));    /* c d e */
	diag_redact(&fx.bag, a, span_make(at + 4, at + 7));    /* e f g: overlaps */
	diag_redact(&fx.bag, a, span_make(at + 7, at + 8));    /* h: touches */
	diag_redact(&fx.bag, a, span_make(at + 20, at + 20));  /* empty */
	diag_redact(&fx.bag, a, span_make(at + 3, at + 4));    /* inside */
	diag_redact(&fx.bag, b, span_make(at + 24, at + 26));  /* y z, other file */
	diag_emit(&fx.bag, DIAG_E0402, a, span_make(at, at + 1), "in a");
	diag_emit(&fx.bag, DIAG_E0402, b, span_make(at, at + 1), "in b");
	char *out = render(&fx.bag, false, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " 1 | x = \"ab******ij**mnopqrstuvwxyz\"\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " 1 | x = \"abcdefghijklmnopqrstuvwx**\"\n"));
	free(out);
	arena_free(&fx.arena);
}

/* ---- the error limit ---- */

static size_t count_code(const struct diag_bag *bag, enum diag_code code)
{
	size_t n = 0;
	for (const struct diag *d = bag->first; d; d = d->next)
		n += d->code == code;
	return n;
}

static void test_limit(void)
{
	struct fixture fx;
	fx_init(&fx);
	fx.bag.limit = 2;
	struct source *s = fx_source(&fx, "a.dep", "abc\n");
	for (int i = 0; i < 100; i++)
		diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "e%d", i);
	CU_ASSERT_TRUE(fx.bag.overflow);
	CU_ASSERT_EQUAL(fx.bag.errors, 3); /* E0104 counts */
	CU_ASSERT_EQUAL(count_code(&fx.bag, DIAG_E0104), 1);
	CU_ASSERT_EQUAL(count_code(&fx.bag, DIAG_E0008), 2);
	struct diag *last = fx.bag.last;
	CU_ASSERT_EQUAL(last->code, DIAG_E0104);
	CU_ASSERT_PTR_NULL(last->src);
	CU_ASSERT_PTR_NULL(last->next);
	CU_ASSERT_STRING_EQUAL(last->message,
			       "too many errors (limit is 2); the rest are not reported");
	arena_free(&fx.arena);
}

/* Past the limit, callers still get a diagnostic they can decorate. */
static void test_limit_scratch(void)
{
	struct fixture fx;
	fx_init(&fx);
	fx.bag.limit = 1;
	struct source *s = fx_source(&fx, "a.dep", "abc\n");
	diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "kept");
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "lost");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	diag_set_label(&fx.bag, d, "x");
	diag_add_label(&fx.bag, d, s, span_make(1, 2), "y");
	diag_add_note(&fx.bag, d, "z");
	diag_add_help(&fx.bag, d, "w");
	diag_set_fix(&fx.bag, d, span_make(0, 1), "a", "b");
	for (const struct diag *e = fx.bag.first; e; e = e->next)
		CU_ASSERT_PTR_NOT_EQUAL(e, d);
	CU_ASSERT_NOT_EQUAL(fx.bag.last, d);
	CU_ASSERT_EQUAL(fx.bag.errors, 2);
	expect_render(&fx.bag, 4,
		      "a.dep:1:1: error[E0008]: kept\n"
		      "   |\n"
		      " 1 | abc\n"
		      "   | ^\n"
		      "\n"
		      "depc: error[E0104]: too many errors (limit is 1); the rest are not reported\n"
		      "\n"
		      "2 errors emitted\n");
	arena_free(&fx.arena);
}

/* Past the limit a diagnostic is counted and costs no memory, whatever
 * its callers hang on it: a file of a million bad characters is held
 * once, not a million times over. */
static void test_limit_counts_not_keeps(void)
{
	struct fixture fx;
	fx_init(&fx);
	fx.bag.limit = 1;
	struct source *s = fx_source(&fx, "a.dep", "abc\n");
	diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "kept");
	diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "overflows");
	size_t before = fx.arena.total;
	for (int i = 0; i < 10000; i++) {
		struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "n%d", i);
		diag_set_label(&fx.bag, d, "label %d", i);
		diag_add_label(&fx.bag, d, s, span_make(1, 2), "y");
		diag_add_note(&fx.bag, d, "note");
		diag_add_help(&fx.bag, d, "help");
		diag_set_fix(&fx.bag, d, span_make(0, 1), "a", "b");
	}
	CU_ASSERT_EQUAL(fx.arena.total, before);
	CU_ASSERT_EQUAL(fx.bag.dropped, 10001);
	CU_ASSERT_EQUAL(count_code(&fx.bag, DIAG_E0008), 1);
	arena_free(&fx.arena);
}

/* Warnings do not use up the error limit; after overflow nothing is kept. */
static void test_limit_warnings(void)
{
	struct fixture fx;
	fx_init(&fx);
	fx.bag.limit = 1;
	struct diag *w = diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "w");
	make_warning(&fx.bag, w);
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "e1");
	CU_ASSERT_FALSE(fx.bag.overflow);
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "e2");
	CU_ASSERT_TRUE(fx.bag.overflow);
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "e3");
	CU_ASSERT_EQUAL(fx.bag.errors, 2);
	CU_ASSERT_EQUAL(fx.bag.warnings, 1);
	CU_ASSERT_EQUAL(count_code(&fx.bag, DIAG_E0104), 1);
	arena_free(&fx.arena);
}

static void test_no_limit(void)
{
	struct fixture fx;
	fx_init(&fx);
	for (int i = 0; i < 1000; i++)
		diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "e");
	CU_ASSERT_FALSE(fx.bag.overflow);
	CU_ASSERT_EQUAL(fx.bag.errors, 1000);
	CU_ASSERT_EQUAL(count_code(&fx.bag, DIAG_E0104), 0);
	arena_free(&fx.arena);
}

/* ---- sorting ---- */

static void test_sort_order(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *a = fx_source(&fx, "a.dep", "0123456789");
	struct source *a2 = fx_source(&fx, "a.dep", "0123456789");
	struct source *b = fx_source(&fx, "b.dep", "0123456789");
	diag_emit(&fx.bag, DIAG_E0008, b, span_make(1, 2), "b1");
	diag_emit(&fx.bag, DIAG_E0008, a, span_make(5, 6), "a5-first");
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(9, 9), "none1");
	diag_emit(&fx.bag, DIAG_E0008, a2, span_make(5, 5), "a5-second");
	diag_emit(&fx.bag, DIAG_E0008, a, span_make(2, 3), "a2");
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "none2");
	diag_emit(&fx.bag, DIAG_E0008, b, span_make(0, 2), "b0");
	diag_bag_sort(&fx.bag);
	const char *want[] = { "none1", "none2", "a2", "a5-first", "a5-second",
			       "b0", "b1" };
	const struct diag *d = fx.bag.first;
	for (size_t i = 0; i < 7; i++, d = d->next) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(d);
		CU_ASSERT_STRING_EQUAL(d->message, want[i]);
	}
	CU_ASSERT_PTR_NULL(d);
	CU_ASSERT_STRING_EQUAL(fx.bag.last->message, "b1");
	arena_free(&fx.arena);
}

static void test_sort_small(void)
{
	struct fixture fx;
	fx_init(&fx);
	diag_bag_sort(&fx.bag);
	CU_ASSERT_PTR_NULL(fx.bag.first);
	CU_ASSERT_PTR_NULL(fx.bag.last);
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "x");
	diag_bag_sort(&fx.bag);
	CU_ASSERT_PTR_EQUAL(fx.bag.first, d);
	CU_ASSERT_PTR_EQUAL(fx.bag.last, d);
	arena_free(&fx.arena);
}

/* 20000 diagnostics on 7 positions: sorted, stable, and quick. */
static void test_sort_large_stable(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "a.dep", "0123456789");
	for (int i = 0; i < 20000; i++) {
		uint32_t at = (uint32_t)((i * 7919) % 7);
		diag_emit(&fx.bag, DIAG_E0008, s, span_make(at, at), "%d", i);
	}
	diag_bag_sort(&fx.bag);
	size_t n = 0;
	for (const struct diag *d = fx.bag.first; d->next; d = d->next, n++) {
		const struct diag *e = d->next;
		CU_ASSERT(d->span.start <= e->span.start);
		if (d->span.start == e->span.start)
			CU_ASSERT(atoi(d->message) < atoi(e->message));
	}
	CU_ASSERT_EQUAL(n + 1, 20000);
	CU_ASSERT_PTR_NULL(fx.bag.last->next);
	arena_free(&fx.arena);
}

/* ---- text rendering ---- */

static void test_render_ascii(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "service api {\n  image = \"x\"\n  name = \"abc\n}\n";
	struct source *s = fx_source(&fx, "examples/bad.dep", t);
	struct diag *d = diag_emit(&fx.bag, DIAG_E0003, s, span_of(t, "\"abc", 4),
				   "unterminated string literal");
	diag_set_label(&fx.bag, d, "this string is never closed");
	diag_add_note(&fx.bag, d, "strings end at the end of their line");
	diag_add_help(&fx.bag, d, "add '\"' at the end of the string");
	expect_render(&fx.bag, 4,
		      "examples/bad.dep:3:10: error[E0003]: unterminated string literal\n"
		      "   |\n"
		      " 3 |   name = \"abc\n"
		      "   |          ^~~~ this string is never closed\n"
		      "   |\n"
		      "   = note: strings end at the end of their line\n"
		      "   = help: add '\"' at the end of the string\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_tab(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "\tport = 8o\n";
	struct source *s = fx_source(&fx, "t.dep", t);
	diag_emit(&fx.bag, DIAG_E0010, s, span_of(t, "8o", 2), "bad number");
	expect_render(&fx.bag, 4,
		      "t.dep:1:9: error[E0010]: bad number\n"
		      "   |\n"
		      " 1 |     port = 8o\n"
		      "   |            ^~\n"
		      "\n"
		      "1 error emitted\n");
	expect_render(&fx.bag, 8,
		      "t.dep:1:9: error[E0010]: bad number\n"
		      "   |\n"
		      " 1 |         port = 8o\n"
		      "   |                ^~\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

/* A tab after text runs to the next stop, not a fixed width. */
static void test_render_tab_stop(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "ab\tc\td\n";
	struct source *s = fx_source(&fx, "t.dep", t);
	diag_emit(&fx.bag, DIAG_E0008, s, span_of(t, "d", 1), "here");
	expect_render(&fx.bag, 4,
		      "t.dep:1:6: error[E0008]: here\n"
		      "   |\n"
		      " 1 | ab  c   d\n"
		      "   |         ^\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_utf8(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "x = \"é日本😀\" + $\n";
	struct source *s = fx_source(&fx, "u.dep", t);
	diag_emit(&fx.bag, DIAG_E0008, s, span_of(t, "$", 1), "stray '$'");
	expect_render(&fx.bag, 4,
		      "u.dep:1:14: error[E0008]: stray '$'\n"
		      "   |\n"
		      " 1 | x = \"é日本😀\" + $\n"
		      "   |                 ^\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

/* Wide characters under the span take two cells of underline each. */
static void test_render_wide_span(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "name = 日本\n";
	struct source *s = fx_source(&fx, "w.dep", t);
	diag_emit(&fx.bag, DIAG_E0008, s, span_of(t, "日本", 6), "wide");
	expect_render(&fx.bag, 4,
		      "w.dep:1:8: error[E0008]: wide\n"
		      "   |\n"
		      " 1 | name = 日本\n"
		      "   |        ^~~~\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_end_of_line(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "a = (1\nb = 2\n";
	struct source *s = fx_source(&fx, "e.dep", t);
	diag_emit(&fx.bag, DIAG_E0101, s, span_make(6, 7), "expected ')'");
	expect_render(&fx.bag, 4,
		      "e.dep:1:7: error[E0101]: expected ')'\n"
		      "   |\n"
		      " 1 | a = (1\n"
		      "   |       ^\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

/* End of a CRLF line: the '\r' is neither printed nor underlined. */
static void test_render_crlf(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "a = (1\r\nb = 2\r\n";
	struct source *s = fx_source(&fx, "c.dep", t);
	diag_emit(&fx.bag, DIAG_E0101, s, span_make(6, 8), "expected ')'");
	expect_render(&fx.bag, 4,
		      "c.dep:1:7: error[E0101]: expected ')'\n"
		      "   |\n"
		      " 1 | a = (1\n"
		      "   |       ^\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_zero_width(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "port 80\n";
	struct source *s = fx_source(&fx, "z.dep", t);
	struct diag *d = diag_emit(&fx.bag, DIAG_E0101, s, span_make(4, 4),
				   "expected '='");
	diag_set_label(&fx.bag, d, "add '=' here");
	expect_render(&fx.bag, 4,
		      "z.dep:1:5: error[E0101]: expected '='\n"
		      "   |\n"
		      " 1 | port 80\n"
		      "   |     ^ add '=' here\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_multi_line(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "x = /* never\nclosed\n";
	struct source *s = fx_source(&fx, "m.dep", t);
	diag_emit(&fx.bag, DIAG_E0004, s, span_make(4, (uint32_t)strlen(t)),
		  "unterminated block comment");
	expect_render(&fx.bag, 4,
		      "m.dep:1:5: error[E0004]: unterminated block comment\n"
		      "   |\n"
		      " 1 | x = /* never\n"
		      "   |     ^~~~~~~~\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

/* At the very end of a file that ends in '\n': an empty last line. */
static void test_render_eof(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "a {\n";
	struct source *s = fx_source(&fx, "f.dep", t);
	diag_emit(&fx.bag, DIAG_E0101, s, span_make(4, 4), "expected '}'");
	diag_emit(&fx.bag, DIAG_E0101, s, span_make(99, 120), "clamped");
	expect_render(&fx.bag, 4,
		      "f.dep:2:1: error[E0101]: expected '}'\n"
		      "   |\n"
		      " 2 |\n"
		      "   | ^\n"
		      "\n"
		      "f.dep:2:1: error[E0101]: clamped\n"
		      "   |\n"
		      " 2 |\n"
		      "   | ^\n"
		      "\n"
		      "2 errors emitted\n");
	arena_free(&fx.arena);
}

/* Invalid bytes and control characters show as U+FFFD in one cell. */
static void test_render_replacement(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "a\xff\x01\x7f" "b\n";
	struct source *s = fx_source(&fx, "r.dep", t);
	diag_emit(&fx.bag, DIAG_E0001, s, span_make(1, 4), "bad bytes");
	expect_render(&fx.bag, 4,
		      "r.dep:1:2: error[E0001]: bad bytes\n"
		      "   |\n"
		      " 1 | a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "b\n"
		      "   |  ^~~\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

/* A combining mark takes no cell of its own; a bidi override is shown as
 * U+FFFD so it cannot reorder the line on the terminal. */
static void test_render_combining_bidi(void)
{
	struct fixture fx;
	fx_init(&fx);
	const char *t = "e\xCC\x81\xE2\x80\xAEx\n";
	struct source *s = fx_source(&fx, "k.dep", t);
	diag_emit(&fx.bag, DIAG_E0008, s, span_of(t, "x", 1), "here");
	expect_render(&fx.bag, 4,
		      "k.dep:1:4: error[E0008]: here\n"
		      "   |\n"
		      " 1 | e\xCC\x81\xEF\xBF\xBDx\n"
		      "   |   ^\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

/* A duplicate in a.dep line 9 whose first declaration is b.dep line 12. */
static void fill_label_bag(struct fixture *fx)
{
	const char *ta = "\n\n\n\n\n\n\n\nservice db {}\n";
	const char *tb = "\n\n\n\n\n\n\n\n\n\n\nservice db {}\n";
	struct source *a = fx_source(fx, "a.dep", ta);
	struct source *b = fx_source(fx, "lib/b.dep", tb);
	struct diag *d = diag_emit(&fx->bag, DIAG_E0105, a, span_of(ta, "db", 2),
				   "duplicate service 'db'");
	diag_set_label(&fx->bag, d, "declared again here");
	diag_add_label(&fx->bag, d, b, span_of(tb, "db", 2), "first declared here");
	diag_add_label(&fx->bag, d, b, span_of(tb, "{}", 2), NULL);
	diag_add_help(&fx->bag, d, "rename one of them");
}

/* The gutter is as wide as the widest line number, label lines included. */
static void test_render_labels(void)
{
	struct fixture fx;
	fx_init(&fx);
	fill_label_bag(&fx);
	expect_render(&fx.bag, 4,
		      "a.dep:9:9: error[E0105]: duplicate service 'db'\n"
		      "    |\n"
		      "  9 | service db {}\n"
		      "    |         ^~ declared again here\n"
		      "lib/b.dep:12:9: note: first declared here\n"
		      "    |\n"
		      " 12 | service db {}\n"
		      "    |         --\n"
		      "lib/b.dep:12:12: note: related location\n"
		      "    |\n"
		      " 12 | service db {}\n"
		      "    |            --\n"
		      "    |\n"
		      "    = help: rename one of them\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_notes_help_order(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "o.dep", "x\n");
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "m");
	diag_add_help(&fx.bag, d, "h1");
	diag_add_note(&fx.bag, d, "n1");
	diag_add_help(&fx.bag, d, "h2");
	diag_add_note(&fx.bag, d, "n2");
	expect_render(&fx.bag, 4,
		      "o.dep:1:1: error[E0008]: m\n"
		      "   |\n"
		      " 1 | x\n"
		      "   | ^\n"
		      "   |\n"
		      "   = note: n1\n"
		      "   = note: n2\n"
		      "   = help: h1\n"
		      "   = help: h2\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_wide_gutter(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < 99; i++)
		strbuf_putc(&b, '\n');
	strbuf_puts(&b, "bad\n");
	struct source *s = source_from_memory(&fx.arena, "g.dep", b.data, b.len);
	strbuf_free(&b);
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(99, 102), "m");
	diag_add_note(&fx.bag, d, "n");
	expect_render(&fx.bag, 4,
		      "g.dep:100:1: error[E0008]: m\n"
		      "     |\n"
		      " 100 | bad\n"
		      "     | ^~~\n"
		      "     |\n"
		      "     = note: n\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_two_and_warning(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "a.dep", "one\ntwo\n");
	diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 3), "first");
	struct diag *w = diag_emit(&fx.bag, DIAG_E0008, s, span_make(4, 7), "second");
	make_warning(&fx.bag, w);
	expect_render(&fx.bag, 4,
		      "a.dep:1:1: error[E0008]: first\n"
		      "   |\n"
		      " 1 | one\n"
		      "   | ^~~\n"
		      "\n"
		      "a.dep:2:1: warning[E0008]: second\n"
		      "   |\n"
		      " 2 | two\n"
		      "   | ^~~\n"
		      "\n"
		      "1 error, 1 warning emitted\n");
	arena_free(&fx.arena);
}

/* Only the summary line of a rendering: its last line. */
static char *summary_of(struct fixture *fx)
{
	char *text = render(&fx->bag, false, 4);
	size_t n = strlen(text);
	CU_ASSERT_FATAL(n >= 2 && text[n - 1] == '\n');
	text[n - 1] = '\0';
	char *last = strrchr(text, '\n');
	char *copy = strdup(last ? last + 1 : text);
	free(text);
	return copy;
}

static void check_summary(size_t errors, size_t warnings, const char *want)
{
	struct fixture fx;
	fx_init(&fx);
	for (size_t i = 0; i < errors + warnings; i++) {
		struct diag *d = diag_emit(&fx.bag, DIAG_E0008, NULL,
					   span_make(0, 0), "d");
		if (i >= errors)
			make_warning(&fx.bag, d);
	}
	char *got = summary_of(&fx);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	arena_free(&fx.arena);
}

static void test_render_summary(void)
{
	check_summary(1, 0, "1 error emitted");
	check_summary(2, 0, "2 errors emitted");
	check_summary(1, 2, "1 error, 2 warnings emitted");
	check_summary(3, 1, "3 errors, 1 warning emitted");
	check_summary(0, 1, "1 warning emitted");
	check_summary(0, 2, "2 warnings emitted");
}

static void test_render_empty(void)
{
	struct fixture fx;
	fx_init(&fx);
	expect_render(&fx.bag, 4, "");
	arena_free(&fx.arena);
}

static void test_render_no_source(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct diag *d = diag_emit(&fx.bag, DIAG_E0103, NULL, span_make(0, 0),
				   "'%s' is larger than 256 MiB", "big.dep");
	diag_add_help(&fx.bag, d, "split it");
	expect_render(&fx.bag, 4,
		      "depc: error[E0103]: 'big.dep' is larger than 256 MiB\n"
		      "   |\n"
		      "   = help: split it\n"
		      "\n"
		      "1 error emitted\n");
	arena_free(&fx.arena);
}

static void test_render_color(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "a.dep", "xy\n");
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 2), "m");
	diag_add_label(&fx.bag, d, s, span_make(1, 2), "l");
	diag_add_help(&fx.bag, d, "h");
	char *plain = render(&fx.bag, false, 4);
	CU_ASSERT_PTR_NULL(strchr(plain, '\033'));
	char *color = render(&fx.bag, true, 4);
	CU_ASSERT_PTR_NOT_NULL(strchr(color, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;31merror[E0008]\033[0m: "
					     "\033[1mm\033[0m\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;34m 1 |\033[0m xy\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;31m^~\033[0m"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;36m-\033[0m"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;36mnote:\033[0m l\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;36mhelp:\033[0m h\n"));
	free(plain);
	free(color);
	arena_free(&fx.arena);
}

static void test_render_color_warning(void)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "a.dep", "xy\n");
	struct diag *d = diag_emit(&fx.bag, DIAG_E0008, s, span_make(0, 1), "m");
	make_warning(&fx.bag, d);
	char *color = render(&fx.bag, true, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;33mwarning[E0008]\033[0m"));
	CU_ASSERT_PTR_NOT_NULL(strstr(color, "\033[1;33m^\033[0m"));
	free(color);
	arena_free(&fx.arena);
}

/* ---- JSON rendering ---- */

static cJSON *parse_json(const struct diag_bag *bag)
{
	char *text = render_json(bag);
	size_t n = strlen(text);
	CU_ASSERT(n > 0 && text[n - 1] == '\n');
	cJSON *root = cJSON_Parse(text);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	return root;
}

static double number_at(const cJSON *o, const char *a, const char *b,
			const char *c)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	x = cJSON_GetObjectItemCaseSensitive(x, b);
	x = cJSON_GetObjectItemCaseSensitive(x, c);
	CU_ASSERT_FATAL(cJSON_IsNumber(x));
	return x->valuedouble;
}

static const char *string_of(const cJSON *o, const char *key)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

/* The keys of an object, in order, joined with ','. */
static void expect_keys(const cJSON *o, const char *want)
{
	char got[256] = "";
	for (const cJSON *c = o->child; c; c = c->next) {
		if (got[0])
			strcat(got, ",");
		strcat(got, c->string);
	}
	CU_ASSERT_STRING_EQUAL(got, want);
}

/* Two diagnostics: one with every decoration, one bare. */
static void fill_json_bag(struct fixture *fx)
{
	const char *t = "service dbb {}\nx = é\n";
	struct source *s = fx_source(fx, "a.dep", t);
	struct source *b = fx_source(fx, "b.dep", "db\n");
	struct diag *d = diag_emit(&fx->bag, DIAG_E0008, s, span_make(8, 11),
				   "unknown 'dbb'");
	diag_set_label(&fx->bag, d, "here");
	diag_add_label(&fx->bag, d, b, span_make(0, 2), "similar");
	diag_add_note(&fx->bag, d, "n");
	diag_add_help(&fx->bag, d, "h1");
	diag_add_help(&fx->bag, d, "h2");
	diag_set_fix(&fx->bag, d, span_make(8, 11), "db", "replace with 'db'");
	diag_emit(&fx->bag, DIAG_E0001, s, span_of(t, "é", 2), "é");
}

static void check_json_primary(const cJSON *j)
{
	expect_keys(j, "file,code,severity,message,range,label,labels,notes,help,fix");
	CU_ASSERT_STRING_EQUAL(string_of(j, "file"), "a.dep");
	CU_ASSERT_STRING_EQUAL(string_of(j, "code"), "E0008");
	CU_ASSERT_STRING_EQUAL(string_of(j, "severity"), "error");
	CU_ASSERT_STRING_EQUAL(string_of(j, "message"), "unknown 'dbb'");
	CU_ASSERT_STRING_EQUAL(string_of(j, "label"), "here");
	CU_ASSERT_EQUAL(number_at(j, "range", "start", "line"), 1);
	CU_ASSERT_EQUAL(number_at(j, "range", "start", "column"), 9);
	CU_ASSERT_EQUAL(number_at(j, "range", "start", "offset"), 8);
	CU_ASSERT_EQUAL(number_at(j, "range", "end", "column"), 12);
	CU_ASSERT_EQUAL(number_at(j, "range", "end", "offset"), 11);
	const cJSON *helps = cJSON_GetObjectItem(j, "help");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(helps), 2);
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(helps, 1)->valuestring, "h2");
	const cJSON *notes = cJSON_GetObjectItem(j, "notes");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(notes), 1);
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(notes, 0)->valuestring, "n");
}

static void check_json_label_and_fix(const cJSON *j)
{
	const cJSON *labels = cJSON_GetObjectItem(j, "labels");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(labels), 1);
	const cJSON *l = cJSON_GetArrayItem(labels, 0);
	expect_keys(l, "file,range,message");
	CU_ASSERT_STRING_EQUAL(string_of(l, "file"), "b.dep");
	CU_ASSERT_STRING_EQUAL(string_of(l, "message"), "similar");
	CU_ASSERT_EQUAL(number_at(l, "range", "end", "column"), 3);
	const cJSON *fix = cJSON_GetObjectItem(j, "fix");
	expect_keys(fix, "range,replacement,title");
	CU_ASSERT_STRING_EQUAL(string_of(fix, "replacement"), "db");
	CU_ASSERT_STRING_EQUAL(string_of(fix, "title"), "replace with 'db'");
	CU_ASSERT_EQUAL(number_at(fix, "range", "start", "offset"), 8);
}

/* Columns count characters: 'é' is one column, two bytes. */
static void check_json_bare(const cJSON *j)
{
	CU_ASSERT_STRING_EQUAL(string_of(j, "message"), "é");
	CU_ASSERT_EQUAL(number_at(j, "range", "start", "line"), 2);
	CU_ASSERT_EQUAL(number_at(j, "range", "start", "column"), 5);
	CU_ASSERT_EQUAL(number_at(j, "range", "end", "column"), 6);
	CU_ASSERT_EQUAL(number_at(j, "range", "end", "offset"), 21);
	CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(j, "label")));
	CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(j, "fix")));
	CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(j, "labels")), 0);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(j, "notes")), 0);
}

static void test_json_full(void)
{
	struct fixture fx;
	fx_init(&fx);
	fill_json_bag(&fx);
	cJSON *root = parse_json(&fx.bag);
	expect_keys(root, "diagnostics,errors,warnings");
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(root, "errors")->valueint, 2);
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(root, "warnings")->valueint, 0);
	cJSON *list = cJSON_GetObjectItem(root, "diagnostics");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(list), 2);
	if (cJSON_GetArraySize(list) == 2) {
		check_json_primary(cJSON_GetArrayItem(list, 0));
		check_json_label_and_fix(cJSON_GetArrayItem(list, 0));
		check_json_bare(cJSON_GetArrayItem(list, 1));
	}
	cJSON_Delete(root);
	arena_free(&fx.arena);
}

static void test_json_no_source(void)
{
	struct fixture fx;
	fx_init(&fx);
	fx.bag.limit = 1;
	struct diag *w = diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "w");
	make_warning(&fx.bag, w);
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "a");
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "b");
	cJSON *root = parse_json(&fx.bag);
	cJSON *list = cJSON_GetObjectItem(root, "diagnostics");
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(list), 3);
	cJSON *wj = cJSON_GetArrayItem(list, 0);
	CU_ASSERT_STRING_EQUAL(string_of(wj, "severity"), "warning");
	cJSON *j = cJSON_GetArrayItem(list, 2);
	expect_keys(j, "file,code,severity,message,label,labels,notes,help,fix");
	CU_ASSERT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(j, "file")));
	CU_ASSERT_STRING_EQUAL(string_of(j, "code"), "E0104");
	CU_ASSERT_STRING_EQUAL(string_of(j, "message"),
			       "too many errors (limit is 1); the rest are not reported");
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(root, "errors")->valueint, 2);
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(root, "warnings")->valueint, 1);
	cJSON_Delete(root);
	arena_free(&fx.arena);
}

static void test_json_empty(void)
{
	struct fixture fx;
	fx_init(&fx);
	cJSON *root = parse_json(&fx.bag);
	expect_keys(root, "diagnostics,errors,warnings");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(root, "diagnostics")), 0);
	CU_ASSERT_EQUAL(cJSON_GetObjectItem(root, "errors")->valueint, 0);
	cJSON_Delete(root);
	arena_free(&fx.arena);
}

/* ---- long lines: a window of 120 columns around the span ---- */

/* `text` repeated n times, appended to b (which holds at least room). */
static void rep(char *b, const char *text, size_t n)
{
	while (n--)
		strcat(b, text);
}

/* The one-diagnostic rendering of `line` (no newline) with an E0008
 * whose span is `len` bytes at byte `at`. */
static char *render_line(const char *line, size_t at, size_t len)
{
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "l.dep", line);
	diag_emit(&fx.bag, DIAG_E0008, s, span_make((uint32_t)at, (uint32_t)(at + len)), "here");
	char *out = render(&fx.bag, false, 4);
	arena_free(&fx.arena);
	return out;
}

/* The snippet's source line and underline line, from a rendering. */
static void snippet_lines(const char *out, char *text, char *under, size_t cap)
{
	const char *l = strchr(strchr(out, '\n') + 1, '\n') + 1;
	const char *e = strchr(l, '\n');
	CU_ASSERT_FATAL((size_t)(e - l) < cap);
	memcpy(text, l, (size_t)(e - l));
	text[e - l] = '\0';
	l = e + 1;
	e = strchr(l, '\n');
	CU_ASSERT_FATAL((size_t)(e - l) < cap);
	memcpy(under, l, (size_t)(e - l));
	under[e - l] = '\0';
}

static void expect_snippet(const char *line, size_t at, size_t len,
			   const char *want_text, const char *want_under)
{
	char text[4096], under[4096];
	char *out = render_line(line, at, len);
	snippet_lines(out, text, under, sizeof text);
	if (strcmp(text, want_text) || strcmp(under, want_under))
		fprintf(stderr, "\n--- got ---\n%s---\n", out);
	CU_ASSERT_STRING_EQUAL(text, want_text);
	CU_ASSERT_STRING_EQUAL(under, want_under);
	free(out);
}

/* An error at column 301 of a 601-column line: 40 columns before the
 * span, 120 in all, "..." on both cut sides, caret under the '$'. */
static void test_render_window_middle(void)
{
	char line[1024] = "", text[1024] = " 1 | ...", under[1024] = "   | ";
	rep(line, "a", 300);
	strcat(line, "$");
	rep(line, "b", 300);
	rep(text, "a", 40);
	strcat(text, "$");
	rep(text, "b", 79);
	strcat(text, "...");
	rep(under, " ", 3 + 40);
	strcat(under, "^");
	expect_snippet(line, 300, 1, text, under);
}

/* Near the end of a long line the window ends at the line's end. */
static void test_render_window_end(void)
{
	char line[1024] = "", text[1024] = " 1 | ...", under[1024] = "   | ";
	rep(line, "a", 300);
	strcat(line, "$");
	rep(text, "a", 119);
	strcat(text, "$");
	rep(under, " ", 3 + 119);
	strcat(under, "^");
	expect_snippet(line, 300, 1, text, under);
}

/* A span longer than the window: the caret run stops at its edge. */
static void test_render_window_long_span(void)
{
	char line[1024] = "", text[1024] = " 1 | ", under[1024] = "   | ";
	rep(line, "a", 10);
	rep(line, "b", 300);
	strcat(line, ";");
	rep(text, "a", 10);
	rep(text, "b", 110);
	strcat(text, "...");
	rep(under, " ", 10);
	strcat(under, "^");
	rep(under, "~", 109);
	expect_snippet(line, 10, 300, text, under);
}

/* A wide character cut by the window's left edge leaves a space for its
 * half inside, so the caret still sits under the span; the columns are
 * display cells, not bytes. */
static void test_render_window_wide(void)
{
	char line[2048] = "x", text[1024] = " 1 | ... ", under[1024] = "   | ";
	rep(line, "日", 150);
	strcat(line, "z$");
	rep(line, "y", 200);
	rep(text, "日", 19);
	strcat(text, "z$");
	rep(text, "y", 79);
	strcat(text, "...");
	rep(under, " ", 3 + 40);
	strcat(under, "^");
	expect_snippet(line, 1 + 150 * 3 + 1, 1, text, under);
}

/* A line of exactly the window's width is shown whole. */
static void test_render_window_fits(void)
{
	char line[1024] = "", text[1024] = " 1 | ", under[1024] = "   | ";
	rep(line, "a", 119);
	strcat(line, "$");
	strcat(text, line);
	rep(under, " ", 119);
	strcat(under, "^");
	expect_snippet(line, 119, 1, text, under);
}

/* A line long enough to be measured through checkpoints (past 4096
 * bytes), with a tab and wide characters before the span: the header's
 * character column and the caret come out as a walk from the start
 * would give them, for two diagnostics on the line. */
static void test_render_window_checkpoints(void)
{
	static char line[16384];
	line[0] = '\0';
	strcat(line, "\t");
	rep(line, "日", 3000);
	strcat(line, "$");
	rep(line, "b", 100);
	strcat(line, "%");
	struct fixture fx;
	fx_init(&fx);
	struct source *s = fx_source(&fx, "l.dep", line);
	uint32_t dollar = 1 + 3000 * 3, percent = dollar + 101;
	diag_emit(&fx.bag, DIAG_E0008, s, span_make(dollar, dollar + 1), "a");
	diag_emit(&fx.bag, DIAG_E0008, s, span_make(percent, percent + 1), "b");
	char *out = render(&fx.bag, false, 4);
	static char want[8192];
	strcpy(want, "l.dep:1:3002: error[E0008]: a\n   |\n 1 | ...");
	rep(want, "日", 20);
	strcat(want, "$");
	rep(want, "b", 79);
	strcat(want, "...\n   | ");
	rep(want, " ", 3 + 40);
	strcat(want, "^\n\nl.dep:1:3103: error[E0008]: b\n   |\n 1 | ...");
	rep(want, "日", 9);
	strcat(want, "$");
	rep(want, "b", 100);
	strcat(want, "%\n   | ");
	rep(want, " ", 3 + 18 + 1 + 100);
	strcat(want, "^\n\n2 errors emitted\n");
	if (strcmp(out, want) != 0)
		fprintf(stderr, "\n--- expected ---\n%s--- got ---\n%s---\n", want, out);
	CU_ASSERT_STRING_EQUAL(out, want);
	free(out);
	arena_free(&fx.arena);
}

/* A megabyte-long name quoted in a message is cut at 1000 bytes. */
static void test_render_long_message(void)
{
	struct fixture fx;
	fx_init(&fx);
	char *name = malloc(1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(name);
	memset(name, 'n', (1 << 20) - 1);
	name[(1 << 20) - 1] = '\0';
	diag_emit(&fx.bag, DIAG_E0008, NULL, span_make(0, 0), "no field '%s'", name);
	char *out = render(&fx.bag, false, 4);
	const char *nl = strchr(out, '\n');
	CU_ASSERT_EQUAL((size_t)(nl - out), strlen("depc: error[E0008]: ") + 1000 + 3);
	CU_ASSERT_NSTRING_EQUAL(nl - 3, "...", 3);
	free(out);
	free(name);
	arena_free(&fx.arena);
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

static const struct test_entry tests[] = {
	{ "code table", test_code_table },
	{ "code lookup", test_code_lookup },
	{ "emit", test_emit },
	{ "labels, notes, help, fix", test_decorations },
	{ "limit: one E0104", test_limit },
	{ "limit: scratch diagnostics", test_limit_scratch },
	{ "limit: past it, counted and not kept", test_limit_counts_not_keeps },
	{ "limit: warnings", test_limit_warnings },
	{ "limit: none", test_no_limit },
	{ "sort: order and ties", test_sort_order },
	{ "sort: empty and single", test_sort_small },
	{ "sort: large and stable", test_sort_large_stable },
	{ "text: ASCII caret, label, note, help", test_render_ascii },
	{ "text: leading tab, width 4 and 8", test_render_tab },
	{ "text: tab stops", test_render_tab_stop },
	{ "text: after multi-byte UTF-8", test_render_utf8 },
	{ "text: wide characters in the span", test_render_wide_span },
	{ "emit_as: severity and counts", test_emit_as },
	{ "text: redacted span", test_render_redacted },
	{ "text: redacted spans, overlapping and in two sources", test_render_redacted_many },
	{ "text: span at end of line", test_render_end_of_line },
	{ "text: CRLF line", test_render_crlf },
	{ "text: zero-width span", test_render_zero_width },
	{ "text: multi-line span", test_render_multi_line },
	{ "text: end of file", test_render_eof },
	{ "text: invalid bytes and controls", test_render_replacement },
	{ "text: combining mark, bidi override", test_render_combining_bidi },
	{ "text: labels in a second source", test_render_labels },
	{ "text: notes before help", test_render_notes_help_order },
	{ "text: three-digit gutter", test_render_wide_gutter },
	{ "text: two diagnostics and a warning", test_render_two_and_warning },
	{ "text: summary pluralization", test_render_summary },
	{ "text: empty bag", test_render_empty },
	{ "text: no source", test_render_no_source },
	{ "text: colour", test_render_color },
	{ "text: warning colour", test_render_color_warning },
	{ "text: window around a span mid-line", test_render_window_middle },
	{ "text: window at a long line's end", test_render_window_end },
	{ "text: span longer than the window", test_render_window_long_span },
	{ "text: wide character at the window's edge", test_render_window_wide },
	{ "text: line as wide as the window", test_render_window_fits },
	{ "text: long line measured through checkpoints", test_render_window_checkpoints },
	{ "text: very long message", test_render_long_message },
	{ "json: full diagnostic", test_json_full },
	{ "json: no source, limit", test_json_no_source },
	{ "json: empty bag", test_json_empty },
};

int suite_diag(void)
{
	CU_pSuite suite = CU_add_suite("diag", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
