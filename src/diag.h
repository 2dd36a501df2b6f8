/* diag.h - the one diagnostics engine.
 *
 * Passes never print: they push diagnostics into a bag, and a renderer
 * (terminal text, JSON, the language server) turns the bag into output
 * late.  A diagnostic has a stable code, a severity, a primary span with an
 * optional label, secondary labels (possibly in other sources), notes,
 * help lines, and at most one machine-applicable fix, which the language
 * server offers as a code action.  All memory comes from the bag's arena. */
#ifndef DEPC_DIAG_H
#define DEPC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "source.h"

enum diag_code {
#define DIAG(code, sev, summary) DIAG_##code,
#include "diag_codes.def"
#undef DIAG
	DIAG_CODE_COUNT
};

enum diag_severity {
	SEV_ERROR,
	SEV_WARNING,
	SEV_NOTE,
};

struct diag_label {
	const struct source *src; /* source the span points into */
	struct span span;         /* bytes underlined */
	const char *message;      /* short text beside the underline, or NULL */
	struct diag_label *next;
};

struct diag_text {
	const char *text;
	struct diag_text *next;
};

struct diag_fix {
	struct span span;        /* bytes to replace in the primary source */
	const char *replacement; /* text to put there */
	const char *title;       /* what the code action is called, e.g. "replace with 'db'" */
};

struct diag {
	enum diag_code code;
	enum diag_severity severity;
	const struct source *src;  /* NULL for diagnostics about no file */
	struct span span;          /* primary span */
	const char *message;       /* lowercase, no final period, names the thing */
	const char *label;         /* text under the primary caret, or NULL */
	struct diag_label *labels; /* secondary spans, in order added */
	struct diag_text *notes;
	struct diag_text *helps;
	struct diag_fix *fix;
	struct diag *next;
};

/* Bytes of a source that renderers never show: a secret found in it. */
struct diag_redaction {
	const struct source *src;
	struct span span;
	struct diag_redaction *next;
};

struct diag_bag {
	struct arena *arena;
	struct diag *first, *last;
	struct diag_redaction *redactions; /* masked in every snippet */
	size_t errors;   /* diagnostics with severity error */
	size_t warnings; /* diagnostics with severity warning */
	size_t limit;    /* errors kept before E0104 stops the count; 0 = none */
	bool overflow;   /* the limit was hit */
	size_t dropped;  /* diagnostics past the limit: counted, not kept */
	struct diag scratch; /* what diag_emit hands out past the limit */
};

void diag_bag_init(struct diag_bag *bag, struct arena *a);

/* Adds a diagnostic with the code's default severity.  When the bag is
 * over its limit this returns the bag's one scratch diagnostic, which is
 * not kept and takes no labels, notes or help, so callers never check
 * for NULL and a file of a million errors costs no memory past the
 * limit. */
struct diag *diag_emit(struct diag_bag *bag, enum diag_code code,
		       const struct source *src, struct span span,
		       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Like diag_emit, with a severity other than the code's default: a policy
 * rule that `allow` downgrades is a warning.  The bag counts the
 * diagnostic under the severity given, so the summary stays right. */
struct diag *diag_emit_as(struct diag_bag *bag, enum diag_code code,
			  enum diag_severity sev, const struct source *src,
			  struct span span, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
struct diag *diag_vemit_as(struct diag_bag *bag, enum diag_code code,
			   enum diag_severity sev, const struct source *src,
			   struct span span, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* From now on the text renderer prints the bytes of `span` in `src` as
 * '*', one per display cell, in every diagnostic that shows that line:
 * a secret found in the source is pointed at but never copied into a
 * terminal or a CI log. */
/* Moves every diagnostic of `from` (same arena) to the end of `to`,
 * under `to`'s limit, and leaves `from` empty. */
void diag_bag_move(struct diag_bag *to, struct diag_bag *from);

void diag_redact(struct diag_bag *bag, const struct source *src, struct span span);

void diag_set_label(struct diag_bag *bag, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Makes (src, span) the primary location and the old primary the first
 * label, with the given text: for a diagnostic raised inside a template,
 * led by the user's line that used it.  Drops the label and fix that
 * belonged to the old location. */
void diag_lead_with(struct diag_bag *bag, struct diag *d, const struct source *src,
		    struct span span, const char *fmt, ...);
void diag_add_label(struct diag_bag *bag, struct diag *d,
		    const struct source *src, struct span span,
		    const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diag_add_note(struct diag_bag *bag, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_add_help(struct diag_bag *bag, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_set_fix(struct diag_bag *bag, struct diag *d, struct span span,
		  const char *replacement, const char *title);

/* The code as printed, e.g. "E0101", and its one-line summary. */
const char *diag_code_name(enum diag_code code);
const char *diag_code_summary(enum diag_code code);
enum diag_severity diag_code_severity(enum diag_code code);
/* Looks up "E0101" (case-insensitive); returns false when unknown. */
bool diag_code_lookup(const char *name, enum diag_code *out);

/* Sorts by source name, then position, keeping emission order for ties, so
 * output does not depend on the order passes ran in. */
void diag_bag_sort(struct diag_bag *bag);

struct diag_render_options {
	bool color;       /* ANSI colours (stderr is a terminal, NO_COLOR unset) */
	size_t tab_width; /* display cells per tab stop, normally 4 */
};

/* `file:line:col: error[E0101]: message`, the source line, the underline,
 * labels, notes and help, then a summary line "N errors, M warnings" when
 * there is anything to report. */
void diag_render_text(FILE *out, const struct diag_bag *bag,
		      const struct diag_render_options *opt);
/* A JSON document {"diagnostics": [...], "errors": N, "warnings": M}. */
void diag_render_json(FILE *out, const struct diag_bag *bag);

#endif
