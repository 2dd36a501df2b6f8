/* policy.h - the specification's requirements, enforced.
 *
 * The policy pass runs after the model is built and checked clean, and
 * reads the model only.  Each of the specification's ten requirements
 * (five of implementation, five of security) is enforced by one or more
 * rules, and DESIGN.md section 4 adds a few beyond them: images and
 * actions pinned, secrets only in a store and never in the source,
 * health checks on real ports, monitoring of hosts and applications,
 * automatic rollback, encrypted traffic out, rotation within a bound per
 * kind of secret, network paths only along `uses` and no data store on
 * the internet, scheduled scans, audit and access logs, read-only
 * containers with limits, tests before deploys.  Each rule has an E04xx
 * code and is an error; `allow { CODE = "reason" }` in a declaration, or
 * --allow CODE for the whole file, makes it a warning that is still
 * printed, with the reason.  The pass also fills a compliance report
 * (`depc check --policy`): every requirement with the rules enforcing
 * it, each pass, allowed, fail or not applicable, and where it failed or
 * was allowed. */
#ifndef DEPC_POLICY_H
#define DEPC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

struct model;
struct arena;

/* The thresholds of E0403 live with the rest of secret detection. */
#include "secret_text.h"
#define POLICY_TOKEN_MIN SECRET_TOKEN_MIN
#define POLICY_ENTROPY_MIN SECRET_ENTROPY_MIN
#define POLICY_SWITCH_MIN SECRET_SWITCH_MIN

/* A requirement of the specification (deployment-spec.md, "Implementation
 * Requirements" and "Security Requirements"), or the group of rules
 * DESIGN.md adds beyond them. */
struct policy_requirement {
	const char *id;           /* "implementation 1", "security 3" */
	const char *text;         /* as the specification words it */
};

struct policy_rule {
	const char *id;           /* "E0401", or a word for a rule without a code */
	enum diag_code code;      /* its diagnostic code (DIAG_CODE_COUNT: none) */
	const char *title;        /* what the rule asks, for the report */
	const char *kinds;        /* declarations an allow may name it in
				     ("service|pipeline"); NULL: it cannot be
				     allowed (enforced elsewhere) */
	const char *construction; /* why it always holds, or NULL */
	size_t requirement;       /* index in the requirement table */
};

/* Worse is larger: a requirement takes its worst rule's status. */
enum policy_status { POLICY_NA, POLICY_PASS, POLICY_ALLOWED, POLICY_FAIL };

struct policy_finding {
	size_t rule;                /* index in the rule table */
	enum policy_status status;  /* POLICY_ALLOWED or POLICY_FAIL */
	const struct source *src;   /* where; NULL for no place in a file */
	struct span span;
	const char *subject;        /* "service 'web'" */
	const char *message;        /* the diagnostic's message */
	const char *reason;         /* why it is allowed, or NULL */
	struct policy_finding *next;
};

/* Something the report says about a rule, such as a service nothing can
 * reach, or why a rule does not apply. */
struct policy_note {
	size_t rule;
	const char *text;
	struct policy_note *next;
};

struct policy_result {
	const char *source_name;    /* the file checked */
	struct policy_finding *findings, **findings_tail; /* in emission order */
	struct policy_note *notes, **notes_tail;
	bool *applies;              /* by rule: something in the program it judges */
};

struct policy_options {
	const char *const *allow;   /* --allow codes, already validated */
	size_t allow_count;
	bool report;                /* the report will be shown: make its notes */
};

size_t policy_requirement_count(void);
const struct policy_requirement *policy_requirement_at(size_t i);
size_t policy_rule_count(void);
const struct policy_rule *policy_rule_at(size_t i);
/* The rule an `allow` or --allow may name as `code`, or NULL. */
const struct policy_rule *policy_rule_allowable(const char *code);
/* Any rule named `code`, allowable or not, or NULL. */
const struct policy_rule *policy_rule_named(const char *code);
/* The status of rule i in a result. */
enum policy_status policy_rule_status(const struct policy_result *r, size_t i);

/* Runs every rule over a model that checked clean, reporting into `bag`;
 * reads the model only.  The result lives in arena `a`. */
struct policy_result *policy_run(struct diag_bag *bag, struct arena *a, const struct model *m,
				 const struct policy_options *o);

/* A host named in text, for E0406 and E0405 and for `depc import`,
 * which infers `uses` from the same evidence the rule looks at. */
struct policy_host {
	const char *name;   /* lowercase host name or address */
	const char *scheme; /* "http", ... or "" for HOST:PORT */
};
/* Hosts are in URLs (scheme://[user[:pass]@]host[:port]) and in
 * HOST:PORT pairs; each found is handed to `see`. */
void policy_each_host(struct arena *a, const char *s,
		      void (*see)(void *, struct policy_host), void *ctx);
/* Is host h outside any deployment by its form alone: not a single
 * label, a private address, a NAME.NAMESPACE or a name under .local,
 * .internal, .svc and the like?  (policy_inside also knows the services
 * and the declared externals.) */
bool policy_public_host(const char *h);
/* DB_HOST = "db": a variable named for an address (..._HOST, ..._URL,
 * ...), whose value may be just a service's name. */
bool policy_address_name(const char *key);

/* policy_report.c: the compliance report, one line per rule. */
void policy_report_text(FILE *out, const struct policy_result *r);
/* The same as a SARIF 2.1.0 log: each rule a reportingDescriptor, each
 * breach a result (allowed ones suppressed, with the reason), each rule
 * without a breach a result of kind "pass". */
void policy_report_sarif(FILE *out, const struct policy_result *r);

#endif
