#!/bin/sh
# run.sh - `make bench`: time depc check and depc build on generated
# programs of N services, beside a Python/PyYAML generator of the same
# Kubernetes objects and the floor (cat of as many bytes as depc writes).
# Environment: DEPC (binary), BENCH_N (list of N), RUNS_SMALL, RUNS_LARGE.
set -u
here=$(cd "$(dirname "$0")" && pwd)
DEPC=${DEPC:-$here/../src/depc}
NS=${BENCH_N:-"100 1000 10000 50000"}
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
out=$here/results.md

now() { date +%s.%N; }
# median SECONDS of $1 runs of the command that follows
median() {
	runs=$1; shift; : > "$work/t"
	i=0; while [ $i -lt "$runs" ]; do
		rm -rf "$work/o"; s=$(now); "$@" >/dev/null 2>&1; e=$(now)
		echo "$e - $s" | bc -l >> "$work/t"; i=$((i + 1))
	done
	sort -n "$work/t" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
# peak RSS in MB of the command that follows
rss() { rm -rf "$work/o"; /usr/bin/time -f %M -o "$work/m" "$@" >/dev/null 2>&1; awk '{printf "%.1f", $1/1024}' "$work/m"; }
# instructions under callgrind, in millions
instr() {
	rm -rf "$work/o"
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected/ {printf "%.1f", $NF/1e6}'
}

{
echo "| N | input MB | check s | check MB | build s | build MB | build MB/s | out MB | cat s | python s | check Minstr | build Minstr |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$out"
for n in $NS; do
	prog=$work/p$n.dep
	"$here/gen-program" "$n" > "$prog"
	runs=${RUNS_SMALL:-5}; [ "$n" -gt 1000 ] && runs=${RUNS_LARGE:-3}
	in_mb=$(du -k "$prog" | awk '{printf "%.2f", $1/1024}')
	ct=$(median "$runs" "$DEPC" check "$prog"); cm=$(rss "$DEPC" check "$prog")
	bt=$(median "$runs" "$DEPC" build "$prog" -o "$work/o"); bm=$(rss "$DEPC" build "$prog" -o "$work/o")
	rm -rf "$work/o"; "$DEPC" build "$prog" -o "$work/o" >/dev/null 2>&1
	find "$work/o" -type f -exec cat {} + > "$work/all"
	out_mb=$(du -k "$work/all" | awk '{printf "%.2f", $1/1024}')
	tp=$(echo "$in_mb / $bt" | bc -l | awk '{printf "%.1f", $1}')
	catt=$(median "$runs" cat "$work/all")
	py=-; python3 -c 'import yaml' 2>/dev/null &&
		py=$(median "$runs" python3 "$here/k8s.py" "$n" "$work/py")
	ci=-; bi=-
	if [ "$n" -le 1000 ] && command -v valgrind >/dev/null; then
		ci=$(instr "$DEPC" check "$prog"); bi=$(instr "$DEPC" build "$prog" -o "$work/o")
	fi
	echo "| $n | $in_mb | $ct | $cm | $bt | $bm | $tp | $out_mb | $catt | $py | $ci | $bi |" >> "$out"
done
cat "$out"
