#!/bin/sh
# linear.sh - inputs that used to take quadratic time or memory.
#
# Each case is one fixed input, large enough that the quadratic code
# took from ten seconds to minutes on it, run under a CPU-time limit
# many times what the linear code needs (ulimit -t), so the test fails
# on a return of the old behaviour and not on a slow machine.  The
# GitHub backend's case is about memory: the peak RSS of two sizes of
# one `uses` chain must grow like the chain, not like its square.
# bench/linear.sh measures the same inputs at two sizes.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/depc-linear.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM
pass=0 fail=0
CPU=${LINEAR_CPU_SECONDS:-20}

# bounded NAME WANT CMD...: CMD must end with status WANT within CPU seconds.
bounded() {
	name=$1 want=$2; shift 2
	(ulimit -t "$CPU"; exec "$@") >/dev/null 2>"$tmp/err"
	status=$?
	if [ $status -eq "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name: status $status, expected $want (a status over 128 is the CPU limit: $CPU s)"
		head -n 5 "$tmp/err" | cut -c1-200 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

# The scanner: runs of word characters holding many tokens (quadratic
# took 62 s on 240 KB), curly quotes never closed, and the same runs
# inside an interpolation.
awk 'BEGIN { printf "x = 1"; for (i = 0; i < 100000; i++) printf "..2"; print "" }' > "$tmp/dots.dep"
bounded "scanner: 300 KB of 1..2..2" 1 "$DEPC" check "$tmp/dots.dep"
awk 'BEGIN { printf "x = 1"; for (i = 0; i < 150000; i++) printf "-1"; print "" }' > "$tmp/dash.dep"
bounded "scanner: 300 KB of 1-1-1" 1 "$DEPC" check "$tmp/dash.dep"
awk 'BEGIN { printf "x = "; for (i = 0; i < 100000; i++) printf "\342\200\234 "; print "" }' > "$tmp/curly.dep"
bounded "scanner: 100,000 open curly quotes" 1 "$DEPC" check "$tmp/curly.dep"
awk 'BEGIN { printf "app a { version = \"${1"; for (i = 0; i < 150000; i++) printf "-1"
	print "}\" }" }' > "$tmp/interp.dep"
bounded "scanner: 300 KB of 1-1-1 in an interpolation" 1 "$DEPC" check "$tmp/interp.dep"

# import: libyaml scans every open flow collection per token (11.5 s on
# 100 KB); depc import stops at 256 levels.
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "[" }' > "$tmp/deep.yaml"
bounded "import: 200 KB of [" 1 "$DEPC" import "$tmp/deep.yaml"

# import: each name taken was compared with every name before it, the
# hosts api.hostN.example.com (all named example-N) tried every number
# from 2 each time, and each service read all the others' environment
# for its port: past 20 s on these 5,000 services, 0.2 s now.
awk 'BEGIN { n = 5000; print "services:"
	for (i = 0; i < n; i++) {
		printf "  svc_%d:\n    image: example/app:1\n    depends_on: [svc_%d]\n", i, (i + 1) % n
		printf "    links: [\"SVC_%d\"]\n    environment:\n", (i + 2) % n
		printf "      - API_URL=https://api.host%d.example.com/v1\n", i % 2000
		printf "      - DB_HOST=svc_%d\n    volumes:\n      - data_%d:/data\n", (i + 3) % n, int(i / 2)
	} }' > "$tmp/compose.yaml"
bounded "import: 5,000 services, 2,000 hosts named example" 0 "$DEPC" import "$tmp/compose.yaml"

# The error limit: a million bad characters are counted, not kept.
bad() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) { for (j = 0; j < 100000; j++) printf "$"; print "" } }'; }
bad 10 > "$tmp/bad.dep"
bounded "diagnostics: a million bad characters" 1 "$DEPC" check "$tmp/bad.dep"

# Repeated work per item, each measured at a size where the quadratic
# (or worse) code took half a minute or more and the linear code a
# fraction of a second.
# A migration job per pair of services, all deployed to ECS: every job
# asked every deploy which ran it, for every deploy (140 s).
jobs() {
	awk -v n="$1" 'BEGIN {
	  print "import \"std/python\"\nimport \"std/postgres\""
	  print "app shop { version = \"3.1.0\"  registry = \"ghcr.io/acme/shop\"  domain = \"shop.example.com\"  repository = \"acme/shop\" }"
	  print "secret url { vault = \"prod/shop/url\"  rotate = 24h }\nsecret pw { vault = \"prod/shop/pw\"  rotate = 720h }"
	  print "service db = postgres(version = \"16.4-alpine\", database = \"shop\", password = pw) {\n  volume = \"db-data\"\n}\nvolume db-data { size = 10Gi }"
	  for (g = 0; g < n; g++) {
	    printf "service api%d = python.asgi(python = \"3.12-slim\", module = \"main:app\", port = %d, context = \"api\") {\n", g, 2000 + g
	    print "  secrets { DATABASE_URL = url }\n  uses = [db]\n  resources { cpu = 250m..500m  memory = 256Mi..512Mi }\n}"
	    printf "service worker%d = python.worker(python = \"3.12-slim\", context = \"worker\", command = [\"celery\"]) {\n", g
	    print "  secrets { DATABASE_URL = url }\n  uses = [db]\n  resources { cpu = 250m..500m  memory = 256Mi..512Mi }\n}"
	    printf "job migrate%d {\n  from = api%d\n  command = [\"alembic\", \"upgrade\", \"head\"]\n  uses = [db]\n", g, g
	    printf "  before = [worker%d, api%d]\n  resources { cpu = 125m..500m  memory = 128Mi..256Mi }\n}\n", g, g
	  }
	  printf "pipeline {\n  on { push = [\"main\"]  schedule = \"0 4 * * 1\" }\n  python = \"3.12\"\n  steps = [\"pytest -q\"]\n  deploy = ["
	  for (g = n - 1; g >= 0; g--) printf "ecs(cluster = \"shop\", service = api%d), ecs(cluster = \"shop\", service = worker%d), ", g, g
	  print "kubernetes()]\n}\nmonitor { alerting = \"alertmanager:9093\" }"
	  print "cloud aws {\n  region = \"eu-west-1\"\n  vpc { cidr = \"10.0.0.0/16\" }\n  ecs { cluster = \"shop\" }\n}" }'
}
jobs 2000 > "$tmp/jobs.dep"
bounded "github: 2,000 one-off jobs before 4,000 services on ECS" 0 \
	"$DEPC" build "$tmp/jobs.dep" --target github -o "$tmp/jobs-out"
