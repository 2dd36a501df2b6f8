/* resolve.c - imports, the declaration table, templates and overlays.
 *
 * After this pass every declaration has one body: the template's body
 * with the arguments substituted, the declaration's own entries merged
 * over it, and the selected environment overlay merged over that.
 * Declarations may be used before they are declared; nothing here
 * depends on order except the order of output.  Type checking is
 * check.c's job: this pass only knows kinds and names. */
#include "program.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "parse.h"
#include "resolve_file.h"
#include "suggest.h"

void program_init(struct program *p, struct arena *a, struct diag_bag *diags,
		  const struct source *src, struct ast_node *root)
{
	memset(p, 0, sizeof *p);
	p->arena = a;
	p->diags = diags;
	p->src = src;
	p->root = root;
	p->decls_tail = &p->decls;
}

/* Names share one namespace so `${db.host}` can never be ambiguous;
 * only the cloud's provider label ("aws") stands outside it. */
bool program_named_kind(const struct kind *k)
{
	return k->label == LABEL_NAME && strcmp(k->name, "cloud") != 0;
}

static bool in_namespace(const struct decl *d)
{
	return program_named_kind(d->kind);
}

/* --- the name index ---------------------------------------------------
 * Lookups by name happen once per reference, so they must not scan the
 * declarations: a file of 100,000 services would take quadratic time. */

/* FNV-1a: numbered names (api0-1, api0-2, db0-0-data) differ in their
 * last bytes, which a multiply after each byte spreads to the low bits
 * the table uses (h * 33 left runs of neighbouring slots). */
static size_t name_hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static struct decl **index_slot(struct decl **index, size_t cap, const char *name)
{
	size_t i = name_hash(name) & (cap - 1);
	while (index[i] && strcmp(index[i]->name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &index[i];
}

static void index_grow(struct program *p)
{
	size_t cap = p->index_cap ? p->index_cap * 2 : 64;
	struct decl **index = arena_calloc(p->arena, cap, sizeof *index);
	for (size_t i = 0; i < p->index_cap; i++)
		if (p->index[i])
			*index_slot(index, cap, p->index[i]->name) = p->index[i];
	p->index = index;
	p->index_cap = cap;
}

static void index_add(struct program *p, struct decl *d)
{
	size_t k = (size_t)(d->kind - schema_kind_at(0));
	if (k < sizeof p->first_of_kind / sizeof p->first_of_kind[0] && !p->first_of_kind[k])
		p->first_of_kind[k] = d;
	if (!in_namespace(d))
		return;
	if ((p->index_count + 1) * 2 > p->index_cap)
		index_grow(p);
	*index_slot(p->index, p->index_cap, d->name) = d;
	p->index_count++;
}

struct decl *program_find(const struct program *p, const char *name)
{
	return p->index_cap ? *index_slot(p->index, p->index_cap, name) : NULL;
}

struct decl *program_find_kind(const struct program *p, const char *kind)
{
	const struct kind *k = schema_kind(kind);
	size_t i = k ? (size_t)(k - schema_kind_at(0)) : 0;
	if (k && i < sizeof p->first_of_kind / sizeof p->first_of_kind[0])
		return p->first_of_kind[i];
	return NULL;
}

const char *program_suggest(const struct program *p, const char *name,
			    const char *kind)
{
	/* Past the error limit nothing more is shown, so skip the scan: a
	 * file with a bad reference in each of 100,000 services must not
	 * compare every name with every other. */
	if (p->diags->overflow)
		return NULL;
	struct suggest s;
	suggest_init(&s, name);
	for (struct decl *d = p->decls; d; d = d->next)
		if (in_namespace(d) && (!kind || schema_enum_has(kind, d->kind->name)))
			suggest_consider(&s, d->name);
	return suggest_result(&s);
}

/* --- imports -------------------------------------------------------- */

static void load_imports(struct program *p, struct ast_node *root);

static const char *base_name(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t len = strlen(name);
	if (len > 4 && !strcmp(name + len - 4, ".dep"))
		len -= 4;
	return arena_strndup(a, name, len);
}

static struct source *find_std(struct program *p, const char *name)
{
	for (const struct embedded_file *f = depc_stdlib; f->name; f++)
		if (!strcmp(f->name, name))
			return source_from_memory(p->arena,
						  arena_printf(p->arena, "<std>/%s.dep", name),
						  f->contents, strlen(f->contents));
	return NULL;
}

static const char *std_suggest(const char *name)
{
	struct suggest s;
	suggest_init(&s, name);
	for (const struct embedded_file *f = depc_stdlib; f->name; f++)
		suggest_consider(&s, f->name);
	return suggest_result(&s);
}

/* Tries DIR/PATH[.dep] for the importing file's directory, then each
 * search directory in order, up to the first place something is: it is
 * read, or refused (resolve_file.c). */
static struct import_file find_file(struct program *p, const char *path,
				    const struct source *from)
{
	const char *ext = strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".dep") ? "" : ".dep";
	const char *slash = strrchr(from->name, '/');
	const char *dir = slash ? arena_strndup(p->arena, from->name,
						(size_t)(slash - from->name)) : ".";
	struct import_file r = { IMPORT_ABSENT, NULL, NULL };
	for (size_t i = 0; i <= p->search_count; i++) {
		const char *base = i == 0 ? dir : p->search[i - 1];
		const char *full = path[0] == '/' ? arena_printf(p->arena, "%s%s", path, ext)
			: arena_printf(p->arena, "%s/%s%s", base, path, ext);
		r = import_file_open(p->arena, full);
		if (r.result != IMPORT_ABSENT || path[0] == '/')
			break;
	}
	return r;
}

/* "std/node, std/postgres, std/redis": the whole standard library is
 * short enough to list, which beats pointing somewhere else. */
static const char *std_list(struct program *p)
{
	struct strbuf b;
	strbuf_init(&b);
	for (const struct embedded_file *f = depc_stdlib; f->name; f++)
		strbuf_printf(&b, "%sstd/%s", b.len ? ", " : "", f->name);
	return strbuf_finish(&b, p->arena);
}

/* The first place find_file() looks, for the note. */
static const char *first_candidate(struct program *p, const char *path,
				   const struct source *from)
{
	const char *ext = strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".dep") ? "" : ".dep";
	const char *slash = strrchr(from->name, '/');
	if (path[0] == '/' || !slash)
		return arena_printf(p->arena, "%s%s", path, ext);
	return arena_printf(p->arena, "%.*s/%s%s", (int)(slash - from->name), from->name,
			    path, ext);
}

