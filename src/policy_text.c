/* policy_text.c - the rules about what values say.
 *
 * Secrets in the source: a literal under a name that looks like a secret
 * (E0402), a string as random as a generated key (E0403), a password in
 * a URL (E0404).  Every string value of every declaration is scanned,
 * after templates and the selected overlay; the value is never echoed:
 * messages name where it is, and the terminal shows it masked.
 *
 * Network: a service's environment and command name the hosts it talks
 * to; a declared service it does not list in `uses` is a path the
 * generated network policies block (E0406), and plain HTTP to a host
 * outside the deployment is traffic without TLS (E0405).
 *
 * Secret flow: a secret reaches a container only as a secret variable or
 * file.  The checker rejects every other use (E0215) and the model has no
 * field for a value, so this walk of every plain-text sink can find
 * nothing in a program that checked clean; it is here so the rule is
 * stated where the others are, and names the path if it ever fires. */
#include "policy_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* --- what looks like a secret --------------------------------------------- */

/* `word` is upper case; the first letter is matched before the library
 * call, since this runs for every name in the program. */
static bool contains_nocase(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; *s; s++)
		if ((*s & ~0x20) == word[0] && !strncasecmp(s, word, n))
			return true;
	return false;
}

/* Variable names that hold credentials; _FILE, _PATH and _DIR names
 * hold where one is, which is no secret. */
static bool secret_name(const char *key)
{
	static const char *const words[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN",
					     "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL" };
	static const char *const locations[] = { "_FILE", "_PATH", "_DIR" };
	size_t n = strlen(key);
	for (size_t i = 0; i < sizeof locations / sizeof locations[0]; i++) {
		size_t m = strlen(locations[i]);
		if (n > m && !strcasecmp(key + n - m, locations[i]))
			return false;
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (contains_nocase(key, words[i]))
			return true;
	return false;
}

/* "/run/secrets/db-password": where a secret is, as the _FILE names
 * hold it, not the secret. */
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

/* Literal text as written: a quoted string with text in it, not a bare
 * number or boolean (a setting such as TOKEN_TTL = 3600), not a string
 * made only of references, and not a path to a secret file. */
static bool literal(const struct ast_node *n, const char *value)
{
	if (!n || n->kind != AST_STRING || secret_path(value))
		return false;
	for (const struct ast_node *p = n->u.string.parts; p; p = p->next)
		if (p->kind == AST_TEXT && p->u.text.len > 0)
			return true;
	return false;
}

static bool token_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

static int char_class(char c)
{
	return c >= 'a' && c <= 'z' ? 0 : c >= 'A' && c <= 'Z' ? 1 : c >= '0' && c <= '9' ? 2 : 3;
}

/* Shannon entropy in bits per character. */
static double entropy(const char *s, size_t n)
{
	size_t count[256] = { 0 };
	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (size_t i = 0; i < 256; i++)
		if (count[i])
			h -= (double)count[i] / (double)n * log2((double)count[i] / (double)n);
	return h;
}

/* A generated key is long, mixes cases and digits throughout, and is
 * close to uniformly random.  Identifiers (CamelCaseName2) have long
 * runs of one class, and hex of one case is a digest or a commit, which
 * deployments name openly. */
static bool random_token(const char *s, size_t n)
{
	if (n < POLICY_TOKEN_MIN)
		return false;
	int seen = 0;
	size_t switches = 0;
	bool hex = true;
	for (size_t i = 0; i < n; i++) {
		seen |= 1 << char_class(s[i]);
		switches += i && char_class(s[i]) != char_class(s[i - 1]);
		hex &= (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
	}
	if (hex || (seen & 7) == 1 || (seen & 7) == 2 || (seen & 7) == 4)
		return false;
	return entropy(s, n) >= POLICY_ENTROPY_MIN &&
	       (double)switches / (double)(n - 1) >= POLICY_SWITCH_MIN;
}

static bool has_random_token(const char *s)
{
	while (*s) {
		size_t n = 0;
		while (token_char(s[n]))
			n++;
		if (random_token(s, n))
			return true;
		s += n ? n : 1;
	}
	return false;
}

/* "...", "***", "<password>", "${DB_PASSWORD}", "$PASS": a placeholder
 * written in documentation, not a password. */
static bool placeholder(const char *s, size_t n)
{
	if (n && (*s == '$' || *s == '<' || *s == '{' || *s == '%'))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!strchr(".*xX", s[i]))
			return false;
	return true;
}

/* scheme://user:password@host with a real password. */
static bool url_password(const char *s)
{
	for (const char *p = strstr(s, "://"); p; p = strstr(p + 3, "://")) {
		const char *auth = p + 3;
		size_t len = strcspn(auth, "/?# \t\n\"'");
		const char *at = NULL;
		for (size_t i = 0; i < len; i++)
			if (auth[i] == '@')
				at = auth + i;
		const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon && !placeholder(colon + 1, (size_t)(at - colon - 1)))
			return true;
	}
	return false;
}

