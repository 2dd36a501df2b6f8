/* policy_text.c - the rules about what values say.
 *
 * Secrets in the source: a literal in a credential-bearing place (E0402:
 * a variable or build argument whose last word names a credential, or a
 * credential flag in a command, a build command, a probe or a CI step), a string that is a key by its form
 * (E0403: a known key format, or as random as a generated key), a
 * password in a URL (E0404).  What looks like a secret is decided in
 * secret_text.c; a name alone never decides it.  Every text of every
 * declaration is scanned (model_texts, one declaration at a time, after
 * templates and the selected overlay); the value is never echoed:
 * messages name where it is, and the terminal shows it masked.
 *
 * Network: a service's environment and command name the hosts it talks
 * to; a declared service it does not list in `uses` is a path the
 * generated network policies block (E0406), and a plain-text protocol to
 * a host outside the deployment is traffic without TLS (E0405).  Inside
 * is decided from the model (policy_inside). */
#include "policy_impl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "strmap.h"

/* Where a text is, by its path: several rules ask of every text. */
enum place {
	PLACE_ENV,        /* env */
	PLACE_BUILD_ARG,  /* build.args */
	PLACE_SECRETS,    /* secrets: a composed value */
	PLACE_COMMAND,    /* command */
	PLACE_RUN,        /* another command line: build.start, install, compile, steps, health.* */
	PLACE_OTHER,
};

static enum place place_of(const char *path)
{
	switch (path[0]) {
	case 'e':
		return !strcmp(path, "env") ? PLACE_ENV : PLACE_OTHER;
	case 's':
		return !strcmp(path, "secrets") ? PLACE_SECRETS
		       : !strcmp(path, "steps") ? PLACE_RUN : PLACE_OTHER;
	case 'c':
		return !strcmp(path, "command") ? PLACE_COMMAND : PLACE_OTHER;
	case 'h':
		return !strncmp(path, "health.", 7) ? PLACE_RUN : PLACE_OTHER;
	case 'b':
		if (!strcmp(path, "build.args"))
			return PLACE_BUILD_ARG;
		return !strcmp(path, "build.start") || !strcmp(path, "build.install") ||
		       !strcmp(path, "build.compile") ? PLACE_RUN : PLACE_OTHER;
	default:
		return PLACE_OTHER;
	}
}