static void report_missing(struct program *p, struct ast_node *imp)
{
	const char *path = imp->u.import.path;
	struct diag *d = diag_emit(p->diags, DIAG_E0203, imp->src, imp->u.import.path_span,
				   "cannot find the imported file '%s'", path);
	if (!strncmp(path, "std/", 4)) {
		const char *best = std_suggest(path + 4);
		if (best) {
			diag_add_help(p->diags, d, "did you mean 'std/%s'?", best);
			diag_set_fix(p->diags, d, imp->u.import.path_span,
				     arena_printf(p->arena, "\"std/%s\"", best),
				     arena_printf(p->arena, "replace with \"std/%s\"", best));
		} else {
			diag_add_note(p->diags, d, "the standard library has %s", std_list(p));
		}
		return;
	}
	diag_add_note(p->diags, d, "looked for '%s'%s", first_candidate(p, path, imp->src),
		      p->search_count ? ", then in the -I and DEPC_PATH directories" : "");
	diag_add_help(p->diags, d, "add the directory holding it with '-I DIR'");
}

/* One file reached along two relative paths ("cycle-a" from its own
 * directory, "modules/cycle-a" from the main file) is one module, so
 * files are compared by their canonical path; embedded files by name. */
static bool same_file(const struct source *a, const struct source *b)
{
	if (!strcmp(a->name, b->name))
		return true;
	char *ra = realpath(a->name, NULL), *rb = realpath(b->name, NULL);
	bool same = ra && rb && !strcmp(ra, rb);
	free(ra);
	free(rb);
	return same;
}

static struct module *module_by_file(struct program *p, const struct source *src)
{
	for (struct module *m = p->modules; m; m = m->next)
		if (same_file(m->src, src))
			return m;
	return NULL;
}

static struct module *module_by_name(const struct program *p, const char *name)
{
	for (struct module *m = p->modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

/* Modules still loading form the import stack, newest first in
 * p->modules; the chain runs from `first` (NULL: the main file) down to
 * the import that leads back to it. */
static const char *cycle_chain(struct program *p, const struct module *first)
{
	struct strbuf b;
	strbuf_init(&b);
	const struct module *stack[64];
	size_t n = 0;
	for (const struct module *m = p->modules; m && n < 64; m = m->next) {
		if (!m->loading)
			continue;
		stack[n++] = m;
		if (m == first)
			break;
	}
	strbuf_puts(&b, first ? first->src->name : p->src->name);
	for (size_t i = n - (first != NULL); i-- > 0;)
		strbuf_printf(&b, " -> %s", stack[i]->src->name);
	strbuf_printf(&b, " -> %s", first ? first->src->name : p->src->name);
	return strbuf_finish(&b, p->arena);
}

static void report_cycle(struct program *p, struct ast_node *imp, const struct module *first)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0204, imp->src, imp->span,
				   "files import each other in a cycle: %s", cycle_chain(p, first));
	diag_add_help(p->diags, d, "move what both files need into a third file "
		      "that neither imports back");
}

