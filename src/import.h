/* import.h - `depc import`: an existing Compose file to a .dep file.
 *
 * Reads compose.yaml with libyaml and writes the equivalent .dep,
 * formatted by fmt_source(): the app, a service per Compose service (its
 * image or its build, port, environment, dependencies, data volume,
 * health check, replicas, resources, rollout and restart policy), the
 * named volumes, and a secret declaration for every secret, whose value
 * is never copied (the vault path is a placeholder to fill in).  What
 * has no equivalent in depc is reported as a warning with its line and
 * column, never dropped in silence; man/depc.1 describes the mapping. */
#ifndef DEPC_IMPORT_H
#define DEPC_IMPORT_H

#include <stdio.h>

/* Imports `path` ("-" is standard input) into `out_path`, which must not
 * exist yet, or onto `out` when `out_path` is NULL.  Warnings and errors
 * go to `err`.  Returns 0 on success (warnings allowed), 1 when the YAML
 * is malformed or is not a Compose file, 2 on an I/O error. */
int import_compose(const char *path, const char *out_path, FILE *out, FILE *err);

#endif
