/* lsp_features.c - hover and signature help, and the documentation text
 * they share with completion.
 *
 * Everything said about a kind, a field or a constructor comes from the
 * schema table (schema.c), the same one the checker and the manual use;
 * what is said about a declaration, a template or a parameter is quoted
 * from the source, and a template's description is the comment written
 * just above it (or, for the first template of a file, the file's opening
 * comment).  Hover answers for the token under the cursor, with its
 * range.  Signature help answers inside the parentheses of a template
 * call (`= postgres(...)`) or a constructor (`http(...)`); while such a
 * call is still being typed and so does not parse, it parses a copy of
 * the text with the call closed at the cursor, using the compiler's own
 * parser, and reads the call from that. */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

#include "alert_names.h"
#include "format.h"
#include "parse.h"
#include "units.h"

/* ---- shared documentation --------------------------------------------- */

void lsp_doc_field(struct strbuf *b, const struct field *f)
{
	char type[128];
	strbuf_printf(b, "```dep\n%s: %s\n```\n%s", f->name, schema_describe(f, type, sizeof type),
		      f->doc);
	if (f->def)
		strbuf_printf(b, "\n\nDefault: `%s`.", f->def);
	if (f->flags & F_REQUIRED)
		strbuf_puts(b, "\n\nRequired.");
}

void lsp_doc_kind(struct strbuf *b, const struct kind *k)
{
	strbuf_printf(b, "```dep\n%s\n```\n%s", k->name, k->doc);
	if (k->unique)
		strbuf_puts(b, "\n\nAt most one per deployment.");
}

char *lsp_snippet(struct arena *a, const struct source *src, struct span sp, size_t max)
{
	struct strbuf b;
	strbuf_init(&b);
	bool blank = false;
	for (uint32_t i = sp.start; i < sp.end && i < src->len; i++) {
		char c = src->text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			blank = b.len > 0;
			continue;
		}
		if (blank)
			strbuf_putc(&b, ' ');
		blank = false;
		strbuf_putc(&b, c);
	}
	if (b.len > max) { /* cut on a character boundary */
		size_t n = max;
		while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
			n--;
		b.len = n;
		strbuf_puts(&b, "...");
	}
	return strbuf_finish(&b, a);
}

static void param_begin(struct lsp_signature *sig)
{
	if (sig->count)
		strbuf_puts(&sig->label, ", ");
	if (sig->count < LSP_MAX_PARAMS)
		sig->params[sig->count].start = (uint32_t)sig->label.len;
}

static void param_end(struct lsp_signature *sig)
{
	if (sig->count < LSP_MAX_PARAMS)
		sig->params[sig->count].end = (uint32_t)sig->label.len;
	sig->count++;
}

void lsp_template_signature(struct lsp_signature *sig, struct arena *a,
			    const struct template_def *t)
{
	memset(sig, 0, sizeof *sig);
	strbuf_init(&sig->label);
	strbuf_printf(&sig->label, "%s(", lsp_template_name(a, t));
	for (const struct ast_node *p = t->node->u.template.params; p; p = p->next) {
		param_begin(sig);
		strbuf_puts(&sig->label, p->u.attr.name);
		if (p->u.attr.value)
			strbuf_printf(&sig->label, " = %s",
				      lsp_snippet(a, p->src, p->u.attr.value->span, 60));
		param_end(sig);
	}
	strbuf_putc(&sig->label, ')');
	if (sig->count > LSP_MAX_PARAMS)
		sig->count = LSP_MAX_PARAMS;
}

void lsp_ctor_signature(struct lsp_signature *sig, const struct ctor *c)
{
	memset(sig, 0, sizeof *sig);
	strbuf_init(&sig->label);
	strbuf_printf(&sig->label, "%s(", c->name);
	for (size_t i = 0; i < c->param_count && i < LSP_MAX_PARAMS; i++) {
		char type[128];
		param_begin(sig);
		sig->fields[sig->count] = &c->params[i];
		strbuf_printf(&sig->label, "%s: %s%s", c->params[i].name,
			      schema_describe(&c->params[i], type, sizeof type),
			      c->variadic && i + 1 == c->param_count ? "..." : "");
		param_end(sig);
	}
	strbuf_putc(&sig->label, ')');
}

