/* import_gaps.c - what the policy asks and the Compose file does not say.
 *
 * A service made from a template has a health check, limits and a pinned
 * image from it.  For any other, what can be inferred is written: a TCP
 * check of the port it listens on.  What cannot (how much cpu and
 * memory it needs, which version of an image named without one, a
 * health check for a service without a port) is written as an `allow`
 * whose reason says what the import did not know and what to decide, so
 * the program checks and every decision left to the user is listed each
 * time it is checked.  Last, every literal occurrence of a secret's
 * value left in the program (a database named like its password, a
 * password in a probe or a command) is replaced by a placeholder. */
#include <ctype.h>
#include <string.h>

#include "image_tag.h"
#include "import_impl.h"

void imp_allow(struct imp *im, struct imp_service *s, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *reason = arena_vprintf(im->a, fmt, ap);
	va_end(ap);
	strbuf_printf(&s->slot[SL_ALLOW], "%s = %s\n", code, imp_quote(im->a, reason));
	im->nallows++;
}

/* What the policy takes for pinned (E0408); a tag left to a variable is not. */
static bool pinned(const char *image)
{
	return !strchr(image, '$') && !image_unpinned(image);
}

static void health_gap(struct imp *im, struct imp_service *s)
{
	if (s->job)
		return; /* a job has no health check */
	if (s->slot[SL_HEALTH].len || (s->slot[SL_BUILD].len && s->port))
		return; /* a build's runtime probes its port */
	if (s->port) {
		strbuf_puts(&s->slot[SL_HEALTH], "# inferred by depc import: a TCP check of its port\n"
						 "liveness  = tcp()\nreadiness = tcp()\n");
		return;
	}
	imp_allow(im, s, "E0401", "depc import: the Compose file gives '%s' no health check and no port "
	      "to check; write a check its image can run", s->compose);
}

static void limits_gap(struct imp *im, struct imp_service *s)
{
	bool cpu = s->cpu[1] >= 0, mem = s->mem[1] >= 0;
	if (cpu && mem)
		return;
	imp_allow(im, s, "E0415", "depc import: the Compose file sets no %s limit for '%s'; measure what "
	      "it needs and set resources { %s }", !cpu && !mem ? "cpu or memory" : !cpu ? "cpu"
	      : "memory", s->compose, !cpu && !mem ? "cpu = ..  memory = .." : !cpu ? "cpu = .."
	      : "memory = ..");
}

void imp_gaps(struct imp *im, struct imp_service *s)
{
	if (s->tmpl)
		return;
	health_gap(im, s);
	limits_gap(im, s);
	if (s->image && !pinned(s->image)) {
		const char *why = image_unpinned(s->image);
		imp_allow(im, s, "E0408", "depc import: image '%s' of '%s' %s; pick the exact release "
			  "to run", s->image, s->compose, why ? why : "takes its tag from a variable");
	}
	if (s->slot[SL_READ_ONLY].len && strstr(s->slot[SL_READ_ONLY].data, "false"))
		imp_allow(im, s, "E0407", "the Compose file sets read_only: false for '%s'; list the "
		      "directories it writes in tmpfs instead", s->compose);
}

/* --- ${VAR} --------------------------------------------------------------- */

/* ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, $NAME. */
static size_t variable(const char *s, const char **name, size_t *name_len, const char **def,
		       size_t *def_len)
{
	*def = NULL;
	*def_len = 0;
	if (s[0] != '$')
		return 0;
	if (s[1] == '{') {
		const char *close = strchr(s, '}');
		if (!close)
			return 0;
		*name = s + 2;
		*name_len = strcspn(s + 2, ":-?}");
		const char *op = s + 2 + *name_len;
		if (!strncmp(op, ":-", 2) || *op == '-') {
			*def = op + (*op == ':' ? 2 : 1);
			*def_len = (size_t)(close - *def);
		}
		return (size_t)(close - s) + 1;
	}
	size_t n = 1;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	if (n == 1 || isdigit((unsigned char)s[1]))
		return 0;
	*name = s + 1;
	*name_len = n - 1;
	return n;
}

const char *imp_variables(struct imp *im, const yaml_node_t *at, const char *s, const char **var)
{
	struct strbuf b;
	bool any = false;
	strbuf_init(&b);
	*var = NULL;
	for (size_t i = 0; s && s[i];) {
		const char *name, *def;
		size_t nlen, dlen, n = s[i] == '$' && s[i + 1] != '$' ? variable(s + i, &name, &nlen,
									  &def, &dlen) : 0;
		if (s[i] == '$' && s[i + 1] == '$') {
			strbuf_putc(&b, '$');
			i += 2;
			continue;
		}
		if (!n) {
			strbuf_putc(&b, s[i++]);
			continue;
		}
		any = true;
		if (!*var)
			*var = arena_strndup(im->a, name, nlen);
		if (def) {
			strbuf_put(&b, def, dlen);
			imp_warn(im, at, "'%.*s' is imported as its default, '%.*s': set the value in the "
				 ".dep, or per environment in an env overlay", (int)n, s + i, (int)dlen, def);
		} else {
			strbuf_printf(&b, "CHANGE-ME-%.*s", (int)nlen, name);
			imp_warn(im, at, "'%.*s' comes from the environment Compose runs in: the placeholder "
				 "CHANGE-ME-%.*s is written; set the value in the .dep, or per environment "
				 "in an env overlay", (int)n, s + i, (int)nlen, name);
		}
		i += n;
	}
	const char *out = strbuf_finish(&b, im->a);
	return any ? (out ? out : "") : NULL;
}