/* "/run/secrets/db-password": where a secret is, not the secret. */
static bool secret_path(const char *s)
{
	size_t segments = 0;
	if (*s != '/')
		return false;
	for (; *s; s++) {
		if (*s == '/' && s[1] && s[1] != '/')
			segments++;
		else if (*s != '/' && !strchr("._-", *s) && !((*s >= 'a' && *s <= 'z') ||
			 (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	}
	return segments >= 2;
}

/* What a value is, for messages: "environment variable 'X'", "'image'". */
static const char *what_text(struct pol *pl, const struct model_text *t)
{
	if (!strcmp(t->path, "env"))
		return arena_printf(pl->a, "environment variable '%s'", t->key);
	if (!strcmp(t->path, "secrets"))
		return arena_printf(pl->a, "composed secret variable '%s'", t->key);
	if (!strcmp(t->path, "build.args"))
		return arena_printf(pl->a, "build argument '%s'", t->key);
	if (!strcmp(t->path, "command"))
		return "the command";
	return t->key ? arena_printf(pl->a, "'%s' in '%s'", t->key, t->path)
		      : arena_printf(pl->a, "'%s'", t->path);
}

static void mask(struct pol *pl, const struct model_text *t)
{
	diag_redact(pl->bag, t->inner.src, t->inner.span);
}

/* What a text is by its value alone, whatever its place. */
struct verdict {
	bool url_password;
	const char *format; /* a known key format, or NULL */
	bool random;
};

static const struct verdict *judge(struct arena *a, const char *text)
{
	struct verdict *v = arena_alloc(a, sizeof *v);
	size_t n = strlen(text);
	v->format = secret_key_format(text, n);
	v->url_password = secret_url_password(text, n);
	v->random = !v->url_password && !v->format && secret_random(text, n);
	return v;
}

/* Templates give thousands of declarations the same commands and
 * variables: each distinct text is judged once, and what it holds is
 * reported at each place it is written. */
static const struct verdict *verdict_of(struct pol *pl, struct strmap *judged,
					const char *text)
{
	const struct verdict *v = strmap_get(judged, text);
	return v ? v : strmap_add(judged, text, (void *)judge(pl->a, text));
}

static bool by_value(struct pol *pl, const struct model_decl *d, const struct model_text *t,
		     const struct verdict *v)
{
	const char *format = v->format;
	struct diag *dg;
	if (v->url_password) {
		dg = policy_breach(pl, DIAG_E0404, d, &t->at, "%s of %s has a password inside a URL",
				   what_text(pl, t), policy_subject(pl, d));
		diag_add_help(pl->bag, dg, "keep the password in the secret store and build the URL "
			      "from it in `secrets`: NAME = \"scheme://user:${SECRET}@host/...\"");
	} else if (format || v->random) {
		dg = policy_breach(pl, DIAG_E0403, d, &t->at, "%s of %s holds %s", what_text(pl, t),
				   policy_subject(pl, d), format ? format
				   : "a string that looks like a generated key or token");
		if (!format)
			diag_add_note(pl->bag, dg, "it is as random as a generated key: at least %d "
				      "letters and digits at %.1f bits or more each", SECRET_TOKEN_MIN,
				      SECRET_ENTROPY_MIN);
		diag_add_help(pl->bag, dg, "keep keys in the secret store: secret NAME { vault = "
			      "\"...\" } and secrets { VAR = NAME }");
	} else {
		return false;
	}
	mask(pl, t);
	return true;
}

/* A literal in a credential-bearing place: a variable or build argument
 * named for a credential, or a credential flag in a command. */
static bool credential_place(const struct model_text *t, enum place place,
			     const struct model_text *next)
{
	if (place == PLACE_SECRETS || place == PLACE_OTHER || !t->literal ||
	    secret_path(t->value))
		return false;
	if (place == PLACE_ENV || place == PLACE_BUILD_ARG)
		return secret_credential_name(t->key, strlen(t->key)) &&
		       !secret_placeholder(t->written, strlen(t->written));
	return secret_cli_flag(t->written, next && next->path == t->path ? next->written : NULL);
}

static void by_place(struct pol *pl, const struct model_decl *d, const struct model_text *t,
		     enum place place)
{
	bool arg = place == PLACE_BUILD_ARG;
	bool named = arg || place == PLACE_ENV;
	/* "--requirepass", "VALUE": the value is the next argument */
	if (!named && t->next && t->next->path == t->path && !secret_cli_flag(t->written, NULL))
		mask(pl, t->next);
	struct diag *dg = policy_breach(pl, DIAG_E0402, d, &t->at, named
					? "%s of %s holds a literal value"
					: "%s of %s passes a literal credential on the command line",
					what_text(pl, t), policy_subject(pl, d));
	mask(pl, t);
	diag_add_note(pl->bag, dg, "a value in the source is in version control and in "
		      "every file generated from it%s", named ? "" : "; a command line is also "
		      "visible to every process on the host");
	if (arg)
		diag_add_help(pl->bag, dg, "build arguments stay in the image's history: "
			      "pass secrets at run time, in `secrets`");
	else if (named)
		diag_add_help(pl->bag, dg, "declare a secret and map it: secret NAME { vault = "
			      "\"...\"  rotate = 720h } and secrets { %s = NAME }", t->key);
	else if (!strcmp(d->kind, "pipeline"))
		diag_add_help(pl->bag, dg, "keep it in the repository's Actions secrets and read it "
			      "from the environment in the step (\"$VAR\")");
	else
		diag_add_help(pl->bag, dg, "map a secret to a variable in `secrets` and pass "
			      "\"$VAR\" in the command instead");
}

/* The items of a list share their path: it is classified once for them. */
static enum place place_again(const char *path, const char **last, enum place *place)
{
	if (path != *last) {
		*last = path;
		*place = place_of(path);
	}
	return *place;
}

static void scan_texts(struct pol *pl, struct strmap *judged, const struct model_decl *d,
		       const struct model_text *texts)
{
	const char *path = NULL;
	enum place place = PLACE_OTHER;
	for (const struct model_text *t = texts; t; t = t->next) {
		if (by_value(pl, d, t, verdict_of(pl, judged, t->written)))
			continue;
		place_again(t->path, &path, &place);
		if (credential_place(t, place, t->next))
			by_place(pl, d, t, place);
	}
}

/* --- hosts a service talks to ---------------------------------------------- */

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
}

/* What ends the authority (USER@HOST:PORT) of a URL in a text: its path,
 * query or fragment, a blank or quote, or the ',' or ';' of a list of
 * URLs ("http://a.example,ops@b.example" is two of them).  RFC 3986 lets
 * a user name hold ',' and ';'; names that do are rare, lists are not. */
#define AUTHORITY_END "/?# \t\n\"',;"

/* The scheme of the URL whose host starts at s[i], `SCHEME://` just
 * before it (scheme_end is where the "://" starts). */
static const char *scheme_at(struct arena *a, const char *s, size_t scheme_end)
{
	size_t k = scheme_end;
	while (k > 0 && (host_char(s[k - 1]) || s[k - 1] == '+'))
		k--;
	return arena_strndup(a, s + k, scheme_end - k);
}

/* The host at s[i] follows '@': the scheme of SCHEME://USERINFO@ before
 * it, or "" when the '@' belongs to no URL (an e-mail address).  A user
 * in the URL must not hide what the URL speaks. */
static const char *scheme_before_user(struct arena *a, const char *s, size_t i)
{
	size_t j = i - 1; /* the '@' */
	while (j > 0 && !strchr(AUTHORITY_END "@", s[j - 1]))
		j--;
	return j >= 3 && !strncmp(s + j - 3, "://", 3) ? scheme_at(a, s, j - 3) : "";
}

void policy_each_host(struct arena *a, const char *s, void (*see)(void *, struct policy_host),
		      void *ctx)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t n = 0;
		while (host_char(s[i + n]))
			n++;
		if (!n) {
			i++;
			continue;
		}
		bool url = i >= 3 && !strncmp(s + i - 3, "://", 3);
		bool userinfo = i >= 1 && s[i - 1] == '@';
		bool port = s[i + n] == ':' && s[i + n + 1] >= '0' && s[i + n + 1] <= '9';
		bool user = url && strcspn(s + i, "@" AUTHORITY_END) < strcspn(s + i, AUTHORITY_END);
		if ((url || userinfo || port) && !user) {
			struct policy_host h = { arena_strndup_lower(a, s + i, n),
					  url ? scheme_at(a, s, i - 3)
					  : userinfo ? scheme_before_user(a, s, i) : "" };
			see(ctx, h);
		}
		i += n;
	}
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcasecmp(s + n - m, tail);
}

