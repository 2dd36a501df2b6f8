#!/bin/sh
# jobs.sh - one-off and scheduled jobs, carried out as each target says.
#
# tests/golden/cases/jobs-migrate.dep has a migration that runs before
# `api` and `worker`, and two scheduled jobs.  This builds it and checks
# what the golden tree cannot show by itself:
#  - Compose, read by docker-compose: the services wait for the migration
#    to exit 0 (service_completed_successfully), start order puts it
#    between the database and them, the scheduled jobs are in a profile;
#  - Kubernetes: the one-off Job is outside kustomization.yaml and in
#    k8s/jobs/kustomization.yaml, the CronJobs are inside;
#  - the workflow's deploy scripts, run by bash with kubectl and aws
#    replaced by recording stand-ins: the Job is deleted, applied and
#    waited for before the waiting services are applied; on ECS the task
#    runs, is waited for and its exit code read before update-service;
#    a failed run is retried `retries` times and then stops the deploy
#    before any waiting service is touched;
#  - EventBridge Scheduler's cron() for the schedules, and --report.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import yaml' 2>/dev/null; then
	echo "SKIP: python3 with PyYAML (python3-yaml) is missing"
	exit 77
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "SKIP: jq is missing (the ECS deploy script runs it)"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-jobs.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

mkdir -p "$work/tree/.git"
cp tests/golden/cases/jobs-migrate.dep "$work/tree/app.dep"
out="$work/tree/out"
if ! (cd "$work/tree" && "$DEPC" build --report app.dep -o out) > "$work/report" 2>&1; then
	cat "$work/report"
	echo "FAIL: jobs-migrate.dep does not build"
	exit 1
fi

# --- Compose ---------------------------------------------------------------
if command -v docker-compose >/dev/null 2>&1; then
	for ctx in $(sed -n 's|^ *context: ||p' "$out/compose.yaml"); do
		mkdir -p "$out/$ctx"
	done
	if (cd "$out" && SECRET_DATABASE_URL=x SECRET_DB_PASSWORD=y \
	    docker-compose -f compose.yaml config > "$work/config.yaml" &&
	    SECRET_DATABASE_URL=x SECRET_DB_PASSWORD=y \
	    docker-compose -f compose.yaml config --services > "$work/order") 2>"$work/log"; then
		ok
	else
		bad "docker-compose config:"; cat "$work/log"
	fi
	# docker-compose lists services in start order.
	if [ "$(tr '\n' ' ' < "$work/order")" = "db migrate worker api cleanup report " ]; then ok; else
		bad "start order is $(tr '\n' ' ' < "$work/order")"; fi
	if python3 - "$work/config.yaml" > "$work/py" 2>&1 <<'PY'
import sys, yaml
s = yaml.safe_load(open(sys.argv[1]))["services"]
bad = []
for svc in ("api", "worker"):
    cond = s[svc].get("depends_on", {}).get("migrate", {}).get("condition")
    if cond != "service_completed_successfully":
        bad.append("%s waits for migrate with %r" % (svc, cond))
if s["migrate"].get("depends_on", {}).get("db", {}).get("condition") != "service_healthy":
    bad.append("migrate does not wait for a healthy db")
for job in ("migrate", "cleanup", "report"):
    if s[job].get("restart") != "no":
        bad.append("%s restarts: %r" % (job, s[job].get("restart")))
    if s[job].get("read_only") is not True or s[job].get("cap_drop") != ["ALL"]:
        bad.append("%s is not locked down" % job)
if "profiles" in s["migrate"]:
    bad.append("the one-off job is in a profile")
for job in ("cleanup", "report"):
    if s[job].get("profiles") != ["jobs"]:
        bad.append("%s profiles: %r" % (job, s[job].get("profiles")))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	then ok; else bad "compose.yaml as docker-compose reads it:"; cat "$work/py"; fi
else
	echo "SKIP: docker-compose is missing: the Compose checks are not run"
fi

# --- Kubernetes files ------------------------------------------------------------
if grep -q 'jobs/' "$out/k8s/kustomization.yaml" || ! grep -qx -- '- cleanup-cronjob.yaml' "$out/k8s/kustomization.yaml"
then bad "kustomization.yaml lists the one-off Job, or not the CronJob"; else ok; fi
if [ "$(sed -n 's/^- //p' "$out/k8s/jobs/kustomization.yaml")" = "migrate-job.yaml" ]; then ok; else
	bad "k8s/jobs/kustomization.yaml does not list exactly migrate-job.yaml"; fi

