/* import.c - `depc import`: reads a Compose file, writes a .dep file.
 *
 * The document is loaded whole with libyaml's parser (yaml_parser_load),
 * so aliases are resolved; merge keys are expanded by import_value.c.
 * Names are settled first (services, volumes, secrets and the app share
 * one namespace in a .dep, and must be DNS labels or identifiers), then
 * each service is mapped by import_service.c, then the .dep text is put
 * together and formatted by fmt_source().  Warnings are collected and
 * printed sorted by position, each as `FILE:LINE:COL: warning: ...`.
 * The output file is written atomically and never replaces a file. */
#include "import.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "import_impl.h"
#include "names.h"

enum { IMPORT_OK = 0, IMPORT_BAD_INPUT = 1, IMPORT_IO = 2 };

/* --- warnings ----------------------------------------------------------- */

static void vwarn(struct imp *im, const yaml_node_t *at, const char *fmt, va_list ap)
{
	struct imp_warning *w = arena_alloc(im->a, sizeof *w);
	w->line = at ? at->start_mark.line + 1 : 0;
	w->col = at ? at->start_mark.column + 1 : 0;
	w->seq = im->nwarnings++;
	w->text = arena_vprintf(im->a, fmt, ap);
	w->next = im->warnings;
	im->warnings = w;
}

void imp_warn(struct imp *im, const yaml_node_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(im, at, fmt, ap);
	va_end(ap);
}

void imp_dropped(struct imp *im, const yaml_node_t *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *reason = arena_vprintf(im->a, fmt, ap);
	va_end(ap);
	const char *name = imp_scalar(key);
	imp_warn(im, key, "'%s' is not imported: %s", name ? name : "?", reason);
}

