#!/bin/sh
# workers.sh - the worker templates of std/go and std/node, run for
# real: each one's health check, taken from the Dockerfile it generates,
# passes while the heartbeat file is fresh and fails when the file is
# older than a minute or missing.  std/go's runs in the runner image's
# busybox (sh, find and test from busybox only, as on Alpine), std/node's
# with node.  And a service without a port gets no Kubernetes Service,
# no Ingress, only command probes and no published Compose port
# (tests/golden/cases/workers-portless.dep).
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
. "$PWD/tests/need.sh"
need_cmd busybox node
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-workers.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

hb=$work/heartbeat
cat > "$work/w.dep" <<DEP
import "std/go"
import "std/node"
app a { version = "1.0.0"  registry = "ghcr.io/acme/a" }
service gw = go.worker(main = "./cmd/worker", heartbeat = "$hb")
service nw = node.worker(main = "jobs.js", heartbeat = "$hb")
DEP
if ! "$DEPC" build --target docker "$work/w.dep" -o "$work/out" 2> "$work/log"; then
	cat "$work/log"; bad "the workers do not build"
fi

# The HEALTHCHECK's exec form of $1/Dockerfile, one argument a line.
check_args() {
	sed -n '/^HEALTHCHECK/,/CMD/p' "$work/out/$1/Dockerfile" | sed -n 's/^ *CMD //p' |
		node -e 'for (const a of JSON.parse(require("fs").readFileSync(0, "utf8"))) console.log(a)'
}

# Runs the health check of $1 with PATH=$2; prints its exit status.
run_check() {
	path=$2
	check_args "$1" > "$work/args" || { echo 99; return; }
	set --
	while IFS= read -r a; do set -- "$@" "$a"; done < "$work/args"
	PATH=$path "$@" > /dev/null 2>&1
	echo $?
}

expect() { # NAME PATH STATE WANT(0|fail)
	got=$(run_check "$1" "$2")
	if [ "$4" = 0 ] && [ "$got" = 0 ]; then ok
	elif [ "$4" = fail ] && [ "$got" != 0 ] && [ "$got" != 99 ] && [ "$got" != 127 ]; then ok
	else bad "$1: health check with the heartbeat $3 exited $got"; fi
}

for_each_state() { # NAME PATH
	touch "$hb"; expect "$1" "$2" fresh 0
	touch -d '2 minutes ago' "$hb"; expect "$1" "$2" "2 minutes old" fail
	rm -f "$hb"; expect "$1" "$2" missing fail
}

mkdir "$work/bin"
for applet in sh find test; do ln -s "$(command -v busybox)" "$work/bin/$applet"; done
for_each_state gw "$work/bin"
for_each_state nw "$(dirname "$(command -v node)")"

# Port-less services in the generated trees.
if "$DEPC" build --target k8s,compose tests/golden/cases/workers-portless.dep \
	-o "$work/tree" 2> "$work/log"; then
	for w in consumer jobs mailer; do
		[ ! -e "$work/tree/k8s/$w-service.yaml" ] && ok || bad "$w has a Service"
		[ ! -e "$work/tree/k8s/$w-ingress.yaml" ] && ok || bad "$w has an Ingress"
		if grep -q 'httpGet\|tcpSocket' "$work/tree/k8s/$w-deployment.yaml"; then
			bad "$w has a network probe"
		elif grep -q 'exec:' "$work/tree/k8s/$w-deployment.yaml"; then ok
		else bad "$w has no command probe"; fi
		if sed -n "/^  $w:/,/^  [a-z]*:\$/p" "$work/tree/compose.yaml" | grep -q '^    ports:'; then
			bad "$w publishes a Compose port"
		else ok; fi
	done
	[ -e "$work/tree/k8s/jobs-podmonitor.yaml" ] && ok || bad "jobs has no PodMonitor"
	[ ! -e "$work/tree/k8s/jobs-servicemonitor.yaml" ] && ok || bad "jobs has a ServiceMonitor"
else
	cat "$work/log"; bad "workers-portless.dep does not build"
fi

echo "workers: $pass passed, $fail failed"
[ $fail -eq 0 ]
