/* test_parser.c - unit tests for the parser (grammar/parser.y, src/parse.c,
 * src/ast.c, src/syntax_errors.c).
 *
 * Each construct is parsed with parse_source() and its tree compared,
 * as the one-line S-expression of ast_dump(), with the exact expected
 * string.  Spans are checked on the nodes themselves.  Error tests check
 * that every independent syntax error of a file is reported, once, with
 * the right code and span, and that the cascade after one is not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "ast.h"
#include "parse.h"

#include "unit.h"

struct px {
	struct arena arena;
	struct diag_bag bag;
	const struct source *src;
	struct ast_node *root;
};

static void px_parse(struct px *x, const char *text)
{
	arena_init(&x->arena);
	diag_bag_init(&x->bag, &x->arena);
	x->src = source_from_memory(&x->arena, "t.dep", text, strlen(text));
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->src);
	x->root = parse_source(&x->arena, x->src, &x->bag);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x->root);
}

static void px_free(struct px *x)
{
	arena_free(&x->arena);
}

static void check_equal(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n%s\n  expected: %s\n  got:      %s\n", what, want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
}

static void show_diags(const char *src, const struct diag_bag *bag)
{
	for (const struct diag *d = bag->first; d; d = d->next)
		fprintf(stderr, "\n%s: %s at %u-%u: %s\n", src, diag_code_name(d->code),
			d->span.start, d->span.end, d->message);
}

/* `src` parses without diagnostics to the tree `want`. */
static void expect_tree(const char *src, const char *want)
{
	struct px x;
	px_parse(&x, src);
	check_equal(src, ast_dump(&x.arena, x.root), want);
	if (x.bag.first)
		show_diags(src, &x.bag);
	CU_ASSERT_PTR_NULL(x.bag.first);
	px_free(&x);
}

/* The tree of `src` inside `x { ... }`, without that wrapper, so the tests
 * of values stay short: expect_attrs("a = 1", "(= a 1)"). */
static void expect_attrs(const char *body, const char *want)
{
	char src[1024], tree[2048];
	snprintf(src, sizeof src, "x {\n%s\n}\n", body);
	snprintf(tree, sizeof tree, "(file (block x { %s }))", want);
	expect_tree(src, tree);
}

/* `src` reports exactly the codes in `codes` (in source order) at the
 * given start offsets; `starts` may be NULL. */
static void expect_errors(const char *src, size_t n, const enum diag_code *codes,
			  const uint32_t *starts)
{
	struct px x;
	px_parse(&x, src);
	diag_bag_sort(&x.bag);
	size_t i = 0;
	bool ok = true;
	for (const struct diag *d = x.bag.first; d; d = d->next, i++) {
		if (i >= n || d->code != codes[i] || (starts && d->span.start != starts[i]))
			ok = false;
	}
	if (!ok || i != n)
		show_diags(src, &x.bag);
	CU_ASSERT_EQUAL(i, n);
	CU_ASSERT_TRUE(ok);
	px_free(&x);
}

/* The only diagnostic of `src`: its code, span and message. */
static void expect_error(const char *src, enum diag_code code, uint32_t start,
			 uint32_t end, const char *message)
{
	struct px x;
	px_parse(&x, src);
	const struct diag *d = x.bag.first;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	if (x.bag.errors != 1 || d->code != code || d->span.start != start ||
	    d->span.end != end)
		show_diags(src, &x.bag);
	CU_ASSERT_EQUAL(x.bag.errors, 1);
	CU_ASSERT_EQUAL(d->code, code);
	CU_ASSERT_EQUAL(d->span.start, start);
	CU_ASSERT_EQUAL(d->span.end, end);
	if (message)
		check_equal(src, d->message, message);
	px_free(&x);
}

static struct span at(const char *text, const char *needle, size_t len)
{
	const char *p = strstr(text, needle);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	uint32_t start = (uint32_t)(p - text);
	return span_make(start, start + (uint32_t)(len ? len : strlen(needle)));
}

