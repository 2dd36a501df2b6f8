/* test_units.c - unit tests for src/format.c: each unit as each target
 * writes it, where a target's whole unit cannot say a value, and the
 * Fargate sizes.
 *
 * Durations: Go-style for Compose, Docker HEALTHCHECK and Prometheus,
 * whole seconds for Kubernetes and ECS.  Memory: Kubernetes quantities,
 * Docker/Compose sizes, ECS MiB.  Cpu: Kubernetes quantities, Compose
 * decimal cores, ECS units of 1/1024 core. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "arena.h"
#include "compile.h"
#include "format.h"

#include "unit.h"

#define MIB (1024LL * 1024)

typedef const char *(*renderer)(struct arena *, int64_t);

struct spelling {
	int64_t in;
	const char *out;
};

static void expect_spellings(renderer fn, const struct spelling *s, size_t n)
{
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		const char *got = fn(&a, s[i].in);
		if (strcmp(got, s[i].out))
			fprintf(stderr, "\n%" PRId64 ": '%s', not '%s'\n", s[i].in, got, s[i].out);
		CU_ASSERT_STRING_EQUAL(got, s[i].out);
	}
	arena_free(&a);
}

#define SPELLINGS(fn, ...) do { \
	static const struct spelling s_[] = { __VA_ARGS__ }; \
	expect_spellings(fn, s_, sizeof s_ / sizeof s_[0]); \
} while (0)

/* --- durations ----------------------------------------------------------- */

/* Compose, Docker and Prometheus all read Go-style durations. */
static void test_duration_go(void)
{
	SPELLINGS(format_duration,
		  { 90000, "1m30s" }, { 500, "500ms" }, { 1500, "1s500ms" }, { 1000, "1s" },
		  { 3600000, "1h" }, { 5400000, "1h30m" }, { 86400000, "24h" },
		  { 3723004, "1h2m3s4ms" }, { 1, "1ms" }, { 0, "0s" });
}

static void expect_whole(struct whole w, int64_t down, int64_t up)
{
	if (w.down != down || w.up != up)
		fprintf(stderr, "\n{%" PRId64 ", %" PRId64 "}, not {%" PRId64 ", %" PRId64 "}\n",
			w.down, w.up, down, up);
	CU_ASSERT_EQUAL(w.down, down);
	CU_ASSERT_EQUAL(w.up, up);
	CU_ASSERT_EQUAL(whole_exact(w), down == up);
}

/* Kubernetes probes and ECS health checks: whole seconds. */
static void test_duration_seconds(void)
{
	expect_whole(format_whole_seconds(0), 0, 0);
	expect_whole(format_whole_seconds(1000), 1, 1);
	expect_whole(format_whole_seconds(300000), 300, 300);
	expect_whole(format_whole_seconds(1500), 1, 2);
	expect_whole(format_whole_seconds(999), 0, 1);
	expect_whole(format_whole_seconds(1), 0, 1);
	expect_whole(format_whole_seconds(1001), 1, 2);
	/* The Kubernetes renderer is the rounded-up value. */
	CU_ASSERT_EQUAL(format_seconds(1500), 2);
	CU_ASSERT_EQUAL(format_seconds(30000), 30);
	CU_ASSERT_EQUAL(format_seconds(0), 0);
}

/* --- cpu ------------------------------------------------------------------- */

static void test_cpu_k8s(void)
{
	SPELLINGS(format_k8s_cpu,
		  { 250, "250m" }, { 2000, "2" }, { 1, "1m" }, { 1500, "1500m" }, { 1000, "1" });
}

static void test_cpu_compose(void)
{
	SPELLINGS(format_docker_cpus,
		  { 250, "0.25" }, { 2000, "2" }, { 1, "0.001" }, { 1500, "1.5" }, { 125, "0.125" },
		  { 100, "0.1" });
}

