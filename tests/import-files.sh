#!/bin/sh
# import-files.sh - an import is read, and quoted in diagnostics, only
# when it is a .dep source.
#
# Each case imports something that is not one - a link to
# /proc/self/environ, to a credentials file or to /dev/zero, a FIFO, a
# directory, a .dep file with bytes that are not UTF-8, a NUL byte or an
# unterminated string - next to a secret text.  `depc check` must exit 1
# with E0222, end promptly (a FIFO must not be waited on), and print
# none of the secret, in text or JSON.  A link to a real .dep file still
# imports, and a .dep file with a syntax error is still quoted.
set -u
: "${DEPC:?DEPC must point at the depc binary}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/depc-import-files.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
cd "$tmp" || exit 2

limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 20"
pass=0 fail=0
secret=SECRET_d41d8cd98f00b204

printf '[default]\naws_secret_access_key = %s\n' "$secret" > credentials
ln -s credentials creds.dep
ln -s /proc/self/environ env.dep
ln -s /dev/zero zero.dep
mkfifo fifo.dep
mkdir dir.dep
printf 'template service a() {\n  image = "x\377 %s"\n}\n' "$secret" > latin1.dep
printf 'template service a() {\n  image = "x" \000 %s\n}\n' "$secret" > nul.dep
printf 'template service a() {\n  password = "%s\n}\n' "$secret" > open-string.dep
printf 'template service a() {\n  image = "x" %s )\n}\n' "$secret" > syntax.dep
mkdir real
cat > real/web.dep <<'DEP'
template service web() {
  image     = "nginx:1.25-alpine"
  port      = 8080
  health    { liveness = tcp() }
  resources { cpu = 100m  memory = 128Mi }
}
DEP
ln -s real/web.dep linked.dep

# check NAME WANT: runs depc check on a file importing NAME, with the
# secret in the environment too (as /proc/self/environ would show it).
check() {
	printf 'import "%s"\n' "$1" > "main-$1.dep"
	DEPC_TEST_SECRET=$secret $limit "$DEPC" check --color never "main-$1.dep" > out 2>&1
	status=$?
	DEPC_TEST_SECRET=$secret $limit "$DEPC" check --format json "main-$1.dep" > json 2>&1
}

refused() {
	check "$1"
	if [ "$status" -ne 1 ]; then
		echo "FAIL: $1: status $status, expected 1"; fail=$((fail + 1))
	elif ! grep -q 'error\[E0222\]' out || ! grep -q E0222 json; then
		echo "FAIL: $1: no E0222"; sed 's/^/    /' out | head -20; fail=$((fail + 1))
	elif grep -q "$secret" out json; then
		echo "FAIL: $1: the secret was printed"; fail=$((fail + 1))
	elif [ "$(grep -c 'error\[' out)" -ne 1 ]; then
		echo "FAIL: $1: more than the one error"; sed 's/^/    /' out | head -20; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

for name in creds env zero fifo dir latin1 nul open-string; do
	refused "$name"
done

# The reasons name what was found, never what it holds.
check env
grep -q "a file of the kernel's /proc" out || { echo "FAIL: env: reason"; fail=$((fail + 1)); }
check creds
grep -q "leads to '.*/credentials', whose name does not end in .dep" out ||
	{ echo "FAIL: creds: reason"; fail=$((fail + 1)); }
check open-string
grep -q "line 2: unterminated string literal" out ||
	{ echo "FAIL: open-string: reason"; fail=$((fail + 1)); }

# A link to a real .dep file imports as before.
check linked
if [ "$status" -eq 0 ]; then pass=$((pass + 1)); else
	echo "FAIL: linked: status $status"; sed 's/^/    /' out; fail=$((fail + 1)); fi

# A .dep file that scans is .dep source: its syntax error is shown in place.
check syntax
if [ "$status" -eq 1 ] && grep -q 'syntax.dep:2:.*error\[E0101\]' out && grep -q " 2 | " out; then
	pass=$((pass + 1))
else
	echo "FAIL: syntax: expected E0101 quoted in syntax.dep"; sed 's/^/    /' out; fail=$((fail + 1))
fi

echo "import-files: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