#define ASSERT_SPAN(got, want)                                             \
	do {                                                               \
		struct span g_ = (got), w_ = (want);                       \
		if (g_.start != w_.start || g_.end != w_.end)              \
			fprintf(stderr, "\nline %d: span %u-%u, expected %u-%u\n", \
				__LINE__, g_.start, g_.end, w_.start, w_.end); \
		CU_ASSERT_EQUAL(g_.start, w_.start);                       \
		CU_ASSERT_EQUAL(g_.end, w_.end);                           \
	} while (0)

/* ---- blocks ---- */

static void test_blocks(void)
{
	expect_tree("pipeline { }", "(file (block pipeline { }))");
	expect_tree("service web { port = 3000 }",
		    "(file (block service web { (= port 3000) }))");
	expect_tree("service web {\n  port = 3000\n  replicas = 3\n}\n",
		    "(file (block service web { (= port 3000) (= replicas 3) }))");
	expect_tree("a {}\nb {}", "(file (block a { }) (block b { }))");
	expect_tree("", "(file)");
	expect_tree("# nothing but a comment\n", "(file)");
}

static void test_quoted_labels(void)
{
	expect_tree("dashboard \"Web Application Metrics\" { panel \"Request Rate\" { } }",
		    "(file (block dashboard \"Web Application Metrics\" "
		    "{ (block panel \"Request Rate\" { }) }))");
	expect_tree("panel \"say \\\"hi\\\"\" { }", "(file (block panel \"say \\\"hi\\\"\" { }))");
}

static void test_template_base(void)
{
	expect_tree("service web = node.nextjs(node = \"20\") {\n  port = 3000\n}",
		    "(file (block service web (= (call (. node nextjs) (= node (str \"20\")))) "
		    "{ (= port 3000) }))");
	expect_tree("service db = postgres(version = \"15-alpine\")",
		    "(file (block service db (= (call postgres (= version (str \"15-alpine\")))) { }))");
	expect_tree("service cache = redis", "(file (block service cache (= redis) { }))");
	expect_tree("service cache = std.redis { }",
		    "(file (block service cache (= (. std redis)) { }))");
	expect_tree("service \"web\" = t() { }", "(file (block service \"web\" (= (call t)) { }))");
	/* Two blocks made from templates, one after the other. */
	expect_tree("service db = postgres(version = \"15\") service c = redis()",
		    "(file (block service db (= (call postgres (= version (str \"15\")))) { }) "
		    "(block service c (= (call redis)) { }))");
}

static void test_nested_blocks(void)
{
	expect_tree("service web {\n  health {\n    liveness = http(\"/health\")\n"
		    "    interval = 30s\n  }\n  resources { cpu = 100m..500m }\n}",
		    "(file (block service web { (block health { (= liveness (call http "
		    "(str \"/health\"))) (= interval 30s) }) (block resources { (= cpu "
		    "(.. 100m 500m)) }) }))");
	expect_tree("monitor {\n  dashboard \"Web\" {\n    panel \"Rate\" { query = \"q\" }\n  }\n}",
		    "(file (block monitor { (block dashboard \"Web\" { (block panel \"Rate\" "
		    "{ (= query (str \"q\")) }) }) }))");
}

static void test_env_overlay(void)
{
	expect_tree("env production {\n  service web { replicas = 5 }\n}",
		    "(file (block env production { (block service web { (= replicas 5) }) }))");
}

static void test_separators(void)
{
	expect_attrs("a = 1; b = 2, c = 3 ;; d = 4,", "(= a 1) (= b 2) (= c 3) (= d 4)");
	expect_attrs("a = 1 b = 2", "(= a 1) (= b 2)");
	expect_tree("a { }; b { },", "(file (block a { }) (block b { }))");
}

/* ---- values ---- */

