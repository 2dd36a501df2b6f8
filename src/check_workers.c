/* check_workers.c - a service without a port (a worker).
 *
 * Nothing can connect to it: it gets no Service, no load balancer and
 * no request alerts, and its probes run a command.  An ingress would
 * route the public to a port that does not exist, and every target
 * would drop it without a word: E0370. */
#include "model.h"
#include "typed.h"

static const struct ast_node *ingress_node(struct program *p, const struct model_service *s)
{
	struct decl *d = program_find(p, s->name);
	struct tval *v = d && d->typed ? tblock_get(d->typed, "ingress") : NULL;
	return v && v->node ? v->node : d ? d->block : NULL;
}

void check_portless(struct program *p, const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (s->port || !s->ingress.set)
			continue;
		const struct ast_node *at = ingress_node(p, s);
		struct span sp = at->kind == AST_BLOCK ? at->u.block.kind_span : at->span;
		struct diag *d = diag_emit(p->diags, DIAG_E0370, at->src, sp,
					   "service '%s' has an ingress but no port to route it to",
					   s->name);
		diag_add_note(p->diags, d, "a service without a port (a worker) gets no Service "
			      "and no load balancer");
		diag_add_help(p->diags, d, "give the service the port it serves HTTP on "
			      "(port = 8080), or remove the ingress");
		template_lead_with_call(p, d, program_find(p, s->name));
	}
}
