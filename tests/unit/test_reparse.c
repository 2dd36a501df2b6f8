/* test_reparse.c - src/reparse.c against whole parses.
 *
 * Programs are edited at random, many times in a row, the way an editor
 * sends changes: bytes typed, deleted or pasted anywhere, including
 * brackets, quotes, comment starts and line breaks.  After each edit the
 * tree reparse() gives, with every span of every node and the comments,
 * must be the one a whole parse of the new text gives, and so must what
 * it reports.  The edits must also let it reuse items most of the time,
 * or the test would prove nothing about the reuse. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "ast.h"
#include "parse.h"
#include "reparse.h"

#include "unit.h"

static void put_span(struct strbuf *b, struct span s)
{
	strbuf_printf(b, "@%" PRIu32 "-%" PRIu32, s.start, s.end);
}

/* The source every node of the tree being dumped must point at. */
static const struct source *dump_src;

static void dump(struct strbuf *b, const struct ast_node *n);

static void dump_list(struct strbuf *b, const struct ast_node *n)
{
	strbuf_puts(b, "[");
	for (; n; n = n->next)
		dump(b, n);
	strbuf_puts(b, "]");
}

/* Every field of every node, spans included: what ast_dump leaves out
 * is what reparse.c moves. */
static void dump(struct strbuf *b, const struct ast_node *n)
{
	if (!n) {
		strbuf_puts(b, "-");
		return;
	}
	strbuf_printf(b, "(%s", ast_kind_name(n->kind));
	put_span(b, n->span);
	switch (n->kind) {
	case AST_FILE: dump_list(b, n->u.file.items); break;
	case AST_IMPORT:
		strbuf_printf(b, " %s %s", n->u.import.path, n->u.import.alias ? n->u.import.alias : "");
		put_span(b, n->u.import.path_span);
		put_span(b, n->u.import.alias_span);
		break;
	case AST_TEMPLATE:
		strbuf_printf(b, " %s %s", n->u.template.kind, n->u.template.name);
		put_span(b, n->u.template.kind_span);
		put_span(b, n->u.template.name_span);
		dump_list(b, n->u.template.params);
		dump_list(b, n->u.template.body);
		break;
	case AST_BLOCK:
		strbuf_printf(b, " %s %s %d", n->u.block.kind,
			      n->u.block.label ? n->u.block.label : "", n->u.block.label_quoted);
		put_span(b, n->u.block.kind_span);
		put_span(b, n->u.block.label_span);
		put_span(b, n->u.block.body_span);
		dump(b, n->u.block.base);
		dump_list(b, n->u.block.body);
		break;
	case AST_ATTR:
		strbuf_printf(b, " %s %d", n->u.attr.name, n->u.attr.name_quoted);
		put_span(b, n->u.attr.name_span);
		dump(b, n->u.attr.value);
		break;
	case AST_IDENT: strbuf_printf(b, " %s", n->u.ident.name); break;
	case AST_MEMBER:
		strbuf_printf(b, " %s %u", n->u.member.name, n->u.member.chain);
		put_span(b, n->u.member.name_span);
		dump(b, n->u.member.object);
		break;
	case AST_CALL:
		strbuf_printf(b, " %u", n->u.call.chain);
		dump(b, n->u.call.callee);
		dump_list(b, n->u.call.args);
		break;
	case AST_STRING:
		strbuf_printf(b, " %d", n->u.string.multiline);
		dump_list(b, n->u.string.parts);
		break;
	case AST_TEXT: strbuf_printf(b, " %zu:%s", n->u.text.len, n->u.text.text); break;
	case AST_INT: strbuf_printf(b, " %" PRId64, n->u.integer.value); break;
	case AST_FLOAT: strbuf_printf(b, " %s", n->u.number.text); break;
	case AST_UNIT: strbuf_printf(b, " %s%s", n->u.unit.text, n->u.unit.suffix); break;
	case AST_BOOL: strbuf_printf(b, " %d", n->u.boolean.value); break;
	case AST_LIST: case AST_MAP: dump_list(b, n->u.list.items); break;
	case AST_RANGE:
		dump(b, n->u.range.lo);
		dump(b, n->u.range.hi);
		break;
	case AST_UNSET:
		dump_list(b, n->u.unset.path);
		dump(b, n->u.unset.value);
		break;
	default: break;
	}
	strbuf_puts(b, n->src == dump_src ? ")" : " (another source))");
}

