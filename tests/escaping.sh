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

echo "escaping: $pass passed, $fail failed"
[ $fail -eq 0 ]
