#!/bin/sh
# snippets.sh - the .dep text in README.md and man/dep.5 is what depc
# accepts and how `depc fmt` writes it; and every shipped .dep file
# (examples, stdlib) is canonical under `depc fmt --check`.
#
# README.md: every ```dep block checks clean (`depc check`, policy
# included) and is formatted; its ```text block is exactly what `depc
# check` says when the tour's `uses = [db, ...]` is misspelt `[dbb, ...]`.
# man/dep.5: each .EX block follows a `.\" snippet: KIND` line; a `file`
# must check clean and be formatted, a `fragment` (part of a file,
# maybe indented) must be formatted once its common indentation is
# removed, and `none` (grammar, synopsis) is not .dep.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/snippets.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

formatted() { # FILE NAME
	if "$DEPC" fmt --check "$1" > /dev/null 2> "$tmp/err"; then ok
	else bad "$2 is not formatted:"; "$DEPC" fmt "$1" 2>&1 | diff -u "$1" - | head -20; fi
}
clean() { # FILE NAME
	if "$DEPC" check --color never "$1" > /dev/null 2> "$tmp/err" && [ ! -s "$tmp/err" ]; then ok
	else bad "$2 does not check clean:"; head -20 "$tmp/err"; fi
}

# --- README.md --------------------------------------------------------------
awk -v dir="$tmp" '
	/^```dep$/ { n++; on = 1; f = dir "/readme-" n ".dep"; printf "" > f; next }
	on && /^```$/ { on = 0; close(f); next }
	on { print >> f }' "$srcdir/README.md"
count=$(ls "$tmp"/readme-*.dep 2>/dev/null | wc -l)
[ "$count" -ge 1 ] && ok || bad "README.md has no \`\`\`dep block"
for f in "$tmp"/readme-*.dep; do
	[ -f "$f" ] || continue
	name="README.md block $(basename "$f" .dep | sed 's/readme-//')"
	formatted "$f" "$name"
	clean "$f" "$name"
done
if [ -f "$tmp/readme-1.dep" ]; then
	mkdir -p "$tmp/tour"
	sed '0,/= \[db\([],]\)/s//= [dbb\1/' "$tmp/readme-1.dep" > "$tmp/tour/shop.dep"
	(cd "$tmp/tour" && "$DEPC" check --color never shop.dep) > "$tmp/said" 2>&1
	awk '/^```text$/ { on = 1; next } on && /^```$/ { exit } on' "$srcdir/README.md" > "$tmp/shown"
	if diff -u "$tmp/shown" "$tmp/said"; then ok
	else bad "README.md's diagnostic is not what depc says (above)"; fi
fi

# --- man/dep.5 ----------------------------------------------------------------
# groff escapes in .EX blocks: \- \(dq \e \& \(em
awk -v dir="$tmp" '
	/^\.\\" snippet: / { kind = $3; next }
	/^\.EX/ { n++; on = 1; f = sprintf("%s/dep5-%02d.%s", dir, n, kind ? kind : "unmarked"); kind = ""
		printf "" > f; next }
	/^\.EE/ { on = 0; close(f); next }
	on { line = $0
		gsub(/\\-/, "-", line); gsub(/\\\(dq/, "\"", line); gsub(/\\e/, "\\", line)
		gsub(/\\&/, "", line); gsub(/\\\(em/, "--", line)
		print line >> f }' "$srcdir/man/dep.5"
for f in "$tmp"/dep5-*; do
	[ -f "$f" ] || continue
	n=$(basename "$f" | sed 's/dep5-\([0-9]*\).*/\1/')
	name="man/dep.5 example $n"
	case $f in
	*.file) cp "$f" "$tmp/x.dep"; formatted "$tmp/x.dep" "$name"; clean "$tmp/x.dep" "$name" ;;
	*.fragment)
		indent=$(awk 'NF { match($0, /^ */); if (min == "" || RLENGTH < min) min = RLENGTH } END { print min + 0 }' "$f")
		cut -c$((indent + 1))- "$f" > "$tmp/x.dep"
		formatted "$tmp/x.dep" "$name" ;;
	*.none) ok ;;
	*) bad "$name has no '.\\\" snippet: file|fragment|none' line before its .EX" ;;
	esac
done
grep -q 'snippet: file' "$srcdir/man/dep.5" && ok || bad "man/dep.5 has no complete example"

# --- shipped files --------------------------------------------------------------
for f in "$srcdir"/examples/*.dep "$srcdir"/stdlib/*.dep; do
	formatted "$f" "${f#"$srcdir"/}"
done

echo "snippets: $pass passed, $fail failed"
[ $fail -eq 0 ]
