/* graph.c - `depc graph`: the service dependency graph as Graphviz dot.
 *
 * Reads only the model.  Nodes are services (box: built from source,
 * cylinder: stateful, ellipse: published image), labelled with their
 * port; edges follow `uses`; the public entry point gets an edge from an
 * "internet" node so the picture shows what is reachable from outside.
 * Jobs are hexagons (their schedule in the label), with their `uses` and
 * a dashed "before" edge to each service that waits for them; the
 * externals services use are dashed nodes with host and port. */
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
	for (size_t j = 0; j < m->job_count; j++) {
		const struct model_job *job = m->jobs[j];
		fputs("  ", out);
		put_id(out, job->name);
		fputs(" [shape=hexagon, label=", out);
		char label[320];
		snprintf(label, sizeof label, job->schedule ? "%s (%s)" : "%s", job->name,
			 job->schedule ? job->schedule : "");
		put_id(out, label);
		fputs("];\n", out);
		for (size_t u = 0; u < job->run->uses_count; u++) {
			fputs("  ", out);
			put_id(out, job->name);
			fputs(" -> ", out);
			put_id(out, job->run->uses[u]->name);
			fprintf(out, " [label=\":%d\"];\n", job->run->uses[u]->port);
		}
		for (size_t b = 0; b < job->before_count; b++) {
			fputs("  ", out);
			put_id(out, job->name);
			fputs(" -> ", out);
			put_id(out, job->before[b]->name);
			fputs(" [style=dashed, label=\"before\"];\n", out);
		}
	}
	fputs("}\n", out);
}
