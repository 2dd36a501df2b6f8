/* check_rules.c - rules about one block that the type alone cannot say.
 *
 * Integer ranges (replicas >= 0, user never 0 = root), durations and
 * sizes that must be positive, and combinations: a service runs exactly one of an
 * image or a build, a data volume needs a mount point, autoscaling's
 * minimum is not above its maximum, the cloud provider is one depc knows,
 * `uses` names each service once, and an `allow` names policy rules of
 * its declaration's kind, each with a reason (check_allow.c). */
#include "typed.h"

#include <inttypes.h>
#include <string.h>

#include "suggest.h"
#include "strmap.h"
#include "validate.h"

struct limit {
	const char *kind, *field;
	int64_t min, max;
	const char *why; /* help text */
};

static const struct limit limits[] = {
	{ "service", "replicas", 0, 1000, "replicas are from 0 to 1000" },
	{ "service", "user", 1, 2147483647, "containers run as a non-root user; "
	  "leave `user` out for the default 10001, or use the image's own unprivileged user" },
	{ "service", "max_attempts", 0, 100, "from 0 to 100 restarts" },
	{ "job", "user", 1, 2147483647, "containers run as a non-root user; "
	  "leave `user` out for the default 10001, or use the image's own unprivileged user" },
	{ "job", "retries", 0, 100, "from 0 to 100 retries" },
	{ "health", "retries", 1, 100, "from 1 to 100 retries" },
	{ "rollout", "parallelism", 1, 1000, "at least one instance at a time" },
	{ "autoscale", "min", 1, 1000, "from 1 to 1000 instances" },
	{ "autoscale", "max", 1, 1000, "from 1 to 1000 instances" },
	{ "vpc", "zones", 1, 6, "from 1 to 6 availability zones" },
	{ "ecs", "cpu", 256, 16384, "Fargate cpu units are from 256 to 16384" },
	{ "ecs", "memory", 512, 122880, "Fargate memory is from 512 to 122880 MiB" },
};

/* Durations that may be zero; every other duration must be positive. */
static bool zero_allowed(const char *kind, const char *field)
{
	return !strcmp(kind, "health") && !strcmp(field, "start");
}

static void report_limit(struct checker *c, const struct limit *l, const struct tval *v)
{
	struct diag *d;
	if (!strcmp(l->field, "user") && v->u.i == 0) /* out of range, but say why */
		d = diag_emit(c->p->diags, DIAG_E0305, v->node->src, v->node->span,
			      "user 0 is root");
	else
		d = diag_emit(c->p->diags, DIAG_E0305, v->node->src, v->node->span,
			      "%s %" PRId64 " is out of range", l->field, v->u.i);
	diag_add_help(c->p->diags, d, "%s", l->why);
}

static void check_limits(struct checker *c, struct tblock *tb)
{
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		const struct limit *l = &limits[i];
		if (l->kind[0] != tb->kind->name[0] || strcmp(l->kind, tb->kind->name))
			continue;
		struct tval *v = tblock_get(tb, l->field);
		if (v && v->node && (v->u.i < l->min || v->u.i > l->max))
			report_limit(c, l, v);
	}
}

/* A zero duration or size is never meant: a check that may take no
 * time always fails, a volume of no bytes holds nothing. */
static void check_positive(struct checker *c, struct tblock *tb)
{
	for (size_t i = 0; i < tb->kind->field_count; i++) {
		const struct field *f = &tb->kind->fields[i];
		struct tval *v = tb->fields[i];
		if ((f->type != TY_DURATION && f->type != TY_SIZE) || !v || !v->node ||
		    v->u.i > 0 || zero_allowed(tb->kind->name, f->name))
			continue;
		struct diag *d = diag_emit(c->p->diags, DIAG_E0310, v->node->src, v->node->span,
					   "'%s' must be %s than zero", f->name,
					   f->type == TY_SIZE ? "larger" : "longer");
		if (f->def)
			diag_add_help(c->p->diags, d, "leave '%s' out for the default %s", f->name, f->def);
		else
			diag_add_help(c->p->diags, d, "'%s' is the %s", f->name, f->doc);
	}
}

static struct span name_span(const struct tblock *tb)
{
	const struct ast_node *n = tb->node;
	return n->u.block.label ? n->u.block.label_span : n->u.block.kind_span;
}

