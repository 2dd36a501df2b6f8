/* emit_terraform_network.c - network.tf and security.tf.
 *
 * network.tf: the VPC with DNS support and hostnames, a public and a
 * private subnet in each of `zones` availability zones (cidrsubnet of the
 * VPC range), an internet gateway for the public subnets, and a NAT
 * gateway per zone so a zone's tasks keep egress when another zone is
 * down.  The VPC's default security group is emptied, so nothing can
 * fall back on its allow-all rules.
 *
 * security.tf: one security group per service and one for the load
 * balancer, with rules as separate resources so groups may name each
 * other.  A service admits its port only from the services that list it
 * in `uses` (and from the load balancer when it has an ingress); it may
 * send only to the ports of what it uses (services, and externals on
 * their addresses), to the VPC endpoints (endpoints.tf) and, for ECR's
 * layers, to S3's prefix list; an image from outside AWS needs HTTPS to
 * anywhere for its pull (the app shares it, which --report says); and
 * to its volume's NFS port.  The load
 * balancer takes 443 (and 80, which only redirects) from anywhere, and
 * only when some service has an ingress. */
#include <string.h>

#include "emit_terraform.h"
#include "escape.h"

static const char *vpc_cidr(const struct tf *t)
{
	return t->c->vpc_cidr ? t->c->vpc_cidr : "10.0.0.0/16";
}

static int zones(const struct tf *t)
{
	return t->c->zones > 0 ? t->c->zones : 2;
}

static void put_vpc(struct tf *t)
{
	hcl_block(&t->h, "data", "aws_availability_zones", "available");
	hcl_str(&t->h, "state", "available");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "locals", NULL, NULL);
	hcl_expr(&t->h, "zones", arena_printf(t->a,
		 "slice(data.aws_availability_zones.available.names, 0, %d)", zones(t)));
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_vpc", "main");
	hcl_str(&t->h, "cidr_block", vpc_cidr(t));
	hcl_bool(&t->h, "enable_dns_support", true);
	hcl_bool(&t->h, "enable_dns_hostnames", true);
	hcl_blank(&t->h);
	hcl_object(&t->h, "tags");
	hcl_str(&t->h, "Name", t->m->app.name);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_comment(&t->h, "No rules: nothing may rely on the default group's allow-all.");
	hcl_block(&t->h, "resource", "aws_default_security_group", "main");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* Subnets of 1/16 of the VPC each: public ones first, then private. */
