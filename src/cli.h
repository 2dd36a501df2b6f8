/* cli.h - the command line's one table: every command, every option,
 * which commands take which options, and what their arguments may be.
 *
 * The option parser (cli.c) and the shell completions (completion.c)
 * both read this table, so a new option is offered by the shells the
 * moment the parser accepts it. */
#ifndef DEPC_CLI_H
#define DEPC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cli_cmd {
	CMD_CHECK, CMD_BUILD, CMD_EXPLAIN, CMD_GRAPH, CMD_DIFF, CMD_PARSE,
	CMD_FMT, CMD_IMPORT, CMD_LSP, CMD_COMPLETION, CMD_COUNT
};
#define CMD_BIT(c) (1u << (c))

/* What a shell offers for an operand or an option's argument. */
enum cli_complete {
	COMPLETE_NONE,   /* nothing: free text */
	COMPLETE_DEP,    /* .dep files */
	COMPLETE_YAML,   /* .yaml and .yml files */
	COMPLETE_FILE,   /* any file */
	COMPLETE_DIR,    /* directories */
	COMPLETE_CHOICE, /* one of the option's choices */
	COMPLETE_CODE,   /* a diagnostic code (depc explain --list) */
};

struct cli_option {
	const char *name;        /* long name, without "--" */
	char short_name;         /* '-x', or 0 */
	int key;                 /* what the parser reports it as */
	const char *arg;         /* its argument's name, or NULL for a flag */
	const char *choices;     /* accepted values, space-separated, or NULL */
	enum cli_complete complete;
	unsigned commands;       /* CMD_BIT of each command that takes it */
	const char *help;        /* one line, for completions */
};

struct cli_command {
	const char *name;
	enum cli_complete operand; /* what its operands are */
	const char *choices;       /* the operands, space-separated, for COMPLETE_CHOICE */
	const char *help;          /* one line, for completions */
};

extern const struct cli_option cli_options[]; /* ends with a NULL name */
extern const struct cli_command cli_commands[CMD_COUNT];

/* One option as given: the table entry and its argument (or NULL). */
struct cli_arg {
	const struct cli_option *opt;
	const char *value;
};

/* Parses argv[1..argc-1], the arguments after the command's name, into
 * `args` (room for argc entries) and moves the operands, in order, to
 * the end of argv.  Returns the index of the first operand, or -1 after
 * writing the reason into `error` (a line without "depc: "). */
int cli_parse(enum cli_cmd cmd, int argc, char **argv, struct cli_arg *args, size_t *count,
	      char *error, size_t size);

/* The command called `name`, or CMD_COUNT; cli_suggest_command() the
 * closest command name to a misspelt one, or NULL. */
enum cli_cmd cli_find_command(const char *name);
const char *cli_suggest_command(const char *name);

/* "text, json or sarif": an option's choices for a message. */
const char *cli_choices_text(const struct cli_option *opt, char *buf, size_t size);

/* completion.c: the completion script for `shell` (bash, zsh or fish)
 * on `out`; false for another shell. */
bool cli_completion(FILE *out, const char *shell);

#endif
