/* import_external.c - the `external` declarations a Compose file implies.
 *
 * Compose lets a container reach the whole internet; depc's targets let
 * a service out only toward the externals in its `uses` (E0433).  A
 * host outside the deployment named in a service's environment (in a
 * URL, as HOST:PORT, or as the whole value of a variable named for an
 * address) becomes an external used by that service, found the way the
 * policy finds it, so the imported program does not break the rule over
 * a connection its Compose file shows.  One host on one port is one
 * external, shared by the services that name it; its name comes from
 * the host (api.stripe.com: stripe).  Its addresses are unknown, so it
 * has no `cidr`: every public address, on that port. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_impl.h"
#include "policy.h"

static bool is_service(struct imp *im, const char *host)
{
	return imp_find_host(im, host, strlen(host)) != NULL;
}

/* "api.stripe.com" -> "stripe"; an address -> "external". */
static const char *name_for(struct imp *im, const char *host)
{
	const char *last = strrchr(host, '.');
	const char *start = last;
	while (start && start > host && start[-1] != '.')
		start--;
	if (!last || start == last || (*host >= '0' && *host <= '9'))
		return imp_claim(im, "external");
	return imp_claim(im, imp_dns_name(im->a, arena_strndup(im->a, start, (size_t)(last - start))));
}

/* Keyed by "PORT HOST": the port's digits end at the space, so two
 * pairs never make one key. */
static struct imp_external *external_for(struct imp *im, const char *host, int port)
{
	const char *key = arena_printf(im->a, "%d %s", port, host);
	struct imp_external *e = strmap_get(&im->external_of, key);
	if (e)
		return e;
	e = arena_calloc(im->a, 1, sizeof *e);
	e->host = host;
	e->port = port;
	e->name = name_for(im, host);
	*im->externals_tail = e;
	im->externals_tail = &e->next;
	strmap_add(&im->external_of, key, e);
	return e;
}

static void use(struct imp *im, struct imp_service *s, const char *host, int port)
{
	if (!policy_public_host(host) || is_service(im, host))
		return;
	struct imp_external *e = external_for(im, host, port);
	for (size_t i = 0; i < s->nexternals; i++)
		if (s->externals[i] == e)
			return;
	if (s->nexternals == sizeof s->externals / sizeof s->externals[0]) {
		imp_warn(im, s->key, "'%s' names more hosts outside than are imported: declare "
			 "the external for %s by hand", s->compose, host);
		return;
	}
	s->externals[s->nexternals++] = e;
	e->users++;
}

struct walk {
	struct imp *im;
	struct imp_service *s;
	const char *value;
};

/* A URL's host, or a HOST:PORT; a USER@HOST alone is a mail address. */
static void see_host(void *ctx, struct policy_host h)
{
	struct walk *w = ctx;
	const char *at = w->value;
	size_t n = strlen(h.name);
	while (*at && strncasecmp(at, h.name, n))
		at++;
	int port = *at && at[n] == ':' ? atoi(at + n + 1) : 0;
	if (!port && !*h.scheme)
		return;
	if (!port)
		port = !strcmp(h.scheme, "http") || !strcmp(h.scheme, "ws") ? 80 : 443;
	use(w->im, w->s, h.name, port > 0 && port < 65536 ? port : 443);
}

static void env_value(struct imp *im, struct imp_service *s, yaml_node_t *at,
		      const char *key, const char *value)
{
	(void)at;
	if (!value)
		return;
	if (policy_address_name(key) && !strpbrk(value, ":/@ \t") && *value) {
		use(im, s, arena_strndup_lower(im->a, value, strlen(value)), 443);
		return;
	}
	struct walk w = { im, s, value };
	policy_each_host(im->a, value, see_host, &w);
}

void imp_infer_externals(struct imp *im, struct imp_service *s)
{
	imp_each_env(im, s, env_value);
}

void imp_put_externals(struct imp *im, struct strbuf *b)
{
	for (const struct imp_external *e = im->externals; e; e = e->next) {
		strbuf_printf(b, "\n# Named in the environment of %zu service%s: its addresses are\n"
			      "# unknown, so every public one is open on port %d.\n", e->users,
			      e->users == 1 ? "" : "s", e->port);
		strbuf_printf(b, "external %s {\n  host = %s\n", e->name, imp_quote(im->a, e->host));
		if (e->port != 443)
			strbuf_printf(b, "  port = %d\n", e->port);
		strbuf_puts(b, "}\n");
	}
}
