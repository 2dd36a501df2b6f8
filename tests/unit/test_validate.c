/* test_validate.c - unit tests for src/validate.c and src/suggest.c.
 *
 * The validators are pure functions from text to NULL (valid) or a
 * reason, so each test is a table of inputs; the reason is checked where
 * its wording matters to the user (the case slip in an image name, the
 * repaired CIDR block). */
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "suggest.h"
#include "validate.h"

#include "unit.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef const char *(*validator)(const char *);

/* Every entry of `ok` must pass and every entry of `bad` must fail. */
static void expect_all(validator fn, const char *const *ok, const char *const *bad)
{
	for (; *ok; ok++) {
		const char *why = fn(*ok);
		if (why)
			fprintf(stderr, "\nrejected '%s': %s\n", *ok, why);
		CU_ASSERT_PTR_NULL(why);
	}
	for (; *bad; bad++) {
		const char *why = fn(*bad);
		if (!why)
			fprintf(stderr, "\naccepted '%s'\n", *bad);
		CU_ASSERT_PTR_NOT_NULL(why);
	}
}

/* --- images ----------------------------------------------------------- */

static void test_image_valid(void)
{
	static const char *const ok[] = {
		"postgres",
		"postgres:15-alpine",
		"library/redis:7.2",
		"ghcr.io/org/app:1.0.2",
		"ghcr.io/org/team/app",
		"localhost/app:dev",
		"localhost:5000/app:dev",
		"registry.example.com:5000/team/app:v1",
		"Registry.Example.com/app:1", /* host names are not case-sensitive */
		"app@sha256:" HEX64,
		"ghcr.io/org/app:1.0@sha256:" HEX64,
		"my_app__x.y-z:TAG_1.0-rc",
		NULL,
	};
	static const char *const bad[] = { NULL };
	expect_all(validate_image, ok, bad);
}

static void test_image_invalid(void)
{
	static const char *const ok[] = { NULL };
	static const char *const bad[] = {
		"",
		"postgres :15",
		"app:",
		"app:-rc",
		"app:.rc",
		"app:a/b",
		"app@sha256:abc",
		"app@sha256:" HEX64 "0",
		"app@md5:" HEX64,
		"app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"ghcr.io/",
		"org//app",
		"-app",
		"app-",
		"ghcr.io/org/App:1",
		"app!:1",
		/* a '/' after '@': once read far past the end of the text */
		"ghcr.io/@fo/@x:1",
		"app@/a:b",
		"ghcr.io/acm@/ops",
		"ghcr.io/acm@/ops/app",
		"app@sha256:x/y:z",
		NULL,
	};
	expect_all(validate_image, ok, bad);
}

static void test_image_reasons(void)
{
	CU_ASSERT_STRING_EQUAL(validate_image("Postgres:15-alpine"), "image names are lowercase");
	CU_ASSERT_STRING_EQUAL(validate_image("ghcr.io/Org/app"), "image names are lowercase");
	CU_ASSERT_STRING_EQUAL(validate_image(""), "it is empty");
	CU_ASSERT_STRING_EQUAL(validate_image("app:"), "the tag after ':' is empty");
	char tag[200] = "app:";
	memset(tag + 4, 'x', 129);
	tag[133] = '\0';
	CU_ASSERT_STRING_EQUAL(validate_image(tag), "the tag is longer than 128 characters");
	tag[132] = '\0'; /* 128 characters: the limit itself */
	CU_ASSERT_PTR_NULL(validate_image(tag));
}

/* --- CIDR blocks ------------------------------------------------------------ */

static void test_cidr_valid(void)
{
	static const char *const ok[] = {
		"10.0.0.0/16", "0.0.0.0/0", "192.168.1.1/32", "172.16.0.0/12", "10.0.0.0/8",
		"255.255.255.255/32", NULL,
	};
	for (const char *const *s = ok; *s; s++) {
		char fixed[32] = "";
		CU_ASSERT_PTR_NULL(validate_cidr(*s, fixed, sizeof fixed));
		CU_ASSERT_STRING_EQUAL(fixed, "");
	}
}

