/* yaml_out.c - the libyaml emitter behind a small writing API.
 *
 * Scalar style is decided here, once: plain when a reader would read the
 * text back as the same string, double-quoted when it would not or when
 * the text holds a control or a Unicode line break (which only escapes
 * carry the same to YAML 1.1 and 1.2 readers), literal block style for
 * other text with newlines. */
#include "yaml_out.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "model.h"

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
	strbuf_put(data, (const char *)buffer, size);
	return 1;
}

static void emit(struct yaml_out *y, yaml_event_t *ev)
{
	if (y->failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&y->emitter, ev))
		y->failed = true;
}

void yaml_begin(struct yaml_out *y, struct strbuf *buf)
{
	yaml_event_t ev;
	memset(y, 0, sizeof *y);
	y->buf = buf;
	yaml_emitter_initialize(&y->emitter);
	yaml_emitter_set_output(&y->emitter, write_handler, buf);
	yaml_emitter_set_unicode(&y->emitter, 1);
	yaml_emitter_set_width(&y->emitter, -1);
	yaml_emitter_set_indent(&y->emitter, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(y, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(y, &ev);
}

bool yaml_end(struct yaml_out *y)
{
	yaml_event_t ev;
	yaml_document_end_event_initialize(&ev, 1);
	emit(y, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(y, &ev);
	if (!y->failed && !yaml_emitter_flush(&y->emitter))
		y->failed = true;
	yaml_emitter_delete(&y->emitter);
	return !y->failed;
}

void yaml_set_value_filter(struct yaml_out *y, const char *(*filter)(struct arena *, const char *),
			   struct arena *a)
{
	y->value_filter = filter;
	y->filter_arena = a;
}

/* Is the node about to be written a mapping key?  Moves the innermost
 * mapping on to its next key or value. */
static bool node_is_key(struct yaml_out *y)
{
	if (!y->depth || y->open[y->depth - 1] != 'm')
		return false;
	bool key = y->at_key[y->depth - 1];
	y->at_key[y->depth - 1] = !key;
	return key;
}

/* The emitter queues events for lookahead, so its own state lags behind;
 * we keep the stack of open collections ourselves. */
static void push(struct yaml_out *y, char kind)
{
	node_is_key(y);
	if (y->depth == (int)sizeof y->open) {
		y->failed = true;
		return;
	}
	y->at_key[y->depth] = true;
	y->open[y->depth++] = kind;
}

void yaml_map(struct yaml_out *y)
{
	yaml_event_t ev;
	push(y, 'm');
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	emit(y, &ev);
}

static void seq(struct yaml_out *y, yaml_sequence_style_t style)
{
	yaml_event_t ev;
	push(y, 's');
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, style);
	emit(y, &ev);
}

void yaml_seq(struct yaml_out *y) { seq(y, YAML_BLOCK_SEQUENCE_STYLE); }
void yaml_flow_seq(struct yaml_out *y) { seq(y, YAML_FLOW_SEQUENCE_STYLE); }

void yaml_close(struct yaml_out *y)
{
	yaml_event_t ev;
	if (y->depth == 0) {
		y->failed = true;
		return;
	}
	if (y->open[--y->depth] == 'm')
		yaml_mapping_end_event_initialize(&ev);
	else
		yaml_sequence_end_event_initialize(&ev);
	emit(y, &ev);
}

/* The C locale's isdigit and isspace (depc never sets a locale), without
 * a call per byte. */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_number(const char *s)
{
	if (!is_digit(s[0]) && s[0] != '+' && s[0] != '-' && s[0] != '.')
		return false;  /* the usual case, decided at once */
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!strncmp(p, "0x", 2) || !strncmp(p, "0o", 2) || !strncmp(p, "0b", 2))
		return true;
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF") ||
	    !strcmp(p, ".nan") || !strcmp(p, ".NaN") || !strcmp(p, ".NAN"))
		return true;
	bool digit = false;
	for (; *p; p++) {
		if (is_digit(*p))
			digit = true;
		else if (!strchr("._:eE+-", *p))
			return false;
	}
	return digit;
}

/* A YAML 1.1 timestamp: "2024-01-15", "2024-1-5 10:00:00", with 'T' or
 * blanks between date and time, fractions and a zone.  Decided loosely,
 * in the direction of quoting: four digits and '-', then only the
 * characters a timestamp has.  PyYAML and the Go readers behind
 * docker-compose and kubectl turn such text into a date. */