/* 1024 units to a core: exact only for multiples of 125m. */
static void test_cpu_ecs(void)
{
	expect_whole(format_ecs_cpu(1000), 1024, 1024);
	expect_whole(format_ecs_cpu(250), 256, 256);
	expect_whole(format_ecs_cpu(125), 128, 128);
	expect_whole(format_ecs_cpu(16000), 16384, 16384);
	expect_whole(format_ecs_cpu(100), 102, 103);
	expect_whole(format_ecs_cpu(1), 1, 2);
	expect_whole(format_ecs_cpu(124), 126, 127);
	expect_whole(format_ecs_cpu(0), 0, 0);
	for (int64_t m = 1; m <= 4000; m++)
		if (whole_exact(format_ecs_cpu(m)) != (m % 125 == 0)) {
			fprintf(stderr, "\n%" PRId64 "m: exactness wrong\n", m);
			CU_FAIL("ECS cpu exactness");
			break;
		}
}

/* --- memory ----------------------------------------------------------------- */

static void test_memory_k8s(void)
{
	SPELLINGS(format_k8s_memory,
		  { 512 * MIB, "512Mi" }, { 1024 * MIB, "1Gi" }, { 1536 * MIB, "1536Mi" },
		  { 500000000, "500000000" }, { 64 * 1024, "64Ki" }, { 1024 * 1024 * MIB, "1Ti" });
}

static void test_memory_compose(void)
{
	SPELLINGS(format_docker_memory,
		  { 512 * MIB, "512M" }, { 1024 * MIB, "1G" }, { 1000, "1000b" }, { 2048, "2K" });
}

static void test_memory_ecs(void)
{
	expect_whole(format_ecs_memory(512 * MIB), 512, 512);
	expect_whole(format_ecs_memory(122880 * MIB), 122880, 122880);
	expect_whole(format_ecs_memory(500000000), 476, 477);
	expect_whole(format_ecs_memory(MIB + 1), 1, 2);
	expect_whole(format_ecs_memory(1), 0, 1);
}

/* --- Fargate sizes ---------------------------------------------------------- */

/* The table as AWS documents it, written out pair by pair. */
static bool documented(int64_t cpu, int64_t mib)
{
	switch (cpu) {
	case 256: return mib == 512 || mib == 1024 || mib == 2048;
	case 512: return mib >= 1024 && mib <= 4096 && mib % 1024 == 0;
	case 1024: return mib >= 2048 && mib <= 8192 && mib % 1024 == 0;
	case 2048: return mib >= 4096 && mib <= 16384 && mib % 1024 == 0;
	case 4096: return mib >= 8192 && mib <= 30720 && mib % 1024 == 0;
	case 8192: return mib >= 16384 && mib <= 61440 && mib % 4096 == 0;
	case 16384: return mib >= 32768 && mib <= 122880 && mib % 8192 == 0;
	default: return false;
	}
}

static void test_fargate_valid(void)
{
	static const int64_t cpus[] = { 128, 256, 384, 512, 768, 1024, 2048, 4096, 8192, 16384, 32768 };
	int wrong = 0;
	for (size_t i = 0; i < sizeof cpus / sizeof cpus[0]; i++)
		for (int64_t mib = 0; mib <= 131072; mib += 256)
			if (fargate_valid(cpus[i], mib) != documented(cpus[i], mib) && wrong++ < 5)
				fprintf(stderr, "\n%" PRId64 "/%" PRId64 " judged wrongly\n", cpus[i], mib);
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_TRUE(fargate_valid(256, 512));
	CU_ASSERT_FALSE(fargate_valid(256, 1536));
	CU_ASSERT_FALSE(fargate_valid(1024, 1024));
	CU_ASSERT_FALSE(fargate_valid(512, 1500));
}

