/* policy.c - the rule table, breaches, `allow`, and the rules about
 * declarations.
 *
 * Runs on a model that checked clean (compile.c) and reads nothing else:
 * each model object's declaration (struct model_decl) says where its
 * fields were written (model_where, which reads the checked declaration
 * behind it, lower_facts.c), so a message points at the value that
 * breaks a rule, or at the declaration's name when the value is a
 * default or missing.  A breach is an error unless the declaration's `allow` map or
 * --allow names its code: then it is a warning that still prints, with
 * the reason, so an exception is never silent; an allow that matches no
 * breach is a warning of its own (W0050).  Every rule belongs to one
 * requirement of the specification; a rule with nothing to judge (no
 * pipeline, no secret) is "not applicable", never "pass".  The rules
 * about text are in policy_text.c, about operations in policy_ops.c, the
 * report writers in policy_report.c. */
#include "policy_impl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ALL_KINDS "app|service|job|secret|volume|pipeline|cloud|monitor"

static const struct policy_requirement requirements[] = {
	{ "implementation 1", "All deployments must use infrastructure as code" },
	{ "implementation 2", "Secrets must be managed through a secure vault system" },
	{ "implementation 3", "All services must implement health checks" },
	{ "implementation 4", "Monitoring must cover both infrastructure and application metrics" },
	{ "implementation 5", "Automated rollback procedures must be implemented" },
	{ "security 1", "All external communication must be encrypted" },
	{ "security 2", "Secrets must be rotated regularly" },
	{ "security 3", "Network policies must follow least privilege principle" },
	{ "security 4", "Regular security scans must be implemented" },
	{ "security 5", "Audit logging must be enabled" },
	{ "design", "Beyond the specification (DESIGN.md, section 4)" },
};

enum { IMPL1, IMPL2, IMPL3, IMPL4, IMPL5, SEC1, SEC2, SEC3, SEC4, SEC5, DESIGN };

/* In the order of the requirements. */
static const struct policy_rule rules[] = {
	{ "generated", DIAG_CODE_COUNT, "every artifact is generated from the one source", NULL,
	  "depc writes the Dockerfiles, Compose, Kubernetes, Terraform, workflow and monitoring "
	  "files from the .dep source, atomically; none is edited by hand", IMPL1 },
	{ "E0408", DIAG_E0408, "every image is pinned to an exact version or a digest", "service|job", NULL, IMPL1 },
	{ "E0409", DIAG_E0409, "CI actions are pinned to a commit SHA", "pipeline", NULL, IMPL1 },
	{ "E0427", DIAG_E0427, "secrets are read from a named secret store, each at a path", "app|secret", NULL, IMPL2 },
	{ "E0402", DIAG_E0402, "no literal value in a credential-bearing place", "service|job|pipeline",
	  NULL, IMPL2 },
	{ "E0403", DIAG_E0403, "no string that is a key or token by its form", ALL_KINDS, NULL, IMPL2 },
	{ "E0404", DIAG_E0404, "no credentials inside a URL", ALL_KINDS, NULL, IMPL2 },
	{ "E0215", DIAG_E0215, "secrets reach only secret sinks (secret files and variables)", NULL,
	  "the checker rejects every other use of a secret (E0215) and the model has no field "
	  "that could hold a secret's value", IMPL2 },
	{ "E0401", DIAG_E0401, "every service has a health check", "service", NULL, IMPL3 },
	{ "E0425", DIAG_E0425, "probes check a port the service listens on", "service", NULL, IMPL3 },
	{ "E0423", DIAG_E0423, "infrastructure is monitored (a monitor block with the node exporter)",
	  "app|monitor", NULL, IMPL4 },
	{ "E0422", DIAG_E0422, "every application service that takes traffic is scraped for metrics", "service",
	  NULL, IMPL4 },
	{ "E0414", DIAG_E0414, "a failed rollout rolls back automatically", "service", NULL, IMPL5 },
	{ "E0405", DIAG_E0405, "traffic to and from outside the deployment is encrypted", "service|external", NULL, SEC1 },
	{ "E0411", DIAG_E0411, "every secret declares its rotation", "secret", NULL, SEC2 },
	{ "E0424", DIAG_E0424, "rotation is no slower than the bound for the kind of secret", "secret",
	  NULL, SEC2 },
	{ "E0406", DIAG_E0406, "services connect only along `uses`; network policies deny the rest",
	  "service|job", NULL, SEC3 },
	{ "E0433", DIAG_E0433, "a service reaches a host outside the deployment only through a used `external`",
	  "service", NULL, SEC3 },
	{ "E0418", DIAG_E0418, "no stateful service (a database, a cache) is exposed by an ingress",
	  "service", NULL, SEC3 },
	{ "E0410", DIAG_E0410, "the pipeline runs a security scan", "pipeline", NULL, SEC4 },
	{ "E0420", DIAG_E0420, "the scan also runs on a schedule", "pipeline", NULL, SEC4 },
	{ "E0412", DIAG_E0412, "cloud audit logging is on", "cloud", NULL, SEC5 },
	{ "E0413", DIAG_E0413, "ingress access logging is on", "service", NULL, SEC5 },
	{ "E0305", DIAG_E0305, "containers run as a non-root user", NULL,
	  "the checker rejects user 0 (E0305); the default user is 10001", DESIGN },
	{ "E0407", DIAG_E0407, "containers have a read-only root filesystem", "service|job", NULL, DESIGN },
	{ "capabilities", DIAG_CODE_COUNT, "containers drop every Linux capability", NULL,
	  "every backend drops ALL capabilities and forbids privilege escalation; "
	  "the language has no way to add one back", DESIGN },
	{ "E0415", DIAG_E0415, "every container has cpu and memory limits", "service|job", NULL, DESIGN },
	{ "E0419", DIAG_E0419, "a pipeline that deploys runs tests first", "pipeline", NULL, DESIGN },
};

