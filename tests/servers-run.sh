#!/bin/sh
# servers-run.sh - the stdlib's databases, cache and proxy run from
# Debian's packages with what compose.yaml gives them, probed by the
# generated Compose healthchecks and Kubernetes exec probes, and a
# server bound the way std/node's Next.js template binds it answering
# its probe (tests/node/servers-run.mjs says how).  MongoDB is left out:
# Debian has no server package for it.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
cd "$srcdir" || exit 2
# Debian keeps PostgreSQL's server programs in a directory per version.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
export PG_BIN
for tool in node redis-server redis-cli mariadbd mariadb-install-db mariadb mysqladmin nginx wget psql \
	    "$PG_BIN/postgres" "$PG_BIN/initdb" "$PG_BIN/pg_isready"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool is not installed"
		exit 77
	fi
done
if [ "$(id -u)" = 0 ] && ! command -v runuser >/dev/null 2>&1; then
	echo "SKIP: runuser is needed to start PostgreSQL as an unprivileged user"
	exit 77
fi
tools="${DEPC_TOOLS_SRCDIR:-$PWD}"
if [ ! -d "$tools/tests/node/node_modules/js-yaml" ]; then
	echo "SKIP: js-yaml not installed in tests/node"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/depc-servers.XXXXXX") || exit 2
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP

# Six distinct free loopback ports.
ports=$(node -e '
	const net = require("net");
	const take = () => new Promise((r) => { const s = net.createServer();
		s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
	(async () => { const seen = new Set(); while (seen.size < 6) seen.add(await take());
		console.log([...seen].join(" ")); })();')
set -- $ports
sed -e "s/@PG_PORT@/$1/g" -e "s/@REDIS_PORT@/$2/g" -e "s/@MYSQL_PORT@/$3/g" \
    -e "s/@WEB_PORT@/$4/g" -e "s/@NGINX_PORT@/$5/g" -e "s/@PGF_PORT@/$6/g" \
    tests/servers/app.dep > "$work/app.dep"
if ! "$DEPC" build --target compose,k8s "$work/app.dep" -o "$work/out" 2> "$work/log"; then
	cat "$work/log"
	echo "FAIL: tests/servers/app.dep does not build"
	exit 1
fi
mkdir "$work/run"
timeout 180 node "$tools/tests/node/servers-run.mjs" "$work/out" "$work/run"
