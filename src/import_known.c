/* import_known.c - well-known images as standard library templates.
 *
 * A service that runs the image of a server the standard library knows
 * (postgres, mariadb, redis, ...) is imported as a call of its template,
 * so the health check, user, writable directories and limits come from
 * the template, which knows the image, rather than from the Compose
 * file, which seldom says.  What the Compose file does say becomes the
 * template's arguments: the version from the image's tag, the database,
 * user and passwords from the variables the image reads (passwords as
 * secrets), the volume from the mount at the image's data directory, a
 * port the file states.  A required argument the file leaves out is a
 * new secret (a password) or the image's own default, and a warning
 * says which.  The .dep body then holds only what the template does not
 * set: the other variables, `uses`, replicas, the restart policy. */
#include <ctype.h>
#include <string.h>

#include "image_tag.h"
#include "import_impl.h"

enum param_kind { P_TEXT, P_SECRET };

struct param {
	const char *env;             /* variable the image reads */
	const char *name;            /* the template's parameter */
	enum param_kind kind;
};

struct imp_family {
	const char *repos[4];        /* image names (the last path part) */
	const char *module, *tmpl;   /* std/MODULE, and the call's name */
	const char *version;         /* the template's default tag */
	const char *older[3];        /* exact releases of other majors it runs */
	int port;                    /* the template's default port, 0: no parameter */
	const char *data;            /* the template's data directory, or NULL */
	const char *command;         /* the server, before Compose's arguments */
	struct param params[8];
	const char *required[4];     /* parameters without a default */
};

/* The parameter list of a family whose image reads no variable. */
#define NO_PARAMS { NULL, NULL, P_TEXT }

