#!/bin/sh
# build.sh - builds the libFuzzer targets with clang, ASan and UBSan.
#
# The library is compiled again here, from src/*.c and the generated
# grammar/*.c of the configured build tree, because the fuzzers need every
# object instrumented by clang; the ordinary build is left alone.
# Usage: build.sh SRCDIR BUILDDIR OUTDIR   (`make fuzz` passes them)
#
# AFL++: the harnesses are plain LLVMFuzzerTestOneInput functions, and
# AFL++'s afl-clang-fast links them with its own libFuzzer-compatible
# driver when given -fsanitize=fuzzer (and instruments, ignoring
# fuzzer-no-link, the library objects), so the same script builds them
# with FUZZ_CC=afl-clang-fast.  `make fuzz-afl` does that into
# tests/fuzz/afl-bin (Debian: apt-get install afl++), and
# `make fuzz-afl-run AFL_SECONDS=600` runs, from the build tree:
#   afl-fuzz -V 600 -t 10000 -m none -x tests/fuzz/dep.dict \
#     -i tests/fuzz/corpus/compile -o tests/fuzz/afl-out \
#     -- tests/fuzz/afl-bin/fuzz_compile
# (with AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 on a shared machine).
# Crashes land in tests/fuzz/afl-out/default/crashes; replay one with
# `tests/fuzz/afl-bin/fuzz_compile FILE`, and keep it, once fixed, in
# tests/fuzz/regressions/ like a libFuzzer crash.
set -eu
srcdir=${1:-.}
builddir=${2:-.}
out=${3:-$builddir/tests/fuzz/bin}
CC=${FUZZ_CC:-clang}
FLAGS="-std=c11 -D_DEFAULT_SOURCE -g -O1 -fno-omit-frame-pointer
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
INC="-I$srcdir/src -I$builddir/grammar -I$builddir/src -I$builddir
  $(pkg-config --cflags yaml-0.1 libcjson libutf8proc)"
LIBS="$(pkg-config --libs yaml-0.1 libcjson libutf8proc) -lm"
obj=$out/obj
mkdir -p "$obj"
# Objects do not track the headers they include; when any header (or this
# script) is newer than the last build, every object is rebuilt, so no
# object is ever linked against a struct layout it was not compiled with.
stamp=$obj/.stamp
if [ -f "$stamp" ]; then
	for h in "$srcdir"/src/*.h "$srcdir"/src/*.def "$builddir"/grammar/*.h "$0"; do
		if [ "$h" -nt "$stamp" ]; then rm -f "$obj"/*.o; break; fi
	done
fi
touch "$stamp"
objs=
for f in "$srcdir"/src/*.c "$builddir"/src/stdlib_data.c "$builddir"/src/explain_data.c \
	 "$builddir"/grammar/parser.c "$builddir"/grammar/lexer.c; do
	case $f in */main.c) continue ;; esac
	o=$obj/$(basename "$f" .c).o
	case " $objs " in *" $o "*) continue ;; esac
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$0" -nt "$o" ]; then
		echo "  CC(fuzz) $f"
		$CC $FLAGS $INC -c "$f" -o "$o"
	fi
	objs="$objs $o"
done
for t in fuzz_compile fuzz_lsp; do
	echo "  LD(fuzz) $out/$t"
	$CC $FLAGS -fsanitize=fuzzer $INC "$srcdir/tests/fuzz/$t.c" $objs $LIBS -o "$out/$t"
done
