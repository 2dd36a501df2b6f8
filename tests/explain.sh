#!/bin/sh
# explain.sh - every diagnostic code has a `depc explain` page, and each
# page's example really yields that code.
#
# For every code printed by `depc explain --list`:
#   - `depc explain CODE` exits 0 and prints the page, which is exactly
#     src/explain/CODE.md (so a page missing from the binary, or a binary
#     built before the page changed, fails);
#   - the page's first example block is checked with `depc check`; it must
#     exit 1 and report [CODE] and no other code;
#   - the page's fix must check clean: exit 0, no output at all.
# A page for a code that is not in the list (a stale page) fails too.
#
# Blocks in a page (each closed by a line holding only ```):
#   ```dep [FLAGS]         the example; FLAGS go to `depc check`, or,
#                          when they start with the word `build`, the
#                          rest go to `depc build` (for a code only a
#                          build reports, such as where it writes)
#   ```dep-fixed [FLAGS]   the corrected input (required); checks clean
#   ```dep-file NAME       another file the example imports, written
#                          beside both the example and the fix
#   ```dep-fixed-file NAME that file as the fix has it
#   ```text                an input that cannot be shown as text (bad
#                          bytes, huge files): the example is generated
#                          here instead, by generate() below
# Other blocks are prose and not run.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/explain.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

pass=0 fail=0 skip=0
failed() {
	echo "FAIL: $code: $*"
	fail=$((fail + 1))
}

# Writes the example of a ```text page to $1; returns 1 when the code has
# no generator.
generate() {
	case $code in
	E0001)	# a Latin-1 byte (0xE9, 'é') in a string
		printf 'service web {\n  image       = "nginx:1.25-alpine"\n  description = "caf\351"\n}\n' > "$1" ;;
	E0002)	# a NUL byte after a field
		printf 'app shop {\n  version = "1.0"\000\n}\n' > "$1" ;;
	E0013)	# terminal colour codes (ESC, U+001B) pasted into a string
		printf 'service web {\n  image       = "nginx:1.25-alpine"\n  description = "\033[1mfront end\033[0m"\n}\n' > "$1" ;;
	E0102)	# 300 nested lists, past the limit of 256
		{ printf 'service web {\n  image   = "nginx:1.25-alpine"\n  command = '
		  i=0; while [ $i -lt 300 ]; do printf '['; i=$((i + 1)); done
		  printf '\n}\n'; } > "$1" ;;
	E0104)	# 60 distinct errors, past the limit of 50
		{ printf 'service web {\n  image = "nginx:1.25-alpine"\n'
		  i=1; while [ $i -le 60 ]; do printf '  field%d = %d\n' $i $i; i=$((i + 1)); done
		  printf '}\n'; } > "$1" ;;
	E0107)	# a 2 MiB description, past the limit of 1 MiB
		{ printf 'service web {\n  image       = "nginx:1.25-alpine"\n  description = "'
		  head -c 2097152 /dev/zero | tr '\0' A
		  printf '"\n}\n'; } > "$1" ;;
	E0108)	# 1,000,001 volumes, past the limit of 1,000,000
		awk 'BEGIN { for (i = 1; i <= 1000001; i++) printf "volume v%d { size = 1Gi }\n", i }' > "$1" ;;
	E0109)	# 1,100 uses of a parameter given 1,100 strings: 2.4M nodes
		awk 'BEGIN { n = 1100
			printf "template service t(p) {\n  image = \"nginx:1.25-alpine\"\n  command = ["
			for (i = 0; i < n; i++) printf "p, "
			printf "]\n}\nservice web = t(p = ["
			for (i = 0; i < n; i++) printf "\"a\", "
			printf "])\n" }' > "$1" ;;
	E0110)	# a chain of 65 references, past the limit of 64
		awk 'BEGIN { for (i = 1; i <= 65; i++)
				printf "service s%d { image = \"nginx:1.25-alpine\"  description = s%d.description }\n", i, i + 1
			print "service s66 { image = \"nginx:1.25-alpine\"  description = \"the end\" }" }' > "$1" ;;
	E0111)	# a text doubled 20 times: 2 MiB, past the limit of 1 MiB
		awk 'BEGIN { print "service s0 { image = \"nginx:1.25-alpine\"  description = \"ab\" }"
			for (i = 1; i <= 20; i++)
				printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s%d.description}${s%d.description}\" }\n", i, i - 1, i - 1 }' > "$1" ;;
	E0112)	# 70 copies of a 1,000,000-byte description, past 64 MiB
		awk 'BEGIN { printf "service s0 { image = \"nginx:1.25-alpine\"  description = \""
			for (i = 0; i < 1000; i++) printf "%1000s", ""
			print "\" }"
			for (i = 1; i <= 70; i++)
				printf "service s%d { image = \"nginx:1.25-alpine\"  description = \"${s0.description}\" }\n", i }' > "$1" ;;
	E0103)	# a file over 256 MiB; sparse, so it costs no disk and no time
		dd if=/dev/null of="$1" bs=1048576 seek=300 count=0 2>/dev/null ;;
	E0227)	# a secret named with 240 characters: a 260-byte file name
		awk 'BEGIN { name = "session_key_"; while (length(name) < 240) name = name "x"
			printf "secret %s { vault = \"production/key\"  rotate = 720h }\n", name
			print "service web {\n  image     = \"nginx:1.25-alpine\"\n  port      = 8080"
			printf "  secrets   { SESSION_KEY = %s }\n", name
			print "  health    { liveness = tcp() }\n  resources { cpu = 100m  memory = 128Mi }\n}" }' > "$1" ;;
	*)	return 1 ;;
	esac
}

