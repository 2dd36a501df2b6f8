/* check_names.c - the names of what depc writes, made once and compared.
 *
 * Every name a backend derives from a declaration is listed here, in the
 * one table below, by the mappings of names.h that the backends call
 * too: Kubernetes objects of each kind, Terraform resources of each
 * type, Grafana's dashboard files.  Two declarations that map to one
 * generated name (secrets 'Key' and 'key', services 'db' and
 * 'db-headless', dashboards "Web Stats" and "web-stats") are an error
 * here with both places, instead of a build that fails on "two backends
 * both write" or Terraform that declares a resource twice; so is a name
 * an object of depc's own already has (a service 'allow-dns'), and one
 * too long for the file or object it becomes.
 *
 * Each generated name is a key "SPACE\nNAME" in one map: the space says
 * where names must differ (a Kubernetes kind, a Terraform resource type,
 * a directory).  Objects depc makes itself are entered first, with no
 * declaration behind them.  The work is one map insertion per generated
 * name, in an arena of its own freed at the end: each key is joined
 * from its pieces in one allocation, each service's Terraform label is
 * made once, and who holds a name is put in words only for a message. */
#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "output.h"
#include "program.h"
#include "strmap.h"
#include "typed.h"

/* --- the mappings -------------------------------------------------------- */

const char *names_k8s(struct arena *a, const char *name)
{
	char *n = arena_strdup(a, name);
	for (char *p = n; *p; p++)
		*p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
	return n;
}

const char *names_k8s_composed(struct arena *a, const char *service, const char *var)
{
	return names_k8s(a, arena_cat(a, service, "-", var, (char *)NULL));
}

