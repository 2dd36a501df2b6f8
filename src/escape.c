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

const char *escape_comment(struct arena *a, const char *s)
{
	char *copy = arena_strdup(a, s);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return copy;
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
