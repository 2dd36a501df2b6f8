/* test_lexer.c - unit tests for the scanner (grammar/lexer.l and
 * src/lex_support.c).
 *
 * The scanner is driven directly, without the parser: each test builds a
 * struct parser over a source in memory, calls lex_run() until it returns
 * 0, and compares the token stream, written as a compact string, with the
 * expected one.  Tokens are written as
 *
 *   name:web  int:42  float:0.5  unit:30s  text:"a\n"
 *   STR END  MSTR MEND(4)  ${ }$  import template as true false  ..
 *   { } [ ] ( ) = , ; .
 *
 * and, where locations are tested, followed by @start-end (byte
 * offsets).  Lexical errors are checked by code and span.  The encoding
 * checks (E0001, E0002) run before the scanner, in parse_source(), so
 * those tests go through it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "lex_support.h"
#include "parser.h"

#include "unit.h"

/* One arena, bag and scanner per test. */
struct lx {
	struct arena arena;
	struct diag_bag bag;
	struct parser p;
};

static void lx_open_len(struct lx *x, const char *text, size_t len)
{
	arena_init(&x->arena);
	diag_bag_init(&x->bag, &x->arena);
	memset(&x->p, 0, sizeof x->p);
	x->p.arena = &x->arena;
	x->p.diags = &x->bag;
	x->p.src = source_from_memory(&x->arena, "t.dep", text, len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->p.src);
	CU_ASSERT_FATAL(lex_open(&x->p));
}

static void lx_open(struct lx *x, const char *text)
{
	lx_open_len(x, text, strlen(text));
}

static void lx_close(struct lx *x)
{
	arena_free(&x->arena);
}

static void put_quoted(struct strbuf *b, const char *s, size_t len)
{
	strbuf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			strbuf_printf(b, "\\%c", c);
		else if (c == '\n')
			strbuf_puts(b, "\\n");
		else if (c == '\t')
			strbuf_puts(b, "\\t");
		else if (c == '\r')
			strbuf_puts(b, "\\r");
		else if (c < 0x20)
			strbuf_printf(b, "\\x%02x", c);
		else
			strbuf_putc(b, (char)c);
	}
	strbuf_putc(b, '"');
}

static void put_token(struct strbuf *b, int tok, const YYSTYPE *v)
{
	switch (tok) {
	case T_IDENT: strbuf_printf(b, "name:%s", v->tok.s); break;
	case T_INT: strbuf_printf(b, "int:%s", v->tok.s); break;
	case T_FLOAT: strbuf_printf(b, "float:%s", v->tok.s); break;
	case T_UNIT: strbuf_printf(b, "unit:%s", v->tok.s); break;
	case T_TEXT: strbuf_puts(b, "text:"); put_quoted(b, v->tok.s, v->tok.len); break;
	case T_STR_BEGIN: strbuf_puts(b, "STR"); break;
	case T_STR_END: strbuf_puts(b, "END"); break;
	case T_MSTR_BEGIN: strbuf_puts(b, "MSTR"); break;
	case T_MSTR_END: strbuf_printf(b, "MEND(%d)", v->indent); break;
	case T_INTERP_BEGIN: strbuf_puts(b, "${"); break;
	case T_INTERP_END: strbuf_puts(b, "}$"); break;
	case T_IMPORT: strbuf_puts(b, "import"); break;
	case T_TEMPLATE: strbuf_puts(b, "template"); break;
	case T_AS: strbuf_puts(b, "as"); break;
	case T_TRUE: strbuf_puts(b, "true"); break;
	case T_FALSE: strbuf_puts(b, "false"); break;
	case T_DOTDOT: strbuf_puts(b, ".."); break;
	default:
		if (tok > 0 && tok < 128)
			strbuf_putc(b, (char)tok);
		else
			strbuf_printf(b, "?%d", tok);
	}
}

/* Every token up to the end, space-separated; with `locs`, each followed
 * by its span.  The end of input itself is written as EOF@offset. */
static char *lex_all(struct lx *x, bool locs)
{
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < 100000; i++) {
		YYSTYPE v;
		struct span loc = { 0, 0 };
		memset(&v, 0, sizeof v);
		int tok = lex_run(&x->p, &v, &loc);
		if (i > 0 && (tok || locs))
			strbuf_putc(&b, ' ');
		if (tok == 0) {
			if (locs)
				strbuf_printf(&b, "EOF@%u", loc.start);
			break;
		}
		put_token(&b, tok, &v);
		if (locs)
			strbuf_printf(&b, "@%u-%u", loc.start, loc.end);
	}
	lex_close(&x->p);
	return strbuf_finish(&b, &x->arena);
}

