/* policy_egress.c - least privilege on the way out (E0433), and plain
 * text to a declared external (E0405).
 *
 * Every target opens the internet to a service only toward the
 * externals in its `uses`, on their ports.  A host outside the
 * deployment that a service's environment or command names, with no
 * used external declaring it, is a connection the generated network
 * rules refuse, or (on Compose, which filters nothing outside) one that
 * escapes review: either way it must be declared.  Inside and outside
 * are decided as for E0405 and E0406 (policy_inside), with a declared
 * external always outside. */
#include "policy_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct egress {
	struct pol *pl;
	const struct strmap *ingress; /* every ingress host, in lower case */
	const struct model_decl *d;
	const struct model_service *s;
	const struct model_text *t;
	struct seen { const char *host; struct seen *next; } *seen;
};

static bool seen(struct egress *g, const char *host)
{
	for (const struct seen *x = g->seen; x; x = x->next)
		if (!strcmp(x->host, host))
			return true;
	struct seen *x = arena_alloc(g->pl->a, sizeof *x);
	x->host = host;
	x->next = g->seen;
	g->seen = x;
	return false;
}

/* "api.stripe.com" -> "stripe": the label before the top-level domain,
 * a name the `external` declaration can take. */
static const char *name_for(struct pol *pl, const char *host)
{
	const char *last = strrchr(host, '.');
	if (!last || model_ipv4(host))
		return "api";
	const char *start = last;
	while (start > host && start[-1] != '.')
		start--;
	if (start == last)
		return "api";
	char *n = arena_strndup(pl->a, start, (size_t)(last - start));
	return n[0] >= 'a' && n[0] <= 'z' ? n : "api";
}

/* The ingress hosts, gathered once: asking every service for each host
 * a text names made the pass services × hosts. */
static void gather_ingress(struct pol *pl, struct strmap *hosts)
{
	strmap_init(hosts, pl->a);
	for (size_t i = 0; i < pl->m->service_count; i++) {
		const struct model_service *s = pl->m->services[i];
		const char *h = s->ingress.set ? s->ingress.host : NULL;
		if (h)
			strmap_add(hosts, arena_strndup_lower(pl->a, h, strlen(h)), (void *)s);
	}
}

/* The deployment's own public names (app.domain, under it, and every
 * ingress host): links to itself, which the app builds from them, are
 * no connection to a third party. */
static bool served(struct egress *g, const char *host)
{
	const char *d = g->pl->m->app.domain;
	size_t n = strlen(host), k = d ? strlen(d) : 0;
	if (d && (!strcasecmp(host, d) || (n > k && host[n - k - 1] == '.' &&
					   !strcasecmp(host + n - k, d))))
		return true;
	return g->ingress->count &&
	       strmap_get(g->ingress, arena_strndup_lower(g->pl->a, host, strlen(host)));
}

static void undeclared(struct egress *g, const char *host, int port)
{
	const struct model *m = g->pl->m;
	if (policy_inside(m, host) || served(g, host))
		return;
	const struct model_external *e = model_find_external(m, host);
	if ((e && model_uses_external(g->s, e)) || seen(g, host))
		return;
	const char *what = !strcmp(g->t->path, "env")
		? arena_printf(g->pl->a, "environment variable '%s'", g->t->key) : "the command";
	struct diag *dg;
	if (e) {
		dg = policy_breach(g->pl, DIAG_E0433, g->d, &g->t->at, "%s of service '%s' connects "
				   "to '%s', declared by external '%s', which is not in its `uses`",
				   what, g->s->name, host, e->name);
		diag_add_help(g->pl->bag, dg, "add it: uses = [..., %s]; only what `uses` lists "
			      "is reachable", e->name);
		return;
	}
	dg = policy_breach(g->pl, DIAG_E0433, g->d, &g->t->at, "%s of service '%s' connects to "
			   "'%s', outside the deployment, and no external declares it", what,
			   g->s->name, host);
	const char *name = name_for(g->pl, host);
	diag_add_help(g->pl->bag, dg, "declare it and use it: external %s { host = \"%s\"%s } "
		      "and uses = [..., %s]", name, host,
		      port && port != 443 ? arena_printf(g->pl->a, "  port = %d", port) : "", name);
}

/* Where the (lower-case) host is in the text, in any case. */
static const char *find_host(const char *text, const char *host)
{
	size_t n = strlen(host);
	for (; *text; text++)
		if (!strncasecmp(text, host, n))
			return text;
	return NULL;
}

/* The port written after the host in the text, or the scheme's. */
static int port_after(const char *text, const char *host, const char *scheme)
{
	const char *p = find_host(text, host);
	if (p && p[strlen(host)] == ':')
		return atoi(p + strlen(host) + 1);
	return !strcmp(scheme, "http") ? 80 : 443;
}

/* A host in a URL, or before a port; not USER@HOST alone, which is
 * mostly a mail address, not a connection. */
static void see(void *ctx, struct policy_host h)
{
	struct egress *g = ctx;
	const char *p = find_host(g->t->value, h.name);
	bool port = p && p[strlen(h.name)] == ':';
	if (*h.scheme || port)
		undeclared(g, h.name, port_after(g->t->value, h.name, h.scheme));
}

/* API_HOST = "api.stripe.com": a bare host in a variable named for one. */
static void bare_host(struct egress *g, const struct model_text *t)
{
	const char *v = t->value;
	if (!t->key || !policy_address_name(t->key) || !*v || strpbrk(v, ":/@ \t"))
		return;
	undeclared(g, arena_strndup_lower(g->pl->a, v, strlen(v)), 0);
}

static void check_service(struct pol *pl, const struct strmap *ingress,
			  const struct model_decl *d)
{
	struct egress g = { pl, ingress, d, d->object, NULL, NULL };
	policy_applies(pl, DIAG_E0433);
	static const char *const fields[] = { "env", "command", NULL };
	for (const struct model_text *t = model_texts_in(d, fields, &pl->texts); t; t = t->next) {
		g.t = t;
		policy_each_host(pl->a, t->value, see, &g);
		bare_host(&g, t);
	}
}

static void check_external(struct pol *pl, const struct model_decl *d)
{
	const struct model_external *e = d->object;
	policy_applies(pl, DIAG_E0405);
	if (!e->plaintext)
		return;
	const struct model_origin *at = model_where(d, "protocol");
	struct diag *dg = policy_breach(pl, DIAG_E0405, d, at, "external '%s' is reached over "
					"plain %s, without TLS", e->name,
					!strcmp(e->protocol, "http") ? "HTTP" : "TCP");
	diag_add_help(pl->bag, dg, "use protocol = \"%s\" if %s offers it: traffic that leaves "
		      "the deployment is encrypted", !strcmp(e->protocol, "http") ? "https" : "tls",
		      e->host);
}

void policy_check_egress(struct pol *pl)
{
	struct strmap ingress;
	gather_ingress(pl, &ingress);
	for (const struct model_decl *d = pl->m->decls; d; d = d->next) {
		if (!strcmp(d->kind, "service"))
			check_service(pl, &ingress, d);
		else if (!strcmp(d->kind, "external"))
			check_external(pl, d);
	}
}
