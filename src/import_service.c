/* import_service.c - one Compose service to one .dep service.
 *
 * The keys of the service are sorted first into those depc imports,
 * kept for later, and those it has no equivalent for, reported at once
 * with the reason.  The imported ones are then mapped in a fixed order,
 * since some depend on others: the secrets a service mounts decide how
 * its NAME_FILE variables are read, its command becomes the start of a
 * build.  Each mapping writes .dep text into the service's slots. */
#include <ctype.h>
#include <string.h>

#include "import_impl.h"

static const char *const imported[IK_COUNT] = {
	[IK_IMAGE] = "image", [IK_BUILD] = "build", [IK_COMMAND] = "command",
	[IK_PORTS] = "ports", [IK_EXPOSE] = "expose", [IK_ENVIRONMENT] = "environment",
	[IK_SECRETS] = "secrets", [IK_DEPENDS_ON] = "depends_on", [IK_VOLUMES] = "volumes",
	[IK_TMPFS] = "tmpfs", [IK_HEALTHCHECK] = "healthcheck", [IK_DEPLOY] = "deploy",
	[IK_RESTART] = "restart", [IK_USER] = "user", [IK_READ_ONLY] = "read_only",
	[IK_CPUS] = "cpus", [IK_MEM_LIMIT] = "mem_limit",
	[IK_MEM_RESERVATION] = "mem_reservation", [IK_LINKS] = "links", [IK_LABELS] = "labels",
};

static const struct {
	const char *key, *reason;
} reasons[] = {
	{ "networks", "depc makes the networks: a service reaches only the services it uses" },
	{ "network_mode", "depc makes the networks: a service reaches only the services it uses" },
	{ "profiles", "depc deploys every service; use an env overlay for variants" },
	{ "extra_hosts", "depc has no extra host entries" },
	{ "env_file", "depc does not read env files: put the variables in 'env' and "
		      "secrets in the secret store" },
	{ "container_name", "depc names containers after their services" },
	{ "hostname", "a service's host name is its name" },
	{ "entrypoint", "depc has no entrypoint: put the whole command in 'command'" },
	{ "cap_add", "containers run without capabilities" },
	{ "cap_drop", "containers drop every capability" },
	{ "privileged", "containers never run privileged" },
	{ "security_opt", "containers run with no-new-privileges" },
	{ "logging", "depc leaves logging to the platform" },
	{ "stdin_open", "depc services are not interactive" },
	{ "tty", "depc services are not interactive" },
	{ "working_dir", "depc has no working directory setting" },
	{ "platform", "depc builds and runs for the platform of the host" },
	{ "configs", "depc has no configs: put the file in the image" },
};

static const char *reason_for(const char *key)
{
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (!strcmp(key, reasons[i].key))
			return reasons[i].reason;
	if (!strncmp(key, "x-", 2))
		return "extension fields have no meaning to depc";
	return "depc has no equivalent";
}

bool imp_slot(struct imp *im, struct imp_service *s, enum imp_slot slot,
	      const yaml_node_t *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = arena_vprintf(im->a, fmt, ap);
	va_end(ap);
	if (s->slot[slot].len && strcmp(s->slot[slot].data, text)) {
		imp_dropped(im, key, "another key already set it");
		return false;
	}
	if (!s->slot[slot].len)
		strbuf_puts(&s->slot[slot], text);
	return true;
}

/* Sorts the keys into s->k and s->v; reports the others. */
void imp_sort_keys(struct imp *im, struct imp_service *s)
{
	struct imp_pair *pairs;
	size_t n = imp_pairs(im, s->map, &pairs);
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		int ik = 0;
		while (k && ik < IK_COUNT && strcmp(imported[ik], k))
			ik++;
		if (k && ik < IK_COUNT) {
			s->k[ik] = pairs[i].key;
			s->v[ik] = pairs[i].value;
		} else if (k) {
			imp_dropped(im, pairs[i].key, "%s", reason_for(k));
		}
	}
}

/* --- secrets and the environment ---------------------------------------- */