static const struct imp_family families[] = {
	{ { "postgres" }, "postgres", "postgres", "16.4-alpine", { NULL }, 5432, "/var/lib/postgresql/data",
	  "postgres",
	  { { "POSTGRES_DB", "database", P_TEXT }, { "POSTGRES_USER", "username", P_TEXT },
	    { "POSTGRES_PASSWORD", "password", P_SECRET } },
	  { "database", "password" } },
	{ { "mysql" }, "mysql", "mysql", "8.4", { NULL }, 3306, "/var/lib/mysql", "mysqld",
	  { { "MYSQL_DATABASE", "database", P_TEXT }, { "MYSQL_USER", "username", P_TEXT },
	    { "MYSQL_PASSWORD", "password", P_SECRET },
	    { "MYSQL_ROOT_PASSWORD", "root_password", P_SECRET } },
	  { "database", "password", "root_password" } },
	{ { "mariadb" }, "mariadb", "mariadb", "11.4", { "10.11" }, 3306, "/var/lib/mysql", NULL,
	  { { "MARIADB_DATABASE", "database", P_TEXT }, { "MYSQL_DATABASE", "database", P_TEXT },
	    { "MARIADB_USER", "username", P_TEXT }, { "MYSQL_USER", "username", P_TEXT },
	    { "MARIADB_PASSWORD", "password", P_SECRET }, { "MYSQL_PASSWORD", "password", P_SECRET },
	    { "MARIADB_ROOT_PASSWORD", "root_password", P_SECRET },
	    { "MYSQL_ROOT_PASSWORD", "root_password", P_SECRET } },
	  { "database", "password", "root_password" } },
	{ { "mongo", "mongodb" }, "mongodb", "mongodb", "7.0", { NULL }, 27017, "/data/db", NULL,
	  { { "MONGO_INITDB_DATABASE", "database", P_TEXT },
	    { "MONGO_INITDB_ROOT_USERNAME", "username", P_TEXT },
	    { "MONGO_INITDB_ROOT_PASSWORD", "password", P_SECRET } },
	  { "database", "password" } },
	{ { "redis", "redismod", "redis-stack-server" }, "redis", "redis", "7.4.1-alpine", { NULL }, 6379, "/data",
	  NULL, { { "REDIS_PASSWORD", "password", P_SECRET } }, { "password" } },
	{ { "rabbitmq" }, "rabbitmq", "rabbitmq", "3.13-alpine", { NULL }, 5672, "/var/lib/rabbitmq", NULL,
	  { { "RABBITMQ_DEFAULT_USER", "username", P_TEXT },
	    { "RABBITMQ_DEFAULT_PASS", "password", P_SECRET } }, { "password" } },
	{ { "grafana", "grafana-oss" }, "grafana", "grafana", "11.2.2", { NULL }, 3000, "/var/lib/grafana", NULL,
	  { { "GF_SECURITY_ADMIN_USER", "admin", P_TEXT },
	    { "GF_SECURITY_ADMIN_PASSWORD", "admin_password", P_SECRET } }, { "admin_password" } },
	{ { "prometheus" }, "grafana", "grafana.prometheus", "v2.54.1", { NULL }, 9090, "/prometheus", NULL,
	  { NO_PARAMS }, { NULL } },
	{ { "elasticsearch" }, "elasticsearch", "elasticsearch", "8.15.3", { NULL }, 9200,
	  "/usr/share/elasticsearch/data", NULL,
	  { { "ELASTIC_PASSWORD", "password", P_SECRET } }, { "password" } },
	{ { "opensearch" }, "elasticsearch", "elasticsearch.opensearch", "2.17.1", { NULL }, 9200,
	  "/usr/share/opensearch/data", NULL,
	  { { "OPENSEARCH_INITIAL_ADMIN_PASSWORD", "password", P_SECRET } }, { "password" } },
	{ { "kafka", "cp-kafka" }, "kafka", "kafka", "3.8.0", { NULL }, 9092, "/var/lib/kafka/data", NULL,
	  { NO_PARAMS }, { "advertised_host" } },
	{ { "redpanda" }, "kafka", "kafka.redpanda", "v24.2.7", { NULL }, 9092, "/var/lib/redpanda/data", NULL,
	  { NO_PARAMS }, { "advertised_host" } },
	{ { "pgadmin4" }, "pgadmin", "pgadmin", "8.12", { NULL }, 8080, "/var/lib/pgadmin", NULL,
	  { { "PGADMIN_DEFAULT_EMAIL", "email", P_TEXT },
	    { "PGADMIN_DEFAULT_PASSWORD", "password", P_SECRET } }, { "email", "password" } },
};

/* The nginx image is a reverse proxy when it has one service to proxy. */
static const struct imp_family nginx_family = {
	{ "nginx", "nginx-unprivileged" }, "nginx", "nginx", "1.27-alpine", { NULL }, 8080, NULL, NULL,
	{ NO_PARAMS }, { "upstream" }
};

/* --- arguments ---------------------------------------------------------- */

void imp_arg(struct imp *im, struct imp_service *s, const char *name, const char *value)
{
	struct imp_arg **tail = &s->args;
	for (; *tail; tail = &(*tail)->next)
		if (!strcmp((*tail)->name, name))
			return; /* the first source wins (MARIADB_ before MYSQL_) */
	struct imp_arg *a = arena_alloc(im->a, sizeof *a);
	a->name = name;
	a->value = value;
	*tail = a;
}

const char *imp_arg_value(const struct imp_service *s, const char *name)
{
	for (const struct imp_arg *a = s->args; a; a = a->next)
		if (!strcmp(a->name, name))
			return a->value;
	return NULL;
}

static void need_module(struct imp *im, const char *module)
{
	for (size_t i = 0; i < im->nmodules; i++)
		if (!strcmp(im->modules[i], module))
			return;
	if (im->nmodules < sizeof im->modules / sizeof im->modules[0])
		im->modules[im->nmodules++] = module;
}

void imp_use_template(struct imp *im, struct imp_service *s, const char *module,
		      const char *tmpl)
{
	need_module(im, module);
	s->tmpl = tmpl;
}

/* --- recognising the image ---------------------------------------------- */

