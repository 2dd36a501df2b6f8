#!/bin/sh
# validate-monitoring.sh - the prometheus and grafana backends' output
# through promtool, for every example (under each of its environments)
# and every golden case:
#
#   - `promtool check config` on each Prometheus configuration, which
#     also loads the rule files it names;
#   - Debian's promtool is built without Kubernetes discovery, so a
#     configuration using it is checked twice: its kubernetes_sd_configs
#     blocks must have the expected shape (one role, pod or node; a pod
#     role limited to named namespaces), and a copy with each block
#     replaced by a static stub goes through promtool, so the rest of the
#     job and every relabel rule are still validated;
#   - `promtool check rules` on alerts.yml and on the groups of each
#     PrometheusRule;
#   - every PromQL expression of every dashboard, as a recording rule in
#     a scratch rules file, after Grafana's interval variables are
#     replaced by the durations Grafana would put there.
#
# The dashboards' JSON structure is checked by the unit tests
# (tests/unit/test_grafana.c).
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
. "$PWD/tests/need.sh"
need_cmd promtool
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-monitoring.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
check() {
	if "$@" > "$work/log" 2>&1; then
		pass=$((pass + 1))
	else
		cat "$work/log"
		echo "FAIL ($what): $*"
		fail=$((fail + 1))
	fi
}

# Prints $1 with every kubernetes_sd_configs block replaced by a static
# stub; exits 1 (after naming the line) when a block has another shape
# than depc writes.  libyaml puts a block's items at the key's indent.
sd_stub() {
	awk '
	function indent(s) { match(s, /^ */); return RLENGTH }
	function bad(msg) { print FILENAME ":" NR ": " msg > "/dev/stderr"; err = 1 }
	function close_block() {
		if (roles != 1) bad("kubernetes_sd_configs needs exactly one role")
		if (role == "pod" && !names) bad("a pod role must be limited to named namespaces")
		inblock = 0
	}
	inblock && (indent($0) > ind || (indent($0) == ind && $0 ~ /^ *- /)) {
		line = substr($0, ind + 1)
		if (line ~ /^- role: (pod|node)$/) { roles++; role = substr(line, 9) }
		else if (line == "  namespaces:") ;
		else if (line ~ /^    names: \[[a-z0-9][-a-z0-9]*\]$/) names = 1
		else bad("unexpected line in kubernetes_sd_configs: " line)
		next
	}
	inblock { close_block() }
	/^ *kubernetes_sd_configs:$/ {
		ind = indent($0); inblock = 1; roles = 0; role = ""; names = 0
		pad = substr($0, 1, ind)
		print pad "static_configs:"
		print pad "- targets: [\"sd-stub:9\"]"
		next
	}
	{ print }
	END { if (inblock) close_block(); exit err }' "$1"
}

# A configuration: straight through promtool, or through the stub.
check_config() {
	if ! grep -q 'kubernetes_sd_configs:' "$1"; then
		check promtool check config "$1"
		return
	fi
	stub="$(dirname "$1")/stub-$(basename "$1")"
	if sd_stub "$1" > "$stub"; then
		pass=$((pass + 1))
		check promtool check config "$stub"
	else
		echo "FAIL: $1: kubernetes_sd_configs"
		fail=$((fail + 1))
	fi
	rm -f "$stub"
}

# cJSON writes one key per line, and a JSON string is a valid YAML
# double-quoted scalar, so each "expr" line becomes a recording rule.
# shellcheck disable=SC2016 # $__rate_interval is Grafana's, not the shell's
dashboard_rules() {
	printf 'groups:\n- name: dashboard\n  rules:\n'
	sed -n 's/^[[:space:]]*"expr":[[:space:]]*\(".*"\),\{0,1\}$/\1/p' "$1" |
		sed -e 's/\$__rate_interval/5m/g' -e 's/\$__interval/1m/g' -e 's/\$__range/6h/g' |
		awk '{ printf "  - record: dashboard_expr_%d\n    expr: %s\n", NR, $0 }'
}

check_dashboard() {
	exprs=$(grep -c '"expr":' "$1")
	if [ "$exprs" -eq 0 ]; then
		echo "FAIL: $1 has no query"
		fail=$((fail + 1))
		return
	fi
	dashboard_rules "$1" > "$work/dashboard.yml"
	check promtool check rules "$work/dashboard.yml"
	found=$(grep -c '^  - record:' "$work/dashboard.yml")
	if [ "$found" -eq "$exprs" ]; then pass=$((pass + 1)); else
		echo "FAIL: $1: $exprs queries, $found extracted"
		fail=$((fail + 1))
	fi
}

# The groups of a PrometheusRule are a rules file one level down.
check_prometheusrule() {
	sed -n '/^spec:$/,$p' "$1" | sed -e '1d' -e 's/^  //' > "$work/prometheusrule.yml"
	check promtool check rules "$work/prometheusrule.yml"
}

check_tree() {
	mon="$1/monitoring"
	[ -f "$mon/prometheus.yml" ] || return 0
	for config in "$mon"/prometheus*.yml; do
		check_config "$config"
	done
	check promtool check rules "$mon/alerts.yml"
	for dashboard in "$mon"/grafana/*.json; do
		[ -f "$dashboard" ] && check_dashboard "$dashboard"
	done
	for rule in "$1"/k8s/*-prometheusrule.yaml; do
		[ -f "$rule" ] && check_prometheusrule "$rule"
	done
	return 0
}

n=0
for input in examples/*.dep tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	for env in '' $(sed -n 's/^env \([A-Za-z0-9_-]*\) *{.*/\1/p' "$input"); do
		n=$((n + 1))
		out="$work/out$n"
		if ! "$DEPC" build --target prometheus,grafana ${env:+--env "$env"} "$input" \
				-o "$out" 2>"$work/log"; then
			cat "$work/log"
			echo "FAIL: $input${env:+ --env $env} does not build"
			fail=$((fail + 1))
			continue
		fi
		what="$input${env:+ --env $env}"
		check_tree "$out"
	done
done
echo "validate-monitoring: $pass passed, $fail failed"
[ $fail -eq 0 ]
