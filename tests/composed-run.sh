#!/bin/sh
# composed-run.sh - composed secret values reach the app byte for byte on
# every target, with hostile secret values and hostile literal text.
#
# tests/composed/run-env.dep and run-files.dep compose two values each
# from two secrets and text holding quotes, '$', '${', '%{', backticks,
# '\', "{{" and line breaks; the secret values hold all of those too, a
# leading '-' and a trailing line break.  Then, for each:
#   - ECS: the wrapper entrypoint of terraform/ecs.tf runs in dash and in
#     busybox sh, with each part in the variable its `secrets` entry names;
#     the command it execs writes out the composed values and the
#     environment, which must hold no part variable;
#   - Compose: compose.yaml is loaded by Compose's own loader (the
#     docker-compose package), interpolating the secrets' variables: a
#     value read as a variable must come out exact; read as a file, the
#     wrapper entrypoint after Compose's "$$" unescaping runs in dash and
#     busybox sh with the parts as files, and writes the value's file;
#   - Kubernetes: each ExternalSecret template, rendered by the rules of
#     Go's text/template for the actions depc writes, gives the value.
# Every result is compared with the expected bytes by cmp.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || exit 2
. "$srcdir/tests/need.sh"
# Compose's loader is Python; Debian's docker-compose installs it for the
# system python3.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
need_cmd dash busybox docker-compose
"$py" -c 'import compose.config.config, yaml' 2>/dev/null ||
	need_missing="$need_missing python3-compose-module(docker-compose)"
need_all

work=$(mktemp -d "${TMPDIR:-/tmp}/depc-composed.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# The secret values: every character a shell, Compose or a template could
# take for syntax, a value that looks like an option, trailing newlines.
PW="p'w\"\$(id)\`x\` \\n \${HOME} \$\$ {{ .token }} %{y}
second line
"
TOKEN='-n *'
export PW TOKEN

# What the app must read: the source's text, decoded, around the parts.
printf '%s' "q'x\"y \$HOME \`id\` \\ {{ .pw }} \${HOME} {$PW}|$TOKEN|$PW%{z} {" > "$work/want.URL"
printf '%s' "line 'one' \"two\" \$5
$TOKEN
tail\\" > "$work/want.MULTI"

same() { # FILE NAME WHAT
	if cmp -s "$work/want.$2" "$1"; then ok; else
		bad "$3: $2 differs"
		od -c "$1" | head -n 8
	fi
}

build() { # NAME
	mkdir -p "$work/$1/x"
	if ! "$DEPC" build "$srcdir/tests/composed/$1.dep" -o "$work/$1/out" 2>"$work/$1/err"; then
		bad "$1 does not build"
		cat "$work/$1/err"
		return 1
	fi
}

# Runs a wrapper script in shell $1 with the command that writes out the
# values ($2: the directory) and the environment.
run_wrapper() { # SHELL DIR SCRIPT_FILE [VAR=VALUE...]
	sh_=$1 dir=$2 script=$3
	shift 3
	mkdir -p "$dir"
	env -i PATH="$PATH" "$@" $sh_ -c "$(cat "$script")" sh \
		$sh_ -c 'printf %s "${URL-}" > "$1/URL"; printf %s "${MULTI-}" > "$1/MULTI"
			env > "$1/env"' sh "$dir"
}

# --- ECS ----------------------------------------------------------------------
if build run-env; then
	out="$work/run-env/out" x="$work/run-env/x"
	"$py" "$srcdir/tests/composed-run.py" ecs "$out" "$x" || bad "ecs: no wrapper"
	for shell in dash "busybox sh"; do
		# each part variable holds the secret its valueFrom names
		set --
		while read -r var secret; do
			case $secret in pw) set -- "$@" "$var=$PW" ;; token) set -- "$@" "$var=$TOKEN" ;; esac
		done < "$x/api.ecs.parts"
		[ $# -eq 3 ] || bad "ecs: $# part variables, not 3"
		d="$x/ecs-$(echo "$shell" | tr ' ' -)"
		run_wrapper "$shell" "$d" "$x/api.ecs.sh" "$@" || bad "ecs ($shell): the wrapper failed"
		same "$d/URL" URL "ecs ($shell)"
		same "$d/MULTI" MULTI "ecs ($shell)"
		if grep -q DEPC_PART "$d/env"; then bad "ecs ($shell): a part variable reaches the app"; else ok; fi
	done
	[ "$(tr '\0' ' ' < "$x/api.ecs.command")" = "node server.js" ] && ok ||
		bad "ecs: the wrapper does not run the build's start"

	# --- Compose, read as variables: Compose interpolates the value itself
	(cd "$out" && SECRET_PW="$PW" SECRET_TOKEN="$TOKEN" \
		"$py" "$srcdir/tests/composed-run.py" compose . "$x") || bad "compose: cannot load"
	same "$x/api.env.URL" URL "compose (variables)"
	same "$x/api.env.MULTI" MULTI "compose (variables)"

	# --- Kubernetes
	"$py" "$srcdir/tests/composed-run.py" k8s "$out" "$x" || bad "k8s: render"
	same "$x/api-url-api-url.k8s" URL "k8s"
	same "$x/api-multi-api-multi.k8s" MULTI "k8s"
fi

# --- Compose, read as files: the wrapper writes each value's file
if build run-files; then
	out="$work/run-files/out" x="$work/run-files/x"
	mkdir -p "$out/secrets"
	printf '%s' "$PW" > "$out/secrets/pw"
	printf '%s' "$TOKEN" > "$out/secrets/token"
	(cd "$out" && "$py" "$srcdir/tests/composed-run.py" compose . "$x") || bad "compose (files): cannot load"
	for shell in dash "busybox sh"; do
		d="$x/files-$(echo "$shell" | tr ' ' -)"
		mkdir -p "$d/composed"
		# The container's /run/secrets and /run/composed, here.
		sed -e "s|/run/secrets/|$out/secrets/|g" -e "s|/run/composed/|$d/composed/|g" \
			"$x/api.entrypoint.sh" > "$d.sh"
		run_wrapper "$shell" "$d" "$d.sh" || bad "compose files ($shell): the wrapper failed"
		for name in URL MULTI; do
			path=$(cat "$x/api.env.${name}_FILE")
			[ "$path" = "/run/composed/$name" ] && ok || bad "compose files: ${name}_FILE is $path"
			same "$d/composed/$name" "$name" "compose files ($shell)"
		done
		if [ "$(find "$d/composed" -type f -perm 600 | wc -l)" -eq 2 ]; then ok; else
			bad "compose files ($shell): the files are not private to the user"
		fi
	done
	"$py" "$srcdir/tests/composed-run.py" k8s "$out" "$x" || bad "k8s (files): render"
	same "$x/api-url-api-url.k8s" URL "k8s (files)"
	same "$x/api-multi-api-multi.k8s" MULTI "k8s (files)"
fi

echo "composed-run: $pass passed, $fail failed"
[ $fail -eq 0 ]
