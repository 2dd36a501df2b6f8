/* limits.c - the limits a test may lower through the environment.
 *
 * Every other limit of man/depc.1 (LIMITS) is a constant; the
 * declaration count is the one whose test would otherwise spend seconds
 * generating and parsing a million declarations. */
#include "program.h"

#include <stdlib.h>
#include <string.h>

/* Read on every call (once per declaration): a getenv() and a few
 * bytes to parse, against the cost of a declaration. */
size_t program_max_decls(void)
{
	const char *env = getenv("DEPC_MAX_DECLS");
	size_t len = env ? strlen(env) : 0;
	if (len == 0 || len > 9 || strspn(env, "0123456789") != len)
		return PROGRAM_DEFAULT_MAX_DECLS;
	size_t n = (size_t)strtoul(env, NULL, 10);
	return n > 0 && n < PROGRAM_DEFAULT_MAX_DECLS ? n : PROGRAM_DEFAULT_MAX_DECLS;
}