#define RULE_COUNT (sizeof rules / sizeof rules[0])

size_t policy_rule_count(void) { return RULE_COUNT; }
const struct policy_rule *policy_rule_at(size_t i) { return i < RULE_COUNT ? &rules[i] : NULL; }
size_t policy_requirement_count(void) { return sizeof requirements / sizeof requirements[0]; }
const struct policy_requirement *policy_requirement_at(size_t i)
{
	return i < policy_requirement_count() ? &requirements[i] : NULL;
}

/* The rule of a code (0 for a code of no rule), asked for every rule
 * applied, finding and note: a table by code, made at the first call. */
static size_t rule_index(enum diag_code code)
{
	static size_t by_code[DIAG_CODE_COUNT];
	static bool made;
	if (!made) {
		for (size_t i = RULE_COUNT; i-- > 0;)  /* the first rule of a code wins */
			if (rules[i].code < DIAG_CODE_COUNT)  /* not a rule without a code */
				by_code[rules[i].code] = i;
		made = true;
	}
	return (size_t)code < DIAG_CODE_COUNT ? by_code[code] : 0;
}

const struct policy_rule *policy_rule_named(const char *code)
{
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (!strcasecmp(rules[i].id, code))
			return &rules[i];
	return NULL;
}

const struct policy_rule *policy_rule_allowable(const char *code)
{
	const struct policy_rule *r = policy_rule_named(code);
	return r && r->kinds ? r : NULL;
}

enum policy_status policy_rule_status(const struct policy_result *r, size_t rule)
{
	enum policy_status st = r->applies[rule] || rules[rule].construction ? POLICY_PASS
									    : POLICY_NA;
	for (const struct policy_finding *f = r->findings; f; f = f->next)
		if (f->rule == rule && f->status > st)
			st = f->status;
	return st;
}

/* --- breaches ---------------------------------------------------------- */

const char *policy_subject(struct pol *pl, const struct model_decl *d)
{
	if (!d->labelled)
		return d->kind;
	if (!strcmp(d->kind, "cloud"))
		return arena_printf(pl->a, "cloud %s", d->name);
	return arena_printf(pl->a, "%s '%s'", d->kind, d->name);
}

const struct model_decl *policy_decl_kind(const struct pol *pl, const char *kind)
{
	return !strcmp(kind, "app") ? pl->app : !strcmp(kind, "pipeline") ? pl->pipeline
	       : !strcmp(kind, "cloud") ? pl->cloud : !strcmp(kind, "monitor") ? pl->monitor : NULL;
}

