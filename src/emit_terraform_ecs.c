/* emit_terraform_ecs.c - ecs.tf, storage.tf and logs.tf.
 *
 * ecs.tf: the cluster (Container Insights as the ecs block says), a
 * Service Connect namespace so services reach what they use by the same
 * short names as under Compose ("db:5432"), and per service a Fargate
 * task definition and an ECS service.  The container runs as the model's
 * non-root user with a read-only root filesystem (the writable paths are
 * task-storage volumes), no Linux capabilities, its health check command
 * (the one Docker and Compose run), secrets by ARN, and logs to its own
 * log group.  The task size is the larger of the ecs block's and the
 * service's limits, which the checker requires to be a size Fargate
 * offers (E0326).  Rollouts use
 * the deployment circuit breaker, rolling back when `on_failure =
 * rollback`; stateful services stop the old task before starting the new
 * one, since two must never share a volume.
 *
 * storage.tf: an encrypted EFS file system per volume, mounted through an
 * access point owned by the service's user, with TLS and IAM
 * authorisation.  logs.tf: a log group per service, kept `logs` long. */
#include <string.h>

#include "depgraph.h"
#include "emit_terraform.h"
#include "escape.h"
#include "format.h"
#include "probe.h"

/* --- sizes -------------------------------------------------------------------- */

static int64_t ceil_div(int64_t a, int64_t b)
{
	return (a + b - 1) / b;
}

/* The ecs block's size, raised to the service's limits and then to the
 * smallest Fargate size that holds them; the checker rejected a size
 * written in the ecs block that Fargate does not offer, and limits no
 * size holds (E0326). */
static void task_size(const struct tf *t, const struct model_service *s, int64_t *cpu, int64_t *mem)
{
	fargate_task_fitted(t->c->task_cpu, t->c->task_memory, s->cpu.set ? s->cpu.limit : 0,
			    s->memory.set ? s->memory.limit : 0, cpu, mem);
}

/* --- the container definition ---------------------------------------------------- */

static bool has_service_connect(const struct model_service *s)
{
	return s->uses_count > 0 || (s->port && model_service_used(s));
}

static bool any_service_connect(const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (has_service_connect(m->services[i]))
			return true;
	return false;
}

static const char *image_expr(struct tf *t, const struct model_service *s)
{
	char buf[512];
	const char *image = model_service_image(t->m, s, buf, sizeof buf);
	if (!model_image_built(s))
		return hcl_quote(t->a, image);
	/* REGISTRY/NAME:VERSION -> REGISTRY/NAME:${var.image_tag} */
	const char *colon = strrchr(image, ':');
	size_t n = colon && colon > strrchr(image, '/') ? (size_t)(colon - image) : strlen(image);
	return arena_printf(t->a, "\"%s:${var.image_tag}\"",
			    escape_hcl(t->a, arena_strndup(t->a, image, n)));
}

static void put_name_value(struct tf *t, const char *value_key, const char *name, const char *value,
			   bool expr)
{
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "name", name);
	if (expr)
		hcl_expr(&t->h, value_key, value);
	else
		hcl_str(&t->h, value_key, value);
	hcl_close(&t->h);
}

const char *tf_secret_value_from(struct tf *t, const struct model_secret *sec)
{
	const char *arn = arena_printf(t->a, "data.aws_secretsmanager_secret.%s.arn",
				       tf_label(t, sec->name));
	/* A JSON key of the secret: ARN:KEY:: (version stage and id default). */
	if (sec->property)
		arn = arena_printf(t->a, "\"${%s}:%s::\"", arn, escape_hcl(t->a, sec->property));
	return arn;
}

static void put_environment(struct tf *t, const struct model_service *s)
{
	if (s->env) {
		hcl_list(&t->h, "environment");
		for (const struct model_kv *kv = s->env; kv; kv = kv->next)
			put_name_value(t, "value", kv->key, kv->value, false);
		hcl_close(&t->h);
	}
	if (!s->secrets && !s->composed)
		return;
	hcl_list(&t->h, "secrets");
	for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
		put_name_value(t, "valueFrom", r->env, tf_secret_value_from(t, r->secret), true);
	tf_composed_secrets(t, s);
	hcl_close(&t->h);
}

