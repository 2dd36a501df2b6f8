/* emit_terraform_iam.c - secrets.tf, iam.tf and audit.tf.
 *
 * secrets.tf looks each secret up by its vault path; nothing here or
 * anywhere else holds a value.  iam.tf gives every service two roles of
 * its own, both trusting only ECS tasks of this account: an execution
 * role with the AWS-managed execution policy plus GetSecretValue on that
 * service's secrets (and the pull credential of its image's registry,
 * when it has one) and nothing else, and a task role with no permissions
 * (only mounting its own volume, when it has one).  When the pipeline
 * redeploys ECS services, a role for GitHub's OIDC tokens from this
 * repository's deploy environment may update exactly those services.
 * audit.tf (with `audit`): a multi-region CloudTrail trail with log file
 * validation into a versioned, encrypted S3 bucket that refuses plain
 * HTTP and public access, and VPC flow logs.  The bucket also takes the
 * load balancer's access logs, so it exists whenever they are on, with
 * `audit` or without. */
#include <string.h>

#include "emit_terraform.h"
#include "escape.h"

/* --- secrets.tf --------------------------------------------------------------- */

static void put_secret(struct tf *t, const char *label, const char *name_expr)
{
	hcl_block(&t->h, "data", "aws_secretsmanager_secret", label);
	hcl_expr(&t->h, "name", name_expr);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static bool put_secrets(struct tf *t)
{
	bool any = false;
	for (size_t i = 0; i < t->m->secret_count; i++)
		any |= tf_secret_needed(t->m->secrets[i]);
	if (!tf_has_ecs(t->m) || !any)
		return true;
	if (!tf_begin(t, "secrets.tf", "Secrets, found by their path in Secrets Manager.  Only their ARNs\n"
			  "are used here; ECS reads the values when a task starts."))
		return false;
	for (size_t i = 0; i < t->m->secret_count; i++) {
		const struct model_secret *sec = t->m->secrets[i];
		if (!tf_secret_needed(sec))
			continue;
		hcl_allows(&t->h, NULL, sec->allows, NULL);
		put_secret(t, tf_label(t, sec->name), hcl_quote(t->a, sec->vault_path));
	}
	return tf_end(t);
}

/* --- iam.tf ---------------------------------------------------------------------- */

static void put_assume_ecs(struct tf *t)
{
	hcl_comment(&t->h, "Only ECS tasks of this account may take the service roles.");
	hcl_block(&t->h, "data", "aws_iam_policy_document", "ecs_tasks_assume");
	hcl_block(&t->h, "statement", NULL, NULL);
	hcl_expr(&t->h, "actions", "[\"sts:AssumeRole\"]");
	hcl_blank(&t->h);
	hcl_block(&t->h, "principals", NULL, NULL);
	hcl_str(&t->h, "type", "Service");
	hcl_expr(&t->h, "identifiers", "[\"ecs-tasks.amazonaws.com\"]");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "condition", NULL, NULL);
	hcl_str(&t->h, "test", "StringEquals");
	hcl_str(&t->h, "variable", "aws:SourceAccount");
	hcl_expr(&t->h, "values", "[data.aws_caller_identity.current.account_id]");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_role(struct tf *t, const char *label, const char *name, const char *assume)
{
	hcl_block(&t->h, "resource", "aws_iam_role", label);
	hcl_str(&t->h, "name", name);
	hcl_expr(&t->h, "assume_role_policy", assume);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* An inline policy of role `role`: policy = jsonencode({ Version,
 * Statement = [ ... ] }), its statement list open for the caller. */
void tf_role_policy_open(struct tf *t, const char *label, const char *role, const char *name)
{
	hcl_block(&t->h, "resource", "aws_iam_role_policy", label);
	hcl_str(&t->h, "name", name);
	hcl_expr(&t->h, "role", arena_printf(t->a, "aws_iam_role.%s.id", role));
	hcl_open(&t->h, "policy", "jsonencode({", "})");
	hcl_str(&t->h, "Version", "2012-10-17");
	hcl_list(&t->h, "Statement");
}

void tf_role_policy_close(struct tf *t)
{
	hcl_close(&t->h); /* Statement */
	hcl_close(&t->h); /* jsonencode */
	hcl_close(&t->h); /* resource */
	hcl_blank(&t->h);
}

/* A policy of one Allow statement, opened for the caller to add Action
 * and Resource. */
static void open_policy(struct tf *t, const char *label, const char *role, const char *name)
{
	tf_role_policy_open(t, label, role, name);
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "Effect", "Allow");
}

static void close_policy(struct tf *t)
{
	hcl_close(&t->h); /* the statement */
	tf_role_policy_close(t);
}

static void put_secret_policy(struct tf *t, const struct model_service *s, const char *label)
{
	const char *role = arena_printf(t->a, "%s_execution", label);
	open_policy(t, arena_printf(t->a, "%s_secrets", label), role, "read-own-secrets");
	hcl_expr(&t->h, "Action", "[\"secretsmanager:GetSecretValue\"]");
	hcl_list(&t->h, "Resource");
	bool pull_listed = false; /* the credential may be one of its secrets too */
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next) {
		hcl_expr(&t->h, NULL, arena_printf(t->a, "data.aws_secretsmanager_secret.%s.arn",
						    tf_label(t, r->secret->name)));
		pull_listed |= s->registry && r->secret == s->registry->credential;
	}
	tf_composed_policy_resources(t, s);
	if (s->registry && !pull_listed)
		hcl_expr(&t->h, NULL, arena_printf(t->a, "data.aws_secretsmanager_secret.%s.arn",
						    tf_label(t, s->registry->credential->name)));
	hcl_close(&t->h);
	close_policy(t);
}