static void check_equal(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n%s\n  expected: %s\n  got:      %s\n", what, want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

/* The tokens of `src`, which must lex without any diagnostic. */
static void expect_tokens(const char *src, const char *want)
{
	struct lx x;
	lx_open(&x, src);
	check_equal(src, lex_all(&x, false), want);
	if (x.bag.first)
		fprintf(stderr, "\nunexpected diagnostic for %s: %s\n", src, x.bag.first->message);
	CU_ASSERT_PTR_NULL(x.bag.first);
	lx_close(&x);
}

static void expect_locations(const char *src, const char *want)
{
	struct lx x;
	lx_open(&x, src);
	check_equal(src, lex_all(&x, true), want);
	CU_ASSERT_PTR_NULL(x.bag.first);
	lx_close(&x);
}

/* `src` lexes to `want` and reports exactly one diagnostic, `code` over
 * [start, end); returns nothing, the fixture is closed.  `message` is
 * checked when not NULL. */
static void expect_error(const char *src, const char *want, enum diag_code code,
			 uint32_t start, uint32_t end, const char *message)
{
	struct lx x;
	lx_open(&x, src);
	char *got = lex_all(&x, false);
	if (want)
		check_equal(src, got, want);
	CU_ASSERT_EQUAL(x.bag.errors, 1);
	struct diag *d = x.bag.first;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	if (d->code != code || d->span.start != start || d->span.end != end)
		fprintf(stderr, "\n%s: got %s at %u-%u (%s), expected %s at %u-%u\n",
			src, diag_code_name(d->code), d->span.start, d->span.end,
			d->message, diag_code_name(code), start, end);
	CU_ASSERT_EQUAL(d->code, code);
	CU_ASSERT_EQUAL(d->span.start, start);
	CU_ASSERT_EQUAL(d->span.end, end);
	if (message)
		check_equal(src, d->message, message);
	lx_close(&x);
}

/* The first help line of the only diagnostic of `src`. */
static void expect_help(const char *src, const char *help)
{
	struct lx x;
	lx_open(&x, src);
	(void)lex_all(&x, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first);
	if (help) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first->helps);
		check_equal(src, x.bag.first->helps->text, help);
	} else {
		CU_ASSERT_PTR_NULL(x.bag.first->helps);
	}
	lx_close(&x);
}

/* ---- tokens ---- */

static void test_punctuation(void)
{
	expect_tokens("{ } [ ] ( ) = , ; . ..", "{ } [ ] ( ) = , ; . ..");
	expect_tokens("{}[]()=,;...", "{ } [ ] ( ) = , ; .. .");
	expect_tokens("", "");
	expect_tokens(" \t\r\n ", "");
}

static void test_keywords(void)
{
	expect_tokens("import template as true false",
		      "import template as true false");
	/* A keyword is a whole word: longer names are names. */
	expect_tokens("imports templates asx true_ falsey as-is",
		      "name:imports name:templates name:asx name:true_ "
		      "name:falsey name:as-is");
}

static void test_names(void)
{
	expect_tokens("web node_exporter my-app a-b-c _x x1 A9",
		      "name:web name:node_exporter name:my-app name:a-b-c "
		      "name:_x name:x1 name:A9");
	/* A '-' binds only between name characters. */
	expect_tokens("a -1", "name:a int:-1");
	expect_tokens("db.port", "name:db . name:port");
	expect_tokens("node.nextjs(node = \"20\")",
		      "name:node . name:nextjs ( name:node = STR text:\"20\" END )");
}

static void test_numbers(void)
{
	expect_tokens("0 42 -7 3000", "int:0 int:42 int:-7 int:3000");
	expect_tokens("0.5 -1.25 10.0", "float:0.5 float:-1.25 float:10.0");
	expect_tokens("9223372036854775807 -9223372036854775808",
		      "int:9223372036854775807 int:-9223372036854775808");
}

static void test_units_duration(void)
{
	expect_tokens("5ms 30s 5m 1h 2d 0.5s -5s",
		      "unit:5ms unit:30s unit:5m unit:1h unit:2d unit:0.5s unit:-5s");
}

