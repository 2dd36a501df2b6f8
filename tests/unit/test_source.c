/* test_source.c - unit tests for src/source.c.
 *
 * Covers the line map (LF, CRLF, no final newline, empty text), the three
 * kinds of column over ASCII, 2-, 3- and 4-byte UTF-8 and invalid bytes,
 * the 0-based LSP inverse functions (round trips and clamping), decoding,
 * and reading files: a regular file, an empty file, a missing file, a
 * directory, a sparse file over the size limit, and standard input fed
 * through a pipe.  Every test makes and frees its own arena. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "arena.h"
#include "source.h"

#include "unit.h"

static struct source *mem(struct arena *a, const char *text)
{
	return source_from_memory(a, "t.dep", text, strlen(text));
}

static uint32_t off_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return (uint32_t)(p - text);
}

/* ---- line map ---- */

static void test_lines_lf(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "a\nbc\n");
	CU_ASSERT_EQUAL(s->line_count, 3);
	CU_ASSERT_EQUAL(s->line_starts[0], 0);
	CU_ASSERT_EQUAL(s->line_starts[1], 2);
	CU_ASSERT_EQUAL(s->line_starts[2], 5);
	struct span l2 = source_line_span(s, 2);
	CU_ASSERT_EQUAL(l2.start, 2);
	CU_ASSERT_EQUAL(l2.end, 4);
	struct span l3 = source_line_span(s, 3);
	CU_ASSERT_EQUAL(l3.start, 5);
	CU_ASSERT_EQUAL(l3.end, 5);
	CU_ASSERT_EQUAL(source_line_of(s, 0), 1);
	CU_ASSERT_EQUAL(source_line_of(s, 1), 1); /* the '\n' ends line 1 */
	CU_ASSERT_EQUAL(source_line_of(s, 2), 2);
	CU_ASSERT_EQUAL(source_line_of(s, 4), 2);
	CU_ASSERT_EQUAL(source_line_of(s, 5), 3);
	arena_free(&a);
}

static void test_lines_crlf(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "ab\r\ncd\r\nef");
	CU_ASSERT_EQUAL(s->line_count, 3);
	struct span l1 = source_line_span(s, 1);
	CU_ASSERT_EQUAL(l1.start, 0);
	CU_ASSERT_EQUAL(l1.end, 2);
	struct span l2 = source_line_span(s, 2);
	CU_ASSERT_EQUAL(l2.start, 4);
	CU_ASSERT_EQUAL(l2.end, 6);
	struct span l3 = source_line_span(s, 3);
	CU_ASSERT_EQUAL(l3.start, 8);
	CU_ASSERT_EQUAL(l3.end, 10);
	CU_ASSERT_EQUAL(source_line_of(s, 2), 1); /* '\r' */
	CU_ASSERT_EQUAL(source_line_of(s, 3), 1); /* '\n' */
	CU_ASSERT_EQUAL(source_line_of(s, 4), 2);
	arena_free(&a);
}

/* Only a '\r' directly before '\n' is part of the line ending. */
static void test_lines_lone_cr(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "a\rb\nc\r");
	CU_ASSERT_EQUAL(s->line_count, 2);
	CU_ASSERT_EQUAL(source_line_span(s, 1).end, 3);
	CU_ASSERT_EQUAL(source_line_span(s, 2).start, 4);
	CU_ASSERT_EQUAL(source_line_span(s, 2).end, 6);
	struct source *e = mem(&a, "\r\n");
	CU_ASSERT_EQUAL(source_line_span(e, 1).start, 0);
	CU_ASSERT_EQUAL(source_line_span(e, 1).end, 0);
	arena_free(&a);
}

static void test_lines_no_final_newline(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "x = 1\ny = 2");
	CU_ASSERT_EQUAL(s->line_count, 2);
	CU_ASSERT_EQUAL(source_line_span(s, 2).start, 6);
	CU_ASSERT_EQUAL(source_line_span(s, 2).end, 11);
	CU_ASSERT_EQUAL(source_line_of(s, 11), 2); /* offset == len */
	arena_free(&a);
}