static void put_volume_policy(struct tf *t, const struct model_service *s, const char *label)
{
	const char *vol = tf_label(t, s->volume->name);
	open_policy(t, arena_printf(t->a, "%s_volume", label), arena_printf(t->a, "%s_task", label),
		    "mount-own-volume");
	hcl_expr(&t->h, "Action", "[\"elasticfilesystem:ClientMount\", \"elasticfilesystem:ClientWrite\"]");
	hcl_expr(&t->h, "Resource", arena_printf(t->a, "aws_efs_file_system.%s.arn", vol));
	hcl_open(&t->h, "Condition", "{", "}");
	hcl_open(&t->h, "StringEquals", "{", "}");
	hcl_expr(&t->h, "elasticfilesystem:AccessPointArn", arena_printf(t->a, "aws_efs_access_point.%s.arn", vol));
	hcl_close(&t->h);
	hcl_close(&t->h);
	close_policy(t);
}

static void put_service_roles(struct tf *t, const struct model_service *s)
{
	const char *label = tf_label(t, s->name);
	const char *assume = "data.aws_iam_policy_document.ecs_tasks_assume.json";
	hcl_comment(&t->h, arena_printf(t->a, "--- %s", s->name));
	hcl_blank(&t->h);
	put_role(t, arena_printf(t->a, "%s_execution", label),
		 tf_aws_name(t, arena_printf(t->a, "%s-execution", s->name), 64), assume);
	hcl_block(&t->h, "resource", "aws_iam_role_policy_attachment", arena_printf(t->a, "%s_execution", label));
	hcl_expr(&t->h, "role", arena_printf(t->a, "aws_iam_role.%s_execution.name", label));
	hcl_expr(&t->h, "policy_arn", "\"arn:${data.aws_partition.current.partition}:iam::aws:policy/"
		 "service-role/AmazonECSTaskExecutionRolePolicy\"");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	if (tf_service_has_secrets(s) || s->registry)
		put_secret_policy(t, s, label);
	hcl_comment(&t->h, "The application's own role: no permissions unless it mounts a volume.");
	put_role(t, arena_printf(t->a, "%s_task", label),
		 tf_aws_name(t, arena_printf(t->a, "%s-task", s->name), 64), assume);
	if (s->volume)
		put_volume_policy(t, s, label);
}

/* --- the CI deploy role ------------------------------------------------------------- */

