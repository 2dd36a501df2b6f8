/* import_build.c - a Compose `build:` as a .dep build block.
 *
 * depc writes its own Dockerfile from a build block, which needs what the
 * Compose file does not say: the runtime, its version, how to install and
 * start the service.  They are guessed, and each guess is marked in a
 * comment: the runtime from the files in the context (package.json,
 * requirements.txt or pyproject.toml, go.mod) or from the images the
 * Dockerfile builds FROM; the version from the tag of that image; the
 * start command from the Dockerfile's ENTRYPOINT and CMD, else from the
 * runtime's convention, else from the service's `command:` (which
 * otherwise stays the service's command).  When nothing tells how the
 * service starts, `start` is left out, so `depc check`
 * reports it missing, and a warning says so: no placeholder is invented.
 * Build arguments that look like secrets are refused, since build
 * arguments are stored in the image. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "import_impl.h"
#include "source.h"

#define MAX_STAGES 32

struct dockerfile {
	const char *path;            /* as shown in comments */
	bool found;
	const char *images[MAX_STAGES]; /* FROM images, not stage names */
	size_t nimages;
	const char *stages[MAX_STAGES]; /* AS names */
	size_t nstages;
	const char *final;           /* image of the last stage */
	const char **cmd, **entry;   /* of the last stage */
	size_t ncmd, nentry;
	bool entry_exec;             /* ENTRYPOINT in exec form */
	int expose;                  /* first EXPOSE of the last stage, or 0 */
};

struct guess {
	const char *runtime, *why;   /* runtime and what it was guessed from */
	const char *version, *version_why;
	const char **start;          /* NULL: not known */
	size_t nstart;
	const char *start_why;
};

/* --- the Dockerfile ----------------------------------------------------- */

static const char *repo_of(struct arena *a, const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *name = slash ? slash + 1 : image;
	return arena_strndup(a, name, strcspn(name, ":@"));
}

static const char *tag_of(const char *image)
{
	const char *slash = strrchr(image, '/'), *colon = strchr(slash ? slash : image, ':');
	if (!colon || strchr(colon, '$'))
		return NULL;
	return colon + 1;
}

/* ["a", "b"] (exec form) or a shell command line. */
static size_t instruction_args(struct imp *im, const char *rest, const char ***out, bool *exec)
{
	cJSON *json = rest[0] == '[' ? cJSON_Parse(rest) : NULL;
	*exec = cJSON_IsArray(json);
	if (!*exec) {
		cJSON_Delete(json);
		const char **sh = arena_calloc(im->a, 3, sizeof *sh);
		sh[0] = "/bin/sh", sh[1] = "-c", sh[2] = arena_strdup(im->a, rest);
		*out = sh;
		return 3;
	}
	size_t n = 0, count = (size_t)cJSON_GetArraySize(json);
	const char **words = arena_calloc(im->a, count + 1, sizeof *words);
	for (cJSON *w = json->child; w; w = w->next)
		if (cJSON_IsString(w))
			words[n++] = arena_strdup(im->a, w->valuestring);
	cJSON_Delete(json);
	*out = words;
	return n;
}

/* FROM [--platform=P] IMAGE [AS NAME] */
static void from(struct imp *im, struct dockerfile *df, char *rest)
{
	char *image = NULL, *word, *save = NULL;
	bool as = false;
	for (word = strtok_r(rest, " \t", &save); word; word = strtok_r(NULL, " \t", &save)) {
		if (!image && !strncmp(word, "--", 2))
			continue;
		if (!image)
			image = word;
		else if (!strcasecmp(word, "as"))
			as = true;
		else if (as && df->nstages < MAX_STAGES)
			df->stages[df->nstages++] = arena_strdup(im->a, word);
	}
	if (!image)
		return;
	df->final = arena_strdup(im->a, image);
	for (size_t i = 0; i < df->nstages; i++)
		if (!strcmp(df->stages[i], image))
			image = NULL;
	if (image && df->nimages < MAX_STAGES)
		df->images[df->nimages++] = df->final;
	df->cmd = df->entry = NULL;
	df->ncmd = df->nentry = 0;
	df->expose = 0;
}

