/* test_k8s.c - the Kubernetes backend's NetworkPolicies allow exactly
 * what the source declares, no more and no less.
 *
 * Each example (and each of its `env` overlays) is compiled through the
 * compile.h API and emitted with emit_k8s; the NetworkPolicies are read
 * back with libyaml and flattened into edges "FROM -> TO PROTO/PORT",
 * one set for what the receiving pods admit (ingress rules) and one for
 * what the sending pods may open (egress rules).  Those sets must equal
 * the ones computed here from the model alone:
 *   ingress  the ingress controller's namespace -> the service's port;
 *   uses     user -> used service's port, on both sides;
 *   metrics  Prometheus pods (any namespace) -> the metrics port, when
 *            the monitor block scrapes inside the cluster;
 *   tls      the controller's namespace -> cert-manager's HTTP-01 solver
 *            on 8089, once per controller;
 *   dns      every pod -> kube-dns in kube-system, UDP and TCP 53.
 * A rule without ports or peers, an empty selector where a service was
 * meant, or a selector that is not one service of this app shows up as
 * an edge no rule predicts, so it fails.  The namespace must also hold
 * a default-deny policy isolating every pod in both directions. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <yaml.h>

#include "backends.h"
#include "compile.h"
#include "escape.h"
#include "unit.h"

#define PROMETHEUS "ns:*/pod:app.kubernetes.io/name=prometheus"
#define SOLVER "pod:acme.cert-manager.io/http01-solver=true"
#define DNS "ns:kube-system/pod:k8s-app=kube-dns"

/* --- sets of edges ---------------------------------------------------------- */

struct edges {
	const char **items;
	size_t count, cap;
};

static void add(struct arena *a, struct edges *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct arena *a, struct edges *e, const char *fmt, ...)
{
	if (e->count == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 16;
		const char **grown = arena_calloc(a, e->cap, sizeof *grown);
		if (e->count)
			memcpy(grown, e->items, e->count * sizeof *grown);
		e->items = grown;
	}
	va_list ap;
	va_start(ap, fmt);
	e->items[e->count++] = arena_vprintf(a, fmt, ap);
	va_end(ap);
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void normalise(struct edges *e)
{
	if (!e->count)
		return;
	qsort(e->items, e->count, sizeof *e->items, by_string);
	size_t n = 1;
	for (size_t i = 1; i < e->count; i++)
		if (strcmp(e->items[i], e->items[n - 1]))
			e->items[n++] = e->items[i];
	e->count = n;
}

/* Equal sets; the differences go to stderr, so a failure says which edge. */
static bool same(const char *what, const char *input, struct edges *want, struct edges *got)
{
	normalise(want);
	normalise(got);
	bool ok = true;
	size_t i = 0, j = 0;
	while (i < want->count || j < got->count) {
		int c = i == want->count ? 1 : j == got->count ? -1
			: strcmp(want->items[i], got->items[j]);
		if (c)
			fprintf(stderr, "\n%s %s: %s %s", input, what,
				c < 0 ? "missing" : "unexpected", c < 0 ? want->items[i] : got->items[j]);
		ok &= c == 0;
		i += c <= 0;
		j += c >= 0;
	}
	return ok;
}

/* --- what the model says ------------------------------------------------------ */

static bool scraped(const struct model *m, const struct model_service *s)
{
	return s->metrics.set && s->metrics.port > 0 && m->monitor &&
	       strcmp(m->monitor->discovery, "static") != 0;
}

/* What one pod (a service's, or a job's) may reach: what it uses, its
 * externals' addresses or every public one. */
static void expected_out(struct arena *a, const struct model_service *s, struct edges *in,
			 struct edges *out)
{
	for (size_t j = 0; j < s->uses_count; j++) {
		const struct model_service *u = s->uses[j];
		add(a, in, "pod:%s -> pod:%s TCP/%d", s->name, u->name, u->port);
		add(a, out, "pod:%s -> pod:%s TCP/%d", s->name, u->name, u->port);
	}
	for (size_t j = 0; j < s->external_count; j++) {
		const struct model_external *e = s->externals[j];
		for (size_t c = 0; c < e->cidrs.count; c++)
			add(a, out, "pod:%s -> ip:%s TCP/%d", s->name, e->cidrs.items[c], e->port);
		if (e->cidrs.count)
			continue;
		const char *except = "";
		for (size_t x = 0; x < model_nonpublic_count(); x++)
			except = arena_printf(a, "%s%s%s", except, x ? "," : "", model_nonpublic_at(x));
		add(a, out, "pod:%s -> ip:0.0.0.0/0 except %s TCP/%d", s->name, except, e->port);
	}
}

static void expected(struct arena *a, const struct model *m, struct edges *in, struct edges *out)
{
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (s->ingress.set) {
			add(a, in, "ns:%s -> pod:%s TCP/%d", s->ingress.controller, s->name, s->port);
			add(a, in, "ns:%s -> " SOLVER " TCP/8089", s->ingress.controller);
		}
		if (scraped(m, s))
			add(a, in, PROMETHEUS " -> pod:%s TCP/%d", s->name, s->metrics.port);
		expected_out(a, s, in, out);
	}
	/* a job's pod takes no connection; it reaches what it uses */
	for (size_t i = 0; i < m->job_count; i++)
		expected_out(a, m->jobs[i]->run, in, out);
	add(a, out, "pod:* -> " DNS " UDP/53");
	add(a, out, "pod:* -> " DNS " TCP/53");
}

