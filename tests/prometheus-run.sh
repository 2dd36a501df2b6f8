#!/bin/sh
# prometheus-run.sh - the monitoring files of every example and golden
# case run by a real Prometheus and by promtool's rule unit tests.
#
#  1. A Prometheus server (Debian's package) starts on a random loopback
#     port with the generated Compose-variant configuration,
#     monitoring/prometheus.yml, and its rules, monitoring/alerts.yml; its
#     API must report the configuration loaded, every rule of the file
#     loaded, and every rule evaluated without error.  The copy it reads
#     differs in one line: evaluation_interval is 1s, so that the first
#     evaluation comes within the test's time rather than a minute later.
#  2. tests/node/alert-cases.mjs writes a promtool test per generated
#     alert, driving it from firing to resolved with synthetic series;
#     `promtool test rules` must pass them all.
# Targets and the Alertmanager do not exist here: scrapes fail, which is
# what a rule's health does not depend on.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
for tool in prometheus promtool node curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool is not installed"
		exit 77
	fi
done
tools="${DEPC_TOOLS_SRCDIR:-$PWD}"
if [ ! -d "$tools/tests/node/node_modules/js-yaml" ]; then
	echo "SKIP: js-yaml not installed in tests/node"
	exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/depc-prom.XXXXXX") || exit 2
pids=""
cleanup() {
	for pid in $pids; do kill "$pid" 2>/dev/null; done
	for pid in $pids; do wait "$pid" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# Starts Prometheus for $1 (a build directory); prints the port it took.
start() {
	dir=$1
	sed 's/^  evaluation_interval: .*/  evaluation_interval: 1s/' "$dir/monitoring/prometheus.yml" \
		> "$dir/monitoring/prometheus-test.yml"
	for try in 1 2 3; do
		# awk's srand() seeds with the second, so two starts within one
		# second would pick one port; the kernel's randomness does not.
		port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
		prometheus --config.file="$dir/monitoring/prometheus-test.yml" \
			--storage.tsdb.path="$dir/data" --web.listen-address="127.0.0.1:$port" \
			--log.level=error > "$dir/prometheus.log" 2>&1 &
		pid=$!
		i=0
		while [ $i -lt 50 ]; do
			# Ready, and this run's server: another one may hold the port.
			if curl -sf "http://127.0.0.1:$port/api/v1/status/flags" 2>/dev/null |
				grep -qF "$dir/monitoring/prometheus-test.yml"; then
				echo "$pid $port"
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
			i=$((i + 1))
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		# A configuration it refuses is not a port in use.
		grep -q 'Error loading config' "$dir/prometheus.log" && break
	done
	return 1
}

# Every rule of the file is loaded, healthy and evaluated, within 20 s.
rules_evaluated() {
	dir=$1 port=$2
	want=$(grep -c '^  - \(alert\|record\):' "$dir/monitoring/alerts.yml")
	i=0
	while [ $i -lt 100 ]; do
		curl -sf "http://127.0.0.1:$port/api/v1/rules" > "$dir/rules.json" 2>/dev/null &&
		node -e '
			const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
			const rules = r.data.groups.flatMap((g) => g.rules);
			const bad = rules.filter((x) => x.health !== "ok" || x.lastEvaluation.startsWith("0001-"));
			if (r.status !== "success" || rules.length !== Number(process.argv[2]) || bad.length) {
				console.log(`${rules.length} of ${process.argv[2]} rules loaded; not yet evaluated or unhealthy: ` +
					bad.map((x) => `${x.name} (${x.health}${x.lastError ? ": " + x.lastError : ""})`).join(", "));
				process.exit(1);
			}' "$dir/rules.json" "$want" > "$dir/why" && return 0
		sleep 0.2
		i=$((i + 1))
	done
	cat "$dir/why"
	return 1
}

servers=""
for input in examples/*.dep tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	name=$(basename "$input" .dep)
	out="$work/$name"
	flags=$(sed -n '1s/^# depc-flags: //p' "$input")
	# shellcheck disable=SC2086
	if ! "$DEPC" build $flags --target prometheus "$input" -o "$out" 2>"$work/log"; then
		cat "$work/log"; bad "$input does not build"; continue
	fi
	[ -f "$out/monitoring/prometheus.yml" ] || continue
	# Unit tests of the alerts, while the servers start.
	if node "$tools/tests/node/alert-cases.mjs" "$out/monitoring/alerts.yml" "$out/cases" > "$work/log" 2>&1 &&
	   promtool test rules "$out"/cases/*/tests.yml > "$work/promtool" 2>&1; then
		echo "$name: $(cat "$work/log")"; ok
	else
		cat "$work/log" "$work/promtool"; bad "$name: promtool test rules"
	fi
	if server=$(start "$out" 2>/dev/null); then
		pids="$pids ${server% *}"
		servers="$servers $name:${server#* }"
		ok
	elif grep -q 'field kubernetes_sd_configs not found' "$out/prometheus.log"; then
		# Debian builds Prometheus without Kubernetes service discovery.
		echo "note: $name: not run: this prometheus has no Kubernetes service discovery"
	else
		cat "$out/prometheus.log"
		bad "$name: prometheus did not start with the generated configuration"
	fi
done
[ -n "$servers" ] || bad "no example has monitoring/prometheus.yml"
for s in $servers; do
	name=${s%:*} port=${s#*:}
	if curl -sf "http://127.0.0.1:$port/api/v1/status/config" | grep -q '"status":"success"' &&
	   rules_evaluated "$work/$name" "$port"; then
		ok
	else
		bad "$name: the rules were not all loaded and evaluated"
	fi
done
echo "prometheus-run: $pass passed, $fail failed"
[ $fail -eq 0 ]