/* EXPOSE PORT[/tcp] ...: the first TCP port, when written as a number. */
static void expose(struct dockerfile *df, const char *rest)
{
	char *end;
	long port = strtol(rest, &end, 10);
	if (!df->expose && end != rest && port > 0 && port <= 65535 &&
	    (!*end || *end == ' ' || *end == '\t' || !strncmp(end, "/tcp", 4)))
		df->expose = (int)port;
}

static void instruction(struct imp *im, struct dockerfile *df, char *line)
{
	size_t n = strcspn(line, " \t");
	char *rest = line + n + strspn(line + n, " \t");
	line[n] = 0;
	if (!strcasecmp(line, "FROM"))
		from(im, df, rest);
	else if (!strcasecmp(line, "CMD"))
		df->ncmd = instruction_args(im, rest, &df->cmd, &(bool){ false });
	else if (!strcasecmp(line, "ENTRYPOINT"))
		df->nentry = instruction_args(im, rest, &df->entry, &df->entry_exec);
	else if (!strcasecmp(line, "EXPOSE"))
		expose(df, rest);
}

/* Splits the text into instructions: comments skipped, lines ending in
 * a backslash joined to the next. */
static void read_dockerfile(struct imp *im, struct dockerfile *df, const char *path)
{
	struct source *src = source_read_file(im->a, path, NULL);
	struct strbuf b;
	if (!src)
		return;
	df->found = true;
	strbuf_init(&b);
	for (size_t line = 1; line <= src->line_count; line++) {
		struct span s = source_line_span(src, line);
		const char *t = src->text + s.start;
		size_t len = s.end - s.start;
		while (len && strchr(" \t\r", t[len - 1]))
			len--;
		size_t lead = strspn(t, " \t");
		lead = lead < len ? lead : len;
		if (lead < len && t[lead] == '#')
			continue;
		bool more = len && t[len - 1] == '\\';
		strbuf_put(&b, t + lead, len - lead - more);
		strbuf_putc(&b, ' ');
		if (more && line < src->line_count)
			continue;
		b.data[--b.len] = 0;
		if (b.len)
			instruction(im, df, b.data);
		b.len = 0;
	}
	strbuf_free(&b);
}

/* --- guesses ------------------------------------------------------------ */

static bool exists(struct imp *im, const char *dir, const char *file)
{
	return access(arena_printf(im->a, "%s/%s", dir, file), F_OK) == 0;
}

static const char *family_of(const char *runtime)
{
	return !strcmp(runtime, "go") ? "golang" : !strcmp(runtime, "static") ? "nginx" : runtime;
}

static void guess_runtime(struct imp *im, const char *ctx, const struct dockerfile *df,
			  struct guess *g)
{
	static const struct { const char *file, *runtime; } files[] = {
		{ "package.json", "node" }, { "requirements.txt", "python" },
		{ "pyproject.toml", "python" }, { "go.mod", "go" },
	};
	if (df->final && strstr(repo_of(im->a, df->final), "nginx")) {
		g->runtime = "static";
		g->why = "the Dockerfile serves it with nginx";
		return;
	}
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (exists(im, ctx, files[i].file)) {
			g->runtime = files[i].runtime;
			g->why = arena_printf(im->a, "%s in the context", files[i].file);
			return;
		}
	static const char *const runtimes[] = { "node", "python", "go" };
	for (size_t i = 0; i < df->nimages; i++)
		for (size_t r = 0; r < 3; r++)
			if (!strcmp(repo_of(im->a, df->images[i]), family_of(runtimes[r]))) {
				g->runtime = runtimes[r];
				g->why = arena_printf(im->a, "the Dockerfile's FROM %s", df->images[i]);
				return;
			}
	g->runtime = "static";
	g->why = "no package.json, requirements.txt, pyproject.toml or go.mod";
}