static bool is_timestamp(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!is_digit(s[i]))
			return false;
	if (s[4] != '-' || !is_digit(s[5]))
		return false;
	return strspn(s, "0123456789-:.+ \tTtZ") == strlen(s);
}

static const char *const special_words[] = {
	"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
	"FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
	"Off", "OFF", "y", "Y", "n", "N", "<<", "=",
};

/* Is `c` the first byte of a special word ("" included)? */
static bool maybe_special(char c)
{
	switch (c) {
	case '\0': case '~': case 'n': case 'N': case 't': case 'T': case 'f': case 'F':
	case 'y': case 'Y': case 'o': case 'O': case '<': case '=':
		return true;
	default:
		return false;
	}
}

/* Can `c` not start a plain scalar: an indicator, or a blank? */
static bool indicator_first(char c)
{
	switch (c) {
	case '!': case '&': case '*': case '-': case '?': case ':': case ',': case '[':
	case ']': case '{': case '}': case '#': case '|': case '>': case '@': case '`':
	case '"': case '\'': case '%':
		return true;
	default:
		return is_blank(c);
	}
}

/* Every special word is at most five bytes long, so longer scalars (most
 * of them: names, paths, images) skip the comparisons, and a word is
 * compared only when its first byte is one of theirs: this runs once per
 * scalar of every generated file, and most scalars are short keys. */
static bool special_word(const char *s, size_t len)
{
	if (len > 5 || !maybe_special(s[0]))
		return false;  /* not a first byte of any of them */
	for (size_t i = 0; i < sizeof special_words / sizeof special_words[0]; i++)
		if (special_words[i][0] == s[0] && !strcmp(s, special_words[i]))
			return true;
	return false;
}

/* What one pass over a scalar's bytes tells: everything the choice of
 * style needs besides its first few bytes. */
struct scan {
	size_t len;
	bool escapes;    /* holds a character only escapes carry (needs_escape) */
	bool newline;    /* holds '\n' */
	bool indicator;  /* holds ": " (a value) or " #" (a comment) */
	bool ascii;      /* no byte above 0x7f */
};

/* A control other than '\n' and '\t', or a line break that YAML 1.1
 * honours and YAML 1.2 does not (NEL, U+2028, U+2029), starts at `c`.
 * In a plain, single-quoted or block scalar libyaml writes those as line
 * breaks, and the two kinds of reader would read different text back;
 * only the double-quoted style's escapes carry them exactly. */
static bool needs_escape(const unsigned char *c)
{
	if ((*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)
		return true;
	if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f)
		return true;
	return *c == 0xe2 && c[1] == 0x80 && (c[2] == 0xa8 || c[2] == 0xa9);
}

static struct scan scan_scalar(const char *s)
{
	struct scan sc = { 0, false, false, false, true };
	const unsigned char *c = (const unsigned char *)s;
	for (; *c; c++) {
		if (*c > ' ' && *c < 0x7f && *c != ':')
			continue;  /* the usual byte: nothing to note */
		if (*c == ':' || *c == ' ') {
			sc.indicator = sc.indicator || (c[0] == ':' && c[1] == ' ')
				       || (c[0] == ' ' && c[1] == '#');
			continue;
		}
		sc.ascii = sc.ascii && *c < 0x80;
		sc.newline = sc.newline || *c == '\n';
		sc.escapes = sc.escapes || needs_escape(c);
	}
	sc.len = (size_t)(c - (const unsigned char *)s);
	return sc;
}

/* Would a reader take `s`, written plain, as a string?  `sc` is its scan. */
static bool plain_is_string(const char *s, const struct scan *sc)
{
	if (special_word(s, sc->len))
		return false;
	if (is_number(s) || is_timestamp(s))
		return false;
	if (indicator_first(s[0]))
		return false;
	if (sc->indicator)
		return false;  /* ": " starts a value, " #" a comment */
	char last = s[sc->len - 1];
	return !is_blank(last) && last != ':';
}

bool yaml_plain_is_string(const char *s)
{
	struct scan sc = scan_scalar(s);
	return plain_is_string(s, &sc);
}