# Splits page $1 into directory $2: ex/ holds the example and the files it
# imports, fix/ the fix; ex/flags and fix/flags the options; ex/text marks
# a ```text example.  Returns non-zero on a malformed page.
split_page() {
	mkdir -p "$2/ex" "$2/fix" && awk -v dir="$2" '
	function start(tag, rest) {
		body = ""; kind = ""
		if (tag == "dep" && !ex) { kind = "ex"; ex = 1; exflags = rest }
		else if (tag == "text" && !ex) { kind = "text"; ex = 1 }
		else if (tag == "dep-fixed" && !fix) { kind = "fix"; fix = 1; fixflags = rest }
		else if (tag == "dep-file" || tag == "dep-fixed-file") {
			if (rest !~ /^[A-Za-z0-9_-]+\.dep$/) { bad = "bad file name: " rest; return }
			kind = tag; name = rest
		}
	}
	inblock && /^```$/ {
		inblock = 0
		if (kind == "ex") { ex_text = body }
		else if (kind == "text") { print "" > (dir "/ex/text") }
		else if (kind == "fix") { fix_text = body }
		else if (kind == "dep-file") { files[name] = body }
		else if (kind == "dep-fixed-file") { fixfiles[name] = body }
		next
	}
	inblock { body = body $0 "\n"; next }
	/^```/ {
		inblock = 1
		line = substr($0, 4); tag = line; rest = ""
		if (match(line, / +/)) { tag = substr(line, 1, RSTART - 1); rest = substr(line, RSTART + RLENGTH) }
		start(tag, rest)
	}
	END {
		if (inblock) bad = "a block is never closed"
		if (bad != "") { print bad > "/dev/stderr"; exit 1 }
		if (ex_text != "") { printf "%s", ex_text > (dir "/ex/example.dep"); print exflags > (dir "/ex/flags") }
		if (fix_text != "") { printf "%s", fix_text > (dir "/fix/example.dep"); print fixflags > (dir "/fix/flags") }
		for (n in files) {
			printf "%s", files[n] > (dir "/ex/" n)
			if (!(n in fixfiles)) printf "%s", files[n] > (dir "/fix/" n)
		}
		for (n in fixfiles) printf "%s", fixfiles[n] > (dir "/fix/" n)
	}' "$1"
}

