/* units.h - the unit suffixes a number may carry, and what they mean.
 *
 * The scanner only checks that a suffix is one of these; what it means is
 * decided by the type the field expects (`100m` is a tenth of a core for
 * cpu and a hundred minutes for a duration).  Values convert to one base
 * unit per dimension: milliseconds, bytes, millicores, percent. */
#ifndef DEPC_UNITS_H
#define DEPC_UNITS_H

#include <stdbool.h>

enum unit_dim {
	UNIT_DURATION, /* base: milliseconds */
	UNIT_SIZE,     /* base: bytes */
	UNIT_CPU,      /* base: millicores */
	UNIT_PERCENT,  /* base: percent */
	UNIT_DIM_COUNT
};

bool unit_known(const char *suffix);
/* Does `suffix` have a meaning in dimension `dim`? */
bool unit_in_dim(const char *suffix, enum unit_dim dim);
/* value*suffix in the dimension's base unit; false when the suffix has no
 * meaning there. */
bool unit_to_base(const char *suffix, double value, enum unit_dim dim, double *out);
/* The dimension a suffix belongs to when it has only one, for messages. */
const char *unit_dim_name(enum unit_dim dim);
/* Closest known suffix, or NULL. */
const char *unit_suggest(const char *suffix);
/* "ms, s, m, h, d" etc. for help text. */
const char *unit_list(enum unit_dim dim);

#endif
