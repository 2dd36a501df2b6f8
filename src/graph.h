/* graph.h - the `uses` graph in Graphviz dot (depc graph). */
#ifndef DEPC_GRAPH_H
#define DEPC_GRAPH_H

#include <stdio.h>

#include "model.h"

void graph_write(FILE *out, const struct model *m);

#endif
