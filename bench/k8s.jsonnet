// k8s.jsonnet - the same Kubernetes objects as bench/k8s.py (a Deployment
// and a Service per service of bench/gen-program N), written the way a
// jsonnet user would: one output file per service with `jsonnet -m DIR`.
//
//   jsonnet -m DIR --ext-code n=N bench/k8s.jsonnet
local n = std.extVar('n');

local objects(name, image, port, replicas) = {
  local labels = { app: name },
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: name, namespace: 'production', labels: labels },
    spec: {
      replicas: replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: labels },
        spec: { containers: [{
          name: name,
          image: image,
          ports: [{ containerPort: port }],
          resources: { requests: { cpu: '100m', memory: '128Mi' },
                       limits: { cpu: '500m', memory: '256Mi' } },
          livenessProbe: { httpGet: { path: '/health', port: port } },
          readinessProbe: { httpGet: { path: '/ready', port: port } },
        }] },
      },
    },
  },
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: name, namespace: 'production' },
    spec: { selector: labels, ports: [{ port: port, targetPort: port }] },
  },
};

local group(g) =
  [['web%d' % g, 'ghcr.io/org/bench/web:1.0.0', 3000, 2]] +
  [['api%d-%d' % [g, i], 'ghcr.io/org/bench/api:1.0.0', 4000 + i, 2] for i in std.range(0, 4)] +
  [['db%d-%d' % [g, i], 'postgres:16-alpine', 5432, 1] for i in std.range(0, 1)] +
  [['cache%d-%d' % [g, i], 'redis:7-alpine', 6379, 1] for i in std.range(0, 1)];

{
  [s[0] + '.json']: (local o = objects(s[0], s[1], s[2], s[3]); {
    apiVersion: 'v1',
    kind: 'List',
    items: [o.deployment, o.service],
  })
  for g in std.range(0, std.floor((n + 9) / 10) - 1)
  for s in group(g)
}