static void find_unique(struct pol *pl)
{
	for (const struct model_decl *d = pl->m->decls; d; d = d->next) {
		const struct model_decl **slot = !strcmp(d->kind, "app") ? &pl->app
			: !strcmp(d->kind, "pipeline") ? &pl->pipeline
			: !strcmp(d->kind, "cloud") ? &pl->cloud
			: !strcmp(d->kind, "monitor") ? &pl->monitor : NULL;
		if (slot && !*slot)
			*slot = d;
	}
}

static const struct model_allow *allow_entry(const struct model_decl *d, const char *code)
{
	for (const struct model_allow *a = d ? d->allows : NULL; a; a = a->next)
		if (!strcasecmp(a->code, code))
			return a;
	return NULL;
}

static bool allowed_by_flag(const struct pol *pl, const char *code)
{
	for (size_t i = 0; pl->o && i < pl->o->allow_count; i++)
		if (!strcasecmp(pl->o->allow[i], code))
			return true;
	return false;
}

/* A reason is shown in a terminal: control characters become spaces. */
static const char *printable(struct arena *a, const char *s)
{
	char *copy = arena_strdup(a, s);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return copy;
}

/* A value written in a template says nothing about who used it. */
static void label_template(struct pol *pl, struct diag *dg, const struct model_decl *d)
{
	const struct model_origin *b = &d->block_at;
	bool inside = dg->src == b->src && dg->span.start >= b->span.start &&
		      dg->span.end <= b->span.end;
	if (!d->template_at.src || inside)
		return;
	/* Raised inside a stdlib template: the user's call leads. */
	if (dg->src && !strncmp(dg->src->name, "<std>/", 6))
		diag_lead_with(pl->bag, dg, d->template_at.src, d->template_at.span,
			       "in template '%s', made for %s '%s'",
			       d->template_name ? d->template_name : "?", d->kind, d->name);
	else
		diag_add_label(pl->bag, dg, d->template_at.src, d->template_at.span,
			       "in %s '%s', made from this template", d->kind, d->name);
}

static void record(struct pol *pl, enum diag_code code, const struct model_decl *d,
		   const struct diag *dg, const char *reason)
{
	struct policy_finding *f = arena_alloc(pl->a, sizeof *f);
	f->rule = rule_index(code);
	f->status = dg->severity == SEV_ERROR ? POLICY_FAIL : POLICY_ALLOWED;
	f->src = dg->src;
	f->span = dg->span;
	f->subject = policy_subject(pl, d);
	f->message = dg->message;
	f->reason = reason;
	*pl->r->findings_tail = f;
	pl->r->findings_tail = &f->next;
}

static const struct model_origin *allow_origin(struct pol *pl, const struct model_decl *d,
					      const struct model_allow *a)
{
	return model_where(d, arena_printf(pl->a, "allow.%s", a->code));
}

static void use_allow(struct pol *pl, const struct model_allow *a)
{
	if (pl->used_count && pl->used[pl->used_count - 1] == a)
		return; /* the same exception again, as breaches come in runs */
	if (pl->used_count == pl->used_cap) {
		size_t cap = pl->used_cap ? pl->used_cap * 2 : 16;
		const struct model_allow **grown = arena_calloc(pl->a, cap, sizeof *grown);
		if (pl->used_count)
			memcpy(grown, pl->used, pl->used_count * sizeof *grown);
		pl->used = grown;
		pl->used_cap = cap;
	}
	pl->used[pl->used_count++] = a;
}

struct diag *policy_breach(struct pol *pl, enum diag_code code, const struct model_decl *d,
			   const struct model_origin *at, const char *fmt, ...)
{
	const char *name = diag_code_name(code);
	const struct model_allow *allow = allow_entry(d, name);
	bool flag = !allow && allowed_by_flag(pl, name);
	if (!at || !at->src)
		at = &d->name_at;
	policy_applies(pl, code);
	va_list ap;
	va_start(ap, fmt);
	struct diag *dg = diag_vemit_as(pl->bag, code, allow || flag ? SEV_WARNING : SEV_ERROR,
					at->src, at->span, fmt, ap);
	va_end(ap);
	label_template(pl, dg, d);
	const char *reason = NULL;
	if (allow) {
		use_allow(pl, allow);
		reason = printable(pl->a, allow->reason);
		const struct model_origin *where = allow_origin(pl, d, allow);
		if (where)
			diag_add_label(pl->bag, dg, where->src, where->span, "allowed here");
		diag_add_note(pl->bag, dg, "allowed: %s", reason);
	} else if (flag) {
		reason = arena_printf(pl->a, "--allow %s", name);
		diag_add_note(pl->bag, dg, "allowed everywhere by --allow %s", name);
	}
	record(pl, code, d, dg, reason);
	return dg;
}

