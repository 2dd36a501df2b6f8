/* lsp_json.c - what cJSON cannot take or give back as it is.
 *
 * cJSON keeps a string as a C string and parses escapes strictly, which
 * the language server cannot live with as it is:
 *
 *   - "\u0000" in a document's text would end the text there;
 *   - a lone surrogate escape ("\ud800", which JavaScript strings allow
 *     and some clients send) makes the whole message invalid, so a
 *     didOpen with one was dropped;
 *   - bytes that are not UTF-8 are kept, and echoed in an error message
 *     they make the reply invalid JSON.
 *
 * So a message body is cleaned before cJSON sees it, inside its strings
 * only (outside them the parser judges): a lone surrogate becomes
 * U+FFFD, as does each byte that does not start a valid UTF-8 sequence,
 * and "\u0000" becomes the escape of a private-use code point that does
 * not occur in the message (the mark).  After parsing, the mark stands
 * for NUL in the two strings that are document text (lsp_text below)
 * and becomes U+FFFD everywhere else.  UTF-16 lengths are unchanged
 * (U+FFFD, like a lone surrogate, is one code unit; a NUL is one too),
 * so positions the client counts stay right. */
#include "lsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MARK_BASE 0xF0000 /* plane 15, private use */

struct out {
	char *data;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->data = xrealloc(o->data, o->cap);
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
	o->data[o->len] = '\0';
}

/* Is `needle` in the body; an escape ("\\u...") compared without case? */
static bool contains(const char *hay, size_t len, const char *needle, bool escape)
{
	size_t n = strlen(needle);
	for (const char *p = hay, *end = hay + len; (p = memchr(p, needle[0], (size_t)(end - p))) != NULL;
	     p++)
		if ((size_t)(end - p) >= n &&
		    !(escape ? strncasecmp(p, needle, n) : memcmp(p, needle, n)))
			return true;
	return false;
}

static void encode(uint32_t cp, char out[5])
{
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	out[4] = '\0';
}

/* A code point U+F0000..U+F00FF that the body holds neither as UTF-8
 * nor as an escape; its UTF-8 in mark, its escape in esc. */
