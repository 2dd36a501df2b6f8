# need.sh - sourced by the tests that run third-party tools: each names
# every tool it needs, then need_all skips the test (exit 77) listing all
# that are missing at once.  The reason goes to the test's log and, under
# `make check` (which opens descriptor 9 on the console), to the console.
#
#   . "$srcdir/tests/need.sh"
#   need_cmd docker-compose promtool     # commands on PATH
#   need_npm js-yaml @cdktf/hcl2json     # packages in tests/node
#   need_all
#
# `make check-tools` (tests/install-tools.sh) installs all of them.
need_missing=""
need_tools="${DEPC_TOOLS_SRCDIR:-${srcdir:-.}}"

need_cmd() {
	for need_c in "$@"; do
		command -v "$need_c" >/dev/null 2>&1 || need_missing="$need_missing $need_c"
	done
}

need_npm() {
	for need_p in "$@"; do
		[ -d "$need_tools/tests/node/node_modules/$need_p" ] ||
			need_missing="$need_missing $need_p(npm)"
	done
}

need_all() {
	[ -z "$need_missing" ] && return 0
	need_list=$(echo $need_missing | sed 's/ /, /g')
	need_why="SKIP: $(basename "$0" .sh): missing $need_list (make check-tools installs them)"
	echo "$need_why"
	# descriptor 9 is the console under make check (AM_TESTS_FD_REDIRECT)
	if { true >&9; } 2>/dev/null; then echo "$need_why" >&9; fi
	exit 77
}
