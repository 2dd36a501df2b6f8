#!/bin/sh
# egress-policy.sh - the NetworkPolicies built from
# tests/golden/cases/egress-externals.dep let each pod out exactly to its
# externals: evaluated (tests/egress-policy.py) for addresses on the
# internet, in private, shared, loopback and link-local ranges (the
# cloud metadata address) and on other ports.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
. "$srcdir/tests/need.sh"
need_cmd python3
command -v python3 >/dev/null 2>&1 && ! python3 -c 'import yaml' 2>/dev/null &&
	need_missing="$need_missing python3-yaml"
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-egress.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
cp "$srcdir/tests/golden/cases/egress-externals.dep" "$work/" || exit 2
mkdir "$work/.git"
"$DEPC" build "$work/egress-externals.dep" -o "$work/out" || exit 1
# SERVICE ADDRESS PORT VERDICT
python3 "$srcdir/tests/egress-policy.py" "$work/out/k8s" shop \
	api 54.187.174.169 443 allow \
	api 54.187.205.235 443 allow \
	api 54.187.174.170 443 deny \
	api 54.187.174.169 80 deny \
	api 8.8.8.8 587 allow \
	api 8.8.8.8 443 deny \
	api 169.254.169.254 587 deny \
	api 169.254.169.254 80 deny \
	api 10.1.2.3 587 deny \
	api 172.20.0.5 587 deny \
	api 192.168.1.1 587 deny \
	api 100.64.0.10 587 deny \
	api 127.0.0.1 587 deny \
	worker 198.51.100.20 8443 allow \
	worker 198.51.100.20 443 deny \
	worker 198.51.100.21 8443 deny \
	worker 8.8.8.8 587 deny \
	db 8.8.8.8 443 deny \
	db 54.187.174.169 443 deny
status=$?
# Compose: a service with externals joins a network of its own with a
# route out; the others are on internal networks only (or, with an
# ingress, their public one).
python3 - "$work/out/compose.yaml" <<'PY' || status=1
import sys, yaml
c = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
nets = c["networks"]
def out(svc):
    return sorted(n for n in c["services"][svc]["networks"] if not (nets[n] or {}).get("internal"))
want = {"api": ["api-egress", "api-public"], "worker": ["worker-egress"], "db": []}
bad = {s: out(s) for s in want if out(s) != want[s]}
for s, got in bad.items():
    print(f"FAIL: compose: {s} has a route out through {got}, expected {want[s]}")
sys.exit(1 if bad else 0)
PY
exit $status
