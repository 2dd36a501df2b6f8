/* model.h - the resolved, checked, backend-neutral deployment.
 *
 * This is the only thing backends read.  Every name is resolved to the
 * object it names, every unit is converted (durations in milliseconds,
 * sizes in bytes, cpu in millicores), every default is filled in, and
 * every object keeps the source range it came from so a later stage can
 * still point at the line that caused a problem.  Nothing here is a
 * secret value: secrets are known only by their vault path. */
#ifndef DEPC_MODEL_H
#define DEPC_MODEL_H

/* model_copy.c copies every pointer field of these structs: a new one
 * is copied there too. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "strmap.h"

struct depgraph;
struct model_job;

struct model_origin {
	const struct source *src; /* NULL for objects depc made up */
	struct span span;
};

/* NAME = value, in source order. */
struct model_kv {
	const char *key;
	const char *value;
	struct model_kv *next;
};

struct model_strings {
	const char **items;
	size_t count;
};

/* A policy rule downgraded for one declaration by `allow { CODE = "why" }`.
 * Backends that write comments print the reasons beside what the
 * declaration generates, so an exception stays visible in the output. */
struct model_allow {
	const char *code;        /* "E0407" */
	const char *rule;        /* what the rule asks, e.g. "read-only root filesystem" */
	const char *reason;      /* never empty; may hold any text: escape it */
	struct model_allow *next;
};

/* A text value written in a declaration, every one, in the order of the
 * schema's fields (a list's or map's items in source order):
 * what the policy scans for secrets and for the hosts a service talks
 * to.  `written` keeps interpolations as "${}" (what they stand for is
 * written, and scanned, where it is declared); `value` is the text
 * after them.  An exec() probe's arguments are texts of "health.NAME". */
struct model_text {
	const char *path;        /* "env", "command", "build.args", "image", ... */
	const char *key;         /* the map entry's name, or NULL */
	const char *value;       /* as the generated files hold it */
	const char *written;     /* as the source writes it */
	bool literal;            /* a quoted string with text of its own */
	bool quoted;             /* a string literal: `inner` is inside the quotes */
	struct model_origin at;  /* the value */
	struct model_origin inner; /* the characters between the quotes */
	struct model_text *next;
};

/* The texts of one declaration (model_texts), in an array the next call
 * reuses. */
struct model_texts {
	struct model_text *items;
	size_t count, cap;
};

/* One declaration of the source, as the policy sees it: the name to
 * point at, the template it was made from, its exceptions; where its
 * fields are (model_where) and every text in it (model_texts), read
 * from the checked declaration while the front end lives.  `object` is
 * the model object (struct model_service *, ...; the app and cloud have
 * theirs too). */
struct tblock;
struct fact_source;
struct model_decl {
	const char *kind;        /* "service", "secret", "pipeline", ... */
	const char *name;        /* label, or the kind for unlabelled ones */
	bool labelled;
	struct model_origin name_at;     /* the label, or the kind word */
	struct model_origin block_at;    /* the whole declaration */
	struct model_origin template_at; /* `= template(...)`, or no src */
	const char *template_name;       /* "python.asgi", or NULL */
	struct model_allow *allows;
	const struct tblock *typed;      /* NULL: no fields */
	struct fact_source *facts;       /* lower_facts.c */
	void *object;
	struct model_decl *next;
};

struct model_app {
	const char *name;
	const char *version;
	const char *registry;   /* NULL: images are named after services */
	const char *domain;     /* NULL when not set */
	const char *namespace;  /* Kubernetes namespace */
	const char *vault;      /* secret store name */
	const char *repository; /* OWNER/NAME or NULL */
	struct model_allow *allows;
	struct model_origin origin;
};

struct model_secret {
	const char *name;
	const char *vault_path;  /* remote key in the store */
	const char *property;    /* or NULL */
	int64_t rotate_ms;       /* 0 when rotation is not declared */
	size_t reader_count;     /* services that read it */
	size_t puller_count;     /* services whose image a registry pulls with it */
	size_t composed_count;   /* composed values it is a part of */
	struct model_allow *allows;
	struct model_origin origin;
};

struct model_volume {
	const char *name;
	int64_t size_bytes;
	const char *class;       /* or NULL */
	bool declared;           /* false: made up from a service's `volume` */
	struct model_allow *allows;
	struct model_origin origin;
};

/* A private image registry (man/dep.5, REGISTRIES): every image named
 * HOST/... is pulled with `credential`, a secret holding
 * {"username", "password"} JSON. */
