/* ast.c - constructors and small queries for the syntax tree.
 *
 * Constructors only allocate and fill; they never report errors (the
 * scanner and parse.c have already done any checking). */
#include "ast.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a node of one kind: the header and that kind's member of
 * the union.  A name or a number takes 40 bytes instead of the 96 of a
 * block, and the syntax tree and template instances were a third of
 * what `depc check` keeps.  Such a node has no room for another kind's
 * member: it is copied with ast_clone, never with `*copy = *node`. */
#define KIND_SIZE(member) (offsetof(struct ast_node, u) + sizeof(((struct ast_node *)0)->u.member))

static size_t kind_size(enum ast_kind kind)
{
	static const size_t sizes[AST_KIND_COUNT] = {
		[AST_FILE] = KIND_SIZE(file),         [AST_IMPORT] = KIND_SIZE(import),
		[AST_TEMPLATE] = KIND_SIZE(template), [AST_BLOCK] = KIND_SIZE(block),
		[AST_ATTR] = KIND_SIZE(attr),         [AST_IDENT] = KIND_SIZE(ident),
		[AST_MEMBER] = KIND_SIZE(member),     [AST_CALL] = KIND_SIZE(call),
		[AST_STRING] = KIND_SIZE(string),     [AST_TEXT] = KIND_SIZE(text),
		[AST_INT] = KIND_SIZE(integer),       [AST_FLOAT] = KIND_SIZE(number),
		[AST_UNIT] = KIND_SIZE(unit),         [AST_BOOL] = KIND_SIZE(boolean),
		[AST_LIST] = KIND_SIZE(list),         [AST_MAP] = KIND_SIZE(list),
		[AST_RANGE] = KIND_SIZE(range),       [AST_UNSET] = KIND_SIZE(unset),
	};
	return kind < AST_KIND_COUNT ? sizes[kind] : sizeof(struct ast_node);
}

struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct span span)
{
	struct ast_node *n = arena_alloc(a, kind_size(kind));
	n->kind = kind;
	n->span = span;
	return n;
}

struct ast_node *ast_clone(struct arena *a, const struct ast_node *n)
{
	size_t size = kind_size(n->kind);
	struct ast_node *c = arena_alloc(a, size);
	memcpy(c, n, size);
	c->next = NULL;
	return c;
}

struct ast_node *ast_file(struct arena *a, struct span span, struct ast_node *items)
{
	struct ast_node *n = ast_new(a, AST_FILE, span);
	n->u.file.items = items;
	return n;
}

struct ast_node *ast_import(struct arena *a, struct span span, const char *path,
			    struct span path_span, const char *alias,
			    struct span alias_span)
{
	struct ast_node *n = ast_new(a, AST_IMPORT, span);
	n->u.import.path = path;
	n->u.import.path_span = path_span;
	n->u.import.alias = alias;
	n->u.import.alias_span = alias_span;
	return n;
}

struct ast_node *ast_template(struct arena *a, struct span span,
			      const char *kind, struct span kind_span,
			      const char *name, struct span name_span,
			      struct ast_node *params, struct ast_node *body)
{
	struct ast_node *n = ast_new(a, AST_TEMPLATE, span);
	n->u.template.kind = kind;
	n->u.template.kind_span = kind_span;
	n->u.template.name = name;
	n->u.template.name_span = name_span;
	n->u.template.params = params;
	n->u.template.body = body;
	return n;
}

/* The label is an AST_IDENT or an AST_STRING; a string label with
 * interpolation keeps only its literal text (the checker rejects it). */
struct ast_node *ast_block(struct arena *a, struct span span, const char *kind,
			   struct span kind_span, struct ast_node *label,
			   struct ast_node *base, struct ast_node *body,
			   struct span body_span)
{
	struct ast_node *n = ast_new(a, AST_BLOCK, span);
	n->u.block.kind = kind;
	n->u.block.kind_span = kind_span;
	if (label && label->kind == AST_IDENT) {
		n->u.block.label = label->u.ident.name;
	} else if (label) {
		const char *plain = ast_string_plain(label);
		n->u.block.label = plain ? plain : "";
		n->u.block.label_quoted = true;
	}
	if (label)
		n->u.block.label_span = label->span;
	n->u.block.base = base;
	n->u.block.body = body;
	n->u.block.body_span = body_span;
	return n;
}

