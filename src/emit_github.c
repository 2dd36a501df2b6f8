/* emit_github.c - .github/workflows/APP.yml: test, scan, build, deploy.
 *
 * The pipeline block becomes one GitHub Actions workflow written through
 * libyaml: a test job (the toolchains of the built services, their
 * dependencies, then the declared steps), a security job running the
 * declared scanner (none with `scan = none`, an exception the source
 * must allow, whose reason heads the file), a build job pushing every
 * built image, and one deploy job per deploy target that runs only for
 * pushes, in the pipeline's GitHub environment.  No pipeline, no file.
 *
 * Guarantees.  The workflow token has no permissions at the top level
 * and each job asks only for what it uses: `contents: read` to check out,
 * `packages: write` only where images go to GHCR, `id-token: write` only
 * where AWS is reached through OIDC (a role ARN in a secret, never a
 * long-lived key).  A declared registry (publish = NAME) is logged in to
 * with the repository secrets REGISTRY_NAME_USERNAME and _PASSWORD,
 * which the file's header names.  Checkouts do not keep credentials.  Every action is
 * pinned to a full commit SHA (or, with `pin = tag`, a release tag) from
 * the one table below, its version named in the step.  Secrets appear
 * only as ${{ secrets.NAME }}.  Every string from the source that Actions
 * evaluates passes through escape_actions, so a "${{" in it stays text
 * instead of becoming an expression; depc's own expressions are added
 * after escaping.  (Branch and tag filters are never evaluated.)
 *
 * Paths.  Every path is relative to the repository root (the nearest
 * directory above the .dep file holding .git, else the file's own
 * directory), where the job's checkout is: the build contexts, and the
 * generated files (the Dockerfiles, the Kubernetes manifests) where -o
 * put them, so the generated tree is committed at that path.  The
 * workflow's own text does not depend on where it is written, so
 * --workflow-dir can place it in .github/workflows, where GitHub runs it.
 * Reads only the model. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "depgraph.h"
#include "escape.h"
#include "yaml_out.h"

/* --- actions, pinned --------------------------------------------------- */

enum action_id {
	A_CHECKOUT, A_SETUP_NODE, A_SETUP_PYTHON, A_SETUP_GO, A_SNYK, A_TRIVY,
	A_BUILDX, A_LOGIN, A_BUILD_PUSH, A_AWS_CREDENTIALS, A_ECR_LOGIN, A_COUNT
};

struct action {
	const char *repo;  /* owner/name[/path] */
	const char *tag;   /* release tag */
	const char *sha;   /* the commit that tag named when it was checked */
};

/* One place for every action depc uses.  Each SHA is the commit of the
 * release tag beside it; bump both together.  trivy-action is at v0.35.0,
 * the first release after its March 2026 tag hijack, whose commit was
 * never rewritten. */
static const struct action actions[A_COUNT] = {
	[A_CHECKOUT] = { "actions/checkout", "v4.2.2", "11bd71901bbe5b1630ceea73d27597364c9af683" },
	[A_SETUP_NODE] = { "actions/setup-node", "v4.4.0", "49933ea5288caeca8642d1e84afbd3f7d6820020" },
	[A_SETUP_PYTHON] = { "actions/setup-python", "v5.6.0", "a26af69be951a213d495a4c3e4e4022e16d87065" },
	[A_SETUP_GO] = { "actions/setup-go", "v5.5.0", "d35c59abb061a4a6fb18e82ac0862c26744d6ab5" },
	[A_SNYK] = { "snyk/actions/setup", "v1.0.0", "9adf32b1121593767fc3c057af55b55db032dc04" },
	[A_TRIVY] = { "aquasecurity/trivy-action", "v0.35.0", "57a97c7e7821a5776cebc9bb87c984fa69cba8f1" },
	[A_BUILDX] = { "docker/setup-buildx-action", "v3.10.0", "b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2" },
	[A_LOGIN] = { "docker/login-action", "v3.4.0", "74a5d142397b4f367a81961eba4e8cd7edddf772" },
	[A_BUILD_PUSH] = { "docker/build-push-action", "v6.18.0", "263435318d21b8e681c14492fe198d362a7d2c83" },
	[A_AWS_CREDENTIALS] = { "aws-actions/configure-aws-credentials", "v4.2.1",
				"b47578312673ae6fa5b5096b330d9fbac3d116df" },
	[A_ECR_LOGIN] = { "aws-actions/amazon-ecr-login", "v2.0.1", "062b18b96a7aff071d4dc91bc00c4c1a7945b076" },
};

/* The secret holding the role the deploy jobs assume; iam.tf's
 * github_deploy_role_arn output is its value. */
#define DEPLOY_ROLE "${{ secrets.AWS_DEPLOY_ROLE_ARN }}"
#define PUSH_ROLE "${{ secrets.AWS_ECR_PUSH_ROLE_ARN }}"
#define ON_PUSH "github.event_name == 'push'"

struct gh {
	struct yaml_out y;
	struct output *o;
	struct arena *a;
	const struct model *m;
	const struct model_pipeline *p;
	const char *runner;
	struct gh_deploys *ecs; /* the ECS deploys by service (deploy_index) */
	int64_t extra_ms;       /* one-off jobs a deploy job waits for, beyond its 30 minutes */
};

/* The ECS deploys of each service, and what one walk of the graph needs,
 * made once: a walk per deploy that allocated or cleared an array of
 * every service made a chain of N deployed services cost N * N. */
struct gh_deploys {
	const struct model_deploy **list; /* every deploy, in pipeline order */
	size_t count;                     /* entries in list */
	size_t *start;                    /* per service index: first entry in `of` */
	size_t *of;                       /* positions in list, by service, then order */
	unsigned *seen;                   /* per service index: walk that last saw it */
	unsigned walk;                    /* the current walk's number */
	const struct model_service **stack; /* the walk's to-do list */
	const struct model_service **near;  /* what the walk found */
	const char *after;                  /* the job every deploy needs */
	const struct model_deploy **owner;  /* per job index: the deploy running it */
	size_t *owned_start;                /* per position in list: first in `owned` */
	const struct model_job **owned;     /* the jobs each deploy runs, in job order */
	const struct model_waits *waits;    /* per service: the jobs it waits for */
};

static const char *esc(struct gh *g, const char *s)
{
	return escape_actions(g->a, s);
}

/* name: WHAT (REPO TAG), if: CONDITION when given, and uses: REPO@SHA,
 * opening the step's mapping for the caller to add to and close. */
static void step_uses_if(struct gh *g, enum action_id id, const char *what, const char *cond)
{
	const struct action *act = &actions[id];
	yaml_map(&g->y);
	yaml_kv_str(&g->y, "name", arena_printf(g->a, "%s (%s %s)", what, act->repo, act->tag));
	if (cond)
		yaml_kv_str(&g->y, "if", cond);
	yaml_kv_str(&g->y, "uses", arena_printf(g->a, "%s@%s", act->repo,
						g->p->pin_sha ? act->sha : act->tag));
}

static void step_uses(struct gh *g, enum action_id id, const char *what)
{
	step_uses_if(g, id, what, NULL);
}

static void step_checkout(struct gh *g)
{
	step_uses(g, A_CHECKOUT, "Check out the repository");
	yaml_key_map(&g->y, "with");
	/* Later steps run project code; they must not find a token on disk. */
	yaml_kv_bool(&g->y, "persist-credentials", false);
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* A job's common head: the mapping under its id, name, needs (one job as
 * a plain value, more as a list), runner. */
