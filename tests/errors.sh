#!/bin/sh
# errors.sh - every tests/errors/NAME.dep must produce exactly the
# diagnostics in tests/errors/NAME.expected (stderr, no colour) and exit 1.
#
# Runs from $srcdir so the file names in messages are stable.  With
# UPDATE=1 it rewrites the expected files instead (`make errors-update`);
# review that diff before committing.
#
# A case that needs options names them on its first line:
#   # depc-flags: --env staging
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2

pass=0 fail=0
for input in tests/errors/*.dep; do
	expected="${input%.dep}.expected"
	flags=$(sed -n '1s/^# depc-flags://p' "$input")
	# $flags is split into words on purpose: it holds options, not a name.
	# shellcheck disable=SC2086
	actual=$(NO_COLOR=1 "$DEPC" check --color never $flags "$input" 2>&1 >/dev/null)
	status=$?
	if [ "${UPDATE:-0}" = 1 ]; then
		printf '%s\n' "$actual" > "$expected"
		continue
	fi
	# A case whose expected output holds only warnings exits 0.
	want=1
	if [ -f "$expected" ] && ! grep -q '^[^ ]*: error\[' "$expected"; then want=0; fi
	if [ $status -ne $want ]; then
		echo "FAIL: $input: exit status $status, expected $want"
		fail=$((fail + 1))
	elif [ ! -f "$expected" ]; then
		echo "FAIL: $input: no $expected"
		fail=$((fail + 1))
	elif ! printf '%s\n' "$actual" | diff -u "$expected" - ; then
		echo "FAIL: $input: diagnostics differ (above)"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "errors: $pass passed, $fail failed"
[ $fail -eq 0 ]
