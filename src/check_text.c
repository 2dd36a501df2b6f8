/* check_text.c - strings that some generated file cannot carry.
 *
 * Every string reaches its output through the escaper of that output's
 * context (escape.c), but a few contexts have no escape for some
 * characters: a Dockerfile instruction and a .dockerignore pattern end at
 * a line break whatever precedes it, and the workflow's lists of paths
 * are one path a line; PromQL takes metric and label names bare, so a
 * name is either a PromQL name or a way to rewrite the query; an image
 * tag is spliced into FROM and every image reference.  Such a value is an
 * error here, at the value as written, rather than a file that says
 * something else.  Runs on the model; spans come from the typed values. */
#include <string.h>

#include "escape.h"
#include "model.h"
#include "typed.h"

/* The typed block `block` of declaration `name`, or NULL: found once
 * per service, then asked for each field checked. */
static const struct tblock *block_of(struct program *p, const char *name, const char *block)
{
	struct decl *d = program_find(p, name);
	const struct tval *b = d && d->typed ? tblock_get(d->typed, block) : NULL;
	return b && b->type == TY_BLOCK ? b->u.block : NULL;
}

/* The typed value of `field` of block `b`, or NULL. */
static const struct tval *field_of(const struct tblock *b, const char *field)
{
	return b ? tblock_get(b, field) : NULL;
}

/* What makes `s`, which is not one line, so: its first control. */
static const char *first_break(struct arena *a, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '\n')
			return "a line break";
		if (*c == '\r')
			return "a carriage return";
		if (*c == '\t')
			return "a tab";
		if (*c < 0x20 || *c == 0x7f)
			return arena_printf(a, "the control character U+%04X", *c);
	}
	return "a Unicode line break or control character";
}

/* E0335: an empty entry names nothing; a Dockerfile COPY of "" fails and
 * an empty ignore line is no pattern. */
static bool not_empty(struct program *p, const char *svc, const char *field,
		      const struct tval *v)
{
	if (*v->u.s)
		return true;
	struct diag *d = diag_emit(p->diags, DIAG_E0335, v->node->src, v->node->span,
				   "'build.%s' of service '%s' has an empty entry", field, svc);
	diag_add_help(p->diags, d, "remove the entry, or name the file");
	return false;
}

/* E0330: `v` (a path or pattern of build.FIELD) must be one line. */
static void one_line_path(struct program *p, const char *svc, const char *field,
			  const struct tval *v, const char *where)
{
	if (!v || !v->node || v->type == TY_LIST || !not_empty(p, svc, field, v) ||
	    escape_is_one_line(v->u.s))
		return;
	struct diag *d = diag_emit(p->diags, DIAG_E0330, v->node->src, v->node->span,
				   "'build.%s' of service '%s' holds %s, which %s cannot hold",
				   field, svc, first_break(p->arena, v->u.s), where);
	diag_add_help(p->diags, d, "write the path without line breaks or control characters: "
		      "no escape carries them in a Dockerfile or a .dockerignore line");
}

static void check_paths(struct program *p, const struct model_service *s,
			const struct tblock *build, const char *field, const char *where)
{
	const struct tval *v = field_of(build, field);
	if (v && v->type == TY_LIST) {
		for (const struct tval *i = v->u.items; i; i = i->next)
			one_line_path(p, s->name, field, i, where);
	} else {
		one_line_path(p, s->name, field, v, where);
	}
}

/* W0077: `ignore` lists what is left out, and the .dockerignore writer
 * escapes a leading '!' so the line leaves out the file of that name
 * (escape_dockerignore); said, because to Docker '!' starts an exception,
 * which someone may have meant: it would put files back, after the
 * patterns that keep secrets and keys out. */
static void check_exceptions(struct program *p, const struct model_service *s,
			     const struct tblock *build)
{
	const struct tval *v = field_of(build, "ignore");
	for (const struct tval *i = v && v->type == TY_LIST ? v->u.items : NULL; i; i = i->next) {
		if (!i->node || i->type != TY_STRING || i->u.s[0] != '!')
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_W0077, i->node->src, i->node->span,
					   "'build.ignore' entry \"%s\" of service '%s' starts with '!', "
					   "which .dockerignore reads as an exception; depc leaves out "
					   "the file of that name instead", escape_comment(p->arena, i->u.s),
					   s->name);
		diag_add_help(p->diags, d, "`ignore` has no exceptions: to keep a file in the "
			      "build context, leave out only the paths around it");
	}
}

/* E0331: a Dockerfile ARG is one line; "\n" in it would reach the build
 * as the two characters '\' 'n'. */
