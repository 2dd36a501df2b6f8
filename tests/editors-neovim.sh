#!/bin/sh
# editors-neovim.sh - the Neovim setup of editors/neovim in a headless
# Neovim (Debian's neovim, 0.7 or later) on a copy of examples/webapp.dep:
# tests/editors/neovim-test.lua checks that the file is coloured, that
# diagnostics arrive, that completion answers and that go to definition
# works, within the file and into the standard library.
set -u
: "${DEPC:?DEPC must name the depc binary}"
: "${srcdir:=.}"
if ! command -v nvim >/dev/null 2>&1; then
	echo "SKIP: nvim not installed (Debian package neovim)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvim.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
cp "$srcdir/examples/webapp.dep" "$tmp/webapp.dep" || exit 99
# A home of its own: no user configuration, shada or swap files.
HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state \
XDG_CACHE_HOME=$tmp/cache DEPC=$(abs "$DEPC") EDITORS=$(abs "$srcdir/editors") \
DEP=$tmp/webapp.dep OUT=$tmp/result \
	timeout 60 nvim --headless -u NONE -i NONE -n \
	-c "luafile $(abs "$srcdir/tests/editors/neovim-test.lua")" > "$tmp/nvim.log" 2>&1
status=$?
cat "$tmp/result" 2>/dev/null
if [ $status -ne 0 ] || [ ! -s "$tmp/result" ] || grep -q '^FAIL' "$tmp/result" ||
   [ "$(grep -c '^ok' "$tmp/result")" -ne 8 ]; then
	cat "$tmp/nvim.log"
	echo "FAIL: neovim (exit status $status)"
	exit 1
fi
