#!/bin/sh
# lsp-client.sh - `depc lsp` driven by a real LSP client library
# (tests/node/lsp-client.mjs, with vscode-jsonrpc and
# vscode-languageserver-protocol from tests/node/node_modules).
set -u
: "${DEPC:?DEPC must name the depc binary}"
: "${srcdir:=.}"
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# client libraries (make distcheck builds a copy that has none).
tools="${DEPC_TOOLS_SRCDIR:-$srcdir}"
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node not installed"
	exit 77
fi
for m in vscode-jsonrpc vscode-languageserver-protocol; do
	if [ ! -d "$tools/tests/node/node_modules/$m" ]; then
		echo "SKIP: $m not installed"
		echo "(install it with: npm install --prefix tests/node)"
		exit 77
	fi
done
exec node "$tools/tests/node/lsp-client.mjs" "$DEPC" "$srcdir/examples/webapp.dep"
