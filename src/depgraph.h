/* depgraph.h - the one dependency graph every ordering comes from.
 *
 * Built once from the model by check_model, which diagnoses its cycles
 * (E0311); a model that reached a backend therefore has an acyclic
 * graph in m->deps.  A service depends on each service in its `uses`:
 * it must not start before them.  Each backend states that in its own
 * words (Compose depends_on conditions, Kubernetes init containers,
 * Terraform depends_on, CI job needs) and reads it only from here, so
 * the orderings cannot drift apart. */
#ifndef DEPC_DEPGRAPH_H
#define DEPC_DEPGRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "model.h"

/* What "started" means for an edge: a dependency whose container runs a
 * health check (the one Docker, Compose and ECS run) is waited for until
 * healthy, one without until it runs.  A published image with an HTTP or
 * TCP probe has no command to run it with, so only a Kubernetes probe
 * checks it: waiting for "healthy" in Compose would wait forever. */
enum dep_condition { DEP_STARTED, DEP_HEALTHY };

struct dep_edge {
	const struct model_service *to;
	enum dep_condition condition;
};

struct dep_node {
	const struct model_service *service;
	struct dep_edge *edges;      /* direct dependencies, in `uses` order */
	size_t edge_count;
};

/* A cycle path[0] -> ... -> path[length - 1] -> path[0], found when the
 * edge from path[length - 1] back to path[0] was followed. */
struct dep_cycle {
	const struct model_service **path;
	size_t length;
	struct dep_cycle *next;
};


struct depgraph {
	struct dep_node *nodes;      /* one per service, in source order */
	size_t count;
	/* Every service after all of its dependencies; among services free
	 * to go in either order, source order decides, so it is stable. */
	const struct model_service **order;
	struct dep_cycle *cycles;    /* the first DEPGRAPH_MAX_CYCLES; NULL when acyclic */
	size_t cycle_count;          /* all of them */
};

#define DEPGRAPH_MAX_CYCLES 64

/* A service using itself is no cycle here: check_model reports it as
 * E0320, and the graph leaves that edge out. */
struct depgraph *depgraph_build(struct arena *a, const struct model *m);

/* The node of s; NULL if s is not one of the model's services. */
const struct dep_node *depgraph_node(const struct depgraph *g, const struct model_service *s);

/* Does a depend on b, directly or through others? */
bool depgraph_reaches(const struct depgraph *g, const struct model_service *a,
		      const struct model_service *b);

#endif