struct ast_node *ast_attr(struct arena *a, struct span span, const char *name,
			  struct span name_span, bool quoted, struct ast_node *value)
{
	struct ast_node *n = ast_new(a, AST_ATTR, span);
	n->u.attr.name = name;
	n->u.attr.name_span = name_span;
	n->u.attr.name_quoted = quoted;
	n->u.attr.value = value;
	return n;
}

struct ast_node *ast_ident(struct arena *a, struct span span, const char *name)
{
	struct ast_node *n = ast_new(a, AST_IDENT, span);
	n->u.ident.name = name;
	return n;
}

static unsigned chain_of(const struct ast_node *n)
{
	if (n->kind == AST_MEMBER)
		return n->u.member.chain;
	if (n->kind == AST_CALL)
		return n->u.call.chain;
	return 0;
}

struct ast_node *ast_member(struct arena *a, struct span span,
			    struct ast_node *object, const char *name,
			    struct span name_span)
{
	struct ast_node *n = ast_new(a, AST_MEMBER, span);
	n->u.member.object = object;
	n->u.member.name = name;
	n->u.member.name_span = name_span;
	n->u.member.chain = chain_of(object) + 1;
	return n;
}

struct ast_node *ast_call(struct arena *a, struct span span,
			  struct ast_node *callee, struct ast_node *args)
{
	struct ast_node *n = ast_new(a, AST_CALL, span);
	n->u.call.callee = callee;
	n->u.call.args = args;
	n->u.call.chain = chain_of(callee) + 1;
	return n;
}

struct ast_node *ast_range(struct arena *a, struct span span,
			   struct ast_node *lo, struct ast_node *hi)
{
	struct ast_node *n = ast_new(a, AST_RANGE, span);
	n->u.range.lo = lo;
	n->u.range.hi = hi;
	return n;
}

struct ast_node *ast_unset(struct arena *a, struct span span, struct ast_node *path,
			   struct ast_node *value)
{
	struct ast_node *n = ast_new(a, AST_UNSET, span);
	n->u.unset.path = path;
	n->u.unset.value = value;
	return n;
}

const char *ast_unset_path(struct arena *a, const struct ast_node *unset)
{
	const char *out = "";
	for (const struct ast_node *seg = unset->u.unset.path; seg; seg = seg->next)
		out = arena_cat(a, out, *out ? "." : "", seg->u.ident.name, (char *)NULL);
	return out;
}

struct ast_node *ast_list(struct arena *a, enum ast_kind kind, struct span span,
			  struct ast_node *items)
{
	struct ast_node *n = ast_new(a, kind, span);
	n->u.list.items = items;
	return n;
}

/* The value of a number with a unit ("512Mi", "30s", "1.5GB") whose
 * first `digits` bytes are its number.  Most are whole numbers of a few
 * digits, exact in a double, and strtod() took longer than the rest of
 * the node.  A unit that strtod() would read on into ("1e3ms" as 1000,
 * "0x1Fs" as 31) is left to it, so the value is the same either way. */
static double unit_value(const char *text, size_t digits)
{
	char after = text[digits];
	if (digits == 0 || digits > 15 || memchr(text, '.', digits) || text[0] == '-' ||
	    after == 'e' || after == 'E' || after == 'x' || after == 'X')
		return strtod(text, NULL);
	int64_t v = 0;
	for (size_t i = 0; i < digits; i++)
		v = v * 10 + (text[i] - '0');
	return (double)v;
}

/* Splits "256Mi" into 256 and "Mi"; integers saturate (the scanner has
 * already reported an out-of-range literal). */
