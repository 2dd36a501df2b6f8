/* test_output.c - the output writer's path rules, the YAML writer's
 * quoting, and unit spelling. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "format.h"
#include "output.h"
#include "strmap.h"
#include "unit.h"
#include "yaml_out.h"

static void test_unsafe_paths(void)
{
	static const char *const bad[] = {
		"", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", "a/.", "a\\b",
		"a\nb", "a\tb", ".depc-manifest",
	};
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct output o;
		output_init(&o, &a, "x.dep", "out");
		CU_ASSERT_PTR_NULL(output_add(&o, bad[i]));
		CU_ASSERT_PTR_NOT_NULL(o.error);
		output_free(&o);
	}
	arena_free(&a);
}

/* A streamed output writes each file when the next is added; a write to
 * a finished file fails the commit, and nothing is left on disk. */
static void test_stream_guard(void)
{
	struct arena a;
	arena_init(&a);
	char dir[] = "/tmp/depc-unit-stream-XXXXXX";
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	const char *out = arena_printf(&a, "%s/out", dir);
	struct output o;
	output_init(&o, &a, "x.dep", out);
	CU_ASSERT_TRUE_FATAL(output_stream(&o));
	struct strbuf *first = output_add(&o, "b.txt");
	strbuf_puts(first, "one\n");
	CU_ASSERT_PTR_NOT_NULL(output_add(&o, "a.txt"));
	CU_ASSERT_EQUAL(first->len, 0);  /* streamed out and freed */
	strbuf_puts(first, "late\n");
	CU_ASSERT_EQUAL(output_commit(&o, false, NULL), OUTPUT_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(o.error, "'b.txt' was written to after"));
	output_free(&o);
	CU_ASSERT_EQUAL(rmdir(dir), 0);  /* empty: no out, no temporary directory */
	arena_free(&a);
}

/* The map keeps the first value of a key, grows past its first table,
 * and tells present from absent keys. */
static void test_strmap(void)
{
	struct arena a;
	arena_init(&a);
	struct strmap m;
	strmap_init(&m, &a);
	CU_ASSERT_PTR_NULL(strmap_get(&m, "x"));
	static int values[500];
	for (int i = 0; i < 500; i++)
		CU_ASSERT_PTR_EQUAL(strmap_add(&m, arena_printf(&a, "svc-%d", i), &values[i]),
				    &values[i]);
	CU_ASSERT_EQUAL(m.count, 500);
	CU_ASSERT_PTR_EQUAL(strmap_add(&m, "svc-7", &values[8]), &values[7]);
	CU_ASSERT_EQUAL(m.count, 500);
	for (int i = 0; i < 500; i++)
		CU_ASSERT_PTR_EQUAL(strmap_get(&m, arena_printf(&a, "svc-%d", i)), &values[i]);
	CU_ASSERT_PTR_NULL(strmap_get(&m, "svc-500"));
	CU_ASSERT_PTR_NULL(strmap_get(&m, ""));
	arena_free(&a);
}

/* Files added in scrambled order, some after the list was first sorted,
 * come out sorted, each once, and each can be found by path. */
static void test_many_files_sorted(void)
{
	struct arena a;
	arena_init(&a);
	struct output o;
	output_init(&o, &a, "x.dep", "out");
	char path[32];
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(path, sizeof path, "d%u/f%u", (i * 7919u) % 1000u % 13u, (i * 7919u) % 1000u);
		CU_ASSERT_PTR_NOT_NULL(output_add(&o, path));
		if (i == 500)
			CU_ASSERT_PTR_NOT_NULL(output_files(&o));
	}
	size_t n = 0;
	for (const struct output_file *f = output_files(&o); f; f = f->next, n++)
		if (f->next)
			CU_ASSERT(strcmp(f->path, f->next->path) < 0);
	CU_ASSERT_EQUAL(n, 1000);
	CU_ASSERT_PTR_NOT_NULL(output_find(&o, "d0/f0"));
	CU_ASSERT_PTR_NOT_NULL(output_find(&o, "d11/f999"));
	CU_ASSERT_PTR_NULL(output_find(&o, "d0/f1"));
	CU_ASSERT_PTR_NULL(o.error);
	output_free(&o);
	arena_free(&a);
}

