/* lex_support.c - the scanner's checks and messages.
 *
 * grammar/lexer.l recognises the shapes; this file decides whether a
 * number's suffix is a unit, decodes escapes, and words every lexical
 * error.  Each function returns something the parser can continue with,
 * so a lexical error never turns into a cascade of syntax errors. */
#include "lex_support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "parser.h"
#include "suggest.h"
#include "units.h"

#define ESCAPES_HELP \
	"valid escapes are \\n, \\t, \\r, \\\\, \\\", \\$ and \\u{XXXX}"

static const char *number_suffix(const char *text, size_t len)
{
	size_t i = text[0] == '-';
	while (i < len && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'))
		i++;
	return text + i;
}

/* Words people write for units, and the suffix they mean. */
static const char *const unit_words[][2] = {
	{ "sec", "s" }, { "secs", "s" }, { "second", "s" }, { "seconds", "s" },
	{ "min", "m" }, { "mins", "m" }, { "minute", "m" }, { "minutes", "m" },
	{ "hr", "h" }, { "hrs", "h" }, { "hour", "h" }, { "hours", "h" },
	{ "day", "d" }, { "days", "d" }, { "msec", "ms" }, { "millis", "ms" },
};

static bool is_exponent(const char *suffix)
{
	return (suffix[0] == 'e' || suffix[0] == 'E') && suffix[1] &&
	       strspn(suffix + 1, "0123456789") == strlen(suffix + 1);
}

/* A known spelling, or the closest suffix; a one-letter suffix is only
 * corrected in its case ('S' to 's'), since any other letter is one edit
 * from some unit and the guess would be wild. */
static const char *unit_correction(const char *suffix)
{
	for (size_t i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
		if (strcmp(unit_words[i][0], suffix) == 0)
			return unit_words[i][1];
	const char *best = unit_suggest(suffix);
	if (best && suffix[1] == '\0' && strcasecmp(best, suffix) != 0)
		return NULL;
	return best;
}

static void report_bad_unit(struct parser *p, struct span at,
			    const char *text, const char *suffix)
{
	struct span s = span_make(at.start + (uint32_t)(suffix - text), at.end);
	struct diag *d = diag_emit(p->diags, DIAG_E0005, p->src, s,
				   "unknown unit suffix '%s' in '%s'", suffix, text);
	diag_set_label(p->diags, d, "not a unit");
	if (is_exponent(suffix)) {
		diag_add_help(p->diags, d, "numbers have no exponent notation; "
			      "write the number out in full");
		return;
	}
	const char *best = unit_correction(suffix);
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, s, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	}
	diag_add_note(p->diags, d, "durations: %s; sizes: %s; cpu: %s; percentages: %%",
		      unit_list(UNIT_DURATION), unit_list(UNIT_SIZE), "m");
}

static bool integer_fits(const char *text)
{
	errno = 0;
	(void)strtoll(text, NULL, 10);
	return errno != ERANGE;
}

int lex_number(struct parser *p, const char *text, size_t len, struct span at)
{
	const char *suffix = number_suffix(text, len);
	bool decimal = memchr(text, '.', (size_t)(suffix - text)) != NULL;
	if (*suffix) {
		if (!unit_known(suffix))
			report_bad_unit(p, at, text, suffix);
		return T_UNIT;
	}
	if (decimal)
		return T_FLOAT;
	if (!integer_fits(text)) {
		struct diag *d = diag_emit(p->diags, DIAG_E0009, p->src, at,
					   "integer '%s' is out of range", text);
		diag_add_help(p->diags, d, "integers lie between %lld and %lld",
			      (long long)INT64_MIN, (long long)INT64_MAX);
	}
	return T_INT;
}

void lex_error_dotted_number(struct parser *p, struct span at, const char *text)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0010, p->src, at,
				   "malformed number '%s'", text);
	diag_set_label(p->diags, d, "a number has at most one '.'");
	char *fixed = arena_printf(p->arena, "\"%s\"", text);
	diag_add_help(p->diags, d, "a version or an address is a string: %s", fixed);
	diag_set_fix(p->diags, d, at, fixed, "put it in quotes");
}

void lex_error_malformed_number(struct parser *p, struct span at, const char *text)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0010, p->src, at,
				   "malformed number '%s'", text);
	diag_set_label(p->diags, d, "a digit must follow the '.'");
	int n = (int)strlen(text) - 1;
	diag_add_help(p->diags, d, "write '%.*s' or '%.*s0'", n, text, n + 1, text);
}

