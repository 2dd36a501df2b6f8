#!/bin/sh
# policy.sh - the policy rules (E04xx), case by case, from tests/policy/.
#
# For every rule NAME there are three cases:
#   NAME-violates.dep   breaks the rule: exit 1, and standard error is
#                       exactly NAME-violates.expected (no colour)
#   NAME-satisfies.dep  keeps it, in the ways that must not be mistaken
#                       for a breach: exit 0 and nothing on standard error
#   NAME-allowed.dep    breaks it under an `allow`: exit 0, and standard
#                       error is exactly NAME-allowed.expected, warnings
#                       that print the reason
# A case that needs options names them on its first line, as in
# tests/errors: "# depc-flags: --allow E0401".  A case that holds a
# secret names it on a line "# secret-value: TEXT"; TEXT must then appear
# in no output: text, JSON, SARIF or the --policy report.
#
# Then: every policy code is broken by some case (and every rule that can
# be allowed is allowed by one); every example passes the policy with no
# allow (but the golden cases allowed-*, only with theirs); the reasons
# reach compose.yaml, the Dockerfile and the Kubernetes manifests; --allow
# with a code that is no policy rule is a usage error; --policy reports.
# With UPDATE=1 the expected files are rewritten; review the diff.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-policy.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

flags_of() { sed -n '1s/^# depc-flags://p' "$1"; }

# check INPUT: runs `depc check` with the case's flags; sets $status and
# leaves standard error in $work/stderr.
check() {
	# $flags is split into words on purpose: it holds options, not a name.
	# shellcheck disable=SC2086
	NO_COLOR=1 "$DEPC" check --color never $(flags_of "$1") "$1" \
		>/dev/null 2>"$work/stderr"
	status=$?
}

# expect INPUT STATUS: the exit status and the exact standard error.
expect() {
	expected="${1%.dep}.expected"
	check "$1"
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$work/stderr" "$expected"
		return
	fi
	if [ $status -ne "$2" ]; then
		sed 's/^/  /' "$work/stderr"; bad "$1: exit status $status, expected $2"
	elif [ ! -f "$expected" ]; then
		bad "$1: no $expected"
	elif ! diff -u "$expected" "$work/stderr"; then
		bad "$1: diagnostics differ (above)"
	else
		ok
	fi
}

for input in tests/policy/*-violates.dep; do
	expect "$input" 1
done
for input in tests/policy/*-allowed.dep; do
	expect "$input" 0
	grep -q '^tests/policy/.*: warning\[E04' "$work/stderr" ||
		bad "$input: no policy warning"
	grep -q '= note: allowed' "$work/stderr" || bad "$input: the warning gives no reason"
done
[ "${UPDATE:-0}" = 1 ] && { echo "policy: expected files rewritten"; exit 0; }

for input in tests/policy/*-satisfies.dep; do
	check "$input"
	# A target's own warning (W0040: a port the generated egress rules
	# do not open) is not the policy's; any policy finding is.
	if [ $status -eq 0 ] && ! grep -q '\[\(E04[0-9][0-9]\|W005[0-9]\)\]' "$work/stderr"; then ok
	else sed 's/^/  /' "$work/stderr"; bad "$input: exit status $status, expected 0 and no output"; fi
done

# --- the corpus: one-change breaches of examples/webapp.dep ----------------
# tests/policy/corpus/violates/NAME.dep names the code it must be caught
# with ("# expect: E0418"); an error code exits 1, a warning code 0.
# tests/policy/corpus/passes/NAME.dep are reasonable programs: exit 0 and
# nothing on standard error.  Together the breaches fail every one of the
# specification's ten requirements in the --policy report.
violations=0 passes=0
: > "$work/failed-requirements"
for input in tests/policy/corpus/violates/*.dep; do
	violations=$((violations + 1))
	code=$(sed -n 's/^# expect: //p' "$input")
	NO_COLOR=1 "$DEPC" check --color never "$input" >/dev/null 2>"$work/stderr"
	status=$?
	case $code in W*) want=0 level=warning ;; *) want=1 level=error ;; esac
	if [ -z "$code" ]; then bad "$input: no '# expect: CODE' line"
	elif [ $status -ne $want ]; then bad "$input: exit status $status, expected $want"
	# a value made in a template is reported there, with a label in the file
	elif ! grep -q ": $level\\[$code\\]" "$work/stderr" || ! grep -q "^$input:" "$work/stderr"; then
		sed 's/^/  /' "$work/stderr"; bad "$input: not caught with $code"
	else ok; fi
	"$DEPC" check --policy "$input" 2>/dev/null |
		sed -n 's/^fail    \(implementation [0-9]*\|security [0-9]*\):.*/\1/p' \
		>> "$work/failed-requirements"
