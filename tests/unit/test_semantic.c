/* test_semantic.c - unit tests for the semantic stages.
 *
 * The resolver (the declaration table, one namespace shared by every
 * kind, imports of the standard library, --env), the template merge
 * rule compared as ast_dump strings, environment overlays and unit
 * arithmetic checked on the model, and the model of examples/webapp.dep
 * field by field.  Sources are compiled from memory through compile.h,
 * the same interface the command line uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "compile.h"
#include "depgraph.h"
#include "model.h"
#include "parse.h"
#include "program.h"
#include "units.h"

#include "unit.h"

/* --- helpers ------------------------------------------------------------ */

/* Compiles `text` with --env `env` (or none); the caller frees `c`. */
static bool compile_text(struct compilation *c, const char *text, const char *env)
{
	compile_init(c);
	compile_load_memory(c, "test.dep", text, strlen(text));
	struct compile_options opt = { .env = env };
	return compile_check(c, &opt);
}

/* Did the compilation report `code`? */
static bool has_code(const struct compilation *c, enum diag_code code)
{
	for (const struct diag *d = c->diags.first; d; d = d->next)
		if (d->code == code)
			return true;
	return false;
}

static size_t count_code(const struct compilation *c, enum diag_code code)
{
	size_t n = 0;
	for (const struct diag *d = c->diags.first; d; d = d->next)
		n += d->code == code;
	return n;
}

/* Parses `text` and resolves it into `p`: the declaration table without
 * type checking, for tests of the resolver alone. */
static void resolve_text(struct compilation *c, struct program *p, const char *text,
			 const char *env)
{
	compile_init(c);
	compile_load_memory(c, "test.dep", text, strlen(text));
	CU_ASSERT_EQUAL_FATAL(c->diags.errors, 0);
	program_init(p, &c->arena, &c->diags, c->source, c->ast);
	p->env = env;
	resolve_program(p);
}

/* The entries of `b { TEXT }`, parsed into `c`'s arena. */
static struct ast_node *entries(struct compilation *c, const char *text)
{
	const char *src = arena_printf(&c->arena, "b {\n%s\n}\n", text);
	struct source *s = source_from_memory(&c->arena, "merge.dep", src, strlen(src));
	struct ast_node *root = parse_source(&c->arena, s, &c->diags);
	CU_ASSERT_EQUAL_FATAL(c->diags.errors, 0);
	return root->u.file.items->u.block.body;
}

/* A sibling list as space-separated ast_dump strings. */
static const char *dump_entries(struct arena *a, const struct ast_node *list)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct ast_node *n = list; n; n = n->next)
		strbuf_printf(&b, "%s%s", b.len ? " " : "", ast_dump(a, n));
	return strbuf_finish(&b, a);
}

/* template_merge(base, over) as a dump, checked against `want`; also
 * checks that neither input changed. */
static void expect_merge(const char *base, const char *over, const char *want)
{
	struct compilation c;
	compile_init(&c);
	struct ast_node *b = entries(&c, base), *o = entries(&c, over);
	const char *b_before = dump_entries(&c.arena, b), *o_before = dump_entries(&c.arena, o);
	const char *got = dump_entries(&c.arena, template_merge(&c.arena, b, o));
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\nmerge:\n  want %s\n  got  %s\n", want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	CU_ASSERT_STRING_EQUAL(dump_entries(&c.arena, b), b_before);
	CU_ASSERT_STRING_EQUAL(dump_entries(&c.arena, o), o_before);
	compile_free(&c);
}

static const struct model_service *service(const struct model *m, const char *name)
{
	const struct model_service *s = m ? model_find_service(m, name) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

/* --- resolver ------------------------------------------------------------- */

static const char decls_src[] =
	"app shop { version = \"1.0\" }\n"
	"secret api_key { vault = \"prod/api-key\" }\n"
	"service web { image = \"nginx:1.25\"  port = 80 }\n"
	"volume web-data { size = 1Gi }\n"
	"pipeline { steps = [\"make test\"] }\n"
	"cloud aws { region = \"us-east-1\" }\n"
	"monitor { scrape = 30s }\n";

static void test_decl_table(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, decls_src, NULL);
	CU_ASSERT_EQUAL(c.diags.errors, 0);
	static const char *const want[][2] = {
		{ "app", "shop" }, { "secret", "api_key" }, { "service", "web" },
		{ "volume", "web-data" }, { "pipeline", "pipeline" }, { "cloud", "aws" },
		{ "monitor", "monitor" },
	};
	size_t i = 0;
	for (struct decl *d = p.decls; d; d = d->next, i++) {
		CU_ASSERT_FATAL(i < 7);
		CU_ASSERT_STRING_EQUAL(d->kind->name, want[i][0]);
		CU_ASSERT_STRING_EQUAL(d->name, want[i][1]);
		CU_ASSERT_PTR_EQUAL(d->body, d->block->u.block.body);
	}
	CU_ASSERT_EQUAL(i, 7);
	CU_ASSERT_STRING_EQUAL(program_find(&p, "web")->kind->name, "service");
	CU_ASSERT_STRING_EQUAL(program_find(&p, "api_key")->kind->name, "secret");
	CU_ASSERT_PTR_NULL(program_find(&p, "nope"));
	CU_ASSERT_STRING_EQUAL(program_find_kind(&p, "pipeline")->name, "pipeline");
	CU_ASSERT_STRING_EQUAL(program_find_kind(&p, "app")->name, "shop");
	CU_ASSERT_PTR_NULL(program_find_kind(&p, "template"));
	compile_free(&c);
}

/* The cloud's label names a provider, not a declaration. */
/* The declaration limit is 1,000,000 (man/depc.1, LIMITS); the
 * environment may lower it for a test, never raise it. */