/* Compose rejects a depends_on list with repeats, and a repeat is a
 * slip anyway: each service is listed once. */
static struct tval *first_listed(struct tval *items, struct tval *v, struct strmap *seen)
{
	if (seen->arena)
		return strmap_add(seen, v->u.ref->name, v);
	struct tval *first = items;
	while (first != v && first->u.ref != v->u.ref)
		first = first->next;
	return first;
}

/* A long list (a gateway in front of thousands of services) indexes
 * the names it has met; a short one, most of them, is scanned. */
void check_uses_once(struct checker *c, struct tblock *tb)
{
	struct tval *uses = tblock_get(tb, "uses");
	struct strmap seen = { 0 };
	size_t n = 0;
	for (struct tval *v = uses ? uses->u.items : NULL; v && n <= 16; v = v->next)
		n++;
	if (n > 16)
		strmap_init(&seen, c->p->arena);
	for (struct tval *v = uses ? uses->u.items : NULL; v; v = v->next) {
		struct tval *first = first_listed(uses->u.items, v, &seen);
		if (first == v)
			continue;
		struct diag *d = diag_emit(c->p->diags, DIAG_E0323, v->node->src, v->node->span,
					   "'%s' is listed twice in `uses`", v->u.ref->name);
		diag_add_label(c->p->diags, d, first->node->src, first->node->span, "first listed here");
		diag_add_help(c->p->diags, d, "remove one of them");
	}
}

/* Text that comes from the standard library: its templates' default
 * volume names (postgres-data, ...) stand for volumes made with the
 * default settings when the deployment declares none of that name. */
static bool from_stdlib(const struct ast_node *n)
{
	return n->src && !strncmp(n->src->name, "<std>/", 6);
}

/* `volume = "db-data"` refers to `volume db-data { ... }` by name.  A
 * name written in the deployment that no volume declaration carries is a
 * slip (a typo, or a volume renamed on one side only) that would
 * otherwise quietly get a default-sized volume of its own. */
static void check_volume_declared(struct checker *c, struct tval *vol)
{
	struct decl *d = program_find(c->p, vol->u.s);
	if ((d && !strcmp(d->kind->name, "volume")) || from_stdlib(vol->node))
		return;
	struct diag *dg = diag_emit(c->p->diags, DIAG_E0235, vol->node->src, vol->node->span,
				    "volume '%s' is not declared", vol->u.s);
	if (c->p->diags->overflow)
		return; /* dropped past the error limit: no scan of every declaration */
	if (d)
		diag_add_note(c->p->diags, dg, "'%s' is a %s, not a volume", d->name, d->kind->name);
	struct suggest s;
	suggest_init(&s, vol->u.s);
	for (struct decl *v = c->p->decls; v; v = v->next)
		if (!strcmp(v->kind->name, "volume"))
			suggest_consider(&s, v->name);
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(c->p->diags, dg, "did you mean '%s'?", best);
		diag_set_fix(c->p->diags, dg, vol->node->span, arena_printf(c->p->arena, "\"%s\"", best),
			     arena_printf(c->p->arena, "replace with \"%s\"", best));
	} else {
		diag_add_help(c->p->diags, dg, "declare it: volume %s { size = 1Gi }", vol->u.s);
	}
}