static bool name_clash(struct program *p, struct ast_node *imp, const char *name)
{
	struct module *other = module_by_name(p, name);
	if (!other)
		return false;
	struct diag *d = diag_emit(p->diags, DIAG_E0202, imp->src, imp->span,
				   "'%s' is already the name of the import of '%s'",
				   name, other->path);
	diag_add_help(p->diags, d, "give one of them another name: import \"%s\" as NAME",
		      imp->u.import.path);
	return true;
}

/* An import that is there but is no .dep source: said without a line of
 * it, since it may hold anything (a credentials file, the environment). */
static void report_refused(struct program *p, struct ast_node *imp, const char *why,
			   const struct source *read)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0222, imp->src, imp->u.import.path_span,
				   "the imported file '%s' is not a .dep source: %s",
				   imp->u.import.path, why);
	diag_add_note(p->diags, d, "an import is read only from a regular file named *.dep, "
		      "and its text is shown only once it reads as .dep source");
	if (read)
		diag_add_help(p->diags, d, "check it on its own to see the errors in place: "
			      "depc check %s", read->name);
	else
		diag_add_help(p->diags, d, "import a .dep file, or copy what is needed into one");
}

/* The first lexical error in `bag`, if any: a file that does not even
 * scan as .dep text is not quoted (see report_refused). */
static const struct diag *first_lexical(const struct diag_bag *bag)
{
	for (const struct diag *d = bag->first; d; d = d->next)
		if (d->code <= DIAG_E0014)
			return d;
	return NULL;
}

/* Parses an imported file into a bag of its own and keeps the result
 * only when the file scans as .dep text; NULL when refused. */
static struct ast_node *parse_import_source(struct program *p, struct ast_node *imp,
					    const struct source *src)
{
	struct diag_bag scratch;
	diag_bag_init(&scratch, p->arena);
	scratch.limit = p->diags->limit;
	struct ast_node *ast = parse_source(p->arena, src, &scratch);
	const struct diag *bad = first_lexical(&scratch);
	if (!bad) {
		diag_bag_move(p->diags, &scratch);
		return ast;
	}
	report_refused(p, imp, arena_printf(p->arena, "line %zu: %s",
					    source_line_of(src, bad->span.start),
					    diag_code_summary(bad->code)), src);
	return NULL;
}

static void load_module(struct program *p, struct ast_node *imp)
{
	const char *path = imp->u.import.path;
	const char *name = imp->u.import.alias ? imp->u.import.alias : base_name(p->arena, path);
	bool std = !strncmp(path, "std/", 4);
	struct import_file file = { IMPORT_ABSENT, NULL, NULL };
	if (std)
		file.src = find_std(p, path + 4);
	else
		file = find_file(p, path, imp->src);
	if (file.result == IMPORT_REFUSED) {
		report_refused(p, imp, file.why, NULL);
		return;
	}
	const struct source *src = file.src;
	if (!src) {
		report_missing(p, imp);
		return;
	}
	struct module *m = module_by_file(p, src);
	if (m || same_file(src, p->src)) {
		if (!m || m->loading)
			report_cycle(p, imp, m);
		return;
	}
	if (name_clash(p, imp, name))
		return;
	m = arena_alloc(p->arena, sizeof *m);
	*m = (struct module){ .name = name, .path = path, .src = src, .loading = true,
			      .next = p->modules };
	p->modules = m;
	m->ast = std ? parse_source(p->arena, src, p->diags) : parse_import_source(p, imp, src);
	if (!m->ast) {
		m->ast = ast_file(p->arena, span_make(0, 0), NULL);
		ast_set_source(m->ast, src);
	}
	load_imports(p, m->ast);
	m->loading = false;
}

static void load_imports(struct program *p, struct ast_node *root)
{
	for (struct ast_node *n = root->u.file.items; n; n = n->next)
		if (n->kind == AST_IMPORT)
			load_module(p, n);
}

/* --- templates and declarations ------------------------------------- */

