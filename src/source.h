/* source.h - a source text, its line map, and positions inside it.
 *
 * Spans everywhere are byte offsets into one source; this file turns them
 * into the line and column a reader wants, late and on demand: characters
 * (code points) for `file:line:col`, display cells for the caret, UTF-16
 * code units or bytes for the language server. */
#ifndef DEPC_SOURCE_H
#define DEPC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct arena;

/* Largest source accepted, so every offset fits in 32 bits with room to spare. */
#define SOURCE_MAX_BYTES ((size_t)256 * 1024 * 1024)

struct span {
	uint32_t start; /* byte offset of the first byte */
	uint32_t end;   /* byte offset one past the last byte */
};

struct source_cursor;

struct source {
	const char *name;      /* path as given by the user, or "<stdlib>/x.dep" */
	const char *text;      /* contents followed by two NUL bytes (flex wants them) */
	size_t len;            /* bytes of contents, excluding the NULs */
	uint32_t *line_starts; /* byte offset of each line's first byte */
	size_t line_count;     /* entries in line_starts (at least 1) */
	struct source_cursor *cursor; /* the last column counted, or NULL */
};

/* The error source_read_file reports for a file over SOURCE_MAX_BYTES;
 * compared by address, so callers can make it a diagnostic. */
extern const char source_too_large[];

/* Result of reading a file: on failure `error` names the reason (errno text). */
struct source *source_from_memory(struct arena *a, const char *name,
				  const char *text, size_t len);
/* `text` itself, which holds two NUL bytes after `len` and outlives the
 * source: the language server's document, not copied again. */
struct source *source_borrow(struct arena *a, const char *name, const char *text, size_t len);
struct source *source_read_file(struct arena *a, const char *path,
				const char **error);
/* Reads an open file, named `name` in messages; the caller closes it. */
struct source *source_read_stream(struct arena *a, const char *name,
				  FILE *f, const char **error);

static inline struct span span_make(uint32_t start, uint32_t end)
{
	struct span s = { start, end };
	return s;
}

static inline struct span span_join(struct span a, struct span b)
{
	struct span s = { a.start < b.start ? a.start : b.start,
			  a.end > b.end ? a.end : b.end };
	return s;
}

/* 1-based line containing `offset` (offsets at len map to the last line). */
size_t source_line_of(const struct source *s, uint32_t offset);
/* Byte range of line `line` (1-based) without its newline. */
struct span source_line_span(const struct source *s, size_t line);

/* Columns of `offset` on its line, all 1-based. */
size_t source_char_column(const struct source *s, uint32_t offset);
size_t source_utf16_column(const struct source *s, uint32_t offset);
/* Inverse for the language server: (line, column in unit) -> offset.
 * Unlike the functions above, `line` and the column are 0-based, as in
 * LSP positions.  Columns past the end of the line clamp to the line's
 * end (before any "\r\n"), a column inside a character yields the start
 * of that character, and a line past the last one yields the source
 * length. */
uint32_t source_offset_utf16(const struct source *s, size_t line, size_t col16);
uint32_t source_offset_utf8(const struct source *s, size_t line, size_t col8);

/* Decode one code point at `p` (at most `n` bytes).  Returns its length in
 * bytes, or -1 when the bytes there are not valid UTF-8. */
int source_decode(const char *p, size_t n, int32_t *cp);

#endif
