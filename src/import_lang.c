/* import_lang.c - the language of a build context, as a stdlib template.
 *
 * The context's files say it best: package.json (and which framework it
 * lists), requirements.txt or pyproject.toml (Django, Flask, FastAPI),
 * go.mod, pom.xml or build.gradle (Spring Boot), a .csproj, composer.json
 * or PHP files, Cargo.toml, a Gemfile (Rails), or a Dockerfile that
 * serves files with nginx.  When the context is not there (a Compose file
 * copied without its sources), the import says so and reads the names
 * the file gives instead: the context's directory, the service's name,
 * its command and variables (gunicorn, ASPNETCORE_URLS, RUST_BACKTRACE)
 * and the Compose file's own name (react-java-mysql.yaml); a service
 * named like a front end takes a front-end framework from it, any other
 * a server language.  Nothing is guessed without such a word: with none
 * the build block of import_build.c is written, every guess marked. */
#include <ctype.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "import_impl.h"
#include "source.h"

enum lang {
	L_NONE, L_NODE, L_NEXT, L_SPA, L_WSGI, L_ASGI, L_GO, L_MAVEN, L_GRADLE, L_SPRING,
	L_DOTNET, L_PHP, L_RUST, L_RAILS, L_RACK, L_PROXY, L_COUNT
};

static const struct {
	const char *module, *tmpl, *version_param;
	int port;                    /* default of its port parameter; < 0: fixed at -port */
	const char *repos[3];        /* FROM images whose tag is the version */
	const char *what;
} langs[L_COUNT] = {
	[L_NODE] = { "node", "node", "node", 3000, { "node" }, "a Node.js server" },
	[L_NEXT] = { "node", "node.nextjs", "node", 3000, { "node" }, "a Next.js app" },
	[L_SPA] = { "nginx", "nginx.static", "nginx", -8080, { "nginx", "nginx-unprivileged" },
		    "a single-page app built with npm and served by nginx" },
	[L_WSGI] = { "python", "python.wsgi", "python", 8000, { "python" }, "a WSGI app" },
	[L_ASGI] = { "python", "python.asgi", "python", 8000, { "python" }, "an ASGI app" },
	[L_GO] = { "go", "go", "go", 8080, { "golang" }, "a Go server" },
	[L_MAVEN] = { "java", "java.maven", "java", 8080, { NULL }, "a Java server built with Maven" },
	[L_GRADLE] = { "java", "java.gradle", "java", 8080, { NULL }, "a Java server built with Gradle" },
	[L_SPRING] = { "java", "java.spring_boot", "java", 8080, { NULL }, "a Spring Boot app" },
	[L_DOTNET] = { "dotnet", "dotnet", "dotnet", 8080, { "sdk", "aspnet" }, "an ASP.NET Core app" },
	[L_PHP] = { "php", "php.fpm", "php", -9000, { "php" }, "a PHP app under PHP-FPM" },
	[L_RUST] = { "rust", "rust", "rust", 8080, { NULL }, "a Rust server" },
	[L_RAILS] = { "ruby", "ruby.rails", "ruby", 3000, { "ruby" }, "a Rails app" },
	[L_RACK] = { "ruby", "ruby.rack", "ruby", 9292, { "ruby" }, "a Rack app" },
	[L_PROXY] = { "nginx", "nginx", "version", 8080, { NULL }, "an nginx reverse proxy" },
};

/* --- the context's files ------------------------------------------------ */

static const char *file_text(struct imp *im, const char *ctx, const char *name)
{
	struct source *src = source_read_file(im->a, arena_printf(im->a, "%s/%s", ctx, name), NULL);
	return src ? src->text : NULL;
}

static bool has_file_ending(const char *ctx, const char *suffix)
{
	DIR *d = opendir(ctx);
	bool found = false;
	for (struct dirent *e = d ? readdir(d) : NULL; e && !found; e = readdir(d)) {
		size_t n = strlen(e->d_name), k = strlen(suffix);
		found = n > k && !strcmp(e->d_name + n - k, suffix);
	}
	if (d)
		closedir(d);
	return found;
}