# Each undeclared volume's did-you-mean compared every declaration, also
# past the error limit, where nobody sees it (42 s).
awk 'BEGIN { print "import \"std/node\"\napp v { version = \"1.0.0\"  registry = \"ghcr.io/o/v\"  repository = \"o/v\" }"
	for (i = 0; i < 15000; i++) {
	  printf "volume vol%d { size = 1Gi }\nservice s%d = node(node = \"20.9.0-alpine\", port = %d, main = \"a.js\") {\n", i, i, 2000 + i
	  printf "  volume = \"vo%d\"\n  data = \"/data\"\n}\n", i } }' > "$tmp/vols.dep"
bounded "check: 15,000 undeclared volumes" 1 "$DEPC" check "$tmp/vols.dep"
# Each panel walked its dashboard's list and compared every title (34 s).
awk 'BEGIN { print "monitor {\n  dashboard \"D\" {"
	for (p = 0; p < 100000; p++) printf "    panel \"P%d\" { query = \"up\" }\n", p
	print "  }\n}" }' > "$tmp/panels.dep"
bounded "check: 100,000 panels in one dashboard" 0 "$DEPC" check "$tmp/panels.dep"

# GitHub deploy jobs of one `uses` chain, each service deployed to ECS.
chain() {
	awk -v n="$1" 'BEGIN {
	  print "import \"std/node\"\napp chain { version = \"1.0.0\"  registry = \"ghcr.io/o/chain\"  repository = \"o/chain\" }"
	  for (i = 0; i < n; i++) {
	    printf "service s%d = node(node = \"20.9.0-alpine\", port = %d, main = \"a.js\") {\n", i, 4000 + i % 1000
	    if (i + 1 < n) printf "  uses = [s%d]\n", i + 1
	    print "  health { liveness = http(\"/h\") }\n  resources { cpu = 125m..250m  memory = 128Mi..256Mi }"
	    print "  metrics { path = \"/metrics\" }\n}"
	  }
	  printf "monitor { node_exporter = true }\npipeline {\n  on { push = [\"main\"]  schedule = \"0 4 * * 1\" }\n  steps = [\"npm test\"]\n  scan = trivy\n  publish = ghcr\n  deploy = ["
	  for (i = 0; i < n; i++) printf "%secs(cluster = \"c\", service = s%d)", i ? ", " : "", i
	  print "]\n}\ncloud aws {\n  region = \"us-east-1\"\n  vpc { cidr = \"10.0.0.0/16\" }\n  ecs { cluster = \"c\"  cpu = 512  memory = 2048 }\n}" }'
}
if [ -x /usr/bin/time ]; then
	rss() { /usr/bin/time -f %M -o "$tmp/rss" "$DEPC" build "$1" --target github -o "$tmp/out$2" >/dev/null 2>&1; tail -n 1 "$tmp/rss"; }
	# Past the limit a diagnostic costs nothing: 3 MB more of bad
	# characters may cost the 3 MB of text and its line map, not the
	# 150 bytes a character they took when each was kept.
	bad 40 > "$tmp/bad4.dep"
	check_rss() { /usr/bin/time -f %M -o "$tmp/rss" "$DEPC" check "$1" >/dev/null 2>&1; tail -n 1 "$tmp/rss"; }
	small=$(check_rss "$tmp/bad.dep") large=$(check_rss "$tmp/bad4.dep")
	echo "bad characters: peak RSS $small KB (1 MB), $large KB (4 MB)"
	if [ "$large" -lt $((small + 3 * 3 * 1024)) ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: diagnostics: 3 MB more bad characters took $((large - small)) KB more"
		fail=$((fail + 1))
	fi
	chain 1000 > "$tmp/c1.dep"; chain 4000 > "$tmp/c4.dep"
	small=$(rss "$tmp/c1.dep" 1) large=$(rss "$tmp/c4.dep" 4)
	# Four times the chain: linear is 4x (less, with the fixed part),
	# quadratic was 10x.
	echo "github chain: peak RSS $small KB (1,000 services), $large KB (4,000)"
	if [ -s "$tmp/out4/.github/workflows/chain.yml" ] && [ "$large" -lt $((small * 6)) ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: github: peak RSS $small KB for 1,000 services in a chain, $large KB for 4,000"
		fail=$((fail + 1))
	fi
else
	echo "SKIP: memory of diagnostics and of the github chain: /usr/bin/time not installed"
fi

echo "linear: $pass passed, $fail failed"
[ $fail -eq 0 ]