static void test_paths_sorted_and_unique(void)
{
	struct arena a;
	arena_init(&a);
	struct output o;
	output_init(&o, &a, "x.dep", "out");
	CU_ASSERT_PTR_NOT_NULL(output_add(&o, "k8s/b.yaml"));
	CU_ASSERT_PTR_NOT_NULL(output_add(&o, "compose.yaml"));
	CU_ASSERT_PTR_NOT_NULL(output_add(&o, "k8s/a.yaml"));
	CU_ASSERT_STRING_EQUAL(output_files(&o)->path, "compose.yaml");
	CU_ASSERT_STRING_EQUAL(output_files(&o)->next->path, "k8s/a.yaml");
	CU_ASSERT_PTR_NULL(o.error);
	CU_ASSERT_PTR_NULL(output_add(&o, "k8s/a.yaml"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o.error, "both write"));
	output_free(&o);
	arena_free(&a);
}

static void test_slug(void)
{
	struct arena a;
	arena_init(&a);
	CU_ASSERT_STRING_EQUAL(output_slug(&a, "Web Application Metrics"), "web-application-metrics");
	CU_ASSERT_STRING_EQUAL(output_slug(&a, "../../etc/passwd"), "etc-passwd");
	CU_ASSERT_STRING_EQUAL(output_slug(&a, "  p95 / p99 "), "p95-p99");
	CU_ASSERT_STRING_EQUAL(output_slug(&a, "日本"), "untitled");
	arena_free(&a);
}

static void test_relative_source(void)
{
	struct arena a;
	arena_init(&a);
	struct output o;
	output_init(&o, &a, "examples/webapp.dep", "out");
	CU_ASSERT_STRING_EQUAL(output_relative_source(&o, "."), "../examples");
	CU_ASSERT_STRING_EQUAL(output_relative_source(&o, "web"), "../examples/web");
	CU_ASSERT_STRING_EQUAL(output_from_source(&o, ".", "web/Dockerfile"), "../out/web/Dockerfile");
	output_init(&o, &a, "app.dep", "build/out");
	CU_ASSERT_STRING_EQUAL(output_relative_source(&o, "."), "../..");
	CU_ASSERT_STRING_EQUAL(output_relative_source(&o, "build/out/x"), "x");
	arena_free(&a);
}

static void test_yaml_quoting(void)
{
	static const char *const quoted[] = {
		"3000", "1.5", "-1", "0x1F", "1e3", "yes", "No", "on", "OFF", "true",
		"null", "~", "", " lead", "trail ", "a: b", "*star", "&anchor", "- item",
		"#x", "key:", "@at", "%p",
		"10001:10001", /* digits and ':' look sexagesimal to YAML 1.1: quoted */
		"190:20:30", "0777", "0o17", "0b1010", "1_000", ".5", "+.inf", "-.Inf",
		".NaN", "Null", "Y", "n", "<<", "=",
		/* YAML 1.1 timestamps */
		"2024-01-15", "2024-01-15 10:00:00", "2024-01-15T10:00:00Z",
		"2024-1-5 1:00:00", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
	};
	static const char *const plain[] = {
		"production", "node.role == worker", "/run/secrets/x", "ghcr.io/org/app:1.0",
		"no-new-privileges:true", "a#b", "1.0.0-rc1", "2024-release", "v2024-01-15",
	};
	for (size_t i = 0; i < sizeof quoted / sizeof quoted[0]; i++)
		CU_ASSERT_FALSE(yaml_plain_is_string(quoted[i]));
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		CU_ASSERT_TRUE(yaml_plain_is_string(plain[i]));
}

static void test_yaml_document(void)
{
	struct strbuf b;
	strbuf_init(&b);
	struct yaml_out y;
	yaml_begin(&y, &b);
	yaml_map(&y);
	yaml_kv_str(&y, "port", "3000");
	yaml_kv_int(&y, "replicas", 3);
	yaml_kv_bool(&y, "internal", true);
	yaml_key_seq(&y, "cmd");
	yaml_str(&y, "line one\nline two");
	yaml_close(&y);
	yaml_close(&y);
	CU_ASSERT_TRUE(yaml_end(&y));
	CU_ASSERT_STRING_EQUAL(b.data, "port: \"3000\"\nreplicas: 3\ninternal: true\n"
				       "cmd:\n- |-\n  line one\n  line two\n");
	strbuf_free(&b);
}

/* Line breaks YAML 1.2 does not honour and other controls are written as
 * escapes; the value filter applies to values, never to keys. */