static enum lang from_package_json(const char *pkg)
{
	if (strstr(pkg, "\"next\""))
		return L_NEXT;
	if ((strstr(pkg, "\"react-scripts\"") || strstr(pkg, "\"@angular/core\"") ||
	     strstr(pkg, "\"vue\"") || strstr(pkg, "\"svelte\"") || strstr(pkg, "\"vite\"")) &&
	    !strstr(pkg, "\"express\"") && !strstr(pkg, "\"fastify\""))
		return L_SPA;
	return L_NODE;
}

static enum lang from_files(struct imp *im, const char *ctx, const char **why)
{
	const char *t;
	if ((t = file_text(im, ctx, "package.json")))
		return *why = "package.json in the context", from_package_json(t);
	if ((t = file_text(im, ctx, "requirements.txt")) || (t = file_text(im, ctx, "pyproject.toml"))) {
		*why = "the Python requirements in the context";
		return strstr(t, "fastapi") || strstr(t, "uvicorn") || strstr(t, "starlette")
		       ? L_ASGI : L_WSGI;
	}
	if ((t = file_text(im, ctx, "go.mod")))
		return *why = "go.mod in the context", L_GO;
	if ((t = file_text(im, ctx, "pom.xml")))
		return *why = "pom.xml in the context", strstr(t, "spring-boot") ? L_SPRING : L_MAVEN;
	if (file_text(im, ctx, "build.gradle") || file_text(im, ctx, "build.gradle.kts"))
		return *why = "build.gradle in the context", L_GRADLE;
	if (has_file_ending(ctx, ".csproj") || has_file_ending(ctx, ".sln"))
		return *why = "a .NET project in the context", L_DOTNET;
	if (file_text(im, ctx, "composer.json") || has_file_ending(ctx, ".php"))
		return *why = "PHP files in the context", L_PHP;
	if (file_text(im, ctx, "Cargo.toml"))
		return *why = "Cargo.toml in the context", L_RUST;
	if ((t = file_text(im, ctx, "Gemfile")))
		return *why = "the Gemfile in the context", strstr(t, "rails") ? L_RAILS : L_RACK;
	return L_NONE;
}

/* --- the names the Compose file gives ----------------------------------- */

static const struct {
	const char *word;
	enum lang lang;
	bool front;                  /* a front-end framework */
} words[] = {
	{ "angular", L_SPA, true }, { "react", L_SPA, true }, { "vue", L_SPA, true },
	{ "vuejs", L_SPA, true }, { "svelte", L_SPA, true }, { "nextjs", L_NEXT, true },
	{ "node", L_NODE, false }, { "nodejs", L_NODE, false }, { "express", L_NODE, false },
	{ "npm", L_NODE, false }, { "flask", L_WSGI, false }, { "django", L_WSGI, false },
	{ "gunicorn", L_WSGI, false }, { "wsgi", L_WSGI, false }, { "python", L_WSGI, false },
	{ "fastapi", L_ASGI, false }, { "uvicorn", L_ASGI, false }, { "asgi", L_ASGI, false },
	{ "go", L_GO, false }, { "golang", L_GO, false }, { "java", L_MAVEN, false },
	{ "sparkjava", L_MAVEN, false }, { "maven", L_MAVEN, false }, { "mvn", L_MAVEN, false },
	{ "spring", L_SPRING, false }, { "gradle", L_GRADLE, false }, { "aspnet", L_DOTNET, false },
	{ "aspnetcore", L_DOTNET, false }, { "dotnet", L_DOTNET, false }, { "php", L_PHP, false },
	{ "laravel", L_PHP, false }, { "symfony", L_PHP, false }, { "rust", L_RUST, false },
	{ "cargo", L_RUST, false }, { "rails", L_RAILS, false }, { "ruby", L_RACK, false },
	{ "sinatra", L_RACK, false },
};

