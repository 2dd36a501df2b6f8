#!/bin/sh
# fmt.sh - `depc fmt` keeps the meaning and is idempotent, on every .dep
# in the repository; and the hand-written cases in tests/fmt/ format to
# exactly their expected text.
#
# 1. Every examples/*.dep, stdlib/*.dep, tests/golden/cases/*.dep,
#    tests/errors/*.dep and tests/import/*/expected.dep that parses
#    cleanly: fmt(fmt(x)) == fmt(x), and
#    the syntax tree of fmt(x) (`depc parse`) is the tree of x.  A file
#    with syntax errors must make fmt exit 1 and print nothing.
# 2. tests/fmt/NAME.dep formats to tests/fmt/NAME.expected, byte for
#    byte (comments kept in place, alignment, breaking); UPDATE=1
#    rewrites the expected files (review the diff).
# 3. The command line: --check names unformatted files and exits 1, -w
#    rewrites in place and leaves a formatted file untouched, a file with
#    syntax errors is never rewritten.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-fmt.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# The tree of a file, or of standard input; diagnostics about meaning
# (not syntax) are irrelevant here.
tree() { "$DEPC" parse "$1" 2>/dev/null; }

roundtrip() {
	input=$1
	"$DEPC" fmt "$input" > "$work/once" 2> "$work/err"
	status=$?
	if [ $status -ne 0 ]; then
		if [ $status -ne 1 ] || [ -s "$work/once" ]; then
			bad "$input: fmt exit $status with output"; return
		fi
		ok; return   # syntax errors: refused, as it must
	fi
	"$DEPC" fmt - < "$work/once" > "$work/twice" 2>> "$work/err" ||
		{ bad "$input: formatted text does not parse:"; cat "$work/err"; return; }
	if ! cmp -s "$work/once" "$work/twice"; then
		diff -u "$work/once" "$work/twice" | head -n 30
		bad "$input: not idempotent (above)"; return
	fi
	tree "$input" > "$work/tree1"
	tree - < "$work/once" > "$work/tree2"
	if ! cmp -s "$work/tree1" "$work/tree2"; then
		diff "$work/tree1" "$work/tree2" | head -n 10
		bad "$input: the syntax tree changed (above)"; return
	fi
	ok
}

for input in examples/*.dep stdlib/*.dep tests/golden/cases/*.dep \
	     tests/errors/*.dep tests/fmt/*.dep tests/fmt/*.expected \
	     tests/import/*/expected.dep; do
	[ -f "$input" ] && roundtrip "$input"
done

for input in tests/fmt/*.dep; do
	[ -f "$input" ] || continue
	expected="${input%.dep}.expected"
	if [ "${UPDATE:-0}" = 1 ]; then
		"$DEPC" fmt "$input" > "$expected"
		continue
	fi
	if "$DEPC" fmt "$input" > "$work/out" 2>&1 && cmp -s "$expected" "$work/out"; then
		ok
	else
		diff -u "$expected" "$work/out" | head -n 60
		bad "$input: output differs from $expected (above)"
	fi
done

# --check, -w and files with errors.
cp tests/fmt/alignment.dep "$work/messy.dep"
cp tests/fmt/alignment.expected "$work/clean.dep"
printf 'service web {\n  port = \n}\n' > "$work/broken.dep"
cp "$work/broken.dep" "$work/broken.orig"

"$DEPC" fmt --check "$work/clean.dep" "$work/messy.dep" > "$work/out" 2> "$work/err"
status=$?
if [ $status -eq 1 ] && [ ! -s "$work/out" ] &&
   [ "$(cat "$work/err")" = "$work/messy.dep: not formatted" ]; then ok
else bad "--check: exit $status, stderr: $(cat "$work/err")"; fi

touch -t 200001010000 "$work/clean.dep"
chmod 640 "$work/messy.dep"
if "$DEPC" fmt -w "$work/messy.dep" "$work/clean.dep" > "$work/out" 2>&1 &&
   [ ! -s "$work/out" ] && cmp -s "$work/messy.dep" tests/fmt/alignment.expected &&
   [ -z "$(find "$work/clean.dep" -newer "$work/broken.orig")" ] &&
   [ -n "$(find "$work/messy.dep" -perm 640)" ] &&
   [ -z "$(find "$work" -name '*.depc-*')" ]; then ok
else bad "-w did not rewrite in place, or touched a formatted file"; fi

# A file with a second hard link is rewritten in place: both names still
# name one file, and both show the formatted text.
cp tests/fmt/alignment.dep "$work/linked.dep" && ln "$work/linked.dep" "$work/other-name.dep"
if "$DEPC" fmt -w "$work/linked.dep" 2>/dev/null &&
   [ "$(stat -c %i "$work/linked.dep")" = "$(stat -c %i "$work/other-name.dep")" ] &&
   cmp -s "$work/other-name.dep" tests/fmt/alignment.expected; then ok
else bad "-w broke a hard link"; fi

"$DEPC" fmt -w "$work/broken.dep" > "$work/out" 2> "$work/err"
status=$?
if [ $status -eq 1 ] && cmp -s "$work/broken.dep" "$work/broken.orig" &&
   grep -q 'error\[E0101\]' "$work/err"; then ok
else bad "a file with syntax errors: exit $status, or it was rewritten"; fi

"$DEPC" fmt "$work/missing.dep" > /dev/null 2>&1
status=$?
if [ $status -eq 2 ]; then ok; else bad "missing file: exit $status, expected 2"; fi

echo "fmt: $pass passed, $fail failed"
[ $fail -eq 0 ]