struct ast_node *ast_number(struct arena *a, struct span span,
			    enum ast_kind kind, const char *text)
{
	struct ast_node *n = ast_new(a, kind, span);
	size_t digits = strspn(text + (text[0] == '-'), "0123456789.") + (text[0] == '-');
	if (kind == AST_INT) {
		n->u.integer.value = strtoll(text, NULL, 10);
	} else if (kind == AST_FLOAT) {
		n->u.number.value = strtod(text, NULL);
		n->u.number.text = text;
	} else {
		n->u.unit.value = unit_value(text, digits);
		n->u.unit.text = arena_strndup(a, text, digits);
		n->u.unit.suffix = text + digits;
	}
	return n;
}

struct ast_node *ast_bool(struct arena *a, struct span span, bool value)
{
	struct ast_node *n = ast_new(a, AST_BOOL, span);
	n->u.boolean.value = value;
	return n;
}

struct ast_node *ast_text(struct arena *a, struct span span, const char *text,
			  size_t len)
{
	struct ast_node *n = ast_new(a, AST_TEXT, span);
	n->u.text.text = text;
	n->u.text.len = len;
	return n;
}

/* Merging adjacent text parts keeps "plain" strings a single part even
 * though the scanner returns one token per escape sequence. */
static struct ast_node *merge_text(struct arena *a, struct ast_node *first)
{
	struct ast_node *last = first;
	size_t len = 0;
	for (struct ast_node *n = first; n && n->kind == AST_TEXT; n = n->next) {
		len += n->u.text.len;
		last = n;
	}
	if (last == first)
		return first;
	char *buf = arena_alloc(a, len + 1);
	size_t at = 0;
	for (struct ast_node *n = first; n != last->next; n = n->next) {
		memcpy(buf + at, n->u.text.text, n->u.text.len);
		at += n->u.text.len;
	}
	struct ast_node *m = ast_text(a, span_join(first->span, last->span), buf, len);
	m->next = last->next;
	return m;
}

struct ast_node *ast_string(struct arena *a, struct span span,
			    struct ast_node *parts)
{
	struct ast_list merged = { 0 };
	for (struct ast_node *n = parts; n;) {
		struct ast_node *m = n->kind == AST_TEXT ? merge_text(a, n) : n;
		struct ast_node *next = m->next;
		m->next = NULL;
		ast_list_append(&merged, m);
		n = next;
	}
	struct ast_node *s = ast_new(a, AST_STRING, span);
	s->u.string.parts = merged.head;
	return s;
}

void ast_list_append(struct ast_list *l, struct ast_node *n)
{
	if (!n)
		return;
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
}

const char *ast_string_plain(const struct ast_node *str)
{
	if (!str || str->kind != AST_STRING)
		return NULL;
	const struct ast_node *p = str->u.string.parts;
	if (!p)
		return "";
	if (p->kind == AST_TEXT && !p->next)
		return p->u.text.text;
	return NULL;
}

const char *ast_kind_name(enum ast_kind kind)
{
	static const char *const names[AST_KIND_COUNT] = {
		[AST_FILE] = "file",       [AST_IMPORT] = "import",
		[AST_TEMPLATE] = "template", [AST_BLOCK] = "block",
		[AST_ATTR] = "attribute",  [AST_IDENT] = "name",
		[AST_MEMBER] = "reference", [AST_CALL] = "call",
		[AST_STRING] = "string",   [AST_TEXT] = "string",
		[AST_INT] = "integer",     [AST_FLOAT] = "decimal number",
		[AST_UNIT] = "number with a unit", [AST_BOOL] = "boolean",
		[AST_LIST] = "list",       [AST_MAP] = "map",
		[AST_RANGE] = "range",     [AST_UNSET] = "unset",
	};
	return kind < AST_KIND_COUNT ? names[kind] : "?";
}

size_t ast_count(const struct ast_node *list)
{
	size_t n = 0;
	for (; list; list = list->next)
		n++;
	return n;
}
