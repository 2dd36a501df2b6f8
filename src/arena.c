/* arena.c - chunked bump allocation (see arena.h).
 *
 * Chunks double in size up to a cap; a request larger than a quarter of
 * the default chunk gets a chunk of its own, so a 50 MB source buffer does
 * not waste the tail of a regular chunk.
 *
 * Chunks come from calloc and no byte of a chunk is handed out twice, so
 * every allocation is already zero: nothing is cleared per request, and a
 * chunk calloc maps fresh from the kernel is never written until used, so
 * a large table whose tail stays empty costs no page faults. */
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MIN_CHUNK ((size_t)16 * 1024)
#define ARENA_MAX_CHUNK ((size_t)1024 * 1024)

struct arena_chunk {
	struct arena_chunk *next; /* older chunk */
	size_t size;              /* bytes available in data */
	bool large;               /* holds one large request (arena_release) */
	_Alignas(max_align_t) unsigned char data[];
};

_Noreturn void depc_out_of_memory(void)
{
	fputs("depc: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		depc_out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		depc_out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		depc_out_of_memory();
	return q;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->free = NULL;
	a->left = 0;
	a->chunk_size = 0;
	a->total = 0;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}

static struct arena_chunk *new_chunk(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct arena_chunk))
		depc_out_of_memory();
	struct arena_chunk *c = xcalloc(1, sizeof *c + size);
	c->size = size;
	c->large = false;
	c->next = NULL;
	return c;
}

/* A chunk big enough for one large request is linked behind the current
 * chunk so the current chunk's free tail stays usable. */
static void *alloc_large(struct arena *a, size_t size)
{
	struct arena_chunk *c = new_chunk(size);
	c->large = true;
	if (a->head) {
		c->next = a->head->next;
		a->head->next = c;
	} else {
		a->head = c;
	}
	return c->data;
}

/* arena_alloc()'s way when the current chunk has no room, or the
 * request is large; text always comes this way.  Objects start at
 * ARENA_ALIGN, text anywhere (align 1): a name of a few bytes took a
 * whole 16-byte slot, and the syntax tree, facts and model hold hundreds
 * of thousands of them. */
void *arena_alloc_slow(struct arena *a, size_t size, size_t align)
{
	if (size > SIZE_MAX - ARENA_ALIGN)
		depc_out_of_memory();
	a->total += size;
	if (size > ARENA_SMALL_MAX)
		return alloc_large(a, size);
	size_t pad = (size_t)(-(uintptr_t)a->free) & (align - 1);
	if (!a->free || size + pad > a->left) {
		size_t sz = a->chunk_size ? a->chunk_size * 2 : ARENA_MIN_CHUNK;
		if (sz > ARENA_MAX_CHUNK)
			sz = ARENA_MAX_CHUNK;
		struct arena_chunk *c = new_chunk(sz);
		c->next = a->head;
		a->head = c;
		a->chunk_size = sz;
		a->free = c->data;
		a->left = sz;
		pad = 0;
	}
	void *p = a->free + pad;
	a->free += pad + size;
	a->left -= pad + size;
	return p;
}


/* Bytes of text: no alignment. */
static char *alloc_text(struct arena *a, size_t size)
{
	return arena_alloc_slow(a, size, 1);
}

/* Large requests sit in chunks of their own near the front of the list,
 * so the walk is short for a table just outgrown. */
void arena_release(struct arena *a, void *p)
{
	for (struct arena_chunk **at = &a->head; p && *at; at = &(*at)->next) {
		struct arena_chunk *c = *at;
		if (c->large && (void *)c->data == p) {
			*at = c->next;
			a->total -= c->size;
			free(c);
			return;
		}
	}
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		depc_out_of_memory();
	return arena_alloc(a, n * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = alloc_text(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_strndup_lower(struct arena *a, const char *s, size_t n)
{
	char *p = arena_strndup(a, s, n);
	for (char *c = p; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	return p;
}

/* Most results are short: formatting into a stack buffer first means one
 * vsnprintf instead of a measuring pass and a writing pass.  The backends
 * format a few hundred thousand strings for a large program. */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char small[256];
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(small, sizeof small, fmt, copy);
	va_end(copy);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = alloc_text(a, (size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *arena_cat(struct arena *a, ...)
{
	va_list ap;
	va_start(ap, a);
	size_t len = 0;
	for (const char *s; (s = va_arg(ap, const char *));)
		if ((len += strlen(s)) == SIZE_MAX)
			depc_out_of_memory();
	va_end(ap);
	char *p = alloc_text(a, len + 1), *end = p;
	va_start(ap, a);
	for (const char *s; (s = va_arg(ap, const char *));) {
		size_t n = strlen(s);
		memcpy(end, s, n);
		end += n;
	}
	va_end(ap);
	*end = '\0';
	return p;
}

void strbuf_init(struct strbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void strbuf_free(struct strbuf *b)
{
	free(b->data);
	strbuf_init(b);
}

void strbuf_trim(struct strbuf *b)
{
	if (!b->data || b->cap == b->len + 1)
		return;
	b->data = xrealloc(b->data, b->len + 1);
	b->cap = b->len + 1;
}

static void reserve(struct strbuf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1)
		depc_out_of_memory();
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void strbuf_putc(struct strbuf *b, char c)
{
	strbuf_put(b, &c, 1);
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_put(b, s, strlen(s));
}

/* Formats straight into the free space, and again only when the result
 * did not fit (see arena_vprintf). */
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	reserve(b, 128);
	va_copy(copy, ap);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, copy);
	va_end(copy);
	if (n > 0 && (size_t)n >= b->cap - b->len) {
		reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	if (n > 0)
		b->len += (size_t)n;
	else
		b->data[b->len] = '\0';
	va_end(ap);
}

char *strbuf_finish(struct strbuf *b, struct arena *a)
{
	char *p = arena_strndup(a, b->data ? b->data : "", b->len);
	strbuf_free(b);
	return p;
}
