/* check_program.c - rules about the deployment as a whole.
 *
 * Run on the model, after every declaration checked clean: the `uses`
 * graph has no cycles (a cycle has no start order, and depends_on would
 * deadlock), no service uses itself or a service without a port (there
 * would be no network path to allow), no two public services publish the
 * same host port, and probes that need a port have one. */
#include <stdlib.h>
#include <string.h>

#include "depgraph.h"
#include "model.h"
#include "typed.h"

static const struct ast_node *uses_entry(struct program *p, const char *from, const char *to)
{
	struct decl *d = program_find(p, from);
	struct tval *uses = d ? tblock_get(d->typed, "uses") : NULL;
	for (struct tval *v = uses ? uses->u.items : NULL; v; v = v->next)
		if (!strcmp(v->u.ref->name, to))
			return v->node;
	return d ? d->block : NULL;
}

/* Each cycle once, at the `uses` entry that closes it; the same graph
 * then orders every backend, which may assume it acyclic. */
static void check_cycles(struct program *p, struct model *m)
{
	m->deps = depgraph_build(p->arena, m);
	for (const struct dep_cycle *c = m->deps->cycles; c; c = c->next) {
		struct strbuf path;
		strbuf_init(&path);
		for (size_t i = 0; i < c->length; i++)
			strbuf_printf(&path, "%s -> ", c->path[i]->name);
		strbuf_puts(&path, c->path[0]->name);
		const struct ast_node *at = uses_entry(p, c->path[c->length - 1]->name,
						       c->path[0]->name);
		struct diag *d = diag_emit(p->diags, DIAG_E0311, at->src, at->span,
					   "services use each other in a cycle: %s", path.data);
		diag_add_help(p->diags, d, "a service can only start after the services it uses; "
			      "remove one of these `uses` entries");
		strbuf_free(&path);
	}
}

static void check_edges(struct program *p, struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++) {
		struct model_service *s = m->services[i];
		for (size_t u = 0; u < s->uses_count; u++) {
			struct model_service *t = s->uses[u];
			/* found only for a report that will be shown: a search
			 * per edge made one service using thousands quadratic */
			bool report = (t == s || !t->port) && !p->diags->overflow;
			const struct ast_node *at = report ? uses_entry(p, s->name, t->name) : NULL;
			if (!report)
				continue;
			if (t == s) {
				struct diag *d = diag_emit(p->diags, DIAG_E0320, at->src, at->span,
							   "service '%s' uses itself", s->name);
				diag_add_help(p->diags, d, "remove '%s' from its own `uses`", s->name);
			} else if (!t->port) {
				struct diag *d = diag_emit(p->diags, DIAG_E0321, at->src, at->span,
							   "'%s' uses '%s', which has no port",
							   s->name, t->name);
				diag_add_help(p->diags, d, "give '%s' a port, or remove it from `uses`",
					      t->name);
			}
		}
	}
}

/* Where service `name` sets `field` (a nested one as "health.readiness"),
 * falling back to the declaration, so a message points at the value. */
static const struct ast_node *field_node(struct program *p, const char *name, const char *field)
{
	struct decl *d = program_find(p, name);
	const struct tblock *b = d ? d->typed : NULL;
	const char *dot = strchr(field, '.');
	if (b && dot) {
		struct tval *sub = tblock_get(b, arena_strndup(p->arena, field, (size_t)(dot - field)));
		b = sub ? sub->u.block : NULL;
		field = dot + 1;
	}
	struct tval *v = b ? tblock_get(b, field) : NULL;
	return v && v->node ? v->node : d->block;
}

static void check_probe_port(struct program *p, const struct model_service *s,
			     const struct model_probe *pr, const char *which)
{
	if ((pr->kind != PROBE_HTTP && pr->kind != PROBE_TCP) || pr->port)
		return;
	const struct ast_node *at = field_node(p, s->name,
					       arena_printf(p->arena, "health.%s", which));
	struct diag *d = diag_emit(p->diags, DIAG_E0321, at->src, at->span,
				   "the %s probe of '%s' needs a port, and the service has none",
				   which, s->name);
	diag_add_help(p->diags, d, "set port = ... on the service, or give the probe one: %s",
		      pr->kind == PROBE_HTTP ? "http(\"/health\", port = 8080)" : "tcp(port = 8080)");
}

static void report_same_port(struct program *p, const struct model_service *first,
			     const struct model_service *s)
{
	const struct ast_node *at = field_node(p, s->name, "port");
	const struct ast_node *other = field_node(p, first->name, "port");
	struct diag *d = diag_emit(p->diags, DIAG_E0312, at->src, at->span,
				   "'%s' and '%s' both publish port %d", first->name, s->name, s->port);
	diag_add_label(p->diags, d, other->src, other->span, "'%s' publishes it here", first->name);
	diag_add_help(p->diags, d, "give one of them another port");
}

/* A published port is reported against the first service that
 * published it, found in a table by port rather than by a scan of the
 * services before it. */
static void check_ports(struct program *p, struct model *m)
{
	const struct model_service **first = NULL;
	for (size_t i = 0; i < m->service_count; i++) {
		struct model_service *s = m->services[i];
		check_probe_port(p, s, &s->health.liveness, "liveness");
		check_probe_port(p, s, &s->health.readiness, "readiness");
		check_probe_port(p, s, &s->health.startup, "startup");
		if (!s->ingress.set || s->port <= 0 || s->port > 65535)
			continue;
		if (!first) /* half a megabyte, needed only here */
			first = xcalloc(65536, sizeof *first);
		if (first[s->port])
			report_same_port(p, first[s->port], s);
		else
			first[s->port] = s;
	}
	free(first);
}

void check_model(struct program *p, struct model *m)
{
	check_cycles(p, m);
	check_edges(p, m);
	check_jobs_model(p, m);
	check_ports(p, m);
	check_units(p, m);
	check_text(p, m);
	check_generated_names(p, m);
	check_targets(p, m);
	check_registries(p, m);
	check_alert_tunings(p, m);
	check_portless(p, m);
	check_externals(p, m);
}
