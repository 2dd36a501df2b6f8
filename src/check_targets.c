/* check_targets.c - facts some generated target cannot honour as written.
 *
 * Each fact of the model means the same on every target (man/dep.5,
 * TARGETS).  Where a target would break the app if it approximated a
 * fact, this is an error; where the difference is a matter of policy
 * the app may not notice, a warning (the translation report, --report,
 * lists the rest).  Only targets this program generates are judged. */
#include <string.h>

#include "composed.h"
#include "model.h"
#include "typed.h"

static const struct tval *field(struct program *p, const char *svc, const char *block,
				const char *name)
{
	struct decl *d = program_find(p, svc);
	const struct tblock *b = d ? d->typed : NULL;
	if (b && block) {
		const struct tval *sub = tblock_get(b, block);
		b = sub && sub->type == TY_BLOCK ? sub->u.block : NULL;
	}
	return b ? tblock_get(b, name) : NULL;
}

/* Where to point: the value as written, else the service's block. */
static const struct ast_node *where(struct program *p, const char *svc, const struct tval *v)
{
	return v && v->node ? v->node : program_find(p, svc)->block;
}

/* A check that may last its whole interval overlaps the next one; the
 * load balancer refuses it outright (its timeout must be less than its
 * interval), and Kubernetes and Docker would start a check before the
 * last one ended. */
static void check_probe_timing(struct program *p, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	bool any = h->liveness.kind || h->readiness.kind || h->startup.kind;
	const struct tval *v = field(p, s->name, "health", "timeout");
	if (!any || h->timeout_ms < h->interval_ms || !v || !v->node)
		return;
	const struct ast_node *at = where(p, s->name, v);
	struct diag *d = diag_emit(p->diags, DIAG_E0340, at->src, at->span,
				   "health timeout of service '%s' is not shorter than its interval",
				   s->name);
	diag_add_help(p->diags, d, "a check must end before the next one starts: make `timeout` "
		      "less than `interval` (the load balancer's check refuses anything else)");
}

/* ECS hands a task its secrets as variables only: a Fargate task has no
 * tmpfs to write a file into, so `secrets_as = file` cannot be honoured
 * there, and an app that reads NAME_FILE would find nothing. */
static void check_secret_files(struct program *p, const struct model *m, const struct model_service *s)
{
	if (!s->secrets_as_file || !(s->secrets || s->composed) || !m->cloud || !m->cloud->has_ecs)
		return;
	const struct ast_node *at = where(p, s->name, field(p, s->name, NULL, "secrets_as"));
	struct diag *d = diag_emit(p->diags, DIAG_E0341, at->src, at->span,
				   "%s '%s' reads its secrets from files, which ECS cannot deliver",
				   s->job ? "job" : "service", s->name);
	diag_add_help(p->diags, d, "ECS sets secrets as variables only: use `secrets_as = env` if the "
		      "image reads the variable, or deploy this service without the ecs block");
}

/* ECS, and Compose for a value read as a file, compose a secret value in
 * the container: the wrapper becomes its entrypoint and runs the command
 * after it.  A built image's command is its `start`; a published image's
 * is known only when the source gives `command` (the image's own
 * entrypoint no longer runs, so it must be the whole command). */
static void check_composed_command(struct program *p, const struct model *m,
				   const struct model_service *s)
{
	bool ecs = m->cloud && m->cloud->has_ecs;
	if (!composed_needs_wrapper(s, ecs) || composed_command(s))
		return;
	const struct model_composed *c = s->composed;
	struct diag *d = diag_emit(p->diags, DIAG_E0365, c->origin.src, c->origin.span,
				   "%s of service '%s' is composed in the container on %s, and the "
				   "command to run after it is not known", c->env, s->name,
				   s->secrets_as_file ? "Compose" : "ECS");
	diag_add_note(p->diags, d, "%s cannot build a value from secrets itself: a shell "
		      "wrapper replaces the image's entrypoint, composes the value and then runs "
		      "the command", s->secrets_as_file ? "Compose (for a secret read as a file)"
		      : "ECS");
	diag_add_help(p->diags, d, "give the whole command the image runs, its entrypoint "
		      "included: command = [\"...\"]");
}

static const struct ast_node *env_node(struct program *p, const char *svc, const char *key)
{
	const struct tval *env = field(p, svc, NULL, "env");
	for (const struct tval *e = env && env->type == TY_MAP ? env->u.items : NULL; e; e = e->next)
		if (e->key && !strcmp(e->key, key) && e->node)
			return e->node;
	return where(p, svc, env);
}

/* Egress is the same on every target: a service reaches an external
 * it lists in `uses` on the external's port, and only on it.  A URL in
 * its `env` naming that external's host on another port is a connection
 * every target but Compose (which filters no ports) refuses.  A host no
 * external declares is the policy's (E0433); URLs it rejects (a password
 * in them, E0404; plain HTTP, E0405) are left to it too. */
static void check_egress(struct program *p, const struct model *m, const struct model_service *s)
{
	struct model_url u;
	for (const struct model_kv *kv = s->env; kv; kv = kv->next) {
		if (!model_parse_url(kv->value, &u) || u.userinfo)
			continue;
		const struct model_external *e = model_find_external(m, u.host);
		if (!e || !model_uses_external(s, e) || !u.port || u.port == e->port)
			continue;
		const struct ast_node *at = env_node(p, s->name, kv->key);
		struct diag *d = diag_emit(p->diags, DIAG_W0040, at->src, at->span,
					   "%s '%s' connects to '%s' on port %d, but external '%s' "
					   "opens port %d only", s->job ? "job" : "service", s->name, u.host, u.port, e->name, e->port);
		diag_add_help(p->diags, d, "set port = %d in external %s, or use port %d in the URL",
			      u.port, e->name, e->port);
	}
}

void check_targets(struct program *p, struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		check_probe_timing(p, s);
		check_secret_files(p, m, s);
		check_composed_command(p, m, s);
		check_egress(p, m, s);
	}
	for (size_t i = 0; i < m->job_count; i++) {
		check_secret_files(p, m, m->jobs[i]->run);
		check_egress(p, m, m->jobs[i]->run);
	}
}
