/* escape.c - escaping rules (see escape.h). */
#include "escape.h"

#include <string.h>

const char *escape_dockerfile_value(struct arena *a, const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '$')
			strbuf_putc(&b, '\\');
		if (*s == '\n')
			strbuf_puts(&b, "\\n");
		else
			strbuf_putc(&b, *s);
	}
	strbuf_putc(&b, '"');
	return strbuf_finish(&b, a);
}

const char *escape_shell_word(struct arena *a, const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_./:=@%+,-";
	if (*s && strspn(s, safe) == strlen(s))
		return arena_strdup(a, s);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_puts(&b, "'\\''");
		else
			strbuf_putc(&b, *s);
	}
	strbuf_putc(&b, '\'');
	return strbuf_finish(&b, a);
}

static const char *replace_all(struct arena *a, const char *s, const char *from,
			       const char *to)
{
	struct strbuf b;
	strbuf_init(&b);
	size_t n = strlen(from);
	while (*s) {
		if (!strncmp(s, from, n)) {
			strbuf_puts(&b, to);
			s += n;
		} else {
			strbuf_putc(&b, *s++);
		}
	}
	return strbuf_finish(&b, a);
}

const char *escape_compose(struct arena *a, const char *s)
{
	return replace_all(a, s, "$", "$$");
}

/* Bytes of a UTF-8 sequence that some reader takes for a line break or a
 * control: YAML 1.1 (libyaml) ends a line at NEL U+0085 and at U+2028 and
 * U+2029, so they would end a comment as surely as '\n'.  0 when `s`
 * starts with none of them. */
static size_t break_length(const unsigned char *s)
{
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2; /* C1 controls, NEL among them */
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 3;
	return 0;
}

const char *escape_comment(struct arena *a, const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const unsigned char *c = (const unsigned char *)s; *c;) {
		size_t n = break_length(c);
		if (n || *c < 0x20 || *c == 0x7f)
			strbuf_putc(&b, ' ');
		else
			strbuf_putc(&b, (char)*c);
		c += n ? n : 1;
	}
	return strbuf_finish(&b, a);
}

const char *escape_k8s(struct arena *a, const char *s)
{
	return replace_all(a, s, "$", "$$");
}

const char *escape_hcl(struct arena *a, const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	for (; *s; s++) {
		if ((*s == '$' || *s == '%') && s[1] == '{')
			strbuf_putc(&b, *s);
		switch (*s) {
		case '"': strbuf_puts(&b, "\\\""); break;
		case '\\': strbuf_puts(&b, "\\\\"); break;
		case '\n': strbuf_puts(&b, "\\n"); break;
		case '\r': strbuf_puts(&b, "\\r"); break;
		case '\t': strbuf_puts(&b, "\\t"); break;
		default: strbuf_putc(&b, *s); break;
		}
	}
	return strbuf_finish(&b, a);
}

const char *escape_actions(struct arena *a, const char *s)
{
	return replace_all(a, s, "${{", "${{ '${{' }}");
}
