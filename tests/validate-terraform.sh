#!/bin/sh
# validate-terraform.sh - every example's terraform/ through HashiCorp's
# HCL parser (npm package @cdktf/hcl2json, run by tests/hcl2json.cjs,
# which also checks that every var., local., data. and resource reference
# is declared and every variable used).  Install it with
#   npm install --prefix tests/node @cdktf/hcl2json
# Where the terraform command is installed, the files must also be as
# `terraform fmt` writes them; and where the AWS provider can be found
# without a network (TF_PLUGIN_DIR, default /opt/tf-plugins, laid out as
# registry.terraform.io/hashicorp/aws/VERSION/OS_ARCH/), `terraform
# validate` checks them against the provider's schema.
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
plugins=${TF_PLUGIN_DIR:-/opt/tf-plugins}
terraform=
command -v terraform >/dev/null 2>&1 && terraform=terraform
validate=
[ -n "$terraform" ] && [ -d "$plugins/registry.terraform.io/hashicorp/aws" ] && validate=1
[ -n "$terraform" ] || echo "note: terraform not installed; fmt and validate not run"
[ -n "$terraform" ] && [ -z "$validate" ] && echo "note: no AWS provider in $plugins; validate not run"
# terraform's own configuration stays out of the way and out of $HOME.
TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE TF_IN_AUTOMATION CHECKPOINT_DISABLE

pass=0 fail=0 modules=0
check() {
	if "$@" > "$work/log" 2>&1; then
		pass=$((pass + 1))
	else
		cat "$work/log"
		echo "FAIL: $*"
		fail=$((fail + 1))
	fi
}

validate_module() {
	export TF_DATA_DIR="$1/.terraform-data"
	check "$terraform" -chdir="$1" init -backend=false -input=false -no-color -plugin-dir="$plugins"
	check "$terraform" -chdir="$1" validate -no-color
}

for input in examples/*.dep tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	name=$(basename "$input" .dep)
	out="$work/$name"
	flags=$(sed -n '1s/^# depc-flags: //p' "$input")
	# shellcheck disable=SC2086
	if ! "$DEPC" build $flags --target terraform "$input" -o "$out" 2>"$work/log"; then
		cat "$work/log"
		echo "FAIL: $input does not build"
		fail=$((fail + 1))
		continue
	fi
	[ -d "$out/terraform" ] || continue
	modules=$((modules + 1))
	check node "$tools/tests/hcl2json.cjs" "$out/terraform"
	[ -n "$terraform" ] && check "$terraform" fmt -check -diff -no-color "$out/terraform"
	[ -n "$validate" ] && validate_module "$out/terraform"
done
# webapp.dep has a cloud block; finding no module means the test is broken.
if [ $modules -eq 0 ]; then
	echo "FAIL: no example produced terraform/"
	fail=$((fail + 1))
fi
echo "validate-terraform: $pass passed, $fail failed"
[ $fail -eq 0 ]