/* A secret the service mounts: `- NAME` or `- source: NAME  target: FILE`. */
static void mount(struct imp *im, struct imp_service *s, yaml_node_t *item)
{
	const char *source = imp_is_map(item) ? imp_scalar(imp_get(im, item, "source", NULL))
					      : imp_scalar(item);
	const char *target = imp_scalar(imp_get(im, item, "target", NULL));
	struct imp_secret *sec = imp_find_secret(im, source);
	if (!sec) {
		imp_warn(im, item, "secret '%s' is not imported: it is not declared under the "
			 "top-level 'secrets'", source ? source : "?");
		return;
	}
	static const char *const others[] = { "uid", "gid", "mode" };
	for (size_t i = 0; imp_is_map(item) && i < 3; i++) {
		yaml_node_t *k = NULL;
		if (imp_get(im, item, others[i], &k))
			imp_dropped(im, k, "depc mounts secrets readable by the service's user");
	}
	struct imp_mount *m = arena_alloc(im->a, sizeof *m);
	m->secret = sec;
	m->target = !target ? source : strncmp(target, "/run/secrets/", 13) ? target : target + 13;
	m->node = item;
	m->next = s->mounts;
	s->mounts = m;
	sec->used = true;
}

static void mounts(struct imp *im, struct imp_service *s)
{
	yaml_node_t *v = s->v[IK_SECRETS];
	for (size_t i = 0; i < imp_seq_len(v); i++)
		mount(im, s, imp_seq_at(im, v, i));
}

/* Is KEY already a variable of the service (in env or secrets)? */
static bool has_variable(const struct imp_service *s, const char *key)
{
	size_t n = strlen(key);
	for (int slot = SL_ENV; slot <= SL_SECRETS; slot++) {
		const char *t = s->slot[slot].data;
		for (size_t i = 0; t && i < s->slot[slot].len; i++)
			if ((i == 0 || t[i - 1] == '\n') && !strncmp(t + i, key, n) && t[i + n] == ' ')
				return true;
	}
	return false;
}

/* NAME_FILE=/run/secrets/FILE for a mounted secret: depc's own way of
 * passing secrets, so it becomes `secrets { NAME = secret }`. */
static bool file_variable(struct imp *im, struct imp_service *s, const char *key,
			  const char *value)
{
	size_t n = strlen(key);
	if (n <= 5 || strcmp(key + n - 5, "_FILE") || strncmp(value, "/run/secrets/", 13))
		return false;
	for (struct imp_mount *m = s->mounts; m; m = m->next) {
		if (m->consumed || strcmp(m->target, value + 13))
			continue;
		m->consumed = true;
		const char *name = arena_strndup(im->a, key, n - 5);
		s->secret_files = true;
		if (!imp_known_variable(im, s, NULL, name, NULL, m->secret->name))
			strbuf_printf(&s->slot[SL_SECRETS], "%s = %s\n", name, m->secret->name);
		return true;
	}
	return false;
}