static void guess_version(struct imp *im, const struct dockerfile *df, struct guess *g)
{
	static const struct { const char *runtime, *version; } defaults[] = {
		{ "node", "20-alpine" }, { "python", "3.12-slim" }, { "go", "1.23-alpine" },
		{ "static", "1.27-alpine" },
	};
	const char *family = family_of(g->runtime);
	for (size_t i = 0; i < df->nimages; i++) {
		const char *repo = repo_of(im->a, df->images[i]), *tag = tag_of(df->images[i]);
		if (tag && (!strcmp(repo, family) || (!strcmp(family, "nginx") && strstr(repo, family)))) {
			g->version = tag;
			g->version_why = arena_printf(im->a, "the Dockerfile's FROM %s", df->images[i]);
		}
		if (g->version && strcmp(family, "nginx"))
			return;
	}
	for (size_t i = 0; !g->version && i < 4; i++)
		if (!strcmp(defaults[i].runtime, g->runtime)) {
			g->version = defaults[i].version;
			g->version_why = "depc's default: the Dockerfile does not say";
		}
}

static const char **concat(struct imp *im, const char **a, size_t na, const char **b,
			   size_t nb, size_t *n)
{
	const char **all = arena_calloc(im->a, na + nb + 1, sizeof *all);
	if (na)
		memcpy(all, a, na * sizeof *a);
	if (nb)
		memcpy(all + na, b, nb * sizeof *b);
	*n = na + nb;
	return all;
}

static const char *npm_start[] = { "npm", "start" };
static const char *go_start[] = { "/app/server" };
static const char *nginx_start[] = { "nginx", "-g", "daemon off;" };

/* The start is what the image runs when the service gives no command:
 * the Dockerfile's ENTRYPOINT and CMD (for Go, the binary the block
 * builds), else the runtime's convention, else the Compose command.
 * A Compose command that is not the start stays the service's command,
 * which overrides the start as Compose's overrides CMD, after an
 * exec-form ENTRYPOINT as Docker runs it. */
static void guess_start(struct imp *im, struct imp_service *s, const struct dockerfile *df,
			struct guess *g)
{
	bool entry_exec = df->nentry && df->entry_exec;
	if (!strcmp(g->runtime, "go")) {
		g->start = go_start, g->nstart = 1;
		g->start_why = "the binary built below";
	} else if (df->nentry || df->ncmd) {
		g->start = concat(im, df->entry, df->nentry, df->cmd,
				  df->nentry && !entry_exec ? 0 : df->ncmd, &g->nstart);
		g->start_why = df->nentry ? "the Dockerfile's ENTRYPOINT" : "the Dockerfile's CMD";
	} else if (s->has_command) {
		g->start = s->command, g->nstart = s->ncommand;
		g->start_why = "the Compose command";
		s->has_command = false;
	} else if (!strcmp(g->runtime, "node")) {
		g->start = npm_start, g->nstart = 2;
		g->start_why = "npm's convention";
	} else if (!strcmp(g->runtime, "static")) {
		g->start = nginx_start, g->nstart = 3;
		g->start_why = "nginx in the foreground";
	}
	if (s->has_command && entry_exec && strcmp(g->runtime, "go"))
		s->command = concat(im, df->entry, df->nentry, s->command, s->ncommand,
				    &s->ncommand);
}

/* --- the block ---------------------------------------------------------- */

static void field(struct strbuf *b, const char *name, const char *value, const char *why)
{
	strbuf_printf(b, "  %s = %s%s%s\n", name, value, why ? "  # " : "", why ? why : "");
}

/* What installs, builds and keeps each runtime's output, as the
 * standard library's templates do. */