static const char *repo_name(struct arena *a, const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *name = slash ? slash + 1 : image;
	return arena_strndup(a, name, strcspn(name, ":@"));
}

static const char *image_tag(const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *colon = strchr(slash ? slash : image, ':');
	return colon ? colon + 1 : NULL;
}

static const struct imp_family *family_of(struct imp *im, const char *image)
{
	const char *repo = repo_name(im->a, image);
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		for (size_t r = 0; r < 4 && families[i].repos[r]; r++)
			if (!strcmp(repo, families[i].repos[r]))
				return &families[i];
	if (!strcmp(repo, "nginx") || !strcmp(repo, "nginx-unprivileged"))
		return &nginx_family;
	return NULL;
}

int imp_family_port(const struct imp_family *f)
{
	return f->port;
}

void imp_known_proxy(struct imp_service *s)
{
	s->fam = &nginx_family;
}

void imp_known_image(struct imp *im, struct imp_service *s)
{
	const char *image = imp_scalar(s->v[IK_IMAGE]);
	if (!image || s->v[IK_BUILD] || strchr(image, '$'))
		return;
	s->fam = family_of(im, image);
}

/* --- the variables a template takes ------------------------------------- */

bool imp_known_variable(struct imp *im, struct imp_service *s, yaml_node_t *at,
			const char *key, const char *value, const char *secret)
{
	if (!s->fam)
		return false;
	for (size_t i = 0; i < 8 && s->fam->params[i].env; i++) {
		const struct param *p = &s->fam->params[i];
		if (strcmp(p->env, key))
			continue;
		if (secret) {
			imp_arg(im, s, p->name, secret);
		} else if (p->kind == P_SECRET) {
			struct imp_secret *sec = imp_value_secret(im, s, key, value);
			imp_arg(im, s, p->name, sec->name);
			imp_warn(im, at, "'%s' is a secret: its value is not copied; the template's '%s' "
				 "reads secret '%s', whose value must be put in the secret store", key,
				 p->name, sec->name);
		} else {
			const char *var = NULL, *text = imp_variables(im, at, value, &var);
			imp_arg(im, s, p->name, imp_quote(im->a, text ? text : imp_text(im, at, value)));
		}
		return true;
	}
	return false;
}

/* --- what the file leaves out ------------------------------------------- */

static const char *param_env(const struct imp_family *f, const char *name)
{
	for (size_t i = 0; i < 8 && f->params[i].env; i++)
		if (!strcmp(f->params[i].name, name))
			return f->params[i].env;
	return NULL;
}

static void missing_secret(struct imp *im, struct imp_service *s, const char *param)
{
	/* MySQL's root password doubles as the application's when the file
	 * sets no application user: the template always creates one. */
	const char *other = !strcmp(param, "password") ? imp_arg_value(s, "root_password")
			    : !strcmp(param, "root_password") ? imp_arg_value(s, "password") : NULL;
	if (other) {
		imp_arg(im, s, param, other);
		imp_warn(im, s->key, "service '%s' sets no %s: the template's '%s' reads secret '%s' "
			 "too; give it a secret of its own", s->compose,
			 param_env(s->fam, param) ? param_env(s->fam, param) : param, param, other);
		return;
	}
	const char *name = imp_claim(im, imp_ident(im->a, arena_printf(im->a, "%s_%s",
							s->name, param)));
	struct imp_secret *sec = arena_alloc(im->a, sizeof *sec);
	sec->name = name;
	sec->origin = arena_printf(im->a, "the template '%s': service '%s' sets no %s",
				   s->fam->tmpl, s->compose, param);
	sec->used = true;
	sec->next = im->secrets;
	im->secrets = sec;
	imp_arg(im, s, param, name);
	imp_warn(im, s->key, "service '%s' runs without a password in the Compose file; the "
		 "template '%s' requires one, so its clients must now give secret '%s'",
		 s->compose, s->fam->tmpl, name);
}