/* The tree, the comments and the diagnostics, as one text. */
static char *describe(const struct ast_node *root, const struct parse_comment *c,
		      const struct diag_bag *bag, const struct source *src)
{
	struct strbuf b;
	strbuf_init(&b);
	dump_src = src;
	dump(&b, root);
	for (; c; c = c->next)
		put_span(&b, c->span);
	for (const struct diag *d = bag->first; d; d = d->next) {
		strbuf_printf(&b, "\n%s", diag_code_name(d->code));
		put_span(&b, d->span);
	}
	return b.data; /* malloc'd, NUL-ended: the dump is never empty */
}

/* One version of the text: the reparse and the whole parse compared. */
struct version {
	struct arena arena; /* its source, and the whole parse */
	const struct source *src;
};

static bool same_as_whole(struct reparse *r, struct version *v, const char *text, size_t len)
{
	arena_init(&v->arena);
	v->src = source_from_memory(&v->arena, "t.dep", text, len);
	struct diag_bag got_bag, want_bag;
	diag_bag_init(&got_bag, &v->arena);
	diag_bag_init(&want_bag, &v->arena);
	struct parse_comment *got_comments, *want_comments;
	struct ast_node *got = reparse(r, v->src, &got_bag, &got_comments);
	struct ast_node *want = parse_source_comments(&v->arena, v->src, &want_bag, &want_comments);
	char *g = describe(got, got_comments, &got_bag, &r->source);
	char *w = describe(want, want_comments, &want_bag, v->src);
	bool same = strcmp(g, w) == 0;
	if (!same)
		fprintf(stderr, "\nreparse differs on:\n%.*s\n  got:  %s\n  want: %s\n",
			(int)len, text, g, w);
	free(g);
	free(w);
	return same;
}

static const char *const snippets[] = {
	"}", "{", "\"", "#", "\n", " ", ".x", "/*", "*/", "x = 1\n", "(", ")", "[", "]",
	"service s { port = 80 }\n", "\"\"\"", "${a}", ";", ",", "\xc3\xa9", "=", "\"t\"",
	"unset x\n", "import \"std/node\"\n", "1..3", "'q'", "  ", "// c\n", "y", "z = [1, 2]\n",
	"a", "9", "-", "@", "://", "\\", "\t", "\r\n", "env prod {\n", "}\n", "as", ".",
	"template service t() {\n}\n", "\xe2\x80\x9c", "x = a\n", "\n.b", "\n(1)", " = f(2)",
};

/* A random edit of `text`: a snippet inserted, bytes deleted, or both. */
static size_t edit(char *text, size_t len, size_t cap, unsigned *seed)
{
	size_t at = len ? (size_t)rand_r(seed) % (len + 1) : 0;
	size_t del = rand_r(seed) % 3 == 0 ? (size_t)rand_r(seed) % 12 : 0;
	if (del > len - at)
		del = len - at;
	const char *ins = rand_r(seed) % 4 == 0 ? "" : snippets[(size_t)rand_r(seed) %
							  (sizeof snippets / sizeof *snippets)];
	size_t n = strlen(ins);
	if (len - del + n >= cap)
		return len;
	memmove(text + at + n, text + at + del, len - at - del);
	memcpy(text + at, ins, n);
	return len - del + n;
}

