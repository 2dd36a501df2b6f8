/* escape.h - every escaping rule for the formats depc writes, in one place.
 *
 * Each function returns an arena string that is safe to place where its
 * name says; the unit tests pin each rule.  YAML and JSON escaping is the
 * emitter's and cJSON's job and does not appear here. */
#ifndef DEPC_ESCAPE_H
#define DEPC_ESCAPE_H

#include <stdbool.h>

#include "arena.h"

/* True when `s` holds no line break or other control character (C0, DEL,
 * C1, U+2028, U+2029): text that some format can only carry on one line
 * (a Dockerfile instruction, a path, an ignore pattern) must be, and the
 * checker rejects what is not (E0330, E0331). */
bool escape_is_one_line(const char *s);

/* A Dockerfile ENV/ARG/LABEL value: double-quoted, with '"', '\'', '\\'
 * and '$' escaped so Docker neither ends the string nor expands
 * variables.  A Dockerfile cannot carry a line break in a value, so the
 * text must be one line (escape_is_one_line). */
const char *escape_dockerfile_value(struct arena *a, const char *s);
/* One word of COPY, FROM, WORKDIR and the like: the same escapes without
 * the quotes.  Words with blanks go into the JSON form of COPY, where
 * each element is still read by Docker's word lexer. */
const char *escape_dockerfile_word(struct arena *a, const char *s);
/* One .dockerignore line matching the path or pattern `s` (which must be
 * one line): Docker skips a line starting with '#', reads a leading '!'
 * as an exception (files put back into the context) and trims blanks at
 * both ends, and its matcher fails on a pattern ending in a lone '\'.
 * So a leading '#' or '!' is written "\#" or "\!", each blank at either
 * end as the class "[ ]" (any Unicode space Go's TrimSpace removes), and
 * a lone trailing '\' doubled; '*', '?', '[...]' and other '\' escapes
 * keep their pattern meaning. */
const char *escape_dockerignore(struct arena *a, const char *s);
/* A POSIX shell word: single-quoted when it holds anything but
 * [A-Za-z0-9_./:=@%+,-]. */
const char *escape_shell_word(struct arena *a, const char *s);
/* A Compose value: every '$' doubled so Compose does not interpolate.
 * The Compose writer applies it to every value it writes (yaml_out's
 * value filter), never the backend. */
const char *escape_compose(struct arena *a, const char *s);
/* A Kubernetes container command, argument, env value or exec probe
 * command: the kubelet expands "$(NAME)" there and turns "$$" into "$",
 * so every '$' is doubled and the text reaches the process unchanged. */
const char *escape_k8s(struct arena *a, const char *s);
/* An HCL quoted-string body: '"', '\\', newlines and other controls
 * escaped and the template sequences "${" and "%{" written "$${" and
 * "%%{". */
const char *escape_hcl(struct arena *a, const char *s);
/* Text placed in a GitHub Actions workflow value: Actions evaluates
 * every "${{ ... }}", and has no escape character, so each "${{" becomes
 * the expression "${{ '${{' }}", which evaluates to the literal text. */
const char *escape_actions(struct arena *a, const char *s);

/* Literal text of a Go text/template, such as an External Secrets
 * Operator template (engineVersion v2): each '{' that a '{' follows, or
 * that ends the text (an action may follow it), is written as the action
 * {{ "{" }}, so no "{{" of the text starts an action. */
const char *escape_go_template(struct arena *a, const char *s);

/* Text for a '#' comment line (YAML, Dockerfile, HCL, shell): line
 * breaks and other control characters become spaces, so the text cannot
 * end the comment and start an instruction.  That includes the Unicode
 * breaks a YAML 1.1 reader honours (U+0085, U+2028, U+2029) and the other
 * C1 controls; every other character is kept. */
const char *escape_comment(struct arena *a, const char *s);
/* Text for the inside of an HTML (and Markdown) comment, written between
 * "<!-- " and " -->": escape_comment's rule, and a space put between any
 * two hyphens in a row, so the text holds no "--" and cannot end the
 * comment ("-->", "--!>") or open another ("<!--").  The spaces the
 * caller puts around it keep the text's first and last characters from
 * joining the delimiters. */
const char *escape_html_comment(struct arena *a, const char *s);

/* Text for one cell of a Markdown table row (REPORT.md): escape_comment's
 * rule, so the row stays one line, and a backslash before each ASCII
 * character Markdown could read as syntax inside a row: '|' would end
 * the cell, '<' open HTML or an autolink, '&' an entity, and '\\',
 * '`', '*', '_', '~', '[' and ']' escapes, code, emphasis and links.
 * CommonMark reads each escaped character back as itself. */
const char *escape_markdown_cell(struct arena *a, const char *s);

/* A PromQL string literal with its double quotes: '"', '\\' and
 * controls escaped the way PromQL's Go-style strings read them back.
 * Every label value in a selector passes here. */
const char *escape_promql_string(struct arena *a, const char *s);
/* Can `s` stand as a metric name ([A-Za-z_:][A-Za-z0-9_:]*) or a label
 * name ([A-Za-z_][A-Za-z0-9_]*, not starting "__", which Prometheus
 * reserves) in PromQL without quoting?  The checker rejects what is not
 * (E0332, E0333), so promql.c splices only names these accept. */
bool escape_promql_metric_ok(const char *s);
/* A string literal, with its double quotes, inside a Go template action
 * ({{ "..." }}), as the External Secrets templates hold one: Go's own
 * quoting, which text/template reads back with strconv.Unquote. */
const char *escape_go_template_string(struct arena *a, const char *s);
bool escape_promql_label_ok(const char *s);

/* A here-document delimiter for `body`: `base`, or `base` with a numeric
 * suffix, chosen so that no line of `body` equals it and the body cannot
 * end the here-document early. */
const char *escape_heredoc_delimiter(struct arena *a, const char *body, const char *base);

#endif
