/* docker_out.c - Dockerfile instructions from typed values (see docker_out.h). */
#include "docker_out.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "format.h"

void docker_begin(struct docker_out *d, struct strbuf *buf, struct arena *a)
{
	d->buf = buf;
	d->a = a;
	d->failed = NULL;
}

bool docker_end(struct docker_out *d)
{
	return !d->failed;
}

/* A value that must stay on its instruction's line; false (and the
 * writer failed) when it cannot. */
static bool one_line(struct docker_out *d, const char *s)
{
	if (escape_is_one_line(s))
		return true;
	if (!d->failed)
		d->failed = s;
	return false;
}

void docker_comment(struct docker_out *d, const char *text)
{
	strbuf_printf(d->buf, "# %s\n", escape_comment(d->a, text));
}

void docker_blank(struct docker_out *d)
{
	strbuf_putc(d->buf, '\n');
}

void docker_from(struct docker_out *d, const char *image, const char *stage)
{
	if (!one_line(d, image))
		return;
	strbuf_printf(d->buf, "FROM %s", escape_dockerfile_word(d->a, image));
	strbuf_printf(d->buf, stage ? " AS %s\n" : "\n", stage);
}

void docker_workdir(struct docker_out *d, const char *path)
{
	if (one_line(d, path))
		strbuf_printf(d->buf, "WORKDIR %s\n", escape_dockerfile_word(d->a, path));
}

static void assign(struct docker_out *d, const char *instr, const char *name, const char *value)
{
	if (one_line(d, name) && one_line(d, value))
		strbuf_printf(d->buf, "%s %s=%s\n", instr, escape_dockerfile_word(d->a, name),
			      escape_dockerfile_value(d->a, value));
}

void docker_arg(struct docker_out *d, const char *name, const char *value)
{
	assign(d, "ARG", name, value);
}

void docker_env(struct docker_out *d, const char *name, const char *value)
{
	assign(d, "ENV", name, value);
}

void docker_env_int(struct docker_out *d, const char *name, int value)
{
	if (one_line(d, name))
		strbuf_printf(d->buf, "ENV %s=%d\n", escape_dockerfile_word(d->a, name), value);
}

void docker_env_from_arg(struct docker_out *d, const char *name)
{
	const char *n = escape_dockerfile_word(d->a, name);
	if (one_line(d, name))
		strbuf_printf(d->buf, "ENV %s=${%s}\n", n, n);
}

void docker_env_prepend(struct docker_out *d, const char *name, const char *value)
{
	if (!one_line(d, name) || !one_line(d, value))
		return;
	const char *quoted = escape_dockerfile_value(d->a, value);
	strbuf_printf(d->buf, "ENV %s=%.*s:$%s\"\n", escape_dockerfile_word(d->a, name),
		      (int)strlen(quoted) - 1, quoted, name);
}

/* Exec form is a JSON array; cJSON writes it so quoting is always right.
 * "<<" in RUN or COPY can start a here-document for a parser that looks
 * for one before it reads the JSON, so when the text has one every '<'
 * is written as the JSON escape \u003c, which reads back the same.  Some
 * parsers (dockerfile-ast) take any word of RUN or COPY holding "--" for
 * a flag, so for those (`flags`), with "--" in the text, every '-' is
 * written \u002d; with `blanks`, every ' ' is written \u0020, so no word
 * of a path stands alone. */
static void put_json_escaped(struct strbuf *b, const char *const *items, size_t n,
			     bool flags, bool blanks)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(items[i]));
	char *text = cJSON_PrintUnformatted(arr);
	const char *t = text ? text : "[]";
	bool angles = strstr(t, "<<") != NULL, dashes = flags && strstr(t, "--");
	for (; *t; t++) {
		if (angles && *t == '<')
			strbuf_puts(b, "\\u003c");
		else if (dashes && *t == '-')
			strbuf_puts(b, "\\u002d");
		else if (blanks && *t == ' ')
			strbuf_puts(b, "\\u0020");
		else
			strbuf_putc(b, *t);
	}
	free(text);
	cJSON_Delete(arr);
	strbuf_putc(b, '\n');
}

static void put_json(struct strbuf *b, const char *const *items, size_t n)
{
	put_json_escaped(b, items, n, false, false);
}

