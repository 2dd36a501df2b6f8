/* resolve_file.c - opening the file an import names, or refusing it.
 *
 * The file is opened first, without blocking (a FIFO would otherwise
 * stall the compiler until a writer came), and every test is made on
 * what was opened: its type and file system through the descriptor, its
 * name through the links that led to it.  Only then is it read.  See
 * resolve_file.h for what is accepted. */
#include "resolve_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/vfs.h>
#define PROC_FS_MAGIC 0x9fa0L      /* linux/magic.h PROC_SUPER_MAGIC */
#define SYS_FS_MAGIC 0x62656572L   /* linux/magic.h SYSFS_MAGIC */
#endif

/* Directories of files made up by the kernel, never sources. */
static const char *const kernel_dirs[] = { "/proc/", "/sys/", "/dev/" };

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* The kernel's own file systems, wherever they are mounted. */
static bool on_kernel_fs(int fd)
{
#ifdef __linux__
	struct statfs fs;
	if (fstatfs(fd, &fs) == 0 &&
	    ((long)fs.f_type == PROC_FS_MAGIC || (long)fs.f_type == SYS_FS_MAGIC))
		return true;
#else
	(void)fd;
#endif
	return false;
}

/* Why the open file at `path` is not a .dep source, or NULL when it is. */
static const char *refusal(struct arena *a, const char *path, int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return arena_printf(a, "it cannot be examined (%s)", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return "it is a directory";
	if (!S_ISREG(st.st_mode))
		return "it is not a regular file (a device, FIFO or socket)";
	if (on_kernel_fs(fd))
		return "it is a file of the kernel's /proc or /sys";
	char *real = realpath(path, NULL);
	if (!real)
		return arena_printf(a, "its links cannot be followed (%s)", strerror(errno));
	const char *why = NULL;
	for (size_t i = 0; !why && i < sizeof kernel_dirs / sizeof kernel_dirs[0]; i++)
		if (!strncmp(real, kernel_dirs[i], strlen(kernel_dirs[i])))
			why = arena_printf(a, "it leads to '%s', a file the kernel makes", real);
	if (!why && !has_suffix(real, ".dep"))
		why = arena_printf(a, "it leads to '%s', whose name does not end in .dep", real);
	free(real);
	return why;
}

struct import_file import_file_open(struct arena *a, const char *path)
{
	struct import_file r = { IMPORT_ABSENT, NULL, NULL };
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			r.result = IMPORT_REFUSED;
			r.why = arena_printf(a, "it cannot be opened (%s)", strerror(errno));
		}
		return r;
	}
	r.why = refusal(a, path, fd);
	FILE *f = r.why ? NULL : fdopen(fd, "rb");
	if (!f) {
		close(fd);
		r.result = IMPORT_REFUSED;
		if (!r.why)
			r.why = arena_printf(a, "it cannot be read (%s)", strerror(errno));
		return r;
	}
	const char *err = NULL;
	r.src = source_read_stream(a, path, f, &err);
	fclose(f);
	r.result = r.src ? IMPORT_READ : IMPORT_REFUSED;
	if (!r.src)
		r.why = arena_printf(a, "it cannot be read (%s)", err ? err : "unknown error");
	return r;
}
