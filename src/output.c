/* output.c - the atomic, manifest-keeping writer (see output.h).
 *
 * Order of work in output_commit: (1) write every file into a fresh
 * temporary directory beside DIR; (2) if DIR does not exist, rename the
 * temporary directory to DIR - one atomic step; (3) otherwise check, before
 * touching DIR, that no new file would replace a file depc did not write
 * and that no path inside DIR goes through a symbolic link; then move the
 * files in, remove files of the previous build that are no longer made
 * (unless edited by hand), and replace the manifest last.  Any failure in
 * (1) or (3) removes the temporary directory and leaves DIR as it was. */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

#define MANIFEST ".depc-manifest"

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
	o->source_name = source_name;
	o->dir = dir;
}

static void remove_tree(struct output *o, const char *root);

void output_free(struct output *o)
{
	if (o->tmp)
		remove_tree(o, o->tmp);  /* streamed, never committed */
	o->tmp = NULL;
	if (o->catching)
		release_signals();
	o->catching = false;
	for (struct output_file *f = o->files; f; f = f->next)
		strbuf_free(&f->content);
	o->files = o->last = NULL;
	o->sorted = true;
	strmap_init(&o->paths, o->home);
}

static bool safe_path(const char *p)
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
	return strcmp(p, MANIFEST) != 0;
}

static bool write_out(struct output *o, const char *root, struct output_file *f);

static bool stream_out(struct output *o, struct output_file *f)
{
	if (!write_out(o, o->tmp, f))
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
	if (!safe_path(path)) {
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

/* Escaped here, once, for every place it goes: a comment line of each
 * format and of the manifest, which a line break in the name would
 * otherwise end. */
const char *output_banner(const struct output *o)
{
	return escape_comment(o->arena, arena_printf(o->arena, "generated by depc from %s - do not edit",
						     o->source_name));
}

/* --- relative paths ------------------------------------------------------ */

/* Lexically normalised absolute path: '.' and '..' resolved, no '//'. */
static char *absolute(struct arena *a, const char *p)
{
	char cwd[PATH_MAX];
	const char *base = p[0] == '/' ? "" : (getcwd(cwd, sizeof cwd) ? cwd : ".");
	char *joined = arena_printf(a, "%s/%s", base, p);
	char **parts = arena_calloc(a, strlen(joined) + 1, sizeof *parts);
	size_t n = 0;
	for (char *seg = strtok(joined, "/"); seg; seg = strtok(NULL, "/")) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			n -= n > 0;
			continue;
		}
		parts[n++] = seg;
	}
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		strbuf_printf(&b, "/%s", parts[i]);
	if (!n)
		strbuf_putc(&b, '/');
	return strbuf_finish(&b, a);
}

/* Components of a normalised absolute path, in place. */
static size_t split(struct arena *a, const char *path, char ***out)
{
	char *copy = arena_strdup(a, path);
	char **parts = arena_calloc(a, strlen(path) + 1, sizeof *parts);
	size_t n = 0;
	for (char *seg = strtok(copy, "/"); seg; seg = strtok(NULL, "/"))
		parts[n++] = seg;
	*out = parts;
	return n;
}

/* `to` as seen from directory `from`, both normalised absolute paths. */
static const char *relative(struct arena *a, const char *from, const char *to)
{
	char **f, **t;
	size_t nf = split(a, from, &f), nt = split(a, to, &t), common = 0;
	while (common < nf && common < nt && !strcmp(f[common], t[common]))
		common++;
	struct strbuf b;
	strbuf_init(&b);
	for (size_t i = common; i < nf; i++)
		strbuf_printf(&b, "%s..", b.len ? "/" : "");
	for (size_t i = common; i < nt; i++)
		strbuf_printf(&b, "%s%s", b.len ? "/" : "", t[i]);
	if (!b.len)
		strbuf_putc(&b, '.');
	return strbuf_finish(&b, a);
}

