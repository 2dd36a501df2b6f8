#!/bin/sh
# linear.sh - `make bench`, second part: the inputs that were quadratic,
# each measured at two sizes, the second twice the first.  A linear path
# shows a ratio near 2 in time and at most 2 in memory; the quadratic
# ones showed 4.  Environment: DEPC (binary), LINEAR_SCALE (multiplies
# every size; 1 is what bench/README.md reports).  node runs the language
# server case; without it that row is "-".
set -u
here=$(cd "$(dirname "$0")" && pwd)
DEPC=${DEPC:-$here/../src/depc}
scale=${LINEAR_SCALE:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-linear.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
out=$here/linear-results.md

# seconds and peak MB of one run of the command that follows
measure() {
	rm -rf "$work/o"
	/usr/bin/time -f "%e %M" -o "$work/m" "$@" >/dev/null 2>&1
	tail -n 1 "$work/m" | awk '{printf "%s %.0f", $1, $2/1024}'
}
ratio() { echo "$1 $2" | awk '{ if ($1 > 0) printf "%.1f", $2 / $1; else printf "-" }'; }

dots() { awk -v n="$1" 'BEGIN { printf "x = 1"; for (i = 0; i < n / 3; i++) printf "..2"; print "" }'; }
curly() { awk -v n="$1" 'BEGIN { printf "x = "; for (i = 0; i < n / 4; i++) printf "\342\200\234 "; print "" }'; }
brackets() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "[" }'; }
bad() { awk -v n="$1" 'BEGIN { for (i = 0; i < n / 100000; i++) { for (j = 0; j < 99999; j++) printf "$"; print "" } }'; }
chain() {
	awk -v n="$1" 'BEGIN {
	  print "import \"std/node\"\napp chain { version = \"1.0.0\"  registry = \"ghcr.io/o/chain\"  repository = \"o/chain\" }"
	  for (i = 0; i < n; i++) {
	    printf "service s%d = node(node = \"20.9.0-alpine\", port = %d, main = \"a.js\") {\n", i, 4000 + i % 1000
	    if (i + 1 < n) printf "  uses = [s%d]\n", i + 1
	    print "  health { liveness = http(\"/h\") }\n  resources { cpu = 125m..250m  memory = 128Mi..256Mi }\n}"
	  }
	  printf "pipeline {\n  on { push = [\"main\"] }\n  steps = [\"npm test\"]\n  scan = trivy\n  publish = ghcr\n  deploy = ["
	  for (i = 0; i < n; i++) printf "%secs(cluster = \"c\", service = s%d)", i ? ", " : "", i
	  print "]\n}\ncloud aws {\n  region = \"us-east-1\"\n  vpc { cidr = \"10.0.0.0/16\" }\n  ecs { cluster = \"c\"  cpu = 512  memory = 2048 }\n}" }'
}

# a volume per service, each mounted: Compose lists the mounted ones
vols() {
	awk -v n="$1" 'BEGIN {
	  print "import \"std/node\"\napp vols { version = \"1.0.0\"  registry = \"ghcr.io/o/vols\"  repository = \"o/vols\" }"
	  for (i = 0; i < n; i++) {
	    printf "volume v%d { size = 1Gi }\n", i
	    printf "service s%d = node(node = \"20.9.0-alpine\", port = %d, main = \"a.js\") {\n", i, 4000 + i % 1000
	    printf "  volume = \"v%d\"\n  data = \"/data\"\n", i
	    print "  health { liveness = http(\"/h\") }\n  resources { cpu = 125m..250m  memory = 128Mi..256Mi }\n}"
	  } }'
}

{
echo "| case | size | s | MB | 2 × size | s | MB | time ratio | memory ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
} > "$out"

# one NAME UNIT N MAKE KIND: KIND is check, import, github, compose or lsp
one() {
	name=$1 unit=$2 n=$(($3 * scale)) make=$4 kind=$5
	line="| $name | $n $unit |"
	t1=; m1=
	for k in 1 2; do
		size=$((n * k))
		"$make" "$size" > "$work/in$k.dep"
		case $kind in
		check)	r=$(measure "$DEPC" check "$work/in$k.dep") ;;
		import)	r=$(measure "$DEPC" import "$work/in$k.dep") ;;
		github)	r=$(measure "$DEPC" build "$work/in$k.dep" --target github -o "$work/o") ;;
		compose) r=$(measure "$DEPC" build "$work/in$k.dep" --target compose -o "$work/o") ;;
		lsp)	if command -v node >/dev/null; then
				r="$(node "$here/lsp-open.mjs" "$DEPC" "$work/in$k.dep" 3) -"
			else r="- -"; fi ;;
		esac
		set -- $r
		[ $k -eq 2 ] && line="$line $((n * k)) $unit |"
		line="$line $1 | $2 |"
		if [ $k -eq 1 ]; then t1=$1 m1=$2; else t2=$1 m2=$2; fi
	done
	echo "$line $(ratio "$t1" "$t2") | $(ratio "$m1" "$m2") |" >> "$out"
}

one "scanner: x = 1..2..2..." bytes 8000000 dots check
one "scanner: open curly quotes" bytes 8000000 curly check
one "language server: x = 1..2..2..." bytes 4000000 dots lsp
one "import: [[[..." bytes 8000000 brackets import
one "github: uses chain, each deployed to ECS" services 8000 chain github
one "compose: a volume per service" services 30000 vols compose
one "check: bad characters" bytes 20000000 bad check
cat "$out"
