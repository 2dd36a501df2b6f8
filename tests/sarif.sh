#!/bin/sh
# sarif.sh - `depc check --format sarif` and `depc check --policy --format
# sarif` write valid SARIF 2.1.0.
#
# Logs of clean files, of every diagnostics case in tests/errors (labels,
# fixes, an overflow with no location) and of every policy case are
# validated against the OASIS SARIF 2.1.0 schema by
# tests/node/validate-sarif.js, which uses the schema the npm package
# @microsoft/jest-sarif ships (`npm install --prefix tests/node`).  Then
# one result is compared with the text diagnostic: same code, line and
# column.  Skips (exit 77) without node or the package.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
. "$PWD/tests/need.sh"
need_cmd node
need_npm @microsoft/jest-sarif
need_all
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# validators (make distcheck builds a copy that has none).
validator="${DEPC_TOOLS_SRCDIR:-$srcdir}/tests/node/validate-sarif.js"
node "$validator" >/dev/null 2>&1
[ $? -eq 77 ] && { echo "SKIP: sarif: @microsoft/jest-sarif is not usable (make check-tools)"; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-sarif.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

n=0
log() { # FLAGS... INPUT: writes the next log file
	n=$((n + 1))
	"$DEPC" check "$@" > "$work/$n.sarif" 2>/dev/null
}

for input in examples/*.dep tests/errors/*.dep tests/policy/*.dep; do
	log --format sarif "$input"
done
for input in examples/*.dep tests/policy/*-violates.dep tests/policy/*-allowed.dep; do
	log --policy --format sarif "$input"
done
log --format sarif --allow E0401,E0411,E0415 tests/policy/cli-allowed.dep
log --policy --format sarif --allow E0401,E0411,E0415 tests/policy/cli-allowed.dep

if node "$validator" "$work"/*.sarif > "$work/out" 2>&1; then ok
else head -n 60 "$work/out"; bad "invalid SARIF (above)"; fi
echo "sarif: $n logs validated"

# The same place as the text diagnostic: tests/policy/read-only-violates.dep:5:15.
"$DEPC" check --format sarif tests/policy/read-only-violates.dep > "$work/one.sarif"
[ $? -eq 1 ] && ok || bad "--format sarif on an error does not exit 1"
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0].results[0];
const reg = r.locations[0].physicalLocation.region;
const uri = r.locations[0].physicalLocation.artifactLocation.uri;
process.exit(r.ruleId === "E0407" && r.level === "error" && reg.startLine === 5 &&
	reg.startColumn === 15 && reg.endColumn === 20 &&
	uri === "tests/policy/read-only-violates.dep" ? 0 : 1);' "$work/one.sarif" \
	&& ok || bad "the SARIF result is not E0407 at 5:15-20"

# An allowed breach in the compliance report is a suppressed result.
"$DEPC" check --policy --format sarif tests/policy/read-only-allowed.dep > "$work/two.sarif"
node -e '
const rs = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0].results.filter(r => r.ruleId === "E0407");
const s = rs.length === 1 && rs[0].suppressions && rs[0].suppressions[0];
process.exit(s && s.kind === "inSource" && /writes its own configuration/.test(s.justification)
	&& rs[0].level === "warning" ? 0 : 1);' "$work/two.sarif" \
	&& ok || bad "an allowed breach is not a suppressed result with its reason"

echo "sarif: $pass passed, $fail failed"
[ $fail -eq 0 ]
