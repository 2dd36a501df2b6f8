/* lower_facts.c - what the policy needs to know of each declaration.
 *
 * The policy pass reads the model only.  Besides the typed facts the
 * backends read, it must point at the value that breaks a rule and scan
 * every text written in the source; this file records both, from the
 * typed declarations, into struct model_decl: the place of every field
 * set in the source, and every text value with its place.  Runs in
 * lower_program() on a program without errors. */
#include "model.h"

#include <string.h>

#include "policy.h"
#include "typed.h"

struct facts {
	struct program *p;
	struct model_decl *d;
	struct model_where **where_tail;
	struct model_text **text_tail;
	struct strmap *paths; /* field paths made so far, shared by every declaration */
};

/* `a` and `b` joined, made once per text: every service has its
 * "health.path" and "ingress.host", and a path joined per field and
 * declaration was a tenth of what lowering kept. */
static const char *join(struct facts *f, const char *a, const char *b)
{
	char buf[256];
	size_t la = strlen(a), lb = strlen(b);
	if (la + lb >= sizeof buf)
		return arena_cat(f->p->arena, a, b, (char *)NULL);
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb + 1);
	const char *kept = strmap_get(f->paths, buf);
	if (kept)
		return kept;
	char *path = arena_strndup(f->p->arena, buf, la + lb);
	strmap_add(f->paths, path, path);
	return path;
}

static struct model_origin origin(const struct ast_node *n)
{
	struct model_origin o = { NULL, { 0, 0 } };
	if (n) {
		o.src = n->src;
		o.span = n->span;
	}
	return o;
}

static void add_where(struct facts *f, const char *path, const struct ast_node *n)
{
	struct model_where *w = arena_alloc(f->p->arena, sizeof *w);
	w->path = path;
	w->at = origin(n);
	*f->where_tail = w;
	f->where_tail = &w->next;
}

/* The inside of a string literal, so quotes stay visible around a mask. */
static struct span inside_quotes(const struct ast_node *n)
{
	struct span sp = n->span;
	size_t q = n->u.string.multiline ? 3 : 1;
	if (sp.end - sp.start >= 2 * q) {
		sp.start += (uint32_t)q;
		sp.end -= (uint32_t)q;
	}
	return sp;
}

/* The text as written: interpolations become "${}". */
static const char *written(struct facts *f, const struct tval *v)
{
	if (v->node->kind != AST_STRING)
		return v->u.s;
	const struct ast_node *first = v->node->u.string.parts;
	if (!first || (!first->next && first->kind == AST_TEXT &&
		       strlen(v->u.s) == first->u.text.len))
		return v->u.s;
	struct strbuf b;
	strbuf_init(&b);
	for (const struct ast_node *p = first; p; p = p->next)
		if (p->kind == AST_TEXT)
			strbuf_put(&b, p->u.text.text, p->u.text.len);
		else
			strbuf_puts(&b, "${}");
	const char *text = arena_strdup(f->p->arena, b.data ? b.data : "");
	strbuf_free(&b);
	return text;
}

/* A quoted string with text of its own, not one made only of references. */
static bool literal(const struct ast_node *n)
{
	if (n->kind != AST_STRING)
		return false;
	for (const struct ast_node *p = n->u.string.parts; p; p = p->next)
		if (p->kind == AST_TEXT && p->u.text.len > 0)
			return true;
	return false;
}

static void add_text(struct facts *f, const char *path, const struct tval *v)
{
	if (!v->node)
		return;
	struct model_text *t = arena_alloc(f->p->arena, sizeof *t);
	t->path = path;
	t->key = v->key;
	t->value = v->u.s;
	t->written = written(f, v);
	t->literal = literal(v->node);
	t->quoted = v->node->kind == AST_STRING;
	t->at = origin(v->node);
	t->inner = t->at;
	if (t->quoted)
		t->inner.span = inside_quotes(v->node);
	*f->text_tail = t;
	f->text_tail = &t->next;
}

static bool textual(enum type_kind t)
{
	return t == TY_STRING || t == TY_PATH || t == TY_IMAGE || t == TY_HOST;
}

static void walk_block(struct facts *f, const char *prefix, const struct tblock *b);

/* exec("a", "b") keeps its arguments as a chain on the first one. */
static void walk_call(struct facts *f, const char *path, const struct tval *v)
{
	const struct ctor *c = v->u.call.ctor;
	for (size_t i = 0; i < c->param_count; i++) {
		const struct tval *a = v->u.call.args[i];
		for (; a && textual(c->params[i].type); a = c->variadic ? a->next : NULL)
			add_text(f, path, a);
	}
}

/* A composed secret value (check_composed.c) is text like any other for
 * the policy: its literal text and references, each secret as ${NAME}. */
static void add_composed(struct facts *f, const char *path, const struct tval *v)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct tval *q = v->u.items; q; q = q->next)
		if (q->type == TY_REF)
			strbuf_printf(&b, "${%s}", q->u.ref->name);
		else
			strbuf_puts(&b, q->u.s);
	struct tval text = { .type = TY_STRING, .node = v->node, .key = v->key };
	text.u.s = strbuf_finish(&b, f->p->arena);
	add_text(f, path, &text);
}

