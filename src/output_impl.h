/* output_impl.h - between the in-memory tree (output.c) and the disk
 * (output_disk.c); not for backends. */
#ifndef DEPC_OUTPUT_IMPL_H
#define DEPC_OUTPUT_IMPL_H

#include "output.h"

#define OUTPUT_MANIFEST ".depc-manifest"

/* `to` as seen from directory `from`, both real absolute paths. */
const char *output_path_between(struct arena *a, const char *from, const char *to);

/* Makes the temporary directory beside DIR (parents first, leftovers
 * of interrupted builds removed); false with o->error set. */
bool output_disk_prepare(struct output *o);
/* Writes one finished file into the temporary directory. */
bool output_disk_write(struct output *o, struct output_file *f);
/* Everything after the backends: the refusals, the carry-over, the
 * exchange, the old tree's removal, the workflow. */
bool output_disk_commit(struct output *o, FILE *report);
/* --check: compares DIR (and the workflow) with the tree. */
enum output_status output_disk_compare(struct output *o, FILE *report);
/* Removes the temporary directory (nothing was committed). */
void output_disk_abandon(struct output *o);

/* A path relative to DIR that stays inside it: not empty or absolute, no
 * backslash, control character, empty, '.' or '..' component, and not
 * the manifest's own name.  output.c checks what backends add with it,
 * output_disk.c what a manifest on disk claims. */
bool output_safe_path(const char *p);

#endif