/* Loopback, private and link-local IPv4 addresses stay inside. */
static bool private_ip(const char *h)
{
	unsigned a, b;
	if (sscanf(h, "%u.%u.", &a, &b) != 2)
		return false;
	return a == 10 || a == 127 || a == 0 || (a == 172 && b >= 16 && b <= 31) ||
	       (a == 192 && b == 168) || (a == 169 && b == 254);
}

/* A label that is a top-level domain on the internet: two letters (a
 * country) or one of the common generic ones.  Any other second label
 * of a two-label name is a Kubernetes namespace (otel-collector.monitoring). */
static bool public_tld(const char *label)
{
	static const char *const generic[] = { "com", "net", "org", "io", "dev", "app", "ai",
					       "cloud", "info", "biz", "xyz", "tech", "online",
					       "site", "edu", "gov", "mil", "int", "name", "pro",
					       "services", "page" };
	if (strlen(label) == 2)
		return true;
	for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
		if (!strcasecmp(label, generic[i]))
			return true;
	return false;
}

/* The service a host names: "cache", "cache.production",
 * "cache.production.svc", "cache.production.svc.cluster.local". */
static const struct model_service *service_named(const struct model *m, const char *h)
{
	const struct model_service *s = model_find_service(m, h);
	if (s)
		return s;
	const char *dot = strchr(h, '.');
	if (!dot)
		return NULL;
	char first[256];
	snprintf(first, sizeof first, "%.*s", (int)(dot - h < 255 ? dot - h : 255), h);
	s = model_find_service(m, first);
	if (!s)
		return NULL;
	const char *rest = dot + 1, *ns = m->app.namespace;
	size_t nl = strlen(ns);
	if (!strncmp(rest, ns, nl) && (!rest[nl] || !strcmp(rest + nl, ".svc") ||
				       !strcmp(rest + nl, ".svc.cluster.local")))
		return s;
	return !strchr(rest, '.') && !public_tld(rest) ? s : NULL;
}

