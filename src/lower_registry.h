/* lower_registry.h - registries into the model (lower_registry.c). */
#ifndef DEPC_LOWER_REGISTRY_H
#define DEPC_LOWER_REGISTRY_H

#include "model.h"
#include "program.h"

/* model.registries, each service's registry, the counts of pulls. */
void lower_registries(struct program *p, struct model *m);
/* model.pipeline's publish_registry, written or by default. */
void lower_publish(struct program *p, struct model *m);

#endif
