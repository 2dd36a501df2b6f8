/* strmap.c - see strmap.h. */
#include "strmap.h"

#include <string.h>

void strmap_init(struct strmap *m, struct arena *a)
{
	memset(m, 0, sizeof *m);
	m->arena = a;
}

/* FNV-1a: cheap, and spreads the numbered names of generated programs
 * (api0-1, api0-2, ...) well enough for linear probing. */
static size_t hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static size_t slot(const char **keys, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);
	while (keys[i] && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot(m->keys, m->cap, key);
	return m->keys[i] ? m->values[i] : NULL;
}

static void resize(struct strmap *m, size_t cap)
{
	const char **keys = arena_calloc(m->arena, cap, sizeof *keys);
	void **values = arena_calloc(m->arena, cap, sizeof *values);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot(keys, cap, m->keys[i]);
		keys[j] = m->keys[i];
		values[j] = m->values[i];
	}
	if (m->cap) {
		arena_release(m->arena, (void *)m->keys);
		arena_release(m->arena, m->values);
	}
	m->keys = keys;
	m->values = values;
	m->cap = cap;
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
	size_t i = slot(m->keys, m->cap, key);
	if (m->keys[i])
		return m->values[i];
	m->keys[i] = key;
	m->values[i] = value;
	m->count++;
	return value;
}
