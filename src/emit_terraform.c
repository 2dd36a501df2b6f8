/* emit_terraform.c - terraform/NAME.tf: the AWS side of the deployment.
 *
 * From a `cloud aws` block this writes a complete Terraform root module:
 * a VPC over `zones` availability zones with public and private subnets
 * and a NAT gateway per zone; an ECS cluster running every service as a
 * Fargate task in the private subnets; security groups that admit each
 * service's `uses` edges and nothing else; IAM roles per service whose
 * only permission beyond the AWS-managed execution policy is reading that
 * service's own secrets; a log group per service; an HTTPS load balancer
 * for ingress services; and, with `audit`, CloudTrail and VPC flow logs.
 *
 * Guarantees.  Secret values never appear: a secret is looked up by its
 * vault path as a data source and reaches the container by ARN.  Every
 * string from the source is written through escape_hcl, so "${" and "%{"
 * in it are text, not templates.  Every variable, resource and data
 * source referenced is declared; the HCL is formatted as `terraform fmt`
 * would.  No cloud block, no files.  Reads only the model. */
#include <ctype.h>
#include <string.h>

#include "backends.h"
#include "emit_terraform.h"
#include "format.h"
#include "names.h"

/* --- helpers shared by the parts ------------------------------------------- */

bool tf_begin(struct tf *t, const char *name, const char *what)
{
	t->path = arena_printf(t->a, "terraform/%s", name);
	struct strbuf *b = output_add(t->o, t->path);
	if (!b)
		return false;
	hcl_begin(&t->h, b, t->a);
	hcl_comment(&t->h, output_banner(t->o));
	hcl_comment(&t->h, what);
	hcl_blank(&t->h);
	return true;
}

bool tf_end(struct tf *t)
{
	if (hcl_end(&t->h))
		return true;
	t->o->error = arena_printf(t->a, "the HCL writer failed while writing %s", t->path);
	return false;
}

const char *tf_label(struct tf *t, const char *name)
{
	return names_tf_label(t->a, name);
}

const char *tf_aws_name(struct tf *t, const char *name, size_t max)
{
	const char *slug = output_slug(t->a, arena_cat(t->a, t->m->app.name, "-", name, (char *)NULL));
	size_t n = strlen(slug);
	if (n > max)
		n = max;
	while (n && slug[n - 1] == '-')
		n--;
	return arena_strndup(t->a, slug, n);
}

bool tf_has_ecs(const struct model *m)
{
	return m->cloud && m->cloud->has_ecs && m->service_count > 0;
}

bool tf_has_ingress(const struct model *m)
{
	for (size_t i = 0; tf_has_ecs(m) && i < m->service_count; i++)
		if (m->services[i]->ingress.set && m->services[i]->port)
			return true;
	return false;
}

bool tf_alb_logs(const struct model *m)
{
	if (!tf_has_ingress(m))
		return false;
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (s->ingress.set && s->port && s->ingress.access_log)
			return true;
	}
	return false;
}

bool tf_has_log_bucket(const struct model *m)
{
	return m->cloud && (m->cloud->audit || tf_alb_logs(m));
}

bool tf_service_has_secrets(const struct model_service *s)
{
	return s->secrets != NULL || s->composed != NULL;
}

bool tf_secret_needed(const struct model_secret *sec)
{
	return model_secret_used(sec) || sec->puller_count > 0;
}

static bool in_aws_registry(const char *image)
{
	const char *slash = strchr(image, '/');
	size_t host = slash ? (size_t)(slash - image) : 0;
	static const char aws[] = ".amazonaws.com";
	return host > sizeof aws - 1 && !strncmp(image + host - (sizeof aws - 1), aws, sizeof aws - 1);
}

bool tf_image_in_aws(const struct model *m, const struct model_service *s)
{
	char buf[512];
	return in_aws_registry(model_service_image(m, s, buf, sizeof buf));
}

bool tf_has_deploy_role(const struct model *m)
{
	if (!tf_has_ecs(m) || !m->pipeline || !m->app.repository)
		return false;
	for (const struct model_deploy *d = m->pipeline->deploys; d; d = d->next)
		if (d->kind == DEPLOY_ECS && d->service)
			return true;
	return false;
}

long tf_seconds(int64_t ms, long lo, long hi)
{
	long s = (long)format_whole_seconds(ms).up;
	return s < lo ? lo : s > hi ? hi : s;
}

/* --- versions.tf, provider.tf ------------------------------------------------ */

static bool put_versions(struct tf *t)
{
	if (!tf_begin(t, "versions.tf", "Terraform and provider versions.  State is local until you add a\n"
			  "backend block here (an encrypted S3 bucket with locking, say)."))
		return false;
	hcl_block(&t->h, "terraform", NULL, NULL);
	hcl_str(&t->h, "required_version", ">= 1.5.0");
	hcl_blank(&t->h);
	hcl_block(&t->h, "required_providers", NULL, NULL);
	hcl_object(&t->h, "aws");
	hcl_str(&t->h, "source", "hashicorp/aws");
	hcl_str(&t->h, "version", "~> 5.0");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	return tf_end(t);
}

static const char *environment_name(const struct model *m)
{
	return m->environment ? m->environment
	       : m->pipeline && m->pipeline->environment ? m->pipeline->environment
	       : m->app.namespace ? m->app.namespace : "production";
}

