/* output_disk.c - committing the tree: the temporary directory beside
 * DIR, the manifest, the carry-over of files depc did not write, the
 * atomic exchange, and the cleanup of what an interrupted build left.
 *
 * Order of work: (1) output_disk_prepare makes .BASE.depc-XXXXXX beside
 * DIR (creating DIR's parents) and holds a lock on it, so a later build
 * can tell a leftover (unlocked: its build is gone) from a build still
 * running; (2) the backends' files stream into it; (3) at the commit,
 * DIR is read against its manifest: a file depc did not write that the
 * new tree would replace, a directory on the way that is a symbolic link
 * or a generated file edited by hand stops the commit; every other file
 * depc did not write (and a dropped file edited by hand) is hard-linked
 * into the new tree; (4) the new manifest is written, and the new tree
 * and DIR change places in one renameat2(RENAME_EXCHANGE); (5) the old
 * tree, now at the temporary name, is removed.  Before (4) DIR is
 * untouched; from (4) on it is the new tree; a crash anywhere leaves
 * DIR whole and a temporary directory the next build removes. */
#define _GNU_SOURCE
#include "output_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEMP_SUFFIX ".depc-"

/* FNV-1a, the manifest's hash.  Every byte depc writes passes here, so
 * the loop takes four bytes a turn (the same arithmetic, in order). */
static uint64_t fnv1a(const char *data, size_t len)
{
	const uint64_t prime = 0x100000001b3ull;
	const unsigned char *p = (const unsigned char *)data;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i = 0;
	for (; i + 4 <= len; i += 4) {
		h = (h ^ p[i]) * prime;
		h = (h ^ p[i + 1]) * prime;
		h = (h ^ p[i + 2]) * prime;
		h = (h ^ p[i + 3]) * prime;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * prime;
	return h;
}

static bool fail(struct output *o, const char *fmt, const char *path)
{
	if (!o->error)
		o->error = arena_printf(o->home, fmt, path, strerror(errno));
	return false;
}

static bool refuse(struct output *o, const char *fmt, const char *path)
{
	if (!o->error)
		o->error = arena_printf(o->home, fmt, path);
	return false;
}

/* DIR as the user wrote it, without trailing slashes, for messages. */
static const char *shown_dir(const struct output *o)
{
	size_t n = strlen(o->dir);
	while (n > 1 && o->dir[n - 1] == '/')
		n--;
	return arena_strndup(o->home, o->dir, n);
}

static const char *shown(const struct output *o, const char *rel)
{
	return arena_printf(o->arena, "%s/%s", shown_dir(o), rel);
}

static const char *join(struct arena *a, const char *dir, const char *rel)
{
	return arena_cat(a, strcmp(dir, "/") ? dir : "", "/", rel, (char *)NULL);
}

/* The mode a directory made now gets: 0777 less the umask. */
static mode_t dir_mode(void)
{
	mode_t mask = umask(022);
	umask(mask);
	return 0777 & ~mask;
}

/* --- removing trees -------------------------------------------------------- */

/* Deeper than this, a tree is removed by path (nftw), so a deep tree the
 * user carried over cannot run the process out of descriptors. */
#define REMOVE_FDS 32

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void remove_by_path(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Empties the directory open at `fd` (at `path`, for the deep fallback):
 * each entry unlinked by name relative to it, with no stat of a file
 * (readdir's d_type says what it is) and no walk of the whole path;
 * nothing on another file system (st_dev) is entered. */
static void remove_entries(int fd, const char *path, dev_t dev, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct stat st;
		bool dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN)
			dir = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		if (!dir) {
			unlinkat(fd, e->d_name, 0);
			continue;
		}
		char *sub = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!sub)
			continue;
		sprintf(sub, "%s/%s", path, e->d_name);
		int child = depth < REMOVE_FDS
			    ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (child >= 0 && fstat(child, &st) == 0 && st.st_dev == dev) {
			remove_entries(child, sub, dev, depth + 1);
			unlinkat(fd, e->d_name, AT_REMOVEDIR);
		} else if (child >= 0) {
			close(child);  /* a mount point: not entered */
		} else if (errno == EMFILE || depth >= REMOVE_FDS) {
			remove_by_path(sub);
		}
		free(sub);
	}
	closedir(d);
}

