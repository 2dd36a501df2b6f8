#!/bin/sh
# registries-pull-secret.sh - the Kubernetes pull secret of a private
# registry is what the kubelet needs, whatever the credential holds:
# tests/registries-pull-secret.py renders the ExternalSecret templates
# of the registries golden cases as the External Secrets Operator would
# (Go text/template semantics for what they use) with hostile user names
# and passwords, and checks each .dockerconfigjson parses and holds them
# exactly.  Also: the pods pulling from a registry, and only those, name
# its Secret; the ECS tasks pulling from it, and only those, carry its
# credential's ARN in repositoryCredentials, and the execution role of
# each may read that secret.  Compose cannot carry a pull credential:
# its header says to log in, and --report names each image so pulled.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
. "$PWD/tests/need.sh"
need_cmd python3
python3 -c 'import yaml' 2>/dev/null || need_missing="$need_missing python3-yaml"
need_all
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-pull.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

for case in registries-targets registries-docker-hub; do
	"$DEPC" build --target k8s,terraform "tests/golden/cases/$case.dep" -o "$work/$case" \
		2> "$work/$case.log" || { cat "$work/$case.log"; bad "$case does not build"; continue; }
	python3 tests/registries-pull-secret.py "$work/$case/k8s" || bad "$case: pull secrets"
done

# Which pods name which pull Secret, and which tasks which credential.
out="$work/registries-targets"
pulls() { # FILE -> the imagePullSecrets names, space-separated
	sed -n '/imagePullSecrets:/,/securityContext:/s/^ *- name: //p' "$1" | tr '\n' ' '
}
for pair in api:acme audit:acme reports:quay cache:; do
	svc=${pair%%:*} want=${pair#*:}
	file=$(ls "$out/k8s/$svc-deployment.yaml" "$out/k8s/$svc-statefulset.yaml" 2>/dev/null | head -n 1)
	got=$(pulls "$file")
	[ "$got" = "${want:+$want }" ] || bad "$svc pulls with '$got', expected '$want'"
done
tasks=$(sed -n 's/^ *credentialsParameter = data.aws_secretsmanager_secret.\([a-z_]*\).arn/\1/p' \
	"$out/terraform/ecs.tf" | tr '\n' ' ')
[ "$tasks" = "registry_login registry_login quay_login " ] ||
	bad "repositoryCredentials name '$tasks', expected registry_login twice and quay_login"
# cache's execution role reads its own secret only, never a pull credential.
sed -n '/"cache_secrets"/,/^}/p' "$out/terraform/iam.tf" > "$work/cache-policy"
grep -q cache_password "$work/cache-policy" || bad "cache's role lost its own secret"
! grep -q 'registry_login\|quay_login' "$work/cache-policy" || bad "cache's role may read a pull credential"
grep -q 'var.registry_credentials_secret' "$out/terraform/"*.tf && bad "a registry credential is still assumed"

# Compose: `docker login HOST` first, in the header and in --report.
"$DEPC" build --report --target compose tests/golden/cases/registries-targets.dep -o "$work/compose" \
	2> "$work/report" || bad "the compose build failed"
for host in registry.acme.example quay.io; do
	grep -q "^# images from registry [a-z]*: run \`docker login $host\` first" "$work/compose/compose.yaml" ||
		bad "compose.yaml does not say to log in to $host"
done
for svc in api audit reports; do
	grep -q "compose: dropped: service $svc: image: registry [a-z]*'s credential is not honoured by Compose" \
		"$work/report" || bad "--report does not name $svc's pull credential for Compose"
done
grep -q "service cache: image: registry" "$work/report" && bad "--report names cache, a public image"

[ $fail -eq 0 ] && echo "registries-pull-secret: ok"
exit $fail
