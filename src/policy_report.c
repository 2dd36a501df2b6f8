/* policy_report.c - the compliance report of `depc check --policy`.
 *
 * One entry per rule of the policy table, in its order: pass, allowed
 * (every breach downgraded by an `allow` or --allow, each listed with its
 * reason) or fail (each breach listed with where it is).  Rules that hold
 * by construction say why; notes about passing rules (a service nothing
 * can reach, the way each secret enters a container) follow their rule.
 * The text goes to standard output; the SARIF form is one log whose
 * results a code-scanning service can show, allowed breaches as
 * suppressed results with their justification. */
#include <string.h>

#include "policy.h"
#include "sarif.h"

static const char *status_word(enum policy_status st)
{
	static const char *const words[] = { "n/a", "pass", "allowed", "fail" };
	return words[st];
}

static void print_where(FILE *out, const struct policy_finding *f)
{
	fputs("                ", out);
	if (f->src)
		fprintf(out, "%s:%zu:%zu: ", f->src->name, source_line_of(f->src, f->span.start),
			source_char_column(f->src, f->span.start));
	fputs(f->message, out);
	if (f->reason)
		fprintf(out, " (allowed: %s)", f->reason);
	fputc('\n', out);
}

static void print_rule(FILE *out, const struct policy_result *r, size_t i, size_t *counts)
{
	const struct policy_rule *rule = policy_rule_at(i);
	enum policy_status st = policy_rule_status(r, i);
	counts[st]++;
	/* a rule with no code of its own shows "-" */
	fprintf(out, "  %-7s %-5s %s\n", status_word(st),
		rule->code == DIAG_CODE_COUNT ? "-" : rule->id, rule->title);
	if (rule->construction)
		fprintf(out, "                by construction: %s\n", rule->construction);
	for (const struct policy_finding *f = r->findings; f; f = f->next)
		if (f->rule == i)
			print_where(out, f);
	for (const struct policy_note *n = r->notes; n; n = n->next)
		if (n->rule == i)
			fprintf(out, "                note: %s\n", n->text);
}

/* A requirement is as bad as its worst rule; not applicable only when
 * none of its rules applies. */
static enum policy_status requirement_status(const struct policy_result *r, size_t req)
{
	enum policy_status st = POLICY_NA;
	for (size_t i = 0; i < policy_rule_count(); i++)
		if (policy_rule_at(i)->requirement == req && policy_rule_status(r, i) > st)
			st = policy_rule_status(r, i);
	return st;
}

void policy_report_text(FILE *out, const struct policy_result *r)
{
	size_t counts[4] = { 0, 0, 0, 0 }, reqs[4] = { 0, 0, 0, 0 };
	fprintf(out, "policy report for %s\n", r->source_name);
	for (size_t q = 0; q < policy_requirement_count(); q++) {
		const struct policy_requirement *req = policy_requirement_at(q);
		enum policy_status st = requirement_status(r, q);
		if (strcmp(req->id, "design"))
			reqs[st]++;
		fprintf(out, "%-7s %s: %s\n", status_word(st), req->id, req->text);
		for (size_t i = 0; i < policy_rule_count(); i++)
			if (policy_rule_at(i)->requirement == q)
				print_rule(out, r, i, counts);
	}
	fprintf(out, "10 requirements: %zu pass, %zu allowed, %zu fail, %zu not applicable\n",
		reqs[POLICY_PASS], reqs[POLICY_ALLOWED], reqs[POLICY_FAIL], reqs[POLICY_NA]);
	fprintf(out, "%zu rules: %zu pass, %zu allowed, %zu fail, %zu not applicable\n",
		policy_rule_count(), counts[POLICY_PASS], counts[POLICY_ALLOWED],
		counts[POLICY_FAIL], counts[POLICY_NA]);
}

/* ---- SARIF ---- */

static cJSON *rule_descriptor(const struct policy_rule *rule)
{
	cJSON *d = sarif_rule(rule->id, rule->title, rule->construction ? "none" : "error");
	const struct policy_requirement *req = policy_requirement_at(rule->requirement);
	char text[768];
	if (rule->construction)
		snprintf(text, sizeof text, "%s (%s). Holds by construction: %s", req->text, req->id,
			 rule->construction);
	else
		snprintf(text, sizeof text, "%s (%s)", req->text, req->id);
	sarif_put(d, "fullDescription", sarif_message(text));
	cJSON *props = cJSON_CreateObject(), *tags = cJSON_CreateArray();
	if (!props || !tags)
		depc_out_of_memory();
	sarif_put(tags, NULL, cJSON_CreateString(req->id));
	sarif_put(props, "tags", tags);
	sarif_put(d, "properties", props);
	return d;
}

static cJSON *new_result(size_t i, const char *kind, const char *level, const char *message)
{
	cJSON *res = cJSON_CreateObject();
	if (!res)
		depc_out_of_memory();
	sarif_put(res, "ruleId", cJSON_CreateString(policy_rule_at(i)->id));
	sarif_put(res, "ruleIndex", cJSON_CreateNumber((double)i));
	sarif_put(res, "kind", cJSON_CreateString(kind));
	sarif_put(res, "level", cJSON_CreateString(level));
	sarif_put(res, "message", sarif_message(message));
	return res;
}

/* An allowed breach is a result suppressed where it is allowed: in the
 * source ("inSource") or by --allow ("external"). */
static void suppress(cJSON *res, const struct policy_finding *f)
{
	cJSON *list = cJSON_CreateArray(), *s = cJSON_CreateObject();
	if (!list || !s)
		depc_out_of_memory();
	bool flag = !strncmp(f->reason, "--allow ", 8);
	sarif_put(s, "kind", cJSON_CreateString(flag ? "external" : "inSource"));
	sarif_put(s, "status", cJSON_CreateString("accepted"));
	sarif_put(s, "justification", cJSON_CreateString(f->reason));
	sarif_put(list, NULL, s);
	sarif_put(res, "suppressions", list);
}

static cJSON *finding_result(size_t i, const struct policy_finding *f)
{
	cJSON *res = new_result(i, "fail", f->status == POLICY_FAIL ? "error" : "warning",
				f->message);
	if (f->src) {
		cJSON *locs = cJSON_CreateArray();
		if (!locs)
			depc_out_of_memory();
		sarif_put(locs, NULL, sarif_location(f->src, f->span, NULL));
		sarif_put(res, "locations", locs);
	}
	if (f->status == POLICY_ALLOWED)
		suppress(res, f);
	return res;
}

static void rule_results(cJSON *results, const struct policy_result *r, size_t i)
{
	bool any = false;
	for (const struct policy_finding *f = r->findings; f; f = f->next) {
		if (f->rule != i)
			continue;
		sarif_put(results, NULL, finding_result(i, f));
		any = true;
	}
	if (!any && policy_rule_status(r, i) == POLICY_NA)
		sarif_put(results, NULL, new_result(i, "notApplicable", "none",
						    policy_rule_at(i)->title));
	else if (!any)
		sarif_put(results, NULL, new_result(i, "pass", "none", policy_rule_at(i)->title));
	for (const struct policy_note *n = r->notes; n; n = n->next)
		if (n->rule == i)
			sarif_put(results, NULL, new_result(i, "informational", "none", n->text));
}

void policy_report_sarif(FILE *out, const struct policy_result *r)
{
	cJSON *rules, *results;
	cJSON *log = sarif_log(&rules, &results);
	for (size_t i = 0; i < policy_rule_count(); i++) {
		sarif_put(rules, NULL, rule_descriptor(policy_rule_at(i)));
		rule_results(results, r, i);
	}
	sarif_print(out, log);
}
