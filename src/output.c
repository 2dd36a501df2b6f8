/* output.c - the generated tree in memory: files added by the backends,
 * checked, sorted, streamed to the temporary directory; the commit
 * itself is in output_disk.c (see output.h for the guarantees). */
#define _GNU_SOURCE
#include "output_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- interruption -----------------------------------------------------
 * While files stream into the temporary directory, SIGINT, SIGTERM and
 * SIGHUP are noted rather than obeyed at once: the next file added
 * fails, the backends stop, output_free() removes the directory and
 * then lets the signal end the process as it would have.  A Ctrl-C
 * therefore never leaves a half-written tree beside DIR. */

static volatile sig_atomic_t stop_signal;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP };

static void note_signal(int sig)
{
	stop_signal = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		sigaction(caught[i], &sa, NULL);
}

static void release_signals(void)
{
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		signal(caught[i], SIG_DFL);
	if (stop_signal)
		raise(stop_signal);
}

/* DEPC_SIGNAL_AT=N sends SIGINT as the Nth file is added: the tests use
 * it to interrupt a build at a known point. */
static void injected_signal(void)
{
	static int count;
	const char *n = getenv("DEPC_SIGNAL_AT");
	if (n && ++count == atoi(n))
		raise(SIGINT);
}

void output_init(struct output *o, struct arena *a, const char *source_name,
		 const char *dir)
{
	memset(o, 0, sizeof *o);
	o->arena = o->home = a;
	o->sorted = true;
	strmap_init(&o->paths, a);
	strmap_init(&o->made, a);
	strmap_init(&o->plain, a);
	o->source_name = source_name;
	o->dir = dir;
	o->tmp_lock = -1;
}

void output_free(struct output *o)
{
	output_disk_abandon(o);  /* streamed, never committed */
	if (o->catching)
		release_signals();
	o->catching = false;
	for (struct output_file *f = o->files; f; f = f->next)
		strbuf_free(&f->content);
	o->files = o->last = NULL;
	o->sorted = true;
	strmap_init(&o->paths, o->home);
}

bool output_safe_path(const char *p)
{
	if (!*p || p[0] == '/' || strchr(p, '\\'))
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	for (const char *seg = p; seg;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2)))
			return false;
		seg = slash ? slash + 1 : NULL;
	}
	return strcmp(p, OUTPUT_MANIFEST) != 0;
}

/* The workflow, when it goes to its own directory, is kept in memory:
 * it is written beside its target at the commit. */
static bool stream_out(struct output *o, struct output_file *f)
{
	if (f->external)
		return true;
	if (!output_disk_write(o, f))
		return false;
	strbuf_free(&f->content);
	return true;
}

struct strbuf *output_add(struct output *o, const char *path)
{
	if (o->tmp)
		injected_signal();
	if (stop_signal) {
		if (!o->error)
			o->error = "interrupted";
		return NULL;
	}
	if (o->tmp && o->last && !stream_out(o, o->last))
		return NULL;
	if (!output_safe_path(path)) {
		if (!o->error)
			o->error = arena_printf(o->home, "refusing to write the unsafe path '%s'", path);
		return NULL;
	}
	struct output_file *f = arena_alloc(o->home, sizeof *f);
	f->path = arena_strdup(o->home, path);
	if (strmap_add(&o->paths, f->path, f) != f) {
		if (!o->error)
			o->error = arena_printf(o->home, "two backends both write '%s'", path);
		return NULL;
	}
	strbuf_init(&f->content);
	f->external = o->workflow_dir && !strncmp(path, OUTPUT_WORKFLOWS, strlen(OUTPUT_WORKFLOWS));
	if (o->last)
		strbuf_trim(&o->last->content);
	o->sorted = o->sorted && (!o->last || strcmp(o->last->path, f->path) < 0);
	*(o->last ? &o->last->next : &o->files) = f;
	o->last = f;
	return &f->content;
}

struct output_file *output_find(const struct output *o, const char *path)
{
	return strmap_get(&o->paths, path);
}

/* Merge sort of the list: backends add files in their own order, and
 * sorting once costs n log n where keeping the list sorted on every
 * insertion cost n per file. */
static struct output_file *merge(struct output_file *a, struct output_file *b)
{
	struct output_file *head = NULL, **at = &head;
	while (a && b) {
		struct output_file **least = strcmp(a->path, b->path) <= 0 ? &a : &b;
		*at = *least;
		at = &(*least)->next;
		*least = (*least)->next;
	}
	*at = a ? a : b;
	return head;
}

static struct output_file *sort_list(struct output_file *list, size_t n)
{
	if (n < 2)
		return list;
	struct output_file *mid = list;
	for (size_t i = 1; i < n / 2; i++)
		mid = mid->next;
	struct output_file *second = mid->next;
	mid->next = NULL;
	return merge(sort_list(list, n / 2), sort_list(second, n - n / 2));
}

struct output_file *output_files(struct output *o)
{
	if (!o->sorted) {
		o->files = sort_list(o->files, o->paths.count);
		for (o->last = o->files; o->last->next;)
			o->last = o->last->next;
		o->sorted = true;
	}
	return o->files;
}

const char *output_slug(struct arena *a, const char *title)
{
	struct strbuf b;
	strbuf_init(&b);
	bool dash = false;
	for (const char *c = title; *c; c++) {
		char ch = *c;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && b.len)
				strbuf_putc(&b, '-');
			strbuf_putc(&b, ch);
			dash = false;
		} else {
			dash = true;
		}
	}
	if (!b.len)
		strbuf_puts(&b, "untitled");
	return strbuf_finish(&b, a);
}

bool output_stream(struct output *o)
{
	if (!o->tmp && !output_disk_prepare(o))
		return false;
	if (!o->catching) {
		catch_signals();
		o->catching = true;
	}
	return true;
}

enum output_status output_commit(struct output *o, bool check, FILE *report)
{
	if (stop_signal && !o->error)
		o->error = "interrupted";
	if (o->error)
		return OUTPUT_FAILED;
	output_files(o);
	if (check)
		return output_disk_compare(o, report);
	if (!o->tmp && !output_disk_prepare(o))
		return OUTPUT_FAILED;
	return output_disk_commit(o, report) ? OUTPUT_OK : OUTPUT_FAILED;
}

void output_print(struct output *o, FILE *out)
{
	output_files(o);
	bool many = o->files && o->files->next;
	for (const struct output_file *f = o->files; f; f = f->next) {
		if (many)
			fprintf(out, "%s==> %s <==\n", f == o->files ? "" : "\n", f->path);
		fwrite(f->content.data ? f->content.data : "", 1, f->content.len, out);
	}
}