const char *names_tf_label(struct arena *a, const char *name)
{
	char *s = arena_strdup(a, name);
	for (char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			*c = '_';
	if (isdigit((unsigned char)s[0]))
		return arena_cat(a, "_", s, (char *)NULL);
	return s;
}

const char *names_k8s_file(struct arena *a, const char *name, const char *suffix)
{
	return arena_cat(a, name, "-", suffix, (char *)NULL);
}

/* --- the table ------------------------------------------------------------ */

/* Who holds a generated name: depc itself, or a declaration or a part
 * of one, described by one or two names (see who()). */
enum holder_kind { OWN, DECLARED, COMPOSED, VOLUME, DASHBOARD };

struct holder {
	enum holder_kind kind;
	const char *a, *b;        /* DECLARED: kind, name; COMPOSED: variable,
				   * service; VOLUME: volume, service;
				   * DASHBOARD: title */
	const char *own;          /* depc's own: what the object is for */
	const char *help;         /* the fix when not a rename, or NULL */
	const struct source *src; /* where the declaration names it */
	struct span span;
};

/* Where two generated names must differ: the first character of each
 * key in the map, so a key costs one byte more than its name. */
enum space {
	K8S_SERVICE, K8S_POLICY, K8S_SECRET,
	TF_GROUP, TF_LOGS, TF_ROLE, TF_POLICY, TF_SECRET, TF_EFS, TF_IN, TF_OUT,
	GRAFANA_FILE, SPACE_COUNT
};

static const struct {
	enum diag_code code; /* for two declarations with one name there */
	const char *what;    /* "the Kubernetes Secret", before the name */
} spaces[SPACE_COUNT] = {
	[K8S_SERVICE] = { DIAG_E0224, "the Kubernetes Service" },
	[K8S_POLICY] = { DIAG_E0224, "the Kubernetes NetworkPolicy" },
	[K8S_SECRET] = { DIAG_E0224, "the Kubernetes Secret" },
	[TF_GROUP] = { DIAG_E0225, "the Terraform resource aws_security_group" },
	[TF_LOGS] = { DIAG_E0225, "the Terraform resource aws_cloudwatch_log_group" },
	[TF_ROLE] = { DIAG_E0225, "the Terraform resource aws_iam_role" },
	[TF_POLICY] = { DIAG_E0225, "the Terraform resource aws_iam_role_policy" },
	[TF_SECRET] = { DIAG_E0225, "the Terraform data source aws_secretsmanager_secret" },
	[TF_EFS] = { DIAG_E0225, "the Terraform resource aws_efs_file_system" },
	[TF_IN] = { DIAG_E0225, "the Terraform resource aws_vpc_security_group_ingress_rule" },
	[TF_OUT] = { DIAG_E0225, "the Terraform resource aws_vpc_security_group_egress_rule" },
	[GRAFANA_FILE] = { DIAG_E0223, "the file" },
};

struct namer {
	struct program *p;
	const struct model *m;
	struct arena *a;
	struct strmap taken;  /* space (one byte) and name -> struct holder */
	const char **labels;  /* each service's Terraform label, or NULL */
};

/* "secret 'Key'", "the volume 'data' of service 'db'". */
static const char *who(struct namer *n, const struct holder *h)
{
	switch (h->kind) {
	case DECLARED:
		return arena_printf(n->a, "%s '%s'", h->a, h->b);
	case COMPOSED:
		return arena_printf(n->a, "the composed secret %s of service '%s'", h->a, h->b);
	case VOLUME:
		return arena_printf(n->a, "the volume '%s' of service '%s'", h->a, h->b);
	case DASHBOARD:
		return arena_printf(n->a, "dashboard \"%s\"", h->a);
	case OWN:
		break;
	}
	return NULL;
}

static void report_clash(struct namer *n, enum space space, const char *name,
			 const struct holder *first, const struct holder *h)
{
	struct program *p = n->p;
	if (first->kind == OWN) {
		struct diag *d = diag_emit(p->diags, DIAG_E0226, h->src, h->span,
					   "%s becomes %s '%s', a name depc gives %s",
					   who(n, h), spaces[space].what, name, first->own);
		diag_add_help(p->diags, d, "give it another name");
		return;
	}
	const char *first_who = who(n, first);
	struct diag *d = diag_emit(p->diags, spaces[space].code, h->src, h->span,
				   "%s and %s both become %s '%s'", first_who, who(n, h),
				   spaces[space].what, name);
	diag_add_label(p->diags, d, first->src, first->span, "%s is here", first_who);
	if (h->help) {
		diag_add_help(p->diags, d, "%s", h->help);
		return;
	}
	diag_add_note(p->diags, d, "names that differ only in case, in '-' against '_', "
		      "or in characters the target cannot hold map to one name");
	diag_add_help(p->diags, d, "rename one of them");
}

#define MAX_PIECES 6

/* Enters the name joined from `pieces` (NULL-terminated) in `space` for
 * `h` (which must outlive the pass); a second holder is reported.  The
 * key, the space's tag and the name, is written once where it stays. */
static bool claim_pieces(struct namer *n, enum space space, const struct holder *h,
			 const char *const *pieces)
{
	size_t lens[MAX_PIECES], len = 1, count = 0;
	for (; pieces[count]; count++)
		len += lens[count] = strlen(pieces[count]);
	char *key = arena_alloc(n->a, len + 1), *at = key;
	*at++ = (char)('A' + (int)space);
	for (size_t i = 0; i < count; i++) {
		memcpy(at, pieces[i], lens[i]);
		at += lens[i];
	}
	*at = '\0';
	const struct holder *first = strmap_add(&n->taken, key, (void *)h);
	if (first != h)
		report_clash(n, space, key + 1, first, h);
	return first == h;
}

/* claim(n, space, h, "piece", ...): the name is the pieces joined. */
#define claim(n, space, h, ...) \
	claim_pieces(n, space, h, (const char *const[MAX_PIECES]){ __VA_ARGS__, NULL })

static void reserve(struct namer *n, enum space space, const char *name, const char *own)
{
	struct holder *h = arena_alloc(n->a, sizeof *h);
	h->kind = OWN;
	h->own = own;
	claim(n, space, h, name);
}

/* A generated name past what its target holds; the name itself is long,
 * so the message shows only its start. */
static void too_long(struct namer *n, const struct holder *h, const char *what,
		     const char *name, size_t max)
{
	struct diag *d = diag_emit(n->p->diags, DIAG_E0227, h->src, h->span,
				   "this name becomes %s of %zu bytes, longer than the %zu "
				   "bytes it may have", what, strlen(name), max);
	diag_add_note(n->p->diags, d, "%s is '%.32s...'", what, name);
	diag_add_help(n->p->diags, d, "give it a name %zu characters shorter",
		      strlen(name) - max);
}

/* --- who is who ------------------------------------------------------------ */

static const struct holder *declared(struct namer *n, const char *kind, const char *name,
				     const struct model_origin *fallback)
{
	struct holder *h = arena_alloc(n->a, sizeof *h);
	*h = (struct holder){ DECLARED, kind, name, NULL, NULL, fallback->src, fallback->span };
	const struct decl *d = program_find(n->p, name);
	if (d && d->block && !strcmp(d->kind->name, kind) && d->block->u.block.label) {
		h->src = d->block->src;
		h->span = d->block->u.block.label_span;
	}
	return h;
}

/* --- Kubernetes ---------------------------------------------------------- */

static void k8s_reserved(struct namer *n)
{
	reserve(n, K8S_POLICY, "default-deny", "the policy that denies all traffic not allowed");
	reserve(n, K8S_POLICY, "allow-dns", "the policy that lets every pod resolve names");
	reserve(n, K8S_POLICY, "acme-http01-solver",
		"the policy that lets cert-manager answer ACME challenges");
}

/* Service names are DNS labels already (E0315), so each maps to itself;
 * a StatefulSet's headless Service and an Ingress's TLS Secret are named
 * after it too. */
static void k8s_service(struct namer *n, const struct model_service *s, const struct holder *h)
{
	claim(n, K8S_SERVICE, h, s->name);
	if (s->stateful || s->volume)
		claim(n, K8S_SERVICE, h, s->name, "-headless");
	claim(n, K8S_POLICY, h, s->name);
	if (s->ingress.set)
		claim(n, K8S_SECRET, h, s->name, "-tls");
}

/* An ExternalSecret and the Secret it fills share the mapped name, and
 * its file is k8s/NAME-externalsecret.yaml: a secret's, or a registry's
 * pull credential's (emit_k8s_registry.c). */
static void k8s_secret(struct namer *n, const char *declared_name, const struct holder *h)
{
	const char *name = names_k8s(n->a, declared_name);
	const char *file = arena_printf(n->a, "%s.yaml", names_k8s_file(n->a, name, "externalsecret"));
	if (strlen(file) > NAMES_MAX_FILE)
		too_long(n, h, "the file name", file, NAMES_MAX_FILE);
	else if (strlen(name) > NAMES_MAX_K8S)
		too_long(n, h, "the Kubernetes Secret name", name, NAMES_MAX_K8S);
	else
		claim(n, K8S_SECRET, h, name);
}

/* A composed secret value gets a Secret of its own, named after its
 * service and variable: held by the string that composes it. */
static void k8s_composed(struct namer *n, const struct model_service *s)
{
	for (const struct model_composed *c = s->composed; c; c = c->next) {
		struct holder *h = arena_alloc(n->a, sizeof *h);
		*h = (struct holder){ COMPOSED, c->env, s->name, NULL, NULL, c->origin.src,
				      c->origin.span };
		const char *name = names_k8s_composed(n->a, s->name, c->env);
		const char *file = arena_printf(n->a, "%s.yaml",
						names_k8s_file(n->a, name, "externalsecret"));
		if (strlen(file) > NAMES_MAX_FILE)
			too_long(n, h, "the file name", file, NAMES_MAX_FILE);
		else if (strlen(name) > NAMES_MAX_K8S)
			too_long(n, h, "the Kubernetes Secret name", name, NAMES_MAX_K8S);
		else
			claim(n, K8S_SECRET, h, name);
	}
}

/* --- Terraform (ECS) ------------------------------------------------------- */

static void tf_reserved(struct namer *n)
{
	reserve(n, TF_GROUP, "alb", "the load balancer's security group");
	reserve(n, TF_GROUP, "endpoints", "the VPC endpoints' security group");
	reserve(n, TF_IN, "alb_https", "the load balancer's HTTPS rule");
	reserve(n, TF_IN, "alb_http", "the load balancer's HTTP rule");
	reserve(n, TF_LOGS, "flow_logs", "the VPC flow logs");
	reserve(n, TF_ROLE, "flow_logs", "the role that writes the VPC flow logs");
	reserve(n, TF_POLICY, "flow_logs", "the policy of the flow logs role");
	reserve(n, TF_ROLE, "github_deploy", "the role the GitHub deploy jobs assume");
	reserve(n, TF_POLICY, "github_deploy", "the policy of the deploy role");
	reserve(n, TF_POLICY, "github_deploy_jobs", "the deploy role's policy for the one-off jobs");
}

/* A service's label, made once for its own names and those of every
 * service that uses it or that it uses. */
static const char *tf_label(struct namer *n, const struct model_service *s)
{
	if (s->index >= n->m->service_count || n->m->services[s->index] != s)
		return names_tf_label(n->a, s->name); /* a job's container */
	if (!n->labels[s->index])
		n->labels[s->index] = names_tf_label(n->a, s->name);
	return n->labels[s->index];
}

/* The security group rules of emit_terraform_network.c, GROUP_RULE. */
static void tf_rules(struct namer *n, const struct model_service *s, const char *label,
		     const struct holder *h)
{
	if (s->ingress.set && s->port) {
		claim(n, TF_OUT, h, "alb_to_", label);
		claim(n, TF_IN, h, label, "_from_alb");
	}
	for (size_t i = 0; s->port && i < s->used_by_count; i++)
		claim(n, TF_IN, h, label, "_from_", tf_label(n, s->used_by[i]));
	for (size_t i = 0; i < s->uses_count; i++)
		if (s->uses[i]->port)
			claim(n, TF_OUT, h, label, "_to_", tf_label(n, s->uses[i]));
	claim(n, TF_OUT, h, label, "_endpoints");
	claim(n, TF_OUT, h, label, "_s3");
	claim(n, TF_OUT, h, label, "_registry");
	claim(n, TF_IN, h, "endpoints_from_", label);
	for (size_t i = 0; i < s->external_count; i++) {
		const struct model_external *e = s->externals[i];
		const char *external = names_tf_label(n->a, e->name);
		if (e->cidrs.count <= 1)
			claim(n, TF_OUT, h, label, "_to_", external);
		for (size_t c = 0; e->cidrs.count > 1 && c < e->cidrs.count; c++) {
			char number[24];
			snprintf(number, sizeof number, "_%zu", c + 1);
			claim(n, TF_OUT, h, label, "_to_", external, number);
		}
	}
	if (s->volume)
		claim(n, TF_OUT, h, label, "_nfs");
}

static void tf_service(struct namer *n, const struct model_service *s, const struct holder *h)
{
	const char *label = tf_label(n, s);
	claim(n, TF_GROUP, h, label);
	claim(n, TF_LOGS, h, label);
	claim(n, TF_ROLE, h, label, "_execution");
	claim(n, TF_ROLE, h, label, "_task");
	claim(n, TF_POLICY, h, label, "_secrets");
	tf_rules(n, s, label, h);
	if (!s->volume)
		return;
	/* The volume's file system and its group are made per service. */
	const char *vol = names_tf_label(n->a, s->volume->name);
	struct holder *vh = arena_alloc(n->a, sizeof *vh);
	*vh = *h;
	vh->kind = VOLUME;
	vh->a = s->volume->name;
	vh->b = s->name;
	vh->help = "on ECS each service has a volume of its own: give them one each";
	claim(n, TF_POLICY, h, label, "_volume");
	/* A volume two services share is one clash, said once. */
	if (claim(n, TF_EFS, vh, vol) && claim(n, TF_GROUP, vh, "efs_", vol))
		claim(n, TF_IN, vh, "efs_", vol, "_", label);
}

/* --- Grafana --------------------------------------------------------------- */

static void grafana_dashboard(struct namer *n, const struct model_dashboard *d)
{
	struct holder *h = arena_alloc(n->a, sizeof *h);
	*h = (struct holder){ DASHBOARD, d->title, NULL, NULL, NULL, d->origin.src,
			      d->origin.span };
	const char *file = arena_printf(n->a, "%s.json", output_slug(n->a, d->title));
	if (strlen(file) > NAMES_MAX_FILE)
		too_long(n, h, "the file name", file, NAMES_MAX_FILE);
	else
		claim(n, GRAFANA_FILE, h, "monitoring/grafana/", file);
}

/* --- the pass -------------------------------------------------------------- */

/* About how many names a service or job's container takes (at most, but
 * for the externals' rules): the map is sized once for all of them. */
static size_t names_of(const struct model_service *s, bool ecs)
{
	size_t n = 4;
	for (const struct model_composed *c = s->composed; c; c = c->next)
		n++;
	if (ecs)
		n += 16 + s->used_by_count + s->uses_count + 2 * s->external_count;
	return n;
}

static size_t names_expected(const struct model *m, bool ecs)
{
	size_t n = 16 + 2 * m->secret_count + m->registry_count;
	for (size_t i = 0; i < m->service_count; i++)
		n += names_of(m->services[i], ecs);
	for (size_t i = 0; i < m->job_count; i++)
		n += names_of(m->jobs[i]->run, ecs);
	for (const struct model_dashboard *d = m->monitor ? m->monitor->dashboards : NULL; d;
	     d = d->next)
		n++;
	return n;
}

void check_generated_names(struct program *p, const struct model *m)
{
	/* Everything here is scratch: a diagnostic copies what it says. */
	struct arena scratch;
	arena_init(&scratch);
	struct namer n = { p, m, &scratch, { 0 },
			   arena_calloc(&scratch, m->service_count, sizeof *n.labels) };
	strmap_init(&n.taken, &scratch);
	bool ecs = m->cloud && m->cloud->has_ecs && m->service_count > 0;
	strmap_reserve(&n.taken, names_expected(m, ecs));
	k8s_reserved(&n);
	if (ecs)
		tf_reserved(&n);
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		const struct holder *h = declared(&n, "service", s->name, &s->origin);
		k8s_service(&n, s, h);
		k8s_composed(&n, s);
		if (ecs)
			tf_service(&n, s, h);
	}
	/* A job's container has a service's objects, and a schedule its role. */
	for (size_t i = 0; i < m->job_count; i++) {
		const struct model_service *s = m->jobs[i]->run;
		const struct holder *h = declared(&n, "job", s->name, &s->origin);
		k8s_service(&n, s, h);
		k8s_composed(&n, s);
		if (!ecs)
			continue;
		tf_service(&n, s, h);
		if (model_job_scheduled(m->jobs[i])) {
			const char *label = tf_label(&n, s);
			claim(&n, TF_ROLE, h, label, "_schedule");
			claim(&n, TF_POLICY, h, label, "_schedule");
		}
	}
	for (size_t i = 0; i < m->secret_count; i++) {
		const struct model_secret *sec = m->secrets[i];
		const struct holder *h = declared(&n, "secret", sec->name, &sec->origin);
		k8s_secret(&n, sec->name, h);
		if (ecs && (model_secret_used(sec) || sec->puller_count))
			claim(&n, TF_SECRET, h, names_tf_label(n.a, sec->name));
	}
	for (size_t i = 0; i < m->registry_count; i++)
		if (m->registries[i]->image_count)
			k8s_secret(&n, m->registries[i]->name, declared(&n, "registry", m->registries[i]->name,
									&m->registries[i]->origin));
	for (const struct model_dashboard *d = m->monitor ? m->monitor->dashboards : NULL; d;
	     d = d->next)
		grafana_dashboard(&n, d);
	arena_free(&scratch);
}