/* Never follows a symbolic link, never crosses into another file system. */
static void remove_all(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		remove_by_path(path);
		return;
	}
	remove_entries(fd, path, st.st_dev, 0);
	rmdir(path);
}

/* --- the temporary directory ------------------------------------------------ */

static const char *base_of(const char *abs)
{
	return strrchr(abs, '/') + 1;
}

static const char *parent_of(struct arena *a, const char *abs)
{
	const char *slash = strrchr(abs, '/');
	return slash == abs ? "/" : arena_strndup(a, abs, (size_t)(slash - abs));
}

/* mkdir -p, each directory with the usual mode. */
static bool make_dirs(struct output *o, const char *abs)
{
	struct stat st;
	if (stat(abs, &st) == 0) {
		errno = ENOTDIR;
		return S_ISDIR(st.st_mode) || fail(o, "cannot create directory '%s': %s", abs);
	}
	if (strcmp(abs, "/") && !make_dirs(o, parent_of(o->arena, abs)))
		return false;
	return mkdir(abs, 0777) == 0 || errno == EEXIST
	       || fail(o, "cannot create directory '%s': %s", abs);
}

/* .BASE.depc-XXXXXX in `parent` whose build is over (its lock is free):
 * a tree an interrupted build left beside DIR, new or old, or a staged
 * workflow; removed. */
static void remove_leftovers(struct output *o, const char *parent, const char *base)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	const char *prefix = arena_printf(o->arena, ".%s" TEMP_SUFFIX, base);
	size_t n = strlen(prefix);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strncmp(e->d_name, prefix, n) || strlen(e->d_name) != n + 6)
			continue;
		const char *path = join(o->arena, parent, e->d_name);
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (S_ISDIR(st.st_mode))
				remove_all(path);
			else if (S_ISREG(st.st_mode))
				unlink(path);
		}
		close(fd);
	}
	closedir(d);
}

static struct output_manifest *read_previous(struct output *o);

bool output_disk_prepare(struct output *o)
{
	const struct output_places *at = output_places(o);
	struct stat st;
	if (!strcmp(at->out, "/"))
		return refuse(o, "cannot use '%s' as the output directory: it is the root "
			      "of the file system", o->dir);
	if (stat(at->out, &st) == 0 && !S_ISDIR(st.st_mode))
		return refuse(o, "'%s' exists and is a file, not a directory; "
			      "choose another -o directory", o->dir);
	/* the exchange would replace a whole repository, .git and all */
	if (!strncmp(at->repo, at->out, strlen(at->out)) && strchr("/", at->repo[strlen(at->out)])
	    && access(join(o->arena, at->repo, ".git"), F_OK) == 0)
		return refuse(o, arena_printf(o->home, "refusing to use '%%s' as the output directory: "
					      "it holds the repository '%s'; choose a directory "
					      "of its own inside it, such as '%s'", at->repo,
					      join(o->arena, at->repo, "deploy")), o->dir);
	if (at->workflows && (!strncmp(at->workflows, at->out, strlen(at->out))
			      && strchr("/", at->workflows[strlen(at->out)])))
		return refuse(o, "--workflow-dir '%s' is inside the output directory; without "
			      "it the workflow is written there already", o->workflow_dir);
	const char *parent = parent_of(o->home, at->out), *base = base_of(at->out);
	if (!make_dirs(o, parent))
		return false;
	remove_leftovers(o, parent, base);
	char *tmp = arena_printf(o->home, "%s/.%s" TEMP_SUFFIX "XXXXXX",
				 strcmp(parent, "/") ? parent : "", base);
	if (!mkdtemp(tmp))
		return fail(o, arena_printf(o->home, "cannot create the output directory '%s': "
					    "cannot write in '%%s': %%s", shown_dir(o)), parent);
	o->tmp = tmp;
	o->prev = read_previous(o);
	o->tmp_lock = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->tmp_lock >= 0)
		flock(o->tmp_lock, LOCK_EX | LOCK_NB);
	chmod(tmp, dir_mode());  /* mkdtemp made it 0700 */
	return true;
}

