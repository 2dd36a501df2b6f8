/* format.h - model quantities written the way each format spells them.
 *
 * One place for unit spelling so every backend agrees: Go-style durations
 * for Docker and Compose ("1m30s"), whole seconds for Kubernetes probes,
 * Kubernetes quantities ("500m", "512Mi"), Docker sizes ("512M"). */
#ifndef DEPC_FORMAT_H
#define DEPC_FORMAT_H

#include <stdint.h>

#include "arena.h"

/* "500ms", "30s", "5m", "1h30m": largest units first, no zero parts. */
const char *format_duration(struct arena *a, int64_t ms);
/* Whole seconds, rounded up so a positive duration is never 0. */
int64_t format_seconds(int64_t ms);
/* Kubernetes cpu: "500m", or "2" for whole cores. */
const char *format_k8s_cpu(struct arena *a, int64_t millicores);
/* Kubernetes memory: "512Mi", "1Gi", or plain bytes when not exact. */
const char *format_k8s_memory(struct arena *a, int64_t bytes);
/* Docker cpus: "0.5", "2". */
const char *format_docker_cpus(struct arena *a, int64_t millicores);
/* Docker memory: "512M", "1G" (binary units), or bytes "b". */
const char *format_docker_memory(struct arena *a, int64_t bytes);

#endif
