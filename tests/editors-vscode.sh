#!/bin/sh
# editors-vscode.sh - editors/vscode packages as a .vsix with vsce, the
# tool the Marketplace takes extensions from, and the package holds what
# VS Code loads: the manifest, the client and its runtime dependency
# (vscode-languageclient, copied from tests/node/node_modules: packaging
# needs no network), the grammar, the language configuration and the
# snippets, every file the manifest names.
set -u
: "${srcdir:=.}"
tools="${DEPC_TOOLS_SRCDIR:-$srcdir}"
mods="$tools/tests/node/node_modules"
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node not installed"
	exit 77
fi
for m in @vscode/vsce vscode-languageclient semver yauzl; do
	if [ ! -d "$mods/$m" ]; then
		echo "SKIP: $m not installed (npm install --prefix tests/node)"
		exit 77
	fi
done
mods=$(cd "$mods" && pwd) || exit 99
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsix.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
cp -R "$srcdir/editors/vscode" "$tmp/ext" && chmod -R u+w "$tmp/ext" || exit 99
mkdir "$tmp/ext/node_modules" || exit 99
cp -R "$mods/vscode-languageclient" "$mods/semver" "$tmp/ext/node_modules/" || exit 99
node --check "$tmp/ext/extension.js" || { echo "FAIL: extension.js does not parse"; exit 1; }
(cd "$tmp/ext" && node "$mods/@vscode/vsce/vsce" package --skip-license \
	--allow-missing-repository -o "$tmp/depc.vsix") > "$tmp/vsce.log" 2>&1
if [ $? -ne 0 ] || [ ! -s "$tmp/depc.vsix" ]; then
	cat "$tmp/vsce.log"
	echo "FAIL: vsce package"
	exit 1
fi
exec node "$tools/tests/node/vsix-check.mjs" "$tmp/depc.vsix"