/* A variable at s[i..i+n) that holds a credential: its name says so, or
 * it is the password of a URL (scheme://user:${VAR}@host). */
static bool credential_variable(struct imp *im, const char *s, size_t i, size_t n,
				const char *name, size_t nlen)
{
	if (imp_secret_like(arena_strndup(im->a, name, nlen), NULL))
		return true;
	const char *scheme = strstr(s, "://");
	return scheme && s + i > scheme + 3 && s[i - 1] == ':' && s[i + n] == '@';
}

/* Literal text of the value, variables resolved by imp_variables, as the
 * inside of a .dep string. */
static void put_literal(struct imp *im, struct strbuf *b, const yaml_node_t *at,
			const char *s, size_t len)
{
	const char *var, *text = arena_strndup(im->a, s, len);
	const char *resolved = imp_variables(im, at, text, &var);
	const char *quoted = imp_quote(im->a, resolved ? resolved : text);
	strbuf_put(b, quoted + 1, strlen(quoted) - 2);
}

const char *imp_composed(struct imp *im, struct imp_service *s, const yaml_node_t *at,
			 const char *value)
{
	struct strbuf b;
	bool any = false;
	size_t from = 0;
	strbuf_init(&b);
	for (size_t i = 0; value[i];) {
		const char *name, *def;
		size_t nlen, dlen, n = value[i] == '$' && value[i + 1] != '$'
			? variable(value + i, &name, &nlen, &def, &dlen) : 0;
		if (!n || !credential_variable(im, value, i, n, name, nlen)) {
			i += value[i] == '$' && value[i + 1] == '$' ? 2 : n ? n : 1;
			continue;
		}
		put_literal(im, &b, at, value + from, i - from);
		const char *ref = arena_strndup(im->a, value + i, n);
		struct imp_secret *sec = imp_value_secret(im, s, arena_strndup(im->a, name, nlen), ref);
		strbuf_printf(&b, "${%s}", sec->name);
		any = true;
		i += n;
		from = i;
	}
	put_literal(im, &b, at, value + from, strlen(value + from));
	const char *out = strbuf_finish(&b, im->a);
	return any ? out : NULL;
}

/* --- scrubbing ------------------------------------------------------------ */

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Lines that name an image keep it: a password that is also the image's
 * name ("nextcloud") says nothing more there. */
static bool image_line(const char *line)
{
	line += strspn(line, " \t");
	return !strncmp(line, "image", 5) || !strncmp(line, "import", 6) || line[0] == '#';
}

/* Only inside string literals: names (a service called like the
 * password) are the program's structure, and comments hold no values. */
static char *scrub_value(struct imp *im, char *text, const char *value, const char *secret)
{
	/* Most values are nowhere in the text: then the copy below would be
	 * the text again, one more for each secret (a file of 2,000
	 * services, each with its own password, took 6 GB and 37 s). */
	if (!strstr(text, value))
		return text;
	size_t n = strlen(value), count = 0;
	struct strbuf b;
	strbuf_init(&b);
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		bool in_string = false, keep = image_line(line);
		for (size_t i = 0; i < len; i++) {
			bool hit = in_string && !keep && i + n <= len && !strncmp(line + i, value, n) &&
				   !word_char(line[i - 1]) && !word_char(line[i + n]);
			if (hit) {
				strbuf_puts(&b, "CHANGE-ME");
				i += n - 1;
				count++;
				continue;
			}
			if (!in_string && line[i] == '#')
				keep = true;
			else if (line[i] == '"')
				in_string = !in_string;
			else if (in_string && line[i] == '\\' && i + 1 < len)
				strbuf_putc(&b, line[i++]);
			strbuf_putc(&b, line[i]);
		}
		line += len;
	}
	if (count)
		imp_warn(im, NULL, "the value of secret '%s' was written %zu more time%s as text (in a "
			 "name, a command, a probe or a URL): each is replaced by CHANGE-ME; set them, "
			 "and never to the secret's value", secret, count, count > 1 ? "s" : "");
	char *out = (char *)strbuf_finish(&b, im->a);
	return out ? out : text;
}

const char *imp_scrub(struct imp *im, const char *text)
{
	char *t = arena_strdup(im->a, text);
	for (struct imp_secret *s = im->secrets; s; s = s->next) {
		if (!s->value || strlen(s->value) < 4 || strchr(s->value, '$'))
			continue;
		const char *q = imp_quote(im->a, s->value);
		const char *inner = arena_strndup(im->a, q + 1, strlen(q) - 2);
		t = scrub_value(im, t, inner, s->name);
	}
	return t;
}