void policy_note(struct pol *pl, enum diag_code code, const char *fmt, ...)
{
	if (!pl->o->report)
		return; /* formatting them was a tenth of the pass */
	struct policy_note *n = arena_alloc(pl->a, sizeof *n);
	va_list ap;
	va_start(ap, fmt);
	n->rule = rule_index(code);
	n->text = arena_vprintf(pl->a, fmt, ap);
	va_end(ap);
	*pl->r->notes_tail = n;
	pl->r->notes_tail = &n->next;
}

void policy_applies(struct pol *pl, enum diag_code code)
{
	pl->r->applies[rule_index(code)] = true;
}

/* --- services ------------------------------------------------------------ */

static void check_health(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	if (h->liveness.kind || h->readiness.kind || h->startup.kind)
		return;
	const struct model_origin *block = model_where(d, "health");
	struct diag *dg = policy_breach(pl, DIAG_E0401, d, block,
					block ? "the health block of service '%s' has no probe"
					      : "service '%s' has no health check", s->name);
	diag_add_help(pl->bag, dg, "add health { liveness = http(\"/health\") }, or tcp() or "
		      "exec(...) for a service that does not speak HTTP");
}

static void check_resources(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	if (s->cpu.set && s->memory.set)
		return;
	const char *what = !s->cpu.set && !s->memory.set ? "cpu and memory limits"
			   : !s->cpu.set ? "cpu limit" : "memory limit";
	struct diag *dg = policy_breach(pl, DIAG_E0415, d, model_where(d, "resources"),
					"%s '%s' has no %s", d->kind, s->name, what);
	diag_add_help(pl->bag, dg, "add resources { %s%s%s } as request..limit",
		      s->cpu.set ? "" : "cpu = 100m..500m", !s->cpu.set && !s->memory.set ? "  " : "",
		      s->memory.set ? "" : "memory = 128Mi..256Mi");
}

