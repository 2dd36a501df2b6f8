/* explain.c - finds a code's page among the embedded src/explain pages. */
#include "explain.h"

#include <string.h>

#include "embed.h"

const char *explain_page(enum diag_code code)
{
	const char *name = diag_code_name(code);
	for (const struct embedded_file *f = depc_explain; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f->contents;
	return NULL;
}

void explain_list(FILE *out)
{
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		enum diag_code code = (enum diag_code)i;
		fprintf(out, "%s  %-7s  %s\n", diag_code_name(code),
			diag_code_severity(code) == SEV_ERROR ? "error" : "warning",
			diag_code_summary(code));
	}
}
