/* model_external.c - queries over the declared externals. */
#include "model.h"

#include <string.h>
#include <strings.h>

/* "*.s3.amazonaws.com" declares every name under it, as in a
 * certificate: one label or more in front of the rest. */
static bool host_matches(const char *declared, const char *host)
{
	if (strncmp(declared, "*.", 2))
		return !strcasecmp(declared, host);
	size_t n = strlen(host), m = strlen(declared + 1);
	return n > m && !strcasecmp(host + n - m, declared + 1);
}

const struct model_external *model_find_external(const struct model *m, const char *host)
{
	for (size_t i = 0; i < m->external_count; i++)
		if (host_matches(m->externals[i]->host, host))
			return m->externals[i];
	return NULL;
}

bool model_uses_external(const struct model_service *s, const struct model_external *e)
{
	for (size_t i = 0; i < s->external_count; i++)
		if (s->externals[i] == e)
			return true;
	return false;
}

/* RFC 1918 private ranges, shared address space (RFC 6598, carrier NAT
 * and some clusters' pod ranges), loopback, and link-local, which holds
 * the instance metadata service (169.254.169.254) of every cloud. */
static const char *const nonpublic[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16",
};

size_t model_nonpublic_count(void)
{
	return sizeof nonpublic / sizeof nonpublic[0];
}

const char *model_nonpublic_at(size_t i)
{
	return i < model_nonpublic_count() ? nonpublic[i] : NULL;
}
