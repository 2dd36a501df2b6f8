#!/bin/sh
# import.sh - `depc import` on every tests/import/NAME/compose.yaml.
#
# Each case is a directory: compose.yaml (with any build contexts beside
# it), expected.dep and expected.stderr (the warnings, exactly), and
# optionally fill.sed, a sed script that fills in what the import could
# not know (a start command, a port).  For each case:
#   1. the import exits 0 and writes exactly expected.dep and
#      expected.stderr (UPDATE=1 rewrites them; review the diff);
#   2. the .dep printed on standard output is the one written with -o;
#   3. once the vault paths (CHANGE-ME/...) and fill.sed are filled in,
#      `depc check` passes;
#   4. no secret value of the Compose file is in the .dep, and the .dep
#      is formatted (`depc fmt --check`).
# Then the spec's Compose file (tests/import/spec) is built back into a
# compose.yaml, which must have the same services, images, dependencies
# and volumes as the original and no plaintext password; and malformed
# input, a missing file and an existing -o file give exit 1, 2 and 2.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
top=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-import.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

# What a Compose file does not say (health checks, limits, rotation,
# pinned tags) is left to whoever fills in the import: those policy rules
# warn here.  The rules about secret values (E0402, E0403, E0404) stay
# errors, and so does E0406: the import infers `uses` from depends_on,
# links and the hosts the environment names, so every connection the
# Compose file shows is in `uses`.
import_allow="--allow E0401,E0405,E0407,E0408,E0409,E0410,E0411,E0412,E0413,E0414,E0415"

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# Values the Compose files of the cases hold as secrets: none may reach
# a .dep.
secret_values='example_123|other_pass_456|hunter2|s3cr3t-shop|npm_abc123|sk_live_123|ghp_abc|another-value|changeme|supersecret|POSTGRES_PASSWORD=password|user:password@'

import_case() {
	name=$1
	case_dir="$top/tests/import/$name"
	rm -rf "${work:?}/$name"
	cp -R "$case_dir" "$work/$name"
	cd "$work/$name" || return
	rm -f app.dep
	"$DEPC" import compose.yaml -o app.dep 2> stderr
	status=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		cp app.dep "$case_dir/expected.dep"
		cp stderr "$case_dir/expected.stderr"
		cd "$top" || exit 2; return
	fi
	if [ $status -ne 0 ]; then
		cat stderr; bad "$name: import exit $status"; cd "$top" || exit 2; return
	fi
	if ! cmp -s expected.dep app.dep; then
		diff -u expected.dep app.dep | head -n 40; bad "$name: .dep differs (above)"
	elif ! cmp -s expected.stderr stderr; then
		diff -u expected.stderr stderr | head -n 40; bad "$name: warnings differ (above)"
	elif ! "$DEPC" import compose.yaml 2>/dev/null | cmp -s - app.dep; then
		bad "$name: standard output differs from -o"
	elif grep -Eq "$secret_values" app.dep; then
		bad "$name: a secret value was copied: $(grep -En "$secret_values" app.dep)"
	elif ! "$DEPC" fmt --check app.dep; then
		bad "$name: the .dep is not formatted"
	else
		ok
	fi
	if [ -f fill.sed ]; then
		sed -e 's|"CHANGE-ME/|"test/|' -f fill.sed app.dep > filled.dep
	else
		sed -e 's|"CHANGE-ME/|"test/|' app.dep > filled.dep
	fi
	# shellcheck disable=SC2086
	if "$DEPC" check --color never $import_allow filled.dep > check.out 2>&1; then ok
	else cat check.out; bad "$name: the filled-in .dep does not check"; fi
	cd "$top" || exit 2
}

for dir in tests/import/*/; do
	[ -f "$dir/compose.yaml" ] && import_case "$(basename "$dir")"
done
[ "${UPDATE:-0}" = 1 ] && { echo "import: expected files rewritten"; exit 0; }

# --- the spec's Compose file, there and back -----------------------------

# A block-style YAML file flattened to one line per key ("a.b.c") and per
# scalar ("a.b.c=value", "a.b[]=item"): enough for Compose files as the
# spec and libyaml's emitter write them.
flat() {
	awk '
	/^[ \t]*(#|$)/ { next }
	{
		match($0, /^ */); ind = RLENGTH; line = substr($0, ind + 1)
		item = line ~ /^- /
		if (item) { while (d > 0 && at[d] > ind) d--; line = substr(line, 3) }
		else { while (d > 0 && at[d] >= ind) d--; }
		path = ""
		for (i = 1; i <= d; i++) path = path (i > 1 ? "." : "") key[i]
		gsub(/^["\047]|["\047]$/, "", line)
		if (item) { print path "[]=" line; next }
		k = line; sub(/:.*/, "", k); v = line; sub(/^[^:]*:[ ]*/, "", v)
		gsub(/^["\047]|["\047]$/, "", v)
		full = path (d ? "." : "") k
		if (v == "" || v == "{}") { d++; at[d] = ind; key[d] = k; print full }
		else print full "=" v
	}' "$1"
}