/* A scalar event for `len` bytes of `s`.  The library's initializer
 * checks that the text is UTF-8, then copies it; ASCII text needs no
 * check, so for it (nearly every scalar) the event is filled in here and
 * the copy is the only work.  The value is malloc()ed, as libyaml's own
 * are: the emitter frees each event's value with free() once written.
 * Text that is not UTF-8 fails the event, and with it the document. */
static bool scalar_event(yaml_event_t *ev, const char *s, size_t len, bool ascii,
			 bool plain_implicit, bool quoted_implicit, yaml_scalar_style_t style)
{
	if (!ascii)
		return yaml_scalar_event_initialize(ev, NULL, NULL, (yaml_char_t *)s, (int)len,
						    plain_implicit, quoted_implicit, style);
	yaml_char_t *copy = malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, s, len + 1);
	memset(ev, 0, sizeof *ev);
	ev->type = YAML_SCALAR_EVENT;
	ev->data.scalar.value = copy;
	ev->data.scalar.length = len;
	ev->data.scalar.plain_implicit = plain_implicit;
	ev->data.scalar.quoted_implicit = quoted_implicit;
	ev->data.scalar.style = style;
	return true;
}

static void emit_scalar(struct yaml_out *y, const char *s, size_t len, bool ascii,
			bool plain_implicit, bool quoted_implicit, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	if (y->failed)
		return;
	if (!scalar_event(&ev, s, len, ascii, plain_implicit, quoted_implicit, style)) {
		y->failed = true;
		return;
	}
	emit(y, &ev);
}

static void scalar(struct yaml_out *y, const char *s, bool quoted, bool filtered)
{
	if (!node_is_key(y) && filtered && y->value_filter)
		s = y->value_filter(y->filter_arena, s);
	struct scan sc = scan_scalar(s);
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;
	if (quoted || sc.escapes)
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	else if (sc.newline)
		style = YAML_LITERAL_SCALAR_STYLE;
	else if (!plain_is_string(s, &sc))
		style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	emit_scalar(y, s, sc.len, sc.ascii, style == YAML_PLAIN_SCALAR_STYLE, 1, style);
}

void yaml_str(struct yaml_out *y, const char *s) { scalar(y, s, false, true); }
void yaml_str_quoted(struct yaml_out *y, const char *s) { scalar(y, s, true, true); }
void yaml_str_interpolated(struct yaml_out *y, const char *s) { scalar(y, s, false, false); }

static void plain(struct yaml_out *y, const char *text, size_t len)
{
	node_is_key(y);
	emit_scalar(y, text, len, true, 1, 0, YAML_PLAIN_SCALAR_STYLE);
}

/* Decimal digits of `v` written backwards from the end of `buf`, without
 * printf's format parsing (one integer per port, replica, limit). */
void yaml_int(struct yaml_out *y, int64_t v)
{
	char buf[24];
	char *p = buf + sizeof buf;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	plain(y, p, (size_t)(buf + sizeof buf - 1 - p));
}

void yaml_bool(struct yaml_out *y, bool v) { plain(y, v ? "true" : "false", v ? 4 : 5); }
void yaml_null(struct yaml_out *y) { plain(y, "null", 4); }

void yaml_kv_str(struct yaml_out *y, const char *key, const char *value)
{
	yaml_str(y, key);
	yaml_str(y, value);
}

void yaml_kv_int(struct yaml_out *y, const char *key, int64_t value)
{
	yaml_str(y, key);
	yaml_int(y, value);
}

void yaml_kv_bool(struct yaml_out *y, const char *key, bool value)
{
	yaml_str(y, key);
	yaml_bool(y, value);
}

void yaml_key_map(struct yaml_out *y, const char *key)
{
	yaml_str(y, key);
	yaml_map(y);
}

void yaml_key_seq(struct yaml_out *y, const char *key)
{
	yaml_str(y, key);
	yaml_seq(y);
}

void yaml_comment(struct strbuf *buf, struct arena *a, const char *text)
{
	strbuf_puts(buf, "# ");
	strbuf_puts(buf, escape_comment(a, text));
	strbuf_putc(buf, '\n');
}

void yaml_comment_allows(struct strbuf *buf, struct arena *a, const char *what,
			 const struct model_allow *allows)
{
	for (const struct model_allow *al = allows; al; al = al->next)
		yaml_comment(buf, a, arena_printf(a, "  %s: %s (%s): %s", what, al->code,
						  al->rule, al->reason));
}