static void test_decl_limit_env(void)
{
	unsetenv("DEPC_MAX_DECLS");
	CU_ASSERT_EQUAL(PROGRAM_MAX_DECLS, 1000000);
	setenv("DEPC_MAX_DECLS", "10", 1);
	CU_ASSERT_EQUAL(PROGRAM_MAX_DECLS, 10);
	setenv("DEPC_MAX_DECLS", "2000000", 1);
	CU_ASSERT_EQUAL(PROGRAM_MAX_DECLS, 1000000);
	setenv("DEPC_MAX_DECLS", "0", 1);
	CU_ASSERT_EQUAL(PROGRAM_MAX_DECLS, 1000000);
	setenv("DEPC_MAX_DECLS", "12abc", 1);
	CU_ASSERT_EQUAL(PROGRAM_MAX_DECLS, 1000000);
	unsetenv("DEPC_MAX_DECLS");
	CU_ASSERT_EQUAL(PROGRAM_MAX_DECLS, 1000000);
}

/* Nodes in a list and everything under it, as ast_copy makes them. */
static size_t tree_size(const struct ast_node *n)
{
	size_t k = 0;
	for (; n; n = n->next) {
		k++;
		switch (n->kind) {
		case AST_BLOCK: k += tree_size(n->u.block.body); break;
		case AST_ATTR: k += tree_size(n->u.attr.value); break;
		case AST_MEMBER: k += tree_size(n->u.member.object); break;
		case AST_CALL: k += tree_size(n->u.call.args); break;
		case AST_STRING: k += tree_size(n->u.string.parts); break;
		case AST_LIST: case AST_MAP: k += tree_size(n->u.list.items); break;
		case AST_RANGE: k += tree_size(n->u.range.lo) + tree_size(n->u.range.hi); break;
		default: break;
		}
	}
	return k;
}

/* The E0109 budget is charged what instantiation really makes: the
 * instantiated body, counted here after the fact.  The declarations have
 * no entries of their own, so their merged bodies are that body. */
static void test_template_budget_exact(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p,
		     "template service t(p, q = 2) {\n"
		     "  image = p\n  command = [p, \"-v\", \"${q}\"]\n"
		     "  env { A = p  B = [p, p] }\n  replicas = q\n}\n"
		     "service a = t(p = \"x${app.name}y\")\n"
		     "service b = t([\"l\", \"m\"], q = 3)\n", NULL);
	CU_ASSERT_EQUAL(c.diags.errors, 0);
	size_t made = 0;
	for (const struct decl *d = p.decls; d; d = d->next)
		made += tree_size(d->body);
	CU_ASSERT_EQUAL(p.template_nodes, made);
	CU_ASSERT(made > 20);
	compile_free(&c);
}

static void test_cloud_outside_namespace(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "cloud aws { region = \"us-east-1\" }\n"
			     "service aws { image = \"a:1\" }\n", NULL);
	CU_ASSERT_EQUAL(c.diags.errors, 0);
	CU_ASSERT_STRING_EQUAL(program_find(&p, "aws")->kind->name, "service");
	compile_free(&c);
}

static void test_names_shared_across_kinds(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "secret db { vault = \"prod/db\" }\n"
			     "service db { image = \"postgres:16\" }\n"
			     "volume db { size = 1Gi }\n", NULL);
	CU_ASSERT_EQUAL(count_code(&c, DIAG_E0202), 2);
	CU_ASSERT_STRING_EQUAL(program_find(&p, "db")->kind->name, "secret");
	CU_ASSERT_PTR_NULL(p.decls->next); /* the duplicates are not declared */
	compile_free(&c);
}

static void test_unique_kind_twice(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "pipeline { }\npipeline { }\napp a { }\napp b { }\n", NULL);
	CU_ASSERT_EQUAL(count_code(&c, DIAG_E0202), 2);
	compile_free(&c);
}

static void test_suggest_names(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "service db { image = \"a:1\" }\n"
			     "secret dbx { vault = \"x\" }\n", NULL);
	CU_ASSERT_STRING_EQUAL(program_suggest(&p, "dbb", NULL), "db");
	CU_ASSERT_STRING_EQUAL(program_suggest(&p, "dbxx", "secret"), "dbx");
	CU_ASSERT_PTR_NULL(program_suggest(&p, "web", NULL));
	compile_free(&c);
}

static struct module *module_named(struct program *p, const char *name)
{
	for (struct module *m = p->modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static bool has_template(struct program *p, const char *module, const char *name)
{
	for (struct template_def *t = p->templates; t; t = t->next)
		if (t->module && !strcmp(t->module, module) &&
		    !strcmp(t->node->u.template.name, name))
			return true;
	return false;
}

static void test_std_imports(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "import \"std/node\"\n"
			     "import \"std/postgres\"\n"
			     "import \"std/redis\" as kv\n", NULL);
	CU_ASSERT_EQUAL(c.diags.errors, 0);
	CU_ASSERT_PTR_NOT_NULL(module_named(&p, "node"));
	CU_ASSERT_PTR_NOT_NULL(module_named(&p, "postgres"));
	CU_ASSERT_PTR_NOT_NULL(module_named(&p, "kv"));
	CU_ASSERT_PTR_NULL(module_named(&p, "redis"));
	CU_ASSERT_STRING_EQUAL(module_named(&p, "kv")->path, "std/redis");
	CU_ASSERT(has_template(&p, "node", "nextjs"));
	CU_ASSERT(has_template(&p, "node", "node"));
	CU_ASSERT(has_template(&p, "postgres", "postgres"));
	CU_ASSERT(has_template(&p, "kv", "redis"));
	CU_ASSERT_PTR_NULL(p.decls); /* modules declare only templates */
	compile_free(&c);
}

static void test_std_import_missing(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "import \"std/postgress\"\n", NULL);
	CU_ASSERT(has_code(&c, DIAG_E0203));
	CU_ASSERT_PTR_NULL(p.modules);
	compile_free(&c);
}

