#!/bin/sh
# output-paths.sh - `-o DIR` spelled any way, and output that depends only
# on where things are, not on how they were named.
#
# 1. One output directory written through a dozen spellings (trailing
#    slashes, '.', absolute, '..'-relative, from another directory, an
#    existing directory, a symbolic link to it, missing parents) gives
#    the same files with the same bytes each time, directories 0755 and
#    files 0644 under umask 022, and nothing left beside it.
# 2. One source built from two current directories, through two
#    spellings of its path and in two copies of the repository at other
#    absolute places gives byte-identical trees, and `build --check`
#    accepts each tree from the other builds.
# 3. What cannot work says why in the user's terms.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || exit 2
DEPC=$(cd "$(dirname "$DEPC")" && pwd)/$(basename "$DEPC")
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-paths.XXXXXX") || exit 2
work=$(cd "$work" && pwd -P)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
umask 022
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# Every file and link with its bytes, every directory with its mode.
snapshot() {
	(cd "$1" && find . -type f -o -type l | LC_ALL=C sort | xargs sha256sum &&
	 find . -type d -printf '%m %p\n' -o -type f -printf '%m %p\n' | LC_ALL=C sort)
}

repo=$work/repo
mkdir -p "$repo/.git" "$work/elsewhere"
cp "$srcdir/examples/webapp.dep" "$repo/app.dep"
(cd "$repo" && "$DEPC" build app.dep -o deploy 2>/dev/null) || bad "reference build"
ref=$(snapshot "$repo/deploy")
[ "$(stat -c %a "$repo/deploy")" = 755 ] && [ "$(stat -c %a "$repo/deploy/web/Dockerfile")" = 644 ] \
	&& ok || bad "modes under umask 022: $(stat -c %a "$repo/deploy")"
mv "$repo/deploy" "$work/reference"

# spelling: "cwd|args": the build runs in cwd (relative to $work); an
# existing empty deploy/ is made first for the spellings marked 'mkdir'.
check_spelling() {
	how=$1 cwd=$2 pre=$3
	shift 3
	rm -rf "$repo/deploy" "$work/link"
	case $pre in
	mkdir) mkdir "$repo/deploy" ;;
	link) mkdir "$repo/deploy" && ln -s "$repo/deploy" "$work/link" ;;
	esac
	if ! (cd "$work/$cwd" && "$DEPC" build "$@" 2>"$work/err"); then
		bad "$how: build failed: $(cat "$work/err")"
		return
	fi
	[ "$(snapshot "$repo/deploy")" = "$(snapshot "$work/reference")" ] && ok \
		|| bad "$how: a different tree"
	ls -A "$repo" "$work" | grep -q '\.depc-' && bad "$how: a temporary directory was left" || ok
}
check_spelling "plain" repo - app.dep -o deploy
check_spelling "trailing slash" repo - app.dep -o deploy/
check_spelling "./ and doubled slashes" repo - ./app.dep -o ./deploy//
check_spelling "absolute" repo - "$repo/app.dep" -o "$repo/deploy"
check_spelling "..-relative" repo - ../repo/app.dep -o ../repo/deploy/
check_spelling "from another directory" elsewhere - ../repo/app.dep -o ../repo/deploy
check_spelling "an existing directory" repo mkdir app.dep -o deploy
check_spelling "'.' inside it" repo/deploy mkdir ../app.dep -o .
check_spelling "'.' with a trailing slash" repo/deploy mkdir ../app.dep -o ./
check_spelling "a symbolic link to it" elsewhere link ../repo/app.dep -o ../link
check_spelling "a symbolic link with a slash" repo link app.dep -o "$work/link/"
[ -L "$work/link" ] && ok || bad "the symbolic link itself was replaced"
check_spelling "a/../ in the path" elsewhere - "$repo/.git/../app.dep" -o "$repo/x/../deploy"