static void check_container(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	if (!s->read_only) {
		struct diag *dg = policy_breach(pl, DIAG_E0407, d, model_where(d, "read_only"),
						"%s '%s' has a writable root filesystem", d->kind, s->name);
		diag_add_help(pl->bag, dg, "remove read_only = false and list the directories "
			      "it writes in tmpfs = [\"/tmp\"], or mount a data volume there");
	}
	if (s->rollout.on_failure != ON_FAILURE_ROLLBACK) {
		struct diag *dg = policy_breach(pl, DIAG_E0414, d, model_where(d, "rollout.on_failure"),
						"a failed rollout of service '%s' does not roll back",
						s->name);
		diag_add_help(pl->bag, dg, "set on_failure = rollback: a version that fails its "
			      "health checks is replaced by the last one that passed");
	}
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* tls = "none" names no issuer, however it is spelled. */
static bool no_issuer(const char *s)
{
	static const char *const words[] = { "none", "off", "false", "no", "disabled", "null",
					     "plain", "http" };
	if (blank(s))
		return true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return false;
}

static void check_ingress(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	if (!s->ingress.set)
		return;
	policy_applies(pl, DIAG_E0413);
	if (no_issuer(s->ingress.tls_issuer)) {
		struct diag *dg = policy_breach(pl, DIAG_E0405, d, model_where(d, "ingress.tls"),
						"the ingress of service '%s' names no certificate issuer",
						s->name);
		diag_add_help(pl->bag, dg, "set tls = \"letsencrypt-prod\", a cert-manager "
			      "ClusterIssuer: the ingress serves HTTPS only");
	}
	if (!s->ingress.access_log) {
		struct diag *dg = policy_breach(pl, DIAG_E0413, d, model_where(d, "ingress.access_log"),
						"the ingress of service '%s' does not log requests", s->name);
		diag_add_help(pl->bag, dg, "remove access_log = false: access logs are the record "
			      "of who reached the service, and when");
	}
}

/* A job's container has the rules of a service's that do not need a
 * long-running process: limits, a read-only root, the secret and reach
 * rules (policy_ops.c, policy_text.c); no health check, rollout or
 * ingress, which it does not have. */
static void check_job(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	static const enum diag_code every[] = { DIAG_E0415, DIAG_E0407, DIAG_E0406, DIAG_E0408,
						DIAG_E0402, DIAG_E0403, DIAG_E0404 };
	for (size_t i = 0; i < sizeof every / sizeof every[0]; i++)
		policy_applies(pl, every[i]);
	check_resources(pl, d, s);
	check_container(pl, d, s);
}

static void check_services(struct pol *pl)
{
	for (const struct model_decl *d = pl->m->decls; d; d = d->next) {
		if (!strcmp(d->kind, "job"))
			check_job(pl, d, d->object);
		if (strcmp(d->kind, "service"))
			continue;
		const struct model_service *s = d->object;
		static const enum diag_code every[] = { DIAG_E0401, DIAG_E0415, DIAG_E0407, DIAG_E0414,
							DIAG_E0405, DIAG_E0406, DIAG_E0408, DIAG_E0402,
							DIAG_E0403, DIAG_E0404, DIAG_E0425 };
		for (size_t i = 0; i < sizeof every / sizeof every[0]; i++)
			policy_applies(pl, every[i]);
		check_health(pl, d, s);
		check_resources(pl, d, s);
		check_container(pl, d, s);
		check_ingress(pl, d, s);
	}
}

/* --- pipeline, secrets, cloud ----------------------------------------------- */

static void check_pipeline(struct pol *pl)
{
	const struct model_decl *d = policy_decl_kind(pl, "pipeline");
	const struct model_pipeline *pp = pl->m->pipeline;
	if (!d || !pp) {
		policy_note(pl, DIAG_E0410, "there is no pipeline: nothing is scanned, and no rule "
			    "about the pipeline applies");
		return;
	}
	policy_applies(pl, DIAG_E0409);
	policy_applies(pl, DIAG_E0410);
	if (!pp->pin_sha) {
		struct diag *dg = policy_breach(pl, DIAG_E0409, d, model_where(d, "pin"),
						"the pipeline pins its actions by tag");
		diag_add_help(pl->bag, dg, "remove pin = tag: a tag can be moved to other code, "
			      "a commit SHA cannot");
	}
	if (!strcmp(pp->scan, "none")) {
		struct diag *dg = policy_breach(pl, DIAG_E0410, d, model_where(d, "scan"),
						"the pipeline runs no security scan");
		diag_add_help(pl->bag, dg, "set scan = trivy (or snyk): it runs before images are "
			      "built and fails on HIGH and CRITICAL findings");
	}
}

static void check_secrets(struct pol *pl)
{
	for (const struct model_decl *d = pl->m->decls; d; d = d->next) {
		if (strcmp(d->kind, "secret"))
			continue;
		const struct model_secret *s = d->object;
		policy_applies(pl, DIAG_E0411);
		policy_applies(pl, DIAG_E0427);
		if (blank(s->vault_path)) {
			struct diag *dg = policy_breach(pl, DIAG_E0427, d, model_where(d, "vault"),
							"secret '%s' has no path in the secret store",
							s->name);
			diag_add_help(pl->bag, dg, "set vault = \"production/app/%s\": where the "
				      "store keeps it", s->name);
		}
		if (s->rotate_ms > 0)
			continue;
		struct diag *dg = policy_breach(pl, DIAG_E0411, d, NULL,
						"secret '%s' declares no rotation", s->name);
		diag_add_help(pl->bag, dg, "add rotate = 720h, or however often the store rotates "
			      "it: the secret is re-read at that interval");
	}
}

/* The store itself: an app with secrets must name one. */
static void check_store(struct pol *pl)
{
	const struct model_decl *d = policy_decl_kind(pl, "app");
	if (!d || !pl->m->secret_count || !blank(pl->m->app.vault))
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0427, d, model_where(d, "vault"),
					"the app names no secret store");
	diag_add_help(pl->bag, dg, "set vault = \"aws-secretsmanager\", the ClusterSecretStore "
		      "every secret is read from, or remove the line for that default");
}

static void check_cloud(struct pol *pl)
{
	const struct model_decl *d = policy_decl_kind(pl, "cloud");
	if (!d || !pl->m->cloud)
		return;
	policy_applies(pl, DIAG_E0412);
	if (pl->m->cloud->audit)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0412, d, model_where(d, "audit"),
					"audit logging is turned off for %s", policy_subject(pl, d));
	diag_add_help(pl->bag, dg, "remove audit = false: CloudTrail and the load balancer's "
		      "access logs record who changed and who reached what");
}