static void put_ports(struct tf *t, const struct model_service *s)
{
	if (!s->port)
		return;
	hcl_list(&t->h, "portMappings");
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "name", s->name);
	hcl_int(&t->h, "containerPort", s->port);
	hcl_int(&t->h, "hostPort", s->port);
	hcl_str(&t->h, "protocol", "tcp");
	hcl_close(&t->h);
	hcl_close(&t->h);
}

/* A writable path's task-storage volume, named after it: "/tmp" -> "tmp". */
static const char *tmpfs_volume(struct tf *t, const struct model_service *s, size_t i)
{
	return output_slug(t->a, s->tmpfs.items[i]);
}

/* The read-only root's writable paths and the data volume. */
static void put_mounts(struct tf *t, const struct model_service *s)
{
	if (!s->tmpfs.count && !s->volume)
		return;
	hcl_list(&t->h, "mountPoints");
	for (size_t i = 0; i < s->tmpfs.count + (s->volume != NULL); i++) {
		bool data = i == s->tmpfs.count;
		hcl_object(&t->h, NULL);
		hcl_str(&t->h, "sourceVolume", data ? s->volume->name : tmpfs_volume(t, s, i));
		hcl_str(&t->h, "containerPath", !data ? s->tmpfs.items[i] : s->data_path ? s->data_path : "/data");
		hcl_bool(&t->h, "readOnly", false);
		hcl_close(&t->h);
	}
	hcl_close(&t->h);
}

static void put_health(struct tf *t, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	struct model_strings cmd = probe_command(t->a, s, &h->check);
	if (!cmd.count)
		return;
	const char **argv = arena_calloc(t->a, cmd.count + 1, sizeof *argv);
	argv[0] = "CMD";
	memcpy(argv + 1, cmd.items, cmd.count * sizeof *argv);
	struct model_strings full = { argv, cmd.count + 1 };
	hcl_object(&t->h, "healthCheck");
	hcl_strs(&t->h, "command", &full);
	/* ECS's limits: interval 5-300 s, timeout 2-120 s, start 0-300 s, retries 1-10. */
	/* ECS's ranges (interval 5-300 s, timeout 2-120 s, start 0-300 s,
	 * retries 1-10) are checked (E0325), so nothing is clamped here. */
	hcl_int(&t->h, "interval", format_whole_seconds(h->interval_ms).up);
	hcl_int(&t->h, "timeout", format_whole_seconds(h->timeout_ms).up);
	hcl_int(&t->h, "startPeriod", format_whole_seconds(h->start_ms).up);
	hcl_int(&t->h, "retries", h->retries);
	hcl_close(&t->h);
}

static void put_logging(struct tf *t, const struct model_service *s)
{
	hcl_object(&t->h, "logConfiguration");
	hcl_str(&t->h, "logDriver", "awslogs");
	hcl_object(&t->h, "options");
	hcl_expr(&t->h, "awslogs-group", arena_printf(t->a, "aws_cloudwatch_log_group.%s.name",
						     tf_label(t, s->name)));
	hcl_expr(&t->h, "awslogs-region", "var.region");
	hcl_str(&t->h, "awslogs-stream-prefix", s->name);
	hcl_close(&t->h);
	hcl_close(&t->h);
}

static void put_resources(struct tf *t, const struct model_service *s)
{
	if (s->cpu.set)
		hcl_int(&t->h, "cpu", format_ecs_cpu(s->cpu.request).up);
	if (s->memory.set) {
		hcl_int(&t->h, "memory", format_ecs_memory(s->memory.limit).up);
		hcl_int(&t->h, "memoryReservation", format_ecs_memory(s->memory.request).up);
	}
}

static void put_container(struct tf *t, const struct model_service *s)
{
	hcl_object(&t->h, NULL);
	hcl_str(&t->h, "name", s->name);
	hcl_expr(&t->h, "image", image_expr(t, s));
	hcl_bool(&t->h, "essential", true);
	if (s->composed)
		tf_composed_command(t, s);
	else if (s->command.count)
		hcl_strs(&t->h, "command", &s->command);
	hcl_str(&t->h, "user", arena_printf(t->a, "%d:%d", s->user, s->user));
	hcl_bool(&t->h, "readonlyRootFilesystem", s->read_only);
	put_resources(t, s);
	if (s->registry) {
		/* The image's registry is private: ECS pulls with its credential. */
		hcl_object(&t->h, "repositoryCredentials");
		hcl_expr(&t->h, "credentialsParameter", arena_printf(t->a, "data.aws_secretsmanager_secret.%s.arn",
				tf_label(t, s->registry->credential->name)));
		hcl_close(&t->h);
	}
	hcl_object(&t->h, "linuxParameters");
	hcl_bool(&t->h, "initProcessEnabled", true);
	hcl_object(&t->h, "capabilities");
	hcl_expr(&t->h, "drop", "[\"ALL\"]");
	hcl_close(&t->h);
	hcl_close(&t->h);
	put_ports(t, s);
	put_environment(t, s);
	put_mounts(t, s);
	put_health(t, s);
	put_logging(t, s);
	hcl_close(&t->h);
}