done
for input in tests/policy/corpus/passes/*.dep; do
	passes=$((passes + 1))
	NO_COLOR=1 "$DEPC" check --color never "$input" >/dev/null 2>"$work/stderr"
	status=$?
	# A target's own warning (W0040: a port the generated egress rules
	# do not open) is not the policy's; any policy finding is.
	if [ $status -eq 0 ] && ! grep -q '\[\(E04[0-9][0-9]\|W005[0-9]\)\]' "$work/stderr"; then ok
	else sed 's/^/  /' "$work/stderr"; bad "$input: flagged (exit status $status)"; fi
done
[ $violations -ge 60 ] && ok || bad "only $violations breaches in the corpus (60 at least)"
[ $passes -ge 30 ] && ok || bad "only $passes reasonable programs in the corpus (30 at least)"
for req in "implementation 1" "implementation 2" "implementation 3" "implementation 4" \
	   "implementation 5" "security 1" "security 2" "security 3" "security 4" "security 5"; do
	if grep -qx "$req" "$work/failed-requirements"; then ok
	else bad "no corpus breach fails $req"; fi
done

# --- not applicable is not pass ----------------------------------------------
# Without a pipeline nothing is scanned: security 4 is "n/a", in the text
# report and in SARIF, never "pass".
sed '/^pipeline {/,/^}/d' examples/webapp.dep > "$work/no-pipeline.dep"
"$DEPC" check --policy "$work/no-pipeline.dep" > "$work/report" 2>&1
if grep -q '^n/a     security 4: ' "$work/report" &&
   grep -q '^  n/a     E0410 the pipeline runs a security scan$' "$work/report" &&
   grep -q '^10 requirements: 9 pass, 0 allowed, 0 fail, 1 not applicable$' "$work/report"; then ok
else cat "$work/report"; bad "a missing pipeline is not reported as not applicable"; fi
"$DEPC" check --policy --format sarif "$work/no-pipeline.dep" > "$work/sarif" 2>&1
if grep -q '"kind":[[:space:]]*"notApplicable"' "$work/sarif" &&
   grep -q '"security 4"' "$work/sarif"; then ok
else bad "SARIF has no notApplicable result or no requirement tags"; fi
# Every requirement heads its rules in the report.
"$DEPC" check --policy examples/webapp.dep > "$work/report" 2>&1
if [ "$(grep -c '^pass    \(implementation\|security\) [1-5]: ' "$work/report")" -eq 10 ]; then ok
else cat "$work/report"; bad "the report does not list the ten requirements, passing, for webapp"; fi

# --- secrets are never echoed ---------------------------------------------
for input in tests/policy/*.dep tests/policy/corpus/*/*.dep; do
	values=$(sed -n 's/^# secret-value: //p' "$input")
	[ -n "$values" ] || continue
	{
		"$DEPC" check --color never "$input"
		"$DEPC" check --format json "$input"
		"$DEPC" check --format sarif "$input"
		"$DEPC" check --policy "$input"
		"$DEPC" check --policy --format sarif "$input"
	} > "$work/all" 2>&1
	leaked=0
	for value in $values; do
		grep -qF -- "$value" "$work/all" && leaked=1
	done
	if [ $leaked = 0 ]; then ok; else bad "$input: a secret value is in depc's output"; fi
done

