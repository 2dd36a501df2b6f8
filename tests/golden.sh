#!/bin/sh
# golden.sh - every examples/NAME.dep (and tests/golden/cases/NAME.dep)
# must build to exactly the tree in tests/golden/NAME/, byte for byte.
#
# Builds run in a copy of the inputs laid out as in $srcdir (which may be
# read-only, as under `make distcheck`), with `-o tests/golden/NAME.actual`,
# so paths in the output are the same as in the expected trees.  With UPDATE=1 the
# expected trees are rewritten (`make golden-update`); review the diff.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-golden.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/tree/examples" "$work/tree/tests/golden/cases"
cp "$srcdir"/examples/*.dep "$work/tree/examples/"
cp "$srcdir"/tests/golden/cases/*.dep "$work/tree/tests/golden/cases/" 2>/dev/null
# The copy is a repository of its own (its root holds .git), as a
# checkout is: paths in the workflow are relative to that root.
mkdir -p "$work/tree/.git"
cd "$work/tree" || exit 2

pass=0 fail=0
for input in examples/*.dep tests/golden/cases/*.dep; do
	[ -f "$input" ] || continue
	name=$(basename "$input" .dep)
	flags=$(sed -n '1s/^# depc-flags: //p' "$input")
	# The output directory sits where tests/golden/NAME is, so relative
	# paths inside the files are the same as in the expected tree.
	out="tests/golden/$name.actual"
	rm -rf "$out"
	# shellcheck disable=SC2086
	if ! "$DEPC" build $flags "$input" -o "$out" 2>"$work/stderr"; then
		echo "FAIL: $input does not build:"
		cat "$work/stderr"
		fail=$((fail + 1))
		rm -rf "$out"
		continue
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		rm -rf "$srcdir/tests/golden/$name"
		mv "$out" "$srcdir/tests/golden/$name"
		continue
	fi
	if diff -ru "$srcdir/tests/golden/$name" "$out" > "$work/diff"; then
		pass=$((pass + 1))
	else
		head -n 80 "$work/diff"
		echo "FAIL: $input: output differs from tests/golden/$name (above)"
		fail=$((fail + 1))
	fi
	rm -rf "$out"
done
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
