#!/bin/sh
# install-tools.sh - installs every tool the tests run the generated files
# through, so that `make check` skips nothing: docker-compose, promtool,
# zsh and fish (completion scripts), debootstrap (the quick-start test),
# dash and busybox (the composed-secret wrapper, tests/composed-run.sh),
# Node.js and the npm validators of tests/node/package.json (with Pkl,
# which `make bench` runs beside depc).  Debian
# packages come from apt-get, as root or through sudo.  `make check-tools`
# runs it; .ci/run too.
set -eu
cd "${1:-$(dirname "$0")/..}"

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else echo "install-tools: run as root, or install sudo: apt-get $*" >&2; exit 1
	fi
}

export DEBIAN_FRONTEND=noninteractive
missing=""
# The real-run tests start PostgreSQL, Redis, MariaDB, nginx and
# Prometheus themselves, on random loopback ports; busybox runs the
# health checks of std/go's runner image (Alpine's busybox) in tests/workers.sh.
for p in docker-compose prometheus zsh fish debootstrap postgresql redis-server \
	mariadb-server nginx-light curl wget util-linux neovim dash busybox jq shellcheck; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
# dash and busybox sh run the wrapper that composes secret values.
# Node.js may come from elsewhere than Debian; install it only if absent.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
	echo "install-tools: apt-get install$missing"
	as_root apt-get update -qq
	# shellcheck disable=SC2086
	as_root apt-get install -y -qq $missing >/dev/null
fi
# The packages start their servers; the tests start their own and need
# none of these.
if command -v systemctl >/dev/null 2>&1; then
	as_root systemctl stop prometheus prometheus-node-exporter postgresql redis-server \
		mariadb nginx >/dev/null 2>&1 || true
fi
echo "install-tools: npm install --prefix tests/node"
npm install --prefix tests/node --no-audit --no-fund --loglevel=error
