#!/bin/sh
# import-compose.sh - the real Compose files of tests/import/compose,
# imported and built as a user would: `depc import compose.yaml -o
# app.dep && depc build app.dep -o out` with no hand edit.  For each:
#   1. the import exits 0, and `depc check` passes (warnings allowed);
#   2. `depc build` writes the output, and the output passes the
#      validators (docker-compose config, dclint, dockerfile-utils and
#      the Kubernetes schemas, each run once over every file);
#   3. no secret value of the Compose file is in the .dep or the output,
#      as a word (lines naming an image aside: nextcloud's password is
#      "nextcloud");
#   4. the round trip: tests/import-roundtrip.py compares services,
#      images, published ports, volumes, environment, commands and
#      dependencies of the Compose file with the built compose.yaml, and
#      the differences must be exactly NAME.changes, the file's list of
#      intentional changes (UPDATE=1 rewrites them; review the diff).
# At least 20 of the files must import with no `allow` at all.  The
# table printed at the end gives, per file, the warnings of `depc check`,
# the allows written and what the import reported as not imported.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
top=$(pwd)
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP: python3 with PyYAML not installed"
	exit 77
fi
bin="${DEPC_TOOLS_SRCDIR:-$PWD}/tests/node/node_modules/.bin"
node_dir="${DEPC_TOOLS_SRCDIR:-$PWD}/tests/node"
for tool in docker-compose node "$bin/dclint" "$bin/dockerfile-utils"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $(basename "$tool") not installed"
		exit 77
	fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-import-compose.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0 clean=0 total=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
table="$work/table"
printf '%-24s %-14s %-7s %s\n' file "check" allows "not imported (count: reasons)" > "$table"

# The reasons the import gave for what it did not import, counted.
dropped() {
	sed -n "s/^[^ ]*: warning: .* is not imported: \\(.*\\)/\\1/p" "$1" |
		sed 's/ (.*//; s/[:;,].*//' | sort | uniq -c | sort -rn |
		awk '{ n = $1; $1 = ""; printf "%s%d:%s", sep, n, $0; sep = ";" }'
}

one_file() {
	name=$1 dir="$work/$1"
	mkdir -p "$dir"
	cp "tests/import/compose/$name.yaml" "$dir/compose.yaml"
	cd "$dir" || exit 2
	total=$((total + 1))
	if ! "$DEPC" import compose.yaml -o app.dep 2> import.err; then
		cat import.err; bad "$name: import failed"; cd "$top" || exit 2; return
	fi
	if "$DEPC" check --color never app.dep > check.out 2>&1; then ok
	else cat check.out; bad "$name: the import does not pass depc check"; fi
	allows=$(grep -c '^ *E04[0-9][0-9] = "' app.dep)
	[ "$allows" -eq 0 ] && clean=$((clean + 1))
	if "$DEPC" build app.dep -o out > build.out 2>&1; then ok
	else cat build.out; bad "$name: the import does not build"; cd "$top" || exit 2; return; fi
	warnings=$(grep -c ': warning\[' check.out)
	printf '%-24s %-14s %-7s %s\n' "$name" "ok, $warnings warn" "$allows" \
		"$(dropped import.err)" >> "$table"
	# Validator inputs: Compose wants the build contexts and secret files.
	for ctx in $(sed -n 's|^ *context: ||p' out/compose.yaml); do mkdir -p "out/$ctx"; done
	mkdir -p out/secrets
	for s in $(sed -n 's|^ *file: \./secrets/||p' out/compose.yaml); do : > "out/secrets/$s"; done
	cd "$top" || exit 2
}

for f in tests/import/compose/*.yaml; do
	one_file "$(basename "$f" .yaml)"
done

# Secrets and the round trip, for every file in one run of python.
dirs=$(for d in "$work"/*/; do [ -f "$d/out/compose.yaml" ] && echo "${d%/}"; done)
# shellcheck disable=SC2086
if python3 tests/import-roundtrip.py --dirs $dirs; then ok
else bad "a secret value of a Compose file was copied (above)"; fi
for d in $dirs; do
	name=$(basename "$d")
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$d/changes" "tests/import/compose/$name.changes"
	elif diff -u "tests/import/compose/$name.changes" "$d/changes"; then ok
	else bad "$name: the round trip differs from $name.changes (above)"; fi
done
[ "${UPDATE:-0}" = 1 ] && { echo "import-compose: changes rewritten"; exit 0; }

check() {
	if "$@" > "$work/log" 2>&1; then ok
	else cat "$work/log"; bad "$*"; fi
}
# docker-compose starts slowly: four at a time.
for d in $dirs; do echo "$d/out"; done > "$work/outs"
# Secrets read as variables are exported by whoever runs `docker compose`
# (SECRET_NAME); stand-in values here, never real ones.
xargs -P 4 -I{} sh -c 'for v in $(grep -o "SECRET_[A-Z0-9_]*:?" "$1/compose.yaml" | tr -d ":?" | sort -u); do export "$v=stand-in"; done
docker-compose --project-directory "$1" -f "$1/compose.yaml" config -q 2>&1 || echo "FAIL: docker-compose config: $1"' sh {} < "$work/outs" > "$work/compose.log"
if grep -q . "$work/compose.log"; then cat "$work/compose.log"; bad "docker-compose config (above)"
else ok; fi
# An image the Compose file names without a version stays so, under an
# `allow { E0408 = ... }` that says so; dclint's rule for it is off here
# (tests/import/dclint.json), every other rule as for the examples.
check "$bin/dclint" --config tests/import/dclint.json --color false "$work"/*/out/compose.yaml
ls "$work"/*/out/*/Dockerfile > "$work/dockerfiles" 2>/dev/null
xargs -P 4 -I{} sh -c '"$0" lint "$1" > "$1.lint" 2>&1 || { cat "$1.lint"; echo "FAIL: dockerfile-utils: $1"; }' \
	"$bin/dockerfile-utils" {} < "$work/dockerfiles" > "$work/docker.log"
if grep -q . "$work/docker.log"; then cat "$work/docker.log"; bad "dockerfile-utils (above)"
else ok; fi
check node "$node_dir/validate-k8s.js" "$work"/*/out/k8s/*.yaml

cat "$table"
echo "import-compose: $clean of $total files need no allow"
if [ "$clean" -ge 20 ]; then ok; else bad "fewer than 20 files import with no allow"; fi
echo "import-compose: $pass passed, $fail failed"
[ $fail -eq 0 ]
