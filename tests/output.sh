#!/bin/sh
# output.sh - the output writer's promises, through the command line:
# builds are deterministic; a failed build leaves -o DIR byte-identical;
# a rebuild removes files depc no longer makes but never a file it did
# not write, keeps the user's files (the same files, not copies), and
# refuses to overwrite a hand edit unless --force; leftovers of an
# interrupted build are removed; the workflow can go to its own
# directory; names cannot climb out of DIR; --check reports staleness.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
DEPC=$(cd "$(dirname "$DEPC")" && pwd)/$(basename "$DEPC")
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

# A generated file edited by hand is never overwritten silently: the
# rebuild refuses, naming it, and changes nothing; --force overwrites.
"$DEPC" build "$app" -o "$work/h" 2>/dev/null
echo "# my edit" >> "$work/h/compose.yaml"
echo "# mine too" >> "$work/h/web/Dockerfile"
before=$(snapshot "$work/h")
"$DEPC" build "$app" -o "$work/h" 2>"$work/err"
[ $? -eq 2 ] && grep -q "refusing to overwrite files edited by hand since depc wrote them: '$work/h/compose.yaml', '$work/h/web/Dockerfile'" "$work/err" \
	&& grep -q "is unchanged" "$work/err" && [ "$(snapshot "$work/h")" = "$before" ] && ok \
	|| bad "a hand edit was not refused: $(cat "$work/err")"
"$DEPC" build --force "$app" -o "$work/h" 2>/dev/null && ! grep -q "my edit" "$work/h/compose.yaml" \
	&& "$DEPC" build --check "$app" -o "$work/h" 2>/dev/null && ok || bad "--force did not overwrite the edits"
# A rebuild over the tree --force wrote is not refused.
"$DEPC" build "$app" -o "$work/h" 2>/dev/null && ok || bad "a rebuild of an unedited tree was refused"

# The user's files in DIR - the secrets Compose reads, notes, an empty
# directory, a link - are carried into the new tree as themselves (the
# same inode), and a generated file under a user's directory is fine.
mkdir -p "$work/h/secrets" "$work/h/empty" && echo s3cret > "$work/h/secrets/db_password"
chmod 600 "$work/h/secrets/db_password" && ln -s compose.yaml "$work/h/alias"
inode=$(stat -c %i "$work/h/secrets/db_password")
"$DEPC" build "$app" -o "$work/h" 2>/dev/null
[ "$(stat -c %i "$work/h/secrets/db_password")" = "$inode" ] && [ -d "$work/h/empty" ] \
	&& [ "$(readlink "$work/h/alias")" = compose.yaml ] \
	&& [ "$(stat -c %a "$work/h/secrets/db_password")" = 600 ] && ok || bad "user files not carried over"

# A leftover of an interrupted build beside DIR is removed by the next
# build; one whose build still runs (it holds the lock) is not.
mkdir -p "$work/.h.depc-AbC123/k8s" && echo x > "$work/.h.depc-AbC123/k8s/a.yaml"
mkdir "$work/.h.depc-Busy01"
flock "$work/.h.depc-Busy01" sleep 3 & holder=$!
sleep 0.3
"$DEPC" build "$app" -o "$work/h" 2>/dev/null
[ ! -e "$work/.h.depc-AbC123" ] && [ -d "$work/.h.depc-Busy01" ] && ok || bad "leftover handling"
kill $holder 2>/dev/null; wait $holder 2>/dev/null; rmdir "$work/.h.depc-Busy01"

# A deep directory of the user's (past the depth the old tree's removal
# holds descriptors for) and a symbolic link into it are carried over
# whole; the old tree, deep parts and all, leaves nothing beside DIR.
deep=deep; i=0; while [ $i -lt 40 ]; do deep=$deep/d; i=$((i + 1)); done
mkdir -p "$work/h/$deep" && echo keep > "$work/h/$deep/file"
ln -s "$deep" "$work/h/deeplink"
"$DEPC" build "$app" -o "$work/h" 2>/dev/null && "$DEPC" build "$app" -o "$work/h" 2>/dev/null
[ "$(cat "$work/h/$deep/file")" = keep ] && [ "$(readlink "$work/h/deeplink")" = "$deep" ] \
	&& [ -z "$(find "$work" -maxdepth 1 -name '.h.depc-*')" ] && ok \
	|| bad "deep user directory lost, or the old tree left beside DIR"

# --workflow-dir: the workflow goes there, the manifest records it, a
# hand edit there is refused too, and --check looks there.
mkdir -p "$work/r/.git" && cp "$app" "$work/r/app.dep"
(cd "$work/r" && "$DEPC" build app.dep -o deploy --workflow-dir .github/workflows 2>"$work/err")
[ -f "$work/r/.github/workflows/myapp.yml" ] && [ ! -e "$work/r/deploy/.github" ] \
	&& grep -q '^#external [0-9a-f]* ../.github/workflows/myapp.yml$' "$work/r/deploy/.depc-manifest" \
	&& ! grep -q "warning" "$work/err" && ok || bad "--workflow-dir: $(cat "$work/err")"
(cd "$work/r" && "$DEPC" build --check app.dep -o deploy --workflow-dir .github/workflows) && ok \
	|| bad "--check with --workflow-dir"
echo "# edit" >> "$work/r/.github/workflows/myapp.yml"
(cd "$work/r" && "$DEPC" build app.dep -o deploy --workflow-dir .github/workflows 2>"$work/err")
[ $? -eq 2 ] && grep -q "'.github/workflows/myapp.yml'" "$work/err" && ok || bad "edited workflow overwritten"
echo "name: theirs" > "$work/r/.github/workflows/myapp.yml" && sed -i '/^#external/d' "$work/r/deploy/.depc-manifest"
(cd "$work/r" && "$DEPC" build app.dep -o deploy --workflow-dir .github/workflows 2>"$work/err")
[ $? -eq 2 ] && grep -q "refusing to replace '.github/workflows/myapp.yml': depc did not write it" "$work/err" \
	&& [ "$(cat "$work/r/.github/workflows/myapp.yml")" = "name: theirs" ] && ok || bad "foreign workflow replaced"
rm "$work/r/.github/workflows/myapp.yml"
# A staged workflow a killed build left beside its place is removed.
echo "half" > "$work/r/.github/workflows/.myapp.yml.depc-Xy12Ab"
(cd "$work/r" && "$DEPC" build app.dep -o deploy --workflow-dir .github/workflows 2>/dev/null &&
	"$DEPC" build app.dep --target compose -o deploy --workflow-dir .github/workflows 2>/dev/null)
[ ! -e "$work/r/.github/workflows/myapp.yml" ] && ok || bad "a workflow no longer made was not removed"
[ -z "$(ls -A "$work/r/.github/workflows")" ] && ok || bad "a staged workflow was left: $(ls -A "$work/r/.github/workflows")"

# -o - prints one target; several targets to stdout is a usage error.
"$DEPC" build "$app" -o - --target compose | grep -q '^services:' && ok || bad "-o - --target compose"
"$DEPC" build "$app" -o - 2>/dev/null; [ $? -eq 2 ] && ok || bad "-o - without one target"
"$DEPC" build "$app" -o - --target compse 2>"$work/err"
[ $? -eq 2 ] && grep -q "did you mean 'compose'" "$work/err" && ok || bad "unknown target message"

echo "output: $pass passed, $fail failed"
[ $fail -eq 0 ]