struct model_registry {
	const char *name;
	const char *host;            /* as declared: "registry.acme.example[:5000]" */
	struct model_secret *credential;
	size_t image_count;          /* services whose image is under host */
	bool pushed;                 /* the pipeline pushes built images to it */
	struct model_origin origin;
};

enum model_probe_kind { PROBE_NONE, PROBE_HTTP, PROBE_TCP, PROBE_EXEC };

struct model_probe {
	enum model_probe_kind kind;
	const char *path;            /* HTTP path */
	int port;                    /* resolved: the service's port by default */
	struct model_strings command; /* exec */
};

struct model_health {
	bool declared;               /* the source has a health block */
	struct model_probe liveness, readiness, startup;
	struct model_probe check;    /* the one Docker/Compose/ECS run */
	int64_t interval_ms, timeout_ms, start_ms;
	int retries;
};

struct model_range {
	bool set;
	int64_t request, limit;      /* millicores or bytes */
};

enum model_runtime {
	RUNTIME_NODE, RUNTIME_PYTHON, RUNTIME_GO, RUNTIME_STATIC, RUNTIME_JAVA, RUNTIME_DOTNET,
	RUNTIME_PHP, RUNTIME_RUST, RUNTIME_RUBY
};
enum model_probe_tool { PROBE_TOOL_RUNTIME, PROBE_TOOL_WGET, PROBE_TOOL_NONE };

struct model_build {
	enum model_runtime runtime;
	const char *version;         /* base image tag */
	const char *context;         /* source directory relative to the .dep */
	const char *install;         /* or NULL */
	struct model_strings manifests;
	const char *compile;         /* or NULL */
	struct model_strings outputs;
	struct model_strings start;
	struct model_kv *args;
	struct model_strings ignore;
	enum model_probe_tool probe_tool;
};

struct model_secret_ref {
	const char *env;             /* variable name in the container */
	struct model_secret *secret;
	struct model_secret_ref *next;
};

/* A generated alert changed for one service: `alerts { NAME = off }` or
 * `alerts { NAME { threshold = ...  for = ...  severity = ... } }`. */
struct model_alert_tuning {
	const char *alert;       /* a name of alert_names.c */
	bool off;                /* no such rule for this service anywhere */
	bool has_threshold;
	double threshold;        /* percent, or milliseconds for a latency */
	int64_t for_ms;          /* 0: the alert's own */
	const char *severity;    /* NULL: the alert's own */
	struct model_origin origin;
	struct model_alert_tuning *next;
};

/* An endpoint outside the deployment (`external`): the only internet
 * egress any target opens, to its addresses on its port, and only from
 * the services that list it in `uses`. */
struct model_external {
	const char *name;
	const char *host;            /* DNS name or IPv4 address, lower case */
	int port;
	const char *protocol;        /* https | tls | http | tcp */
	bool plaintext;              /* http or tcp: no TLS (E0405) */
	struct model_strings cidrs;  /* declared, or HOST/32 for an IPv4 host;
				      * none: every public address */
	const char *description;     /* or NULL */
	struct model_service **used_by; /* in source order */
	size_t used_by_count;
	struct model_allow *allows;
	struct model_origin origin;
};

/* A value built from text and secrets (`secrets { URL = "...${pw}..." }`),
 * delivered as a secret on every target and never written: its pieces in
 * order, each literal text (references resolved) or a secret. */
struct model_composed_part {
	const char *text;            /* literal text, or NULL for a secret */
	struct model_secret *secret; /* or NULL for text */
	struct model_composed_part *next;
};

struct model_composed {
	const char *env;             /* variable name in the container */
	struct model_composed_part *parts;
	size_t secret_parts;         /* how many parts are secrets (at least one) */
	struct model_origin origin;  /* the string in the source */
	struct model_composed *next;
};

enum model_on_failure { ON_FAILURE_ROLLBACK, ON_FAILURE_PAUSE, ON_FAILURE_CONTINUE };

