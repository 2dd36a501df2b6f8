/* lsp_raw.c - JSON the server writes as text: values made of integers
 * alone (positions, ranges, semantic token data).
 *
 * cJSON prints every number with "%1.15g" and reads it back with sscanf
 * to see whether the digits were enough, some 2,000 instructions per
 * number; a range is also three objects, two keys and four numbers, each
 * allocated.  On a big document those answers are almost all numbers,
 * so printing them took more time than finding them.  Here the digits
 * are written directly into one buffer, which becomes a single cJSON raw
 * item, printed as it is.  Only non-negative integers and fixed keys are
 * written, so nothing needs escaping, and the bytes are the ones cJSON
 * would print (integers below 10^15 have no exponent). */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

void lsp_raw_uint(struct strbuf *b, size_t v)
{
	char digits[24];
	size_t n = sizeof digits;
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	strbuf_put(b, digits + n, sizeof digits - n);
}

void lsp_raw_position(struct strbuf *b, const struct lsp_server *s, const struct source *src,
		      uint32_t offset)
{
	strbuf_put(b, "{\"line\":", 8);
	lsp_raw_uint(b, source_line_of(src, offset) - 1);
	strbuf_put(b, ",\"character\":", 13);
	lsp_raw_uint(b, lsp_column(s, src, offset));
	strbuf_putc(b, '}');
}

void lsp_raw_range(struct strbuf *b, const struct lsp_server *s, const struct source *src,
		   struct span sp)
{
	strbuf_put(b, "{\"start\":", 9);
	lsp_raw_position(b, s, src, sp.start);
	strbuf_put(b, ",\"end\":", 7);
	lsp_raw_position(b, s, src, sp.end);
	strbuf_putc(b, '}');
}

cJSON *lsp_raw_item(struct strbuf *b)
{
	cJSON *r = cJSON_CreateRaw("");
	if (!r)
		depc_out_of_memory();
	if (b->data) {
		/* The buffer is handed over rather than copied: cJSON frees it
		 * with free(), the allocator it was made with (no hooks set). */
		free(r->valuestring);
		r->valuestring = b->data;
	}
	strbuf_init(b);
	return r;
}

cJSON *lsp_raw_ref(const char *text)
{
	cJSON *r = cJSON_CreateRaw("");
	if (!r)
		depc_out_of_memory();
	free(r->valuestring);
	r->valuestring = (char *)text; /* never written: printed, then let go */
	r->type |= cJSON_IsReference;  /* which cJSON_Delete does not free */
	return r;
}

char *lsp_raw_print(cJSON *v)
{
	char *text = cJSON_PrintUnformatted(v);
	cJSON_Delete(v);
	if (!text)
		depc_out_of_memory();
	return text;
}
