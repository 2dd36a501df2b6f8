/* import_value.c - YAML access and value conversions for `depc import`.
 *
 * The YAML side: scalars, null, mappings with `<<` merge keys (which
 * libyaml leaves to the application), sequences.  The value side: Compose
 * writes durations as Go durations ("1m30s"), memory with binary suffixes
 * ("512M" is 512 MiB), cpus as decimal cores ("0.5"), commands as one
 * string split like a shell does, and lets `$VAR` be substituted; the .dep
 * side wants one unit per literal, DNS-label names and quoted strings in
 * which "${" starts an interpolation.  These functions translate. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "import_impl.h"

/* --- YAML --------------------------------------------------------------- */

yaml_node_t *imp_node(struct imp *im, int index)
{
	return yaml_document_get_node(&im->doc, index);
}

static bool null_text(const char *s)
{
	return !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* A plain ~ or null is YAML's null, never the text "~". */
const char *imp_scalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	const char *s = (const char *)n->data.scalar.value;
	return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && null_text(s) ? NULL : s;
}

/* A plain empty, "~" or "null" scalar: YAML's null (libyaml does not
 * resolve tags, so every plain scalar arrives as a string). */
bool imp_is_null(const yaml_node_t *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || null_text(s);
}

bool imp_is_map(const yaml_node_t *n)
{
	return n && n->type == YAML_MAPPING_NODE;
}

bool imp_is_seq(const yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE;
}

size_t imp_seq_len(const yaml_node_t *seq)
{
	return imp_is_seq(seq) ? (size_t)(seq->data.sequence.items.top -
					   seq->data.sequence.items.start) : 0;
}

yaml_node_t *imp_seq_at(struct imp *im, const yaml_node_t *seq, size_t i)
{
	return imp_node(im, seq->data.sequence.items.start[i]);
}

/* A growing list of pairs, moved into the arena when complete. */
struct pairs {
	struct imp_pair *v;
	size_t n, cap;
};

static void push(struct pairs *ps, yaml_node_t *k, yaml_node_t *v)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
	}
	ps->v[ps->n++] = (struct imp_pair){ k, v };
}

static bool has_key(const struct pairs *ps, const char *key)
{
	for (size_t i = 0; i < ps->n; i++)
		if (imp_scalar(ps->v[i].key) && !strcmp(imp_scalar(ps->v[i].key), key))
			return true;
	return false;
}

static void collect(struct imp *im, yaml_node_t *map, struct pairs *ps, int depth);

/* Adds the pairs of a `<<` value (a mapping or a list of them) that the
 * mapping does not set itself; `depth` stops alias loops. */
static void merge(struct imp *im, yaml_node_t *v, struct pairs *ps, int depth)
{
	if (imp_is_seq(v)) {
		for (size_t i = 0; i < imp_seq_len(v); i++)
			merge(im, imp_seq_at(im, v, i), ps, depth);
		return;
	}
	if (depth > 8 || !imp_is_map(v))
		return;
	struct pairs inner = { 0 };
	collect(im, v, &inner, depth + 1);
	for (size_t i = 0; i < inner.n; i++)
		if (!imp_scalar(inner.v[i].key) || !has_key(ps, imp_scalar(inner.v[i].key)))
			push(ps, inner.v[i].key, inner.v[i].value);
	free(inner.v);
}

static bool is_merge_key(const yaml_node_t *k)
{
	return imp_scalar(k) && !strcmp(imp_scalar(k), "<<");
}

static void collect(struct imp *im, yaml_node_t *map, struct pairs *ps, int depth)
{
	yaml_node_pair_t *p;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (!is_merge_key(imp_node(im, p->key)))
			push(ps, imp_node(im, p->key), imp_node(im, p->value));
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (is_merge_key(imp_node(im, p->key)))
			merge(im, imp_node(im, p->value), ps, depth);
}

size_t imp_pairs(struct imp *im, yaml_node_t *map, struct imp_pair **out)
{
	struct pairs ps = { 0 };
	collect(im, map, &ps, 0);
	*out = arena_calloc(im->a, ps.n + 1, sizeof **out);
	if (ps.n)
		memcpy(*out, ps.v, ps.n * sizeof *ps.v);
	free(ps.v);
	return ps.n;
}

yaml_node_t *imp_get(struct imp *im, yaml_node_t *map, const char *key, yaml_node_t **key_out)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(map) ? imp_pairs(im, map, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		if (imp_scalar(pairs[i].key) && !strcmp(imp_scalar(pairs[i].key), key)) {
			if (key_out)
				*key_out = pairs[i].key;
			return pairs[i].value;
		}
	}
	return NULL;
}

size_t imp_strings(struct imp *im, yaml_node_t *n, const char ***out)
{
	size_t count = imp_is_seq(n) ? imp_seq_len(n) : imp_scalar(n) ? 1 : 0;
	const char **items = arena_calloc(im->a, count + 1, sizeof *items);
	size_t k = 0;
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = imp_is_seq(n) ? imp_seq_at(im, n, i) : n;
		const char *s = imp_scalar(item);
		if (s)
			items[k++] = s;
		else
			imp_warn(im, item, "item %zu of the list is not imported: it is %s, not a string",
				 i + 1, imp_is_map(item) ? "a mapping" : imp_is_seq(item) ? "a list"
				 : "null");
	}
	*out = items;
	return k;
}

