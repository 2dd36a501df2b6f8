/* test_escape.c - each escaping rule of escape.h, the HCL writer's
 * quoting, alignment and nesting, and output_source_path. */
#include <CUnit/CUnit.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "composed.h"
#include "escape.h"
#include "hcl_out.h"
#include "image_host.h"
#include "output.h"
#include "unit.h"
#include "yaml_out.h"

static struct arena arena;

static int setup(void)
{
	arena_init(&arena);
	return 0;
}

static int teardown(void)
{
	arena_free(&arena);
	return 0;
}

static void test_dockerfile(void)
{
	CU_ASSERT_STRING_EQUAL(escape_dockerfile_value(&arena, "plain"), "\"plain\"");
	CU_ASSERT_STRING_EQUAL(escape_dockerfile_value(&arena, "${{ github.token }}"),
			       "\"\\${{ github.token }}\"");
	CU_ASSERT_STRING_EQUAL(escape_dockerfile_value(&arena, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	/* A Dockerfile has no escape for a line break: the checker refuses
	 * one (E0331), and escape_is_one_line says which texts. */
	CU_ASSERT_FALSE(escape_is_one_line("1\n2"));
	CU_ASSERT_FALSE(escape_is_one_line("a\rb"));
	CU_ASSERT_FALSE(escape_is_one_line("nel\xc2\x85"));
	CU_ASSERT_FALSE(escape_is_one_line("ls\xe2\x80\xa8"));
	CU_ASSERT_TRUE(escape_is_one_line("caf\xc3\xa9 \"$x\" \\"));
	/* Words: each of the lexer's specials is escaped, a blank too. */
	CU_ASSERT_STRING_EQUAL(escape_dockerfile_word(&arena, "package.json"), "package.json");
	CU_ASSERT_STRING_EQUAL(escape_dockerfile_word(&arena, "a b$c'd\"e\\f"),
			       "a\\ b\\$c\\'d\\\"e\\\\f");
}

static void test_promql(void)
{
	CU_ASSERT_STRING_EQUAL(escape_promql_string(&arena, "web"), "\"web\"");
	CU_ASSERT_STRING_EQUAL(escape_promql_string(&arena, "code\",x=\""), "\"code\\\",x=\\\"\"");
	CU_ASSERT_STRING_EQUAL(escape_promql_string(&arena, "a\\b\nc\x01"), "\"a\\\\b\\nc\\x01\"");
	CU_ASSERT_TRUE(escape_promql_metric_ok("http_requests_total"));
	CU_ASSERT_TRUE(escape_promql_metric_ok("job:requests:rate5m"));
	CU_ASSERT_FALSE(escape_promql_metric_ok("5xx"));
	CU_ASSERT_FALSE(escape_promql_metric_ok("a{b=\"c\"}"));
	CU_ASSERT_FALSE(escape_promql_metric_ok(""));
	CU_ASSERT_TRUE(escape_promql_label_ok("status"));
	CU_ASSERT_FALSE(escape_promql_label_ok("code\",x=\""));
	CU_ASSERT_FALSE(escape_promql_label_ok("a:b"));
	CU_ASSERT_FALSE(escape_promql_label_ok("__name__"));
}

/* A Go string literal in an ESO template action: '"' cannot end the
 * literal, "}}" inside it cannot end the action, controls stay escapes. */
static void test_go_template_string(void)
{
	CU_ASSERT_STRING_EQUAL(escape_go_template_string(&arena, "registry.acme.example:5000"),
			       "\"registry.acme.example:5000\"");
	CU_ASSERT_STRING_EQUAL(escape_go_template_string(&arena, "a\"}} {{ .password }}\\"),
			       "\"a\\\"}} {{ .password }}\\\\\"");
	CU_ASSERT_STRING_EQUAL(escape_go_template_string(&arena, "x\n\x7f"), "\"x\\n\\x7f\"");
}

/* Docker's rule for the registry host of an image reference. */
static void test_image_host(void)
{
	static const struct { const char *image, *host; } cases[] = {
		{ "postgres:16.4-alpine", "docker.io" }, { "acme/app:1.0", "docker.io" },
		{ "index.docker.io/acme/app:1", "docker.io" }, { "localhost/app", "localhost" },
		{ "localhost:5000/app:2", "localhost:5000" }, { "Registry.Acme.Example/x/y:1", "registry.acme.example" },
		{ "quay.io/acme/reports@sha256:0123", "quay.io" }, { "registry:5000/app", "registry:5000" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CU_ASSERT_TRUE(image_host(cases[i].image, buf, sizeof buf));
		CU_ASSERT_STRING_EQUAL(buf, cases[i].host);
	}
	CU_ASSERT_FALSE(image_host("a-very-long-registry-host.example/app", buf, 8));
	CU_ASSERT_TRUE(image_under_host("registry.acme.example/shop/api:1", "REGISTRY.acme.example"));
	CU_ASSERT_FALSE(image_under_host("registry.acme.example:5000/api:1", "registry.acme.example"));
	CU_ASSERT_FALSE(image_under_host("registry.acme.example.evil/api:1", "registry.acme.example"));
	CU_ASSERT_TRUE(image_under_host("redis:7", "index.docker.io"));
	CU_ASSERT_TRUE(image_host_same("docker.io", "INDEX.DOCKER.IO"));
}

static void test_heredoc(void)
{
	CU_ASSERT_STRING_EQUAL(escape_heredoc_delimiter(&arena, "a\nb\n", "EOF"), "EOF");
	CU_ASSERT_STRING_EQUAL(escape_heredoc_delimiter(&arena, "a\nEOF\nb", "EOF"), "EOF_1");
	CU_ASSERT_STRING_EQUAL(escape_heredoc_delimiter(&arena, "EOF\nEOF_1", "EOF"), "EOF_2");
	/* Only a whole line ends a here-document. */
	CU_ASSERT_STRING_EQUAL(escape_heredoc_delimiter(&arena, " EOF\nEOFX\n", "EOF"), "EOF");
}

static void test_shell_word(void)
{
	CU_ASSERT_STRING_EQUAL(escape_shell_word(&arena, "web-1.2_x:y"), "web-1.2_x:y");
	CU_ASSERT_STRING_EQUAL(escape_shell_word(&arena, ""), "''");
	CU_ASSERT_STRING_EQUAL(escape_shell_word(&arena, "a b"), "'a b'");
	CU_ASSERT_STRING_EQUAL(escape_shell_word(&arena, "it's"), "'it'\\''s'");
	CU_ASSERT_STRING_EQUAL(escape_shell_word(&arena, "$(id)"), "'$(id)'");
}

static void test_compose(void)
{
	CU_ASSERT_STRING_EQUAL(escape_compose(&arena, "no dollars"), "no dollars");
	CU_ASSERT_STRING_EQUAL(escape_compose(&arena, "${VAR} $$"), "$${VAR} $$$$");
}

static void test_hcl(void)
{
	CU_ASSERT_STRING_EQUAL(escape_hcl(&arena, "${var.x}"), "$${var.x}");
	CU_ASSERT_STRING_EQUAL(escape_hcl(&arena, "%{ if true }"), "%%{ if true }");
	CU_ASSERT_STRING_EQUAL(escape_hcl(&arena, "${{ github.token }}"), "$${{ github.token }}");
	/* Only the two-character openers are special. */
	CU_ASSERT_STRING_EQUAL(escape_hcl(&arena, "$x %d {}"), "$x %d {}");
	CU_ASSERT_STRING_EQUAL(escape_hcl(&arena, "a\"b\\c\nd\te"), "a\\\"b\\\\c\\nd\\te");
}

static void test_actions(void)
{
	CU_ASSERT_STRING_EQUAL(escape_actions(&arena, "echo ${{ github.token }}"),
			       "echo ${{ '${{' }} github.token }}");
	CU_ASSERT_STRING_EQUAL(escape_actions(&arena, "${{${{"), "${{ '${{' }}${{ '${{' }}");
	/* "${" alone and "{{" alone are not expressions. */
	CU_ASSERT_STRING_EQUAL(escape_actions(&arena, "${HOME} {{x}}"), "${HOME} {{x}}");
}

static void test_comment(void)
{
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, "plain # text: ok"), "plain # text: ok");
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, "a\nRUN rm -rf /"), "a RUN rm -rf /");
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, "a\r\n\tb\x7f"), "a   b ");
	/* NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR end a YAML 1.1 line. */
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, "a\xc2\x85" "b"), "a b");
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c"), "a b c");
	/* Other non-ASCII text stays as written. */
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, "caf\xc3\xa9 \xe2\x80\x94 ok"),
			       "caf\xc3\xa9 \xe2\x80\x94 ok");
	CU_ASSERT_STRING_EQUAL(escape_comment(&arena, ""), "");
}

