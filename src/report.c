/* report.c - the translation report (see report.h).
 *
 * One function per target holds that target's rules.  Each rule tests
 * the model for a construct the backend cannot express as written and
 * says what the backend does instead; the comment above it names the
 * backend code, so a change there has one obvious place to update here.
 * The consistency test (tests/consistency.c) checks the facts that do
 * translate; this lists the ones that do not. */
#include "report.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "depgraph.h"
#include "emit_k8s.h"
#include "emit_terraform.h"
#include "escape.h"
#include "format.h"
#include "image_host.h"
#include "probe.h"

struct rctx {
	struct arena *a;
	const struct model *m;
	struct report *r;
	struct report_entry **tail;
	const char *target;
};

static void add(struct rctx *c, enum report_kind kind, const char *subject,
		const struct model_origin *origin, const char *construct, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void add(struct rctx *c, enum report_kind kind, const char *subject,
		const struct model_origin *origin, const char *construct, const char *fmt, ...)
{
	va_list ap;
	struct report_entry *e = arena_calloc(c->a, 1, sizeof *e);
	e->target = c->target;
	e->kind = kind;
	e->subject = subject;
	e->construct = construct;
	e->origin = origin;
	va_start(ap, fmt);
	e->why = arena_vprintf(c->a, fmt, ap);
	va_end(ap);
	*c->tail = e;
	c->tail = &e->next;
	c->r->count++;
}

#define APPROX(c, s, construct, ...) \
	add(c, REPORT_APPROXIMATED, arena_printf((c)->a, "service %s", (s)->name), &(s)->origin, construct, __VA_ARGS__)
#define DROP(c, s, construct, ...) \
	add(c, REPORT_DROPPED, arena_printf((c)->a, "service %s", (s)->name), &(s)->origin, construct, __VA_ARGS__)

/* The probe Docker, Compose and ECS run has no command (probe.c,
 * probe_command: a published image, or a build with no probe tool). */
static bool check_unrunnable(struct rctx *c, const struct model_service *s)
{
	return s->health.check.kind != PROBE_NONE && !probe_command(c->a, s, &s->health.check).count;
}

/* Liveness and readiness are different probes: one check runs. */
static bool two_probes(const struct model_service *s)
{
	const struct model_probe *l = &s->health.liveness, *r = &s->health.readiness;
	return l->kind != PROBE_NONE && r->kind != PROBE_NONE &&
	       (l->kind != r->kind || (l->path && r->path && strcmp(l->path, r->path)));
}

static bool same_probe(const struct model_probe *a, const struct model_probe *b)
{
	return a->kind == b->kind && (!a->path || !b->path || !strcmp(a->path, b->path));
}

/* Which probe lowering chose as the one check (lower.c fills `check`). */
static const char *check_name(const struct model_service *s)
{
	return same_probe(&s->health.check, &s->health.readiness) ? "readiness" : "liveness";
}

static const char *other_name(const struct model_service *s)
{
	return same_probe(&s->health.check, &s->health.readiness) ? "liveness" : "readiness";
}

/* --- docker: emit_docker.c ------------------------------------------------ */

static void docker_rules(struct rctx *c, const struct model_service *s)
{
	if (!s->build)
		return;
	/* emit_docker.c writes HEALTHCHECK only from probe_command(check). */
	if (check_unrunnable(c, s))
		DROP(c, s, "health", "no HEALTHCHECK: the image has no tool known to run the %s probe",
		     s->health.check.kind == PROBE_HTTP ? "HTTP" : "TCP");
	else if (s->health.check.kind == PROBE_HTTP)
		APPROX(c, s, "health", "the HTTP probe runs as a command in the image (%s)",
		       s->build->probe_tool == PROBE_TOOL_WGET ? "busybox wget" : "the runtime's HTTP client");
	if (two_probes(s))
		DROP(c, s, arena_printf(c->a, "health.%s", other_name(s)),
		     "HEALTHCHECK runs one probe (%s); %s has no equivalent", check_name(s), other_name(s));
}

/* --- compose: emit_compose.c ---------------------------------------------- */

/* put_registry_logins: Compose cannot carry a pull credential. */
static void compose_registry_rule(struct rctx *c, const struct model_service *s)
{
	if (s->registry)
		DROP(c, s, "image", "registry %s's credential is not honoured by Compose: run `docker login %s` "
		     "before `docker compose pull`", s->registry->name, s->registry->host);
}

static void compose_network_rules(struct rctx *c, const struct model_service *s)
{
	/* put_networks_top: each `uses` edge gets an internal network that
	 * its two ends join, in place of a NetworkPolicy. */
	if (model_service_used(s))
		APPROX(c, s, "uses", "NetworkPolicy approximated by an internal network per user that only %s and "
		       "that user join; ports are not restricted within it", s->name);
	/* put_service: an ingress publishes the port on every interface. */
	if (s->ingress.set)
		DROP(c, s, "ingress", "no host routing or TLS (host \"%s\"%s%s): port %d is published on 0.0.0.0%s",
		     s->ingress.host, s->ingress.tls_issuer ? ", issuer " : "",
		     s->ingress.tls_issuer ? s->ingress.tls_issuer : "", s->port,
		     s->replicas > 1 ? ", on a host port Docker picks for each replica (`docker compose port`)" : "");
}

static void compose_rules(struct rctx *c, const struct model_service *s)
{
	/* put_health: probe_command(check) becomes healthcheck.test. */
	if (check_unrunnable(c, s))
		DROP(c, s, "health", "no healthcheck: no command is known to run the probe in this image");
	else if (s->health.check.kind == PROBE_HTTP)
		APPROX(c, s, "health", "HTTP probe %s runs as a command inside the container", s->health.check.path);
	if (two_probes(s))
		DROP(c, s, arena_printf(c->a, "health.%s", other_name(s)),
		     "Compose runs one healthcheck (%s); the %s probe is not run", check_name(s), other_name(s));
	compose_network_rules(c, s);
	compose_registry_rule(c, s);
	/* put_deploy: replicas is fixed; Compose has no autoscaler. */
	if (s->autoscale.set)
		DROP(c, s, "autoscale", "no autoscaler: deploy.replicas stays %d (min %d, max %d ignored)",
		     s->replicas, s->autoscale.min, s->autoscale.max);
	/* put_environment: Compose reads the shell or files, not the store. */
	const char *vault = c->m->app.vault ? c->m->app.vault : "the store";
	if (s->secrets && s->secrets_as_file)
		APPROX(c, s, "secrets", "read from ./secrets/NAME files, which must be filled from %s by hand; "
		       "a rotated value reaches the service at its next `docker compose up`", vault);
	else if (s->secrets)
		APPROX(c, s, "secrets", "read from SECRET_NAME variables in the environment of `docker compose`, "
		       "exported from %s by hand; a rotated value reaches the service at its next `docker compose up`",
		       vault);
	/* emit_compose_composed.c: interpolated, or written by the wrapper. */
	if (s->composed && s->secrets_as_file)
		APPROX(c, s, "secrets", "composed values are written to files at start by a /bin/sh wrapper that "
		       "replaces the image's entrypoint (the image needs /bin/sh and cat) and then runs %s",
		       s->command.count ? "`command`" : "the build's `start`");
	else if (s->composed)
		APPROX(c, s, "secrets", "composed values are interpolated by `docker compose` from the SECRET_NAME "
		       "variables of their secrets");
	/* put_deploy: the file is for `docker compose`, not Swarm. */
	DROP(c, s, "rollout", "update_config is Swarm's: `docker compose up` replaces the containers with no "
	     "parallelism, delay or rollback");
	if (s->placement.count)
		DROP(c, s, "placement", "placement constraints are Swarm's: `docker compose` ignores them");
	/* put_networks: an ingress service's own network has a route out,
	 * and so has the egress network of a service with externals. */
	if (s->ingress.set || s->external_count)
		APPROX(c, s, "egress", "its %s network has a route out to every address on every port; "
		       "Kubernetes and ECS open %s", s->ingress.set ? "public" : "egress",
		       s->external_count ? "only the addresses and ports of the externals in its `uses`"
		       : "no internet to it on Kubernetes");
}

static void compose_volume_rules(struct rctx *c, const struct model_volume *v)
{
	/* put_volumes_top: a named volume has no size; class is the driver. */
	if (v->declared)
		add(c, REPORT_DROPPED, arena_printf(c->a, "volume %s", v->name), &v->origin, "size",
		    "Compose volumes have no size: %s is not enforced", format_k8s_memory(c->a, v->size_bytes));
}

/* --- k8s: emit_k8s_workload.c ---------------------------------------------- */

/* Kubernetes (k8s_pull_secrets) and ECS (repositoryCredentials) pull
 * with a credential only from a declared registry; a built image pushed
 * elsewhere is pulled as a public one. */
static void unregistered_pull(struct rctx *c, const struct model_service *s)
{
	char host[512];
	if (!s->build || s->registry || !c->m->app.registry ||
	    !image_host(c->m->app.registry, host, sizeof host))
		return;
	APPROX(c, s, "image", "pulled without credentials: no registry is declared for %s, so a private "
	       "repository there needs `registry NAME { host = \"%s\"  credential = SECRET }`", host, host);
}

/* Where images and secrets come from (emit_k8s_startup.c, put_env). */
static void k8s_supply_rules(struct rctx *c, const struct model_service *s)
{
	const struct dep_node *n = depgraph_node(c->m->deps, s);
	if (!strcmp(s->wait_for, "init") && n->edge_count)
		APPROX(c, s, "wait_for", "the init containers run %s, pinned by tag, not by digest", K8S_WAIT_IMAGE);
	if (s->image && !strchr(s->image, '@'))
		APPROX(c, s, "image", "%s is pinned by tag, not by digest: every target pulls what the tag names "
		       "when it starts a container", s->image);
	unregistered_pull(c, s);
	if ((s->secrets || s->composed) && !s->secrets_as_file)
		APPROX(c, s, "secrets", "variables are read when a pod starts: a rotated value reaches it at the next "
		       "rollout, and nothing restarts the pods");
}

static void k8s_rules(struct rctx *c, const struct model_service *s)
{
	/* No k8s code reads placement (only emit_compose.c does). */
	if (s->placement.count)
		DROP(c, s, "placement", "ignored: no Kubernetes object is given a node selector or affinity");
	/* put_strategy and emit_github.c put_rollout_wait: the pipeline undoes
	 * a rollout that fails its deadline; a service it does not build is
	 * applied but never waited for or undone. */
	if (s->rollout.on_failure == ON_FAILURE_ROLLBACK)
		APPROX(c, s, "rollout.on_failure", s->build
		       ? "Kubernetes never rolls back by itself: the pipeline runs `kubectl rollout undo` when the "
			 "rollout fails its progressDeadlineSeconds"
		       : "Kubernetes never rolls back by itself, and the pipeline waits only for built services: a "
			 "failed rollout of this image is marked failed, not undone");
	k8s_supply_rules(c, s);
	/* put_workload_spec: rollout.delay becomes minReadySeconds. */
	if (s->rollout.delay_ms)
		APPROX(c, s, "rollout.delay", "minReadySeconds = %lld: each new pod waits after becoming ready",
		       (long long)format_seconds(s->rollout.delay_ms));
	/* Pods use restartPolicy Always: no restart condition or attempt limit. */
	if (s->restart && strcmp(s->restart, "always"))
		DROP(c, s, "restart", "pods always restart (restartPolicy Always); \"%s\" and max_attempts %d are ignored",
		     s->restart, s->max_attempts);
	/* StatefulSet volumeClaimTemplates: one volume per replica. */
	if (s->volume && s->replicas > 1)
		APPROX(c, s, "volume", "each of the %d replicas gets its own %s volume; they do not share one",
		       s->replicas, s->volume->name);
}

/* --- terraform (ECS): emit_terraform_ecs.c, emit_terraform_alb.c ------------ */

static void ecs_health_rules(struct rctx *c, const struct model_service *s)
{
	if (check_unrunnable(c, s))
		DROP(c, s, "health", "no container healthCheck: no command is known to run the probe in this image");
	/* emit_terraform_alb.c: the target group checks the readiness path. */
	if (two_probes(s))
		APPROX(c, s, arena_printf(c->a, "health.%s", other_name(s)),
		       "one container healthCheck (%s)%s; %s has no separate check", check_name(s),
		       s->ingress.set ? " and the load balancer's target health check on the readiness path" : "",
		       other_name(s));
}

/* emit_terraform_ecs.c task_size: the smallest Fargate size that holds
 * the limits, when the ecs block's size raised to them is not one. */
static void ecs_task_rule(struct rctx *c, const struct model_service *s)
{
	const struct model_cloud *cl = c->m->cloud;
	int64_t lim_cpu = s->cpu.set ? s->cpu.limit : 0, lim_mem = s->memory.set ? s->memory.limit : 0;
	int64_t cpu, mib, ncpu, nmib;
	fargate_task(cl->task_cpu, cl->task_memory, lim_cpu, lim_mem, &cpu, &mib);
	if (fargate_task_fitted(cl->task_cpu, cl->task_memory, lim_cpu, lim_mem, &ncpu, &nmib))
		APPROX(c, s, "resources", "the Fargate task is %lld cpu units with %lld MiB, the "
		       "smallest size Fargate offers that holds %lld units and %lld MiB; the "
		       "container keeps its limits", (long long)ncpu, (long long)nmib,
		       (long long)cpu, (long long)mib);
}

static void ecs_rules(struct rctx *c, const struct model_service *s)
{
	if (!c->m->cloud)
		return;
	if (c->m->cloud->has_ecs)
		ecs_task_rule(c, s);
	if (s->placement.count)
		DROP(c, s, "placement", "ignored: Fargate tasks spread over the private subnets' zones");
	/* put_deployment: no ECS setting waits between batches. */
	if (s->rollout.delay_ms)
		DROP(c, s, "rollout.delay", "ECS has no delay between deployment batches");
	/* put_deployment: the circuit breaker has enable and rollback only. */
	if (s->rollout.on_failure == ON_FAILURE_PAUSE)
		APPROX(c, s, "rollout.on_failure", "pause becomes the circuit breaker without rollback: "
		       "the deployment stops, it is not held for inspection");
	if (s->restart && strcmp(s->restart, "always"))
		DROP(c, s, "restart", "ECS always replaces a stopped task; \"%s\" and max_attempts are ignored", s->restart);
	/* emit_terraform_network.c: an image from outside AWS is pulled over
	 * HTTPS to anywhere, which the app shares; a group has no deny. */
	if (!tf_image_in_aws(c->m, s))
		APPROX(c, s, "egress", "the task may open HTTPS to anywhere, to pull its image from a registry "
		       "outside AWS (no VPC endpoint reaches one), which the app shares; Kubernetes opens only "
		       "DNS, `uses` and its externals");
	for (size_t i = 0; i < s->external_count; i++)
		if (!s->externals[i]->cidrs.count)
			APPROX(c, s, "uses", "external %s has no cidr: the security group opens port %d to every "
			       "IPv4 address, since a group cannot leave out the private and metadata ranges "
			       "Kubernetes keeps closed", s->externals[i]->name, s->externals[i]->port);
	if (s->secrets || s->composed)
		APPROX(c, s, "secrets", "variables are read when a task starts: a rotated value reaches it at the next "
		       "deployment, and nothing starts one");
	/* emit_terraform_composed.c: ECS cannot template a secret. */
	if (s->composed)
		APPROX(c, s, "secrets", "composed values are built at task start by a /bin/sh wrapper that replaces "
		       "the image's entrypoint%s, from each secret part in a variable of its own, unset before %s runs",
		       s->build ? "" : " (the image must have /bin/sh)",
		       s->command.count ? "`command`" : "the build's `start`");
	/* emit_terraform_alb.c: TLS from var.certificate_arn (ACM). */
	if (s->ingress.set && s->ingress.tls_issuer)
		APPROX(c, s, "ingress.tls", "the certificate is ACM's var.certificate_arn, not issuer \"%s\"",
		       s->ingress.tls_issuer);
	if (c->m->cloud->has_ecs)
		unregistered_pull(c, s);
	ecs_health_rules(c, s);
}

static void ecs_volume_rules(struct rctx *c, const struct model_volume *v)
{
	/* emit_terraform_ecs.c storage.tf: EFS grows as needed. */
	if (c->m->cloud && v->declared)
		add(c, REPORT_DROPPED, arena_printf(c->a, "volume %s", v->name), &v->origin, "size",
		    "EFS is elastic: %s%s%s is not a limit", format_k8s_memory(c->a, v->size_bytes),
		    v->class ? " and class " : "", v->class ? v->class : "");
}

/* --- jobs ------------------------------------------------------------------ */

#define JOB(c, j, kind, construct, ...) \
	add(c, kind, arena_printf((c)->a, "job %s", (j)->name), &(j)->origin, construct, __VA_ARGS__)

static void job_rules(struct rctx *c, const struct model_job *j)
{
	bool compose = !strcmp(c->target, "compose"), ecs = !strcmp(c->target, "terraform") &&
		       c->m->cloud && c->m->cloud->has_ecs;
	/* emit_compose.c put_job: profile "jobs", no scheduler. */
	if (compose && model_job_scheduled(j))
		JOB(c, j, REPORT_DROPPED, "schedule", "Compose cannot schedule it: it is in profile \"jobs\", "
		    "which `docker compose up` leaves out; run it with `docker compose run --rm %s` from "
		    "cron or a timer", j->name);
	if (compose) {
		JOB(c, j, REPORT_DROPPED, "timeout", "Compose does not stop a run that takes longer");
		if (j->retries)
			JOB(c, j, REPORT_DROPPED, "retries", "Compose does not run a failed job again");
	}
	/* emit_terraform_jobs.c: tasks outside any ECS service. */
	if (ecs && j->run->uses_count)
		JOB(c, j, REPORT_APPROXIMATED, "uses", "the security groups allow its task to reach what it "
		    "uses, but a task started by run-task or by the scheduler is not part of Service "
		    "Connect: it cannot resolve the short names (NAME:PORT) the services use; give it "
		    "addresses it can resolve in `env`");
	if (ecs && model_job_scheduled(j)) {
		JOB(c, j, REPORT_DROPPED, "timeout", "ECS stops no scheduled task after a time");
		if (j->retries)
			JOB(c, j, REPORT_DROPPED, "retries", "EventBridge Scheduler retries starting the "
			    "task, not a task that failed");
		JOB(c, j, REPORT_APPROXIMATED, "schedule", "a run still going when the next is due is "
		    "not skipped (Kubernetes' concurrencyPolicy Forbid): two may overlap");
		/* emit_terraform_jobs.c put_schedule: the revision Terraform made. */
		if (model_image_built(j->run))
			JOB(c, j, REPORT_APPROXIMATED, "image", "the schedule runs the task definition "
			    "Terraform applied (var.image_tag); the pipeline does not move it to each "
			    "release, so apply Terraform with the release's tag");
	}
}

/* --- collecting --------------------------------------------------------- */

/* No target configures rotation in the store: `rotate` is a promise
 * about the store that depc passes on (ExternalSecret refreshInterval). */
static void rotation_rule(struct rctx *c, const struct model_secret *sec)
{
	if (sec->rotate_ms && model_secret_used(sec))
		add(c, REPORT_DROPPED, arena_printf(c->a, "secret %s", sec->name), &sec->origin, "rotate",
		    "not performed: no rotation is configured in %s; the ExternalSecret re-reads the store at "
		    "least every %s, so the store must rotate the value itself",
		    c->m->app.vault ? c->m->app.vault : "the store", format_duration(c->a, sec->rotate_ms));
}

static void collect_target(struct rctx *c)
{
	const struct model *m = c->m;
	for (size_t i = 0; !strcmp(c->target, "k8s") && i < m->secret_count; i++)
		rotation_rule(c, m->secrets[i]);
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_service *s = m->services[i];
		if (!strcmp(c->target, "docker")) docker_rules(c, s);
		if (!strcmp(c->target, "compose")) compose_rules(c, s);
		if (!strcmp(c->target, "k8s")) k8s_rules(c, s);
		if (!strcmp(c->target, "terraform")) ecs_rules(c, s);
	}
	for (size_t i = 0; i < m->job_count; i++)
		job_rules(c, m->jobs[i]);
	for (size_t i = 0; i < m->volume_count; i++) {
		if (!strcmp(c->target, "compose")) compose_volume_rules(c, m->volumes[i]);
		if (!strcmp(c->target, "terraform")) ecs_volume_rules(c, m->volumes[i]);
	}
}

