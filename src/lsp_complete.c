/* lsp_complete.c - completion.
 *
 * What may be typed at the cursor depends on where it is:
 *
 *   at the start of an entry      the fields of the enclosing block's kind
 *                                 not yet set (top level: the kinds of
 *                                 declaration, env, import and template)
 *   after `FIELD =`, in its list  the values of the field's type: its
 *                                 words, true/false, declarations of the
 *                                 kind a reference wants, constructors
 *   after `KIND NAME =`           the templates that make that kind
 *   after `NAME.`                 the declaration's members, or a
 *                                 module's templates
 *   in `${...}`                   the declarations
 *
 * The enclosing block comes from the syntax tree (lsp_scope_at), which
 * keeps a block whose body has errors; the few characters before the
 * cursor, which are usually unfinished and so not in the tree, are read
 * from the text: the word being typed and the punctuation before it.
 * Nothing is offered inside a string or a comment.  Each item replaces
 * the word being typed (names may contain '-', which editors do not
 * count as part of a word). */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

/* How far back the context of the cursor is looked for. */
#define LOOK_BACK 4096

struct completer {
	struct lsp_server *s;
	struct lsp_doc *d;
	const struct program *p;
	struct arena *a;
	const char *text;      /* the document's text */
	uint32_t at;           /* the cursor */
	struct span word;      /* the name being typed, up to the cursor */
	struct lsp_ctx scope;  /* the entries around the cursor */
	const struct ast_node *block; /* their block, or NULL at top level */
	cJSON *items;
};

