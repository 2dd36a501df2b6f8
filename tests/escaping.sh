#!/bin/sh
# escaping.sh - template syntax in the source stays text in every output.
#
# tests/golden/cases/escaping.dep puts "${{ github.token }}" (an Actions
# expression), "${var.x}" (a Terraform interpolation) and "%{ if true }"
# (a Terraform directive) into environment values, build arguments,
# pipeline steps, a secret's vault path and property.  This builds every
# target and checks, format by format, that each comes out inert:
#   Actions    no "${{" but depc's own expressions and the escape
#              ${{ '${{' }}, which evaluates to the text "${{"
#   Terraform  "$${" and "%%{"; HCL's parser then sees no reference
#   Compose    every '$' doubled
#   Dockerfile every '$' written "\$"
# (Kubernetes expands only $(VAR), so "${" is already text there.)
# Then it builds tests/inject/regressions.dep, the reproducers of each
# injection found before (a Dockerfile line continued or flagged from a
# value, names breaking out of comments, a here-document closed early,
# a '$' Compose would expand, a timestamp read as a date), from a file
# and into a directory with hostile names, and checks each is inert.
# The patterns below are literal text, not shell expansions.
# shellcheck disable=SC2016
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-escaping.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT INT TERM

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

out="$work/out"
if ! "$DEPC" build tests/golden/cases/escaping.dep -o "$out" 2>"$work/err"; then
	cat "$work/err"
	echo "FAIL: tests/golden/cases/escaping.dep does not build"
	exit 1
fi

# --- GitHub Actions ----------------------------------------------------------
wf="$out/.github/workflows/inject.yml"
if [ -f "$wf" ]; then ok; else bad "no workflow at $wf"; fi
if grep -q "\${{ '\${{' }} github.token }}" "$wf"; then ok; else
	bad "the step's \${{ github.token }} is not escaped in $wf"; fi
# Without the escapes, every expression left must be one depc writes.
sed "s/\${{ '\${{' }}//g" "$wf" | grep -o '\${{[^}]*}}' | sort -u > "$work/exprs"
allowed='^\${{ (github\.(sha|actor|repository|server_url|workflow|ref)'
allowed="$allowed|github\.event_name == '(push|pull_request)'"
allowed="$allowed|secrets\.[A-Z0-9_]+|vars\.[A-Z0-9_]+|env\.[A-Z0-9_]+_VERSION) }}\$"
if grep -Ev "$allowed" "$work/exprs" > "$work/stray"; then
	bad "expressions depc did not write in $wf:"
	cat "$work/stray"
else
	ok
fi