void report_collect(struct arena *a, const struct model *m,
		    bool (*selected)(const char *targets, const char *name),
		    const char *targets, struct report *r)
{
	struct rctx c = { .a = a, .m = m, .r = r };
	r->entries = NULL;
	r->count = 0;
	c.tail = &r->entries;
	for (size_t i = 0; i < backend_count(); i++) {
		c.target = backend_at(i)->name;
		if (!selected || selected(targets, c.target))
			collect_target(&c);
	}
}

/* --- printing ------------------------------------------------------------ */

static const char *kind_name(enum report_kind k)
{
	return k == REPORT_DROPPED ? "dropped" : "approximated";
}

static void location(char *buf, size_t size, const struct model_origin *o)
{
	if (!o || !o->src) {
		snprintf(buf, size, "<generated>");
		return;
	}
	snprintf(buf, size, "%s:%zu:%zu", o->src->name, source_line_of(o->src, o->span.start),
		 source_char_column(o->src, o->span.start));
}

/* One line per entry: a line break or a terminal control in a name, a
 * path or a value the author wrote is printed as a space, so it can
 * neither fake another entry nor reach the terminal. */
void report_print_text(const struct report *r, FILE *out)
{
	char loc[512];
	struct arena a;
	arena_init(&a);
	for (const struct report_entry *e = r->entries; e; e = e->next) {
		location(loc, sizeof loc, e->origin);
		fprintf(out, "%s: %s: %s: %s: %s: %s\n", escape_comment(&a, loc), e->target,
			kind_name(e->kind), escape_comment(&a, e->subject),
			escape_comment(&a, e->construct), escape_comment(&a, e->why));
	}
	arena_free(&a);
	fprintf(out, "depc: %zu construct%s approximated or dropped\n", r->count, r->count == 1 ? "" : "s");
}

