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
 *   in a call's parentheses       its parameters not yet given (a
 *                                 template's or a constructor's), and
 *                                 after `PARAM =` the values that
 *                                 parameter takes
 *   a number after `FIELD =`      the number with each unit suffix the
 *                                 field takes (`30` -> `30s`, `30m`...)
 *   after a kind in an overlay    the declarations of that kind
 *   in `import "`                 the standard library's files
 *
 * Entries come as snippets (`health {\n\t$0\n}`, `port = $0`) when the
 * client takes them.  Members offered after `db.` are the fields db
 * sets, since only those can be read (E0209).
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

#include "alert_names.h"
#include "embed.h"
#include "units.h"

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
       ITEM_PROPERTY = 10, ITEM_UNIT = 11, ITEM_KEYWORD = 14, ITEM_FILE = 17,
       ITEM_ENUM_MEMBER = 20, ITEM_STRUCT = 22 };

/* An item inserting `text` (a snippet when `snippet`) over the word. */
static cJSON *add_text_item(struct completer *c, const char *label, int kind, const char *detail,
			    const char *doc, int order, const char *text, bool snippet)
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
	if (snippet)
		cJSON_AddNumberToObject(i, "insertTextFormat", 2);
	cJSON *edit = cJSON_AddObjectToObject(i, "textEdit");
	cJSON_AddItemToObject(edit, "range", lsp_range(c->s, c->d->comp->source, c->word));
	cJSON_AddStringToObject(edit, "newText", text);
	cJSON_AddItemToArray(c->items, i);
	return i;
}

static void add_item(struct completer *c, const char *label, int kind, const char *detail,
		     const char *doc, int order)
{
	add_text_item(c, label, kind, detail, doc, order, label, false);
}

/* An item that is a snippet for clients that take them, else its label. */
static void add_snippet(struct completer *c, const char *label, int kind, const char *detail,
			const char *doc, int order, const char *snippet)
{
	bool take = c->s->snippets && snippet;
	add_text_item(c, label, kind, detail, doc, order, take ? snippet : label, take);
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

/* `service ${1:name} {\n\t$0\n}`, or without the name for a kind
 * that takes none. */
static const char *block_snippet(struct completer *c, const char *kind, enum label_rule label)
{
	if (label == LABEL_NAME)
		return arena_printf(c->a, "%s ${1:name} {\n\t$0\n}", kind);
	if (label == LABEL_TITLE)
		return arena_printf(c->a, "%s \"${1:title}\" {\n\t$0\n}", kind);
	return arena_printf(c->a, "%s {\n\t$0\n}", kind);
}

static void add_kinds(struct completer *c, bool overlay)
{
	int order = 0;
	for (size_t i = 0; i < schema_kind_count(); i++) {
		const struct kind *k = schema_kind_at(i);
		if (k->top_level)
			add_snippet(c, k->name, ITEM_KEYWORD, "declaration", kind_doc(c, k), order++,
				    block_snippet(c, k->name, k->label));
	}
	if (overlay)
		return;
	add_snippet(c, "env", ITEM_KEYWORD, "environment overlay",
		    "`env NAME { KIND NAME { ... } }`: changes applied with `depc build --env NAME`",
		    order++, "env ${1:name} {\n\t$0\n}");
	add_snippet(c, "import", ITEM_KEYWORD, "import", "`import \"std/NAME\"`: templates of another file",
		    order++, "import \"${1:std/}\"");
	add_snippet(c, "template", ITEM_KEYWORD, "template",
		    "`template KIND NAME(PARAM, PARAM = DEFAULT) { ... }`", order,
		    "template ${1:service} ${2:name}($3) {\n\t$0\n}");
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
		const struct kind *k2 = f->type == TY_BLOCK ? schema_kind(f->arg) : NULL;
		const char *snippet = k2 ? block_snippet(c, f->name, k2->label)
			: f->type == TY_MAP ? block_snippet(c, f->name, LABEL_NONE)
			: arena_printf(c->a, "%s = $0", f->name);
		add_snippet(c, f->name, f->type == TY_BLOCK ? ITEM_STRUCT : ITEM_PROPERTY,
			    schema_describe(f, type, sizeof type), field_doc(c, f), (int)i, snippet);
	}
}

