/* validate.h - shape checks for strings with a grammar of their own.
 *
 * Each returns NULL when the text is valid, else a short reason that
 * completes "... is not a valid X: <reason>".  Pure functions, no
 * allocation, so they are unit-tested directly. */
#ifndef DEPC_VALIDATE_H
#define DEPC_VALIDATE_H

#include <stddef.h>

/* [registry[:port]/]path[:tag][@sha256:<64 hex>] with lowercase paths. */
const char *validate_image(const char *s);
/* a.b.c.d/n with zero host bits; `fixed` (16 bytes) receives the network
 * with host bits cleared when that is the only problem. */
const char *validate_cidr(const char *s, char *fixed, size_t size);
/* A DNS name: dot-separated labels of letters, digits and '-'. */
const char *validate_host(const char *s);
/* A DNS label: lowercase letters, digits and '-', at most 63. */
const char *validate_name(const char *s);
/* An environment variable name: letters, digits, '_', not a digit first. */
const char *validate_env_name(const char *s);
/* A quoted `env` name: letters, digits, '_' and '.' (discovery.type), as
 * Compose and Kubernetes take them; '-' stays refused, being the usual
 * slip for '_'.  NULL when valid, else why not. */
const char *validate_setting_name(const char *s);

#endif
