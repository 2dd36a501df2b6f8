/* format.h - model quantities written the way each format spells them.
 *
 * One place for unit spelling so every backend agrees: Go-style durations
 * for Docker and Compose ("1m30s"), whole seconds for Kubernetes probes,
 * Kubernetes quantities ("500m", "512Mi"), Docker sizes ("512M"). */
#ifndef DEPC_FORMAT_H
#define DEPC_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

/* "500ms", "30s", "5m", "1h30m": largest units first, no zero parts. */
const char *format_duration(struct arena *a, int64_t ms);
/* Whole seconds, rounded up so a positive duration is never 0. */
int64_t format_seconds(int64_t ms);

/* A value in a target's whole unit: the nearest whole values below and
 * above it, equal when the target states the value exactly.  Backends
 * render `up` (a limit or a wait never shrinks); the checker reports a
 * value that is not exact (E0324), so `up` is what was written. */
struct whole {
	int64_t down, up;
};

static inline bool whole_exact(struct whole w)
{
	return w.down == w.up;
}

/* Seconds: Kubernetes probe and rollout timings, ECS health checks. */
struct whole format_whole_seconds(int64_t ms);
/* ECS cpu units, 1024 to a core: only multiples of 125m are exact. */
struct whole format_ecs_cpu(int64_t millicores);
/* ECS memory in MiB. */
struct whole format_ecs_memory(int64_t bytes);

/* The Fargate sizes: the cpu units a task may have, and the memory (MiB)
 * each allows. */
bool fargate_valid(int64_t cpu, int64_t mib);
/* The smallest Fargate size with at least `cpu` units and `mib` MiB (by
 * cpu, then memory); false when even the largest is too small. */
bool fargate_nearest(int64_t cpu, int64_t mib, int64_t *out_cpu, int64_t *out_mib);
/* A service's ECS task size: the ecs block's, raised to the service's
 * cpu and memory limits when these are larger (0: no limit). */
void fargate_task(int64_t ecs_cpu, int64_t ecs_mib, int64_t cpu_limit_millicores,
		  int64_t memory_limit_bytes, int64_t *cpu, int64_t *mib);
/* The size the task runs with: fargate_task's, or, when that is no
 * Fargate size, the smallest one that holds it.  True when it had to be
 * fitted, which the translation report says. */
bool fargate_task_fitted(int64_t ecs_cpu, int64_t ecs_mib, int64_t cpu_limit_millicores,
			 int64_t memory_limit_bytes, int64_t *cpu, int64_t *mib);
/* Kubernetes cpu: "500m", or "2" for whole cores. */
const char *format_k8s_cpu(struct arena *a, int64_t millicores);
/* Kubernetes memory: "512Mi", "1Gi", or plain bytes when not exact. */
const char *format_k8s_memory(struct arena *a, int64_t bytes);
/* Docker cpus: "0.5", "2". */
const char *format_docker_cpus(struct arena *a, int64_t millicores);
/* Docker memory: "512M", "1G" (binary units), or bytes "b". */
const char *format_docker_memory(struct arena *a, int64_t bytes);

#endif
