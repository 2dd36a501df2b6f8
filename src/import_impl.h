/* import_impl.h - what the files of `depc import` share (not installed).
 *
 * import.c reads the Compose file and writes the .dep; import_service.c
 * maps one service's keys, import_deploy.c its healthcheck and deploy
 * blocks, import_uses.c the `uses` edges its links and environment
 * imply, import_build.c its build context, and import_value.c the YAML
 * access and the conversions of values (durations, sizes, names,
 * strings).  Everything lives in one arena; the YAML document lives until
 * the .dep is written.  Nothing of a value that looks like a secret is
 * ever copied into the output: only the name of the variable that held
 * it. */
#ifndef DEPC_IMPORT_IMPL_H
#define DEPC_IMPORT_IMPL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "arena.h"
#include "strmap.h"

/* A warning, kept until the end so they print in the order of the file. */
struct imp_warning {
	size_t line, col;            /* 1-based, from libyaml's marks */
	size_t seq;                  /* order of emission, for ties */
	const char *text;
	struct imp_warning *next;
};

/* A secret declaration of the .dep. */
struct imp_secret {
	const char *name;            /* declaration name */
	const char *compose;         /* top-level Compose secret, or NULL */
	const char *origin;          /* where it came from, for a comment */
	const char *value;           /* the value it replaces (compared, never written) */
	const char *env_key;         /* the variable it came from, or NULL */
	const char *service;         /* the service that variable is of */
	yaml_node_t *key;            /* Compose declaration, or NULL */
	bool used;                   /* some service reads it */
	struct imp_secret *next;
};

/* A named volume. */
struct imp_volume {
	const char *compose;         /* name in the Compose file */
	const char *name;            /* .dep name */
	yaml_node_t *key, *value;    /* top-level declaration, or NULL */
	bool used;                   /* mounted as a service's data volume */
	bool mentioned;              /* mounted by some service at all */
	struct imp_volume *next;
};

/* A secret a service mounts (service-level `secrets:`). */
struct imp_mount {
	struct imp_secret *secret;
	const char *target;          /* file name under /run/secrets */
	yaml_node_t *node;
	bool consumed;               /* a NAME_FILE variable became its entry */
	struct imp_mount *next;
};

/* The service keys that are imported, each handled after the whole
 * service was read (the order of keys in the file does not matter). */
enum imp_key {
	IK_IMAGE, IK_BUILD, IK_COMMAND, IK_PORTS, IK_EXPOSE, IK_ENVIRONMENT,
	IK_SECRETS, IK_DEPENDS_ON, IK_VOLUMES, IK_TMPFS, IK_HEALTHCHECK,
	IK_DEPLOY, IK_RESTART, IK_USER, IK_READ_ONLY, IK_CPUS, IK_MEM_LIMIT,
	IK_MEM_RESERVATION, IK_LINKS, IK_LABELS, IK_COUNT
};

/* Fields of a .dep service, written in this order. */
enum imp_slot {
	SL_IMAGE, SL_BUILD, SL_PORT, SL_REPLICAS, SL_COMMAND, SL_ENV, SL_SECRETS,
	SL_USES, SL_HEALTH, SL_RESOURCES, SL_ROLLOUT, SL_VOLUME, SL_DATA,
	SL_USER, SL_READ_ONLY, SL_TMPFS, SL_RESTART, SL_MAX_ATTEMPTS,
	SL_PLACEMENT, SL_ALLOW, SL_COUNT
};

/* An argument of a template call: NAME = VALUE, VALUE as .dep text. */
struct imp_arg {
	const char *name, *value;
	struct imp_arg *next;
};

/* A standard library template a service is made from (import_known.c). */
struct imp_family;
/* Where each service's name is followed by a port (import_ports.c). */
struct imp_reach;

/* Where a service's port was read, best evidence first. */
enum imp_port_evidence {
	PE_NONE, PE_DEFAULT, PE_HEALTH, PE_LABEL, PE_COMMAND, PE_PORTS, PE_OWN_ENV, PE_USERS
};

/* A host outside that services name (import_external.c). */
struct imp_external {
	const char *name, *host;
	int port;
	size_t users;
	struct imp_external *next;
};