static void job_begin_after(struct gh *g, const char *id, const char *name,
			    const char *const *needs, size_t n)
{
	yaml_key_map(&g->y, id);
	yaml_kv_str(&g->y, "name", name);
	if (n == 1)
		yaml_kv_str(&g->y, "needs", needs[0]);
	if (n > 1) {
		yaml_key_seq(&g->y, "needs");
		for (size_t i = 0; i < n; i++)
			yaml_str(&g->y, needs[i]);
		yaml_close(&g->y);
	}
	yaml_kv_str(&g->y, "runs-on", g->runner);
	yaml_kv_int(&g->y, "timeout-minutes", 30 + (g->extra_ms + 59999) / 60000);
}

static void job_begin(struct gh *g, const char *id, const char *name, const char *needs)
{
	job_begin_after(g, id, name, &needs, needs != NULL);
}

/* permissions: the listed scopes, each "scope=level". */
static void job_permissions(struct gh *g, const char *const *scopes, size_t n)
{
	yaml_key_map(&g->y, "permissions");
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(scopes[i], '=');
		yaml_kv_str(&g->y, arena_strndup(g->a, scopes[i], (size_t)(eq - scopes[i])), eq + 1);
	}
	yaml_close(&g->y);
}

/* --- toolchains and the test job ---------------------------------------- */

enum toolchain { TC_NODE, TC_PYTHON, TC_GO, TC_COUNT };

/* TC_COUNT for the runtimes the test job has no setup for (Java, .NET,
 * PHP, Rust, Ruby): their images still build, in the build job. */
static enum toolchain toolchain_of(enum model_runtime r)
{
	/* Static sites are built with Node.js (see emit_docker.c). */
	switch (r) {
	case RUNTIME_PYTHON: return TC_PYTHON;
	case RUNTIME_GO: return TC_GO;
	case RUNTIME_NODE: case RUNTIME_STATIC: return TC_NODE;
	default: return TC_COUNT;
	}
}

/* "20.9.0-alpine" -> "20.9.0": the numeric part a setup action takes. */
static const char *numeric_version(struct arena *a, const char *tag)
{
	size_t n = strspn(tag, "0123456789.");
	while (n && tag[n - 1] == '.')
		n--;
	return n ? arena_strndup(a, tag, n) : NULL;
}

static bool built_with(const struct model *m, enum toolchain tc)
{
	for (size_t i = 0; i < m->service_count; i++) {
		const struct model_build *b = m->services[i]->build;
		if (b && toolchain_of(b->runtime) == tc)
			return true;
	}
	return false;
}

/* The pipeline's version, else the first built service's image tag. */
static const char *toolchain_version(struct gh *g, enum toolchain tc)
{
	const char *declared[TC_COUNT] = { g->p->node, g->p->python, g->p->go };
	if (declared[tc])
		return declared[tc];
	for (size_t i = 0; i < g->m->service_count; i++) {
		const struct model_build *b = g->m->services[i]->build;
		if (b && b->runtime != RUNTIME_STATIC && toolchain_of(b->runtime) == tc) {
			const char *v = numeric_version(g->a, b->version);
			if (v)
				return v;
		}
	}
	static const char *const fallback[TC_COUNT] = { "lts/*", "3.x", "stable" };
	return fallback[tc];
}

static bool uses_toolchain(struct gh *g, enum toolchain tc)
{
	const char *declared[TC_COUNT] = { g->p->node, g->p->python, g->p->go };
	return declared[tc] || built_with(g->m, tc);
}

static const char *const version_env[TC_COUNT] = { "NODE_VERSION", "PYTHON_VERSION", "GO_VERSION" };

/* CONTEXT/FILE as seen from the repository root. */
static const char *in_context(struct gh *g, const char *context, const char *file)
{
	const char *dir = output_source_path(g->o, context);
	return strcmp(dir, ".") ? arena_printf(g->a, "%s/%s", dir, file) : arena_strdup(g->a, file);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* The lockfiles of every service built with `tc`, one per line, for the
 * setup action's cache key; NULL when there are none. */
static const char *lockfiles(struct gh *g, enum toolchain tc)
{
	static const char *const lock[TC_COUNT] = { "package-lock.json", "requirements.txt", "go.sum" };
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < g->m->service_count; i++) {
		const struct model_build *bd = g->m->services[i]->build;
		if (!bd || toolchain_of(bd->runtime) != tc)
			continue;
		for (size_t k = 0; k < bd->manifests.count; k++) {
			const char *f = bd->manifests.items[k];
			if (has_suffix(f, lock[tc]) || (tc == TC_PYTHON && has_suffix(f, ".txt")))
				strbuf_printf(&b, "%s%s", b.len ? "\n" : "",
					      esc(g, in_context(g, bd->context, f)));
		}
	}
	if (!b.len) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_finish(&b, g->a);
}

