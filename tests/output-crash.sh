#!/bin/sh
# output-crash.sh - a rebuild killed (SIGKILL, no chance to clean up) at
# 20 random moments leaves DIR exactly the old tree or the new one, never
# a mixture; whatever it left beside DIR the next build removes.
#
# Two versions of a generated program of 300 services (every
# image tag differs between them) are built into DIR in turn; each
# rebuild toward the other version is killed (timeout -s KILL) after a
# random delay drawn beyond the length of a build, so kills land while
# files stream out, while DIR is read, at the exchange and during the
# old tree's removal, and some builds finish.  DEPC_CRASH_SERVICES and DEPC_CRASH_KILLS change the sizes.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || exit 2
DEPC=$(cd "$(dirname "$DEPC")" && pwd)/$(basename "$DEPC")
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-crash.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
services=${DEPC_CRASH_SERVICES:-300}
kills=${DEPC_CRASH_KILLS:-20}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
snapshot() { (cd "$1" && find . -type f -o -type l | LC_ALL=C sort | xargs sha256sum) 2>/dev/null | sha256sum; }
leftovers() { find "$work" -maxdepth 1 -name '.out.depc-*' | wc -l; }
now_ms() { date +%s%3N; }

mkdir -p "$work/.git"
sh "$srcdir/bench/gen-program" "$services" > "$work/v1.dep"
sed 's/^\( *version *= *\)"[^"]*"/\1"9.9.9"/' "$work/v1.dep" > "$work/v2.dep"
cmp -s "$work/v1.dep" "$work/v2.dep" && { echo "FAIL: the two versions are the same"; exit 1; }

# The two trees, and how long a rebuild takes.
"$DEPC" build "$work/v2.dep" -o "$work/out" 2>/dev/null || bad "building v2"
tree_v2=$(snapshot "$work/out")
start=$(now_ms)
"$DEPC" build "$work/v1.dep" -o "$work/out" 2>/dev/null || bad "rebuilding v1"
span=$(( $(now_ms) - start ))
tree_v1=$(snapshot "$work/out")
[ "$tree_v1" != "$tree_v2" ] || bad "v1 and v2 give the same tree"

# A kill moment in milliseconds, uniform over [0, 3 x span]: a build
# first removes what the killed one before it left, so builds vary in
# length; `timeout` ends the wait early when the build finishes first.
seed=${DEPC_CRASH_SEED:-$$}
moments=$(awk -v n="$kills" -v span="$span" -v seed="$seed" \
	'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d\n", rand() * span * 3 }')
have=v1 olds=0 news=0 most=0 hits=0
for ms in $moments; do
	want=$([ $have = v1 ] && echo v2 || echo v1)
	timeout -s KILL "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')" \
		"$DEPC" build "$work/$want.dep" -o "$work/out" 2>/dev/null
	[ $? -eq 137 ] && hits=$((hits + 1))
	now=$(snapshot "$work/out")
	if [ "$now" = "$tree_v1" ]; then
		have=v1
	elif [ "$now" = "$tree_v2" ]; then
		have=v2
	else
		bad "killed after ${ms} ms: DIR is neither the old tree nor the new one"
		break
	fi
	if [ $have = "$want" ]; then news=$((news + 1)); else olds=$((olds + 1)); fi
	n=$(leftovers)
	[ "$n" -gt "$most" ] && most=$n
done
[ $fail -eq 0 ] && ok
# Each build removes what earlier ones left, so they never pile up.
[ "$most" -le 2 ] && ok || bad "$most leftover directories at once"

# The next complete build cleans up and gives the tree it should.
"$DEPC" build "$work/v1.dep" -o "$work/out" 2>/dev/null
[ "$(snapshot "$work/out")" = "$tree_v1" ] && [ "$(leftovers)" -eq 0 ] && ok \
	|| bad "the build after the kills left $(leftovers) temporary directories or a wrong tree"
echo "output-crash: $kills rebuilds of $services services (${span} ms each), $hits killed part way" \
	"(seed $seed): $olds left the old tree, $news the new one; at most $most leftovers at once"
echo "output-crash: $pass passed, $fail failed"
[ $fail -eq 0 ]
