/* model_copy.h - the model, copied into an arena of its own.
 *
 * For `depc build`: the copy holds everything the backends read (every
 * object, string, name index, the dependency graph and the sources the
 * origins point into), so the compilation that made it can be freed
 * before they run.  Not copied: the policy's facts (model.decls, NULL
 * in the copy), which only the policy and the language server read.
 * A pointer field added to a model struct must be copied here too. */
#ifndef DEPC_MODEL_COPY_H
#define DEPC_MODEL_COPY_H

#include "arena.h"
#include "model.h"

struct model *model_copy(struct arena *a, const struct model *m);

#endif