/* The text of a comment line after its marker and one blank, or NULL
 * when the line is not a comment. */
static const char *comment_text(const struct source *src, size_t line, const char **end)
{
	struct span ls = source_line_span(src, line);
	const char *p = src->text + ls.start;
	*end = src->text + ls.end;
	while (p < *end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < *end && *p == '#')
		p++;
	else if (*end - p >= 2 && p[0] == '/' && p[1] == '/')
		p += 2;
	else
		return NULL;
	return p < *end && *p == ' ' ? p + 1 : p;
}

/* The comment lines just above `line` (1-based), in order. */
static void comment_above(struct strbuf *b, const struct source *src, size_t line)
{
	const char *end;
	size_t first = line;
	while (first > 1 && comment_text(src, first - 1, &end))
		first--;
	for (size_t l = first; l < line; l++) {
		const char *p = comment_text(src, l, &end);
		strbuf_printf(b, "%s%.*s", l > first ? "\n" : "", (int)(end - p), p);
	}
}

static bool first_template(const struct ast_node *tmpl)
{
	size_t line = source_line_of(tmpl->src, tmpl->span.start);
	for (size_t l = 1; l < line; l++) {
		struct span ls = source_line_span(tmpl->src, l);
		if (ls.end > ls.start && !strncmp(tmpl->src->text + ls.start, "template", 8))
			return false;
	}
	return true;
}

void lsp_template_doc(struct strbuf *b, const struct ast_node *tmpl)
{
	size_t before = b->len;
	comment_above(b, tmpl->src, source_line_of(tmpl->src, tmpl->span.start));
	if (b->len != before || !first_template(tmpl))
		return;
	size_t line = 1;
	const char *end;
	while (line < tmpl->src->line_count && comment_text(tmpl->src, line, &end))
		line++;
	comment_above(b, tmpl->src, line);
}

/* ---- hover ---------------------------------------------------------- */

static void hover_decl(struct strbuf *b, struct arena *a, const struct lsp_sym *sym)
{
	const struct ast_node *n = sym->decl->block;
	struct span head = n->span;
	/* a volume's size, an external's host and port: the point of them */
	bool whole = !strcmp(sym->decl->kind->name, "volume") ||
		     !strcmp(sym->decl->kind->name, "external");
	if (!whole && n->u.block.body_span.end > n->u.block.body_span.start)
		head.end = n->u.block.body_span.start;
	strbuf_printf(b, "```dep\n%s\n```\n%s", lsp_snippet(a, n->src, head, 200),
		      sym->decl->kind->doc);
	if (sym->by_kind)
		strbuf_printf(b, "\n\n`%s` names the %s declaration, whatever it is called.",
			      sym->decl->kind->name, sym->decl->kind->name);
}

static void hover_template(struct strbuf *b, struct arena *a, const struct template_def *t)
{
	struct lsp_signature sig;
	lsp_template_signature(&sig, a, t);
	strbuf_printf(b, "```dep\ntemplate %s %s\n```\n", t->node->u.template.kind, sig.label.data);
	strbuf_free(&sig.label);
	lsp_template_doc(b, t->node);
	if (t->module)
		strbuf_printf(b, "\n\nFrom the import `%s`.", t->module);
}

static void hover_param(struct strbuf *b, struct arena *a, const struct lsp_sym *sym)
{
	const struct ast_node *p = sym->param;
	strbuf_printf(b, "```dep\n(parameter) %s", p->u.attr.name);
	if (p->u.attr.value)
		strbuf_printf(b, " = %s", lsp_snippet(a, p->src, p->u.attr.value->span, 80));
	strbuf_printf(b, "\n```\nParameter of template `%s`%s", sym->tnode->u.template.name,
		      p->u.attr.value ? "." : "; required.");
}