static void expect_nearest(int64_t cpu, int64_t mib, int64_t want_cpu, int64_t want_mib)
{
	int64_t c = 0, m = 0;
	CU_ASSERT_TRUE(fargate_nearest(cpu, mib, &c, &m));
	if (c != want_cpu || m != want_mib)
		fprintf(stderr, "\n%" PRId64 "/%" PRId64 " -> %" PRId64 "/%" PRId64 ", not %" PRId64
			"/%" PRId64 "\n", cpu, mib, c, m, want_cpu, want_mib);
	CU_ASSERT_EQUAL(c, want_cpu);
	CU_ASSERT_EQUAL(m, want_mib);
}

/* The smallest valid size with at least the cpu and at least the memory. */
static void test_fargate_nearest(void)
{
	expect_nearest(256, 512, 256, 512);
	expect_nearest(256, 600, 256, 1024);
	expect_nearest(256, 1536, 256, 2048);
	expect_nearest(256, 2049, 512, 3072);
	expect_nearest(300, 512, 512, 1024);
	expect_nearest(1024, 1024, 1024, 2048);
	expect_nearest(512, 5000, 1024, 5120);
	expect_nearest(4096, 31000, 8192, 32768);
	expect_nearest(8192, 61441, 16384, 65536);
	expect_nearest(16384, 122880, 16384, 122880);
	int64_t c, m;
	CU_ASSERT_FALSE(fargate_nearest(16385, 512, &c, &m));
	CU_ASSERT_FALSE(fargate_nearest(256, 122881, &c, &m));
	/* Every answer is itself valid. */
	for (int64_t cpu = 1; cpu <= 16384; cpu += 97)
		for (int64_t mib = 1; mib <= 122880; mib += 1531)
			if (fargate_nearest(cpu, mib, &c, &m))
				CU_ASSERT_TRUE(fargate_valid(c, m) && c >= cpu && m >= mib);
}

/* The ecs block's size, raised to the service's limits. */
static void test_fargate_task(void)
{
	int64_t c, m;
	fargate_task(256, 512, 0, 0, &c, &m);
	CU_ASSERT_TRUE(c == 256 && m == 512);
	fargate_task(256, 512, 500, 1024 * MIB, &c, &m);
	CU_ASSERT_TRUE(c == 512 && m == 1024);
	fargate_task(1024, 2048, 500, 256 * MIB, &c, &m);
	CU_ASSERT_TRUE(c == 1024 && m == 2048);
	/* No rounding to a Fargate size here: 750m stays 768 units. */
	fargate_task(256, 512, 750, 0, &c, &m);
	CU_ASSERT_TRUE(c == 768 && m == 512);
}

/* --- the checker: only generated targets, at the range ends ---------------- */

/* How often `code` is reported for a web service with HEALTH and
 * RESOURCES, plus CLOUD (empty for none). */
static size_t reports(enum diag_code code, const char *health, const char *resources,
		      const char *cloud)
{
	struct compilation c;
	compile_init(&c);
	const char *text = arena_printf(&c.arena,
		"service web {\n  image = \"ghcr.io/org/web:1.0\"\n  port = 3000\n"
		"  health { readiness = exec(\"/check\") %s }\n  resources { %s }\n}\n%s",
		health, resources, cloud);
	compile_load_memory(&c, "units.dep", text, strlen(text));
	struct compile_options opt = { 0 };
	compile_check(&c, &opt);
	size_t n = 0;
	for (const struct diag *d = c.diags.first; d; d = d->next)
		n += d->code == code;
	compile_free(&c);
	return n;
}

#define ECS "cloud aws {\n  region = \"us-east-1\"\n  ecs { cluster = \"c\" }\n}\n"
#define FITS "cpu = 250m  memory = 256Mi"
#define ECS_SIZED "cloud aws {\n  region = \"us-east-1\"\n  ecs { cluster = \"c\"  cpu = 1024  memory = 512 }\n}\n"

