#!/bin/sh
# validate-terraform.sh - every example's terraform/ through HashiCorp's
# HCL parser (npm package @cdktf/hcl2json, run by tests/hcl2json.cjs,
# which also checks that every var., local., data. and resource reference
# is declared and every variable used).  Install it with
#   npm install --prefix tests/node @cdktf/hcl2json
# Terraform itself (init, validate, fmt) runs in tests/terraform-run.sh.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# validators (make distcheck builds a copy that has none).
tools="${DEPC_TOOLS_SRCDIR:-$PWD}"
. "$PWD/tests/need.sh"
need_cmd node
need_npm @cdktf/hcl2json
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-terraform.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
pass=0 fail=0 modules=0
. "$PWD/tests/each-case.sh"
visit() {
	[ -d "$1/terraform" ] || return 0
	modules=$((modules + 1))
	check node "$tools/tests/hcl2json.cjs" "$1/terraform"
}
each_case terraform visit
# webapp.dep has a cloud block; finding no module means the test is broken.
if [ $modules -eq 0 ]; then
	echo "FAIL: no example produced terraform/"
	fail=$((fail + 1))
fi
echo "validate-terraform: $pass passed, $fail failed"
[ $fail -eq 0 ]
