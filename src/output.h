/* output.h - the generated tree, built in memory and committed atomically.
 *
 * Backends add files to an output; nothing reaches DIR until
 * output_commit().  The whole new tree is written into a temporary
 * directory beside DIR (same parent, so same file system); files in DIR
 * that depc did not write are carried over into it as hard links; then
 * the new tree and DIR change places in one step (Linux
 * renameat2(RENAME_EXCHANGE)), so a reader, even across a crash, sees
 * exactly the old tree or the new one.  A manifest (DIR/.depc-manifest)
 * records what depc wrote and each file's hash: a rebuild drops files it
 * no longer makes, never overwrites or deletes a file it did not write,
 * and refuses to overwrite a generated file edited by hand unless
 * forced.  Leftover temporary directories of an interrupted build
 * (.DIR.depc-XXXXXX) are removed by the next build.
 *
 * The GitHub workflow may be placed in a second directory (the
 * repository's .github/workflows, where GitHub runs it); the manifest
 * records it too, and it is replaced by a rename of its own right after
 * DIR is.
 *
 * Paths written into files are computed from real paths, so they depend
 * only on where DIR, the .dep file and the repository holding it are
 * relative to one another, never on the current directory or on how a
 * path was spelled.  The repository root is the nearest directory above
 * the .dep file that holds .git, else the .dep file's own directory. */
#ifndef DEPC_OUTPUT_H
#define DEPC_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "strmap.h"

struct output_file {
	const char *path;          /* relative, '/'-separated, checked */
	struct strbuf content;     /* emptied once streamed out */
	uint64_t hash;             /* of the content, once written */
	bool written;              /* in the temporary directory */
	bool external;             /* goes to the workflow directory */
	bool edited;               /* its place in DIR holds a hand edit */
	bool reused;               /* linked from DIR, where it was unchanged */
	struct output_file *next;  /* sorted by path once output_files() ran */
};

/* Real absolute paths, computed once (see output_paths.c). */
struct output_places {
	const char *source;        /* the .dep file */
	const char *source_dir;    /* its directory */
	const char *repo;          /* the repository root, else source_dir */
	bool in_repository;        /* a .git was found above the source */
	const char *out;           /* DIR, a symbolic link to it resolved */
	const char *workflows;     /* the workflow directory, or NULL */
	struct strmap sources;     /* a path in the source -> its real path */
};

struct output_manifest;

struct output {
	struct arena *arena;       /* what backends allocate from; build.c
				    * gives each backend a scratch arena */
	struct arena *home;        /* the output's own paths and errors */
	const char *source_name;   /* the .dep file as named on the command line */
	const char *dir;           /* -o DIR as typed ("-" for standard output) */
	const char *workflow_dir;  /* --workflow-dir as typed, or NULL */
	bool force;                /* --force: overwrite hand edits */
	struct output_places *at;  /* resolved on first use */
	struct output_file *files; /* read through output_files() */
	struct output_file *last;  /* the file added last */
	struct strmap paths;       /* path -> output_file, for duplicates */
	struct strmap made;        /* directories made in the temporary one */
	struct strmap plain;       /* directories of DIR seen to be plain ones */
	struct output_manifest *prev; /* DIR's manifest, read before streaming */
	bool sorted;               /* `files` is in path order */
	char *tmp;                 /* the new tree, beside DIR */
	int tmp_lock;              /* an open descriptor of it, flock()ed */
	bool catching;             /* streaming: SIGINT and the like are noted */
	bool changed;              /* something on disk was replaced */
	const char *error;         /* first error, e.g. an unsafe path */
	const char *banner;        /* output_banner(), made on first use */
};

void output_init(struct output *o, struct arena *a, const char *source_name,
		 const char *dir);
void output_free(struct output *o);

/* A new file at `path`; NULL (and o->error set) when the path is unsafe:
 * absolute, empty, with '..' or '.' components, a backslash, a control
 * character, or already added. */
struct strbuf *output_add(struct output *o, const char *path);
/* From now on each file is written into the temporary directory beside
 * DIR as soon as it is finished - when the next one is added - and its
 * text is freed, so a large tree is never held in memory whole;
 * output_free() removes the directory when nothing is committed.  A
 * backend must finish a file before it adds the next; writing to a
 * finished file is an error the commit reports.  False (o->error set)
 * when DIR cannot be used: it is a file, or its parent cannot be made
 * or written. */
bool output_stream(struct output *o);
/* The files, sorted by path (sorted once, when first asked for). */
struct output_file *output_files(struct output *o);
/* The file at `path`, or NULL. */
struct output_file *output_find(const struct output *o, const char *path);

/* Lowercase ASCII letters and digits joined by single '-': a title such
 * as "Web Application Metrics" becomes "web-application-metrics". */
const char *output_slug(struct arena *a, const char *title);

/* "generated by depc from FILE - do not edit", for a comment line; FILE
 * is the .dep file's path from the repository root, with line breaks and
 * controls made spaces (escape_comment). */
const char *output_banner(const struct output *o);

/* The directory `path` (relative to the .dep file's directory) as seen
 * from DIR.  Used for Compose build contexts. */
const char *output_relative_source(const struct output *o, const char *path);
/* The generated `file` (relative to DIR) as seen from the directory
 * `dir` (relative to the .dep file's directory): Compose resolves a
 * Dockerfile from the build context. */
const char *output_from_source(const struct output *o, const char *dir, const char *file);
/* `path` (relative to the .dep file's directory) from the repository
 * root, where CI runs: "." for the root itself. */
const char *output_source_path(const struct output *o, const char *path);
/* The generated `file` (relative to DIR) from the repository root. */
const char *output_repo_path(const struct output *o, const char *file);
/* The generated `file` (relative to DIR) from the build context `dir`
 * (relative to the .dep file's directory), when it lies inside that
 * context; NULL otherwise.  Used to keep DIR's secrets out of images. */
const char *output_inside_context(const struct output *o, const char *dir, const char *file);
/* Real paths of the source, the repository, DIR and the workflow
 * directory. */
const struct output_places *output_places(const struct output *o);

/* Where the GitHub workflow goes: its path relative to DIR. */
#define OUTPUT_WORKFLOWS ".github/workflows/"

enum output_status {
	OUTPUT_OK,
	OUTPUT_STALE,   /* --check: DIR differs from what would be written */
	OUTPUT_FAILED,  /* I/O error or refusal; message in o->error */
};

/* Writes the tree into o->dir (see above).  `check` writes nothing and
 * reports files that are missing, different or unexpected on `report`.
 * Notes (a kept file, a warning) go to `report` too.  After a failure,
 * o->changed tells whether anything on disk was already replaced. */
enum output_status output_commit(struct output *o, bool check, FILE *report);
/* Prints every file to `out`, each after a "==> path <==" line when there
 * is more than one. */
void output_print(struct output *o, FILE *out);

#endif
