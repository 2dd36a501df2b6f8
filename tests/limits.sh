#!/bin/sh
# limits.sh - the LIMITS section of man/depc.1 matches the code.
#
# Every diagnostic code whose summary in src/diag_codes.def speaks of a
# limit ("... than the limit", "too many ...") must be listed under
# LIMITS in man/depc.1, and the value written there must be the value of
# the constant the code enforces, read from its header.  A new limit
# without a row in the table below fails, so the table, the page and
# the code cannot drift apart.
set -u
: "${srcdir:=.}"
cd "$srcdir" || exit 2

# CODE HEADER CONSTANT: where each limit's value is defined.
table='E0102 src/parse.h PARSE_MAX_DEPTH
E0103 src/source.h SOURCE_MAX_BYTES
E0104 src/compile.h COMPILE_ERROR_LIMIT
E0107 src/parse.h PARSE_MAX_STRING
E0108 src/program.h PROGRAM_DEFAULT_MAX_DECLS
E0109 src/program.h TEMPLATE_MAX_NODES
E0110 src/typed.h EVAL_MAX_CHAIN
E0111 src/typed.h EVAL_MAX_TEXT
E0112 src/typed.h EVAL_MAX_EXPANDED'

pass=0 fail=0
failed() {
	echo "FAIL: $1: $2"
	fail=$((fail + 1))
}

# The paragraph of the LIMITS section that follows ".B CODE".
paragraph() {
	awk -v code="$1" '
		/^\.SH / { in_limits = ($0 == ".SH LIMITS"); on = 0; next }
		!in_limits { next }
		$0 == ".B " code { on = 1; next }
		on && /^\.(TP|PP)/ { exit }
		on { print }' man/depc.1
}

# A constant's value: its #define with casts dropped, as shell arithmetic.
value_of() {
	expr=$(sed -n "s/^#define $2[ 	][ 	]*\\(.*\\)/\\1/p" "$1" |
		sed 's:/\*.*::; s/([a-z0-9_]*_t)//g; s/(size_t)//g')
	[ -n "$expr" ] || return 1
	echo $(($expr))
}

# 16777216 -> 16,777,216
commas() {
	echo "$1" | awk '{ s = $0; out = ""
		while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
		print s out }'
}

codes=$(sed -n 's/^DIAG(\(E01[0-9][0-9]\), [A-Z]*, ".*\(limit\|too many\).*")$/\1/p' src/diag_codes.def)
[ -n "$codes" ] || { echo "FAIL: no limit codes found in src/diag_codes.def"; exit 1; }
for code in $codes; do
	row=$(echo "$table" | awk -v c="$code" '$1 == c')
	if [ -z "$row" ]; then
		failed "$code" "a limit with no row in tests/limits.sh's table"
		continue
	fi
	set -- $row
	if ! value=$(value_of "$2" "$3"); then
		failed "$code" "no #define $3 in $2"
		continue
	fi
	text=$(paragraph "$code")
	if [ -z "$text" ]; then
		failed "$code" "not listed under LIMITS in man/depc.1"
	elif ! printf '%s\n' "$text" | grep -q "$(commas "$value")"; then
		failed "$code" "man/depc.1 does not give $3 = $(commas "$value")"
	else
		pass=$((pass + 1))
	fi
done
echo "limits: $pass passed, $fail failed"
[ $fail -eq 0 ]
