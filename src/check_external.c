/* check_external.c - `external` declarations, on the model.
 *
 * An external names one endpoint outside the deployment: a host alone
 * (a URL, a port or a path in it is a slip: E0245, with the fields to
 * write instead), never a service of the deployment (E0246: `uses` the
 * service), and addresses narrower than all of them (E0247: leaving
 * `cidr` out already means every public address, and keeps private
 * ranges and the metadata address closed).  One that no service uses
 * opens nothing and is probably left over (W0063). */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "typed.h"
#include "validate.h"

static const struct ast_node *node_of(struct program *p, const char *name, const char *field)
{
	struct decl *d = program_find(p, name);
	struct tval *v = d && d->typed ? tblock_get(d->typed, field) : NULL;
	return v && v->node ? v->node : d->block;
}

/* "https://api.stripe.com:8443/v1" -> scheme, host and port. */
static void split_url(struct program *p, const char *s, const char **scheme, const char **host,
		      int *port)
{
	const char *sep = strstr(s, "://");
	*scheme = sep ? arena_strndup(p->arena, s, (size_t)(sep - s)) : NULL;
	const char *h = sep ? sep + 3 : s;
	const char *at = strchr(h, '@');
	if (at && at < h + strcspn(h, "/?#"))
		h = at + 1;
	size_t n = strcspn(h, ":/?#");
	*host = arena_strndup(p->arena, h, n);
	*port = h[n] == ':' ? atoi(h + n + 1) : 0;
}

static int scheme_port(const char *scheme)
{
	return !scheme ? 0 : !strcmp(scheme, "https") || !strcmp(scheme, "wss") ? 443
		: !strcmp(scheme, "http") || !strcmp(scheme, "ws") ? 80 : 0;
}

/* False when the host is malformed (and reported). */
static bool check_host_form(struct program *p, const struct model_external *e)
{
	const struct ast_node *at = node_of(p, e->name, "host");
	const char *h = e->host;
	if (!strpbrk(h, ":/@?#")) {
		const char *why = validate_host(h);
		if (why) {
			struct diag *d = diag_emit(p->diags, DIAG_E0314, at->src, at->span,
						   "'%s' is not a valid host name: %s", h, why);
			diag_add_help(p->diags, d, "write the endpoint's DNS name or IPv4 address, "
				      "e.g. host = \"api.stripe.com\"");
		}
		return !why;
	}
	const char *scheme, *host;
	int port;
	split_url(p, h, &scheme, &host, &port);
	if (!port)
		port = scheme_port(scheme);
	struct diag *d = diag_emit(p->diags, DIAG_E0245, at->src, at->span,
				   "the host of external '%s' is written as a URL or with a port: '%s'",
				   e->name, h);
	diag_add_note(p->diags, d, "the host is only the name the service connects to; the port "
		      "and the protocol have fields of their own");
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "host = \"%s\"", *host ? host : "api.example.com");
	if (port && port != 443)
		strbuf_printf(&b, "  port = %d", port);
	if (scheme && (!strcmp(scheme, "http") || !strcmp(scheme, "https")))
		strbuf_printf(&b, "  protocol = \"%s\"", scheme);
	diag_add_help(p->diags, d, "write %s", b.data);
	strbuf_free(&b);
	if (*host && at->kind == AST_STRING && ast_string_plain(at))
		diag_set_fix(p->diags, d, at->span, arena_printf(p->arena, "\"%s\"", host),
			     arena_printf(p->arena, "keep the host \"%s\"", host));
	return false;
}

/* A service of the deployment by name, or by its cluster DNS name. */
static const struct model_service *names_service(const struct model *m, const char *h)
{
	const struct model_service *s = model_find_service(m, h);
	if (s)
		return s;
	size_t n = strcspn(h, ".");
	const char *rest = h + n;
	if (!*rest || !(strstr(rest, ".svc") || !strcmp(rest + 1, m->app.namespace)))
		return NULL;
	char first[64];
	if (n >= sizeof first)
		return NULL;
	memcpy(first, h, n);
	first[n] = '\0';
	return model_find_service(m, first);
}

static void check_inside(struct program *p, const struct model *m, const struct model_external *e)
{
	const struct model_service *s = names_service(m, e->host);
	bool loopback = !strcmp(e->host, "localhost") || !strncmp(e->host, "127.", 4);
	if (!s && !loopback)
		return;
	const struct ast_node *at = node_of(p, e->name, "host");
	struct diag *d = diag_emit(p->diags, DIAG_E0246, at->src, at->span,
				   "external '%s' names %s, inside the deployment", e->name,
				   s ? arena_printf(p->arena, "service '%s'", s->name) : "the loopback address");
	if (s)
		diag_add_help(p->diags, d, "remove the external and list the service instead: "
			      "uses = [..., %s]", s->name);
	else
		diag_add_help(p->diags, d, "a container's loopback address is its own: remove the "
			      "external");
}

static void check_cidrs(struct program *p, const struct model_external *e)
{
	struct decl *d = program_find(p, e->name);
	struct tval *list = d && d->typed ? tblock_get(d->typed, "cidr") : NULL;
	for (struct tval *v = list ? list->u.items : NULL; v; v = v->next) {
		const char *slash = strchr(v->u.s, '/');
		if (!slash || strcmp(slash, "/0"))
			continue;
		struct diag *dg = diag_emit(p->diags, DIAG_E0247, v->node->src, v->node->span,
					    "cidr '%s' of external '%s' opens every address", v->u.s,
					    e->name);
		diag_add_help(p->diags, dg, "list the addresses of %s, or leave cidr out: then every "
			      "public address is open on port %d, and private ranges and the cloud "
			      "metadata address stay closed", e->host, e->port);
	}
}

static void check_used(struct program *p, const struct model_external *e)
{
	if (e->used_by_count)
		return;
	struct decl *d = program_find(p, e->name);
	struct diag *dg = diag_emit(p->diags, DIAG_W0063, d->block->src, d->block->u.block.label_span,
				    "no service uses external '%s'", e->name);
	diag_add_help(p->diags, dg, "list it in the `uses` of the service that connects to %s "
		      "(uses = [..., %s]), or remove it", e->host, e->name);
}

void check_externals(struct program *p, const struct model *m)
{
	for (size_t i = 0; i < m->external_count; i++) {
		const struct model_external *e = m->externals[i];
		bool host = check_host_form(p, e);
		check_inside(p, m, e);
		check_cidrs(p, e);
		if (host)
			check_used(p, e);
	}
}