static void test_units_size(void)
{
	expect_tokens("512B 1k 1K 1KB 1M 1MB 1G 1GB 1T 1TB",
		      "unit:512B unit:1k unit:1K unit:1KB unit:1M unit:1MB "
		      "unit:1G unit:1GB unit:1T unit:1TB");
	expect_tokens("1Ki 1KiB 256Mi 1MiB 1Gi 1GiB 1Ti 1TiB 1.5Gi",
		      "unit:1Ki unit:1KiB unit:256Mi unit:1MiB unit:1Gi "
		      "unit:1GiB unit:1Ti unit:1TiB unit:1.5Gi");
}

static void test_units_cpu_percent(void)
{
	expect_tokens("100m 500m 50% 0.5%", "unit:100m unit:500m unit:50% unit:0.5%");
}

static void test_ranges(void)
{
	expect_tokens("1..5", "int:1 .. int:5");
	expect_tokens("100m..500m", "unit:100m .. unit:500m");
	expect_tokens("256Mi .. 512Mi", "unit:256Mi .. unit:512Mi");
	expect_tokens("1.5..2.5", "float:1.5 .. float:2.5");
	expect_tokens("-3..-1", "int:-3 .. int:-1");
	expect_tokens("a..b", "name:a .. name:b");
}

static void test_strings(void)
{
	expect_tokens("\"nginx:1.25\"", "STR text:\"nginx:1.25\" END");
	expect_tokens("\"\"", "STR END");
	expect_tokens("\"a # not a comment // nor this\"",
		      "STR text:\"a # not a comment // nor this\" END");
	expect_tokens("\"caf\xc3\xa9 \xe6\x97\xa5\"", "STR text:\"caf\xc3\xa9 \xe6\x97\xa5\" END");
	/* A tab inside a string is text, not a control character. */
	expect_tokens("\"a\tb\"", "STR text:\"a\\tb\" END");
}

static void test_escapes(void)
{
	expect_tokens("\"a\\nb\"", "STR text:\"a\" text:\"\\n\" text:\"b\" END");
	expect_tokens("\"\\t\"", "STR text:\"\\t\" END");
	expect_tokens("\"\\r\"", "STR text:\"\\r\" END");
	expect_tokens("\"\\\\\"", "STR text:\"\\\\\" END");
	expect_tokens("\"\\\"\"", "STR text:\"\\\"\" END");
	expect_tokens("\"\\$\"", "STR text:\"$\" END");
	/* An escaped '$' does not start an interpolation. */
	expect_tokens("\"\\${x}\"", "STR text:\"$\" text:\"{x}\" END");
	/* A '$' without '{' is text. */
	expect_tokens("\"$5 and $\"", "STR text:\"$\" text:\"5 and \" text:\"$\" END");
}

static void test_unicode_escapes(void)
{
	expect_tokens("\"\\u{41}\"", "STR text:\"A\" END");
	expect_tokens("\"\\u{e9}\"", "STR text:\"\xc3\xa9\" END");
	expect_tokens("\"\\u{7FF}\\u{800}\"", "STR text:\"\xdf\xbf\" text:\"\xe0\xa0\x80\" END");
	expect_tokens("\"\\u{FFFF}\"", "STR text:\"\xef\xbf\xbf\" END");
	expect_tokens("\"\\u{1F600}\"", "STR text:\"\xf0\x9f\x98\x80\" END");
	expect_tokens("\"\\u{10FFFF}\"", "STR text:\"\xf4\x8f\xbf\xbf\" END");
	expect_tokens("\"\\u{000041}\"", "STR text:\"A\" END");
}

static void test_interpolation(void)
{
	expect_tokens("\"url ${db.host}\"",
		      "STR text:\"url \" ${ name:db . name:host }$ END");
	expect_tokens("\"${db.host}:${db.port}\"",
		      "STR ${ name:db . name:host }$ text:\":\" "
		      "${ name:db . name:port }$ END");
	expect_tokens("\"${ app.domain }\"", "STR ${ name:app . name:domain }$ END");
	expect_tokens("\"${f(a, n = 1)}\"",
		      "STR ${ name:f ( name:a , name:n = int:1 ) }$ END");
	/* Braces inside an interpolation nest; only the last one closes it. */
	expect_tokens("\"${ {a = 1} }\"",
		      "STR ${ { name:a = int:1 } }$ END");
	expect_tokens("x = \"${a}\" }", "name:x = STR ${ name:a }$ END }");
}

