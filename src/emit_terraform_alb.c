/* emit_terraform_alb.c - alb.tf: the HTTPS entry for ingress services.
 *
 * One internet-facing application load balancer in the public subnets,
 * dropping malformed headers.  Port 443 terminates TLS with the ACM
 * certificate given in var.certificate_arn under a TLS 1.2+ policy and
 * forwards each ingress's host (and path) to its service's target group;
 * anything else gets a 404.  Port 80 only redirects to 443.  Target
 * health checks use the service's readiness path.  Access logs go to the
 * audit bucket (audit.tf) unless every ingress service turns them off
 * (access_log = false, an exception the source allows with a reason,
 * written above the balancer).  No ingress service, no file. */
#include <string.h>

#include "emit_terraform.h"

/* The readiness probe's path, else the liveness probe's, else NULL. */
static const char *health_path(const struct model_service *s)
{
	if (s->health.readiness.kind == PROBE_HTTP)
		return s->health.readiness.path;
	if (s->health.liveness.kind == PROBE_HTTP)
		return s->health.liveness.path;
	return NULL;
}

static void put_target_health(struct tf *t, const struct model_service *s)
{
	const struct model_health *h = &s->health;
	const char *path = health_path(s);
	long interval = tf_seconds(h->interval_ms, 5, 300);
	long timeout = tf_seconds(h->timeout_ms, 2, 120);
	/* A target group's timeout must be shorter than its interval. */
	if (timeout >= interval)
		timeout = interval - 1;
	hcl_blank(&t->h);
	hcl_block(&t->h, "health_check", NULL, NULL);
	hcl_str(&t->h, "path", path ? path : "/");
	hcl_str(&t->h, "matcher", path ? "200-399" : "200-499");
	hcl_int(&t->h, "interval", interval);
	hcl_int(&t->h, "timeout", timeout);
	hcl_int(&t->h, "healthy_threshold", 2);
	hcl_int(&t->h, "unhealthy_threshold", h->retries < 2 ? 2 : h->retries > 10 ? 10 : h->retries);
	hcl_close(&t->h);
}

