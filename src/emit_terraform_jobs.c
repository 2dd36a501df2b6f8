/* emit_terraform_jobs.c - jobs.tf: jobs on ECS.
 *
 * Each job has a Fargate task definition hardened as a service's is
 * (tf_put_task: non-root, read-only root, no capabilities, secrets by
 * ARN, its own log group, roles and security group written beside the
 * services').  No ECS service runs it.  A one-off job is started by the
 * workflow with `aws ecs run-task` before the services in its `before`
 * are updated; the CI deploy role may run exactly these task families.
 * A scheduled job is an EventBridge Scheduler schedule with an ECS
 * target, whose role may run only that job's task definition family and
 * pass only that job's two roles, to ECS tasks alone. */
#include "cron.h"
#include "emit_terraform.h"
#include "escape.h"

/* "arn:...:task-definition/FAMILY:*": every revision of the family, so
 * the workflow's new revisions may run too. */
static const char *family_arn(struct tf *t, const char *label)
{
	return arena_printf(t->a, "\"${aws_ecs_task_definition.%s.arn_without_revision}:*\"", label);
}

static void put_statement_start(struct tf *t, const char *sid, const char *actions)
{
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "Sid", sid);
	hcl_str(&t->h, "Effect", "Allow");
	hcl_expr(&t->h, "Action", actions);
}

/* iam:PassRole on the job's execution and task roles, to ECS tasks only. */
static void put_pass_roles(struct tf *t, const char **labels, size_t n)
{
	put_statement_start(t, "PassJobRoles", "[\"iam:PassRole\"]");
	hcl_list(&t->h, "Resource");
	for (size_t i = 0; i < n; i++) {
		hcl_expr(&t->h, NULL, arena_printf(t->a, "aws_iam_role.%s_execution.arn", labels[i]));
		hcl_expr(&t->h, NULL, arena_printf(t->a, "aws_iam_role.%s_task.arn", labels[i]));
	}
	hcl_close(&t->h);
	hcl_open(&t->h, "Condition", "{", "}");
	hcl_open(&t->h, "StringEquals", "{", "}");
	hcl_str(&t->h, "iam:PassedToService", "ecs-tasks.amazonaws.com");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
}

static void put_run_task(struct tf *t, const char **labels, size_t n)
{
	put_statement_start(t, "RunJobTasks", "[\"ecs:RunTask\"]");
	hcl_list(&t->h, "Resource");
	for (size_t i = 0; i < n; i++)
		hcl_expr(&t->h, NULL, family_arn(t, labels[i]));
	hcl_close(&t->h);
	hcl_open(&t->h, "Condition", "{", "}");
	hcl_open(&t->h, "ArnEquals", "{", "}");
	hcl_expr(&t->h, "ecs:cluster", "aws_ecs_cluster.main.arn");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
}

/* Only EventBridge Scheduler, for this account, may take the role. */
static void put_scheduler_role(struct tf *t, const struct model_job *j, const char *label)
{
	const char *role = arena_printf(t->a, "%s_schedule", label);
	hcl_block(&t->h, "resource", "aws_iam_role", role);
	hcl_str(&t->h, "name", tf_aws_name(t, arena_printf(t->a, "%s-schedule", j->name), 64));
	hcl_open(&t->h, "assume_role_policy", "jsonencode({", "})");
	hcl_str(&t->h, "Version", "2012-10-17");
	hcl_list(&t->h, "Statement");
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "Effect", "Allow");
	hcl_str(&t->h, "Action", "sts:AssumeRole");
	hcl_open(&t->h, "Principal", "{", "}");
	hcl_str(&t->h, "Service", "scheduler.amazonaws.com");
	hcl_close(&t->h);
	hcl_open(&t->h, "Condition", "{", "}");
	hcl_open(&t->h, "StringEquals", "{", "}");
	hcl_expr(&t->h, "aws:SourceAccount", "data.aws_caller_identity.current.account_id");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	tf_role_policy_open(t, role, role, "run-own-task");
	put_run_task(t, &label, 1);
	put_pass_roles(t, &label, 1);
	tf_role_policy_close(t);
}