# Missing parents are made, like mkdir -p, with the usual mode.
(cd "$repo" && "$DEPC" build app.dep -o gen/a/b/deploy 2>/dev/null)
ref_nested=$(snapshot "$repo/gen/a/b/deploy")
rm -rf "$repo/gen"
(cd "$work/elsewhere" && "$DEPC" build ../repo/app.dep -o "$repo/gen/a/b/deploy/" 2>"$work/err")
[ $? -eq 0 ] && [ "$(snapshot "$repo/gen/a/b/deploy")" = "$ref_nested" ] \
	&& [ "$(stat -c %a "$repo/gen/a")" = 755 ] && ok || bad "missing parents: $(cat "$work/err")"
rm -rf "$repo/gen"

# --- reproducible -----------------------------------------------------------
# The issue's case: deep/x/orders.dep built from the repository root and
# from its own directory, the output beside it both times.
mkdir -p "$repo/deep/x"
cp "$srcdir/examples/webapp.dep" "$repo/deep/x/orders.dep"
(cd "$repo" && "$DEPC" build deep/x/orders.dep -o deep/x/out 2>/dev/null)
cp -r "$repo/deep/x/out" "$work/from-root"
rm -rf "$repo/deep/x/out"
(cd "$repo/deep/x" && "$DEPC" build orders.dep -o out/ 2>/dev/null)
diff -r "$work/from-root" "$repo/deep/x/out" >/dev/null && ok \
	|| bad "deep/x/orders.dep from the root and from deep/x differ"
(cd "$work/elsewhere" && "$DEPC" build --check "$repo/deep/x/orders.dep" -o "$repo/deep/x/out" 2>"$work/err") \
	&& ok || bad "--check from another directory: $(cat "$work/err")"
grep -rq "$work" "$repo/deep/x/out" && bad "an absolute path reached the output" || ok

# A second copy of the repository elsewhere, as on another machine.
mkdir -p "$work/other/place"
cp -r "$repo" "$work/other/place/repo"
(cd "$work/other/place/repo/deep/x" && "$DEPC" build ./orders.dep -o ../x/out 2>/dev/null)
diff -r "$work/from-root" "$work/other/place/repo/deep/x/out" >/dev/null && ok \
	|| bad "a copy of the repository at another place gives other bytes"
rm -rf "$work/other/place/repo/deep/x/out" && cp -r "$work/from-root" "$work/other/place/repo/deep/x/out"
(cd "$work/other/place/repo" && "$DEPC" build --check deep/x/orders.dep -o deep/x/out 2>"$work/err") \
	&& ok || bad "--check on a tree built in another copy: $(cat "$work/err")"

# The recommended layout: the workflow in the repository's
# .github/workflows; --check passes on a checkout at another place, as
# in CI.
(cd "$repo" && "$DEPC" build app.dep -o deploy --workflow-dir .github/workflows 2>"$work/err") \
	&& [ -f "$repo/.github/workflows/myapp.yml" ] && ok || bad "the recommended layout: $(cat "$work/err")"
mkdir -p "$work/ci/runner/work" && cp -r "$repo" "$work/ci/runner/work/repo"
(cd "$work/ci/runner/work/repo" && "$DEPC" build --check app.dep -o deploy --workflow-dir .github/workflows \
	2>"$work/err") && ok || bad "--check in a CI checkout: $(cat "$work/err")"

# --- what cannot work ----------------------------------------------------------
echo "a file" > "$work/afile"
"$DEPC" build "$repo/app.dep" -o "$work/afile/" 2>"$work/err"
[ $? -eq 2 ] && grep -q "'$work/afile/' exists and is a file, not a directory" "$work/err" \
	&& [ "$(cat "$work/afile")" = "a file" ] && ok || bad "DIR is a file: $(cat "$work/err")"