static void test_lines_empty(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "");
	CU_ASSERT_EQUAL(s->len, 0);
	CU_ASSERT_EQUAL(s->line_count, 1);
	CU_ASSERT_EQUAL(s->line_starts[0], 0);
	CU_ASSERT_EQUAL(s->text[0], '\0');
	CU_ASSERT_EQUAL(s->text[1], '\0');
	CU_ASSERT_EQUAL(source_line_of(s, 0), 1);
	CU_ASSERT_EQUAL(source_line_span(s, 1).start, 0);
	CU_ASSERT_EQUAL(source_line_span(s, 1).end, 0);
	CU_ASSERT_EQUAL(source_char_column(s, 0), 1);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 5), 0);
	arena_free(&a);
}

static void test_lines_only_newlines(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "\n\n\n");
	CU_ASSERT_EQUAL(s->line_count, 4);
	for (uint32_t i = 0; i <= 3; i++) {
		CU_ASSERT_EQUAL(source_line_of(s, i), i + 1);
		CU_ASSERT_EQUAL(source_line_span(s, i + 1).start, i);
		CU_ASSERT_EQUAL(source_line_span(s, i + 1).end, i);
	}
	arena_free(&a);
}

/* Out-of-range lines and offsets clamp instead of reading past the map. */
static void test_lines_clamp(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "ab\ncd");
	CU_ASSERT_EQUAL(source_line_of(s, 1000), 2);
	CU_ASSERT_EQUAL(source_line_span(s, 0).start, 0);
	CU_ASSERT_EQUAL(source_line_span(s, 99).start, 3);
	CU_ASSERT_EQUAL(source_line_span(s, 99).end, 5);
	CU_ASSERT_EQUAL(source_char_column(s, 1000), 3);
	arena_free(&a);
}

static void test_lines_many(void)
{
	struct arena a;
	arena_init(&a);
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < 5000; i++)
		strbuf_puts(&b, i % 3 ? "line\n" : "l\r\n");
	struct source *s = source_from_memory(&a, "big.dep", b.data, b.len);
	strbuf_free(&b);
	CU_ASSERT_EQUAL(s->line_count, 5001);
	for (size_t line = 1; line <= s->line_count; line++) {
		struct span ls = source_line_span(s, line);
		CU_ASSERT_EQUAL(source_line_of(s, ls.start), line);
		CU_ASSERT_EQUAL(source_line_of(s, ls.end), line);
	}
	arena_free(&a);
}

/* The text is copied, NUL-terminated twice, and may hold NUL bytes. */
static void test_from_memory_copies(void)
{
	struct arena a;
	arena_init(&a);
	char text[] = "ab\0c";
	char name[] = "n.dep";
	struct source *s = source_from_memory(&a, name, text, 4);
	text[0] = 'X';
	name[0] = 'X';
	CU_ASSERT_EQUAL(s->len, 4);
	CU_ASSERT_EQUAL(memcmp(s->text, "ab\0c\0\0", 6), 0);
	CU_ASSERT_STRING_EQUAL(s->name, "n.dep");
	CU_ASSERT_PTR_NULL(source_from_memory(&a, "x", text, SOURCE_MAX_BYTES + 1));
	arena_free(&a);
}

/* ---- columns ---- */

static void test_column_ascii(void)
{
	struct arena a;
	arena_init(&a);
	const char *t = "abc\n  name = 1\n";
	struct source *s = mem(&a, t);
	CU_ASSERT_EQUAL(source_char_column(s, 0), 1);
	CU_ASSERT_EQUAL(source_char_column(s, 2), 3);
	CU_ASSERT_EQUAL(source_char_column(s, 3), 4); /* the '\n' */
	CU_ASSERT_EQUAL(source_char_column(s, 4), 1);
	CU_ASSERT_EQUAL(source_char_column(s, off_of(t, "=")), 8);
	CU_ASSERT_EQUAL(source_utf16_column(s, off_of(t, "=")), 8);
	arena_free(&a);
}