/* --- what the policies say ------------------------------------------------------ */

struct reader {
	struct arena *a;
	yaml_document_t *doc;
	const char *app;
	struct edges in, out;
	bool default_deny;
};

static yaml_node_t *get(struct reader *r, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(r->doc, p->value);
	}
	return NULL;
}

static const char *text(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static size_t length(yaml_node_t *n)
{
	if (n && n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (n && n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	return 0;
}

static yaml_node_t *item(struct reader *r, yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(r->doc, seq->data.sequence.items.start[i]);
}

/* matchLabels as "k=v,k=v" in file order; "*" when empty; a service of
 * this app (name and instance) as its name.  matchExpressions are never
 * written by depc, so they come out as something no rule expects. */
static const char *labels(struct reader *r, yaml_node_t *selector)
{
	yaml_node_t *ml = get(r, selector, "matchLabels");
	if (get(r, selector, "matchExpressions"))
		return "matchExpressions";
	if (!length(ml))
		return "*";
	const char *name = text(get(r, ml, "app.kubernetes.io/name"));
	const char *inst = text(get(r, ml, "app.kubernetes.io/instance"));
	if (length(ml) == 2 && name && inst && !strcmp(inst, r->app))
		return name;
	const char *s = "";
	for (yaml_node_pair_t *p = ml->data.mapping.pairs.start; p < ml->data.mapping.pairs.top; p++)
		s = arena_printf(r->a, "%s%s%s=%s", s, *s ? "," : "",
				 text(yaml_document_get_node(r->doc, p->key)),
				 text(yaml_document_get_node(r->doc, p->value)));
	return s;
}

static const char *namespace_of(struct reader *r, yaml_node_t *selector)
{
	yaml_node_t *ml = get(r, selector, "matchLabels");
	const char *ns = text(get(r, ml, "kubernetes.io/metadata.name"));
	if (ns && length(ml) == 1 && !get(r, selector, "matchExpressions"))
		return ns;
	return labels(r, selector);
}

static const char *peer(struct reader *r, yaml_node_t *p)
{
	yaml_node_t *ns = get(r, p, "namespaceSelector"), *pod = get(r, p, "podSelector");
	yaml_node_t *ip = get(r, p, "ipBlock");
	if (ip) {
		const char *s = arena_printf(r->a, "ip:%s", text(get(r, ip, "cidr")));
		yaml_node_t *except = get(r, ip, "except");
		for (size_t i = 0; i < length(except); i++)
			s = arena_printf(r->a, "%s%s%s", s, i ? "," : " except ",
					 text(item(r, except, i)));
		return s;
	}
	if (ns && pod)
		return arena_printf(r->a, "ns:%s/pod:%s", namespace_of(r, ns), labels(r, pod));
	if (ns)
		return arena_printf(r->a, "ns:%s", namespace_of(r, ns));
	return arena_printf(r->a, "pod:%s", labels(r, pod));
}

static const char *port(struct reader *r, yaml_node_t *p)
{
	const char *proto = text(get(r, p, "protocol"));
	const char *num = text(get(r, p, "port"));
	const char *end = text(get(r, p, "endPort"));
	return arena_printf(r->a, "%s/%s%s%s", proto ? proto : "TCP", num ? num : "any",
			    end ? "-" : "", end ? end : "");
}

/* Every peer of a rule with every port of it; a missing list means
 * "all", which no declared fact ever asks for. */
static void rule(struct reader *r, yaml_node_t *rl, const char *self, bool ingress)
{
	yaml_node_t *peers = get(r, rl, ingress ? "from" : "to"), *ports = get(r, rl, "ports");
	size_t np = length(peers) ? length(peers) : 1, nq = length(ports) ? length(ports) : 1;
	for (size_t i = 0; i < np; i++) {
		const char *who = length(peers) ? peer(r, item(r, peers, i)) : "anyone";
		for (size_t j = 0; j < nq; j++) {
			const char *on = length(ports) ? port(r, item(r, ports, j)) : "any-port";
			if (ingress)
				add(r->a, &r->in, "%s -> %s %s", who, self, on);
			else
				add(r->a, &r->out, "%s -> %s %s", self, who, on);
		}
	}
}

static bool has_type(struct reader *r, yaml_node_t *spec, const char *type)
{
	yaml_node_t *types = get(r, spec, "policyTypes");
	for (size_t i = 0; i < length(types); i++)
		if (!strcmp(text(item(r, types, i)), type))
			return true;
	return false;
}

static void policy(struct reader *r, yaml_node_t *root)
{
	yaml_node_t *spec = get(r, root, "spec");
	yaml_node_t *in = get(r, spec, "ingress"), *out = get(r, spec, "egress");
	const char *self = arena_printf(r->a, "pod:%s", labels(r, get(r, spec, "podSelector")));
	if (!strcmp(self, "pod:*") && !length(in) && !length(out) &&
	    has_type(r, spec, "Ingress") && has_type(r, spec, "Egress"))
		r->default_deny = true;
	for (size_t i = 0; i < length(in); i++)
		rule(r, item(r, in, i), self, true);
	for (size_t i = 0; i < length(out); i++)
		rule(r, item(r, out, i), self, false);
}

/* Reads one file; returns false when it is not YAML. */
static bool read_file(struct reader *r, const struct output_file *f)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->content.data, f->content.len);
	bool ok = yaml_parser_load(&parser, &doc);
	yaml_parser_delete(&parser);
	if (!ok)
		return false;
	r->doc = &doc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	const char *kind = text(get(r, root, "kind"));
	if (kind && !strcmp(kind, "NetworkPolicy"))
		policy(r, root);
	yaml_document_delete(&doc);
	return true;
}

/* --- the cases ------------------------------------------------------------------ */

static void check_model(const char *input, struct compilation *c)
{
	struct output o;
	output_init(&o, &c->arena, c->source->name, "-");
	CU_ASSERT_TRUE_FATAL(emit_k8s(c->model, &o));
	struct reader r = { .a = &c->arena, .app = c->model->app.name };
	size_t files = 0;
	for (const struct output_file *f = output_files(&o); f; f = f->next, files++)
		CU_ASSERT_TRUE(read_file(&r, f));
	CU_ASSERT_TRUE(files > 0);
	CU_ASSERT_TRUE(r.default_deny);
	struct edges in = { 0 }, out = { 0 };
	expected(&c->arena, c->model, &in, &out);
	CU_ASSERT_TRUE(same("ingress", input, &in, &r.in));
	CU_ASSERT_TRUE(same("egress", input, &out, &r.out));
	output_free(&o);
}

static void check_file(const char *path, const char *env)
{
	struct compilation c;
	compile_init(&c);
	const char *err = NULL;
	const struct compile_options opt = { .env = env };
	CU_ASSERT_TRUE_FATAL(compile_load_file(&c, path, &err));
	CU_ASSERT_TRUE_FATAL(compile_check(&c, &opt));
	check_model(env ? arena_printf(&c.arena, "%s --env %s", path, env) : path, &c);
	compile_free(&c);
}

/* `env NAME {` at the start of a line: the overlays to try as well. */
static void check_with_envs(const char *path)
{
	check_file(path, NULL);
	FILE *f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	char line[512], name[128];
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "env %127[A-Za-z0-9_-] {", name) == 1)
			check_file(path, name);
	fclose(f);
}

