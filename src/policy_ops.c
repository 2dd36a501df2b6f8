/* policy_ops.c - the rules about running the deployment: images pinned,
 * probes on real ports, monitoring, the pipeline's tests and scans,
 * rotation bounds and stateful services kept off the internet.  Reads the
 * model only (see policy.c). */
#include "policy_impl.h"

#include "image_tag.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

/* --- images (E0408) --------------------------------------------------------- */

static void check_built_image(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	const char *why = image_tag_floating(s->build->version);
	if (why) {
		struct diag *dg = policy_breach(pl, DIAG_E0408, d, model_where(d, "build.version"),
						"the runtime image of service '%s' %s", s->name, why);
		diag_add_help(pl->bag, dg, "give the runtime an exact release, e.g. version = "
			      "\"20.11.0-alpine\"");
	}
	if (strcasecmp(pl->m->app.version, "latest"))
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0408, d, model_where(d, "build"),
					"the image built for service '%s' is tagged 'latest'", s->name);
	const struct model_decl *app = policy_decl_kind(pl, "app");
	const struct model_origin *version = model_where(app, "version");
	if (version)
		diag_add_label(pl->bag, dg, version->src, version->span,
			       "built images are tagged with the app's version");
	diag_add_help(pl->bag, dg, "set version = \"1.0.0\" in the app block%s: "
		      "deploys then name the release they run", app ? "" : " (app NAME { ... })");
}

static void check_image(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	if (s->build) {
		check_built_image(pl, d, s);
		return;
	}
	const char *why = image_unpinned(s->image);
	if (!why)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0408, d, model_where(d, "image"),
					"the image of %s '%s' %s", d->kind, s->name, why);
	diag_add_help(pl->bag, dg, "pin an exact release, e.g. \"postgres:16.4-alpine\", or a "
		      "digest (name@sha256:...), so every deploy runs the image that was tested");
}

/* --- exposure (E0418) ---------------------------------------------------------- */

/* Images of servers that keep data and speak their own protocol. */
static bool data_store(const char *image)
{
	static const char *const names[] = { "postgres", "postgis", "mysql", "mariadb", "redis",
					     "valkey", "mongo", "memcached", "elasticsearch",
					     "opensearch", "cassandra", "rabbitmq", "couchdb",
					     "neo4j", "clickhouse", "influxdb", "etcd", "zookeeper",
					     "kafka", "nats", "minio" };
	if (!image)
		return false;
	const char *slash = strrchr(image, '/');
	const char *base = slash ? slash + 1 : image;
	size_t n = strcspn(base, ":@");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (n >= strlen(names[i]) && !strncmp(base, names[i], strlen(names[i])))
			return true;
	return false;
}

static void check_exposure(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	bool store = s->stateful || data_store(s->image);
	if (!store)
		return;
	policy_applies(pl, DIAG_E0418);
	if (!s->ingress.set)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0418, d, model_where(d, "ingress"),
					"service '%s' keeps data%s and has an ingress: it is "
					"reachable from the internet", s->name,
					s->stateful ? "" : arena_printf(pl->a, " (%s)", s->image));
	diag_add_help(pl->bag, dg, "remove the ingress and list '%s' in the `uses` of the "
		      "services that need it; only they may connect", s->name);
}

/* --- probes (E0425) ---------------------------------------------------------------- */

static void check_probe(struct pol *pl, const struct model_decl *d, const struct model_service *s,
			const char *which, const struct model_probe *p)
{
	if (p->kind != PROBE_HTTP && p->kind != PROBE_TCP)
		return;
	if (p->port == s->port || (s->metrics.set && p->port == s->metrics.port))
		return;
	const struct model_origin *at = model_where(d, arena_printf(pl->a, "health.%s", which));
	struct diag *dg;
	if (!s->port)
		dg = policy_breach(pl, DIAG_E0425, d, at, "the %s probe of service '%s' checks "
				   "port %d, but the service listens on no port", which, s->name, p->port);
	else
		dg = policy_breach(pl, DIAG_E0425, d, at, "the %s probe of service '%s' checks port "
				   "%d, but the service listens on %d", which, s->name, p->port, s->port);
	diag_add_help(pl->bag, dg, "probe the port the service exposes%s, or set port = %d",
		      s->port ? arena_printf(pl->a, " (%d)", s->port) : "", p->port);
}

