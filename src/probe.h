/* probe.h - the command that runs a health probe inside the container.
 *
 * Docker's HEALTHCHECK, Compose's healthcheck and ECS's healthCheck all
 * run a command in the container, so they must use a tool the image
 * has: the language runtime for built Node.js, Python, PHP and Ruby images
 * (node -e, python -c, php -r, ruby -e), busybox wget/nc for the
 * Alpine-based Go, Rust, Java, .NET and static images,
 * and the template's own exec command for published images. */
#ifndef DEPC_PROBE_H
#define DEPC_PROBE_H

#include "arena.h"
#include "model.h"

/* argv of the command checking `p` for service `s`; count 0 when no
 * command can run it (a published image with an HTTP probe, or probe
 * tool "none"). */
struct model_strings probe_command(struct arena *a, const struct model_service *s,
				   const struct model_probe *p);

/* The runner stage's base image of a built service. */
const char *probe_runner_image(struct arena *a, const struct model_build *b);

#endif
