/* source.c - loading source text and mapping byte offsets to positions.
 *
 * A source owns its text (copied into the arena, followed by two NUL
 * bytes for flex) and a line map: the byte offset where each line starts.
 * Line 1 starts at offset 0 and every '\n' starts a new line, so a file
 * ending in '\n' has an empty last line, as editors and the LSP count.
 * A '\r' directly before '\n' belongs to the line ending.
 *
 * Columns are computed on demand by walking the line from its start; the
 * walk treats each byte that is not part of valid UTF-8 as one character,
 * so every function here accepts arbitrary bytes and no offset returned
 * ever falls inside a well-formed multi-byte character.
 *
 * Public positions handed to people (source_line_of, source_line_span,
 * source_*_column) are 1-based.  The inverse functions used by the language
 * server (source_offset_utf16, source_offset_utf8) take a 0-based line and
 * a 0-based column because LSP positions are 0-based. */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <utf8proc.h>

#include "arena.h"

#define READ_CHUNK ((size_t)64 * 1024)

int source_decode(const char *p, size_t n, int32_t *cp)
{
	if (n == 0)
		return -1;
	if (n > 4)
		n = 4; /* a code point never needs more; keeps the cast safe */
	utf8proc_int32_t c;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)p,
						(utf8proc_ssize_t)n, &c);
	if (len <= 0)
		return -1;
	*cp = c;
	return (int)len;
}

/* Length of the character at p (at least 1 byte, never past end); *cp is
 * -1 for a byte that is not valid UTF-8, which then counts as one char. */
static uint32_t char_at(const char *p, const char *end, int32_t *cp)
{
	int len = source_decode(p, (size_t)(end - p), cp);
	if (len < 0) {
		*cp = -1;
		return 1;
	}
	return (uint32_t)len;
}

/* Two passes over the text: count lines to size the map, then fill it. */
static void build_line_map(struct arena *a, struct source *s)
{
	size_t lines = 1;
	const char *p = s->text, *end = s->text + s->len;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	s->line_starts = arena_calloc(a, lines, sizeof *s->line_starts);
	s->line_count = lines;
	size_t i = 1;
	for (p = s->text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		s->line_starts[i++] = (uint32_t)(p + 1 - s->text);
}

/* Where the last count stopped.  Columns are asked for in order of
 * position (diagnostics are sorted), so a count on the same line goes on
 * from there: from the line's start, many diagnostics on one megabyte
 * line took quadratic time in every renderer that prints columns. */
struct source_cursor {
	bool valid;
	uint32_t line_start; /* the line counted in */
	uint32_t at;         /* a byte where a character starts */
	size_t chars, units; /* characters and UTF-16 units before it */
};

/* Wraps text with two NUL bytes after it: a copy in the arena, or text
 * the caller keeps alive (source_borrow). */
static struct source *wrap_text(struct arena *a, const char *name,
				const char *text, size_t len)
{
	struct source *s = arena_alloc(a, sizeof *s);
	s->name = arena_strdup(a, name);
	s->text = text;
	s->len = len;
	build_line_map(a, s);
	s->cursor = arena_alloc(a, sizeof *s->cursor);
	return s;
}

/* Returns NULL when len exceeds SOURCE_MAX_BYTES: offsets are 32-bit. */
struct source *source_from_memory(struct arena *a, const char *name,
				  const char *text, size_t len)
{
	if (len > SOURCE_MAX_BYTES)
		return NULL;
	char *copy = arena_alloc(a, len + 2); /* zeroed: the NULs are there */
	if (len)
		memcpy(copy, text, len);
	return wrap_text(a, name, copy, len);
}

/* The caller's text, not copied: it must hold two NUL bytes after `len`
 * (the scanner reads to them) and outlive the source. */
struct source *source_borrow(struct arena *a, const char *name, const char *text, size_t len)
{
	if (len > SOURCE_MAX_BYTES)
		return NULL;
	return wrap_text(a, name, text, len);
}

const char source_too_large[] = "file is larger than 256 MiB";

static const char *too_large_message(void)
{
	return source_too_large;
}

/* Reads a stream of unknown size (stdin, a pipe, /proc) in chunks,
 * giving up as soon as it grows past the limit. */
static char *read_stream(FILE *f, size_t *len, const char **error)
{
	size_t cap = READ_CHUNK, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (cap - n < READ_CHUNK / 2) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > SOURCE_MAX_BYTES) {
			*error = too_large_message();
			break;
		}
		if (got == 0 || feof(f) || ferror(f))
			break;
	}
	if (!*error && ferror(f))
		*error = strerror(errno ? errno : EIO);
	if (*error) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* A regular file of known size is read straight into the arena, so a
 * large source is held once, not twice.  Bytes appended while we read
 * are ignored: the source is the file as it was when stat() ran. */
