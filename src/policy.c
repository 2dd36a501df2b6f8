/* policy.c - the rule table, `allow`, and the rules about declarations.
 *
 * Runs on a model that checked clean (compile.c), so every field has its
 * type and every default is filled in; nodes come from the typed program
 * so a message points at the value that breaks a rule, or at the
 * declaration's name when the value is a default or missing.  A breach is
 * an error unless the declaration's `allow` map or --allow names its
 * code: then it is a warning that still prints, with the reason, so an
 * exception is never silent.  The rules about text (secrets in values,
 * plain-text traffic, connections outside `uses`, secret flow) are in
 * policy_text.c; the report writers in policy_report.c. */
#include "policy_impl.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#define ALL_KINDS "app|service|secret|volume|pipeline|cloud|monitor"

/* Report order: secrets, network, containers, supply chain, operations. */
static const struct policy_rule rules[] = {
	{ "E0402", DIAG_E0402, "no literal value under a name that looks like a secret", "service", NULL },
	{ "E0403", DIAG_E0403, "no string that looks like a key or token", ALL_KINDS, NULL },
	{ "E0404", DIAG_E0404, "no credentials inside a URL", ALL_KINDS, NULL },
	{ "E0215", DIAG_E0215, "secrets reach only secret sinks (secret files and variables)", NULL,
	  "the checker rejects every other use of a secret (E0215) and the model has no field "
	  "that could hold a secret's value" },
	{ "E0411", DIAG_E0411, "every secret declares its rotation", "secret", NULL },
	{ "E0405", DIAG_E0405, "traffic to and from outside the deployment is encrypted", "service", NULL },
	{ "E0406", DIAG_E0406, "services connect only along `uses`; network policies deny the rest",
	  "service", NULL },
	{ "E0305", DIAG_E0305, "containers run as a non-root user", NULL,
	  "the checker rejects user 0 (E0305); the default user is 10001" },
	{ "E0407", DIAG_E0407, "containers have a read-only root filesystem", "service", NULL },
	{ "capabilities", DIAG_CODE_COUNT, "containers drop every Linux capability", NULL,
	  "every backend drops ALL capabilities and forbids privilege escalation; "
	  "the language has no way to add one back" },
	{ "E0415", DIAG_E0415, "every container has cpu and memory limits", "service", NULL },
	{ "E0408", DIAG_E0408, "images are pinned to a version or a digest", "service", NULL },
	{ "E0409", DIAG_E0409, "CI actions are pinned to a commit SHA", "pipeline", NULL },
	{ "E0410", DIAG_E0410, "the pipeline runs a security scan", "pipeline", NULL },
	{ "E0401", DIAG_E0401, "every service has a health check", "service", NULL },
	{ "E0414", DIAG_E0414, "a failed rollout rolls back automatically", "service", NULL },
	{ "E0412", DIAG_E0412, "cloud audit logging is on", "cloud", NULL },
	{ "E0413", DIAG_E0413, "ingress access logging is on", "service", NULL },
};

#define RULE_COUNT (sizeof rules / sizeof rules[0])

size_t policy_rule_count(void) { return RULE_COUNT; }
const struct policy_rule *policy_rule_at(size_t i) { return i < RULE_COUNT ? &rules[i] : NULL; }

static size_t rule_index(enum diag_code code)
{
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (rules[i].code == code)
			return i;
	return 0;
}

const struct policy_rule *policy_rule_allowable(const char *code)
{
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (rules[i].kinds && !strcasecmp(rules[i].id, code))
			return &rules[i];
	return NULL;
}

/* --- allow { CODE = "reason" } ------------------------------------------ */

/* A rule that holds by construction or is enforced by the checker. */
static const struct policy_rule *enforced(const char *code)
{
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (!rules[i].kinds && !strcasecmp(rules[i].id, code))
			return &rules[i];
	return NULL;
}

static const char *kind_plural(const char *kind)
{
	return !strcmp(kind, "app") ? "the app" : !strcmp(kind, "pipeline") ? "the pipeline"
		: !strcmp(kind, "cloud") ? "the cloud" : !strcmp(kind, "monitor") ? "monitor"
		: !strcmp(kind, "service") ? "services" : !strcmp(kind, "secret") ? "secrets"
		: "volumes";
}

/* The AST entries of an `allow` map, written as a block or a map value. */
static const struct ast_node *allow_entries(const struct tval *map)
{
	const struct ast_node *e = map->node;
	return e->kind == AST_BLOCK ? e->u.block.body : e->u.attr.value->u.list.items;
}