static int by_position(const void *x, const void *y)
{
	const struct imp_warning *a = *(const struct imp_warning *const *)x;
	const struct imp_warning *b = *(const struct imp_warning *const *)y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void print_warnings(struct imp *im, FILE *err)
{
	struct imp_warning **all = arena_calloc(im->a, im->nwarnings + 1, sizeof *all);
	size_t n = 0;
	for (struct imp_warning *w = im->warnings; w; w = w->next)
		all[n++] = w;
	qsort(all, n, sizeof *all, by_position);
	for (size_t i = 0; i < n; i++) {
		/* A key merged into several services (<<: *anchor) is one line. */
		if (i && all[i]->line == all[i - 1]->line && all[i]->col == all[i - 1]->col &&
		    !strcmp(all[i]->text, all[i - 1]->text))
			continue;
		if (all[i]->line)
			fprintf(err, "%s:%zu:%zu: warning: %s\n", im->path, all[i]->line,
				all[i]->col, all[i]->text);
		else
			fprintf(err, "%s: warning: %s\n", im->path, all[i]->text);
	}
}

/* --- names -------------------------------------------------------------- */

/* Names that differ only in case or in '_' against '-' are one name to
 * the backends (db_passwd and db-passwd are both k8s/db-passwd-...), so
 * the map of taken names holds each as its Kubernetes name. */
bool imp_taken(const struct imp *im, const char *name)
{
	static const char *const reserved[] = { "import", "template", "as", "true", "false", "env" };
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (!strcmp(name, reserved[i]))
			return true;
	return strmap_get(&im->taken, names_k8s(im->a, name)) != NULL;
}

/* WANT-2, WANT-3, ... are tried in turn; a name once taken stays taken,
 * so the next claim of the same WANT (by its Kubernetes name) starts
 * after the last number tried.  Starting from 2 each time made a thousand hosts named
 * *.example.com try a thousand numbers each. */
const char *imp_claim(struct imp *im, const char *want)
{
	const char *name = want;
	if (imp_taken(im, want)) {
		const char *key = names_k8s(im->a, want);
		int *next = strmap_get(&im->suffixes, key);
		if (!next) {
			next = arena_alloc(im->a, sizeof *next);
			*next = 2;
			strmap_add(&im->suffixes, key, next);
		}
		do
			name = arena_printf(im->a, "%s-%d", want, (*next)++);
		while (imp_taken(im, name));
	}
	strmap_add(&im->taken, names_k8s(im->a, name), (void *)name);
	return name;
}

struct imp_service *imp_find_service(struct imp *im, const char *compose)
{
	return compose ? strmap_get(&im->service_of, compose) : NULL;
}

struct imp_service *imp_find_host(struct imp *im, const char *host, size_t len)
{
	return strmap_get(&im->host_of, arena_strndup_lower(im->a, host, len));
}

struct imp_volume *imp_find_volume(struct imp *im, const char *compose)
{
	return compose ? strmap_get(&im->volume_of, compose) : NULL;
}

void imp_add_volume(struct imp *im, struct imp_volume *v)
{
	*im->volumes_tail = v;
	im->volumes_tail = &v->next;
	strmap_add(&im->volume_of, v->compose, v);
}

struct imp_secret *imp_find_secret(struct imp *im, const char *compose)
{
	return compose ? strmap_get(&im->secret_of, compose) : NULL;
}

/* A name changed to fit the .dep's rules is worth a line: every
 * reference in scripts and dashboards must follow. */
static const char *rename_to(struct imp *im, const yaml_node_t *key, const char *what,
			     const char *name)
{
	const char *orig = imp_scalar(key);
	if (strcmp(orig, name))
		imp_warn(im, key, "%s '%s' is imported as '%s': %s", what, orig, name,
			 strcmp(what, "secret") ? "depc names are lowercase letters, digits and '-'"
			 : "depc names are letters, digits, '_' and '-'");
	return name;
}

/* --- the top level ------------------------------------------------------ */

static void add_services(struct imp *im, yaml_node_t *services)
{
	struct imp_pair *pairs;
	size_t n = imp_pairs(im, services, &pairs);
	im->services = arena_calloc(im->a, n + 1, sizeof *im->services);
	for (size_t i = 0; i < n; i++) {
		struct imp_service *s = &im->services[im->nservices];
		const char *name = imp_scalar(pairs[i].key);
		if (!name || !imp_is_map(pairs[i].value)) {
			imp_warn(im, pairs[i].key, "service '%s' is not imported: it is not a mapping",
				 name ? name : "?");
			continue;
		}
		im->nservices++;
		s->compose = name;
		s->key = pairs[i].key;
		s->map = pairs[i].value;
		s->name = rename_to(im, s->key, "service", imp_claim(im, imp_dns_name(im->a, name)));
		s->cpu[0] = s->cpu[1] = s->mem[0] = s->mem[1] = -1;
		strmap_add(&im->service_of, name, s);
		strmap_add(&im->host_of, arena_strndup_lower(im->a, name, strlen(name)), s);
	}
}

static void add_volumes(struct imp *im, yaml_node_t *volumes)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(volumes) ? imp_pairs(im, volumes, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		if (!imp_scalar(pairs[i].key))
			continue;
		struct imp_volume *v = arena_alloc(im->a, sizeof *v);
		v->compose = imp_scalar(pairs[i].key);
		v->key = pairs[i].key;
		v->value = pairs[i].value;
		v->name = rename_to(im, v->key, "volume",
				    imp_claim(im, imp_dns_name(im->a, v->compose)));
		imp_add_volume(im, v);
	}
}

static void add_secrets(struct imp *im, yaml_node_t *secrets)
{
	struct imp_pair *pairs;
	size_t n = imp_is_map(secrets) ? imp_pairs(im, secrets, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		if (!imp_scalar(pairs[i].key))
			continue;
		struct imp_secret *s = arena_alloc(im->a, sizeof *s);
		s->compose = imp_scalar(pairs[i].key);
		s->key = pairs[i].key;
		s->name = rename_to(im, s->key, "secret",
				    imp_claim(im, imp_ident(im->a, s->compose)));
		s->origin = arena_printf(im->a, "the Compose secret '%s'", s->compose);
		s->next = im->secrets;
		im->secrets = s;
	}
	/* A name declared twice finds its last declaration, as the walk of
	 * the list (newest first) did.  No secret made later has a Compose
	 * name, so the map is complete here. */
	for (struct imp_secret *s = im->secrets; s; s = s->next)
		strmap_add(&im->secret_of, s->compose, s);
}

/* The options of a top-level volume or secret: what depc keeps of them. */
static void declaration_options(struct imp *im, yaml_node_t *decls, bool secrets)
{
	struct imp_pair *pairs, *opts;
	size_t n = imp_is_map(decls) ? imp_pairs(im, decls, &pairs) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = imp_scalar(pairs[i].key);
		struct imp_secret *sec = secrets ? imp_find_secret(im, name) : NULL;
		struct imp_volume *vol = secrets ? NULL : imp_find_volume(im, name);
		if ((sec && !sec->used) || (vol && !vol->mentioned))
			continue; /* reported as unused */
		size_t m = imp_is_map(pairs[i].value) ? imp_pairs(im, pairs[i].value, &opts) : 0;
		for (size_t j = 0; j < m; j++) {
			const char *k = imp_scalar(opts[j].key);
			if (!secrets && k && !strcmp(k, "driver"))
				continue;
			if (secrets)
				imp_dropped(im, opts[j].key, "depc reads secret '%s' from the secret "
					    "store; put its value there and set its vault path",
					    imp_scalar(pairs[i].key));
			else
				imp_dropped(im, opts[j].key, "depc volumes have a size and a class only");
		}
	}
}