static void test_check_targets(void)
{
	/* 100m and 500M are exact for Kubernetes and Compose: only ECS rounds. */
	CU_ASSERT_EQUAL(reports(DIAG_W0001, "", "cpu = 100m  memory = 256Mi", ""), 0);
	CU_ASSERT_EQUAL(reports(DIAG_W0001, "", "cpu = 100m  memory = 256Mi", ECS), 1);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "", "cpu = 100m  memory = 256Mi", ECS), 0);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "", "cpu = 250m  memory = 500M", ""), 0);
	/* One value is both request and limit: reported once. */
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "", "cpu = 250m  memory = 500M", ECS), 1);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "", "cpu = 250m  memory = 300M..500M", ECS), 2);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "", "cpu = 250m  memory = 256Mi..500M", ECS), 1);
	/* Seconds: Kubernetes probes, with or without ECS, reported once. */
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "interval = 1500ms", FITS, ""), 1);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "interval = 1500ms", FITS, ECS), 1);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "interval = 2s", FITS, ECS), 0);
	CU_ASSERT_EQUAL(reports(DIAG_E0324, "", "cpu = 0.0005  memory = 256Mi", ""), 1);
	/* Fargate pairs only with ECS; a size raised by the limits is fitted
	 * to the smallest Fargate size, one written in the ecs block is not. */
	CU_ASSERT_EQUAL(reports(DIAG_E0326, "", "cpu = 1  memory = 512Mi", ""), 0);
	CU_ASSERT_EQUAL(reports(DIAG_E0326, "", "cpu = 1  memory = 512Mi", ECS), 0);
	CU_ASSERT_EQUAL(reports(DIAG_E0326, "", "cpu = 1  memory = 2Gi", ECS), 0);
	CU_ASSERT_EQUAL(reports(DIAG_E0326, "", FITS, ECS_SIZED), 1);
	CU_ASSERT_EQUAL(reports(DIAG_E0326, "", "cpu = 32  memory = 512Mi", ECS), 1);
}

static void test_check_ecs_ranges(void)
{
	static const struct { const char *health; size_t n; } cases[] = {
		{ "interval = 5s", 0 }, { "interval = 4s", 1 }, { "interval = 300s", 0 },
		{ "interval = 301s", 1 }, { "timeout = 2s", 0 }, { "timeout = 1s", 1 },
		{ "timeout = 120s", 0 }, { "timeout = 121s", 1 }, { "start = 0s", 0 },
		{ "start = 300s", 0 }, { "start = 301s", 1 }, { "retries = 1", 0 },
		{ "retries = 10", 0 }, { "retries = 11", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t got = reports(DIAG_E0325, cases[i].health, FITS, ECS);
		if (got != cases[i].n)
			fprintf(stderr, "\n%s: %zu reports\n", cases[i].health, got);
		CU_ASSERT_EQUAL(got, cases[i].n);
		/* Kubernetes has no such ranges. */
		CU_ASSERT_EQUAL(reports(DIAG_E0325, cases[i].health, FITS, ""), 0);
	}
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

static const struct test_entry tests[] = {
	{ "duration: Compose, Docker, Prometheus", test_duration_go },
	{ "duration: Kubernetes and ECS seconds", test_duration_seconds },
	{ "cpu: Kubernetes quantity", test_cpu_k8s },
	{ "cpu: Compose cores", test_cpu_compose },
	{ "cpu: ECS units", test_cpu_ecs },
	{ "memory: Kubernetes quantity", test_memory_k8s },
	{ "memory: Compose size", test_memory_compose },
	{ "memory: ECS MiB", test_memory_ecs },
	{ "fargate: valid pairs", test_fargate_valid },
	{ "fargate: nearest pair", test_fargate_nearest },
	{ "fargate: task size", test_fargate_task },
	{ "check: only generated targets", test_check_targets },
	{ "check: ECS health-check ranges", test_check_ecs_ranges },
};

int suite_units(void)
{
	CU_pSuite suite = CU_add_suite("units", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
