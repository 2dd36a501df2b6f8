#!/bin/sh
# cli.sh - the command line helps: did-you-mean for commands and options,
# a missing option argument named as such, every accepted value listed in
# a bad value's message, `depc diff FILE --env A`, the README's command
# table naming every command, and shell completions (bash, zsh, fish)
# that offer what each command's --help documents.
set -u
: "${DEPC:?DEPC must point at the depc binary}"
: "${srcdir:=.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
app="$srcdir/examples/webapp.dep"
# the completion scripts run `depc explain --list`, as installed
PATH=$(cd "$(dirname "$DEPC")" && pwd):$PATH
export PATH

# expect STATUS PATTERN ARGS...: exit status and a line of stderr.
expect() {
	want=$1 pattern=$2
	shift 2
	"$DEPC" "$@" > "$tmp/out" 2> "$tmp/err"
	status=$?
	if [ $status -ne "$want" ]; then
		bad "depc $*: exit $status, expected $want"; head -3 "$tmp/err"
	elif ! grep -q -- "$pattern" "$tmp/err"; then
		bad "depc $*: no '$pattern' in:"; head -3 "$tmp/err"
	else
		ok
	fi
}

commands=$("$DEPC" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
[ -n "$commands" ] || bad "no commands in depc --help"

# Did you mean, for every command: its name with two letters swapped.
for c in $commands; do
	typo=$(printf '%s' "$c" | sed 's/^\(.\)\(.\)/\2\1/')
	expect 2 "did you mean '$c'?" "$typo"
done
expect 2 "did you mean 'build'?" buidl
expect 2 "did you mean '--format'?" check --fomat json "$app"
expect 2 "did you mean '--target'?" build --taget k8s "$app" -o "$tmp/o"
expect 2 "'--policy' is not an option of 'depc build'" build --policy "$app" -o "$tmp/o"

# A missing argument says so, at the end of the line or not.
expect 2 "option '-o' needs an argument" build "$app" -o
expect 2 "option '--env' needs an argument" check "$app" --env
expect 2 "option '--format' needs an argument" check "$app" --format
expect 2 "option '-I' needs an argument" graph "$app" -I
expect 2 "option '--output' needs an argument" import x.yaml --output
expect 2 "option '--check' takes no argument" build --check=yes "$app" -o "$tmp/o"
[ ! -e "$tmp/o" ] && ok || bad "a usage error wrote $tmp/o"
# and the spellings of an argument all work
for spelling in "-o $tmp/a" "-o$tmp/b" "--output $tmp/c" "--output=$tmp/d"; do
	# shellcheck disable=SC2086
	if "$DEPC" build $spelling --target compose "$app" 2> "$tmp/err"; then ok
	else bad "depc build $spelling"; cat "$tmp/err"; fi
done

# Every value a bad value's message lists is every value --help lists.
for c in check build; do
	formats=$("$DEPC" "$c" --help | sed -n 's/.*--format \([a-z|]*\).*/\1/p; s/.*diagnostics format: \([a-z, or]*\)$/\1/p' | head -1)
	expect 2 "unknown format 'xml'" "$c" --format xml "$app"
	for f in text json sarif; do
		grep -q "$f" "$tmp/err" && ok || bad "depc $c --format xml does not list $f"
	done
	[ -n "$formats" ] || bad "depc $c --help names no formats"
done
expect 2 "unknown colour mode 'sometimes' (use auto, always or never)" check --color sometimes "$app"

# depc diff FILE --env A: the base against A.
"$DEPC" diff "$srcdir/examples/environments.dep" --env production > "$tmp/diff" 2> "$tmp/err"
if [ $? -eq 0 ] && head -1 "$tmp/diff" | grep -q ': base -> production '; then ok
else bad "depc diff FILE --env production"; cat "$tmp/err"; fi

# The README's command table names every command; it says how to read
# the manual pages before installing.
for c in $commands; do
	grep -q "^| \`depc $c" "$srcdir/README.md" && ok || bad "README.md: no row for 'depc $c'"
done
grep -q 'man -l man/depc.1' "$srcdir/README.md" && ok || bad "README.md: no 'man -l man/depc.1'"

# --- completions ---------------------------------------------------------
for shell in bash zsh fish; do
	"$DEPC" completion "$shell" > "$tmp/comp.$shell" || bad "depc completion $shell"
done
expect 2 "unknown shell 'tcsh' (use bash, zsh or fish)" completion tcsh

# complete WORDS...: what the bash script offers for the last word.
complete_bash() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _depc
		printf "%s\n" "${COMPREPLY[@]}"' sh "$tmp/comp.bash" "$@" 2>&1
}
mkdir -p "$tmp/proj/deploy" && : > "$tmp/proj/app.dep" && : > "$tmp/proj/notes.txt"
offers() { # offers WANT WORDS...
	want=$1; shift
	if complete_bash "$@" | grep -qx -- "$want"; then ok
	else bad "bash: '$*' does not offer '$want'"; complete_bash "$@" | head -5; fi
}
offers build depc bu
offers completion depc comp
offers --target depc build --ta
offers sarif depc check --format ''
offers never depc fmt --color ''
offers E0201 depc explain E020
offers "$tmp/proj/deploy/" depc build -o "$tmp/proj/"
offers "$tmp/proj/app.dep" depc check "$tmp/proj/"
offers zsh depc completion ''
if complete_bash depc check "$tmp/proj/" | grep -q notes.txt; then
	bad "bash: check offers a file that is not .dep"
else ok; fi

# Every option a command's --help shows is completed for that command.
for c in $commands; do
	opts=$("$DEPC" "$c" --help | sed -n '/^usage:/,/^$/p; /^options:/,/^$/p' |
		grep -o -- '--[a-z][a-z-]*\|\[-[a-zA-Z]\b\| -[a-zA-Z] ' | tr -d '[ ' | sort -u)
	for o in $opts; do
		if complete_bash depc "$c" "$o" | grep -qx -- "$o"; then ok
		else bad "bash: 'depc $c $o' is not completed"; fi
	done
done

# zsh and fish parse their scripts (CI installs both).
if command -v zsh > /dev/null; then
	zsh -n "$tmp/comp.zsh" && ok || bad "zsh -n rejects depc completion zsh"
	grep -q "'\*--format=\[diagnostics format\]:FORMAT:(text json sarif)'" "$tmp/comp.zsh" && ok ||
		bad "zsh: no --format with its values"
else
	echo "note: zsh not installed: its script is not parsed here"
fi
if command -v fish > /dev/null; then
	fish --no-execute "$tmp/comp.fish" && ok || bad "fish --no-execute rejects depc completion fish"
	got=$(fish -c "source $tmp/comp.fish; complete -C 'depc check --format '" 2>&1 | cut -f1 | sort | tr '\n' ' ')
	[ "$got" = "json sarif text " ] && ok || bad "fish: check --format offers '$got'"
else
	echo "note: fish not installed: its script is not run here"
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
