#!/bin/sh
# template-params.sh - on every template of the standard library, each
# parameter is a member: "${svc.PARAM}" stands for the argument given for
# it, or its default, and never for a field of the same name set to
# something else (E0230 keeps the two apart).  Parameters are read from
# the templates' own signatures, so a template added later is covered.
# Also: a reference to a number in `env` stands for its text
# (DB_PORT = db.port), and a secret parameter is never text (E0215).
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tparams.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# "NAME|DEFAULT" per parameter of template $2 in $1 (DEFAULT as written,
# empty when required): the text between '(' and ') {', split at commas.
params() {
	awk -v t="$2" '
		$0 ~ "^template service " t "\\(" { on = 1 }
		on { sig = sig $0 " " }
		on && /\) *\{/ { on = 0 }
		END {
			sub(/^[^(]*\(/, "", sig); sub(/\) *\{.*$/, "", sig)
			n = split(sig, p, ",")
			for (i = 1; i <= n; i++) {
				gsub(/^ +| +$/, "", p[i])
				if (p[i] == "")
					continue   # after a trailing comma
				eq = index(p[i], "=")
				if (eq) {
					name = substr(p[i], 1, eq - 1); def = substr(p[i], eq + 1)
					gsub(/ /, "", name); gsub(/^ +| +$/, "", def)
				} else { name = p[i]; def = "" }
				print name "|" def
			}
		}' "$1"
}

for file in "$srcdir"/stdlib/*.dep; do
	module=$(basename "$file" .dep)
	for t in $(sed -n 's/^template service \([a-z_0-9]*\)(.*/\1/p' "$file"); do
		callee=$t
		[ "$t" = "$module" ] || callee="$module.$t"
		args="" envs="" expect="$tmp/expect"
		: > "$expect"
		for p in $(params "$file" "$t" | tr ' ' '\001'); do
			p=$(printf '%s' "$p" | tr '\001' ' ')
			name=${p%%|*} def=${p#*|}
			case $name in
			*password*|*secret*) args="$args, $name = pw"; continue ;;
			esac
			if [ -z "$def" ]; then
				args="$args, $name = \"given-$name\""
				value="given-$name"
			else
				value=$(printf '%s' "$def" | sed 's/^"\(.*\)"$/\1/')
			fi
			key=$(printf 'P_%s' "$name" | tr 'a-z' 'A-Z')
			envs="$envs    $key = \"\${s.$name}\"
"
			printf '%s=%s\n' "$key" "$value" >> "$expect"
		done
		args=${args#, }
		cat > "$tmp/t.dep" <<DEP
import "std/$module"
app a { version = "1.0.0"  registry = "ghcr.io/acme/a" }
secret pw { vault = "prod/pw"  rotate = 720h }
service s = $callee($args) {
  env {
$envs  }
}
DEP
		if ! "$DEPC" build "$tmp/t.dep" --target compose -o - > "$tmp/out" 2> "$tmp/err"; then
			bad "$callee: does not build"; cat "$tmp/err"; continue
		fi
		while IFS='=' read -r key value; do
			got=$(sed -n "s/^ *$key: //p" "$tmp/out" | sed 's/^"\(.*\)"$/\1/')
			if [ "$got" = "$value" ]; then ok
			else bad "$callee: \${s.$(echo "${key#P_}" | tr 'A-Z' 'a-z')} is '$got', expected '$value'"; fi
		done < "$expect"
	done
done

# The database templates' user is the database user; the uid is the field.
cat > "$tmp/db.dep" <<'DEP'
import "std/mysql"
app a { version = "1.0.0"  registry = "ghcr.io/acme/a" }
secret pw { vault = "prod/pw"  rotate = 720h }
secret root { vault = "prod/root"  rotate = 720h }
service db = mysql(database = "shop", password = pw, root_password = root, username = "shop")
service web {
  image = "nginx:1.27-alpine"
  port  = 8080
  uses  = [db]
  health { liveness = tcp() }
  resources { cpu = 100m..200m  memory = 64Mi..128Mi }
  env {
    DB_USER = "${db.username}"
    DB_UID  = db.user
    DB_PORT = db.port
    DB_URL  = "mysql://${db.username}@${db.host}:${db.port}/shop"
  }
}
DEP
if "$DEPC" build "$tmp/db.dep" --target compose -o - > "$tmp/out" 2> "$tmp/err"; then
	for want in 'DB_USER: shop' 'DB_UID: "999"' 'DB_PORT: "3306"' 'DB_URL: mysql://shop@db:3306/shop'; do
		if grep -q "^ *$want\$" "$tmp/out"; then ok; else bad "db.dep: no '$want' in compose.yaml"; fi
	done
else
	bad "db.dep does not build"; cat "$tmp/err"
fi

sed 's/DB_USER = "${db.username}"/DB_USER = "${db.password}"/' "$tmp/db.dep" > "$tmp/secret.dep"
if "$DEPC" check --color never "$tmp/secret.dep" 2>&1 | grep -q 'error\[E0215\]'; then ok
else bad "\${db.password} is not E0215"; fi

echo "template-params: $pass passed, $fail failed"
[ $fail -eq 0 ]