static void put_target_group(struct tf *t, const struct model_service *s)
{
	hcl_block(&t->h, "resource", "aws_lb_target_group", tf_label(t, s->name));
	hcl_str(&t->h, "name", tf_aws_name(t, s->name, 32));
	hcl_int(&t->h, "port", s->port);
	hcl_str(&t->h, "protocol", "HTTP");
	hcl_str(&t->h, "target_type", "ip");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_int(&t->h, "deregistration_delay", 30);
	put_target_health(t, s);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_conditions(struct tf *t, const struct model_service *s)
{
	const char *path = s->ingress.path;
	bool any_path = !path || !strcmp(path, "/");
	if (s->ingress.host) {
		hcl_blank(&t->h);
		hcl_block(&t->h, "condition", NULL, NULL);
		hcl_block(&t->h, "host_header", NULL, NULL);
		hcl_expr(&t->h, "values", arena_printf(t->a, "[%s]", hcl_quote(t->a, s->ingress.host)));
		hcl_close(&t->h);
		hcl_close(&t->h);
	}
	if (s->ingress.host && any_path)
		return;
	const char *base = any_path ? "" : path[strlen(path) - 1] == '/'
			 ? arena_strndup(t->a, path, strlen(path) - 1) : path;
	hcl_blank(&t->h);
	hcl_block(&t->h, "condition", NULL, NULL);
	hcl_block(&t->h, "path_pattern", NULL, NULL);
	if (any_path)
		hcl_expr(&t->h, "values", "[\"/*\"]");
	else
		hcl_expr(&t->h, "values", arena_printf(t->a, "[%s, %s]", hcl_quote(t->a, base),
						       hcl_quote(t->a, arena_printf(t->a, "%s/*", base))));
	hcl_close(&t->h);
	hcl_close(&t->h);
}

static void put_rule(struct tf *t, const struct model_service *s, int priority)
{
	const char *label = tf_label(t, s->name);
	hcl_block(&t->h, "resource", "aws_lb_listener_rule", label);
	hcl_expr(&t->h, "listener_arn", "aws_lb_listener.https.arn");
	hcl_int(&t->h, "priority", priority);
	hcl_blank(&t->h);
	hcl_block(&t->h, "action", NULL, NULL);
	hcl_str(&t->h, "type", "forward");
	hcl_expr(&t->h, "target_group_arn", arena_printf(t->a, "aws_lb_target_group.%s.arn", label));
	hcl_close(&t->h);
	put_conditions(t, s);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* The reasons for access_log = false, and, when the balancer logs
 * anyway for another service, that those requests are logged too. */
static void put_access_log_allows(struct tf *t)
{
	bool logs = tf_alb_logs(t->m);
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		if (!s->ingress.set || !s->port || s->ingress.access_log)
			continue;
		hcl_allows(&t->h, arena_printf(t->a, "service %s", s->name), s->allows, "E0413");
		if (logs)
			hcl_comment(&t->h, arena_printf(t->a, "The balancer logs for other services, so "
							"it logs %s's requests as well.", s->name));
	}
}

static void put_balancer(struct tf *t)
{
	put_access_log_allows(t);
	hcl_block(&t->h, "resource", "aws_lb", "main");
	hcl_str(&t->h, "name", tf_aws_name(t, "alb", 32));
	hcl_str(&t->h, "load_balancer_type", "application");
	hcl_bool(&t->h, "internal", false);
	hcl_expr(&t->h, "security_groups", "[aws_security_group.alb.id]");
	hcl_expr(&t->h, "subnets", "aws_subnet.public[*].id");
	hcl_bool(&t->h, "drop_invalid_header_fields", true);
	if (tf_alb_logs(t->m)) {
		hcl_blank(&t->h);
		hcl_block(&t->h, "access_logs", NULL, NULL);
		hcl_expr(&t->h, "bucket", "aws_s3_bucket.audit.id");
		hcl_str(&t->h, "prefix", "alb");
		hcl_bool(&t->h, "enabled", true);
		hcl_close(&t->h);
		hcl_blank(&t->h);
		hcl_expr(&t->h, "depends_on", "[aws_s3_bucket_policy.audit]");
	}
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_https(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_lb_listener", "https");
	hcl_expr(&t->h, "load_balancer_arn", "aws_lb.main.arn");
	hcl_int(&t->h, "port", 443);
	hcl_str(&t->h, "protocol", "HTTPS");
	hcl_str(&t->h, "ssl_policy", "ELBSecurityPolicy-TLS13-1-2-2021-06");
	hcl_expr(&t->h, "certificate_arn", "var.certificate_arn");
	hcl_blank(&t->h);
	hcl_block(&t->h, "default_action", NULL, NULL);
	hcl_str(&t->h, "type", "fixed-response");
	hcl_blank(&t->h);
	hcl_block(&t->h, "fixed_response", NULL, NULL);
	hcl_str(&t->h, "content_type", "text/plain");
	hcl_str(&t->h, "message_body", "not found");
	hcl_str(&t->h, "status_code", "404");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_redirect(struct tf *t)
{
	hcl_comment(&t->h, "Plain HTTP only ever redirects to HTTPS.");
	hcl_block(&t->h, "resource", "aws_lb_listener", "http");
	hcl_expr(&t->h, "load_balancer_arn", "aws_lb.main.arn");
	hcl_int(&t->h, "port", 80);
	hcl_str(&t->h, "protocol", "HTTP");
	hcl_blank(&t->h);
	hcl_block(&t->h, "default_action", NULL, NULL);
	hcl_str(&t->h, "type", "redirect");
	hcl_blank(&t->h);
	hcl_block(&t->h, "redirect", NULL, NULL);
	hcl_str(&t->h, "port", "443");
	hcl_str(&t->h, "protocol", "HTTPS");
	hcl_str(&t->h, "status_code", "HTTP_301");
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

bool emit_terraform_alb(struct tf *t)
{
	if (!tf_has_ingress(t->m))
		return true;
	if (!tf_begin(t, "alb.tf", "The load balancer in front of the ingress services: HTTPS only."))
		return false;
	put_balancer(t);
	put_https(t);
	put_redirect(t);
	int priority = 0;
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		if (!s->ingress.set || !s->port)
			continue;
		put_target_group(t, s);
		put_rule(t, s, priority += 10);
	}
	return tf_end(t);
}