static void test_mstring(void)
{
	/* The closing quotes' indentation is the token's value. */
	expect_tokens("\"\"\"\n    echo hi\n    \"\"\"",
		      "MSTR text:\"\\n\" text:\"    echo hi\" MEND(4)");
	expect_tokens("\"\"\"\n\t\tx\n\t\t\"\"\"", "MSTR text:\"\\n\" text:\"\\t\\tx\" MEND(2)");
	/* Closing quotes after text on the same line: no margin. */
	expect_tokens("\"\"\"abc\"\"\"", "MSTR text:\"abc\" MEND(-1)");
	/* Quotes inside, escapes, interpolation. */
	expect_tokens("\"\"\"a \"b\" \\t ${x}\n\"\"\"",
		      "MSTR text:\"a \" text:\"\\\"\" text:\"b\" text:\"\\\"\" text:\" \" "
		      "text:\"\\t\" text:\" \" ${ name:x }$ MEND(0)");
	/* CRLF line ends become "\n". */
	expect_tokens("\"\"\"\r\n  a\r\n  \"\"\"", "MSTR text:\"\\n\" text:\"  a\" MEND(2)");
}

static void test_comments(void)
{
	expect_tokens("a # comment\nb", "name:a name:b");
	expect_tokens("a // comment\nb", "name:a name:b");
	expect_tokens("a /* comment */ b", "name:a name:b");
	expect_tokens("a /* two\n * lines ** / */ b", "name:a name:b");
	expect_tokens("a /**/ b /***/ c", "name:a name:b name:c");
	expect_tokens("a # at the end", "name:a");
	expect_tokens("a // at the end", "name:a");
	expect_tokens("# only\n// comments\n/* here */", "");
	/* Comment markers inside other comments mean nothing. */
	expect_tokens("a # /* not open\nb // */ x\nc", "name:a name:b name:c");
}

/* ---- locations ---- */

static void test_locations_ascii(void)
{
	expect_locations("service web {\n  port = 3000\n}\n",
			 "name:service@0-7 name:web@8-11 {@12-13 name:port@16-20 "
			 "=@21-22 int:3000@23-27 }@28-29 EOF@29");
	expect_locations("x = 100m..500m", "name:x@0-1 =@2-3 unit:100m@4-8 ..@8-10 "
			 "unit:500m@10-14 EOF@14");
}

static void test_locations_utf8(void)
{
	/* é is 2 bytes, 日 is 3, 😀 is 4: offsets count bytes. */
	expect_locations("\"\xc3\xa9\" x", "STR@0-1 text:\"\xc3\xa9\"@1-3 END@3-4 name:x@5-6 EOF@6");
	expect_locations("# \xe6\x97\xa5\xe6\x9c\xac\ny", "name:y@9-10 EOF@10");
	expect_locations("\"\xf0\x9f\x98\x80${a}\" b",
			 "STR@0-1 text:\"\xf0\x9f\x98\x80\"@1-5 ${@5-7 name:a@7-8 }$@8-9 "
			 "END@9-10 name:b@11-12 EOF@12");
}

static void test_locations_strings(void)
{
	expect_locations("\"a\\nb\"", "STR@0-1 text:\"a\"@1-2 text:\"\\n\"@2-4 "
			 "text:\"b\"@4-5 END@5-6 EOF@6");
	expect_locations("\"\\u{e9}\"", "STR@0-1 text:\"\xc3\xa9\"@1-7 END@7-8 EOF@8");
	expect_locations("\"\"\"\n  a\n  \"\"\"", "MSTR@0-3 text:\"\\n\"@3-4 text:\"  a\"@4-7 "
			 "MEND(2)@7-13 EOF@13");
}

static void test_locations_crlf_tabs(void)
{
	expect_locations("a {\r\n\tb = 1\r\n}\r\n",
			 "name:a@0-1 {@2-3 name:b@6-7 =@8-9 int:1@10-11 }@13-14 EOF@14");
}

/* The end of input is placed just after the last token, not after the
 * comments and blank lines that follow it. */