# Runs `depc check` on example.dep in directory $1 with the flags stored
# there; leaves the status in $status and stderr in $1/stderr.
run_check() {
	flags=$(cat "$1/flags" 2>/dev/null)
	# $flags is split into words on purpose: it holds options, not a name.
	# shellcheck disable=SC2086
	case $flags in
	build|build\ *)
		(cd "$1" && NO_COLOR=1 "$DEPC" build --color never ${flags#build} example.dep \
			>/dev/null 2>stderr) ;;
	*)
		(cd "$1" && NO_COLOR=1 "$DEPC" check --color never $flags example.dep \
			>/dev/null 2>stderr) ;;
	esac
	status=$?
}

# The codes other than $code that $1 reports.
other_codes() {
	awk -v code="$code" '{
		while (match($0, /(error|warning)\[[A-Z][0-9]+\]/)) {
			c = substr($0, RSTART, RLENGTH - 1); sub(/.*\[/, "", c)
			if (c != code && !(c in seen)) { seen[c] = 1; printf "%s ", c }
			$0 = substr($0, RSTART + RLENGTH)
		}
	}' "$1"
}

codes=$("$DEPC" explain --list | awk '{ print $1 }')
warnings=$("$DEPC" explain --list | awk '$2 == "warning" { print $1 }')
[ -n "$codes" ] || { echo "FAIL: 'depc explain --list' printed no codes"; exit 1; }

for code in $codes; do
	dir="$tmp/$code"
	mkdir -p "$dir"
	if ! "$DEPC" explain "$code" > "$dir/out" 2>&1; then
		failed "'depc explain $code' failed"; continue
	fi
	sed 1,2d "$dir/out" > "$dir/page"
	page="$srcdir/src/explain/$code.md"
	if ! grep -q . "$dir/page"; then
		failed "no page (write $page)"; continue
	elif [ ! -f "$page" ]; then
		failed "the binary has a page but $page does not exist"; continue
	elif ! cmp -s "$dir/page" "$page"; then
		failed "the binary's page differs from $page (rebuild src/depc)"; continue
	fi
	if ! split_page "$dir/page" "$dir"; then
		failed "malformed page"; continue
	fi

	if [ -f "$dir/ex/text" ]; then
		if ! generate "$dir/ex/example.dep"; then
			failed "a \`\`\`text example with no generator in tests/explain.sh"; continue
		fi
	elif [ ! -f "$dir/ex/example.dep" ]; then
		failed "the page has no \`\`\`dep example"; continue
	fi
	run_check "$dir/ex"
	skipped=0
	# A warning alone leaves the exit status 0; an error makes it 1.
	want=1
	case " $(echo $warnings) " in *" $code "*) want=0 ;; esac
	if [ $status -ne $want ]; then
		failed "example: exit status $status, expected $want"; sed 's/^/  /' "$dir/ex/stderr"; continue
	elif ! grep -q "\[$code\]" "$dir/ex/stderr"; then
		failed "example does not report [$code]"; sed 's/^/  /' "$dir/ex/stderr"; continue
	fi
	# Past the error limit (E0104) the other errors are the point.
	others=$(other_codes "$dir/ex/stderr")
	if [ -n "$others" ] && [ "$code" != E0104 ]; then
		failed "example also reports $others"; sed 's/^/  /' "$dir/ex/stderr"; continue
	fi

	if [ ! -f "$dir/fix/example.dep" ]; then
		failed "the page has no \`\`\`dep-fixed fix"; continue
	fi
	run_check "$dir/fix"
	if [ $status -ne 0 ] || [ -s "$dir/fix/stderr" ]; then
		failed "fix: exit status $status, expected 0 with no diagnostics"
		sed 's/^/  /' "$dir/fix/stderr"; continue
	fi
	if [ $skipped = 1 ]; then skip=$((skip + 1)); else pass=$((pass + 1)); fi
	rm -rf "$dir"
done

# A page whose code is gone: the code was removed or renamed.
for page in "$srcdir"/src/explain/*.md; do
	[ -f "$page" ] || continue
	code=$(basename "$page" .md)
	printf '%s\n' "$codes" | grep -qx "$code" ||
		failed "stale page $page: no such code in src/diag_codes.def"
done

echo "explain: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
