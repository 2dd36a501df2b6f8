/* strmap.c - see strmap.h. */
#include "strmap.h"

#include <string.h>

void strmap_init(struct strmap *m, struct arena *a)
{
	memset(m, 0, sizeof *m);
	m->arena = a;
}

/* FNV-1a: cheap, and spreads the numbered names of generated programs
 * (api0-1, api0-2, ...) well enough for linear probing.  Folded to 32
 * bits, with 0 left for free slots. */
static uint32_t hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	uint32_t folded = (uint32_t)(h ^ (h >> 32));
	return folded ? folded : 1;
}

static size_t slot(const struct strmap *m, const char *key, uint32_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->hashes[i] && (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot(m, key, hash(key));
	return m->hashes[i] ? m->values[i] : NULL;
}

/* Moving an entry reads no key: its hash comes along. */
static void resize(struct strmap *m, size_t cap)
{
	struct strmap old = *m;
	m->hashes = arena_calloc(m->arena, cap, sizeof *m->hashes);
	m->keys = arena_calloc(m->arena, cap, sizeof *m->keys);
	m->values = arena_calloc(m->arena, cap, sizeof *m->values);
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.hashes[i])
			continue;
		size_t j = old.hashes[i] & (cap - 1);
		while (m->hashes[j])
			j = (j + 1) & (cap - 1);
		m->hashes[j] = old.hashes[i];
		m->keys[j] = old.keys[i];
		m->values[j] = old.values[i];
	}
	if (old.cap) {
		arena_release(m->arena, old.hashes);
		arena_release(m->arena, (void *)old.keys);
		arena_release(m->arena, old.values);
	}
}

void strmap_reserve(struct strmap *m, size_t count)
{
	size_t cap = m->cap ? m->cap : 64;
	while ((count + 1) * 2 > cap)
		cap *= 2;
	if (cap > m->cap)
		resize(m, cap);
}

void *strmap_add(struct strmap *m, const char *key, void *value)
{
	if ((m->count + 1) * 2 > m->cap)
		resize(m, m->cap ? m->cap * 2 : 64);
	uint32_t h = hash(key);
	size_t i = slot(m, key, h);
	if (m->hashes[i])
		return m->values[i];
	m->hashes[i] = h;
	m->keys[i] = key;
	m->values[i] = value;
	m->count++;
	return value;
}