struct model_service {
	const char *name;
	const char *image;           /* published image, or NULL when built */
	struct model_registry *registry; /* its image's host is this registry's, or NULL */
	struct model_build *build;   /* or NULL when image is set */
	int port;                    /* 0: no port */
	int replicas;
	struct model_strings command;
	struct model_kv *env;
	struct model_secret_ref *secrets;
	struct model_composed *composed; /* values built from secrets, in source order */
	bool secrets_as_file;        /* NAME_FILE=/run/secrets/SECRET, else NAME */
	struct model_service **uses; /* resolved, in source order */
	size_t uses_count;
	struct model_external **externals; /* the externals in `uses`, in order */
	size_t external_count;
	size_t index;                /* in model.services */
	struct model_service **used_by; /* services whose `uses` list this
					 * one, in source order */
	size_t used_by_count;
	const char *wait_for;        /* init | none: how a Kubernetes pod waits for `uses` */
	struct model_health health;
	struct model_range cpu, memory;
	struct {
		bool set;
		const char *host, *tls_issuer, *class, *path, *controller;
		bool access_log;         /* request logs on (the default) */
	} ingress;
	struct {
		bool set;
		const char *path;
		int port;
		int64_t slo_latency_ms;  /* p95 objective (default 1s) */
		double slo_error_percent; /* 5xx percentage objective (default 5) */
		const char *requests_metric; /* counter, e.g. http_requests_total */
		const char *latency_metric;  /* histogram base name, no _bucket */
		const char *status_label;    /* status-code label of requests_metric */
	} metrics;
	struct {
		int parallelism;
		int64_t delay_ms;
		enum model_on_failure on_failure;
	} rollout;
	struct {
		bool set;
		int min, max;
		double cpu_percent;
	} autoscale;
	struct model_volume *volume; /* or NULL */
	const char *data_path;       /* mount point of volume */
	bool stateful;
	int user;
	bool read_only;
	struct model_strings tmpfs;
	const char *restart;         /* on-failure | always | unless-stopped */
	int max_attempts;
	struct model_strings placement;
	struct model_allow *allows;  /* policy exceptions, in source order */
	struct model_alert_tuning *alert_tunings; /* in source order */
	struct model_origin origin;
	const struct model_job *job; /* a job's container (never in model.services), or NULL */
};

/* A container run to completion (`job NAME { ... }`).  `run` holds what
 * it runs as a service would (image or build, command, env, secrets,
 * uses, resources, user, read_only, tmpfs); it has no port, ingress,
 * health, metrics, rollout or volume, and restarts never.  A job's `run`
 * appears in the `used_by` of each service it uses, so the network paths
 * every target opens for `uses` open for jobs too; it is never one of
 * model.services, and each backend writes jobs itself.  With `schedule`
 * the job is scheduled; without, it is one-off: every deploy runs it to
 * completion before any service in `before` is started or updated. */
struct model_job {
	const char *name;
	struct model_service *run;
	const struct model_service *from; /* the service whose image it runs, or NULL */
	const char *schedule;        /* five-field cron (UTC), or NULL: one-off */
	struct model_service **before; /* one-off: services that wait for it */
	size_t before_count;
	int64_t timeout_ms;
	int retries;
	size_t index;                /* in model.jobs */
	struct model_origin origin;
};

enum model_deploy_kind { DEPLOY_ECS, DEPLOY_KUBERNETES };

struct model_deploy {
	enum model_deploy_kind kind;
	const char *cluster;             /* ECS */
	struct model_service *service;   /* ECS */
	const char *namespace;           /* Kubernetes */
	struct model_deploy *next;
};

struct model_pipeline {
	struct model_strings push, pull_request, tags;
	const char *schedule;    /* cron expression of a scheduled run, or NULL */
	struct model_strings steps;
	const char *scan;        /* snyk | trivy | none (allowed E0410) */
	const char *publish;     /* ghcr | ecr | dockerhub | a registry's name */
	struct model_registry *publish_registry; /* that registry, or NULL */
	struct model_deploy *deploys;
	const char *runner;
	bool pin_sha;
	const char *environment;
	const char *node, *python, *go; /* toolchain versions or NULL */
	struct model_allow *allows;
	struct model_origin origin;
};

struct model_cloud {
	const char *provider;    /* "aws" */
	const char *region;
	const char *vpc_cidr;    /* or NULL */
	int zones;
	bool has_ecs;
	const char *ecs_cluster;
	bool insights;
	int task_cpu, task_memory;
	int64_t log_retention_ms;
	bool audit;
	struct model_allow *allows;
	struct model_origin origin;
};

struct model_panel {
	const char *title, *query, *legend, *type, *unit;
	struct model_panel *next;
};

struct model_dashboard {
	const char *title;
	struct model_strings tags;
	int64_t refresh_ms;
	struct model_panel *panels;
	struct model_origin origin;  /* its title in the source */
	struct model_dashboard *next;
};

struct model_alert {
	const char *name, *expr, *severity, *summary;
	int64_t for_ms;
	struct model_alert *next;
};