static void test_lists(void)
{
	expect_attrs("uses = [db, cache]", "(= uses [ db cache ])");
	expect_attrs("uses = [db, cache,]", "(= uses [ db cache ])");
	expect_attrs("uses = [\n  db,\n  cache,\n]", "(= uses [ db cache ])");
	expect_attrs("e = []", "(= e [ ])");
	expect_attrs("n = [[1, 2], [3], []]", "(= n [ [ 1 2 ] [ 3 ] [ ] ])");
	expect_attrs("l = [{ a = 1 }, \"s\", 1..2, true]",
		     "(= l [ { (= a 1) } (str \"s\") (.. 1 2) true ])");
}

static void test_maps(void)
{
	expect_attrs("env = { NODE_ENV = \"production\" }",
		     "(= env { (= NODE_ENV (str \"production\")) })");
	expect_attrs("env = { \"X-Request-Id\" = \"1\", PORT = 3000; }",
		     "(= env { (= \"X-Request-Id\" (str \"1\")) (= PORT 3000) })");
	expect_attrs("e = {}", "(= e { })");
	expect_attrs("m = { a = { b = 1 } }", "(= m { (= a { (= b 1) }) })");
}

static void test_strings(void)
{
	expect_attrs("s = \"nginx:1.25\"", "(= s (str \"nginx:1.25\"))");
	expect_attrs("s = \"\"", "(= s (str))");
	/* Escapes are decoded and the pieces merged into one text. */
	expect_attrs("s = \"a\\\"b\\\\c\\$d\\u{e9}\\n\\t\\r\"",
		     "(= s (str \"a\\\"b\\\\c$d\xc3\xa9\\n\\t\\x0d\"))");
	expect_attrs("s = \"${db.host}:${db.port}\"",
		     "(= s (str (. db host) \":\" (. db port)))");
	expect_attrs("s = \"a${ x }b\"", "(= s (str \"a\" x \"b\"))");
	expect_attrs("s = \"${f(1)}\"", "(= s (str (call f 1)))");
	expect_attrs("s = \"\\${x}\"", "(= s (str \"${x}\"))");
}

static void test_mstrings(void)
{
	/* The closing quotes set the margin; the first line break and the
	 * last one go. */
	expect_attrs("m = \"\"\"\n    line one\n      line two\n\n    last\n    \"\"\"",
		     "(= m (mstr \"line one\\n  line two\\n\\nlast\"))");
	expect_attrs("m = \"\"\"\n  a\n\"\"\"", "(= m (mstr \"  a\"))");
	expect_attrs("m = \"\"\"\n\tx\n\t\"\"\"", "(= m (mstr \"x\"))");
	expect_attrs("m = \"\"\"abc\n  def\"\"\"", "(= m (mstr \"abc\\n  def\"))");
	expect_attrs("m = \"\"\"\n\"\"\"", "(= m (mstr))");
	expect_attrs("m = \"\"\"\r\n  a\r\n    b\r\n  \"\"\"", "(= m (mstr \"a\\n  b\"))");
	/* Interpolation inside: the margin is removed around it. */
	expect_attrs("m = \"\"\"\n    host=${db.host}\n      port=${db.port}\n    \"\"\"",
		     "(= m (mstr \"host=\" (. db host) \"\\n  port=\" (. db port)))");
}

static void test_numbers(void)
{
	expect_attrs("a = 42 b = -7 c = 0.5 d = -1.25",
		     "(= a 42) (= b -7) (= c 0.5) (= d -1.25)");
	expect_attrs("a = 30s b = 256Mi c = 100m d = 50% e = 1.5Gi f = 5ms",
		     "(= a 30s) (= b 256Mi) (= c 100m) (= d 50%) (= e 1.5Gi) (= f 5ms)");
	expect_attrs("t = true f = false", "(= t true) (= f false)");
}

/* A unit's value is what strtod() reads from its text, whatever way it
 * is computed: whole numbers, decimals, and suffixes strtod() reads on
 * into ("1e3ms", "0x1Fs"). */
