#!/bin/sh
# diff.sh - `depc diff` on examples/environments.dep shows exactly what
# the overlays change, each change with the files it touches.  With
# UPDATE=1 the expected output is rewritten; review the diff.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-diff.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
for pair in "staging production" "production staging"; do
	set -- $pair
	expected="tests/diff/environments-$1-$2.expected"
	"$DEPC" diff examples/environments.dep --env "$1" --env "$2" > "$work/out" 2> "$work/err" || {
		echo "FAIL: depc diff --env $1 --env $2 exited $?"; cat "$work/err"; fail=1; continue; }
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$work/out" "$expected"
	elif ! diff -u "$expected" "$work/out"; then
		echo "FAIL: $1 -> $2 differs from $expected"
		fail=1
	fi
done
# One --env compares the base file, no overlay, with that environment:
# the same changes as the overlay's own entries say.
"$DEPC" diff examples/environments.dep --env production > "$work/base" 2> "$work/err" || {
	echo "FAIL: depc diff --env production exited $?"; cat "$work/err"; fail=1; }
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$work/base" tests/diff/environments-base-production.expected
elif ! diff -u tests/diff/environments-base-production.expected "$work/base"; then
	echo "FAIL: base -> production differs"
	fail=1
fi
# A registry's fields are compared too (tests/diff/registries.dep).
"$DEPC" diff tests/diff/registries.dep --env mirror > "$work/reg" 2> "$work/err" || {
	echo "FAIL: depc diff of registries.dep exited $?"; cat "$work/err"; fail=1; }
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$work/reg" tests/diff/registries-base-mirror.expected
elif ! diff -u tests/diff/registries-base-mirror.expected "$work/reg"; then
	echo "FAIL: registries.dep base -> mirror differs"
	fail=1
fi
# Externals: an overlay that narrows one and adds a user of it.
"$DEPC" diff tests/diff/egress.dep --env staging > "$work/egress" 2> "$work/err" || {
	echo "FAIL: depc diff tests/diff/egress.dep exited $?"; cat "$work/err"; fail=1; }
if [ "${UPDATE:-0}" = 1 ]; then
	cp "$work/egress" tests/diff/egress-base-staging.expected
elif ! diff -u tests/diff/egress-base-staging.expected "$work/egress"; then
	echo "FAIL: egress base -> staging differs"
	fail=1
fi
# Usage errors: no --env, or three; an unknown environment.
"$DEPC" diff examples/environments.dep > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: no --env is not a usage error"; fail=1; }
"$DEPC" diff examples/environments.dep --env a --env b --env c > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: three --env is not a usage error"; fail=1; }
"$DEPC" diff examples/environments.dep --env staging --env nope > /dev/null 2>&1
[ $? = 1 ] || { echo "FAIL: an unknown environment is not an input error"; fail=1; }
exit $fail