/* ${NAME} or $NAME as the whole value: NAME, else NULL. */
static const char *whole_variable(struct imp *im, const char *value)
{
	size_t n = value[0] == '$' && value[1] == '{' ? strcspn(value + 2, "}:-?") : 0;
	if (n && value[2 + n] == '}' && !value[3 + n])
		return arena_strndup(im->a, value + 2, n);
	n = value[0] == '$' ? strspn(value + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789_") : 0;
	return n && !value[1 + n] && !isdigit((unsigned char)value[1]) ? arena_strndup(im->a, value + 1, n)
								       : NULL;
}

/* The secret a variable's value is moved to: one per distinct value, so
 * two services given the same password (the database's and the
 * application's copy) share one secret, and a warning says so.  A
 * value that is a Compose variable (${DB_PASSWORD}) names the secret. */
struct imp_secret *imp_value_secret(struct imp *im, struct imp_service *s, const char *key,
				    const char *value)
{
	struct imp_secret *sec = strmap_get(&im->secret_of_value, value);
	if (sec) {
		if (strcmp(sec->env_key, key) || strcmp(sec->service, s->compose))
			imp_warn(im, NULL, "%s of service '%s' holds the same value as %s of service '%s': "
				 "both read secret '%s'", key, s->compose, sec->env_key, sec->service,
				 sec->name);
		return sec;
	}
	const char *var = whole_variable(im, value);
	const char *name = var ? var : key;
	const char *lower = arena_strndup_lower(im->a, name, strlen(name));
	const char *want = imp_ident(im->a, lower);
	if (imp_taken(im, want))
		want = imp_ident(im->a, arena_printf(im->a, "%s_%s", s->name, lower));
	sec = arena_alloc(im->a, sizeof *sec);
	sec->name = imp_claim(im, want);
	sec->env_key = key;
	sec->service = s->compose;
	sec->value = value;
	sec->origin = arena_printf(im->a, "%s of service '%s'", key, s->compose);
	sec->used = true;
	sec->next = im->secrets;
	im->secrets = sec;
	strmap_add(&im->secret_of_value, value, sec);
	return sec;
}

/* A dotted setting (discovery.type): a quoted name in the env map. */
static bool setting_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

static void env_entry(struct imp *im, struct imp_service *s, yaml_node_t *at, const char *key,
		      const char *value)
{
	const char *var = NULL, *text = imp_variables(im, at, value, &var);
	const char *name = imp_env_name(key) ? key : imp_quote(im->a, key);
	s->env_map |= !imp_env_name(key);
	strbuf_printf(&s->slot[SL_ENV], "%s = %s\n", name,
		      imp_quote(im->a, text ? text : imp_text(im, at, value)));
}

static void variable(struct imp *im, struct imp_service *s, yaml_node_t *at,
		     const char *key, const char *value)
{
	bool secret = value && strncmp(value, "/run/secrets/", 13) && imp_secret_like(key, value);
	const char *composed;
	if (!imp_env_name(key) && !(setting_name(key) && !secret)) {
		imp_warn(im, at, "'%s' is not imported: depc variable names are letters, digits "
			 "and '_', not starting with a digit (and '.' in settings)", key);
	} else if (!value) {
		imp_warn(im, at, "'%s' is not imported: its value comes from the environment "
			 "Compose runs in; set it in 'env'", key);
	} else if (file_variable(im, s, key, value)) {
		return;
	} else if (imp_known_variable(im, s, at, key, value, NULL)) {
		return;
	} else if (!whole_variable(im, value) && (composed = imp_composed(im, s, at, value)) != NULL) {
		/* a credential among other text: composed from its secret */
		s->secret_vars = true;
		strbuf_printf(&s->slot[SL_SECRETS], "%s = \"%s\"\n", key, composed);
		imp_warn(im, at, "'%s' holds a credential from a Compose variable: it is composed in "
			 "`secrets` from the secrets the variables are moved to, and delivered as a secret",
			 key);
	} else if (secret) {
		struct imp_secret *sec = imp_value_secret(im, s, key, value);
		s->secret_vars = true;
		strbuf_printf(&s->slot[SL_SECRETS], "%s = %s\n", key, sec->name);
		imp_warn(im, at, "'%s' looks like a secret: its value is not copied; it is read "
			 "from secret '%s', whose value must be put in the secret store "
			 "(vault = \"CHANGE-ME/%s\")", key, sec->name, sec->name);
	} else {
		env_entry(im, s, at, key, value);
	}
}

void imp_each_env(struct imp *im, struct imp_service *s, imp_env_fn *fn)
{
	yaml_node_t *v = s->v[IK_ENVIRONMENT];
	struct imp_pair *pairs;
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : 0;
	for (size_t i = 0; i < n; i++)
		if (imp_scalar(pairs[i].key))
			fn(im, s, pairs[i].key, imp_scalar(pairs[i].key),
			   imp_is_null(pairs[i].value) ? NULL : imp_scalar(pairs[i].value));
	for (size_t i = 0; i < imp_seq_len(v); i++) {
		yaml_node_t *item = imp_seq_at(im, v, i);
		const char *text = imp_scalar(item), *eq = text ? strchr(text, '=') : NULL;
		if (text)
			fn(im, s, item, eq ? arena_strndup(im->a, text, (size_t)(eq - text)) : text,
			   eq ? eq + 1 : NULL);
	}
}

static void environment(struct imp *im, struct imp_service *s)
{
	imp_each_env(im, s, variable);
}

/* Mounted secrets no NAME_FILE variable named: NAME from the secret.
 * depc mounts a secret at /run/secrets/NAME; when the Compose file put
 * it elsewhere and no variable says where, that is worth a warning. */
static void other_mounts(struct imp *im, struct imp_service *s)
{
	for (struct imp_mount *m = s->mounts; m; m = m->next) {
		if (m->consumed)
			continue;
		if (strcmp(m->target, m->secret->name))
			imp_warn(im, m->node, "the path of secret '%s' is not imported: depc mounts "
				 "it at /run/secrets/%s", m->secret->compose, m->secret->name);
		char *var = arena_strdup(im->a, imp_ident(im->a, m->secret->compose));
		for (char *c = var; *c; c++)
			*c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
		while (has_variable(s, var))
			var = arena_printf(im->a, "%s_SECRET", var);
		strbuf_printf(&s->slot[SL_SECRETS], "%s = %s\n", var, m->secret->name);
		s->secret_files = true;
	}
}

/* --- command, image, ports ---------------------------------------------- */

static void command(struct imp *im, struct imp_service *s)
{
	yaml_node_t *v = s->v[IK_COMMAND];
	const char **words;
	size_t n;
	if (imp_is_null(v))
		return;
	if (imp_scalar(v))
		n = imp_split(im->a, imp_text(im, v, imp_scalar(v)), &words);
	else
		n = imp_strings(im, v, &words);
	for (size_t i = 0; imp_is_seq(v) && i < n; i++)
		words[i] = imp_text(im, imp_seq_at(im, v, i), words[i]);
	s->command = words;
	s->ncommand = n;
	s->has_command = n > 0;
}

static void image(struct imp *im, struct imp_service *s)
{
	const char *image = imp_scalar(s->v[IK_IMAGE]);
	if (image && s->v[IK_BUILD]) {
		imp_dropped(im, s->k[IK_IMAGE], "a built image is named after its service "
			    "(and app.registry)");
		return;
	}
	if (image) {
		s->image = image;
		imp_slot(im, s, SL_IMAGE, s->k[IK_IMAGE], "image = %s\n",
			 imp_quote(im->a, imp_text(im, s->v[IK_IMAGE], image)));
	} else if (!s->v[IK_BUILD]) {
		imp_warn(im, s->key, "service '%s' has neither 'image' nor 'build': set one of "
			 "them in the .dep", s->compose);
	}
	if (s->has_command)
		imp_slot(im, s, SL_COMMAND, s->k[IK_COMMAND], "command = %s\n",
			 imp_list(im->a, s->command, s->ncommand));
}

struct port {
	int64_t container;
	bool published, tcp, ok;
};

/* [HOST_IP:][HOST:]CONTAINER[/PROTOCOL] */
static struct port short_port(struct imp *im, const char *text)
{
	struct port p = { .tcp = true, .published = true };
	char *copy = arena_strdup(im->a, text), *slash = strrchr(copy, '/');
	if (slash) {
		*slash = 0;
		p.tcp = !strcmp(slash + 1, "tcp");
	}
	char *colon = strrchr(copy, ':');
	p.ok = imp_int(colon ? colon + 1 : copy, &p.container) &&
	       p.container >= 1 && p.container <= 65535;
	return p;
}

static struct port long_port(struct imp *im, yaml_node_t *item)
{
	struct port p = { .tcp = true, .published = true };
	const char *proto = imp_scalar(imp_get(im, item, "protocol", NULL));
	p.tcp = !proto || !strcmp(proto, "tcp");
	p.ok = imp_int(imp_scalar(imp_get(im, item, "target", NULL)), &p.container) &&
	       p.container >= 1 && p.container <= 65535;
	return p;
}

/* A candidate port; import_ports.c chooses among them. */
static void port(struct imp *im, struct imp_service *s, yaml_node_t *item, bool expose)
{
	if (!imp_is_map(item) && !imp_scalar(item)) {
		imp_warn(im, item, "port is not imported: it is not a string or a mapping");
		return;
	}
	struct port p = imp_is_map(item) ? long_port(im, item) : short_port(im, imp_scalar(item));
	p.published = p.published && !expose;
	const char *text = imp_scalar(item) ? imp_scalar(item)
			   : arena_printf(im->a, "target %lld", (long long)p.container);
	size_t i = 0;
	while (i < s->nports && s->ports[i] != p.container)
		i++;
	if (!p.ok) {
		imp_warn(im, item, "port '%s' is not imported: depc takes one container port, "
			 "a number from 1 to 65535", text);
	} else if (!p.tcp) {
		imp_warn(im, item, "port '%s' is not imported: depc services listen on TCP", text);
	} else if (i < s->nports) {
		s->ports_published[i] |= p.published;
	} else if (s->nports < sizeof s->ports / sizeof s->ports[0]) {
		s->ports_at[s->nports] = item;
		s->ports_published[s->nports] = p.published;
		s->ports[s->nports++] = (int)p.container;
	}
}

static void ports(struct imp *im, struct imp_service *s)
{
	for (size_t i = 0; i < imp_seq_len(s->v[IK_PORTS]); i++)
		port(im, s, imp_seq_at(im, s->v[IK_PORTS], i), false);
	for (size_t i = 0; i < imp_seq_len(s->v[IK_EXPOSE]); i++)
		port(im, s, imp_seq_at(im, s->v[IK_EXPOSE], i), true);
}

/* --- dependencies and volumes ------------------------------------------- */

/* A copy of an array of n elements with room for cap: the arrays of a
 * service's uses grow as they fill (one of every service for each made
 * the import's memory quadratic).  Only a large old copy is given back:
 * arena_release looks for any other one through every chunk. */
void *imp_grown(struct arena *a, void *old, size_t n, size_t cap, size_t size)
{
	void *p = arena_calloc(a, cap, size);
	if (n)
		memcpy(p, old, n * size);
	if (n * size > ARENA_SMALL_MAX)
		arena_release(a, old);
	return p;
}

void imp_add_use(struct imp *im, struct imp_service *s, struct imp_service *t,
		 yaml_node_t *at)
{
	if (t->used_by == s)
		return;
	if (s->nuses == s->uses_cap) {
		s->uses_cap = s->uses_cap ? 2 * s->uses_cap : 4;
		s->uses = imp_grown(im->a, s->uses, s->nuses, s->uses_cap, sizeof *s->uses);
		s->uses_at = imp_grown(im->a, s->uses_at, s->nuses, s->uses_cap, sizeof *s->uses_at);
	}
	t->used_by = s;
	s->uses_at[s->nuses] = at;
	s->uses[s->nuses++] = t;
}

static void use(struct imp *im, struct imp_service *s, yaml_node_t *at, const char *name)
{
	struct imp_service *t = imp_find_service(im, name);
	if (!t) {
		imp_warn(im, at, "'%s' is not imported: no service has that name", name ? name : "?");
		return;
	}
	if (t == s) {
		imp_warn(im, at, "'%s' is not imported: a service cannot use itself", name);
		return;
	}
	imp_add_use(im, s, t, at);
}

/* depends_on: a list of names, or names mapped to conditions. */
static void depends_on(struct imp *im, struct imp_service *s)
{
	yaml_node_t *v = s->v[IK_DEPENDS_ON];
	struct imp_pair *pairs, *opts;
	size_t n = imp_is_map(v) ? imp_pairs(im, v, &pairs) : 0;
	for (size_t i = 0; i < imp_seq_len(v); i++)
		use(im, s, imp_seq_at(im, v, i), imp_scalar(imp_seq_at(im, v, i)));
	for (size_t i = 0; i < n; i++) {
		use(im, s, pairs[i].key, imp_scalar(pairs[i].key));
		size_t m = imp_is_map(pairs[i].value) ? imp_pairs(im, pairs[i].value, &opts) : 0;
		for (size_t j = 0; j < m; j++) {
			const char *k = imp_scalar(opts[j].key), *c = imp_scalar(opts[j].value);
			if (k && !strcmp(k, "condition") && c &&
			    (!strcmp(c, "service_started") || !strcmp(c, "service_healthy")))
				continue;
			/* Waiting for it to exit 0: it runs to completion, a job
			 * this service is `before` (import_jobs.c). */
			struct imp_service *t = imp_find_service(im, imp_scalar(pairs[i].key));
			if (k && !strcmp(k, "condition") && c && t && t != s &&
			    !strcmp(c, "service_completed_successfully")) {
				t->job = true;
				continue;
			}
			imp_dropped(im, opts[j].key, "depc starts a used service first and waits "
				    "until it is healthy (or started, when it has no health check)");
		}
	}
}

void imp_check_uses(struct imp *im, struct imp_service *s)
{
	static const struct { const char *image; int port; } known[] = {
		{ "postgres", 5432 }, { "postgis", 5432 }, { "postgresql", 5432 },
		{ "mysql", 3306 }, { "mariadb", 3306 }, { "redis", 6379 }, { "valkey", 6379 },
		{ "mongo", 27017 }, { "mongodb", 27017 }, { "memcached", 11211 },
		{ "rabbitmq", 5672 }, { "elasticsearch", 9200 }, { "opensearch", 9200 },
		{ "nginx", 80 }, { "httpd", 80 }, { "minio", 9000 }, { "zookeeper", 2181 },
		{ "kafka", 9092 }, { "cassandra", 9042 }, { "influxdb", 8086 },
	};
	for (size_t i = 0; i < s->nuses; i++) {
		struct imp_service *t = s->uses[i];
		if (t->port || t->port_warned)
			continue;
		const char *name = t->image ? strrchr(t->image, '/') : NULL;
		name = name ? name + 1 : t->image ? t->image : "";
		size_t len = strcspn(name, ":@");
		for (size_t k = 0; k < sizeof known / sizeof known[0] && !t->port; k++)
			if (strlen(known[k].image) == len && !strncmp(name, known[k].image, len))
				t->port = known[k].port;
		if (t->port)
			t->port_note = "the image's usual port: the Compose file does not say";
		else
			imp_warn(im, s->uses_at[i], "service '%s' has no port: depc connects "
				 "services through their ports, so set 'port' in service '%s'",
				 t->compose, t->name);
		t->port_warned = true;
	}
}

static void add_tmpfs(struct imp *im, struct imp_service *s, const yaml_node_t *at,
		      const char *path)
{
	if (s->ntmpfs < sizeof s->tmpfs / sizeof s->tmpfs[0])
		s->tmpfs[s->ntmpfs++] = path;
	else
		imp_warn(im, at, "tmpfs '%s' is not imported: more than %zu tmpfs mounts", path,
			 sizeof s->tmpfs / sizeof s->tmpfs[0]);
}

static bool is_bind(const char *source)
{
	return strchr("./~$", source[0]) || strchr(source, '/');
}

static void named_volume(struct imp *im, struct imp_service *s, yaml_node_t *item,
			 const char *source, const char *target, bool read_only)
{
	struct imp_volume *v = imp_find_volume(im, source);
	if (!v) {
		v = arena_alloc(im->a, sizeof *v);
		v->compose = source;
		v->name = imp_claim(im, imp_dns_name(im->a, source));
		imp_add_volume(im, v);
	}
	v->mentioned = true;
	if (s->has_volume) {
		imp_warn(im, item, "volume '%s' is not imported: a depc service mounts one data "
			 "volume", source);
		return;
	}
	s->has_volume = v->used = true;
	s->volume = v->name;
	s->data = target;
	strbuf_printf(&s->slot[SL_VOLUME], "volume = %s\n", imp_quote(im->a, v->name));
	strbuf_printf(&s->slot[SL_DATA], "data = %s\n", imp_quote(im->a, target));
	if (read_only)
		imp_warn(im, item, "the read-only mode of volume '%s' is not imported: a data "
			 "volume is writable", source);
}

/* SOURCE:TARGET[:MODE], MODE a list such as "ro,z". */
static void short_mount(struct imp *im, const char *text, const char **source,
			const char **target, bool *read_only)
{
	char *copy = arena_strdup(im->a, text), *c1 = strchr(copy, ':');
	char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1)
		*c1 = 0;
	if (c2)
		*c2 = 0;
	*source = c1 ? copy : NULL;
	*target = c1 ? c1 + 1 : copy;
	for (char *opt = c2 ? strtok(c2 + 1, ",") : NULL; opt; opt = strtok(NULL, ","))
		*read_only |= !strcmp(opt, "ro");
}

