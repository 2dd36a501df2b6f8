/* build.c - selects backends, runs them, and commits the output.
 *
 * All backends run before anything is written; the first refusal (an
 * unsafe path, two backends writing one file) stops the build with DIR
 * untouched. */
#include "build.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "backends.h"
#include "diag.h"
#include "report.h"
#include "suggest.h"

static bool selected(const char *targets, const char *name)
{
	if (!targets)
		return true;
	size_t n = strlen(name);
	for (const char *p = targets; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, name, n))
			return true;
		p = comma ? comma + 1 : p + len;
	}
	return false;
}

/* Every name in --target must be a backend. */
static bool check_targets(const char *targets, FILE *err, size_t *count)
{
	*count = 0;
	char buf[256];
	if (!targets)
		return *count = backend_count(), true;
	if (strlen(targets) >= sizeof buf) {
		fprintf(err, "depc: --target list is too long\n");
		return false;
	}
	strcpy(buf, targets);
	for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
		if (backend_find(t)) {
			(*count)++;
			continue;
		}
		struct suggest s;
		suggest_init(&s, t);
		fprintf(err, "depc: unknown target '%s'; targets are", t);
		for (size_t i = 0; i < backend_count(); i++) {
			suggest_consider(&s, backend_at(i)->name);
			fprintf(err, "%s %s", i ? "," : "", backend_at(i)->name);
		}
		const char *best = suggest_result(&s);
		fprintf(err, best ? " (did you mean '%s'?)\n" : "\n", best);
		return false;
	}
	return true;
}

/* --report: printed on `err`, and REPORT.md in the tree unless the
 * tree goes to standard output (where it would be a second file). */
static bool build_report(struct arena *a, const struct model *m, const struct build_options *opt,
			 struct output *o, FILE *err, bool to_stdout)
{
	struct report r;
	report_collect(a, m, selected, opt->targets, &r);
	if (opt->report_json)
		report_print_json(&r, err);
	else
		report_print_text(&r, err);
	return to_stdout || report_write(&r, o);
}

/* What a backend freed goes back to the system before the next one runs,
 * so the peak is the largest backend's, not the sum of their leftovers
 * (glibc keeps freed memory resident otherwise). */
static void give_back_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* Each backend allocates from a scratch arena freed when it is done: the
 * labels, quoted values and paths it computes on the way would otherwise
 * stay until exit, as much again as the files it writes. */
static bool run_backend(const struct backend *be, const struct model *m, struct output *o)
{
	struct arena scratch;
	arena_init(&scratch);
	o->arena = &scratch;
	bool ok = be->emit(m, o);
	o->arena = o->home;
	if (o->error)
		o->error = arena_strdup(o->home, o->error);
	arena_free(&scratch);
	give_back_memory();
	return ok;
}

static bool under(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	return !strcmp(dir, "/") || (!strncmp(dir, path, n) && (path[n] == '/' || !path[n]));
}

/* Where the tree landed, said when it cannot work as committed: paths
 * in it that leave the repository (W0075), a workflow GitHub will never
 * run (W0076).  Neither has a place in the source: the -o and
 * --workflow-dir options chose them. */
static void warn_places(const struct output *o, FILE *err, bool color)
{
	const struct output_places *at = output_places(o);
	struct diag_bag bag;
	diag_bag_init(&bag, o->home);
	if (!under(at->repo, at->out)) {
		struct diag *d = diag_emit(&bag, DIAG_W0075, NULL, span_make(0, 0),
					   "'%s' is outside '%s', %s: the build contexts and "
					   "workflow paths written there point out of it", o->dir, at->repo,
					   at->in_repository
						   ? "the repository holding the source (the nearest "
						     "directory above it with .git)"
						   : "the directory of the source (no directory above "
						     "it has .git)");
		diag_add_help(&bag, d, "choose an output directory inside '%s', such as '%s/deploy'",
			      at->repo, strcmp(at->repo, "/") ? at->repo : "");
	}
	for (const struct output_file *f = o->files; f; f = f->next) {
		if (strncmp(f->path, OUTPUT_WORKFLOWS, strlen(OUTPUT_WORKFLOWS)))
			continue;
		const char *place = f->external ? at->workflows : at->out;
		const char *wanted = arena_printf(o->home, "%s/.github/workflows",
						  strcmp(at->repo, "/") ? at->repo : "");
		if (!f->external)
			place = arena_printf(o->home, "%s/.github/workflows", at->out);
		if (!strcmp(place, wanted))
			continue;
		struct diag *d = diag_emit(&bag, DIAG_W0076, NULL, span_make(0, 0),
					   "the workflow %s is not in '%s', where GitHub runs workflows",
					   f->path + strlen(OUTPUT_WORKFLOWS), wanted);
		diag_add_help(&bag, d, "build with --workflow-dir '%s' to put it there", wanted);
	}
	diag_render_text(err, &bag, &(struct diag_render_options){ .color = color, .tab_width = 4 });
}

static bool cwd_inside(const char *dir)
{
	char cwd[PATH_MAX];
	return getcwd(cwd, sizeof cwd) && under(dir, cwd);
}

int build_run(struct arena *a, const struct model *m, const char *source_name,
	      const struct build_options *opt, FILE *err)
{
	size_t count;
	if (!check_targets(opt->targets, err, &count))
		return 2;
	bool to_stdout = !strcmp(opt->out_dir, "-");
	if (to_stdout && count != 1) {
		fprintf(err, "depc: '-o -' prints one target's files; choose it with --target\n");
		return 2;
	}
	give_back_memory(); /* what the front end freed, before the first backend */
	struct output o;
	output_init(&o, a, source_name, opt->out_dir);
	o.force = opt->force;
	o.workflow_dir = to_stdout ? NULL : opt->workflow_dir;
	bool ok = to_stdout || opt->check || output_stream(&o);
	for (size_t i = 0; ok && i < backend_count(); i++)
		if (selected(opt->targets, backend_at(i)->name))
			ok = run_backend(backend_at(i), m, &o);
	if (ok && opt->report)
		ok = build_report(a, m, opt, &o, err, to_stdout);
	int rc = 0;
	if (!ok || o.error) {
		fprintf(err, "depc: %s; nothing was written\n", o.error ? o.error : "a backend failed");
		rc = 2;
	} else if (to_stdout) {
		output_print(&o, stdout);
	} else {
		bool here = !opt->check && cwd_inside(output_places(&o)->out);
		enum output_status st = output_commit(&o, opt->check, err);
		if (st == OUTPUT_FAILED && o.changed)
			fprintf(err, "depc: %s\n", o.error);
		else if (st == OUTPUT_FAILED)
			fprintf(err, "depc: %s; '%s' is unchanged\n", o.error, opt->out_dir);
		else if (!opt->check && !opt->report_json)  /* err holds one JSON document then */
			warn_places(&o, err, opt->color);
		/* the shell's directory is now the old tree, which is gone */
		if (st == OUTPUT_OK && here && o.changed)
			fprintf(err, "depc: note: the current directory was inside '%s', which was "
				"replaced by the new tree; 'cd \"$PWD\"' shows it\n", opt->out_dir);
		rc = st == OUTPUT_OK ? 0 : st == OUTPUT_STALE ? 1 : 2;
	}
	output_free(&o);
	return rc;
}