void output_disk_abandon(struct output *o)
{
	if (o->tmp)
		remove_all(o->tmp);
	o->tmp = NULL;
	if (o->tmp_lock >= 0)
		close(o->tmp_lock);
	o->tmp_lock = -1;
}

/* --- writing ------------------------------------------------------------- */

/* The directories on the way to `rel` in the temporary directory, each
 * made once (a mkdir per file cost as much as writing it). */
static bool make_parents(struct output *o, const char *root, const char *rel)
{
	const char *last = strrchr(rel, '/');
	if (!last || strmap_get(&o->made, arena_strndup(o->arena, rel, (size_t)(last - rel))))
		return true;
	char *path = arena_printf(o->arena, "%s/%s", root, rel);
	size_t skip = strlen(root) + 1;
	for (char *slash = strchr(path + skip, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (!strmap_get(&o->made, path + skip)) {
			if (mkdir(path, 0777) != 0 && errno != EEXIST)
				return fail(o, "cannot create directory '%s': %s", path);
			strmap_add(&o->made, arena_strdup(o->home, path + skip), o);
		}
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
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return fail(o, "cannot write '%s': %s", path);
	bool ok = !injected_failure();
	errno = 0;
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

static const char *content_of(const struct output_file *f)
{
	return f->content.data ? f->content.data : "";
}

static bool reuse(struct output *o, const struct output_file *f, const char *into);

bool output_disk_write(struct output *o, struct output_file *f)
{
	if (f->written) {
		if (!f->content.len)
			return true;
		o->error = arena_printf(o->home, "internal error: '%s' was written to after "
					"the next file was started", f->path);
		return false;
	}
	f->hash = fnv1a(content_of(f), f->content.len);
	if (f->external)
		return true;
	if (!make_parents(o, o->tmp, f->path))
		return false;
	const char *into = join(o->arena, o->tmp, f->path);
	bool reused = f->reused = reuse(o, f, into);
	if (reused && injected_failure()) {  /* a reused file counts as a write */
		errno = EIO;
		return fail(o, "cannot write '%s': %s", into);
	}
	if (!reused && !write_file(o, into, content_of(f), f->content.len))
		return false;
	f->written = true;
	return true;
}

/* --- the manifest ------------------------------------------------------------ */

#define EXTERNAL "#external "

struct entry {
	const char *path;  /* relative to DIR; "../" allowed for an external one */
	uint64_t hash;
	bool seen;         /* met while DIR was read */
	bool external;     /* the workflow, outside DIR */
};

struct output_manifest {
	struct entry *items;
	size_t count;
	struct strmap paths;  /* path -> entry */
	struct timespec stamp; /* when it changed: files depc wrote are older */
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

/* The hash of a regular file, read without keeping it. */
static bool hash_file(const char *path, uint64_t *hash)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	uint64_t h = 0xcbf29ce484222325ull;
	char chunk[16384];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)chunk[i]) * 0x100000001b3ull;
	close(fd);
	*hash = h;
	return n == 0;
}

/* Where an external file goes, and that place from DIR (as recorded). */
static const char *external_target(const struct output *o, const struct output_file *f)
{
	return join(o->arena, output_places(o)->workflows, f->path + strlen(OUTPUT_WORKFLOWS));
}

static const char *external_entry(const struct output *o, const char *target);

static const char *manifest_text(struct output *o)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_printf(&b, "# %s\n# files depc wrote here; it removes them when it stops making them\n",
		      output_banner(o));
	for (struct output_file *f = o->files; f; f = f->next)
		if (f->external)
			strbuf_printf(&b, EXTERNAL "%016llx %s\n", (unsigned long long)f->hash,
				      external_entry(o, external_target(o, f)));
		else
			strbuf_printf(&b, "%016llx %s\n", (unsigned long long)f->hash, f->path);
	return strbuf_finish(&b, o->arena);
}