static int ends_with_dep(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 4 && !strcmp(d->d_name + n - 4, ".dep");
}

static void test_examples(void)
{
	const char *dir = getenv("srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/examples", dir ? dir : ".");
	struct dirent **names;
	int n = scandir(path, &names, ends_with_dep, alphasort);
	CU_ASSERT_TRUE_FATAL(n > 0);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/examples/%s", dir ? dir : ".", names[i]->d_name);
		check_with_envs(path);
		free(names[i]);
	}
	free(names);
}

/* Two controllers, a metrics port of its own, a service nobody reaches,
 * and Prometheus inside the cluster. */
static const char edge_cases[] =
	"app t { version = \"1\"  registry = \"r.example/t\"  namespace = \"t\" }\n"
	"service a {\n"
	"  image = \"nginx:1.27\"  port = 8080  uses = [b]\n"
	"  health { liveness = http(\"/\") }\n"
	"  ingress { host = \"a.example.com\"  tls = \"le\"  class = \"traefik\"  controller = \"traefik\" }\n"
	"  metrics { port = 9090 }\n"
	"  resources { cpu = 1  memory = 1Gi }\n"
	"}\n"
	"service b { image = \"redis:7.4.1\"  port = 6379  health { liveness = tcp() }\n"
	"  resources { cpu = 1  memory = 1Gi } }\n"
	"service c {\n"
	"  image = \"nginx:1.27\"  port = 8081  uses = [a, b]\n"
	"  health { liveness = http(\"/\") }\n"
	"  ingress { host = \"c.example.com\"  tls = \"le\" }\n"
	"  resources { cpu = 1  memory = 1Gi }\n"
	"}\n"
	"service lone { image = \"nginx:1.27\"  port = 8082  health { liveness = tcp() }\n"
	"  resources { cpu = 1  memory = 1Gi } }\n"
	"monitor { discovery = kubernetes }\n";