static struct source *read_regular(struct arena *a, const char *path,
				   FILE *f, size_t size, const char **error)
{
	char *text = arena_alloc(a, size + 2);
	size_t got = fread(text, 1, size, f);
	if (got < size && ferror(f)) {
		*error = strerror(errno ? errno : EIO);
		return NULL;
	}
	return wrap_text(a, path, text, got);
}

/* Size of f when it is a regular file that reports one, else 0. */
static size_t known_size(FILE *f, const char **error)
{
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return 0;
	if ((unsigned long long)st.st_size > SOURCE_MAX_BYTES) {
		*error = too_large_message();
		return 0;
	}
	return (size_t)st.st_size;
}

struct source *source_read_stream(struct arena *a, const char *name,
				  FILE *f, const char **error)
{
	size_t size = known_size(f, error);
	if (*error)
		return NULL;
	if (size)
		return read_regular(a, name, f, size, error);
	size_t len = 0;
	char *buf = read_stream(f, &len, error);
	if (!buf)
		return NULL;
	struct source *s = source_from_memory(a, name, buf, len);
	free(buf);
	return s;
}

/* "-" reads standard input, which is then named "<stdin>" in messages.
 * `error` may be NULL when the caller does not want the reason. */
struct source *source_read_file(struct arena *a, const char *path,
				const char **error)
{
	const char *err = NULL;
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	struct source *s = NULL;
	if (!f)
		err = strerror(errno);
	else
		s = source_read_stream(a, is_stdin ? "<stdin>" : path, f, &err);
	if (f && !is_stdin)
		fclose(f);
	if (error)
		*error = s ? NULL : err;
	return s;
}

size_t source_line_of(const struct source *s, uint32_t offset)
{
	size_t lo = 0, hi = s->line_count; /* answer is in [lo, hi) */
	if (offset > s->len)
		offset = (uint32_t)s->len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo + 1;
}

/* Lines outside [1, line_count] clamp to the first or last line. */
struct span source_line_span(const struct source *s, size_t line)
{
	if (line < 1)
		line = 1;
	if (line > s->line_count)
		line = s->line_count;
	uint32_t start = s->line_starts[line - 1];
	if (line == s->line_count)
		return span_make(start, (uint32_t)s->len);
	uint32_t end = s->line_starts[line] - 1; /* the '\n' */
	if (end > start && s->text[end - 1] == '\r')
		end--;
	return span_make(start, end);
}

/* Code units a character takes in UTF-16; invalid bytes count as one. */
static size_t utf16_units(int32_t cp)
{
	return cp >= 0x10000 ? 2 : 1;
}

/* Counts characters (or UTF-16 units) from the line start to offset. */
static size_t count_to(const struct source *s, uint32_t offset, bool utf16)
{
	if (offset > s->len)
		offset = (uint32_t)s->len;
	uint32_t start = s->line_starts[source_line_of(s, offset) - 1];
	struct source_cursor from = { true, start, start, 0, 0 };
	struct source_cursor *c = s->cursor;
	if (c && c->valid && c->line_start == start && c->at <= offset)
		from = *c;
	const char *p = s->text + from.at;
	const char *stop = s->text + offset, *end = s->text + s->len;
	while (p < stop) {
		int32_t cp;
		p += char_at(p, end, &cp);
		from.chars++;
		from.units += utf16_units(cp);
	}
	from.at = (uint32_t)(p - s->text);
	if (c)
		*c = from;
	return utf16 ? from.units : from.chars;
}

size_t source_char_column(const struct source *s, uint32_t offset)
{
	return 1 + count_to(s, offset, false);
}

size_t source_utf16_column(const struct source *s, uint32_t offset)
{
	return 1 + count_to(s, offset, true);
}

/* Walks 0-based line `line` until `col` units are used up, in UTF-16
 * units or bytes.  Stops before a character that would overshoot, so a
 * column inside a character yields that character's start. */
static uint32_t offset_at(const struct source *s, size_t line, size_t col,
			  bool utf16)
{
	if (line >= s->line_count)
		return (uint32_t)s->len;
	struct span ls = source_line_span(s, line + 1);
	const char *p = s->text + ls.start, *end = s->text + ls.end;
	size_t used = 0;
	while (p < end) {
		int32_t cp;
		uint32_t len = char_at(p, end, &cp);
		size_t units = utf16 ? utf16_units(cp) : len;
		if (used + units > col)
			break;
		used += units;
		p += len;
	}
	return (uint32_t)(p - s->text);
}

uint32_t source_offset_utf16(const struct source *s, size_t line, size_t col16)
{
	return offset_at(s, line, col16, true);
}

uint32_t source_offset_utf8(const struct source *s, size_t line, size_t col8)
{
	return offset_at(s, line, col8, false);
}