/* An external path may climb out of DIR but must otherwise be plain. */
static bool plain_external(const char *p)
{
	while (!strncmp(p, "../", 3))
		p += 3;
	if (!*p || strstr(p, "/../") || strstr(p, "/./") || strstr(p, "//") || p[0] == '/')
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20)
			return false;
	return true;
}

static struct output_manifest read_manifest(struct output *o)
{
	struct output_manifest m = { NULL, 0, { 0 }, { 0, 0 } };
	strmap_init(&m.paths, o->arena);
	size_t len;
	const char *path = join(o->arena, output_places(o)->out, OUTPUT_MANIFEST);
	struct stat st;
	char *text = lstat(path, &st) == 0 && S_ISREG(st.st_mode) ? read_all(o->arena, path, &len) : NULL;
	if (!text)
		return m;
	m.stamp = st.st_ctim;
	/* One entry per line at most; a planted manifest may have short lines. */
	size_t lines = 1;
	for (const char *c = text; (c = memchr(c, '\n', len - (size_t)(c - text))) != NULL; c++)
		lines++;
	m.items = arena_calloc(o->arena, lines, sizeof *m.items);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		bool external = !strncmp(line, EXTERNAL, strlen(EXTERNAL));
		line += external ? strlen(EXTERNAL) : 0;
		char *space = strchr(line, ' ');
		if ((line[0] == '#' && !external) || !space
		    || !(external ? plain_external(space + 1) : output_safe_path(space + 1)))
			continue;
		m.items[m.count].hash = strtoull(line, NULL, 16);
		m.items[m.count].path = space + 1;
		m.items[m.count].external = external;
		strmap_add(&m.paths, space + 1, &m.items[m.count++]);
	}
	return m;
}

static const char *external_entry(const struct output *o, const char *target)
{
	return output_path_between(o->arena, output_places(o)->out, target);
}

/* --- reading DIR against the manifest ------------------------------------ */

struct carry {
	struct output *o;
	struct output_manifest *old;
	size_t edited;  /* generated files edited by hand, for the refusal */
	FILE *report;
};

static void note_edited(struct carry *c, const struct output_file *f)
{
	((struct output_file *)f)->edited = true;
	c->edited++;
}

/* Is the file at `path` as depc wrote it, by the manifest's hash?  A
 * file whose inode changed last before the manifest was written is
 * trusted without reading: every change (a write, a chmod) moves a
 * file's ctime, which no program can set back.  Timestamps are coarse,
 * so a file of the manifest's own tick is read. */
static bool as_written(const struct output_manifest *m, const char *path, const struct stat *st,
		       uint64_t recorded, uint64_t *hash)
{
	const struct timespec *c = &st->st_ctim;
	if (c->tv_sec < m->stamp.tv_sec || (c->tv_sec == m->stamp.tv_sec && c->tv_nsec < m->stamp.tv_nsec)) {
		*hash = recorded;
		return true;
	}
	return hash_file(path, hash);
}

/* A regular file in DIR that the new tree replaces: written by depc
 * (else refused) and not edited since (else noted for the refusal,
 * unless --force, or the edit is exactly what depc now writes). */
static bool check_replaced(struct carry *c, const char *path, const char *rel,
			   const struct stat *st, const struct output_file *f)
{
	struct output *o = c->o;
	struct entry *e = strmap_get(&c->old->paths, rel);
	if (!S_ISREG(st->st_mode) || !e)
		return refuse(o, "refusing to replace '%s': depc did not write it "
			      "(move it away, or choose another -o directory)", shown(o, rel));
	/* a reused file was found unedited, and linking it moved its ctime */
	if (f->reused)
		return true;
	uint64_t h;
	if (!as_written(c->old, path, st, e->hash, &h))
		return fail(o, "cannot read '%s': %s", shown(o, rel));
	if (h != e->hash && h != f->hash && !o->force)
		note_edited(c, f);
	return true;
}

/* A file of the previous build the new tree does not make, as depc
 * wrote it: it is dropped (not carried over). */
static bool dropped(struct carry *c, const char *path, const char *rel, const struct stat *st)
{
	struct entry *e = strmap_get(&c->old->paths, rel);
	uint64_t h;
	return e && S_ISREG(st->st_mode) && as_written(c->old, path, st, e->hash, &h) && h == e->hash;
}

