/* schema.h - every kind of block, every field, its type, default and doc.
 *
 * One table feeds the checker (types, required fields, ranges), the
 * language server (hover, completion) and the manual (`depc schema`), so
 * the three cannot disagree.  A kind is either a top-level declaration
 * (service, secret, ...) or a block nested in one (health, resources). */
#ifndef DEPC_SCHEMA_H
#define DEPC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

enum type_kind {
	TY_NONE,
	TY_STRING,   /* any text */
	TY_INT,      /* integer */
	TY_NUMBER,   /* integer or decimal */
	TY_BOOL,
	TY_DURATION, /* 30s, 5m, 1h: kept in milliseconds */
	TY_SIZE,     /* 256Mi, 1Gi: kept in bytes */
	TY_CPU,      /* 100m or 0.5: kept in millicores */
	TY_PERCENT,  /* 70%: kept as a number */
	TY_PORT,     /* 1..65535 */
	TY_CIDR,     /* 10.0.0.0/16 */
	TY_HOST,     /* a DNS name */
	TY_IMAGE,    /* an image reference: [registry/]name[:tag][@digest] */
	TY_PATH,     /* a relative or absolute path */
	TY_NAME,     /* a DNS-label style name (a-z, 0-9, '-') */
	TY_ENUM,     /* one of the words in `arg`, separated by '|' */
	TY_REF,      /* a reference to a declaration of kind `arg` */
	TY_LIST,     /* list of `elem` */
	TY_MAP,      /* NAME = `elem` entries, written as a block or a map */
	TY_RANGE,    /* `elem`, or `elem..elem` (request..limit) */
	TY_CALL,     /* a constructor from the family `arg` (probe, deploy) */
	TY_BLOCK,    /* a nested block of kind `arg` */
	TY_COUNT
};

enum field_flags {
	F_REQUIRED = 1 << 0, /* must be set */
	F_MULTI = 1 << 1,    /* a block that may repeat (with labels) */
};

struct field {
	const char *name;
	enum type_kind type;
	enum type_kind elem;  /* element type of lists, maps and ranges */
	const char *arg;      /* enum words, ref kind, block kind, call family */
	unsigned flags;
	const char *def;      /* default as the user would write it, or NULL */
	const char *doc;      /* one line */
};

enum label_rule {
	LABEL_NONE,     /* pipeline { } */
	LABEL_NAME,     /* service web { } */
	LABEL_TITLE,    /* dashboard "Web Metrics" { } */
	LABEL_OPTIONAL, /* cloud aws { } or cloud { } */
};

struct kind {
	const char *name;
	bool top_level;         /* may appear at the top of a file */
	bool unique;            /* at most one per deployment */
	enum label_rule label;
	const struct field *fields;
	size_t field_count;
	const char *doc;
};

/* A constructor such as http("/health") or ecs(cluster = "x"). */
struct ctor {
	const char *family;     /* "probe", "deploy" */
	const char *name;       /* "http" */
	const struct field *params; /* in positional order */
	size_t param_count;
	size_t min_positional;  /* params that must be given */
	bool variadic;          /* exec("a", "b", ...) */
	const char *doc;
};

const struct kind *schema_kind(const char *name);
const struct kind *schema_top_kind(const char *name);
const struct field *schema_field(const struct kind *k, const char *name);
/* Index of a field in its kind's table, for typed access by the model. */
size_t schema_field_index(const struct kind *k, const struct field *f);
const struct ctor *schema_ctor(const char *family, const char *name);
/* For a TY_ENUM field whose value may also name a declaration, that
 * kind (pipeline.publish: "registry", so publish = ghcr or publish =
 * acme for `registry acme`); the words win over a declaration of the
 * same name.  NULL for every other field. */
const char *schema_or_ref(const struct field *f);

/* Iteration for completion, suggestions and the manual. */
size_t schema_kind_count(void);
const struct kind *schema_kind_at(size_t i);
size_t schema_ctor_count(void);
const struct ctor *schema_ctor_at(size_t i);

/* "duration", "list of service references", ... for messages. */
const char *schema_type_name(enum type_kind t);
/* Full description of a field's type into buf, e.g. "range of cpu". */
const char *schema_describe(const struct field *f, char *buf, size_t size);
/* Is `word` one of the enum's words ("a|b|c")? */
bool schema_enum_has(const char *words, const char *word);

/* Writes the reference of every kind, field and constructor as troff
 * for man/dep.5's generated companion page. */
void schema_write_manual(void *file);

#endif
