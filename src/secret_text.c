/* secret_text.c - what looks like a secret (see secret_text.h).
 *
 * Pure string functions over bytes: no model, no diagnostics, so the
 * renderer can use them as well as the policy. */
#include "secret_text.h"

#include <math.h>
#include <string.h>
#include <strings.h>

/* memmem is not C11; memchr finds each candidate for the first byte. */
static const char *find(const char *s, size_t n, const char *needle, size_t m)
{
	const char *end = s + n;
	for (const char *p = s; m && m <= (size_t)(end - p); p++) {
		if (!(p = memchr(p, needle[0], (size_t)(end - p) - m + 1)))
			return NULL;
		if (!memcmp(p, needle, m))
			return p;
	}
	return NULL;
}

static bool alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool upper_or_digit(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* --- known key formats ---------------------------------------------------- */

struct format {
	const char *prefix;
	size_t len;          /* of the prefix */
	size_t min;          /* characters of body after the prefix */
	bool upper;          /* body is upper case and digits only */
	const char *name;
};

/* Prefixes the issuers document for secret credentials.  Their public
 * counterparts (Stripe's pk_live_, an SSH public key) are not here. */
#define FORMAT(prefix, min, upper, name) { prefix, sizeof prefix - 1, min, upper, name }
static const struct format formats[] = {
	FORMAT("AKIA", 16, true, "an AWS access key ID"),
	FORMAT("ASIA", 16, true, "an AWS temporary access key ID"),
	FORMAT("ghp_", 36, false, "a GitHub personal access token"),
	FORMAT("gho_", 36, false, "a GitHub OAuth token"),
	FORMAT("ghs_", 36, false, "a GitHub app token"),
	FORMAT("ghu_", 36, false, "a GitHub user token"),
	FORMAT("ghr_", 36, false, "a GitHub refresh token"),
	FORMAT("github_pat_", 22, false, "a GitHub fine-grained token"),
	FORMAT("glpat-", 20, false, "a GitLab access token"),
	FORMAT("xoxb-", 10, false, "a Slack bot token"),
	FORMAT("xoxp-", 10, false, "a Slack user token"),
	FORMAT("sk_live_", 16, false, "a Stripe secret key"),
	FORMAT("sk_test_", 16, false, "a Stripe test secret key"),
	FORMAT("rk_live_", 16, false, "a Stripe restricted key"),
	FORMAT("AIza", 35, false, "a Google API key"),
	FORMAT("npm_", 36, false, "an npm access token"),
	FORMAT("SG.", 20, false, "a SendGrid API key"),
};

/* The first bytes of the prefixes above, and of "-----BEGIN": every
 * position of every text is asked, and most answer no here. */
static bool key_start(char c)
{
	switch (c) {
	case 'A': case 'g': case 'x': case 's': case 'r': case 'n': case 'S': case '-':
		return true;
	default:
		return false;
	}
}

static size_t body_length(const char *s, size_t n, bool upper)
{
	size_t i = 0;
	while (i < n && (upper ? upper_or_digit(s[i]) : alnum(s[i]) || s[i] == '_' ||
			 s[i] == '-' || s[i] == '.'))
		i++;
	return i;
}

/* The format of a key starting at s, with its length in *len, or NULL. */
static const char *key_at(const char *s, size_t n, size_t *len)
{
	if (n >= 10 && !strncmp(s, "-----BEGIN", 10)) {
		const char *e = find(s, n, "PRIVATE KEY-----", 16);
		*len = e ? (size_t)(e - s) + 16 : 0;
		return e ? "a private key" : NULL;
	}
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		size_t p = formats[f].len;
		if (s[0] != formats[f].prefix[0] || n < p || memcmp(s, formats[f].prefix, p))
			continue;
		size_t body = body_length(s + p, n - p, formats[f].upper);
		if (body >= formats[f].min) {
			*len = p + body;
			return formats[f].name;
		}
	}
	return NULL;
}

/* Keys start a word. */
static size_t next_key(const char *s, size_t n, size_t from, size_t *len, const char **what)
{
	for (size_t i = from; i < n; i++) {
		if (i && (alnum(s[i - 1]) || s[i - 1] == '_'))
			continue;
		if (key_start(s[i]) && (*what = key_at(s + i, n - i, len)))
			return i;
	}
	return n;
}

const char *secret_key_format(const char *s, size_t n)
{
	size_t len;
	const char *what = NULL;
	next_key(s, n, 0, &len, &what);
	return what;
}

/* --- random tokens ---------------------------------------------------------- */

static bool token_char(char c)
{
	return alnum(c) || c == '+' || c == '/' || c == '=';
}

static int char_class(char c)
{
	return c >= 'a' && c <= 'z' ? 0 : c >= 'A' && c <= 'Z' ? 1 : c >= '0' && c <= '9' ? 2 : 3;
}

