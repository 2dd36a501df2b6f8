#!/bin/sh
# run.sh - `make bench`: time depc check, depc build and the language
# server on generated programs of N services, beside the tools users pick
# today for the Kubernetes part (jsonnet, a Python/PyYAML script) and the
# floor: `cp -r` of the very tree depc wrote (the same files and bytes).
# Environment: DEPC (binary), BENCH_N (list of N), RUNS_SMALL, RUNS_LARGE.
# A tool that is missing gives "-" in its column (jsonnet, python3-yaml,
# node, valgrind).  Above N = 1000 the other tools run once, and above
# N = 10000 not at all (jsonnet alone would take many minutes).
set -u
here=$(cd "$(dirname "$0")" && pwd)
DEPC=${DEPC:-$here/../src/depc}
NS=${BENCH_N:-"100 1000 10000 50000"}
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
out=$here/results.md

now() { date +%s.%N; }
# median SECONDS of $1 runs of the command that follows; $work/o and
# $work/c are emptied before each run
median() {
	runs=$1; shift; : > "$work/t"
	i=0; while [ $i -lt "$runs" ]; do
		rm -rf "$work/o" "$work/c"; s=$(now); "$@" >/dev/null 2>&1; e=$(now)
		echo "$e - $s" | bc -l >> "$work/t"; i=$((i + 1))
	done
	sort -n "$work/t" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
# peak RSS in MB of the command that follows
rss() { rm -rf "$work/o"; /usr/bin/time -f %M -o "$work/m" "$@" >/dev/null 2>&1; awk '{printf "%.0f", $1/1024}' "$work/m"; }
# instructions under callgrind, in millions
instr() {
	rm -rf "$work/o"
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected/ {printf "%.0f", $NF/1e6}'
}
ratio() { echo "$1 / $2" | bc -l | awk '{printf "%.2f", $1}'; }

{
echo "| N | input MB | check s | check MB | build s | build MB | files | out MB | floor s | build/floor | depc k8s s | jsonnet s | python s | lsp open s | check Minstr | build Minstr |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$out"
for n in $NS; do
	prog=$work/p$n.dep
	"$here/gen-program" "$n" > "$prog"
	runs=${RUNS_SMALL:-5}; [ "$n" -gt 10000 ] && runs=${RUNS_LARGE:-5}
	in_mb=$(du -k "$prog" | awk '{printf "%.2f", $1/1024}')
	ct=$(median "$runs" "$DEPC" check "$prog"); cm=$(rss "$DEPC" check "$prog")
	bt=$(median "$runs" "$DEPC" build "$prog" -o "$work/o"); bm=$(rss "$DEPC" build "$prog" -o "$work/o")
	rm -rf "$work/tree"; "$DEPC" build "$prog" -o "$work/tree" >/dev/null 2>&1
	files=$(find "$work/tree" -type f | wc -l)
	out_mb=$(find "$work/tree" -type f -exec cat {} + | wc -c | awk '{printf "%.1f", $1/1048576}')
	floor=$(median "$runs" cp -r "$work/tree" "$work/c")
	kt=$(median "$runs" "$DEPC" build "$prog" --target k8s -o "$work/o")
	others=$runs; [ "$n" -gt 1000 ] && others=1
	js=-; py=-
	if [ "$n" -le 10000 ]; then
		command -v jsonnet >/dev/null &&
			js=$(median "$others" sh -c 'mkdir -p "$1" && jsonnet -m "$1" --ext-code n="$2" "$3"' \
				sh "$work/o" "$n" "$here/k8s.jsonnet")
		python3 -c 'import yaml' 2>/dev/null &&
			py=$(median "$others" python3 "$here/k8s.py" "$n" "$work/o")
	fi
	lsp=-; command -v node >/dev/null && lsp=$(node "$here/lsp-open.mjs" "$DEPC" "$prog" "$runs")
	ci=-; bi=-
	if [ "$n" -le 1000 ] && command -v valgrind >/dev/null; then
		ci=$(instr "$DEPC" check "$prog"); bi=$(instr "$DEPC" build "$prog" -o "$work/o")
	fi
	echo "| $n | $in_mb | $ct | $cm | $bt | $bm | $files | $out_mb | $floor | $(ratio "$bt" "$floor") | $kt | $js | $py | $lsp | $ci | $bi |" >> "$out"
done
cat "$out"

# A rebuild into the existing DIR against a fresh build into none, both
# median of RUNS_REBUILD runs: the same program again, and a version bump
# (the app's version alternates, so each build changes the files that
# carry the image tag and reuses the rest).  A fresh build's DIR is
# removed before the clock starts; a rebuild removes the old tree itself.
rebuild_once() { # PROGRAM VERSION-FILE: build with the version not in effect
	if cmp -s "$1" "$2.a"; then cp "$2.b" "$1"; else cp "$2.a" "$1"; fi
	"$DEPC" build "$1" -o "$work/r"
}
kept() { # median of $1 runs of the command that follows, DIR kept
	runs=$1; shift; : > "$work/t"
	i=0; while [ $i -lt "$runs" ]; do
		s=$(now); "$@" >/dev/null 2>&1; e=$(now)
		echo "$e - $s" | bc -l >> "$work/t"; i=$((i + 1))
	done
	sort -n "$work/t" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}
{
echo
echo "| N | files | fresh s | rebuild, same program s | ratio | rebuild, version bump s | ratio |"
echo "|---|---|---|---|---|---|---|"
} >> "$out"
for n in ${BENCH_REBUILD_N:-1000 5000}; do
	runs=${RUNS_REBUILD:-5}
	prog=$work/r$n.dep
	"$here/gen-program" "$n" > "$work/v.a"
	sed 's/^\( *version *= *\)"[^"]*"/\1"9.9.9"/' "$work/v.a" > "$work/v.b"
	cp "$work/v.a" "$prog"
	: > "$work/f"
	i=0; while [ $i -lt "$runs" ]; do
		rm -rf "$work/r"; s=$(now); "$DEPC" build "$prog" -o "$work/r" >/dev/null 2>&1; e=$(now)
		echo "$e - $s" | bc -l >> "$work/f"; i=$((i + 1))
	done
	fresh=$(sort -n "$work/f" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}')
	files=$(find "$work/r" -type f | wc -l)
	same=$(kept "$runs" "$DEPC" build "$prog" -o "$work/r")
	bump=$(kept "$runs" rebuild_once "$prog" "$work/v")
	rm -rf "$work/r"
	echo "| $n | $files | $fresh | $same | $(ratio "$same" "$fresh") | $bump | $(ratio "$bump" "$fresh") |" >> "$out"
done
cat "$out"

# The inputs that were quadratic, each at two sizes (bench/linear.sh).
DEPC=$DEPC sh "$here/linear.sh"

# depc beside Pkl for the Kubernetes part (bench/pkl.sh), and the
# language server on big files (bench/lsp.sh).
DEPC=$DEPC sh "$here/pkl.sh"
DEPC=$DEPC sh "$here/lsp.sh"

# Each target beside what this run measured (bench/targets.sh).
sh "$here/targets.sh"
