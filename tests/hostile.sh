#!/bin/sh
# hostile.sh - depc survives hostile input.
#
# Whatever the input - random bytes, a 50 MB file, nesting 100,000 deep,
# a million-byte line, thousands of errors - `depc check` must end with
# status 0 or 1 and never with a signal (status 128 and up: a crash,
# say a stack overflow or an assertion).  Inputs that pass a limit must
# be refused with the limit's code.  The inputs are generated at run time
# in a temporary directory, removed at the end.  With `timeout` on the
# PATH every run is also bounded in time, so a hang fails instead of
# stalling `make check`.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/depc-hostile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM

limit=
if command -v timeout >/dev/null 2>&1; then
	limit="timeout ${HOSTILE_TIMEOUT:-60}"
fi

pass=0 fail=0

# run NAME FILE: runs depc check, leaving the status in $status and
# stderr in $tmp/err.
run() {
	$limit "$DEPC" check --color never "$2" >/dev/null 2>"$tmp/err"
	status=$?
}

failed() {
	echo "FAIL: $1: $2"
	head -c 2000 "$tmp/err" | head -n 20 | sed 's/^/    /'
	fail=$((fail + 1))
}

# survives NAME FILE: status 0 or 1, and a diagnostic when 1.
survives() {
	run "$1" "$2"
	if [ -n "$limit" ] && [ $status -eq 124 ]; then
		failed "$1" "timed out"
	elif [ $status -ge 128 ]; then
		failed "$1" "crashed (status $status)"
	elif [ $status -ne 0 ] && [ $status -ne 1 ]; then
		failed "$1" "status $status, expected 0 or 1"
	elif [ $status -eq 1 ] && ! grep -q 'error\[E[0-9][0-9]*\]' "$tmp/err"; then
		failed "$1" "status 1 without a diagnostic"
	else
		pass=$((pass + 1))
	fi
}

# refuses NAME FILE CODE: status 1 with CODE among the diagnostics.
refuses() {
	run "$1" "$2"
	if [ $status -ne 1 ]; then
		failed "$1" "status $status, expected 1"
	elif ! grep -q "error\\[$3\\]" "$tmp/err"; then
		failed "$1" "no $3 reported"
	else
		pass=$((pass + 1))
	fi
}

# repeat COUNT TEXT: TEXT written COUNT times, no newline.
repeat() {
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# --- random input ---------------------------------------------------------

head -c 1048576 /dev/urandom > "$tmp/random.dep"
survives "1 MB of random bytes" "$tmp/random.dep"

# Random text in the language's own alphabet gets past the encoding
# check and into the scanner's and parser's error recovery.
LC_ALL=C tr -dc 'a-z0-9_{}[]()=,;.:"$#/*\\ \n-' < /dev/urandom | head -c 1048576 > "$tmp/soup.dep"
survives "1 MB of random tokens" "$tmp/soup.dep"

head -c 1048576 /dev/zero > "$tmp/nul.dep"
refuses "1 MB of NUL bytes" "$tmp/nul.dep" E0002

# --- size -----------------------------------------------------------------

# About 50 MB of ordinary service blocks.
awk 'BEGIN {
	for (i = 0; i < 165000; i++)
		printf "service web%d {\n  image    = \"nginx:1.25\"\n  port     = %d\n" \
		       "  replicas = 3\n  uses     = [db, cache]\n" \
		       "  env      { NODE_ENV = \"production\"  URL = \"https://${app.domain}/%d\" }\n" \
		       "  health   { liveness = http(\"/health\")  interval = 30s  timeout = 5s }\n" \
		       "  resources { cpu = 100m..500m  memory = 256Mi..512Mi }\n}\n",
		       i, 1024 + i % 60000, i
}' > "$tmp/big.dep"
survives "a 50 MB file of service blocks" "$tmp/big.dep"

{ printf 'service web {\n  image = "'; repeat 1048576 x; printf '"\n}\n'; } > "$tmp/long-string.dep"
survives "a 1 MB string" "$tmp/long-string.dep"

