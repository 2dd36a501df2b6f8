#!/bin/sh
# fuzz-regressions.sh - replays every input the fuzzers once broke.
#
# Each tests/fuzz/regressions/*.dep crashed, hung or upset a sanitizer
# before its fix.  `depc check` and `depc build -o DIR` must now end with
# status 0 or 1 (2 for a build the output refused), never a signal or a
# timeout.  Under --enable-sanitizers any report aborts, so it fails here.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/depc-fuzzreg.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout ${FUZZ_TIMEOUT:-60}"
pass=0 fail=0

check_status() { # NAME WHAT STATUS
	if [ "$3" -eq 124 ] && [ -n "$limit" ]; then
		echo "FAIL: $1: $2 timed out"; fail=$((fail + 1))
	elif [ "$3" -gt 2 ]; then
		echo "FAIL: $1: $2 ended with status $3"; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for f in "$srcdir"/tests/fuzz/regressions/*.dep; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	$limit "$DEPC" check --color never "$f" >/dev/null 2>&1
	check_status "$name" check $?
	rm -rf "$tmp/out"
	$limit "$DEPC" build -o "$tmp/out" "$f" >/dev/null 2>&1
	check_status "$name" build $?
done
echo "fuzz-regressions: $pass passed, $fail failed"
[ $fail -eq 0 ]
