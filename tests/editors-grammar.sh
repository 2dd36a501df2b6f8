#!/bin/sh
# editors-grammar.sh - the TextMate grammar of the VS Code extension
# (editors/vscode/syntaxes/dep.tmLanguage.json), run by vscode-textmate
# and vscode-oniguruma, the engine VS Code itself uses:
#   - every line of every shipped .dep file (examples/, stdlib/) and of
#     tests/editors/constructs.dep tokenizes with a scope for every
#     character, none invalid, and no construct left open at the end;
#   - the scopes of tests/editors/constructs.dep, which uses every
#     construct of the language, match tests/editors/constructs.scopes
#     (UPDATE=1 rewrites it; review the diff).
set -u
: "${srcdir:=.}"
tools="${DEPC_TOOLS_SRCDIR:-$srcdir}"
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node not installed"
	exit 77
fi
for m in vscode-textmate vscode-oniguruma; do
	if [ ! -d "$tools/tests/node/node_modules/$m" ]; then
		echo "SKIP: $m not installed (npm install --prefix tests/node)"
		exit 77
	fi
done
run() { node "$tools/tests/node/grammar-test.mjs" "$srcdir/editors/vscode/syntaxes/dep.tmLanguage.json" "$@"; }
status=0
run check "$srcdir"/examples/*.dep "$srcdir"/stdlib/*.dep "$srcdir/tests/editors/constructs.dep" || status=1
expected="$srcdir/tests/editors/constructs.scopes"
got=$(mktemp "${TMPDIR:-/tmp}/scopes.XXXXXX") || exit 99
trap 'rm -f "$got"' EXIT
run scopes "$srcdir/tests/editors/constructs.dep" > "$got" || status=1
if [ "${UPDATE:-}" = 1 ]; then
	cp "$got" "$expected"
elif ! diff -u "$expected" "$got"; then
	echo "FAIL: the scopes of constructs.dep changed (above)"
	status=1
fi
exit $status