/* Any other file of DIR is kept: linked into the new tree. */
static bool carry_file(struct carry *c, const char *path, const char *rel, const char *into)
{
	struct output *o = c->o;
	if (strmap_get(&c->old->paths, rel) && c->report)
		fprintf(c->report, "depc: kept '%s': no longer generated, but edited by hand\n",
			shown(o, rel));
	if (linkat(AT_FDCWD, path, AT_FDCWD, into, 0) != 0)
		return fail(o, arena_printf(o->arena, "cannot carry '%%s' over into the new tree "
					    "(a hard link beside '%s'): %%s", shown_dir(o)), shown(o, rel));
	return true;
}

static bool carry_dir(struct carry *c, const char *rel, bool *had_entries);

/* One entry of DIR at `rel`. */
static bool carry_entry(struct carry *c, const char *rel)
{
	struct output *o = c->o;
	const struct output_file *f = output_find(o, rel);
	struct entry *e = strmap_get(&c->old->paths, rel);
	if (f && f->reused) {  /* already in the new tree, the same file */
		e->seen = true;
		return true;
	}
	const char *path = join(o->arena, output_places(o)->out, rel);
	const char *into = join(o->arena, o->tmp, rel);
	struct stat st, made;
	if (lstat(path, &st) != 0)
		return true;  /* gone meanwhile */
	if (e)
		e->seen = true;
	if (f && !f->external && !S_ISDIR(st.st_mode))
		return check_replaced(c, path, rel, &st, f);
	bool present = lstat(into, &made) == 0;  /* in the new tree already */
	if (S_ISDIR(st.st_mode)) {
		if (present && !S_ISDIR(made.st_mode))
			return refuse(o, "refusing to replace the directory '%s' by a file: "
				      "depc did not write it", shown(o, rel));
		if (!present && mkdir(into, 0700) != 0)
			return fail(o, "cannot create directory '%s': %s", into);
		bool had_entries = false;
		if (!carry_dir(c, rel, &had_entries))
			return false;
		/* a directory that held only dropped files goes with them; an
		 * empty one the user made stays; either way it gets the old
		 * one's mode, once filled (it may forbid writing) */
		if (!present && had_entries && rmdir(into) == 0)
			return true;
		if (!present || (made.st_mode & 07777) != (st.st_mode & 07777))
			chmod(into, st.st_mode & 07777);
		return true;
	}
	if (f && !f->external)
		return check_replaced(c, path, rel, &st, f);
	if (dropped(c, path, rel, &st))
		return true;
	if (present)
		return refuse(o, S_ISLNK(st.st_mode)
			      ? "refusing to write through '%s': not a plain directory"
			      : "refusing to replace '%s': depc did not write it "
				"(move it away, or choose another -o directory)", shown(o, rel));
	return carry_file(c, path, rel, into);
}

/* Reads DIR/rel ("" for DIR itself) into the new tree. */
static bool carry_dir(struct carry *c, const char *rel, bool *had_entries)
{
	struct output *o = c->o;
	const char *dir = *rel ? join(o->arena, output_places(o)->out, rel) : output_places(o)->out;
	DIR *d = opendir(dir);
	if (!d)
		return fail(o, "cannot read '%s': %s", *rel ? shown(o, rel) : shown_dir(o));
	bool ok = true;
	for (struct dirent *e; ok && (e = readdir(d)) != NULL;) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")
		    || (!*rel && !strcmp(e->d_name, OUTPUT_MANIFEST)))
			continue;
		*had_entries = true;
		ok = carry_entry(c, *rel ? arena_printf(o->arena, "%s/%s", rel, e->d_name)
				 : arena_strdup(o->arena, e->d_name));
	}
	closedir(d);
	return ok;
}

/* The first directory on the way to `rel` inside DIR that exists and is
 * not a plain directory (a symbolic link, say), or NULL. */