{ printf 'service '; repeat 1048576 a; printf ' {\n}\n'; } > "$tmp/long-name.dep"
survives "a 1 MB name" "$tmp/long-name.dep"

repeat 100000 'x = = 1
' > "$tmp/errors.dep"
refuses "100,000 syntax errors" "$tmp/errors.dep" E0104

repeat 100000 'a = "
' > "$tmp/strings.dep"
refuses "100,000 unterminated strings" "$tmp/strings.dep" E0104

# --- depth ----------------------------------------------------------------

{ printf 'service web {\n  args = '; repeat 100000 '['; printf '\n}\n'; } > "$tmp/brackets.dep"
refuses "100,000 nested '['" "$tmp/brackets.dep" E0102

{ printf 'service web {\n  env = '; repeat 100000 '{'; printf '\n}\n'; } > "$tmp/braces.dep"
refuses "100,000 nested '{'" "$tmp/braces.dep" E0102

repeat 100000 'a { ' > "$tmp/blocks.dep"
refuses "100,000 nested blocks" "$tmp/blocks.dep" E0102

{ printf 'service web {\n  host = '; repeat 100000 'a.'; printf 'a\n}\n'; } > "$tmp/chain.dep"
refuses "a chain of 100,000 'a.'" "$tmp/chain.dep" E0102

{ printf 'service web {\n  x = f'; repeat 100000 '()'; printf '\n}\n'; } > "$tmp/calls.dep"
refuses "a chain of 100,000 calls" "$tmp/calls.dep" E0102

{ printf 'service web {\n  x = '; repeat 100000 '('; printf '\n}\n'; } > "$tmp/parens.dep"
refuses "100,000 nested '('" "$tmp/parens.dep" E0102

{ printf 'service web {\n  x = "${'; repeat 100000 '{'; printf '\n}\n'; } > "$tmp/interp.dep"
refuses "100,000 '{' inside an interpolation" "$tmp/interp.dep" E0102

# --- limits and chains ----------------------------------------------------
{ printf 'service web {\n  image = "nginx:1.25-alpine"\n  description = "'
  head -c 2097152 /dev/zero | tr '\0' x; printf '"\n}\n'; } > "$tmp/huge-string.dep"
refuses "a 2 MiB string" "$tmp/huge-string.dep" E0107
# The declaration limit lowered to 1,000 through DEPC_MAX_DECLS (see
# src/limits.c): the same path as at 1,000,000, without generating and
# parsing a million declarations.  The unit tests pin the default, and
# tests/explain.sh runs E0108's page with 1,000,001 real declarations.
awk 'BEGIN { for (i = 1; i <= 1001; i++) printf "volume v%d { size = 1Gi }\n", i }' \
	> "$tmp/decls.dep"
DEPC_MAX_DECLS=1000 refuses "1,001 declarations, limit lowered to 1,000" "$tmp/decls.dep" E0108
if ! grep -q 'more than 1000 declarations' "$tmp/err"; then
	failed "DEPC_MAX_DECLS=1000" "the limit reported is not 1000"
fi
head -n 1000 "$tmp/decls.dep" > "$tmp/decls-ok.dep"
DEPC_MAX_DECLS=1000 survives "1,000 declarations, limit 1,000" "$tmp/decls-ok.dep"
if grep -q E0108 "$tmp/err"; then
	failed "1,000 declarations" "E0108 at the limit, not past it"
fi
# 20,000 secrets each interpolating the one before: linear, not exponential
awk 'BEGIN { print "secret s0 { vault = \"a/b\" }"
	for (i = 1; i <= 20000; i++) printf "secret s%d { vault = \"${s%d}\" }\n", i, i - 1 }' \
	> "$tmp/ref-chain.dep"