static bool name_char(char c)
{
	return c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static uint32_t floor_at(uint32_t at)
{
	return at > LOOK_BACK ? at - LOOK_BACK : 0;
}

/* Start of the name that ends at `i`. */
static uint32_t name_start(const char *text, uint32_t i)
{
	uint32_t stop = floor_at(i);
	while (i > stop && name_char(text[i - 1]))
		i--;
	return i;
}

/* Index just after the last non-blank byte before `i`. */
static uint32_t skip_blanks(const char *text, uint32_t i)
{
	uint32_t stop = floor_at(i);
	while (i > stop && strchr(" \t\r\n", text[i - 1]))
		i--;
	return i;
}

/* ---- items ----------------------------------------------------------- */

enum { ITEM_FUNCTION = 3, ITEM_FIELD = 5, ITEM_VARIABLE = 6, ITEM_MODULE = 9,
       ITEM_PROPERTY = 10, ITEM_KEYWORD = 14, ITEM_ENUM_MEMBER = 20, ITEM_STRUCT = 22 };

static void add_item(struct completer *c, const char *label, int kind, const char *detail,
		     const char *doc, int order)
{
	cJSON *i = cJSON_CreateObject();
	cJSON_AddStringToObject(i, "label", label);
	cJSON_AddNumberToObject(i, "kind", kind);
	if (detail)
		cJSON_AddStringToObject(i, "detail", detail);
	if (doc) {
		cJSON *m = cJSON_AddObjectToObject(i, "documentation");
		cJSON_AddStringToObject(m, "kind", "markdown");
		cJSON_AddStringToObject(m, "value", doc);
	}
	if (order >= 0)
		cJSON_AddStringToObject(i, "sortText", arena_printf(c->a, "%04d", order));
	cJSON *edit = cJSON_AddObjectToObject(i, "textEdit");
	cJSON_AddItemToObject(edit, "range", lsp_range(c->s, c->d->comp->source, c->word));
	cJSON_AddStringToObject(edit, "newText", label);
	cJSON_AddItemToArray(c->items, i);
}

static const char *field_doc(struct completer *c, const struct field *f)
{
	struct strbuf b;
	strbuf_init(&b);
	lsp_doc_field(&b, f);
	return strbuf_finish(&b, c->a);
}

static const char *kind_doc(struct completer *c, const struct kind *k)
{
	struct strbuf b;
	strbuf_init(&b);
	lsp_doc_kind(&b, k);
	return strbuf_finish(&b, c->a);
}

/* ---- entries -------------------------------------------------------- */

static void add_kinds(struct completer *c, bool overlay)
{
	int order = 0;
	for (size_t i = 0; i < schema_kind_count(); i++) {
		const struct kind *k = schema_kind_at(i);
		if (k->top_level)
			add_item(c, k->name, ITEM_KEYWORD, "declaration", kind_doc(c, k), order++);
	}
	if (overlay)
		return;
	add_item(c, "env", ITEM_KEYWORD, "environment overlay",
		 "`env NAME { KIND NAME { ... } }`: changes applied with `depc build --env NAME`", order++);
	add_item(c, "import", ITEM_KEYWORD, "import", "`import \"std/NAME\"`: templates of another file",
		 order++);
	add_item(c, "template", ITEM_KEYWORD, "template",
		 "`template KIND NAME(PARAM, PARAM = DEFAULT) { ... }`", order);
}

static bool is_set(const struct ast_node *block, const char *name)
{
	const struct ast_node *e = !block ? NULL : block->kind == AST_BLOCK ? block->u.block.body
									    : block->u.template.body;
	for (; e; e = e->next)
		if ((e->kind == AST_ATTR && !strcmp(e->u.attr.name, name)) ||
		    (e->kind == AST_BLOCK && !strcmp(e->u.block.kind, name)))
			return true;
	return false;
}

static void add_fields(struct completer *c, const struct kind *k)
{
	for (size_t i = 0; i < k->field_count; i++) {
		const struct field *f = &k->fields[i];
		if (is_set(c->block, f->name) && !(f->flags & F_MULTI))
			continue;
		char type[128];
		add_item(c, f->name, f->type == TY_BLOCK ? ITEM_STRUCT : ITEM_PROPERTY,
			 schema_describe(f, type, sizeof type), field_doc(c, f), (int)i);
	}
}

static void complete_entry(struct completer *c)
{
	if (c->scope.where == CTX_TOP)
		add_kinds(c, false);
	else if (c->scope.where == CTX_OVERLAY)
		add_kinds(c, true);
	else if (c->scope.kind)
		add_fields(c, c->scope.kind);
}

/* ---- values ---------------------------------------------------------- */

/* Is the cursor inside declaration d (which cannot refer to itself)? */
static bool inside(const struct completer *c, const struct decl *d)
{
	const struct ast_node *b = d->block;
	return b->src == c->d->comp->source && b->span.start < c->at && c->at < b->span.end;
}

/* Declarations of `kind` (NULL: any but secrets, whose value is never
 * text), but not the one being written. */
static void add_decls(struct completer *c, const char *kind)
{
	for (const struct decl *d = c->p ? c->p->decls : NULL; d; d = d->next) {
		bool named = d->kind->label == LABEL_NAME && strcmp(d->kind->name, "cloud");
		bool wanted = kind ? !strcmp(d->kind->name, kind) && !inside(c, d)
				   : strcmp(d->kind->name, "secret");
		if (named && wanted)
			add_item(c, d->name, ITEM_VARIABLE, d->kind->name, NULL, -1);
	}
}

static void add_params(struct completer *c)
{
	const struct ast_node *t = c->scope.template;
	for (const struct ast_node *p = t ? t->u.template.params : NULL; p; p = p->next)
		add_item(c, p->u.attr.name, ITEM_VARIABLE, "parameter", NULL, -1);
}

static void add_words(struct completer *c, const struct field *f)
{
	int order = 0;
	for (const char *w = f->arg; w && *w; order++) {
		size_t n = strcspn(w, "|");
		add_item(c, arena_strndup(c->a, w, n), ITEM_ENUM_MEMBER, f->name, NULL, order);
		w += n + (w[n] == '|');
	}
}

static void add_ctors(struct completer *c, const char *family)
{
	for (size_t i = 0; i < schema_ctor_count(); i++) {
		const struct ctor *k = schema_ctor_at(i);
		if (strcmp(k->family, family))
			continue;
		struct lsp_signature sig;
		lsp_ctor_signature(&sig, k);
		add_item(c, k->name, ITEM_FUNCTION, strbuf_finish(&sig.label, c->a), k->doc, (int)i);
	}
}

static void complete_value(struct completer *c, const struct field *f)
{
	enum type_kind t = f ? f->type : TY_NONE;
	if (t == TY_LIST || t == TY_MAP || t == TY_RANGE)
		t = f->elem;
	add_params(c);
	switch (t) {
	case TY_ENUM: add_words(c, f); break;
	case TY_BOOL:
		add_item(c, "true", ITEM_KEYWORD, "boolean", NULL, 0);
		add_item(c, "false", ITEM_KEYWORD, "boolean", NULL, 1);
		break;
	case TY_REF: add_decls(c, f->arg); break;
	case TY_CALL: add_ctors(c, f->arg); break;
	case TY_STRING: case TY_HOST: case TY_IMAGE: case TY_PATH: case TY_NAME: case TY_NONE:
		add_decls(c, NULL);
		break;
	default: break;
	}
}

/* The field that `FIELD =` before the cursor sets, in the scope. */
static const struct field *field_named(struct completer *c, struct span name)
{
	const char *n = arena_strndup(c->a, c->text + name.start, name.end - name.start);
	if (c->scope.where != CTX_BODY)
		return NULL;
	if (c->scope.map)
		return c->scope.map;
	return c->scope.kind ? schema_field(c->scope.kind, n) : NULL;
}

/* ---- members and templates ------------------------------------------- */

static void add_members(struct completer *c, const struct decl *d)
{
	add_item(c, "name", ITEM_PROPERTY, "text", "the declaration's name", 0);
	if (!strcmp(d->kind->name, "service"))
		add_item(c, "host", ITEM_PROPERTY, "host name",
			 "the host name other services reach it by", 1);
	for (size_t i = 0; i < d->kind->field_count; i++) {
		const struct field *f = &d->kind->fields[i];
		char type[128];
		if (f->type != TY_BLOCK && f->type != TY_MAP)
			add_item(c, f->name, ITEM_FIELD, schema_describe(f, type, sizeof type),
				 field_doc(c, f), 2 + (int)i);
	}
}

/* Templates making `kind`; with `module`, only that module's, unqualified. */
static void add_templates(struct completer *c, const char *kind, const char *module)
{
	size_t n;
	const struct template_def **list = lsp_templates(c->p, &n);
	for (size_t i = 0; i < n; i++) {
		const struct template_def *t = list[i];
		if (strcmp(t->node->u.template.kind, kind))
			continue;
		if (module && (!t->module || strcmp(t->module, module)))
			continue;
		struct lsp_signature sig;
		lsp_template_signature(&sig, c->a, t);
		const char *label = module ? t->node->u.template.name : lsp_template_name(c->a, t);
		add_item(c, label, ITEM_FUNCTION, strbuf_finish(&sig.label, c->a), NULL, -1);
	}
	free(list);
}

static char *text_of(struct completer *c, uint32_t start, uint32_t end)
{
	return arena_strndup(c->a, c->text + start, end - start);
}

/* `KIND NAME =` ending at `eq` (the '='): the kind, or NULL when the
 * words before '=' are not a declaration's header. */
static const char *block_header(struct completer *c, uint32_t eq)
{
	uint32_t label_end = skip_blanks(c->text, eq);
	uint32_t label = name_start(c->text, label_end);
	uint32_t kind_end = skip_blanks(c->text, label);
	uint32_t kind = name_start(c->text, kind_end);
	if (label == label_end || kind == kind_end || kind_end == label)
		return NULL;
	const char *k = text_of(c, kind, kind_end);
	return schema_top_kind(k) ? k : NULL;
}

static void complete_member(struct completer *c)
{
	uint32_t dot = c->word.start - 1;
	uint32_t obj = name_start(c->text, dot);
	if (obj == dot)
		return;
	const char *name = text_of(c, obj, dot);
	uint32_t before = skip_blanks(c->text, obj);
	const char *kind = before && c->text[before - 1] == '=' ? block_header(c, before - 1) : NULL;
	if (kind) {
		add_templates(c, kind, name);
		return;
	}
	struct decl *d = c->p ? program_find(c->p, name) : NULL;
	const struct kind *k = schema_top_kind(name);
	if (!d && k && k->unique && c->p)
		d = program_find_kind(c->p, name);
	if (d)
		add_members(c, d);
}

/* ---- where the cursor is ------------------------------------------------ */

enum line_state { IN_CODE, IN_STRING, IN_COMMENT, IN_INTERPOLATION };

/* Reads the cursor's line up to it: in a string, a comment, an
 * interpolation or plain code? (Multi-line strings are not followed.) */
static enum line_state line_state(const struct completer *c)
{
	const struct source *src = c->d->comp->source;
	uint32_t i = src->line_starts[source_line_of(src, c->at) - 1];
	enum line_state st = IN_CODE;
	for (; i < c->at; i++) {
		char ch = c->text[i];
		if (st == IN_STRING && ch == '\\')
			i++;
		else if (st == IN_STRING && ch == '$' && c->text[i + 1] == '{')
			st = IN_INTERPOLATION, i++;
		else if (ch == '"' && (st == IN_CODE || st == IN_STRING))
			st = st == IN_CODE ? IN_STRING : IN_CODE;
		else if (st == IN_INTERPOLATION && ch == '}')
			st = IN_STRING;
		else if (st == IN_CODE && (ch == '#' || (ch == '/' && c->text[i + 1] == '/')))
			return IN_COMMENT;
	}
	return st;
}

/* The '[' or '(' that the cursor's list or argument list opened, or 0. */
static uint32_t opener(const struct completer *c)
{
	int depth = 0;
	for (uint32_t i = c->word.start, stop = floor_at(c->at); i > stop; i--) {
		char ch = c->text[i - 1];
		if (ch == ']' || ch == ')' || ch == '}')
			depth++;
		else if ((ch == '[' || ch == '(' || ch == '{') && depth-- == 0)
			return ch == '{' ? 0 : i;
	}
	return 0;
}

/* After '[' or ',': an item of the list a field is set to. */
static void complete_item(struct completer *c)
{
	uint32_t open = opener(c);
	if (!open || c->text[open - 1] != '[') {
		complete_value(c, NULL);
		return;
	}
	uint32_t eq = skip_blanks(c->text, open - 1);
	if (!eq || c->text[eq - 1] != '=') {
		complete_value(c, NULL);
		return;
	}
	uint32_t name_end = skip_blanks(c->text, eq - 1);
	complete_value(c, field_named(c, span_make(name_start(c->text, name_end), name_end)));
}

static void complete_after_equals(struct completer *c, uint32_t eq)
{
	const char *kind = block_header(c, eq);
	if (kind && c->scope.where != CTX_BODY) {
		add_templates(c, kind, NULL);
		return;
	}
	uint32_t name_end = skip_blanks(c->text, eq);
	complete_value(c, field_named(c, span_make(name_start(c->text, name_end), name_end)));
}

static void complete(struct completer *c)
{
	enum line_state st = line_state(c);
	if (st == IN_STRING || st == IN_COMMENT)
		return;
	if (c->word.start > 0 && c->text[c->word.start - 1] == '.') {
		complete_member(c);
		return;
	}
	if (st == IN_INTERPOLATION) {
		add_params(c);
		add_decls(c, NULL);
		return;
	}
	uint32_t prev = skip_blanks(c->text, c->word.start);
	char ch = prev ? c->text[prev - 1] : '\0';
	if (ch == '=' && (prev < 2 || !strchr("=!<>", c->text[prev - 2])))
		complete_after_equals(c, prev - 1);
	else if (ch == '[' || ch == ',' || ch == '(')
		complete_item(c);
	else
		complete_entry(c);
}

cJSON *lsp_completion(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	uint32_t at;
	if (!d || !lsp_param_offset(rq, d, "position", &at))
		return NULL;
	struct completer c = { .s = rq->s, .d = d, .p = d->comp->program, .a = &rq->scratch,
			       .text = d->comp->source->text, .at = at };
	c.word = span_make(name_start(c.text, at), at);
	c.scope = lsp_scope_at(d->comp->ast, at, &c.block);
	cJSON *list = cJSON_CreateObject();
	cJSON_AddBoolToObject(list, "isIncomplete", false);
	c.items = cJSON_AddArrayToObject(list, "items");
	complete(&c);
	return list;
}
