/* backends.c - the backend table, in output order. */
#include "backends.h"

#include <string.h>

static const struct backend backends[] = {
	{ "docker", "a Dockerfile per built service (SERVICE/Dockerfile)", emit_docker },
	{ "compose", "compose.yaml", emit_compose },
	{ "k8s", "k8s/*.yaml: one object per file, and kustomization.yaml", emit_k8s },
	{ "github", ".github/workflows/APP.yml: test, scan, build and push, deploy", emit_github },
	{ "terraform", "terraform/*.tf: VPC, ECS on Fargate, IAM, logs, ALB, audit trail", emit_terraform },
	{ "prometheus", "monitoring/prometheus*.yml and alerts.yml (+ k8s/ Operator resources)", emit_prometheus },
	{ "grafana", "monitoring/grafana/DASHBOARD.json and provisioning", emit_grafana },
};

size_t backend_count(void)
{
	return sizeof backends / sizeof backends[0];
}

const struct backend *backend_at(size_t i)
{
	return i < backend_count() ? &backends[i] : NULL;
}

const struct backend *backend_find(const char *name)
{
	for (size_t i = 0; i < backend_count(); i++)
		if (!strcmp(backends[i].name, name))
			return &backends[i];
	return NULL;
}
