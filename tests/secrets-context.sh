#!/bin/sh
# secrets-context.sh - no secret or key file reaches an image.
#
# The recommended layout: the .dep file at the repository root, the
# output in deploy/, the build context the repository root.  With the
# Compose secret files in deploy/secrets/, keys and .env files at every
# depth, the files the context sends under the generated
# Dockerfile.dockerignore (computed by tests/dockerignore.cjs, Docker's
# documented pattern rules) hold none of them, and do hold the sources.
# The generated .gitignore keeps deploy/secrets out of git (checked with
# git itself when it is installed).
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd) || exit 2
DEPC=$(cd "$(dirname "$DEPC")" && pwd)/$(basename "$DEPC")
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node not installed (it runs tests/dockerignore.cjs)"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-secrets.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

repo=$work/repo
mkdir -p "$repo/.git" "$repo/src/lib" "$repo/certs" "$repo/config" "$repo/ops/keys" "$repo/app/secrets"
cp "$srcdir/examples/webapp.dep" "$repo/app.dep"
echo '{}' > "$repo/package.json" && echo 'x' > "$repo/src/index.js" && echo 'y' > "$repo/src/lib/util.js"
echo 'module' > "$repo/app/secrets/handler.js"   # source code that is merely named so
(cd "$repo" && "$DEPC" build app.dep -o deploy 2>/dev/null) || bad "build"
mkdir -p "$repo/deploy/secrets"
for s in database_url redis_url db_password cache_password; do echo "value" > "$repo/deploy/secrets/$s"; done
echo 'KEY' > "$repo/certs/x.key" && echo 'PEM' > "$repo/certs/server.pem"
echo 'A=1' > "$repo/.env" && echo 'A=2' > "$repo/config/.env.production"
echo 'K' > "$repo/ops/keys/id_ed25519" && echo 'P' > "$repo/ops/keys/deploy.p12"
echo '[core]' > "$repo/.git/config"

ignore=$repo/deploy/web/Dockerfile.dockerignore
node "$srcdir/tests/dockerignore.cjs" "$repo" "$ignore" > "$work/context" || bad "the matcher failed"
leaked=$(grep -E '(^|/)(secrets/|\.env|\.git/)|\.(key|pem|p12)$|id_ed25519' "$work/context" | grep -v '^app/secrets/handler.js$')
[ -z "$leaked" ] && ok || bad "secret or key files in the image context: $leaked"
for f in package.json src/index.js src/lib/util.js app.dep app/secrets/handler.js; do
	grep -qx "$f" "$work/context" && ok || bad "$f is missing from the image context"
done

# Each ignore pattern appears once (the defaults cover the template's
# own .git and .env* entries).
dupes=$(grep -v '^#' "$ignore" | sort | uniq -d)
[ -z "$dupes" ] && ok || bad "repeated .dockerignore lines: $dupes"

# The generated .gitignore keeps deploy/secrets out of a commit.
grep -qx '/secrets/' "$repo/deploy/.gitignore" && ok || bad "no .gitignore for the secrets directory"
if command -v git >/dev/null 2>&1; then
	rm -rf "$repo/.git"
	(cd "$repo" && git init -q . && git add -A . 2>/dev/null)
	staged=$(cd "$repo" && git ls-files --cached deploy/secrets)
	[ -z "$staged" ] && ok || bad "git would commit: $staged"
else
	echo "SKIP: (one case) git not installed"
fi

# Each `ignore` entry leaves out exactly the path it names, whatever
# Docker's ignore-file syntax makes of its characters: a leading '#' (a
# comment) or '!' (an exception), blanks at either end (trimmed), a
# trailing '\\' (a bad pattern); globs keep their meaning.
odd=$work/odd
mkdir -p "$odd/.git" "$odd/logs"
cat > "$odd/app.dep" <<'DEP'
app shop {
  version  = "1.4.0"
  registry = "ghcr.io/acme/shop"
}

service web {
  port      = 3000
  build {
    runtime   = node
    version   = "20.9.0-alpine"
    manifests = ["package.json"]
    start     = ["node", "server.js"]
    ignore    = ["#notes", "!bang", " lead", "trail ", "back\\", "logs/*.log"]
  }
  health    { liveness = http("/health") }
  resources { cpu = 100m..500m  memory = 128Mi..256Mi }
}
DEP
for f in '#notes' '!bang' ' lead' 'trail ' 'back\' notes bang lead trail back package.json \
	logs/a.log logs/keep.txt; do
	echo x > "$odd/$f"
done
(cd "$odd" && "$DEPC" build app.dep -o deploy 2>"$work/odd.err") || bad "build with odd ignore entries: $(cat "$work/odd.err")"
grep -q 'warning\[W0077\]' "$work/odd.err" && ok || bad "no W0077 for the '!' entry"
node "$srcdir/tests/dockerignore.cjs" "$odd" "$odd/deploy/web/Dockerfile.dockerignore" > "$work/odd.context" \
	|| bad "the matcher failed on the odd patterns"
for f in '#notes' '!bang' ' lead' 'trail ' 'back\' logs/a.log; do
	grep -qxF "$f" "$work/odd.context" && bad "'$f' is in the context" || ok
done
for f in notes bang lead trail back package.json logs/keep.txt app.dep; do
	grep -qxF "$f" "$work/odd.context" && ok || bad "'$f' is missing from the context"
done

echo "secrets-context: $pass passed, $fail failed"
[ $fail -eq 0 ]
