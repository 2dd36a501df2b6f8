/* validate.c - shape checks (see validate.h). */
#include "validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component: lowercase alphanumerics joined by '.', '_', '__'
 * or runs of '-'. */
static const char *check_component(const char *s, size_t len)
{
	if (len == 0)
		return "it has an empty path component";
	/* Capitals first: "Postgres" is a case slip, not a bad first character. */
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return "image names are lowercase";
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!is_lower_alnum(c) && c != '.' && c != '_' && c != '-')
			return "image names use only lowercase letters, digits, '.', '_' and '-'";
	}
	if (!is_lower_alnum(s[0]) || !is_lower_alnum(s[len - 1]))
		return "path components start and end with a lowercase letter or digit";
	return NULL;
}

static int looks_like_registry(const char *s, size_t len)
{
	return memchr(s, '.', len) || memchr(s, ':', len) ||
	       (len == 9 && !strncmp(s, "localhost", 9));
}

static const char *check_tag(const char *t)
{
	size_t len = strlen(t);
	if (len == 0)
		return "the tag after ':' is empty";
	if (len > 128)
		return "the tag is longer than 128 characters";
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (!isalnum((unsigned char)c) && c != '_' && (i == 0 || (c != '.' && c != '-')))
			return "tags use letters, digits, '_', '.' and '-', not starting with '.' or '-'";
	}
	return NULL;
}

static const char *check_digest(const char *d)
{
	if (strncmp(d, "sha256:", 7) != 0)
		return "a digest is written sha256:<64 hex digits>";
	if (strlen(d + 7) != 64 || strspn(d + 7, "0123456789abcdef") != 64)
		return "a sha256 digest has exactly 64 lowercase hex digits";
	return NULL;
}

/* HOST[:PORT]: letters, digits, '.' and '-' (any case: host names are
 * not case-sensitive), then an optional numeric port. */
static const char *check_registry(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	size_t host = colon ? (size_t)(colon - s) : len;
	if (host == 0)
		return "the registry before '/' has no host name";
	for (size_t i = 0; i < host; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
			return "a registry host uses only letters, digits, '.' and '-'";
	if (colon && (len - host < 2 || strspn(colon + 1, "0123456789") < len - host - 1))
		return "the registry port after ':' must be a number";
	return NULL;
}

static const char *check_path(const char *s, size_t len)
{
	size_t start = 0;
	const char *slash = memchr(s, '/', len);
	if (slash && looks_like_registry(s, (size_t)(slash - s))) {
		const char *why = check_registry(s, (size_t)(slash - s));
		if (why)
			return why;
		start = (size_t)(slash - s) + 1;
	}
	if (start == len)
		return "the image name after the registry is empty";
	while (start <= len) {
		const char *next = memchr(s + start, '/', len - start);
		size_t end = next ? (size_t)(next - s) : len;
		const char *why = check_component(s + start, end - start);
		if (why)
			return why;
		start = end + 1;
	}
	return NULL;
}

const char *validate_image(const char *s)
{
	if (!*s)
		return "it is empty";
	if (strchr(s, ' ') || strchr(s, '\t'))
		return "it contains a space";
	const char *at = strchr(s, '@');
	size_t name_end = at ? (size_t)(at - s) : strlen(s);
	/* The last '/' of the name: a digest after '@' may hold '/' too, and
	 * the tag is looked for between the two. */
	const char *last_slash = NULL;
	for (const char *p = s; p < s + name_end; p++)
		if (*p == '/')
			last_slash = p;
	const char *colon = memchr(last_slash ? last_slash : s, ':',
				   name_end - (size_t)((last_slash ? last_slash : s) - s));
	size_t path_end = colon ? (size_t)(colon - s) : name_end;
	const char *why = check_path(s, path_end);
	if (!why && colon) {
		char tag[160];
		snprintf(tag, sizeof tag, "%.*s", (int)(name_end - path_end - 1), colon + 1);
		why = check_tag(tag);
	}
	if (!why && at)
		why = check_digest(at + 1);
	return why;
}

static int parse_octet(const char **p, unsigned *out)
{
	const char *s = *p;
	if (!isdigit((unsigned char)*s))
		return 0;
	unsigned v = 0;
	int n = 0;
	while (isdigit((unsigned char)*s) && n < 4)
		v = v * 10 + (unsigned)(*s++ - '0'), n++;
	if (n > 1 && **p == '0')
		return 0;
	*p = s;
	*out = v;
	return v <= 255;
}

const char *validate_cidr(const char *s, char *fixed, size_t size)
{
	unsigned o[4], bits;
	const char *p = s;
	for (int i = 0; i < 4; i++) {
		if (!parse_octet(&p, &o[i]))
			return "write four numbers from 0 to 255 separated by '.', then /BITS";
		if (i < 3 && *p++ != '.')
			return "write four numbers from 0 to 255 separated by '.', then /BITS";
	}
	if (*p++ != '/' || !parse_octet(&p, &bits) || *p || bits > 32)
		return "the prefix length after '/' must be a number from 0 to 32";
	unsigned long addr = ((unsigned long)o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3];
	unsigned long mask = bits ? (0xFFFFFFFFul << (32 - bits)) & 0xFFFFFFFFul : 0;
	if (addr & ~mask & 0xFFFFFFFFul) {
		unsigned long net = addr & mask;
		snprintf(fixed, size, "%lu.%lu.%lu.%lu/%u", net >> 24, (net >> 16) & 255,
			 (net >> 8) & 255, net & 255, bits);
		return "host bits are set after the prefix length";
	}
	return NULL;
}

const char *validate_host(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > 253)
		return "a host name has 1 to 253 characters";
	if (!strncmp(s, "*.", 2))
		s += 2;
	for (const char *label = s; label;) {
		const char *dot = strchr(label, '.');
		size_t n = dot ? (size_t)(dot - label) : strlen(label);
		if (n == 0 || n > 63)
			return "each part between dots has 1 to 63 characters";
		if (label[0] == '-' || label[n - 1] == '-')
			return "a part cannot start or end with '-'";
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)label[i]) && label[i] != '-')
				return "host names use only letters, digits, '-' and '.'";
		label = dot ? dot + 1 : NULL;
	}
	return NULL;
}

const char *validate_name(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > 63)
		return "names have 1 to 63 characters";
	for (size_t i = 0; i < len; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return "names use only lowercase letters, digits and '-'";
	if (s[0] == '-' || s[len - 1] == '-')
		return "names cannot start or end with '-'";
	return NULL;
}

const char *validate_setting_name(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return "it must start with a letter or '_'";
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return "it may contain only letters, digits, '_' and '.'";
	return NULL;
}

const char *validate_env_name(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return "it must start with a letter or '_'";
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return "it may contain only letters, digits and '_'";
	return NULL;
}
