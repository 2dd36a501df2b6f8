/* emit_compose.h - what compose.yaml's writer shares with the part that
 * writes composed secret values (emit_compose_composed.c). */
#ifndef DEPC_EMIT_COMPOSE_H
#define DEPC_EMIT_COMPOSE_H

#include <stdbool.h>

#include "model.h"
#include "yaml_out.h"

/* The shell variable `docker compose` reads a secret delivered as a
 * variable from: SECRET_ and the secret's name in capitals. */
const char *compose_secret_variable(struct arena *a, const struct model_secret *sec);
/* "${SECRET_NAME:?secret NAME is not set}": the interpolation of it. */
const char *compose_secret_interpolation(struct arena *a, const struct model_secret *sec);

/* The environment entries of the service's composed values: NAME
 * interpolated from the parts' variables, or NAME_FILE naming the file
 * the wrapper writes. */
void compose_composed_env(struct yaml_out *y, struct arena *a, const struct model_service *s);
/* Secrets the service reads as Compose secrets for its composed values
 * and not already in `secrets`, each once, as `secrets:` items. */
void compose_composed_secret_files(struct yaml_out *y, const struct model_service *s);
/* Does the service run the wrapper (values read as files)?  Then its
 * entrypoint and command are written by compose_composed_command. */
bool compose_composed_wraps(const struct model_service *s);
void compose_composed_command(struct yaml_out *y, struct arena *a, const struct model_service *s);

#endif
