/* image_host.h - the registry host an image reference names.
 *
 * Docker's rule: the part before the first '/' is a host when it holds
 * a '.' or a ':' or is "localhost"; otherwise the image is Docker Hub's
 * ("postgres:16", "acme/app:1").  One rule for the checker, the model
 * (which registry pulls a service's image) and the pipeline (which
 * registry it pushes to). */
#ifndef DEPC_IMAGE_HOST_H
#define DEPC_IMAGE_HOST_H

#include <stdbool.h>
#include <stddef.h>

/* Docker Hub's name for itself; "index.docker.io" is the same. */
#define IMAGE_HOST_DOCKER_HUB "docker.io"

/* The host of `image`, lowercased, into buf (Docker Hub's as
 * IMAGE_HOST_DOCKER_HUB); false when it does not fit. */
bool image_host(const char *image, char *buf, size_t size);
/* Do two hosts name one registry (case, and Docker Hub's two names)? */
bool image_host_same(const char *a, const char *b);
/* Is `image` under `host`: does it name it as its registry? */
bool image_under_host(const char *image, const char *host);

#endif