static const char *top_reason(const char *key)
{
	static const struct { const char *key, *reason; } reasons[] = {
		{ "version", "the Compose specification no longer uses it" },
		{ "networks", "depc makes the networks: a service reaches only the services it uses" },
		{ "configs", "depc has no configs: put the file in the image" },
		{ "include", "depc imports one Compose file at a time" },
	};
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (!strcmp(key, reasons[i].key))
			return reasons[i].reason;
	if (!strncmp(key, "x-", 2))
		return "extension fields have no meaning to depc";
	return "it is not a Compose key depc knows";
}

static void top_level(struct imp *im, yaml_node_t *root)
{
	struct imp_pair *pairs;
	size_t n = imp_pairs(im, root, &pairs);
	for (size_t i = 0; i < n; i++) {
		const char *k = imp_scalar(pairs[i].key);
		if (!k)
			continue;
		if (!strcmp(k, "volumes"))
			declaration_options(im, pairs[i].value, false);
		else if (!strcmp(k, "secrets"))
			declaration_options(im, pairs[i].value, true);
		else if (strcmp(k, "services") && strcmp(k, "name"))
			imp_dropped(im, pairs[i].key, "%s", top_reason(k));
	}
}

/* The app is named by `name:`, else after the Compose file's directory. */
static void name_app(struct imp *im, yaml_node_t *root)
{
	const char *name = imp_scalar(imp_get(im, root, "name", NULL));
	char resolved[PATH_MAX];
	if (!name || !*name) {
		name = "app";
		if (realpath(im->dir, resolved) && strcmp(resolved, "/"))
			name = arena_strdup(im->a, basename(resolved));
	}
	im->app = imp_claim(im, imp_dns_name(im->a, name));
}

/* Volumes and secrets declared but mounted by no service. */
static void unused_declarations(struct imp *im)
{
	for (struct imp_volume *v = im->volumes; v; v = v->next)
		if (!v->mentioned && v->key)
			imp_dropped(im, v->key, "no service mounts it");
	for (struct imp_secret *s = im->secrets; s; s = s->next)
		if (!s->used && s->key)
			imp_dropped(im, s->key, "no service uses it");
}

/* --- the .dep text ------------------------------------------------------ */

static const char header[] =
	"# Imported from %s by depc import.  Review it before use:\n"
	"# - containers run as user 10001 with a read-only root filesystem\n"
	"#   unless a service sets `user` or `read_only = false`;\n"
	"# - every secret's value must be put in the secret store, at the\n"
	"#   `vault` path (the CHANGE-ME paths are placeholders);\n"
	"# - each `allow` names a decision the Compose file left open.\n"
	"\n";

static void put_app(struct imp *im, struct strbuf *b)
{
	bool builds = false;
	for (size_t i = 0; i < im->nservices; i++)
		builds |= im->services[i].builds;
	for (size_t i = 0; i < im->nmodules; i++)
		strbuf_printf(b, "import \"std/%s\"\n", im->modules[i]);
	strbuf_printf(b, "%sapp %s {", im->nmodules ? "\n" : "", im->app);
	if (builds)
		strbuf_puts(b, "\n  # the tag of the images depc builds: set your release's\n"
			       "  version = \"0.1.0\"\n");
	strbuf_puts(b, "}\n");
}

static void put_secrets(struct imp *im, struct strbuf *b)
{
	struct imp_secret *rev = NULL, *next;
	for (struct imp_secret *s = im->secrets; s; s = next) {
		next = s->next;
		s->next = rev;
		rev = s;
	}
	im->secrets = rev;
	for (struct imp_secret *s = im->secrets; s; s = s->next) {
		if (!s->used)
			continue;
		strbuf_printf(b, "\n# From %s.\n", s->origin);
		strbuf_printf(b, "secret %s {\n  vault  = \"CHANGE-ME/%s\"\n"
			      "  rotate = 720h  # depc import's default: rotate it as your store does\n}\n",
			      s->name, s->name);
	}
}