static void add_decls(struct completer *c, const char *kind);
static const char *word_before(struct completer *c);

/* ---- unset ------------------------------------------------------------ */

static bool inside(const struct completer *c, const struct decl *d);

/* The declaration whose body (or overlay entry) holds the cursor, and
 * the entries an unset there removes from: the template's body in the
 * declaration, the base declaration in an overlay.  `owner` is the block
 * the unsets are written in: the declaration, or the overlay's entry. */
static const struct ast_node *unset_base(struct completer *c, const struct decl **decl,
					 const struct ast_node **owner)
{
	*decl = NULL;
	for (const struct decl *d = c->p ? c->p->decls : NULL; d; d = d->next)
		if (inside(c, d)) {
			*decl = d;
			*owner = d->block;
			return d->tmpl ? d->tmpl->node->u.template.body : NULL;
		}
	const struct ast_node *root = c->d->comp->ast;
	for (const struct ast_node *env = root ? root->u.file.items : NULL; env; env = env->next) {
		if (env->kind != AST_BLOCK || strcmp(env->u.block.kind, "env") ||
		    c->at < env->span.start || c->at > env->span.end)
			continue;
		for (const struct ast_node *e = env->u.block.body; e; e = e->next)
			if (e->kind == AST_BLOCK && e->u.block.label && e->span.start < c->at &&
			    c->at < e->span.end && (*decl = program_find(c->p, e->u.block.label))) {
				*owner = e;
				return (*decl)->body;
			}
	}
	return NULL;
}

/* Does `body` hold `unset OUTER.NAME` (or `unset NAME` when outer is
 * NULL), other than the one at the cursor?  An unset with a value
 * removes list items, not the field. */
static bool unsets(const struct completer *c, const struct ast_node *body, const char *outer,
		   const char *name)
{
	for (const struct ast_node *e = body; e; e = e->next) {
		if (e->kind != AST_UNSET || e->u.unset.value ||
		    (e->span.start <= c->at && c->at <= e->span.end))
			continue;
		const struct ast_node *seg = e->u.unset.path;
		if (outer && seg && !strcmp(seg->u.ident.name, outer))
			seg = seg->next;
		else if (outer)
			continue;
		if (seg && !seg->next && !strcmp(seg->u.ident.name, name))
			return true;
	}
	return false;
}

/* Already unset where the cursor is: in its block, or, in a nested
 * block, by `unset BLOCK.NAME` in the body of the declaration (or
 * overlay entry) that holds it. */
static bool already_unset(const struct completer *c, const struct ast_node *owner, bool nested,
			  const char *name)
{
	if (c->block && c->block->kind == AST_BLOCK && unsets(c, c->block->u.block.body, NULL, name))
		return true;
	return nested && owner && unsets(c, owner->u.block.body, c->block->u.block.kind, name);
}

/* After `unset `: what the template (or the base) sets at the cursor's
 * level, a nested block's entries inside that block, less what is
 * already unset there. */
