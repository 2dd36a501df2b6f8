/* format.c - unit spelling per format (see format.h). */
#include "format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *format_duration(struct arena *a, int64_t ms)
{
	static const struct { const char *unit; int64_t ms; } parts[] = {
		{ "h", 3600000 }, { "m", 60000 }, { "s", 1000 }, { "ms", 1 },
	};
	if (ms <= 0)
		return "0s";
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (ms >= parts[i].ms) {
			strbuf_printf(&b, "%" PRId64 "%s", ms / parts[i].ms, parts[i].unit);
			ms %= parts[i].ms;
		}
	}
	return strbuf_finish(&b, a);
}

int64_t format_seconds(int64_t ms)
{
	return ms <= 0 ? 0 : (ms + 999) / 1000;
}

const char *format_k8s_cpu(struct arena *a, int64_t millicores)
{
	if (millicores % 1000 == 0)
		return arena_printf(a, "%" PRId64, millicores / 1000);
	return arena_printf(a, "%" PRId64 "m", millicores);
}

static const char *binary(struct arena *a, int64_t bytes, const char *const *units)
{
	static const int64_t factors[] = { 1LL << 40, 1LL << 30, 1LL << 20, 1LL << 10 };
	for (int i = 0; i < 4; i++)
		if (bytes >= factors[i] && bytes % factors[i] == 0)
			return arena_printf(a, "%" PRId64 "%s", bytes / factors[i], units[i]);
	return arena_printf(a, "%" PRId64 "%s", bytes, units[4]);
}

const char *format_k8s_memory(struct arena *a, int64_t bytes)
{
	static const char *const units[] = { "Ti", "Gi", "Mi", "Ki", "" };
	return binary(a, bytes, units);
}

const char *format_docker_memory(struct arena *a, int64_t bytes)
{
	static const char *const units[] = { "T", "G", "M", "K", "b" };
	return binary(a, bytes, units);
}

const char *format_docker_cpus(struct arena *a, int64_t millicores)
{
	if (millicores % 1000 == 0)
		return arena_printf(a, "%" PRId64, millicores / 1000);
	char buf[32];
	snprintf(buf, sizeof buf, "%.3f", (double)millicores / 1000.0);
	for (char *end = buf + strlen(buf) - 1; *end == '0'; end--)
		*end = '\0';
	return arena_strdup(a, buf);
}
