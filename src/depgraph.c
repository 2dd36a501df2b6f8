/* depgraph.c - the dependency graph of the services (see depgraph.h).
 *
 * One depth-first walk in source order gives both the start order (a
 * service is placed once everything it uses is) and the cycles (an edge
 * back to a service still on the walk's stack closes one).  The walks
 * keep their own stacks, so no chain is too long for them. */
#include "depgraph.h"

#include <stdlib.h>

#include "probe.h"

enum { WHITE, GREY, BLACK };

/* A frame of the walk: a node and the next of its edges to follow.  The
 * walk keeps its own stack, since a chain of a million services would
 * overflow the machine's. */
struct frame {
	size_t node;
	size_t edge;
};

struct walk {
	struct depgraph *g;
	struct arena *a;
	int *color;
	struct frame *stack;         /* the current path */
	size_t depth;
	size_t placed;               /* services in g->order so far */
	size_t cycles;               /* found, recorded or not */
	struct dep_cycle **tail;     /* where the next cycle is linked */
};

/* The node index of a service of this model: its place in m->services. */
static size_t index_of(const struct depgraph *g, const struct model_service *s)
{
	return s->index < g->count && g->nodes[s->index].service == s ? s->index : g->count;
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

/* Only the first DEPGRAPH_MAX_CYCLES paths are kept: past the error
 * limit no more are shown, and keeping every path of a graph with a
 * cycle per service would take memory in the square of its size. */
static void record_cycle(struct walk *w, size_t to)
{
	if (w->cycles++ >= DEPGRAPH_MAX_CYCLES)
		return;
	size_t start = 0;
	while (w->stack[start].node != to)
		start++;
	struct dep_cycle *c = arena_calloc(w->a, 1, sizeof *c);
	c->length = w->depth - start;
	c->path = arena_calloc(w->a, c->length, sizeof *c->path);
	for (size_t i = 0; i < c->length; i++)
		c->path[i] = w->g->nodes[w->stack[start + i].node].service;
	*w->tail = c;
	w->tail = &c->next;
}

static void push(struct walk *w, size_t i)
{
	w->color[i] = GREY;
	w->stack[w->depth++] = (struct frame){ i, 0 };
}

/* Depth-first from `root`: a node is placed in the order once all its
 * edges are followed, so after everything it uses. */
static void visit(struct walk *w, size_t root)
{
	push(w, root);
	while (w->depth) {
		struct frame *f = &w->stack[w->depth - 1];
		const struct dep_node *n = &w->g->nodes[f->node];
		if (f->edge == n->edge_count) {
			w->color[f->node] = BLACK;
			w->g->order[w->placed++] = n->service;
			w->depth--;
			continue;
		}
		size_t j = index_of(w->g, n->edges[f->edge++].to);
		if (j == w->g->count)
			continue;
		if (w->color[j] == GREY)
			record_cycle(w, j);
		else if (w->color[j] == WHITE)
			push(w, j);
	}
}

struct depgraph *depgraph_build(struct arena *a, const struct model *m)
{
	struct depgraph *g = arena_calloc(a, 1, sizeof *g);
	g->count = m->service_count;
	g->nodes = arena_calloc(a, g->count + 1, sizeof *g->nodes);
	g->order = arena_calloc(a, g->count + 1, sizeof *g->order);
	for (size_t i = 0; i < g->count; i++) {
		g->nodes[i].service = m->services[i];
		add_edges(a, &g->nodes[i]);
	}
	struct walk w = { g, a, arena_calloc(a, g->count + 1, sizeof(int)),
			  arena_calloc(a, g->count + 1, sizeof(struct frame)), 0, 0, 0, &g->cycles };
	for (size_t i = 0; i < g->count; i++)
		if (w.color[i] == WHITE)
			visit(&w, i);
	g->cycle_count = w.cycles;
	return g;
}

const struct dep_node *depgraph_node(const struct depgraph *g, const struct model_service *s)
{
	size_t i = index_of(g, s);
	return i < g->count ? &g->nodes[i] : NULL;
}

/* Depth-first from `from` with its own stack; `seen` keeps it linear,
 * and finite should it ever be asked of a graph with a cycle. */
static bool reaches(const struct depgraph *g, size_t from, size_t to, bool *seen,
		    size_t *stack)
{
	size_t depth = 0;
	stack[depth++] = from;
	seen[from] = true;
	while (depth) {
		const struct dep_node *n = &g->nodes[stack[--depth]];
		for (size_t e = 0; e < n->edge_count; e++) {
			size_t j = index_of(g, n->edges[e].to);
			if (j == to)
				return true;
			if (j < g->count && !seen[j]) {
				seen[j] = true;
				stack[depth++] = j;
			}
		}
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
	size_t *stack = calloc(g->count, sizeof *stack);
	if (!seen || !stack)
		abort(); /* as the arena does: no partial answer */
	bool r = reaches(g, from, to, seen, stack);
	free(seen);
	free(stack);
	return r;
}
