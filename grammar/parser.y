/* parser.y - the .dep grammar (bison, pure, with byte-offset locations).
 *
 * Each action is one constructor call from ast.c; no checking happens
 * here.  Error recovery: an entry that fails to parse is skipped up to the
 * next token that can start an entry or close the block, so one run
 * reports every independent syntax error.  Bison stays silent until three
 * tokens after an error have been read, which hides the cascade; RESYNC
 * ends that silence early when the parse resumes at the start of a later
 * line, so two broken entries on consecutive lines are both reported
 * (see parse_resync in parse.c).  When the broken part is a
 * block's header, the `error '{' entries '}'` rules still read its body
 * as a body, so its '}' does not end the enclosing block and the entries
 * inside are checked for errors of their own.  Messages say in plain
 * words what was expected (see syntax_error_report in syntax_errors.c). */

%require "3.6"
%define api.pure full
%define api.location.type {struct span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%parse-param {struct parser *p}
%lex-param {struct parser *p}

%code requires {
#include "lex_support.h"
}

%code provides {
int lex_run(struct parser *p, YYSTYPE *lval, struct span *lloc);
}

%code {
#include "ast.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                              \
	do {                                                     \
		if (N) {                                         \
			(Cur).start = YYRHSLOC(Rhs, 1).start;    \
			(Cur).end = YYRHSLOC(Rhs, N).end;        \
		} else {                                         \
			(Cur).start = YYRHSLOC(Rhs, 0).end;      \
			(Cur).end = YYRHSLOC(Rhs, 0).end;        \
		}                                                \
	} while (0)

static int yylex(YYSTYPE *lval, struct span *lloc, struct parser *p)
{
	return lex_run(p, lval, lloc);
}

/* After recovering from an error: report the next one at once when the
 * parse resumes on a fresh line. */
#define RESYNC() do { if (parse_resync(p)) yyerrok; } while (0)

static void yyerror(struct span *loc, struct parser *p, const char *msg)
{
	parse_report_failure(p, *loc, msg);
}

#define A (p->arena)
}

%union {
	struct lex_tok tok;
	struct ast_node *node;
	struct ast_list list;
	int indent;
}

%token <tok> T_IDENT "name"
%token <tok> T_INT "integer"
%token <tok> T_FLOAT "decimal number"
%token <tok> T_UNIT "number with a unit"
%token <tok> T_TEXT "string text"
%token T_STR_BEGIN "string"
%token T_STR_END "end of string"
%token T_MSTR_BEGIN "multi-line string"
%token <indent> T_MSTR_END "end of multi-line string"
%token T_INTERP_BEGIN "'${'"
%token T_INTERP_END "'}' closing the interpolation"
%token T_IMPORT "'import'"
%token T_TEMPLATE "'template'"
%token T_AS "'as'"
%token T_UNSET "'unset'"
%token T_TRUE "'true'"
%token T_FALSE "'false'"
%token T_DOTDOT "'..'"

%type <node> item import template entry block attribute label base
%type <node> expr postfix primary string list map param arg call
%type <node> mapentry key postfix_name unset unset_value
%type <list> unset_path
%type <list> items entries params param_list args arg_list
%type <list> exprs expr_list mapentries string_parts
%type <tok> name

%%

file
	: items                    { p->root = ast_file(A, @$, $1.head); }
	;

items
	: %empty                   { $$ = (struct ast_list){0}; }
	| items item               { $$ = $1; ast_list_append(&$$, $2); }
	| items error              { $$ = $1; RESYNC(); }
	| items error '{' entries '}' { $$ = $1; RESYNC(); }
	| items ';'                { $$ = $1; }
	| items ','                { $$ = $1; }
	;

item
	: import
	| template
	| entry
	;

/* import "std/node" [as name] */
import
	: T_IMPORT string          { $$ = parse_import(p, @$, $2, NULL, @2); }
	| T_IMPORT string T_AS name { $$ = parse_import(p, @$, $2, $4.s, @4); }
	;

/* template service nextjs(node = "20", port = 3000) { ... } */
template
	: T_TEMPLATE name name '(' params ')' '{' entries '}'
	                           { $$ = ast_template(A, @$, $2.s, @2, $3.s, @3, $5.head, $8.head); }
	;

params
	: %empty                   { $$ = (struct ast_list){0}; }
	| param_list opt_comma
	;

param_list
	: param                    { $$ = (struct ast_list){0}; ast_list_append(&$$, $1); }
	| param_list ',' param     { $$ = $1; ast_list_append(&$$, $3); }
	;

param
	: name                     { $$ = ast_attr(A, @$, $1.s, @1, false, NULL); }
	| name '=' expr            { $$ = ast_attr(A, @$, $1.s, @1, false, $3); }
	;

entries
	: %empty                   { $$ = (struct ast_list){0}; }
	| entries entry            { $$ = $1; ast_list_append(&$$, $2); }
	| entries ';'              { $$ = $1; }
	| entries ','              { $$ = $1; }
	| entries error            { $$ = $1; RESYNC(); }
	| entries error '{' entries '}' { $$ = $1; RESYNC(); }
	| entries T_IMPORT string  { $$ = $1; parse_misplaced(p, @2, "import"); }
	;

entry
	: attribute
	| block
	| unset
	;

/* unset PATH [VALUE]: removes what a template or the base sets.  A
 * VALUE (a string, or a list of values) removes those entries of a list
 * instead of the whole field.  Nothing that can start an entry can start
 * a value, so the next line is never read as one. */
unset
	: T_UNSET unset_path       { $$ = ast_unset(A, @$, $2.head, NULL); }
	| T_UNSET unset_path unset_value
	                           { $$ = ast_unset(A, @$, $2.head, $3); }
	;

unset_path
	: name                     { $$ = (struct ast_list){0}; ast_list_append(&$$, ast_ident(A, @1, $1.s)); }
	| unset_path '.' name      { $$ = $1; ast_list_append(&$$, ast_ident(A, @3, $3.s)); }
	;

unset_value
	: string
	| list
	;

attribute
	: name '=' expr            { $$ = ast_attr(A, @$, $1.s, @1, false, $3); }
	;

/* KIND [LABEL] [= base(args)] { entries } */
block
	: name '{' entries '}'     { $$ = ast_block(A, @$, $1.s, @1, NULL, NULL, $3.head, span_join(@2, @4)); }
	| name label '{' entries '}'
	                           { $$ = ast_block(A, @$, $1.s, @1, $2, NULL, $4.head, span_join(@3, @5)); }
	| name label '=' base '{' entries '}'
	                           { $$ = ast_block(A, @$, $1.s, @1, $2, $4, $6.head, span_join(@5, @7)); }
	| name label '=' base      { $$ = ast_block(A, @$, $1.s, @1, $2, $4, NULL, span_make(@4.end, @4.end)); }
	;

label
	: name                     { $$ = ast_ident(A, @$, $1.s); }
	| string                   { $$ = parse_label(p, $1); }
	;

base
	: call
	| postfix_name
	;

postfix_name
	: name                     { $$ = ast_ident(A, @$, $1.s); }
	| postfix_name '.' name    { $$ = parse_member(p, @$, $1, $3.s, @3); }
	;

call
	: postfix_name '(' args ')' { $$ = parse_call(p, @$, $1, $3.head); }
	;

name
	: T_IDENT
	;

/* Values */

expr
	: postfix
	| postfix T_DOTDOT postfix { $$ = ast_range(A, @$, $1, $3); }
	;

postfix
	: primary
	| postfix '.' name         { $$ = parse_member(p, @$, $1, $3.s, @3); }
	| postfix '(' args ')'     { $$ = parse_call(p, @$, $1, $3.head); }
	;

primary
	: name                     { $$ = ast_ident(A, @$, $1.s); }
	| T_INT                    { $$ = ast_number(A, @$, AST_INT, $1.s); }
	| T_FLOAT                  { $$ = ast_number(A, @$, AST_FLOAT, $1.s); }
	| T_UNIT                   { $$ = ast_number(A, @$, AST_UNIT, $1.s); }
	| T_TRUE                   { $$ = ast_bool(A, @$, true); }
	| T_FALSE                  { $$ = ast_bool(A, @$, false); }
	| string
	| list
	| map
	| '(' expr ')'             { $$ = $2; }
	;

string
	: T_STR_BEGIN string_parts T_STR_END
	                           { $$ = parse_string(p, @$, $2.head); }
	| T_MSTR_BEGIN string_parts T_MSTR_END
	                           { $$ = parse_mstring(p, @$, $2.head, $3); }
	;

string_parts
	: %empty                   { $$ = (struct ast_list){0}; }
	| string_parts T_TEXT      { $$ = $1; ast_list_append(&$$, ast_text(A, @2, $2.s, $2.len)); }
	| string_parts T_INTERP_BEGIN expr T_INTERP_END
	                           { $$ = $1; ast_list_append(&$$, $3); }
	| string_parts T_INTERP_BEGIN error T_INTERP_END
	                           { $$ = $1; }
	;

list
	: '[' exprs ']'            { $$ = ast_list(A, AST_LIST, @$, $2.head); }
	;

exprs
	: %empty                   { $$ = (struct ast_list){0}; }
	| expr_list opt_comma
	;

expr_list
	: expr                     { $$ = (struct ast_list){0}; ast_list_append(&$$, $1); }
	| expr_list ',' expr       { $$ = $1; ast_list_append(&$$, $3); }
	;

opt_comma
	: %empty
	| ','
	;

map
	: '{' mapentries '}'       { $$ = ast_list(A, AST_MAP, @$, $2.head); }
	;

mapentries
	: %empty                   { $$ = (struct ast_list){0}; }
	| mapentries mapentry      { $$ = $1; ast_list_append(&$$, $2); }
	| mapentries ','           { $$ = $1; }
	| mapentries ';'           { $$ = $1; }
	;

mapentry
	: key '=' expr             { $$ = ast_attr(A, @$, $1->u.attr.name, $1->span, $1->u.attr.name_quoted, $3); }
	;

key
	: name                     { $$ = ast_attr(A, @$, $1.s, @1, false, NULL); }
	| string                   { $$ = parse_key(p, $1); }
	;

args
	: %empty                   { $$ = (struct ast_list){0}; }
	| arg_list opt_comma
	;

arg_list
	: arg                      { $$ = (struct ast_list){0}; ast_list_append(&$$, $1); }
	| arg_list ',' arg         { $$ = $1; ast_list_append(&$$, $3); }
	;

arg
	: expr
	| name '=' expr            { $$ = ast_attr(A, @$, $1.s, @1, false, $3); }
	;

%%

int parse_run(struct parser *p)
{
	return yyparse(p);
}

/* Collects what the parser expected and hands it to syntax_errors.c,
 * which words the message. */
static int yyreport_syntax_error(const yypcontext_t *ctx, struct parser *p)
{
	yysymbol_kind_t expected[PARSE_MAX_EXPECTED];
	int n = yypcontext_expected_tokens(ctx, expected, PARSE_MAX_EXPECTED);
	const char *names[PARSE_MAX_EXPECTED];
	for (int i = 0; i < n; i++)
		names[i] = yysymbol_name(expected[i]);
	syntax_error_report(p, *yypcontext_location(ctx),
			    yysymbol_name(yypcontext_token(ctx)), names,
			    n < 0 ? 0 : n);
	return 0;
}
