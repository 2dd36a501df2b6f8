/* policy_impl.h - what policy.c shares with policy_text.c. */
#ifndef DEPC_POLICY_IMPL_H
#define DEPC_POLICY_IMPL_H

#include "model.h"
#include "policy.h"
#include "typed.h"

/* One run of the policy pass. */
struct pol {
	struct program *p;
	const struct model *m;
	const struct policy_options *o;
	struct policy_result *r;
};

/* A breach of rule `code` by declaration `d` at `n` (NULL: the
 * declaration's name): an error, or a warning that names the reason when
 * `d` or the command line allows the rule.  The caller adds the help. */
struct diag *policy_breach(struct pol *pl, enum diag_code code, const struct decl *d,
			   const struct ast_node *n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Says something about rule `code` in the report without a breach. */
void policy_note(struct pol *pl, enum diag_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "service 'web'", "pipeline", "cloud aws", for messages. */
const char *policy_subject(struct pol *pl, const struct decl *d);
/* The typed value of `field` in d (NULL when unset or a default). */
const struct tval *policy_field(const struct decl *d, const char *block, const char *field);

/* policy_text.c: the rules about text: secrets in the source (E0402,
 * E0403, E0404), plain-text traffic out (E0405), connections outside
 * `uses` (E0406), and secrets reaching only secret sinks. */
void policy_check_text(struct pol *pl);

#endif