/* The keys of a long mount beyond type, source, target and read_only. */
static void mount_options(struct imp *im, yaml_node_t *item)
{
	static const char *const known[] = { "type", "source", "target", "read_only" };
	struct imp_pair *pairs;
	size_t n = imp_pairs(im, item, &pairs);
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		size_t j = 0;
		while (k && j < 4 && strcmp(k, known[j]))
			j++;
		if (k && j == 4)
			imp_dropped(im, pairs[i].key, "depc mounts with the default options");
	}
}

/* A mount, short (SOURCE:TARGET[:MODE]) or long (type, source, target). */
static void volume(struct imp *im, struct imp_service *s, yaml_node_t *item)
{
	const char *type = "volume", *source = NULL, *target = NULL, *text = imp_scalar(item);
	bool read_only = false;
	if (text) {
		short_mount(im, text, &source, &target, &read_only);
	} else if (imp_is_map(item)) {
		type = imp_scalar(imp_get(im, item, "type", NULL));
		source = imp_scalar(imp_get(im, item, "source", NULL));
		target = imp_scalar(imp_get(im, item, "target", NULL));
		imp_bool(imp_scalar(imp_get(im, item, "read_only", NULL)), &read_only);
		type = type ? type : "volume";
		mount_options(im, item);
		text = arena_printf(im->a, "%s%s%s", source ? source : "", source ? ":" : "",
				    target ? target : "?");
	}
	if (!strcmp(type, "tmpfs") && target)
		add_tmpfs(im, s, item, target);
	else if (!target || (strcmp(type, "volume") && strcmp(type, "bind")))
		imp_warn(im, item, "mount '%s' is not imported: depc mounts one named data "
			 "volume, and tmpfs directories", text ? text : "?");
	else if (!source || !*source)
		imp_warn(im, item, "anonymous volume '%s' is not imported: depc mounts one named "
			 "data volume; list scratch directories in 'tmpfs'", text);
	else if ((!strcmp(type, "bind") || is_bind(source)) &&
		 !strncmp(target, "/usr/share/nginx/html", 21) && s->fam && !s->site) {
		s->site = source; /* nginx's files: import_known.c decides */
		s->site_at = item;
	} else if (!strcmp(type, "bind") || is_bind(source))
		imp_warn(im, item, "bind mount '%s' is not imported: depc mounts only named "
			 "volumes, since a host path is not there on other hosts", text);
	else
		named_volume(im, s, item, source, target, read_only);
}

