/* explain.h - the `depc explain CODE` pages, embedded in the binary. */
#ifndef DEPC_EXPLAIN_H
#define DEPC_EXPLAIN_H

#include <stdio.h>

#include "diag.h"

/* The page for a code, or NULL when it has none (a test forbids that). */
const char *explain_page(enum diag_code code);
/* Every code with its severity and summary, one per line. */
void explain_list(FILE *out);

#endif