static char escape_value(char c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '\\': return '\\';
	case '"': return '"';
	case '$': return '$';
	default: return 0;
	}
}

int lex_escape(struct parser *p, struct lex_tok *out, struct span at,
	       const char *text, size_t len)
{
	char c = len > 1 ? escape_value(text[1]) : 0;
	if (c) {
		out->s = arena_strndup(p->arena, &c, 1);
		out->len = 1;
		return T_TEXT;
	}
	struct diag *d;
	if (len < 2 || text[1] == '\n' || text[1] == '\r') {
		d = diag_emit(p->diags, DIAG_E0006, p->src, at,
			      "a backslash at the end of a line is not an escape");
	} else if (text[1] == 'u') {
		d = diag_emit(p->diags, DIAG_E0006, p->src, at,
			      "malformed unicode escape '\\u'");
		diag_set_label(p->diags, d, "needs '{', 1 to 6 hex digits and '}'");
		diag_add_help(p->diags, d, "write a code point as \\u{e9} or \\u{1F600}");
		out->s = arena_strndup(p->arena, text, len);
		out->len = (uint32_t)len;
		return T_TEXT;
	} else {
		d = diag_emit(p->diags, DIAG_E0006, p->src, at,
			      "invalid escape sequence '%.*s' in a string", (int)len, text);
		diag_set_fix(p->diags, d, span_make(at.start, at.start + 1), "\\\\",
			     "escape the backslash");
	}
	diag_add_help(p->diags, d, ESCAPES_HELP "; write '\\\\' for a backslash");
	/* Keep the text as written so later passes see a plausible string. */
	out->s = arena_strndup(p->arena, text, len > 1 && text[1] != '\n' ? len : 1);
	out->len = (uint32_t)strlen(out->s);
	return T_TEXT;
}

static size_t encode_utf8(unsigned long cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int lex_unicode_escape(struct parser *p, struct lex_tok *out, struct span at,
		       const char *text)
{
	unsigned long cp = strtoul(text + 3, NULL, 16);
	char buf[4];
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		struct diag *d = diag_emit(p->diags, DIAG_E0006, p->src, at,
					   "'%s' is not a valid character", text);
		diag_add_help(p->diags, d, "use a code point from U+0001 to U+10FFFF "
			      "that is not a surrogate (U+D800 to U+DFFF)");
		cp = 0xFFFD;
	}
	size_t n = encode_utf8(cp, buf);
	out->s = arena_strndup(p->arena, buf, n);
	out->len = (uint32_t)n;
	return T_TEXT;
}

static const char *bad_char_help(char c)
{
	switch (c) {
	case '\'': return "strings are written in double quotes: \"like this\"";
	case '$': return "'${...}' interpolation works only inside a string";
	case '-': return "a '-' may appear only inside a name or before a number";
	case '+': case '*': case '/': return "the language has no arithmetic";
	case '@': return "to use a published image, write it as a string: image = \"nginx:1.25\"";
	default: return NULL;
	}
}

void lex_bad_char(struct parser *p, struct span at, const char *text, size_t len)
{
	struct diag *d;
	unsigned char c = (unsigned char)text[0];
	p->dropped = true;
	if (len == 1 && (c < 0x20 || c == 0x7F))
		d = diag_emit(p->diags, DIAG_E0008, p->src, at,
			      "unexpected control character U+%04X", c);
	else
		d = diag_emit(p->diags, DIAG_E0008, p->src, at,
			      "unexpected character '%.*s'", (int)len, text);
	const char *help = len == 1 ? bad_char_help(text[0]) : NULL;
	if (help)
		diag_add_help(p->diags, d, "%s", help);
	else if (len > 1)
		diag_add_help(p->diags, d, "names use ASCII letters, digits, '_' and '-'; "
			      "other characters belong inside strings");
}

/* Characters that look like something else, and what to write instead. */
static const char *lookalike_help(int32_t cp)
{
	switch (cp) {
	case 0xA0: return "this is a no-break space; use a plain space";
	case 0x200B: return "this is a zero-width space; delete it";
	case 0xFEFF: return "this is a byte order mark; delete it";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
		return "this is a typographic dash; names use the plain '-'";
	case 0x201C: case 0x201D: case 0x2018: case 0x2019:
		return "this is a curly quote; strings are written in plain "
		       "double quotes: \"like this\"";
	case 0xFF1D: return "this is a full-width '='; use the plain '='";
	default: return NULL;
	}
}