/* The language named by a word of `text` (split at anything that is not
 * a letter or digit), of the wanted side when `front` is 0 or 1. */
static enum lang from_words(const char *text, int front, const char **word)
{
	char w[64];
	for (const char *p = text; p && *p;) {
		size_t n = 0;
		while (*p && !isalnum((unsigned char)*p))
			p++;
		while (isalnum((unsigned char)*p) && n < sizeof w - 1)
			w[n++] = (char)tolower((unsigned char)*p++);
		while (isalnum((unsigned char)*p))
			p++;
		w[n] = 0;
		for (size_t i = 0; n && i < sizeof words / sizeof words[0]; i++)
			if (!strcmp(w, words[i].word) && (front < 0 || words[i].front == front)) {
				*word = words[i].word;
				return words[i].lang;
			}
	}
	return L_NONE;
}

static bool front_end_name(const char *name)
{
	static const char *const front[] = { "front", "web", "ui", "client", "app", "site", "spa" };
	for (size_t i = 0; i < sizeof front / sizeof front[0]; i++)
		if (strstr(name, front[i]))
			return true;
	return false;
}

static bool env_prefixed(struct imp *im, struct imp_service *s, const char *prefix)
{
	struct imp_pair *pairs;
	yaml_node_t *v = s->v[IK_ENVIRONMENT];
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : 0;
	for (size_t i = 0; i < n; i++)
		if (imp_scalar(pairs[i].key) && !strncmp(imp_scalar(pairs[i].key), prefix, strlen(prefix)))
			return true;
	for (size_t i = 0; i < imp_seq_len(v); i++) {
		const char *t = imp_scalar(imp_seq_at(im, v, i));
		if (t && !strncmp(t, prefix, strlen(prefix)))
			return true;
	}
	return false;
}

static enum lang from_names(struct imp *im, struct imp_service *s, const char *context,
			    const char **why)
{
	const char *word = NULL;
	enum lang l;
	static const struct { const char *prefix; enum lang lang; } vars[] = {
		{ "ASPNETCORE_", L_DOTNET }, { "DOTNET_", L_DOTNET }, { "RUST_", L_RUST },
		{ "CARGO_", L_RUST }, { "SPRING_", L_SPRING }, { "FLASK_", L_WSGI },
		{ "DJANGO_", L_WSGI }, { "RAILS_", L_RAILS }, { "NODE_", L_NODE },
	};
	const char *cmd = s->ncommand ? s->command[0] : NULL;
	if (cmd && (l = from_words(cmd, -1, &word)))
		return *why = arena_printf(im->a, "its command, %s", cmd), l;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (env_prefixed(im, s, vars[i].prefix))
			return *why = arena_printf(im->a, "its variable %s*", vars[i].prefix), vars[i].lang;
	if ((l = from_words(context, -1, &word)) || (l = from_words(s->compose, -1, &word)))
		return *why = arena_printf(im->a, "the name '%s'", word), l;
	bool front = front_end_name(s->compose) || front_end_name(context);
	if ((l = from_words(im->stem, front, &word)) || (l = from_words(im->stem, -1, &word)))
		return *why = arena_printf(im->a, "'%s' in the name of the Compose file or its directory", word), l;
	return L_NONE;
}

/* A service named for a proxy, or built FROM nginx, that uses a server. */
static bool proxy_build(struct imp_service *s, const char *context,
			const struct imp_dockerfile_facts *df)
{
	for (size_t i = 0; i < df->nimages; i++)
		if (strstr(df->images[i], "nginx"))
			return true;
	return strstr(s->compose, "proxy") || strstr(s->compose, "nginx") ||
	       strstr(context, "proxy") || strstr(context, "nginx");
}

/* --- the call ----------------------------------------------------------- */