bool policy_public_host(const char *h)
{
	static const char *const inside[] = { ".local", ".localhost", ".internal", ".svc",
					      ".cluster.local", ".lan", ".home.arpa",
					      ".localdomain", ".consul" };
	const char *dot = strchr(h, '.');
	if (!dot || private_ip(h))
		return false;
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
		if (ends_with(h, inside[i]))
			return false;
	/* NAME.NAMESPACE: a second label that is no public top-level domain */
	return strchr(dot + 1, '.') || public_tld(dot + 1);
}

bool policy_inside(const struct model *m, const char *h)
{
	if (model_find_external(m, h))
		return false; /* declared outside, whatever its name looks like */
	return service_named(m, h) || !policy_public_host(h);
}

struct reach {
	struct pol *pl;
	const struct model_decl *d;
	const struct model_service *s;
	const struct model_text *t;
	struct reported *reported; /* targets already reported */
};

/* A list, not an array sized for every service: reports are rare, and
 * an array per service would make the pass quadratic in memory. */
struct reported {
	const struct model_service *target;
	struct reported *next;
};

static bool reported(struct reach *r, const struct model_service *t)
{
	for (const struct reported *x = r->reported; x; x = x->next)
		if (x->target == t)
			return true;
	struct reported *x = arena_alloc(r->pl->a, sizeof *x);
	x->target = t;
	x->next = r->reported;
	r->reported = x;
	return false;
}

static void undeclared(struct reach *r, const struct model_service *t)
{
	if (t == r->s || model_uses(r->s, t) || reported(r, t))
		return;
	struct diag *dg = policy_breach(r->pl, DIAG_E0406, r->d, &r->t->at,
					"%s of service '%s' connects to service '%s', which is not in "
					"its `uses`", what_text(r->pl, r->t), r->s->name, t->name);
	diag_add_help(r->pl->bag, dg, "add it: uses = [..., %s]; the generated network "
		      "policies let a service reach only what `uses` lists", t->name);
}

/* Protocols that carry no encryption, and how to ask for it. */
static const struct plain {
	const char *scheme, *what, *fix;
} plains[] = {
	{ "http", "HTTP", "use https://" },
	{ "ws", "WebSocket traffic", "use wss://" },
	{ "ftp", "FTP", "use sftp:// or ftps://" },
	{ "redis", "Redis traffic", "use rediss://" },
	{ "smtp", "SMTP", "use smtps:// (port 465)" },
	{ "ldap", "LDAP", "use ldaps://" },
	{ "amqp", "AMQP", "use amqps://" },
	{ "mqtt", "MQTT", "use mqtts://" },
	{ "telnet", "telnet", "use ssh" },
	{ "nats", "NATS traffic", "use tls://" },
};

/* postgres://...?sslmode=disable and the like switch TLS off by a parameter. */
static const char *tls_off(const char *scheme, const char *value)
{
	static const char *const off[] = { "sslmode=disable", "sslmode=allow", "ssl=false",
					   "tls=false", "ssl-mode=disabled", "usessl=false",
					   "sslmode=prefer" };
	if (strncasecmp(scheme, "postgres", 8) && strncasecmp(scheme, "mysql", 5) &&
	    strncasecmp(scheme, "mongodb", 7) && strncasecmp(scheme, "mariadb", 7))
		return NULL;
	for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
		const char *p = value;
		for (size_t n = strlen(off[i]); *p; p++)
			if (!strncasecmp(p, off[i], n))
				return off[i];
	}
	return NULL;
}

