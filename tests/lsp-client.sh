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
. "$srcdir/tests/need.sh"
need_cmd node
need_npm vscode-jsonrpc vscode-languageserver-protocol
need_all
exec node "$tools/tests/node/lsp-client.mjs" "$DEPC" "$srcdir/examples/webapp.dep"