# --- Terraform ---------------------------------------------------------------
for tf in "$out"/terraform/*.tf; do
	if grep -En '(^|[^$])\$\{(var\.x|\{ github)|(^|[^%])%\{ (if|endif)' "$tf" > "$work/raw"; then
		bad "unescaped template sequence in $tf:"
		cat "$work/raw"
	else
		ok
	fi
done
if grep -q '\$\${var.x}' "$out/terraform/ecs.tf" && grep -q '%%{ if true }' "$out/terraform/ecs.tf"; then
	ok
else
	bad "the environment values are missing from terraform/ecs.tf"
fi
# HashiCorp's parser must see no reference to the undeclared var.x.
if command -v node >/dev/null 2>&1 && [ -d tests/node/node_modules/@cdktf/hcl2json ]; then
	if node tests/hcl2json.cjs "$out/terraform" > "$work/hcl" 2>&1; then ok; else
		bad "terraform/ through HCL's parser:"; cat "$work/hcl"; fi
fi

# --- Compose and Dockerfile ----------------------------------------------------
# On the lines carrying the strings, no '$' may stand alone.
lines_with_strings() { grep -E 'github\.token|var\.x' "$1"; }
lines_with_strings "$out/compose.yaml" | sed 's/\$\$//g' | grep '\$' > "$work/compose"
if [ -s "$work/compose" ]; then bad "single '\$' in compose.yaml:"; cat "$work/compose"; else ok; fi
lines_with_strings "$out/web/Dockerfile" | sed 's/\\\$//g' | grep '\$' > "$work/docker"
if [ -s "$work/docker" ]; then bad "unescaped '\$' in web/Dockerfile:"; cat "$work/docker"; else ok; fi
if [ "$(lines_with_strings "$out/compose.yaml" | wc -l)" -ge 4 ] &&
   [ "$(lines_with_strings "$out/web/Dockerfile" | wc -l)" -ge 2 ]; then
	ok
else
	bad "the strings are missing from compose.yaml or web/Dockerfile"
fi

# --- the injections themselves (tests/inject/regressions.dep) -----------------
# Built from a file and into a directory with hostile names; the
# diagnostics for what cannot be written at all are tests/errors/text-*.
reg="$work/reg"
mkdir -p "$reg"
name=$(printf 'app\n---\nkind: ConfigMap\nmetadata: {name: evil}\n#')
dir=$(printf 'out$HOME\nDEPC_EOF\npwned')
cp tests/inject/regressions.dep "$reg/$name.dep"
if (cd "$reg" && "$DEPC" build --allow E0408 --allow E0419 --allow E0420 --allow E0422 --allow E0423 \
	"./$name.dep" -o "./$dir") 2>"$work/err"; then ok; else
	bad "tests/inject/regressions.dep does not build:"; cat "$work/err"; fi
rout="$reg/$dir"
# Dockerfile: the trailing '\' and the leading "--" stay inside their RUN,
# so the next line is still its own instruction.
df="$rout/web/Dockerfile"
if grep -qxF 'RUN ["/bin/sh","-c","npm ci \\"]' "$df" && grep -qxF 'COPY . .' "$df" &&
   grep -qxF 'RUN ["/bin/sh","\u002dc","\u002d\u002dmount=type=cache,target=/x npm run build"]' "$df"; then
	ok
else
	bad "web/Dockerfile lets install or compile reach the parser:"; cat "$df"
fi
# Comments: the file name and app.vault stay inside their comment lines.
if grep -rlx -e '---' -e 'kind: ConfigMap' -e 'evil: 1' "$rout" > "$work/broke"; then
	bad "a name broke out of a comment in:"; cat "$work/broke"
else
	ok
fi
# Compose: every '$' of a value doubled (image, volume target, tmpfs,
# driver, build context, dockerfile path; placement is Swarm's and no
# longer written).
for want in 'context: ../src$$D' '- data:/var/lib/$$USER' '- /tmp/$$T' \
	    'driver: $$DRV' '../out$$HOME'; do
	if grep -qF -- "$want" "$rout/compose.yaml"; then ok; else
		bad "compose.yaml has no '$want'"; fi
done
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
	# YAML: every file is one document, each string value a string for
	# a YAML 1.1 reader; and the workflow's overlay script, run by bash
	# with commands recorded, runs only what depc wrote.
	if python3 - "$rout" > "$work/py" 2>&1 <<'PY'
import os, subprocess, sys, tempfile, yaml
root = sys.argv[1]
bad = []
for d, _, names in os.walk(root):
    for n in names:
        p = os.path.join(d, n)
        if not n.endswith((".yaml", ".yml")):
            continue
        docs = list(yaml.load_all(open(p), Loader=yaml.CSafeLoader))
        if len(docs) != 1 or "evil" in docs[0]:
            bad.append("%s: %d documents, keys %s" % (p, len(docs), sorted(docs[0])))
env = yaml.load(open(os.path.join(root, "compose.yaml")), Loader=yaml.CSafeLoader)
env = env["services"]["web"]["environment"]
for k, v in {"BUILD_DATE": "2024-01-15 10:00:00", "FLAG": "yes", "MODE": "0777",
             "AT": "2024-01-15"}.items():
    if env.get(k) != v:
        bad.append("compose.yaml: %s is %r" % (k, env.get(k)))
wf = yaml.load(open(os.path.join(root, ".github/workflows/shop.yml")), Loader=yaml.CSafeLoader)
steps = [s for j in wf["jobs"].values() for s in j.get("steps", [])]
script = [s["run"] for s in steps if s.get("name", "").startswith("Set the built images")][0]
work = tempfile.mkdtemp()
rec = os.path.join(work, "rec")
hook = ('command_not_found_handle() { printf "%s\\n" "$1" >> "$REC";'
        ' case $1 in mkdir) shift; /bin/mkdir "$@";; cat) /bin/cat;; esac; }\n')
subprocess.run(["/bin/bash", "--norc", "-c", hook + script], cwd=work,
               env={"PATH": "/nonexistent", "REC": rec}, timeout=20)
ran = open(rec).read().split()
if ran != ["mkdir", "cat"]:
    bad.append("the overlay script ran %s" % ran)
k = yaml.load(open(os.path.join(work, ".depc-deploy/kustomization.yaml")), Loader=yaml.CSafeLoader)
if k["resources"] != ["../out$HOME\nDEPC_EOF\npwned/k8s"]:
    bad.append("the overlay's resources are %r" % k["resources"])
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	then ok; else bad "read back:"; cat "$work/py"; fi
else
	echo "SKIP: python3 with PyYAML (python3-yaml) is missing: read-back checks not run"
fi
if command -v docker-compose >/dev/null 2>&1; then
	mkdir -p "$reg/src\$D"
	if (cd "$rout" && docker-compose -f compose.yaml config -q) > "$work/dc" 2>&1; then ok; else
		bad "docker-compose config on compose.yaml:"; cat "$work/dc"; fi
fi

# --- writers only --------------------------------------------------------------
# No backend writes a comment line or a Dockerfile line itself: comments go
# through yaml_comment, hcl_comment and docker_comment (escape_comment),
# Dockerfile instructions through docker_out.c.
if grep -nE 'strbuf_(printf|puts)\([^,]+, *"#' src/emit_*.c src/alert_rules.c > "$work/raw" ||
   grep -n 'strbuf_' src/emit_docker.c >> "$work/raw"; then
	bad "backend code writes comments or Dockerfile lines itself:"; cat "$work/raw"
else
	ok
fi

echo "escaping: $pass passed, $fail failed"
[ $fail -eq 0 ]