static void test_unit_values(void)
{
	static const char *const units[] = {
		"30s", "256Mi", "1.5Gi", "100m", "50%", "0s", "007s", "1e3ms", "1E2s",
		"0x1Fs", "0X10s", "-2s", "123456789012345s", "1234567890123456789s",
		"99999999999999999999Mi",
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		char src[64];
		snprintf(src, sizeof src, "a = %s", units[i]);
		struct px x;
		px_parse(&x, src);
		const struct ast_node *v = x.root->u.file.items->u.attr.value;
		CU_ASSERT_EQUAL_FATAL(v->kind, AST_UNIT);
		if (v->u.unit.value != strtod(units[i], NULL))
			fprintf(stderr, "\n%s: %.17g, expected %.17g\n", units[i],
				v->u.unit.value, strtod(units[i], NULL));
		CU_ASSERT(v->u.unit.value == strtod(units[i], NULL));
		px_free(&x);
	}
}

static void test_ranges(void)
{
	expect_attrs("cpu = 100m..500m", "(= cpu (.. 100m 500m))");
	expect_attrs("memory = 256Mi .. 512Mi", "(= memory (.. 256Mi 512Mi))");
	expect_attrs("replicas = 1..5", "(= replicas (.. 1 5))");
	expect_attrs("r = a.lo..b.hi", "(= r (.. (. a lo) (. b hi)))");
	expect_attrs("r = (a..b)", "(= r (.. a b))");
}

static void test_members_and_calls(void)
{
	expect_attrs("host = app.domain", "(= host (. app domain))");
	expect_attrs("x = a.b.c.d", "(= x (. (. (. a b) c) d))");
	expect_attrs("c = http(\"/health\")", "(= c (call http (str \"/health\")))");
	expect_attrs("c = f()", "(= c (call f))");
	expect_attrs("d = ecs(cluster = \"production\", service = web)",
		     "(= d (call ecs (= cluster (str \"production\")) (= service web)))");
	expect_attrs("c = f(1, \"a\", n = 2, o = x.y,)",
		     "(= c (call f 1 (str \"a\") (= n 2) (= o (. x y))))");
	expect_attrs("d = a.b(c).d", "(= d (. (call (. a b) c) d))");
	expect_attrs("e = f(a)(b)", "(= e (call (call f a) b))");
	expect_attrs("p = ((1))", "(= p 1)");
}

/* ---- imports and templates ---- */

static void test_imports(void)
{
	expect_tree("import \"std/node\"", "(file (import \"std/node\"))");
	expect_tree("import \"std/postgres\" as pg\nimport \"./lib.dep\"",
		    "(file (import \"std/postgres\" as pg) (import \"./lib.dep\"))");
}

static void test_templates(void)
{
	expect_tree("template service nextjs(node = \"20\", port = 3000, name) {\n"
		    "  image = \"node:${node}\"\n}",
		    "(file (template service nextjs ((= node (str \"20\")) (= port 3000) "
		    "(param name)) { (= image (str \"node:\" node)) }))");
	expect_tree("template service t() { }", "(file (template service t () { }))");
	expect_tree("template secret s(a,) { health { } }",
		    "(file (template secret s ((param a)) { (block health { }) }))");
}

static void test_whole_file(void)
{
	expect_tree("import \"std/node\"\n\n"
		    "app myapp {\n  version = \"1.0.2\"\n}\n\n"
		    "service web = node.nextjs(node = \"20.9.0-alpine\") {\n"
		    "  port = 3000\n  uses = [db]\n"
		    "  secrets { DATABASE_URL = database_url }\n}\n\n"
		    "env production { service web { replicas = 5 } }\n",
		    "(file (import \"std/node\") (block app myapp { (= version (str \"1.0.2\")) }) "
		    "(block service web (= (call (. node nextjs) (= node (str \"20.9.0-alpine\")))) "
		    "{ (= port 3000) (= uses [ db ]) (block secrets { (= DATABASE_URL database_url) }) }) "
		    "(block env production { (block service web { (= replicas 5) }) }))");
}

/* ---- spans ---- */

