/* main.c - the command line: subcommands, options, exit codes.
 *
 * Only argument handling lives here; every stage is in the library.
 * Exit codes: 0 success, 1 diagnostics (errors in the input), 2 usage
 * or I/O problems (bad flags, unreadable file, unwritable output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "compile.h"
#include "config.h"
#include "diff.h"
#include "explain.h"
#include "fmt.h"
#include "import.h"
#include "graph.h"
#include "lsp.h"
#include "model_copy.h"
#include "policy.h"
#include "sarif.h"

enum { EXIT_OK = 0, EXIT_DIAGNOSTICS = 1, EXIT_USAGE = 2 };

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF };

struct options {
	enum output_format format; /* --format */
	int color;                 /* -1 auto, 0 never, 1 always */
	const char *out_dir;       /* -o */
	const char *env;           /* --env */
	const char *targets;       /* --target */
	bool check;                /* build --check */
	bool report;               /* build --report */
	const char *envs[2];       /* diff: the first two --env */
	size_t env_count;
	const char *search[64];    /* -I DIR, then DEPC_PATH entries */
	size_t search_count;
	const char *allow[64];     /* --allow CODE[,CODE...] */
	size_t allow_count;
	bool policy;               /* check --policy */
	bool force;                /* build --force */
	const char *workflow_dir;  /* build --workflow-dir */
	bool write;                /* fmt -w */
	bool list;                 /* explain --list */
};

static const char usage_main[] =
	"usage: depc <command> [options] [FILE]\n"
	"\n"
	"depc compiles a .dep deployment description into Dockerfiles, Compose,\n"
	"GitHub Actions, Terraform, Kubernetes, Prometheus and Grafana files.\n"
	"\n"
	"commands:\n"
	"  check FILE          parse and check FILE, report diagnostics\n"
	"  build FILE -o DIR   check FILE and write the generated files into DIR\n"
	"  explain CODE        explain a diagnostic code, e.g. 'depc explain E0101'\n"
	"  fmt FILE...         print FILE in the canonical layout (-w: rewrite it)\n"
	"  import FILE         translate a Compose file into a .dep file\n"
	"  graph FILE          print the service dependency graph (Graphviz dot)\n"
	"  diff FILE --env A [--env B]\n"
	"                      what changes from the base (or A) to A (or B)\n"
	"  lsp                 run the language server on standard input and output\n"
	"  parse FILE          print FILE's syntax tree (for debugging)\n"
	"  completion SHELL    print the bash, zsh or fish completion script\n"
	"\n"
	"options:\n"
	"  -h, --help          show help (after a command: that command's help)\n"
	"  -V, --version       show the version\n"
	"\n"
	"exit status: 0 success, 1 errors in the input, 2 usage or I/O error\n";

static const char usage_check[] =
	"usage: depc check [--format text|json|sarif] [--color auto|always|never]\n"
	"                  [--env NAME] [-I DIR] [--allow CODE] [--policy] FILE\n"
	"\n"
	"Parses and checks FILE and prints every diagnostic: 'file:line:col:\n"
	"error[CODE]: message', the source line with the span underlined, and\n"
	"help.  '-' reads standard input.  --format json prints the same\n"
	"diagnostics as one JSON document on standard output, --format sarif\n"
	"as a SARIF 2.1.0 log.\n"
	"\n"
	"options:\n"
	"  --allow CODE        make the policy rule CODE (E0401 to E0427) a\n"
	"                      warning everywhere; repeat it or give a list\n"
	"                      (--allow E0401,E0415)\n"
	"  --policy            print the compliance report on standard output:\n"
	"                      each requirement of the specification and its\n"
	"                      rules, pass, allowed, fail or n/a, and where\n"
	"                      (a SARIF log with --format sarif)\n"
	"\n"
	"exit status: 0 no errors (warnings allowed), 1 errors, 2 usage or I/O\n";