/* --- numbers and units -------------------------------------------------- */

bool imp_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
	for (size_t i = 0; s && i < sizeof yes / sizeof yes[0]; i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*out = !strcmp(s, yes[i]);
			return true;
		}
	}
	return false;
}

bool imp_int(const char *s, int64_t *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

static double unit_ms(const char *u, size_t n)
{
	static const struct { const char *name; double ms; } units[] = {
		{ "ns", 1e-6 }, { "us", 1e-3 }, { "\xc2\xb5s", 1e-3 }, { "\xce\xbcs", 1e-3 },
		{ "ms", 1 }, { "s", 1e3 }, { "m", 6e4 }, { "h", 3.6e6 },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i].name) == n && !strncmp(units[i].name, u, n))
			return units[i].ms;
	return 0;
}

/* A Go duration ("1m30s", "1.5h", "500ms") in whole milliseconds. */
bool imp_duration(const char *s, int64_t *ms)
{
	double total = 0;
	if (!s || !*s)
		return false;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s || !(v >= 0 && v < 1e15))
			return false;
		size_t n = 0;
		while (end[n] && !isdigit((unsigned char)end[n]) && end[n] != '.')
			n++;
		double unit = unit_ms(end, n);
		if (!unit)
			return false;
		total += v * unit;
		s = end + n;
	}
	int64_t whole = (int64_t)(total + 0.5);
	if (total > 1e15 || total - (double)whole > 1e-6 || (double)whole - total > 1e-6)
		return false;
	*ms = whole;
	return true;
}

const char *imp_format_duration(struct arena *a, int64_t ms)
{
	if (ms && ms % 3600000 == 0)
		return arena_printf(a, "%lldh", (long long)(ms / 3600000));
	if (ms && ms % 60000 == 0)
		return arena_printf(a, "%lldm", (long long)(ms / 60000));
	if (ms % 1000 == 0)
		return arena_printf(a, "%llds", (long long)(ms / 1000));
	return arena_printf(a, "%lldms", (long long)ms);
}

/* Docker's memory: a number, then b, k, m, g or t (powers of 1024, as
 * Docker reads them), optionally followed by "b" or "ib". */
bool imp_memory(const char *s, int64_t *bytes)
{
	static const char units[] = "bkmgt";
	char *end;
	if (!s || !isdigit((unsigned char)*s))
		return false;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	double mult = 1;
	const char *u = *end ? strchr(units, tolower((unsigned char)*end)) : NULL;
	if (u) {
		for (const char *k = units; k < u; k++)
			mult *= 1024;
		end++;
		if (u != units && tolower((unsigned char)*end) == 'i')
			end++;
		if (u != units && tolower((unsigned char)*end) == 'b')
			end++;
	}
	if (*end || v * mult > 9e18)
		return false;
	*bytes = (int64_t)(v * mult + 0.5);
	return true;
}

const char *imp_format_size(struct arena *a, int64_t bytes)
{
	static const char *const units[] = { "Ti", "Gi", "Mi", "Ki" };
	for (int i = 0; i < 4 && bytes; i++) {
		int64_t m = (int64_t)1 << (10 * (4 - i));
		if (bytes % m == 0)
			return arena_printf(a, "%lld%s", (long long)(bytes / m), units[i]);
	}
	return arena_printf(a, "%lldB", (long long)bytes);
}

bool imp_cpus(const char *s, int64_t *millis)
{
	char *end;
	if (!s || !*s)
		return false;
	double v = strtod(s, &end);
	if (*end || v <= 0 || v > 1e6)
		return false;
	*millis = (int64_t)(v * 1000 + 0.5);
	return *millis > 0;
}

const char *imp_format_cpu(struct arena *a, int64_t millis)
{
	if (millis % 1000 == 0)
		return arena_printf(a, "%lld", (long long)(millis / 1000));
	return arena_printf(a, "%lldm", (long long)millis);
}

/* --- text --------------------------------------------------------------- */

const char *imp_quote(struct arena *a, const char *s)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == '"')
			strbuf_printf(&b, "\\%c", *p);
		else if (*p == '\n')
			strbuf_puts(&b, "\\n");
		else if (*p == '\t')
			strbuf_puts(&b, "\\t");
		else if (*p == '\r')
			strbuf_puts(&b, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_printf(&b, "\\u{%x}", *p);
		else if (*p == '$' && p[1] == '{')
			strbuf_puts(&b, "\\$");
		else
			strbuf_putc(&b, (char)*p);
	}
	strbuf_putc(&b, '"');
	return strbuf_finish(&b, a);
}

const char *imp_list(struct arena *a, const char *const *items, size_t n)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_putc(&b, '[');
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&b, "%s%s", i ? ", " : "", imp_quote(a, items[i]));
	strbuf_putc(&b, ']');
	return strbuf_finish(&b, a);
}