struct imp_service {
	const char *compose;         /* name in the Compose file */
	const char *name;            /* .dep name */
	yaml_node_t *key, *map;
	yaml_node_t *k[IK_COUNT], *v[IK_COUNT]; /* imported keys and values */
	struct strbuf slot[SL_COUNT]; /* .dep text of each field */
	struct strbuf notes;         /* comment lines above the fields */
	int port;                    /* 0: none */
	const char *port_note;       /* comment after the port, or NULL */
	int build_port;              /* EXPOSE of its Dockerfile, or 0 */
	bool port_warned;            /* its missing port was reported */
	const char *image;           /* as written, or NULL */
	struct imp_service **uses;   /* services it depends on */
	yaml_node_t **uses_at;
	size_t nuses, uses_cap;
	struct imp_external *externals[16]; /* the externals it uses */
	size_t nexternals;
	struct imp_mount *mounts;
	const char **command;        /* `command:` split into words */
	size_t ncommand;
	bool has_command;
	int64_t cpu[2], mem[2];      /* request and limit; -1 when unset */
	yaml_node_t *cpu_at[2], *mem_at[2];
	const char *tmpfs[32];       /* paths, from `tmpfs:` and tmpfs mounts */
	size_t ntmpfs;
	bool has_volume;             /* the data volume is set */
	bool secret_files;           /* reads mounted secrets (NAME_FILE) */
	bool secret_vars;            /* reads secrets moved out of `environment` */
	const char *volume;          /* its .dep name, or NULL */
	const char *data;            /* where it is mounted, or NULL */
	const struct imp_family *fam; /* the template it is made from, or NULL */
	const char *tmpl;            /* the template call's name ("python.wsgi") */
	struct imp_arg *args;        /* its arguments, in order */
	enum imp_port_evidence port_from; /* what set `port` */
	int ports[16];               /* container ports of ports: and expose: */
	yaml_node_t *ports_at[16];
	bool ports_published[16];
	size_t nports;
	bool builds;                 /* it builds an image (block or template) */
	const char *site;            /* a directory bound at nginx's html root */
	yaml_node_t *site_at;
	bool npm_no_lock;            /* package.json without package-lock.json */
	bool pyproject;              /* Python without requirements.txt */
	bool env_map;                /* env has a quoted (dotted) name: map syntax */
	int lang_port;               /* language template's port: > 0 its default,
					< 0 fixed at -lang_port, 0 none */
	bool job;                    /* runs to completion: restart "no", or waited
					for with service_completed_successfully */
	/* The last service whose uses it was added to: each service's uses
	 * are made at once (depends_on, then imp_infer_uses), so it is in
	 * s->uses exactly when used_by is s, without walking them. */
	const struct imp_service *used_by;
	bool command_noted;          /* its command's hosts are in im->reach */
	struct imp_service **before; /* a job's: services that wait for it */
	size_t nbefore, before_cap;
};

struct imp {
	struct arena *a;
	const char *path;            /* the Compose file, as named */
	const char *dir;             /* its directory */
	const char *out_dir;         /* the .dep file's directory */
	yaml_document_t doc;
	struct imp_warning *warnings;
	size_t nwarnings;
	/* Names are looked up in maps, not by walking a list: a file of n
	 * services makes a few look-ups per service, and each walk of n
	 * entries made the import quadratic in the number of services. */
	struct strmap taken;         /* every .dep name taken, by its k8s name */
	struct strmap suffixes;      /* a wanted name's k8s name -> the next -N */
	struct imp_service *services;
	size_t nservices;
	struct strmap service_of;    /* Compose name -> its first service */
	struct strmap host_of;       /* Compose name, lowercased -> its first service */
	struct imp_secret *secrets;
	struct strmap secret_of;     /* Compose name -> its last declaration */
	struct strmap secret_of_value; /* value -> the secret it was moved to */
	struct imp_volume *volumes;
	struct imp_volume **volumes_tail; /* where the next volume is linked */
	struct strmap volume_of;     /* Compose name -> its first volume */
	struct imp_external *externals;
	struct imp_external **externals_tail;
	struct strmap external_of;   /* "PORT HOST" -> its external */
	const char *app;             /* the app's name */
	const char *modules[32];     /* the std modules imported */
	size_t nmodules;
	const char *stem;            /* the Compose file's name without .yaml */
	void *scratch;               /* the context of an imp_env_fn walk */
	struct imp_reach *reach;     /* how users reach each service (import_ports.c) */
	size_t nallows;              /* `allow` entries written */
};