survives "a chain of 20,000 references" "$tmp/ref-chain.dep"
# --- templates and references -------------------------------------------
# Instantiation cannot nest (templates are top-level only), but it
# multiplies: uses of a parameter times the argument's size, and
# declarations times the template's size.  The budget grows with the
# file (4 nodes a byte), so a large program of small templates fits, but
# both products outgrow it and are refused (E0109) before anything is
# copied.
awk 'BEGIN { n = 20000
	printf "template service t(p) {\n  image = \"nginx:1.25-alpine\"\n  command = ["
	for (i = 0; i < n; i++) printf "p, "
	printf "]\n}\nservice web = t(p = ["
	for (i = 0; i < n; i++) printf "\"a\", "
	printf "])\n" }' > "$tmp/tmpl-square.dep"
refuses "20,000 uses of a 20,000-entry argument" "$tmp/tmpl-square.dep" E0109
awk 'BEGIN { printf "template service t(p) {\n  image = \"nginx:1.25-alpine\"\n  command = ["
	for (i = 0; i < 1000; i++) printf "p, "
	print "]\n}"
	for (i = 0; i < 20000; i++) printf "service s%d = t(p = \"a\")\n", i }' > "$tmp/tmpl-many.dep"
refuses "20,000 instantiations of a 2,000-node template" "$tmp/tmpl-many.dep" E0109
# ...while 50,000 services from the standard library, more nodes than
# the fixed part of the budget, are a program and compile.
awk 'BEGIN { print "import \"std/node\""
	for (i = 0; i < 50000; i++)
		printf "service s%d = node(node = \"20-alpine\", port = %d) { health { liveness = tcp() } }\n", i, 3000 + i % 1000 }' \
	> "$tmp/tmpl-large.dep"
survives "50,000 services from std/node" "$tmp/tmpl-large.dep"
grep -q 'error\[E0109\]' "$tmp/err" &&
	failed "50,000 services from std/node" "refused with E0109"

# The dependency graph: a `uses` chain 200,000 services long (the walk
# keeps its own stack), and a cycle through every service (only the
# first cycles' paths are kept).
awk 'BEGIN { n = 200000
	for (i = 0; i < n; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  port = 80%s }\n", i,
		       (i + 1 < n ? sprintf("  uses = [s%d]", i + 1) : "") }' > "$tmp/uses-chain.dep"
survives "a uses chain of 200,000 services" "$tmp/uses-chain.dep"
awk 'BEGIN { n = 20000
	print "service s0 { image = \"nginx:1.25-alpine\"  port = 80  uses = [s1] }"
	for (i = 1; i < n; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  port = 80  uses = [%ss0] }\n",
		       i, (i + 1 < n ? sprintf("s%d, ", i + 1) : "") }' > "$tmp/uses-cycles.dep"
refuses "20,000 services, each closing a uses cycle" "$tmp/uses-cycles.dep" E0311
# Each description two copies of the one before, 1,000 levels: without
# memoized evaluation, 2^1000 steps; without a size limit, 2^1000 bytes.
awk 'BEGIN { print "service s0 { image = \"nginx:1.25-alpine\"  description = \"ab\" }"
	for (i = 1; i <= 1000; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s%d.description}${s%d.description}\" }\n", i, i - 1, i - 1 }' \
	> "$tmp/doubling.dep"
refuses "1,000 levels of doubling interpolations" "$tmp/doubling.dep" E0111
# The same with empty text: nothing grows, so only memoization keeps it
# from taking 2^1000 steps (bounded here by the chain limit).
awk 'BEGIN { print "service s0 { image = \"nginx:1.25-alpine\"  description = \"\" }"
	for (i = 1; i <= 1000; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s%d.description}${s%d.description}\" }\n", i, i - 1, i - 1 }' \
	> "$tmp/doubling-empty.dep"
refuses "1,000 levels of doubling empty interpolations" "$tmp/doubling-empty.dep" E0110
# 20,000 services each interpolating the next, the last declared first
# and the first last: chains evaluated deepest first, and shallowest.
awk 'BEGIN { for (i = 1; i <= 20000; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s%d.description}\" }\n", i, i + 1
	print "service s20001 { image = \"nginx:1.25-alpine\"  description = \"end\" }" }' > "$tmp/chain-fwd.dep"
