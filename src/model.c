/* model.c - small queries backends share over the model. */
#include "model.h"

#include <stdio.h>
#include <string.h>

struct model_service *model_find_service(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (!strcmp(m->services[i]->name, name))
			return m->services[i];
	return NULL;
}

bool model_uses(const struct model_service *a, const struct model_service *b)
{
	for (size_t i = 0; i < a->uses_count; i++)
		if (a->uses[i] == b)
			return true;
	return false;
}

bool model_service_used(const struct model *m, const struct model_service *s)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (model_uses(m->services[i], s))
			return true;
	return false;
}

bool model_secret_used(const struct model *m, const struct model_secret *sec)
{
	for (size_t i = 0; i < m->service_count; i++)
		for (const struct model_secret_ref *r = m->services[i]->secrets; r; r = r->next)
			if (r->secret == sec)
				return true;
	return false;
}

/* Built images are pushed as REGISTRY/SERVICE:VERSION, so each service
 * of an app gets its own repository path under the registry. */
const char *model_service_image(const struct model *m, const struct model_service *s,
				char *buf, size_t size)
{
	if (s->image)
		return s->image;
	if (m->app.registry)
		snprintf(buf, size, "%s/%s:%s", m->app.registry, s->name, m->app.version);
	else
		snprintf(buf, size, "%s/%s:%s", m->app.name, s->name, m->app.version);
	return buf;
}