static void hover_module(struct strbuf *b, struct arena *a, const struct program *p,
			 const struct module *m)
{
	size_t n;
	const struct template_def **list = lsp_templates(p, &n);
	strbuf_printf(b, "```dep\nimport \"%s\"\n```\nTemplates:", m->path);
	for (size_t i = 0; i < n; i++)
		if (list[i]->module && !strcmp(list[i]->module, m->name))
			strbuf_printf(b, " `%s`", lsp_template_name(a, list[i]));
	free(list);
}

static void hover_ctor(struct strbuf *b, const struct ctor *c)
{
	struct lsp_signature sig;
	lsp_ctor_signature(&sig, c);
	strbuf_printf(b, "```dep\n%s\n```\n%s (a %s constructor)", sig.label.data, c->doc, c->family);
	strbuf_free(&sig.label);
	for (size_t i = 0; i < c->param_count; i++)
		strbuf_printf(b, "\n- `%s`%s: %s", c->params[i].name,
			      c->params[i].flags & F_REQUIRED ? " (required)" : "", c->params[i].doc);
}

/* `db.port`: the field, and what the declaration sets it to. */
static void hover_field(struct strbuf *b, struct arena *a, const struct lsp_sym *sym)
{
	lsp_doc_field(b, sym->field);
	if (!sym->decl)
		return;
	const struct ast_node *set = NULL;
	for (const struct ast_node *e = sym->decl->body; e; e = e->next)
		if (e->kind == AST_ATTR && !strcmp(e->u.attr.name, sym->field->name))
			set = e->u.attr.value;
	if (set)
		strbuf_printf(b, "\n\n%s `%s` sets it to `%s`.", sym->decl->kind->name,
			      sym->decl->name, lsp_snippet(a, set->src, set->span, 80));
}

/* ---- literals ------------------------------------------------------- */

/* 720h: "30 days"; the largest unit that divides it. */
static void say_duration(struct strbuf *b, double ms)
{
	static const struct { double ms; const char *one, *many; } units[] = {
		{ 86400000, "day", "days" }, { 3600000, "hour", "hours" },
		{ 60000, "minute", "minutes" }, { 1000, "second", "seconds" },
		{ 1, "millisecond", "milliseconds" },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		double n = ms / units[i].ms;
		if (n == (double)(long long)n || i + 1 == sizeof units / sizeof units[0]) {
			strbuf_printf(b, "%g %s", n, n == 1 ? units[i].one : units[i].many);
			return;
		}
	}
}

static void say_value(struct strbuf *b, enum unit_dim dim, double base)
{
	switch (dim) {
	case UNIT_DURATION: say_duration(b, base); break;
	case UNIT_SIZE:
		strbuf_printf(b, "%.0f bytes", base);
		if (base >= 1024 * 1024)
			strbuf_printf(b, " (%g MiB)", base / (1024 * 1024));
		break;
	case UNIT_CPU: strbuf_printf(b, "%g of a cpu core (%g millicores)", base / 1000, base); break;
	default: strbuf_printf(b, "%g%%", base); break;
	}
}

/* The dimension a literal has where it stands: the field's, or the
 * suffix's own when it has one only. */
static bool unit_dim_of(const struct ast_node *n, const struct field *f, enum unit_dim *dim)
{
	enum type_kind t = f ? (f->type == TY_RANGE || f->type == TY_LIST ? f->elem : f->type)
			     : TY_NONE;
	static const struct { enum type_kind t; enum unit_dim d; } map[] = {
		{ TY_DURATION, UNIT_DURATION }, { TY_SIZE, UNIT_SIZE },
		{ TY_CPU, UNIT_CPU }, { TY_PERCENT, UNIT_PERCENT },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].t == t) {
			*dim = map[i].d;
			return true;
		}
	int found = 0;
	for (int d = 0; d < UNIT_DIM_COUNT; d++)
		if (unit_in_dim(n->u.unit.suffix, (enum unit_dim)d))
			*dim = (enum unit_dim)d, found++;
	return found == 1;
}

