/* hcl_out.c - the HCL writer (see hcl_out.h).
 *
 * `terraform fmt` aligns the '=' of a run of consecutive lines that each
 * hold a whole `key = value`; a line that opens a multi-line value, a
 * nested block, a comment or a blank line ends the run.  So one-line
 * attributes wait in h->run until something else is written, and are
 * then printed with their keys padded to the longest. */
#include "hcl_out.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

void hcl_begin(struct hcl_out *h, struct strbuf *buf, struct arena *a)
{
	memset(h, 0, sizeof *h);
	h->buf = buf;
	h->a = a;
}

/* `n` blanks, a block at a time (the alignment pads every key). */
static void blanks(struct strbuf *b, size_t n)
{
	static const char run[] = "                                ";
	for (size_t k; n; n -= k) {
		k = n < sizeof run - 1 ? n : sizeof run - 1;
		strbuf_put(b, run, k);
	}
}

static void indent(struct hcl_out *h)
{
	blanks(h->buf, 2 * (size_t)h->depth);
}

static void flush(struct hcl_out *h)
{
	size_t width = 0;
	for (int i = 0; i < h->run; i++)
		if (strlen(h->run_key[i]) > width)
			width = strlen(h->run_key[i]);
	for (int i = 0; i < h->run; i++) {
		indent(h);
		size_t n = strlen(h->run_key[i]);
		strbuf_put(h->buf, h->run_key[i], n);
		blanks(h->buf, width - n);
		strbuf_puts(h->buf, " = ");
		strbuf_puts(h->buf, h->run_value[i]);
		strbuf_putc(h->buf, '\n');
	}
	h->run = 0;
}

bool hcl_end(struct hcl_out *h)
{
	flush(h);
	return !h->failed && h->depth == 0;
}

/* A bare key must be an identifier and not a word HCL reads otherwise
 * at the start of an object ("for" opens a for expression). */
static bool is_reserved(const char *s)
{
	static const char *const reserved[] = { "for", "in", "if", "null", "true", "false" };
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (s[0] == reserved[i][0] && !strcmp(s, reserved[i]))
			return true;
	return false;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_identifier(const char *s)
{
	if (!is_letter(*s))
		return false;
	for (const char *c = s; *c; c++)
		if (!is_letter(*c) && !(*c >= '0' && *c <= '9') && *c != '-')
			return false;
	return !is_reserved(s);
}

static const char *key_text(struct hcl_out *h, const char *key)
{
	return is_identifier(key) ? key : hcl_quote(h->a, key);
}

const char *hcl_quote(struct arena *a, const char *s)
{
	return arena_cat(a, "\"", escape_hcl(a, s), "\"", (char *)NULL);
}

static bool in_list(const struct hcl_out *h)
{
	return h->depth > 0 && h->open[h->depth - 1] == 'l';
}

/* One `key = value` line, or a list item "value,". */
static void line(struct hcl_out *h, const char *key, const char *value)
{
	if (in_list(h) || !key) {
		flush(h);
		indent(h);
		strbuf_puts(h->buf, value);
		strbuf_puts(h->buf, in_list(h) ? ",\n" : "\n");
		return;
	}
	if (h->run == HCL_MAX_RUN)
		flush(h);
	h->run_key[h->run] = key_text(h, key);
	h->run_value[h->run++] = value;
}

static void push(struct hcl_out *h, char kind, const char *closer)
{
	if (h->depth == HCL_MAX_DEPTH) {
		h->failed = true;
		return;
	}
	h->open[h->depth] = kind;
	h->closer[h->depth++] = closer;
}

/* ' "LABEL"', escaped. */
static void put_label(struct hcl_out *h, const char *label)
{
	strbuf_puts(h->buf, " \"");
	strbuf_puts(h->buf, escape_hcl(h->a, label));
	strbuf_putc(h->buf, '"');
}

void hcl_block(struct hcl_out *h, const char *type, const char *label1, const char *label2)
{
	flush(h);
	indent(h);
	strbuf_puts(h->buf, type);
	if (label1)
		put_label(h, label1);
	if (label2)
		put_label(h, label2);
	strbuf_puts(h->buf, " {\n");
	push(h, 'b', "}");
}

void hcl_empty_block(struct hcl_out *h, const char *type, const char *label1, const char *label2)
{
	hcl_block(h, type, label1, label2);
	h->depth--;
	h->buf->len--; /* " {\n" becomes " {}\n" */
	strbuf_puts(h->buf, "}\n");
}

void hcl_open(struct hcl_out *h, const char *key, const char *opener, const char *closer)
{
	flush(h);
	indent(h);
	if (key && !in_list(h)) {
		strbuf_puts(h->buf, key_text(h, key));
		strbuf_puts(h->buf, " = ");
	}
	strbuf_puts(h->buf, opener);
	strbuf_putc(h->buf, '\n');
	/* A closer inside a list carries the item's comma. */
	const char *c = in_list(h) ? arena_cat(h->a, closer, ",", (char *)NULL) : closer;
	push(h, opener[strlen(opener) - 1] == '[' ? 'l' : 'o', c);
}

void hcl_object(struct hcl_out *h, const char *key) { hcl_open(h, key, "{", "}"); }
void hcl_list(struct hcl_out *h, const char *key) { hcl_open(h, key, "[", "]"); }

void hcl_close(struct hcl_out *h)
{
	flush(h);
	if (h->depth == 0) {
		h->failed = true;
		return;
	}
	h->depth--;
	indent(h);
	strbuf_puts(h->buf, h->closer[h->depth]);
	strbuf_putc(h->buf, '\n');
}

void hcl_str(struct hcl_out *h, const char *key, const char *value)
{
	line(h, key, hcl_quote(h->a, value));
}

void hcl_expr(struct hcl_out *h, const char *key, const char *expr)
{
	line(h, key, arena_strdup(h->a, expr));
}

void hcl_int(struct hcl_out *h, const char *key, int64_t value)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%" PRId64, value);
	line(h, key, arena_strdup(h->a, digits));
}

void hcl_bool(struct hcl_out *h, const char *key, bool value)
{
	line(h, key, value ? "true" : "false");
}

void hcl_strs(struct hcl_out *h, const char *key, const struct model_strings *list)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '[');
	for (size_t i = 0; i < list->count; i++) {
		strbuf_puts(&b, i ? ", \"" : "\"");
		strbuf_puts(&b, escape_hcl(h->a, list->items[i]));
		strbuf_putc(&b, '"');
	}
	strbuf_putc(&b, ']');
	line(h, key, strbuf_finish(&b, h->a));
}

void hcl_comment(struct hcl_out *h, const char *text)
{
	flush(h);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		indent(h);
		if (n)
			strbuf_printf(h->buf, "# %s\n", escape_comment(h->a, arena_strndup(h->a, p, n)));
		else
			strbuf_puts(h->buf, "#\n");
		p += n + (p[n] == '\n');
	}
}

void hcl_blank(struct hcl_out *h)
{
	flush(h);
	strbuf_putc(h->buf, '\n');
}

void hcl_allows(struct hcl_out *h, const char *what, const struct model_allow *allows,
		const char *code)
{
	for (const struct model_allow *al = allows; al; al = al->next) {
		if (code && strcmp(al->code, code) != 0)
			continue;
		const char *text = what
			? arena_printf(h->a, "allow %s for %s (%s): %s", al->code, what, al->rule, al->reason)
			: arena_printf(h->a, "allow %s (%s): %s", al->code, al->rule, al->reason);
		hcl_comment(h, escape_comment(h->a, text)); /* one line, as written */
	}
}
