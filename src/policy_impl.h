/* policy_impl.h - what the policy files share.  They read the model
 * only (model.h): never the syntax tree, the program or the checker. */
#ifndef DEPC_POLICY_IMPL_H
#define DEPC_POLICY_IMPL_H

#include "arena.h"
#include "model.h"
#include "policy.h"

/* One run of the policy pass. */
struct pol {
	struct diag_bag *bag;
	struct arena *a;
	const struct model *m;
	const struct policy_options *o;
	struct policy_result *r;
	/* the allows that excused a breach, so W0050 does not call them
	 * stale: an entry per run of breaches an allow excused in a row,
	 * sorted by address before they are looked up (check_stale_allows) */
	const struct model_allow **used;
	size_t used_count, used_cap;
	/* the declarations of the unique kinds, found once: a look-up per
	 * service would make the pass quadratic */
	const struct model_decl *app, *pipeline, *cloud, *monitor;
	struct model_texts texts; /* one declaration's at a time (model_texts) */
};

/* A breach of rule `code` by declaration `d` at `at` (NULL: the
 * declaration's name): an error, or a warning that names the reason when
 * `d` or the command line allows the rule.  The caller adds the help. */
struct diag *policy_breach(struct pol *pl, enum diag_code code, const struct model_decl *d,
			   const struct model_origin *at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Says something about rule `code` in the report without a breach. */
void policy_note(struct pol *pl, enum diag_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Rule `code` judged something in this program (else: not applicable). */
void policy_applies(struct pol *pl, enum diag_code code);

/* "service 'web'", "pipeline", "cloud aws", for messages. */
const char *policy_subject(struct pol *pl, const struct model_decl *d);
/* The declaration of a unique kind: app, pipeline, cloud or monitor. */
const struct model_decl *policy_decl_kind(const struct pol *pl, const char *kind);

/* policy_text.c: the rules about text: secrets in the source (E0402,
 * E0403, E0404), plain-text traffic out (E0405), connections outside
 * `uses` (E0406). */
void policy_check_text(struct pol *pl);
/* policy_egress.c: hosts outside reached only through a used external
 * (E0433); plain text to an external (E0405). */
void policy_check_egress(struct pol *pl);
/* policy_ops.c: monitoring, probes, pipeline, rotation, exposure. */
void policy_check_ops(struct pol *pl);
/* Is host h inside the deployment (a service, a namespace's service,
 * the cluster domain, a private address)? */
bool policy_inside(const struct model *m, const char *h);

#endif
