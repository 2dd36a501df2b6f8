/* arena.h - one bump allocator per compilation, freed at once.
 *
 * Every AST node, interned string, model object and diagnostic of one
 * compilation lives in one arena, so no pass frees anything and a whole
 * compilation is released with arena_free().  Allocation failure aborts
 * with a message: there is no partial state worth recovering. */
#ifndef DEPC_ARENA_H
#define DEPC_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk; older ones follow */
	unsigned char *free;      /* the first unused byte of the current chunk */
	size_t left;              /* unused bytes from there */
	size_t chunk_size;        /* of the current chunk: the next is twice it */
	size_t total;             /* bytes handed out, for the benchmark */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);

/* Enough for every object depc allocates: pointers, 64-bit integers and
 * doubles.  (max_align_t would be 16 for long double, which nothing
 * here uses: 8 bytes more per node and value for no reader.) */
union arena_widest {
	void *p;
	double d;
	long long ll;
	size_t z;
};
#define ARENA_ALIGN (_Alignof(union arena_widest))
/* Larger requests get a chunk of their own (arena_release). */
#define ARENA_SMALL_MAX ((size_t)4096)

void *arena_alloc_slow(struct arena *a, size_t size, size_t align);

/* Zeroed memory aligned for any object.  Inline: the front end asks for
 * a few hundred thousand small objects, and the call into the arena cost
 * more than the bump itself. */
static inline void *arena_alloc(struct arena *a, size_t size)
{
	size_t pad = (size_t)(-(uintptr_t)a->free) & (ARENA_ALIGN - 1);
	/* >=: a fresh arena (no chunk, nothing left) takes the slow way even
	 * for zero bytes */
	if (size > ARENA_SMALL_MAX || size + pad >= a->left)
		return arena_alloc_slow(a, size, ARENA_ALIGN);
	void *p = a->free + pad;
	a->free += pad + size;
	a->left -= pad + size;
	a->total += size;
	return p;
}
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* Gives back memory from arena_alloc early when it was a large request
 * (a chunk of its own); any other pointer is left alone.  For tables
 * that grow by doubling: without it the arena keeps every size. */
void arena_release(struct arena *a, void *p);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* The first n bytes of s with ASCII letters in lower case: host names
 * and the keys that find them (depc never sets a locale, so this is
 * what tolower() does). */
char *arena_strndup_lower(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* The strings up to the NULL, joined: what arena_printf("%s%s", ...)
 * gives, without parsing a format (names built per field and per
 * service made vsnprintf a tenth of `depc check`). */
char *arena_cat(struct arena *a, ...) __attribute__((sentinel));

/* A growable byte buffer whose final contents move into the arena. */
struct strbuf {
	char *data;  /* malloc'd while building */
	size_t len;  /* bytes used, excluding the terminating NUL */
	size_t cap;  /* bytes allocated */
};

void strbuf_init(struct strbuf *b);
void strbuf_free(struct strbuf *b);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_put(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Gives back the unused capacity: a finished output file keeps only its
 * bytes (appending later still works, it only grows again). */
void strbuf_trim(struct strbuf *b);
/* Copies the contents into the arena and empties the buffer. */
char *strbuf_finish(struct strbuf *b, struct arena *a);

/* Aborts the process; used only when malloc fails. */
_Noreturn void depc_out_of_memory(void);
void *xmalloc(size_t size);
/* Zeroed, from calloc: pages fresh from the kernel are not cleared again. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);

#endif