static void test_markdown_cell(void)
{
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "service web"), "service web");
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "a|b"), "a\\|b");
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "<script>"), "\\<script\\>");
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "*e* _u_ ~s~"), "\\*e\\* \\_u\\_ \\~s\\~");
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "[l](u) `c` &amp;"),
			       "\\[l\\](u) \\`c\\` \\&amp;");
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "back\\slash"), "back\\\\slash");
	/* the row stays one line */
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "one\ntwo\r\nthree"), "one two  three");
	CU_ASSERT_STRING_EQUAL(escape_markdown_cell(&arena, "caf\xc3\xa9 \xe2\x80\x94"), "caf\xc3\xa9 \xe2\x80\x94");
}

static void test_dockerignore(void)
{
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "node_modules"), "node_modules");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "**/*.log"), "**/*.log");
	/* a comment and an exception to Docker, a file name to depc */
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "#notes"), "\\#notes");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "!.env"), "\\!.env");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "a#b!c"), "a#b!c");
	/* blanks Docker would trim */
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, " lead"), "[ ]lead");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "trail  "), "trail[ ][ ]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "in side"), "in side");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, " #x"), "[ ]#x");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "\xc2\xa0nbsp\xe3\x80\x80"),
			       "[\xc2\xa0]nbsp[\xe3\x80\x80]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "  "), "[ ][ ]");
	/* a lone trailing backslash escapes nothing; a pair is one backslash */
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "dir\\"), "dir\\\\");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "dir\\\\"), "dir\\\\");
	/* a backslash before trailing blanks escapes the first: a space */
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "a\\ "), "a[ ]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "a\\  "), "a[ ][ ]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "a\\\\ "), "a\\\\[ ]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "\\ "), "[ ]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "a\\\xe3\x80\x80"), "a[\xe3\x80\x80]");
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "\\*"), "\\*");
	/* U+00E9 and U+2014 are not spaces, whatever their bytes */
	CU_ASSERT_STRING_EQUAL(escape_dockerignore(&arena, "caf\xc3\xa9 \xe2\x80\x94"),
			       "caf\xc3\xa9 \xe2\x80\x94");
}