static void check_allow_key(struct program *p, const struct tblock *tb,
			    const struct ast_node *entry)
{
	const char *code = entry->u.attr.name;
	const struct policy_rule *r = policy_rule_allowable(code);
	if (r && schema_enum_has(r->kinds, tb->kind->name))
		return;
	struct diag *d;
	const struct policy_rule *fixed = enforced(code);
	if (fixed) {
		d = diag_emit(p->diags, DIAG_E0416, entry->src, entry->u.attr.name_span,
			      "%s (%s) cannot be allowed", fixed->id, fixed->title);
		diag_add_note(p->diags, d, "%s", fixed->construction);
		return;
	}
	if (!r) {
		d = diag_emit(p->diags, DIAG_E0416, entry->src, entry->u.attr.name_span,
			      "'%s' is not a policy rule", code);
		diag_add_help(p->diags, d, "allow takes the code of a policy rule, E0401 to E0415; "
			      "`depc explain --list` lists them");
		return;
	}
	d = diag_emit(p->diags, DIAG_E0416, entry->src, entry->u.attr.name_span,
		      "%s (%s) is not a rule about %s", r->id, r->title, kind_plural(tb->kind->name));
	diag_add_help(p->diags, d, "%s is checked on %s only: allow it there",
		      r->id, kind_plural(r->kinds));
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

void policy_check_allow(struct program *p, const struct tblock *tb)
{
	const struct tval *map = tblock_get(tb, "allow");
	if (!map)
		return;
	for (const struct ast_node *e = allow_entries(map); e; e = e->next)
		if (e->kind == AST_ATTR)
			check_allow_key(p, tb, e);
	for (const struct tval *v = map->u.items; v; v = v->next) {
		if (!blank(v->u.s))
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_E0417, v->node->src, v->node->span,
					   "allow %s has no reason", v->key);
		diag_add_help(p->diags, d, "say why this declaration needs the exception: "
			      "%s = \"...\"; the reason is printed with every warning", v->key);
	}
}

/* --- breaches ---------------------------------------------------------- */

const char *policy_subject(struct pol *pl, const struct decl *d)
{
	if (d->kind->label == LABEL_NONE)
		return d->kind->name;
	if (!strcmp(d->kind->name, "cloud"))
		return arena_printf(pl->p->arena, "cloud %s", d->name);
	return arena_printf(pl->p->arena, "%s '%s'", d->kind->name, d->name);
}

const struct tval *policy_field(const struct decl *d, const char *block, const char *field)
{
	const struct tblock *b = d->typed;
	if (block) {
		const struct tval *sub = tblock_get(b, block);
		b = sub ? sub->u.block : NULL;
	}
	const struct tval *v = b ? tblock_get(b, field) : NULL;
	return v && v->node ? v : NULL;
}

static const struct tval *allow_entry(const struct decl *d, const char *code)
{
	const struct tval *map = tblock_get(d->typed, "allow");
	for (const struct tval *v = map ? map->u.items : NULL; v; v = v->next)
		if (!strcasecmp(v->key, code))
			return v;
	return NULL;
}

static bool allowed_by_flag(const struct pol *pl, const char *code)
{
	for (size_t i = 0; pl->o && i < pl->o->allow_count; i++)
		if (!strcasecmp(pl->o->allow[i], code))
			return true;
	return false;
}