services() { flat "$1" | sed -n 's/^services\.\([^.=[]*\)$/\1/p' | sort; }
field() { flat "$1" | sed -n "s/^services\\.$2\\.$3=//p"; }
deps() {
	flat "$1" | sed -n -e "s/^services\\.$2\\.depends_on\\[\\]=//p" \
		-e "s/^services\\.$2\\.depends_on\\.\\([^.=]*\\)\$/\\1/p" | sort
}
mounts() { flat "$1" | sed -n "s/^services\\.$2\\.volumes\\[\\]=//p" | sort; }
volumes() { flat "$1" | sed -n 's/^volumes\.\([^.=]*\)$/\1/p' | sort; }

same() {
	if [ "$2" = "$3" ]; then ok
	else bad "spec round trip: $1: original '$(echo "$2" | tr '\n' ' ')', built '$(echo "$3" | tr '\n' ' ')'"; fi
}

spec_roundtrip() {
	cd "$work/spec" || return
	rm -rf out
	# shellcheck disable=SC2086
	if ! "$DEPC" build $import_allow filled.dep -o out --target compose > build.out 2>&1; then
		cat build.out; bad "spec: the imported .dep does not build"; cd "$top" || exit 2; return
	fi
	orig=compose.yaml built=out/compose.yaml
	same services "$(services $orig)" "$(services $built)"
	for s in $(services $orig); do
		# A tag of a major version only ("7-alpine") is imported as the
		# template's exact release of that major ("7.4.1-alpine").
		same "$s image" "$(field $orig "$s" image | sed 's/:\([0-9]*\)[.0-9]*/:\1/')" \
		     "$(field $built "$s" image | grep -v '^spec/' | sed 's/:\([0-9]*\)[.0-9]*/:\1/' || true)"
		same "$s depends_on" "$(deps $orig "$s")" "$(deps $built "$s")"
		same "$s volumes" "$(mounts $orig "$s")" "$(mounts $built "$s")"
	done
	same "web build" "$(flat $orig | grep -c '^services\.web\.build$')" \
	     "$(flat $built | grep -c '^services\.web\.build$')"
	same volumes "$(volumes $orig)" "$(volumes $built)"
	# The password is a secret read as a variable: Compose interpolates
	# it from the environment it runs in, never from the file.
	if grep -q '[ -]POSTGRES_PASSWORD[=:] *[^$ ]' $built || grep -q 'password@' $built ||
	   ! grep -q 'POSTGRES_PASSWORD: ${SECRET_[A-Z_]*:?' $built; then
		bad "spec round trip: a password is in the built compose.yaml"
	else ok; fi
	cd "$top" || exit 2
}
spec_roundtrip

# --- errors --------------------------------------------------------------

printf 'services:\n  web:\n    image: [nginx\n' > "$work/malformed.yaml"
"$DEPC" import "$work/malformed.yaml" > "$work/out" 2> "$work/err"
status=$?
if [ $status -eq 1 ] && [ ! -s "$work/out" ] &&
   grep -q "^$work/malformed.yaml:[0-9]*:[0-9]*: error: " "$work/err"; then ok
else bad "malformed YAML: exit $status, stderr: $(cat "$work/err")"; fi

printf 'just: text\n' > "$work/plain.yaml"
"$DEPC" import "$work/plain.yaml" > /dev/null 2> "$work/err"
status=$?
if [ $status -eq 1 ] && grep -q "not a Compose file: it has no 'services'" "$work/err"; then ok
else bad "not a Compose file: exit $status, stderr: $(cat "$work/err")"; fi

"$DEPC" import "$work/missing.yaml" > /dev/null 2>&1
status=$?
if [ $status -eq 2 ]; then ok; else bad "missing file: exit $status, expected 2"; fi

printf 'keep me\n' > "$work/exists.dep"
"$DEPC" import tests/import/spec/compose.yaml -o "$work/exists.dep" > /dev/null 2> "$work/err"
status=$?
if [ $status -eq 2 ] && [ "$(cat "$work/exists.dep")" = "keep me" ]; then ok
else bad "existing -o file: exit $status, or it was replaced"; fi

echo "import: $pass passed, $fail failed"
[ $fail -eq 0 ]
