#!/bin/sh
# compose-engine.sh - every example's and golden case's compose.yaml
# against the Compose Specification's JSON schema and the rules of the
# engine it is written for, `docker compose` (tests/node/compose-engine.mjs
# lists them).  Then the same rules must catch what the engine refuses:
# a copy of webapp's file broken one way at a time must fail.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node not installed"
	exit 77
fi
tools="${DEPC_TOOLS_SRCDIR:-$PWD}"
for pkg in js-yaml ajv dclint; do
	if [ ! -d "$tools/tests/node/node_modules/$pkg" ]; then
		echo "SKIP: $pkg not installed in tests/node"
		exit 77
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-engine.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP

fail=0
files=""
for input in examples/*.dep tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	name=$(basename "$input" .dep)
	flags=$(sed -n '1s/^# depc-flags: //p' "$input")
	# shellcheck disable=SC2086
	if ! "$DEPC" build $flags --target compose "$input" -o "$work/$name" 2>"$work/log"; then
		cat "$work/log"; echo "FAIL: $input does not build"; fail=$((fail + 1)); continue
	fi
	files="$files $work/$name/compose.yaml"
done
# shellcheck disable=SC2086
node "$tools/tests/node/compose-engine.mjs" $files || fail=$((fail + 1))

# Each mistake the engine rules exist for must be caught.
broken() {
	what=$1; shift
	sed "$@" "$work/webapp/compose.yaml" > "$work/broken.yaml"
	if cmp -s "$work/webapp/compose.yaml" "$work/broken.yaml"; then
		echo "FAIL: the change for '$what' no longer applies to webapp's compose.yaml"
		fail=$((fail + 1))
	elif node "$tools/tests/node/compose-engine.mjs" "$work/broken.yaml" > "$work/log" 2>&1; then
		echo "FAIL: $what was not caught"
		fail=$((fail + 1))
	fi
}
broken "a fixed host port with 3 replicas" -e 's/"0.0.0.0::3000"/"0.0.0.0:3000:3000"/'
broken "a retry count with always" -e 's/restart: on-failure:3/deploy_x: 1/' \
	-e 's/^    deploy:$/    deploy:\n      restart_policy: {condition: any, max_attempts: 3}/'
broken "a restart condition Swarm refuses" -e 's/^    deploy:$/    deploy:\n      restart_policy: {condition: always}/'
broken "a Swarm-only key" -e 's/^    deploy:$/    deploy:\n      placement: {constraints: [node.role == worker]}/'
broken "an undeclared network" -e 's/^    - web-public$/    - web-elsewhere/'
echo "compose-engine: $fail failed"
[ $fail -eq 0 ]