static bool pick_mark(const char *body, size_t len, char mark[5], char esc[13])
{
	for (uint32_t k = 0; k < 256; k++) {
		uint32_t cp = MARK_BASE + k, v = cp - 0x10000;
		encode(cp, mark);
		snprintf(esc, 13, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
		if (!contains(body, len, mark, false) && !contains(body, len, esc + 6, true))
			return true;
	}
	return false;
}

int lsp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code unit of "\uXXXX" at p (6 bytes available), or -1. */
static long unit_at(const char *p, const char *end)
{
	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	long v = 0;
	for (int i = 2; i < 6; i++) {
		int h = lsp_hex_digit(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

struct cleaner {
	const char *p, *end;
	struct out o;
	const char *esc; /* the mark's escape, or NULL when none is free */
	bool used;       /* the mark stands for a NUL somewhere */
};

/* A "\u" escape inside a string: copied, or replaced. */
static void clean_escape(struct cleaner *c)
{
	long u = unit_at(c->p, c->end);
	if (u == 0 && c->esc) {
		put(&c->o, c->esc, 12);
		c->used = true;
		c->p += 6;
	} else if (u >= 0xD800 && u <= 0xDBFF) {
		long low = unit_at(c->p + 6, c->end);
		bool pair = low >= 0xDC00 && low <= 0xDFFF;
		put(&c->o, pair ? c->p : "\\ufffd", pair ? 12 : 6);
		c->p += pair ? 12 : 6;
	} else if (u >= 0xDC00 && u <= 0xDFFF) {
		put(&c->o, "\\ufffd", 6);
		c->p += 6;
	} else {
		put(&c->o, c->p, 2); /* the rest is copied as it comes */
		c->p += 2;
	}
}

/* One byte or escape or character inside a string; false at its end. */
static bool clean_in_string(struct cleaner *c)
{
	unsigned char ch = (unsigned char)*c->p;
	if (ch == '"') {
		put(&c->o, c->p++, 1);
		return false;
	}
	if (ch == '\\' && c->end - c->p >= 2 && c->p[1] == 'u') {
		clean_escape(c);
		return true;
	}
	if (ch == '\\' && c->end - c->p >= 2) {
		put(&c->o, c->p, 2);
		c->p += 2;
		return true;
	}
	if (ch < 0x80) { /* a run of plain bytes at once (a lone final '\\' too) */
		const char *q = c->p + 1;
		while (q < c->end && (unsigned char)*q < 0x80 && *q != '"' && *q != '\\')
			q++;
		put(&c->o, c->p, (size_t)(q - c->p));
		c->p = q;
		return true;
	}
	int32_t cp;
	int n = source_decode(c->p, (size_t)(c->end - c->p), &cp);
	if (n <= 0) {
		put(&c->o, "\xEF\xBF\xBD", 3);
		c->p++;
	} else {
		put(&c->o, c->p, (size_t)n);
		c->p += n;
	}
	return true;
}

/* Does the body hold anything to clean?  One quick pass, since almost
 * no message does: escapes are skipped in pairs, so "\\u0000" (an
 * escaped backslash) is not taken for an escape. */
static bool needs_cleaning(const char *body, size_t len)
{
	const char *p = body, *end = body + len;
	while (p < end) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\\') {
			long u = unit_at(p, end), low = u >= 0 ? unit_at(p + 6, end) : -1;
			bool pair = u >= 0xD800 && u <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF;
			if (u == 0 || (u >= 0xD800 && u <= 0xDFFF && !pair))
				return true;
			p += pair ? 12 : 2;
		} else if (ch >= 0x80) {
			int32_t cp;
			int n = source_decode(p, (size_t)(end - p), &cp);
			if (n <= 0)
				return true;
			p += n;
		} else {
			p++;
		}
	}
	return false;
}

char *lsp_json_clean(const char *body, size_t len, size_t *out_len, char mark[5])
{
	char esc[13];
	mark[0] = '\0';
	if (!needs_cleaning(body, len))
		return NULL;
	struct cleaner c = { .p = body, .end = body + len };
	c.esc = pick_mark(body, len, mark, esc) ? esc : NULL;
	while (c.p < c.end) {
		if (*c.p != '"') {
			put(&c.o, c.p++, 1);
			continue;
		}
		put(&c.o, c.p++, 1);
		while (c.p < c.end && clean_in_string(&c))
			;
	}
	if (!c.used)
		mark[0] = '\0';
	if (!c.o.data)
		put(&c.o, "", 0);
	*out_len = c.o.len;
	return c.o.data;
}

/* ---- after parsing ----------------------------------------------------- */

/* Every mark in `s` replaced by U+FFFD (one byte shorter: in place). */
static void unmark(char *s, const char *mark)
{
	char *w = s;
	for (const char *r = s; *r;) {
		if (!strncmp(r, mark, 4)) {
			memcpy(w, "\xEF\xBF\xBD", 3);
			w += 3;
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static bool is_text(const cJSON *item, const cJSON *parent, const cJSON *grand)
{
	return item->string && !strcmp(item->string, "text") && parent &&
	       ((parent->string && !strcmp(parent->string, "textDocument")) ||
		(grand && grand->string && !strcmp(grand->string, "contentChanges")));
}

static void unmark_tree(cJSON *item, const cJSON *parent, const cJSON *grand, const char *mark)
{
	for (; item; item = item->next) {
		if (item->string)
			unmark(item->string, mark);
		if (cJSON_IsString(item) && !is_text(item, parent, grand))
			unmark(item->valuestring, mark);
		unmark_tree(item->child, item, parent, mark);
	}
}

void lsp_json_unmark(cJSON *msg, const char *mark)
{
	if (mark[0])
		unmark_tree(msg, NULL, NULL, mark);
}

const char *lsp_text(struct lsp_request *rq, const cJSON *item, size_t *len)
{
	const char *s = item->valuestring, *mark = rq->s->mark;
	if (!mark[0] || !strstr(s, mark)) {
		*len = strlen(s);
		return s;
	}
	char *out = arena_alloc(&rq->scratch, strlen(s) + 1), *w = out;
	for (const char *r = s; *r;) {
		if (!strncmp(r, mark, 4)) {
			*w++ = '\0';
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*len = (size_t)(w - out);
	return out;
}

void lsp_utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
		return; /* ends with ASCII (or with bytes no lead byte began) */
	i--;
	int32_t cp;
	if (source_decode(s + i, n - i, &cp) != (int)(n - i))
		s[i] = '\0';
}