static void plain_text_out(struct reach *r, struct policy_host h)
{
	if (!*h.scheme || policy_inside(r->pl->m, h.name))
		return;
	const char *what = NULL, *fix = NULL;
	for (size_t i = 0; i < sizeof plains / sizeof plains[0]; i++)
		if (!strcasecmp(h.scheme, plains[i].scheme)) {
			what = plains[i].what;
			fix = arena_printf(r->pl->a, "%s: traffic that leaves the deployment is "
					   "encrypted", plains[i].fix);
		}
	const char *off = what ? NULL : tls_off(h.scheme, r->t->value);
	if (off) {
		what = arena_printf(r->pl->a, "%s traffic (%s)", h.scheme, off);
		fix = "use sslmode=verify-full (or the driver's equivalent): the connection is "
		      "encrypted and the server's certificate checked";
	}
	if (!what)
		return;
	struct diag *dg = policy_breach(r->pl, DIAG_E0405, r->d, &r->t->at,
					"%s of service '%s' sends plain %s to '%s', outside "
					"the deployment", what_text(r->pl, r->t), r->s->name,
					what, h.name);
	diag_add_help(r->pl->bag, dg, "%s", fix);
}

static void see_host(void *ctx, struct policy_host h)
{
	struct reach *r = ctx;
	const struct model_service *t = service_named(r->pl->m, h.name);
	if (t)
		undeclared(r, t);
	else
		plain_text_out(r, h);
}

/* DB_HOST, REDISHOST, API_URL, BROKER_ADDR: a variable named for an
 * address, whose value may be just a host name. */
bool policy_address_name(const char *key)
{
#define TAIL(text) { text, sizeof text - 1 }
	static const struct {
		const char *text;
		size_t len;
	} tails[] = { TAIL("HOST"), TAIL("HOSTNAME"), TAIL("ADDR"), TAIL("ADDRESS"), TAIL("SERVER"),
		      TAIL("URL"), TAIL("URI"), TAIL("ENDPOINT"), TAIL("DSN"), TAIL("HOSTS") };
	size_t n = key ? strlen(key) : 0;
	for (size_t i = 0; n && i < sizeof tails / sizeof tails[0]; i++) {
		size_t m = tails[i].len;
		/* the last letters first: most names end in none of them */
		if (n >= m && (key[n - 1] & ~0x20) == tails[i].text[m - 1] &&
		    !strcasecmp(key + n - m, tails[i].text))
			return true;
	}
	return false;
}

static void reach_text(struct reach *r, const struct model_text *t)
{
	r->t = t;
	const struct model_service *target = t->key && policy_address_name(t->key)
					     ? service_named(r->pl->m, t->value) : NULL;
	if (target)
		undeclared(r, target);
	else
		policy_each_host(r->pl->a, t->value, see_host, r);
}

static void check_reach(struct pol *pl, const struct model_decl *d,
			const struct model_text *texts)
{
	struct reach r = { pl, d, d->object, NULL, NULL };
	const char *path = NULL;
	enum place place = PLACE_OTHER;
	for (const struct model_text *t = texts; t; t = t->next) {
		place_again(t->path, &path, &place);
		if (place == PLACE_ENV || place == PLACE_COMMAND ||
		    place == PLACE_SECRETS) /* a composed value: a URL with a password */
			reach_text(&r, t);
	}
}

void policy_check_text(struct pol *pl)
{
	struct strmap judged;
	strmap_init(&judged, pl->a);
	for (const struct model_decl *d = pl->m->decls; d; d = d->next) {
		const struct model_text *texts = model_texts(d, &pl->texts);
		scan_texts(pl, &judged, d, texts);
		if (!strcmp(d->kind, "service") || !strcmp(d->kind, "job"))
			check_reach(pl, d, texts);
	}
}
