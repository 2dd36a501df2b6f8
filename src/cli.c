/* cli.c - the command and option table, and the parser that reads it.
 *
 * getopt_long knows nothing of which command takes which option, and
 * its messages cannot say "needs an argument" or "did you mean"; this
 * parser takes the same spellings (-o DIR, -oDIR, --output DIR,
 * --output=DIR, options before or after operands, "--" to end them). */
#include "cli.h"

#include <string.h>

#include "suggest.h"

#define ALL_CMDS ((1u << CMD_COUNT) - 1)
#define FRONT_END (CMD_BIT(CMD_CHECK) | CMD_BIT(CMD_BUILD) | CMD_BIT(CMD_GRAPH) | \
		   CMD_BIT(CMD_DIFF) | CMD_BIT(CMD_PARSE))

const struct cli_command cli_commands[CMD_COUNT] = {
	[CMD_CHECK] = { "check", COMPLETE_DEP, NULL, "parse and check a .dep file" },
	[CMD_BUILD] = { "build", COMPLETE_DEP, NULL, "write the generated files into a directory" },
	[CMD_EXPLAIN] = { "explain", COMPLETE_CODE, NULL, "explain a diagnostic code" },
	[CMD_GRAPH] = { "graph", COMPLETE_DEP, NULL, "print the service dependency graph (dot)" },
	[CMD_DIFF] = { "diff", COMPLETE_DEP, NULL, "what changes between environments" },
	[CMD_PARSE] = { "parse", COMPLETE_DEP, NULL, "print the syntax tree" },
	[CMD_FMT] = { "fmt", COMPLETE_DEP, NULL, "print in the canonical layout" },
	[CMD_IMPORT] = { "import", COMPLETE_YAML, NULL, "translate a Compose file into .dep" },
	[CMD_LSP] = { "lsp", COMPLETE_NONE, NULL, "run the language server" },
	[CMD_COMPLETION] = { "completion", COMPLETE_CHOICE, "bash zsh fish", "print a shell completion script" },
};

const struct cli_option cli_options[] = {
	{ "help", 'h', 'h', NULL, NULL, COMPLETE_NONE, ALL_CMDS, "show this command's help" },
	{ "format", 0, 'f', "FORMAT", "text json sarif", COMPLETE_CHOICE,
	  CMD_BIT(CMD_CHECK) | CMD_BIT(CMD_BUILD), "diagnostics format" },
	{ "color", 0, 'c', "WHEN", "auto always never", COMPLETE_CHOICE,
	  FRONT_END | CMD_BIT(CMD_FMT), "colour in diagnostics" },
	{ "output", 'o', 'o', "DIR", NULL, COMPLETE_DIR, CMD_BIT(CMD_BUILD),
	  "output directory ('-' prints one target's files)" },
	{ "output", 'o', 'o', "FILE", NULL, COMPLETE_DEP, CMD_BIT(CMD_IMPORT),
	  "write the .dep file here" },
	{ "env", 0, 'e', "NAME", NULL, COMPLETE_NONE,
	  CMD_BIT(CMD_CHECK) | CMD_BIT(CMD_BUILD) | CMD_BIT(CMD_GRAPH) | CMD_BIT(CMD_DIFF),
	  "apply the overlay env NAME" },
	{ "target", 0, 't', "LIST", "docker compose k8s github terraform prometheus grafana",
	  COMPLETE_CHOICE, CMD_BIT(CMD_BUILD) | CMD_BIT(CMD_CHECK), "comma-separated backends" },
	{ "include", 'I', 'I', "DIR", NULL, COMPLETE_DIR, FRONT_END, "search DIR for imports" },
	{ "check", 0, 'k', NULL, NULL, COMPLETE_NONE, CMD_BIT(CMD_BUILD) | CMD_BIT(CMD_FMT),
	  "write nothing; fail on what is not up to date" },
	{ "report", 0, 'r', NULL, NULL, COMPLETE_NONE, CMD_BIT(CMD_BUILD),
	  "list what each target approximates or drops" },
	{ "allow", 0, 'a', "CODE", NULL, COMPLETE_NONE, CMD_BIT(CMD_CHECK) | CMD_BIT(CMD_BUILD),
	  "make a policy rule a warning" },
	{ "policy", 0, 'p', NULL, NULL, COMPLETE_NONE, CMD_BIT(CMD_CHECK),
	  "print the compliance report" },
	{ "write", 'w', 'w', NULL, NULL, COMPLETE_NONE, CMD_BIT(CMD_FMT),
	  "rewrite the files in place" },
	{ "force", 0, 'F', NULL, NULL, COMPLETE_NONE, CMD_BIT(CMD_BUILD),
	  "overwrite generated files that were edited by hand" },
	{ "workflow-dir", 0, 'W', "DIR", NULL, COMPLETE_DIR, CMD_BIT(CMD_BUILD),
	  "write the GitHub workflow into DIR (the repository's .github/workflows)" },
	{ "list", 0, 'l', NULL, NULL, COMPLETE_NONE, CMD_BIT(CMD_EXPLAIN), "print every code" },
	{ NULL, 0, 0, NULL, NULL, COMPLETE_NONE, 0, NULL },
};