/* A text argument the file does not give: the image's own default. */
static void missing_text(struct imp *im, struct imp_service *s, const char *param)
{
	const char *user = imp_arg_value(s, "username");
	const char *value = NULL;
	if (!strcmp(param, "database"))
		value = user ? user : !strcmp(s->fam->tmpl, "postgres") ? "\"postgres\""
			: !strcmp(s->fam->tmpl, "mongodb") ? "\"admin\"" : "\"app\"";
	else if (!strcmp(param, "advertised_host"))
		value = imp_quote(im->a, s->name);
	else if (!strcmp(param, "email"))
		value = "\"CHANGE-ME@example.com\"";
	else
		return;
	imp_arg(im, s, param, value);
	if (!strcmp(param, "email"))
		imp_warn(im, s->key, "service '%s' sets no %s: set the template's '%s' (a placeholder "
			 "is written)", s->compose, param_env(s->fam, param), param);
}

static bool numeric_tag(const char *tag)
{
	return tag && (isdigit((unsigned char)tag[0]) ||
		       (tag[0] == 'v' && isdigit((unsigned char)tag[1])));
}

/* Whether two version tags start with the same major number. */
static bool same_major(const char *a, const char *b)
{
	a += *a == 'v';
	b += *b == 'v';
	size_t n = strspn(a, "0123456789");
	return n && n == strspn(b, "0123456789") && !strncmp(a, b, n);
}

/* The template's default, or one of its older releases, of the major
 * that `tag` names; NULL when it knows none. */
static const char *release_of_major(const struct imp_family *f, const char *tag)
{
	if (same_major(tag, f->version))
		return f->version;
	for (size_t i = 0; i < sizeof f->older / sizeof f->older[0] && f->older[i]; i++)
		if (same_major(tag, f->older[i]))
			return f->older[i];
	return NULL;
}

static void version_arg(struct imp *im, struct imp_service *s)
{
	if (!s->image) {
		imp_warn(im, s->k[IK_BUILD], "the image service '%s' builds is replaced by the "
			 "template '%s', a reverse proxy: its own configuration is not imported",
			 s->compose, s->fam->tmpl);
		return;
	}
	const char *tag = image_tag(s->image);
	const char *repo = repo_name(im->a, s->image);
	const char *release = numeric_tag(tag) && image_tag_floating(tag)
			      ? release_of_major(s->fam, tag) : NULL;
	if (release) {
		/* "10" or "16-alpine": an exact release the template knows of that major. */
		if (release != s->fam->version)
			imp_arg(im, s, "version", imp_quote(im->a, release));
		imp_warn(im, s->k[IK_IMAGE], "image '%s' names only a major version: imported as "
			 "the template '%s' with its release %s of that major", s->image, s->fam->tmpl,
			 release);
	} else if (numeric_tag(tag)) {
		imp_arg(im, s, "version", imp_quote(im->a, tag));
		if (image_tag_floating(tag))
			imp_allow(im, s, "E0408", "depc import: image '%s' of '%s' names only a major "
				  "version; pick the exact release to run", s->image, s->compose);
		/* Debian-based postgres runs as 999; the template's 70 is Alpine's. */
		if (!strcmp(s->fam->tmpl, "postgres") && !strstr(tag, "alpine"))
			imp_slot(im, s, SL_USER, s->k[IK_IMAGE], "user = 999\n");
	} else {
		imp_warn(im, s->k[IK_IMAGE], "image '%s' is imported as the template '%s' with its "
			 "pinned version %s: the Compose file names %s", s->image, s->fam->tmpl,
			 s->fam->version, tag ? "a tag that is not a version" : "no version");
	}
	if (strcmp(repo, s->fam->repos[0]) && s->fam != &nginx_family)
		imp_warn(im, s->k[IK_IMAGE], "image '%s' is replaced by the official %s image of the "
			 "template '%s': check that the application needs nothing the other image adds",
			 s->image, s->fam->repos[0], s->fam->tmpl);
}