/* A template instance's body is the template's with the arguments in. */
static void test_template_instance(void)
{
	struct compilation c;
	struct program p;
	resolve_text(&c, &p, "template service api(image, port = 8080) {\n"
			     "  image = image\n  port = port\n  env { PORT = port }\n}\n"
			     "service orders = api(\"o:1\") { port = 9000 }\n", NULL);
	CU_ASSERT_EQUAL(c.diags.errors, 0);
	CU_ASSERT_STRING_EQUAL(dump_entries(&c.arena, p.decls->body),
			       "(= image (str \"o:1\")) (= port 9000) "
			       "(block env { (= PORT 8080) })");
	compile_free(&c);
}

static void test_unknown_env(void)
{
	struct compilation c;
	CU_ASSERT_FALSE(compile_text(&c, "service web { image = \"a:1\"  port = 80 }\n"
					 "env production { service web { replicas = 3 } }\n",
				     "staging"));
	CU_ASSERT(has_code(&c, DIAG_E0206));
	CU_ASSERT_PTR_NULL(c.model);
	compile_free(&c);
}

/* --- the merge rule ------------------------------------------------------- */

static void test_merge_scalar_replaced(void)
{
	expect_merge("port = 80\nreplicas = 2", "port = 8080",
		     "(= port 8080) (= replicas 2)");
}

static void test_merge_map_merged(void)
{
	expect_merge("env { A = \"1\"  B = \"2\" }", "env { B = \"3\"  C = \"4\" }",
		     "(block env { (= A (str \"1\")) (= B (str \"3\")) (= C (str \"4\")) })");
}

/* A map value and an unlabelled block are the same thing to the rule;
 * the result takes the override's shape. */
static void test_merge_map_value_and_block(void)
{
	expect_merge("env { A = \"1\" }", "env = { B = \"2\" }",
		     "(= env { (= A (str \"1\")) (= B (str \"2\")) })");
}

static void test_merge_nested_blocks(void)
{
	expect_merge("health { interval = 10s  timeout = 5s  liveness = http(\"/l\") }",
		     "health { timeout = 2s }",
		     "(block health { (= interval 10s) (= timeout 2s) "
		     "(= liveness (call http (str \"/l\"))) })");
}

static void test_merge_list_replaced(void)
{
	expect_merge("tmpfs = [\"/a\", \"/b\"]\nuses = [db]", "tmpfs = [\"/c\"]",
		     "(= tmpfs [ (str \"/c\") ]) (= uses [ db ])");
}

static void test_merge_appends_in_order(void)
{
	expect_merge("port = 80", "user = 70\nimage = \"x:1\"\nport = 81",
		     "(= port 81) (= user 70) (= image (str \"x:1\"))");
}

/* A second entry of one name stays, so the checker can say it is set
 * twice instead of one of them silently winning. */
static void test_merge_keeps_duplicates(void)
{
	expect_merge("port = 80\nuser = 1", "port = 81\nport = 82",
		     "(= port 81) (= user 1) (= port 82)");
	expect_merge("", "port = 81\nport = 82", "(= port 81) (= port 82)");
}

static void test_merge_labelled_blocks(void)
{
	expect_merge("dashboard \"A\" { tags = [\"a\"] }\ndashboard \"B\" { refresh = 1m }",
		     "dashboard \"B\" { refresh = 5m }\ndashboard \"C\" { }",
		     "(block dashboard \"A\" { (= tags [ (str \"a\") ]) }) "
		     "(block dashboard \"B\" { (= refresh 5m) }) (block dashboard \"C\" { })");
}

static void test_merge_scalar_over_block(void)
{
	expect_merge("health { interval = 10s }", "health = 3",
		     "(= health 3)");
	expect_merge("", "", "");
}

/* --- unset ------------------------------------------------------------- */

/* What a service made from a template with body `base` gets from the
 * body `over`: its unsets applied to the base, then the merge.  Neither
 * input changes; `warnings` W0072 and no error are reported. */
static void expect_unset(const char *base, const char *over, const char *want,
			 size_t warnings)
{
	struct compilation c;
	struct program p;
	compile_init(&c);
	struct ast_node *b = entries(&c, base), *o = entries(&c, over);
	program_init(&p, &c.arena, &c.diags, NULL, NULL);
	const char *b_before = dump_entries(&c.arena, b), *o_before = dump_entries(&c.arena, o);
	struct ast_node *cut = unset_apply(&p, schema_kind("service"), "template 't'", b, o);
	const char *got = dump_entries(&c.arena, unset_strip(&c.arena,
							      template_merge(&c.arena, cut, o)));
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\nunset:\n  want %s\n  got  %s\n", want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	CU_ASSERT_STRING_EQUAL(dump_entries(&c.arena, b), b_before);
	CU_ASSERT_STRING_EQUAL(dump_entries(&c.arena, o), o_before);
	CU_ASSERT_EQUAL(count_code(&c, DIAG_W0072), warnings);
	CU_ASSERT_EQUAL(c.diags.errors, 0);
	compile_free(&c);
}

static void test_unset_fields(void)
{
	expect_unset("image = \"a:1\"  volume = \"d\"  replicas = 2", "unset volume",
		     "(= image (str \"a:1\")) (= replicas 2)", 0);
	/* Unset and set in one body: the body's value. */
	expect_unset("replicas = 2", "unset replicas\nreplicas = 3", "(= replicas 3)", 0);
	/* What the base does not set: nothing changes, a warning. */
	expect_unset("replicas = 2", "unset volume", "(= replicas 2)", 1);
}

static void test_unset_nested(void)
{
	expect_unset("env { A = \"1\"  B = \"2\" }\nhealth { liveness = tcp()  startup = tcp() }",
		     "unset env.A\nhealth { unset startup }",
		     "(block env { (= B (str \"2\")) }) (block health { (= liveness (call tcp)) })", 0);
	expect_unset("env = { A = \"1\" }", "unset env.A", "(= env { })", 0);
	expect_unset("health { liveness = tcp() }", "unset health.startup",
		     "(block health { (= liveness (call tcp)) })", 1);
}

