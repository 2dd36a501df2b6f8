#!/bin/sh
# output.sh - the output writer's promises, through the command line:
# builds are deterministic; a failed build leaves -o DIR byte-identical;
# a rebuild removes files depc no longer makes but never a file it did
# not write; names cannot climb out of DIR; --check reports staleness.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-output.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
snapshot() { (cd "$1" && find . -type f -o -type l | LC_ALL=C sort | xargs sha256sum) 2>/dev/null; }

app=examples/webapp.dep

# Deterministic: building twice into the same place gives the same bytes.
"$DEPC" build "$app" -o "$work/a" 2>/dev/null && cp -r "$work/a" "$work/first" &&
	"$DEPC" build "$app" -o "$work/a" 2>/dev/null
if diff -r "$work/first" "$work/a" >/dev/null; then ok; else bad "two builds differ"; fi

# A build with an error leaves an existing directory exactly as it was.
printf 'service web {\n  port = 70000\n}\n' > "$work/broken.dep"
before=$(snapshot "$work/a")
"$DEPC" build "$work/broken.dep" -o "$work/a" 2>/dev/null
[ $? -eq 1 ] && [ "$(snapshot "$work/a")" = "$before" ] && ok || bad "failed build touched DIR"

# A write failing part-way (injected) leaves it exactly as it was too,
# and leaves no temporary directory behind.
echo "hand-written" > "$work/a/NOTES.txt"
before=$(snapshot "$work/a")
DEPC_FAIL_WRITE=3 "$DEPC" build "$app" -o "$work/a" 2>/dev/null
status=$?
[ $status -eq 2 ] && [ "$(snapshot "$work/a")" = "$before" ] && ok \
	|| bad "injected write failure (exit $status) touched DIR"
ls -a "$work" | grep -q 'depc-' && bad "temporary directory left behind" || ok

# Files are streamed into the temporary directory while the backends
# run: a failure at the first file, in the middle, at the last or at the
# manifest (the last write; $files counts it) leaves
# no DIR and no temporary directory.
files=$(find "$work/first" -type f | wc -l)
for n in 1 2 $((files / 2)) $((files - 1)) $files; do
	DEPC_FAIL_WRITE=$n "$DEPC" build "$app" -o "$work/new$n" 2>/dev/null
	status=$?
	[ $status -eq 2 ] && [ ! -e "$work/new$n" ] && ok \
		|| bad "injected failure at write $n (exit $status) left $work/new$n"
done
ls -a "$work" | grep -q 'depc-' && bad "temporary directory left behind by streaming" || ok

# Interrupted (SIGINT) while files stream out, at the first file or part
# way: the process ends by the signal, leaving no DIR and no temporary
# directory; an existing DIR is left exactly as it was.
for n in 1 $((files / 2)); do
	DEPC_SIGNAL_AT=$n "$DEPC" build "$app" -o "$work/int$n" 2>"$work/err"
	status=$?
	[ $status -eq 130 ] && [ ! -e "$work/int$n" ] && grep -q interrupted "$work/err" && ok \
		|| bad "interrupted at file $n (exit $status) left $work/int$n"
done
before=$(snapshot "$work/a")
DEPC_SIGNAL_AT=3 "$DEPC" build "$app" -o "$work/a" 2>/dev/null
[ $? -eq 130 ] && [ "$(snapshot "$work/a")" = "$before" ] && ok || bad "interrupted rebuild touched DIR"
ls -a "$work" | grep -q 'depc-' && bad "temporary directory left behind by an interrupt" || ok

# A rebuild keeps files depc did not write, and refuses to replace one.
"$DEPC" build "$app" -o "$work/a" 2>/dev/null && [ -f "$work/a/NOTES.txt" ] && ok \
	|| bad "rebuild removed a file depc did not write"
rm -rf "$work/c" && mkdir -p "$work/c" && echo "mine" > "$work/c/compose.yaml"
"$DEPC" build "$app" -o "$work/c" 2>"$work/err"
[ $? -eq 2 ] && grep -q "refusing to replace" "$work/err" && [ "$(cat "$work/c/compose.yaml")" = mine ] \
	&& ok || bad "replaced a compose.yaml depc did not write"

# Files no longer generated are removed; hand-edited ones are kept.
"$DEPC" build "$app" -o "$work/d" 2>/dev/null
"$DEPC" build "$app" --target compose -o "$work/d" 2>/dev/null
[ ! -e "$work/d/web/Dockerfile" ] && [ -f "$work/d/compose.yaml" ] && ok \
	|| bad "stale Dockerfile was not removed"

# --check: clean directory exits 0; an edit exits 1 and names the file.
"$DEPC" build "$app" -o "$work/e" 2>/dev/null
"$DEPC" build --check "$app" -o "$work/e" 2>/dev/null && ok || bad "--check on a fresh build"
echo "# edit" >> "$work/e/compose.yaml"
"$DEPC" build --check "$app" -o "$work/e" 2>"$work/err"
[ $? -eq 1 ] && grep -q "compose.yaml" "$work/err" && ok || bad "--check missed a hand edit"

# Names cannot climb out: the checker rejects them before any backend.
for name in '../../etc' '/etc' 'a/b'; do
	printf 'service "%s" {\n  image = "nginx:1.27"\n}\n' "$name" > "$work/climb.dep"
	"$DEPC" build "$work/climb.dep" -o "$work/f" 2>/dev/null
	[ $? -eq 1 ] && [ ! -e "$work/f" ] && ok || bad "service name '$name' was not rejected"
done
printf 'monitor {\n  dashboard "../../../etc/passwd" {\n    panel "p" { query = "up" }\n  }\n}\n' > "$work/dash.dep"
"$DEPC" build "$work/dash.dep" -o "$work/g" --target docker 2>/dev/null
[ ! -e "$work/etc" ] && ok || bad "a dashboard title climbed out of DIR"

# A planted manifest of many short lines is read without overflowing.
"$DEPC" build "$app" -o "$work/m" 2>/dev/null
awk 'BEGIN { for (i = 0; i < 300000; i++) print "0 f" i }' > "$work/m/.depc-manifest"
"$DEPC" build "$app" -o "$work/m" 2>/dev/null
status=$?
[ $status -eq 0 ] || [ $status -eq 2 ] && ok || bad "a manifest of short lines (exit $status)"

# A file the manifest names behind a symbolic link to a directory outside
# DIR is never deleted, even when its hash is the one depc recorded.
"$DEPC" build "$app" -o "$work/s" 2>/dev/null
mkdir -p "$work/victim" && cp "$work/s/compose.yaml" "$work/victim/"
ln -s "$work/victim" "$work/s/link"
awk '$2 == "compose.yaml" { print $1 " link/compose.yaml" }' "$work/s/.depc-manifest" \
	>> "$work/s/.depc-manifest"
"$DEPC" build "$app" -o "$work/s" 2>"$work/err"
[ -f "$work/victim/compose.yaml" ] && grep -q "is not a plain directory" "$work/err" && ok \
	|| bad "a build deleted a file through a symbolic link, or did not say why it kept it"

# -o - prints one target; several targets to stdout is a usage error.
"$DEPC" build "$app" -o - --target compose | grep -q '^services:' && ok || bad "-o - --target compose"
"$DEPC" build "$app" -o - 2>/dev/null; [ $? -eq 2 ] && ok || bad "-o - without one target"
"$DEPC" build "$app" -o - --target compse 2>"$work/err"
[ $? -eq 2 ] && grep -q "did you mean 'compose'" "$work/err" && ok || bad "unknown target message"

echo "output: $pass passed, $fail failed"
[ $fail -eq 0 ]