/* --- the scan over every value ------------------------------------------- */

/* The inside of a string literal, so quotes stay visible around the mask. */
static struct span inside_quotes(const struct ast_node *n)
{
	struct span sp = n->span;
	size_t q = n->kind == AST_STRING ? (n->u.string.multiline ? 3 : 1) : 0;
	if (sp.end - sp.start >= 2 * q) {
		sp.start += (uint32_t)q;
		sp.end -= (uint32_t)q;
	}
	return sp;
}

/* The text as written: interpolations become "${}", since what they
 * stand for is written, and scanned, where it is declared. */
static const char *written(struct pol *pl, const struct tval *v)
{
	if (v->node->kind != AST_STRING)
		return v->u.s;
	const struct ast_node *first = v->node->u.string.parts;
	if (!first || (!first->next && first->kind == AST_TEXT &&
		       strlen(v->u.s) == first->u.text.len))
		return v->u.s;  /* no interpolation: as written is as checked */
	struct strbuf b;
	strbuf_init(&b);
	for (const struct ast_node *p = v->node->u.string.parts; p; p = p->next)
		if (p->kind == AST_TEXT)
			strbuf_put(&b, p->u.text.text, p->u.text.len);
		else
			strbuf_puts(&b, "${}");
	const char *text = arena_strdup(pl->p->arena, b.data ? b.data : "");
	strbuf_free(&b);
	return text;
}

/* What a value is, named only when a rule reports it: "'image'",
 * "environment variable 'X'".  Formatting it for every value scanned
 * cost more than the scan. */
struct what {
	const char *role;  /* "environment variable", or NULL for a field */
	const char *name;  /* or NULL when the role says it all */
};

static const char *what_text(struct pol *pl, struct what w)
{
	if (!w.name)
		return w.role;
	return w.role ? arena_printf(pl->p->arena, "%s '%s'", w.role, w.name)
		      : arena_printf(pl->p->arena, "'%s'", w.name);
}

static void secret_in_text(struct pol *pl, const struct decl *d, struct what w,
			   const struct tval *v)
{
	struct diag *dg;
	const char *text = written(pl, v);
	if (url_password(text)) {
		dg = policy_breach(pl, DIAG_E0404, d, v->node, "%s of %s has a password inside a URL",
				   what_text(pl, w), policy_subject(pl, d));
		diag_add_help(pl->p->diags, dg, "keep the whole URL in the secret store and pass it "
			      "in `secrets`, as DATABASE_URL is in examples/webapp.dep");
	} else if (has_random_token(text)) {
		dg = policy_breach(pl, DIAG_E0403, d, v->node, "%s of %s holds a string that looks "
				   "like a key or token", what_text(pl, w), policy_subject(pl, d));
		diag_add_note(pl->p->diags, dg, "it is as random as a generated key: at least %d "
			      "letters and digits at %.1f bits or more each", POLICY_TOKEN_MIN,
			      POLICY_ENTROPY_MIN);
		diag_add_help(pl->p->diags, dg, "keep keys in the secret store: secret NAME { vault = "
			      "\"...\" } and secrets { VAR = NAME }");
	} else {
		return;
	}
	diag_redact(pl->p->diags, v->node->src, inside_quotes(v->node));
}

