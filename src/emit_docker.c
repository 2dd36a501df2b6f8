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
 * that run a published image get nothing here.  Reads only the model. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "escape.h"
#include "format.h"
#include "probe.h"

/* Exec form is a JSON array; cJSON writes it so quoting is always right. */
static void put_exec(struct strbuf *b, const struct model_strings *argv)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < argv->count; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(argv->items[i]));
	char *text = cJSON_PrintUnformatted(arr);
	strbuf_puts(b, text ? text : "[]");
	free(text);
	cJSON_Delete(arr);
	strbuf_putc(b, '\n');
}

/* Shell form when it is one line; a multi-line script runs through sh in
 * exec form, since Dockerfile line continuations would join its lines. */
static void put_run(struct strbuf *b, const char *cmd)
{
	if (!strchr(cmd, '\n')) {
		strbuf_printf(b, "RUN %s\n", cmd);
		return;
	}
	const char *argv[] = { "/bin/sh", "-c", cmd };
	struct model_strings s = { argv, 3 };
	strbuf_puts(b, "RUN ");
	put_exec(b, &s);
}

static const char *builder_image(struct arena *a, const struct model_build *bd)
{
	switch (bd->runtime) {
	case RUNTIME_NODE: return arena_printf(a, "node:%s", bd->version);
	case RUNTIME_PYTHON: return arena_printf(a, "python:%s", bd->version);
	case RUNTIME_GO: return arena_printf(a, "golang:%s", bd->version);
	/* Maven's image carries the JDK, so a Gradle wrapper builds there too. */
	case RUNTIME_JAVA: return arena_printf(a, "maven:3-eclipse-temurin-%s-alpine", bd->version);
	case RUNTIME_DOTNET: return arena_printf(a, "mcr.microsoft.com/dotnet/sdk:%s-alpine", bd->version);
	case RUNTIME_PHP: return "composer:2";
	case RUNTIME_RUST: return arena_printf(a, "rust:%s", bd->version);
	case RUNTIME_RUBY: return arena_printf(a, "ruby:%s", bd->version);
	default: return "node:20-alpine";
	}
}

static void put_args(struct strbuf *b, struct arena *a, const struct model_build *bd)
{
	for (const struct model_kv *kv = bd->args; kv; kv = kv->next)
		strbuf_printf(b, "ARG %s=%s\n", kv->key, escape_dockerfile_value(a, kv->value));
}

static void builder_stage(struct strbuf *b, struct arena *a, const struct model_build *bd)
{
	strbuf_printf(b, "FROM %s AS builder\n", builder_image(a, bd));
	strbuf_puts(b, "WORKDIR /app\n");
	put_args(b, a, bd);
	if (bd->runtime == RUNTIME_PYTHON)
		strbuf_puts(b, "RUN python -m venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\n");
	if (bd->manifests.count) {
		strbuf_puts(b, "COPY");
		for (size_t i = 0; i < bd->manifests.count; i++)
			strbuf_printf(b, " %s", bd->manifests.items[i]);
		strbuf_puts(b, " ./\n");
	}
	if (bd->install)
		put_run(b, bd->install);
	strbuf_puts(b, "COPY . .\n");
	/* Build arguments reach the build step as environment, after the
	 * install step so NODE_ENV=production cannot drop dev dependencies
	 * the build needs. */
	for (const struct model_kv *kv = bd->args; kv; kv = kv->next)
		strbuf_printf(b, "ENV %s=${%s}\n", kv->key, kv->key);
	if (bd->compile)
		put_run(b, bd->compile);
}

/* "FROM:TO" copies FROM of the builder to TO; a bare path keeps its name. */
static void put_output(struct strbuf *b, const char *spec)
{
	const char *colon = strchr(spec, ':');
	if (colon)
		strbuf_printf(b, "COPY --from=builder %.*s %s\n", (int)(colon - spec), spec, colon + 1);
	else
		strbuf_printf(b, "COPY --from=builder %s %s\n", spec, spec);
}

static void put_healthcheck(struct strbuf *b, struct arena *a, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	struct model_strings cmd = probe_command(a, s, &h->check);
	if (!cmd.count)
		return;
	strbuf_printf(b, "HEALTHCHECK --interval=%s --timeout=%s ",
		      format_duration(a, h->interval_ms), format_duration(a, h->timeout_ms));
	/* Docker's own default start period is 0s, and linters reject an
	 * explicit zero, so it is written only when set. */
	if (h->start_ms > 0)
		strbuf_printf(b, "--start-period=%s ", format_duration(a, h->start_ms));
	strbuf_printf(b, "--retries=%d \\\n  CMD ", h->retries);
	put_exec(b, &cmd);
}

static void runner_stage(struct strbuf *b, struct arena *a, const struct model_service *s)
{
	const struct model_build *bd = s->build;
	strbuf_printf(b, "\nFROM %s AS runner\nWORKDIR /app\n", probe_runner_image(a, bd));
	if (bd->runtime == RUNTIME_PYTHON)
		strbuf_puts(b, "COPY --from=builder /opt/venv /opt/venv\n"
			       "ENV PATH=\"/opt/venv/bin:$PATH\"\n");
	for (size_t i = 0; i < bd->outputs.count; i++)
		put_output(b, bd->outputs.items[i]);
	if (s->port)
		strbuf_printf(b, "ENV PORT=%d\n", s->port);
	strbuf_printf(b, "USER %d:%d\n", s->user, s->user);
	if (s->port)
		strbuf_printf(b, "EXPOSE %d\n", s->port);
	put_healthcheck(b, a, s);
	strbuf_puts(b, "CMD ");
	put_exec(b, s->command.count ? &s->command : &bd->start);
}

static bool dockerignore(struct output *o, const struct model_service *s)
{
	struct strbuf *b = output_add(o, arena_printf(o->arena, "%s/Dockerfile.dockerignore", s->name));
	if (!b)
		return false;
	strbuf_printf(b, "# %s\n", output_banner(o));
	strbuf_puts(b, "# secrets and local state never enter the build context\n"
		       ".env\n.env.*\n*.pem\n*.key\n.git\n");
	for (size_t i = 0; i < s->build->ignore.count; i++)
		strbuf_printf(b, "%s\n", s->build->ignore.items[i]);
	return true;
}

bool emit_docker(const struct model *m, struct output *o)
{
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (!s->build)
			continue;
		struct strbuf *b = output_add(o, arena_printf(o->arena, "%s/Dockerfile", s->name));
		if (!b)
			return false;
		strbuf_printf(b, "# %s\n", output_banner(o));
		strbuf_printf(b, "# build context: %s (the service's source directory)\n",
			      output_relative_source(o, s->build->context));
		/* an exception to the policy stays visible where the image is made */
		for (const struct model_allow *al = s->allows; al; al = al->next)
			strbuf_printf(b, "# policy exception %s (%s): %s\n", al->code, al->rule,
				      escape_comment(o->arena, al->reason));
		strbuf_putc(b, '\n');
		builder_stage(b, o->arena, s->build);
		runner_stage(b, o->arena, s);
		if (!dockerignore(o, s))
			return false;
	}
	return true;
}