# --- every rule has its cases ------------------------------------------------
for code in $("$DEPC" explain --list | awk '$1 ~ /^E04/ { print $1 }'); do
	if grep -qs "error\[$code\]" tests/policy/*-violates.expected ||
	   grep -qsx "# expect: $code" tests/policy/corpus/violates/*.dep; then ok
	else bad "$code: no tests/policy/*-violates case reports it"; fi
done
for code in E0401 E0402 E0403 E0404 E0405 E0406 E0407 E0408 E0409 E0410 \
	    E0411 E0412 E0413 E0414 E0415 E0418 E0419 E0420 E0422 E0423 \
	    E0424 E0425 E0427; do
	if grep -qs "warning\[$code\]" tests/policy/*-allowed.expected; then ok
	else bad "$code: no tests/policy/*-allowed case allows it"; fi
done

# --- the examples pass with no allow ------------------------------------------
# (except the golden cases named allowed-*, which pin where the reasons of
# allowed exceptions land in the outputs: they must pass, and only by
# their allows)
for input in examples/*.dep tests/golden/cases/*.dep; do
	case $input in tests/golden/cases/allowed-*) continue ;; esac
	# shellcheck disable=SC2046
	"$DEPC" check --policy $(flags_of "$input") "$input" > "$work/report" 2>"$work/stderr"
	status=$?
	if [ $status -ne 0 ] || [ -s "$work/stderr" ]; then
		sed 's/^/  /' "$work/stderr"; bad "$input: does not pass the policy"
	elif grep -q 'allow' "$input" ||
	     ! grep -q '^[0-9]* rules: [0-9]* pass, 0 allowed, 0 fail, [0-9]* not applicable$' "$work/report"; then
		bad "$input: passes only with an allow"
	else
		ok
	fi
done

for input in tests/golden/cases/allowed-*.dep; do
	"$DEPC" check --policy "$input" > "$work/report" 2>/dev/null
	status=$?
	if [ $status -eq 0 ] && grep -q 'allow' "$input" &&
	   grep -q '^[0-9]* rules: [0-9]* pass, [1-9][0-9]* allowed, 0 fail, [0-9]* not applicable$' "$work/report"; then ok
	else cat "$work/report"; bad "$input: does not pass by its allows alone"; fi
done

# --- the reasons reach the generated files -------------------------------------
cat > "$work/built.dep" <<'EOF'
app shop { version = "1.0.0" }
service web {
  build     { runtime = "node"  version = "20.11.0-alpine"  start = ["node", "server.js"] }
  port      = 3000
  read_only = false
  health    { liveness = http("/health") }
  resources { cpu = 100m..500m  memory = 128Mi..256Mi }
  allow     { E0407 = "writes its cache under /app\nRUN rm -rf /" }
}
EOF
"$DEPC" build "$work/built.dep" -o "$work/out" --target docker,compose,k8s 2>"$work/stderr"
status=$?
if [ $status -eq 0 ] &&
   grep -q '^#   service web: E0407 (.*): writes its cache under /app RUN rm -rf /$' \
	"$work/out/compose.yaml" &&
   grep -q '^# policy exception E0407 (.*): writes its cache under /app RUN rm -rf /$' \
	"$work/out/web/Dockerfile" &&
   ! grep -q '^RUN rm' "$work/out/web/Dockerfile"; then ok
else
	cat "$work/stderr"; bad "the allow's reason is not a comment in compose.yaml and the Dockerfile"
fi
# Every manifest of the service says it, and the Deployment keeps it as
# an annotation, which survives `kubectl apply`.
if [ $status -eq 0 ] &&
   grep -q '^#   service web: E0407 (.*): writes its cache under /app RUN rm -rf /$' \
	"$work/out/k8s/web-deployment.yaml" "$work/out/k8s/web-networkpolicy.yaml" &&
   grep -q '^    depc.dev/allow.E0407: ' "$work/out/k8s/web-deployment.yaml" &&
   ! grep -q '^RUN rm' "$work/out/k8s/web-deployment.yaml"; then ok
else
	bad "the allow's reason is not a comment and an annotation in the Kubernetes manifests"
fi
grep -q 'warning\[E0407\]' "$work/stderr" && ok || bad "build does not print the allowed rule"

# --- the command line ----------------------------------------------------------
"$DEPC" check --allow E0301 examples/webapp.dep >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--allow E0301 is not a usage error"
"$DEPC" check --allow E0305 examples/webapp.dep >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--allow E0305 (enforced by the checker) is not a usage error"
# A flag that allows a rule the file keeps is stale too.
"$DEPC" check --color never --allow E0407 examples/webapp.dep >/dev/null 2>"$work/stderr"
status=$?
if [ $status -eq 0 ] &&
   grep -q '^depc: warning\[W0050\]: --allow E0407 matches no breach in examples/webapp.dep$' \
	"$work/stderr"; then ok
else cat "$work/stderr"; bad "a stale --allow is not a warning"; fi
"$DEPC" check --policy --format json examples/webapp.dep >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--policy --format json is not a usage error"
"$DEPC" check --policy tests/policy/read-only-violates.dep > "$work/report" 2>/dev/null
status=$?
if [ $status -eq 1 ] &&
   grep -q '^  fail    E0407 containers have a read-only root filesystem$' "$work/report" &&
   grep -q '^fail    design: ' "$work/report" &&
   grep -q '^  pass    E0401 ' "$work/report" &&
   grep -q 'tests/policy/read-only-violates.dep:5:15: ' "$work/report"; then ok
else cat "$work/report"; bad "--policy on a breach"; fi
"$DEPC" check --policy tests/policy/read-only-allowed.dep > "$work/report" 2>/dev/null
if grep -q '^  allowed E0407 ' "$work/report" &&
   grep -q '(allowed: the wiki writes its own configuration at start)$' "$work/report"; then ok
else cat "$work/report"; bad "--policy on an allowed breach"; fi

echo "policy: $pass passed, $fail failed"
[ $fail -eq 0 ]
