/* emit_terraform_endpoints.c - endpoints.tf: how ECS tasks reach AWS
 * without a route to the whole internet.
 *
 * A Fargate task pulls its image, reads its secrets and sends its logs
 * through its own network interface, so its security group must let that
 * traffic out.  Opening HTTPS to every address for it would open it for
 * the app too; instead the VPC gets endpoints for exactly those APIs:
 * interface endpoints (ecr.api, ecr.dkr, logs, secretsmanager), private
 * addresses in the private subnets behind a security group that takes
 * HTTPS only from the services, and an S3 gateway endpoint (ECR keeps
 * image layers in S3) reached through its managed prefix list.  Each is
 * made only when something needs it: ECR's when some image is in ECR,
 * Secrets Manager's when a task reads a secret or registry credentials.
 * An image from a registry outside AWS has no endpoint: its service gets
 * HTTPS out for the pull (security.tf), which --report names. */
#include "emit_terraform.h"

#include <string.h>

bool tf_has_ecr_endpoints(const struct model *m)
{
	for (size_t i = 0; tf_has_ecs(m) && i < model_container_count(m); i++)
		if (tf_image_in_aws(m, model_container_at(m, i)))
			return true;
	return false;
}

/* A task reads a secret, or pulls with a registry credential. */
bool tf_has_secrets_endpoint(const struct model *m)
{
	for (size_t i = 0; tf_has_ecs(m) && i < model_container_count(m); i++)
		if (tf_service_has_secrets(model_container_at(m, i)) || model_container_at(m, i)->registry)
			return true;
	return false;
}

static void put_interface(struct tf *t, const char *label, const char *service)
{
	hcl_block(&t->h, "resource", "aws_vpc_endpoint", label);
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_expr(&t->h, "service_name", arena_printf(t->a, "\"com.amazonaws.${var.region}.%s\"", service));
	hcl_str(&t->h, "vpc_endpoint_type", "Interface");
	hcl_expr(&t->h, "subnet_ids", "aws_subnet.private[*].id");
	hcl_expr(&t->h, "security_group_ids", "[aws_security_group.endpoints.id]");
	hcl_bool(&t->h, "private_dns_enabled", true);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_group(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_security_group", "endpoints");
	hcl_str(&t->h, "name", tf_aws_name(t, "endpoints", 255));
	hcl_str(&t->h, "description", "the VPC endpoints: HTTPS from the services only");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	for (size_t i = 0; i < model_container_count(t->m); i++) {
		const struct model_service *s = model_container_at(t->m, i);
		const char *label = tf_label(t, s->name);
		hcl_block(&t->h, "resource", "aws_vpc_security_group_ingress_rule",
			  arena_printf(t->a, "endpoints_from_%s", label));
		hcl_expr(&t->h, "security_group_id", "aws_security_group.endpoints.id");
		hcl_expr(&t->h, "referenced_security_group_id",
			 arena_printf(t->a, "aws_security_group.%s.id", label));
		hcl_str(&t->h, "ip_protocol", "tcp");
		hcl_int(&t->h, "from_port", 443);
		hcl_int(&t->h, "to_port", 443);
		hcl_str(&t->h, "description", arena_printf(t->a, "HTTPS from %s", s->name));
		hcl_close(&t->h);
		hcl_blank(&t->h);
	}
}

bool emit_terraform_endpoints(struct tf *t)
{
	if (!tf_has_ecs(t->m))
		return true;
	if (!tf_begin(t, "endpoints.tf", "VPC endpoints: the tasks reach ECR, CloudWatch Logs and Secrets Manager\n"
			  "inside the VPC, with no route to the rest of the internet for it."))
		return false;
	put_group(t);
	put_interface(t, "logs", "logs");
	if (tf_has_secrets_endpoint(t->m))
		put_interface(t, "secretsmanager", "secretsmanager");
	if (tf_has_ecr_endpoints(t->m)) {
		put_interface(t, "ecr_api", "ecr.api");
		put_interface(t, "ecr_dkr", "ecr.dkr");
		hcl_comment(&t->h, "ECR keeps image layers in S3: a gateway endpoint on the private routes.");
		hcl_block(&t->h, "resource", "aws_vpc_endpoint", "s3");
		hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
		hcl_expr(&t->h, "service_name", "\"com.amazonaws.${var.region}.s3\"");
		hcl_str(&t->h, "vpc_endpoint_type", "Gateway");
		hcl_expr(&t->h, "route_table_ids", "aws_route_table.private[*].id");
		hcl_close(&t->h);
		hcl_blank(&t->h);
	}
	return tf_end(t);
}