static void test_span_attr_and_block(void)
{
	const char *src = "service web {\n  port = 3000\n  image = \"nginx\"\n}\n";
	struct px x;
	px_parse(&x, src);
	struct ast_node *b = x.root->u.file.items;
	CU_ASSERT_EQUAL_FATAL(b->kind, AST_BLOCK);
	ASSERT_SPAN(b->span, span_make(0, (uint32_t)strlen(src) - 1));
	ASSERT_SPAN(b->u.block.kind_span, at(src, "service", 0));
	ASSERT_SPAN(b->u.block.label_span, at(src, "web", 0));
	ASSERT_SPAN(b->u.block.body_span, span_make(12, (uint32_t)strlen(src) - 1));
	struct ast_node *port = b->u.block.body;
	ASSERT_SPAN(port->span, at(src, "port = 3000", 0));
	ASSERT_SPAN(port->u.attr.name_span, at(src, "port", 0));
	ASSERT_SPAN(port->u.attr.value->span, at(src, "3000", 0));
	struct ast_node *image = port->next;
	ASSERT_SPAN(image->span, at(src, "image = \"nginx\"", 0));
	/* A string's span includes its quotes; its text's does not. */
	ASSERT_SPAN(image->u.attr.value->span, at(src, "\"nginx\"", 0));
	ASSERT_SPAN(image->u.attr.value->u.string.parts->span, at(src, "nginx", 0));
	CU_ASSERT_PTR_EQUAL(port->src, x.src);
	px_free(&x);
}

static void test_span_base(void)
{
	const char *src = "service db = postgres(version = \"15\")\nx {}";
	struct px x;
	px_parse(&x, src);
	struct ast_node *b = x.root->u.file.items;
	ASSERT_SPAN(b->span, at(src, "service db = postgres(version = \"15\")", 0));
	struct ast_node *call = b->u.block.base;
	ASSERT_SPAN(call->span, at(src, "postgres(version = \"15\")", 0));
	ASSERT_SPAN(call->u.call.callee->span, at(src, "postgres", 0));
	ASSERT_SPAN(call->u.call.args->span, at(src, "version = \"15\"", 0));
	/* No body: an empty body span just after the base. */
	uint32_t end = at(src, ")", 0).end;
	ASSERT_SPAN(b->u.block.body_span, span_make(end, end));
	px_free(&x);
}

static void test_span_values(void)
{
	const char *src = "x {\n  cpu = 100m..500m\n  host = app.domain\n"
			  "  uses = [db, cache]\n  env = { A = 1 }\n"
			  "  url = \"h=${db.host}\"\n}";
	struct px x;
	px_parse(&x, src);
	struct ast_node *a = x.root->u.file.items->u.block.body;
	ASSERT_SPAN(a->u.attr.value->span, at(src, "100m..500m", 0));
	ASSERT_SPAN(a->u.attr.value->u.range.lo->span, at(src, "100m", 0));
	ASSERT_SPAN(a->u.attr.value->u.range.hi->span, at(src, "500m", 0));
	a = a->next;
	ASSERT_SPAN(a->u.attr.value->span, at(src, "app.domain", 0));
	ASSERT_SPAN(a->u.attr.value->u.member.name_span, at(src, "domain", 0));
	ASSERT_SPAN(a->u.attr.value->u.member.object->span, at(src, "app", 0));
	a = a->next;
	ASSERT_SPAN(a->u.attr.value->span, at(src, "[db, cache]", 0));
	ASSERT_SPAN(a->u.attr.value->u.list.items->next->span, at(src, "cache", 0));
	a = a->next;
	ASSERT_SPAN(a->u.attr.value->span, at(src, "{ A = 1 }", 0));
	ASSERT_SPAN(a->u.attr.value->u.list.items->span, at(src, "A = 1", 0));
	a = a->next;
	struct ast_node *s = a->u.attr.value;
	ASSERT_SPAN(s->span, at(src, "\"h=${db.host}\"", 0));
	ASSERT_SPAN(s->u.string.parts->span, at(src, "h=", 0));
	ASSERT_SPAN(s->u.string.parts->next->span, at(src, "db.host", 0));
	px_free(&x);
}