void report_print_json(const struct report *r, FILE *out)
{
	char loc[512];
	cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "entries");
	for (const struct report_entry *e = r->entries; e; e = e->next) {
		cJSON *j = cJSON_CreateObject();
		location(loc, sizeof loc, e->origin);
		cJSON_AddStringToObject(j, "target", e->target);
		cJSON_AddStringToObject(j, "kind", kind_name(e->kind));
		cJSON_AddStringToObject(j, "subject", e->subject);
		cJSON_AddStringToObject(j, "construct", e->construct);
		cJSON_AddStringToObject(j, "why", e->why);
		cJSON_AddStringToObject(j, "location", loc);
		cJSON_AddItemToArray(list, j);
	}
	char *text = cJSON_Print(root);
	if (text)
		fprintf(out, "%s\n", text);
	free(text);
	cJSON_Delete(root);
}

static void md_cell(struct strbuf *b, struct arena *a, const char *s)
{
	strbuf_printf(b, " %s |", escape_markdown_cell(a, s));
}

bool report_write(const struct report *r, struct output *o)
{
	struct strbuf *b = output_add(o, "REPORT.md");
	char loc[512];
	const char *target = NULL;
	if (!b)
		return false;
	strbuf_printf(b, "<!-- %s -->\n# Translation report\n\n",
		      escape_html_comment(o->arena, output_banner(o)));
	strbuf_puts(b, "What each target approximates or drops, and where it comes from.\n");
	if (!r->entries)
		strbuf_puts(b, "\nEvery construct translates exactly.\n");
	for (const struct report_entry *e = r->entries; e; e = e->next) {
		if (!target || strcmp(target, e->target)) {
			target = e->target;
			strbuf_printf(b, "\n## %s\n\n| where | what | construct | how |\n|---|---|---|---|\n", target);
		}
		location(loc, sizeof loc, e->origin);
		strbuf_puts(b, "|");
		md_cell(b, o->arena, loc);
		md_cell(b, o->arena, e->subject);
		md_cell(b, o->arena, arena_printf(o->arena, "%s (%s)", e->construct, kind_name(e->kind)));
		md_cell(b, o->arena, e->why);
		strbuf_putc(b, '\n');
	}
	return true;
}