static void test_column_multibyte(void)
{
	struct arena a;
	arena_init(&a);
	/* é: 2 bytes, 日本: 3 each, 😀: 4 bytes and a surrogate pair */
	const char *t = "é日本😀x\n";
	struct source *s = mem(&a, t);
	uint32_t x = off_of(t, "x");
	CU_ASSERT_EQUAL(x, 2 + 3 + 3 + 4);
	CU_ASSERT_EQUAL(source_char_column(s, 2), 2);
	CU_ASSERT_EQUAL(source_char_column(s, 5), 3);
	CU_ASSERT_EQUAL(source_char_column(s, 8), 4);
	CU_ASSERT_EQUAL(source_char_column(s, x), 5);
	CU_ASSERT_EQUAL(source_utf16_column(s, 8), 4);
	CU_ASSERT_EQUAL(source_utf16_column(s, x), 6);
	arena_free(&a);
}

/* Each byte that is not part of valid UTF-8 is one character. */
static void test_column_invalid(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s1 = mem(&a, "\xff\xfex");
	CU_ASSERT_EQUAL(source_char_column(s1, 2), 3);
	CU_ASSERT_EQUAL(source_utf16_column(s1, 2), 3);
	struct source *s2 = mem(&a, "\xe6\x97x"); /* truncated 3-byte */
	CU_ASSERT_EQUAL(source_char_column(s2, 2), 3);
	struct source *s3 = mem(&a, "\xc0\xafx"); /* overlong '/' */
	CU_ASSERT_EQUAL(source_char_column(s3, 2), 3);
	struct source *s4 = mem(&a, "\xed\xa0\x80x"); /* encoded surrogate */
	CU_ASSERT_EQUAL(source_char_column(s4, 3), 4);
	struct source *s5 = mem(&a, "\x80\xc3\xa9x"); /* stray continuation, é */
	CU_ASSERT_EQUAL(source_char_column(s5, 3), 3);
	CU_ASSERT_EQUAL(source_utf16_column(s5, 3), 3);
	arena_free(&a);
}

/* An offset inside a character counts that character as passed. */
static void test_column_mid_char(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "日x");
	CU_ASSERT_EQUAL(source_char_column(s, 1), 2);
	CU_ASSERT_EQUAL(source_char_column(s, 3), 2);
	arena_free(&a);
}

/* ---- LSP inverse: 0-based line and column ---- */

static void check_round_trip(const struct source *s)
{
	for (uint32_t off = 0; off <= s->len; off++) {
		if (off < s->len && (s->text[off] & 0xC0) == 0x80)
			continue; /* not a character start */
		size_t line = source_line_of(s, off) - 1;
		size_t c16 = source_utf16_column(s, off) - 1;
		size_t c8 = off - s->line_starts[line];
		struct span ls = source_line_span(s, line + 1);
		uint32_t want = off > ls.end ? ls.end : off; /* "\r\n" clamps */
		CU_ASSERT_EQUAL(source_offset_utf16(s, line, c16), want);
		CU_ASSERT_EQUAL(source_offset_utf8(s, line, c8), want);
	}
}

static void test_inverse_round_trip(void)
{
	struct arena a;
	arena_init(&a);
	check_round_trip(mem(&a, "service db {\n  port = 5432\n}\n"));
	check_round_trip(mem(&a, "é日本😀x\n\ty = \"😀😀\"\r\nend"));
	check_round_trip(mem(&a, ""));
	check_round_trip(mem(&a, "\n\n"));
	arena_free(&a);
}

static void test_inverse_clamp(void)
{
	struct arena a;
	arena_init(&a);
	const char *t = "ab\r\ncd\nlast";
	struct source *s = mem(&a, t);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 99), 2); /* before "\r\n" */
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 99), 2);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 1, 99), 6);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 2, 99), 11);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 3, 0), 11); /* past last line */
	CU_ASSERT_EQUAL(source_offset_utf8(s, 1000, 1000), 11);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 1, 0), 4);
	arena_free(&a);
}

/* A column inside a character yields the start of that character. */
static void test_inverse_mid_char(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "a😀b日c");
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 1), 1);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 2), 1); /* between surrogates */
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 3), 5);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 2), 1);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 4), 1);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 5), 5);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 7), 6);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 8), 6);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 9), 9);
	arena_free(&a);
}