static void put_oidc_provider(struct tf *t)
{
	hcl_comment(&t->h, "GitHub's OIDC provider, unless the account has one (var.github_oidc_provider_arn).");
	hcl_block(&t->h, "resource", "aws_iam_openid_connect_provider", "github");
	hcl_expr(&t->h, "count", "var.github_oidc_provider_arn == null ? 1 : 0");
	hcl_str(&t->h, "url", "https://token.actions.githubusercontent.com");
	hcl_expr(&t->h, "client_id_list", "[\"sts.amazonaws.com\"]");
	hcl_expr(&t->h, "thumbprint_list", "[\"6938fd4d98bab03faadb97b34396831e3780aea1\", "
		 "\"1c58a3a8518e8759bf075b76b750d4f2df264fcd\"]");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "locals", NULL, NULL);
	hcl_expr(&t->h, "github_oidc_provider_arn",
		 "coalesce(var.github_oidc_provider_arn, one(aws_iam_openid_connect_provider.github[*].arn))");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* Tokens of the deploy jobs only: this repository, this environment. */
static void put_deploy_trust(struct tf *t)
{
	const char *env = t->m->pipeline->environment ? t->m->pipeline->environment : "production";
	hcl_block(&t->h, "data", "aws_iam_policy_document", "github_deploy_assume");
	hcl_block(&t->h, "statement", NULL, NULL);
	hcl_expr(&t->h, "actions", "[\"sts:AssumeRoleWithWebIdentity\"]");
	hcl_blank(&t->h);
	hcl_block(&t->h, "principals", NULL, NULL);
	hcl_str(&t->h, "type", "Federated");
	hcl_expr(&t->h, "identifiers", "[local.github_oidc_provider_arn]");
	hcl_close(&t->h);
	for (int i = 0; i < 2; i++) {
		hcl_blank(&t->h);
		hcl_block(&t->h, "condition", NULL, NULL);
		hcl_str(&t->h, "test", "StringEquals");
		hcl_str(&t->h, "variable", i ? "token.actions.githubusercontent.com:sub"
					   : "token.actions.githubusercontent.com:aud");
		hcl_expr(&t->h, "values", arena_printf(t->a, "[%s]", hcl_quote(t->a, i
			 ? arena_printf(t->a, "repo:%s:environment:%s", t->m->app.repository, env)
			 : "sts.amazonaws.com")));
		hcl_close(&t->h);
	}
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_deploy_role(struct tf *t)
{
	put_oidc_provider(t);
	put_deploy_trust(t);
	put_role(t, "github_deploy", tf_aws_name(t, "github-deploy", 64),
		 "data.aws_iam_policy_document.github_deploy_assume.json");
	open_policy(t, "github_deploy", "github_deploy", "redeploy-services");
	hcl_expr(&t->h, "Action", "[\"ecs:UpdateService\", \"ecs:DescribeServices\"]");
	hcl_list(&t->h, "Resource");
	for (const struct model_deploy *d = t->m->pipeline->deploys; d; d = d->next)
		if (d->kind == DEPLOY_ECS && d->service)
			hcl_expr(&t->h, NULL, arena_printf(t->a, "aws_ecs_service.%s.id", tf_label(t, d->service->name)));
	hcl_close(&t->h);
	close_policy(t);
}

bool emit_terraform_iam(struct tf *t)
{
	if (!put_secrets(t))
		return false;
	if (!tf_has_ecs(t->m))
		return true;
	if (!tf_begin(t, "iam.tf", "Roles: two per service, each allowed only what that service needs."))
		return false;
	put_assume_ecs(t);
	for (size_t i = 0; i < t->m->service_count; i++)
		put_service_roles(t, t->m->services[i]);
	for (size_t i = 0; i < t->m->job_count; i++)
		put_service_roles(t, t->m->jobs[i]->run);
	if (tf_has_deploy_role(t->m)) {
		hcl_comment(&t->h, "--- the CI deploy jobs");
		hcl_blank(&t->h);
		put_deploy_role(t);
	}
	return tf_end(t);
}

/* --- audit.tf -------------------------------------------------------------------------- */

static void put_bucket(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_s3_bucket", "audit");
	hcl_expr(&t->h, "bucket", arena_printf(t->a, "\"%s-${data.aws_caller_identity.current.account_id}\"",
					      escape_hcl(t->a, tf_aws_name(t, "audit", 40))));
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_s3_bucket_public_access_block", "audit");
	hcl_expr(&t->h, "bucket", "aws_s3_bucket.audit.id");
	hcl_bool(&t->h, "block_public_acls", true);
	hcl_bool(&t->h, "block_public_policy", true);
	hcl_bool(&t->h, "ignore_public_acls", true);
	hcl_bool(&t->h, "restrict_public_buckets", true);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_s3_bucket_ownership_controls", "audit");
	hcl_expr(&t->h, "bucket", "aws_s3_bucket.audit.id");
	hcl_blank(&t->h);
	hcl_block(&t->h, "rule", NULL, NULL);
	hcl_str(&t->h, "object_ownership", "BucketOwnerEnforced");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_bucket_settings(struct tf *t)
{
	hcl_comment(&t->h, "SSE-S3: load balancer access logs cannot be written with a KMS key.");
	hcl_block(&t->h, "resource", "aws_s3_bucket_server_side_encryption_configuration", "audit");
	hcl_expr(&t->h, "bucket", "aws_s3_bucket.audit.id");
	hcl_blank(&t->h);
	hcl_block(&t->h, "rule", NULL, NULL);
	hcl_block(&t->h, "apply_server_side_encryption_by_default", NULL, NULL);
	hcl_str(&t->h, "sse_algorithm", "AES256");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_s3_bucket_versioning", "audit");
	hcl_expr(&t->h, "bucket", "aws_s3_bucket.audit.id");
	hcl_blank(&t->h);
	hcl_block(&t->h, "versioning_configuration", NULL, NULL);
	hcl_str(&t->h, "status", "Enabled");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* One statement of the bucket policy, for a service principal. */
static void put_statement(struct tf *t, const char *sid, const char *action, const char *resource,
			  const char *principal)
{
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "Sid", sid);
	hcl_str(&t->h, "Effect", "Allow");
	hcl_expr(&t->h, "Principal", principal);
	hcl_str(&t->h, "Action", action);
	hcl_expr(&t->h, "Resource", resource);
}

static void put_cloudtrail_statements(struct tf *t)
{
	if (!t->c->audit)
		return;
	put_statement(t, "CloudTrailAclCheck", "s3:GetBucketAcl", "aws_s3_bucket.audit.arn",
		      "{ Service = \"cloudtrail.amazonaws.com\" }");
	hcl_expr(&t->h, "Condition", "{ StringEquals = { \"aws:SourceArn\" = local.trail_arn } }");
	hcl_close(&t->h);
	put_statement(t, "CloudTrailWrite", "s3:PutObject",
		      "\"${aws_s3_bucket.audit.arn}/cloudtrail/AWSLogs/${data.aws_caller_identity.current.account_id}/*\"",
		      "{ Service = \"cloudtrail.amazonaws.com\" }");
	hcl_expr(&t->h, "Condition", "{ StringEquals = { \"aws:SourceArn\" = local.trail_arn } }");
	hcl_close(&t->h);
}

static void put_access_log_statement(struct tf *t)
{
	if (!tf_alb_logs(t->m))
		return;
	put_statement(t, "LoadBalancerAccessLogs", "s3:PutObject",
		      "\"${aws_s3_bucket.audit.arn}/alb/AWSLogs/${data.aws_caller_identity.current.account_id}/*\"",
		      "{ AWS = data.aws_elb_service_account.main.arn }");
	hcl_close(&t->h);
}

static void put_deny_plain_http(struct tf *t)
{
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "Sid", "DenyPlainHTTP");
	hcl_str(&t->h, "Effect", "Deny");
	hcl_str(&t->h, "Principal", "*");
	hcl_str(&t->h, "Action", "s3:*");
	hcl_expr(&t->h, "Resource", "[aws_s3_bucket.audit.arn, \"${aws_s3_bucket.audit.arn}/*\"]");
	hcl_expr(&t->h, "Condition", "{ Bool = { \"aws:SecureTransport\" = \"false\" } }");
	hcl_close(&t->h);
}

static void put_bucket_policy(struct tf *t)
{
	if (tf_alb_logs(t->m)) {
		hcl_empty_block(&t->h, "data", "aws_elb_service_account", "main");
		hcl_blank(&t->h);
	}
	if (t->c->audit) {
		hcl_block(&t->h, "locals", NULL, NULL);
		hcl_expr(&t->h, "trail_arn", arena_printf(t->a, "\"arn:${data.aws_partition.current.partition}:cloudtrail:"
			 "${var.region}:${data.aws_caller_identity.current.account_id}:trail/%s\"",
			 escape_hcl(t->a, t->m->app.name)));
		hcl_close(&t->h);
		hcl_blank(&t->h);
	}
	hcl_block(&t->h, "resource", "aws_s3_bucket_policy", "audit");
	hcl_expr(&t->h, "bucket", "aws_s3_bucket.audit.id");
	hcl_open(&t->h, "policy", "jsonencode({", "})");
	hcl_str(&t->h, "Version", "2012-10-17");
	hcl_list(&t->h, "Statement");
	put_deny_plain_http(t);
	put_cloudtrail_statements(t);
	put_access_log_statement(t);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_expr(&t->h, "depends_on", "[aws_s3_bucket_public_access_block.audit]");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_trail(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_cloudtrail", "main");
	hcl_str(&t->h, "name", t->m->app.name);
	hcl_expr(&t->h, "s3_bucket_name", "aws_s3_bucket.audit.id");
	hcl_str(&t->h, "s3_key_prefix", "cloudtrail");
	hcl_bool(&t->h, "include_global_service_events", true);
	hcl_bool(&t->h, "is_multi_region_trail", true);
	hcl_bool(&t->h, "enable_log_file_validation", true);
	hcl_expr(&t->h, "depends_on", "[aws_s3_bucket_policy.audit]");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_flow_logs(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_cloudwatch_log_group", "flow_logs");
	hcl_str(&t->h, "name", arena_printf(t->a, "/vpc/%s/flow-logs", t->m->app.name));
	hcl_expr(&t->h, "retention_in_days", "365");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "data", "aws_iam_policy_document", "flow_logs_assume");
	hcl_block(&t->h, "statement", NULL, NULL);
	hcl_expr(&t->h, "actions", "[\"sts:AssumeRole\"]");
	hcl_blank(&t->h);
	hcl_block(&t->h, "principals", NULL, NULL);
	hcl_str(&t->h, "type", "Service");
	hcl_expr(&t->h, "identifiers", "[\"vpc-flow-logs.amazonaws.com\"]");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	put_role(t, "flow_logs", tf_aws_name(t, "flow-logs", 64), "data.aws_iam_policy_document.flow_logs_assume.json");
	open_policy(t, "flow_logs", "flow_logs", "write-flow-logs");
	hcl_expr(&t->h, "Action", "[\"logs:CreateLogStream\", \"logs:PutLogEvents\", \"logs:DescribeLogStreams\"]");
	hcl_expr(&t->h, "Resource", "\"${aws_cloudwatch_log_group.flow_logs.arn}:*\"");
	close_policy(t);
	hcl_block(&t->h, "resource", "aws_flow_log", "main");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_str(&t->h, "traffic_type", "ALL");
	hcl_expr(&t->h, "log_destination", "aws_cloudwatch_log_group.flow_logs.arn");
	hcl_expr(&t->h, "iam_role_arn", "aws_iam_role.flow_logs.arn");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

bool emit_terraform_audit(struct tf *t)
{
	if (!tf_has_log_bucket(t->m))
		return true;
	if (!tf_begin(t, "audit.tf", t->c->audit
		      ? "Audit logging: CloudTrail for every API call, flow logs for the network."
		      : "The bucket the load balancer's access logs go to.  No CloudTrail trail\n"
			"and no flow logs: the source turns audit logging off."))
		return false;
	hcl_allows(&t->h, "the cloud", t->c->allows, "E0412");
	put_bucket(t);
	put_bucket_settings(t);
	put_bucket_policy(t);
	if (t->c->audit) {
		put_trail(t);
		put_flow_logs(t);
	}
	return tf_end(t);
}