static const char *crooked_dir(struct output *o, const char *rel)
{
	const char *out = output_places(o)->out;
	char *path = arena_printf(o->arena, "%s/%s", strcmp(out, "/") ? out : "", rel);
	struct stat st;
	for (char *slash = strchr(path + strlen(out) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
			return path + strlen(out) + 1;
		*slash = '/';
	}
	return NULL;
}

/* Files of the previous build behind a link were never read: say so. */
static void report_unseen(struct carry *c)
{
	for (size_t i = 0; c->report && i < c->old->count; i++) {
		const struct entry *e = &c->old->items[i];
		if (e->seen || e->external || output_find(c->o, e->path))
			continue;
		const char *crooked = crooked_dir(c->o, e->path);
		if (crooked)
			fprintf(c->report, "depc: kept '%s': no longer generated, but '%s' is not "
				"a plain directory\n", shown(c->o, e->path), shown(c->o, crooked));
	}
}

/* --- the workflow, in a directory of its own ----------------------------- */

/* The workflow as the user would name it. */
static const char *shown_external(const struct output *o, const char *target)
{
	const char *wf = output_places(o)->workflows;
	if (o->workflow_dir && wf && !strncmp(target, wf, strlen(wf)) && target[strlen(wf)] == '/')
		return arena_printf(o->arena, "%s%s", o->workflow_dir,
				    target + strlen(wf) + (o->workflow_dir[strlen(o->workflow_dir) - 1] == '/'));
	return target;
}

/* The workflow's place must be free, hold what depc wrote there last
 * (unedited, unless --force), or hold exactly the new text. */
static bool check_external(struct carry *c, const struct output_file *f)
{
	struct output *o = c->o;
	const char *target = external_target(o, f);
	struct entry *e = strmap_get(&c->old->paths, external_entry(o, target));
	if (e)
		e->seen = true;
	struct stat st;
	uint64_t h;
	if (lstat(target, &st) != 0)
		return true;
	if (!S_ISREG(st.st_mode) || !hash_file(target, &h) || (h != f->hash && !e))
		return refuse(o, "refusing to replace '%s': depc did not write it "
			      "(move it away, or choose another --workflow-dir)", shown_external(o, target));
	if (h != f->hash && h != e->hash && !o->force)
		note_edited(c, f);
	return true;
}

struct staged {
	const char *path;  /* the workflow's text, beside its place */
	int fd;            /* held open and locked until it is renamed */
};

/* The workflow's text in a temporary file beside its place, locked so
 * that another build can tell it from a leftover of a killed one. */
static bool stage_external(struct output *o, struct output_file *f, struct staged *st)
{
	const char *target = external_target(o, f);
	const char *dir = parent_of(o->arena, target);
	if (!make_dirs(o, dir))
		return false;
	remove_leftovers(o, dir, base_of(target));
	char *tmp = arena_printf(o->home, "%s/.%s" TEMP_SUFFIX "XXXXXX", dir, base_of(target));
	st->fd = mkstemp(tmp);
	if (st->fd < 0)
		return fail(o, "cannot write in '%s': %s", dir);
	st->path = tmp;
	flock(st->fd, LOCK_EX | LOCK_NB);
	fchmod(st->fd, dir_mode() & 0666);
	return write_file(o, tmp, content_of(f), f->content.len);
}

static void unstage(struct staged *staged, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (staged[i].path)
			unlink(staged[i].path);
		if (staged[i].fd >= 0)
			close(staged[i].fd);
	}
}

/* After DIR: each staged workflow renamed into place; then workflows of
 * the previous build no longer made are dropped when unedited. */
static bool install_externals(struct output *o, struct output_manifest *old, struct staged *staged,
			      FILE *report)
{
	bool ok = true;
	size_t i = 0;
	for (struct output_file *f = o->files; f; f = f->next) {
		if (!f->external)
			continue;
		const char *target = external_target(o, f);
		if (!ok || rename(staged[i].path, target) != 0) {
			ok = ok && fail(o, arena_printf(o->home, "'%s' was updated, but the workflow "
							"'%%s' could not be written: %%s", shown_dir(o)),
					shown_external(o, target));
			unlink(staged[i].path);
		}
		close(staged[i++].fd);
	}
	for (size_t k = 0; k < old->count; k++) {
		const struct entry *e = &old->items[k];
		if (e->seen || !e->external)
			continue;
		const char *path = join(o->arena, output_places(o)->out, e->path);
		uint64_t h;
		if (hash_file(path, &h) && h == e->hash)
			unlink(path);
		else if (report && access(path, F_OK) == 0)
			fprintf(report, "depc: kept '%s': no longer generated, but edited by hand\n", path);
	}
	return ok;
}