static void test_unset_list_values(void)
{
	expect_unset("tmpfs = [\"/tmp\", \"/data\", \"/run\"]", "unset tmpfs \"/data\"",
		     "(= tmpfs [ (str \"/tmp\") (str \"/run\") ])", 0);
	expect_unset("uses = [db, queue, mail]", "unset uses [db, mail]",
		     "(= uses [ queue ])", 0);
	expect_unset("tmpfs = [\"/tmp\"]", "unset tmpfs [\"/tmp\", \"/x\"]", "(= tmpfs [ ])", 1);
}

/* --- overlays ---------------------------------------------------------- */

static const char overlay_src[] =
	"app shop { }\n"
	"service web {\n"
	"  image = \"ghcr.io/org/web:1.0\"\n"
	"  port = 3000\n"
	"  replicas = 2\n"
	"  uses = [db]\n"
	"  env { LOG = \"info\"  MODE = \"dev\" }\n"
	"  health { readiness = http(\"/ready\")  interval = 10s  timeout = 5s }\n"
	"  resources { cpu = 1  memory = 1Gi }\n"
	"}\n"
	"service db { image = \"postgres:16.4\"  port = 5432  health { liveness = tcp() }\n"
	"  resources { cpu = 1  memory = 1Gi } }\n"
	"service cache { image = \"redis:7.4.1\"  port = 6379  health { liveness = tcp() }\n"
	"  resources { cpu = 1  memory = 1Gi } }\n"
	"env production {\n"
	"  app { namespace = \"prod\" }\n"
	"  service web {\n"
	"    replicas = 5\n"
	"    uses = [db, cache]\n"
	"    env { MODE = \"prod\" }\n"
	"    health { interval = 30s }\n"
	"  }\n"
	"}\n"
	"env staging {\n"
	"  service web { replicas = 1 }\n"
	"}\n";

static const char *env_value(const struct model_service *s, const char *key)
{
	for (const struct model_kv *kv = s->env; kv; kv = kv->next)
		if (!strcmp(kv->key, key))
			return kv->value;
	return NULL;
}

static void test_overlay_not_selected(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c, overlay_src, NULL));
	const struct model_service *web = service(c.model, "web");
	CU_ASSERT_EQUAL(web->replicas, 2);
	CU_ASSERT_EQUAL(web->uses_count, 1);
	CU_ASSERT_STRING_EQUAL(env_value(web, "MODE"), "dev");
	CU_ASSERT_EQUAL(web->health.interval_ms, 10000);
	CU_ASSERT_STRING_EQUAL(c.model->app.namespace, "shop");
	CU_ASSERT_PTR_NULL(c.model->environment);
	compile_free(&c);
}

static void test_overlay_production(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c, overlay_src, "production"));
	const struct model_service *web = service(c.model, "web");
	CU_ASSERT_EQUAL(web->replicas, 5);
	CU_ASSERT_EQUAL(web->port, 3000);                /* untouched */
	CU_ASSERT_EQUAL_FATAL(web->uses_count, 2);       /* a list is replaced */
	CU_ASSERT_STRING_EQUAL(web->uses[1]->name, "cache");
	CU_ASSERT_STRING_EQUAL(env_value(web, "MODE"), "prod"); /* a map is merged */
	CU_ASSERT_STRING_EQUAL(env_value(web, "LOG"), "info");
	CU_ASSERT_EQUAL(web->health.interval_ms, 30000); /* a block is merged */
	CU_ASSERT_EQUAL(web->health.timeout_ms, 5000);
	CU_ASSERT_EQUAL(web->health.readiness.kind, PROBE_HTTP);
	CU_ASSERT_STRING_EQUAL(c.model->app.namespace, "prod");
	CU_ASSERT_STRING_EQUAL(c.model->environment, "production");
	CU_ASSERT_EQUAL(service(c.model, "db")->replicas, 1);
	compile_free(&c);
}

static void test_overlay_staging(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c, overlay_src, "staging"));
	const struct model_service *web = service(c.model, "web");
	CU_ASSERT_EQUAL(web->replicas, 1);
	CU_ASSERT_EQUAL(web->uses_count, 1);
	CU_ASSERT_STRING_EQUAL(env_value(web, "MODE"), "dev");
	CU_ASSERT_STRING_EQUAL(c.model->app.namespace, "staging"); /* the env by default */
	compile_free(&c);
}

/* Field names of an overlay are checked even when it is not selected;
 * its values are checked only when it is. */
static void test_overlay_checked_unselected(void)
{
	static const char src[] =
		"service web { image = \"a:1\"  port = 80 }\n"
		"env production { service web { replicsa = 3 } }\n"
		"env staging { service web { replicas = \"x\" } }\n";
	struct compilation c;
	CU_ASSERT_FALSE(compile_text(&c, src, NULL));
	CU_ASSERT_EQUAL(count_code(&c, DIAG_E0301), 1);
	CU_ASSERT_FALSE(has_code(&c, DIAG_E0302));
	compile_free(&c);
	/* The name error stops the build before values are checked at all. */
	CU_ASSERT_FALSE(compile_text(&c, src, "staging"));
	CU_ASSERT_FALSE(has_code(&c, DIAG_E0302));
	compile_free(&c);
	CU_ASSERT_FALSE(compile_text(&c, "service web { image = \"a:1\"  port = 80 }\n"
					 "env staging { service web { replicas = \"x\" } }\n",
				     "staging"));
	CU_ASSERT(has_code(&c, DIAG_E0302));
	compile_free(&c);
}

static void test_overlay_unknown_target(void)
{
	struct compilation c;
	CU_ASSERT_FALSE(compile_text(&c, "service web { image = \"a:1\" }\n"
					 "env production { service wbe { replicas = 3 } }\n", NULL));
	CU_ASSERT(has_code(&c, DIAG_E0214));
	compile_free(&c);
}