static const char usage_build[] =
	"usage: depc build [options] FILE -o DIR\n"
	"\n"
	"Checks FILE, then writes the generated files into DIR, atomically: the\n"
	"new tree is made beside DIR and takes its place in one step, so DIR is\n"
	"always the old tree or the new one.  Missing parents of DIR are made.\n"
	"DIR/.depc-manifest lists what depc wrote; a rebuild removes files it no\n"
	"longer makes, keeps every file it did not write, and refuses to\n"
	"overwrite a generated file edited by hand (--force overwrites it).\n"
	"\n"
	"options:\n"
	"  -o DIR              output directory ('-' prints one target's files)\n"
	"  --target LIST       comma-separated backends (default: all):\n"
	"                      docker, compose, k8s, github, terraform,\n"
	"                      prometheus, grafana\n"
	"  --env NAME          apply the overlay env NAME { ... }\n"
	"  -I DIR              search DIR for imports (also DEPC_PATH)\n"
	"  --allow CODE        make the policy rule CODE a warning everywhere\n"
	"  --workflow-dir DIR  write the GitHub workflow into DIR, normally the\n"
	"                      repository's .github/workflows, instead of\n"
	"                      -o DIR/.github/workflows, where GitHub ignores it\n"
	"  --force             overwrite generated files edited by hand\n"
	"  --check             write nothing; exit 1 naming the files that are\n"
	"                      missing, out of date or edited by hand\n"
	"  --report            list what each target approximates or drops, with\n"
	"                      its .dep location, on standard error (JSON with\n"
	"                      --format json) and in DIR/REPORT.md\n"
	"  --format FORMAT     diagnostics format: text, json or sarif\n"
	"  --color WHEN        auto, always or never\n"
	"\n"
	"exit status: 0 written, 1 errors in the input (or stale with --check),\n"
	"2 usage or I/O error\n";

static const char usage_explain[] =
	"usage: depc explain CODE\n"
	"       depc explain --list\n"
	"\n"
	"Prints the page for a diagnostic code: what it means, an example that\n"
	"triggers it, and how to fix it.  --list prints every code.\n";

static const char usage_diff[] =
	"usage: depc diff [-I DIR] FILE --env A [--env B]\n"
	"\n"
	"Compiles FILE for environment A and for environment B and prints every\n"
	"field that differs between the two models ('service api: replicas: 2 ->\n"
	"4'), each followed by the generated files that change with it.  With\n"
	"one --env, compares the base file, no overlay applied, with A.\n"
	"\n"
	"exit status: 0 compared (with or without changes), 1 errors in the\n"
	"input, 2 usage or I/O error\n";

static const char usage_graph[] =
	"usage: depc graph [--env NAME] [-I DIR] FILE\n"
	"\n"
	"Checks FILE and prints the services and their `uses` edges as a\n"
	"Graphviz dot graph on standard output: depc graph app.dep | dot -Tsvg\n";

static const char usage_fmt[] =
	"usage: depc fmt [--check] [-w] [--color WHEN] FILE...\n"
	"\n"
	"Prints each FILE in the canonical layout: two-space indentation, one\n"
	"entry per line (a block written on one line stays so when it fits),\n"
	"'=' aligned, lists and maps on one line when they fit in 100 columns,\n"
	"every comment kept where it is.  There are no style options.  '-'\n"
	"reads standard input.  A file with syntax errors is never rewritten:\n"
	"its diagnostics are printed instead.\n"
	"\n"
	"options:\n"
	"  --check             write nothing; name each file that is not formatted\n"
	"                      on standard error ('FILE: not formatted')\n"
	"  -w, --write         rewrite the files in place, atomically\n"
	"  --color WHEN        colour in diagnostics: auto, always or never\n"
	"\n"
	"exit status: 0 formatted, 1 syntax errors (or, with --check, a file not\n"
	"formatted), 2 usage or I/O error\n";