static void check_args(struct program *p, const struct model_service *s,
		       const struct tblock *build)
{
	const struct tval *v = field_of(build, "args");
	for (const struct tval *i = v ? v->u.items : NULL; i; i = i->next) {
		if (!i->node || i->type != TY_STRING || escape_is_one_line(i->u.s))
			continue;
		struct diag *d = diag_emit(p->diags, DIAG_E0331, i->node->src, i->node->span,
					   "build argument '%s' of service '%s' holds %s, which a "
					   "Dockerfile ARG cannot hold", i->key, s->name,
					   first_break(p->arena, i->u.s));
		diag_add_help(p->diags, d, "pass multi-line text through `env`, or as a file "
			      "in the build context");
	}
}

/* E0334: Docker's tag grammar, [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static const char *tag_problem(const char *t)
{
	size_t n = strlen(t);
	if (!n)
		return "it is empty";
	if (n > 128)
		return "it is longer than 128 characters";
	if (t[0] == '.' || t[0] == '-')
		return "it starts with '.' or '-'";
	for (; *t; t++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *t))
			return "only letters, digits, '_', '.' and '-' may appear in a tag";
	return NULL;
}

static void check_version(struct program *p, const struct model_service *s,
			  const struct tblock *build)
{
	const struct tval *v = field_of(build, "version");
	const char *why = v && v->node && v->type == TY_STRING ? tag_problem(v->u.s) : NULL;
	if (!why)
		return;
	struct diag *d = diag_emit(p->diags, DIAG_E0334, v->node->src, v->node->span,
				   "'build.version' of service '%s' is not an image tag: %s",
				   s->name, why);
	diag_add_help(p->diags, d, "write the base image's tag, e.g. \"20.9.0-alpine\"");
}

/* The app's version tags every image depc builds, in Compose, the
 * manifests, the workflow's list of tags (one a line) and Terraform. */
static void check_app_version(struct program *p)
{
	struct decl *app = program_find_kind(p, "app");
	const struct tval *v = app && app->typed ? tblock_get(app->typed, "version") : NULL;
	const char *why = v && v->node && v->type == TY_STRING ? tag_problem(v->u.s) : NULL;
	if (!why)
		return;
	struct diag *d = diag_emit(p->diags, DIAG_E0334, v->node->src, v->node->span,
				   "the app's 'version' is not an image tag: %s", why);
	diag_add_help(p->diags, d, "it tags the images depc builds: write e.g. \"1.4.0\"");
}

/* E0332 and E0333: names PromQL takes bare. */
static void check_metric_name(struct program *p, const struct model_service *s,
			      const struct tblock *metrics, const char *field, bool label)
{
	const struct tval *v = field_of(metrics, field);
	if (!v || !v->node || v->type != TY_STRING)
		return;
	bool ok = label ? escape_promql_label_ok(v->u.s) : escape_promql_metric_ok(v->u.s);
	if (ok)
		return;
	struct diag *d = diag_emit(p->diags, label ? DIAG_E0333 : DIAG_E0332, v->node->src,
				   v->node->span, "'metrics.%s' of service '%s' is not a Prometheus "
				   "%s name", field, s->name, label ? "label" : "metric");
	diag_add_help(p->diags, d, label ? "a label name is letters, digits and '_', not starting "
		      "with a digit or \"__\", e.g. \"status\""
		      : "a metric name is letters, digits, '_' and ':', not starting with a "
		      "digit, e.g. \"http_requests_total\"");
}

static void check_service(struct program *p, const struct model_service *s)
{
	if (s->metrics.set) {
		const struct tblock *metrics = block_of(p, s->name, "metrics");
		check_metric_name(p, s, metrics, "requests_metric", false);
		check_metric_name(p, s, metrics, "latency_metric", false);
		check_metric_name(p, s, metrics, "status_label", true);
	}
	if (!s->build)
		return;
	const struct tblock *build = block_of(p, s->name, "build");
	check_paths(p, s, build, "context", "a build context path");
	check_paths(p, s, build, "manifests", "a Dockerfile COPY source");
	check_paths(p, s, build, "outputs", "a Dockerfile COPY");
	check_paths(p, s, build, "ignore", "a .dockerignore pattern");
	check_exceptions(p, s, build);
	check_args(p, s, build);
	check_version(p, s, build);
}

void check_text(struct program *p, struct model *m)
{
	check_app_version(p);
	for (size_t i = 0; i < m->service_count; i++)
		check_service(p, m->services[i]);
	for (size_t i = 0; i < m->job_count; i++)  /* a job's build, as a service's */
		check_service(p, m->jobs[i]->run);
}
