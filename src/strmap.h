/* strmap.h - a map from strings to pointers, for look-ups by name.
 *
 * Every look-up a pass makes once per service, file or reference goes
 * through one of these instead of a scan, so a program of 50,000 services
 * costs 5 times one of 10,000, not 25.  Open addressing, power-of-two
 * capacity kept at most half full; the table lives in an arena and the
 * keys are not copied (they must outlive the map). */
#ifndef DEPC_STRMAP_H
#define DEPC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Each slot's key has its hash beside it, in an array of its own: a
 * probe reads a key's bytes only when the hashes match, and the hashes
 * of neighbouring slots share a cache line.  In a map of a few hundred
 * thousand generated names, reading each key met on the way was a
 * cache miss per probe.  A hash is never 0, which marks a free slot. */
struct strmap {
	struct arena *arena;
	uint32_t *hashes;
	const char **keys;
	void **values;
	size_t cap;
	size_t count;
};

void strmap_init(struct strmap *m, struct arena *a);
/* The value stored under `key`, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Makes room for `count` keys in all: a map whose size is known ahead
 * is not rehashed at each doubling on the way. */
void strmap_reserve(struct strmap *m, size_t count);
/* Stores `value` under `key` unless the key is present; returns the value
 * now stored there (the old one when present). */
void *strmap_add(struct strmap *m, const char *key, void *value);

#endif