struct model_monitor {
	int64_t scrape_ms, evaluate_ms;
	const char *alerting;    /* HOST:PORT or NULL */
	bool node_exporter;
	const char *discovery;   /* static | kubernetes | both */
	bool operator_crds;
	struct model_dashboard *dashboards;
	struct model_alert *alerts;
	struct model_allow *allows;
	struct model_origin origin;
};

struct model {
	const char *source_name;     /* the .dep file, for "generated from" */
	const char *environment;     /* --env, or NULL */
	struct model_app app;
	struct model_service **services; /* in source order */
	size_t service_count;
	struct strmap service_index;     /* name -> service */
	struct model_secret **secrets;
	size_t secret_count;
	struct model_volume **volumes;
	size_t volume_count;
	struct strmap volume_index;      /* name -> volume */
	struct model_registry **registries; /* in source order */
	size_t registry_count;
	struct model_external **externals; /* in source order */
	size_t external_count;
	struct model_pipeline *pipeline; /* or NULL */
	struct model_cloud *cloud;       /* or NULL */
	struct model_monitor *monitor;   /* or NULL */
	struct model_job **jobs;         /* in source order */
	size_t job_count;
	const struct depgraph *deps;     /* start order, set (acyclic) by check_model */
	struct model_decl *decls;        /* every declaration, in source order */
};

/* lower_facts.c: where `path` of declaration d was written ("image",
 * "ingress.tls", "health" for the block, "allow.E0407" for an
 * exception's reason), or NULL: only fields set in the source (or a
 * template) have a place, defaults none.  The policy points its
 * messages here. */
const struct model_origin *model_where(const struct model_decl *d, const char *path);
/* lower_facts.c: every text written in d, in source order, linked by
 * `next`, made into `buf`: valid until the next call with it. */
const struct model_text *model_texts(const struct model_decl *d, struct model_texts *buf);
/* The same for the top-level fields named in `fields` (NULL-terminated)
 * only, in the same order. */
const struct model_text *model_texts_in(const struct model_decl *d, const char *const *fields,
					struct model_texts *buf);
void model_texts_free(struct model_texts *buf);

struct model_service *model_find_service(const struct model *m, const char *name);
/* Every container that runs: the services, then each job's (a job's
 * container is never in model.services).  For i < model_container_count. */
size_t model_container_count(const struct model *m);
struct model_service *model_container_at(const struct model *m, size_t i);
/* Does service a list b in `uses`? */
bool model_uses(const struct model_service *a, const struct model_service *b);
/* Does any service list s in `uses`? */
bool model_service_used(const struct model_service *s);
/* Does any service read secret sec? */
bool model_secret_used(const struct model_secret *sec);
/* A URL in an environment value: scheme://[user@]host[:port]/... */
struct model_url {
	char scheme[16];
	char host[256];
	int port;          /* written, or the scheme's (https 443); 0 unknown */
	bool userinfo;     /* user@ or user:password@ before the host */
};
bool model_parse_url(const char *value, struct model_url *u);
/* Is a URL's host outside the deployment (not a service, not loopback)? */
bool model_host_external(const struct model *m, const char *host);
/* Does s run an image depc builds: its own build, or a job's `from` a
 * service with one?  Such an image is tagged per release. */
bool model_image_built(const struct model_service *s);
/* Jobs by kind, and the one-off jobs a service waits for. */
bool model_job_scheduled(const struct model_job *j);
bool model_job_before(const struct model_job *j, const struct model_service *s);
/* The one-off jobs each service waits for, by service index, each list
 * in the order of model.jobs: asking every job about every service made
 * a backend cost services × jobs. */
struct model_waits {
	const struct model_job **jobs;
	size_t count;
};
struct model_waits *model_waits_of(const struct model *m, struct arena *a);
/* model_external.c: the external declaring `host` (any case), or NULL. */
const struct model_external *model_find_external(const struct model *m, const char *host);
/* Does service s list external e in `uses`? */
bool model_uses_external(const struct model_service *s, const struct model_external *e);
/* lower_external.c: is s a dotted IPv4 address? */
bool model_ipv4(const char *s);
/* The IPv4 ranges an external without `cidr` never opens: private,
 * shared, loopback, link-local (the cloud metadata address) ranges. */
size_t model_nonpublic_count(void);
const char *model_nonpublic_at(size_t i);
/* The image a service runs: its published image, or REGISTRY/NAME:VERSION
 * (a job's container with `from`: the image of that service). */
const char *model_service_image(const struct model *m, const struct model_service *s,
				char *buf, size_t size);

#endif