static const char *dim_word(enum unit_dim d)
{
	static const char *const words[] = { "duration", "size", "cpu amount", "percentage" };
	return words[d];
}

/* `30s`: what the number means for its field; in a range, which bound. */
static void hover_unit(struct strbuf *b, struct arena *a, const struct lsp_hit *h)
{
	const struct ast_node *n = h->node;
	enum unit_dim dim;
	double base;
	const char *text = lsp_snippet(a, n->src, n->span, 40);
	if (!unit_dim_of(n, h->ctx.field, &dim) || !unit_to_base(n->u.unit.suffix, n->u.unit.value,
								 dim, &base)) {
		strbuf_printf(b, "```dep\n%s\n```\n", text);
		if (!unit_known(n->u.unit.suffix)) {
			strbuf_printf(b, "`%s` is no unit suffix.", n->u.unit.suffix);
			return;
		}
		strbuf_printf(b, "`%s` is a suffix of", n->u.unit.suffix);
		for (int d = 0, said = 0; d < UNIT_DIM_COUNT; d++)
			if (unit_in_dim(n->u.unit.suffix, (enum unit_dim)d))
				strbuf_printf(b, "%s %s", said++ ? " and" : "", dim_word((enum unit_dim)d));
		strbuf_puts(b, ": the field it is given to decides.");
		return;
	}
	strbuf_printf(b, "```dep\n%s\n```\nA %s: ", text, dim_word(dim));
	say_value(b, dim, base);
	strbuf_puts(b, ".");
	const struct ast_node *v = h->ctx.attr ? h->ctx.attr->u.attr.value : NULL;
	if (v && v->kind == AST_RANGE && (v->u.range.lo == n || v->u.range.hi == n))
		strbuf_printf(b, "\n\nThe %s of `%s`.", v->u.range.lo == n ? "request" : "limit",
			      h->ctx.attr->u.attr.name);
}

static void say_bound(struct strbuf *b, const struct ast_node *n, const struct field *f)
{
	enum unit_dim dim;
	double base;
	if (n->kind == AST_UNIT && unit_dim_of(n, f, &dim) &&
	    unit_to_base(n->u.unit.suffix, n->u.unit.value, dim, &base))
		say_value(b, dim, base);
	else
		strbuf_puts(b, "as written");
}

/* `100m..500m`: request and limit. */
static void hover_range(struct strbuf *b, struct arena *a, const struct lsp_hit *h)
{
	const struct ast_node *n = h->node;
	strbuf_printf(b, "```dep\n%s\n```\nrequest..limit: ", lsp_snippet(a, n->src, n->span, 60));
	strbuf_puts(b, "the request ");
	say_bound(b, n->u.range.lo, h->ctx.field);
	strbuf_puts(b, " is reserved, the limit ");
	say_bound(b, n->u.range.hi, h->ctx.field);
	strbuf_puts(b, " is the most it may use.");
	if (h->ctx.field)
		strbuf_printf(b, "\n\n`%s`: %s", h->ctx.field->name, h->ctx.field->doc);
}

/* `unset health.startup`, on a segment: that field, and what unset does. */
static void hover_unset(struct strbuf *b, struct arena *a, const struct lsp_hit *h)
{
	const struct kind *k = h->ctx.kind;
	const struct field *f = NULL;
	bool map_key = h->ctx.map != NULL;
	for (const struct ast_node *seg = h->node->u.unset.path; seg; seg = seg->next) {
		if (map_key)
			f = NULL;
		else if (f && f->type == TY_MAP)
			map_key = true;
		else
			f = (f && f->type == TY_BLOCK) ? (k = schema_kind(f->arg),
							  k ? schema_field(k, seg->u.ident.name) : NULL)
				: !f && k ? schema_field(k, seg->u.ident.name) : NULL;
		if (seg->span.start == h->span.start)
			break;
	}
	strbuf_printf(b, "```dep\nunset %s\n```\n", ast_unset_path(a, h->node));
	if (map_key)
		strbuf_puts(b, "Removes this entry ");
	else if (f)
		strbuf_printf(b, "`%s`: %s\n\nRemoves it ", f->name, f->doc);
	else
		strbuf_puts(b, "Removes it ");
	strbuf_puts(b, h->node->u.unset.value ? "(the list entries given) " : "");
	strbuf_puts(b, "from what the template sets (in an overlay: what the base declaration "
		    "sets); the default applies again.");
}

