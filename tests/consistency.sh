#!/bin/sh
# consistency.sh - every example and golden case through tests/consistency
# (each model fact identical in every artifact), then the proof that the
# checker bites: one fact corrupted in one backend's output at a time.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
bin=$(dirname "$DEPC")/../tests/consistency
cd "$srcdir" || exit 2
"$bin" examples/*.dep tests/golden/cases/*.dep || exit 1
for env in staging production; do
	"$bin" --env "$env" examples/environments.dep || exit 1
done
"$bin" --perturb examples/webapp.dep tests/golden/cases/ordering.dep \
	tests/golden/cases/registries-targets.dep \
	tests/golden/cases/jobs-migrate.dep || exit 1
