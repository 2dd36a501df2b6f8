/* compile.c - the pipeline, stage after stage (see compile.h). */
#include "compile.h"

#include "model.h"
#include "parse.h"
#include "policy.h"
#include "program.h"
#include "typed.h"

void compile_init(struct compilation *c)
{
	arena_init(&c->arena);
	diag_bag_init(&c->diags, &c->arena);
	c->diags.limit = COMPILE_ERROR_LIMIT;
	c->source = NULL;
	c->ast = NULL;
	c->model = NULL;
	c->program = NULL;
	c->policy = NULL;
}

void compile_free(struct compilation *c)
{
	arena_free(&c->arena);
}

static void parse(struct compilation *c)
{
	c->ast = parse_source(&c->arena, c->source, &c->diags);
}

bool compile_load_file(struct compilation *c, const char *path,
		       const char **io_error)
{
	c->source = source_read_file(&c->arena, path, io_error);
	if (!c->source && *io_error == source_too_large) {
		/* Too large is a property of the input, reported like any other. */
		struct diag *d = diag_emit(&c->diags, DIAG_E0103, NULL, span_make(0, 0),
					   "'%s' is larger than the limit of %zu MiB", path,
					   SOURCE_MAX_BYTES >> 20);
		diag_add_help(&c->diags, d, "split the deployment into files joined with import");
		c->source = source_from_memory(&c->arena, path, "", 0);
		c->ast = ast_file(&c->arena, span_make(0, 0), NULL);
		return true;
	}
	if (!c->source)
		return false;
	parse(c);
	return true;
}

void compile_load_memory(struct compilation *c, const char *name,
			 const char *text, size_t len)
{
	c->source = source_from_memory(&c->arena, name, text, len);
	parse(c);
}

static struct program *new_program(struct compilation *c, struct diag_bag *diags,
				   const struct compile_options *opt)
{
	struct program *p = arena_alloc(&c->arena, sizeof *p);
	program_init(p, &c->arena, diags, c->source, c->ast);
	p->env = opt ? opt->env : NULL;
	p->search = opt ? opt->search : NULL;
	p->search_count = opt ? opt->search_count : 0;
	return p;
}

/* Each stage runs only on a clean result of the one before: checking a
 * tree with syntax errors would report the same mistake twice. */
bool compile_check(struct compilation *c, const struct compile_options *opt)
{
	if (c->diags.errors)
		return false;
	struct program *p = new_program(c, &c->diags, opt);
	c->program = p;
	resolve_program(p);
	if (c->diags.errors)
		return false;
	check_program(p);
	if (c->diags.errors)
		return false;
	c->model = lower_program(p);
	check_model(p, c->model);
	if (c->diags.errors)
		return false;
	/* Policy rules judge a deployment that means something: only now. */
	struct policy_options po = { opt ? opt->allow : NULL, opt ? opt->allow_count : 0,
				     opt && opt->policy_report };
	c->policy = policy_run(p->diags, p->arena, c->model, &po);
	return c->diags.errors == 0;
}

void compile_resolve_partial(struct compilation *c, const struct compile_options *opt)
{
	struct diag_bag *scratch = arena_alloc(&c->arena, sizeof *scratch);
	diag_bag_init(scratch, &c->arena);
	scratch->limit = COMPILE_ERROR_LIMIT;
	c->program = new_program(c, scratch, opt);
	resolve_program(c->program);
}
