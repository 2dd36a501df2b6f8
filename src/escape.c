/* escape.c - escaping rules (see escape.h). */
#include "escape.h"

#include <string.h>

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

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

bool escape_is_one_line(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (is_control(*c) || break_length(c))
			return false;
	return true;
}

const char *escape_dockerfile_value(struct arena *a, const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '$')
			strbuf_putc(&b, '\\');
		strbuf_putc(&b, *s);
	}
	strbuf_putc(&b, '"');
	return strbuf_finish(&b, a);
}

/* Docker's word lexer, which ENV, ARG, LABEL, COPY, WORKDIR and FROM go
 * through, takes '\\' as its escape character: '$' would expand a
 * variable, quotes would be removed, '\\' would escape what follows and a
 * blank would end the word.  Outside quotes a '\\' before any character
 * makes it the character itself; inside double quotes only '"', '$' and
 * '\\' may be escaped (a '\\' before anything else stays). */
const char *escape_dockerfile_word(struct arena *a, const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	for (; *s; s++) {
		if (strchr("\"'\\$ ", *s))
			strbuf_putc(&b, '\\');
		strbuf_putc(&b, *s);
	}
	return strbuf_finish(&b, a);
}

/* Bytes of the space Go's unicode.IsSpace sees at `s` (ASCII blanks and
 * controls, NEL, NO-BREAK SPACE and the Unicode space separators), or 0. */
static size_t space_length(const unsigned char *s)
{
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3; /* U+1680 */
	if (s[0] == 0xe2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8
					   || s[2] == 0xa9 || s[2] == 0xaf))
		return 3; /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if ((s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
	    || (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80))
		return 3; /* U+205F, U+3000 */
	return 0;
}

/* Each space of s[from, to) as a one-character class, which Docker's
 * trimming leaves alone and its matcher reads as that character. */
static void put_space_classes(struct strbuf *b, const char *s, size_t from, size_t to)
{
	for (size_t k; from < to; from += k) {
		k = space_length((const unsigned char *)s + from);
		strbuf_putc(b, '[');
		strbuf_put(b, s + from, k);
		strbuf_putc(b, ']');
	}
}

const char *escape_dockerignore(struct arena *a, const char *s)
{
	size_t n = strlen(s), lead = 0, tail = n, k;
	while (lead < n && (k = space_length((const unsigned char *)s + lead)) != 0)
		lead += k;
	/* tail: where the trailing run of spaces starts (n: none); no space
	 * starts on a UTF-8 continuation byte, so other bytes step by one */
	for (size_t i = lead; i < n; i += k ? k : 1) {
		k = space_length((const unsigned char *)s + i);
		tail = !k ? n : tail == n ? i : tail;
	}
	struct strbuf b;
	strbuf_init(&b);
	put_space_classes(&b, s, 0, lead);
	if (lead == 0 && (s[0] == '#' || s[0] == '!'))
		strbuf_putc(&b, '\\');
	size_t slashes = 0;
	while (slashes < tail - lead && s[tail - 1 - slashes] == '\\')
		slashes++;
	/* An odd '\' before the trailing blanks escapes the first of them,
	 * which Docker's trim would take away: the class written for that
	 * blank below says the same.  At the very end it would escape
	 * nothing, so it becomes a pair: one backslash. */
	bool escapes_blank = slashes % 2 && tail < n;
	strbuf_put(&b, s + lead, tail - lead - escapes_blank);
	if (slashes % 2 && tail == n)
		strbuf_putc(&b, '\\');
	put_space_classes(&b, s, tail, n);
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
	return strchr(s, '$') ? replace_all(a, s, "$", "$$") : s;
}

const char *escape_comment(struct arena *a, const char *s)
{
	if (escape_is_one_line(s))  /* nearly always: copied as it is */
		return arena_strdup(a, s);
	struct strbuf b;
	strbuf_init(&b);
	for (const unsigned char *c = (const unsigned char *)s; *c;) {
		size_t n = break_length(c);
		if (n || is_control(*c))
			strbuf_putc(&b, ' ');
		else
			strbuf_putc(&b, (char)*c);
		c += n ? n : 1;
	}
	return strbuf_finish(&b, a);
}

const char *escape_html_comment(struct arena *a, const char *s)
{
	const char *line = escape_comment(a, s);
	if (!strstr(line, "--"))
		return line;
	struct strbuf b;
	strbuf_init(&b);
	for (const char *c = line; *c; c++) {
		strbuf_putc(&b, *c);
		if (c[0] == '-' && c[1] == '-')
			strbuf_putc(&b, ' ');
	}
	return strbuf_finish(&b, a);
}