static void recipe(struct imp *im, const char *ctx, const char *runtime, struct strbuf *b)
{
	struct arena *a = im->a;
	bool lock = exists(im, ctx, "package-lock.json");
	const char *npm = lock ? "npm ci" : "npm install";
	const char *node_manifests = lock ? "[\"package.json\", \"package-lock.json\"]"
					  : "[\"package.json\"]";
	if (!strcmp(runtime, "node")) {
		field(b, "manifests", node_manifests, NULL);
		field(b, "install", imp_quote(a, arena_printf(a, "%s --omit=dev", npm)), NULL);
		field(b, "outputs", "[\"/app:./\"]", NULL);
	} else if (!strcmp(runtime, "python") && exists(im, ctx, "requirements.txt")) {
		field(b, "manifests", "[\"requirements.txt\"]", NULL);
		field(b, "install", "\"pip install --no-cache-dir -r requirements.txt\"", NULL);
		field(b, "outputs", "[\"/app:./\"]", NULL);
	} else if (!strcmp(runtime, "python")) {
		field(b, "compile", "\"pip install --no-cache-dir .\"", NULL);
		field(b, "outputs", "[\"/app:./\"]", NULL);
	} else if (!strcmp(runtime, "go")) {
		field(b, "manifests", exists(im, ctx, "go.sum") ? "[\"go.mod\", \"go.sum\"]"
								: "[\"go.mod\"]", NULL);
		field(b, "install", "\"go mod download\"", NULL);
		field(b, "compile", "\"go build -trimpath -o /out/server .\"", NULL);
		field(b, "outputs", "[\"/out/server:/app/server\"]", NULL);
	} else if (exists(im, ctx, "package.json")) {
		field(b, "manifests", node_manifests, NULL);
		field(b, "install", imp_quote(a, npm), NULL);
		field(b, "compile", "\"npm run build\"", NULL);
		field(b, "outputs", "[\"/app/dist:/usr/share/nginx/html\"]", NULL);
	} else {
		field(b, "outputs", "[\"/app:/usr/share/nginx/html\"]", NULL);
	}
}

/* build.args: KEY=VALUE entries, as a list or a mapping. */
static void build_args(struct imp *im, yaml_node_t *args, struct strbuf *b)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(args) ? imp_pairs(im, args, &pairs) : imp_seq_len(args);
	bool open = false;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *at = imp_is_map(args) ? pairs[i].key : imp_seq_at(im, args, i);
		const char *key = imp_scalar(at), *value = NULL, *eq = key ? strchr(key, '=') : NULL;
		if (imp_is_map(args) && !imp_is_null(pairs[i].value))
			value = imp_scalar(pairs[i].value);
		if (eq) {
			value = eq + 1;
			key = arena_strndup(im->a, key, (size_t)(eq - key));
		}
		if (!key || !imp_env_name(key) || !value)
			imp_warn(im, at, "build argument '%s' is not imported: %s", key ? key : "?",
				 !value ? "its value comes from the environment Compose runs in"
					: "its name is not a variable name");
		else if (imp_secret_like(key, value))
			imp_warn(im, at, "build argument '%s' is not imported: it looks like a secret, "
				 "and build arguments are kept in the image", key);
		else {
			strbuf_printf(b, "%s%s = %s\n", open ? "" : "  args {\n", key,
				      imp_quote(im->a, imp_text(im, at, value)));
			open = true;
		}
	}
	if (open)
		strbuf_puts(b, "  }\n");
}

/* --- paths -------------------------------------------------------------- */

static const char *join(struct imp *im, const char *dir, const char *path)
{
	if (path[0] == '/' || !strcmp(dir, "."))
		return path;
	return arena_printf(im->a, "%s/%s", dir, path);
}

/* `to` as seen from directory `from`, both resolved; NULL when either
 * does not exist. */
