/* backends.h - the table of backends: model in, files out.
 *
 * Each backend is one file, src/emit_<name>.c, that reads only the model
 * (model.h) and adds files to the output (output.h).  Adding a backend is
 * that file plus one line in backends.c.  A backend returns false only
 * when the output refused a file (o->error says why). */
#ifndef DEPC_BACKENDS_H
#define DEPC_BACKENDS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "output.h"

struct backend {
	const char *name; /* --target name */
	const char *doc;  /* what it writes */
	bool (*emit)(const struct model *m, struct output *o);
};

bool emit_docker(const struct model *m, struct output *o);
bool emit_compose(const struct model *m, struct output *o);
bool emit_k8s(const struct model *m, struct output *o);
bool emit_github(const struct model *m, struct output *o);
bool emit_terraform(const struct model *m, struct output *o);
bool emit_prometheus(const struct model *m, struct output *o);
bool emit_grafana(const struct model *m, struct output *o);

size_t backend_count(void);
const struct backend *backend_at(size_t i);
const struct backend *backend_find(const char *name);

#endif