static void put_schedule(struct tf *t, const struct model_job *j, const char *label)
{
	hcl_block(&t->h, "resource", "aws_scheduler_schedule", label);
	hcl_str(&t->h, "name", tf_aws_name(t, j->name, 64));
	hcl_str(&t->h, "description", arena_printf(t->a, "job %s, on \"%s\" (UTC)", j->name, j->schedule));
	hcl_str(&t->h, "schedule_expression", cron_to_aws(t->a, j->schedule));
	hcl_str(&t->h, "schedule_expression_timezone", "UTC");
	hcl_blank(&t->h);
	hcl_block(&t->h, "flexible_time_window", NULL, NULL);
	hcl_str(&t->h, "mode", "OFF");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "target", NULL, NULL);
	hcl_expr(&t->h, "arn", "aws_ecs_cluster.main.arn");
	hcl_expr(&t->h, "role_arn", arena_printf(t->a, "aws_iam_role.%s_schedule.arn", label));
	hcl_blank(&t->h);
	hcl_block(&t->h, "ecs_parameters", NULL, NULL);
	hcl_expr(&t->h, "task_definition_arn", arena_printf(t->a, "aws_ecs_task_definition.%s.arn", label));
	hcl_str(&t->h, "launch_type", "FARGATE");
	hcl_str(&t->h, "platform_version", "LATEST");
	hcl_int(&t->h, "task_count", 1);
	hcl_blank(&t->h);
	hcl_block(&t->h, "network_configuration", NULL, NULL);
	hcl_expr(&t->h, "subnets", "aws_subnet.private[*].id");
	hcl_expr(&t->h, "security_groups", arena_printf(t->a, "[aws_security_group.%s.id]", label));
	hcl_bool(&t->h, "assign_public_ip", false);
	hcl_close(&t->h);
	hcl_close(&t->h);
	/* The scheduler retries starting the task, not a task that failed. */
	hcl_blank(&t->h);
	hcl_block(&t->h, "retry_policy", NULL, NULL);
	hcl_int(&t->h, "maximum_retry_attempts", 3);
	hcl_int(&t->h, "maximum_event_age_in_seconds", 3600);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* The workflow starts the one-off jobs (run-task), follows them
 * (describe-tasks) and reads their logs when one fails; it finds the
 * job's security group by name (describe-security-groups, which takes
 * no resource). */
static void put_deploy_run_jobs(struct tf *t)
{
	const struct model *m = t->m;
	const char **labels = arena_calloc(t->a, m->job_count + 1, sizeof *labels);
	size_t n = 0;
	for (size_t i = 0; i < m->job_count; i++)
		if (!model_job_scheduled(m->jobs[i]))
			labels[n++] = tf_label(t, m->jobs[i]->name);
	if (!n || !tf_has_deploy_role(m))
		return;
	hcl_comment(&t->h, "--- the CI deploy jobs run the one-off jobs before the services wait for them");
	hcl_blank(&t->h);
	tf_role_policy_open(t, "github_deploy_jobs", "github_deploy", "run-one-off-jobs");
	put_run_task(t, labels, n);
	put_pass_roles(t, labels, n);
	put_statement_start(t, "FollowJobTasks", "[\"ecs:DescribeTasks\", \"ecs:StopTask\"]");
	hcl_expr(&t->h, "Resource", "\"arn:${data.aws_partition.current.partition}:ecs:${var.region}:"
		 "${data.aws_caller_identity.current.account_id}:task/${aws_ecs_cluster.main.name}/*\"");
	hcl_close(&t->h);
	put_statement_start(t, "ReadJobTaskDefinitions", "[\"ecs:DescribeTaskDefinition\", "
			    "\"ecs:RegisterTaskDefinition\", \"ec2:DescribeSecurityGroups\"]");
	hcl_str(&t->h, "Resource", "*");
	hcl_close(&t->h);
	put_statement_start(t, "ReadJobLogs", "[\"logs:GetLogEvents\"]");
	hcl_list(&t->h, "Resource");
	for (size_t i = 0; i < n; i++)
		hcl_expr(&t->h, NULL, arena_printf(t->a, "\"${aws_cloudwatch_log_group.%s.arn}:*\"", labels[i]));
	hcl_close(&t->h);
	hcl_close(&t->h);
	tf_role_policy_close(t);
}

bool emit_terraform_jobs(struct tf *t)
{
	if (!tf_has_ecs(t->m) || !t->m->job_count)
		return true;
	if (!tf_begin(t, "jobs.tf", "A Fargate task per job: one-off jobs run by the workflow, "
		      "scheduled ones by EventBridge Scheduler."))
		return false;
	for (size_t i = 0; i < t->m->job_count; i++) {
		const struct model_job *j = t->m->jobs[i];
		const char *label = tf_label(t, j->name);
		hcl_comment(&t->h, arena_printf(t->a, "--- job %s: %s", j->name, model_job_scheduled(j)
						? "scheduled" : "one-off, run by the workflow"));
		hcl_allows(&t->h, NULL, j->run->allows, NULL);
		hcl_blank(&t->h);
		tf_put_task(t, j->run);
		if (model_job_scheduled(j)) {
			put_scheduler_role(t, j, label);
			put_schedule(t, j, label);
		}
	}
	put_deploy_run_jobs(t);
	return tf_end(t);
}
