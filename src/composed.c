/* composed.c - the wrapper script and the template of composed secrets.
 *
 * The script is POSIX sh, run by /bin/sh -c with the command as its
 * arguments ("$@"), so the command keeps its words exactly.  Each value
 * is built from single-quoted literal text and double-quoted expansions
 * of the parts, which the shell never splits, globs or expands again:
 * a part may hold any byte but NUL, and reaches the value unchanged.
 * The part variables are unset before the command starts, so the app
 * sees the composed value and nothing else. */
#include "composed.h"

#include <string.h>

#include "escape.h"

const char *composed_part_var(struct arena *a, const struct model_composed *c, size_t n)
{
	return arena_printf(a, "DEPC_PART_%zu_%s", n, c->env);
}

size_t composed_secret_number(const struct model_composed *c, const struct model_composed_part *part)
{
	size_t n = 0;
	for (const struct model_composed_part *p = c->parts; p && part->secret; p = p->next) {
		if (!p->secret || !composed_first_use(c, p))
			continue;
		n++;
		if (p->secret == part->secret)
			return n;
	}
	return 0;
}

bool composed_first_use(const struct model_composed *c, const struct model_composed_part *part)
{
	for (const struct model_composed_part *p = c->parts; p != part; p = p->next)
		if (p->secret && p->secret == part->secret)
			return false;
	return part->secret != NULL;
}

const char *composed_file(struct arena *a, const struct model_composed *c)
{
	return arena_printf(a, COMPOSED_DIR "/%s", c->env);
}

bool composed_needs_wrapper(const struct model_service *s, bool ecs)
{
	return s->composed && (ecs || s->secrets_as_file);
}

bool composed_part_new(const struct model_service *s, const struct model_composed *upto,
		       const struct model_composed_part *part)
{
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
		if (r->secret == part->secret)
			return false;
	for (const struct model_composed *c = s->composed; c; c = c->next)
		for (const struct model_composed_part *p = c->parts; p; p = p->next) {
			if (c == upto && p == part)
				return true;
			if (p->secret == part->secret)
				return false;
		}
	return true;
}

const struct model_strings *composed_command(const struct model_service *s)
{
	if (s->command.count)
		return &s->command;
	if (s->build && s->build->start.count)
		return &s->build->start;
	return NULL;
}

/* A file's bytes, trailing line breaks included: $(...) would drop
 * them, so a '.' is read after them and removed. */
static void read_file(struct strbuf *b, struct arena *a, const char *var, const char *path)
{
	strbuf_printf(b, "%s=$(cat %s && echo .) || exit 1; %s=${%s%%.}; ", var,
		      escape_shell_word(a, path), var, var);
}

/* The value as one shell word: 'text'"$VAR"'text'... */
static void put_value(struct strbuf *b, struct arena *a, const struct model_composed *c)
{
	for (const struct model_composed_part *p = c->parts; p; p = p->next) {
		if (p->secret)
			strbuf_printf(b, "\"$%s\"", composed_part_var(a, c, composed_secret_number(c, p)));
		else if (*p->text)
			strbuf_puts(b, escape_shell_word(a, p->text));
	}
}

static void put_one(struct strbuf *b, struct arena *a, const struct model_composed *c,
		    bool from_files)
{
	for (const struct model_composed_part *p = c->parts; from_files && p; p = p->next)
		if (composed_first_use(c, p))
			read_file(b, a, composed_part_var(a, c, composed_secret_number(c, p)),
				  arena_printf(a, "/run/secrets/%s", p->secret->name));
	if (from_files) {
		strbuf_puts(b, "printf %s ");
		put_value(b, a, c);
		strbuf_printf(b, " > %s || exit 1; ", escape_shell_word(a, composed_file(a, c)));
	} else {
		strbuf_printf(b, "export %s=", c->env);
		put_value(b, a, c);
		strbuf_puts(b, "; ");
	}
	strbuf_puts(b, "unset");
	for (const struct model_composed_part *p = c->parts; p; p = p->next)
		if (composed_first_use(c, p))
			strbuf_printf(b, " %s", composed_part_var(a, c, composed_secret_number(c, p)));
	strbuf_puts(b, "; ");
}

const char *composed_wrapper_script(struct arena *a, const struct model_service *s,
				    bool from_files)
{
	struct strbuf b;
	strbuf_init(&b);
	if (from_files)
		strbuf_puts(&b, "umask 077; ");
	for (const struct model_composed *c = s->composed; c; c = c->next)
		put_one(&b, a, c, from_files);
	strbuf_puts(&b, "exec \"$@\"");
	return strbuf_finish(&b, a);
}

const char *composed_go_template(struct arena *a, const struct model_composed *c)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct model_composed_part *p = c->parts; p; p = p->next) {
		if (p->secret)
			strbuf_printf(&b, "{{ index . \"%s\" }}", p->secret->name);
		else
			strbuf_puts(&b, escape_go_template(a, p->text));
	}
	return strbuf_finish(&b, a);
}
