/* hcl_out.h - HCL (Terraform) text, written the way `terraform fmt` would.
 *
 * Every .tf file depc writes goes through here.  The writer tracks what
 * it is inside of - a block body, an object or a list - so list items get
 * their commas and closers always match; it indents by two spaces and
 * aligns the '=' of consecutive one-line attributes as `terraform fmt`
 * does, so the output passes `terraform fmt -check`.  String values pass
 * through escape_hcl, so "${" and "%{" in them stay text; expressions
 * (references, numbers, function calls) are the caller's and are written
 * as they are.  Keys that are not HCL identifiers are quoted. */
#ifndef DEPC_HCL_OUT_H
#define DEPC_HCL_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"

#define HCL_MAX_DEPTH 32
#define HCL_MAX_RUN 64

struct hcl_out {
	struct strbuf *buf;           /* where the text goes */
	struct arena *a;
	char open[HCL_MAX_DEPTH];     /* 'b' block, 'o' object, 'l' list */
	const char *closer[HCL_MAX_DEPTH]; /* text that closes each level */
	int depth;
	const char *run_key[HCL_MAX_RUN];  /* one-line attributes awaiting */
	const char *run_value[HCL_MAX_RUN]; /* alignment, flushed together */
	int run;
	bool failed;                  /* unbalanced or too deep */
};

void hcl_begin(struct hcl_out *h, struct strbuf *buf, struct arena *a);
/* false when opens and closes did not balance. */
bool hcl_end(struct hcl_out *h);

/* TYPE "LABEL1" "LABEL2" {  - labels may be NULL. */
void hcl_block(struct hcl_out *h, const char *type, const char *label1, const char *label2);
/* TYPE "LABEL1" "LABEL2" {} - a block with nothing in it. */
void hcl_empty_block(struct hcl_out *h, const char *type, const char *label1, const char *label2);
/* KEY = OPENER ... CLOSER: an object when OPENER ends in '{', a list when
 * it ends in '[', e.g. ("tags", "{", "}") or ("x", "jsonencode([", "])").
 * KEY is NULL for an item of a list. */
void hcl_open(struct hcl_out *h, const char *key, const char *opener, const char *closer);
void hcl_object(struct hcl_out *h, const char *key); /* KEY = { */
void hcl_list(struct hcl_out *h, const char *key);   /* KEY = [ */
/* Closes the innermost block, object or list. */
void hcl_close(struct hcl_out *h);

/* KEY = "escaped string"; KEY NULL for a list item. */
void hcl_str(struct hcl_out *h, const char *key, const char *value);
/* KEY = expression, as given. */
void hcl_expr(struct hcl_out *h, const char *key, const char *expr);
void hcl_int(struct hcl_out *h, const char *key, int64_t value);
void hcl_bool(struct hcl_out *h, const char *key, bool value);
/* KEY = ["a", "b"] on one line. */
void hcl_strs(struct hcl_out *h, const char *key, const struct model_strings *list);

/* A "# text" line per line of TEXT, each passed through escape_comment
 * so no character of it can end the comment; and an empty line.  Both
 * end an alignment run. */
void hcl_comment(struct hcl_out *h, const char *text);
void hcl_blank(struct hcl_out *h);
/* "# allow CODE (RULE): REASON" for each policy exception in `allows`
 * whose code is `code` (every one when `code` is NULL), with "for WHAT"
 * after the code when `what` is given; the text passes escape_comment,
 * so a reason cannot end its comment line. */
void hcl_allows(struct hcl_out *h, const char *what, const struct model_allow *allows,
		const char *code);

/* "escaped string" with its quotes, for building expressions. */
const char *hcl_quote(struct arena *a, const char *s);

#endif