/* --- units ----------------------------------------------------------------- */

static double base(const char *suffix, double value, enum unit_dim dim)
{
	double out = -1;
	CU_ASSERT_TRUE(unit_to_base(suffix, value, dim, &out));
	return out;
}

static void test_units_duration(void)
{
	CU_ASSERT_DOUBLE_EQUAL(base("ms", 250, UNIT_DURATION), 250, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("s", 30, UNIT_DURATION), 30000, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("m", 5, UNIT_DURATION), 300000, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("h", 1, UNIT_DURATION), 3600000, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("d", 30, UNIT_DURATION), 2592000000.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("s", 1.5, UNIT_DURATION), 1500, 0);
}

static void test_units_size(void)
{
	static const struct { const char *suffix; double factor; } sizes[] = {
		{ "B", 1 }, { "k", 1e3 }, { "K", 1e3 }, { "KB", 1e3 }, { "M", 1e6 },
		{ "MB", 1e6 }, { "G", 1e9 }, { "GB", 1e9 }, { "T", 1e12 }, { "TB", 1e12 },
		{ "Ki", 1024.0 }, { "KiB", 1024.0 }, { "Mi", 1048576.0 }, { "MiB", 1048576.0 },
		{ "Gi", 1073741824.0 }, { "GiB", 1073741824.0 },
		{ "Ti", 1099511627776.0 }, { "TiB", 1099511627776.0 },
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		CU_ASSERT_TRUE(unit_known(sizes[i].suffix));
		CU_ASSERT_DOUBLE_EQUAL(base(sizes[i].suffix, 3, UNIT_SIZE), 3 * sizes[i].factor, 0);
	}
	/* 1.5Gi is exact in binary floating point. */
	CU_ASSERT_DOUBLE_EQUAL(base("Gi", 1.5, UNIT_SIZE), 1610612736.0, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("Mi", 256, UNIT_SIZE), 268435456.0, 0);
}

/* `m` is minutes as a duration and millicores as cpu, never a size. */
static void test_units_m(void)
{
	CU_ASSERT_DOUBLE_EQUAL(base("m", 100, UNIT_CPU), 100, 0);
	CU_ASSERT_DOUBLE_EQUAL(base("m", 100, UNIT_DURATION), 6000000, 0);
	CU_ASSERT_TRUE(unit_in_dim("m", UNIT_CPU));
	CU_ASSERT_TRUE(unit_in_dim("m", UNIT_DURATION));
	CU_ASSERT_FALSE(unit_in_dim("m", UNIT_SIZE));
	double out = 0;
	CU_ASSERT_FALSE(unit_to_base("m", 1, UNIT_SIZE, &out));
	CU_ASSERT_FALSE(unit_to_base("Mi", 1, UNIT_DURATION, &out));
	CU_ASSERT_FALSE(unit_to_base("s", 1, UNIT_CPU, &out));
}

static void test_units_percent_and_unknown(void)
{
	CU_ASSERT_DOUBLE_EQUAL(base("%", 70, UNIT_PERCENT), 70, 0);
	CU_ASSERT_FALSE(unit_known("mb"));
	CU_ASSERT_FALSE(unit_known("sec"));
	CU_ASSERT_FALSE(unit_known(""));
	CU_ASSERT_STRING_EQUAL(unit_suggest("Gib"), "GiB");
	CU_ASSERT_STRING_EQUAL(unit_suggest("mi"), "Mi");
	CU_ASSERT_PTR_NULL(unit_suggest("parsecs"));
	CU_ASSERT_STRING_EQUAL(unit_dim_name(UNIT_SIZE), "size");
}

/* Units reach the model converted: cpu in millicores, sizes in bytes. */
static void test_units_in_model(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c,
		"service api {\n"
		"  image = \"a:1.0\"  port = 80\n"
		"  resources { cpu = 0.25..2  memory = 1.5Gi..2G }\n"
		"  health { readiness = tcp()  interval = 2m  timeout = 1.5m }\n"
		"}\n", NULL));
	const struct model_service *s = service(c.model, "api");
	CU_ASSERT_EQUAL(s->cpu.request, 250);
	CU_ASSERT_EQUAL(s->cpu.limit, 2000);
	CU_ASSERT_EQUAL(s->memory.request, 1610612736LL);
	CU_ASSERT_EQUAL(s->memory.limit, 2000000000LL);
	CU_ASSERT_EQUAL(s->health.interval_ms, 120000);
	CU_ASSERT_EQUAL(s->health.timeout_ms, 90000);
	compile_free(&c);
}

static void test_units_wrong_dimension(void)
{
	struct compilation c;
	CU_ASSERT_FALSE(compile_text(&c,
		"service api { image = \"a:1\"  port = 80\n"
		"  resources { memory = 256m..512m }\n"
		"  health { readiness = tcp()  interval = 30Mi  timeout = 30 } }\n", NULL));
	CU_ASSERT_EQUAL(count_code(&c, DIAG_E0306), 4);
	compile_free(&c);
}

/* --- the model of examples/webapp.dep --------------------------------- */

static bool compile_example(struct compilation *c)
{
	const char *dir = getenv("srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/webapp.dep", dir ? dir : ".");
	compile_init(c);
	const char *err = NULL;
	if (!compile_load_file(c, path, &err)) {
		fprintf(stderr, "\ncannot read %s: %s\n", path, err);
		return false;
	}
	return compile_check(c, NULL);
}

