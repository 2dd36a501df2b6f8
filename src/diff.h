/* diff.h - `depc diff FILE --env A --env B`: what an overlay changes.
 *
 * The comparison is on the models, field by field, not on generated
 * text: a text diff of YAML shows that a line moved, this shows that
 * `service api: replicas` went from 2 to 4.  Each change is then shown
 * with the generated files it touches, found by applying that one field
 * to the first model and running every backend, within a budget (see
 * diff.c). */
#ifndef DEPC_DIFF_H
#define DEPC_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "model.h"

/* Prints every difference from `a` to `b` on `out`; returns how many.
 * `a` is modified while a change's files are found and restored before
 * each return, so it is not const; `arena` holds the labels and a's own
 * output. */
size_t diff_models(struct arena *arena, struct model *a, const struct model *b,
		   const char *name_a, const char *name_b, FILE *out);

#endif