static void test_span_merged_text(void)
{
	/* Escapes are separate tokens; the merged text spans all of them. */
	const char *src = "x { s = \"a\\tb\\u{e9}c\" }";
	struct px x;
	px_parse(&x, src);
	struct ast_node *s = x.root->u.file.items->u.block.body->u.attr.value;
	ASSERT_SPAN(s->u.string.parts->span, at(src, "a\\tb\\u{e9}c", 0));
	px_free(&x);
}

static void test_span_import_template(void)
{
	const char *src = "import \"std/postgres\" as pg\n"
			  "template service t(a = 1, b) { }\n";
	struct px x;
	px_parse(&x, src);
	struct ast_node *imp = x.root->u.file.items;
	ASSERT_SPAN(imp->span, at(src, "import \"std/postgres\" as pg", 0));
	ASSERT_SPAN(imp->u.import.path_span, at(src, "\"std/postgres\"", 0));
	ASSERT_SPAN(imp->u.import.alias_span, at(src, "pg", 0));
	struct ast_node *t = imp->next;
	ASSERT_SPAN(t->span, at(src, "template service t(a = 1, b) { }", 0));
	ASSERT_SPAN(t->u.template.kind_span, at(src, "service", 0));
	ASSERT_SPAN(t->u.template.name_span, at(src, "t(", 1));
	ASSERT_SPAN(t->u.template.params->span, at(src, "a = 1", 0));
	ASSERT_SPAN(t->u.template.params->next->span, at(src, "b)", 1));
	px_free(&x);
}

static void test_span_utf8(void)
{
	/* Spans are byte offsets: "日本" is 6 bytes. */
	const char *src = "x { a = \"\xe6\x97\xa5\xe6\x9c\xac\" b = 1 }";
	struct px x;
	px_parse(&x, src);
	struct ast_node *b = x.root->u.file.items->u.block.body->next;
	ASSERT_SPAN(b->span, span_make(17, 22));
	px_free(&x);
}

/* ---- syntax errors ---- */

static void test_error_messages(void)
{
	expect_error("x {\n  port = = 80\n}", DIAG_E0101, 13, 14,
		     "expected a value, found '='");
	expect_error("x {\n  uses = [db cache]\n}", DIAG_E0101, 17, 22,
		     "expected ',' or ']', found 'cache'");
	expect_error("x {\n  port = 80\n", DIAG_E0101, 15, 15,
		     "expected a field name or '}', found end of file");
	expect_error("x {\n  port = 80 }\n}", DIAG_E0101, 18, 19, "unmatched '}'");
	expect_error("service web = {\n}", DIAG_E0101, 14, 15,
		     "expected a template name, found '{'");
	expect_error("x {\n  env = { A = 1 B }\n}", DIAG_E0101, 22, 23,
		     "expected '=', found '}'");
	expect_error("x {\n  e = { [ }\n}", DIAG_E0101, 12, 13,
		     "expected a key or '}', found '['");
	expect_error("x {\n  c = f(a b)\n}", DIAG_E0101, 14, 15,
		     "expected ',', ')' or '=', found 'b'");
	expect_error("}", DIAG_E0101, 0, 1, "unmatched '}'");
	expect_error("x = 1 y", DIAG_E0101, 7, 7,
		     "expected a name, a string, '{' or '=', found end of file");
	expect_error("service web { url = \"${db.}\" }", DIAG_E0101, 26, 27,
		     "expected a name, found '}'");
}

static void test_unset(void)
{
	expect_attrs("unset a\nunset b.c \"/x\"\nunset d [e, 1]\nf = 1",
		     "(unset a) (unset b.c (str \"/x\")) (unset d [ e 1 ]) (= f 1)");
	/* The next line is never read as the value: a value is a string or
	 * a list, and no entry starts with either. */
	expect_attrs("unset a\nb { }", "(unset a) (block b { })");
	expect_tree("unset a.b", "(file (unset a.b))");
}

static void test_error_misplaced(void)
{
	expect_error("x {\n  import \"std/node\"\n}", DIAG_E0105, 6, 12,
		     "'import' inside a block");
	expect_error("import \"std/${x}\"", DIAG_E0106, 7, 17,
		     "an import path cannot contain interpolation");
	expect_error("x { m = { \"${k}\" = 1 } }", DIAG_E0106, 10, 16,
		     "a map key cannot contain interpolation");
}