static void test_webapp_services(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_example(&c));
	const struct model *m = c.model;
	CU_ASSERT_EQUAL_FATAL(m->service_count, 3);
	CU_ASSERT_STRING_EQUAL(m->services[0]->name, "web");
	CU_ASSERT_STRING_EQUAL(m->services[1]->name, "db");
	CU_ASSERT_STRING_EQUAL(m->services[2]->name, "cache");
	const struct model_service *web = service(m, "web");
	CU_ASSERT_EQUAL(web->port, 3000);
	CU_ASSERT_EQUAL(web->replicas, 3);
	CU_ASSERT_TRUE(web->cpu.set);
	CU_ASSERT_EQUAL(web->cpu.request, 125);
	CU_ASSERT_EQUAL(web->cpu.limit, 500);
	CU_ASSERT_EQUAL(web->memory.request, 256LL * 1024 * 1024);
	CU_ASSERT_EQUAL(web->memory.limit, 512LL * 1024 * 1024);
	CU_ASSERT_EQUAL_FATAL(web->uses_count, 2);
	CU_ASSERT_PTR_EQUAL(web->uses[0], service(m, "db"));
	CU_ASSERT_PTR_EQUAL(web->uses[1], service(m, "cache"));
	CU_ASSERT_TRUE(model_uses(web, service(m, "db")));
	CU_ASSERT_FALSE(model_uses(service(m, "db"), web));
	CU_ASSERT_STRING_EQUAL(env_value(web, "NODE_ENV"), "production");
	CU_ASSERT_STRING_EQUAL(env_value(web, "PORT"), "3000"); /* from the template */
	CU_ASSERT_EQUAL(web->rollout.on_failure, ON_FAILURE_ROLLBACK);
	CU_ASSERT_EQUAL(web->rollout.delay_ms, 10000);
	CU_ASSERT_TRUE(web->autoscale.set);
	CU_ASSERT_EQUAL(web->autoscale.min, 3);
	CU_ASSERT_EQUAL(web->autoscale.max, 10);
	CU_ASSERT_DOUBLE_EQUAL(web->autoscale.cpu_percent, 70, 0);
	CU_ASSERT_EQUAL(web->metrics.slo_latency_ms, 500);
	CU_ASSERT_EQUAL(web->metrics.port, 3000);
	compile_free(&c);
}

static void test_webapp_build_and_images(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_example(&c));
	const struct model_service *web = service(c.model, "web"), *db = service(c.model, "db");
	CU_ASSERT_PTR_NULL(web->image);
	CU_ASSERT_PTR_NOT_NULL_FATAL(web->build);
	CU_ASSERT_EQUAL(web->build->runtime, RUNTIME_NODE);
	CU_ASSERT_STRING_EQUAL(web->build->version, "20.9.0-alpine");
	CU_ASSERT_EQUAL(web->build->start.count, 2);
	CU_ASSERT_STRING_EQUAL(db->image, "postgres:15.8-alpine");
	CU_ASSERT_PTR_NULL(db->build);
	CU_ASSERT_STRING_EQUAL(service(c.model, "cache")->image, "redis:7.2.5-alpine");
	CU_ASSERT_EQUAL(db->port, 5432);
	CU_ASSERT_EQUAL(db->user, 70);
	CU_ASSERT_TRUE(db->stateful);
	CU_ASSERT_STRING_EQUAL(env_value(db, "POSTGRES_DB"), "myapp");
	char buf[256];
	CU_ASSERT_STRING_EQUAL(model_service_image(c.model, db, buf, sizeof buf),
			       "postgres:15.8-alpine");
	compile_free(&c);
}

static void test_webapp_health(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_example(&c));
	const struct model_health *h = &service(c.model, "web")->health;
	CU_ASSERT_TRUE(h->declared);
	CU_ASSERT_EQUAL(h->interval_ms, 30000);
	CU_ASSERT_EQUAL(h->timeout_ms, 5000);
	CU_ASSERT_EQUAL(h->start_ms, 5000);
	CU_ASSERT_EQUAL(h->retries, 3);
	CU_ASSERT_EQUAL(h->liveness.kind, PROBE_HTTP);
	CU_ASSERT_STRING_EQUAL(h->liveness.path, "/health");
	CU_ASSERT_STRING_EQUAL(h->readiness.path, "/ready");
	CU_ASSERT_EQUAL(h->readiness.port, 3000);
	CU_ASSERT_EQUAL(h->check.kind, PROBE_HTTP); /* readiness first */
	CU_ASSERT_STRING_EQUAL(h->check.path, "/ready");
	const struct model_health *dh = &service(c.model, "db")->health;
	CU_ASSERT_EQUAL(dh->readiness.kind, PROBE_EXEC);
	CU_ASSERT_EQUAL_FATAL(dh->readiness.command.count, 5);
	CU_ASSERT_STRING_EQUAL(dh->readiness.command.items[0], "pg_isready");
	CU_ASSERT_STRING_EQUAL(dh->readiness.command.items[2], "app");
	CU_ASSERT_STRING_EQUAL(dh->readiness.command.items[4], "myapp");
	compile_free(&c);
}

static const struct model_secret *secret_of(const struct model_service *s, const char *env)
{
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
		if (!strcmp(r->env, env))
			return r->secret;
	return NULL;
}

static void test_webapp_secrets(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_example(&c));
	const struct model *m = c.model;
	CU_ASSERT_EQUAL(m->secret_count, 4);
	const struct model_service *web = service(m, "web");
	const struct model_secret *url = secret_of(web, "DATABASE_URL");
	CU_ASSERT_PTR_NOT_NULL_FATAL(url);
	CU_ASSERT_STRING_EQUAL(url->name, "database_url");
	CU_ASSERT_STRING_EQUAL(url->vault_path, "production/app/database-url");
	CU_ASSERT_EQUAL(url->rotate_ms, 3600000);
	CU_ASSERT_PTR_NOT_NULL(secret_of(web, "REDIS_URL"));
	CU_ASSERT_PTR_NULL(secret_of(web, "POSTGRES_PASSWORD"));
	const struct model_secret *pw = secret_of(service(m, "db"), "POSTGRES_PASSWORD");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pw);
	CU_ASSERT_STRING_EQUAL(pw->name, "db_password");
	CU_ASSERT_EQUAL(pw->rotate_ms, 720LL * 3600000);
	CU_ASSERT_PTR_NOT_NULL(secret_of(service(m, "cache"), "REDIS_PASSWORD"));
	compile_free(&c);
}