static const char usage_lsp[] =
	"usage: depc lsp\n"
	"\n"
	"Runs the language server: LSP 3.17 (JSON-RPC with Content-Length\n"
	"headers) on standard input and output, for editors.  It reports the\n"
	"compiler's diagnostics as you type and offers hover, completion,\n"
	"go to definition, references, rename, symbols, semantic tokens,\n"
	"folding, signature help, quick fixes and formatting.  Imports are\n"
	"searched as by 'depc check', with DEPC_PATH.\n"
	"\n"
	"exit status: 0 after the client's shutdown and exit, 1 otherwise\n";

static const char usage_import[] =
	"usage: depc import [-o FILE.dep] compose.yaml\n"
	"\n"
	"Translates a Compose file into an equivalent .dep file, formatted, on\n"
	"standard output or into FILE.dep (which must not exist).  Values that\n"
	"look like secrets are never copied: each becomes a secret declaration\n"
	"whose vault path (CHANGE-ME/...) you fill in.  Every key depc cannot\n"
	"express is reported as 'FILE:LINE:COL: warning: ...' on standard error.\n"
	"'-' reads standard input.\n"
	"\n"
	"options:\n"
	"  -o, --output FILE   write the .dep file here, atomically\n"
	"\n"
	"exit status: 0 imported (warnings allowed), 1 malformed YAML or not a\n"
	"Compose file, 2 usage or I/O error\n";

static const char usage_completion[] =
	"usage: depc completion bash|zsh|fish\n"
	"\n"
	"Prints the completion script for the shell, made from the same table\n"
	"the option parser reads.  'make install' installs all three; to try\n"
	"one at once: source <(depc completion bash)\n";

static const char usage_parse[] =
	"usage: depc parse FILE\n"
	"\n"
	"Prints FILE's syntax tree as an S-expression, for debugging.\n";

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
	fprintf(stderr, "depc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n%s", usage);
	return EXIT_USAGE;
}

static bool parse_format(const char *s, enum output_format *out)
{
	if (!strcmp(s, "text"))
		*out = FORMAT_TEXT;
	else if (!strcmp(s, "json"))
		*out = FORMAT_JSON;
	else if (!strcmp(s, "sarif"))
		*out = FORMAT_SARIF;
	else
		return false;
	return true;
}

static bool parse_color(const char *s, int *out)
{
	if (!strcmp(s, "auto"))
		*out = -1;
	else if (!strcmp(s, "always"))
		*out = 1;
	else if (!strcmp(s, "never"))
		*out = 0;
	else
		return false;
	return true;
}

static bool use_color(const struct options *o)
{
	if (o->color >= 0)
		return o->color == 1;
	const char *no = getenv("NO_COLOR");
	return isatty(STDERR_FILENO) && !(no && *no);
}

/* --allow E0401,E0415: each code must name a policy rule that can be
 * downgraded; the list is split in place (argv is ours to change). */
static bool add_allow(struct options *o, char *list, const char *usage)
{
	for (char *code = strtok(list, ","); code; code = strtok(NULL, ",")) {
		if (!policy_rule_allowable(code))
			return usage_error(usage, "'%s' is not a policy rule --allow can downgrade "
					   "(E0401 to E0427; `depc check --policy` lists them)",
					   code), false;
		if (o->allow_count == sizeof o->allow / sizeof o->allow[0])
			return usage_error(usage, "too many --allow codes (limit is %s)", "64"), false;
		o->allow[o->allow_count++] = code;
	}
	return true;
}

/* DEPC_PATH is searched after every -I directory, like a compiler's
 * include path: colon-separated, empty entries ignored. */
static void add_depc_path(struct options *o)
{
	static char copy[4096];
	const char *env = getenv("DEPC_PATH");
	if (!env || strlen(env) >= sizeof copy)
		return;
	strcpy(copy, env);
	for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":"))
		if (o->search_count < sizeof o->search / sizeof o->search[0])
			o->search[o->search_count++] = dir;
}