static void test_cidr_host_bits(void)
{
	static const char *const cases[][2] = {
		{ "10.0.1.0/16", "10.0.0.0/16" },
		{ "172.16.5.4/12", "172.16.0.0/12" },
		{ "192.168.1.77/24", "192.168.1.0/24" },
		{ "10.0.0.1/0", "0.0.0.0/0" },
		{ "10.255.255.255/9", "10.128.0.0/9" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char fixed[32] = "";
		const char *why = validate_cidr(cases[i][0], fixed, sizeof fixed);
		CU_ASSERT_PTR_NOT_NULL(why);
		CU_ASSERT_STRING_EQUAL(fixed, cases[i][1]);
		/* The suggestion is itself valid. */
		char again[32] = "";
		CU_ASSERT_PTR_NULL(validate_cidr(fixed, again, sizeof again));
	}
}

/* Anything but host bits has no single obvious repair. */
static void test_cidr_malformed(void)
{
	static const char *const bad[] = {
		"", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8",
		"10.0.0.0.0/8", "010.0.0.0/8", "10.0.0.0/16x", "10.0.0.0/016", " 10.0.0.0/8",
		"a.b.c.d/8", "10.0.0.0/-1", NULL,
	};
	for (const char *const *s = bad; *s; s++) {
		char fixed[32] = "";
		const char *why = validate_cidr(*s, fixed, sizeof fixed);
		if (!why)
			fprintf(stderr, "\naccepted '%s'\n", *s);
		CU_ASSERT_PTR_NOT_NULL(why);
		CU_ASSERT_STRING_EQUAL(fixed, "");
	}
}

/* --- host names, DNS labels, variables ------------------------------------- */

static void test_host(void)
{
	static const char *const ok[] = {
		"app.example.com", "localhost", "*.example.com", "a-b.c", "xn--bcher-kva.example",
		"App.Example.COM", "1.example.com", NULL,
	};
	static const char *const bad[] = {
		"", "-a.com", "a-.com", "a..com", ".example.com", "example.com.", "a_b.com",
		"app.example.com/path", "https://app.example.com", "a b.com", "*.", "a.*.com",
		NULL,
	};
	expect_all(validate_host, ok, bad);
	char label[80], name[300];
	memset(label, 'a', 63);
	strcpy(label + 63, ".com");
	CU_ASSERT_PTR_NULL(validate_host(label));
	memset(label, 'a', 64);
	strcpy(label + 64, ".com");
	CU_ASSERT_PTR_NOT_NULL(validate_host(label));
	memset(name, 'a', sizeof name);
	for (size_t i = 10; i < 254; i += 10)
		name[i] = '.';
	name[254] = '\0'; /* 254 characters: one over */
	CU_ASSERT_PTR_NOT_NULL(validate_host(name));
	name[253] = '\0';
	CU_ASSERT_PTR_NULL(validate_host(name));
}

static void test_dns_label(void)
{
	static const char *const ok[] = { "web", "db-data", "a1", "1a", "a--b", "x", NULL };
	static const char *const bad[] = {
		"", "Web", "web_1", "-web", "web-", "web.api", "web api", "wéb", NULL,
	};
	expect_all(validate_name, ok, bad);
	char name[70];
	memset(name, 'a', 63);
	name[63] = '\0';
	CU_ASSERT_PTR_NULL(validate_name(name));
	name[63] = 'a';
	name[64] = '\0';
	CU_ASSERT_PTR_NOT_NULL(validate_name(name));
}

static void test_env_name(void)
{
	static const char *const ok[] = {
		"PATH", "_X", "a1", "DATABASE_URL", "node_env", "_", NULL,
	};
	static const char *const bad[] = {
		"", "1A", "LOG-LEVEL", "A B", "A.B", "$HOME", "A=B", NULL,
	};
	expect_all(validate_env_name, ok, bad);
}

/* --- suggestions -------------------------------------------------------- */

static void test_distance(void)
{
	CU_ASSERT_EQUAL(suggest_distance("", ""), 0);
	CU_ASSERT_EQUAL(suggest_distance("", "abc"), 3);
	CU_ASSERT_EQUAL(suggest_distance("abc", ""), 3);
	CU_ASSERT_EQUAL(suggest_distance("same", "same"), 0);
	CU_ASSERT_EQUAL(suggest_distance("kitten", "sitting"), 3);
	CU_ASSERT_EQUAL(suggest_distance("ab", "ba"), 1);        /* a transposition */
	CU_ASSERT_EQUAL(suggest_distance("replicsa", "replicas"), 1);
	CU_ASSERT_EQUAL(suggest_distance("mi", "Mi"), 1);        /* a case change */
	CU_ASSERT_EQUAL(suggest_distance("dbb", "db"), 1);
	CU_ASSERT_EQUAL(suggest_distance("web", "db"), 2);
	CU_ASSERT_EQUAL(suggest_distance("db", "web"), 2);
	char long_word[70];
	memset(long_word, 'x', 65);
	long_word[65] = '\0';
	CU_ASSERT_EQUAL(suggest_distance(long_word, "x"), 255);
}

static const char *best_of(const char *word, const char *const *candidates)
{
	struct suggest s;
	suggest_init(&s, word);
	for (; *candidates; candidates++)
		suggest_consider(&s, *candidates);
	return suggest_result(&s);
}

static void test_suggest_thresholds(void)
{
	static const char *const services[] = { "web", "db", "cache", NULL };
	CU_ASSERT_STRING_EQUAL(best_of("dbb", services), "db");
	CU_ASSERT_STRING_EQUAL(best_of("cahce", services), "cache");
	CU_ASSERT_PTR_NULL(best_of("api", services));   /* 2 edits from "db": a guess */
	CU_ASSERT_PTR_NULL(best_of("wbe", (const char *const[]){ "db", NULL }));
	/* Short words allow one edit; then one more per four characters. */
	CU_ASSERT_STRING_EQUAL(best_of("ab", (const char *const[]){ "abc", NULL }), "abc");
	CU_ASSERT_PTR_NULL(best_of("ab", (const char *const[]){ "abcd", NULL }));
	CU_ASSERT_STRING_EQUAL(best_of("servce", (const char *const[]){ "secret", "service", NULL }),
			       "service");
	CU_ASSERT_STRING_EQUAL(best_of("prodution", (const char *const[]){ "production", NULL }),
			       "production");
	CU_ASSERT_PTR_NULL(best_of("prdctn", (const char *const[]){ "production", NULL }));
	CU_ASSERT_STRING_EQUAL(best_of("intervl", (const char *const[]){ "interval", NULL }),
			       "interval");
	CU_ASSERT_PTR_NULL(best_of("x", (const char *const[]){ NULL }));
}

static void test_suggest_ties_and_case(void)
{
	/* Ties go to the first candidate considered. */
	CU_ASSERT_STRING_EQUAL(best_of("ab", (const char *const[]){ "abc", "abd", NULL }), "abc");
	CU_ASSERT_STRING_EQUAL(best_of("ab", (const char *const[]){ "abd", "abc", NULL }), "abd");
	/* A case-only difference beats any real edit. */
	CU_ASSERT_STRING_EQUAL(best_of("DB", (const char *const[]){ "dbx", "db", NULL }), "db");
	CU_ASSERT_STRING_EQUAL(best_of("Service", (const char *const[]){ "service", NULL }),
			       "service");
	/* The word itself is never suggested back. */
	CU_ASSERT_PTR_NULL(best_of("db", (const char *const[]){ "db", NULL }));
	CU_ASSERT_STRING_EQUAL(best_of("db", (const char *const[]){ "db", "dbs", NULL }), "dbs");
	/* NULL candidates are ignored. */
	struct suggest s;
	suggest_init(&s, "web");
	suggest_consider(&s, NULL);
	CU_ASSERT_PTR_NULL(suggest_result(&s));
}

struct test_entry {
	const char *name;
	CU_TestFunc fn;
};

static const struct test_entry tests[] = {
	{ "image: valid references", test_image_valid },
	{ "image: invalid references", test_image_invalid },
	{ "image: reasons", test_image_reasons },
	{ "cidr: valid", test_cidr_valid },
	{ "cidr: host bits set, with the repair", test_cidr_host_bits },
	{ "cidr: malformed", test_cidr_malformed },
	{ "host names", test_host },
	{ "DNS labels", test_dns_label },
	{ "environment variable names", test_env_name },
	{ "suggest: distance", test_distance },
	{ "suggest: thresholds", test_suggest_thresholds },
	{ "suggest: ties and case", test_suggest_ties_and_case },
};

int suite_validate(void)
{
	CU_pSuite suite = CU_add_suite("validate", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
