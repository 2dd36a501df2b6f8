/* check_registry.c - private registries: hosts, credentials, the push.
 *
 * Run on the model with the other whole-deployment rules.  A registry's
 * host is a host (a port allowed), never a URL: images name it as the
 * part before their first '/', so a scheme or a path could never match
 * one (E0360).  One host has one registry (E0250).  The credential is a
 * whole secret, since ECS reads {"username", "password"} from the
 * secret itself (E0361).  The pipeline logs in where it pushes:
 * `publish` names the registry app.registry is on (E0362, E0363).  A
 * registry nothing pulls from or pushes to is a warning (W0066).  An
 * image from a host no registry names is pulled without credentials,
 * as public images are; `--report` says so for the built ones. */
#include <stdlib.h>
#include <string.h>

#include "image_host.h"
#include "model.h"
#include "typed.h"
#include "validate.h"

struct place {
	const struct source *src;
	struct span span;
};

/* Where field `name` of declaration d was written, else its name (or
 * kind, for the pipeline), where a default it took belongs. */
static struct place at_field(const struct decl *d, const char *name)
{
	const struct tval *v = d->typed ? tblock_get(d->typed, name) : NULL;
	if (v && v->node)
		return (struct place){ v->node->src, v->node->span };
	const struct ast_node *b = d->block;
	return (struct place){ b->src, b->u.block.label ? b->u.block.label_span : b->u.block.kind_span };
}

static const struct decl *decl_of(struct program *p, const struct model_registry *r)
{
	return program_find(p, r->name);
}

/* "https://registry.acme.example/shop" -> "registry.acme.example". */
static const char *host_alone(struct arena *a, const char *s)
{
	const char *scheme = strstr(s, "://");
	const char *from = scheme ? scheme + 3 : s;
	return arena_strndup(a, from, strcspn(from, "/"));
}

/* HOST or HOST:PORT, the rest of Docker's rule for a registry host. */
static const char *host_port_problem(const char *s)
{
	const char *colon = strchr(s, ':');
	char host[256];
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	if (n >= sizeof host)
		return "not a host name: it is too long";
	memcpy(host, s, n);
	host[n] = '\0';
	if (validate_host(host))
		return "not a host name: a host has letters, digits, '-' and '.' only, as dot-separated parts";
	if (colon) {
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (!colon[1] || *end || port < 1 || port > 65535 || colon[1] == '+' || colon[1] == '-')
			return "not a host name and port: the port after ':' is a number from 1 to 65535";
	}
	return NULL;
}

/* NULL when `s` is HOST or HOST:PORT; otherwise what is wrong, as a
 * phrase after "host of registry 'x' is ". */
static const char *host_problem(const char *s)
{
	if (strstr(s, "://"))
		return "a URL: the host alone names a registry";
	if (strchr(s, '/'))
		return "a path: images add theirs after the host";
	if (strchr(s, '*'))
		return "a pattern: a registry has one host";
	return host_port_problem(s);
}

static void check_host(struct program *p, const struct model_registry *r)
{
	const char *why = host_problem(r->host);
	if (!why)
		return;
	struct place at = at_field(decl_of(p, r), "host");
	struct diag *d = diag_emit(p->diags, DIAG_E0360, at.src, at.span,
				   "host of registry '%s' is %s", r->name, why);
	const char *alone = host_alone(p->arena, r->host);
	if (*alone && strcmp(alone, r->host) && !host_problem(alone)) {
		diag_add_help(p->diags, d, "write the host alone: host = \"%s\"", alone);
		diag_set_fix(p->diags, d, at.span, arena_printf(p->arena, "\"%s\"", alone),
			     arena_printf(p->arena, "replace with \"%s\"", alone));
	} else {
		diag_add_help(p->diags, d, "write the registry's host name, as images name it before "
			      "their first '/': host = \"registry.example.com\"");
	}
}

/* True when registry i repeats an earlier one's host. */
static bool check_same_host(struct program *p, const struct model *m, size_t i)
{
	const struct model_registry *r = m->registries[i];
	for (size_t j = 0; j < i; j++) {
		const struct model_registry *first = m->registries[j];
		if (!image_host_same(first->host, r->host))
			continue;
		struct place at = at_field(decl_of(p, r), "host");
		struct place was = at_field(decl_of(p, first), "host");
		struct diag *d = diag_emit(p->diags, DIAG_E0250, at.src, at.span,
					   "registries '%s' and '%s' are both for host '%s'",
					   first->name, r->name, r->host);
		diag_add_label(p->diags, d, was.src, was.span, "'%s' declares it here", first->name);
		diag_add_help(p->diags, d, "an image is pulled with one credential: keep one "
			      "registry for %s", r->host);
		return true;
	}
	return false;
}

