/* model.c - small queries backends share over the model. */
#include "model.h"

#include <stdio.h>
#include <string.h>

struct model_service *model_find_service(const struct model *m, const char *name)
{
	return strmap_get(&m->service_index, name);
}

bool model_uses(const struct model_service *a, const struct model_service *b)
{
	for (size_t i = 0; i < a->uses_count; i++)
		if (a->uses[i] == b)
			return true;
	return false;
}

bool model_service_used(const struct model_service *s)
{
	return s->used_by_count > 0;
}

bool model_secret_used(const struct model_secret *sec)
{
	return sec->reader_count > 0;
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

const struct model_origin *model_where(const struct model_decl *d, const char *path)
{
	for (const struct model_where *w = d ? d->where : NULL; w; w = w->next)
		if (!strcmp(w->path, path))
			return &w->at;
	return NULL;
}