/* The Dockerfile's tag of the runtime's image, as the template takes it. */
static const char *version_of(struct imp *im, enum lang l, const struct imp_dockerfile_facts *df)
{
	for (size_t i = 0; i < df->nimages; i++) {
		const char *img = df->images[i], *slash = strrchr(img, '/');
		const char *name = slash ? slash + 1 : img, *colon = strchr(name, ':');
		if (!colon || strchr(colon, '$') || !isdigit((unsigned char)colon[1]))
			continue;
		for (size_t r = 0; r < 3 && langs[l].repos[r]; r++) {
			if (strncmp(name, langs[l].repos[r], (size_t)(colon - name)) ||
			    strlen(langs[l].repos[r]) != (size_t)(colon - name))
				continue;
			if (l == L_DOTNET || l == L_PHP)
				return arena_strndup(im->a, colon + 1, strspn(colon + 1, "0123456789."));
			return colon + 1;
		}
	}
	return NULL;
}

static void language_args(struct imp *im, struct imp_service *s, enum lang l,
			  const char *context, const struct imp_dockerfile_facts *df)

{
	const char *version = version_of(im, l, df);
	if (version)
		imp_arg(im, s, langs[l].version_param, imp_quote(im->a, version));
	if (strcmp(context, "."))
		imp_arg(im, s, "context", imp_quote(im->a, context));
	if (l == L_RUST)
		imp_arg(im, s, "bin", imp_quote(im->a, s->name));
	if (l == L_RAILS) {
		struct imp_secret *sec = arena_alloc(im->a, sizeof *sec);
		sec->name = imp_claim(im, imp_ident(im->a, arena_printf(im->a, "%s_secret_key_base",
									  s->name)));
		sec->origin = arena_printf(im->a, "the template 'ruby.rails' of service '%s'",
					   s->compose);
		sec->used = true;
		sec->next = im->secrets;
		im->secrets = sec;
		imp_arg(im, s, "secret_key_base", sec->name);
	}
}

/* A Python service that listens nowhere: python.worker, started as the
 * Dockerfile or the Compose command says. */
static int python_worker(struct imp *im, struct imp_service *s, const char *context,
			 const struct imp_dockerfile_facts *df)
{
	imp_use_template(im, s, "python", "python.worker");
	s->builds = true;
	const char *const *cmd = df->nstart ? df->start : s->command;
	size_t n = df->nstart ? df->nstart : s->ncommand;
	const char *version = version_of(im, L_WSGI, df);
	if (version)
		imp_arg(im, s, "python", imp_quote(im->a, version));
	imp_arg(im, s, "command", imp_list(im->a, (const char **)cmd, n));
	if (!df->nstart)
		s->has_command = false;
	if (strcmp(context, "."))
		imp_arg(im, s, "context", imp_quote(im->a, context));
	imp_warn(im, s->k[IK_BUILD], "service '%s' listens on no port: it is a worker, made from "
		 "the template 'python.worker', whose health check needs it to touch the file "
		 "$HEARTBEAT_FILE every minute", s->compose);
	return 2;
}

/* Arguments the template needs and nothing in the file gave. */
static void guessed_arguments(struct imp *im, struct imp_service *s, enum lang l,
			      bool dockerfile_start)
{
	if ((l == L_WSGI || l == L_ASGI) && !imp_arg_value(s, "module") && !dockerfile_start)
		imp_warn(im, s->k[IK_BUILD], "the module service '%s' serves is the template's default "
			 "(%s): set 'module' (Django's is PROJECT.wsgi:application)", s->compose,
			 l == L_WSGI ? "app:app" : "main:app");
	else if (l == L_RUST)
		imp_warn(im, s->k[IK_BUILD], "the binary of service '%s' is taken to be '%s': set "
			 "'bin' to the name Cargo.toml gives it", s->compose, s->name);
	else if (l == L_SPA)
		imp_warn(im, s->k[IK_BUILD], "the directory 'npm run build' writes for service '%s' "
			 "is taken to be '%s': set 'dist' when it is another", s->compose,
			 imp_arg_value(s, "dist") ? "build" : "dist");
}

