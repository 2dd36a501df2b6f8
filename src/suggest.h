/* suggest.h - "did you mean" for names, fields and unit suffixes.
 *
 * One rule everywhere: the closest candidate by edit distance (with
 * transpositions), case-insensitive ties broken by candidate order, and
 * only when the distance is small against the length of the word, so a
 * suggestion is never a wild guess. */
#ifndef DEPC_SUGGEST_H
#define DEPC_SUGGEST_H

#include <stddef.h>

struct suggest {
	const char *word; /* what the user wrote */
	const char *best; /* closest candidate so far, or NULL */
	size_t distance;  /* its distance */
};

void suggest_init(struct suggest *s, const char *word);
void suggest_consider(struct suggest *s, const char *candidate);
/* The accepted suggestion, or NULL when nothing is close enough. */
const char *suggest_result(const struct suggest *s);

/* Optimal string alignment distance, comparing bytes case-insensitively
 * but counting a pure case change as 1 edit; capped at 255. */
size_t suggest_distance(const char *a, const char *b);

#endif