/* A service with a port that nothing uses and no ingress is safe (the
 * network policies let nothing in) but probably a mistake: say so. */
static void note_unreachable(struct pol *pl)
{
	for (size_t i = 0; i < pl->m->service_count; i++) {
		const struct model_service *s = pl->m->services[i];
		if (s->port && !s->ingress.set && !model_service_used(s))
			policy_note(pl, DIAG_E0406, "service '%s' listens on port %d, but nothing uses "
				    "it and it has no ingress: nothing can reach it", s->name, s->port);
	}
}

static void note_secret_sinks(struct pol *pl)
{
	for (size_t i = 0; i < pl->m->service_count; i++) {
		const struct model_service *s = pl->m->services[i];
		for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
			policy_note(pl, DIAG_E0215, "secret '%s' reaches service '%s' as the secret "
				    "variable %s", r->secret->name, s->name, r->env);
		for (const struct model_composed *c = s->composed; c; c = c->next)
			for (const struct model_composed_part *p = c->parts; p; p = p->next)
				if (p->secret)
					policy_note(pl, DIAG_E0215, "secret '%s' reaches service '%s' "
						    "inside the composed secret variable %s, delivered as a "
						    "secret", p->secret->name, s->name, c->env);
	}
}

static int by_address(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const struct model_allow *const *)x;
	uintptr_t b = (uintptr_t)*(const struct model_allow *const *)y;
	return (a > b) - (a < b);
}

/* A search in the sorted list: one scan of it per allow made a file of
 * many allowed breaches quadratic. */
static bool used(const struct pol *pl, const struct model_allow *a)
{
	return pl->used_count &&
	       bsearch(&a, pl->used, pl->used_count, sizeof *pl->used, by_address);
}

/* A stale allow would silently cover the next breach of its rule. */
static void check_stale_allows(struct pol *pl)
{
	if (pl->used_count)
		qsort(pl->used, pl->used_count, sizeof *pl->used, by_address);
	for (const struct model_decl *d = pl->m->decls; d; d = d->next)
		for (const struct model_allow *a = d->allows; a; a = a->next) {
			const struct model_origin *at = allow_origin(pl, d, a);
			if (used(pl, a) || !at)
				continue;
			struct diag *dg = diag_emit(pl->bag, DIAG_W0050, at->src, at->span,
						    "allow %s matches no breach in %s", a->code,
						    policy_subject(pl, d));
			diag_add_help(pl->bag, dg, "remove it: %s holds here, and a stale exception "
				      "would hide its next breach", a->code);
		}
}

/* --allow CODE for a rule the file keeps is stale too. */
static void check_stale_flags(struct pol *pl)
{
	for (size_t i = 0; pl->o && i < pl->o->allow_count; i++) {
		const struct policy_rule *r = policy_rule_allowable(pl->o->allow[i]);
		if (!r || policy_rule_status(pl->r, (size_t)(r - rules)) == POLICY_ALLOWED)
			continue;
		struct diag *dg = diag_emit(pl->bag, DIAG_W0050, NULL, span_make(0, 0),
					    "--allow %s matches no breach in %s", r->id,
					    pl->m->source_name);
		diag_add_help(pl->bag, dg, "drop --allow %s: %s holds in this file", r->id, r->id);
	}
}

struct policy_result *policy_run(struct diag_bag *bag, struct arena *a, const struct model *m,
				 const struct policy_options *o)
{
	struct policy_result *r = arena_alloc(a, sizeof *r);
	r->source_name = m->source_name;
	r->findings_tail = &r->findings;
	r->notes_tail = &r->notes;
	r->applies = arena_calloc(a, RULE_COUNT, sizeof *r->applies);
	struct pol pl = { .bag = bag, .a = a, .m = m, .o = o, .r = r };
	find_unique(&pl);
	check_store(&pl);
	check_secrets(&pl);
	check_services(&pl);
	check_pipeline(&pl);
	check_cloud(&pl);
	policy_check_ops(&pl);
	policy_check_text(&pl);
	policy_check_egress(&pl);
	note_unreachable(&pl);
	note_secret_sinks(&pl);
	check_stale_allows(&pl);
	check_stale_flags(&pl);
	model_texts_free(&pl.texts);
	return r;
}
