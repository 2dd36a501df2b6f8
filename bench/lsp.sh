#!/bin/sh
# lsp.sh - `make bench`, the language server on big files: a program of
# 1,000 services (bench/gen-program, 0.4 MB) and one of 12,500 (5 MB),
# each opened in a fresh `depc lsp` (bench/lsp-open.mjs --targets):
# medians of RUNS_LSP runs (default 5) of the first diagnostics after
# didOpen, then the first documentSymbol, semanticTokens, formatting and
# completion, and an edit's diagnostics; documentSymbol's answer against
# the source; the longest of those waits and the server's peak RSS.
# Writes bench/lsp-results.md.  Needs node; without it, SKIP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
DEPC=${DEPC:-$here/../src/depc}
runs=${RUNS_LSP:-5}
out=$here/lsp-results.md
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node is not installed: no language server measurements"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-lsp.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

{
echo "Medians of $runs runs, times in ms: wall clock (client to client), and the"
echo "server's own CPU time for the same steps (/proc/PID/schedstat)."
echo
echo "| services | time | source KB | first diagnostics | documentSymbol | semanticTokens | formatting | completion | didChange to diagnostics | documentSymbol answer KB | longest wait | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
echo "| target (1,000; 5 MB) | | | ≤ 50 | ≤ 20 | ≤ 20 | ≤ 20 | ≤ 20 | ≤ 20 | ≤ source (1 ×) | 5 MB: ≤ 1000 | 5 MB: < 200 |"
} > "$out"
for n in 1000 12500; do
	"$here/gen-program" "$n" > "$work/p.dep"
	node "$here/lsp-open.mjs" --targets "$DEPC" "$work/p.dep" "$runs" > "$work/rows" || exit 1
	sed "s/^/| $n /" "$work/rows" >> "$out"
done
cat "$out"