static bool set_choice(const char *name, const char *value, struct options *o,
		       const char *usage)
{
	bool ok = !strcmp(name, "format") ? parse_format(value, &o->format)
					   : parse_color(value, &o->color);
	if (ok)
		return true;
	char list[128];
	for (const struct cli_option *opt = cli_options; opt->name; opt++)
		if (!strcmp(opt->name, name)) {
			char msg[256];
			snprintf(msg, sizeof msg, "unknown %s '%%s' (use %s)",
				 !strcmp(name, "format") ? "format" : "colour mode",
				 cli_choices_text(opt, list, sizeof list));
			usage_error(usage, msg, value);
			break;
		}
	return false;
}

/* One parsed option into `o`; false after a usage error. */
static bool apply_option(const struct cli_arg *a, struct options *o, const char *usage)
{
	const char *v = a->value;
	switch (a->opt->key) {
	case 'f': return set_choice("format", v, o, usage);
	case 'c': return set_choice("color", v, o, usage);
	case 'o': o->out_dir = v; break;
	case 'e':
		o->env = v;
		if (o->env_count < 2)
			o->envs[o->env_count++] = v;
		break;
	case 't': o->targets = v; break;
	case 'k': o->check = true; break;
	case 'r': o->report = true; break;
	case 'w': o->write = true; break;
	case 'l': o->list = true; break;
	case 'a': return add_allow(o, (char *)v, usage);
	case 'p': o->policy = true; break;
	case 'F': o->force = true; break;
	case 'W': o->workflow_dir = v; break;
	case 'I':
		if (o->search_count == sizeof o->search / sizeof o->search[0])
			return usage_error(usage, "too many -I directories (limit is %s)", "64"), false;
		o->search[o->search_count++] = v;
		break;
	}
	return true;
}

/* Parses the options after the subcommand with the table in cli.c;
 * returns the index of the first operand, -1 after printing help, or -2
 * on a usage error. */
static int parse_options(enum cli_cmd cmd, int argc, char **argv, const char *usage,
			 struct options *o)
{
	struct cli_arg *args = calloc((size_t)argc + 1, sizeof *args);
	size_t count = 0;
	char error[256];
	int first = args ? cli_parse(cmd, argc, argv, args, &count, error, sizeof error) : -1;
	if (!args)
		snprintf(error, sizeof error, "out of memory");
	for (size_t i = 0; first >= 0 && i < count; i++)
		if (args[i].opt->key == 'h') {
			fputs(usage, stdout);
			first = -3;
		}
	for (size_t i = 0; first >= 0 && i < count; i++)
		if (!apply_option(&args[i], o, usage))
			first = -2;
	free(args);
	if (first == -1)
		return usage_error(usage, "%s", error), -2;
	if (first == -3)
		return -1;
	if (first >= 0)
		add_depc_path(o);
	return first;
}

static void render(struct compilation *c, const struct options *o)
{
	diag_bag_sort(&c->diags);
	if (o->format == FORMAT_JSON) {
		diag_render_json(stdout, &c->diags);
		return;
	}
	if (o->format == FORMAT_SARIF) {
		/* check --policy --format sarif: the report's log says it all */
		if (!(o->policy && c->policy))
			diag_render_sarif(stdout, &c->diags);
		return;
	}
	struct diag_render_options ro = { .color = use_color(o), .tab_width = 4 };
	diag_render_text(stderr, &c->diags, &ro);
}

/* Loads and checks the single FILE operand; returns an exit code. */
static int run_front_end(struct compilation *c, int argc, char **argv, int first,
			 const char *usage, const struct options *o)
{
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - first != 1)
		return usage_error(usage, "%s", argc - first ? "expected one FILE" : "missing FILE");
	const char *err = NULL;
	if (!compile_load_file(c, argv[first], &err)) {
		fprintf(stderr, "depc: cannot read '%s': %s\n", argv[first], err);
		return EXIT_USAGE;
	}
	struct compile_options co = { .env = o->env, .search = o->search,
				      .search_count = o->search_count,
				      .allow = o->allow, .allow_count = o->allow_count,
				      .policy_report = o->policy };
	bool ok = compile_check(c, &co);
	render(c, o);
	return ok ? EXIT_OK : EXIT_DIAGNOSTICS;
}

