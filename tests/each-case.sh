# each-case.sh - sourced by the tests that pass every generated tree of
# one target through an outside validator:
#
#   . "$PWD/tests/each-case.sh"       # after $work is made
#   visit() { check some-tool "$1/terraform"; }   # $1: the tree, $2: the input
#   each_case terraform visit
#
# each_case builds every example and golden case (with the options on its
# first line, `# depc-flags: ...`) for the one target into $work/NAME and
# calls the visitor on each tree; a case that does not build is a failure.
# check runs one command quietly and counts it in $pass or $fail, showing
# the command's output only when it fails.
pass=${pass:-0} fail=${fail:-0}

check() {
	if "$@" > "$work/log" 2>&1; then
		pass=$((pass + 1))
	else
		cat "$work/log"
		echo "FAIL: $*"
		fail=$((fail + 1))
	fi
}

each_case() {
	each_target=$1 each_visit=$2
	for each_input in examples/*.dep tests/golden/cases/*.dep; do
		[ -f "$each_input" ] || continue
		each_out="$work/$(basename "$each_input" .dep)"
		each_flags=$(sed -n '1s/^# depc-flags: //p' "$each_input")
		# the flags are options, split into words on purpose
		# shellcheck disable=SC2086
		if ! "$DEPC" build $each_flags --target "$each_target" "$each_input" \
			-o "$each_out" 2>"$work/log"; then
			cat "$work/log"
			echo "FAIL: $each_input does not build"
			fail=$((fail + 1))
			continue
		fi
		"$each_visit" "$each_out" "$each_input"
	done
}
