/* lsp_syntax.c - semantic tokens, folding ranges, formatting.
 *
 * Semantic tokens come from the syntax tree, walked with lsp_locate.c's
 * context so that every name is coloured for what it is (a kind, a
 * field, a declaration or a reference to one, a template, a parameter,
 * a word of an enumeration, a constructor), and from the comments the
 * scanner reported when the document was analysed (lsp_docs.c); nothing
 * here reads tokens from the text.  The answer is kept with the
 * analysis, so asking again before the next edit sends it again.  Tokens
 * never overlap, are sorted, and are cut at line ends, since clients
 * need not support multi-line tokens; a string's interpolations are
 * tokens of their own inside it.
 *
 * Folding ranges cover blocks, templates, multi-line lists, maps, calls
 * and strings, runs of imports and of comment lines; each keeps its
 * closing line visible.  Formatting is fmt_tree(), the printer of `depc
 * fmt`, given the tree and comments of the analysis's parse; it is
 * answered as one edit of the lines that differ (and kept until the next
 * edit, like the tokens); a document with syntax errors is not
 * formatted. */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "parse.h"

enum token_type {
	TOK_KEYWORD, TOK_TYPE, TOK_VARIABLE, TOK_PROPERTY, TOK_FUNCTION, TOK_PARAMETER,
	TOK_STRING, TOK_NUMBER, TOK_ENUM_MEMBER, TOK_COMMENT, TOK_NAMESPACE, TOK_TYPE_COUNT
};

enum { MOD_DECLARATION = 1, MOD_DEFAULT_LIBRARY = 2 };

static const char *const type_names[TOK_TYPE_COUNT] = {
	"keyword", "type", "variable", "property", "function", "parameter",
	"string", "number", "enumMember", "comment", "namespace",
};

cJSON *lsp_semantic_legend(void)
{
	cJSON *legend = cJSON_CreateObject();
	cJSON *types = cJSON_AddArrayToObject(legend, "tokenTypes");
	for (int i = 0; i < TOK_TYPE_COUNT; i++)
		cJSON_AddItemToArray(types, cJSON_CreateString(type_names[i]));
	cJSON *mods = cJSON_AddArrayToObject(legend, "tokenModifiers");
	cJSON_AddItemToArray(mods, cJSON_CreateString("declaration"));
	cJSON_AddItemToArray(mods, cJSON_CreateString("defaultLibrary"));
	return legend;
}

/* ---- collecting tokens ---------------------------------------------- */

struct token {
	struct span at;
	int type;
	int mods;
};

struct tokens {
	const struct program *p;
	struct token *list;
	size_t n, cap;
};

static void add(struct tokens *t, struct span at, int type, int mods)
{
	if (at.end <= at.start)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->list = xrealloc(t->list, t->cap * sizeof *t->list);
	}
	t->list[t->n++] = (struct token){ at, type, mods };
}

static struct span word_at(uint32_t start, uint32_t len)
{
	return span_make(start, start + len);
}

/* A string without its interpolations, which are tokens of their own. */
static void add_string(struct tokens *t, const struct ast_node *n)
{
	uint32_t from = n->span.start;
	for (const struct ast_node *part = n->u.string.parts; part; part = part->next) {
		if (part->kind == AST_TEXT)
			continue;
		add(t, span_make(from, part->span.start), TOK_STRING, 0);
		from = part->span.end;
	}
	add(t, span_make(from, n->span.end), TOK_STRING, 0);
}

static void add_block(struct tokens *t, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	bool top = ctx->where == CTX_TOP || ctx->where == CTX_OVERLAY;
	add(t, n->u.block.kind_span, top ? TOK_KEYWORD : TOK_PROPERTY, 0);
	if (!n->u.block.label)
		return;
	if (n->u.block.label_quoted)
		add(t, n->u.block.label_span, TOK_STRING, 0);
	else if (ctx->where == CTX_TOP && !strcmp(n->u.block.kind, "env"))
		add(t, n->u.block.label_span, TOK_NAMESPACE, MOD_DECLARATION);
	else
		add(t, n->u.block.label_span, TOK_VARIABLE,
		    ctx->where == CTX_OVERLAY ? 0 : MOD_DECLARATION);
}

static void add_attr(struct tokens *t, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (ctx->where == CTX_PARAMS)
		add(t, n->u.attr.name_span, TOK_PARAMETER, MOD_DECLARATION);
	else if (ctx->where == CTX_ARGS)
		add(t, n->u.attr.name_span, TOK_PARAMETER, 0);
	else
		add(t, n->u.attr.name_span, TOK_PROPERTY, 0);
}

