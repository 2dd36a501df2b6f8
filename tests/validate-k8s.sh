#!/bin/sh
# validate-k8s.sh - every example's k8s/ tree through a real schema
# validator: tests/node/validate-k8s.js checks each manifest against the
# Kubernetes OpenAPI schema compiled by the kubernetes-models npm package
# and each ExternalSecret (and Prometheus Operator resource) against its
# project's CRD schema from @kubernetes-models/*, rejecting fields the
# schemas do not define, as `kubeconform -strict` does.  Examples with
# `env NAME { ... }` overlays are also built with each --env NAME.
#
# The golden cases (tests/golden/cases/*.dep, built with their
# `# depc-flags:`) are validated the same way when they write k8s/.
#
# Also: a `--target k8s` build's kustomization.yaml lists exactly the
# files beside it, and, when kubectl is installed, `kubectl kustomize`
# builds the tree.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# validators (make distcheck builds a copy that has none).
node_dir="${DEPC_TOOLS_SRCDIR:-$PWD}/tests/node"
. "$PWD/tests/need.sh"
need_cmd node
need_npm kubernetes-models @kubernetes-models/external-secrets js-yaml
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-k8s.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
check() {
	if "$@" > "$work/log" 2>&1; then
		pass=$((pass + 1))
	else
		cat "$work/log"
		echo "FAIL: $*"
		fail=$((fail + 1))
	fi
}

# kustomization.yaml names every file beside it, and only those.
listed_exactly() {
	sed -n 's/^- //p' "$1/kustomization.yaml" | sort > "$work/listed"
	# k8s/jobs/ holds the one-off Jobs, which the kustomization leaves
	# out (the workflow replaces them on each deploy).
	for f in "$1"/*; do
		[ "${f##*/}" = kustomization.yaml ] || [ -d "$f" ] || echo "${f##*/}"
	done | sort > "$work/present"
	diff "$work/listed" "$work/present"
}

build_and_check() { # INPUT NAME [--env ENV]
	input=$1 name=$2
	shift 2
	out="$work/$name"
	if ! "$DEPC" build "$@" "$input" -o "$out" 2>"$work/log" ||
	   ! "$DEPC" build --target k8s "$@" "$input" -o "$out.k8s" 2>>"$work/log"; then
		cat "$work/log"
		echo "FAIL: $input $* does not build"
		fail=$((fail + 1))
		return
	fi
	check node "$node_dir/validate-k8s.js" "$out"/k8s/*.yaml
	check listed_exactly "$out.k8s/k8s"
	check listed_exactly "$out/k8s"
	if command -v kubectl >/dev/null 2>&1; then
		check kubectl kustomize "$out.k8s/k8s"
	fi
}

# The Operator's objects (monitor { operator = true }) are listed too.
build_and_check tests/golden/cases/monitoring-operator.dep monitoring-operator

for input in examples/*.dep; do
	name=$(basename "$input" .dep)
	build_and_check "$input" "$name"
	sed -n 's/^env \([A-Za-z0-9_-]*\) *{.*/\1/p' "$input" > "$work/envs"
	while read -r env; do
		build_and_check "$input" "$name-$env" --env "$env"
	done < "$work/envs"
done

# The golden cases, with their own flags: whatever they put under k8s/
# (e.g. the Prometheus Operator's resources) must be valid too.
for input in tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	name=case-$(basename "$input" .dep)
	flags=$(sed -n '1s/^# depc-flags: //p' "$input")
	# shellcheck disable=SC2086
	if ! "$DEPC" build $flags "$input" -o "$work/$name" 2>"$work/log"; then
		cat "$work/log"; echo "FAIL: $input does not build"; fail=$((fail + 1)); continue
	fi
	if [ -d "$work/$name/k8s" ]; then
		check node "$node_dir/validate-k8s.js" "$work/$name"/k8s/*.yaml
		check listed_exactly "$work/$name/k8s"
	fi
	if [ -d "$work/$name/k8s/jobs" ]; then
		check node "$node_dir/validate-k8s.js" "$work/$name"/k8s/jobs/*.yaml
	fi
done
echo "validate-k8s: $pass passed, $fail failed"
[ $fail -eq 0 ]