static void test_error_margin(void)
{
	const char *src = "x {\n  m = \"\"\"\n    ok\n  short\n    \"\"\"\n}";
	struct px x;
	px_parse(&x, src);
	const struct diag *d = x.bag.first;
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->code, DIAG_E0011);
	ASSERT_SPAN(d->span, at(src, "  short", 3));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->labels);
	ASSERT_SPAN(d->labels->span, at(src, "\"\"\"\n}", 3));
	CU_ASSERT_EQUAL(x.bag.errors, 1);
	px_free(&x);
}

static void test_error_several(void)
{
	/* Five independent mistakes in three blocks: all five reported. */
	const char *src =
		"service web {\n"
		"  port = = 80\n"
		"  uses = [db cache]\n"
		"  health {\n"
		"    liveness = http(\"/health\"\n"
		"  }\n"
		"}\n"
		"service db {\n"
		"  volume \"data\" =\n"
		"}\n"
		"secret key {\n"
		"  allow = [ , ]\n"
		"}\n";
	const enum diag_code codes[] = { DIAG_E0101, DIAG_E0101, DIAG_E0101,
					 DIAG_E0101, DIAG_E0101 };
	const uint32_t starts[] = {
		at(src, "= 80", 0).start, at(src, "cache", 0).start,
		at(src, "  }\n}\nservice db", 0).start + 2, at(src, "}\nsecret", 0).start,
		at(src, ", ]", 0).start,
	};
	expect_errors(src, 5, codes, starts);
}

/* Broken entries on consecutive lines are each reported, however short;
 * a second error on the line of the first is not. */
static void test_error_consecutive(void)
{
	const char *src = "x {\n  port = = 80\n  replicas = = 3\n  a = 1 b = = 2\n"
			  "  uses = [db cache]\n}\n";
	const enum diag_code codes[] = { DIAG_E0101, DIAG_E0101, DIAG_E0101, DIAG_E0101 };
	const uint32_t starts[] = {
		at(src, "= 80", 0).start, at(src, "= 3", 0).start,
		at(src, "= 2", 0).start, at(src, "cache", 0).start,
	};
	expect_errors(src, 4, codes, starts);
	const enum diag_code one[] = { DIAG_E0101 };
	expect_errors("x { a = = 1 b = = 2 }", 1, one, NULL);
}

static void test_error_mixed(void)
{
	/* Lexical and syntax errors together, each reported once. */
	const char *src =
		"service web {\n"
		"  image = 'nginx'\n"
		"  port: 80\n"
		"  timeout = 30sec\n"
		"  uses = [db cache]\n"
		"  name = \"a\\qb\"\n"
		"}\n";
	const enum diag_code codes[] = { DIAG_E0014, DIAG_E0008, DIAG_E0005,
					 DIAG_E0101, DIAG_E0006 };
	expect_errors(src, 5, codes, NULL);
}

/* The errors a first mistake causes are not reported. */
static void test_error_no_cascade(void)
{
	const enum diag_code one_syntax[] = { DIAG_E0101 };
	const enum diag_code one_lex[] = { DIAG_E0008 };
	/* The '{' after a broken header still opens a body. */
	expect_errors("service web = {\n  port = 80\n}\nx { }", 1, one_syntax, NULL);
	expect_errors("service web x y {\n  a { b = 1 }\n}\nz { }", 1, one_syntax, NULL);
	/* A dropped character: the token after it is not a second error. */
	expect_errors("x {\n  port: 80\n  a = 1\n}", 1, one_lex, NULL);
	expect_errors("x {\n  a = @\n}", 1, one_lex, NULL);
	/* A missing '{' makes the block's '}' unmatched: one error. */
	expect_errors("service web\n  port = 80\n}\n", 1, one_syntax, NULL);
	/* A string or comment running to the end hides the missing '}'. */
	const enum diag_code str[] = { DIAG_E0003 };
	const enum diag_code com[] = { DIAG_E0004 };
	const enum diag_code interp[] = { DIAG_E0007 };
	expect_errors("x {\n  a = \"\"\"\n  text\n", 1, str, NULL);
	expect_errors("x {\n  a = 1 /* note\n", 1, com, NULL);
	expect_errors("x {\n  a = \"${db.", 1, interp, NULL);
	expect_errors("x {\n  a = \"${\"\n}", 1, interp, NULL);
}