static void put_uses(struct imp *im, struct imp_service *s, struct strbuf *b)
{
	(void)im;
	if (!s->nuses && !s->nexternals)
		return;
	strbuf_puts(b, "uses = [");
	for (size_t i = 0; i < s->nuses; i++)
		strbuf_printf(b, "%s%s", i ? ", " : "", s->uses[i]->name);
	for (size_t i = 0; i < s->nexternals; i++)
		strbuf_printf(b, "%s%s", i || s->nuses ? ", " : "", s->externals[i]->name);
	strbuf_puts(b, "]\n");
}

static void put_range(struct imp *im, struct strbuf *b, const char *field,
		      const int64_t v[2], const char *(*format)(struct arena *, int64_t))
{
	if (v[0] < 0 && v[1] < 0)
		return;
	if (v[0] >= 0 && v[1] >= 0 && v[0] != v[1])
		strbuf_printf(b, "  %s = %s..%s\n", field, format(im->a, v[0]), format(im->a, v[1]));
	else
		strbuf_printf(b, "  %s = %s\n", field, format(im->a, v[v[1] >= 0]));
}

void imp_put_slot(struct imp *im, struct imp_service *s, struct strbuf *b, int i)
{
	static const char *const wrap[SL_COUNT] = {
		[SL_ENV] = "env", [SL_SECRETS] = "secrets", [SL_HEALTH] = "health",
		[SL_ROLLOUT] = "rollout", [SL_ALLOW] = "allow",
	};
	if (i == SL_PORT && s->port && !s->tmpl)
		strbuf_printf(b, "port = %d%s%s\n", s->port, s->port_note ? "  # " : "",
			      s->port_note ? s->port_note : "");
	if (i == SL_USES)
		put_uses(im, s, b);
	if (i == SL_RESOURCES && (s->cpu[0] >= 0 || s->cpu[1] >= 0 || s->mem[0] >= 0 ||
				  s->mem[1] >= 0)) {
		strbuf_puts(b, "resources {\n");
		put_range(im, b, "cpu", s->cpu, imp_format_cpu);
		put_range(im, b, "memory", s->mem, imp_format_size);
		strbuf_puts(b, "}\n");
	}
	if (i == SL_TMPFS && s->ntmpfs)
		strbuf_printf(b, "tmpfs = %s\n", imp_list(im->a, s->tmpfs, s->ntmpfs));
	if (!s->slot[i].len)
		return;
	if (wrap[i])
		strbuf_printf(b, "%s%s {\n", wrap[i], i == SL_ENV && s->env_map ? " =" : "");
	strbuf_put(b, s->slot[i].data, s->slot[i].len);
	if (wrap[i])
		strbuf_puts(b, "}\n");
	/* The image read its secrets from the files NAME_FILE names: keep
	 * that contract on every target (secrets moved out of `environment`
	 * are variables, so a service with both keeps variables). */
	if (i == SL_SECRETS && s->secret_files && !s->secret_vars)
		strbuf_puts(b, "secrets_as = file\n");
}

static void put_service(struct imp *im, struct imp_service *s, struct strbuf *b)
{
	if (imp_put_job(im, s, b))
		return;
	strbuf_printf(b, "\nservice %s", s->name);
	if (s->tmpl) {
		strbuf_printf(b, " = %s(", s->tmpl);
		for (struct imp_arg *a = s->args; a; a = a->next)
			strbuf_printf(b, "%s%s = %s", a == s->args ? "" : ", ", a->name, a->value);
		strbuf_puts(b, ")");
	}
	strbuf_puts(b, " {\n");
	if (s->notes.len)
		strbuf_put(b, s->notes.data, s->notes.len);
	for (int i = 0; i < SL_COUNT; i++)
		imp_put_slot(im, s, b, i);
	strbuf_puts(b, "}\n");
}

static const char *dep_text(struct imp *im)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, header, im->path);
	put_app(im, &b);
	put_secrets(im, &b);
	imp_put_externals(im, &b);
	for (size_t i = 0; i < im->nservices; i++)
		put_service(im, &im->services[i], &b);
	bool first = true;
	for (struct imp_volume *v = im->volumes; v; v = v->next) {
		if (!v->used)
			continue;
		const char *driver = imp_scalar(imp_get(im, v->value, "driver", NULL));
		strbuf_printf(&b, "%svolume %s {", first ? "\n" : "", v->name);
		if (driver && strcmp(driver, "local"))
			strbuf_printf(&b, " class = %s ", imp_quote(im->a, driver));
		strbuf_puts(&b, "}\n");
		first = false;
	}
	return imp_scrub(im, strbuf_finish(&b, im->a));
}