static bool invisible(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP || c == UTF8PROC_CATEGORY_CF ||
	       c == UTF8PROC_CATEGORY_CC;
}

/* The whole name is returned, so the parser reads what was meant; the
 * error is on its first non-ASCII character. */
int lex_bad_name(struct parser *p, struct lex_tok *out, struct span at,
		 const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && (unsigned char)text[i] < 0x80)
		i++;
	int32_t cp = 0;
	int n = source_decode(text + i, len - i, &cp);
	if (n <= 0)
		n = 1;
	struct span s = span_make(at.start + (uint32_t)i, at.start + (uint32_t)(i + (size_t)n));
	struct diag *d;
	if (invisible(cp))
		d = diag_emit(p->diags, DIAG_E0008, p->src, s,
			      "unexpected invisible character U+%04X", (unsigned)cp);
	else
		d = diag_emit(p->diags, DIAG_E0008, p->src, s,
			      "unexpected character '%.*s'", n, text + i);
	const char *help = lookalike_help(cp);
	if (help)
		diag_add_help(p->diags, d, "%s", help);
	else
		diag_add_help(p->diags, d, "names use ASCII letters, digits, '_' and '-'; "
			      "other characters belong inside strings");
	out->s = arena_strndup(p->arena, text, len);
	out->len = (uint32_t)len;
	return T_IDENT;
}

/* Where the PLAIN run at `at` ends.  Unquoted text cannot start
 * anywhere in the run (the rule for the whole run was preferred to it),
 * and a non-ASCII name can start only after the run's last '.', when a
 * non-ASCII character follows the run: the run stops there instead. */
uint32_t lex_plain_end(struct parser *p, struct span at, unsigned char next)
{
	const char *t = p->src->text;
	if (next < 0x80)
		return at.end;
	uint32_t end = at.end;
	while (end > at.start && t[end - 1] != '.')
		end--;
	return end > at.start ? end : at.end;
}

/* The first three-byte sequence `seq` at or after `from`, or the source
 * length.  Asked at increasing places, it reads the source once. */
static uint32_t find_from(const struct source *src, struct parse_found *f,
			  const char *seq, size_t n, uint32_t from)
{
	if (f->valid && f->from <= from && f->at >= from)
		return f->at;
	const char *p = src->text + from, *end = src->text + src->len;
	while ((p = memchr(p, seq[0], (size_t)(end - p))) != NULL &&
	       ((size_t)(end - p) < n || memcmp(p, seq, n) != 0))
		p++;
	*f = (struct parse_found){ true, from, p ? (uint32_t)(p - src->text)
					       : (uint32_t)src->len };
	return f->at;
}

bool lex_curly_closes(struct parser *p, struct span at, unsigned char next)
{
	const char *t = p->src->text;
	bool double_quote = (unsigned char)t[at.start + 2] == 0x9c;
	const char *seq = double_quote ? "\xe2\x80\x9d" : "\xe2\x80\x99";
	/* A closing quote inside the text: the string is as long only
	 * when the text ends there. */
	for (uint32_t i = at.start + 3; i + 3 <= at.end; i++)
		if (!memcmp(t + i, seq, 3))
			return i + 3 == at.end;
	if (next == '\n' || at.end >= p->src->len)
		return false;
	uint32_t from = at.end + 1;
	uint32_t close = find_from(p->src, &p->close_quote[!double_quote], seq, 3, from);
	uint32_t newline = find_from(p->src, &p->newline, "\n", 1, from);
	return close < newline;
}

/* “text” or ‘text’: the quotes are three bytes each. */
const char *lex_curly_quoted(struct parser *p, struct span at,
			     const char *text, size_t len)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0008, p->src,
				   span_make(at.start, at.start + 3),
				   "unexpected character '%.3s'", text);
	diag_set_label(p->diags, d, "a curly quote");
	char *fixed = arena_printf(p->arena, "\"%.*s\"", (int)len - 6, text + 3);
	diag_add_help(p->diags, d, "strings are written in plain double quotes: %s", fixed);
	diag_set_fix(p->diags, d, at, fixed, "use plain double quotes");
	return arena_strndup(p->arena, text + 3, len - 6);
}

void lex_colon(struct parser *p, struct span at, bool spaced)
{
	const char *t = p->src->text;
	struct diag *d = diag_emit(p->diags, DIAG_E0008, p->src, at,
				   "unexpected character ':'");
	if (spaced) {
		diag_add_help(p->diags, d, "fields are set with '=', as in 'port = 3000'");
		diag_set_fix(p->diags, d, at, t[at.start - (at.start > 0)] == ' ' ? "=" : " =",
			     "use '='");
		return;
	}
	diag_add_help(p->diags, d, "text with a ':' is a string, as in \"nginx:1.25\"");
	p->dropped = true;
}