/* The service to proxy: the one service it uses that has a port. */
static struct imp_service *upstream_of(struct imp_service *s)
{
	struct imp_service *up = NULL;
	for (size_t i = 0; i < s->nuses; i++)
		if (s->uses[i]->port && !up)
			up = s->uses[i];
	return up;
}

static bool nginx_proxy(struct imp *im, struct imp_service *s)
{
	struct imp_service *up = upstream_of(s);
	if (!up)
		return false;
	imp_arg(im, s, "upstream", arena_printf(im->a, "\"http://\\${%s.host}:\\${%s.port}\"",
						up->name, up->name));
	for (size_t i = 0; i < s->nuses; i++)
		if (s->uses[i] != up)
			imp_warn(im, s->uses_at[i], "service '%s' proxies to '%s' only: the template "
				 "'nginx' has one upstream; give '%s' replicas instead of a twin service",
				 s->compose, up->compose, up->compose);
	return true;
}

/* The template owns these fields: what the file set for them is dropped. */
static void template_owns(struct imp *im, struct imp_service *s)
{
	static const enum imp_slot owned[] = { SL_IMAGE, SL_HEALTH, SL_TMPFS, SL_VOLUME, SL_DATA };
	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
		s->slot[owned[i]].len = 0;
	if (s->v[IK_HEALTHCHECK])
		imp_dropped(im, s->k[IK_HEALTHCHECK], "the template '%s' has a health check that "
			    "runs in its image", s->tmpl);
	if (s->v[IK_USER])
		imp_dropped(im, s->k[IK_USER], "the template '%s' runs the image as its own user",
			    s->tmpl);
}

/* The data volume, when mounted where the template keeps its data;
 * otherwise a volume of the service's own (declared by import.c). */
static void volume_arg(struct imp *im, struct imp_service *s)
{
	if (!s->fam->data)
		return;
	if (s->volume && s->data && !strcmp(s->data, s->fam->data)) {
		imp_arg(im, s, "volume", imp_quote(im->a, s->volume));
		if (!strcmp(s->fam->tmpl, "postgres"))
			imp_warn(im, s->key, "the template 'postgres' keeps its data in the pgdata "
				 "directory of volume '%s' (PGDATA): data an existing volume holds must "
				 "be moved there", s->volume);
		return;
	}
	if (s->volume && s->data)
		imp_warn(im, s->key, "volume '%s' of service '%s' is mounted at %s, where the template "
			 "'%s' keeps its data: move the data from %s", s->volume, s->compose,
			 s->fam->data, s->fam->tmpl, s->data);
	if (!s->volume) {
		struct imp_volume *v = arena_alloc(im->a, sizeof *v);
		v->compose = v->name = imp_claim(im, arena_printf(im->a, "%s-data", s->name));
		v->used = v->mentioned = true;
		imp_add_volume(im, v);
		s->volume = v->name;
		imp_warn(im, s->key, "service '%s' keeps its data in volume '%s', which the template "
			 "'%s' mounts at %s: the Compose file mounts none there", s->compose,
			 s->volume, s->fam->tmpl, s->fam->data);
	}
	imp_arg(im, s, "volume", imp_quote(im->a, s->volume));
}

/* Compose arguments to the image's entrypoint (`--flag`) follow the
 * template's server command. */
static void command_args(struct imp *im, struct imp_service *s)
{
	if (!s->has_command)
		return;
	s->slot[SL_COMMAND].len = 0;
	if (s->ncommand && s->command[0][0] == '-' && s->fam->command) {
		const char **all = arena_calloc(im->a, s->ncommand + 2, sizeof *all);
		all[0] = s->fam->command;
		memcpy(all + 1, s->command, s->ncommand * sizeof *all);
		imp_slot(im, s, SL_COMMAND, s->k[IK_COMMAND], "command = %s\n",
			 imp_list(im->a, all, s->ncommand + 1));
	} else if (s->ncommand && s->command[0][0] == '-' && !strcmp(s->fam->tmpl, "mariadb")) {
		const char **all = arena_calloc(im->a, s->ncommand + 3, sizeof *all);
		all[0] = "mariadbd";
		all[1] = arena_printf(im->a, "--port=%d", s->port ? s->port : s->fam->port);
		memcpy(all + 2, s->command, s->ncommand * sizeof *all);
		imp_slot(im, s, SL_COMMAND, s->k[IK_COMMAND], "command = %s\n",
			 imp_list(im->a, all, s->ncommand + 2));
	} else {
		imp_dropped(im, s->k[IK_COMMAND], "the template '%s' starts the server itself",
			    s->fam->tmpl);
	}
}