static const char *relative(struct imp *im, const char *from, const char *to)
{
	char f[PATH_MAX], t[PATH_MAX];
	if (!realpath(from, f) || !realpath(to, t))
		return NULL;
	size_t i = 0, common = 0;
	while (f[i] && f[i] == t[i])
		if (f[i++] == '/')
			common = i;
	if ((!f[i] || f[i] == '/') && (!t[i] || t[i] == '/'))
		common = i;
	const char *fr = f + common + (f[common] == '/');
	const char *tr = t + common + (t[common] == '/');
	struct strbuf b;
	strbuf_init(&b);
	for (const char *p = fr; *fr && p; p = strchr(p + 1, '/'))
		strbuf_puts(&b, b.len ? "/.." : "..");
	if (*tr)
		strbuf_printf(&b, "%s%s", b.len ? "/" : "", tr);
	const char *out = strbuf_finish(&b, im->a);
	return out && *out ? out : ".";
}

const char *imp_context_path(struct imp *im, const char *path)
{
	const char *rel = relative(im, im->out_dir, join(im, im->dir, path));
	return rel ? rel : path;
}

/* --- build: ------------------------------------------------------------- */

static void other_build_keys(struct imp *im, yaml_node_t *build)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(build) ? imp_pairs(im, build, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		if (!k || !strcmp(k, "context") || !strcmp(k, "args"))
			continue;
		if (!strcmp(k, "dockerfile") || !strcmp(k, "target") || !strcmp(k, "dockerfile_inline"))
			imp_dropped(im, pairs[i].key, "depc writes the Dockerfile from the build block");
		else
			imp_dropped(im, pairs[i].key, "depc has no equivalent");
	}
}

static void write_block(struct imp *im, struct imp_service *s, const struct guess *g,
			const char *context, yaml_node_t *args, const char *ctx)
{
	struct strbuf *b = &s->slot[SL_BUILD];
	strbuf_puts(b, "build {\n  # Guessed by depc import; depc writes its own Dockerfile from this\n"
		       "  # block, so review the version, install, outputs and start.\n");
	field(b, "runtime", imp_quote(im->a, g->runtime), g->why);
	field(b, "version", imp_quote(im->a, g->version), g->version_why);
	if (strcmp(context, "."))
		field(b, "context", imp_quote(im->a, context), NULL);
	recipe(im, ctx, g->runtime, b);
	if (g->start)
		field(b, "start", imp_list(im->a, g->start, g->nstart), g->start_why);
	else
		strbuf_puts(b, "  # start: not known (no Compose command, no CMD in the "
			       "Dockerfile): set it\n");
	build_args(im, args, b);
	strbuf_puts(b, "}\n");
}

/* The body's build block over a template's: the Dockerfile's start
 * command, and the build arguments. */
static void body_build(struct imp *im, struct imp_service *s,
		       const struct imp_dockerfile_facts *df, yaml_node_t *args)
{
	struct strbuf b;
	strbuf_init(&b);
	if (s->npm_no_lock) {
		field(&b, "manifests", "[\"package.json\"]", "no package-lock.json in the context");
		field(&b, "install", strcmp(s->tmpl, "node") ? "\"npm install\""
			  : "\"npm install --omit=dev\"", NULL);
	}
	if (s->pyproject) {
		field(&b, "manifests", "[\"pyproject.toml\"]", "no requirements.txt in the context");
		field(&b, "install", "\"pip install --no-cache-dir .\"", NULL);
	}
	if (df && df->nstart)
		field(&b, "start", imp_list(im->a, (const char **)df->start, df->nstart),
		      "the Dockerfile's ENTRYPOINT and CMD");
	build_args(im, args, &b);
	if (b.len)
		imp_slot(im, s, SL_BUILD, s->k[IK_BUILD], "build {\n%s}\n", b.data);
	strbuf_free(&b);
}

/* A build whose context is not there and whose language nothing names:
 * the runtime is left out, so `depc check` points at it. */