/* --- reusing unchanged files ---------------------------------------------- */

static struct output_manifest *read_previous(struct output *o)
{
	struct stat st;
	if (stat(output_places(o)->out, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	struct output_manifest *m = arena_alloc(o->home, sizeof *m);
	*m = read_manifest(o);
	return m->count ? m : NULL;
}

/* Every directory on the way to `rel` in DIR is a plain one (each is
 * looked at once per build). */
static bool plain_way(struct output *o, const char *rel)
{
	const char *last = strrchr(rel, '/');
	if (!last)
		return true;
	const char *dir = arena_strndup(o->arena, rel, (size_t)(last - rel));
	if (strmap_get(&o->plain, dir))
		return true;
	if (!plain_way(o, dir))
		return false;
	struct stat st;
	if (lstat(join(o->arena, output_places(o)->out, dir), &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	strmap_add(&o->plain, arena_strdup(o->home, dir), o);
	return true;
}

/* A file whose text is what DIR holds there already, as depc wrote it,
 * is not written again: the new tree gets a hard link to it.  Only
 * changed files are new; the old tree's removal then frees only
 * theirs.  Falls back to writing on any doubt. */
static bool reuse(struct output *o, const struct output_file *f, const char *into)
{
	struct output_manifest *m = o->prev;
	struct entry *e = m ? strmap_get(&m->paths, f->path) : NULL;
	if (!e || e->external || e->hash != f->hash || !plain_way(o, f->path))
		return false;
	const char *path = join(o->arena, output_places(o)->out, f->path);
	struct stat st;
	uint64_t h;
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != f->content.len
	    || !as_written(m, path, &st, e->hash, &h) || h != f->hash)
		return false;
	return linkat(AT_FDCWD, path, AT_FDCWD, into, 0) == 0;
}

/* --- the exchange -------------------------------------------------------- */

/* The new tree takes DIR's place in one step.  Where the file system
 * cannot exchange, DIR is moved aside first: for an instant it is
 * absent, but never a mixture. */
static bool exchange(struct output *o, bool exists)
{
	const char *out = output_places(o)->out;
	if (!exists)
		return rename(o->tmp, out) == 0 || fail(o, "cannot create '%s': %s", shown_dir(o));
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, out, RENAME_EXCHANGE) == 0)
		return true;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return fail(o, "cannot replace '%s' by the new tree: %s", shown_dir(o));
#endif
	const char *parent = parent_of(o->arena, out);
	char *aside = arena_printf(o->home, "%s/.%s" TEMP_SUFFIX "XXXXXX",
				   strcmp(parent, "/") ? parent : "", base_of(out));
	if (!mkdtemp(aside) || rename(out, aside) != 0)
		return fail(o, "cannot replace '%s' by the new tree: %s", shown_dir(o));
	if (rename(o->tmp, out) != 0) {
		int saved = errno;
		rename(aside, out);
		errno = saved;
		return fail(o, "cannot replace '%s' by the new tree: %s", shown_dir(o));
	}
	rmdir(o->tmp);
	o->tmp = aside;
	return true;
}

/* One refusal naming every edited file, in path order. */
static bool refuse_edits(struct carry *c)
{
	if (!c->edited)
		return true;
	struct output *o = c->o;
	struct strbuf names;
	strbuf_init(&names);
	for (const struct output_file *f = o->files; f; f = f->next)
		if (f->edited)
			strbuf_printf(&names, "%s'%s'", names.len ? ", " : "",
				      f->external ? shown_external(o, external_target(o, f))
				      : shown(o, f->path));
	return refuse(o, arena_printf(o->home, "refusing to overwrite %s edited by hand "
				      "since depc wrote %s: %%s (--force overwrites; better, "
				      "make the change in the .dep source)",
				      c->edited == 1 ? "a file" : "files", c->edited == 1 ? "it" : "them"),
		      strbuf_finish(&names, o->arena));
}

/* Everything is read and staged before DIR changes; nothing after. */
static bool stage(struct output *o, struct carry *c, bool exists, const struct stat *st,
		  struct staged *staged)
{
	bool ok = true;
	for (struct output_file *f = o->files; ok && f; f = f->next)
		ok = output_disk_write(o, f) && (!f->external || check_external(c, f));
	bool had_entries = false;
	ok = ok && (!exists || carry_dir(c, "", &had_entries)) && refuse_edits(c);
	const char *m = ok ? manifest_text(o) : NULL;
	ok = ok && write_file(o, join(o->arena, o->tmp, OUTPUT_MANIFEST), m, strlen(m));
	if (ok && exists)
		chmod(o->tmp, st->st_mode & 07777);
	size_t n = 0;
	for (struct output_file *f = o->files; ok && f; f = f->next)
		if (f->external)
			ok = stage_external(o, f, &staged[n++]);
	return ok;
}

bool output_disk_commit(struct output *o, FILE *report)
{
	const char *out = output_places(o)->out;
	struct stat st;
	bool exists = stat(out, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode)) {
		output_disk_abandon(o);
		return refuse(o, "'%s' exists and is a file, not a directory", shown_dir(o));
	}
	struct output_manifest old = { NULL, 0, { 0 }, { 0, 0 } };
	strmap_init(&old.paths, o->arena);
	if (exists)
		old = o->prev ? *o->prev : read_manifest(o);
	struct carry c = { .o = o, .old = &old, .report = report };
	size_t externals = 0;
	for (struct output_file *f = o->files; f; f = f->next)
		externals += f->external;
	struct staged *staged = arena_calloc(o->arena, externals + 1, sizeof *staged);
	for (size_t i = 0; i < externals; i++)
		staged[i].fd = -1;
	if (!stage(o, &c, exists, &st, staged) || !exchange(o, exists)) {
		unstage(staged, externals);
		output_disk_abandon(o);
		return false;
	}
	o->changed = true;
	report_unseen(&c);
	if (!exists) {
		o->tmp = NULL;  /* it is DIR now */
	}
	output_disk_abandon(o);  /* the old tree, at the temporary name */
	/* Removing it changed the link counts, and so the ctimes, of the
	 * files reused from it; the manifest is made newer than them again,
	 * so the next build trusts them without reading. */
	if (exists)
		utimensat(AT_FDCWD, join(o->arena, out, OUTPUT_MANIFEST), NULL, AT_SYMLINK_NOFOLLOW);
	return install_externals(o, &old, staged, report);
}