static void test_yaml_escapes_and_filter(void)
{
	struct arena arena;
	arena_init(&arena);
	struct strbuf b;
	strbuf_init(&b);
	struct yaml_out y;
	yaml_begin(&y, &b);
	yaml_set_value_filter(&y, escape_compose, &arena);
	yaml_map(&y);
	yaml_kv_str(&y, "ls", "a\xe2\x80\xa8" "b");
	yaml_kv_str(&y, "nel", "a\xc2\x85\nb");
	yaml_kv_str(&y, "esc", "\x1b" "[1m");
	yaml_kv_str(&y, "$KEY", "$V");
	yaml_key_seq(&y, "list");
	yaml_str(&y, "${X}");
	yaml_close(&y);
	yaml_str(&y, "tag");
	yaml_str_quoted(&y, "abc");
	yaml_close(&y);
	CU_ASSERT_TRUE(yaml_end(&y));
	CU_ASSERT_STRING_EQUAL(b.data, "ls: \"a\\Lb\"\nnel: \"a\\N\\nb\"\nesc: \"\\e[1m\"\n"
				       "$KEY: $$V\nlist:\n- $${X}\ntag: \"abc\"\n");
	strbuf_free(&b);
	arena_free(&arena);
}

static void test_yaml_unbalanced_fails(void)
{
	struct strbuf b;
	strbuf_init(&b);
	struct yaml_out y;
	yaml_begin(&y, &b);
	yaml_map(&y);
	yaml_str(&y, "key");
	CU_ASSERT_FALSE(yaml_end(&y));
	strbuf_free(&b);
}

static void test_formats(void)
{
	struct arena a;
	arena_init(&a);
	CU_ASSERT_STRING_EQUAL(format_duration(&a, 30000), "30s");
	CU_ASSERT_STRING_EQUAL(format_duration(&a, 90000), "1m30s");
	CU_ASSERT_STRING_EQUAL(format_duration(&a, 500), "500ms");
	CU_ASSERT_STRING_EQUAL(format_duration(&a, 3600000), "1h");
	CU_ASSERT_STRING_EQUAL(format_duration(&a, 0), "0s");
	CU_ASSERT_EQUAL(format_seconds(1500), 2);
	CU_ASSERT_EQUAL(format_seconds(1), 1);
	CU_ASSERT_STRING_EQUAL(format_k8s_cpu(&a, 500), "500m");
	CU_ASSERT_STRING_EQUAL(format_k8s_cpu(&a, 2000), "2");
	CU_ASSERT_STRING_EQUAL(format_k8s_memory(&a, 256LL << 20), "256Mi");
	CU_ASSERT_STRING_EQUAL(format_k8s_memory(&a, 1LL << 30), "1Gi");
	CU_ASSERT_STRING_EQUAL(format_k8s_memory(&a, 1000), "1000");
	CU_ASSERT_STRING_EQUAL(format_docker_cpus(&a, 500), "0.5");
	CU_ASSERT_STRING_EQUAL(format_docker_cpus(&a, 250), "0.25");
	CU_ASSERT_STRING_EQUAL(format_docker_cpus(&a, 1000), "1");
	CU_ASSERT_STRING_EQUAL(format_docker_memory(&a, 512LL << 20), "512M");
	arena_free(&a);
}

int suite_output(void)
{
	CU_pSuite s = CU_add_suite("output", NULL, NULL);
	if (!s)
		return -1;
	bool ok = CU_add_test(s, "unsafe paths are refused", test_unsafe_paths) &&
		  CU_add_test(s, "files are sorted and unique", test_paths_sorted_and_unique) &&
		  CU_add_test(s, "many files in any order come out sorted", test_many_files_sorted) &&
		  CU_add_test(s, "string map", test_strmap) &&
		  CU_add_test(s, "streamed files are finished in order", test_stream_guard) &&
		  CU_add_test(s, "slugs", test_slug) &&
		  CU_add_test(s, "paths back to the sources", test_relative_source) &&
		  CU_add_test(s, "YAML quoting decisions", test_yaml_quoting) &&
		  CU_add_test(s, "a YAML document", test_yaml_document) &&
		  CU_add_test(s, "YAML escapes and the value filter", test_yaml_escapes_and_filter) &&
		  CU_add_test(s, "unbalanced YAML fails", test_yaml_unbalanced_fails) &&
		  CU_add_test(s, "unit spelling", test_formats);
	return ok ? 0 : -1;
}
