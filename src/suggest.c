/* suggest.c - edit-distance suggestions (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

#define MAX_LEN 64

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* A case change costs 1 like any substitution, so "mi" -> "Mi" is 1. */
size_t suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > MAX_LEN || lb > MAX_LEN)
		return 255;
	size_t d[MAX_LEN + 1][MAX_LEN + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb] > 255 ? 255 : d[la][lb];
}

void suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->distance = 255;
}

static int equal_ignoring_case(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

void suggest_consider(struct suggest *s, const char *candidate)
{
	if (!candidate || strcmp(candidate, s->word) == 0)
		return;
	size_t d = equal_ignoring_case(candidate, s->word)
			   ? 0 : suggest_distance(s->word, candidate);
	if (d < s->distance) {
		s->distance = d;
		s->best = candidate;
	}
}

/* One edit for short words, then one more per four characters: "dbb"
 * finds "db", but "web" never suggests "db". */
const char *suggest_result(const struct suggest *s)
{
	size_t len = strlen(s->word);
	size_t limit = len <= 3 ? 1 : 1 + len / 4;
	return s->best && s->distance <= limit ? s->best : NULL;
}