"$DEPC" build "$repo/app.dep" -o "$work/afile/sub" 2>"$work/err"
[ $? -eq 2 ] && grep -q "cannot create directory '$work/afile'" "$work/err" && ok \
	|| bad "a parent is a file: $(cat "$work/err")"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$work/locked" && chmod 555 "$work/locked"
	"$DEPC" build "$repo/app.dep" -o "$work/locked/out" 2>"$work/err"
	[ $? -eq 2 ] && grep -q "cannot create the output directory '$work/locked/out': cannot write in '$work/locked'" "$work/err" \
		&& ok || bad "parent not writable: $(cat "$work/err")"
else
	echo "SKIP: (one case) a parent that is not writable: running as root, which may write anywhere"
fi

# The repository itself is not an output directory: the commit would
# replace it, .git and all.
(cd "$repo" && "$DEPC" build app.dep -o . 2>"$work/err")
[ $? -eq 2 ] && grep -q "refusing to use '.' as the output directory: it holds the repository '$repo'" "$work/err" \
	&& [ -d "$repo/.git" ] && [ -f "$repo/app.dep" ] && ok || bad "-o . at the repository root: $(cat "$work/err")"

# The output outside the repository, and a workflow where GitHub never
# looks, are said, each with its code and the fix.
(cd "$repo" && "$DEPC" build app.dep -o "$work/outside" 2>"$work/err")
grep -qx "depc: warning\[W0075\]: '$work/outside' is outside '$repo', the repository .*" "$work/err" \
	&& grep -q "help: choose an output directory inside '$repo', such as '$repo/deploy'" "$work/err" \
	&& ok || bad "no W0075 for DIR outside the repository: $(cat "$work/err")"
grep -qx "depc: warning\[W0076\]: the workflow myapp.yml is not in '$repo/.github/workflows', where GitHub runs workflows" "$work/err" \
	&& grep -q "help: build with --workflow-dir '$repo/.github/workflows' to put it there" "$work/err" \
	&& ok || bad "no W0076 for a workflow GitHub does not run: $(cat "$work/err")"
# They are coloured as check's diagnostics are, when asked or on a
# terminal, and plain otherwise.
esc=$(printf '\033')
(cd "$repo" && "$DEPC" build app.dep -o "$work/outside" --color always 2>"$work/err")
grep -q "^depc: ${esc}\[1;33mwarning\[W0076\]${esc}\[0m: " "$work/err" \
	&& ok || bad "build's warnings not coloured with --color always: $(cat -v "$work/err")"
(cd "$repo" && "$DEPC" build app.dep -o "$work/outside" --color never 2>"$work/err")
! grep -q "$esc" "$work/err" && grep -q "warning\[W0076\]" "$work/err" \
	&& ok || bad "build's warnings coloured with --color never: $(cat -v "$work/err")"
# A source with no .git above it: W0075 names the source's directory
# as such, not as a repository.  (Skipped where the temporary directory
# itself lies in a repository.)
mkdir "$work/loose" && cp "$srcdir/examples/webapp.dep" "$work/loose/app.dep"
d=$work/loose
while [ "$d" != / ] && [ ! -e "$d/.git" ]; do d=$(dirname "$d"); done
if [ ! -e "$d/.git" ]; then
	(cd "$work/loose" && "$DEPC" build app.dep -o "$work/outside2" 2>"$work/err")
	grep -qx "depc: warning\[W0075\]: '$work/outside2' is outside '$work/loose', the directory of the source (no directory above it has .git): .*" "$work/err" \
		&& ok || bad "W0075 without a repository: $(cat "$work/err")"
else
	echo "SKIP: (one case) W0075 without a repository: '$d' holds .git above the temporary directory"
fi
# Inside the repository with --workflow-dir there, neither is said.
(cd "$repo" && "$DEPC" build app.dep -o deploy --workflow-dir .github/workflows 2>"$work/err")
[ ! -s "$work/err" ] && ok || bad "warnings for a tree where it belongs: $(cat "$work/err")"

echo "output-paths: $pass passed, $fail failed"
[ $fail -eq 0 ]
