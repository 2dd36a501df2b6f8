/* emit_terraform_composed.c - composed secret values on ECS.
 *
 * ECS cannot template a secret: a container definition's `secrets`
 * hands over whole values only.  So each secret part of a composed value
 * reaches the container as a secret of its own, under an internal
 * variable (composed_part_var), and the container's entrypoint becomes
 * the wrapper of composed.c, /bin/sh -c SCRIPT sh, with the service's
 * command as its arguments: it exports the composed value, unsets the
 * parts and execs the command.  The command is the service's `command`,
 * or its build's `start` (the checker requires one, E0365).  The task
 * execution role may read each part, as it may read `secrets`. */
#include "composed.h"
#include "emit_terraform.h"

void tf_composed_secrets(struct tf *t, const struct model_service *s)
{
	for (const struct model_composed *c = s->composed; c; c = c->next) {
		for (const struct model_composed_part *p = c->parts; p; p = p->next) {
			if (!composed_first_use(c, p))
				continue;
			hcl_object(&t->h, NULL);
			hcl_str(&t->h, "name", composed_part_var(t->a, c, composed_secret_number(c, p)));
			hcl_expr(&t->h, "valueFrom", tf_secret_value_from(t, p->secret));
			hcl_close(&t->h);
		}
	}
}

void tf_composed_command(struct tf *t, const struct model_service *s)
{
	const char *argv[] = { "/bin/sh", "-c", composed_wrapper_script(t->a, s, false), "sh" };
	struct model_strings entry = { argv, 4 };
	hcl_strs(&t->h, "entryPoint", &entry);
	const struct model_strings *cmd = composed_command(s);
	if (cmd)
		hcl_strs(&t->h, "command", cmd);
}

void tf_composed_policy_resources(struct tf *t, const struct model_service *s)
{
	for (const struct model_composed *c = s->composed; c; c = c->next)
		for (const struct model_composed_part *p = c->parts; p; p = p->next)
			if (p->secret && composed_part_new(s, c, p))
				hcl_expr(&t->h, NULL, arena_printf(t->a, "data.aws_secretsmanager_secret.%s.arn",
								    tf_label(t, p->secret->name)));
}