static void check_credential(struct program *p, const struct model_registry *r)
{
	if (!r->credential->property)
		return;
	struct place at = at_field(decl_of(p, r), "credential");
	const struct decl *sec = program_find(p, r->credential->name);
	struct place prop = at_field(sec, "property");
	struct diag *d = diag_emit(p->diags, DIAG_E0361, at.src, at.span,
				   "credential '%s' of registry '%s' is one property of a secret",
				   r->credential->name, r->name);
	diag_add_label(p->diags, d, prop.src, prop.span, "the property is chosen here");
	diag_add_help(p->diags, d, "ECS reads a pull credential as the whole secret, "
		      "{\"username\": ..., \"password\": ...}: declare a secret without `property` "
		      "for the registry");
}

static void check_unused(struct program *p, const struct model_registry *r)
{
	if (r->image_count || r->pushed || host_problem(r->host))
		return;
	const struct decl *d = decl_of(p, r);
	struct span span = d->block->u.block.label ? d->block->u.block.label_span : d->block->span;
	struct diag *dg = diag_emit(p->diags, DIAG_W0066, d->block->src, span,
				    "no image is pulled from registry '%s' (%s)", r->name, r->host);
	diag_add_help(p->diags, dg, "name an image HOST/NAME:TAG under %s, set app.registry under it, "
		      "or remove the registry", r->host);
}

/* --- the push ------------------------------------------------------------ */

static bool any_built(const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (m->services[i]->build)
			return true;
	return false;
}

/* Does `word`'s login reach `host` (ghcr.io, Docker Hub, an ECR)? */
static bool word_reaches(const char *word, const char *host)
{
	if (!strcmp(word, "ghcr"))
		return image_host_same(host, "ghcr.io");
	if (!strcmp(word, "dockerhub"))
		return image_host_same(host, IMAGE_HOST_DOCKER_HUB);
	size_t n = strlen(host);
	return n > 14 && !strcmp(host + n - 14, ".amazonaws.com") && strstr(host, ".dkr.ecr.");
}

static void check_publish(struct program *p, const struct model *m)
{
	const struct model_pipeline *pl = m->pipeline;
	char host[512];
	if (!pl || !any_built(m) || !m->app.registry || !image_host(m->app.registry, host, sizeof host))
		return;
	const struct decl *pd = program_find_kind(p, "pipeline");
	const struct decl *ad = program_find_kind(p, "app");
	struct place at = at_field(pd, "publish"), reg = at_field(ad, "registry");
	const struct model_registry *r = pl->publish_registry;
	if (r && !image_host_same(host, r->host)) {
		struct diag *d = diag_emit(p->diags, DIAG_E0362, at.src, at.span,
					   "the pipeline publishes to registry '%s' (%s), but app.registry "
					   "is on %s", r->name, r->host, host);
		diag_add_label(p->diags, d, reg.src, reg.span, "the images are named here");
		diag_add_help(p->diags, d, "set app.registry to \"%s/...\", or publish to the registry "
			      "of %s", r->host, host);
	} else if (!r && !word_reaches(pl->publish, host)) {
		const struct model_registry *own = NULL;
		for (size_t i = 0; i < m->registry_count; i++)
			if (image_host_same(host, m->registries[i]->host))
				own = m->registries[i];
		struct diag *d = diag_emit(p->diags, DIAG_E0363, at.src, at.span,
					   "the pipeline logs in to %s (publish = %s), but app.registry is on %s",
					   !strcmp(pl->publish, "ecr") ? "Amazon ECR" : !strcmp(pl->publish, "ghcr")
					   ? "ghcr.io" : "Docker Hub", pl->publish, host);
		diag_add_label(p->diags, d, reg.src, reg.span, "the images are pushed here");
		if (own)
			diag_add_help(p->diags, d, "publish = %s: the registry declared for %s", own->name, host);
		else
			diag_add_help(p->diags, d, "declare registry NAME { host = \"%s\"  credential = SECRET } "
				      "and set publish = NAME", host);
	}
}

void check_registries(struct program *p, const struct model *m)
{
	for (size_t i = 0; i < m->registry_count; i++) {
		check_host(p, m->registries[i]);
		check_credential(p, m->registries[i]);
		if (!check_same_host(p, m, i))
			check_unused(p, m->registries[i]); /* a repeated one is unused for that */
	}
	check_publish(p, m);
}