static void add_template(struct program *p, const char *module, struct ast_node *n)
{
	for (struct template_def *t = p->templates; t; t = t->next) {
		if ((t->module == module || (t->module && module && !strcmp(t->module, module))) &&
		    !strcmp(t->node->u.template.name, n->u.template.name)) {
			struct diag *d = diag_emit(p->diags, DIAG_E0202, n->src,
						   n->u.template.name_span,
						   "template '%s' is defined twice", n->u.template.name);
			diag_add_label(p->diags, d, t->node->src, t->node->u.template.name_span,
				       "first defined here");
			diag_add_help(p->diags, d, "rename one of them");
			return;
		}
	}
	unset_report_misplaced(p, n->u.template.body, "in a template's own body");
	struct template_def *t = arena_alloc(p->arena, sizeof *t);
	*t = (struct template_def){ .module = module, .node = n, .next = p->templates };
	p->templates = t;
	template_check_params(p, t);
}

static void report_module_decl(struct program *p, struct ast_node *n)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0218, n->src,
				   n->kind == AST_BLOCK ? n->u.block.kind_span : n->span,
				   "an imported file may define only templates");
	diag_add_help(p->diags, d, "declare this in the main file, or make it a template");
}

static void collect_module_templates(struct program *p)
{
	for (struct module *m = p->modules; m; m = m->next)
		for (struct ast_node *n = m->ast->u.file.items; n; n = n->next) {
			if (n->kind == AST_TEMPLATE)
				add_template(p, m->name, n);
			else if (n->kind != AST_IMPORT)
				report_module_decl(p, n);
		}
}

static void report_unknown_kind(struct program *p, struct ast_node *n)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0210, n->src, n->u.block.kind_span,
				   "unknown kind of declaration '%s'", n->u.block.kind);
	struct suggest s;
	suggest_init(&s, n->u.block.kind);
	for (size_t i = 0; i < schema_kind_count(); i++)
		if (schema_kind_at(i)->top_level)
			suggest_consider(&s, schema_kind_at(i)->name);
	suggest_consider(&s, "env");
	const char *best = suggest_result(&s);
	if (best) {
		diag_add_help(p->diags, d, "did you mean '%s'?", best);
		diag_set_fix(p->diags, d, n->u.block.kind_span, best,
			     arena_printf(p->arena, "replace with '%s'", best));
	} else {
		diag_add_note(p->diags, d, "declarations are app, service, secret, volume, "
			      "pipeline, cloud, monitor, template and env");
	}
}

/* Checks the label rule of the kind; returns the declaration's name. */
static const char *decl_name(struct program *p, const struct kind *k, struct ast_node *n)
{
	const char *label = n->u.block.label;
	if (k->label == LABEL_NONE && label) {
		struct diag *d = diag_emit(p->diags, DIAG_E0212, n->src, n->u.block.label_span,
					   "'%s' takes no name", k->name);
		diag_add_help(p->diags, d, "remove '%s'", label);
		return k->name;
	}
	if (k->label == LABEL_NONE)
		return k->name;
	if (!label) {
		struct diag *d = diag_emit(p->diags, DIAG_E0212, n->src, n->u.block.kind_span,
					   "%s declaration without a name", k->name);
		diag_add_help(p->diags, d, "name it: %s NAME { ... }", k->name);
		return NULL;
	}
	if (n->u.block.label_quoted) {
		struct diag *d = diag_emit(p->diags, DIAG_E0212, n->src, n->u.block.label_span,
					   "a %s name is written without quotes", k->name);
		diag_add_help(p->diags, d, "names use letters, digits, '_' and '-': %s web { ... }",
			      k->name);
		return NULL;
	}
	return label;
}

static struct decl *find_same(struct program *p, const struct kind *k, const char *name)
{
	struct decl *same_kind = program_find_kind(p, k->name);
	if (k->unique && same_kind)
		return same_kind;
	bool shared = k->label == LABEL_NAME && strcmp(k->name, "cloud");
	return shared ? program_find(p, name) : NULL;
}

static void report_duplicate(struct program *p, struct ast_node *n, struct decl *first)
{
	struct span at = n->u.block.label ? n->u.block.label_span : n->u.block.kind_span;
	bool unique = first->kind->unique && !strcmp(first->kind->name, n->u.block.kind);
	struct diag *d;
	if (unique)
		d = diag_emit(p->diags, DIAG_E0202, n->src, at,
			      "a deployment has only one '%s' block", n->u.block.kind);
	else
		d = diag_emit(p->diags, DIAG_E0202, n->src, at,
			      "'%s' is already declared as a %s", first->name, first->kind->name);
	struct ast_node *b = first->block;
	diag_add_label(p->diags, d, b->src,
		       b->u.block.label ? b->u.block.label_span : b->u.block.kind_span,
		       "first declared here");
	if (unique)
		diag_add_help(p->diags, d, "merge the two blocks into one");
	else if (strcmp(first->kind->name, n->u.block.kind) != 0)
		diag_add_help(p->diags, d, "names are shared by every kind of declaration, "
			      "so `${%s}` is never ambiguous; rename one of them", first->name);
	else
		diag_add_help(p->diags, d, "rename one of them, or merge them into one");
}