/* A language template's port: an argument, or fixed by the template. */
static void language_port(struct imp *im, struct imp_service *s)
{
	int fixed = -s->lang_port;
	if (s->lang_port > 0 && s->port && s->port != s->lang_port)
		imp_arg(im, s, "port", arena_printf(im->a, "%d", s->port));
	else if (fixed > 0 && s->port && s->port != fixed)
		imp_warn(im, s->key, "service '%s' listens on %d, not %d: the template '%s' serves "
			 "there (%s)", s->compose, fixed, s->port, s->tmpl, s->port_note
			 ? s->port_note : "the Compose file's port was for another server");
	if (fixed > 0)
		s->port = fixed;
}

/* nginx serving a directory of the host: those files, built into an
 * image by the template 'nginx.files'. */
static void nginx_files(struct imp *im, struct imp_service *s)
{
	const char *dir = imp_context_path(im, s->site);
	while (!strncmp(dir, "./", 2))
		dir += 2;
	imp_use_template(im, s, "nginx", "nginx.files");
	if (*dir && strcmp(dir, "."))
		imp_arg(im, s, "context", imp_quote(im->a, dir));
	s->builds = true;
	s->slot[SL_IMAGE].len = 0;
	s->slot[SL_HEALTH].len = 0;
	s->slot[SL_COMMAND].len = 0;
	if (s->port && s->port != 8080)
		imp_warn(im, s->key, "service '%s' listens on 8080, not %d: the template "
			 "'nginx.files' runs nginx unprivileged", s->compose, s->port);
	s->port = 8080;
	imp_warn(im, s->site_at, "the files nginx serves from '%s' are built into the image of "
		 "service '%s' (the template 'nginx.files'), not mounted", s->site, s->compose);
}

void imp_known_finish(struct imp *im, struct imp_service *s)
{
	if (!s->fam && s->tmpl)
		language_port(im, s);
	if (!s->fam)
		return;
	if (s->fam == &nginx_family && !nginx_proxy(im, s)) {
		s->fam = NULL;
		if (s->site)
			nginx_files(im, s);
		return;
	}
	imp_use_template(im, s, s->fam->module, s->fam->tmpl);
	version_arg(im, s);
	for (size_t i = 0; i < 4 && s->fam->required[i]; i++) {
		if (imp_arg_value(s, s->fam->required[i]))
			continue;
		const char *env = param_env(s->fam, s->fam->required[i]);
		bool secret = false;
		for (size_t k = 0; k < 8 && s->fam->params[k].env; k++)
			if (env && !strcmp(s->fam->params[k].env, env))
				secret = s->fam->params[k].kind == P_SECRET;
		if (secret)
			missing_secret(im, s, s->fam->required[i]);
		else
			missing_text(im, s, s->fam->required[i]);
	}
	if (!strcmp(s->fam->tmpl, "postgres") && !imp_arg_value(s, "username"))
		imp_arg(im, s, "username", "\"postgres\""); /* the image's default */
	if (s->port && s->port != s->fam->port && s->fam != &nginx_family)
		imp_arg(im, s, "port", arena_printf(im->a, "%d", s->port));
	if (s->fam == &nginx_family && s->port && s->port != 8080)
		imp_warn(im, s->key, "service '%s' listens on 8080, not %d: the template 'nginx' runs "
			 "unprivileged, and only root may listen below 1024", s->compose, s->port);
	volume_arg(im, s);
	command_args(im, s);
	template_owns(im, s);
}