static const char *const programs[] = {
	"app shop { domain = \"shop.example.com\" }\n"
	"# the database\n"
	"service db { image = \"postgres:16\"\n  port = 5432 }\n"
	"\n"
	"template service web(port = 3000) {\n  port = port\n  replicas = 2\n}\n"
	"service api = web(port = 8080) {\n  env { DB = \"postgres://${db.host}/x\" }\n}\n"
	"/* a block\n   comment */\n"
	"service worker {\n  command = [\"run\", \"--fast\"]\n  cpu = 500m\n  memory = 256Mi\n}\n"
	"env prod {\n  service api { replicas = 4 }\n}\n"
	"secret key { from = env(\"KEY\") }\n",

	"import \"std/node\" as node\n"
	"service a { port = 1 }\n  service b { port = 2 }\n"
	"service c = node.app(port = 3) ; service d { note = \"\"\"\n    text\n    \"\"\" }\n"
	"x = 1..5\n"
	"service e { health { path = \"/h\"; interval = 10s } }\n",
};

/* `steps` versions of `start`, each an edit of the last (`cumulative`)
 * or of `start` itself, with `start` again between them: as typing
 * goes, many versions do not parse, and from one that does not the next
 * is parsed whole. */
static void run_edits(const char *start, unsigned seed, size_t steps, bool cumulative,
		      size_t *reused, size_t *versions)
{
	size_t cap = 8192, len = strlen(start);
	char *text = malloc(cap);
	memcpy(text, start, len);
	struct reparse r;
	reparse_init(&r);
	struct version v[2];
	bool ok = same_as_whole(&r, &v[0], text, len);
	for (size_t i = 1; ok && i <= steps; i++) {
		if (!cumulative && i % 2 == 0) {
			len = strlen(start);
			memcpy(text, start, len);
		} else {
			len = edit(text, len, cap, &seed);
		}
		ok = same_as_whole(&r, &v[i % 2], text, len);
		arena_free(&v[(i - 1) % 2].arena); /* the last text, no longer read */
		*reused += r.items_reused > 0;
		(*versions)++;
	}
	CU_ASSERT(ok);
	arena_free(&v[steps % 2].arena);
	reparse_free(&r);
	free(text);
}

static void test_random_edits(void)
{
	size_t reused = 0, versions = 0;
	for (unsigned seed = 1; seed <= 200; seed++)
		run_edits(programs[seed % 2], seed, 40, seed % 4 == 0, &reused, &versions);
	/* A quarter reusing items shows the reuse was exercised, on every
	 * kind of edit. */
	if (reused * 4 < versions)
		fprintf(stderr, "\nonly %zu of %zu versions reused items\n", reused, versions);
	CU_ASSERT(reused * 4 >= versions);
}

/* A value changed in the middle: everything else is reused, and the
 * spans after it move by the change in length. */
static void test_value_edit(void)
{
	const char *a = "service a { port = 1 }\nservice b { port = 2 }\nservice c { port = 3 }\n"
			"service d { port = 4 }\n";
	const char *b = "service a { port = 1 }\nservice b { port = 2 }\nservice c { port = 3000 }\n"
			"service d { port = 4 }\n";
	struct reparse r;
	reparse_init(&r);
	struct version v[2];
	CU_ASSERT(same_as_whole(&r, &v[0], a, strlen(a)));
	CU_ASSERT(same_as_whole(&r, &v[1], b, strlen(b)));
	/* a kept before (b is re-parsed with c, being next to it), d after */
	CU_ASSERT_EQUAL(r.items_reused, 2);
	arena_free(&v[0].arena);
	arena_free(&v[1].arena);
	reparse_free(&r);
}

int suite_reparse(void)
{
	CU_pSuite suite = CU_add_suite("reparse", NULL, NULL);
	if (!suite)
		return -1;
	if (!CU_add_test(suite, "a value edited", test_value_edit) ||
	    !CU_add_test(suite, "random edits against whole parses", test_random_edits))
		return -1;
	return 0;
}