const char *lex_unquoted(struct parser *p, struct span at, const char *text,
			 size_t len)
{
	size_t i = strcspn(text, ":/@");
	struct diag *d = diag_emit(p->diags, DIAG_E0008, p->src,
				   span_make(at.start + (uint32_t)i, at.start + (uint32_t)i + 1),
				   "unexpected character '%c'", text[i]);
	char *quoted = arena_printf(p->arena, "\"%.*s\"", (int)len, text);
	diag_add_help(p->diags, d, "text with a '%c' is a string: %s", text[i], quoted);
	diag_set_fix(p->diags, d, at, quoted, "put it in quotes");
	return arena_strndup(p->arena, text, len);
}

void lex_control_char(struct parser *p, struct span at, unsigned char c)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0013, p->src, at,
				   "control character U+%04X in a string", c);
	diag_add_help(p->diags, d, "write it as an escape such as \\t or \\u{%x}", c);
}

/* "text \<newline> more": the string goes on, as the writer meant. */
void lex_backslash_newline(struct parser *p, struct span at)
{
	struct span s = span_make(at.start, at.start + 1);
	struct diag *d = diag_emit(p->diags, DIAG_E0006, p->src, s,
				   "a backslash at the end of a line does not continue a string");
	diag_add_help(p->diags, d, "write the text on one line, or use a multi-line "
		      "string \"\"\" ... \"\"\", where line breaks are kept");
}

void lex_unterminated_mstring(struct parser *p, struct span at)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0003, p->src,
				   span_make(at.start, at.start + 3),
				   "unterminated multi-line string");
	diag_set_label(p->diags, d, "this string is never closed");
	diag_add_help(p->diags, d, "close it with \"\"\" on a line of its own; "
		      "its indentation sets the margin");
}

void lex_unterminated_string(struct parser *p, struct span at)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0003, p->src, at,
				   "unterminated string literal");
	diag_set_label(p->diags, d, "this string is never closed");
	diag_add_note(p->diags, d, "a string ends on the line it starts; "
		      "use \"\"\" ... \"\"\" for text over several lines");
	diag_add_help(p->diags, d, "add '\"' where the string should end");
}

void lex_unterminated_comment(struct parser *p, struct span at)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0004, p->src, at,
				   "unterminated block comment");
	diag_set_label(p->diags, d, "this comment is never closed");
	diag_add_help(p->diags, d, "close the comment with '*/'");
}

void lex_unterminated_interpolation(struct parser *p, struct span at)
{
	struct span s = span_make(p->interp_start, at.start > p->interp_start
							   ? at.start : p->interp_start + 2);
	struct diag *d = diag_emit(p->diags, DIAG_E0007, p->src, s,
				   "unterminated interpolation");
	diag_set_label(p->diags, d, "'${' is never closed");
	diag_add_help(p->diags, d, "close the interpolation with '}' before the "
		      "string ends, as in \"${db.host}\"");
}

/* `stop` is the ASCII character that cannot be part of a reference. */
void lex_interpolation_stopped(struct parser *p, struct span at, char stop)
{
	struct span s = span_make(p->interp_start, at.start);
	struct diag *d = diag_emit(p->diags, DIAG_E0007, p->src, s,
				   "unterminated interpolation");
	diag_set_label(p->diags, d, "'${' is not closed before '%c'", stop);
	diag_add_help(p->diags, d, "an interpolation holds a reference such as "
		      "db.host; close it with '}', as in \"${db.host}/path\"");
}

void lex_empty_interpolation(struct parser *p, struct span at)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0012, p->src, at,
				   "empty interpolation");
	diag_add_help(p->diags, d, "put a reference inside, as in \"${db.host}\", "
		      "or write '\\${' for a literal '${'");
}

const char *lex_single_quoted(struct parser *p, struct span at,
			      const char *text, size_t len)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0014, p->src, at,
				   "string in single quotes");
	char *fixed = arena_printf(p->arena, "\"%.*s\"", (int)len - 2, text + 1);
	diag_add_help(p->diags, d, "strings are written in double quotes: %s", fixed);
	diag_set_fix(p->diags, d, at, fixed, "use double quotes");
	return arena_strndup(p->arena, text + 1, len - 2);
}
