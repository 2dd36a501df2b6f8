#!/bin/sh
# lsp.sh - replays every tests/lsp/*.jsonl transcript against `depc lsp`
# with tests/lsp_driver, which compares each server message byte for byte.
#
#   UPDATE=1  rewrite the expected messages from what the server sends
#             (review the diff before committing)
#   VALGRIND=1  run the server under valgrind; any error or leak changes
#             its exit status, which the transcripts check
set -u
: "${DEPC:?DEPC must name the depc binary}"
: "${srcdir:=.}"
driver=${LSP_DRIVER:-$(dirname "$DEPC")/../tests/lsp_driver}
if [ ! -x "$driver" ]; then
	echo "lsp.sh: $driver not built (make check builds it)" >&2
	exit 99
fi
update=
[ "${UPDATE:-}" = 1 ] && update=-u
set -- "$DEPC"
[ "${VALGRIND:-}" = 1 ] && set -- valgrind -q --error-exitcode=9 --leak-check=full \
	--errors-for-leak-kinds=all "$DEPC"
pass=0 fail=0
for t in "$srcdir"/tests/lsp/*.jsonl; do
	name=$(basename "$t" .jsonl)
	if "$driver" $update "$t" "$@"; then
		pass=$((pass + 1))
	else
		echo "FAIL: lsp/$name"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