static const char *source_dir(const struct output *o, const char *path)
{
	const char *slash = strrchr(o->source_name, '/');
	const char *dir = slash ? arena_strndup(o->arena, o->source_name,
						(size_t)(slash - o->source_name)) : ".";
	const char *target = path[0] == '/' ? path : arena_printf(o->arena, "%s/%s", dir, path);
	return absolute(o->arena, target);
}

static const char *out_dir(const struct output *o)
{
	return absolute(o->arena, o->dir && strcmp(o->dir, "-") ? o->dir : ".");
}

const char *output_relative_source(const struct output *o, const char *path)
{
	return relative(o->arena, out_dir(o), source_dir(o, path));
}

const char *output_from_source(const struct output *o, const char *dir, const char *file)
{
	const char *target = arena_printf(o->arena, "%s/%s", out_dir(o), file);
	return relative(o->arena, source_dir(o, dir), absolute(o->arena, target));
}

const char *output_source_path(const struct output *o, const char *path)
{
	return relative(o->arena, source_dir(o, "."), source_dir(o, path));
}

/* --- writing ------------------------------------------------------------- */

static uint64_t fnv1a(const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 0x100000001b3ull;
	return h;
}

static bool fail(struct output *o, const char *fmt, const char *path)
{
	if (!o->error)
		o->error = arena_printf(o->home, fmt, path, strerror(errno));
	return false;
}

static bool make_parents(struct output *o, const char *root, const char *rel)
{
	char *path = arena_printf(o->arena, "%s/%s", root, rel);
	for (char *slash = strchr(path + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return fail(o, "cannot create directory '%s': %s", path);
		*slash = '/';
	}
	return true;
}

/* DEPC_FAIL_WRITE=N makes the Nth file write fail: the tests use it to
 * prove that a failure part-way leaves the output directory untouched. */
static bool injected_failure(void)
{
	static int count;
	const char *n = getenv("DEPC_FAIL_WRITE");
	return n && ++count == atoi(n);
}

static bool write_file(struct output *o, const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(o, "cannot write '%s': %s", path);
	bool ok = !injected_failure();
	for (size_t done = 0; ok && done < len;) {
		ssize_t n = write(fd, data + done, len - done);
		ok = n > 0;
		done += n > 0 ? (size_t)n : 0;
	}
	if (close(fd) != 0 || !ok) {
		errno = errno ? errno : EIO;
		return fail(o, "cannot write '%s': %s", path);
	}
	return true;
}

static const char *manifest_text(struct output *o)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "# %s\n# files depc wrote here; it removes them when it stops making them\n",
		      output_banner(o));
	for (struct output_file *f = o->files; f; f = f->next)
		strbuf_printf(&b, "%016llx %s\n", (unsigned long long)f->hash, f->path);
	return strbuf_finish(&b, o->arena);
}

/* Writes one file under `root`, unless it was streamed there already. */
static bool write_out(struct output *o, const char *root, struct output_file *f)
{
	if (f->written) {
		if (!f->content.len)
			return true;
		o->error = arena_printf(o->home, "internal error: '%s' was written to after "
					"the next file was started", f->path);
		return false;
	}
	if (!make_parents(o, root, f->path))
		return false;
	const char *path = arena_printf(o->arena, "%s/%s", root, f->path);
	const char *data = f->content.data ? f->content.data : "";
	if (!write_file(o, path, data, f->content.len))
		return false;
	f->hash = fnv1a(data, f->content.len);
	f->written = true;
	return true;
}

static bool write_tree(struct output *o, const char *root)
{
	for (struct output_file *f = o->files; f; f = f->next)
		if (!write_out(o, root, f))
			return false;
	const char *m = manifest_text(o);
	return write_file(o, arena_printf(o->arena, "%s/%s", root, MANIFEST), m, strlen(m));
}

/* Removes what write_tree made: files first, then directories deepest
 * first (paths are sorted, so walking the list backwards suffices). */
static void remove_tree(struct output *o, const char *root)
{
	unlink(arena_printf(o->arena, "%s/%s", root, MANIFEST));
	for (struct output_file *f = o->files; f; f = f->next)
		unlink(arena_printf(o->arena, "%s/%s", root, f->path));
	for (struct output_file *f = o->files; f; f = f->next) {
		char *dir = arena_printf(o->arena, "%s/%s", root, f->path);
		for (char *slash = strrchr(dir, '/'); slash && slash > dir + strlen(root);
		     slash = strrchr(dir, '/')) {
			*slash = '\0';
			rmdir(dir);
		}
	}
	rmdir(root);
}

