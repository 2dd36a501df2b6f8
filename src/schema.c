/* schema.c - the kinds, fields and constructors of the language.
 *
 * Field order here is the order of the manual and of completion lists.
 * Defaults are written as the user would write them; the checker fills
 * them in by parsing this text, so a default is always a legal value. */
#include "schema.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct field app_fields[] = {
	{ "version", TY_STRING, 0, NULL, 0, "\"latest\"", "release version, used as the image tag besides the commit SHA" },
	{ "registry", TY_IMAGE, 0, NULL, 0, NULL, "image repository built images are pushed to, e.g. \"ghcr.io/org/app\"" },
	{ "domain", TY_HOST, 0, NULL, 0, NULL, "public domain name of the application" },
	{ "namespace", TY_NAME, 0, NULL, 0, NULL, "Kubernetes namespace and environment name (default: the environment or the app's name)" },
	{ "vault", TY_STRING, 0, NULL, 0, "\"aws-secretsmanager\"", "secret store every secret is read from (an External Secrets ClusterSecretStore)" },
	{ "repository", TY_STRING, 0, NULL, 0, NULL, "source repository as OWNER/NAME, for the CI pipeline" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field secret_fields[] = {
	{ "vault", TY_STRING, 0, NULL, F_REQUIRED, NULL, "path of the secret in the secret store, e.g. \"production/app/database-url\"" },
	{ "rotate", TY_DURATION, 0, NULL, 0, NULL, "how often the secret is rotated and re-read" },
	{ "property", TY_STRING, 0, NULL, 0, NULL, "key inside a structured (JSON) secret" },
	{ "description", TY_STRING, 0, NULL, 0, NULL, "what the secret is for" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field registry_fields[] = {
	{ "host", TY_STRING, 0, NULL, F_REQUIRED, NULL, "registry host, e.g. \"registry.acme.example\" or \"registry.acme.example:5000\": images named HOST/... are pulled with the credential" },
	{ "credential", TY_REF, 0, "secret", F_REQUIRED, NULL, "secret whose value is {\"username\": ..., \"password\": ...} JSON" },
	{ "description", TY_STRING, 0, NULL, 0, NULL, "what the registry holds" },
};

static const struct field volume_fields[] = {
	{ "size", TY_SIZE, 0, NULL, 0, "1Gi", "storage requested for the volume" },
	{ "class", TY_STRING, 0, NULL, 0, NULL, "storage class (Kubernetes) or driver (Compose)" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

/* An endpoint outside the deployment that services reach through `uses`:
 * the only internet egress any target opens (man/dep.5, EXTERNALS). */
static const struct field external_fields[] = {
	{ "host", TY_STRING, 0, NULL, F_REQUIRED, NULL, "DNS name or IPv4 address of the endpoint, e.g. \"api.stripe.com\" (no scheme, no port, no path)" },
	{ "port", TY_PORT, 0, NULL, 0, "443", "TCP port the endpoint listens on" },
	{ "protocol", TY_ENUM, 0, "https|tls|http|tcp", 0, NULL, "what runs over the connection: https, tls (any protocol inside TLS), or plain-text http or tcp (E0405); default https on port 443, tls on any other" },
	{ "cidr", TY_LIST, TY_CIDR, NULL, 0, NULL, "the endpoint's addresses, when known; without them every public address (an IPv4 host: that address)" },
	{ "description", TY_STRING, 0, NULL, 0, NULL, "what the endpoint is" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field service_fields[] = {
	{ "image", TY_IMAGE, 0, NULL, 0, NULL, "published image to run, e.g. \"postgres:15-alpine\" (instead of a build)" },
	{ "build", TY_BLOCK, 0, "build", 0, NULL, "how to build the service's image from source" },
	{ "port", TY_PORT, 0, NULL, 0, NULL, "port the container listens on" },
	{ "replicas", TY_INT, 0, NULL, 0, "1", "number of instances" },
	{ "command", TY_LIST, TY_STRING, NULL, 0, NULL, "command to run, in exec form, overriding the image's" },
	{ "env", TY_MAP, TY_STRING, NULL, 0, NULL, "environment variables (never secrets: use `secrets`)" },
	{ "secrets", TY_MAP, TY_REF, "secret", 0, NULL, "environment variables read from secrets: NAME = secret, or NAME = \"text ${secret} ${db.host}\" composed from secrets and references" },
	{ "secrets_as", TY_ENUM, 0, "env|file", 0, "env", "how the app reads its secrets on every target: the variable NAME holds the value, or NAME_FILE names a file holding it" },
	{ "uses", TY_LIST, TY_REF, "service|external", 0, NULL, "services and externals this one connects to; the only network paths allowed" },
	{ "health", TY_BLOCK, 0, "health", 0, NULL, "health checks" },
	{ "resources", TY_BLOCK, 0, "resources", 0, NULL, "cpu and memory, as request..limit" },
	{ "ingress", TY_BLOCK, 0, "ingress", 0, NULL, "public HTTPS entry point" },
	{ "metrics", TY_BLOCK, 0, "metrics", 0, NULL, "Prometheus metrics endpoint" },
	{ "rollout", TY_BLOCK, 0, "rollout", 0, NULL, "how new versions replace old ones" },
	{ "autoscale", TY_BLOCK, 0, "autoscale", 0, NULL, "horizontal autoscaling" },
	{ "volume", TY_NAME, 0, NULL, 0, NULL, "named volume holding the service's data" },
	{ "data", TY_PATH, 0, NULL, 0, NULL, "where the data volume is mounted in the container" },
	{ "stateful", TY_BOOL, 0, NULL, 0, "false", "keeps identity and storage per instance (a StatefulSet)" },
	{ "user", TY_INT, 0, NULL, 0, "10001", "numeric user id the container runs as (never 0)" },
	{ "read_only", TY_BOOL, 0, NULL, 0, "true", "root filesystem is read-only; writable paths go in `tmpfs`" },
	{ "tmpfs", TY_LIST, TY_PATH, NULL, 0, NULL, "writable scratch directories in memory" },
	{ "restart", TY_ENUM, 0, "on-failure|always|unless-stopped|no", 0, "on-failure", "when a stopped container is restarted (no: never, where the target allows it)" },
	{ "max_attempts", TY_INT, 0, NULL, 0, "3", "restarts tried before giving up" },
	{ "placement", TY_LIST, TY_STRING, NULL, 0, NULL, "Swarm placement constraints, e.g. \"node.role == worker\"" },
	{ "description", TY_STRING, 0, NULL, 0, NULL, "what the service does" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
	{ "wait_for", TY_ENUM, 0, "init|none", 0, "init", "how a Kubernetes pod waits for what it uses: an init container per service, or not at all" },
	{ "alerts", TY_MAP, TY_BLOCK, "alerts", 0, NULL, "generated alerts changed for this service: NAME = off, or NAME { threshold = ...  for = ...  severity = ... } (see ALERTS)" },
};

/* A job runs to completion: a service's container, without the fields
 * of something long-running (port, ingress, replicas, health, metrics,
 * rollout, autoscale, volume, restart).  Jobs are the model's `jobs`. */
static const struct field job_fields[] = {
	{ "from", TY_REF, 0, "service", 0, NULL, "service whose image the job runs (its build or image), with the job's own command" },
	{ "image", TY_IMAGE, 0, NULL, 0, NULL, "published image to run (instead of `from` or a build)" },
	{ "build", TY_BLOCK, 0, "build", 0, NULL, "how to build the job's own image from source" },
	{ "command", TY_LIST, TY_STRING, NULL, 0, NULL, "command to run, in exec form" },
	{ "env", TY_MAP, TY_STRING, NULL, 0, NULL, "environment variables (never secrets: use `secrets`)" },
	{ "secrets", TY_MAP, TY_REF, "secret", 0, NULL, "environment variables read from secrets: NAME = secret" },
	{ "secrets_as", TY_ENUM, 0, "env|file", 0, "env", "how the job reads its secrets: the variable NAME holds the value, or NAME_FILE names a file holding it" },
	{ "uses", TY_LIST, TY_REF, "service|external", 0, NULL, "services and externals the job connects to; the only network paths allowed" },
	{ "before", TY_LIST, TY_REF, "service", 0, NULL, "services started or updated only after this one-off job has succeeded" },
	{ "schedule", TY_STRING, 0, NULL, 0, NULL, "cron schedule (five fields, UTC): the job runs on it instead of on every deploy" },
	{ "timeout", TY_DURATION, 0, NULL, 0, "30m", "time a run may take before it is stopped and counted as failed" },
	{ "retries", TY_INT, 0, NULL, 0, "0", "runs tried again after a failure" },
	{ "resources", TY_BLOCK, 0, "resources", 0, NULL, "cpu and memory, as request..limit" },
	{ "user", TY_INT, 0, NULL, 0, "10001", "numeric user id the container runs as (never 0)" },
	{ "read_only", TY_BOOL, 0, NULL, 0, "true", "root filesystem is read-only; writable paths go in `tmpfs`" },
	{ "tmpfs", TY_LIST, TY_PATH, NULL, 0, NULL, "writable scratch directories in memory" },
	{ "description", TY_STRING, 0, NULL, 0, NULL, "what the job does" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field build_fields[] = {
	{ "runtime", TY_ENUM, 0, "node|python|go|static|java|dotnet|php|rust|ruby", F_REQUIRED, NULL, "language runtime of the source" },
	{ "version", TY_STRING, 0, NULL, F_REQUIRED, NULL, "runtime image tag, e.g. \"20.9.0-alpine\"" },
	{ "context", TY_PATH, 0, NULL, 0, "\".\"", "source directory, relative to the .dep file" },
	{ "install", TY_STRING, 0, NULL, 0, NULL, "command installing dependencies" },
	{ "manifests", TY_LIST, TY_STRING, NULL, 0, NULL, "dependency files copied before install, for layer caching" },
	{ "compile", TY_STRING, 0, NULL, 0, NULL, "command building the application" },
	{ "outputs", TY_LIST, TY_STRING, NULL, 0, NULL, "paths copied from the build stage, as \"FROM:TO\" or \"PATH\"" },
	{ "start", TY_LIST, TY_STRING, NULL, F_REQUIRED, NULL, "command starting the service, in exec form" },
	{ "args", TY_MAP, TY_STRING, NULL, 0, NULL, "build arguments" },
	{ "ignore", TY_LIST, TY_STRING, NULL, 0, NULL, "paths left out of the build context (.dockerignore)" },
	{ "probe", TY_ENUM, 0, "runtime|wget|none", 0, "runtime", "how health checks run in the image: the runtime itself, wget, or not at all" },
};

static const struct field health_fields[] = {
	{ "liveness", TY_CALL, 0, "probe", 0, NULL, "is the process alive: http(PATH), tcp(), exec(ARGS...)" },
	{ "readiness", TY_CALL, 0, "probe", 0, NULL, "can it take traffic" },
	{ "startup", TY_CALL, 0, "probe", 0, NULL, "has it finished starting" },
	{ "interval", TY_DURATION, 0, NULL, 0, "10s", "time between checks" },
	{ "timeout", TY_DURATION, 0, NULL, 0, "5s", "time a check may take" },
	{ "start", TY_DURATION, 0, NULL, 0, "0s", "grace period after start before failures count" },
	{ "retries", TY_INT, 0, NULL, 0, "3", "failures in a row before the container is unhealthy" },
};

static const struct field resources_fields[] = {
	{ "cpu", TY_RANGE, TY_CPU, NULL, 0, NULL, "cpu as request..limit, e.g. 100m..500m" },
	{ "memory", TY_RANGE, TY_SIZE, NULL, 0, NULL, "memory as request..limit, e.g. 256Mi..512Mi" },
};

static const struct field ingress_fields[] = {
	{ "host", TY_HOST, 0, NULL, F_REQUIRED, NULL, "public host name" },
	{ "tls", TY_STRING, 0, NULL, F_REQUIRED, NULL, "cert-manager cluster issuer for the certificate, e.g. \"letsencrypt-prod\"" },
	{ "class", TY_STRING, 0, NULL, 0, "\"nginx\"", "ingress controller class" },
	{ "path", TY_STRING, 0, NULL, 0, "\"/\"", "path prefix routed to the service" },
	{ "controller", TY_NAME, 0, NULL, 0, "\"ingress-nginx\"", "namespace of the ingress controller, allowed in by network policy" },
	{ "access_log", TY_BOOL, 0, NULL, 0, "true", "log every request the ingress and the load balancer take" },
};

static const struct field metrics_fields[] = {
	{ "path", TY_STRING, 0, NULL, 0, "\"/metrics\"", "HTTP path of the metrics endpoint" },
	{ "port", TY_PORT, 0, NULL, 0, NULL, "port of the metrics endpoint (default: the service's port)" },
	{ "slo_latency", TY_DURATION, 0, NULL, 0, "1s", "p95 latency objective; alerts fire above it" },
	{ "slo_errors", TY_PERCENT, 0, NULL, 0, "5%", "5xx ratio objective; alerts fire above it" },
	{ "requests_metric", TY_STRING, 0, NULL, 0, "\"http_requests_total\"", "counter of HTTP requests served, labelled with the status code" },
	{ "latency_metric", TY_STRING, 0, NULL, 0, "\"http_request_duration_seconds\"", "histogram of request durations in seconds (name without _bucket)" },
	{ "status_label", TY_STRING, 0, NULL, 0, "\"status\"", "label of requests_metric holding the HTTP status code" },
};

static const struct field rollout_fields[] = {
	{ "parallelism", TY_INT, 0, NULL, 0, "1", "instances replaced at a time" },
	{ "delay", TY_DURATION, 0, NULL, 0, "10s", "wait between batches" },
	{ "on_failure", TY_ENUM, 0, "rollback|pause|continue", 0, "rollback", "what a failed rollout does" },
};

static const struct field autoscale_fields[] = {
	{ "min", TY_INT, 0, NULL, F_REQUIRED, NULL, "fewest instances" },
	{ "max", TY_INT, 0, NULL, F_REQUIRED, NULL, "most instances" },
	{ "cpu", TY_PERCENT, 0, NULL, 0, "70%", "target average cpu utilisation" },
};

static const struct field pipeline_fields[] = {
	{ "on", TY_BLOCK, 0, "on", 0, NULL, "events that run the pipeline" },
	{ "steps", TY_LIST, TY_STRING, NULL, 0, NULL, "commands run by the test job, in order" },
	{ "scan", TY_ENUM, 0, "snyk|trivy|none", 0, "trivy", "security scanner run before images are built (none needs an allow)" },
	{ "publish", TY_ENUM, 0, "ghcr|ecr|dockerhub", 0, "ghcr", "registry images are pushed to: GHCR, ECR, Docker Hub, or a declared registry (default: the registry app.registry is under, else ghcr)" },
	{ "deploy", TY_LIST, TY_CALL, "deploy", 0, NULL, "deployment targets: ecs(cluster, service), kubernetes()" },
	{ "runner", TY_STRING, 0, NULL, 0, "\"ubuntu-latest\"", "GitHub Actions runner label" },
	{ "pin", TY_ENUM, 0, "tag|sha", 0, "sha", "how actions are pinned: full commit SHA, or release tag (needs an allow)" },
	{ "environment", TY_NAME, 0, NULL, 0, "\"production\"", "GitHub environment of the deploy jobs" },
	{ "node", TY_STRING, 0, NULL, 0, NULL, "Node.js version for the test job (default: from the built service)" },
	{ "python", TY_STRING, 0, NULL, 0, NULL, "Python version for the test job" },
	{ "go", TY_STRING, 0, NULL, 0, NULL, "Go version for the test job" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field on_fields[] = {
	{ "push", TY_LIST, TY_STRING, NULL, 0, NULL, "branches whose pushes run the pipeline" },
	{ "pull_request", TY_LIST, TY_STRING, NULL, 0, NULL, "branches whose pull requests run it" },
	{ "tags", TY_LIST, TY_STRING, NULL, 0, NULL, "tag patterns that run it" },
	{ "schedule", TY_STRING, 0, NULL, 0, NULL, "cron schedule (UTC) of a regular run, e.g. \"0 4 * * 1\"; the security scan runs on it" },
};

static const struct field cloud_fields[] = {
	{ "region", TY_STRING, 0, NULL, F_REQUIRED, NULL, "AWS region, e.g. \"us-east-1\"" },
	{ "vpc", TY_BLOCK, 0, "vpc", 0, NULL, "the network" },
	{ "ecs", TY_BLOCK, 0, "ecs", 0, NULL, "the ECS cluster and Fargate tasks" },
	{ "logs", TY_DURATION, 0, NULL, 0, "30d", "how long container logs are kept" },
	{ "audit", TY_BOOL, 0, NULL, 0, "true", "CloudTrail audit logging" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field vpc_fields[] = {
	{ "cidr", TY_CIDR, 0, NULL, F_REQUIRED, NULL, "address range, e.g. \"10.0.0.0/16\"" },
	{ "zones", TY_INT, 0, NULL, 0, "2", "availability zones to spread subnets over" },
};

static const struct field ecs_fields[] = {
	{ "cluster", TY_NAME, 0, NULL, F_REQUIRED, NULL, "cluster name" },
	{ "insights", TY_BOOL, 0, NULL, 0, "true", "Container Insights" },
	{ "cpu", TY_INT, 0, NULL, 0, "256", "Fargate task cpu units" },
	{ "memory", TY_INT, 0, NULL, 0, "512", "Fargate task memory in MiB" },
};

static const struct field monitor_fields[] = {
	{ "scrape", TY_DURATION, 0, NULL, 0, "15s", "how often targets are scraped" },
	{ "evaluate", TY_DURATION, 0, NULL, 0, "15s", "how often rules are evaluated" },
	{ "alerting", TY_STRING, 0, NULL, 0, NULL, "Alertmanager address as HOST:PORT" },
	{ "node_exporter", TY_BOOL, 0, NULL, 0, "true", "scrape node-exporter for host metrics" },
	{ "discovery", TY_ENUM, 0, "static|kubernetes|both", 0, "both", "how Prometheus finds targets" },
	{ "operator", TY_BOOL, 0, NULL, 0, "false", "the cluster runs the Prometheus Operator: k8s/ gets its ServiceMonitors and PrometheusRule" },
	{ "dashboard", TY_BLOCK, 0, "dashboard", F_MULTI, NULL, "a Grafana dashboard" },
	{ "alert", TY_BLOCK, 0, "alert", F_MULTI, NULL, "an alert rule" },
	{ "allow", TY_MAP, TY_STRING, NULL, 0, NULL, "policy rules downgraded to warnings here: CODE = \"reason\" (see POLICY)" },
};

static const struct field dashboard_fields[] = {
	{ "tags", TY_LIST, TY_STRING, NULL, 0, NULL, "dashboard tags" },
	{ "refresh", TY_DURATION, 0, NULL, 0, "30s", "auto-refresh interval" },
	{ "panel", TY_BLOCK, 0, "panel", F_MULTI, NULL, "a panel" },
};

static const struct field panel_fields[] = {
	{ "query", TY_STRING, 0, NULL, F_REQUIRED, NULL, "PromQL expression" },
	{ "legend", TY_STRING, 0, NULL, 0, NULL, "legend format, e.g. \"{{method}} {{path}}\"" },
	{ "type", TY_ENUM, 0, "timeseries|stat|gauge|table", 0, "timeseries", "visualisation" },
	{ "unit", TY_STRING, 0, NULL, 0, NULL, "Grafana unit, e.g. \"s\" or \"reqps\"" },
};

static const struct field alert_fields[] = {
	{ "expr", TY_STRING, 0, NULL, F_REQUIRED, NULL, "PromQL condition" },
	{ "for", TY_DURATION, 0, NULL, 0, "5m", "how long the condition must hold" },
	{ "severity", TY_ENUM, 0, "critical|warning|info", 0, "warning", "routing severity" },
	{ "summary", TY_STRING, 0, NULL, 0, NULL, "one-line description" },
};

#define KIND(name, top, unique, label, fields, doc) \
	{ name, top, unique, label, fields, N(fields), doc }

static const struct kind kinds[] = {
	KIND("app", true, true, LABEL_NAME, app_fields, "the application: name, version, registry, domain, secret store"),
	KIND("service", true, false, LABEL_NAME, service_fields, "a container: built from source or a published image"),
	KIND("job", true, false, LABEL_NAME, job_fields, "a container run to completion: once per deploy before services, or on a schedule"),
	KIND("secret", true, false, LABEL_NAME, secret_fields, "a secret held in the secret store, never in the source"),
	KIND("volume", true, false, LABEL_NAME, volume_fields, "a named persistent volume"),
	KIND("registry", true, false, LABEL_NAME, registry_fields, "a private image registry and the secret its images are pulled with"),
	KIND("external", true, false, LABEL_NAME, external_fields, "an endpoint outside the deployment that services may reach"),
	KIND("pipeline", true, true, LABEL_NONE, pipeline_fields, "the CI/CD pipeline"),
	KIND("cloud", true, true, LABEL_NAME, cloud_fields, "cloud infrastructure (provider: aws)"),
	KIND("monitor", true, true, LABEL_NONE, monitor_fields, "metrics, alerts and dashboards"),
	KIND("build", false, false, LABEL_NONE, build_fields, "how a service's image is built"),
	KIND("health", false, false, LABEL_NONE, health_fields, "health checks of a service"),
	KIND("resources", false, false, LABEL_NONE, resources_fields, "cpu and memory of a service"),
	KIND("ingress", false, false, LABEL_NONE, ingress_fields, "public HTTPS entry point of a service"),
	KIND("metrics", false, false, LABEL_NONE, metrics_fields, "metrics endpoint of a service"),
	KIND("rollout", false, false, LABEL_NONE, rollout_fields, "rolling update policy"),
	KIND("autoscale", false, false, LABEL_NONE, autoscale_fields, "horizontal autoscaling"),
	KIND("on", false, false, LABEL_NONE, on_fields, "pipeline triggers"),
	KIND("vpc", false, false, LABEL_NONE, vpc_fields, "the cloud network"),
	KIND("ecs", false, false, LABEL_NONE, ecs_fields, "the ECS cluster"),
	KIND("dashboard", false, false, LABEL_TITLE, dashboard_fields, "a Grafana dashboard"),
	KIND("panel", false, false, LABEL_TITLE, panel_fields, "a dashboard panel"),
	KIND("alert", false, false, LABEL_NAME, alert_fields, "an alert rule"),
};

static const struct field http_params[] = {
	{ "path", TY_STRING, 0, NULL, F_REQUIRED, NULL, "request path, e.g. \"/health\"" },
	{ "port", TY_PORT, 0, NULL, 0, NULL, "port (default: the service's port)" },
};
static const struct field tcp_params[] = {
	{ "port", TY_PORT, 0, NULL, 0, NULL, "port (default: the service's port)" },
};
static const struct field exec_params[] = {
	{ "command", TY_STRING, 0, NULL, F_REQUIRED, NULL, "program and arguments" },
};
static const struct field ecs_params[] = {
	{ "cluster", TY_NAME, 0, NULL, F_REQUIRED, NULL, "ECS cluster" },
	{ "service", TY_REF, 0, "service", F_REQUIRED, NULL, "service to redeploy" },
};
static const struct field kubernetes_params[] = {
	{ "namespace", TY_NAME, 0, NULL, 0, NULL, "namespace (default: the app's)" },
};

#define CTOR(family, name, params, min, variadic, doc) \
	{ family, name, params, N(params), min, variadic, doc }

static const struct ctor ctors[] = {
	CTOR("probe", "http", http_params, 1, false, "HTTP GET that must answer 2xx or 3xx"),
	CTOR("probe", "tcp", tcp_params, 0, false, "TCP connection that must open"),
	CTOR("probe", "exec", exec_params, 1, true, "command that must exit 0"),
	CTOR("deploy", "ecs", ecs_params, 0, false, "redeploy an ECS service with the new image"),
	CTOR("deploy", "kubernetes", kubernetes_params, 0, false, "apply the generated Kubernetes manifests"),
};

/* Asked for every block checked: the first byte rules out most kinds
 * before a strcmp. */
const struct kind *schema_kind(const char *name)
{
	for (size_t i = 0; i < N(kinds); i++)
		if (kinds[i].name[0] == name[0] && strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

const struct kind *schema_top_kind(const char *name)
{
	const struct kind *k = schema_kind(name);
	return k && k->top_level ? k : NULL;
}

static const struct field *scan_fields(const struct kind *k, const char *name)
{
	for (size_t i = 0; i < k->field_count; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return &k->fields[i];
	return NULL;
}

/* Fields are looked up by name for every entry checked and every field
 * read while lowering, so a program of many services spent a tenth of
 * `depc check` comparing field names.  The fields of every kind go into
 * one hash of (kind, name) the first time a field is asked for; a table
 * that would be more than half full falls back to the scan. */
#define FIELD_SLOTS 2048

static struct field_slot {
	const struct kind *kind;
	const struct field *field;
} field_slots[FIELD_SLOTS];
static enum { NOT_INDEXED, INDEXED, TOO_MANY } field_index;

/* The kind and the first four bytes of the name: the fields of a kind
 * mostly differ there, and two that do not cost one strcmp more. */
static size_t field_hash(const struct kind *k, const char *name)
{
	size_t h = (size_t)(uintptr_t)k * 31;
	for (const char *end = name + 4; *name && name < end; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h & (FIELD_SLOTS - 1);
}

static struct field_slot *field_slot(const struct kind *k, const char *name)
{
	size_t i = field_hash(k, name);
	while (field_slots[i].kind &&
	       (field_slots[i].kind != k || strcmp(field_slots[i].field->name, name) != 0))
		i = (i + 1) & (FIELD_SLOTS - 1);
	return &field_slots[i];
}

static void index_fields(void)
{
	size_t count = 0;
	for (size_t i = 0; i < N(kinds); i++)
		count += kinds[i].field_count;
	field_index = count * 2 > FIELD_SLOTS ? TOO_MANY : INDEXED;
	for (size_t i = 0; field_index == INDEXED && i < N(kinds); i++)
		for (size_t f = 0; f < kinds[i].field_count; f++) {
			struct field_slot *s = field_slot(&kinds[i], kinds[i].fields[f].name);
			if (!s->kind)
				*s = (struct field_slot){ &kinds[i], &kinds[i].fields[f] };
		}
}

static const struct field *find_field(const struct kind *k, const char *name)
{
	if (field_index != INDEXED) {
		if (field_index == NOT_INDEXED)
			index_fields();
		if (field_index == TOO_MANY)
			return scan_fields(k, name);
	}
	/* field_slot(), inline here: this is asked a few hundred thousand times */
	for (size_t i = field_hash(k, name);; i = (i + 1) & (FIELD_SLOTS - 1)) {
		const struct field_slot *s = &field_slots[i];
		if (!s->kind)
			return NULL;
		if (s->kind == k && s->field->name[0] == name[0] && !strcmp(s->field->name, name))
			return s->field;
	}
}

/* Fields found lately, by kind and the address of the name asked for.
 * Nearly every question names its field with a literal ("image"), the
 * same address each time, and the linker merges equal literals, so the
 * field's own name is usually that very address: a hit then reads no
 * text.  An address may come back holding other text (an arena reused
 * by the language server), so a hit is also checked by its text. */
#define FIELD_CACHE 512

static struct field_cache {
	const struct kind *kind;
	const char *name;
	const struct field *field;
} field_cache[FIELD_CACHE];

static size_t cache_index(const struct kind *k, const char *name)
{
	uint64_t h = ((uint64_t)(uintptr_t)k ^ ((uint64_t)(uintptr_t)name << 7))
		     * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(h >> 55) & (FIELD_CACHE - 1);
}

const struct field *schema_field(const struct kind *k, const char *name)
{
	struct field_cache *c = &field_cache[cache_index(k, name)];
	if (c->kind == k && c->name == name &&
	    (c->field->name == name || !strcmp(c->field->name, name)))
		return c->field;
	const struct field *f = find_field(k, name);
	if (f)
		*c = (struct field_cache){ k, name, f };
	return f;
}

size_t schema_field_index(const struct kind *k, const struct field *f)
{
	return (size_t)(f - k->fields);
}

const char *schema_or_ref(const struct field *f)
{
	for (size_t i = 0; f && f->type == TY_ENUM && i < N(pipeline_fields); i++)
		if (f == &pipeline_fields[i])
			return strcmp(f->name, "publish") ? NULL : "registry";
	return NULL;
}

const struct ctor *schema_ctor(const char *family, const char *name)
{
	for (size_t i = 0; i < N(ctors); i++)
		if (!strcmp(ctors[i].family, family) && !strcmp(ctors[i].name, name))
			return &ctors[i];
	return NULL;
}

size_t schema_kind_count(void) { return N(kinds); }
const struct kind *schema_kind_at(size_t i) { return i < N(kinds) ? &kinds[i] : NULL; }
size_t schema_ctor_count(void) { return N(ctors); }
const struct ctor *schema_ctor_at(size_t i) { return i < N(ctors) ? &ctors[i] : NULL; }

const char *schema_type_name(enum type_kind t)
{
	static const char *const names[TY_COUNT] = {
		[TY_NONE] = "nothing", [TY_STRING] = "string", [TY_INT] = "integer",
		[TY_NUMBER] = "number", [TY_BOOL] = "boolean",
		[TY_DURATION] = "duration", [TY_SIZE] = "size", [TY_CPU] = "cpu",
		[TY_PERCENT] = "percentage", [TY_PORT] = "port", [TY_CIDR] = "CIDR block",
		[TY_HOST] = "host name", [TY_IMAGE] = "image reference", [TY_PATH] = "path",
		[TY_NAME] = "name", [TY_ENUM] = "word", [TY_REF] = "reference",
		[TY_LIST] = "list", [TY_MAP] = "map", [TY_RANGE] = "range",
		[TY_CALL] = "constructor", [TY_BLOCK] = "block",
	};
	return t < TY_COUNT ? names[t] : "?";
}

const char *schema_describe(const struct field *f, char *buf, size_t size)
{
	const char *elem = schema_type_name(f->elem);
	switch (f->type) {
	case TY_LIST: case TY_MAP: case TY_RANGE:
		if (f->elem == TY_REF || f->elem == TY_CALL)
			snprintf(buf, size, "%s of %s %ss", schema_type_name(f->type),
				 f->arg, f->elem == TY_REF ? "reference" : "constructor");
		else
			snprintf(buf, size, "%s of %s", schema_type_name(f->type), elem);
		break;
	case TY_ENUM:
		if (schema_or_ref(f))
			snprintf(buf, size, "one of %s, or a %s reference", f->arg, schema_or_ref(f));
		else
			snprintf(buf, size, "one of %s", f->arg);
		break;
	case TY_REF: snprintf(buf, size, "%s reference", f->arg); break;
	case TY_CALL: snprintf(buf, size, "%s constructor", f->arg); break;
	case TY_BLOCK: snprintf(buf, size, "%s block", f->arg); break;
	default: snprintf(buf, size, "%s", schema_type_name(f->type)); break;
	}
	return buf;
}

bool schema_enum_has(const char *words, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = words; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}
