/* depgraph.c - the dependency graph of the services (see depgraph.h).
 *
 * One depth-first walk in source order gives both the start order (a
 * service is placed once everything it uses is) and the cycles (an edge
 * back to a service still on the walk's stack closes one).  Recursion is
 * bounded by the length of one file's `uses` chains. */
#include "depgraph.h"

#include <stdint.h>
#include <stdlib.h>

#include "probe.h"

enum { WHITE, GREY, BLACK };

struct walk {
	struct depgraph *g;
	struct arena *a;
	int *color;
	size_t *stack;               /* node indexes on the current path */
	size_t depth;
	size_t placed;               /* services in g->order so far */
	struct dep_cycle **tail;     /* where the next cycle is linked */
};

/* The node index of a service: a binary search of the services sorted
 * by address, so large programs do not pay a scan per edge.  Only
 * lookups use that order; nothing written depends on it. */
static int by_service(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct dep_slot *)a)->service;
	uintptr_t y = (uintptr_t)((const struct dep_slot *)b)->service;
	return (x > y) - (x < y);
}

static size_t index_of(const struct depgraph *g, const struct model_service *s)
{
	struct dep_slot key = { s, 0 };
	const struct dep_slot *hit = bsearch(&key, g->slots, g->count, sizeof *g->slots, by_service);
	return hit ? hit->index : g->count;
}

static void add_edges(struct arena *a, struct dep_node *n)
{
	const struct model_service *s = n->service;
	n->edges = arena_calloc(a, s->uses_count + 1, sizeof *n->edges);
	for (size_t u = 0; u < s->uses_count; u++) {
		const struct model_service *t = s->uses[u];
		if (t == s)
			continue;
		n->edges[n->edge_count].to = t;
		n->edges[n->edge_count].condition = probe_command(a, t, &t->health.check).count
			? DEP_HEALTHY : DEP_STARTED;
		n->edge_count++;
	}
}

static void record_cycle(struct walk *w, size_t to)
{
	size_t start = 0;
	while (w->stack[start] != to)
		start++;
	struct dep_cycle *c = arena_calloc(w->a, 1, sizeof *c);
	c->length = w->depth - start;
	c->path = arena_calloc(w->a, c->length, sizeof *c->path);
	for (size_t i = 0; i < c->length; i++)
		c->path[i] = w->g->nodes[w->stack[start + i]].service;
	*w->tail = c;
	w->tail = &c->next;
}

static void visit(struct walk *w, size_t i)
{
	const struct dep_node *n = &w->g->nodes[i];
	w->color[i] = GREY;
	w->stack[w->depth++] = i;
	for (size_t e = 0; e < n->edge_count; e++) {
		size_t j = index_of(w->g, n->edges[e].to);
		if (j == w->g->count)
			continue;
		if (w->color[j] == GREY)
			record_cycle(w, j);
		else if (w->color[j] == WHITE)
			visit(w, j);
	}
	w->depth--;
	w->color[i] = BLACK;
	w->g->order[w->placed++] = n->service;
}

struct depgraph *depgraph_build(struct arena *a, const struct model *m)
{
	struct depgraph *g = arena_calloc(a, 1, sizeof *g);
	g->count = m->service_count;
	g->nodes = arena_calloc(a, g->count + 1, sizeof *g->nodes);
	g->order = arena_calloc(a, g->count + 1, sizeof *g->order);
	g->slots = arena_calloc(a, g->count + 1, sizeof *g->slots);
	for (size_t i = 0; i < g->count; i++) {
		g->nodes[i].service = m->services[i];
		g->slots[i] = (struct dep_slot){ m->services[i], i };
		add_edges(a, &g->nodes[i]);
	}
	qsort(g->slots, g->count, sizeof *g->slots, by_service);
	struct walk w = { g, a, arena_calloc(a, g->count + 1, sizeof(int)),
			  arena_calloc(a, g->count + 1, sizeof(size_t)), 0, 0, &g->cycles };
	for (size_t i = 0; i < g->count; i++)
		if (w.color[i] == WHITE)
			visit(&w, i);
	return g;
}

const struct dep_node *depgraph_node(const struct depgraph *g, const struct model_service *s)
{
	size_t i = index_of(g, s);
	return i < g->count ? &g->nodes[i] : NULL;
}

/* Depth-first from `from`; `seen` keeps it linear, and finite should it
 * ever be asked of a graph with a cycle. */
static bool reaches(const struct depgraph *g, size_t from, size_t to, bool *seen)
{
	const struct dep_node *n = &g->nodes[from];
	seen[from] = true;
	for (size_t e = 0; e < n->edge_count; e++) {
		size_t j = index_of(g, n->edges[e].to);
		if (j == to || (j < g->count && !seen[j] && reaches(g, j, to, seen)))
			return true;
	}
	return false;
}

bool depgraph_reaches(const struct depgraph *g, const struct model_service *a,
		      const struct model_service *b)
{
	size_t from = index_of(g, a), to = index_of(g, b);
	if (from == g->count || to == g->count)
		return false;
	bool *seen = calloc(g->count, sizeof *seen);
	if (!seen)
		abort(); /* as the arena does: no partial answer */
	bool r = reaches(g, from, to, seen);
	free(seen);
	return r;
}
