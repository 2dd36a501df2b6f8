#!/bin/sh
# quickstart.sh - the README's quick-start command, taken from README.md
# itself, run as root in a bare Debian 12: `debootstrap --variant=minbase
# bookworm` into a directory (cached under $DEPC_TEST_CACHE, by default
# /var/cache/depc-test, and never changed: each run works on a copy), the
# source tree copied in, then chroot.  It must install what is missing,
# build depc and write the example's tree, which must hold the files of
# tests/golden/webapp and pass `depc build --check`.  Then the same as a
# user who has sudo, in a fresh copy of the tree.
#
# The Debian mirror is the one this machine's apt uses, read from
# /etc/apt/sources.list*.  Skipped (77) without root, debootstrap or
# chroot.  `make check-quickstart` runs it; .ci/run does.
set -u
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || exit 2
. "$srcdir/tests/need.sh"
need_cmd debootstrap chroot mount
[ "$(id -u)" = 0 ] || need_missing="$need_missing root(runs chroot)"
need_all

cache=${DEPC_TEST_CACHE:-/var/cache/depc-test}
start=$(date +%s)

# The first bookworm mirror of this machine's apt, one-line or deb822.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $(i + 1) == "bookworm") { print $i; exit } }')
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
		/^$/ { if (uri && suites ~ /(^| )bookworm( |$)/) { print uri; exit } uri = ""; suites = "" }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { suites = $0; sub(/^Suites: */, "", suites) }
		END { if (uri && suites ~ /(^| )bookworm( |$)/) print uri }' | head -1)
fi
if [ -z "$mirror" ]; then
	echo "FAIL: no bookworm mirror in /etc/apt/sources.list*"
	exit 1
fi

# The bare root, made once per machine; a run that stops halfway leaves
# only a .partial directory behind, never a half-made cache.
base="$cache/bookworm-minbase"
if [ ! -f "$base/.complete" ]; then
	echo "debootstrap --variant=minbase bookworm from $mirror"
	mkdir -p "$cache" && rm -rf "$base.partial" "$base" || exit 2
	if ! debootstrap --variant=minbase bookworm "$base.partial" "$mirror" > "$cache/debootstrap.log" 2>&1; then
		tail -20 "$cache/debootstrap.log"
		echo "FAIL: debootstrap"
		exit 1
	fi
	touch "$base.partial/.complete" && mv "$base.partial" "$base" || exit 2
fi
echo "bare root ready after $(( $(date +%s) - start ))s"

root=$(mktemp -d "${TMPDIR:-/tmp}/quickstart.XXXXXX") || exit 2
mounted=""
cleanup() {
	for m in $mounted; do umount -l "$m" 2>/dev/null; done
	rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM
cp -a "$base/." "$root/" || exit 2
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
for fs in proc dev sys; do
	mount --bind "/$fs" "$root/$fs" && mounted="$root/$fs $mounted"
done
# Downloaded packages are kept for the next run (not the installed ones).
mkdir -p "$cache/archives/partial"
mount --bind "$cache/archives" "$root/var/cache/apt/archives" &&
	mounted="$root/var/cache/apt/archives $mounted"

# The source tree as a clone has it: the files git tracks (their working
# copies), or the whole tree of a release tarball.
mkdir -p "$root/root/depc"
if git -C "$srcdir" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	(cd "$srcdir" && git ls-files -z | xargs -0 cp --parents -a -t "$root/root/depc") || exit 2
else
	cp -a "$srcdir/." "$root/root/depc/" || exit 2
fi
cp -a "$root/root/depc" "$root/root/depc.clean" || exit 2

# The command: the first ```sh block under "## Quick start".
command=$(awk '/^## Quick start/ { on = 1; next } on && /^```sh$/ { code = 1; next }
	code && /^```$/ { exit } code { print }' "$srcdir/README.md")
if [ -z "$command" ]; then
	echo "FAIL: no quick-start command in README.md"
	exit 1
fi
# run USER: the command in a copy of the tree in USER's home, as USER.
run() {
	home=/root
	[ "$1" = root ] || home=/home/$1
	if ! chroot --userspec="$1:$1" "$root" /usr/bin/env -i HOME="$home" \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		/bin/sh -c "cd $home/depc && $command" > "$root.log" 2>&1; then
		tail -30 "$root.log"; rm -f "$root.log"
		echo "FAIL: the quick start failed as $1 (last lines above)"
		exit 1
	fi
	rm -f "$root.log"
	(cd "$srcdir/tests/golden/webapp" && find . -type f | sort) > "$root/want"
	(cd "$root$home/depc/out" && find . -type f | sort) > "$root/got"
	if ! diff -u "$root/want" "$root/got"; then
		echo "FAIL: as $1, out/ does not hold the files of tests/golden/webapp (above)"
		exit 1
	fi
	if ! chroot --userspec="$1:$1" "$root" /bin/sh -c \
		"cd $home/depc && src/depc build --check examples/webapp.dep -o out/"; then
		echo "FAIL: as $1, depc build --check on the quick start's tree"
		exit 1
	fi
	echo "as $1: done after $(( $(date +%s) - start ))s"
}

echo "running, as root in the bare root: $command"
run root

# Then as a user who may use sudo, in a fresh copy of the tree (the
# packages are installed by now, so this checks the sudo path and the
# build as that user).
chroot "$root" /bin/sh -c 'apt-get install -y -qq sudo > /dev/null &&
	useradd -m dev && echo "dev ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/dev' || {
	echo "FAIL: cannot make a sudo user in the bare root"; exit 1; }
mkdir -p "$root/home/dev/depc"
cp -a "$root/root/depc.clean/." "$root/home/dev/depc/" || exit 2
chroot "$root" chown -R dev:dev /home/dev/depc || exit 2
run dev
echo "quickstart: $(( $(date +%s) - start ))s in all"
