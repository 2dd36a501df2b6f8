/* resolve_file.h - opening the file an import names, or refusing it.
 *
 * Diagnostics quote the lines of every source they point into, so the
 * only files read as imports are the ones that are .dep sources: a
 * regular file whose name, once links are followed, ends in ".dep",
 * outside the kernel's /proc and /sys and the devices of /dev.  Anything
 * else (a link to /proc/self/environ or to a credentials file, a FIFO,
 * a directory) is refused with the reason, and its contents are never
 * read. */
#ifndef DEPC_RESOLVE_FILE_H
#define DEPC_RESOLVE_FILE_H

#include "arena.h"
#include "source.h"

enum import_result {
	IMPORT_ABSENT,  /* nothing there: try the next directory */
	IMPORT_READ,    /* `src` holds the file */
	IMPORT_REFUSED, /* something there that is not a .dep source: `why` */
};

struct import_file {
	enum import_result result;
	struct source *src; /* IMPORT_READ: named by the path tried */
	const char *why;    /* IMPORT_REFUSED: the reason, naming no contents */
};

struct import_file import_file_open(struct arena *a, const char *path);

#endif
