/* composed.h - how the backends deliver a composed secret value.
 *
 * A composed value (struct model_composed) holds secrets, so no target
 * may see it written: Kubernetes renders it in the cluster from an
 * External Secrets template; Compose interpolates it from the secrets'
 * variables in the shell of `docker compose` (or, read as a file,
 * writes it at container start); ECS cannot template a secret, so it
 * hands the container each secret part under a variable of its own and
 * a shell wrapper composes the value before it runs the command.  The
 * wrapper and template are made here, once, for every backend. */
#ifndef DEPC_COMPOSED_H
#define DEPC_COMPOSED_H

#include <stdbool.h>

#include "arena.h"
#include "model.h"

/* The variable the `n`th secret (from 1) of `c` reaches the container
 * in, before the wrapper composes the value and unsets it.  Secrets are
 * counted once each, in the order they first appear in the value. */
const char *composed_part_var(struct arena *a, const struct model_composed *c, size_t n);
/* The number of part's secret in that count; 0 for text. */
size_t composed_secret_number(const struct model_composed *c, const struct model_composed_part *part);
/* Is `part` a secret's first appearance in `c`? */
bool composed_first_use(const struct model_composed *c, const struct model_composed_part *part);

/* Where a composed value read as a file is written at container start
 * (Compose, secrets_as = file): a tmpfs of its own, and the file in it. */
#define COMPOSED_DIR "/run/composed"
const char *composed_file(struct arena *a, const struct model_composed *c);

/* Does delivering the service's composed values need the wrapper on a
 * target that cannot compose them itself?  ECS always (when there are
 * any); Compose when they are read as files. */
bool composed_needs_wrapper(const struct model_service *s, bool ecs);
/* Is `part` (a secret part of `c`, a composed value of `s`) the first
 * read of its secret by `s`: in neither `secrets` nor an earlier part?
 * What lists each secret a service reads once uses it. */
bool composed_part_new(const struct model_service *s, const struct model_composed *c,
		       const struct model_composed_part *part);
/* The command the wrapper runs: `command`, else the build's `start`;
 * NULL when neither is known (a published image without `command`). */
const struct model_strings *composed_command(const struct model_service *s);

/* The container's new entrypoint, /bin/sh -c SCRIPT sh, to which the
 * command is passed as arguments.  With `from_files` false each secret
 * part is read from its variable (composed_part_var) and the value is
 * exported as NAME; with it true each part is read from
 * /run/secrets/SECRET and the value written to composed_file(), which
 * NAME_FILE names.  Literal text is quoted by escape_shell_word. */
const char *composed_wrapper_script(struct arena *a, const struct model_service *s,
				    bool from_files);

/* The External Secrets template (engineVersion v2) that renders `c`
 * from the data keys named after each secret part's secret: literal
 * text escaped by escape_go_template. */
const char *composed_go_template(struct arena *a, const struct model_composed *c);

#endif