/* --- reading and writing ------------------------------------------------ */

/* Collections nested deeper than this are refused before the file is
 * loaded: no Compose file comes near it. */
#define IMPORT_MAX_DEPTH 256

/* libyaml's scanner looks at every open flow collection for each token,
 * so a file nested n deep costs n * n: 100 KB of '[' took 11 seconds.
 * A first pass over the events stops at IMPORT_MAX_DEPTH, before that
 * cost can grow; it leaves errors of the YAML itself to the load. */
static bool too_deep(const unsigned char *text, size_t len, yaml_mark_t *at)
{
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, text, len);
	size_t depth = 0;
	bool deep = false, done = false;
	while (!done && !deep) {
		yaml_event_t e;
		if (!yaml_parser_parse(&parser, &e))
			break;
		if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
			deep = ++depth > IMPORT_MAX_DEPTH;
		else if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT)
			depth--;
		done = e.type == YAML_STREAM_END_EVENT;
		*at = e.start_mark;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&parser);
	return deep;
}

/* The whole input, read once so it can be parsed twice (it may be a pipe). */
static unsigned char *read_all(FILE *in, size_t *len)
{
	struct strbuf b;
	strbuf_init(&b);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
		strbuf_put(&b, chunk, got);
	*len = b.len;
	if (!b.data)
		strbuf_putc(&b, '\0');
	return (unsigned char *)b.data;
}

static int load(struct imp *im, FILE *in, FILE *err)
{
	size_t len = 0;
	unsigned char *text = read_all(in, &len);
	yaml_mark_t at = { 0, 0, 0 };
	if (too_deep(text, len, &at)) {
		fprintf(err, "%s:%zu:%zu: error: collections nested deeper than %d levels\n",
			im->path, at.line + 1, at.column + 1, IMPORT_MAX_DEPTH);
		free(text);
		return IMPORT_BAD_INPUT;
	}
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, text, len);
	int rc = IMPORT_OK;
	if (!yaml_parser_load(&parser, &im->doc)) {
		const yaml_mark_t *m = parser.problem_mark.line || parser.problem_mark.column
			? &parser.problem_mark : &parser.context_mark;
		if (parser.error == YAML_MEMORY_ERROR) {
			fprintf(err, "depc: out of memory reading '%s'\n", im->path);
			rc = IMPORT_IO;
		} else if (parser.error == YAML_READER_ERROR) {
			fprintf(err, "%s: error: %s at byte %zu\n", im->path,
				parser.problem ? parser.problem : "unreadable", parser.problem_offset);
			rc = IMPORT_BAD_INPUT;
		} else {
			fprintf(err, "%s:%zu:%zu: error: %s%s%s\n", im->path, m->line + 1,
				m->column + 1, parser.problem ? parser.problem : "malformed YAML",
				parser.context ? " " : "", parser.context ? parser.context : "");
			rc = IMPORT_BAD_INPUT;
		}
	}
	yaml_parser_delete(&parser);
	free(text);
	return rc;
}

/* The services mapping, after checking this is a Compose file at all. */
static yaml_node_t *compose_services(struct imp *im, FILE *err)
{
	yaml_node_t *root = yaml_document_get_root_node(&im->doc);
	if (!root) {
		fprintf(err, "%s: error: the file is empty\n", im->path);
		return NULL;
	}
	yaml_node_t *key = NULL, *services = imp_get(im, root, "services", &key);
	if (!imp_is_map(root) || !imp_is_map(services)) {
		const yaml_node_t *at = key ? key : root;
		fprintf(err, "%s:%zu:%zu: error: not a Compose file: %s\n", im->path,
			at->start_mark.line + 1, at->start_mark.column + 1,
			!imp_is_map(root) ? "the top level is not a mapping"
			: key ? "'services' is not a mapping" : "it has no 'services'");
		return NULL;
	}
	return services;
}