static void write_unknown(struct imp *im, struct imp_service *s, const char *context,
			  yaml_node_t *args)
{
	struct strbuf *b = &s->slot[SL_BUILD];
	strbuf_puts(b, "build {\n  # runtime, version and start: not known (the build context is "
		       "not there): set them\n");
	if (strcmp(context, "."))
		field(b, "context", imp_quote(im->a, context), NULL);
	if (s->has_command) {
		field(b, "start", imp_list(im->a, s->command, s->ncommand), "the Compose command");
		s->has_command = false;
	}
	build_args(im, args, b);
	strbuf_puts(b, "}\n");
}

/* The context as written (the string form, or `context:`), or NULL for
 * a remote one, which is reported. */
static const char *context_of(struct imp *im, struct imp_service *s, yaml_node_t **at)
{
	yaml_node_t *build = s->v[IK_BUILD];
	*at = imp_is_map(build) ? imp_get(im, build, "context", NULL) : build;
	const char *context = imp_scalar(*at) ? imp_scalar(*at) : ".";
	other_build_keys(im, build);
	if (!strstr(context, "://") && strncmp(context, "git@", 4))
		return context;
	imp_dropped(im, s->k[IK_BUILD], "a remote build context cannot be read: build "
		    "the image elsewhere and set 'image'");
	return NULL;
}

void imp_build(struct imp *im, struct imp_service *s)
{
	yaml_node_t *build = s->v[IK_BUILD], *ctx_node;
	const char *context = build ? context_of(im, s, &ctx_node) : NULL;
	if (!context)
		return;
	const char *file = imp_scalar(imp_get(im, build, "dockerfile", NULL));
	const char *ctx = join(im, im->dir, context);
	const char *rel = relative(im, im->out_dir, ctx);
	struct dockerfile df = { 0 };
	read_dockerfile(im, &df, join(im, ctx, file ? file : "Dockerfile"));
	/* Compose's command follows an exec-form ENTRYPOINT, as Docker runs it. */
	if (df.nentry && df.entry_exec && s->has_command)
		s->command = concat(im, df.entry, df.nentry, s->command, s->ncommand, &s->ncommand);
	size_t nstart = 0;
	const char **start = concat(im, df.entry, df.nentry, df.cmd,
				    df.nentry && !df.entry_exec ? 0 : df.ncmd, &nstart);
	struct imp_dockerfile_facts facts = { df.images, df.nimages, start, nstart };
	int t = imp_language(im, s, ctx, rel != NULL, rel ? rel : context, &facts);
	if (t) {
		s->build_port = df.expose;
		s->npm_no_lock = rel && exists(im, ctx, "package.json") &&
				 !exists(im, ctx, "package-lock.json") && s->tmpl &&
				 (!strncmp(s->tmpl, "node", 4) || !strcmp(s->tmpl, "nginx.static"));
		s->pyproject = rel && exists(im, ctx, "pyproject.toml") && !exists(im, ctx, "requirements.txt") &&
			       s->tmpl && !strncmp(s->tmpl, "python.", 7);
		body_build(im, s, t == 1 ? &facts : NULL, imp_get(im, build, "args", NULL));
		return;
	}
	if (!rel) {
		imp_warn(im, ctx_node, "build context '%s' of service '%s' is not there and nothing in "
			 "the Compose file names its language: set the runtime of its build block",
			 context, s->compose);
		s->builds = true;
		write_unknown(im, s, context, imp_get(im, build, "args", NULL));
		return;
	}
	struct guess g = { 0 };
	guess_runtime(im, ctx, &df, &g);
	guess_version(im, &df, &g);
	guess_start(im, s, &df, &g);
	s->build_port = df.expose;
	write_block(im, s, &g, rel ? rel : context, imp_get(im, build, "args", NULL), ctx);
	imp_warn(im, s->k[IK_BUILD], "'build' of service '%s' is imported as a build block for "
		 "runtime '%s': depc writes its own Dockerfile, so review it", s->compose, g.runtime);
	if (!g.start)
		imp_warn(im, s->k[IK_BUILD], "service '%s' has no start command (no 'command', no "
			 "CMD in its Dockerfile): set 'start' in its build block", s->compose);
}