static void check_service(struct checker *c, struct tblock *tb, const struct ast_node **set)
{
	const struct ast_node *n = tb->node;
	const char *why = validate_name(tb->label);
	if (why) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0315, n->src, name_span(tb),
					   "'%s' is not a valid service name: %s", tb->label, why);
		char fixed[128] = "";
		check_repair(TY_NAME, tb->label, fixed, sizeof fixed);
		if (*fixed) {
			diag_add_help(c->p->diags, d, "did you mean '%s'?", fixed);
			diag_set_fix(c->p->diags, d, name_span(tb), fixed,
				     arena_printf(c->p->arena, "rename to '%s'", fixed));
		}
		diag_add_note(c->p->diags, d, "service names become DNS names in Compose and Kubernetes");
	}
	size_t image = schema_field_index(tb->kind, schema_field(tb->kind, "image"));
	size_t build = schema_field_index(tb->kind, schema_field(tb->kind, "build"));
	if (!set[image] == !set[build]) {
		struct diag *d = diag_emit(c->p->diags, DIAG_E0316, n->src, name_span(tb),
					   set[image] ? "service '%s' sets both image and build"
						      : "service '%s' has neither an image nor a build",
					   tb->label);
		if (set[image]) {
			diag_add_label(c->p->diags, d, set[image]->src, set[image]->u.attr.name_span,
				       "image set here");
			diag_add_label(c->p->diags, d, set[build]->src, set[build]->u.block.kind_span,
				       "build set here");
		}
		diag_add_help(c->p->diags, d, set[image] ? "keep one: a published image, or a build from source"
				       : "set image = \"name:tag\", or use a template that builds, "
					 "such as node.nextjs(...)");
	}
	check_uses_once(c, tb);
	struct tval *vol = tblock_get(tb, "volume"), *data = tblock_get(tb, "data");
	if (vol && vol->node)
		check_volume_declared(c, vol);
	if (!vol != !data) {
		struct tval *has = vol ? vol : data;
		struct diag *d = diag_emit(c->p->diags, DIAG_E0322, has->node->src, has->node->span,
					   "'%s' is set without '%s'", vol ? "volume" : "data",
					   vol ? "data" : "volume");
		diag_add_help(c->p->diags, d, vol ? "add data = \"/path\": where the volume is "
			      "mounted in the container" : "add volume = \"NAME\": the volume "
			      "mounted at '%s'", vol ? "" : data->u.s);
		/* A template's data without the volume an unset took out. */
		if (!vol && tb->node && tb->node->kind == AST_BLOCK && tb->node->u.block.base)
			diag_add_help(c->p->diags, d, "or, to run without a volume, unset data "
				      "as well");
	}
}

static void check_autoscale(struct checker *c, struct tblock *tb)
{
	struct tval *min = tblock_get(tb, "min"), *max = tblock_get(tb, "max");
	if (!min || !max || min->u.i <= max->u.i)
		return;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0305, max->node->src, max->node->span,
				   "autoscale max %" PRId64 " is below min %" PRId64, max->u.i, min->u.i);
	diag_add_label(c->p->diags, d, min->node->src, min->node->span, "min set here");
}

static void check_cloud(struct checker *c, struct tblock *tb)
{
	if (!strcmp(tb->label, "aws"))
		return;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0313, tb->node->src, name_span(tb),
				   "cloud provider '%s' is not supported", tb->label);
	diag_add_help(c->p->diags, d, "write cloud aws { ... }");
}

/* Five fields, as GitHub Actions' `schedule` takes them: digits, '*',
 * ranges, steps and lists, or day and month names. */
static bool cron_field(const char *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789*/,-", f[i]) && !((f[i] | 0x20) >= 'a' && (f[i] | 0x20) <= 'z'))
			return false;
	return n > 0;
}

static void check_schedule(struct checker *c, struct tblock *tb)
{
	struct tval *v = tblock_get(tb, "schedule");
	if (!v)
		return;
	size_t fields = 0;
	bool ok = true;
	for (const char *p = v->u.s; *p;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (!n)
			break;
		ok &= cron_field(p, n);
		fields++;
		p += n;
	}
	if (ok && fields == 5)
		return;
	struct diag *d = diag_emit(c->p->diags, DIAG_E0421, v->node->src, v->node->span,
				   "schedule is not a cron expression of five fields");
	diag_add_help(c->p->diags, d, "write minute hour day month weekday, in UTC: "
		      "schedule = \"0 4 * * 1\" runs every Monday at 04:00");
}

void check_rules(struct checker *c, struct tblock *tb, const struct ast_node **set)
{
	check_allow(c->p, tb);
	check_limits(c, tb);
	check_positive(c, tb);
	if (!strcmp(tb->kind->name, "service"))
		check_service(c, tb, set);
	else if (!strcmp(tb->kind->name, "job"))
		check_job(c, tb, set);
	else if (!strcmp(tb->kind->name, "autoscale"))
		check_autoscale(c, tb);
	else if (!strcmp(tb->kind->name, "cloud"))
		check_cloud(c, tb);
	else if (!strcmp(tb->kind->name, "on"))
		check_schedule(c, tb);
}