/* --- check mode -------------------------------------------------------- */

enum output_status output_disk_compare(struct output *o, FILE *report)
{
	struct output_manifest old = read_manifest(o);
	struct strmap now;
	strmap_init(&now, o->arena);
	size_t stale = 0;
	for (struct output_file *f = o->files; f; f = f->next) {
		const char *path = f->external ? external_target(o, f)
				   : join(o->arena, output_places(o)->out, f->path);
		strmap_add(&now, f->external ? external_entry(o, path) : f->path, f);
		size_t len;
		char *have = read_all(o->arena, path, &len);
		const char *why = !have ? "missing"
				  : len != f->content.len || memcmp(have, content_of(f), len)
				  ? "out of date or edited by hand" : NULL;
		if (why) {
			fprintf(report, "depc: %s: %s\n", f->external ? shown_external(o, path)
				: shown(o, f->path), why);
			stale++;
		}
	}
	for (size_t i = 0; i < old.count; i++) {
		const struct entry *e = &old.items[i];
		struct stat st;
		if (strmap_get(&now, e->path)
		    || lstat(join(o->arena, output_places(o)->out, e->path), &st) != 0)
			continue;
		fprintf(report, "depc: %s: no longer generated\n", shown(o, e->path));
		stale++;
	}
	return stale ? OUTPUT_STALE : OUTPUT_OK;
}