refuses "a chain of 20,000 interpolations" "$tmp/chain-fwd.dep" E0110
awk 'BEGIN { print "service s20001 { image = \"nginx:1.25-alpine\"  description = \"end\" }"
	for (i = 20000; i >= 1; i--)
		printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s%d.description}\" }\n", i, i + 1 }' > "$tmp/chain-rev.dep"
refuses "a chain of 20,000 interpolations, reversed" "$tmp/chain-rev.dep" E0110
# Bare references are followed link by link for each declaration (64 at
# most each): linear, but slower per declaration, so 10,000 of them.
awk 'BEGIN { for (i = 1; i <= 10000; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  description = s%d.description }\n", i, i + 1
	print "service s10001 { image = \"nginx:1.25-alpine\"  description = \"end\" }" }' > "$tmp/chain-bare.dep"
refuses "a chain of 10,000 bare references" "$tmp/chain-bare.dep" E0110
# A megabyte of text copied by 100 references: 100 MB held and written.
awk 'BEGIN { printf "service s0 { image = \"nginx:1.25-alpine\"  description = \""
	for (i = 0; i < 1000; i++) printf "%1000s", ""
	print "\" }"
	for (i = 1; i <= 100; i++)
		printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s0.description}\" }\n", i }' > "$tmp/copies.dep"
refuses "100 copies of a 1 MB value" "$tmp/copies.dep" E0112
# One string of 70,000 interpolations of a short value (under 1 MiB of
# source, and of text once expanded): linear.
awk 'BEGIN { print "app a { domain = \"a.example\" }"
	printf "service web { image = \"nginx:1.25-alpine\"  description = \""
	for (i = 0; i < 70000; i++) printf "${app.domain}"
	print "\" }" }' > "$tmp/interps.dep"
survives "70,000 interpolations in one string" "$tmp/interps.dep"
if grep -q 'E0107\|E011[0-2]' "$tmp/err"; then
	failed "70,000 interpolations in one string" "refused by a limit it is under"
fi

# --- rendering ----------------------------------------------------------
# An error at column 500,000 of a 1 MB line: the snippet is a window of
# the line, not the line.
{ printf 'service web { image = "nginx:1.25-alpine" description = "'; repeat 500000 x
  printf '" port = "80" '; repeat 500000 y; printf ' = 1 }\n'; } > "$tmp/wide-line.dep"
refuses "an error in the middle of a 1 MB line" "$tmp/wide-line.dep" E0302
if [ "$(wc -c < "$tmp/err")" -gt 4000 ]; then
	failed "an error in the middle of a 1 MB line" "$(wc -c < "$tmp/err") bytes of diagnostics"
fi

# 5,000 warnings on one 440 KB line: each snippet and column is measured
# from checkpoints, not from the line's start (once 10,000 of them took
# minutes), in text, JSON and SARIF.
awk 'BEGIN { for (i = 0; i < 5000; i++)
	printf "service s%d { image = \"nginx:1.27.3\" resources { cpu = 100m..200m memory = 64Mi..128Mi } } ", i
	print "" }' > "$tmp/warn-line.dep"
for format in text json sarif; do
	$limit "$DEPC" check --allow E0401 --color never --format $format "$tmp/warn-line.dep" \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ $status -ne 0 ]; then
		failed "5,000 warnings on one line ($format)" "status $status, expected 0"
	elif [ $format != sarif ] &&
	     ! grep -q '5000 warnings emitted\|"warnings":[^0-9]*5000' "$tmp/err" "$tmp/out"; then
		failed "5,000 warnings on one line ($format)" "not all 5,000 reported"
	else
		pass=$((pass + 1))
	fi
done

# a list of 200,000 entries
{ printf 'service web {\n  image = "nginx:1.25-alpine"\n  command = ['
  awk 'BEGIN { for (i = 0; i < 200000; i++) printf "\"a%d\", ", i }'; printf ']\n}\n'; } > "$tmp/list.dep"
survives "a list of 200,000 strings" "$tmp/list.dep"

echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
