/* graph.c - `depc graph`: the service dependency graph as Graphviz dot.
 *
 * Reads only the model.  Nodes are services (box: built from source,
 * cylinder: stateful, ellipse: published image), labelled with their
 * port; edges follow `uses`; the public entry point gets an edge from an
 * "internet" node so the picture shows what is reachable from outside,
 * and the externals services use are dashed nodes with host and port,
 * what the services reach outside. */
#include "graph.h"

#include <stdio.h>

static void put_id(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static const char *shape_of(const struct model_service *s)
{
	if (s->stateful)
		return "cylinder";
	return s->build ? "box" : "ellipse";
}

static void put_service(FILE *out, const struct model_service *s)
{
	fputs("  ", out);
	put_id(out, s->name);
	fprintf(out, " [shape=%s, label=", shape_of(s));
	char label[160];
	if (s->port)
		snprintf(label, sizeof label, "%s\\n:%d", s->name, s->port);
	else
		snprintf(label, sizeof label, "%s", s->name);
	fprintf(out, "\"%s\"];\n", label);
}

void graph_write(FILE *out, const struct model *m)
{
	fputs("digraph ", out);
	put_id(out, m->app.name);
	fputs(" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n", out);
	bool public = false;
	for (size_t i = 0; i < m->service_count; i++) {
		put_service(out, m->services[i]);
		public |= m->services[i]->ingress.set;
	}
	if (public)
		fputs("  \"internet\" [shape=plaintext];\n", out);
	/* a host is letters, digits, '.', '-' and '*' (checked): no quoting */
	for (size_t i = 0; i < m->external_count; i++) {
		const struct model_external *e = m->externals[i];
		fputs("  ", out);
		put_id(out, e->name);
		fprintf(out, " [shape=component, style=dashed, label=\"%s\\n%s:%d\"];\n", e->name,
			e->host, e->port);
	}
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (s->ingress.set) {
			fputs("  \"internet\" -> ", out);
			put_id(out, s->name);
			fprintf(out, " [label=\"https %s\"];\n", s->ingress.host);
		}
		for (size_t u = 0; u < s->uses_count; u++) {
			fputs("  ", out);
			put_id(out, s->name);
			fputs(" -> ", out);
			put_id(out, s->uses[u]->name);
			fprintf(out, " [label=\":%d\"];\n", s->uses[u]->port);
		}
		for (size_t u = 0; u < s->external_count; u++) {
			fputs("  ", out);
			put_id(out, s->name);
			fputs(" -> ", out);
			put_id(out, s->externals[u]->name);
			fprintf(out, " [style=dashed, label=\"%s :%d\"];\n", s->externals[u]->protocol,
				s->externals[u]->port);
		}
	}
	fputs("}\n", out);
}
