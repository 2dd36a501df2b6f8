#!/bin/sh
# alerts-tuned.sh - a service's `alerts { }` reaches every monitoring
# output and changes when the alerts fire (tests/golden/cases/alerts-tuned.dep
# and workers-portless.dep).
#
#  1. Which rules exist: monitoring/alerts.yml and the Prometheus
#     Operator's PrometheusRule hold the same groups; api has no
#     ServiceHighLatency (off), web in production no ServiceTargetsMissing
#     (off in the overlay), and the port-less workers no request alerts
#     (ServiceHighErrorRatio, ServiceHighLatency) while the one with
#     metrics keeps ServiceDown.
#  2. When they fire, by `promtool test rules` on the generated file:
#     api's error ratio alert fires at 3% of failed requests (its
#     threshold is 2%, its objective 5%) after its 10m `for`, as a
#     warning, and stays silent at 1.5%; a p95 latency of 5s for api
#     fires nothing (its latency alert is off), while web's fires above
#     its 750ms threshold and not at 500ms.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
tools="${DEPC_TOOLS_SRCDIR:-$PWD}"
. "$PWD/tests/need.sh"
need_cmd promtool node
need_npm js-yaml
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-alerts.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

build() {
	# shellcheck disable=SC2086
	"$DEPC" build $2 --target prometheus,k8s "tests/golden/cases/$1.dep" -o "$work/$1" \
		2> "$work/$1.log" || { cat "$work/$1.log"; bad "$1 does not build"; return 1; }
}

# "SERVICE ALERT" per generated rule of the groups in $1 (alerts.yml, or
# the PrometheusRule's spec), sorted.
rules() {
	NODE_PATH="$tools/tests/node/node_modules" node -e '
		const yaml = require("js-yaml"), fs = require("fs");
		const docs = yaml.loadAll(fs.readFileSync(process.argv[1], "utf8"));
		const groups = docs[0].groups || docs[0].spec.groups;
		const out = [];
		for (const g of groups) for (const r of g.rules)
			out.push(`${(r.labels || {}).service || "-"} ${r.alert}`);
		console.log(out.sort().join("\n"));' "$1"
}

has() { if grep -qx "$2" "$1"; then ok; else bad "$3: no rule '$2'"; fi; }
lacks() { if grep -qx "$2" "$1"; then bad "$3: rule '$2' is there"; else ok; fi; }

if build alerts-tuned "--env production"; then
	out=$work/alerts-tuned
	rules "$out/monitoring/alerts.yml" > "$work/file"
	rules "$out/k8s/shop-prometheusrule.yaml" > "$work/operator"
	if cmp -s "$work/file" "$work/operator"; then ok
	else bad "alerts.yml and the PrometheusRule hold different rules"; diff "$work/file" "$work/operator"; fi
	lacks "$work/file" "api ServiceHighLatency" "api: off"
	has "$work/file" "api ServiceHighErrorRatio" "api"
	has "$work/file" "web ServiceHighLatency" "web"
	has "$work/file" "web ServiceDown" "web"
	lacks "$work/file" "web ServiceTargetsMissing" "web: off in production"
	cat > "$out/monitoring/tests.yml" <<'YML'
rule_files: [alerts.yml]
evaluation_interval: 1m
tests:
# 3 of 100 requests fail: above api's 2%, below the 5% objective.
- interval: 1m
  input_series:
  - series: 'http_requests_total{job="api",instance="i1",status="500"}'
    values: '0+3x40'
  - series: 'http_requests_total{job="api",instance="i1",status="200"}'
    values: '0+97x40'
  alert_rule_test:
  - eval_time: 8m
    alertname: ServiceHighErrorRatio
    exp_alerts: []
  - eval_time: 20m
    alertname: ServiceHighErrorRatio
    exp_alerts:
    - exp_labels: { severity: warning, service: api }
      exp_annotations:
        summary: api is failing 3% of requests
        description: The share of api requests answered with a 5xx status over the last 5m is above the 2% threshold.
# 3 of 200 fail: 1.5%, under the threshold.
- interval: 1m
  input_series:
  - series: 'http_requests_total{job="api",instance="i1",status="500"}'
    values: '0+3x40'
  - series: 'http_requests_total{job="api",instance="i1",status="200"}'
    values: '0+197x40'
  alert_rule_test:
  - eval_time: 30m
    alertname: ServiceHighErrorRatio
    exp_alerts: []
# Every api request takes 5s: api's latency alert is off.
- interval: 1m
  input_series:
  - series: 'http_request_duration_seconds_bucket{job="api",instance="i1",le="1"}'
    values: '0x40'
  - series: 'http_request_duration_seconds_bucket{job="api",instance="i1",le="10"}'
    values: '0+10x40'
  - series: 'http_request_duration_seconds_bucket{job="api",instance="i1",le="+Inf"}'
    values: '0+10x40'
  alert_rule_test:
  - eval_time: 30m
    alertname: ServiceHighLatency
    exp_alerts: []
# web: every request between 0.5s and 1s (p95 about 0.975s) is above
# its 750ms threshold; below 0.5s (p95 about 0.49s) it is not.
- interval: 1m
  input_series:
  - series: 'http_request_duration_seconds_bucket{job="web",instance="i1",le="0.5"}'
    values: '0x40'
  - series: 'http_request_duration_seconds_bucket{job="web",instance="i1",le="1"}'
    values: '0+10x40'
  - series: 'http_request_duration_seconds_bucket{job="web",instance="i1",le="+Inf"}'
    values: '0+10x40'
  alert_rule_test:
  - eval_time: 25m
    alertname: ServiceHighLatency
    exp_alerts:
    - exp_labels: { severity: warning, service: web }
      exp_annotations:
        summary: web p95 latency is 975ms
        description: The 95th percentile of web request latency over the last 5m is above the 0.75s threshold.
- interval: 1m
  input_series:
  - series: 'http_request_duration_seconds_bucket{job="web",instance="i1",le="0.5"}'
    values: '0+10x40'
  - series: 'http_request_duration_seconds_bucket{job="web",instance="i1",le="+Inf"}'
    values: '0+10x40'
  alert_rule_test:
  - eval_time: 25m
    alertname: ServiceHighLatency
    exp_alerts: []
YML
	if promtool test rules "$out/monitoring/tests.yml" > "$work/promtool" 2>&1; then ok
	else cat "$work/promtool"; bad "alerts-tuned: promtool test rules"; fi
fi

if build workers-portless ""; then
	rules "$work/workers-portless/monitoring/alerts.yml" > "$work/workers"
	for w in consumer jobs mailer; do
		lacks "$work/workers" "$w ServiceHighErrorRatio" "$w: no port"
		lacks "$work/workers" "$w ServiceHighLatency" "$w: no port"
	done
	has "$work/workers" "jobs ServiceDown" "jobs: metrics only"
	has "$work/workers" "api ServiceHighLatency" "api"
fi

echo "alerts-tuned: $pass passed, $fail failed"
[ $fail -eq 0 ]