static void put_subnets(struct tf *t, const char *kind, const char *offset)
{
	hcl_block(&t->h, "resource", "aws_subnet", kind);
	hcl_expr(&t->h, "count", "length(local.zones)");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_expr(&t->h, "cidr_block", arena_printf(t->a,
		 "cidrsubnet(aws_vpc.main.cidr_block, 4, count.index%s)", offset));
	hcl_expr(&t->h, "availability_zone", "local.zones[count.index]");
	hcl_bool(&t->h, "map_public_ip_on_launch", false);
	hcl_blank(&t->h);
	hcl_object(&t->h, "tags");
	hcl_expr(&t->h, "Name", arena_printf(t->a, "\"%s-%s-${local.zones[count.index]}\"",
					     escape_hcl(t->a, t->m->app.name), kind));
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_route(struct tf *t, const char *via, const char *target)
{
	hcl_blank(&t->h);
	hcl_block(&t->h, "route", NULL, NULL);
	hcl_str(&t->h, "cidr_block", "0.0.0.0/0");
	hcl_expr(&t->h, via, target);
	hcl_close(&t->h);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_association(struct tf *t, const char *kind, const char *table)
{
	hcl_block(&t->h, "resource", "aws_route_table_association", kind);
	hcl_expr(&t->h, "count", "length(local.zones)");
	hcl_expr(&t->h, "subnet_id", arena_printf(t->a, "aws_subnet.%s[count.index].id", kind));
	hcl_expr(&t->h, "route_table_id", table);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_gateways(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_internet_gateway", "main");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_block(&t->h, "resource", "aws_eip", "nat");
	hcl_expr(&t->h, "count", "length(local.zones)");
	hcl_str(&t->h, "domain", "vpc");
	hcl_close(&t->h);
	hcl_blank(&t->h);
	hcl_comment(&t->h, "One NAT gateway per zone: a zone's tasks keep egress if another zone fails.");
	hcl_block(&t->h, "resource", "aws_nat_gateway", "main");
	hcl_expr(&t->h, "count", "length(local.zones)");
	hcl_expr(&t->h, "allocation_id", "aws_eip.nat[count.index].id");
	hcl_expr(&t->h, "subnet_id", "aws_subnet.public[count.index].id");
	hcl_expr(&t->h, "depends_on", "[aws_internet_gateway.main]");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_routes(struct tf *t)
{
	hcl_block(&t->h, "resource", "aws_route_table", "public");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	put_route(t, "gateway_id", "aws_internet_gateway.main.id");
	put_association(t, "public", "aws_route_table.public.id");
	hcl_block(&t->h, "resource", "aws_route_table", "private");
	hcl_expr(&t->h, "count", "length(local.zones)");
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	put_route(t, "nat_gateway_id", "aws_nat_gateway.main[count.index].id");
	put_association(t, "private", "aws_route_table.private[count.index].id");
}

bool emit_terraform_network(struct tf *t)
{
	if (!tf_begin(t, "network.tf", "The VPC: public subnets for the load balancer and NAT gateways,\n"
			  "private subnets for the tasks."))
		return false;
	put_vpc(t);
	put_subnets(t, "public", "");
	put_subnets(t, "private", " + length(local.zones)");
	put_gateways(t);
	put_routes(t);
	return tf_end(t);
}

/* --- security.tf ---------------------------------------------------------------- */

static void put_group(struct tf *t, const char *label, const char *name, const char *doc)
{
	hcl_block(&t->h, "resource", "aws_security_group", label);
	hcl_str(&t->h, "name", name);
	hcl_str(&t->h, "description", doc);
	hcl_expr(&t->h, "vpc_id", "aws_vpc.main.id");
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

/* One rule: `peer` is a security group label, with a '/' a CIDR, or
 * "prefix:EXPR" a managed prefix list. */
static void put_rule(struct tf *t, const char *dir, const char *group, const char *rule,
		     const char *peer, int port, const char *doc)
{
	hcl_block(&t->h, "resource", arena_cat(t->a, "aws_vpc_security_group_", dir, "_rule", (char *)NULL),
		  arena_cat(t->a, group, "_", rule, (char *)NULL));
	hcl_expr(&t->h, "security_group_id", arena_cat(t->a, "aws_security_group.", group, ".id", (char *)NULL));
	if (!strncmp(peer, "prefix:", 7))
		hcl_expr(&t->h, "prefix_list_id", peer + 7);
	else if (strchr(peer, '/'))
		hcl_str(&t->h, "cidr_ipv4", peer);
	else
		hcl_expr(&t->h, "referenced_security_group_id",
			 arena_cat(t->a, "aws_security_group.", peer, ".id", (char *)NULL));
	hcl_str(&t->h, "ip_protocol", "tcp");
	hcl_int(&t->h, "from_port", port);
	hcl_int(&t->h, "to_port", port);
	hcl_str(&t->h, "description", doc);
	hcl_close(&t->h);
	hcl_blank(&t->h);
}

static void put_alb_rules(struct tf *t)
{
	put_group(t, "alb", tf_aws_name(t, "alb", 255), "the load balancer: HTTPS from anywhere");
	put_rule(t, "ingress", "alb", "https", "0.0.0.0/0", 443, "HTTPS from anywhere");
	put_rule(t, "ingress", "alb", "http", "0.0.0.0/0", 80, "HTTP, answered only with a redirect to HTTPS");
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		if (!s->ingress.set || !s->port)
			continue;
		const char *label = tf_label(t, s->name);
		put_rule(t, "egress", "alb", arena_printf(t->a, "to_%s", label), label, s->port,
			 arena_printf(t->a, "to the targets of %s", s->name));
	}
}

static void put_ingress_rules(struct tf *t, const struct model_service *s)
{
	const char *label = tf_label(t, s->name);
	if (s->ingress.set && s->port && tf_has_ingress(t->m))
		put_rule(t, "ingress", label, "from_alb", "alb", s->port, "from the load balancer");
	for (size_t i = 0; s->port && i < s->used_by_count; i++) {
		const struct model_service *user = s->used_by[i];
		put_rule(t, "ingress", label, arena_printf(t->a, "from_%s", tf_label(t, user->name)),
			 tf_label(t, user->name), s->port,
			 arena_printf(t->a, "from %s, which uses %s", user->name, s->name));
	}
}

/* An external in `uses`: its addresses on its port.  A security group
 * has no deny, so one without addresses opens the port to every IPv4
 * address; other groups still admit no one they do not name, and the
 * metadata addresses of Fargate are not filtered by groups at all. */
static void put_external_rules(struct tf *t, const struct model_service *s, const char *label)
{
	for (size_t i = 0; i < s->external_count; i++) {
		const struct model_external *e = s->externals[i];
		const char *rule = arena_printf(t->a, "to_%s", tf_label(t, e->name));
		const char *doc = arena_printf(t->a, "to external %s (%s)", e->name, e->host);
		if (!e->cidrs.count)
			put_rule(t, "egress", label, rule, "0.0.0.0/0", e->port, doc);
		for (size_t c = 0; c < e->cidrs.count; c++)
			put_rule(t, "egress", label, e->cidrs.count == 1 ? rule
				 : arena_printf(t->a, "%s_%zu", rule, c + 1), e->cidrs.items[c],
				 e->port, doc);
	}
}

/* `endpoints` says which VPC endpoints there are (endpoints.tf). */
static void put_egress_rules(struct tf *t, const struct model_service *s, const char *endpoints)
{
	const char *label = tf_label(t, s->name);
	for (size_t i = 0; i < s->uses_count; i++) {
		const struct model_service *u = s->uses[i];
		if (u->port)
			put_rule(t, "egress", label, arena_printf(t->a, "to_%s", tf_label(t, u->name)),
				 tf_label(t, u->name), u->port, arena_printf(t->a, "to %s", u->name));
	}
	put_rule(t, "egress", label, "endpoints", "endpoints", 443, endpoints);
	if (tf_image_in_aws(t->m, s))
		put_rule(t, "egress", label, "s3", "prefix:aws_vpc_endpoint.s3.prefix_list_id", 443,
			 "HTTPS to S3 through its gateway endpoint, for ECR's image layers");
	else
		put_rule(t, "egress", label, "registry", "0.0.0.0/0", 443,
			 "HTTPS to anywhere to pull the image from a registry outside AWS, shared by the app");
	put_external_rules(t, s, label);
	if (s->volume)
		put_rule(t, "egress", label, "nfs", arena_printf(t->a, "efs_%s", tf_label(t, s->volume->name)),
			 2049, arena_printf(t->a, "NFS to the %s volume", s->volume->name));
}

static void put_volume_group(struct tf *t, const struct model_service *s)
{
	const char *vol = tf_label(t, s->volume->name), *group = arena_printf(t->a, "efs_%s", vol);
	put_group(t, group, tf_aws_name(t, arena_printf(t->a, "efs-%s", s->volume->name), 255),
		  arena_printf(t->a, "the %s volume: NFS from %s only", s->volume->name, s->name));
	put_rule(t, "ingress", group, tf_label(t, s->name), tf_label(t, s->name), 2049,
		 arena_printf(t->a, "NFS from %s", s->name));
}

bool emit_terraform_security(struct tf *t)
{
	if (!tf_has_ecs(t->m))
		return true;
	if (!tf_begin(t, "security.tf", "Security groups: each service is reachable only by what uses it."))
		return false;
	if (tf_has_ingress(t->m))
		put_alb_rules(t);
	/* the same for every service: decided once, as each decision scans them all */
	const char *endpoints = arena_printf(t->a, "HTTPS to the VPC endpoints (%sCloudWatch Logs%s)",
					     tf_has_ecr_endpoints(t->m) ? "ECR, " : "",
					     tf_has_secrets_endpoint(t->m) ? ", Secrets Manager" : "");
	for (size_t i = 0; i < t->m->service_count; i++) {
		const struct model_service *s = t->m->services[i];
		put_group(t, tf_label(t, s->name), tf_aws_name(t, s->name, 255),
			  arena_printf(t->a, "%s: reachable only from what uses it", s->name));
		put_ingress_rules(t, s);
		put_egress_rules(t, s, endpoints);
		if (s->volume)
			put_volume_group(t, s);
	}
	/* A job's task: no inbound rule at all, out to what it uses (the
	 * services' ingress rules name it, through used_by). */
	for (size_t i = 0; i < t->m->job_count; i++) {
		const struct model_service *s = t->m->jobs[i]->run;
		put_group(t, tf_label(t, s->name), tf_aws_name(t, s->name, 255),
			  arena_printf(t->a, "job %s: reachable from nothing", s->name));
		put_egress_rules(t, s, endpoints);
	}
	return tf_end(t);
}
