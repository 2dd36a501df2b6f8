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
	return format_whole_seconds(ms).up;
}

/* n * num / den in whole numbers, without overflowing on the way for
 * any value a checked program can hold. */
static struct whole scaled(int64_t n, int64_t num, int64_t den)
{
	struct whole w = { 0, 0 };
	if (n <= 0)
		return w;
	int64_t q = n / den, r = n % den;
	if (q > INT64_MAX / num - 1)
		q = INT64_MAX / num - 1;
	w.down = q * num + r * num / den;
	w.up = w.down + ((r * num) % den != 0);
	return w;
}

struct whole format_whole_seconds(int64_t ms)
{
	return scaled(ms, 1, 1000);
}

struct whole format_ecs_cpu(int64_t millicores)
{
	return scaled(millicores, 1024, 1000);
}

struct whole format_ecs_memory(int64_t bytes)
{
	return scaled(bytes, 1, 1024 * 1024);
}

/* --- Fargate sizes ------------------------------------------------------- */

/* Memory for a cpu size: `first`, then min..max in steps (MiB).  Only
 * 256 units has a first size below the run: 512, then 1024 and 2048. */
struct fargate_tier {
	int64_t cpu, first, min, max, step;
};

static const struct fargate_tier tiers[] = {
	{ 256, 512, 1024, 2048, 1024 },
	{ 512, 1024, 1024, 4096, 1024 },
	{ 1024, 2048, 2048, 8192, 1024 },
	{ 2048, 4096, 4096, 16384, 1024 },
	{ 4096, 8192, 8192, 30720, 1024 },
	{ 8192, 16384, 16384, 61440, 4096 },
	{ 16384, 32768, 32768, 122880, 8192 },
};

#define TIER_COUNT (sizeof tiers / sizeof tiers[0])

/* The smallest memory of tier t that is at least mib, or -1. */
static int64_t tier_memory(const struct fargate_tier *t, int64_t mib)
{
	if (mib <= t->first)
		return t->first;
	if (mib > t->max)
		return -1;
	if (mib <= t->min)
		return t->min;
	return t->min + (mib - t->min + t->step - 1) / t->step * t->step;
}

bool fargate_valid(int64_t cpu, int64_t mib)
{
	for (size_t i = 0; i < TIER_COUNT; i++)
		if (tiers[i].cpu == cpu)
			return tier_memory(&tiers[i], mib) == mib;
	return false;
}

bool fargate_nearest(int64_t cpu, int64_t mib, int64_t *out_cpu, int64_t *out_mib)
{
	for (size_t i = 0; i < TIER_COUNT; i++) {
		int64_t m = tiers[i].cpu >= cpu ? tier_memory(&tiers[i], mib) : -1;
		if (m > 0) {
			*out_cpu = tiers[i].cpu;
			*out_mib = m;
			return true;
		}
	}
	return false;
}

void fargate_task(int64_t ecs_cpu, int64_t ecs_mib, int64_t cpu_limit_millicores,
		  int64_t memory_limit_bytes, int64_t *cpu, int64_t *mib)
{
	int64_t c = format_ecs_cpu(cpu_limit_millicores).up;
	int64_t m = format_ecs_memory(memory_limit_bytes).up;
	*cpu = c > ecs_cpu ? c : ecs_cpu;
	*mib = m > ecs_mib ? m : ecs_mib;
}

bool fargate_task_fitted(int64_t ecs_cpu, int64_t ecs_mib, int64_t cpu_limit_millicores,
			 int64_t memory_limit_bytes, int64_t *cpu, int64_t *mib)
{
	fargate_task(ecs_cpu, ecs_mib, cpu_limit_millicores, memory_limit_bytes, cpu, mib);
	return !fargate_valid(*cpu, *mib) && fargate_nearest(*cpu, *mib, cpu, mib);
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