static int cmd_check(int argc, char **argv)
{
	struct options o = { .color = -1 };
	struct compilation c;
	compile_init(&c);
	int first = parse_options(CMD_CHECK, argc, argv, usage_check, &o);
	int rc = first >= 0 && o.policy && o.format == FORMAT_JSON
		? usage_error(usage_check, "%s", "--policy prints text or sarif, not json")
		: run_front_end(&c, argc, argv, first, usage_check, &o);
	if (rc != EXIT_USAGE && o.policy && c.policy && o.format == FORMAT_SARIF)
		policy_report_sarif(stdout, c.policy);
	else if (rc != EXIT_USAGE && o.policy && c.policy)
		policy_report_text(stdout, c.policy);
	else if (rc == EXIT_DIAGNOSTICS && o.policy && o.format == FORMAT_TEXT)
		printf("policy report for %s: not made, the file has other errors\n",
		       c.source->name);
	compile_free(&c);
	return rc;
}

static int cmd_build(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_BUILD, argc, argv, usage_build, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (!o.out_dir)
		return usage_error(usage_build, "%s", "missing '-o DIR'");
	struct compilation c;
	compile_init(&c);
	int rc = run_front_end(&c, argc, argv, first, usage_build, &o);
	if (rc != EXIT_OK || !c.model) {
		compile_free(&c);
		return rc;
	}
	/* The backends read the model alone: it moves to an arena of its own
	 * and the front end (syntax tree, template instances, typed values,
	 * the policy's facts) is freed before they run. */
	struct arena kept;
	arena_init(&kept);
	const struct model *m = model_copy(&kept, c.model);
	const char *source_name = arena_strdup(&kept, c.source->name);
	compile_free(&c);
	struct build_options bo = { o.out_dir, o.targets, o.check, o.report,
				    o.format == FORMAT_JSON, o.force, o.workflow_dir,
				    use_color(&o) };
	rc = build_run(&kept, m, source_name, &bo, stderr);
	arena_free(&kept);
	return rc;
}

static int cmd_graph(int argc, char **argv)
{
	struct options o = { .color = -1 };
	struct compilation c;
	compile_init(&c);
	int rc = run_front_end(&c, argc, argv, parse_options(CMD_GRAPH, argc, argv, usage_graph, &o),
			       usage_graph, &o);
	if (rc == EXIT_OK && c.model) /* no model after --help */
		graph_write(stdout, c.model);
	compile_free(&c);
	return rc;
}

/* FILE compiled once per --env, or without an overlay and then with the
 * one --env given; both must check cleanly. */
static int cmd_diff(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_DIFF, argc, argv, usage_diff, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (o.env_count == 0 || o.env != o.envs[o.env_count - 1])
		return usage_error(usage_diff, "%s", "expected '--env A' (base against A) or "
				   "'--env A --env B'");
	const char *from = o.env_count == 2 ? o.envs[0] : NULL;
	const char *to = o.envs[o.env_count - 1];
	struct compilation a, b;
	compile_init(&a);
	compile_init(&b);
	o.env = from;
	int rc = run_front_end(&a, argc, argv, first, usage_diff, &o);
	o.env = to;
	if (rc == EXIT_OK)
		rc = run_front_end(&b, argc, argv, first, usage_diff, &o);
	if (rc == EXIT_OK)
		diff_models(&a.arena, a.model, b.model, from ? from : "base", to, stdout);
	compile_free(&b);
	compile_free(&a);
	return rc;
}

static int cmd_parse(int argc, char **argv)
{
	struct options o = { .color = -1 };
	struct compilation c;
	compile_init(&c);
	int rc = run_front_end(&c, argc, argv, parse_options(CMD_PARSE, argc, argv, usage_parse, &o),
			       usage_parse, &o);
	if (c.ast && rc != EXIT_USAGE)
		printf("%s\n", ast_dump(&c.arena, c.ast));
	compile_free(&c);
	return rc;
}

