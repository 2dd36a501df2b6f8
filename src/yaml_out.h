/* yaml_out.h - YAML documents through libyaml's emitter.
 *
 * Every YAML file depc writes goes through here.  Strings are quoted
 * exactly when a YAML 1.1 or 1.2 reader would otherwise take them for
 * something else ("3000", "yes", "on", "null", "1e3", a leading '*'),
 * multi-line strings use the literal block style, and integers and
 * booleans are written plain.  The first emitter error is kept and the
 * rest of the calls do nothing, so callers check once at the end. */
#ifndef DEPC_YAML_OUT_H
#define DEPC_YAML_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "arena.h"

struct yaml_out {
	yaml_emitter_t emitter;
	struct strbuf *buf;  /* where the document goes */
	bool failed;         /* an emitter call failed */
	char open[64];       /* 'm' or 's' for each open collection */
	bool at_key[64];     /* in each open mapping: the next node is a key */
	int depth;           /* entries used in open */
	/* Applied to every string written as a value (not to keys): the
	 * escape of a format read back by a further interpreter, such as
	 * Compose's interpolation.  NULL: none. */
	const char *(*value_filter)(struct arena *a, const char *s);
	struct arena *filter_arena;
};

/* Starts a stream and a document writing into buf (appending after what
 * is there, e.g. a comment banner). */
void yaml_begin(struct yaml_out *y, struct strbuf *buf);
/* From now on every string value passes through `filter` (allocating from
 * `a`) before it is written, so a backend cannot write one unescaped. */
void yaml_set_value_filter(struct yaml_out *y, const char *(*filter)(struct arena *, const char *),
			   struct arena *a);
/* Ends the document and the stream; returns false on any emitter error. */
bool yaml_end(struct yaml_out *y);

void yaml_map(struct yaml_out *y);       /* start a mapping */
void yaml_seq(struct yaml_out *y);       /* start a sequence */
void yaml_flow_seq(struct yaml_out *y);  /* start a sequence written [a, b] */
void yaml_close(struct yaml_out *y);     /* end the innermost one */

void yaml_str(struct yaml_out *y, const char *s);
/* A string always double-quoted: for text that something (Actions) will
 * replace before a YAML reader sees it, which must stay a string then. */
void yaml_str_quoted(struct yaml_out *y, const char *s);
/* A string written past the value filter: only for an interpolation the
 * backend itself builds from checked names (Compose's ${NAME:?message}),
 * never for text from the source. */
void yaml_str_interpolated(struct yaml_out *y, const char *s);
void yaml_int(struct yaml_out *y, int64_t v);
void yaml_bool(struct yaml_out *y, bool v);
void yaml_null(struct yaml_out *y);
/* key: value shorthands inside a mapping. */
void yaml_kv_str(struct yaml_out *y, const char *key, const char *value);
void yaml_kv_int(struct yaml_out *y, const char *key, int64_t value);
void yaml_kv_bool(struct yaml_out *y, const char *key, bool value);
/* key: followed by a mapping or sequence the caller fills and closes. */
void yaml_key_map(struct yaml_out *y, const char *key);
void yaml_key_seq(struct yaml_out *y, const char *key);

/* libyaml's emitter writes no comments, so comment lines go into the
 * buffer before yaml_begin, through these two only.  Text passes
 * escape_comment, so no character of it can end the comment line. */
struct model_allow;
/* "# TEXT". */
void yaml_comment(struct strbuf *buf, struct arena *a, const char *text);
/* One line per policy exception of a declaration, WHAT naming it
 * ("service web"): "#   WHAT: CODE (RULE): REASON". */
void yaml_comment_allows(struct strbuf *buf, struct arena *a, const char *what,
			 const struct model_allow *allows);

/* Would a YAML reader take `s`, written plain, as a string?  Exposed for
 * the unit tests. */
bool yaml_plain_is_string(const char *s);

#endif