static struct span name_span(const struct decl *d)
{
	const struct ast_node *b = d->block;
	return b->u.block.label ? b->u.block.label_span : b->u.block.kind_span;
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
static void label_template(struct pol *pl, struct diag *dg, const struct decl *d)
{
	const struct ast_node *base = d->block->u.block.base, *b = d->block;
	bool inside = dg->src == b->src && dg->span.start >= b->span.start &&
		      dg->span.end <= b->span.end;
	if (base && !inside && !template_lead_with_call(pl->p, dg, d))
		diag_add_label(pl->p->diags, dg, base->src, base->span,
			       "in %s '%s', made from this template", d->kind->name, d->name);
}

static void record(struct pol *pl, enum diag_code code, const struct decl *d,
		   const struct diag *dg, const char *reason)
{
	struct policy_finding *f = arena_alloc(pl->p->arena, sizeof *f);
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

struct diag *policy_breach(struct pol *pl, enum diag_code code, const struct decl *d,
			   const struct ast_node *n, const char *fmt, ...)
{
	const char *name = diag_code_name(code);
	const struct tval *allow = allow_entry(d, name);
	bool flag = !allow && allowed_by_flag(pl, name);
	va_list ap;
	va_start(ap, fmt);
	struct diag *dg = diag_vemit_as(pl->p->diags, code, allow || flag ? SEV_WARNING : SEV_ERROR,
					n ? n->src : d->block->src, n ? n->span : name_span(d),
					fmt, ap);
	va_end(ap);
	label_template(pl, dg, d);
	const char *reason = NULL;
	if (allow) {
		reason = printable(pl->p->arena, allow->u.s);
		diag_add_label(pl->p->diags, dg, allow->node->src, allow->node->span, "allowed here");
		diag_add_note(pl->p->diags, dg, "allowed: %s", reason);
	} else if (flag) {
		reason = arena_printf(pl->p->arena, "--allow %s", name);
		diag_add_note(pl->p->diags, dg, "allowed everywhere by --allow %s", name);
	}
	record(pl, code, d, dg, reason);
	return dg;
}

void policy_note(struct pol *pl, enum diag_code code, const char *fmt, ...)
{
	struct policy_note *n = arena_alloc(pl->p->arena, sizeof *n);
	va_list ap;
	va_start(ap, fmt);
	n->rule = rule_index(code);
	n->text = arena_vprintf(pl->p->arena, fmt, ap);
	va_end(ap);
	*pl->r->notes_tail = n;
	pl->r->notes_tail = &n->next;
}

static const struct ast_node *node_of(const struct tval *v)
{
	return v ? v->node : NULL;
}

/* --- services ------------------------------------------------------------ */

static void check_health(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	if (h->liveness.kind || h->readiness.kind || h->startup.kind)
		return;
	const struct tval *block = policy_field(d, NULL, "health");
	struct diag *dg = policy_breach(pl, DIAG_E0401, d, node_of(block),
					block ? "the health block of service '%s' has no probe"
					      : "service '%s' has no health check", s->name);
	diag_add_help(pl->p->diags, dg, "add health { liveness = http(\"/health\") }, or tcp() or "
		      "exec(...) for a service that does not speak HTTP");
}

static void check_resources(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	if (s->cpu.set && s->memory.set)
		return;
	const struct tval *block = policy_field(d, NULL, "resources");
	const char *what = !s->cpu.set && !s->memory.set ? "cpu and memory limits"
			   : !s->cpu.set ? "cpu limit" : "memory limit";
	struct diag *dg = policy_breach(pl, DIAG_E0415, d, node_of(block),
					"service '%s' has no %s", s->name, what);
	diag_add_help(pl->p->diags, dg, "add resources { %s%s%s } as request..limit",
		      s->cpu.set ? "" : "cpu = 100m..500m", !s->cpu.set && !s->memory.set ? "  " : "",
		      s->memory.set ? "" : "memory = 128Mi..256Mi");
}

static void check_container(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	if (!s->read_only) {
		struct diag *dg = policy_breach(pl, DIAG_E0407, d,
						node_of(policy_field(d, NULL, "read_only")),
						"service '%s' has a writable root filesystem", s->name);
		diag_add_help(pl->p->diags, dg, "remove read_only = false and list the directories "
			      "it writes in tmpfs = [\"/tmp\"], or mount a data volume there");
	}
	if (s->rollout.on_failure != ON_FAILURE_ROLLBACK) {
		const struct tval *v = policy_field(d, "rollout", "on_failure");
		struct diag *dg = policy_breach(pl, DIAG_E0414, d, node_of(v),
						"a failed rollout of service '%s' does not roll back",
						s->name);
		diag_add_help(pl->p->diags, dg, "set on_failure = rollback: a version that fails its "
			      "health checks is replaced by the last one that passed");
	}
}

static void check_ingress(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	if (!s->ingress.set)
		return;
	if (blank(s->ingress.tls_issuer)) {
		struct diag *dg = policy_breach(pl, DIAG_E0405, d,
						node_of(policy_field(d, "ingress", "tls")),
						"the ingress of service '%s' names no certificate issuer",
						s->name);
		diag_add_help(pl->p->diags, dg, "set tls = \"letsencrypt-prod\", a cert-manager "
			      "ClusterIssuer: the ingress serves HTTPS only");
	}
	if (!s->ingress.access_log) {
		struct diag *dg = policy_breach(pl, DIAG_E0413, d,
						node_of(policy_field(d, "ingress", "access_log")),
						"the ingress of service '%s' does not log requests", s->name);
		diag_add_help(pl->p->diags, dg, "remove access_log = false: access logs are the record "
			      "of who reached the service, and when");
	}
}

/* NULL when `image` is pinned: a digest, or a tag other than latest. */
static const char *unpinned(const char *image)
{
	if (strchr(image, '@'))
		return NULL;
	const char *slash = strrchr(image, '/');
	const char *colon = strchr(slash ? slash : image, ':');
	if (!colon)
		return "has no tag";
	return strcasecmp(colon + 1, "latest") ? NULL : "is tagged 'latest'";
}

static void check_built_image(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	const struct tval *build = tblock_get(d->typed, "build");
	if (!strcasecmp(s->build->version, "latest")) {
		struct diag *dg = policy_breach(pl, DIAG_E0408, d,
						node_of(policy_field(d, "build", "version")),
						"service '%s' is built on the runtime image tagged 'latest'",
						s->name);
		diag_add_help(pl->p->diags, dg, "give the runtime a release, e.g. version = \"20.11.0-alpine\"");
	}
	if (strcasecmp(pl->m->app.version, "latest"))
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0408, d, node_of(build),
					"the image built for service '%s' is tagged 'latest'", s->name);
	struct decl *app = program_find_kind(pl->p, "app");
	const struct tval *version = app ? policy_field(app, NULL, "version") : NULL;
	if (version)
		diag_add_label(pl->p->diags, dg, version->node->src, version->node->span,
			       "built images are tagged with the app's version");
	diag_add_help(pl->p->diags, dg, "set version = \"1.0.0\" in the app block%s: "
		      "deploys then name the release they run", app ? "" : " (app NAME { ... })");
}

static void check_image(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	if (s->build) {
		check_built_image(pl, d, s);
		return;
	}
	const char *why = unpinned(s->image);
	if (!why)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0408, d, node_of(policy_field(d, NULL, "image")),
					"the image of service '%s' %s", s->name, why);
	diag_add_help(pl->p->diags, dg, "pin a release, e.g. \"name:1.2.3\", or a digest "
		      "(name@sha256:...), so every deploy runs the image that was tested");
}