const char *escape_markdown_cell(struct arena *a, const char *s)
{
	static const char syntax[] = "|<>&\\`*_~[]";
	const char *line = escape_comment(a, s);
	if (!line[strcspn(line, syntax)])
		return line;
	struct strbuf b;
	strbuf_init(&b);
	for (const char *c = line; *c; c++) {
		if (strchr(syntax, *c))
			strbuf_putc(&b, '\\');
		strbuf_putc(&b, *c);
	}
	return strbuf_finish(&b, a);
}

const char *escape_k8s(struct arena *a, const char *s)
{
	return replace_all(a, s, "$", "$$");
}

/* One character inside a C-like double-quoted string (HCL, PromQL): the
 * quote, the backslash and the usual controls escaped by name, any other
 * control by `control_fmt` (the two languages spell it differently). */
static void put_quoted_char(struct strbuf *b, char c, const char *control_fmt)
{
	switch (c) {
	case '"': strbuf_puts(b, "\\\""); break;
	case '\\': strbuf_puts(b, "\\\\"); break;
	case '\n': strbuf_puts(b, "\\n"); break;
	case '\r': strbuf_puts(b, "\\r"); break;
	case '\t': strbuf_puts(b, "\\t"); break;
	default:
		if (is_control((unsigned char)c))
			strbuf_printf(b, control_fmt, (unsigned)(unsigned char)c);
		else
			strbuf_putc(b, c);
		break;
	}
}

/* Would put_quoted_char copy every byte of `s` as it is?  Most strings
 * (names, images, paths) hold no quote, backslash or control, and are
 * then copied in one step. */
static bool quotes_as_is(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c == '"' || *c == '\\' || is_control(*c))
			return false;
	return true;
}

const char *escape_hcl(struct arena *a, const char *s)
{
	if (quotes_as_is(s) && !strstr(s, "${") && !strstr(s, "%{"))
		return arena_strdup(a, s);
	struct strbuf b;
	strbuf_init(&b);
	for (; *s; s++) {
		if ((*s == '$' || *s == '%') && s[1] == '{')
			strbuf_putc(&b, *s);
		put_quoted_char(&b, *s, "\\u%04x");
	}
	return strbuf_finish(&b, a);
}

const char *escape_actions(struct arena *a, const char *s)
{
	return replace_all(a, s, "${{", "${{ '${{' }}");
}

const char *escape_promql_string(struct arena *a, const char *s)
{
	if (quotes_as_is(s))
		return arena_cat(a, "\"", s, "\"", (char *)NULL);
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '"');
	for (; *s; s++)
		put_quoted_char(&b, *s, "\\x%02x");
	strbuf_putc(&b, '"');
	return strbuf_finish(&b, a);
}

const char *escape_go_template_string(struct arena *a, const char *s)
{
	return escape_promql_string(a, s); /* PromQL reads Go's string literals too */
}

static bool name_char(char c, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (colon && c == ':');
}

/* [A-Za-z_][A-Za-z0-9_]*, with ':' allowed anywhere in a metric name. */
static bool promql_name(const char *s, bool colon)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!name_char(*s, colon))
			return false;
	return true;
}

bool escape_promql_metric_ok(const char *s)
{
	return promql_name(s, true);
}

bool escape_promql_label_ok(const char *s)
{
	return promql_name(s, false) && strncmp(s, "__", 2) != 0;
}

/* Is some line of `body` exactly `word`? */
static bool body_has_line(const char *body, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = body; *p;) {
		size_t n = strcspn(p, "\n");
		if (n == len && !memcmp(p, word, n))
			return true;
		p += n + (p[n] == '\n');
	}
	return false;
}

const char *escape_heredoc_delimiter(struct arena *a, const char *body, const char *base)
{
	const char *word = base;
	for (unsigned i = 1; body_has_line(body, word); i++)
		word = arena_printf(a, "%s_%u", base, i);
	return word;
}

/* Go's text/template reads "{{" as the start of an action anywhere in
 * the text; the only way to write it is an action that prints it.  A '{'
 * just before an action depc writes would join that action's "{{", so a
 * '{' at the end of the text is escaped the same way. */
const char *escape_go_template(struct arena *a, const char *s)
{
	if (!strchr(s, '{'))
		return s;
	struct strbuf b;
	strbuf_init(&b);
	for (; *s; s++) {
		if (*s == '{' && (s[1] == '{' || !s[1]))
			strbuf_puts(&b, "{{ \"{\" }}");
		else
			strbuf_putc(&b, *s);
	}
	return strbuf_finish(&b, a);
}