static int cmd_explain(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_EXPLAIN, argc, argv, usage_explain, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (o.list && first == argc) {
		explain_list(stdout);
		return EXIT_OK;
	}
	if (o.list || argc - first != 1)
		return usage_error(usage_explain, "%s", "expected one CODE");
	enum diag_code code;
	if (!diag_code_lookup(argv[first], &code))
		return usage_error(usage_explain, "unknown diagnostic code '%s'", argv[first]);
	const char *page = explain_page(code);
	printf("%s[%s]: %s\n\n%s", diag_code_severity(code) == SEV_ERROR ? "error" : "warning",
	       diag_code_name(code), diag_code_summary(code), page ? page : "");
	return EXIT_OK;
}

static int cmd_fmt(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_FMT, argc, argv, usage_fmt, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (first == argc)
		return usage_error(usage_fmt, "%s", "missing FILE");
	enum fmt_mode mode = o.check ? FMT_CHECK : o.write ? FMT_WRITE : FMT_PRINT;
	struct diag_render_options ro = { .color = use_color(&o), .tab_width = 4 };
	int rc = EXIT_OK;
	for (int i = first; i < argc; i++) {
		int r = fmt_file(argv[i], mode, &ro, stdout, stderr);
		rc = r > rc ? r : rc;
	}
	return rc;
}

static int cmd_lsp(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_LSP, argc, argv, usage_lsp, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (first != argc)
		return usage_error(usage_lsp, "unexpected argument '%s'", argv[first]);
	return lsp_run(STDIN_FILENO, STDOUT_FILENO);
}

static int cmd_completion(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_COMPLETION, argc, argv, usage_completion, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - first != 1)
		return usage_error(usage_completion, "%s", "expected one SHELL: bash, zsh or fish");
	if (!cli_completion(stdout, argv[first]))
		return usage_error(usage_completion, "unknown shell '%s' (use bash, zsh or fish)",
				   argv[first]);
	return EXIT_OK;
}

static int cmd_import(int argc, char **argv)
{
	struct options o = { .color = -1 };
	int first = parse_options(CMD_IMPORT, argc, argv, usage_import, &o);
	if (first < 0)
		return first == -1 ? EXIT_OK : EXIT_USAGE;
	if (argc - first != 1)
		return usage_error(usage_import, "%s",
				   argc - first ? "expected one compose file" : "missing FILE");
	if (o.format != FORMAT_TEXT || o.env || o.targets || o.check)
		return usage_error(usage_import, "%s", "import takes only -o FILE");
	return import_compose(argv[first], o.out_dir, stdout, stderr);
}

static int (*const runners[CMD_COUNT])(int argc, char **argv) = {
	[CMD_CHECK] = cmd_check, [CMD_BUILD] = cmd_build, [CMD_EXPLAIN] = cmd_explain,
	[CMD_GRAPH] = cmd_graph, [CMD_DIFF] = cmd_diff, [CMD_PARSE] = cmd_parse,
	[CMD_FMT] = cmd_fmt, [CMD_IMPORT] = cmd_import, [CMD_LSP] = cmd_lsp,
	[CMD_COMPLETION] = cmd_completion,
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(usage_main, "%s", "missing command");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("depc %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	enum cli_cmd c = cli_find_command(cmd);
	if (c != CMD_COUNT)
		return runners[c](argc - 1, argv + 1);
	const char *best = cli_suggest_command(cmd);
	if (best) {
		fprintf(stderr, "depc: unknown command '%s' (did you mean '%s'?)\n", cmd, best);
		fprintf(stderr, "run 'depc --help' for the list of commands\n");
		return EXIT_USAGE;
	}
	return usage_error(usage_main, "unknown command '%s'", cmd);
}