/* An entry of a service's `alerts { }`: the generated alert it changes. */
static void hover_alert(struct strbuf *b, struct arena *a, const struct lsp_hit *h)
{
	const struct ast_node *n = h->node;
	const struct field *f = h->ctx.map;
	if (!n || !f || !f->arg || strcmp(f->arg, "alerts") ||
	    (n->kind != AST_ATTR && n->kind != AST_BLOCK))
		return;
	const struct service_alert *al = service_alert_named(n->kind == AST_ATTR ? n->u.attr.name
									    : n->u.block.kind);
	if (!al)
		return;
	static const char *const unit[] = { "none", "a percentage", "a duration" };
	strbuf_printf(b, "```dep\n%s\n```\nGenerated alert: fires when %s, for %s, as %s.  "
		      "Threshold: %s.%s", al->name, al->doc, format_duration(a, al->for_ms),
		      al->severity, unit[al->threshold],
		      al->http ? "  Only a service with a port gets it." : "");
}

/* A string in `secrets`: a value composed from secrets, delivered as one. */
static bool composed_value(const struct lsp_hit *h)
{
	const struct ast_node *v = h->ctx.attr ? h->ctx.attr->u.attr.value : NULL;
	return h->node && h->node->kind == AST_STRING &&
	       h->ctx.field && !strcmp(h->ctx.field->name, "secrets") && v &&
	       v->kind == AST_STRING && !ast_string_plain(v);
}

static void hover_composed(struct strbuf *b, struct arena *a, const struct lsp_hit *h)
{
	const struct ast_node *attr = h->ctx.attr;
	strbuf_printf(b, "```dep\n%s = %s\n```\nA value composed from secrets: `${NAME}` naming a "
		      "secret stands for its value, other interpolations for references.  It is "
		      "a secret: `%s` is delivered as one on every target (an External Secrets "
		      "template on Kubernetes, the secrets' variables or a wrapper on Compose and "
		      "ECS), never written in clear.", attr->u.attr.name,
		      lsp_snippet(a, attr->u.attr.value->src, attr->u.attr.value->span, 80),
		      attr->u.attr.name);
}

static void hover_literal(struct strbuf *b, struct arena *a, const struct lsp_hit *h)
{
	hover_alert(b, a, h);
	if (b->len)
		return;
	if (h->node && h->node->kind == AST_UNSET) {
		hover_unset(b, a, h);
		return;
	}
	if (h->node && h->node->kind == AST_UNIT)
		hover_unit(b, a, h);
	else if (h->node && h->node->kind == AST_RANGE)
		hover_range(b, a, h);
	else if (composed_value(h))
		hover_composed(b, a, h);
}

