/* lower_facts.c - what the policy needs to know of each declaration.
 *
 * The policy pass reads the model only.  Besides the typed facts the
 * backends read, it must point at the value that breaks a rule and scan
 * every text written in the source.  Both are read from the checked
 * declaration when the policy asks: the place of a field by its path
 * (model_where), and the texts of one declaration at a time
 * (model_texts).  Kept for every declaration at once they were a sixth
 * of what `depc check` held at its peak, and the policy needs one
 * declaration's at a time.  Runs while the front end lives: the
 * backends' copy of the model (model_copy.c) carries no declarations. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "typed.h"

/* What the facts are read from: the program, and the field paths made
 * so far, shared by every declaration so that a path is one pointer
 * (the policy compares paths by address). */
struct fact_source {
	struct program *p;
	struct strmap paths;
};

struct facts {
	struct fact_source *src;
	struct model_texts *out;
	const char *const *only; /* the top-level fields to read, or NULL: all */
};

static const char *join(struct facts *f, const char *a, const char *b)
{
	char buf[256];
	size_t la = strlen(a), lb = strlen(b);
	if (la + lb >= sizeof buf)
		return arena_cat(f->src->p->arena, a, b, (char *)NULL);
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb + 1);
	const char *kept = strmap_get(&f->src->paths, buf);
	if (kept)
		return kept;
	char *path = arena_strndup(f->src->p->arena, buf, la + lb);
	strmap_add(&f->src->paths, path, path);
	return path;
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
	const char *text = arena_strdup(f->src->p->arena, b.data ? b.data : "");
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

/* The next slot of the declaration's texts; `next` is linked once the
 * array stops moving (model_texts). */
static struct model_text *new_text(struct model_texts *out)
{
	if (out->count == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 32;
		out->items = xrealloc(out->items, out->cap * sizeof *out->items);
	}
	struct model_text *t = &out->items[out->count++];
	memset(t, 0, sizeof *t);
	return t;
}

