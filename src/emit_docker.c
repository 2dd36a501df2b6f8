/* emit_docker.c - a multi-stage Dockerfile per built service.
 *
 * SERVICE/Dockerfile has a builder stage (dependency manifests first, so
 * the install layer is cached until they change; then the source and the
 * build) and a runner stage that copies only the build outputs, runs as a
 * numeric non-root user over root-owned files (so the application cannot
 * rewrite itself), and carries a HEALTHCHECK whose command exists in that
 * image.  SERVICE/Dockerfile.dockerignore sits beside it, where BuildKit
 * looks for a Dockerfile's own ignore file, because the build context is
 * the service's source directory, not the output directory.  Services
 * that run a published image get nothing here.  Every line is written by
 * docker_out.c from typed values, which escapes them.  Reads only the
 * model. */
#include <string.h>

#include "backends.h"
#include "docker_out.h"
#include "probe.h"

static const char *builder_image(struct arena *a, const struct model_build *bd)
{
	switch (bd->runtime) {
	case RUNTIME_NODE: return arena_printf(a, "node:%s", bd->version);
	case RUNTIME_PYTHON: return arena_printf(a, "python:%s", bd->version);
	case RUNTIME_GO: return arena_printf(a, "golang:%s", bd->version);
	/* Maven's image carries the JDK, so a Gradle wrapper builds there too;
	 * its tags name the JDK by major version only ("21" of "21.0.5_11"). */
	case RUNTIME_JAVA:
		return arena_printf(a, "maven:3.9.9-eclipse-temurin-%.*s-alpine",
				    (int)strspn(bd->version, "0123456789"), bd->version);
	case RUNTIME_DOTNET: return arena_printf(a, "mcr.microsoft.com/dotnet/sdk:%s-alpine", bd->version);
	case RUNTIME_PHP: return "composer:2";
	case RUNTIME_RUST: return arena_printf(a, "rust:%s", bd->version);
	case RUNTIME_RUBY: return arena_printf(a, "ruby:%s", bd->version);
	default: return "node:20.18.1-alpine";
	}
}

static void builder_stage(struct docker_out *d, const struct model_build *bd)
{
	docker_from(d, builder_image(d->a, bd), "builder");
	docker_workdir(d, "/app");
	for (const struct model_kv *kv = bd->args; kv; kv = kv->next)
		docker_arg(d, kv->key, kv->value);
	if (bd->runtime == RUNTIME_PYTHON) {
		docker_run(d, "python -m venv /opt/venv");
		docker_env_prepend(d, "PATH", "/opt/venv/bin");
	}
	if (bd->manifests.count)
		docker_copy(d, NULL, bd->manifests.items, bd->manifests.count, "./");
	if (bd->install)
		docker_run(d, bd->install);
	const char *all[] = { "." };
	docker_copy(d, NULL, all, 1, ".");
	/* Build arguments reach the build step as environment, after the
	 * install step so NODE_ENV=production cannot drop dev dependencies
	 * the build needs. */
	for (const struct model_kv *kv = bd->args; kv; kv = kv->next)
		docker_env_from_arg(d, kv->key);
	if (bd->compile)
		docker_run(d, bd->compile);
}

/* "FROM:TO" copies FROM of the builder to TO; a bare path keeps its name. */
static void put_output(struct docker_out *d, const char *spec)
{
	const char *colon = strchr(spec, ':');
	const char *from = colon ? arena_strndup(d->a, spec, (size_t)(colon - spec)) : spec;
	docker_copy(d, "builder", &from, 1, colon ? colon + 1 : spec);
}

static void put_healthcheck(struct docker_out *d, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	struct model_strings cmd = probe_command(d->a, s, &h->check);
	if (cmd.count)
		docker_healthcheck(d, h->interval_ms, h->timeout_ms, h->start_ms, h->retries, &cmd);
}