static void volumes(struct imp *im, struct imp_service *s)
{
	for (size_t i = 0; i < imp_seq_len(s->v[IK_VOLUMES]); i++)
		volume(im, s, imp_seq_at(im, s->v[IK_VOLUMES], i));
	const char **paths;
	size_t n = imp_strings(im, s->v[IK_TMPFS], &paths);
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(paths[i], ':');
		if (colon)
			imp_warn(im, s->v[IK_TMPFS], "the options of tmpfs '%s' are not imported: "
				 "depc mounts tmpfs with its defaults", paths[i]);
		add_tmpfs(im, s, s->v[IK_TMPFS], colon ? arena_strndup(im->a, paths[i],
						(size_t)(colon - paths[i])) : paths[i]);
	}
}

/* --- the rest ----------------------------------------------------------- */

static void user(struct imp *im, struct imp_service *s)
{
	const char *u = imp_scalar(s->v[IK_USER]);
	if (!u)
		return;
	char *copy = arena_strdup(im->a, u), *colon = strchr(copy, ':');
	int64_t uid, gid;
	if (colon)
		*colon = 0;
	if (!strcmp(copy, "root") || (imp_int(copy, &uid) && uid == 0))
		imp_dropped(im, s->k[IK_USER], "depc never runs a container as root; it runs as "
			    "10001 unless 'user' is set");
	else if (!imp_int(copy, &uid) || uid < 0)
		imp_dropped(im, s->k[IK_USER], "depc takes a numeric user id, and '%s' is a name: "
			    "look up its id in the image", copy);
	else
		imp_slot(im, s, SL_USER, s->k[IK_USER], "user = %lld\n", (long long)uid);
	if (colon && imp_int(colon + 1, &gid) && imp_int(copy, &uid) && gid != uid && uid > 0)
		imp_warn(im, s->v[IK_USER], "group %s of 'user' is not imported: a container runs "
			 "with the group of its user id", colon + 1);
}