static void test_location_eof(void)
{
	expect_locations("a = 1  # done\n\n\n", "name:a@0-1 =@2-3 int:1@4-5 EOF@5");
	expect_locations("  ", "EOF@0");
}

/* ---- lexical errors ---- */

static void test_error_bad_unit(void)
{
	expect_error("t = 30sec", "name:t = unit:30sec", DIAG_E0005, 6, 9,
		     "unknown unit suffix 'sec' in '30sec'");
	expect_help("t = 30sec", "did you mean 's'?");
	expect_error("m = 256Mo", NULL, DIAG_E0005, 7, 9, NULL);
	expect_help("m = 256mi", "did you mean 'Mi'?");
	expect_help("n = 1e5", "numbers have no exponent notation; write the number out in full");
	/* One letter away from a unit is no reason to guess. */
	expect_help("p = 80x", NULL);
	expect_help("p = 5S", "did you mean 's'?");
	struct lx x;
	lx_open(&x, "t = 10secs");
	(void)lex_all(&x, false);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first->fix);
	CU_ASSERT_STRING_EQUAL(x.bag.first->fix->replacement, "s");
	CU_ASSERT_EQUAL(x.bag.first->fix->span.start, 6);
	CU_ASSERT_EQUAL(x.bag.first->fix->span.end, 10);
	lx_close(&x);
}

static void test_error_numbers(void)
{
	expect_error("n = 99999999999999999999", "name:n = int:99999999999999999999",
		     DIAG_E0009, 4, 24, "integer '99999999999999999999' is out of range");
	expect_error("n = -9223372036854775809", NULL, DIAG_E0009, 4, 24, NULL);
	expect_error("n = 1.", "name:n = int:1", DIAG_E0010, 4, 6, "malformed number '1.'");
	expect_error("v = 1.0.2", "name:v = float:1.0.2", DIAG_E0010, 4, 9,
		     "malformed number '1.0.2'");
	expect_help("a = 10.0.0.1", "a version or an address is a string: \"10.0.0.1\"");
}

static void test_error_escapes(void)
{
	expect_error("\"a\\qb\"", "STR text:\"a\" text:\"\\\\q\" text:\"b\" END",
		     DIAG_E0006, 2, 4, "invalid escape sequence '\\q' in a string");
	expect_error("\"\\u{110000}\"", "STR text:\"\xef\xbf\xbd\" END", DIAG_E0006, 1, 11,
		     "'\\u{110000}' is not a valid character");
	expect_error("\"\\u{D800}\"", NULL, DIAG_E0006, 1, 9, NULL);
	expect_error("\"\\u{0}\"", NULL, DIAG_E0006, 1, 6, NULL);
	expect_error("\"\\u{}\"", NULL, DIAG_E0006, 1, 3, "malformed unicode escape '\\u'");
	expect_error("\"\\u41\"", NULL, DIAG_E0006, 1, 3, NULL);
	/* A backslash before a line break: one error, the string goes on. */
	expect_error("\"abc\\\n def\" x", "STR text:\"abc\" text:\" def\" END name:x",
		     DIAG_E0006, 4, 5,
		     "a backslash at the end of a line does not continue a string");
}

static void test_error_unterminated_string(void)
{
	/* The string ends at the line break; the next line lexes normally. */
	expect_error("a = \"nginx\nb = 1", "name:a = STR text:\"nginx\" END name:b = int:1",
		     DIAG_E0003, 4, 10, "unterminated string literal");
	expect_error("a = \"nginx\r\nb", "name:a = STR text:\"nginx\" END name:b",
		     DIAG_E0003, 4, 10, NULL);
	expect_error("a = \"abc", "name:a = STR text:\"abc\" END", DIAG_E0003, 4, 8, NULL);
	expect_error("x = \"\"\"\n  abc\n", "name:x = MSTR text:\"\\n\" text:\"  abc\" "
		     "text:\"\\n\" MEND(-1)", DIAG_E0003, 4, 7, "unterminated multi-line string");
}