static void test_html_comment(void)
{
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "from app.dep - do not edit"),
			       "from app.dep - do not edit");
	/* No "--" is left, so nothing can close the comment or open one. */
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "a-->b"), "a- ->b");
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "a--!>b"), "a- -!>b");
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "<!--x"), "<!- -x");
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "---"), "- - -");
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "a\n-->\n<b>"), "a - -> <b>");
	CU_ASSERT_STRING_EQUAL(escape_html_comment(&arena, "x\n-\n->"), "x - ->");
	CU_ASSERT_PTR_NULL(strstr(escape_html_comment(&arena, "----->-->"), "--"));
}

static const char *hcl_text(void (*write)(struct hcl_out *), bool *ok)
{
	struct strbuf b;
	strbuf_init(&b);
	struct hcl_out h;
	hcl_begin(&h, &b, &arena);
	write(&h);
	*ok = hcl_end(&h);
	return strbuf_finish(&b, &arena);
}

static void write_aligned(struct hcl_out *h)
{
	hcl_block(h, "resource", "aws_vpc", "main");
	hcl_str(h, "cidr_block", "10.0.0.0/16");
	hcl_bool(h, "enable_dns_support", true);
	hcl_object(h, "tags");
	hcl_str(h, "Name", "${var.x}");
	hcl_str(h, "kubernetes.io/role", "x");
	hcl_close(h);
	hcl_close(h);
}

static void test_hcl_alignment(void)
{
	bool ok;
	const char *text = hcl_text(write_aligned, &ok);
	CU_ASSERT(ok);
	CU_ASSERT_STRING_EQUAL(text,
		"resource \"aws_vpc\" \"main\" {\n"
		"  cidr_block         = \"10.0.0.0/16\"\n"
		"  enable_dns_support = true\n"
		"  tags = {\n"
		"    Name                 = \"$${var.x}\"\n"
		"    \"kubernetes.io/role\" = \"x\"\n"
		"  }\n"
		"}\n");
}

static void write_list(struct hcl_out *h)
{
	hcl_open(h, "x", "jsonencode([", "])");
	hcl_object(h, NULL);
	hcl_str(h, "for", "a");
	hcl_close(h);
	hcl_str(h, NULL, "b");
	hcl_close(h);
	hcl_empty_block(h, "data", "aws_partition", "current");
}

