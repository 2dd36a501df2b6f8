#!/bin/sh
# validate-compose.sh - every example's compose.yaml and Dockerfiles
# through real validators: Debian's docker-compose 1.29 (`config -q`,
# which rejects keys newer than it), dclint (the Compose Specification
# JSON schema and its error rules) and dockerfile-utils (a Dockerfile
# linter).  tests/dclint.json turns off dclint's purely stylistic rules
# (key order, alphabetical services) and `no-build-and-image`: naming the
# built image is how Compose knows what to push; `no-duplicate-exported-ports`,
# which reads an ephemeral host port (IP::PORT) as a clash of empty ports
# (tests/compose-engine.sh checks published ports instead).  The golden cases
# (tests/golden/cases/*.dep) are validated the same way.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# validators (make distcheck builds a copy that has none).
bin="${DEPC_TOOLS_SRCDIR:-$PWD}/tests/node/node_modules/.bin"
. "$PWD/tests/need.sh"
need_cmd docker-compose
need_npm dclint dockerfile-utils
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-compose.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
check() {
	if "$@" > "$work/log" 2>&1; then
		pass=$((pass + 1))
	else
		cat "$work/log"
		echo "FAIL: $*"
		fail=$((fail + 1))
	fi
}

for input in examples/*.dep tests/golden/cases/*.dep; do
	name=$(basename "$input" .dep)
	# Build a copy inside the work directory, so the build contexts it
	# names (the services' source directories) can be made to exist.
	mkdir -p "$work/$name"
	cp "$input" "$work/$name/app.dep"
	out="$work/$name/out"
	"$DEPC" build --target docker,compose "$work/$name/app.dep" -o "$out" 2>"$work/log" || {
		cat "$work/log"; echo "FAIL: $input does not build"; fail=$((fail + 1)); continue; }
	for ctx in $(sed -n 's|^ *context: ||p' "$out/compose.yaml"); do
		mkdir -p "$out/$ctx"
	done
	# Compose checks that secret files exist; stand-ins, never real values.
	mkdir -p "$out/secrets"
	for s in $(sed -n 's|^ *file: \./secrets/||p' "$out/compose.yaml"); do
		: > "$out/secrets/$s"
	done
	# Secrets read as variables come from the environment of `docker
	# compose` (SECRET_NAME); stand-in values, never real ones.
	for v in $(grep -o 'SECRET_[A-Z0-9_]*:?' "$out/compose.yaml" | tr -d ':?' | sort -u); do
		export "$v=stand-in"
	done
	check docker-compose --project-directory "$out" -f "$out/compose.yaml" config -q
	check "$bin/dclint" --config tests/dclint.json --color false "$out/compose.yaml"
	for dockerfile in "$out"/*/Dockerfile; do
		[ -f "$dockerfile" ] || continue
		check "$bin/dockerfile-utils" lint "$dockerfile"
	done
done
echo "validate-compose: $pass passed, $fail failed"
[ $fail -eq 0 ]