/* --- task definitions and services --------------------------------------------------- */

static void put_volumes(struct tf *t, const struct model_service *s)
{
	for (size_t i = 0; i < s->tmpfs.count; i++) {
		hcl_blank(&t->h);
		hcl_block(&t->h, "volume", NULL, NULL);
		hcl_str(&t->h, "name", tmpfs_volume(t, s, i));
		hcl_close(&t->h);
	}
	if (!s->volume)
		return;
	const char *vol = tf_label(t, s->volume->name);
	hcl_blank(&t->h);
	hcl_block(&t->h, "volume", NULL, NULL);
	hcl_str(&t->h, "name", s->volume->name);
	hcl_blank(&t->h);
	hcl_block(&t->h, "efs_volume_configuration", NULL, NULL);
	hcl_expr(&t->h, "file_system_id", arena_printf(t->a, "aws_efs_file_system.%s.id", vol));
	hcl_str(&t->h, "transit_encryption", "ENABLED");
	hcl_blank(&t->h);
	hcl_block(&t->h, "authorization_config", NULL, NULL);
	hcl_expr(&t->h, "access_point_id", arena_printf(t->a, "aws_efs_access_point.%s.id", vol));
	hcl_str(&t->h, "iam", "ENABLED");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
}

void tf_put_task(struct tf *t, const struct model_service *s)
{
	const char *label = tf_label(t, s->name);
	int64_t cpu, mem;
	task_size(t, s, &cpu, &mem);
	hcl_block(&t->h, "resource", "aws_ecs_task_definition", label);
	hcl_str(&t->h, "family", tf_aws_name(t, s->name, 255));
	hcl_expr(&t->h, "requires_compatibilities", "[\"FARGATE\"]");
	hcl_str(&t->h, "network_mode", "awsvpc");
	hcl_int(&t->h, "cpu", cpu);
	hcl_int(&t->h, "memory", mem);
	hcl_expr(&t->h, "execution_role_arn", arena_printf(t->a, "aws_iam_role.%s_execution.arn", label));
	hcl_expr(&t->h, "task_role_arn", arena_printf(t->a, "aws_iam_role.%s_task.arn", label));
	hcl_blank(&t->h);
	hcl_block(&t->h, "runtime_platform", NULL, NULL);
	hcl_str(&t->h, "operating_system_family", "LINUX");
	hcl_str(&t->h, "cpu_architecture", "X86_64");
	hcl_close(&t->h);
	put_volumes(t, s);
	hcl_blank(&t->h);
	hcl_open(&t->h, "container_definitions", "jsonencode([", "])");
	put_container(t, s);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* Stateless services replace `parallelism` tasks at a time beside the
 * running ones; stateful ones stop the old task first. */
static void put_deployment(struct tf *t, const struct model_service *s)
{
	int max = 100;
	if (!s->stateful) {
		int replicas = s->replicas > 0 ? s->replicas : 1, p = s->rollout.parallelism > 0 ? s->rollout.parallelism : 1;
		max = 100 + (int)ceil_div(100 * (int64_t)p, replicas);
		if (max > 200)
			max = 200;
	}
	hcl_int(&t->h, "deployment_minimum_healthy_percent", s->stateful ? 0 : 100);
	hcl_int(&t->h, "deployment_maximum_percent", max);
}

static void put_circuit_breaker(struct tf *t, const struct model_service *s)
{
	hcl_blank(&t->h);
	hcl_block(&t->h, "deployment_circuit_breaker", NULL, NULL);
	hcl_bool(&t->h, "enable", s->rollout.on_failure != ON_FAILURE_CONTINUE);
	hcl_bool(&t->h, "rollback", s->rollout.on_failure == ON_FAILURE_ROLLBACK);
	hcl_close(&t->h);
}

static void put_network(struct tf *t, const struct model_service *s)
{
	hcl_blank(&t->h);
	hcl_block(&t->h, "network_configuration", NULL, NULL);
	hcl_expr(&t->h, "subnets", "aws_subnet.private[*].id");
	hcl_expr(&t->h, "security_groups", arena_printf(t->a, "[aws_security_group.%s.id]", tf_label(t, s->name)));
	hcl_bool(&t->h, "assign_public_ip", false);
	hcl_close(&t->h);
	if (!s->ingress.set || !s->port)
		return;
	hcl_blank(&t->h);
	hcl_block(&t->h, "load_balancer", NULL, NULL);
	hcl_expr(&t->h, "target_group_arn", arena_printf(t->a, "aws_lb_target_group.%s.arn", tf_label(t, s->name)));
	hcl_str(&t->h, "container_name", s->name);
	hcl_int(&t->h, "container_port", s->port);
	hcl_close(&t->h);
}

/* Clients reach a used service as NAME:PORT, as under Compose. */
static void put_service_connect(struct tf *t, const struct model_service *s)
{
	if (!has_service_connect(s))
		return;
	hcl_blank(&t->h);
	hcl_block(&t->h, "service_connect_configuration", NULL, NULL);
	hcl_bool(&t->h, "enabled", true);
	hcl_expr(&t->h, "namespace", "aws_service_discovery_http_namespace.main.arn");
	if (s->port && model_service_used(s)) {
		hcl_blank(&t->h);
		hcl_block(&t->h, "service", NULL, NULL);
		hcl_str(&t->h, "port_name", s->name);
		hcl_str(&t->h, "discovery_name", s->name);
		hcl_blank(&t->h);
		hcl_block(&t->h, "client_alias", NULL, NULL);
		hcl_str(&t->h, "dns_name", s->name);
		hcl_int(&t->h, "port", s->port);
		hcl_close(&t->h);
		hcl_close(&t->h);
	}
	hcl_close(&t->h);
}

/* Terraform orders what references what; these two orders it cannot
 * see.  The load balancer refuses a target group in a service until a
 * listener rule forwards to it.  And a Service Connect task learns only
 * the endpoints that exist when it starts, so a service created before
 * what it uses would not reach it until its next deployment: AWS asks
 * for the user to depend on each service it connects to.  Those are the
 * service's edges in the dependency graph, and nothing else is added. */
static void put_depends_on(struct tf *t, const struct model_service *s)
{
	const struct dep_node *n = depgraph_node(t->m->deps, s);
	const char **on = arena_calloc(t->a, n->edge_count + 1, sizeof *on);
	size_t count = 0;
	if (s->ingress.set && s->port)
		on[count++] = arena_printf(t->a, "aws_lb_listener_rule.%s", tf_label(t, s->name));
	for (size_t i = 0; i < n->edge_count; i++)
		on[count++] = arena_printf(t->a, "aws_ecs_service.%s", tf_label(t, n->edges[i].to->name));
	if (!count)
		return;
	hcl_blank(&t->h);
	if (count == 1) {
		hcl_expr(&t->h, "depends_on", arena_printf(t->a, "[%s]", on[0]));
		return;
	}
	hcl_list(&t->h, "depends_on");
	for (size_t i = 0; i < count; i++)
		hcl_expr(&t->h, NULL, on[i]);
	hcl_close(&t->h);
}

static void put_service_tail(struct tf *t, const struct model_service *s)
{
	if (s->autoscale.set) {
		hcl_blank(&t->h);
		hcl_comment(&t->h, "Autoscaling owns the count once the service exists.");
		hcl_block(&t->h, "lifecycle", NULL, NULL);
		hcl_expr(&t->h, "ignore_changes", "[desired_count]");
		hcl_close(&t->h);
	}
	put_depends_on(t, s);
}

static void put_service(struct tf *t, const struct model_service *s)
{
	const char *label = tf_label(t, s->name);
	int desired = s->replicas;
	if (s->autoscale.set && desired < s->autoscale.min)
		desired = s->autoscale.min;
	hcl_block(&t->h, "resource", "aws_ecs_service", label);
	hcl_str(&t->h, "name", s->name);
	hcl_expr(&t->h, "cluster", "aws_ecs_cluster.main.id");
	hcl_expr(&t->h, "task_definition", arena_printf(t->a, "aws_ecs_task_definition.%s.arn", label));
	hcl_str(&t->h, "launch_type", "FARGATE");
	hcl_str(&t->h, "platform_version", "LATEST");
	hcl_int(&t->h, "desired_count", desired);
	put_deployment(t, s);
	if (s->ingress.set && s->port)
		hcl_int(&t->h, "health_check_grace_period_seconds", tf_seconds(s->health.start_ms, 0, 2147483647));
	hcl_str(&t->h, "propagate_tags", "SERVICE");
	hcl_bool(&t->h, "enable_execute_command", false);
	put_circuit_breaker(t, s);
	put_network(t, s);
	put_service_connect(t, s);
	put_service_tail(t, s);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_autoscaling(struct tf *t, const struct model_service *s)
{
	const char *label = tf_label(t, s->name);
	hcl_block(&t->h, "resource", "aws_appautoscaling_target", label);
	hcl_str(&t->h, "service_namespace", "ecs");
	hcl_str(&t->h, "scalable_dimension", "ecs:service:DesiredCount");
	hcl_expr(&t->h, "resource_id", arena_printf(t->a,
		 "\"service/${aws_ecs_cluster.main.name}/${aws_ecs_service.%s.name}\"", label));
	hcl_int(&t->h, "min_capacity", s->autoscale.min);
	hcl_int(&t->h, "max_capacity", s->autoscale.max);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_appautoscaling_policy", arena_printf(t->a, "%s_cpu", label));
	hcl_str(&t->h, "name", tf_aws_name(t, arena_printf(t->a, "%s-cpu", s->name), 255));
	hcl_str(&t->h, "policy_type", "TargetTrackingScaling");
	const char *target = arena_printf(t->a, "aws_appautoscaling_target.%s", label);
	hcl_expr(&t->h, "service_namespace", arena_printf(t->a, "%s.service_namespace", target));
	hcl_expr(&t->h, "scalable_dimension", arena_printf(t->a, "%s.scalable_dimension", target));
	hcl_expr(&t->h, "resource_id", arena_printf(t->a, "%s.resource_id", target));
	hcl_blank(&t->h);
	hcl_block(&t->h, "target_tracking_scaling_policy_configuration", NULL, NULL);
	hcl_expr(&t->h, "target_value", arena_printf(t->a, "%g", s->autoscale.cpu_percent));
	hcl_blank(&t->h);
	hcl_block(&t->h, "predefined_metric_specification", NULL, NULL);
	hcl_str(&t->h, "predefined_metric_type", "ECSServiceAverageCPUUtilization");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_cluster(struct tf *t)
{
	bool connect = any_service_connect(t->m);
	if (connect) {
		hcl_block(&t->h, "resource", "aws_service_discovery_http_namespace", "main");
		hcl_str(&t->h, "name", t->m->app.name);
		hcl_str(&t->h, "description", "Service Connect names: services reach what they use as NAME:PORT");
		hcl_close(&t->h);
		hcl_blank(&t->h);
	}
	hcl_block(&t->h, "resource", "aws_ecs_cluster", "main");
	hcl_str(&t->h, "name", t->c->ecs_cluster ? t->c->ecs_cluster : t->m->app.name);
	hcl_blank(&t->h);
	hcl_block(&t->h, "setting", NULL, NULL);
	hcl_str(&t->h, "name", "containerInsights");
	hcl_str(&t->h, "value", t->c->insights ? "enabled" : "disabled");
	hcl_close(&t->h);
	if (connect) {
		hcl_blank(&t->h);
		hcl_block(&t->h, "service_connect_defaults", NULL, NULL);
		hcl_expr(&t->h, "namespace", "aws_service_discovery_http_namespace.main.arn");
		hcl_close(&t->h);
	}
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

bool emit_terraform_ecs(struct tf *t)
{
	if (!tf_has_ecs(t->m))
		return true;
	if (!tf_begin(t, "ecs.tf", "The ECS cluster and a Fargate task and service per service."))
		return false;
	put_cluster(t);
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		hcl_comment(&t->h, arena_printf(t->a, "--- %s", s->name));
		hcl_allows(&t->h, NULL, s->allows, NULL);
		hcl_blank(&t->h);
		tf_put_task(t, s);
		put_service(t, s);
		if (s->autoscale.set)
			put_autoscaling(t, s);
	}
	return tf_end(t);
}

/* --- storage.tf ------------------------------------------------------------------------ */

static void put_file_system(struct tf *t, const struct model_service *s)
{
	const char *vol = tf_label(t, s->volume->name);
	hcl_block(&t->h, "resource", "aws_efs_file_system", vol);
	hcl_str(&t->h, "creation_token", tf_aws_name(t, s->volume->name, 64));
	hcl_bool(&t->h, "encrypted", true);
	hcl_blank(&t->h);
	hcl_object(&t->h, "tags");
	hcl_str(&t->h, "Name", tf_aws_name(t, s->volume->name, 255));
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_efs_mount_target", vol);
	hcl_expr(&t->h, "count", "length(local.zones)");
	hcl_expr(&t->h, "file_system_id", arena_printf(t->a, "aws_efs_file_system.%s.id", vol));
	hcl_expr(&t->h, "subnet_id", "aws_subnet.private[count.index].id");
	hcl_expr(&t->h, "security_groups", arena_printf(t->a, "[aws_security_group.efs_%s.id]", vol));
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_backup(struct tf *t, const char *vol)
{
	hcl_block(&t->h, "resource", "aws_efs_backup_policy", vol);
	hcl_expr(&t->h, "file_system_id", arena_printf(t->a, "aws_efs_file_system.%s.id", vol));
	hcl_blank(&t->h);
	hcl_block(&t->h, "backup_policy", NULL, NULL);
	hcl_str(&t->h, "status", "ENABLED");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* The service sees only its own directory, as its own user. */
static void put_access_point(struct tf *t, const struct model_service *s)
{
	const char *vol = tf_label(t, s->volume->name);
	hcl_block(&t->h, "resource", "aws_efs_access_point", vol);
	hcl_expr(&t->h, "file_system_id", arena_printf(t->a, "aws_efs_file_system.%s.id", vol));
	hcl_blank(&t->h);
	hcl_block(&t->h, "posix_user", NULL, NULL);
	hcl_int(&t->h, "uid", s->user);
	hcl_int(&t->h, "gid", s->user);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "root_directory", NULL, NULL);
	hcl_str(&t->h, "path", arena_printf(t->a, "/%s", s->volume->name));
	hcl_blank(&t->h);
	hcl_block(&t->h, "creation_info", NULL, NULL);
	hcl_int(&t->h, "owner_uid", s->user);
	hcl_int(&t->h, "owner_gid", s->user);
	hcl_str(&t->h, "permissions", "0700");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

bool emit_terraform_storage(struct tf *t)
{
	bool any = false;
	for (size_t i = 0; tf_has_ecs(t->m) && i < t->m->service_count; i++)
		any |= t->m->services[i]->volume != NULL;
	if (!any)
		return true;
	if (!tf_begin(t, "storage.tf", "Volumes: an encrypted, backed-up EFS file system each, mounted over TLS."))
		return false;
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		if (!s->volume)
			continue;
		put_file_system(t, s);
		put_backup(t, tf_label(t, s->volume->name));
		put_access_point(t, s);
	}
	return tf_end(t);
}

/* --- logs.tf ---------------------------------------------------------------------------- */

/* CloudWatch takes only these retentions, in days. */
static int retention_days(int64_t ms)
{
	static const int valid[] = { 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
				     731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 };
	int64_t days = ceil_div(ms > 0 ? ms : 30LL * 86400000, 86400000);
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++)
		if (valid[i] >= days)
			return valid[i];
	return 3653;
}

bool emit_terraform_logs(struct tf *t)
{
	if (!tf_has_ecs(t->m))
		return true;
	if (!tf_begin(t, "logs.tf", "A log group per service."))
		return false;
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		hcl_block(&t->h, "resource", "aws_cloudwatch_log_group", tf_label(t, s->name));
		hcl_str(&t->h, "name", arena_printf(t->a, "/ecs/%s/%s", t->m->app.name, s->name));
		hcl_int(&t->h, "retention_in_days", retention_days(t->c->log_retention_ms));
		hcl_close(&t->h);
		hcl_blank(&t->h);
	}
	for (size_t i = 0; i < t->m->job_count; i++) {
		const struct model_job *j = t->m->jobs[i];
		hcl_block(&t->h, "resource", "aws_cloudwatch_log_group", tf_label(t, j->name));
		hcl_str(&t->h, "name", arena_printf(t->a, "/ecs/%s/%s", t->m->app.name, j->name));
		hcl_int(&t->h, "retention_in_days", retention_days(t->c->log_retention_ms));
		hcl_close(&t->h);
		hcl_blank(&t->h);
	}
	return tf_end(t);
}