static void add_ident(struct tokens *t, const struct ast_node *n, const struct lsp_ctx *ctx)
{
	if (ctx->callee && ctx->base) {
		add(t, n->span, ctx->object ? TOK_NAMESPACE : TOK_FUNCTION, 0);
		return;
	}
	if (ctx->callee) {
		add(t, n->span, TOK_FUNCTION, MOD_DEFAULT_LIBRARY);
		return;
	}
	struct lsp_sym s;
	lsp_resolve_ident(t->p, n, ctx, &s);
	if (s.kind == SYM_PARAM)
		add(t, n->span, TOK_PARAMETER, 0);
	else if (s.kind == SYM_WORD)
		add(t, n->span, TOK_ENUM_MEMBER, 0);
	else
		add(t, n->span, TOK_VARIABLE, 0);
}

static void add_template(struct tokens *t, const struct ast_node *n)
{
	add(t, word_at(n->span.start, 8), TOK_KEYWORD, 0);
	add(t, n->u.template.kind_span, TOK_TYPE, 0);
	add(t, n->u.template.name_span, TOK_FUNCTION, MOD_DECLARATION);
}

static void add_import(struct tokens *t, const struct ast_node *n)
{
	add(t, word_at(n->span.start, 6), TOK_KEYWORD, 0);
	add(t, n->u.import.path_span, TOK_STRING, 0);
	if (n->u.import.alias)
		add(t, n->u.import.alias_span, TOK_NAMESPACE, MOD_DECLARATION);
}

/* `unset health.startup`: the keyword, then each name of the path. */
static void add_unset(struct tokens *t, const struct ast_node *n)
{
	add(t, word_at(n->span.start, 5), TOK_KEYWORD, 0);
	for (const struct ast_node *seg = n->u.unset.path; seg; seg = seg->next)
		add(t, seg->span, TOK_PROPERTY, 0);
	if (n->u.unset.value && n->u.unset.value->kind == AST_STRING)
		add_string(t, n->u.unset.value);
}

static bool token_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct tokens *t = data;
	switch (n->kind) {
	case AST_IMPORT: add_import(t, n); break;
	case AST_TEMPLATE: add_template(t, n); break;
	case AST_UNSET: add_unset(t, n); break;
	case AST_BLOCK: add_block(t, n, ctx); break;
	case AST_ATTR: add_attr(t, n, ctx); break;
	case AST_IDENT: add_ident(t, n, ctx); break;
	case AST_MEMBER:
		add(t, n->u.member.name_span, ctx->callee ? TOK_FUNCTION : TOK_PROPERTY, 0);
		break;
	case AST_STRING: add_string(t, n); break;
	case AST_INT: case AST_FLOAT: case AST_UNIT: add(t, n->span, TOK_NUMBER, 0); break;
	case AST_BOOL: add(t, n->span, TOK_KEYWORD, 0); break;
	default: break;
	}
	return true;
}

static int by_position(const void *a, const void *b)
{
	const struct token *x = a, *y = b;
	if (x->at.start != y->at.start)
		return x->at.start < y->at.start ? -1 : 1;
	return x->at.end < y->at.end ? -1 : x->at.end > y->at.end;
}

/* ---- encoding ------------------------------------------------------- */

struct encoder {
	const struct lsp_server *s;
	const struct source *src;
	struct strbuf data; /* the numbers, each followed by a comma */
	size_t line, col;   /* of the previous token */
	size_t at_line;     /* 1-based line of the last offset seen: tokens come in order */
	uint32_t at;        /* the last offset whose column was counted */
	size_t at_col;      /* and its column */
};

/* The five numbers of a token, each followed by a comma, in one write. */
static void push(struct strbuf *b, const size_t v[5])
{
	char text[5 * 21], *end = text + sizeof text, *p = end;
	for (int i = 4; i >= 0; i--) {
		size_t n = v[i];
		*--p = ',';
		do {
			*--p = (char)('0' + n % 10);
			n /= 10;
		} while (n);
	}
	strbuf_put(b, p, (size_t)(end - p));
}

/* The 1-based line of `offset`, found by moving on from the last one. */
static size_t line_of(struct encoder *e, uint32_t offset)
{
	const struct source *src = e->src;
	if (offset < src->line_starts[e->at_line - 1])
		e->at_line = source_line_of(src, offset);
	while (e->at_line < src->line_count && src->line_starts[e->at_line] <= offset)
		e->at_line++;
	return e->at_line;
}

/* lsp_column, counted on from the last offset of the same line while
 * the text is ASCII (each byte one unit in UTF-8 and UTF-16 alike). */
static size_t column(struct encoder *e, uint32_t offset, size_t line)
{
	uint32_t line_start = e->src->line_starts[line - 1];
	if (e->s->encoding == LSP_UTF8)
		return offset - line_start;
	if (e->at < line_start || e->at > offset) {
		e->at = line_start;
		e->at_col = 0;
	}
	const unsigned char *p = (const unsigned char *)e->src->text;
	for (; e->at < offset; e->at++, e->at_col++)
		if (p[e->at] >= 0x80) {
			e->at_col = lsp_column(e->s, e->src, offset);
			break;
		}
	e->at = offset;
	return e->at_col;
}

