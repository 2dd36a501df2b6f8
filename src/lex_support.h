/* lex_support.h - what the generated scanner and parser call.
 *
 * grammar/lexer.l and grammar/parser.y stay thin: lexical checks (units,
 * escapes, integer range) and the tree-building steps that need the
 * parser's state (limits, string dedent) live in C files behind this
 * header: lex_support.c, parse.c and syntax_errors.c. */
#ifndef DEPC_LEX_SUPPORT_H
#define DEPC_LEX_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "parse.h"

/* A token's text, copied into the arena (escapes already decoded). */
struct lex_tok {
	const char *s;
	uint32_t len;
};

/* Scanner lifetime (lexer.l). */
bool lex_open(struct parser *p);
bool lex_open_region(struct parser *p, uint32_t from, uint32_t to, char **copy);
void lex_close(struct parser *p);

/* Lexical checks and error reports (lex_support.c).  Each returns the
 * token kind the scanner should return, where it returns one. */
int lex_number(struct parser *p, const char *text, size_t len, struct span at);
int lex_escape(struct parser *p, struct lex_tok *out, struct span at,
	       const char *text, size_t len);
int lex_unicode_escape(struct parser *p, struct lex_tok *out, struct span at,
		       const char *text);
void lex_bad_char(struct parser *p, struct span at, const char *text, size_t len);
/* 'port: 80' (`spaced`, read as '=') or a stray ':' (dropped). */
void lex_colon(struct parser *p, struct span at, bool spaced);
/* Reports unquoted text such as nginx:1.25 and returns it as a string. */
const char *lex_unquoted(struct parser *p, struct span at, const char *text,
			 size_t len);
/* A name holding a non-ASCII character: reported, returned as a name. */
int lex_bad_name(struct parser *p, struct lex_tok *out, struct span at,
		 const char *text, size_t len);
/* Where the PLAIN state for the run of word characters at `at` ends
 * (lexer.l): before the first place a rule left out there could match.
 * `next` is the byte after the run, which flex hides while it runs an
 * action. */
uint32_t lex_plain_end(struct parser *p, struct span at, unsigned char next);
/* Whether the curly quote opening the name-like text at `at` starts a
 * quoted string, that is, a string at least as long as `at` (flex takes
 * the longest match, and the string on a tie); `next` as above. */
bool lex_curly_closes(struct parser *p, struct span at, unsigned char next);
/* Reports a “curly-quoted” string and returns its text for the parser. */
const char *lex_curly_quoted(struct parser *p, struct span at,
			     const char *text, size_t len);
/* Reports a 'single-quoted' string and returns its text for the parser. */
const char *lex_single_quoted(struct parser *p, struct span at,
			      const char *text, size_t len);
void lex_control_char(struct parser *p, struct span at, unsigned char c);
void lex_unterminated_string(struct parser *p, struct span at);
void lex_unterminated_mstring(struct parser *p, struct span at);
void lex_backslash_newline(struct parser *p, struct span at);
void lex_unterminated_comment(struct parser *p, struct span at);
/* Records a comment when the parse keeps them (parse.c). */
void lex_comment(struct parser *p, struct span at);
void lex_unterminated_interpolation(struct parser *p, struct span at);
void lex_interpolation_stopped(struct parser *p, struct span at, char stop);
void lex_empty_interpolation(struct parser *p, struct span at);
void lex_error_malformed_number(struct parser *p, struct span at, const char *text);
void lex_error_dotted_number(struct parser *p, struct span at, const char *text);

/* Tree-building steps that need the parser (parse.c). */
int parse_run(struct parser *p);
struct ast_node *parse_import(struct parser *p, struct span at,
			      struct ast_node *path, const char *alias,
			      struct span alias_span);
struct ast_node *parse_member(struct parser *p, struct span at,
			      struct ast_node *object, const char *name,
			      struct span name_span);
struct ast_node *parse_call(struct parser *p, struct span at,
			    struct ast_node *callee, struct ast_node *args);
/* A string literal, checked against PARSE_MAX_STRING (parse.c). */
struct ast_node *parse_string(struct parser *p, struct span at, struct ast_node *parts);
struct ast_node *parse_mstring(struct parser *p, struct span at,
			       struct ast_node *parts, int indent);
struct ast_node *parse_key(struct parser *p, struct ast_node *str);
struct ast_node *parse_label(struct parser *p, struct ast_node *str);
void parse_misplaced(struct parser *p, struct span at, const char *what);
bool parse_resync(struct parser *p);
void parse_report_failure(struct parser *p, struct span at, const char *msg);

/* Syntax error wording (syntax_errors.c).  `found` and `expected` are
 * the grammar's names for tokens ("name", "'{'", "end of file"). */
#define PARSE_MAX_EXPECTED 24
void syntax_error_report(struct parser *p, struct span at, const char *found,
			 const char *const *expected, int n);

#endif