/* Warnings (import.c).  `at` gives the position; NULL for none. */
void imp_warn(struct imp *im, const yaml_node_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "'KEY' is not imported: REASON", KEY being the text of `key`. */
void imp_dropped(struct imp *im, const yaml_node_t *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Is the name taken (its case and '_' against '-' aside)? */
bool imp_taken(const struct imp *im, const char *name);
/* A unique .dep name made from `want`, recorded as taken. */
const char *imp_claim(struct imp *im, const char *want);
struct imp_service *imp_find_service(struct imp *im, const char *compose);
/* The service named `len` bytes of `host`, its case aside (a host name
 * on the Compose network), or NULL. */
struct imp_service *imp_find_host(struct imp *im, const char *host, size_t len);
struct imp_volume *imp_find_volume(struct imp *im, const char *compose);
/* Links a new volume at the end of the list, findable by its Compose name. */
void imp_add_volume(struct imp *im, struct imp_volume *v);
struct imp_secret *imp_find_secret(struct imp *im, const char *compose);

/* import_jobs.c: the services that run to completion become jobs (a
 * `depends_on` on one becomes its `before`), and a job's declaration. */
void imp_jobs(struct imp *im);
bool imp_put_job(struct imp *im, struct imp_service *s, struct strbuf *b);
/* import.c: one field of a declaration, as the import writes it. */
void imp_put_slot(struct imp *im, struct imp_service *s, struct strbuf *b, int i);

/* One service (import_service.c): its keys sorted first, for every
 * service, since one service's import reads the others' environment. */
void imp_sort_keys(struct imp *im, struct imp_service *s);
/* Then reads `s->map` into s's slots. */
void imp_service(struct imp *im, struct imp_service *s);
/* Calls fn for each entry of the service's environment, in either of
 * Compose's forms: `- KEY=VALUE` / `- KEY`, or `KEY: VALUE` / `KEY:`;
 * value is NULL when there is none.  `at` is where the entry is. */
typedef void imp_env_fn(struct imp *im, struct imp_service *s, yaml_node_t *at,
			const char *key, const char *value);
void imp_each_env(struct imp *im, struct imp_service *s, imp_env_fn *fn);
/* An array of n elements of `size` bytes, moved to one of cap. */
void *imp_grown(struct arena *a, void *old, size_t n, size_t cap, size_t size);
/* Records that s uses t (reached at `at`), unless it does already. */
void imp_add_use(struct imp *im, struct imp_service *s, struct imp_service *t,
		 yaml_node_t *at);
/* After every service: ports that `uses` needs, from the image's name. */
void imp_check_uses(struct imp *im, struct imp_service *s);
/* After depends_on: the services it reaches through links and through
 * hosts named in its environment (import_uses.c). */
void imp_infer_uses(struct imp *im, struct imp_service *s);
/* After every service is read: the hosts outside its environment names,
 * as externals it uses; and their declarations (import_external.c). */
void imp_infer_externals(struct imp *im, struct imp_service *s);
void imp_put_externals(struct imp *im, struct strbuf *b);
/* healthcheck: and deploy: (import_deploy.c). */
void imp_healthcheck(struct imp *im, struct imp_service *s);
void imp_deploy(struct imp *im, struct imp_service *s);
/* Sets a slot unless it is set already (then the key is reported). */
bool imp_slot(struct imp *im, struct imp_service *s, enum imp_slot slot,
	      const yaml_node_t *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* build: (import_build.c). */
void imp_build(struct imp *im, struct imp_service *s);
/* A directory named in the Compose file, as the .dep file sees it (as
 * written when it is not there). */
const char *imp_context_path(struct imp *im, const char *path);

/* Well-known images and languages (import_known.c).  imp_known_image
 * runs before the environment is read, so the variables a template
 * takes as arguments are taken from it; imp_known_finish after the
 * whole file is read. */
void imp_known_image(struct imp *im, struct imp_service *s);
/* Does the template take this variable?  Then it is its argument. */
bool imp_known_variable(struct imp *im, struct imp_service *s, yaml_node_t *at,
			const char *key, const char *value, const char *secret);
void imp_known_finish(struct imp *im, struct imp_service *s);
/* The build is an nginx proxy: the template 'nginx', upstream to come. */
void imp_known_proxy(struct imp_service *s);
/* Uses the language template TMPL of std/MODULE for a build. */
void imp_use_template(struct imp *im, struct imp_service *s, const char *module,
		      const char *tmpl);
void imp_arg(struct imp *im, struct imp_service *s, const char *name, const char *value);
const char *imp_arg_value(const struct imp_service *s, const char *name);
/* The secret holding VALUE (one per distinct value), made when new. */
struct imp_secret *imp_value_secret(struct imp *im, struct imp_service *s, const char *key,
				    const char *value);

/* The language of a build (import_lang.c): when a standard library
 * template fits, the service is made from it: 1 when the Dockerfile's
 * start command stays the build's start, 2 when the template's own does
 * (a static site, a proxy); 0 when none fits.
 * `found` says whether the context exists; `images` are the Dockerfile's
 * FROM images, `start` its ENTRYPOINT and CMD. */
struct imp_dockerfile_facts {
	const char *const *images;
	size_t nimages;
	const char *const *start;
	size_t nstart;
};
int imp_language(struct imp *im, struct imp_service *s, const char *ctx, bool found,
		  const char *context, const struct imp_dockerfile_facts *df);

/* Ports (import_ports.c): every place the file states one. */
int imp_family_port(const struct imp_family *f);
void imp_decide_port(struct imp *im, struct imp_service *s);
/* As a service's import ends: the HOST:PORT its command names, read
 * once for the services that host is (their ports' best evidence). */
void imp_note_command(struct imp *im, struct imp_service *s);
/* Does the file state a port for it anywhere? */
bool imp_port_stated(struct imp *im, struct imp_service *s);
/* The policy the Compose file leaves open (import_gaps.c): health,
 * limits, pinned images, as inferred checks or `allow` reasons. */
void imp_gaps(struct imp *im, struct imp_service *s);
/* An `allow` of policy rule `code` on the service, with the reason: what
 * the import could not know and what the user must decide. */
void imp_allow(struct imp *im, struct imp_service *s, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* ${VAR} in a value: its default, or a placeholder; NULL when the value
 * holds none.  *var is the first variable's name. */
const char *imp_variables(struct imp *im, const yaml_node_t *at, const char *s,
			  const char **var);
/* `value` as the body of a composed secret string (man/dep.5, service):
 * each variable holding a credential (named like one, or a URL's
 * password) becomes ${SECRET}, read from the secret it is moved to
 * (imp_value_secret), the rest as imp_variables makes it; NULL when no
 * variable holds a credential. */
const char *imp_composed(struct imp *im, struct imp_service *s, const yaml_node_t *at,
			 const char *value);
/* Every literal occurrence of a secret value in the text, replaced. */
const char *imp_scrub(struct imp *im, const char *text);

/* YAML access (import_value.c). */
struct imp_pair {
	yaml_node_t *key, *value;
};
yaml_node_t *imp_node(struct imp *im, int index);
const char *imp_scalar(const yaml_node_t *n);
bool imp_is_null(const yaml_node_t *n);
bool imp_is_map(const yaml_node_t *n);
bool imp_is_seq(const yaml_node_t *n);
/* The pairs of a mapping with `<<` merge keys expanded; an arena array. */
size_t imp_pairs(struct imp *im, yaml_node_t *map, struct imp_pair **out);
yaml_node_t *imp_get(struct imp *im, yaml_node_t *map, const char *key,
		     yaml_node_t **key_out);
size_t imp_seq_len(const yaml_node_t *seq);
yaml_node_t *imp_seq_at(struct imp *im, const yaml_node_t *seq, size_t i);
/* The scalars of a string or a list of strings. */
size_t imp_strings(struct imp *im, yaml_node_t *n, const char ***out);

/* Values (import_value.c). */
bool imp_bool(const char *s, bool *out);
bool imp_int(const char *s, int64_t *out);
bool imp_duration(const char *s, int64_t *ms);
const char *imp_format_duration(struct arena *a, int64_t ms);
bool imp_memory(const char *s, int64_t *bytes);
const char *imp_format_size(struct arena *a, int64_t bytes);
bool imp_cpus(const char *s, int64_t *millis);
const char *imp_format_cpu(struct arena *a, int64_t millis);
/* A .dep string literal holding exactly `s`. */
const char *imp_quote(struct arena *a, const char *s);
/* ["a", "b"] */
const char *imp_list(struct arena *a, const char *const *items, size_t n);
/* A Compose value as text: `$$` is a '$'; a ${VAR} is kept as text and
 * reported, since depc does not substitute variables. */
const char *imp_text(struct imp *im, const yaml_node_t *at, const char *s);
/* Words of a command written as one string, as Compose splits it. */
size_t imp_split(struct arena *a, const char *s, const char ***out);
/* A DNS-label name (services, volumes, the app). */
const char *imp_dns_name(struct arena *a, const char *s);
/* A .dep identifier (secrets). */
const char *imp_ident(struct arena *a, const char *s);
bool imp_env_name(const char *s);
/* Does this variable hold a secret (by its name or its value)? */
bool imp_secret_like(const char *key, const char *value);

#endif