static void test_webapp_ingress_and_volumes(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_example(&c));
	const struct model *m = c.model;
	const struct model_service *web = service(m, "web"), *db = service(m, "db");
	CU_ASSERT_TRUE(web->ingress.set);
	CU_ASSERT_STRING_EQUAL(web->ingress.host, "app.example.com"); /* from app.domain */
	CU_ASSERT_STRING_EQUAL(web->ingress.tls_issuer, "letsencrypt-prod");
	CU_ASSERT_STRING_EQUAL(web->ingress.class, "nginx");
	CU_ASSERT_FALSE(db->ingress.set);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db->volume);
	CU_ASSERT_STRING_EQUAL(db->volume->name, "db-data");
	CU_ASSERT_EQUAL(db->volume->size_bytes, 10LL * 1024 * 1024 * 1024);
	CU_ASSERT_TRUE(db->volume->declared);
	CU_ASSERT_STRING_EQUAL(db->data_path, "/var/lib/postgresql/data");
	CU_ASSERT_EQUAL(service(m, "cache")->volume->size_bytes, 1024LL * 1024 * 1024);
	CU_ASSERT_EQUAL(m->volume_count, 2);
	CU_ASSERT_PTR_NULL(web->volume);
	compile_free(&c);
}

static void test_webapp_app_pipeline_cloud(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_example(&c));
	const struct model *m = c.model;
	CU_ASSERT_STRING_EQUAL(m->app.name, "myapp");
	CU_ASSERT_STRING_EQUAL(m->app.version, "1.0.2");
	CU_ASSERT_STRING_EQUAL(m->app.domain, "app.example.com");
	CU_ASSERT_STRING_EQUAL(m->app.namespace, "production");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->pipeline);
	CU_ASSERT_STRING_EQUAL(m->pipeline->scan, "snyk");
	CU_ASSERT_EQUAL(m->pipeline->steps.count, 3);
	CU_ASSERT_EQUAL(m->pipeline->push.count, 1);
	const struct model_deploy *d = m->pipeline->deploys;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->kind, DEPLOY_ECS);
	CU_ASSERT_STRING_EQUAL(d->cluster, "production");
	CU_ASSERT_PTR_EQUAL(d->service, service(m, "web"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->next);
	CU_ASSERT_EQUAL(d->next->kind, DEPLOY_KUBERNETES);
	CU_ASSERT_STRING_EQUAL(d->next->namespace, "production");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->cloud);
	CU_ASSERT_STRING_EQUAL(m->cloud->provider, "aws");
	CU_ASSERT_STRING_EQUAL(m->cloud->vpc_cidr, "10.0.0.0/16");
	CU_ASSERT_EQUAL(m->cloud->task_memory, 512);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->monitor);
	CU_ASSERT_EQUAL(m->monitor->scrape_ms, 15000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->monitor->dashboards);
	CU_ASSERT_STRING_EQUAL(m->monitor->dashboards->title, "Web Application Metrics");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->monitor->dashboards->panels);
	CU_ASSERT_STRING_EQUAL(m->monitor->dashboards->panels->next->unit, "s");
	compile_free(&c);
}

/* --env on the example: there are no overlays in it to select. */
static void test_webapp_unknown_env(void)
{
	const char *dir = getenv("srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/webapp.dep", dir ? dir : ".");
	struct compilation c;
	compile_init(&c);
	const char *err = NULL;
	CU_ASSERT_TRUE_FATAL(compile_load_file(&c, path, &err));
	struct compile_options opt = { .env = "production" };
	CU_ASSERT_FALSE(compile_check(&c, &opt));
	CU_ASSERT(has_code(&c, DIAG_E0206));
	compile_free(&c);
}

/* --- the dependency graph ---------------------------------------------------- */

/* Source order differs from start order; api's exec check runs in its
 * container, cache's TCP probe cannot (a published image has nothing to
 * run it with), so only api and db are waited for until healthy. */
#define LIMITS "  resources { cpu = 10m..20m  memory = 8Mi..16Mi } }\n"
static const char graph_src[] =
	"service web   { image = \"ghcr.io/o/web:1.0\"  port = 80  uses = [api, cache]\n"
	"                health { readiness = exec(\"true\") }" LIMITS
	"service x     { image = \"ghcr.io/o/x:1.0\"  health { liveness = exec(\"true\") }\n"
	"                wait_for = none" LIMITS
	"service api   { image = \"ghcr.io/o/api:1.0\"  port = 8080  uses = [db]\n"
	"                health { readiness = exec(\"true\") }" LIMITS
	"service cache { image = \"redis:7.2\"  port = 6379  health { liveness = tcp() }" LIMITS
	"service db    { image = \"postgres:16.4\"  port = 5432\n"
	"                health { readiness = exec(\"pg_isready\") }" LIMITS;

static void test_graph_order(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c, graph_src, NULL));
	const struct depgraph *g = c.model->deps;
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_PTR_NULL(g->cycles);
	static const char *const want[] = { "db", "api", "cache", "web", "x" };
	CU_ASSERT_EQUAL_FATAL(g->count, 5);
	for (size_t i = 0; i < 5; i++)
		CU_ASSERT_STRING_EQUAL(g->order[i]->name, want[i]);
	compile_free(&c);
}