static void add_unsettable(struct completer *c)
{
	const struct decl *d;
	const struct ast_node *owner = NULL;
	const struct ast_node *entries = unset_base(c, &d, &owner);
	if (!d)
		return;
	bool nested = c->block && c->block->kind == AST_BLOCK && c->block->u.block.label == NULL;
	if (nested) {
		const struct ast_node *e = entries;
		while (e && !(e->kind == AST_BLOCK && !strcmp(e->u.block.kind, c->block->u.block.kind)))
			e = e->next;
		entries = e ? e->u.block.body : NULL;
	}
	const struct kind *k = c->scope.kind;
	int order = 0;
	for (const struct ast_node *e = entries; e; e = e->next) {
		if (e->kind != AST_ATTR && e->kind != AST_BLOCK)
			continue;
		const char *name = e->kind == AST_BLOCK ? e->u.block.kind : e->u.attr.name;
		if (already_unset(c, owner, nested, name))
			continue;
		const struct field *f = k ? schema_field(k, name) : NULL;
		char type[128];
		add_item(c, name, e->kind == AST_BLOCK ? ITEM_STRUCT : ITEM_PROPERTY,
			 f ? schema_describe(f, type, sizeof type) : NULL,
			 arena_printf(c->a, "set by %s", d->tmpl && inside(c, d)
				      ? arena_printf(c->a, "template `%s`",
						     template_name(c->a, d->tmpl))
				      : arena_printf(c->a, "%s `%s` outside the overlay",
						     d->kind->name, d->name)),
			 order++);
	}
}

/* In a service's `alerts { }`: the alerts generated per service. */
static bool add_alert_names(struct completer *c)
{
	const struct field *f = c->scope.map;
	if (!f || !f->arg || strcmp(f->arg, "alerts"))
		return false;
	for (size_t i = 0; i < service_alert_count(); i++) {
		const struct service_alert *al = service_alert_at(i);
		if (is_set(c->block, al->name))
			continue;
		add_snippet(c, al->name, ITEM_PROPERTY, "generated alert",
			    arena_printf(c->a, "Fires when %s.  `%s = off`, or `%s { %sfor = ...  "
					 "severity = ... }`", al->doc, al->name, al->name,
					 al->threshold ? "threshold = ...  " : ""),
			    (int)i, arena_printf(c->a, "%s = ${1:off}", al->name));
	}
	return true;
}