static void runner_stage(struct docker_out *d, const struct model_service *s)
{
	const struct model_build *bd = s->build;
	docker_blank(d);
	docker_from(d, probe_runner_image(d->a, bd), "runner");
	docker_workdir(d, "/app");
	if (bd->runtime == RUNTIME_PYTHON) {
		const char *venv[] = { "/opt/venv" };
		docker_copy(d, "builder", venv, 1, "/opt/venv");
		docker_env_prepend(d, "PATH", "/opt/venv/bin");
	}
	for (size_t i = 0; i < bd->outputs.count; i++)
		put_output(d, bd->outputs.items[i]);
	if (s->port)
		docker_env_int(d, "PORT", s->port);
	docker_user(d, s->user, s->user);
	if (s->port)
		docker_expose(d, s->port);
	put_healthcheck(d, s);
	docker_cmd(d, s->command.count ? &s->command : &bd->start);
}

static bool finish(struct output *o, struct docker_out *d, const char *path)
{
	if (docker_end(d))
		return true;
	o->error = arena_printf(o->home, "internal error: a value in %s cannot be written "
				"on one line (the checker lets none through)", path);
	return false;
}

/* Secret and key material, excluded at every depth of the context
 * ("**" matches any number of directories, none included). */
static const char *const never_copied[] = {
	"**/.git", "**/.env*", "**/*.pem", "**/*.key", "**/*.p12", "**/*.pfx",
	"**/id_rsa", "**/id_ecdsa", "**/id_ed25519",
};
#define NEVER_COPIED (sizeof never_copied / sizeof never_copied[0])

/* A pattern the list above already covers: one of them, or one of them
 * limited to the top level (".git" is "**" "/.git" at depth zero). */
static bool covered(const char *pattern)
{
	for (size_t i = 0; i < NEVER_COPIED; i++)
		if (!strcmp(pattern, never_copied[i]) || !strcmp(pattern, never_copied[i] + 3))
			return true;
	return false;
}

static bool dockerignore(struct output *o, const struct model_service *s)
{
	const char *path = arena_printf(o->arena, "%s/Dockerfile.dockerignore", s->name);
	struct strbuf *b = output_add(o, path);
	if (!b)
		return false;
	struct docker_out d;
	docker_begin(&d, b, o->arena);
	docker_comment(&d, output_banner(o));
	docker_comment(&d, "secrets, keys and local state never enter the build context");
	for (size_t i = 0; i < NEVER_COPIED; i++)
		docker_ignore(&d, never_copied[i]);
	/* Compose's secret files sit beside compose.yaml: when that is inside
	 * the context, they are excluded by name. */
	const char *secrets = output_inside_context(o, s->build->context, "secrets");
	if (secrets)
		docker_ignore(&d, secrets);
	for (size_t i = 0; i < s->build->ignore.count; i++) {
		const char *p = s->build->ignore.items[i];
		bool again = covered(p) || (secrets && !strcmp(p, secrets));
		for (size_t k = 0; k < i && !again; k++)
			again = !strcmp(p, s->build->ignore.items[k]);
		if (!again)
			docker_ignore(&d, p);
	}
	return finish(o, &d, path);
}

static bool dockerfile(struct output *o, const struct model_service *s)
{
	const char *path = arena_printf(o->arena, "%s/Dockerfile", s->name);
	struct strbuf *b = output_add(o, path);
	if (!b)
		return false;
	struct docker_out d;
	docker_begin(&d, b, o->arena);
	docker_comment(&d, output_banner(o));
	docker_comment(&d, arena_printf(o->arena, "build context: %s (the %s's source directory)",
					output_relative_source(o, s->build->context),
					s->job ? "job" : "service"));
	/* an exception to the policy stays visible where the image is made */
	for (const struct model_allow *al = s->allows; al; al = al->next)
		docker_comment(&d, arena_printf(o->arena, "policy exception %s (%s): %s",
						al->code, al->rule, al->reason));
	docker_blank(&d);
	builder_stage(&d, s->build);
	runner_stage(&d, s);
	return finish(o, &d, path) && dockerignore(o, s);
}

/* A job with a build of its own gets its image as a service does; a job
 * `from` a service runs that service's image and builds nothing. */
bool emit_docker(const struct model *m, struct output *o)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (m->services[i]->build && !dockerfile(o, m->services[i]))
			return false;
	for (size_t i = 0; i < m->job_count; i++)
		if (m->jobs[i]->run->build && !dockerfile(o, m->jobs[i]->run))
			return false;
	return true;
}