static void secret_under_name(struct pol *pl, const struct decl *d, const char *field,
			      const struct tval *v)
{
	bool arg = !strcmp(field, "args");
	struct what w = { arg ? "build argument" : "environment variable", v->key };
	if (!secret_name(v->key) || !literal(v->node, v->u.s)) {
		secret_in_text(pl, d, w, v);
		return;
	}
	struct diag *dg = policy_breach(pl, DIAG_E0402, d, v->node, "%s of %s holds a literal value",
					what_text(pl, w), policy_subject(pl, d));
	diag_redact(pl->p->diags, v->node->src, inside_quotes(v->node));
	diag_add_note(pl->p->diags, dg, "a value in the source is in version control and in "
		      "every file generated from it");
	if (arg)
		diag_add_help(pl->p->diags, dg, "build arguments stay in the image's history: "
			      "pass secrets at run time, in `secrets`");
	else
		diag_add_help(pl->p->diags, dg, "declare a secret and map it: secret NAME { vault = "
			      "\"...\"  rotate = 720h } and secrets { %s = NAME }", v->key);
}

static void scan_block(struct pol *pl, const struct decl *d, const struct tblock *b);

static bool textual(enum type_kind t)
{
	return t == TY_STRING || t == TY_PATH;
}

/* exec("a", "b") keeps its arguments as a chain on the first one. */
static void scan_call(struct pol *pl, const struct decl *d, struct what w,
		      const struct tval *v)
{
	const struct ctor *c = v->u.call.ctor;
	for (size_t i = 0; i < c->param_count; i++) {
		const struct tval *a = v->u.call.args[i];
		for (; a && textual(c->params[i].type); a = c->variadic ? a->next : NULL)
			if (a->node)
				secret_in_text(pl, d, w, a);
	}
}

static void scan_item(struct pol *pl, const struct decl *d, const struct field *f,
		      const struct tval *v)
{
	struct what w = { NULL, f->name };
	if (v->type == TY_BLOCK)
		scan_block(pl, d, v->u.block);
	else if (v->type == TY_CALL)
		scan_call(pl, d, w, v);
	else if (textual(v->type) && v->node)
		secret_in_text(pl, d, w, v);
}

static void scan_field(struct pol *pl, const struct decl *d, const struct field *f,
		       const struct tval *v)
{
	if (!strcmp(f->name, "allow"))
		return; /* reasons are prose */
	if (v->type == TY_MAP) {
		for (const struct tval *e = v->u.items; e; e = e->next)
			if (textual(e->type) && e->node)
				secret_under_name(pl, d, f->name, e);
	} else if (v->type == TY_LIST) {
		for (const struct tval *e = v->u.items; e; e = e->next)
			scan_item(pl, d, f, e);
	} else {
		scan_item(pl, d, f, v);
	}
}

static void scan_block(struct pol *pl, const struct decl *d, const struct tblock *b)
{
	for (size_t i = 0; i < b->kind->field_count; i++)
		if (b->fields[i])
			scan_field(pl, d, &b->kind->fields[i], b->fields[i]);
}

/* --- hosts a service talks to ---------------------------------------------- */

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-';
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
		bool user = url && strcspn(s + i, "@/?# \t\n\"'") < strcspn(s + i, "/?# \t\n\"'");
		if ((url || userinfo || port) && !user) {
			size_t k = i >= 3 && url ? i - 3 : i;
			while (k > 0 && url && (host_char(s[k - 1]) || s[k - 1] == '+'))
				k--;
			struct policy_host h = { arena_strndup(a, s + i, n),
					  url ? arena_strndup(a, s + k, i - 3 - k) : "" };
			for (char *c = (char *)h.name; *c; c++)
				*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
			see(ctx, h);
		}
		i += n;
	}
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
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

/* A single-label name (db, alertmanager) is inside the deployment's
 * network, as are cluster and private names; a dotted name elsewhere is
 * on the internet. */