# --- the deploy scripts, run with recording stand-ins -----------------------------
mkdir -p "$work/bin"
cat > "$work/bin/kubectl" <<'EOF'
#!/bin/sh
echo "kubectl $*" >> "$REC"
case "$*" in
*" wait "*) [ "${JOB_FAILS:-0}" = 0 ] ;;
*" logs "*) echo "migration failed: relation exists" ;;
esac
EOF
cat > "$work/bin/aws" <<'EOF'
#!/bin/sh
echo "aws $1 $2" >> "$REC"
case "$1 $2" in
"ecs describe-task-definition") echo '{"family":"shop-migrate","containerDefinitions":[{"name":"migrate","image":"old"}]}' ;;
"ecs register-task-definition") echo "arn:aws:ecs:eu-west-1:1:task-definition/shop-x:7" ;;
"ecs describe-services")
	case "$*" in
	*subnets*) printf 'subnet-a\tsubnet-b\n' ;;
	*) echo "arn:aws:ecs:eu-west-1:1:task-definition/shop-x:7" ;;
	esac ;;
"ec2 describe-security-groups") echo "sg-1" ;;
"ecs run-task") echo "$*" | grep -q 'subnets=\[subnet-a,subnet-b\],securityGroups=\[sg-1\]' &&
	echo "arn:aws:ecs:eu-west-1:1:task/shop/abc" ;;
"ecs describe-tasks") echo "${EXIT_CODE:-0}" ;;
"logs get-log-events") echo "Traceback: migration failed" ;;
esac
EOF
chmod +x "$work/bin/kubectl" "$work/bin/aws"

# Writes the run scripts of the named deploy job's steps, in order, to
# $work/STEP-N.sh and prints their count.
python3 - "$out/.github/workflows/shop.yml" "$work" <<'PY' > "$work/steps" || bad "reading the workflow"
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
for job in ("deploy-kubernetes-shop", "deploy-ecs-shop-api"):
    runs = [s["run"] for s in wf["jobs"][job]["steps"] if "run" in s]
    for i, r in enumerate(runs):
        open("%s/%s-%d.sh" % (sys.argv[2], job, i), "w").write(r)
    print(job, len(runs))
PY

# Runs the steps of a deploy job in order as Actions does (bash -e, stop
# at the first failing step) in $work/run; the record is $work/rec.
run_job() { # JOB
	rm -rf "$work/run" "$work/rec"
	mkdir -p "$work/run"
	n=$(sed -n "s/^$1 //p" "$work/steps")
	i=0
	while [ "$i" -lt "${n:-0}" ]; do
		(cd "$work/run" && PATH="$work/bin:$PATH" REC="$work/rec" RUNNER_TEMP="$work/run" \
		 GITHUB_SHA=0123abc GITHUB_RUN_ID=42 KUBECONFIG_DATA=x \
		 bash --noprofile --norc -e "$work/$1-$i.sh") > "$work/run.out" 2>&1 || return 1
		i=$((i + 1))
	done
	return 0
}

# The order of the recorded lines matching each pattern, one per line.
first_line() { grep -n -- "$1" "$work/rec" | head -n 1 | cut -d: -f1; }
in_order() {
	prev=0
	for pat in "$@"; do
		at=$(first_line "$pat")
		if [ -z "$at" ] || [ "$at" -le "$prev" ]; then
			echo "'$pat' is not after the previous step"; return 1
		fi
		prev=$at
	done
}

if run_job deploy-kubernetes-shop && in_order \
	"apply -k .depc-deploy -l app.kubernetes.io/name notin (api,worker)" \
	"delete job migrate --ignore-not-found" "apply -k .depc-deploy/jobs" \
	"wait --for=condition=complete job/migrate --timeout=660s" "apply -k .depc-deploy\$" \
	"rollout status deployment/api"
then ok; else bad "Kubernetes deploy order:"; cat "$work/rec" "$work/run.out"; fi

if JOB_FAILS=1 run_job deploy-kubernetes-shop; then
	bad "a Job that did not complete did not fail the Kubernetes deploy"
elif grep -q -- "apply -k .depc-deploy\$" "$work/rec" || ! grep -q "logs job/migrate" "$work/rec" ||
     ! grep -q "::error::job migrate did not complete" "$work/run.out"; then
	bad "after a failed Job the waiting services were applied, or no logs shown:"; cat "$work/rec"
else ok; fi