static double entropy(const char *s, size_t n)
{
	size_t count[256] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (size_t i = 0; i < 256; i++)
		if (count[i])
			h -= (double)count[i] / (double)n * log2((double)count[i] / (double)n);
	return h;
}

/* A generated key is long, mixes cases and digits throughout, and is
 * close to uniformly random.  Identifiers (CamelCaseName2) have long
 * runs of one class; hex of one case is a digest or a commit. */
static bool random_token(const char *s, size_t n)
{
	if (n < SECRET_TOKEN_MIN)
		return false;
	int seen = 0;
	size_t switches = 0;
	bool hex = true;
	for (size_t i = 0; i < n; i++) {
		seen |= 1 << char_class(s[i]);
		switches += i && char_class(s[i]) != char_class(s[i - 1]);
		hex &= (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
	}
	if (hex || (seen & 7) == 1 || (seen & 7) == 2 || (seen & 7) == 4)
		return false;
	return entropy(s, n) >= SECRET_ENTROPY_MIN &&
	       (double)switches / (double)(n - 1) >= SECRET_SWITCH_MIN;
}

/* Values their owners publish: the bytes after these are skipped. */
static size_t public_prefix(const char *s, size_t n)
{
#define PREFIX(text) { text, sizeof text - 1 }
	static const struct {
		const char *text;
		size_t len;
	} prefixes[] = { PREFIX("pk_live_"), PREFIX("pk_test_"), PREFIX("SHA256:"), PREFIX("MD5:"),
			 PREFIX("ssh-ed25519 "), PREFIX("ssh-rsa "), PREFIX("ecdsa-sha2-nistp256 ") };
	if (!n || (s[0] != 'p' && s[0] != 'S' && s[0] != 'M' && s[0] != 's' && s[0] != 'e'))
		return 0;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t p = prefixes[i].len;
		if (n >= p && !memcmp(s, prefixes[i].text, p)) {
			size_t k = p;
			while (k < n && (token_char(s[k]) || s[k] == '_' || s[k] == ':'))
				k++;
			return k;
		}
	}
	return 0;
}

/* Where the next random token in s[0..n) starts, or n; its length in *len. */
static size_t next_random(const char *s, size_t n, size_t *len)
{
	for (size_t i = 0; i < n;) {
		size_t skip = (!i || !alnum(s[i - 1])) ? public_prefix(s + i, n - i) : 0;
		if (skip) {
			i += skip;
			continue;
		}
		size_t k = 0;
		while (i + k < n && token_char(s[i + k]))
			k++;
		if (random_token(s + i, k)) {
			*len = k;
			return i;
		}
		i += k ? k : 1;
	}
	return n;
}

bool secret_random(const char *s, size_t n)
{
	size_t len;
	return next_random(s, n, &len) < n;
}

/* --- passwords in URLs ------------------------------------------------------ */

bool secret_placeholder(const char *s, size_t n)
{
	while (n && (*s == '"' || *s == '\'' || *s == '\\')) {
		s++;
		n--;
	}
	if (!n || *s == '$' || *s == '<' || *s == '{' || *s == '%')
		return true;
	for (size_t i = 0; i < n; i++)
		if (!strchr(".*xX", s[i]))
			return false;
	return n >= 3; /* "...", "***", "xxxx"; a lone "x" is a value */
}

/* The password of the URL whose "://" is at p, or NULL; its length in *len. */
static const char *url_password_at(const char *p, const char *end, size_t *len)
{
	const char *auth = p + 3, *at = NULL;
	for (const char *c = auth; c < end && !strchr("/?# \t\n\"'", *c); c++)
		if (*c == '@')
			at = c;
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (!colon || secret_placeholder(colon + 1, (size_t)(at - colon - 1)))
		return NULL;
	*len = (size_t)(at - colon - 1);
	return colon + 1;
}

bool secret_url_password(const char *s, size_t n)
{
	size_t len;
	for (const char *p = find(s, n, "://", 3); p; ) {
		if (url_password_at(p, s + n, &len))
			return true;
		p = find(p + 3, (size_t)(s + n - p - 3), "://", 3);
	}
	return false;
}

bool secret_by_value(const char *s, size_t n)
{
	return secret_key_format(s, n) || secret_random(s, n) || secret_url_password(s, n);
}

/* --- credential names ---------------------------------------------------------- */

static bool sep(char c)
{
	return c == '_' || c == '-' || c == '.';
}

/* The words of a name, read once from its end: the last two lowercased
 * (each cut to 31 bytes), and whether any word is "public" or
 * "publishable". */
struct name_words {
	char last[32], before[32];
	size_t count;
	bool public;
};

static void lower_word(const char *w, size_t n, char *buf, size_t size)
{
	size_t len = n < size - 1 ? n : size - 1;
	for (size_t k = 0; k < len; k++)
		buf[k] = (char)(w[k] | (alnum(w[k]) ? 0x20 : 0));
	buf[len] = '\0';
}