/* --- monitoring (E0422, E0423) ----------------------------------------------------- */

/* Traffic: requests from outside, or from another service. */
static bool takes_traffic(const struct model_service *s)
{
	return s->port && (s->ingress.set || model_service_used(s));
}

/* Application code depc builds (node, python, go), which can export
 * metrics; a published image or a static site served as files is
 * watched through its health check and the hosts. */
static bool application(const struct model_service *s)
{
	return s->build && s->build->runtime != RUNTIME_STATIC;
}

static bool deploys(const struct model *m);

static void check_scraped(struct pol *pl, const struct model_decl *d, const struct model_service *s)
{
	if (!takes_traffic(s) || (!deploys(pl->m) && !pl->m->monitor))
		return;
	if (!application(s) && !s->metrics.set) {
		policy_note(pl, DIAG_E0422, "service '%s' takes traffic but runs no application code "
			    "depc builds: it is watched by its health check and the node exporter, "
			    "not scraped", s->name);
		return;
	}
	policy_applies(pl, DIAG_E0422);
	if (s->metrics.set)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0422, d, NULL, "service '%s' takes traffic but "
					"no metrics are scraped from it", s->name);
	diag_add_help(pl->bag, dg, "add metrics { path = \"/metrics\" }, or allow { E0422 = "
		      "\"why it cannot be scraped\" }");
}

/* Monitoring is asked of a deployment that goes somewhere (a pipeline
 * that deploys, or a cloud) or that declares a monitor.  A file that
 * only describes services for local Compose runs is not judged by these
 * two rules. */
static bool deploys(const struct model *m)
{
	return m->cloud || (m->pipeline && m->pipeline->deploys);
}

static void check_monitor(struct pol *pl)
{
	if (!pl->m->service_count)
		return;
	if (!pl->m->monitor && !deploys(pl->m)) {
		policy_note(pl, DIAG_E0423, "no monitor block, and nothing is deployed (no cloud "
			    "block, no pipeline that deploys): monitoring is not judged");
		return;
	}
	policy_applies(pl, DIAG_E0423);
	const struct model_decl *d = policy_decl_kind(pl, "monitor");
	if (!pl->m->monitor) {
		const struct model_decl *app = policy_decl_kind(pl, "app");
		if (!app)
			app = pl->m->decls;
		struct diag *dg = policy_breach(pl, DIAG_E0423, app, NULL, "the deployment has no "
						"monitor block: nothing is monitored");
		diag_add_help(pl->bag, dg, "add monitor { node_exporter = true }: Prometheus then "
			      "scrapes the hosts and every service with metrics");
		return;
	}
	if (pl->m->monitor->node_exporter)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0423, d, model_where(d, "node_exporter"),
					"the monitor does not scrape the hosts (node_exporter = false)");
	diag_add_help(pl->bag, dg, "remove node_exporter = false: infrastructure metrics come "
		      "from the node exporter");
}

/* --- the pipeline (E0419, E0420) ------------------------------------------------------ */

static void check_pipeline_ops(struct pol *pl)
{
	const struct model_decl *d = policy_decl_kind(pl, "pipeline");
	const struct model_pipeline *pp = pl->m->pipeline;
	if (!d || !pp)
		return;
	if (pp->deploys) {
		policy_applies(pl, DIAG_E0419);
		if (!pp->steps.count) {
			struct diag *dg = policy_breach(pl, DIAG_E0419, d, model_where(d, "steps"),
							"the pipeline deploys without running tests");
			diag_add_help(pl->bag, dg, "set steps = [\"npm test\"] (the commands that test "
				      "the code): deploy jobs run only after they pass");
		}
	}
	if (!strcmp(pp->scan, "none"))
		return;
	policy_applies(pl, DIAG_E0420);
	if (pp->schedule)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0420, d, model_where(d, "on"),
					"the security scan runs only when code changes");
	diag_add_help(pl->bag, dg, "add on { schedule = \"0 4 * * 1\" }: new vulnerabilities "
		      "are found in code that has not changed");
}

