/* docker_out.h - Dockerfile instructions from typed values.
 *
 * Every Dockerfile and ignore file depc writes goes through here, and
 * nothing here takes preformatted instruction text: each function is one
 * instruction whose arguments are the values themselves, escaped for
 * their place (escape.c) so no value can end its instruction, start
 * another, continue onto the next line or expand a variable.  Values a
 * Dockerfile cannot carry at all (a line break in a path or an ARG) are
 * rejected by the checker (E0330, E0331); should one still arrive, the
 * writer fails instead of writing it, and the build reports an internal
 * error. */
#ifndef DEPC_DOCKER_OUT_H
#define DEPC_DOCKER_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "model.h"

struct docker_out {
	struct strbuf *buf;    /* where the text goes */
	struct arena *a;
	const char *failed;    /* the first value that could not be written */
};

void docker_begin(struct docker_out *d, struct strbuf *buf, struct arena *a);
/* False, with d->failed naming the value, when one was refused. */
bool docker_end(struct docker_out *d);

/* "# TEXT": line breaks and controls in TEXT become spaces. */
void docker_comment(struct docker_out *d, const char *text);
void docker_blank(struct docker_out *d);

/* FROM IMAGE [AS STAGE]; STAGE is depc's own word. */
void docker_from(struct docker_out *d, const char *image, const char *stage);
void docker_workdir(struct docker_out *d, const char *path);
/* ARG NAME="VALUE" and ENV NAME="VALUE"; NAME is a checked identifier. */
void docker_arg(struct docker_out *d, const char *name, const char *value);
void docker_env(struct docker_out *d, const char *name, const char *value);
void docker_env_int(struct docker_out *d, const char *name, int value);
/* ENV NAME=${NAME}: the build argument NAME as environment. */
void docker_env_from_arg(struct docker_out *d, const char *name);
/* ENV NAME="VALUE:$NAME": VALUE put in front of the variable's old value. */
void docker_env_prepend(struct docker_out *d, const char *name, const char *value);
/* COPY [--from=STAGE] SOURCES... DEST; the JSON form when a path has a
 * blank or starts with '-'. */
void docker_copy(struct docker_out *d, const char *from, const char *const *sources,
		 size_t n, const char *dest);
/* RUN SCRIPT: the shell form when the script is one plain line, else the
 * exec form ["/bin/sh", "-c", SCRIPT], where no line break, trailing '\'
 * or here-document can reach the Dockerfile parser. */
void docker_run(struct docker_out *d, const char *script);
void docker_user(struct docker_out *d, int uid, int gid);
void docker_expose(struct docker_out *d, int port);
/* HEALTHCHECK with its timings (milliseconds; start 0 leaves Docker's
 * default) and CMD ARGV in exec form. */
void docker_healthcheck(struct docker_out *d, int64_t interval_ms, int64_t timeout_ms,
			int64_t start_ms, int retries, const struct model_strings *argv);
/* CMD ARGV in exec form. */
void docker_cmd(struct docker_out *d, const struct model_strings *argv);

/* One pattern line of a .dockerignore file, matching `pattern` as written
 * (escape_dockerignore). */
void docker_ignore(struct docker_out *d, const char *pattern);

#endif