static void test_hcl_lists(void)
{
	bool ok;
	const char *text = hcl_text(write_list, &ok);
	CU_ASSERT(ok);
	/* Items carry commas; the keyword "for" is quoted as a key. */
	CU_ASSERT_STRING_EQUAL(text,
		"x = jsonencode([\n"
		"  {\n"
		"    \"for\" = \"a\"\n"
		"  },\n"
		"  \"b\",\n"
		"])\n"
		"data \"aws_partition\" \"current\" {}\n");
}

static struct model_allow allow_tail = {
	"E0413", "ingress access logging is on", "card data\n}\nresource \"x\" \"y\" {", NULL
};
static struct model_allow allow_head = {
	"E0412", "cloud audit logging is on", "the org trail covers it", &allow_tail
};

static void write_allows(struct hcl_out *h)
{
	hcl_block(h, "resource", "aws_lb", "main");
	hcl_allows(h, "service pay", &allow_head, "E0413");
	hcl_str(h, "name", "x");
	hcl_close(h);
	hcl_allows(h, NULL, &allow_head, NULL);
}

/* Each exception is one comment line at the writer's indent, however
 * many line breaks its reason holds; a code picks the ones shown. */
static void test_hcl_allows(void)
{
	bool ok;
	CU_ASSERT_STRING_EQUAL(hcl_text(write_allows, &ok),
		"resource \"aws_lb\" \"main\" {\n"
		"  # allow E0413 for service pay (ingress access logging is on): card data } resource \"x\" \"y\" {\n"
		"  name = \"x\"\n"
		"}\n"
		"# allow E0412 (cloud audit logging is on): the org trail covers it\n"
		"# allow E0413 (ingress access logging is on): card data } resource \"x\" \"y\" {\n");
	CU_ASSERT(ok);
}

static void test_yaml_allows(void)
{
	struct strbuf b;
	strbuf_init(&b);
	yaml_comment(&b, &arena, "head\xe2\x80\xa8line");
	yaml_comment_allows(&b, &arena, "service web", &allow_head);
	CU_ASSERT_STRING_EQUAL(strbuf_finish(&b, &arena),
		"# head line\n"
		"#   service web: E0412 (cloud audit logging is on): the org trail covers it\n"
		"#   service web: E0413 (ingress access logging is on): card data } resource \"x\" \"y\" {\n");
}

static void write_unbalanced(struct hcl_out *h)
{
	hcl_block(h, "terraform", NULL, NULL);
}

static void write_overclosed(struct hcl_out *h)
{
	hcl_close(h);
}

static void test_hcl_unbalanced(void)
{
	bool ok;
	hcl_text(write_unbalanced, &ok);
	CU_ASSERT(!ok);
	hcl_text(write_overclosed, &ok);
	CU_ASSERT(!ok);
}

/* Paths from the repository root: the nearest directory above the .dep
 * file that holds .git. */
static void test_source_path(void)
{
	char root[] = "/tmp/depc-unit-repo-XXXXXX";
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
	const char *git = arena_printf(&arena, "%s/proj/.git", root);
	CU_ASSERT_EQUAL_FATAL(mkdir(arena_printf(&arena, "%s/proj", root), 0700), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(git, 0700), 0);
	struct output o;
	output_init(&o, &arena, arena_printf(&arena, "%s/proj/app.dep", root),
		    arena_printf(&arena, "%s/proj/out", root));
	CU_ASSERT_STRING_EQUAL(output_source_path(&o, "."), ".");
	CU_ASSERT_STRING_EQUAL(output_source_path(&o, "./web/"), "web");
	CU_ASSERT_STRING_EQUAL(output_source_path(&o, "web/../api"), "api");
	CU_ASSERT_STRING_EQUAL(output_repo_path(&o, "web/Dockerfile"), "out/web/Dockerfile");
	output_free(&o);
	output_init(&o, &arena, arena_printf(&arena, "%s/proj/svc/app.dep", root),
		    arena_printf(&arena, "%s/proj/deploy", root));
	CU_ASSERT_STRING_EQUAL(output_source_path(&o, "."), "svc");
	CU_ASSERT_STRING_EQUAL(output_banner(&o), "generated by depc from svc/app.dep - do not edit");
	output_free(&o);
	rmdir(git);
	rmdir(arena_printf(&arena, "%s/proj", root));
	CU_ASSERT_EQUAL(rmdir(root), 0);
}

/* Go template text: no "{{" of the text, and no '{' just before an
 * action depc writes, can start an action. */