static void hover_text(struct strbuf *b, struct arena *a, const struct program *p,
		       const struct lsp_sym *sym)
{
	switch (sym->kind) {
	case SYM_DECL: hover_decl(b, a, sym); break;
	case SYM_TEMPLATE: hover_template(b, a, sym->tmpl); break;
	case SYM_PARAM: hover_param(b, a, sym); break;
	case SYM_MODULE: hover_module(b, a, p, sym->module); break;
	case SYM_CTOR: hover_ctor(b, sym->ctor); break;
	case SYM_KIND: lsp_doc_kind(b, sym->k); break;
	case SYM_FIELD: hover_field(b, a, sym); break;
	case SYM_MEMBER:
		strbuf_printf(b, "```dep\n%s.%s\n```\n%s: `%s`", sym->decl->name, sym->member,
			      !strcmp(sym->member, "host")
				      ? "the host name other services reach it by"
				      : "the declaration's name",
			      sym->decl->name);
		break;
	case SYM_WORD:
		strbuf_printf(b, "```dep\n%s\n```\nOne of %s: %s", sym->word, sym->field->arg,
			      sym->field->doc);
		break;
	case SYM_VOLUME:
		strbuf_printf(b, "```dep\nvolume \"%s\"\n```\nNo volume `%s` is declared (E0235): "
			      "declare it with `volume %s { size = ... }`.", sym->word, sym->word,
			      sym->word);
		break;
	case SYM_ALERT:
		strbuf_printf(b, "```dep\n%s\n```\nAlert rule `%s` of the monitor.",
			      lsp_snippet(a, sym->node->src, sym->node->span, 200), sym->word);
		break;
	default: break;
	}
}

static cJSON *markup(const char *text)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "kind", "markdown");
	cJSON_AddStringToObject(m, "value", text);
	return m;
}

cJSON *lsp_hover(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	uint32_t at;
	if (!d || !lsp_param_offset(rq, d, "position", &at))
		return NULL;
	struct lsp_hit hit;
	struct lsp_sym sym;
	lsp_locate(d->comp->ast, at, &hit);
	lsp_resolve(d->comp->program, &hit, &sym);
	struct strbuf b;
	strbuf_init(&b);
	hover_text(&b, &rq->scratch, d->comp->program, &sym);
	if (!b.len)
		hover_literal(&b, &rq->scratch, &hit);
	if (!b.len)
		return cJSON_CreateNull();
	cJSON *h = cJSON_CreateObject();
	cJSON_AddItemToObject(h, "contents", markup(b.data));
	cJSON_AddItemToObject(h, "range", lsp_range(rq->s, d->comp->source, hit.span));
	strbuf_free(&b);
	return h;
}

/* ---- signature help ------------------------------------------------- */

struct call_finder {
	uint32_t at;
	const struct ast_node *call;
	struct lsp_ctx ctx;
};

/* The innermost call whose parentheses hold `at`. */
static bool call_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct call_finder *f = data;
	if (n->span.start > f->at || n->span.end < f->at)
		return false;
	if (n->kind == AST_CALL && n->u.call.callee->span.end < f->at && f->at < n->span.end) {
		f->call = n;
		f->ctx = *ctx;
	}
	return true;
}

static void find_call(const struct ast_node *file, uint32_t at, struct call_finder *f)
{
	memset(f, 0, sizeof *f);
	f->at = at;
	lsp_walk(file, call_visit, f);
}

/* Parses the text with ')' put at the cursor, for a call being typed. */
static void find_open_call(struct arena *a, const struct lsp_doc *d, uint32_t at,
			   struct call_finder *f)
{
	char *text = arena_alloc(a, d->len + 2);
	memcpy(text, d->text, at);
	text[at] = ')';
	memcpy(text + at + 1, d->text + at, d->len - at);
	struct diag_bag bag;
	diag_bag_init(&bag, a);
	struct source *src = source_from_memory(a, d->name, text, d->len + 1);
	if (src)
		find_call(parse_source(a, src, &bag), at, f);
}

static size_t index_of(const struct lsp_signature *sig, const char *name, size_t len)
{
	for (size_t i = 0; i < sig->count; i++) {
		struct span p = sig->params[i];
		const char *s = sig->label.data + p.start;
		size_t n = strcspn(s, ":= ,)");
		if (n == len && !strncmp(s, name, len) && n <= p.end - p.start)
			return i;
	}
	return sig->count;
}

/* The parameter the cursor is on: the named argument it is in, the
 * positional one, or after a named argument the first one not given. */
