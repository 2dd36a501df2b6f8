#!/bin/sh
# injection.sh - no string from the source changes the structure of an
# output, and every one reaches it exactly (tests/inject/roundtrip.py):
# the fixed corpus tests/inject/corpus.txt, each string through every
# string slot of tests/inject/template.dep, the output directory and the
# source file named with it.  `make fuzz-inject` runs random cases
# without end.
#
# DEPC_TOOLS_SRCDIR: a source tree whose tests/node holds the installed
# npm packages (dockerfile-ast, @cdktf/hcl2json), e.g. for distcheck.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is not installed"
	exit 77
fi
DEPC_NODE_MODULES="${DEPC_TOOLS_SRCDIR:-$srcdir}/tests/node/node_modules"
export DEPC_NODE_MODULES
exec python3 "$srcdir/tests/inject/roundtrip.py" --depc "$DEPC" \
	--cases "$srcdir/tests/inject/corpus.txt"