static void test_error_interpolation(void)
{
	expect_error("\"${db.host\"", "STR ${ name:db . name:host }$ END",
		     DIAG_E0007, 1, 10, "unterminated interpolation");
	/* At a line break the string ends too, and the next line is read. */
	expect_error("\"${db\nport = 1", "STR ${ name:db }$ END name:port = int:1",
		     DIAG_E0007, 1, 5, NULL);
	expect_error("\"${db", "STR ${ name:db }$ END", DIAG_E0007, 1, 5, NULL);
	expect_error("\"a${}b\"", "STR text:\"a\" text:\"b\" END", DIAG_E0012, 2, 5,
		     "empty interpolation");
	expect_error("\"${ }\"", "STR END", DIAG_E0012, 1, 5, NULL);
	/* A character no reference holds ends the interpolation, and the
	 * string goes on from there. */
	expect_error("\"https://${app.domain/api\" x",
		     "STR text:\"https://\" ${ name:app . name:domain }$ text:\"/api\" END name:x",
		     DIAG_E0007, 9, 21, "unterminated interpolation");
	expect_error("\"${a:${b}}\"", "STR ${ name:a }$ text:\":\" ${ name:b }$ text:\"}\" END",
		     DIAG_E0007, 1, 4, NULL);
	expect_error("\"${a: b}\"", "STR ${ name:a }$ text:\": b}\" END", DIAG_E0007, 1, 4, NULL);
	/* In a multi-line string, only the interpolation ends. */
	expect_error("\"\"\"\n  ${db.host\n  x \"q\"\n  \"\"\"",
		     "MSTR text:\"\\n\" text:\"  \" ${ name:db . name:host }$ text:\"\\n\" "
		     "text:\"  x \" text:\"\\\"\" text:\"q\" text:\"\\\"\" MEND(2)",
		     DIAG_E0007, 6, 15, NULL);
	expect_error("\"\"\"\n${a\"b\n\"\"\"", "MSTR text:\"\\n\" ${ name:a }$ "
		     "text:\"\\\"\" text:\"b\" MEND(0)", DIAG_E0007, 4, 7, NULL);
}

static void test_error_comment(void)
{
	expect_error("a /* never closed\nb", "name:a", DIAG_E0004, 2, 4,
		     "unterminated block comment");
}

static void test_error_single_quotes(void)
{
	expect_error("image = 'nginx'", "name:image = STR text:\"nginx\" END",
		     DIAG_E0014, 8, 15, "string in single quotes");
	expect_help("image = 'nginx'", "strings are written in double quotes: \"nginx\"");
}

static void test_error_bad_chars(void)
{
	/* "key: value" is read as the '=' it means... */
	expect_error("port: 80", "name:port = int:80", DIAG_E0008, 4, 5,
		     "unexpected character ':'");
	expect_error("port :\t80", "name:port = int:80", DIAG_E0008, 5, 6, NULL);
	/* ...and unquoted text with ':', '/' or '@' is read as a string. */
	expect_error("image = nginx:1.25", "name:image = STR text:\"nginx:1.25\" END",
		     DIAG_E0008, 13, 14, "unexpected character ':'");
	expect_help("image = nginx:1.25", "text with a ':' is a string: \"nginx:1.25\"");
	expect_error("image = ghcr.io/org/app:1.2 x",
		     "name:image = STR text:\"ghcr.io/org/app:1.2\" END name:x",
		     DIAG_E0008, 15, 16, "unexpected character '/'");
	expect_error("cidr = 10.0.0.0/16", "name:cidr = STR text:\"10.0.0.0/16\" END",
		     DIAG_E0008, 15, 16, NULL);
	expect_error("u = https://example.com/a?b=1 x",
		     "name:u = STR text:\"https://example.com/a?b=1\" END name:x",
		     DIAG_E0008, 9, 10, NULL);
	/* A ':' with nothing before it is dropped. */
	expect_error("x = :80", "name:x = int:80", DIAG_E0008, 4, 5, NULL);
	expect_error("a = @b", "name:a = name:b", DIAG_E0008, 4, 5, NULL);
	expect_error("x = ~", "name:x =", DIAG_E0008, 4, 5, NULL);
	expect_error("a\x01 b", "name:a name:b", DIAG_E0008, 1, 2,
		     "unexpected control character U+0001");
	expect_error("\"a\x01\"", "STR text:\"a\" END", DIAG_E0013, 2, 3,
		     "control character U+0001 in a string");
	expect_error("\"a\x7f\"", NULL, DIAG_E0013, 2, 3, NULL);
}

/* Non-ASCII outside strings: one error per name, on its first non-ASCII
 * character, and the name is kept whole. */
