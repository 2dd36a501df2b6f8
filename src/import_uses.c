/* import_uses.c - the `uses` edges a Compose file implies.
 *
 * On Compose's default network every service reaches every other, so a
 * Compose file seldom says who talks to whom, while depc's network
 * policies let a service reach only what its `uses` lists (E0406).  So
 * the edges are taken from what the file does say: depends_on (in
 * import_service.c), links, and environment values that name another
 * service as a host.  Hosts are found the way the E0406 rule finds them
 * (policy_each_host, policy_address_name), so an imported program does
 * not break the rule over a connection its Compose file shows: the
 * whole value under an address-like name (DB_HOST=db), a HOST:PORT pair
 * (db:5432) or a URL (postgres://user@db:5432/x, redis://cache).  Values
 * taken for secrets are read too, for their host only: the connection
 * is there whatever the password.  A name that is no service of the
 * file is not a connection to one and adds nothing. */
#include <string.h>

#include "import_impl.h"
#include "policy.h"

static void add_use(struct imp *im, struct imp_service *s, struct imp_service *t,
		    yaml_node_t *at)
{
	if (t && t != s)
		imp_add_use(im, s, t, at);
}

struct env_reach {
	struct imp *im;
	struct imp_service *s;
	yaml_node_t *at;
};

static void see_host(void *ctx, struct policy_host h)
{
	struct env_reach *r = ctx;
	add_use(r->im, r->s, imp_find_host(r->im, h.name, strlen(h.name)), r->at);
}

static void env_value(struct imp *im, struct imp_service *s, yaml_node_t *at,
		      const char *key, const char *value)
{
	if (!value)
		return;
	if (policy_address_name(key)) {
		struct imp_service *t = imp_find_host(im, value, strlen(value));
		if (t) {
			add_use(im, s, t, at);
			return;
		}
	}
	struct env_reach r = { im, s, at };
	policy_each_host(im->a, value, see_host, &r);
}

static void environment(struct imp *im, struct imp_service *s)
{
	imp_each_env(im, s, env_value);
}

/* links: `- SERVICE` or `- SERVICE:ALIAS`.  depc has no aliases: the
 * service is reached by its own name. */
static void links(struct imp *im, struct imp_service *s)
{
	yaml_node_t *v = s->v[IK_LINKS];
	for (size_t i = 0; i < imp_seq_len(v); i++) {
		yaml_node_t *item = imp_seq_at(im, v, i);
		const char *text = imp_scalar(item);
		if (!text)
			continue;
		size_t len = strcspn(text, ":");
		struct imp_service *t = imp_find_host(im, text, len);
		if (!t)
			imp_warn(im, item, "link '%s' is not imported: no service has that name", text);
		else if (t == s)
			imp_warn(im, item, "link '%s' is not imported: a service cannot use itself", text);
		add_use(im, s, t, item);
		if (t && text[len] && strcmp(text + len + 1, t->compose))
			imp_warn(im, item, "alias '%s' of link '%s' is not imported: the service is "
				 "reached by its name, '%s'", text + len + 1, text, t->compose);
	}
}

void imp_infer_uses(struct imp *im, struct imp_service *s)
{
	links(im, s);
	environment(im, s);
}