static void map_compose(struct imp *im, yaml_node_t *services)
{
	yaml_node_t *root = yaml_document_get_root_node(&im->doc);
	add_services(im, services);
	add_volumes(im, imp_get(im, root, "volumes", NULL));
	add_secrets(im, imp_get(im, root, "secrets", NULL));
	name_app(im, root);
	for (size_t i = 0; i < im->nservices; i++)
		imp_sort_keys(im, &im->services[i]);
	for (size_t i = 0; i < im->nservices; i++)
		imp_service(im, &im->services[i]);
	imp_jobs(im);
	for (size_t i = 0; i < im->nservices; i++)
		imp_decide_port(im, &im->services[i]);
	for (size_t i = 0; i < im->nservices; i++)
		imp_check_uses(im, &im->services[i]);
	for (size_t i = 0; i < im->nservices; i++)
		imp_infer_externals(im, &im->services[i]);
	for (size_t i = 0; i < im->nservices; i++)
		imp_known_finish(im, &im->services[i]);
	for (size_t i = 0; i < im->nservices; i++)
		imp_gaps(im, &im->services[i]);
	top_level(im, root);
	unused_declarations(im);
}

static int write_dep(struct imp *im, const char *out_path, FILE *out, FILE *err)
{
	struct diag_bag bag;
	diag_bag_init(&bag, im->a);
	const char *text = dep_text(im);
	struct source *src = source_from_memory(im->a, out_path ? out_path : "<stdout>",
						text, strlen(text));
	char *formatted = fmt_source(im->a, src, &bag);
	if (!formatted) {
		fprintf(err, "depc: internal error: the imported text does not parse:\n");
		diag_render_text(err, &bag, &(struct diag_render_options){ .tab_width = 4 });
		return IMPORT_IO;
	}
	const char *io = NULL;
	if (!out_path) {
		fputs(formatted, out);
		return fflush(out) == 0 ? IMPORT_OK : IMPORT_IO;
	}
	if (!fmt_write_file(out_path, formatted, strlen(formatted), false, &io)) {
		fprintf(err, "depc: cannot write '%s': %s\n", out_path, io);
		return IMPORT_IO;
	}
	return IMPORT_OK;
}

static void init_maps(struct imp *im)
{
	struct strmap *maps[] = { &im->taken, &im->suffixes, &im->service_of, &im->host_of,
				  &im->volume_of, &im->external_of, &im->secret_of,
				  &im->secret_of_value };
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
		strmap_init(maps[i], im->a);
	im->volumes_tail = &im->volumes;
	im->externals_tail = &im->externals;
}

static const char *dir_of(struct arena *a, const char *path)
{
	char *copy = arena_strdup(a, path);
	return arena_strdup(a, dirname(copy));
}

static int run(struct imp *im, FILE *in, const char *out_path, FILE *out, FILE *err)
{
	int rc = load(im, in, err);
	if (rc != IMPORT_OK)
		return rc;
	yaml_node_t *services = compose_services(im, err);
	if (!services) {
		yaml_document_delete(&im->doc);
		return IMPORT_BAD_INPUT;
	}
	map_compose(im, services);
	rc = write_dep(im, out_path, out, err);
	print_warnings(im, err);
	yaml_document_delete(&im->doc);
	return rc;
}

int import_compose(const char *path, const char *out_path, FILE *out, FILE *err)
{
	struct arena a;
	arena_init(&a);
	bool is_stdin = !strcmp(path, "-");
	struct imp im = { .a = &a, .path = is_stdin ? "<stdin>" : path };
	init_maps(&im);
	im.dir = is_stdin ? "." : dir_of(&a, path);
	im.out_dir = out_path ? dir_of(&a, out_path) : ".";
	const char *base = strrchr(im.path, '/') ? strrchr(im.path, '/') + 1 : im.path;
	im.stem = arena_strndup(&a, base, strcspn(base, "."));
	/* compose.yaml says nothing; the directory it is in may
	 * (react-java-mysql/compose.yaml). */
	char resolved[PATH_MAX];
	if (realpath(im.dir, resolved))
		im.stem = arena_printf(&a, "%s %s", im.stem, basename(resolved));

	FILE *in = is_stdin ? stdin : fopen(path, "rb");
	int rc = IMPORT_IO;
	if (!in)
		fprintf(err, "depc: cannot read '%s': %s\n", path, strerror(errno));
	else
		rc = run(&im, in, out_path, out, err);
	if (in && !is_stdin)
		fclose(in);
	for (size_t i = 0; i < im.nservices; i++) {
		for (int k = 0; k < SL_COUNT; k++)
			strbuf_free(&im.services[i].slot[k]);
		strbuf_free(&im.services[i].notes);
	}
	arena_free(&a);
	return rc;
}