/* One token, cut into one piece per line. */
static void encode(struct encoder *e, const struct token *t, uint32_t *done)
{
	uint32_t start = t->at.start > *done ? t->at.start : *done; /* never overlap */
	while (start < t->at.end) {
		size_t line = line_of(e, start);
		struct span ls = source_line_span(e->src, line);
		uint32_t end = t->at.end < ls.end ? t->at.end : ls.end;
		if (end > start) {
			size_t col = column(e, start, line);
			size_t v[5] = { line - 1 - e->line, line - 1 == e->line ? col - e->col : col,
					column(e, end, line) - col, (size_t)t->type, (size_t)t->mods };
			push(&e->data, v);
			e->line = line - 1;
			e->col = col;
		}
		start = line < e->src->line_count ? e->src->line_starts[line] : t->at.end;
	}
	*done = t->at.end > *done ? t->at.end : *done;
}

/* The walk gives tokens almost in source order (X.y gives y before X),
 * so an insertion sort puts them in order in about one pass; past a
 * budget of moves (an input built to be far out of order) qsort does. */
static void sort_tokens(struct token *list, size_t n)
{
	size_t budget = 8 * n + 64;
	for (size_t i = 1; i < n; i++) {
		struct token t = list[i];
		size_t j = i;
		while (j > 0 && by_position(&list[j - 1], &t) > 0) {
			list[j] = list[j - 1];
			j--;
			if (--budget == 0) {
				list[j] = t;
				qsort(list, n, sizeof *list, by_position);
				return;
			}
		}
		list[j] = t;
	}
}

/* The comments, in source order already, merged into the walk's tokens. */
static void add_comments(struct tokens *t, const struct parse_comment *list)
{
	size_t walked = t->n;
	sort_tokens(t->list, walked);
	if (!list) /* nothing to merge; and no arithmetic on an empty, null list */
		return;
	for (; list; list = list->next)
		add(t, list->span, TOK_COMMENT, 0);
	sort_tokens(t->list + walked, t->n - walked);
	struct token *merged = xmalloc((t->n ? t->n : 1) * sizeof *merged);
	size_t i = 0, j = walked, k = 0;
	while (i < walked || j < t->n)
		merged[k++] = j == t->n || (i < walked && by_position(&t->list[i], &t->list[j]) <= 0)
				      ? t->list[i++] : t->list[j++];
	free(t->list);
	t->list = merged;
}

/* {"data":[...]}, written as text (lsp_raw.c): a big document has
 * hundreds of thousands of these numbers. */
static char *tokens_answer(const struct lsp_server *s, struct lsp_doc *d)
{
	struct tokens t = { .p = d->comp->program };
	lsp_walk(d->comp->ast, token_visit, &t);
	add_comments(&t, d->comments);
	struct encoder e = { s, d->comp->source, { 0 }, 0, 0, 1, 0, 0 };
	strbuf_init(&e.data);
	strbuf_puts(&e.data, "{\"data\":[");
	uint32_t done = 0;
	for (size_t i = 0; i < t.n; i++)
		encode(&e, &t.list[i], &done);
	free(t.list);
	if (e.data.data[e.data.len - 1] == ',')
		e.data.len--;
	strbuf_puts(&e.data, "]}");
	return e.data.data;
}

cJSON *lsp_semantic_tokens(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	if (!d)
		return NULL;
	if (!d->tokens)
		d->tokens = tokens_answer(rq->s, d);
	return lsp_raw_ref(d->tokens);
}

/* ---- folding ranges ------------------------------------------------- */

struct folds {
	const struct source *src;
	cJSON *list;
	size_t last; /* start line of the last range, +1 (0: none yet) */
};

/* Lines first..last-but-one of `sp` fold, keeping the closing line. */
static void fold(struct folds *f, struct span sp, const char *kind, bool keep_last)
{
	if (sp.end <= sp.start)
		return;
	size_t first = source_line_of(f->src, sp.start) - 1;
	size_t last = source_line_of(f->src, sp.end - 1) - 1 - (keep_last ? 1 : 0);
	if (last <= first || first + 1 == f->last)
		return;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddNumberToObject(r, "startLine", (double)first);
	cJSON_AddNumberToObject(r, "endLine", (double)last);
	if (kind)
		cJSON_AddStringToObject(r, "kind", kind);
	cJSON_AddItemToArray(f->list, r);
	f->last = first + 1;
}