/* --- the previous build ---------------------------------------------------- */

struct entry {
	const char *path;
	uint64_t hash;
};

struct manifest {
	struct entry *items;
	size_t count;
	struct strmap paths;  /* path -> entry */
};

static char *read_all(struct arena *a, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf b;
	strbuf_init(&b);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		strbuf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return strbuf_finish(&b, a);
}

static struct manifest read_manifest(struct output *o)
{
	struct manifest m = { NULL, 0, { 0 } };
	strmap_init(&m.paths, o->arena);
	size_t len;
	char *text = read_all(o->arena, arena_printf(o->arena, "%s/%s", o->dir, MANIFEST), &len);
	if (!text)
		return m;
	/* One entry per line at most; a planted manifest may have short lines. */
	size_t lines = 1;
	for (const char *c = text; (c = memchr(c, '\n', len - (size_t)(c - text))) != NULL; c++)
		lines++;
	m.items = arena_calloc(o->arena, lines, sizeof *m.items);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *space = strchr(line, ' ');
		if (line[0] == '#' || !space || !safe_path(space + 1))
			continue;
		m.items[m.count].hash = strtoull(line, NULL, 16);
		m.items[m.count].path = space + 1;
		strmap_add(&m.paths, space + 1, &m.items[m.count++]);
	}
	return m;
}


/* Every directory on the way to `path` inside DIR must be a real
 * directory (or not exist yet), so a planted symbolic link cannot send a
 * write outside DIR; the file itself must be absent or a regular file
 * that the previous build wrote. */
/* The first directory on the way to `rel` inside DIR that exists and is
 * not a plain directory (a symbolic link, say), or NULL. */