static void check_services(struct pol *pl)
{
	for (struct decl *d = pl->p->decls; d; d = d->next) {
		if (strcmp(d->kind->name, "service"))
			continue;
		const struct model_service *s = d->model;
		check_health(pl, d, s);
		check_resources(pl, d, s);
		check_container(pl, d, s);
		check_ingress(pl, d, s);
		check_image(pl, d, s);
	}
}

/* --- pipeline, secrets, cloud ----------------------------------------------- */

static void check_pipeline(struct pol *pl)
{
	struct decl *d = program_find_kind(pl->p, "pipeline");
	const struct model_pipeline *pp = pl->m->pipeline;
	if (!d || !pp)
		return;
	if (!pp->pin_sha) {
		struct diag *dg = policy_breach(pl, DIAG_E0409, d, node_of(policy_field(d, NULL, "pin")),
						"the pipeline pins its actions by tag");
		diag_add_help(pl->p->diags, dg, "remove pin = tag: a tag can be moved to other code, "
			      "a commit SHA cannot");
	}
	if (!strcmp(pp->scan, "none")) {
		struct diag *dg = policy_breach(pl, DIAG_E0410, d, node_of(policy_field(d, NULL, "scan")),
						"the pipeline runs no security scan");
		diag_add_help(pl->p->diags, dg, "set scan = trivy (or snyk): it runs before images are "
			      "built and fails on HIGH and CRITICAL findings");
	}
}

static void check_secrets(struct pol *pl)
{
	for (struct decl *d = pl->p->decls; d; d = d->next) {
		if (strcmp(d->kind->name, "secret"))
			continue;
		const struct model_secret *s = d->model;
		if (s->rotate_ms > 0)
			continue;
		struct diag *dg = policy_breach(pl, DIAG_E0411, d, NULL,
						"secret '%s' declares no rotation", s->name);
		diag_add_help(pl->p->diags, dg, "add rotate = 720h, or however often the store rotates "
			      "it: the secret is re-read at that interval");
	}
}

static void check_cloud(struct pol *pl)
{
	struct decl *d = program_find_kind(pl->p, "cloud");
	if (!d || !pl->m->cloud || pl->m->cloud->audit)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0412, d, node_of(policy_field(d, NULL, "audit")),
					"audit logging is turned off for %s", policy_subject(pl, d));
	diag_add_help(pl->p->diags, dg, "remove audit = false: CloudTrail and the load balancer's "
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

struct policy_result *policy_run(struct program *p, const struct model *m,
				 const struct policy_options *o)
{
	struct policy_result *r = arena_alloc(p->arena, sizeof *r);
	r->source_name = m->source_name;
	r->findings_tail = &r->findings;
	r->notes_tail = &r->notes;
	struct pol pl = { p, m, o, r };
	check_secrets(&pl);
	check_services(&pl);
	check_pipeline(&pl);
	check_cloud(&pl);
	policy_check_text(&pl);
	note_unreachable(&pl);
	return r;
}