static void test_graph_conditions(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c, graph_src, NULL));
	const struct depgraph *g = c.model->deps;
	const struct dep_node *web = depgraph_node(g, service(c.model, "web"));
	const struct dep_node *api = depgraph_node(g, service(c.model, "api"));
	CU_ASSERT_EQUAL_FATAL(web->edge_count, 2);
	CU_ASSERT_STRING_EQUAL(web->edges[0].to->name, "api");
	CU_ASSERT_EQUAL(web->edges[0].condition, DEP_HEALTHY);
	CU_ASSERT_STRING_EQUAL(web->edges[1].to->name, "cache");
	CU_ASSERT_EQUAL(web->edges[1].condition, DEP_STARTED);
	CU_ASSERT_EQUAL_FATAL(api->edge_count, 1);
	CU_ASSERT_EQUAL(api->edges[0].condition, DEP_HEALTHY);
	CU_ASSERT_EQUAL(depgraph_node(g, service(c.model, "x"))->edge_count, 0);
	compile_free(&c);
}

static void test_graph_reaches(void)
{
	struct compilation c;
	CU_ASSERT_TRUE_FATAL(compile_text(&c, graph_src, NULL));
	const struct depgraph *g = c.model->deps;
	const struct model_service *web = service(c.model, "web"), *db = service(c.model, "db");
	const struct model_service *x = service(c.model, "x"), *cache = service(c.model, "cache");
	CU_ASSERT_TRUE(depgraph_reaches(g, web, db));
	CU_ASSERT_TRUE(depgraph_reaches(g, web, cache));
	CU_ASSERT_FALSE(depgraph_reaches(g, db, web));
	CU_ASSERT_FALSE(depgraph_reaches(g, cache, db));
	CU_ASSERT_FALSE(depgraph_reaches(g, x, db));
	CU_ASSERT_FALSE(depgraph_reaches(g, web, web));
	CU_ASSERT_STRING_EQUAL(web->wait_for, "init");
	CU_ASSERT_STRING_EQUAL(x->wait_for, "none");
	compile_free(&c);
}

/* Two cycles sharing no service are two diagnostics, not one per edge. */
static void test_graph_cycles(void)
{
	struct compilation c;
	CU_ASSERT_FALSE(compile_text(&c,
		"service a { image = \"o/a:1\"  port = 1  uses = [b]  health { liveness = exec(\"true\") } }\n"
		"service b { image = \"o/b:1\"  port = 2  uses = [a]  health { liveness = exec(\"true\") } }\n"
		"service c { image = \"o/c:1\"  port = 3  uses = [d]  health { liveness = exec(\"true\") } }\n"
		"service d { image = \"o/d:1\"  port = 4  uses = [e]  health { liveness = exec(\"true\") } }\n"
		"service e { image = \"o/e:1\"  port = 5  uses = [c, a]  health { liveness = exec(\"true\") } }\n",
		NULL));
	CU_ASSERT_EQUAL(count_code(&c, DIAG_E0311), 2);
	const struct dep_cycle *first = c.model->deps->cycles;
	CU_ASSERT_PTR_NOT_NULL_FATAL(first);
	CU_ASSERT_EQUAL(first->length, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first->next);
	CU_ASSERT_EQUAL(first->next->length, 3);
	CU_ASSERT_STRING_EQUAL(first->next->path[0]->name, "c");
	compile_free(&c);
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

static const struct test_entry tests[] = {
	{ "resolve: declaration table", test_decl_table },
	{ "declaration limit and DEPC_MAX_DECLS", test_decl_limit_env },
	{ "template expansion budget counts what is made", test_template_budget_exact },
	{ "resolve: cloud label outside the namespace", test_cloud_outside_namespace },
	{ "resolve: names shared across kinds", test_names_shared_across_kinds },
	{ "resolve: unique kinds", test_unique_kind_twice },
	{ "resolve: did-you-mean over declarations", test_suggest_names },
	{ "resolve: std imports", test_std_imports },
	{ "resolve: std import missing", test_std_import_missing },
	{ "resolve: template instance", test_template_instance },
	{ "resolve: unknown --env", test_unknown_env },
	{ "merge: scalar replaced", test_merge_scalar_replaced },
	{ "merge: map merged", test_merge_map_merged },
	{ "merge: map value and block", test_merge_map_value_and_block },
	{ "merge: nested blocks", test_merge_nested_blocks },
	{ "merge: list replaced", test_merge_list_replaced },
	{ "merge: new entries appended in order", test_merge_appends_in_order },
	{ "merge: duplicates kept", test_merge_keeps_duplicates },
	{ "merge: labelled blocks", test_merge_labelled_blocks },
	{ "merge: scalar over block", test_merge_scalar_over_block },
	{ "unset: fields", test_unset_fields },
	{ "unset: nested blocks and maps", test_unset_nested },
	{ "unset: list entries by value", test_unset_list_values },
	{ "overlay: not selected", test_overlay_not_selected },
	{ "overlay: production", test_overlay_production },
	{ "overlay: staging", test_overlay_staging },
	{ "overlay: checked when not selected", test_overlay_checked_unselected },
	{ "overlay: unknown target", test_overlay_unknown_target },
	{ "units: durations", test_units_duration },
	{ "units: sizes", test_units_size },
	{ "units: m is minutes or millicores", test_units_m },
	{ "units: percent and unknown", test_units_percent_and_unknown },
	{ "units: in the model", test_units_in_model },
	{ "units: wrong dimension", test_units_wrong_dimension },
	{ "webapp: services", test_webapp_services },
	{ "webapp: builds and images", test_webapp_build_and_images },
	{ "webapp: health", test_webapp_health },
	{ "webapp: secrets", test_webapp_secrets },
	{ "webapp: ingress and volumes", test_webapp_ingress_and_volumes },
	{ "webapp: app, pipeline, cloud, monitor", test_webapp_app_pipeline_cloud },
	{ "webapp: unknown --env", test_webapp_unknown_env },
	{ "graph: start order", test_graph_order },
	{ "graph: wait conditions", test_graph_conditions },
	{ "graph: reaches, wait_for", test_graph_reaches },
	{ "graph: each cycle once", test_graph_cycles },
};

int suite_semantic(void)
{
	CU_pSuite suite = CU_add_suite("semantic", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
