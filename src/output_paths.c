/* output_paths.c - where the source, the repository and DIR really are,
 * and the relative paths the generated files use between them.
 *
 * Every path is made absolute and real (symbolic links in the part that
 * exists resolved, '.' and '..' folded), so two spellings of one place,
 * or one place reached from two current directories, give the same
 * relative paths and therefore the same bytes. */
#define _GNU_SOURCE
#include "escape.h"
#include "output_impl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lexically normalised absolute path: '.' and '..' folded, no '//'. */
static char *absolute(struct arena *a, const char *p)
{
	char cwd[PATH_MAX];
	const char *base = p[0] == '/' ? "" : (getcwd(cwd, sizeof cwd) ? cwd : ".");
	char *joined = arena_printf(a, "%s/%s", base, p);
	char **parts = arena_calloc(a, strlen(joined) + 1, sizeof *parts);
	size_t n = 0;
	for (char *seg = strtok(joined, "/"); seg; seg = strtok(NULL, "/")) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			n -= n > 0;
			continue;
		}
		parts[n++] = seg;
	}
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&b, "/%s", parts[i]);
	if (!n)
		strbuf_putc(&b, '/');
	return strbuf_finish(&b, a);
}

/* The absolute path with its longest existing prefix resolved by
 * realpath(): a directory that does not exist yet still gets the real
 * path of the place it will be made in. */
static const char *canonical(struct arena *a, const char *p)
{
	char *abs = absolute(a, p);
	char *probe = arena_strdup(a, abs);
	size_t len = strlen(abs);
	for (;;) {
		char *real = realpath(len ? probe : "/", NULL);
		if (real) {
			const char *r = arena_printf(a, "%s%s", strcmp(real, "/") ? real : "",
						     abs + len);
			free(real);
			return *r ? r : "/";
		}
		char *slash = strrchr(probe, '/');
		if (!slash)
			return abs;
		*slash = '\0';
		len = (size_t)(slash - probe);
	}
}

static const char *parent_of(struct arena *a, const char *abs)
{
	const char *slash = strrchr(abs, '/');
	return slash == abs ? "/" : arena_strndup(a, abs, (size_t)(slash - abs));
}

/* The nearest directory from `dir` upwards that holds .git (a directory,
 * or a file in a worktree), else `dir` itself (*found false). */
static const char *repository_of(struct arena *a, const char *dir, bool *found)
{
	for (const char *d = dir;; d = parent_of(a, d)) {
		struct stat st;
		*found = lstat(arena_printf(a, "%s/.git", strcmp(d, "/") ? d : ""), &st) == 0;
		if (*found)
			return d;
		if (!strcmp(d, "/"))
			return dir;
	}
}

const struct output_places *output_places(const struct output *o)
{
	if (o->at)
		return o->at;
	struct arena *a = o->home;
	struct output_places *at = arena_calloc(a, 1, sizeof *at);
	bool stdin_source = !strcmp(o->source_name, "-") || !strcmp(o->source_name, "<stdin>");
	at->source = canonical(a, stdin_source ? "stdin.dep" : o->source_name);
	at->source_dir = parent_of(a, at->source);
	at->repo = repository_of(a, at->source_dir, &at->in_repository);
	at->out = canonical(a, o->dir && strcmp(o->dir, "-") ? o->dir : ".");
	at->workflows = o->workflow_dir ? canonical(a, o->workflow_dir) : NULL;
	strmap_init(&at->sources, a);
	/* the cache is filled once, on first use, through a const output */
	((struct output *)o)->at = at;
	return at;
}

/* Components of a normalised absolute path. */
static size_t split(struct arena *a, const char *path, char ***out)
{
	char *copy = arena_strdup(a, path);
	char **parts = arena_calloc(a, strlen(path) + 1, sizeof *parts);
	size_t n = 0;
	for (char *seg = strtok(copy, "/"); seg; seg = strtok(NULL, "/"))
		parts[n++] = seg;
	*out = parts;
	return n;
}

/* `to` as seen from directory `from`, both normalised absolute paths. */
const char *output_path_between(struct arena *a, const char *from, const char *to)
{
	char **f, **t;
	size_t nf = split(a, from, &f), nt = split(a, to, &t), common = 0;
	while (common < nf && common < nt && !strcmp(f[common], t[common]))
		common++;
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = common; i < nf; i++)
		strbuf_printf(&b, "%s..", b.len ? "/" : "");
	for (size_t i = common; i < nt; i++)
		strbuf_printf(&b, "%s%s", b.len ? "/" : "", t[i]);
	if (!b.len)
		strbuf_putc(&b, '.');
	return strbuf_finish(&b, a);
}

static bool inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	return !strcmp(dir, "/") || (!strncmp(dir, path, n) && (path[n] == '/' || !path[n]));
}

/* `path` written in the source, relative to its directory. */
static const char *in_source(const struct output *o, const char *path)
{
	struct output_places *at = (struct output_places *)output_places(o);
	const char *known = strmap_get(&at->sources, path);
	if (known)
		return known;
	const char *real = canonical(o->home, path[0] == '/' ? path
				     : arena_printf(o->arena, "%s/%s", at->source_dir, path));
	strmap_add(&at->sources, arena_strdup(o->home, path), (void *)real);
	return real;
}

static const char *in_out(const struct output *o, const char *file)
{
	const char *out = output_places(o)->out;
	return strcmp(file, ".") ? arena_printf(o->arena, "%s/%s", strcmp(out, "/") ? out : "", file)
	       : out;
}

const char *output_relative_source(const struct output *o, const char *path)
{
	return output_path_between(o->arena, output_places(o)->out, in_source(o, path));
}

const char *output_from_source(const struct output *o, const char *dir, const char *file)
{
	return output_path_between(o->arena, in_source(o, dir), in_out(o, file));
}

const char *output_source_path(const struct output *o, const char *path)
{
	return output_path_between(o->arena, output_places(o)->repo, in_source(o, path));
}

const char *output_repo_path(const struct output *o, const char *file)
{
	return output_path_between(o->arena, output_places(o)->repo, in_out(o, file));
}

const char *output_inside_context(const struct output *o, const char *dir, const char *file)
{
	const char *context = in_source(o, dir), *target = in_out(o, file);
	return inside(context, target) && strcmp(context, target)
	       ? output_path_between(o->arena, context, target) : NULL;
}

/* Escaped here, once, for every place it goes: a comment line of each
 * format and of the manifest, which a line break in the name would
 * otherwise end. */
/* Every generated file starts with it: made once, in the output's own
 * arena, which outlives the backends' scratch arenas. */
const char *output_banner(const struct output *o)
{
	if (o->banner)
		return o->banner;
	const struct output_places *at = output_places(o);
	const char *name = output_path_between(o->home, at->repo, at->source);
	((struct output *)o)->banner =
		escape_comment(o->home, arena_printf(o->home, "generated by depc from %s - do not edit",
						     name));
	return o->banner;
}
