#!/usr/bin/env python3
"""k8s.py N DIR - what users write today: a Deployment and a Service per
service of bench/gen-program N, dumped with PyYAML, one file each."""
import os, sys, yaml

def objects(name, image, port, replicas):
    labels = {"app": name}
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": name, "namespace": "production", "labels": labels},
           "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                    "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                        "name": name, "image": image,
                        "ports": [{"containerPort": port}],
                        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                                      "limits": {"cpu": "500m", "memory": "256Mi"}},
                        "livenessProbe": {"httpGet": {"path": "/health", "port": port}},
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": port}}}]}}}}
    svc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": name, "namespace": "production"},
           "spec": {"selector": labels, "ports": [{"port": port, "targetPort": port}]}}
    return [dep, svc]

n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
for g in range((n + 9) // 10):
    names = [("web%d" % g, "ghcr.io/org/bench/web:1.0.0", 3000, 2)]
    names += [("api%d-%d" % (g, i), "ghcr.io/org/bench/api:1.0.0", 4000 + i, 2) for i in range(5)]
    names += [("db%d-%d" % (g, i), "postgres:16-alpine", 5432, 1) for i in range(2)]
    names += [("cache%d-%d" % (g, i), "redis:7-alpine", 6379, 1) for i in range(2)]
    for name, image, port, rep in names:
        with open(os.path.join(out, name + ".yaml"), "w") as f:
            yaml.safe_dump_all(objects(name, image, port, rep), f, sort_keys=False)