static size_t active_param(const struct ast_node *call, const struct lsp_signature *sig,
			   uint32_t at)
{
	size_t pos = 0;
	bool named = false, given[LSP_MAX_PARAMS] = { false };
	for (const struct ast_node *a = call->u.call.args; a; a = a->next) {
		bool is_named = a->kind == AST_ATTR;
		size_t i = is_named ? index_of(sig, a->u.attr.name, strlen(a->u.attr.name)) : pos;
		if (a->span.start <= at && at <= a->span.end)
			return i;
		if (a->span.end < at) {
			named |= is_named;
			pos++;
			if (i < LSP_MAX_PARAMS)
				given[i] = true;
		}
	}
	for (size_t i = 0; named && i < sig->count; i++)
		if (!given[i])
			return i;
	return pos;
}

static size_t label_units(const struct lsp_server *s, const char *text, size_t n)
{
	if (s->encoding == LSP_UTF8)
		return n;
	size_t units = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		units += (c & 0xC0) != 0x80; /* one per character ... */
		units += c >= 0xF0;          /* ... and two for a 4-byte one */
	}
	return units;
}

static cJSON *signature_json(const struct lsp_server *s, const struct lsp_signature *sig,
			     const char *doc)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "label", sig->label.data);
	if (doc && *doc)
		cJSON_AddItemToObject(o, "documentation", markup(doc));
	cJSON *params = cJSON_AddArrayToObject(o, "parameters");
	for (size_t i = 0; i < sig->count; i++) {
		cJSON *p = cJSON_CreateObject(), *range = cJSON_CreateArray();
		size_t start = label_units(s, sig->label.data, sig->params[i].start);
		size_t end = label_units(s, sig->label.data, sig->params[i].end);
		cJSON_AddItemToArray(range, cJSON_CreateNumber((double)start));
		cJSON_AddItemToArray(range, cJSON_CreateNumber((double)end));
		cJSON_AddItemToObject(p, "label", range);
		if (sig->fields[i])
			cJSON_AddStringToObject(p, "documentation", sig->fields[i]->doc);
		cJSON_AddItemToArray(params, p);
	}
	return o;
}

/* The signature of what `call` calls, with its documentation in *doc. */
static bool call_signature(struct lsp_signature *sig, struct strbuf *doc, struct arena *a,
			   const struct program *p, const struct call_finder *f)
{
	if (f->ctx.base && f->ctx.callee) { /* the block's own call */
		const struct template_def *t = lsp_find_template(p, f->call);
		if (!t)
			return false;
		lsp_template_signature(sig, a, t);
		lsp_template_doc(doc, t->node);
		return true;
	}
	const struct ctor *c = lsp_find_ctor(f->call, &f->ctx);
	if (!c)
		return false;
	lsp_ctor_signature(sig, c);
	strbuf_puts(doc, c->doc);
	return true;
}

static cJSON *signature_help(struct lsp_server *s, struct arena *a, const struct program *p,
			     const struct call_finder *f)
{
	struct lsp_signature sig;
	struct strbuf doc;
	strbuf_init(&doc);
	if (!call_signature(&sig, &doc, a, p, f)) {
		strbuf_free(&doc);
		return cJSON_CreateNull();
	}
	size_t active = active_param(f->call, &sig, f->at);
	if (active >= sig.count && sig.count)
		active = sig.count - 1; /* exec("a", "b", ...): the rest */
	cJSON *h = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(h, "signatures"),
			     signature_json(s, &sig, doc.data));
	cJSON_AddNumberToObject(h, "activeSignature", 0);
	cJSON_AddNumberToObject(h, "activeParameter", (double)active);
	strbuf_free(&sig.label);
	strbuf_free(&doc);
	return h;
}

cJSON *lsp_signature_help(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	uint32_t at;
	if (!d || !lsp_param_offset(rq, d, "position", &at))
		return NULL;
	struct call_finder f;
	find_call(d->comp->ast, at, &f);
	if (!f.call)
		find_open_call(&rq->scratch, d, at, &f);
	return f.call ? signature_help(rq->s, &rq->scratch, d->comp->program, &f)
		      : cJSON_CreateNull();
}