enum cli_cmd cli_find_command(const char *name)
{
	for (int c = 0; c < CMD_COUNT; c++)
		if (!strcmp(name, cli_commands[c].name))
			return (enum cli_cmd)c;
	return CMD_COUNT;
}

const char *cli_suggest_command(const char *name)
{
	struct suggest s;
	suggest_init(&s, name);
	for (int c = 0; c < CMD_COUNT; c++)
		suggest_consider(&s, cli_commands[c].name);
	return suggest_result(&s);
}

const char *cli_choices_text(const struct cli_option *opt, char *buf, size_t size)
{
	char copy[256];
	snprintf(copy, sizeof copy, "%s", opt->choices ? opt->choices : "");
	size_t n = 0, i = 0;
	for (char *w = copy; *w; n++)
		w += strcspn(w, " "), w += *w == ' ';
	buf[0] = '\0';
	for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "), i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", w);
	}
	return buf;
}

/* The entry for --NAME (name_len bytes) or -X that `cmd` takes; else
 * NULL, with *other set when another command takes it. */
static const struct cli_option *lookup(enum cli_cmd cmd, const char *name, size_t name_len,
				       char short_name, bool *other)
{
	*other = false;
	for (const struct cli_option *o = cli_options; o->name; o++) {
		bool same = short_name ? o->short_name == short_name
				       : strlen(o->name) == name_len && !strncmp(o->name, name, name_len);
		if (!same)
			continue;
		if (o->commands & CMD_BIT(cmd))
			return o;
		*other = true;
	}
	return NULL;
}

static void report_unknown(enum cli_cmd cmd, const char *arg, size_t len, bool other,
			   char *error, size_t size)
{
	if (other) {
		snprintf(error, size, "'%.*s' is not an option of 'depc %s'", (int)len, arg,
			 cli_commands[cmd].name);
		return;
	}
	char word[64];
	snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), arg);
	struct suggest s;
	suggest_init(&s, word);
	char spelled[CMD_COUNT * 4][32];
	size_t n = 0;
	for (const struct cli_option *o = cli_options; o->name && n + 2 <= sizeof spelled / sizeof spelled[0]; o++) {
		if (!(o->commands & CMD_BIT(cmd)))
			continue;
		snprintf(spelled[n], sizeof spelled[n], "--%s", o->name);
		suggest_consider(&s, spelled[n++]);
		if (o->short_name) {
			snprintf(spelled[n], sizeof spelled[n], "-%c", o->short_name);
			suggest_consider(&s, spelled[n++]);
		}
	}
	const char *best = strlen(word) > 2 ? suggest_result(&s) : NULL;
	if (best)
		snprintf(error, size, "unknown option '%s' (did you mean '%s'?)", word, best);
	else
		snprintf(error, size, "unknown option '%s'", word);
}

/* One option at argv[*i]; its argument may be the next word. */
static bool parse_one(enum cli_cmd cmd, int argc, char **argv, int *i, struct cli_arg *out,
		      char *error, size_t size)
{
	const char *arg = argv[*i], *value = NULL;
	bool is_long = arg[1] == '-', other;
	size_t len = is_long ? strcspn(arg + 2, "=") : 1;
	const struct cli_option *o = is_long ? lookup(cmd, arg + 2, len, 0, &other)
					     : lookup(cmd, NULL, 0, arg[1], &other);
	size_t shown = is_long ? len + 2 : 2;
	if (!o) {
		report_unknown(cmd, arg, is_long ? shown : strlen(arg), other, error, size);
		return false;
	}
	if (is_long && arg[shown] == '=')
		value = arg + shown + 1;
	else if (!is_long && arg[2])
		value = arg + 2;
	if (!o->arg && value) {
		if (is_long)
			snprintf(error, size, "option '--%s' takes no argument", o->name);
		else
			snprintf(error, size, "unknown option '%s' (write each option apart)", arg);
		return false;
	}
	if (o->arg && !value) {
		if (*i + 1 >= argc) {
			snprintf(error, size, "option '%.*s' needs an argument: %.*s %s", (int)shown,
				 arg, (int)shown, arg, o->arg);
			return false;
		}
		value = argv[++*i];
	}
	*out = (struct cli_arg){ o, value };
	return true;
}

int cli_parse(enum cli_cmd cmd, int argc, char **argv, struct cli_arg *args, size_t *count,
	      char *error, size_t size)
{
	char *operands[argc > 0 ? argc : 1];
	int n_operands = 0;
	*count = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--")) {
			while (++i < argc)
				operands[n_operands++] = argv[i];
			break;
		}
		if (arg[0] != '-' || !arg[1]) { /* "-" is standard input */
			operands[n_operands++] = argv[i];
			continue;
		}
		if (!parse_one(cmd, argc, argv, &i, &args[(*count)++], error, size))
			return -1;
	}
	for (int k = 0; k < n_operands; k++)
		argv[argc - n_operands + k] = operands[k];
	return argc - n_operands;
}