static void add_text(struct facts *f, const char *path, const struct tval *v)
{
	if (!v->node)
		return;
	struct model_text *t = new_text(f->out);
	t->path = path;
	t->key = v->key;
	t->value = v->u.s;
	t->written = written(f, v);
	t->literal = literal(v->node);
	t->quoted = v->node->kind == AST_STRING;
	t->at = lower_origin(v->node);
	t->inner = t->at;
	if (t->quoted)
		t->inner.span = inside_quotes(v->node);
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
	text.u.s = strbuf_finish(&b, f->src->p->arena);
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
	if (v->type == TY_MAP || v->type == TY_LIST) {
		for (const struct tval *e = v->u.items; e; e = e->next)
			walk_value(f, path, e);
	} else {
		walk_value(f, path, v);
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
	struct field_paths *fp = strmap_get(&f->src->paths, key);
	if (!fp) {
		struct arena *a = f->src->p->arena;
		fp = arena_alloc(a, sizeof *fp);
		fp->kind = k;
		fp->paths = arena_calloc(a, k->field_count + 1, sizeof *fp->paths);
		strmap_add(&f->src->paths, arena_strndup(a, key, n + 1), fp);
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

/* Is `name` among f->only (or is there no such list)? */
static bool wanted(const struct facts *f, const char *name)
{
	if (!f->only)
		return true;
	for (const char *const *w = f->only; *w; w++)
		if ((*w)[0] == name[0] && !strcmp(*w, name))
			return true;
	return false;
}

static void walk_block(struct facts *f, const char *prefix, const struct tblock *b)
{
	const char **paths = *prefix ? field_paths(f, prefix, b->kind) : NULL;
	for (size_t i = 0; i < b->kind->field_count; i++) {
		const struct field *fd = &b->kind->fields[i];
		if (!b->fields[i] || (fd->name[0] == 'a' && !strcmp(fd->name, "allow")))
			continue; /* an allow's reasons are prose */
		if (!*prefix && !wanted(f, fd->name))
			continue;
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

struct fact_source *lower_fact_source(struct program *p)
{
	struct fact_source *src = arena_alloc(p->arena, sizeof *src);
	src->p = p;
	strmap_init(&src->paths, p->arena);
	return src;
}

struct model_decl *lower_facts(struct fact_source *src, struct decl *d,
			       struct model_allow *allows)
{
	struct program *p = src->p;
	struct model_decl *md = arena_alloc(p->arena, sizeof *md);
	const struct ast_node *b = d->block;
	md->kind = d->kind->name;
	md->name = d->name;
	md->labelled = b->u.block.label != NULL;
	md->name_at.src = b->src;
	md->name_at.span = b->u.block.label ? b->u.block.label_span : b->u.block.kind_span;
	md->block_at = lower_origin(b);
	md->template_at = lower_origin(b->u.block.base);
	md->template_name = d->tmpl ? template_name(p->arena, d->tmpl) : NULL;
	md->allows = allows;
	md->object = d->model;
	md->typed = d->typed;
	md->facts = src;
	return md;
}

/* `fields` NULL: every field of the declaration; else only those named
 * (their texts in the same order as among all). */
static const struct model_text *texts_of(const struct model_decl *d, const char *const *fields,
					 struct model_texts *buf)
{
	buf->count = 0;
	if (!d->typed)
		return NULL;
	struct facts f = { d->facts, buf, fields };
	walk_block(&f, "", d->typed);
	for (size_t i = 0; i + 1 < buf->count; i++)
		buf->items[i].next = &buf->items[i + 1];
	return buf->count ? buf->items : NULL;
}

const struct model_text *model_texts(const struct model_decl *d, struct model_texts *buf)
{
	return texts_of(d, NULL, buf);
}

const struct model_text *model_texts_in(const struct model_decl *d, const char *const *fields,
					struct model_texts *buf)
{
	return texts_of(d, fields, buf);
}

void model_texts_free(struct model_texts *buf)
{
	free(buf->items);
	memset(buf, 0, sizeof *buf);
}

/* --- places ------------------------------------------------------------- */

/* "allow.E0407": where the reason for that exception is written. */
static const struct ast_node *allow_place(const struct tblock *b, const char *code)
{
	const struct tval *map = tblock_get(b, "allow");
	for (const struct tval *v = map ? map->u.items : NULL; v; v = v->next) {
		const struct policy_rule *r = policy_rule_allowable(v->key);
		if (!strcmp(r ? r->id : v->key, code))
			return v->node;
	}
	return NULL;
}

/* The node that `path` ("image", "health", "rollout.on_failure") leads to
 * in block `b`.  Through a list or map of blocks, the first entry that
 * sets it: the one a reader meets first.  Defaults have no place, and
 * nested `allow`s are prose. */
static const struct ast_node *find_place(const struct tblock *b, const char *path, bool top)
{
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path);
	char name[64];
	if (n >= sizeof name)
		return NULL;
	memcpy(name, path, n);
	name[n] = '\0';
	if (!strcmp(name, "allow"))
		return top && dot ? allow_place(b, dot + 1) : NULL;
	const struct tval *v = tblock_get(b, name);
	if (!v || !dot)
		return v ? v->node : NULL;
	if (v->type == TY_BLOCK)
		return find_place(v->u.block, dot + 1, false);
	if (v->type != TY_MAP && v->type != TY_LIST)
		return NULL;
	for (const struct tval *e = v->u.items; e; e = e->next) {
		const struct ast_node *at = e->type == TY_BLOCK
			? find_place(e->u.block, dot + 1, false) : NULL;
		if (at)
			return at;
	}
	return NULL;
}

const struct model_origin *model_where(const struct model_decl *d, const char *path)
{
	const struct ast_node *n = d && d->typed ? find_place(d->typed, path, true) : NULL;
	if (!n)
		return NULL;
	struct model_origin *at = arena_alloc(d->facts->p->arena, sizeof *at);
	*at = lower_origin(n);
	return at;
}