/* Length of a variable reference at s ("${...}" or "$NAME"), or 0. */
static size_t variable_at(const char *s)
{
	if (s[1] == '{') {
		const char *close = strchr(s, '}');
		return close ? (size_t)(close - s) + 1 : 0;
	}
	size_t n = 1;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n > 1 && !isdigit((unsigned char)s[1]) ? n : 0;
}

const char *imp_text(struct imp *im, const yaml_node_t *at, const char *s)
{
	struct strbuf b;
	const char *first = NULL;
	size_t first_len = 0;
	strbuf_init(&b);
	for (size_t i = 0; s[i];) {
		size_t var = s[i] == '$' ? variable_at(s + i) : 0;
		if (s[i] == '$' && s[i + 1] == '$') {
			strbuf_putc(&b, '$');
			i += 2;
			continue;
		}
		if (var && !first) {
			first = s + i;
			first_len = var;
		}
		strbuf_put(&b, s + i, var ? var : 1);
		i += var ? var : 1;
	}
	if (first)
		imp_warn(im, at, "'%.*s' is kept as text: depc does not substitute "
			 "Compose variables", (int)first_len, first);
	const char *out = strbuf_finish(&b, im->a);
	return out ? out : "";
}

/* One word of a command line: quotes group, a backslash escapes. */
static const char *split_word(struct strbuf *b, const char *p)
{
	char quote = 0;
	for (; *p && (quote || !isspace((unsigned char)*p)); p++) {
		if (!quote && (*p == '\'' || *p == '"')) {
			quote = *p;
		} else if (quote && *p == quote) {
			quote = 0;
		} else if (*p == '\\' && quote != '\'' && p[1] &&
			   (!quote || strchr("\"\\$`", p[1]))) {
			strbuf_putc(b, *++p);
		} else {
			strbuf_putc(b, *p);
		}
	}
	return p;
}

size_t imp_split(struct arena *a, const char *s, const char ***out)
{
	size_t n = 0, cap = strlen(s) / 2 + 2;
	const char **words = arena_calloc(a, cap, sizeof *words);
	for (const char *p = s; *p;) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		struct strbuf b;
		strbuf_init(&b);
		p = split_word(&b, p);
		const char *w = strbuf_finish(&b, a);
		words[n++] = w ? w : "";
	}
	*out = words;
	return n;
}

/* --- names -------------------------------------------------------------- */

/* Keeps the characters `keep` accepts, turns runs of others into one
 * `sep`, and trims separators at both ends. */
static char *squeeze(struct arena *a, const char *s, bool lower, bool (*keep)(char),
		     char sep)
{
	size_t n = strlen(s), k = 0;
	char *out = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = lower ? (char)tolower((unsigned char)s[i]) : s[i];
		if (keep(c))
			out[k++] = c;
		else if (k && out[k - 1] != sep)
			out[k++] = sep;
	}
	while (k && out[k - 1] == sep)
		k--;
	out[k] = 0;
	return out;
}

static bool dns_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool ident_or_dash(char c)
{
	return ident_char(c) || c == '-';
}

const char *imp_dns_name(struct arena *a, const char *s)
{
	char *name = squeeze(a, s, true, dns_char, '-');
	if (strlen(name) > 60)
		name[60] = 0;
	while (*name && name[strlen(name) - 1] == '-')
		name[strlen(name) - 1] = 0;
	if (!*name)
		return "unnamed";
	return isdigit((unsigned char)*name) ? arena_printf(a, "x-%s", name) : name;
}

/* Letters, digits and '_', with single '-' between them: "db-password"
 * stays as it is, since it also names the secret's file. */
const char *imp_ident(struct arena *a, const char *s)
{
	char *name = squeeze(a, s, false, ident_or_dash, '_'), *out = name;
	for (char *p = name; *p; p++)
		if (*p != '-' || (out > name && out[-1] != '-' && out[-1] != '_' && p[1] &&
				  p[1] != '-' && p[1] != '_'))
			*out++ = *p;
	*out = 0;
	if (!*name)
		return "unnamed";
	return isdigit((unsigned char)*name) ? arena_printf(a, "s_%s", name) : name;
}

bool imp_env_name(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!ident_char(*s))
			return false;
	return true;
}

/* scheme://user:password@host: a URL carrying credentials. */
static bool url_with_password(const char *v)
{
	const char *p = v ? strstr(v, "://") : NULL;
	if (!p)
		return false;
	p += 3;
	size_t auth = strcspn(p, "/?#");
	const char *at = memchr(p, '@', auth);
	const char *colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	return colon && colon + 1 < at;
}

bool imp_secret_like(const char *key, const char *value)
{
	static const char *const words[] = {
		"PASSWORD", "PASSWD", "TOKEN", "SECRET", "KEY", "CREDENTIALS",
	};
	char upper[256];
	size_t n = 0;
	for (; key[n] && n < sizeof upper - 1; n++)
		upper[n] = (char)toupper((unsigned char)key[n]);
	upper[n] = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(upper, words[i]))
			return true;
	return url_with_password(value);
}