static bool outside(const char *h)
{
	static const char *const inside[] = { ".local", ".localhost", ".internal", ".svc",
					      ".cluster.local", ".lan", ".home.arpa",
					      ".localdomain" };
	if (!strchr(h, '.') || private_ip(h))
		return false;
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
		if (ends_with(h, inside[i]))
			return false;
	return true;
}

struct reach {
	struct pol *pl;
	const struct decl *d;
	const struct model_service *s;
	struct what what;
	const struct tval *v;
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
	struct reported *x = arena_alloc(r->pl->p->arena, sizeof *x);
	x->target = t;
	x->next = r->reported;
	r->reported = x;
	return false;
}

static void undeclared(struct reach *r, const struct model_service *t)
{
	if (t == r->s || model_uses(r->s, t) || reported(r, t))
		return;
	struct diag *dg = policy_breach(r->pl, DIAG_E0406, r->d, r->v->node,
					"%s of service '%s' connects to service '%s', which is not in "
					"its `uses`", what_text(r->pl, r->what), r->s->name, t->name);
	diag_add_help(r->pl->p->diags, dg, "add it: uses = [..., %s]; the generated network "
		      "policies let a service reach only what `uses` lists", t->name);
}

static void plain_text_out(struct reach *r, struct policy_host h)
{
	static const char *const plain[] = { "http", "ws", "ftp" };
	static const char *const names[] = { "HTTP", "WebSocket traffic", "FTP" };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		if (strcasecmp(h.scheme, plain[i]) || !outside(h.name))
			continue;
		struct diag *dg = policy_breach(r->pl, DIAG_E0405, r->d, r->v->node,
						"%s of service '%s' sends plain %s to '%s', outside "
						"the deployment", what_text(r->pl, r->what), r->s->name,
						names[i], h.name);
		diag_add_help(r->pl->p->diags, dg, "use %ss://: traffic that leaves the deployment "
			      "is encrypted", plain[i]);
	}
}

static void see_host(void *ctx, struct policy_host h)
{
	struct reach *r = ctx;
	const struct model_service *t = model_find_service(r->pl->m, h.name);
	if (t)
		undeclared(r, t);
	else
		plain_text_out(r, h);
}

/* Did E0402, E0403 or E0404 take this value for a secret?  Then no other
 * rule points at it, since only those mask it. */
static bool secretish(struct pol *pl, const char *key, const struct tval *v)
{
	const char *text = written(pl, v);
	return url_password(text) || has_random_token(text) ||
	       (key && secret_name(key) && literal(v->node, v->u.s));
}

bool policy_address_name(const char *key)
{
	static const char *const tails[] = { "_HOST", "_HOSTNAME", "_ADDR", "_ADDRESS",
					     "_SERVER", "_URL", "_URI", "_ENDPOINT" };
	for (size_t i = 0; key && i < sizeof tails / sizeof tails[0]; i++)
		if (ends_with(key, tails[i]) || !strcmp(key, tails[i] + 1))
			return true;
	return false;
}

static void reach_value(struct reach *r, struct what what, const char *key,
			const struct tval *v)
{
	if (!v->node || secretish(r->pl, key, v))
		return;
	r->what = what;
	r->v = v;
	const struct model_service *t = policy_address_name(key) ? model_find_service(r->pl->m, v->u.s)
							   : NULL;
	if (t)
		undeclared(r, t);
	else
		policy_each_host(r->pl->p->arena, v->u.s, see_host, r);
}

static void check_reach(struct pol *pl, const struct decl *d, const struct model_service *s)
{
	struct reach r = { pl, d, s, { NULL, NULL }, NULL, NULL };
	const struct tval *env = tblock_get(d->typed, "env");
	for (const struct tval *e = env ? env->u.items : NULL; e; e = e->next)
		reach_value(&r, (struct what){ "environment variable", e->key }, e->key, e);
	const struct tval *cmd = tblock_get(d->typed, "command");
	for (const struct tval *e = cmd ? cmd->u.items : NULL; e; e = e->next)
		reach_value(&r, (struct what){ "the command", NULL }, NULL, e);
}

/* --- secret flow ------------------------------------------------------------- */

#define MAX_FLOW_DEPTH 16

/* The secret `n` leads to through references, with the way there in
 * `path`, or NULL. */
