/* names.h - how the names of a .dep file become the names of what depc
 * writes, defined once (check_names.c).
 *
 * The backends call these mappings to name files, Kubernetes objects and
 * Terraform resources, and the checker calls the same ones on every
 * declaration to find, before anything is written, two declarations
 * whose names map to one generated name, a name taken by an object depc
 * makes itself, or a name too long for where it lands.  Nothing here
 * reads the syntax tree. */
#ifndef DEPC_NAMES_H
#define DEPC_NAMES_H

#include <stddef.h>

#include "arena.h"

/* A Kubernetes object name: lowercase, '_' as '-' ("db_Password" ->
 * "db-password"). */
const char *names_k8s(struct arena *a, const char *name);
/* A Terraform label: what is not a letter, digit or '_' becomes '_', and
 * a leading digit gains a '_' ("db-data" -> "db_data"). */
const char *names_tf_label(struct arena *a, const char *name);
/* The file under k8s/ of the object `name` of one kind, without its
 * ".yaml": NAME-SUFFIX. */
const char *names_k8s_file(struct arena *a, const char *name, const char *suffix);

/* The Secret (and ExternalSecret) of a composed secret value: the
 * service's name and the variable's, as a Kubernetes name
 * ("api", "DATABASE_URL" -> "api-database-url"). */
const char *names_k8s_composed(struct arena *a, const char *service, const char *var);

/* One path component (a file or directory name) on the file systems
 * depc writes to, in bytes. */
#define NAMES_MAX_FILE 255
/* A Kubernetes object name (a DNS subdomain), in bytes. */
#define NAMES_MAX_K8S 253

#endif
