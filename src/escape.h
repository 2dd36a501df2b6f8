/* escape.h - every escaping rule for the formats depc writes, in one place.
 *
 * Each function returns an arena string that is safe to place where its
 * name says; the unit tests pin each rule.  YAML and JSON escaping is the
 * emitter's and cJSON's job and does not appear here. */
#ifndef DEPC_ESCAPE_H
#define DEPC_ESCAPE_H

#include "arena.h"

/* A Dockerfile ENV/ARG/LABEL value: double-quoted, with '"', '\\' and '$'
 * escaped so Docker neither ends the string nor expands variables; a
 * newline becomes the two characters "\n" inside the quotes. */
const char *escape_dockerfile_value(struct arena *a, const char *s);
/* A POSIX shell word: single-quoted when it holds anything but
 * [A-Za-z0-9_./:=@%+,-]. */
const char *escape_shell_word(struct arena *a, const char *s);
/* A Compose value: every '$' doubled so Compose does not interpolate. */
const char *escape_compose(struct arena *a, const char *s);
/* A Kubernetes container command, argument, env value or exec probe
 * command: the kubelet expands "$(NAME)" there and turns "$$" into "$",
 * so every '$' is doubled and the text reaches the process unchanged. */
const char *escape_k8s(struct arena *a, const char *s);
/* An HCL quoted-string body: '"', '\\', newlines escaped and the template
 * sequences "${" and "%{" written "$${" and "%%{". */
const char *escape_hcl(struct arena *a, const char *s);
/* Text placed in a GitHub Actions workflow value: Actions evaluates
 * every "${{ ... }}", and has no escape character, so each "${{" becomes
 * the expression "${{ '${{' }}", which evaluates to the literal text. */
const char *escape_actions(struct arena *a, const char *s);

/* Text for a '#' comment line (YAML, Dockerfile, HCL, shell): line
 * breaks and other control characters become spaces, so the text cannot
 * end the comment and start an instruction.  That includes the Unicode
 * breaks a YAML 1.1 reader honours (U+0085, U+2028, U+2029) and the other
 * C1 controls; every other character is kept. */
const char *escape_comment(struct arena *a, const char *s);

#endif