static void restart(struct imp *im, struct imp_service *s)
{
	const char *r = imp_scalar(s->v[IK_RESTART]);
	int64_t attempts;
	if (!r)
		return;
	bool on_failure = !strncmp(r, "on-failure", 10) && (!r[10] || r[10] == ':');
	s->job |= !strcmp(r, "no");  /* never restarted: it runs to completion */
	if (!strcmp(r, "always") || !strcmp(r, "unless-stopped") || !strcmp(r, "no") || on_failure)
		imp_slot(im, s, SL_RESTART, s->k[IK_RESTART], "restart = %s\n",
			 on_failure ? "on-failure" : r);
	else
		imp_dropped(im, s->k[IK_RESTART], "depc takes restart = on-failure, always, "
			    "unless-stopped or no");
	if (on_failure && r[10] == ':' && imp_int(r + 11, &attempts) && attempts >= 0)
		imp_slot(im, s, SL_MAX_ATTEMPTS, s->k[IK_RESTART], "max_attempts = %lld\n",
			 (long long)attempts);
}

static void flags(struct imp *im, struct imp_service *s)
{
	bool ro;
	int64_t v;
	if (s->v[IK_READ_ONLY] && imp_bool(imp_scalar(s->v[IK_READ_ONLY]), &ro))
		imp_slot(im, s, SL_READ_ONLY, s->k[IK_READ_ONLY], "read_only = %s\n",
			 ro ? "true" : "false");
	if (s->v[IK_CPUS] && imp_cpus(imp_scalar(s->v[IK_CPUS]), &v))
		s->cpu[1] = v;
	else if (s->v[IK_CPUS])
		imp_dropped(im, s->k[IK_CPUS], "it is not a number of cores");
	if (s->v[IK_MEM_LIMIT] && imp_memory(imp_scalar(s->v[IK_MEM_LIMIT]), &v))
		s->mem[1] = v;
	else if (s->v[IK_MEM_LIMIT])
		imp_dropped(im, s->k[IK_MEM_LIMIT], "it is not an amount of memory");
	if (s->v[IK_MEM_RESERVATION] && imp_memory(imp_scalar(s->v[IK_MEM_RESERVATION]), &v))
		s->mem[0] = v;
	else if (s->v[IK_MEM_RESERVATION])
		imp_dropped(im, s->k[IK_MEM_RESERVATION], "it is not an amount of memory");
}

void imp_service(struct imp *im, struct imp_service *s)
{
	imp_known_image(im, s);
	mounts(im, s);
	environment(im, s);
	other_mounts(im, s);
	command(im, s);
	ports(im, s);
	imp_build(im, s);
	image(im, s);
	depends_on(im, s);
	imp_infer_uses(im, s);
	volumes(im, s);
	imp_healthcheck(im, s);
	imp_deploy(im, s);
	restart(im, s);
	user(im, s);
	flags(im, s);
	if (s->k[IK_LABELS])
		imp_dropped(im, s->k[IK_LABELS], "depc has no labels (a port they name is read)");
	s->builds |= s->slot[SL_BUILD].len && !s->tmpl;
	imp_note_command(im, s);
}