/* --- rotation bounds (E0424) ----------------------------------------------------------- */

struct bound {
	const char *const *words;  /* lower-case words of the name or vault path */
	int64_t max_ms;
	const char *kind;
};

static const char *const key_words[] = { "token", "apikey", "api", "key", "jwt", "signing",
					 "hmac", "webhook", NULL };
static const char *const password_words[] = { "password", "passwd", "pass", "pwd", "url",
					      "uri", "dsn", "connection", "credentials", NULL };
static const char *const certificate_words[] = { "cert", "certificate", "tls", "ssl", NULL };

/* The first that matches decides; the last holds every other secret. */
static const struct bound bounds[] = {
	{ key_words, 90 * DAY_MS, "an API key or token" },
	{ password_words, 90 * DAY_MS, "a password or connection string" },
	{ certificate_words, 398 * DAY_MS, "a certificate" },
	{ NULL, 365 * DAY_MS, "a secret" },
};

#define LAST_BOUND (sizeof bounds / sizeof bounds[0] - 1)

/* Is the run of n letters and digits at `run` one of the words, in any
 * case?  The first letter is compared before the call. */
static bool is_listed(const char *run, size_t n, const char *const *words)
{
	for (const char *const *w = words; *w; w++)
		if ((run[0] | 0x20) == (*w)[0] && !strncasecmp(run, *w, n) && !(*w)[n])
			return true;
	return false;
}

/* The first bound before `best` that lists a whole word of `text` (a
 * maximal run of letters and digits), or `best`.  Each run is read once
 * and asked of every bound. */
static size_t first_bound(const char *text, size_t best)
{
	for (const char *t = text; *t && best > 0;) {
		while (*t && !isalnum((unsigned char)*t))
			t++;
		const char *run = t;
		while (isalnum((unsigned char)*t))
			t++;
		for (size_t i = 0; t > run && i < best; i++)
			if (is_listed(run, (size_t)(t - run), bounds[i].words)) {
				best = i;
				break;
			}
	}
	return best;
}

/* The bound of the first kind whose word the name or the vault path holds. */
static const struct bound *bound_of(const struct model_secret *s)
{
	return &bounds[first_bound(s->vault_path, first_bound(s->name, LAST_BOUND))];
}

static void check_rotation_bound(struct pol *pl, const struct model_decl *d,
				 const struct model_secret *s)
{
	policy_applies(pl, DIAG_E0424);
	const struct bound *b = bound_of(s);
	if (s->rotate_ms <= 0 || s->rotate_ms <= b->max_ms)
		return;
	struct diag *dg = policy_breach(pl, DIAG_E0424, d, model_where(d, "rotate"),
					"secret '%s' is rotated every %lld days, longer than the "
					"%lld days allowed for %s", s->name,
					(long long)(s->rotate_ms / DAY_MS),
					(long long)(b->max_ms / DAY_MS), b->kind);
	diag_add_help(pl->bag, dg, "rotate it at least every %lldh (%lld days)",
		      (long long)(b->max_ms / HOUR_MS), (long long)(b->max_ms / DAY_MS));
}

void policy_check_ops(struct pol *pl)
{
	for (const struct model_decl *d = pl->m->decls; d; d = d->next) {
		if (!strcmp(d->kind, "secret")) {
			check_rotation_bound(pl, d, d->object);
			continue;
		}
		/* A job `from` a service runs that service's image, checked there. */
		if (!strcmp(d->kind, "job") && !((const struct model_service *)d->object)->job->from)
			check_image(pl, d, d->object);
		if (strcmp(d->kind, "service"))
			continue;
		const struct model_service *s = d->object;
		check_image(pl, d, s);
		check_exposure(pl, d, s);
		check_probe(pl, d, s, "liveness", &s->health.liveness);
		check_probe(pl, d, s, "readiness", &s->health.readiness);
		check_probe(pl, d, s, "startup", &s->health.startup);
		check_scraped(pl, d, s);
	}
	check_monitor(pl);
	check_pipeline_ops(pl);
}
