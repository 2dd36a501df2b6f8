#!/bin/sh
# seeds.sh - copies the seed corpora out of the source tree.
# Usage: seeds.sh SRCDIR OUTDIR -> OUTDIR/compile (every .dep the tests
# and examples hold) and OUTDIR/lsp (one LSP session per example).
set -eu
srcdir=${1:-.}
out=${2:-tests/fuzz/corpus}
mkdir -p "$out/compile" "$out/lsp"
n=0
for f in "$srcdir"/examples/*.dep "$srcdir"/stdlib/*.dep "$srcdir"/tests/errors/*.dep \
	 "$srcdir"/tests/golden/cases/*.dep "$srcdir"/tests/fuzz/regressions/*.dep; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	cp "$f" "$out/compile/$n-$(basename "$f")"
done
# An LSP seed: initialize, open an example, ask for features, shut down.
frame() { printf 'Content-Length: %d\r\n\r\n%s' "$(printf %s "$1" | wc -c)" "$1"; }
for f in "$srcdir"/examples/*.dep; do
	[ -f "$f" ] || continue
	text=$(sed 's/\\/\\\\/g; s/"/\\"/g' "$f" | awk '{printf "%s\\n", $0}' | tr -d '\t')
	u='"file:///w/a.dep"'
	{
	frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
	frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
	frame "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":$u,\"languageId\":\"dep\",\"version\":1,\"text\":\"$text\"}}}"
	for m in hover completion definition references signatureHelp prepareRename; do
		frame "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/$m\",\"params\":{\"textDocument\":{\"uri\":$u},\"position\":{\"line\":3,\"character\":6}}}"
	done
	frame "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"textDocument/rename\",\"params\":{\"textDocument\":{\"uri\":$u},\"position\":{\"line\":3,\"character\":6},\"newName\":\"zz\"}}"
	for m in documentSymbol semanticTokens/full foldingRange formatting codeAction; do
		frame "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"textDocument/$m\",\"params\":{\"textDocument\":{\"uri\":$u},\"options\":{\"tabSize\":2,\"insertSpaces\":true},\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":5,\"character\":0}},\"context\":{\"diagnostics\":[]}}}"
	done
	frame "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":$u,\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":1,\"character\":0},\"end\":{\"line\":1,\"character\":3}},\"text\":\"x\"}]}}"
	frame '{"jsonrpc":"2.0","id":5,"method":"workspace/symbol","params":{"query":"a"}}'
	frame '{"jsonrpc":"2.0","id":6,"method":"shutdown"}'
	frame '{"jsonrpc":"2.0","method":"exit"}'
	} > "$out/lsp/$(basename "$f" .dep).lsp"
done
echo "seeds: $n compile inputs, $(ls "$out/lsp" | wc -l) lsp sessions in $out"