static void put_exec(struct strbuf *b, const struct model_strings *argv)
{
	put_json(b, argv->items, argv->count);
}

/* Must the path go into COPY's JSON form?  The shell form splits at
 * blanks before any escape is read, takes a leading "--" for a flag and
 * "<<" for a here-document, a leading '[' tries the JSON form, and a line
 * that ends in '\\', escaped or not, continues on the next. */
static bool needs_json(const char *path)
{
	size_t n = strlen(path);
	return !n || path[0] == '-' || path[0] == '[' || path[n - 1] == '\\' ||
	       strpbrk(path, " \t") || strstr(path, "<<");
}

void docker_copy(struct docker_out *d, const char *from, const char *const *sources,
		 size_t n, const char *dest)
{
	bool json = needs_json(dest);
	if (!one_line(d, dest))
		return;
	for (size_t i = 0; i < n; i++) {
		if (!one_line(d, sources[i]))
			return;
		json |= needs_json(sources[i]);
	}
	const char **words = arena_calloc(d->a, n + 1, sizeof *words);
	for (size_t i = 0; i < n; i++)
		words[i] = escape_dockerfile_word(d->a, sources[i]);
	words[n] = escape_dockerfile_word(d->a, dest);
	strbuf_puts(d->buf, "COPY ");
	if (from)
		strbuf_printf(d->buf, "--from=%s ", from);
	if (json) {
		put_json_escaped(d->buf, words, n + 1, true, true);
		return;
	}
	for (size_t i = 0; i <= n; i++)
		strbuf_printf(d->buf, "%s%s", words[i], i < n ? " " : "\n");
}

/* The shell form would let the Dockerfile parser see the script: a line
 * break or a trailing '\' (blanks may follow it) continues the instruction
 * onto the next line, a "<<" starts a here-document that swallows the
 * lines after it, a leading '[' is read as the exec form, a leading "--"
 * as a flag (--mount, --network), and blanks at either end are dropped.
 * dockerfile-ast, behind dockerfile-utils and editors, takes a first word
 * holding "--" anywhere for a flag, and reads a leading '\' apart, so
 * those go to the exec form too. */
static bool shell_form_safe(const char *script)
{
	size_t n = strlen(script);
	const char *dashes = strstr(script, "--");
	bool flag_like = dashes && (size_t)(dashes - script) < strcspn(script, " ");
	return n && escape_is_one_line(script) && script[0] != ' ' && script[n - 1] != ' ' &&
	       script[n - 1] != '\\' && script[0] != '[' && script[0] != '\\' && !flag_like &&
	       !strstr(script, "<<");
}

void docker_run(struct docker_out *d, const char *script)
{
	if (shell_form_safe(script)) {
		strbuf_printf(d->buf, "RUN %s\n", script);
		return;
	}
	const char *argv[] = { "/bin/sh", "-c", script };
	strbuf_puts(d->buf, "RUN ");
	put_json_escaped(d->buf, argv, 3, true, false);
}

void docker_user(struct docker_out *d, int uid, int gid)
{
	strbuf_printf(d->buf, "USER %d:%d\n", uid, gid);
}

void docker_expose(struct docker_out *d, int port)
{
	strbuf_printf(d->buf, "EXPOSE %d\n", port);
}

void docker_healthcheck(struct docker_out *d, int64_t interval_ms, int64_t timeout_ms,
			int64_t start_ms, int retries, const struct model_strings *argv)
{
	strbuf_printf(d->buf, "HEALTHCHECK --interval=%s --timeout=%s ",
		      format_duration(d->a, interval_ms), format_duration(d->a, timeout_ms));
	/* Docker's own default start period is 0s, and linters reject an
	 * explicit zero, so it is written only when set. */
	if (start_ms > 0)
		strbuf_printf(d->buf, "--start-period=%s ", format_duration(d->a, start_ms));
	strbuf_printf(d->buf, "--retries=%d \\\n  CMD ", retries);
	put_exec(d->buf, argv);
}

void docker_cmd(struct docker_out *d, const struct model_strings *argv)
{
	strbuf_puts(d->buf, "CMD ");
	put_exec(d->buf, argv);
}

void docker_ignore(struct docker_out *d, const char *pattern)
{
	if (one_line(d, pattern))
		strbuf_printf(d->buf, "%s\n", escape_dockerignore(d->a, pattern));
}