static void step_setup(struct gh *g, enum toolchain tc)
{
	static const enum action_id id[TC_COUNT] = { A_SETUP_NODE, A_SETUP_PYTHON, A_SETUP_GO };
	static const char *const what[TC_COUNT] = { "Set up Node.js", "Set up Python", "Set up Go" };
	static const char *const input[TC_COUNT] = { "node-version", "python-version", "go-version" };
	static const char *const cache[TC_COUNT] = { "npm", "pip", NULL };
	const char *locks = lockfiles(g, tc);
	step_uses(g, id[tc], what[tc]);
	yaml_key_map(&g->y, "with");
	yaml_kv_str(&g->y, input[tc], arena_printf(g->a, "${{ env.%s }}", version_env[tc]));
	if (locks && cache[tc])
		yaml_kv_str(&g->y, "cache", cache[tc]);
	if (locks)
		yaml_kv_str(&g->y, "cache-dependency-path", locks);
	else if (tc == TC_GO)
		yaml_kv_bool(&g->y, "cache", false);
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* Does a declared step already install this toolchain's dependencies?
 * Then depc does not install them a second time. */
static bool steps_install(struct gh *g, enum toolchain tc)
{
	static const char *const prefix[TC_COUNT][2] = {
		{ "npm ci", "npm install" }, { "pip install", "python -m pip install" },
		{ "go mod download", "go mod download" },
	};
	for (size_t i = 0; i < g->p->steps.count; i++)
		for (int k = 0; k < 2; k++)
			if (!strncmp(g->p->steps.items[i], prefix[tc][k], strlen(prefix[tc][k])))
				return true;
	return false;
}

static const char *install_command(struct gh *g, const struct model_build *b)
{
	switch (toolchain_of(b->runtime)) {
	case TC_NODE: return "npm ci";
	case TC_GO: return "go mod download";
	default: break;
	}
	struct strbuf s;
	strbuf_init(&s);
	strbuf_puts(&s, "python -m pip install");
	for (size_t k = 0; k < b->manifests.count; k++)
		if (has_suffix(b->manifests.items[k], ".txt"))
			strbuf_printf(&s, " -r %s", escape_shell_word(g->a, b->manifests.items[k]));
	return strbuf_finish(&s, g->a);
}

/* One install step per built service, in its source directory; the test
 * job installs development dependencies too, unlike the image build. */
static void step_install(struct gh *g, const struct model_service *s)
{
	const char *dir = output_source_path(g->o, s->build->context);
	yaml_map(&g->y);
	yaml_kv_str(&g->y, "name", esc(g, arena_printf(g->a, "Install the dependencies of %s", s->name)));
	if (strcmp(dir, "."))
		yaml_kv_str(&g->y, "working-directory", esc(g, dir));
	yaml_kv_str(&g->y, "run", install_command(g, s->build));
	yaml_close(&g->y);
}

static void test_job(struct gh *g)
{
	static const char *const perms[] = { "contents=read" };
	job_begin(g, "test", "Test", NULL);
	job_permissions(g, perms, 1);
	yaml_key_seq(&g->y, "steps");
	step_checkout(g);
	for (int tc = 0; tc < TC_COUNT; tc++)
		if (uses_toolchain(g, (enum toolchain)tc))
			step_setup(g, (enum toolchain)tc);
	for (size_t i = 0; i < g->m->service_count; i++) {
		const struct model_service *s = g->m->services[i];
		if (s->build && toolchain_of(s->build->runtime) != TC_COUNT &&
		    !steps_install(g, toolchain_of(s->build->runtime)))
			step_install(g, s);
	}
	for (size_t i = 0; i < g->p->steps.count; i++) {
		yaml_map(&g->y);
		yaml_kv_str(&g->y, "run", esc(g, g->p->steps.items[i]));
		yaml_close(&g->y);
	}
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* --- the security scan ---------------------------------------------------- */

static void step_trivy(struct gh *g)
{
	step_uses(g, A_TRIVY, "Scan the repository for HIGH and CRITICAL vulnerabilities");
	yaml_key_map(&g->y, "with");
	yaml_kv_str(&g->y, "scan-type", "fs");
	yaml_kv_str(&g->y, "scan-ref", ".");
	yaml_kv_str(&g->y, "scanners", "vuln,secret");
	yaml_kv_str(&g->y, "severity", "HIGH,CRITICAL");
	yaml_kv_str(&g->y, "exit-code", "1");
	yaml_close(&g->y);
	yaml_close(&g->y);
}

static void step_snyk(struct gh *g)
{
	step_uses(g, A_SNYK, "Install the Snyk CLI");
	yaml_close(&g->y);
	yaml_map(&g->y);
	yaml_kv_str(&g->y, "name", "Scan the dependencies for HIGH and CRITICAL vulnerabilities");
	yaml_key_map(&g->y, "env");
	yaml_kv_str(&g->y, "SNYK_TOKEN", "${{ secrets.SNYK_TOKEN }}");
	yaml_close(&g->y);
	yaml_kv_str(&g->y, "run", "snyk test --all-projects --severity-threshold=high");
	yaml_close(&g->y);
}

/* `scan = none` (allowed as E0410 in the source) means no security job;
 * what came after it then follows the tests directly. */
static bool scans(const struct gh *g)
{
	return !g->p->scan || strcmp(g->p->scan, "none") != 0;
}

static const char *after_tests(const struct gh *g)
{
	return scans(g) ? "security" : "test";
}

static void security_job(struct gh *g)
{
	static const char *const perms[] = { "contents=read" };
	job_begin(g, "security", "Security scan", "test");
	job_permissions(g, perms, 1);
	yaml_key_seq(&g->y, "steps");
	step_checkout(g);
	if (g->p->scan && !strcmp(g->p->scan, "snyk"))
		step_snyk(g);
	else
		step_trivy(g);
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* --- building and pushing images ---------------------------------------- */

static bool any_built(const struct model *m)
{
	for (size_t i = 0; i < m->service_count; i++)
		if (m->services[i]->build)
			return true;
	for (size_t i = 0; i < m->job_count; i++)
		if (m->jobs[i]->run->build)
			return true;
	return false;
}

static bool publish_is(struct gh *g, const char *registry)
{
	return g->p->publish ? !strcmp(g->p->publish, registry) : !strcmp(registry, "ghcr");
}

/* REGISTRY/SERVICE: the image name without its tag. */
static const char *image_repository(struct gh *g, const struct model_service *s)
{
	char buf[512];
	const char *image = model_service_image(g->m, s, buf, sizeof buf);
	const char *colon = strrchr(image, ':'), *slash = strrchr(image, '/');
	size_t n = colon && (!slash || colon > slash) ? (size_t)(colon - image) : strlen(image);
	return arena_strndup(g->a, image, n);
}

/* REGISTRY_ACME_USERNAME for registry acme: repository secret names are
 * letters, digits and '_', and may not start with GITHUB_. */
static const char *registry_secret(struct gh *g, const struct model_registry *r, const char *what)
{
	char *name = arena_printf(g->a, "REGISTRY_%s_%s", r->name, what);
	for (char *p = name; *p; p++)
		*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	return name;
}

/* A declared registry: its host, with a login the repository keeps. */
static void step_registry_login(struct gh *g, const struct model_registry *r)
{
	step_uses_if(g, A_LOGIN, esc(g, arena_printf(g->a, "Log in to registry %s (%s)", r->name, r->host)),
		     ON_PUSH);
	yaml_key_map(&g->y, "with");
	yaml_kv_str(&g->y, "registry", esc(g, r->host));
	yaml_kv_str(&g->y, "username", arena_printf(g->a, "${{ secrets.%s }}", registry_secret(g, r, "USERNAME")));
	yaml_kv_str(&g->y, "password", arena_printf(g->a, "${{ secrets.%s }}", registry_secret(g, r, "PASSWORD")));
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* Only pushes log in: a pull request's build proves the images build. */
static void step_login(struct gh *g)
{
	if (g->p->publish_registry) {
		step_registry_login(g, g->p->publish_registry);
		return;
	}
	if (publish_is(g, "ecr")) {
		step_uses_if(g, A_AWS_CREDENTIALS, "Configure AWS credentials through OIDC", ON_PUSH);
		yaml_key_map(&g->y, "with");
		yaml_kv_str(&g->y, "role-to-assume", PUSH_ROLE);
		yaml_kv_str(&g->y, "aws-region", g->m->cloud ? esc(g, g->m->cloud->region)
							    : "${{ vars.AWS_REGION }}");
		yaml_close(&g->y);
		yaml_close(&g->y);
		step_uses_if(g, A_ECR_LOGIN, "Log in to Amazon ECR", ON_PUSH);
		yaml_close(&g->y);
		return;
	}
	step_uses_if(g, A_LOGIN, publish_is(g, "ghcr") ? "Log in to GHCR" : "Log in to Docker Hub", ON_PUSH);
	yaml_key_map(&g->y, "with");
	if (publish_is(g, "ghcr")) {
		yaml_kv_str(&g->y, "registry", "ghcr.io");
		yaml_kv_str(&g->y, "username", "${{ github.actor }}");
		yaml_kv_str(&g->y, "password", "${{ secrets.GITHUB_TOKEN }}");
	} else {
		yaml_kv_str(&g->y, "username", "${{ vars.DOCKERHUB_USERNAME }}");
		yaml_kv_str(&g->y, "password", "${{ secrets.DOCKERHUB_TOKEN }}");
	}
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* The tags every artifact agrees on: the app version (what Compose,
 * Kubernetes and ECS run), the commit, and latest. */
static const char *image_tags(struct gh *g, const struct model_service *s)
{
	const char *repo = esc(g, image_repository(g, s));
	const char *tags = arena_printf(g->a, "%s:%s\n%s:${{ github.sha }}", repo,
					esc(g, g->m->app.version), repo);
	if (!strcmp(g->m->app.version, "latest"))
		return tags;
	return arena_printf(g->a, "%s\n%s:latest", tags, repo);
}

/* `scan_first`: build into the runner's Docker only, for the image scan;
 * the step after the scan pushes the same build from the cache. */
static void step_build_push(struct gh *g, const struct model_service *s, bool scan_first)
{
	const char *dockerfile = output_repo_path(g->o, arena_printf(g->a, "%s/Dockerfile", s->name));
	const char *scope = esc(g, s->name);
	step_uses(g, A_BUILD_PUSH, esc(g, arena_printf(g->a, scan_first ? "Build %s for the scan"
						     : "Build %s", s->name)));
	yaml_key_map(&g->y, "with");
	yaml_kv_str(&g->y, "context", esc(g, output_source_path(g->o, s->build->context)));
	yaml_kv_str(&g->y, "file", esc(g, dockerfile));
	if (scan_first)
		yaml_kv_bool(&g->y, "load", true);
	else
		yaml_kv_str(&g->y, "push", "${{ " ON_PUSH " }}");
	yaml_kv_str(&g->y, "tags", image_tags(g, s));
	yaml_kv_str(&g->y, "labels", "org.opencontainers.image.revision=${{ github.sha }}\n"
		    "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}");
	/* One cache scope per image, or the images evict each other. */
	yaml_kv_str(&g->y, "cache-from", arena_printf(g->a, "type=gha,scope=%s", scope));
	yaml_kv_str(&g->y, "cache-to", arena_printf(g->a, "type=gha,mode=max,scope=%s", scope));
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* The scan of the repository cannot see what the base image brings:
 * each image built is scanned as well, before it is pushed. */
static void step_scan_image(struct gh *g, const struct model_service *s)
{
	step_uses(g, A_TRIVY, esc(g, arena_printf(g->a, "Scan the %s image for HIGH and "
						  "CRITICAL vulnerabilities", s->name)));
	yaml_key_map(&g->y, "with");
	yaml_kv_str(&g->y, "scan-type", "image");
	yaml_kv_str(&g->y, "image-ref", arena_printf(g->a, "%s:${{ github.sha }}",
						     esc(g, image_repository(g, s))));
	yaml_kv_str(&g->y, "severity", "HIGH,CRITICAL");
	yaml_kv_str(&g->y, "ignore-unfixed", "true");
	yaml_kv_str(&g->y, "exit-code", "1");
	yaml_close(&g->y);
	yaml_close(&g->y);
}

static void build_job(struct gh *g)
{
	static const char *const ghcr[] = { "contents=read", "packages=write" };
	static const char *const ecr[] = { "contents=read", "id-token=write" };
	static const char *const other[] = { "contents=read" };
	job_begin(g, "build", "Build and push images", after_tests(g));
	if (publish_is(g, "ghcr"))
		job_permissions(g, ghcr, 2);
	else
		job_permissions(g, publish_is(g, "ecr") ? ecr : other, publish_is(g, "ecr") ? 2 : 1);
	yaml_key_seq(&g->y, "steps");
	step_checkout(g);
	step_uses(g, A_BUILDX, "Set up Docker Buildx");
	yaml_close(&g->y);
	step_login(g);
	for (size_t i = 0; i < g->m->service_count; i++)
		if (g->m->services[i]->build) {
			if (scans(g)) {
				step_build_push(g, g->m->services[i], true);
				step_scan_image(g, g->m->services[i]);
			}
			step_build_push(g, g->m->services[i], false);
		}
	/* A job with a build of its own; one `from` a service runs that image. */
	for (size_t i = 0; i < g->m->job_count; i++)
		if (g->m->jobs[i]->run->build) {
			if (scans(g)) {
				step_build_push(g, g->m->jobs[i]->run, true);
				step_scan_image(g, g->m->jobs[i]->run);
			}
			step_build_push(g, g->m->jobs[i]->run, false);
		}
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* --- deploying -------------------------------------------------------------- */

static const char *environment(struct gh *g)
{
	return esc(g, g->p->environment ? g->p->environment : "production");
}

static const char *ecs_cluster(struct gh *g, const struct model_deploy *d)
{
	return d->cluster ? d->cluster : g->m->cloud ? g->m->cloud->ecs_cluster : "default";
}

static const char *ecs_job_id(struct gh *g, const struct model_deploy *d)
{
	const char *service = d->service ? d->service->name : g->m->app.name;
	return output_slug(g->a, arena_printf(g->a, "deploy-ecs-%s-%s", ecs_cluster(g, d), service));
}

/* The position of the ECS deploy that runs one-off job j: the first, in
 * pipeline order, of a service in its `before` (of any service, when
 * `before` is empty); x->count when none does. */
static size_t owner_position(const struct gh_deploys *x, const struct model_job *j,
			     size_t first_ecs)
{
	if (!j->before_count)
		return first_ecs;
	size_t best = x->count;
	for (size_t i = 0; i < j->before_count; i++) {
		size_t k = j->before[i]->index;
		if (x->start[k] < x->start[k + 1] && x->of[x->start[k]] < best)
			best = x->of[x->start[k]];
	}
	return best;
}

/* Each one-off job's deploy, and each deploy's jobs, found once: a scan
 * of every deploy per job and of every job per deploy made a pipeline
 * that deploys many services with many jobs cost their product.  Each
 * job runs once per workflow run; other deploys of services in its
 * `before` wait for that one. */
static void job_owners(struct gh *g, struct gh_deploys *x)
{
	const struct model *m = g->m;
	size_t first_ecs = x->count;
	for (size_t i = x->count; i-- > 0;)
		if (x->list[i]->kind == DEPLOY_ECS && x->list[i]->service)
			first_ecs = i;
	size_t *at = arena_calloc(g->a, m->job_count + 1, sizeof *at);
	x->owner = arena_calloc(g->a, m->job_count + 1, sizeof *x->owner);
	x->owned_start = arena_calloc(g->a, x->count + 2, sizeof *x->owned_start);
	x->owned = arena_calloc(g->a, m->job_count + 1, sizeof *x->owned);
	for (size_t j = 0; j < m->job_count; j++) {
		at[j] = model_job_scheduled(m->jobs[j]) ? x->count
							 : owner_position(x, m->jobs[j], first_ecs);
		if (at[j] < x->count) {
			x->owner[j] = x->list[at[j]];
			x->owned_start[at[j] + 2]++;
		}
	}
	for (size_t i = 2; i < x->count + 2; i++)
		x->owned_start[i] += x->owned_start[i - 1];
	for (size_t j = 0; j < m->job_count; j++)
		if (at[j] < x->count)
			x->owned[x->owned_start[at[j] + 1]++] = m->jobs[j];
	x->waits = model_waits_of(m, g->a);
}

/* Counting sort of the ECS deploys by service index: stable, so each
 * service's deploys stay in pipeline order. */
static struct gh_deploys *deploy_index(struct gh *g)
{
	struct gh_deploys *x = arena_alloc(g->a, sizeof *x);
	size_t services = g->m->service_count;
	for (const struct model_deploy *d = g->p->deploys; d; d = d->next)
		x->count++;
	x->list = arena_calloc(g->a, x->count + 1, sizeof *x->list);
	x->start = arena_calloc(g->a, services + 2, sizeof *x->start);
	x->of = arena_calloc(g->a, x->count + 1, sizeof *x->of);
	x->seen = arena_calloc(g->a, services + 1, sizeof *x->seen);
	x->stack = arena_calloc(g->a, services + 1, sizeof *x->stack);
	x->near = arena_calloc(g->a, services + 1, sizeof *x->near);
	x->after = any_built(g->m) ? "build" : after_tests(g);
	size_t i = 0;
	for (const struct model_deploy *d = g->p->deploys; d; d = d->next, i++) {
		x->list[i] = d;
		if (d->kind == DEPLOY_ECS && d->service)
			x->start[d->service->index + 2]++;
	}
	for (size_t k = 2; k < services + 2; k++)
		x->start[k] += x->start[k - 1];
	for (i = 0; i < x->count; i++) {
		const struct model_deploy *d = x->list[i];
		if (d->kind == DEPLOY_ECS && d->service)
			x->of[x->start[d->service->index + 1]++] = i;
	}
	/* start[k]..start[k + 1] now holds service k's deploys */
	job_owners(g, x);
	return x;
}

static bool has_ecs_deploy(const struct gh *g, const struct model_service *s)
{
	return g->ecs->start[s->index] < g->ecs->start[s->index + 1];
}

/* The nearest services below s in the graph that have an ECS deploy:
 * a walk that does not go past one, since that deploy's own job waits
 * for what is below it.  Listing every deploy s reaches would make the
 * workflow grow with the square of a chain's length. */
static size_t deployed_frontier(struct gh *g, const struct model_service *s,
				const struct model_service **out)
{
	struct gh_deploys *x = g->ecs;
	unsigned walk = ++x->walk;
	size_t n = 0, depth = 0;
	x->stack[depth++] = s;
	x->seen[s->index] = walk;
	while (depth) {
		const struct dep_node *node = depgraph_node(g->m->deps, x->stack[--depth]);
		for (size_t e = 0; node && e < node->edge_count; e++) {
			const struct model_service *t = node->edges[e].to;
			if (x->seen[t->index] == walk)
				continue;
			x->seen[t->index] = walk;
			if (has_ecs_deploy(g, t))
				out[n++] = t;
			else
				x->stack[depth++] = t;
		}
	}
	return n;
}

static int by_position(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* A deploy runs after the images are built (or the scan or the tests,
 * when nothing is built), and a service's ECS deploy after the ECS
 * deploys of what it depends on in the graph, so a rollout never starts
 * against a dependency still being replaced: the nearest deployed
 * dependencies are listed, in pipeline order, and `needs` carries the
 * rest. */
static size_t deploy_needs(struct gh *g, const struct model_service *s, const char ***out)
{
	struct gh_deploys *x = g->ecs;
	size_t k = s ? deployed_frontier(g, s, x->near) : 0, found = 0;
	for (size_t i = 0; i < k; i++)
		found += x->start[x->near[i]->index + 1] - x->start[x->near[i]->index];
	size_t *pos = arena_calloc(g->a, found + 1, sizeof *pos);
	found = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = x->start[x->near[i]->index]; j < x->start[x->near[i]->index + 1]; j++)
			pos[found++] = x->of[j];
	qsort(pos, found, sizeof *pos, by_position);
	const char **needs = arena_calloc(g->a, found + 1, sizeof *needs);
	needs[0] = x->after;
	for (size_t i = 0; i < found; i++)
		needs[i + 1] = ecs_job_id(g, x->list[pos[i]]);
	*out = needs;
	return found + 1;
}

/* The deploy jobs running the one-off jobs s waits for (job_owners). */
static size_t job_needs(struct gh *g, const struct model_service *s, const char **needs, size_t n)
{
	const struct model_waits *w = s ? &g->ecs->waits[s->index] : NULL;
	for (size_t j = 0; w && j < w->count; j++) {
		const struct model_deploy *owner = g->ecs->owner[w->jobs[j]->index];
		if (!owner || owner->service == s)
			continue;
		const char *id = ecs_job_id(g, owner);
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++)
			seen = !strcmp(needs[i], id);
		if (!seen)
			needs[n++] = id;
	}
	return n;
}

/* needs, if, environment and a concurrency group per environment, so two
 * deploys never overlap and a started one is never cancelled. */
static void deploy_head(struct gh *g, const char *id, const char *name,
			const struct model_service *s)
{
	const char **needs;
	size_t n = deploy_needs(g, s, &needs);
	size_t waits = s ? g->ecs->waits[s->index].count : 0;
	if (waits) {
		const char **more = arena_calloc(g->a, n + waits + 1, sizeof *more);
		memcpy(more, needs, n * sizeof *more);
		n = job_needs(g, s, more, n);
		needs = more;
	}
	job_begin_after(g, id, name, needs, n);
	yaml_kv_str(&g->y, "if", ON_PUSH);
	yaml_kv_str(&g->y, "environment", environment(g));
	yaml_key_map(&g->y, "concurrency");
	yaml_kv_str(&g->y, "group", arena_printf(g->a, "${{ github.workflow }}-%s", id));
	yaml_kv_bool(&g->y, "cancel-in-progress", false);
	yaml_close(&g->y);
}

/* The jq program that points the built containers of a task definition
 * at this commit's image and keeps only what register-task-definition
 * takes back.  A service's task definition holds its one container, so
 * a deploy of one service names only that one (a program per deploy that
 * named every service would grow with the square of their number). */
static void release_one(struct gh *g, struct strbuf *b, const struct model_service *s)
{
	if (s->build)
		strbuf_printf(b, "if .name == \"%s\" then .image = \"%s:\" + $sha else . end | ",
			      s->name, image_repository(g, s));
}

static const char *ecs_release_jq(struct gh *g, const struct model_service *only)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, ".containerDefinitions |= map(");
	if (only)
		release_one(g, &b, only);
	for (size_t i = 0; !only && i < g->m->service_count; i++)
		release_one(g, &b, g->m->services[i]);
	strbuf_puts(&b, ".) | {family, taskRoleArn, executionRoleArn, networkMode, containerDefinitions, "
			"volumes, placementConstraints, requiresCompatibilities, cpu, memory, runtimePlatform, "
			"ephemeralStorage, pidMode, ipcMode, proxyConfiguration} | with_entries(select(.value != null))");
	return strbuf_finish(&b, g->a);
}

/* One release identity: the service gets a new task definition revision
 * that runs this commit's image (the tag Kubernetes deploys too), so a
 * circuit-breaker rollback returns to the previous revision, hence the
 * previous build.  A deployment that ends on another revision than the
 * one registered here was rolled back, and the job fails. */
static const char *ecs_release_script(struct gh *g, const char *cluster, const char *service,
				      const struct model_service *only)
{
	const char *c = escape_shell_word(g->a, cluster), *s = escape_shell_word(g->a, service);
	return arena_printf(g->a,
		"current=$(aws ecs describe-services --cluster %s --services %s "
		"--query 'services[0].taskDefinition' --output text)\n"
		"aws ecs describe-task-definition --task-definition \"$current\" "
		"--query taskDefinition --output json > \"$RUNNER_TEMP/task.json\"\n"
		"jq --arg sha \"$GITHUB_SHA\" %s \"$RUNNER_TEMP/task.json\" > \"$RUNNER_TEMP/release.json\"\n"
		"release=$(aws ecs register-task-definition --cli-input-json \"file://$RUNNER_TEMP/release.json\" "
		"--query taskDefinition.taskDefinitionArn --output text)\n"
		"aws ecs update-service --cluster %s --service %s --task-definition \"$release\"\n"
		"aws ecs wait services-stable --cluster %s --services %s\n"
		"running=$(aws ecs describe-services --cluster %s --services %s "
		"--query 'services[0].taskDefinition' --output text)\n"
		"if [ \"$running\" != \"$release\" ]; then\n"
		"  echo \"::error::%s was rolled back to $running\"\n"
		"  exit 1\n"
		"fi\n",
		c, s, escape_shell_word(g->a, ecs_release_jq(g, only)), c, s, c, s, c, s, service);
}

/* A one-off job on ECS: a new revision of its task definition at this
 * commit's image (when depc builds it), run with `aws ecs run-task` in
 * the private subnets the deployed service uses and the job's own
 * security group, followed to its end (a waiter round is ten minutes, so
 * rounds until the timeout, then stop-task), and judged by the
 * container's exit code; a failure is tried again `retries` times, then
 * shows the log and fails the deploy before the service is updated. */
static const char *ecs_run_job_script(struct gh *g, const char *cluster, const char *service,
				      const struct model_job *j)
{
	struct arena *a = g->a;
	const char *c = escape_shell_word(a, cluster), *s = escape_shell_word(a, service);
	const char *family = output_slug(a, arena_printf(a, "%s-%s", g->m->app.name, j->name));
	const char *fam = escape_shell_word(a, family), *name = j->name;
	struct strbuf b;
	strbuf_init(&b);
	if (model_image_built(j->run)) {
		const char *jq = arena_printf(a, ".containerDefinitions |= map(if .name == \"%s\" then .image = "
			"\"%s:\" + $sha else . end) | {family, taskRoleArn, executionRoleArn, networkMode, "
			"containerDefinitions, volumes, placementConstraints, requiresCompatibilities, cpu, "
			"memory, runtimePlatform, ephemeralStorage, pidMode, ipcMode, proxyConfiguration} | "
			"with_entries(select(.value != null))", name, image_repository(g, j->run));
		strbuf_printf(&b, "aws ecs describe-task-definition --task-definition %s "
			      "--query taskDefinition --output json > \"$RUNNER_TEMP/job.json\"\n"
			      "jq --arg sha \"$GITHUB_SHA\" %s \"$RUNNER_TEMP/job.json\" > \"$RUNNER_TEMP/job-release.json\"\n"
			      "release=$(aws ecs register-task-definition --cli-input-json "
			      "\"file://$RUNNER_TEMP/job-release.json\" --query taskDefinition.taskDefinitionArn --output text)\n",
			      fam, escape_shell_word(a, jq));
	} else {
		strbuf_printf(&b, "release=%s\n", fam);
	}
	strbuf_printf(&b,
		"subnets=$(aws ecs describe-services --cluster %s --services %s "
		"--query 'services[0].networkConfiguration.awsvpcConfiguration.subnets' --output text | tr '\\t' ',')\n"
		"group=$(aws ec2 describe-security-groups --filters Name=group-name,Values=%s "
		"--query 'SecurityGroups[0].GroupId' --output text)\n"
		"attempt=0\n"
		"while :; do\n"
		"  task=$(aws ecs run-task --cluster %s --task-definition \"$release\" --launch-type FARGATE "
		"--platform-version LATEST --started-by \"github-$GITHUB_RUN_ID\" "
		"--network-configuration \"awsvpcConfiguration={subnets=[$subnets],securityGroups=[$group],assignPublicIp=DISABLED}\" "
		"--query 'tasks[0].taskArn' --output text)\n"
		"  if [ -z \"$task\" ] || [ \"$task\" = None ]; then\n"
		"    echo \"::error::job %s did not start\"\n"
		"    exit 1\n"
		"  fi\n"
		"  deadline=$(( $(date +%%s) + %lld ))\n"
		"  until aws ecs wait tasks-stopped --cluster %s --tasks \"$task\"; do\n"
		"    if [ \"$(date +%%s)\" -ge \"$deadline\" ]; then\n"
		"      aws ecs stop-task --cluster %s --task \"$task\" --reason %s > /dev/null\n"
		"      aws ecs wait tasks-stopped --cluster %s --tasks \"$task\" || true\n"
		"      break\n"
		"    fi\n"
		"  done\n"
		"  code=$(aws ecs describe-tasks --cluster %s --tasks \"$task\" "
		"--query 'tasks[0].containers[0].exitCode' --output text)\n"
		"  if [ \"$code\" = 0 ]; then\n"
		"    break\n"
		"  fi\n"
		"  attempt=$((attempt + 1))\n"
		"  if [ \"$attempt\" -gt %d ]; then\n"
		"    aws logs get-log-events --log-group-name %s --log-stream-name \"%s/%s/${task##*/}\" "
		"--limit 200 --query 'events[].message' --output text || true\n"
		"    echo \"::error::job %s failed (exit code $code)\"\n"
		"    exit 1\n"
		"  fi\n"
		"done\n",
		c, s, fam, c, name, (long long)(j->timeout_ms / 1000), c, c,
		escape_shell_word(a, arena_printf(a, "job %s ran past its timeout", name)), c, c,
		j->retries, escape_shell_word(a, arena_printf(a, "/ecs/%s/%s", g->m->app.name, name)),
		name, name, name);
	return strbuf_finish(&b, a);
}

/* The deploy at position `at` of the pipeline's list. */
static void ecs_job(struct gh *g, const struct model_deploy *d, size_t at)
{
	static const char *const perms[] = { "id-token=write" };
	const char *cluster = ecs_cluster(g, d);
	const char *service = d->service ? d->service->name : g->m->app.name;
	const char *id = ecs_job_id(g, d);
	const struct model_job *const *runs = g->ecs->owned + g->ecs->owned_start[at];
	size_t run_count = g->ecs->owned_start[at + 1] - g->ecs->owned_start[at];
	g->extra_ms = 0;
	for (size_t j = 0; j < run_count; j++)
		g->extra_ms += runs[j]->timeout_ms * (runs[j]->retries + 1);
	deploy_head(g, id, esc(g, arena_printf(g->a, "Deploy %s to ECS (%s)", service, cluster)), d->service);
	g->extra_ms = 0;
	job_permissions(g, perms, 1);
	yaml_key_seq(&g->y, "steps");
	step_uses(g, A_AWS_CREDENTIALS, "Configure AWS credentials through OIDC");
	yaml_key_map(&g->y, "with");
	yaml_kv_str(&g->y, "role-to-assume", DEPLOY_ROLE);
	yaml_kv_str(&g->y, "aws-region", g->m->cloud ? esc(g, g->m->cloud->region) : "${{ vars.AWS_REGION }}");
	yaml_close(&g->y);
	yaml_close(&g->y);
	for (size_t j = 0; j < run_count; j++) {
		const struct model_job *job = runs[j];
		yaml_map(&g->y);
		yaml_kv_str(&g->y, "name", esc(g, arena_printf(g->a, "Run job %s to completion before "
							   "the services that wait for it", job->name)));
		yaml_kv_str(&g->y, "run", esc(g, ecs_run_job_script(g, cluster, service, job)));
		yaml_close(&g->y);
	}
	yaml_map(&g->y);
	yaml_kv_str(&g->y, "name", esc(g, arena_printf(g->a, "Roll out %s at this commit and wait until it is stable",
						   service)));
	yaml_kv_str(&g->y, "run", esc(g, ecs_release_script(g, cluster, service, d->service)));
	yaml_close(&g->y);
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* The overlay's kustomization.yaml, through libyaml like every YAML file;
 * the tag is quoted, since a commit SHA of digits and one 'e' would read
 * as a number once Actions has put it in.  NULL if the emitter fails. */
static const char *overlay_yaml(struct gh *g, const char *resource)
{
	struct strbuf b;
	struct yaml_out y;
	strbuf_init(&b);
	yaml_begin(&y, &b);
	yaml_map(&y);
	yaml_key_seq(&y, "resources");
	yaml_str(&y, esc(g, resource));
	yaml_close(&y);
	yaml_key_seq(&y, "images");
	for (size_t i = 0; i < g->m->service_count; i++) {
		if (!g->m->services[i]->build)
			continue;
		yaml_map(&y);
		yaml_kv_str(&y, "name", esc(g, image_repository(g, g->m->services[i])));
		yaml_str(&y, "newTag");
		yaml_str_quoted(&y, "${{ github.sha }}");
		yaml_close(&y);
	}
	for (size_t i = 0; i < g->m->job_count; i++) {
		if (!g->m->jobs[i]->run->build)
			continue;
		yaml_map(&y);
		yaml_kv_str(&y, "name", esc(g, image_repository(g, g->m->jobs[i]->run)));
		yaml_str(&y, "newTag");
		yaml_str_quoted(&y, "${{ github.sha }}");
		yaml_close(&y);
	}
	yaml_close(&y);
	yaml_close(&y);
	bool ok = yaml_end(&y);
	const char *text = strbuf_finish(&b, g->a);
	return ok ? text : NULL;
}

/* The manifests name the version tag, which every build pushes again, so
 * applying them would not change a running pod.  An overlay over them
 * sets this commit's tag on the built images instead.  Its text goes
 * into a here-document whose delimiter no line of it equals, so no path
 * can end the document early and run the rest as commands. */
static bool any_one_off(const struct model *m)
{
	for (size_t i = 0; i < m->job_count; i++)
		if (!model_job_scheduled(m->jobs[i]))
			return true;
	return false;
}

static const char *overlay_script(struct gh *g, const char *dir)
{
	const char *body = overlay_yaml(g, arena_printf(g->a, "../%s", dir));
	if (!body)
		return NULL;
	const char *end = escape_heredoc_delimiter(g->a, body, "DEPC_EOF");
	const char *script = arena_printf(g->a, "mkdir -p .depc-deploy\n"
			    "cat > .depc-deploy/kustomization.yaml <<'%s'\n%s%s\n", end, body, end);
	if (!any_one_off(g->m))
		return script;
	/* The one-off Jobs (k8s/jobs/, outside the kustomization) get the
	 * same tags through an overlay of their own. */
	body = overlay_yaml(g, arena_printf(g->a, "../../%s/jobs", dir));
	if (!body)
		return NULL;
	end = escape_heredoc_delimiter(g->a, body, "DEPC_EOF");
	return arena_printf(g->a, "%smkdir -p .depc-deploy/jobs\n"
			    "cat > .depc-deploy/jobs/kustomization.yaml <<'%s'\n%s%s\n",
			    script, end, body, end);
}

/* Kubernetes never rolls back by itself: a rollout that fails its
 * deadline is undone here when the service says on_failure = rollback,
 * and the job fails either way. */
static void put_rollout_wait(struct gh *g, struct strbuf *b, const char *ns, const struct model_service *s)
{
	const char *n = esc(g, escape_shell_word(g->a, ns));
	const char *w = arena_printf(g->a, "%s/%s", s->stateful ? "statefulset" : "deployment",
				     esc(g, escape_shell_word(g->a, s->name)));
	if (s->rollout.on_failure != ON_FAILURE_ROLLBACK) {
		strbuf_printf(b, "kubectl -n %s rollout status %s --timeout=10m\n", n, w);
		return;
	}
	strbuf_printf(b, "if ! kubectl -n %s rollout status %s --timeout=10m; then\n"
			 "  kubectl -n %s rollout undo %s\n"
			 "  kubectl -n %s rollout status %s --timeout=10m\n"
			 "  echo \"::error::%s failed to roll out and was rolled back\"\n"
			 "  exit 1\n"
			 "fi\n", n, w, n, w, n, w, s->name);
}

/* The one-off Jobs before the services that wait for them: everything
 * else is applied first (a label selector holds back every object of the
 * services in some job's `before`); each Job's previous run is deleted,
 * since a Job's pod template cannot change; the new ones are applied and
 * each must complete within its timeout, or its logs are shown and the
 * deploy fails before any waiting service is touched. */
static void put_k8s_one_off_jobs(struct gh *g, struct strbuf *b, const char *root,
				 const char *jobs, const char *ns)
{
	const struct model *m = g->m;
	const char *n = esc(g, escape_shell_word(g->a, ns));
	struct strbuf held;
	strbuf_init(&held);
	for (size_t i = 0; i < m->service_count; i++)
		if (g->ecs->waits[i].count)
			strbuf_printf(&held, "%s%s", held.len ? "," : "", m->services[i]->name);
	/* What the Jobs need (namespace, identities, policies, the services
	 * they use) exists before them, on a first deploy too. */
	if (held.len)
		strbuf_printf(b, "kubectl apply -k %s -l %s\n", root, esc(g, escape_shell_word(g->a,
			      arena_printf(g->a, "app.kubernetes.io/name notin (%s)", held.data))));
	else
		strbuf_printf(b, "kubectl apply -k %s\n", root);
	strbuf_free(&held);
	for (size_t j = 0; j < m->job_count; j++)
		if (!model_job_scheduled(m->jobs[j]))
			strbuf_printf(b, "kubectl -n %s delete job %s --ignore-not-found --wait=true\n", n,
				      esc(g, escape_shell_word(g->a, m->jobs[j]->name)));
	strbuf_printf(b, "kubectl apply -k %s\n", jobs);
	for (size_t j = 0; j < m->job_count; j++) {
		const struct model_job *job = m->jobs[j];
		if (model_job_scheduled(job))
			continue;
		const char *w = arena_printf(g->a, "job/%s", esc(g, escape_shell_word(g->a, job->name)));
		/* activeDeadlineSeconds ends the Job at its timeout; a minute more
		 * lets the failure be recorded before the wait gives up. */
		strbuf_printf(b, "if ! kubectl -n %s wait --for=condition=complete %s --timeout=%llds; then\n"
				 "  kubectl -n %s logs %s --all-containers --tail=200 || true\n"
				 "  echo \"::error::job %s did not complete\"\n"
				 "  exit 1\n"
				 "fi\n", n, w, (long long)(job->timeout_ms / 1000 + 60), n, w,
			      esc(g, job->name));
	}
}

/* Apply, then wait for every built service's rollout. */
static const char *apply_script(struct gh *g, const char *dir, const char *ns)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "umask 077\n"
			"printf '%s' \"$KUBECONFIG_DATA\" > \"$RUNNER_TEMP/kubeconfig\"\n"
			"export KUBECONFIG=\"$RUNNER_TEMP/kubeconfig\"\n");
	const char *root = any_built(g->m) ? ".depc-deploy" : esc(g, escape_shell_word(g->a, dir));
	if (any_one_off(g->m))
		put_k8s_one_off_jobs(g, &b, root, any_built(g->m) ? ".depc-deploy/jobs"
				     : esc(g, escape_shell_word(g->a, arena_printf(g->a, "%s/jobs", dir))), ns);
	strbuf_printf(&b, "kubectl apply -k %s\n", root);
	/* In start order, so a rollout is waited for after its dependencies'. */
	for (size_t i = 0; i < g->m->deps->count; i++) {
		const struct model_service *s = g->m->deps->order[i];
		if (s->build)
			put_rollout_wait(g, &b, ns, s);
	}
	return strbuf_finish(&b, g->a);
}

/* The kubeconfig comes from a secret, written only for this job. */
static void kubernetes_job(struct gh *g, const struct model_deploy *d)
{
	static const char *const perms[] = { "contents=read" };
	const char *ns = d->namespace ? d->namespace : g->m->app.namespace ? g->m->app.namespace : "default";
	const char *id = output_slug(g->a, arena_printf(g->a, "deploy-kubernetes-%s", ns));
	const char *dir = output_repo_path(g->o, "k8s");
	g->extra_ms = 0;
	for (size_t j = 0; j < g->m->job_count; j++)
		if (!model_job_scheduled(g->m->jobs[j]))
			g->extra_ms += g->m->jobs[j]->timeout_ms;
	deploy_head(g, id, esc(g, arena_printf(g->a, "Deploy to Kubernetes (%s)", ns)), NULL);
	g->extra_ms = 0;
	job_permissions(g, perms, 1);
	yaml_key_seq(&g->y, "steps");
	step_checkout(g);
	if (any_built(g->m)) {
		yaml_map(&g->y);
		yaml_kv_str(&g->y, "name", "Set the built images to this commit's tag");
		const char *script = overlay_script(g, dir);
		if (!script)
			g->y.failed = true;
		else
			yaml_kv_str(&g->y, "run", script);
		yaml_close(&g->y);
	}
	yaml_map(&g->y);
	yaml_kv_str(&g->y, "name", any_one_off(g->m)
		    ? "Apply the Kubernetes manifests, run the one-off jobs before the services that wait "
		      "for them, and wait for the rollouts"
		    : "Apply the Kubernetes manifests and wait for the rollouts");
	yaml_key_map(&g->y, "env");
	yaml_kv_str(&g->y, "KUBECONFIG_DATA", "${{ secrets.KUBECONFIG }}");
	yaml_close(&g->y);
	yaml_kv_str(&g->y, "run", apply_script(g, dir, ns));
	yaml_close(&g->y);
	yaml_close(&g->y);
	yaml_close(&g->y);
}

/* --- the workflow ------------------------------------------------------------ */

/* Branch and tag filters are glob patterns that Actions never evaluates
 * (no expression is allowed under `on:`), so they are written as they are:
 * escaping a "${{" there would change which refs match, not make it safe. */
static void put_branches(struct gh *g, const char *key, const struct model_strings *list)
{
	yaml_key_seq(&g->y, key);
	for (size_t i = 0; i < list->count; i++)
		yaml_str(&g->y, list->items[i]);
	yaml_close(&g->y);
}

/* With no trigger declared the workflow runs only by hand. */
static void put_on(struct gh *g)
{
	const struct model_pipeline *p = g->p;
	yaml_key_map(&g->y, "on");
	if (p->push.count || p->tags.count) {
		yaml_key_map(&g->y, "push");
		if (p->push.count)
			put_branches(g, "branches", &p->push);
		if (p->tags.count)
			put_branches(g, "tags", &p->tags);
		yaml_close(&g->y);
	}
	if (p->pull_request.count) {
		yaml_key_map(&g->y, "pull_request");
		put_branches(g, "branches", &p->pull_request);
		yaml_close(&g->y);
	}
	/* A scheduled run tests, scans and builds; deploys stay on pushes. */
	if (p->schedule) {
		yaml_key_seq(&g->y, "schedule");
		yaml_map(&g->y);
		yaml_kv_str(&g->y, "cron", p->schedule);
		yaml_close(&g->y);
		yaml_close(&g->y);
	}
	if (!p->push.count && !p->tags.count && !p->pull_request.count && !p->schedule) {
		yaml_key_map(&g->y, "workflow_dispatch");
		yaml_close(&g->y);
	}
	yaml_close(&g->y);
}

static void put_head(struct gh *g)
{
	yaml_kv_str(&g->y, "name", esc(g, arena_printf(g->a, "%s CI/CD", g->m->app.name)));
	put_on(g);
	/* Nothing by default; each job asks for what it needs. */
	yaml_key_map(&g->y, "permissions");
	yaml_close(&g->y);
	yaml_key_map(&g->y, "concurrency");
	yaml_kv_str(&g->y, "group", "${{ github.workflow }}-${{ github.ref }}");
	yaml_kv_str(&g->y, "cancel-in-progress", "${{ github.event_name == 'pull_request' }}");
	yaml_close(&g->y);
	/* Actions refuses an empty `env:`: a deployment that builds nothing
	 * (published images only) has no toolchain to name. */
	bool any = false;
	for (int tc = 0; tc < TC_COUNT; tc++)
		any |= uses_toolchain(g, (enum toolchain)tc);
	if (!any)
		return;
	yaml_key_map(&g->y, "env");
	for (int tc = 0; tc < TC_COUNT; tc++)
		if (uses_toolchain(g, (enum toolchain)tc))
			yaml_kv_str(&g->y, version_env[tc], esc(g, toolchain_version(g, (enum toolchain)tc)));
	yaml_close(&g->y);
}

static void put_jobs(struct gh *g)
{
	yaml_key_map(&g->y, "jobs");
	test_job(g);
	if (scans(g))
		security_job(g);
	if (any_built(g->m))
		build_job(g);
	size_t at = 0;
	for (const struct model_deploy *d = g->p->deploys; d; d = d->next, at++) {
		if (d->kind == DEPLOY_ECS)
			ecs_job(g, d, at);
		else
			kubernetes_job(g, d);
	}
	yaml_close(&g->y);
}

/* What the repository must provide, named before anything else. */
static void put_notes(struct gh *g, struct strbuf *b)
{
	bool ecs = false, k8s = false, snyk = g->p->scan && !strcmp(g->p->scan, "snyk");
	for (const struct model_deploy *d = g->p->deploys; d; d = d->next) {
		ecs |= d->kind == DEPLOY_ECS;
		k8s |= d->kind == DEPLOY_KUBERNETES;
	}
	const struct model_registry *r = any_built(g->m) ? g->p->publish_registry : NULL;
	const char *secrets[] = {
		snyk ? "SNYK_TOKEN" : NULL,
		r ? arena_printf(g->a, "%s and %s (a login that may push to %s)", registry_secret(g, r, "USERNAME"),
				 registry_secret(g, r, "PASSWORD"), r->host) : NULL,
		publish_is(g, "ecr") ? "AWS_ECR_PUSH_ROLE_ARN" : NULL,
		publish_is(g, "dockerhub") ? "DOCKERHUB_TOKEN (and the variable DOCKERHUB_USERNAME)" : NULL,
		ecs ? "AWS_DEPLOY_ROLE_ARN (terraform output github_deploy_role_arn)" : NULL,
		k8s ? "KUBECONFIG" : NULL,
	};
	yaml_comment(b, g->a, arena_printf(g->a, "Expects the generated files at %s, relative to "
					   "the repository root.", output_repo_path(g->o, ".")));
	struct strbuf line;
	strbuf_init(&line);
	strbuf_puts(&line, "Repository secrets it reads:");
	size_t n = 0;
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (secrets[i])
			strbuf_printf(&line, "%s %s", n++ ? "," : "", secrets[i]);
	strbuf_puts(&line, n ? "" : " none");
	yaml_comment(b, g->a, strbuf_finish(&line, g->a));
}

bool emit_github(const struct model *m, struct output *o)
{
	if (!m->pipeline)
		return true;
	const char *path = arena_printf(o->arena, ".github/workflows/%s.yml",
					output_slug(o->arena, m->app.name));
	struct strbuf *b = output_add(o, path);
	if (!b)
		return false;
	struct gh g = { .o = o, .a = o->arena, .m = m, .p = m->pipeline };
	g.runner = esc(&g, m->pipeline->runner ? m->pipeline->runner : "ubuntu-latest");
	g.ecs = deploy_index(&g);
	yaml_comment(b, o->arena, output_banner(o));
	put_notes(&g, b);
	if (m->pipeline->allows) {
		yaml_comment(b, o->arena, "policy exceptions allowed in the source:");
		yaml_comment_allows(b, o->arena, "pipeline", m->pipeline->allows);
	}
	yaml_begin(&g.y, b);
	yaml_map(&g.y);
	put_head(&g);
	put_jobs(&g);
	yaml_close(&g.y);
	if (!yaml_end(&g.y)) {
		o->error = arena_printf(o->arena, "the YAML emitter failed while writing %s", path);
		return false;
	}
	return true;
}