/* Create React App writes its site to build/, not dist/. */
static bool react_scripts(struct imp *im, const char *ctx, bool found, const char *why)
{
	const char *pkg = found ? file_text(im, ctx, "package.json") : NULL;
	return pkg ? strstr(pkg, "\"react-scripts\"") != NULL : strstr(why, "'react'") != NULL;
}

/* gunicorn -w 3 -b 0.0.0.0:8000 app:app: the module and the workers. */
static void python_command(struct imp *im, struct imp_service *s, enum lang l)
{
	if ((l != L_WSGI && l != L_ASGI) || !s->ncommand ||
	    (strcmp(s->command[0], "gunicorn") && strcmp(s->command[0], "uvicorn")))
		return;
	for (size_t i = 1; i < s->ncommand; i++) {
		const char *w = s->command[i];
		if ((!strcmp(w, "-w") || !strcmp(w, "--workers")) && i + 1 < s->ncommand &&
		    strspn(s->command[i + 1], "0123456789") == strlen(s->command[i + 1]))
			imp_arg(im, s, "workers", s->command[++i]);
		else if (w[0] == '-' && i + 1 < s->ncommand && !strchr(w, '='))
			i++; /* an option's value */
		else if (w[0] != '-' && strchr(w, ':'))
			imp_arg(im, s, "module", imp_quote(im->a, w));
	}
	s->has_command = false;
	imp_warn(im, s->k[IK_COMMAND], "the command of service '%s' is the template '%s''s server: "
		 "its module and workers are the template's arguments", s->compose, langs[l].tmpl);
}

static bool serves_with_nginx(const struct imp_dockerfile_facts *df)
{
	return df->nimages && strstr(df->images[df->nimages - 1], "nginx");
}

/* No port anywhere, and no web server in the command: a worker. */
static bool worker(struct imp *im, struct imp_service *s, const struct imp_dockerfile_facts *df)
{
	const char *first = df->nstart ? df->start[0] : s->ncommand ? s->command[0] : NULL;
	return first && !imp_port_stated(im, s) &&
	       !strstr(first, "gunicorn") && !strstr(first, "uvicorn");
}

int imp_language(struct imp *im, struct imp_service *s, const char *ctx, bool found,
		  const char *context, const struct imp_dockerfile_facts *df)
{
	const char *why = NULL;
	enum lang l = found ? from_files(im, ctx, &why) : L_NONE;
	if (l == L_NODE && serves_with_nginx(df))
		l = L_SPA, why = "package.json in the context, and its Dockerfile serves with nginx";
	if (!l && proxy_build(s, context, df) && s->v[IK_DEPENDS_ON])
		l = L_PROXY, why = "an nginx proxy in front of the services it depends on";
	if (!l)
		l = from_names(im, s, context, &why);
	if (!l)
		return 0;
	if (s->has_command && (l == L_SPA || l == L_PROXY)) {
		imp_dropped(im, s->k[IK_COMMAND], "the template '%s' starts nginx itself",
			    langs[l].tmpl);
		s->has_command = false;
	}
	if (l == L_PROXY) {
		imp_known_proxy(s);
		return 2;
	}
	if ((l == L_WSGI || l == L_ASGI) && worker(im, s, df))
		return python_worker(im, s, context, df);
	if (!found)
		imp_warn(im, s->k[IK_BUILD], "build context '%s' of service '%s' is not there, so its "
			 "language is read from %s: %s, made from the template '%s'", context,
			 s->compose, why, langs[l].what, langs[l].tmpl);
	else
		imp_warn(im, s->k[IK_BUILD], "service '%s' is %s (from %s), made from the template '%s'",
			 s->compose, langs[l].what, why, langs[l].tmpl);

	imp_use_template(im, s, langs[l].module, langs[l].tmpl);
	s->builds = true;
	s->lang_port = langs[l].port;
	language_args(im, s, l, context, df);
	if (l == L_SPA && react_scripts(im, ctx, found, why))
		imp_arg(im, s, "dist", "\"build\"");
	python_command(im, s, l);
	guessed_arguments(im, s, l, df->nstart > 0);
	return l == L_SPA ? 2 : 1;
}