static void test_inverse_invalid(void)
{
	struct arena a;
	arena_init(&a);
	struct source *s = mem(&a, "\xff\xe6\x97x");
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 1), 1);
	CU_ASSERT_EQUAL(source_offset_utf16(s, 0, 3), 3);
	CU_ASSERT_EQUAL(source_offset_utf8(s, 0, 2), 2);
	arena_free(&a);
}

/* ---- decoding ---- */

static void test_decode(void)
{
	int32_t cp = 0;
	CU_ASSERT_EQUAL(source_decode("A", 1, &cp), 1);
	CU_ASSERT_EQUAL(cp, 'A');
	CU_ASSERT_EQUAL(source_decode("é", 2, &cp), 2);
	CU_ASSERT_EQUAL(cp, 0xE9);
	CU_ASSERT_EQUAL(source_decode("日本", 6, &cp), 3);
	CU_ASSERT_EQUAL(cp, 0x65E5);
	CU_ASSERT_EQUAL(source_decode("😀", 4, &cp), 4);
	CU_ASSERT_EQUAL(cp, 0x1F600);
	CU_ASSERT_EQUAL(source_decode("x\0\0\0\0\0", 6, &cp), 1);
	CU_ASSERT_EQUAL(source_decode("\0", 1, &cp), 1);
	CU_ASSERT_EQUAL(cp, 0);
}

static void test_decode_invalid(void)
{
	int32_t cp = 0;
	CU_ASSERT_EQUAL(source_decode("", 0, &cp), -1);
	CU_ASSERT_EQUAL(source_decode("\xff", 1, &cp), -1);
	CU_ASSERT_EQUAL(source_decode("\x80", 1, &cp), -1);
	CU_ASSERT_EQUAL(source_decode("\xc3", 1, &cp), -1);      /* truncated */
	CU_ASSERT_EQUAL(source_decode("é", 1, &cp), -1);         /* n too small */
	CU_ASSERT_EQUAL(source_decode("\xc0\xaf", 2, &cp), -1);  /* overlong */
	CU_ASSERT_EQUAL(source_decode("\xed\xa0\x80", 3, &cp), -1); /* surrogate */
	CU_ASSERT_EQUAL(source_decode("\xf4\x90\x80\x80", 4, &cp), -1); /* > U+10FFFF */
}

/* ---- reading files ---- */

/* Writes len bytes to a new temporary file and returns its path. */
static char *temp_file(const char *text, size_t len)
{
	char *path = strdup("/tmp/depc-test-source-XXXXXX");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, len) == (ssize_t)len);
	close(fd);
	return path;
}