if run_job deploy-ecs-shop-api && in_order "ecs register-task-definition" "ecs run-task" \
	"ecs wait" "ecs describe-tasks" "ecs update-service" &&
   [ "$(grep -c 'ecs run-task' "$work/rec")" = 1 ]
then ok; else bad "ECS deploy order:"; cat "$work/rec" "$work/run.out"; fi

# retries = 1: two runs, then the deploy stops before update-service.
if EXIT_CODE=3 run_job deploy-ecs-shop-api; then
	bad "a failed job did not fail the ECS deploy"
elif [ "$(grep -c 'ecs run-task' "$work/rec")" != 2 ] || grep -q "update-service" "$work/rec" ||
     ! grep -q "::error::job migrate failed (exit code 3)" "$work/run.out"; then
	bad "a failed ECS job was not retried once and then stopped:"; cat "$work/rec" "$work/run.out"
else ok; fi

if command -v shellcheck >/dev/null 2>&1; then
	for f in "$work"/deploy-*.sh; do
		if shellcheck -s bash -S warning "$f" > "$work/sc" 2>&1; then ok; else
			bad "shellcheck $(basename "$f"):"; cat "$work/sc"; fi
	done
fi

# --- ECS schedules and the report ------------------------------------------------
grep -q 'schedule_expression *= "cron(0 3 \* \* ? \*)"' "$out/terraform/jobs.tf" &&
grep -q 'schedule_expression *= "cron(30 6 ? \* MON \*)"' "$out/terraform/jobs.tf" && ok ||
	bad "EventBridge Scheduler expressions in jobs.tf"
grep -q "compose.*job cleanup.*schedule" "$work/report" && ok || {
	bad "--report does not say Compose cannot schedule job cleanup:"; cat "$work/report"; }

# Steps, ranges, names and lists, and the day left free as '?'.
cat > "$work/tree/cron.dep" <<'EOF'
service api {
  image     = "ghcr.io/acme/api:1.0.0"
  port      = 8000
  health    { liveness = tcp() }
  resources { cpu = 125m..250m  memory = 128Mi..256Mi }
}
monitor {}
job a {
  from      = api
  schedule  = "*/15 1-5/2 * jan-mar mon-fri"
  resources { cpu = 125m..250m  memory = 128Mi..256Mi }
}
job b {
  from      = api
  schedule  = "0 0 1,15 */2 *"
  resources { cpu = 125m..250m  memory = 128Mi..256Mi }
}
job c {
  from      = api
  schedule  = "30 2 * * 0,6"
  resources { cpu = 125m..250m  memory = 128Mi..256Mi }
}
cloud aws {
  region = "eu-west-1"
  vpc    { cidr = "10.0.0.0/16" }
  ecs    { cluster = "shop" }
}
EOF
if (cd "$work/tree" && "$DEPC" build --target terraform cron.dep -o cron-out) > "$work/log" 2>&1; then
	sed -n 's/^ *schedule_expression *= "\(.*\)"$/\1/p' "$work/tree/cron-out/terraform/jobs.tf" > "$work/cron"
	printf '%s\n' "cron(0/15 1-5/2 ? JAN-MAR MON-FRI *)" "cron(0 0 1,15 1/2 ? *)" "cron(30 2 ? * 1,7 *)" |
		diff - "$work/cron" > "$work/log" && ok || { bad "EventBridge Scheduler expressions:"; cat "$work/log"; }
else
	bad "cron.dep does not build:"; cat "$work/log"
fi

# --- depc graph: a job's `before` edges, dashed --------------------------------
"$DEPC" graph "$work/tree/app.dep" > "$work/graph.dot" 2>&1
grep -q '"migrate" -> "api" \[style=dashed, label="before"\]' "$work/graph.dot" &&
grep -q '"cleanup" \[shape=hexagon, label="cleanup (0 3 \* \* \*)"\]' "$work/graph.dot" && ok ||
	{ bad "depc graph does not show the jobs:"; cat "$work/graph.dot"; }

# --- depc diff: an overlay's change to a job, with the file it touches ------------
"$DEPC" diff tests/golden/cases/jobs-template.dep --env staging > "$work/diff" 2>&1
if grep -qx 'job cleanup: schedule: "0 3 \* \* \*" -> "0 4 \* \* \*"' "$work/diff" &&
   grep -A1 '^job cleanup: schedule' "$work/diff" | grep -qx '    k8s/cleanup-cronjob.yaml'
then ok; else bad "depc diff does not show the job's schedule change:"; cat "$work/diff"; fi

echo "jobs: $pass passed, $fail failed"
[ $fail -eq 0 ]
