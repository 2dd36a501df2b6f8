/* lower_registry.c - registries into the model, and who pulls from them.
 *
 * A service is pulled with a registry's credential when its image (the
 * published one, or REGISTRY/NAME:VERSION for a built one) names the
 * registry's host; each registry counts its images and each credential
 * its pullers, so the backends write pull secrets only where an image
 * needs them.  The pipeline pushes to the registry `publish` names; left
 * out, it is the registry declared for app.registry's host, except on
 * ghcr.io, where the job's own token (publish = ghcr) is the least
 * privilege. */
#include "lower_registry.h"

#include <string.h>

#include "image_host.h"
#include "typed.h"

static struct model_registry *lower_one(struct program *p, struct decl *d)
{
	struct model_registry *r = arena_calloc(p->arena, 1, sizeof *r);
	const struct tval *host = tblock_get(d->typed, "host");
	const struct tval *cred = tblock_get(d->typed, "credential");
	r->name = d->name;
	r->host = host->u.s;
	r->credential = cred->u.ref->model;
	r->origin = lower_origin(d->block);
	return r;
}

static struct model_registry *registry_of(const struct model *m, const char *image)
{
	for (size_t i = 0; i < m->registry_count; i++)
		if (image_under_host(image, m->registries[i]->host))
			return m->registries[i];
	return NULL;
}

static void attach_registry(const struct model *m, struct model_service *s)
{
	char buf[1024];
	s->registry = registry_of(m, model_service_image(m, s, buf, sizeof buf));
	if (s->registry) {
		s->registry->image_count++;
		s->registry->credential->puller_count++;
	}
}

/* After the secrets, services and jobs, before the pipeline. */
void lower_registries(struct program *p, struct model *m)
{
	size_t n = 0;
	for (struct decl *d = p->decls; d; d = d->next)
		n += !strcmp(d->kind->name, "registry");
	m->registries = arena_calloc(p->arena, n + 1, sizeof *m->registries);
	for (struct decl *d = p->decls; d; d = d->next)
		if (!strcmp(d->kind->name, "registry"))
			m->registries[m->registry_count++] = d->model = lower_one(p, d);
	/* a job's container pulls an image too: its own, or its service's */
	for (size_t i = 0; m->registry_count && i < model_container_count(m); i++)
		attach_registry(m, model_container_at(m, i));
}

static bool any_built(const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (m->services[i]->build)
			return true;
	return false;
}

/* After the pipeline: which registry it pushes to. */
void lower_publish(struct program *p, struct model *m)
{
	struct decl *d = program_find_kind(p, "pipeline");
	struct model_pipeline *pl = m->pipeline;
	if (!d || !pl)
		return;
	const struct tval *v = tblock_get(d->typed, "publish");
	if (!pl->publish)
		pl->publish = "ghcr";
	if (v && v->type == TY_REF) {
		pl->publish_registry = v->u.ref->model;
	} else if ((!v || !v->node) && m->app.registry) {
		struct model_registry *r = registry_of(m, m->app.registry);
		char host[512];
		if (r && image_host(m->app.registry, host, sizeof host) && strcmp(host, "ghcr.io"))
			pl->publish_registry = r;
	}
	if (pl->publish_registry) {
		pl->publish = pl->publish_registry->name;
		pl->publish_registry->pushed = any_built(m);
	}
}