static void test_go_template(void)
{
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, "postgres://app:"), "postgres://app:");
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, "a{{b}}c"), "a{{ \"{\" }}{b}}c");
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, "{{{"), "{{ \"{\" }}{{ \"{\" }}{{ \"{\" }}");
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, "{\"k\": 1}"), "{\"k\": 1}");
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, "x={"), "x={{ \"{\" }}");
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, "}} $x `y`"), "}} $x `y`");
	CU_ASSERT_STRING_EQUAL(escape_go_template(&arena, ""), "");
}

/* The wrapper and template of one composed value with a secret used
 * twice and hostile text: each part read once, text single-quoted. */
static void test_composed(void)
{
	struct model_secret pw = { .name = "db_password" };
	struct model_composed_part tail = { "'$x`{", NULL, NULL };
	struct model_composed_part second = { NULL, &pw, &tail };
	struct model_composed_part mid = { "@db:5432/", NULL, &second };
	struct model_composed_part first = { NULL, &pw, &mid };
	struct model_composed_part head = { "pg://a:", NULL, &first };
	struct model_composed c = { "URL", &head, 2, { NULL, { 0, 0 } }, NULL };
	struct model_service s = { .name = "api", .composed = &c };
	CU_ASSERT_STRING_EQUAL(composed_wrapper_script(&arena, &s, false),
			       "export URL=pg://a:\"$DEPC_PART_1_URL\"@db:5432/\"$DEPC_PART_1_URL\""
			       "''\\''$x`{'; unset DEPC_PART_1_URL; exec \"$@\"");
	CU_ASSERT_STRING_EQUAL(composed_wrapper_script(&arena, &s, true),
			       "umask 077; DEPC_PART_1_URL=$(cat /run/secrets/db_password && echo .) "
			       "|| exit 1; DEPC_PART_1_URL=${DEPC_PART_1_URL%.}; printf %s "
			       "pg://a:\"$DEPC_PART_1_URL\"@db:5432/\"$DEPC_PART_1_URL\"''\\''$x`{' "
			       "> /run/composed/URL || exit 1; unset DEPC_PART_1_URL; exec \"$@\"");
	CU_ASSERT_STRING_EQUAL(composed_go_template(&arena, &c),
			       "pg://a:{{ index . \"db_password\" }}@db:5432/"
			       "{{ index . \"db_password\" }}'$x`{{ \"{\" }}");
	CU_ASSERT_EQUAL(composed_secret_number(&c, &second), 1);
	CU_ASSERT_FALSE(composed_first_use(&c, &second));
	CU_ASSERT_TRUE(composed_part_new(&s, &c, &first));
	CU_ASSERT_FALSE(composed_part_new(&s, &c, &second));
	CU_ASSERT_PTR_NULL(composed_command(&s));
}

int suite_escape(void)
{
	CU_pSuite s = CU_add_suite("escape", setup, teardown);
	if (!s)
		return -1;
	bool ok = CU_add_test(s, "Dockerfile values", test_dockerfile) &&
		  CU_add_test(s, "shell words", test_shell_word) &&
		  CU_add_test(s, "PromQL strings and names", test_promql) &&
		  CU_add_test(s, "Go template string literals", test_go_template_string) &&
		  CU_add_test(s, "registry hosts of images", test_image_host) &&
		  CU_add_test(s, "here-document delimiters", test_heredoc) &&
		  CU_add_test(s, "Compose values", test_compose) &&
		  CU_add_test(s, "HCL strings", test_hcl) &&
		  CU_add_test(s, "Actions text", test_actions) &&
		  CU_add_test(s, "comment text", test_comment) &&
		  CU_add_test(s, "HTML comment text", test_html_comment) &&
		  CU_add_test(s, ".dockerignore lines", test_dockerignore) &&
		  CU_add_test(s, "Markdown table cells", test_markdown_cell) &&
		  CU_add_test(s, "HCL alignment as terraform fmt", test_hcl_alignment) &&
		  CU_add_test(s, "HCL lists and keys", test_hcl_lists) &&
		  CU_add_test(s, "HCL policy exception comments", test_hcl_allows) &&
		  CU_add_test(s, "YAML comments and policy exceptions", test_yaml_allows) &&
		  CU_add_test(s, "unbalanced HCL fails", test_hcl_unbalanced) &&
		  CU_add_test(s, "source paths", test_source_path) &&
		  CU_add_test(s, "Go template text", test_go_template) &&
		  CU_add_test(s, "composed secret wrapper and template", test_composed);
	return ok ? 0 : -1;
}
