/* probe.c - health probe commands per image (see probe.h). */
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static struct model_strings argv_of(struct arena *a, int n, ...)
{
	struct model_strings s = { arena_calloc(a, (size_t)n, sizeof(char *)), (size_t)n };
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s.items[i] = va_arg(ap, const char *);
	va_end(ap);
	return s;
}

static const char *url(struct arena *a, const struct model_probe *p)
{
	return arena_printf(a, "http://127.0.0.1:%d%s", p->port, p->path);
}

static struct model_strings node_probe(struct arena *a, const struct model_probe *p)
{
	if (p->kind == PROBE_HTTP)
		return argv_of(a, 3, "node", "-e", arena_printf(a,
			"require('http').get('%s', r => process.exit(r.statusCode < 400 ? 0 : 1))"
			".on('error', () => process.exit(1))", url(a, p)));
	return argv_of(a, 3, "node", "-e", arena_printf(a,
		"require('net').connect(%d, '127.0.0.1').on('connect', () => process.exit(0))"
		".on('error', () => process.exit(1))", p->port));
}

static struct model_strings python_probe(struct arena *a, const struct model_probe *p)
{
	if (p->kind == PROBE_HTTP)
		return argv_of(a, 3, "python", "-c", arena_printf(a,
			"import sys, urllib.request; "
			"sys.exit(0 if urllib.request.urlopen('%s', timeout=5).status < 400 else 1)",
			url(a, p)));
	return argv_of(a, 3, "python", "-c", arena_printf(a,
		"import socket; socket.create_connection(('127.0.0.1', %d), timeout=5)", p->port));
}

static struct model_strings php_probe(struct arena *a, const struct model_probe *p)
{
	if (p->kind == PROBE_HTTP)
		return argv_of(a, 3, "php", "-r", arena_printf(a,
			"exit(@file_get_contents('%s') === false ? 1 : 0);", url(a, p)));
	return argv_of(a, 3, "php", "-r", arena_printf(a,
		"exit(@fsockopen('127.0.0.1', %d) ? 0 : 1);", p->port));
}

static struct model_strings ruby_probe(struct arena *a, const struct model_probe *p)
{
	if (p->kind == PROBE_HTTP)
		return argv_of(a, 4, "ruby", "-rnet/http", "-e", arena_printf(a,
			"exit(Net::HTTP.get_response(URI('%s')).code.to_i < 400)", url(a, p)));
	return argv_of(a, 4, "ruby", "-rsocket", "-e", arena_printf(a,
		"TCPSocket.new('127.0.0.1', %d).close", p->port));
}

static struct model_strings busybox_probe(struct arena *a, const struct model_probe *p)
{
	if (p->kind == PROBE_HTTP)
		return argv_of(a, 4, "wget", "-q", "-O", "/dev/null");
	return argv_of(a, 4, "nc", "-z", "127.0.0.1", arena_printf(a, "%d", p->port));
}

static struct model_strings with_url(struct arena *a, struct model_strings s, const char *u)
{
	const char **items = arena_calloc(a, s.count + 1, sizeof *items);
	memcpy(items, s.items, s.count * sizeof *items);
	items[s.count] = u;
	struct model_strings r = { items, s.count + 1 };
	return r;
}

struct model_strings probe_command(struct arena *a, const struct model_service *s,
				   const struct model_probe *p)
{
	struct model_strings none = { NULL, 0 };
	if (p->kind == PROBE_EXEC)
		return p->command;
	if (p->kind == PROBE_NONE || !s->build || s->build->probe_tool == PROBE_TOOL_NONE)
		return none;
	bool runtime = s->build->probe_tool == PROBE_TOOL_RUNTIME;
	if (runtime && s->build->runtime == RUNTIME_NODE)
		return node_probe(a, p);
	if (runtime && s->build->runtime == RUNTIME_PYTHON)
		return python_probe(a, p);
	if (runtime && s->build->runtime == RUNTIME_PHP)
		return php_probe(a, p);
	if (runtime && s->build->runtime == RUNTIME_RUBY)
		return ruby_probe(a, p);
	struct model_strings b = busybox_probe(a, p);
	return p->kind == PROBE_HTTP ? with_url(a, b, url(a, p)) : b;
}

const char *probe_runner_image(struct arena *a, const struct model_build *b)
{
	switch (b->runtime) {
	case RUNTIME_NODE: return arena_printf(a, "node:%s", b->version);
	case RUNTIME_PYTHON: return arena_printf(a, "python:%s", b->version);
	case RUNTIME_GO: return "alpine:3.20";
	case RUNTIME_RUST: return "alpine:3.20";
	case RUNTIME_JAVA: return arena_printf(a, "eclipse-temurin:%s-jre-alpine", b->version);
	case RUNTIME_DOTNET:
		return arena_printf(a, "mcr.microsoft.com/dotnet/aspnet:%s-alpine", b->version);
	case RUNTIME_PHP: return arena_printf(a, "php:%s-fpm-alpine", b->version);
	case RUNTIME_RUBY: return arena_printf(a, "ruby:%s", b->version);
	default: return arena_printf(a, "nginxinc/nginx-unprivileged:%s", b->version);
	}
}
