/* test_secret.c - unit tests for src/secret_text.c: what is secret by its
 * form, by its place, and what is masked.  Each false alarm the policy
 * once raised is here as a value that must not count. */
#include <string.h>

#include <CUnit/CUnit.h>

#include "secret_text.h"

#include "unit.h"

static bool name_is(const char *name)
{
	return secret_credential_name(name, strlen(name));
}

static void test_credential_names(void)
{
	static const char *const yes[] = { "DB_PASSWORD", "DB_PASS", "DB_PWD", "JWT_SIGNING_KEY",
					   "AWS_SECRET_ACCESS_KEY", "api_key", "STRIPE_SECRET",
					   "GITHUB_TOKEN", "db-password", "requirepass", "DBPASSWORD",
					   "SMTP_CREDENTIALS", "BASIC_AUTH" };
	static const char *const no[] = { "PASSWORD_HASH_ALGORITHM", "AUTH_TOKEN_HEADER",
					  "PASSWORD_RESET_URL", "SECRET_MANAGER_REGION", "TOKEN_TTL",
					  "MAX_PASSWORD_LENGTH", "STRIPE_PUBLISHABLE_KEY",
					  "SIGNING_PUBLIC_KEY", "DB_PASSWORD_FILE", "CACHE_KEY_PREFIX",
					  "SORT_KEY", "AUTH", "bypass", "password-file", "DB_USER" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!name_is(yes[i]))
			CU_FAIL(yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (name_is(no[i]))
			CU_FAIL(no[i]);
}

static void test_key_formats(void)
{
	const char *aws = "id AKIAIOSFODNN7EXAMPLE";
	CU_ASSERT_STRING_EQUAL(secret_key_format(aws, strlen(aws)), "an AWS access key ID");
	const char *gh = "ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5";
	CU_ASSERT_PTR_NOT_NULL(secret_key_format(gh, strlen(gh)));
	const char *short_gh = "ghp_short";
	CU_ASSERT_PTR_NULL(secret_key_format(short_gh, strlen(short_gh)));
	const char *inside = "XAKIAIOSFODNN7EXAMPLE"; /* not at a word's start */
	CU_ASSERT_PTR_NULL(secret_key_format(inside, strlen(inside)));
	const char *pem = "-----BEGIN RSA PRIVATE KEY-----abc-----END RSA PRIVATE KEY-----";
	CU_ASSERT_STRING_EQUAL(secret_key_format(pem, strlen(pem)), "a private key");
}

static void test_random_and_public(void)
{
	const char *seed = "q8Zr4VfLx2Wm9TbKs7NjYp3HdQ";
	CU_ASSERT_TRUE(secret_random(seed, strlen(seed)));
	static const char *const public_values[] = {
		"pk_live_51H8xYzAbCdEfGhIjKlMnOpQrStUvWx",
		"SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
		"9fceb02d0ae598e95dc970b74767f19372d61af8",
		"sha256:6b6e1f5e8c1a2ad4b93e0a0d4f7c5b8e3a2f1d0c9b8a7f6e5d4c3b2a1f0e9d8c",
		"HttpRequestDurationSecondsBucket",
	};
	for (size_t i = 0; i < sizeof public_values / sizeof public_values[0]; i++)
		if (secret_by_value(public_values[i], strlen(public_values[i])))
			CU_FAIL(public_values[i]);
}

static void test_url_passwords(void)
{
	static const char *const yes[] = { "postgres://app:hunter2@db:5432/x", "redis://:pw@cache:6379" };
	static const char *const no[] = { "postgres://app@db/x", "postgres://app:${}@db/x",
					  "redis://:***@cache", "https://example.com/a:b@c" };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		CU_ASSERT_TRUE(secret_url_password(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		CU_ASSERT_FALSE(secret_url_password(no[i], strlen(no[i])));
}

static void test_cli_flags(void)
{
	CU_ASSERT_TRUE(secret_cli_flag("--db-password=hunter2", NULL));
	CU_ASSERT_TRUE(secret_cli_flag("exec redis-server --requirepass hunter2", NULL));
	CU_ASSERT_TRUE(secret_cli_flag("--password", "hunter2"));
	CU_ASSERT_TRUE(secret_cli_flag("PGPASSWORD=hunter2 psql", NULL));
	CU_ASSERT_FALSE(secret_cli_flag("--password-file=/run/secrets/db", NULL));
	CU_ASSERT_FALSE(secret_cli_flag("--max-password-length=128", NULL));
	CU_ASSERT_FALSE(secret_cli_flag("--db-password=\"$DB_PASSWORD\"", NULL));
	CU_ASSERT_FALSE(secret_cli_flag("--password", "$PASSWORD"));
	CU_ASSERT_FALSE(secret_cli_flag("--password", "--verbose"));
}

static void test_mask(void)
{
	char text[] = "key AKIAIOSFODNN7EXAMPLE and redis://:hunter2@cache and q8Zr4VfLx2Wm9TbKs7NjYp3HdQ";
	secret_mask(text);
	CU_ASSERT_PTR_NULL(strstr(text, "AKIA"));
	CU_ASSERT_PTR_NULL(strstr(text, "hunter2"));
	CU_ASSERT_PTR_NULL(strstr(text, "q8Zr"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "redis://:*******@cache"));
	char plain[] = "unknown service 'dbb'";
	secret_mask(plain);
	CU_ASSERT_STRING_EQUAL(plain, "unknown service 'dbb'");
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "credential names: the last word decides", test_credential_names },
	{ "key formats", test_key_formats },
	{ "random tokens, and public values that are not", test_random_and_public },
	{ "passwords in URLs", test_url_passwords },
	{ "credentials on a command line", test_cli_flags },
	{ "masking", test_mask },
};

int suite_secret(void)
{
	CU_pSuite suite = CU_add_suite("secret", NULL, NULL);
	if (!suite)
		return -1;
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}
