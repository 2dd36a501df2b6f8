#!/bin/sh
# terraform-run.sh - the Terraform of every example and golden case through
# Terraform itself: `terraform init` from a local copy of the
# hashicorp/aws provider (never the network), `terraform validate` against
# the provider's schema, and `terraform fmt -check`.
#
# The provider is found without a network: TF_PLUGIN_DIR when set, else
# the first directory holding registry.terraform.io/hashicorp/aws/VERSION/
# OS_ARCH/ under the places a machine keeps plugins (/opt, /usr/local,
# /usr/share, ~/.terraform.d).  Without terraform or the provider the test
# says SKIP and why.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2

if ! command -v terraform >/dev/null 2>&1; then
	echo "SKIP: terraform is not installed"
	exit 77
fi
# A plugin directory: the one above registry.terraform.io.
find_plugins() {
	if [ -n "${TF_PLUGIN_DIR:-}" ]; then
		echo "$TF_PLUGIN_DIR"
		return
	fi
	for root in /opt /usr/local /usr/share "$HOME/.terraform.d"; do
		[ -d "$root" ] || continue
		hit=$(find "$root" -maxdepth 7 -type f -name 'terraform-provider-aws_*' \
			-path '*/registry.terraform.io/hashicorp/aws/*' 2>/dev/null | head -n 1)
		if [ -n "$hit" ]; then
			echo "${hit%%/registry.terraform.io/*}"
			return
		fi
	done
}
plugins=$(find_plugins)
if [ -z "$plugins" ] || [ ! -d "$plugins/registry.terraform.io/hashicorp/aws" ]; then
	echo "SKIP: no local copy of the hashicorp/aws provider (set TF_PLUGIN_DIR)"
	exit 77
fi
echo "provider: $(ls "$plugins/registry.terraform.io/hashicorp/aws") in $plugins"

work=$(mktemp -d "${TMPDIR:-/tmp}/depc-tfrun.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
# terraform's own configuration stays out of the way and out of $HOME.
TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE TF_IN_AUTOMATION CHECKPOINT_DISABLE

pass=0 fail=0 modules=0
. "$PWD/tests/each-case.sh"
visit() {
	[ -d "$1/terraform" ] || return 0
	modules=$((modules + 1))
	export TF_DATA_DIR="$1/terraform/.terraform-data"
	check terraform -chdir="$1/terraform" init -backend=false -input=false -no-color -plugin-dir="$plugins"
	check terraform -chdir="$1/terraform" validate -no-color
	check terraform fmt -check -diff -no-color "$1/terraform"
}
each_case terraform visit
# webapp.dep has a cloud block; finding no module means the test is broken.
if [ $modules -eq 0 ]; then
	echo "FAIL: no example produced terraform/"
	fail=$((fail + 1))
fi
echo "terraform-run: $pass passed, $fail failed"
[ $fail -eq 0 ]