static void complete_entry(struct completer *c)
{
	const char *before = word_before(c);
	if (!before && c->scope.where == CTX_BODY && add_alert_names(c))
		return;
	if (before && !strcmp(before, "unset") && c->scope.where == CTX_BODY) {
		add_unsettable(c);
		return;
	}
	if (before && (c->scope.where == CTX_TOP || c->scope.where == CTX_OVERLAY)) {
		/* a label: an overlay names what it changes; a new one is new */
		if (c->scope.where == CTX_OVERLAY && schema_top_kind(before))
			add_decls(c, before);
		return;
	}
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
		bool wanted = kind ? schema_enum_has(kind, d->kind->name) && !inside(c, d)
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
	case TY_ENUM:
		add_words(c, f);
		if (schema_or_ref(f)) /* publish = ghcr, or a registry */
			add_decls(c, schema_or_ref(f));
		break;
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

/* Does the declaration (its template and overlays merged) set `field`? */
static bool sets(const struct decl *d, const char *field)
{
	for (const struct ast_node *e = d->body; e; e = e->next)
		if (e->kind == AST_ATTR && !strcmp(e->u.attr.name, field))
			return true;
	return false;
}

static void add_members(struct completer *c, const struct decl *d)
{
	add_item(c, "name", ITEM_PROPERTY, "text", "the declaration's name", 0);
	if (!strcmp(d->kind->name, "service"))
		add_item(c, "host", ITEM_PROPERTY, "host name",
			 "the host name other services reach it by", 1);
	for (size_t i = 0; i < d->kind->field_count; i++) {
		const struct field *f = &d->kind->fields[i];
		char type[128];
		if (f->type != TY_BLOCK && f->type != TY_MAP && sets(d, f->name))
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

/* ---- inside a call ---------------------------------------------------- */

/* The template or constructor a call's '(' at `open` - 1 belongs to. */
struct callee {
	const struct template_def *tmpl;
	const struct ctor *ctor;
};

static struct callee callee_at(struct completer *c, uint32_t open)
{
	struct callee k = { 0 };
	uint32_t end = skip_blanks(c->text, open - 1), start = end;
	while (start > floor_at(end) && (name_char(c->text[start - 1]) || c->text[start - 1] == '.'))
		start--;
	if (start == end)
		return k;
	const char *written = text_of(c, start, end);
	uint32_t before = skip_blanks(c->text, start);
	if (before && c->text[before - 1] == '=' && block_header(c, before - 1)) {
		size_t n;
		const struct template_def **list = lsp_templates(c->p, &n);
		for (size_t i = 0; i < n && !k.tmpl; i++)
			if (!strcmp(lsp_template_name(c->a, list[i]), written))
				k.tmpl = list[i];
		free(list);
		return k;
	}
	for (size_t i = 0; i < schema_ctor_count() && !k.ctor; i++)
		if (!strcmp(schema_ctor_at(i)->name, written))
			k.ctor = schema_ctor_at(i);
	return k;
}

/* Is `NAME =` already written between `open` and the cursor? */
static bool given(struct completer *c, uint32_t open, const char *name)
{
	size_t n = strlen(name);
	for (uint32_t i = open; i + n <= c->word.start; i++) {
		if (strncmp(c->text + i, name, n) || (i > open && name_char(c->text[i - 1])))
			continue;
		uint32_t j = i + (uint32_t)n;
		while (j < c->word.start && (c->text[j] == ' ' || c->text[j] == '\t'))
			j++;
		if (j < c->word.start && c->text[j] == '=')
			return true;
	}
	return false;
}

static void add_argument(struct completer *c, const char *name, const char *detail, bool required,
			 int order)
{
	add_snippet(c, name, ITEM_PROPERTY, detail, NULL, order + (required ? 0 : 100),
		    arena_printf(c->a, "%s = $0", name));
}

/* At the start of an argument: the parameters not yet given. */
static void add_arguments(struct completer *c, uint32_t open)
{
	struct callee k = callee_at(c, open);
	int i = 0;
	for (const struct ast_node *p = k.tmpl ? k.tmpl->node->u.template.params : NULL; p;
	     p = p->next, i++) {
		if (given(c, open, p->u.attr.name))
			continue;
		const char *detail = p->u.attr.value
			? arena_printf(c->a, "= %s", lsp_snippet(c->a, p->src, p->u.attr.value->span, 60))
			: "required";
		add_argument(c, p->u.attr.name, detail, !p->u.attr.value, i);
	}
	for (size_t j = 0; k.ctor && j < k.ctor->param_count; j++) {
		const struct field *f = &k.ctor->params[j];
		char type[128];
		if (!given(c, open, f->name))
			add_argument(c, f->name, schema_describe(f, type, sizeof type),
				     f->flags & F_REQUIRED, (int)j);
	}
}

/* After `PARAM =` in a call: what that parameter takes. */
static void complete_argument(struct completer *c, uint32_t open, struct span name)
{
	struct callee k = callee_at(c, open);
	const char *param = text_of(c, name.start, name.end);
	for (size_t j = 0; k.ctor && j < k.ctor->param_count; j++)
		if (!strcmp(k.ctor->params[j].name, param)) {
			complete_value(c, &k.ctor->params[j]);
			return;
		}
	add_params(c);
	add_decls(c, NULL);
	add_decls(c, "secret"); /* a template's parameter may well want one */
}

/* ---- numbers, imports, overlays --------------------------------------- */

static bool numeric(const struct completer *c)
{
	if (c->word.end == c->word.start || c->text[c->word.start] < '0' ||
	    c->text[c->word.start] > '9')
		return false;
	for (uint32_t i = c->word.start; i < c->word.end; i++)
		if ((c->text[i] < '0' || c->text[i] > '9') && c->text[i] != '.')
			return false;
	return true;
}

/* The field a number at the cursor is for: `FIELD = 30`, or the limit
 * of `FIELD = 100m..5`. */
static const struct field *number_field(struct completer *c)
{
	uint32_t at = skip_blanks(c->text, c->word.start);
	if (at >= 2 && c->text[at - 1] == '.' && c->text[at - 2] == '.')
		at = skip_blanks(c->text, name_start(c->text, at - 2));
	if (!at || c->text[at - 1] != '=')
		return NULL;
	uint32_t end = skip_blanks(c->text, at - 1);
	return field_named(c, span_make(name_start(c->text, end), end));
}

/* `30` -> 30ms, 30s, 30m, 30h, 30d for a duration, and so on. */
static void complete_units(struct completer *c)
{
	const struct field *f = number_field(c);
	enum type_kind t = !f ? TY_NONE : f->type == TY_RANGE || f->type == TY_LIST ? f->elem : f->type;
	static const struct { enum type_kind t; enum unit_dim d; const char *what; } dims[] = {
		{ TY_DURATION, UNIT_DURATION, "duration" }, { TY_SIZE, UNIT_SIZE, "size" },
		{ TY_CPU, UNIT_CPU, "cpu" }, { TY_PERCENT, UNIT_PERCENT, "percentage" },
	};
	const char *number = text_of(c, c->word.start, c->word.end);
	for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
		if (dims[i].t != t)
			continue;
		/* cpu and percent have one suffix each; unit_list says more */
		const char *list = dims[i].d == UNIT_CPU ? "m" : dims[i].d == UNIT_PERCENT ? "%"
			: unit_list(dims[i].d);
		int order = 0;
		for (const char *u = list; *u; order++) {
			size_t n = strcspn(u, ", ");
			const char *label = arena_printf(c->a, "%s%.*s", number, (int)n, u);
			add_item(c, label, ITEM_UNIT, dims[i].what, NULL, order);
			u += n;
			u += strspn(u, ", ");
		}
	}
}

/* `import "std/` : the standard library's files, replacing what is
 * between the quote and the cursor. */
static bool complete_import(struct completer *c)
{
	const struct source *src = c->d->comp->source;
	uint32_t line = src->line_starts[source_line_of(src, c->at) - 1], i = line;
	while (i < c->at && (c->text[i] == ' ' || c->text[i] == '\t'))
		i++;
	if (c->at - i < 7 || strncmp(c->text + i, "import", 6))
		return false;
	i += 6;
	while (i < c->at && (c->text[i] == ' ' || c->text[i] == '\t'))
		i++;
	if (i >= c->at || c->text[i] != '"' || memchr(c->text + i + 1, '"', c->at - i - 1))
		return false;
	c->word = span_make(i + 1, c->at);
	int order = 0;
	for (const struct embedded_file *f = depc_stdlib; f->name; f++)
		add_item(c, arena_printf(c->a, "std/%s", f->name), ITEM_FILE, "standard library",
			 NULL, order++);
	return true;
}

/* The word before the one being typed, on its line: `service` of
 * `service we|`, or NULL. */
static const char *word_before(struct completer *c)
{
	uint32_t end = c->word.start;
	while (end > floor_at(c->word.start) && (c->text[end - 1] == ' ' || c->text[end - 1] == '\t'))
		end--;
	uint32_t start = name_start(c->text, end);
	if (end == c->word.start || start == end)
		return NULL;
	return text_of(c, start, end);
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
	if (open && c->text[open - 1] == '(') {
		add_arguments(c, open);
		return;
	}
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
	uint32_t open = opener(c);
	if (open && c->text[open - 1] == '(') {
		complete_argument(c, open, span_make(name_start(c->text, name_end), name_end));
		return;
	}
	complete_value(c, field_named(c, span_make(name_start(c->text, name_end), name_end)));
}

static void complete(struct completer *c)
{
	enum line_state st = line_state(c);
	if (st == IN_STRING)
		complete_import(c);
	if (st == IN_STRING || st == IN_COMMENT)
		return;
	if (numeric(c)) {
		complete_units(c);
		return;
	}
	if (c->word.start > 0 && c->text[c->word.start - 1] == '.') {
		complete_member(c);
		return;
	}
	if (st == IN_INTERPOLATION) {
		add_params(c);
		/* a string in `secrets` is composed from secrets: they come first */
		if (c->scope.map && !strcmp(c->scope.map->name, "secrets"))
			add_decls(c, "secret");
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