static void walk_value(struct facts *f, const char *path, const struct tval *v)
{
	if (v->type == TY_LIST && v->node && v->node->kind == AST_STRING)
		add_composed(f, path, v);
	else if (v->type == TY_BLOCK)
		walk_block(f, join(f, path, "."), v->u.block);
	else if (v->type == TY_CALL)
		walk_call(f, path, v);
	else if (textual(v->type))
		add_text(f, path, v);
}

static void walk_field(struct facts *f, const char *path, const struct tval *v)
{
	if (v->node)
		add_where(f, path, v->node);
	if (v->type == TY_MAP || v->type == TY_LIST) {
		for (const struct tval *e = v->u.items; e; e = e->next)
			walk_value(f, path, e);
	} else {
		walk_value(f, path, v);
	}
}

/* "allow.E0407": where each exception's reason is written. */
static void walk_allow(struct facts *f, const struct tval *map)
{
	for (const struct tval *v = map->u.items; v; v = v->next) {
		const struct policy_rule *r = policy_rule_allowable(v->key);
		add_where(f, join(f, "allow.", r ? r->id : v->key), v->node);
	}
}

/* The paths of a nested block's fields ("health." + each field's name),
 * made at the first block of that kind under that prefix and kept, so
 * the next service's block joins nothing.  The prefix key is itself a
 * joined path, hence unique per text. */
struct field_paths {
	const struct kind *kind;
	const char **paths; /* by field index; NULL until first needed */
};

static const char **field_paths(struct facts *f, const char *prefix, const struct kind *k)
{
	char key[256];
	size_t n = strlen(prefix);
	if (n + 2 > sizeof key)
		return NULL;
	key[0] = '\x01'; /* apart from the field paths in the same map */
	memcpy(key + 1, prefix, n + 1);
	struct field_paths *fp = strmap_get(f->paths, key);
	if (!fp) {
		fp = arena_alloc(f->p->arena, sizeof *fp);
		fp->kind = k;
		fp->paths = arena_calloc(f->p->arena, k->field_count + 1, sizeof *fp->paths);
		strmap_add(f->paths, arena_strndup(f->p->arena, key, n + 1), fp);
	}
	return fp->kind == k ? fp->paths : NULL;
}

static const char *field_path(struct facts *f, const char *prefix, const char **paths,
			      const struct field *fd, size_t i)
{
	if (!*prefix)
		return fd->name;
	if (!paths)
		return join(f, prefix, fd->name);
	if (!paths[i])
		paths[i] = join(f, prefix, fd->name);
	return paths[i];
}

static void walk_block(struct facts *f, const char *prefix, const struct tblock *b)
{
	const char **paths = *prefix ? field_paths(f, prefix, b->kind) : NULL;
	for (size_t i = 0; i < b->kind->field_count; i++) {
		const struct field *fd = &b->kind->fields[i];
		if (b->fields[i] && !strcmp(fd->name, "allow") && !*prefix)
			walk_allow(f, b->fields[i]);
		if (!b->fields[i] || !strcmp(fd->name, "allow"))
			continue; /* an allow's reasons are prose */
		walk_field(f, field_path(f, prefix, paths, fd, i), b->fields[i]);
	}
}

/* `allow { CODE = "reason" }`, checked by check_allow.c. */
struct model_allow *lower_allows(struct program *p, const struct tblock *b)
{
	struct model_allow *head = NULL, **tail = &head;
	const struct tval *map = b ? tblock_get(b, "allow") : NULL;
	for (const struct tval *v = map ? map->u.items : NULL; v; v = v->next) {
		struct model_allow *a = arena_alloc(p->arena, sizeof *a);
		const struct policy_rule *r = policy_rule_allowable(v->key);
		a->code = r ? r->id : v->key;
		a->rule = r ? r->title : "";
		a->reason = v->u.s;
		*tail = a;
		tail = &a->next;
	}
	return head;
}

struct model_decl *lower_facts(struct program *p, struct decl *d, struct model_allow *allows,
			       struct strmap *paths)
{
	struct model_decl *md = arena_alloc(p->arena, sizeof *md);
	const struct ast_node *b = d->block;
	md->kind = d->kind->name;
	md->name = d->name;
	md->labelled = b->u.block.label != NULL;
	md->name_at.src = b->src;
	md->name_at.span = b->u.block.label ? b->u.block.label_span : b->u.block.kind_span;
	md->block_at = origin(b);
	md->template_at = origin(b->u.block.base);
	md->template_name = d->tmpl ? template_name(p->arena, d->tmpl) : NULL;
	md->allows = allows;
	md->object = d->model;
	struct facts f = { p, md, &md->where, &md->texts, paths };
	if (d->typed)
		walk_block(&f, "", d->typed);
	return md;
}