/* E0108, once: the first declaration past PROGRAM_MAX_DECLS. */
static void report_too_many(struct program *p, struct ast_node *n)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0108, n->src, n->u.block.kind_span,
				   "more than %zu declarations", PROGRAM_MAX_DECLS);
	diag_add_note(p->diags, d, "this one and the rest are not read");
	diag_add_help(p->diags, d, "split the deployment into several files");
}

static void add_decl(struct program *p, struct ast_node *n)
{
	const struct kind *k = schema_top_kind(n->u.block.kind);
	if (!k) {
		report_unknown_kind(p, n);
		return;
	}
	const char *name = decl_name(p, k, n);
	if (!name)
		return;
	struct decl *first = find_same(p, k, name);
	if (first) {
		report_duplicate(p, n, first);
		return;
	}
	if (p->decl_count >= PROGRAM_MAX_DECLS) {
		if (p->decl_count++ == PROGRAM_MAX_DECLS)
			report_too_many(p, n);
		return;
	}
	p->decl_count++;
	struct decl *d = arena_alloc(p->arena, sizeof *d);
	*d = (struct decl){ .kind = k, .name = name, .block = n, .body = n->u.block.body };
	*p->decls_tail = d;
	p->decls_tail = &d->next;
	index_add(p, d);
}

/* "cloud NAME { region = ... }": the declaration a stray field most
 * likely belongs to, for help text; NULL when no kind has it. */
const char *resolve_field_home(struct arena *a, const char *field)
{
	for (size_t i = 0; i < schema_kind_count(); i++) {
		const struct kind *k = schema_kind_at(i);
		if (!k->top_level || !schema_field(k, field))
			continue;
		return arena_printf(a, "%s%s { %s = ... }", k->name,
				    k->label == LABEL_NONE ? "" : " NAME", field);
	}
	return NULL;
}

static void report_top_attr(struct program *p, struct ast_node *n)
{
	struct diag *d = diag_emit(p->diags, DIAG_E0211, n->src, n->u.attr.name_span,
				   "field '%s' is outside any block", n->u.attr.name);
	const char *home = resolve_field_home(p->arena, n->u.attr.name);
	if (home)
		diag_add_help(p->diags, d, "move it into the declaration it belongs to: %s", home);
	else
		diag_add_help(p->diags, d, "fields belong inside a declaration such as "
			      "service NAME { ... }");
}

static void collect(struct program *p)
{
	for (struct ast_node *n = p->root->u.file.items; n; n = n->next) {
		if (n->kind == AST_TEMPLATE)
			add_template(p, NULL, n);
		else if (n->kind == AST_ATTR)
			report_top_attr(p, n);
		else if (n->kind == AST_UNSET)
			unset_report_one(p, n, "outside any declaration");
		else if (n->kind == AST_BLOCK && strcmp(n->u.block.kind, "env") != 0)
			add_decl(p, n);
	}
}

/* The base's template body with this declaration's entries over it,
 * what its unsets name taken out of the template's body first. */
static void apply_template(struct program *p, struct decl *d)
{
	struct ast_node *base = d->block->u.block.base;
	struct ast_node *over = d->block->u.block.body;
	struct ast_node *body = base ? template_instantiate(p, d, base) : NULL;
	/* what the messages about unsets say is made only when there are some */
	bool unsets = unset_any(over);
	if (!base && unsets)
		unset_report_misplaced(p, over, arena_printf(p->arena, "in %s '%s', which is "
							      "made from no template",
							      d->kind->name, d->name));
	if (body) {
		template_check_overrides(p, d);
		if (unsets)
			body = unset_apply(p, d->kind, arena_printf(p->arena, "template '%s'",
					   template_name(p->arena, d->tmpl)), body, over);
		d->body = template_merge_into(p->arena, body, over);
	}
	d->body = unset_strip(p->arena, d->body);
}

void resolve_program(struct program *p)
{
	load_imports(p, p->root);
	collect_module_templates(p);
	collect(p);
	for (struct decl *d = p->decls; d; d = d->next)
		apply_template(p, d);
	resolve_overlays(p);
}