static void test_error_non_ascii(void)
{
	expect_error("caf\xc3\xa9 = 1", "name:caf\xc3\xa9 = int:1", DIAG_E0008, 3, 5,
		     "unexpected character '\xc3\xa9'");
	expect_error("r\xc3\xa9pliqu\xc3\xa9s = 2", "name:r\xc3\xa9pliqu\xc3\xa9s = int:2",
		     DIAG_E0008, 1, 3, NULL);
	expect_error("x = \xf0\x9f\x98\x80", "name:x = name:\xf0\x9f\x98\x80",
		     DIAG_E0008, 4, 8, NULL);
	/* Invisible and look-alike characters are named and explained. */
	expect_error("port\xc2\xa0= 80", "name:port\xc2\xa0 = int:80", DIAG_E0008, 4, 6,
		     "unexpected invisible character U+00A0");
	expect_help("port\xc2\xa0= 80", "this is a no-break space; use a plain space");
	expect_help("my\xe2\x80\x93" "app { }",
		    "this is a typographic dash; names use the plain '-'");
	/* Curly quotes around text: read as the string meant. */
	expect_error("image = \xe2\x80\x9cnginx:1.25\xe2\x80\x9d",
		     "name:image = STR text:\"nginx:1.25\" END", DIAG_E0008, 8, 11,
		     "unexpected character '\xe2\x80\x9c'");
	expect_help("image = \xe2\x80\x9cnginx\xe2\x80\x9d",
		    "strings are written in plain double quotes: \"nginx\"");
	expect_error("a = \xe2\x80\x98" "b\xe2\x80\x99", "name:a = STR text:\"b\" END",
		     DIAG_E0008, 4, 7, NULL);
}

/* A byte order mark at the start is skipped; offsets stay file offsets. */
static void test_bom(void)
{
	expect_locations("\xef\xbb\xbf" "a = 1", "name:a@3-4 =@5-6 int:1@7-8 EOF@8");
	expect_error("a \xef\xbb\xbf= 1", "name:a name:\xef\xbb\xbf = int:1", DIAG_E0008, 2, 5,
		     "unexpected invisible character U+FEFF");
}

/* A lexical error that drops input marks the next token, so the parser
 * does not report a second error for the same mistake. */
static void test_error_marks_next_token(void)
{
	struct lx x;
	lx_open(&x, "a ~ 8 9");
	YYSTYPE v;
	struct span loc;
	CU_ASSERT_EQUAL(lex_run(&x.p, &v, &loc), T_IDENT);
	CU_ASSERT_FALSE(x.p.after_dropped);
	CU_ASSERT_EQUAL(lex_run(&x.p, &v, &loc), T_INT);
	CU_ASSERT_TRUE(x.p.after_dropped);
	CU_ASSERT_EQUAL(lex_run(&x.p, &v, &loc), T_INT);
	CU_ASSERT_FALSE(x.p.after_dropped);
	CU_ASSERT_EQUAL(lex_run(&x.p, &v, &loc), 0);
	CU_ASSERT_FALSE(x.p.after_dropped);
	lex_close(&x.p);
	lx_close(&x);
}

static void test_nesting_limit(void)
{
	char text[PARSE_MAX_DEPTH + 40];
	size_t n = PARSE_MAX_DEPTH + 10;
	memset(text, '[', n);
	text[n] = '\0';
	struct lx x;
	lx_open(&x, text);
	int brackets = 0;
	for (;;) {
		YYSTYPE v;
		struct span loc;
		int tok = lex_run(&x.p, &v, &loc);
		if (tok == 0)
			break;
		brackets++;
	}
	lex_close(&x.p);
	CU_ASSERT_EQUAL(brackets, PARSE_MAX_DEPTH);
	CU_ASSERT_TRUE(x.p.stopped);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first);
	CU_ASSERT_EQUAL(x.bag.first->code, DIAG_E0102);
	CU_ASSERT_EQUAL(x.bag.first->span.start, PARSE_MAX_DEPTH);
	CU_ASSERT_EQUAL(x.bag.first->span.end, PARSE_MAX_DEPTH + 1);
	/* Stopping early must not leave flex's NUL in the source text. */
	CU_ASSERT_EQUAL(strlen(x.p.src->text), n);
	CU_ASSERT_EQUAL(memcmp(x.p.src->text, text, n), 0);
	lx_close(&x);
}

/* ---- encoding, checked by parse_source() before scanning ---- */