static bool fold_visit(const struct ast_node *n, const struct lsp_ctx *ctx, void *data)
{
	struct folds *f = data;
	switch (n->kind) {
	case AST_BLOCK: fold(f, n->u.block.body_span, NULL, true); break;
	case AST_TEMPLATE: case AST_LIST: case AST_MAP: case AST_CALL:
		fold(f, n->span, NULL, true);
		break;
	case AST_STRING: fold(f, n->span, NULL, false); break;
	default: break;
	}
	return true;
}

/* Runs of items of one sort on consecutive lines: imports, comments. */
struct run {
	struct span at;
	size_t end_line;
};

static void run_add(struct folds *f, struct run *r, struct span sp, const char *kind)
{
	size_t first = source_line_of(f->src, sp.start);
	if (r->at.end > r->at.start && first <= r->end_line + 1) {
		r->at.end = sp.end;
	} else {
		if (r->at.end > r->at.start)
			fold(f, r->at, kind, false);
		r->at = sp;
	}
	r->end_line = source_line_of(f->src, sp.end > sp.start ? sp.end - 1 : sp.end);
}

static void fold_imports(struct folds *f, const struct ast_node *file)
{
	struct run r = { { 0, 0 }, 0 };
	for (const struct ast_node *n = file->u.file.items; n; n = n->next)
		if (n->kind == AST_IMPORT)
			run_add(f, &r, n->span, "imports");
	if (r.at.end > r.at.start)
		fold(f, r.at, "imports", false);
}

static void fold_comments(struct folds *f, const struct parse_comment *list)
{
	struct run r = { { 0, 0 }, 0 };
	for (; list; list = list->next)
		run_add(f, &r, list->span, "comment");
	if (r.at.end > r.at.start)
		fold(f, r.at, "comment", false);
}

cJSON *lsp_folding_ranges(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	if (!d)
		return NULL;
	struct folds f = { d->comp->source, cJSON_CreateArray(), 0 };
	fold_comments(&f, d->comments);
	f.last = 0;
	fold_imports(&f, d->comp->ast);
	f.last = 0;
	lsp_walk(d->comp->ast, fold_visit, &f);
	return f.list;
}

/* ---- formatting ----------------------------------------------------- */

/* Bytes the texts share at the start, then at the end, both cut back to
 * whole lines so that the edit's ends are line starts. */
static void common_lines(const char *a, size_t alen, const char *b, size_t blen,
			 size_t *head, size_t *tail)
{
	size_t h = 0;
	while (h < alen && h < blen && a[h] == b[h])
		h++;
	while (h > 0 && a[h - 1] != '\n')
		h--;
	size_t t = 0;
	while (t < alen - h && t < blen - h && a[alen - 1 - t] == b[blen - 1 - t])
		t++;
	while (t > 0 && t < alen - h && a[alen - 1 - t] != '\n')
		t--;
	*head = h;
	*tail = t;
}

/* The one edit from `src` to its formatted text `out`: the lines that
 * differ.  newText refers to `out`, cut after it, rather than copying it. */
static cJSON *format_edit(const struct lsp_server *s, const struct source *src, char *out,
			  size_t len)
{
	size_t head, tail;
	common_lines(src->text, src->len, out, len, &head, &tail);
	cJSON *e = cJSON_CreateObject();
	cJSON_AddItemToObject(e, "range", lsp_range(s, src,
						    span_make((uint32_t)head, (uint32_t)(src->len - tail))));
	out[len - tail] = '\0';
	cJSON_AddItemToObject(e, "newText", cJSON_CreateStringReference(out + head));
	return e;
}

/* The edits that format the document, as JSON text (malloc'd), or NULL
 * when it has syntax errors.  The analysis's tree and comments are
 * printed as they are: the checker reads the tree and never changes it,
 * so this is what fmt_source() gives, without parsing the text a second
 * time.  The formatted text has an arena of its own, freed once the
 * answer is printed: on a big document it is megabytes, and the request's
 * scratch arena lives until the reply is sent. */
static char *format_answer(const struct lsp_server *s, const struct lsp_doc *d)
{
	if (d->syntax_errors)
		return NULL;
	const struct source *src = d->comp->source;
	struct arena a;
	arena_init(&a);
	char *out = fmt_tree(&a, src, d->comp->ast, d->comments);
	size_t len = strlen(out);
	cJSON *edits = cJSON_CreateArray();
	if (len != src->len || memcmp(out, src->text, len))
		cJSON_AddItemToArray(edits, format_edit(s, src, out, len));
	char *answer = lsp_raw_print(edits);
	arena_free(&a);
	return answer;
}

cJSON *lsp_formatting(struct lsp_request *rq)
{
	struct lsp_doc *d = lsp_param_doc(rq);
	if (!d)
		return NULL;
	if (!d->formatting)
		d->formatting = format_answer(rq->s, d);
	if (!d->formatting)
		return lsp_fail(rq, LSP_REQUEST_FAILED, "the document has syntax errors, "
				"so it is not formatted");
	return lsp_raw_ref(d->formatting);
}
