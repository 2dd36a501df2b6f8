#!/bin/sh
# lsp-client.sh - `depc lsp` driven by a real LSP client library
# (tests/node/lsp-client.mjs, with vscode-jsonrpc and
# vscode-languageserver-protocol from tests/node/node_modules).
set -u
: "${DEPC:?DEPC must name the depc binary}"
: "${srcdir:=.}"
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node not installed"
	exit 77
fi
for m in vscode-jsonrpc vscode-languageserver-protocol; do
	if [ ! -d "$srcdir/tests/node/node_modules/$m" ]; then
		echo "SKIP: $m not installed"
		echo "(install it with: npm install --prefix tests/node)"
		exit 77
	fi
done
exec node "$srcdir/tests/node/lsp-client.mjs" "$DEPC" "$srcdir/examples/webapp.dep"
