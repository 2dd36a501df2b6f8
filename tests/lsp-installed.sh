#!/bin/sh
# lsp-installed.sh - run by `make installcheck` (and so by distcheck):
# the installed depc's language server gives go to definition into the
# standard library as the installed file ($(pkgdatadir)/std), since that
# holds the text depc was built with; the tests before installation see
# the depc:///std/ document instead (tests/lsp/library.jsonl).
set -u
: "${DEPC:?DEPC must name the installed depc}"
: "${pkgdatadir:?pkgdatadir must name the installed data directory}"
frame() { printf 'Content-Length: %s\r\n\r\n%s' "$(printf '%s' "$1" | wc -c | tr -d ' ')" "$1"; }
text='import \"std/postgres\"\nsecret pw { vault = \"p\"  rotate = 1h }\nservice db = postgres(database = \"d\", password = pw)\n'
out=$( {
	frame '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}'
	frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
	frame "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///ws/i.dep\",\"languageId\":\"dep\",\"version\":1,\"text\":\"$text\"}}}"
	frame '{"jsonrpc":"2.0","id":1,"method":"textDocument/definition","params":{"textDocument":{"uri":"file:///ws/i.dep"},"position":{"line":2,"character":15}}}'
	frame '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
	frame '{"jsonrpc":"2.0","method":"exit"}'
} | "$DEPC" lsp)
want="\"id\":1,\"result\":{\"uri\":\"file://$pkgdatadir/std/postgres.dep\""
case $out in
*"$want"*) echo "PASS: definition opens $pkgdatadir/std/postgres.dep" ;;
*)	printf '%s\n' "$out"
	echo "FAIL: expected $want"
	exit 1 ;;
esac
