#!/bin/sh
# report.sh - `depc build --report` lists what each target approximates
# or drops, with the .dep location, on standard error and in REPORT.md
# (which is in the manifest); --format json gives one JSON document.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-report.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
check() { # DESCRIPTION COMMAND...
	what=$1; shift
	"$@" || { echo "FAIL: $what"; fail=1; }
}
"$DEPC" build examples/webapp.dep -o "$work/out" --report 2> "$work/text" || { echo "FAIL: build"; exit 1; }
for line in \
	'examples/webapp.dep:26:1: compose: dropped: service web: autoscale: no autoscaler' \
	'examples/webapp.dep:26:1: compose: approximated: service web: health: HTTP probe /ready runs as a command' \
	'examples/webapp.dep:47:1: compose: approximated: service db: uses: NetworkPolicy approximated by an internal network' \
	'examples/webapp.dep:26:1: k8s: approximated: service web: rollout.on_failure: Kubernetes never rolls back' \
	'examples/webapp.dep:47:1: k8s: dropped: service db: placement: ignored' \
	'examples/webapp.dep:47:1: terraform: approximated: service db: resources: the Fargate task is 1024 cpu units with 2048 MiB' \
	'examples/webapp.dep:26:1: terraform: dropped: service web: rollout.delay: ECS has no delay' \
	'examples/webapp.dep:55:1: terraform: dropped: volume db-data: size: EFS is elastic'; do
	check "report lacks: $line" grep -qF "$line" "$work/text"
done
check "REPORT.md missing" test -f "$work/out/REPORT.md"
check "REPORT.md not in the manifest" grep -q ' REPORT.md$' "$work/out/.depc-manifest"
check "REPORT.md lacks the k8s section" grep -q '^## k8s$' "$work/out/REPORT.md"
# Only the selected targets are reported.
"$DEPC" build examples/webapp.dep -o "$work/k8s" --target k8s --report 2> "$work/k8s.text"
check "--target k8s reports another target" sh -c "! grep -v ': k8s: ' '$work/k8s.text' | grep -q '^examples'"
# Without --report nothing changes.
"$DEPC" build examples/webapp.dep -o "$work/plain" 2> /dev/null
check "REPORT.md without --report" test ! -e "$work/plain/REPORT.md"
"$DEPC" build examples/webapp.dep -o "$work/json" --report --format json 2> "$work/json.txt" > /dev/null
if command -v python3 > /dev/null; then
	check "--format json is not one JSON document" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert any(e["target"] == "compose" and e["construct"] == "autoscale" for e in d["entries"])
' "$work/json.txt"
fi
exit $fail