/* The same app scraped from outside the cluster: no Prometheus edge. */
static const char static_scrape[] =
	"app s { version = \"1\"  namespace = \"s\" }\n"
	"service a {\n"
	"  image = \"nginx:1.27\"  port = 8080\n"
	"  health { liveness = http(\"/\") }\n"
	"  metrics { path = \"/metrics\" }\n"
	"  resources { cpu = 1  memory = 1Gi }\n"
	"}\n"
	"monitor { discovery = static }\n";

static void check_text(const char *name, const char *text)
{
	struct compilation c;
	compile_init(&c);
	compile_load_memory(&c, name, text, strlen(text));
	const struct compile_options opt = { .env = NULL };
	bool ok = compile_check(&c, &opt);
	if (!ok)
		for (const struct diag *d = c.diags.first; d; d = d->next)
			fprintf(stderr, "\n%s: %s", name, d->message);
	CU_ASSERT_TRUE_FATAL(ok);
	check_model(name, &c);
	compile_free(&c);
}

static void test_edge_cases(void)
{
	check_text("edge-cases.dep", edge_cases);
	check_text("static-scrape.dep", static_scrape);
}

/* The kubelet turns "$$" into "$" and expands "$(NAME)", so doubling
 * every '$' is what makes the text arrive unchanged. */
static void test_escape_k8s(void)
{
	struct arena a;
	arena_init(&a);
	CU_ASSERT_STRING_EQUAL(escape_k8s(&a, "no dollars"), "no dollars");
	CU_ASSERT_STRING_EQUAL(escape_k8s(&a, "$(HOME) $$ ${X} $"), "$$(HOME) $$$$ $${X} $$");
	arena_free(&a);
}

int suite_k8s(void)
{
	CU_pSuite s = CU_add_suite("k8s", NULL, NULL);
	if (!s || !CU_add_test(s, "network policies of the examples", test_examples) ||
	    !CU_add_test(s, "network policies of edge cases", test_edge_cases) ||
	    !CU_add_test(s, "escape_k8s", test_escape_k8s))
		return -1;
	return 0;
}