static void test_error_nesting(void)
{
	char src[2048];
	strcpy(src, "x { v = ");
	size_t n = strlen(src);
	for (int i = 0; i < 300; i++)
		src[n++] = '[';
	strcpy(src + n, " }");
	struct px x;
	px_parse(&x, src);
	CU_ASSERT_EQUAL(x.bag.errors, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first);
	CU_ASSERT_EQUAL(x.bag.first->code, DIAG_E0102);
	/* '{' is level 1, so the 256th '[' is the one too deep. */
	CU_ASSERT_EQUAL(x.bag.first->span.start, 8 + 255);
	/* Parsing stopped without leaving a NUL in the text. */
	CU_ASSERT_EQUAL(strlen(x.src->text), strlen(src));
	px_free(&x);
}

static void test_error_chain(void)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "x { v = a");
	for (int i = 0; i < 300; i++)
		strbuf_puts(&b, ".b");
	strbuf_puts(&b, " }");
	struct px x;
	px_parse(&x, b.data);
	CU_ASSERT_EQUAL(x.bag.errors, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x.bag.first);
	CU_ASSERT_EQUAL(x.bag.first->code, DIAG_E0102);
	/* The span is the one '.b' past the limit. */
	uint32_t start = 9 + 2 * PARSE_MAX_DEPTH;
	ASSERT_SPAN(x.bag.first->span, span_make(start, start + 2));
	px_free(&x);
	strbuf_free(&b);
}

/* A partial tree still comes back, and holds what parsed. */
static void test_error_partial_tree(void)
{
	struct px x;
	px_parse(&x, "a { p = 1 q = }\nb { r = 2 }");
	check_equal("partial", ast_dump(&x.arena, x.root),
		    "(file (block a { (= p 1) }) (block b { (= r 2) }))");
	CU_ASSERT_EQUAL(x.bag.errors, 1);
	px_free(&x);
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

static const struct test_entry tests[] = {
	{ "blocks", test_blocks },
	{ "quoted labels", test_quoted_labels },
	{ "template base", test_template_base },
	{ "nested blocks", test_nested_blocks },
	{ "env overlay", test_env_overlay },
	{ "separators", test_separators },
	{ "lists", test_lists },
	{ "maps", test_maps },
	{ "strings", test_strings },
	{ "multi-line strings", test_mstrings },
	{ "numbers and units", test_numbers },
	{ "unit values", test_unit_values },
	{ "ranges", test_ranges },
	{ "members and calls", test_members_and_calls },
	{ "imports", test_imports },
	{ "templates", test_templates },
	{ "a whole file", test_whole_file },
	{ "span: attribute and block", test_span_attr_and_block },
	{ "span: template base", test_span_base },
	{ "span: values", test_span_values },
	{ "span: merged text", test_span_merged_text },
	{ "span: import and template", test_span_import_template },
	{ "span: UTF-8", test_span_utf8 },
	{ "unset", test_unset },
	{ "error: messages", test_error_messages },
	{ "error: misplaced import, interpolation", test_error_misplaced },
	{ "error: multi-line string margin", test_error_margin },
	{ "error: several in one file", test_error_several },
	{ "error: consecutive lines", test_error_consecutive },
	{ "error: lexical and syntax mixed", test_error_mixed },
	{ "error: no cascade", test_error_no_cascade },
	{ "error: nesting limit", test_error_nesting },
	{ "error: member chain limit", test_error_chain },
	{ "error: partial tree", test_error_partial_tree },
};

int suite_parser(void)
{
	CU_pSuite suite = CU_add_suite("parser", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