static const char *crooked_dir(struct output *o, const char *rel)
{
	char *path = arena_printf(o->arena, "%s/%s", o->dir, rel);
	struct stat st;
	for (char *slash = strchr(path + strlen(o->dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
			return path;
		*slash = '/';
	}
	return NULL;
}

static bool may_replace(struct output *o, const struct manifest *m, const char *rel)
{
	const char *crooked = crooked_dir(o, rel);
	if (crooked) {
		errno = ENOTDIR;
		return fail(o, "refusing to write through '%s': not a plain directory", crooked);
	}
	char *path = arena_printf(o->arena, "%s/%s", o->dir, rel);
	struct stat st;
	if (lstat(path, &st) != 0)
		return true;
	if (!S_ISREG(st.st_mode) || !strmap_get(&m->paths, rel)) {
		o->error = arena_printf(o->arena, "refusing to replace '%s': depc did not write it "
					"(move it away, or choose another -o directory)", path);
		return false;
	}
	return true;
}

/* A file of the previous build, still a regular file inside DIR (reached
 * through plain directories only, so a planted link cannot make depc
 * delete a file elsewhere) and as depc wrote it. */
static bool unchanged_since(struct output *o, const struct entry *e)
{
	const char *path = arena_printf(o->arena, "%s/%s", o->dir, e->path);
	struct stat st;
	if (crooked_dir(o, e->path) || lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	size_t len;
	char *text = read_all(o->arena, path, &len);
	return text && fnv1a(text, len) == e->hash;
}

static bool move_in(struct output *o, const char *tmp, const struct manifest *old, FILE *report)
{
	for (struct output_file *f = o->files; f; f = f->next) {
		if (!make_parents(o, o->dir, f->path))
			return false;
		const char *from = arena_printf(o->arena, "%s/%s", tmp, f->path);
		const char *to = arena_printf(o->arena, "%s/%s", o->dir, f->path);
		if (rename(from, to) != 0)
			return fail(o, "cannot move a file into '%s': %s", to);
	}
	for (size_t i = 0; i < old->count; i++) {
		const struct entry *e = &old->items[i];
		if (output_find(o, e->path))
			continue;
		const char *crooked = crooked_dir(o, e->path);
		if (crooked && report)
			fprintf(report, "depc: kept '%s/%s': no longer generated, but '%s' is not "
				"a plain directory\n", o->dir, e->path, crooked);
		else if (unchanged_since(o, e))
			unlink(arena_printf(o->arena, "%s/%s", o->dir, e->path));
		else if (report)
			fprintf(report, "depc: kept '%s/%s': no longer generated, but edited by hand\n",
				o->dir, e->path);
	}
	const char *from = arena_printf(o->arena, "%s/%s", tmp, MANIFEST);
	const char *to = arena_printf(o->arena, "%s/%s", o->dir, MANIFEST);
	if (rename(from, to) != 0)
		return fail(o, "cannot write '%s': %s", to);
	return true;
}

/* --- check mode -------------------------------------------------------- */

static enum output_status compare(struct output *o, FILE *report)
{
	struct manifest old = read_manifest(o);
	size_t stale = 0;
	for (struct output_file *f = o->files; f; f = f->next) {
		size_t len;
		char *have = read_all(o->arena, arena_printf(o->arena, "%s/%s", o->dir, f->path), &len);
		const char *why = !have ? "missing"
				  : len != f->content.len || memcmp(have, f->content.data ? f->content.data : "", len)
				  ? "out of date or edited by hand" : NULL;
		if (why) {
			fprintf(report, "depc: %s/%s: %s\n", o->dir, f->path, why);
			stale++;
		}
	}
	for (size_t i = 0; i < old.count; i++) {
		if (output_find(o, old.items[i].path))
			continue;
		struct stat st;
		if (lstat(arena_printf(o->arena, "%s/%s", o->dir, old.items[i].path), &st) == 0) {
			fprintf(report, "depc: %s/%s: no longer generated\n", o->dir, old.items[i].path);
			stale++;
		}
	}
	return stale ? OUTPUT_STALE : OUTPUT_OK;
}

/* --- commit ----------------------------------------------------------------- */

static char *temp_beside(struct output *o)
{
	const char *slash = strrchr(o->dir, '/');
	const char *parent = slash ? arena_strndup(o->home, o->dir, (size_t)(slash - o->dir)) : ".";
	const char *base = slash ? slash + 1 : o->dir;
	char *tmp = arena_printf(o->home, "%s/.%s.depc-XXXXXX", *parent ? parent : "/", base);
	if (!mkdtemp(tmp)) {
		fail(o, "cannot create a temporary directory beside '%s': %s", o->dir);
		return NULL;
	}
	return tmp;
}

bool output_stream(struct output *o)
{
	if (!o->tmp)
		o->tmp = temp_beside(o);
	if (o->tmp && !o->catching) {
		catch_signals();
		o->catching = true;
	}
	return o->tmp != NULL;
}

enum output_status output_commit(struct output *o, bool check, FILE *report)
{
	if (stop_signal && !o->error)
		o->error = "interrupted";
	if (o->error)
		return OUTPUT_FAILED;
	output_files(o);
	if (check)
		return compare(o, report);
	struct stat st;
	bool exists = lstat(o->dir, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode)) {
		o->error = arena_printf(o->home, "'%s' exists and is not a directory", o->dir);
		return OUTPUT_FAILED;
	}
	char *tmp = o->tmp ? o->tmp : temp_beside(o);
	o->tmp = NULL;  /* from here on this function removes it */
	if (!tmp)
		return OUTPUT_FAILED;
	bool ok = write_tree(o, tmp);
	if (ok && !exists) {
		ok = rename(tmp, o->dir) == 0 || fail(o, "cannot create '%s': %s", o->dir);
	} else if (ok) {
		struct manifest old = read_manifest(o);
		for (struct output_file *f = o->files; ok && f; f = f->next)
			ok = may_replace(o, &old, f->path);
		ok = ok && move_in(o, tmp, &old, report);
	}
	if (exists || !ok)
		remove_tree(o, tmp);
	return ok ? OUTPUT_OK : OUTPUT_FAILED;
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