static const struct decl *secret_behind(struct pol *pl, const struct ast_node *n,
					struct strbuf *path, int depth)
{
	if (!n || depth > MAX_FLOW_DEPTH)
		return NULL;
	if (n->kind == AST_STRING || n->kind == AST_LIST) {
		const struct ast_node *p = n->kind == AST_STRING ? n->u.string.parts : n->u.list.items;
		for (; p; p = p->next) {
			const struct decl *s = secret_behind(pl, p, path, depth);
			if (s)
				return s;
		}
		return NULL;
	}
	if (n->kind != AST_IDENT && n->kind != AST_MEMBER)
		return NULL;
	const struct ast_node *obj = n->kind == AST_MEMBER ? n->u.member.object : n;
	if (obj->kind != AST_IDENT)
		return NULL;
	struct decl *d = program_find(pl->p, obj->u.ident.name);
	if (!d)
		return NULL;
	strbuf_printf(path, " -> %s%s%s", d->name, n->kind == AST_MEMBER ? "." : "",
		      n->kind == AST_MEMBER ? n->u.member.name : "");
	if (!strcmp(d->kind->name, "secret"))
		return d;
	if (n->kind != AST_MEMBER)
		return NULL;
	const struct ast_node *found = NULL;
	for (const struct ast_node *e = d->body; e; e = e->next)
		if (e->kind == AST_ATTR && !strcmp(e->u.attr.name, n->u.member.name))
			found = e->u.attr.value;
	return secret_behind(pl, found, path, depth + 1);
}

static void sink(struct pol *pl, const struct decl *d, const char *what, const struct tval *v)
{
	for (; v; v = v->next) {
		struct strbuf path;
		strbuf_init(&path);
		const struct decl *s = v->node ? secret_behind(pl, v->node, &path, 0) : NULL;
		if (s) {
			struct diag *dg = policy_breach(pl, DIAG_E0215, d, v->node,
							"secret '%s' reaches %s of %s as text (%s%s)",
							s->name, what, policy_subject(pl, d), what,
							path.data);
			diag_add_help(pl->p->diags, dg, "pass it in `secrets` instead");
		}
		strbuf_free(&path);
	}
}

static const struct tval *items(const struct tval *v)
{
	return v ? (v->type == TY_LIST || v->type == TY_MAP ? v->u.items : v) : NULL;
}

/* Every place a value becomes plain text in a generated file. */
static void check_flow(struct pol *pl, const struct decl *d)
{
	static const char *const service_sinks[] = { "env", "command" };
	static const char *const build_sinks[] = { "args", "install", "compile", "start" };
	if (!strcmp(d->kind->name, "pipeline"))
		sink(pl, d, "'steps'", items(tblock_get(d->typed, "steps")));
	if (strcmp(d->kind->name, "service"))
		return;
	for (size_t i = 0; i < 2; i++)
		sink(pl, d, arena_printf(pl->p->arena, "'%s'", service_sinks[i]),
		     items(tblock_get(d->typed, service_sinks[i])));
	const struct tval *build = tblock_get(d->typed, "build");
	for (size_t i = 0; build && i < 4; i++)
		sink(pl, d, arena_printf(pl->p->arena, "'build.%s'", build_sinks[i]),
		     items(tblock_get(build->u.block, build_sinks[i])));
}

/* The report names each secret's way into a container. */
static void note_secret_sinks(struct pol *pl)
{
	for (size_t i = 0; i < pl->m->service_count; i++) {
		const struct model_service *s = pl->m->services[i];
		for (const struct model_secret_ref *r = s->secrets; r; r = r->next)
			policy_note(pl, DIAG_E0215, "secret '%s' reaches service '%s' as the secret "
				    "variable %s", r->secret->name, s->name, r->env);
	}
}

void policy_check_text(struct pol *pl)
{
	for (struct decl *d = pl->p->decls; d; d = d->next) {
		scan_block(pl, d, d->typed);
		check_flow(pl, d);
		if (!strcmp(d->kind->name, "service"))
			check_reach(pl, d, d->model);
	}
	note_secret_sinks(pl);
}