static bool put_provider(struct tf *t)
{
	if (!tf_begin(t, "provider.tf", "The AWS provider; every resource carries the default tags."))
		return false;
	hcl_allows(&t->h, "the cloud", t->c->allows, NULL);
	hcl_block(&t->h, "provider", "aws", NULL);
	hcl_expr(&t->h, "region", "var.region");
	hcl_blank(&t->h);
	hcl_block(&t->h, "default_tags", NULL, NULL);
	hcl_object(&t->h, "tags");
	hcl_str(&t->h, "Application", t->m->app.name);
	hcl_str(&t->h, "Environment", environment_name(t->m));
	hcl_str(&t->h, "ManagedBy", "depc");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_empty_block(&t->h, "data", "aws_caller_identity", "current");
	hcl_blank(&t->h);
	hcl_empty_block(&t->h, "data", "aws_partition", "current");
	return tf_end(t);
}

/* --- variables.tf, outputs.tf ------------------------------------------------- */

static void variable(struct tf *t, const char *name, const char *type, const char *doc,
		     const char *default_expr)
{
	hcl_block(&t->h, "variable", name, NULL);
	hcl_expr(&t->h, "type", type);
	hcl_str(&t->h, "description", doc);
	if (default_expr)
		hcl_expr(&t->h, "default", default_expr);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static const char *first_ingress_host(const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (m->services[i]->ingress.set && m->services[i]->ingress.host)
			return m->services[i]->ingress.host;
	return m->app.domain ? m->app.domain : "the ingress hosts";
}

/* var.image_tag names the built images' tag; published images carry
 * their own, and an unused variable is an error to tflint and a puzzle
 * to whoever fills in terraform.tfvars. */
static bool any_built(const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (m->services[i]->build)
			return true;
	return false;
}

static bool put_variables(struct tf *t)
{
	if (!tf_begin(t, "variables.tf", "Inputs.  Those without a default must be given (terraform.tfvars)."))
		return false;
	variable(t, "region", "string", "AWS region everything is created in",
		 hcl_quote(t->a, t->c->region));
	if (tf_has_ecs(t->m) && any_built(t->m))
		variable(t, "image_tag", "string", "commit SHA whose built images the tasks run (an "
			 "immutable tag); CI registers a new task definition revision per release", NULL);
	if (tf_has_ingress(t->m))
		variable(t, "certificate_arn", "string", arena_printf(t->a,
			 "ARN of the ACM certificate the HTTPS listener presents (for %s)",
			 first_ingress_host(t->m)), NULL);
	if (tf_has_deploy_role(t->m))
		variable(t, "github_oidc_provider_arn", "string", "ARN of the account's existing "
			 "token.actions.githubusercontent.com OIDC provider; null creates one", "null");
	return tf_end(t);
}

static void output(struct tf *t, const char *name, const char *doc, const char *value)
{
	hcl_block(&t->h, "output", name, NULL);
	hcl_str(&t->h, "description", doc);
	hcl_expr(&t->h, "value", value);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static bool put_outputs(struct tf *t)
{
	if (!tf_begin(t, "outputs.tf", "What other tools need from this module."))
		return false;
	output(t, "vpc_id", "the VPC", "aws_vpc.main.id");
	output(t, "private_subnet_ids", "subnets the tasks run in", "aws_subnet.private[*].id");
	if (tf_has_ecs(t->m))
		output(t, "ecs_cluster_name", "the ECS cluster", "aws_ecs_cluster.main.name");
	if (tf_has_ingress(t->m))
		output(t, "load_balancer_dns_name", "point the ingress hosts' DNS records here (CNAME or alias)",
		       "aws_lb.main.dns_name");
	if (tf_has_deploy_role(t->m))
		output(t, "github_deploy_role_arn", "the role the CI deploy job assumes: store it as the "
		       "repository secret AWS_DEPLOY_ROLE_ARN", "aws_iam_role.github_deploy.arn");
	if (tf_has_log_bucket(t->m))
		output(t, "audit_bucket", t->c->audit ? "the bucket CloudTrail writes to"
		       : "the bucket the load balancer writes its access logs to", "aws_s3_bucket.audit.id");
	return tf_end(t);
}

bool emit_terraform(const struct model *m, struct output *o)
{
	if (!m->cloud)
		return true;
	struct tf t = { .o = o, .a = o->arena, .m = m, .c = m->cloud };
	bool (*const parts[])(struct tf *) = {
		put_versions, put_provider, put_variables, put_outputs,
		emit_terraform_network, emit_terraform_security, emit_terraform_endpoints,
		emit_terraform_ecs,
		emit_terraform_storage, emit_terraform_logs, emit_terraform_iam,
		emit_terraform_audit, emit_terraform_alb, emit_terraform_jobs,
	};
	/* Each part (a file, mostly) gets its own arena, freed when it is
	 * written: the quoted values and labels of ecs.tf alone are 100 MB
	 * for 10,000 services, and no part uses another's. */
	bool ok = true;
	for (size_t i = 0; ok && i < sizeof parts / sizeof parts[0]; i++) {
		struct arena part;
		arena_init(&part);
		t.a = &part;
		ok = parts[i](&t);
		if (o->error)
			o->error = arena_strdup(o->arena, o->error);
		arena_free(&part);
	}
	return ok;
}