static void name_words(const char *name, size_t n, struct name_words *w)
{
	char other[32];
	w->count = 0;
	w->public = false;
	for (size_t end = n;;) {
		while (end && sep(name[end - 1]))
			end--;
		size_t start = end;
		while (start && !sep(name[start - 1]))
			start--;
		if (start == end)
			return;
		char *buf = w->count == 0 ? w->last : w->count == 1 ? w->before : other;
		lower_word(name + start, end - start, buf, sizeof other);
		w->public |= buf[0] == 'p' && (!strcmp(buf, "public") || !strcmp(buf, "publishable"));
		w->count++;
		end = start;
	}
}

/* Word lists are asked of every variable and flag name: the first byte
 * is compared before strcmp. */
static bool listed(const char *w, const char *const *words, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (w[0] == words[i][0] && !strcmp(w, words[i]))
			return true;
	return false;
}

/* Does the word w, of length n, end with one of the tails? */
static bool ends_listed(const char *w, size_t n, const char *const *tails, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		size_t m = strlen(tails[i]);
		if (n >= m && w[n - 1] == tails[i][m - 1] && !strcmp(w + n - m, tails[i]))
			return true;
	}
	return false;
}

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

bool secret_credential_name(const char *name, size_t n)
{
	static const char *const whole[] = { "pass", "pwd", "pw", "requirepass", "masterauth",
					     "credential", "credentials", "auth" };
	static const char *const tails[] = { "password", "passwd", "secret", "token",
					     "apikey", "passphrase" };
	static const char *const keyed[] = { "api", "secret", "private", "signing", "access",
					     "encryption", "master", "session", "hmac", "jwt",
					     "client", "webhook", "license", "sign", "app" };
	struct name_words w;
	name_words(name, n, &w);
	const char *last = w.last, *before = w.before;
	if (!w.count || w.public)
		return false;
	if (listed(last, whole, COUNT(whole)))
		return strcmp(last, "auth") || n > 4; /* bare AUTH is often a mode */
	size_t len = strlen(last);
	if (len && ends_listed(last, len, tails, COUNT(tails)))
		return true;
	if (strcmp(last, "key") || w.count < 2)
		return false;
	return listed(before, keyed, COUNT(keyed));
}

/* --- credentials on a command line ------------------------------------------------ */

static bool name_char(char c)
{
	return alnum(c) || c == '_' || c == '-' || c == '.';
}

/* The value after a flag or assignment: up to a space, quotes dropped. */
static bool literal_value(const char *v)
{
	size_t n = 0;
	while (v[n] && v[n] != ' ' && v[n] != '\t' && v[n] != '\n' && v[n] != ';')
		n++;
	return n && !secret_placeholder(v, n) && !(v[0] == '-' && v[1] == '-');
}

/* Does the flag or assignment at s[i] pass a literal credential?  *end
 * is where its name ends. */
static bool credential_at(const char *s, size_t i, const char *next, size_t *end)
{
	size_t dashes = s[i] == '-' ? (s[i + 1] == '-' ? 2 : 1) : 0;
	size_t k = i + dashes;
	while (name_char(s[k]))
		k++;
	*end = k;
	/* only a name followed by a value can pass one: test that first */
	bool valued = s[k] == '=' || (dashes && (s[k] == ' ' || (!s[k] && next)));
	if (k == i + dashes || !valued || !secret_credential_name(s + i + dashes, k - i - dashes))
		return false;
	if (s[k] == '=' && literal_value(s + k + 1))
		return true;        /* --db-password=x, PGPASSWORD=x */
	if (!dashes)
		return false;
	if (s[k] == ' ' && literal_value(s + k + 1))
		return true;        /* --requirepass x, in one string */
	return !s[k] && next && literal_value(next); /* "--password", "x" */
}

bool secret_cli_flag(const char *s, const char *next)
{
	for (size_t i = 0; s[i]; i++) {
		size_t end;
		if (credential_at(s, i, next, &end))
			return true;
		/* a flag starts a word: none starts inside this name or at the
		 * byte that ends it */
		if (end > i && !s[end])
			break;
		if (end > i)
			i = end;
	}
	return false;
}

/* --- masking --------------------------------------------------------------------- */

static void stars(char *s, size_t n)
{
	memset(s, '*', n);
}

void secret_mask(char *s)
{
	size_t n = strlen(s), len;
	for (size_t at = next_random(s, n, &len); at < n;) {
		stars(s + at, len);
		size_t from = at + len;
		at = from + next_random(s + from, n - from, &len);
	}
	for (char *p = strstr(s, "://"); p; p = strstr(p + 3, "://")) {
		char *pw = (char *)url_password_at(p, s + n, &len);
		if (pw)
			stars(pw, len);
	}
	const char *what;
	for (size_t at = next_key(s, n, 0, &len, &what); at < n;
	     at = next_key(s, n, at + len, &len, &what))
		stars(s + at, len);
}