static struct diag *parse_diags(struct arena *a, struct diag_bag *bag,
				const char *text, size_t len)
{
	arena_init(a);
	diag_bag_init(bag, a);
	struct source *s = source_from_memory(a, "t.dep", text, len);
	(void)parse_source(a, s, bag);
	return bag->first;
}

static void test_encoding(void)
{
	struct arena a;
	struct diag_bag bag;
	const char bad[] = "name = \"caf\xe9\"\n";
	struct diag *d = parse_diags(&a, &bag, bad, sizeof bad - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->code, DIAG_E0001);
	CU_ASSERT_EQUAL(d->span.start, 11);
	CU_ASSERT_EQUAL(d->span.end, 12);
	CU_ASSERT_STRING_EQUAL(d->message, "invalid UTF-8 byte 0xE9");
	CU_ASSERT_EQUAL(bag.errors, 1);
	arena_free(&a);

	/* A run of bad bytes is one error. */
	const char run[] = "a = \"\xff\xfe\xfd\" b";
	d = parse_diags(&a, &bag, run, sizeof run - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->span.start, 5);
	CU_ASSERT_EQUAL(d->span.end, 8);
	CU_ASSERT_EQUAL(bag.errors, 1);
	arena_free(&a);

	const char nul[] = "a = \"x\0y\"";
	d = parse_diags(&a, &bag, nul, sizeof nul - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->code, DIAG_E0002);
	CU_ASSERT_EQUAL(d->span.start, 6);
	CU_ASSERT_EQUAL(d->span.end, 7);
	CU_ASSERT_EQUAL(bag.errors, 1);
	arena_free(&a);

	/* An overlong encoding and a surrogate are not UTF-8 either. */
	const char overlong[] = "a = \"\xc0\xaf\" b = \"\xed\xa0\x80\"";
	d = parse_diags(&a, &bag, overlong, sizeof overlong - 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->code, DIAG_E0001);
	CU_ASSERT_EQUAL(bag.errors, 2);
	arena_free(&a);
}

static void test_encoding_cap(void)
{
	char text[64];
	for (size_t i = 0; i < 30; i++) {
		text[2 * i] = (char)0xff;
		text[2 * i + 1] = ' ';
	}
	struct arena a;
	struct diag_bag bag;
	(void)parse_diags(&a, &bag, text, 60);
	CU_ASSERT_EQUAL(bag.errors, 10);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bag.last->notes);
	CU_ASSERT_STRING_EQUAL(bag.last->notes->text,
			       "20 more places with invalid bytes are not shown");
	arena_free(&a);
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

static const struct test_entry tests[] = {
	{ "punctuation", test_punctuation },
	{ "keywords", test_keywords },
	{ "names", test_names },
	{ "numbers", test_numbers },
	{ "units: durations", test_units_duration },
	{ "units: sizes", test_units_size },
	{ "units: cpu and percent", test_units_cpu_percent },
	{ "ranges", test_ranges },
	{ "strings", test_strings },
	{ "escapes", test_escapes },
	{ "unicode escapes", test_unicode_escapes },
	{ "interpolation", test_interpolation },
	{ "multi-line strings", test_mstring },
	{ "comments", test_comments },
	{ "locations: ASCII", test_locations_ascii },
	{ "locations: after multi-byte UTF-8", test_locations_utf8 },
	{ "locations: string pieces", test_locations_strings },
	{ "locations: CRLF and tabs", test_locations_crlf_tabs },
	{ "locations: end of input", test_location_eof },
	{ "error: bad unit", test_error_bad_unit },
	{ "error: numbers", test_error_numbers },
	{ "error: escapes", test_error_escapes },
	{ "error: unterminated string", test_error_unterminated_string },
	{ "error: interpolation", test_error_interpolation },
	{ "error: unterminated comment", test_error_comment },
	{ "error: single quotes", test_error_single_quotes },
	{ "error: bad characters", test_error_bad_chars },
	{ "error: non-ASCII outside strings", test_error_non_ascii },
	{ "byte order mark", test_bom },
	{ "error: marks the next token", test_error_marks_next_token },
	{ "nesting limit", test_nesting_limit },
	{ "encoding: bad bytes and NUL", test_encoding },
	{ "encoding: at most 10 reports", test_encoding_cap },
};

int suite_lexer(void)
{
	CU_pSuite suite = CU_add_suite("lexer", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