static void test_read_file(void)
{
	struct arena a;
	arena_init(&a);
	const char text[] = "service a {}\r\nx = \"é\"\n";
	char *path = temp_file(text, sizeof text - 1);
	const char *err = "unset";
	struct source *s = source_read_file(&a, path, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NULL(err);
	CU_ASSERT_STRING_EQUAL(s->name, path);
	CU_ASSERT_EQUAL(s->len, sizeof text - 1);
	CU_ASSERT_EQUAL(memcmp(s->text, text, sizeof text), 0);
	CU_ASSERT_EQUAL(s->text[s->len + 1], '\0');
	CU_ASSERT_EQUAL(s->line_count, 3);
	CU_ASSERT_EQUAL(source_line_span(s, 1).end, 12);
	unlink(path);
	free(path);
	arena_free(&a);
}

static void test_read_empty_file(void)
{
	struct arena a;
	arena_init(&a);
	char *path = temp_file("", 0);
	const char *err = NULL;
	struct source *s = source_read_file(&a, path, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->len, 0);
	CU_ASSERT_EQUAL(s->line_count, 1);
	CU_ASSERT_EQUAL(s->text[0], '\0');
	CU_ASSERT_EQUAL(s->text[1], '\0');
	unlink(path);
	free(path);
	arena_free(&a);
}

static void test_read_missing(void)
{
	struct arena a;
	arena_init(&a);
	const char *err = NULL;
	struct source *s = source_read_file(&a, "/nonexistent/depc/x.dep", &err);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_STRING_EQUAL(err, strerror(ENOENT));
	CU_ASSERT_PTR_NULL(source_read_file(&a, "/nonexistent/x.dep", NULL));
	arena_free(&a);
}

static void test_read_directory(void)
{
	struct arena a;
	arena_init(&a);
	const char *err = NULL;
	CU_ASSERT_PTR_NULL(source_read_file(&a, "/tmp", &err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_STRING_EQUAL(err, strerror(EISDIR));
	arena_free(&a);
}

/* A sparse file one byte over the limit is refused without reading it. */
static void test_read_too_large(void)
{
	struct arena a;
	arena_init(&a);
	char *path = temp_file("", 0);
	CU_ASSERT_FATAL(truncate(path, (off_t)SOURCE_MAX_BYTES + 1) == 0);
	const char *err = NULL;
	CU_ASSERT_PTR_NULL(source_read_file(&a, path, &err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_STRING_EQUAL(err, "file is larger than 256 MiB");
	unlink(path);
	free(path);
	arena_free(&a);
}

/* Feeds n bytes into fd 0 through a pipe from a child process, so the
 * stream path (unknown size, chunked growth) is what reads them. */
static pid_t feed_stdin(const char *text, size_t n, int *saved)
{
	int p[2];
	CU_ASSERT_FATAL(pipe(p) == 0);
	fflush(NULL);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		size_t done = 0;
		while (done < n) {
			ssize_t w = write(p[1], text + done, n - done);
			if (w <= 0)
				_exit(1);
			done += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	*saved = dup(0);
	dup2(p[0], 0);
	close(p[0]);
	clearerr(stdin);
	return pid;
}

static void restore_stdin(int saved, pid_t pid)
{
	dup2(saved, 0);
	close(saved);
	clearerr(stdin);
	waitpid(pid, NULL, 0);
}

static void test_read_stdin(void)
{
	struct arena a;
	arena_init(&a);
	size_t n = 300 * 1000; /* several chunks, more than a pipe holds */
	char *text = malloc(n);
	for (size_t i = 0; i < n; i++)
		text[i] = i % 50 == 49 ? '\n' : (char)('a' + i % 26);
	int saved;
	pid_t pid = feed_stdin(text, n, &saved);
	const char *err = NULL;
	struct source *s = source_read_file(&a, "-", &err);
	restore_stdin(saved, pid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NULL(err);
	CU_ASSERT_STRING_EQUAL(s->name, "<stdin>");
	CU_ASSERT_EQUAL(s->len, n);
	CU_ASSERT_EQUAL(memcmp(s->text, text, n), 0);
	CU_ASSERT_EQUAL(s->line_count, n / 50 + 1);
	free(text);
	arena_free(&a);
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

/* Columns are counted on from the last one asked for on the same line;
 * asked in any order, and between lines, they must not change. */
static void test_columns_any_order(void)
{
	struct arena a;
	arena_init(&a);
	const char *t = "a\xc3\xa9\xf0\x9f\x98\x80" "b\nxy\xf0\x9f\x98\x80z\n";
	struct source *s = mem(&a, t);
	static const uint32_t at[] = { 0, 1, 3, 7, 9, 10, 11, 15 };
	static const size_t chars[] = { 1, 2, 3, 4, 1, 2, 3, 4 };
	static const size_t units[] = { 1, 2, 3, 5, 1, 2, 3, 5 };
	const size_t n = sizeof at / sizeof at[0];
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(source_char_column(s, at[i]), chars[i]);
		CU_ASSERT_EQUAL(source_utf16_column(s, at[i]), units[i]);
	}
	for (size_t i = n; i-- > 0;) {
		CU_ASSERT_EQUAL(source_utf16_column(s, at[i]), units[i]);
		CU_ASSERT_EQUAL(source_char_column(s, at[i]), chars[i]);
	}
	for (size_t i = 0; i < n / 2; i++) {
		CU_ASSERT_EQUAL(source_char_column(s, at[n / 2 + i]), chars[n / 2 + i]);
		CU_ASSERT_EQUAL(source_char_column(s, at[i]), chars[i]);
	}
	/* inside a character: counted as by a walk from the line's start */
	CU_ASSERT_EQUAL(source_char_column(s, 8), 5);
	CU_ASSERT_EQUAL(source_char_column(s, 4), 4);
	CU_ASSERT_EQUAL(source_char_column(s, 2), 3);
	arena_free(&a);
}

/* A large block goes back early; a small one, which shares a chunk with
 * others, is left alone; what is left still frees at the end. */
static void test_arena_release(void)
{
	struct arena a;
	arena_init(&a);
	char *small = arena_alloc(&a, 16);
	size_t before = a.total;
	char *big = arena_alloc(&a, 100000);
	CU_ASSERT(a.total >= before + 100000);
	big[99999] = 'x';
	arena_release(&a, big);
	CU_ASSERT_EQUAL(a.total, before);
	arena_release(&a, small);
	CU_ASSERT_EQUAL(a.total, before);
	small[0] = 'y';
	arena_release(&a, NULL);
	arena_free(&a);
}

/* Zero bytes from a fresh arena, a chunk filled to its last byte, text
 * after objects: every pointer is real, aligned where asked, zeroed and
 * apart from the others. */
static void test_arena_edges(void)
{
	struct arena a;
	arena_init(&a);
	char *none = arena_alloc(&a, 0);
	CU_ASSERT_PTR_NOT_NULL(none);
	CU_ASSERT_EQUAL((uintptr_t)none % ARENA_ALIGN, 0);
	char *prev = NULL;
	size_t filled = 0;
	for (int i = 0; i < 2000; i++) { /* several chunks, requests of 1 to 48 bytes */
		size_t n = (size_t)(i % 48) + 1;
		char *p = i % 3 ? arena_alloc(&a, n) : arena_strndup(&a, "abcdefgh", n % 9);
		if (i % 3) {
			CU_ASSERT_EQUAL((uintptr_t)p % ARENA_ALIGN, 0);
			for (size_t k = 0; k < n; k++)
				filled += p[k] != 0;
			memset(p, 0xff, n);
		}
		CU_ASSERT_PTR_NOT_EQUAL(p, prev);
		prev = p;
	}
	CU_ASSERT_EQUAL(filled, 0);
	arena_free(&a);
	arena_init(&a);
	CU_ASSERT_PTR_NOT_NULL(arena_strndup(&a, "", 0));
	arena_free(&a);
}

static const struct test_entry tests[] = {
	{ "arena: release of a large block", test_arena_release },
	{ "arena: zero bytes, full chunks, text between objects", test_arena_edges },
	{ "line map: LF", test_lines_lf },
	{ "columns asked in any order", test_columns_any_order },
	{ "line map: CRLF", test_lines_crlf },
	{ "line map: lone CR", test_lines_lone_cr },
	{ "line map: no final newline", test_lines_no_final_newline },
	{ "line map: empty text", test_lines_empty },
	{ "line map: only newlines", test_lines_only_newlines },
	{ "line map: clamping", test_lines_clamp },
	{ "line map: 5000 lines", test_lines_many },
	{ "from_memory copies", test_from_memory_copies },
	{ "column: ASCII", test_column_ascii },
	{ "column: multi-byte UTF-8", test_column_multibyte },
	{ "column: invalid bytes", test_column_invalid },
	{ "column: offset inside a char", test_column_mid_char },
	{ "inverse: round trip", test_inverse_round_trip },
	{ "inverse: clamping", test_inverse_clamp },
	{ "inverse: inside a char", test_inverse_mid_char },
	{ "inverse: invalid bytes", test_inverse_invalid },
	{ "decode: valid", test_decode },
	{ "decode: invalid", test_decode_invalid },
	{ "read: regular file", test_read_file },
	{ "read: empty file", test_read_empty_file },
	{ "read: missing file", test_read_missing },
	{ "read: directory", test_read_directory },
	{ "read: over the size limit", test_read_too_large },
	{ "read: stdin through a pipe", test_read_stdin },
};

int suite_source(void)
{
	CU_pSuite suite = CU_add_suite("source", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
