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
# The budget for one build per change (DIFF_BUDGET in src/diff.c, 128
# MiB): 300 services, about 1.1 MB of files, and an overlay changing
# each one's replicas pass it after some 120 builds.  The first change
# lists its files, the last is past the budget, and the total at the end
# lists what all 300 together touch.  About 2 s: the budget bounds this
# test's time too.
n=300
awk -v n=$n 'BEGIN {
	print "app shop { namespace = \"shop\" }"
	for (i = 0; i < n; i++) {
		printf "service s%d {\n  image = \"ghcr.io/acme/s%d:1.0\"\n  port = %d\n", i, i, 8000 + i
		print "  health    { readiness = http(\"/ready\") }"
		print "  resources { cpu = 250m..500m  memory = 256Mi..512Mi }\n}"
	}
	print "env wide {"
	for (i = 0; i < n; i++)
		printf "  service s%d { replicas = 2 }\n", i
	print "}"
}' > "$work/wide.dep"
"$DEPC" diff "$work/wide.dep" --env wide > "$work/wide" 2> "$work/err" || {
	echo "FAIL: depc diff of $n changed services exited $?"; cat "$work/err"; fail=1; }
# after LINE: the line that follows LINE in the output.
after() { awk -v l="$1" 'found { print; exit } $0 == l { found = 1 }' "$work/wide"; }
skipped='    (files not computed: past the budget for one build per change; see all changes together at the end)'
[ "$(after 'service s0: replicas: 1 -> 2')" = '    compose.yaml' ] || {
	echo "FAIL: the first change of $n does not list its files"; fail=1; }
[ "$(after "service s$((n - 1)): replicas: 1 -> 2")" = "$skipped" ] || {
	echo "FAIL: the last change of $n is not past the budget"; fail=1; }
awk -v n=$n 'BEGIN {
	print "    compose.yaml"
	print "    k8s/kustomization.yaml"
	for (i = 0; i < n; i++)
		printf "    k8s/s%d-deployment.yaml\n    k8s/s%d-pdb.yaml (added)\n", i, i
}' | LC_ALL=C sort > "$work/wide.expected"
awk '/^# base -> wide, all changes together: / { on = 1; next } /^# / { on = 0 } on' \
	"$work/wide" > "$work/wide.total"
diff -u "$work/wide.expected" "$work/wide.total" || {
	echo "FAIL: the files of all $n changes together differ"; fail=1; }
# Usage errors: no --env, or three; an unknown environment.
"$DEPC" diff examples/environments.dep > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: no --env is not a usage error"; fail=1; }
"$DEPC" diff examples/environments.dep --env a --env b --env c > /dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: three --env is not a usage error"; fail=1; }
"$DEPC" diff examples/environments.dep --env staging --env nope > /dev/null 2>&1
[ $? = 1 ] || { echo "FAIL: an unknown environment is not an input error"; fail=1; }
exit $fail
