#!/usr/bin/env python3
"""roundtrip.py - no string from the source can change the structure of
an output, and every one reaches it exactly.

tests/inject/template.dep has string slots (@N:CLASS@).  A baseline
fills each with a plain token of its own ("tokqNq") and is built once.
Then each case fills the slots with hostile strings (line breaks, quotes,
'$', template and expression syntax, YAML indicators, Unicode breaks,
here-document delimiters...) and builds into an output directory whose
name is hostile too.  Every output file is read back by a parser that is
not depc's: YAML by libyaml (PyYAML's CSafeLoader, a YAML 1.1 reader)
and by the npm yaml package (a YAML 1.2 reader, core schema),
JSON by Python's json, Dockerfiles by dockerfile-ast and Terraform by
HashiCorp's HCL parser (tests/inject/parse.cjs), .dockerignore line by
line; the shell scripts depc writes into the workflow are run by bash
with every command replaced by a recorder.  Then, file by file:

  - the structure equals the baseline's: the same files, documents,
    keys, list lengths, Dockerfile instructions, ignore lines, commands;
  - every string equals the baseline's with each token replaced by its
    hostile string, after the reader of that place has undone its own
    escapes: Compose's '$$', the kubelet's '$$' in commands and env,
    Actions' ${{ '${{' }}, HCL's '$${' and '%%{', Docker's quoting; an
    interpolation left in any of them is a difference.

A case depc refuses (exit 1, naming codes) must leave no output; its
codes are counted.  Any other outcome is a failure, printed with the
strings that caused it and kept under --keep.

  roundtrip.py --depc BIN --cases FILE     the fixed corpus (make check)
  roundtrip.py --depc BIN --random N|0 [--seed S] [--seconds T]
                                  N random cases (0: without end, for
                                  make fuzz-inject), for at most T seconds
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import yaml
    Loader = yaml.CSafeLoader
except (ImportError, AttributeError):
    print("SKIP: PyYAML with libyaml (python3-yaml) is not installed")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
SLOT = re.compile(r"@([0-9]+):([a-z]+)@")
INTERP = "\u27e8interpolation\u27e9"


def token(n):
    return "tokq%dq" % n


# --- writing .dep strings ---------------------------------------------------

def dep_quote(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '\\"$':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or 0x7f <= o <= 0x9f or o in (0x2028, 0x2029):
            out.append("\\u{%x}" % o)
        else:
            out.append(ch)
    return "".join(out)


def one_line(s):
    """The text of s that a 'line' slot takes: no controls, no breaks."""
    return "".join(ch for ch in s if not (ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f
                                          or ord(ch) in (0x2028, 0x2029)))


def slot_value(cls, s):
    """What a slot of class `cls` takes of `s`: 'line' one line, 'part'
    one line without ':' (the FROM of an output's "FROM:TO")."""
    if cls == "line":
        return one_line(s)
    if cls == "part":
        return one_line(s).replace(":", "")
    return s


def comment_text(s):
    """escape_comment: controls and Unicode line breaks become spaces."""
    return "".join(" " if ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f or ord(ch) in (0x2028, 0x2029)
                   else ch for ch in s)


def fill(template, values):
    return SLOT.sub(lambda m: dep_quote(values[int(m.group(1))]), template)


# --- what each reader makes of a string ------------------------------------

def compose_eval(s):
    """docker compose: '$$' is '$'; any other '$' interpolates."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "$":
            if s[i + 1:i + 2] == "$":
                out.append("$")
                i += 2
                continue
            if re.match(r"[A-Za-z_{]", s[i + 1:i + 2]):
                out.append(INTERP)
            else:
                out.append("$")
            i += 1
            continue
        out.append(s[i])
        i += 1
    return "".join(out)


def k8s_eval(s):
    """The kubelet in command, args, env values: '$$' is '$', $(X) expands."""
    out, i = [], 0
    while i < len(s):
        if s.startswith("$$", i):
            out.append("$")
            i += 2
        elif s.startswith("$(", i):
            out.append(INTERP)
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


ACTIONS_ESCAPE = "${{ '${{' }}"


def actions_eval(s):
    """GitHub Actions: ${{ '${{' }} is the text '${{'; any other ${{...}}
    is an expression, kept as a marker with its text."""
    out, i = [], 0
    while i < len(s):
        if s.startswith(ACTIONS_ESCAPE, i):
            out.append("${{")
            i += len(ACTIONS_ESCAPE)
        elif s.startswith("${{", i):
            j = s.find("}}", i)
            j = len(s) if j < 0 else j + 2
            out.append("\u27e8expr " + s[i:j] + "\u27e9")
            i = j
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def hcl_template_eval(s):
    """A decoded HCL string: '$${' is '${', '%%{' is '%{'; others open
    an interpolation or directive."""
    out, i = [], 0
    while i < len(s):
        if s.startswith("$${", i) or s.startswith("%%{", i):
            out.append(s[i] + "{")
            i += 3
        elif s.startswith("${", i) or s.startswith("%{", i):
            out.append(INTERP)
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


HCL_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)


def hcl_unquote(body):
    def esc(m):
        c = m.group(1)
        if c.startswith("u"):
            return chr(int(c[1:], 16))
        return {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}.get(c, "\\" + c)
    return re.sub(r'\\(u[0-9a-fA-F]{4}|.)', esc, body, flags=re.S)


def hcl_eval(s):
    """hcl2json gives a string as written, template escapes kept, and an
    expression as "${...}": the string literals inside it are decoded,
    the text between them must stay the same."""
    if s.startswith("${") and s.endswith("}") and not s.startswith("$${"):
        parts, last = [], 0
        for m in HCL_LITERAL.finditer(s):
            parts.append(("code", s[last:m.start()]))
            parts.append(("str", hcl_template_eval(hcl_unquote(m.group(1)))))
            last = m.end()
        parts.append(("code", s[last:]))
        return parts
    return hcl_template_eval(s)


def docker_word(s):
    """Docker's word lexer (ENV, ARG, COPY, FROM, WORKDIR...)."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            out.append(s[i + 1:i + 2])
            i += 2
        elif c == "'":
            j = s.find("'", i + 1)
            j = len(s) if j < 0 else j
            out.append(s[i + 1:j])
            i = j + 1
        elif c == '"':
            i += 1
            while i < len(s) and s[i] != '"':
                if s[i] == "\\" and s[i + 1:i + 2] in ('"', "$", "\\"):
                    out.append(s[i + 1])
                    i += 2
                elif s[i] == "$" and re.match(r"[A-Za-z_{]", s[i + 1:i + 2]):
                    out.append(INTERP)
                    i += 1
                else:
                    out.append(s[i])
                    i += 1
            i += 1
        elif c == "$" and re.match(r"[A-Za-z_{]", s[i + 1:i + 2]):
            out.append(INTERP)
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_flags(raw):
    flags = []
    rest = raw.lstrip()
    while rest.startswith("--"):
        word, _, rest = rest.partition(" ")
        flags.append(word)
        rest = rest.lstrip()
    return flags, rest


def json_array(text):
    text = text.strip()
    if not text.startswith("["):
        return None
    try:
        v = json.loads(text)
    except ValueError:
        return None
    return v if isinstance(v, list) and all(isinstance(x, str) for x in v) else None


def docker_eval(instructions):
    """Each instruction as Docker reads it: keyword, flags, values."""
    out = []
    for kw, raw in instructions:
        kw = kw.upper()
        raw = re.sub(r"\\[ \t]*\r?\n", "", raw)
        flags, rest = split_flags(raw)
        if kw == "HEALTHCHECK":
            rest = re.sub(r"^CMD\s+", "", rest)
        arr = json_array(rest)
        if kw in ("RUN", "CMD", "HEALTHCHECK"):
            if arr is not None and arr[:2] == ["/bin/sh", "-c"] and len(arr) == 3:
                value = ["sh", arr[2]]
            elif arr is not None:
                value = ["exec"] + arr
            else:
                value = ["sh", rest]
        elif kw == "COPY":
            words = arr if arr is not None else rest.split()
            value = [docker_word(w) for w in words]
        elif kw in ("ARG", "ENV"):
            name, _, val = rest.partition("=")
            value = [docker_word(name), docker_word(val)]
        else:
            value = [docker_word(w) for w in rest.split()]
        out.append([kw, flags, value])
    return out


# --- reading a tree ----------------------------------------------------------

def read_tree(root, parsed):
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if rel == ".depc-manifest":
                continue
            with open(path, "rb") as f:
                text = f.read().decode("utf-8")
            if rel.endswith((".yaml", ".yml")):
                files[rel] = ("yaml", list(yaml.load_all(text, Loader=Loader)))
                if "yaml12" not in parsed.get(rel, {}):
                    raise ValueError("%s (YAML 1.2): %s" % (rel, parsed.get(rel, {}).get("error")))
                files[rel + " [YAML 1.2]"] = ("yaml", parsed[rel]["yaml12"])
            elif rel.endswith(".json"):
                files[rel] = ("json", json.loads(text))
            elif rel.endswith(".dockerignore"):
                files[rel] = ("ignore", text.split("\n")[2:-1])  # after the two comments
            elif rel in parsed and "dockerfile" in parsed[rel]:
                files[rel] = ("docker", docker_eval(parsed[rel]["dockerfile"]))
            elif rel in parsed and "hcl" in parsed[rel]:
                files[rel] = ("hcl", parsed[rel]["hcl"])
            elif rel in parsed:
                raise ValueError("%s: %s" % (rel, parsed[rel].get("error")))
            else:
                files[rel] = ("text", text)
    return files


def parse_with_node(dirs):
    if not dirs:
        return {}
    r = subprocess.run(["node", os.path.join(HERE, "parse.cjs")] + dirs,
                       capture_output=True, text=True, timeout=600)
    if r.returncode:
        raise RuntimeError("parse.cjs: " + r.stderr[-2000:])
    return json.loads(r.stdout)


# --- running the workflow's own scripts ----------------------------------------

RECORDER = r'''
command_not_found_handle() {
  { printf '%s\0' "$#" "$@"; } >> "$DEPC_REC"
  case $1 in
  mkdir) shift; /bin/mkdir "$@" ;;
  cat) /bin/cat ;;
  esac
  return 0
}
'''


def run_script(script, work):
    """Runs a workflow script with every command recorded instead of run;
    returns the commands and the files it wrote."""
    os.makedirs(work, exist_ok=True)
    work = tempfile.mkdtemp(dir=work)
    rec = os.path.join(work, ".rec")
    open(rec, "w").close()
    env = {"PATH": "/nonexistent", "DEPC_REC": rec, "RUNNER_TEMP": work,
           "KUBECONFIG_DATA": "x"}
    subprocess.run(["/bin/bash", "--noprofile", "--norc", "-c", RECORDER + script],
                   cwd=work, env=env, capture_output=True, timeout=20)
    data = open(rec, "rb").read().decode("utf-8", "replace").split("\0")
    cmds, i = [], 0
    while i < len(data) - 1:
        n = int(data[i])
        cmds.append(data[i + 1:i + 1 + n])
        i += 1 + n
    written = {}
    for dirpath, _, names in os.walk(work):
        for name in names:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, work)
            if rel not in (".rec", "kubeconfig"):
                written[rel] = list(yaml.load_all(open(path).read(), Loader=Loader))
    return {"commands": cmds, "files": written}


# --- comparing ---------------------------------------------------------------

SOURCE_SLOT = 99  # the token of the source file's name
OUTDIR_SLOT = 0   # the token of the output directory's name


class Case:
    def __init__(self, values, names):
        self.values = dict(values)    # slot number -> hostile string
        self.values.update(names)     # and the two file names
        self.problems = []

    def subst(self, s):
        """The baseline's text with each token replaced by its string."""
        return re.sub(r"tokq([0-9]+)q", lambda m: self.values[int(m.group(1))], s)

    def derived(self, base, got):
        """Does `got` match `base` where a name is made from a tmpfs path
        ("tmp-TOKEN": its letters and digits, or a number)?"""
        parts = re.split(r"(tmp-tokq30q)", base)
        pattern = "".join(r"(?:tmp(?:-[a-z0-9-]*)?|[0-9]+)" if p == "tmp-tokq30q" else
                          re.escape(self.subst(p)) for p in parts)
        return re.fullmatch(pattern, got, re.S) is not None

    def expect(self, base, got, where):
        if isinstance(base, list) and base and isinstance(base[0], tuple):
            if len(base) == len(got) and all(
                    b[0] == g[0] and (self.subst(b[1]) == g[1] or self.derived(b[1], g[1]))
                    for b, g in zip(base, got)):
                return
            exp = [(k, self.subst(v)) for k, v in base]
        else:
            exp = self.subst(base) if isinstance(base, str) else base
            if isinstance(base, str) and "tmp-tokq30q" in base and self.derived(base, got):
                return
            if isinstance(base, str) and base.startswith("generated by depc from "):
                exp = comment_text(exp)  # the banner, made fit for a comment
        if exp != got:
            self.problems.append("%s: expected %r, found %r" % (where, exp, got))


def context_of(fname, kind, path):
    if kind == "script":
        return None
    if fname.startswith("compose.yaml"):
        return "compose"
    if fname.startswith(".github/"):
        return None if path[:1] == ["on"] else "actions"
    if fname.startswith("k8s/"):
        # the kubelet expands $(VAR) in a container's command and args,
        # its env values and its exec probes' commands
        in_container = "containers" in path or "initContainers" in path
        if in_container and path[-1:] in (["command"], ["args"]):
            return "k8s"
        if in_container and path[-1:] == ["value"] and "env" in path:
            return "k8s"
    return None


EVAL = {"compose": compose_eval, "k8s": k8s_eval, "actions": actions_eval}


def walk(case, fname, kind, base, got, path, scripts):
    where = "%s: %s" % (fname, "/".join(str(p) for p in path) or "(top)")
    if type(base) is not type(got):
        case.problems.append("%s: a %s became a %s (%r)" % (where, type(base).__name__,
                                                           type(got).__name__, got))
        return
    if isinstance(base, dict):
        want = {case.subst(k) if isinstance(k, str) else k: k for k in base}
        if set(want) != set(got):
            case.problems.append("%s: keys %r, expected %r" % (where, sorted(map(str, got)),
                                                               sorted(map(str, want))))
            return
        for k, bk in want.items():
            walk(case, fname, kind, base[bk], got[k], path + [str(bk)], scripts)
    elif isinstance(base, list):
        if len(base) != len(got):
            case.problems.append("%s: %d items, expected %d" % (where, len(got), len(base)))
            return
        for i, (b, g) in enumerate(zip(base, got)):
            walk(case, fname, kind, b, g, path + [i], scripts)
    elif isinstance(base, str):
        ctx = context_of(fname, kind, [p for p in path if isinstance(p, str)])
        if kind == "ignore":
            # what Docker leaves out for the line, against what the entry
            # names: the path each one matches literally
            exp, g = ignore_meaning(case.subst(base)), ignore_meaning(docker_ignore_read(got))
            if exp != g:
                case.problems.append("%s: %r leaves out %r, expected %r" % (where, got, g, exp))
            return
        if kind == "hcl":
            b, g = hcl_eval(base), hcl_eval(got)
        elif ctx:
            b, g = EVAL[ctx](base), EVAL[ctx](got)
        else:
            b, g = base, got
        if ctx == "actions" and path[-1:] == ["run"] and "tokq24q" not in base:
            # depc's own script: what bash makes of it is compared
            if re.search(r"tokq[0-9]+q", base):
                scripts.append((where, b, g))
            elif base != got:
                case.problems.append("%s: %r, expected %r" % (where, got, base))
            return
        case.expect(b, g, where)
    else:
        if base != got:
            case.problems.append("%s: %r, expected %r" % (where, got, base))


STATS = {"files": 0, "scripts": 0}

# Go's unicode.IsSpace, which strings.TrimSpace trims
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
           "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def docker_ignore_read(line):
    """The pattern Docker's .dockerignore reader makes of one line
    (moby/patternmatcher/ignorefile): a '#' line is a comment, blanks at
    both ends are trimmed, a leading '!' makes an exception."""
    if line.startswith("#"):
        return "<comment>"
    line = line.strip(GO_SPACE)
    if line.startswith("!"):
        return "<exception %s>" % line
    return line


def ignore_meaning(pattern):
    """The literal path a pattern matches, where it names one: '\\x' is
    x, a one-character class '[c]' is c, a lone trailing '\\' a
    backslash; '*', '?' and wider classes stay as written."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i + 1] if i + 1 < len(pattern) else "\\")
            i += 2
        elif c == "[" and i + 2 < len(pattern) and pattern[i + 2] == "]" and pattern[i + 1] != "\\":
            out.append(pattern[i + 1])
            i += 3
        else:
            out.append(c)
            i += 1
    return "".join(out)


def compare(case, base_files, got_files, work):
    if set(base_files) != set(got_files):
        want = {case.subst(f) for f in base_files}
        if want != set(got_files):
            case.problems.append("files %r, expected %r" % (sorted(got_files), sorted(want)))
            return
    for fname in sorted(base_files):
        kind, base = base_files[fname]
        gkind, got = got_files[fname]
        scripts = []
        STATS["files"] += 1
        walk(case, fname, kind, base, got, [], scripts)
        for where, b, g in scripts:
            STATS["scripts"] += 1
            rb = run_script(b, work)
            rg = run_script(g, work)
            walk(case, fname + " (run by bash)", "script", rb, rg, [where], [])


# --- cases ---------------------------------------------------------------------

POLICY_ALLOWED = ["E0408", "E0420", "E0422", "E0423"]


def build(depc, src, out):
    """depc build SRC -o OUT, from the directory of both."""
    # "./" keeps a name that starts with "-" from reading as an option
    # Policy rules the template does not mean to test are warnings here.
    allow = [w for c in POLICY_ALLOWED for w in ("--allow", c)]
    return subprocess.run([depc, "build"] + allow + ["./" + os.path.basename(src), "-o",
                           "./" + os.path.basename(out)],
                          cwd=os.path.dirname(src), capture_output=True, text=True, timeout=120)


def fs_name(s):
    """A directory name from hostile text: no '/' or NUL, not . or .., short."""
    s = s.replace("/", "_").replace("\0", "_")[:120]
    return "d" + s if s in ("", ".", "..") else s


class Runner:
    def __init__(self, args):
        self.depc = args.depc
        self.keep = args.keep
        self.verbose = args.verbose
        with open(os.path.join(HERE, "template.dep")) as f:
            self.template = f.read()
        self.slots = {int(n): cls for n, cls in SLOT.findall(self.template)}
        self.root = tempfile.mkdtemp(prefix="depc-inject.")
        self.counts = {"cases": 0, "built": 0, "refused": 0, "failed": 0, "strings": 0}
        self.codes = {}
        self.base = self.baseline()

    def baseline(self):
        values = {n: token(n) for n in self.slots}
        case_dir = os.path.join(self.root, "base")
        os.makedirs(case_dir)
        src = os.path.join(case_dir, token(SOURCE_SLOT) + ".dep")
        with open(src, "w") as f:
            f.write(fill(self.template, values))
        out = os.path.join(case_dir, token(0))
        r = build(self.depc, src, out)
        if r.returncode:
            sys.exit("the baseline does not build:\n" + r.stderr)
        return read_tree(out, parse_with_node([out])[out])

    def values_for(self, strings):
        """Slot values: the strings in turn, made one line where needed."""
        values = {}
        for i, n in enumerate(sorted(self.slots)):
            s = strings[i % len(strings)]
            values[n] = slot_value(self.slots[n], s)
        return values

    def run_batch(self, batch):
        """batch: list of (values, file name text); builds, parses, compares.
        The text names the output directory and, with ".dep", the source."""
        built = []
        for values, name in batch:
            self.counts["cases"] += 1
            self.counts["strings"] += len(values) + 2
            name = fs_name(name)
            case = Case(values, {OUTDIR_SLOT: name, SOURCE_SLOT: name})
            case_dir = tempfile.mkdtemp(dir=self.root, prefix="c")
            src = os.path.join(case_dir, name + ".dep")
            with open(src, "w") as f:
                f.write(fill(self.template, values))
            out = os.path.join(case_dir, name)
            case.outdir = name
            r = build(self.depc, src, out)
            if r.returncode == 0:
                built.append((case, case_dir, out))
                continue
            codes = re.findall(r"error\[([EW][0-9]{4})\]", r.stderr)
            if r.returncode == 2 and not os.path.exists(out):
                codes = ["usage"]  # a file name the command line refuses
            if r.returncode in (1, 2) and codes and not os.path.exists(out):
                self.counts["refused"] += 1
                for c in set(codes):
                    self.codes[c] = self.codes.get(c, 0) + 1
                shutil.rmtree(case_dir)
            else:
                case.problems.append("exit %d, output %s:\n%s" % (
                    r.returncode, "left" if os.path.exists(out) else "absent", r.stderr[-3000:]))
                self.report(case, case_dir)
        parsed = parse_with_node([out for _, _, out in built])
        for case, case_dir, out in built:
            self.counts["built"] += 1
            try:
                got = read_tree(out, parsed[out])
                compare(case, self.base, got, os.path.join(case_dir, "run"))
            except Exception as e:  # a reader refused the file
                case.problems.append("cannot be read back: %s" % e)
            if case.problems:
                self.report(case, case_dir)
            elif not self.keep:
                shutil.rmtree(case_dir)

    def report(self, case, case_dir):
        self.counts["failed"] += 1
        print("FAIL: a case with output directory %r and strings:" % case.outdir)
        for n in sorted(case.values):
            print("    @%d@ = %r" % (n, case.values[n]))
        for p in case.problems[:12]:
            print("  " + p[:600])
        print("  (kept in %s)" % case_dir)
        self.keep_root = True

    def finish(self):
        if not getattr(self, "keep_root", False) and not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)
        c = self.counts
        print("roundtrip: %d cases (%d strings): %d built and compared (%d files read back, "
              "%d scripts run), %d refused by check, %d failed" % (
                  c["cases"], c["strings"], c["built"], STATS["files"], STATS["scripts"],
                  c["refused"], c["failed"]))
        if self.codes:
            print("  refusals by code: " + ", ".join("%s %d" % kv for kv in sorted(self.codes.items())))
        return c["failed"] == 0


# --- hostile strings -------------------------------------------------------------

PIECES = [
    "\n", "\r\n", "\r", "\t", "\\", "\\\n", '"', "'", "`", "$", "$$", "${X}", "$(pwned)",
    "${{ github.token }}", "${{ '${{' }}", "${var.x}", "$${", "%{ if true }", "%%{",
    "{{ $labels.x }}", "\nRUN pwned\n", "\nUSER root\n", "\n---\nevil: 1\n", "\n- item",
    "key: value", ": ", " #", "# ", "#", "- ", "? ", "&a", "*a", "!!str", "|", ">", "@",
    "%", "[", "]", "{", "}", ",", "~", "null", "yes", "no", "on", "off", "0777", "0x1F",
    "1e3", ".inf", "2024-01-15 10:00:00", "2024-01-15T10:00:00Z", "190:20:30", "=",
    "<<", "<<EOF", "\nEOF\n", "\nDEPC_EOF\npwned\n", "DEPC_EOF", "\u0085", "\u2028",
    "\u2029", "\u00e9", "\U0001F600", "\x1b[1m", "\x7f", "\x01", " ", "  ", "--from=x",
    "-", ";pwned;", "&&pwned", "|pwned", "'$(pwned)'", '"$(pwned)"', "\\n", "\\$",
    "*/", "/*", "<!--", "-->", "\\u0041", "\\\"", "a", "b", "word", "/path/x",
]


def random_string(rng):
    n = rng.randint(1, 6)
    s = "".join(rng.choice(PIECES) for _ in range(n))
    return s if rng.random() < 0.8 else s + "tail"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--depc", required=True)
    ap.add_argument("--cases", help="file of strings, one JSON string a line")
    ap.add_argument("--random", type=int, help="random cases; 0: without end")
    ap.add_argument("--seconds", type=float, default=0, help="stop random cases after this long")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if shutil.which("node") is None or subprocess.run(
            ["node", os.path.join(HERE, "parse.cjs")], capture_output=True).returncode == 2:
        print("SKIP: node with dockerfile-ast and @cdktf/hcl2json (tests/node) is needed")
        sys.exit(77)
    runner = Runner(args)
    try:
        if args.cases:
            with open(args.cases) as f:
                strings = [json.loads(l) for l in f if l.strip() and not l.startswith("#")]
            batch = []
            # Each case shifts the strings by one slot, so every string
            # goes through every slot over the corpus.
            for i in range(len(strings)):
                rot = strings[i:] + strings[:i]
                batch.append((runner.values_for(rot), strings[i]))
            for k in range(0, len(batch), args.batch):
                runner.run_batch(batch[k:k + args.batch])
        else:
            print("roundtrip: random cases, --seed %d" % args.seed, flush=True)
            rng = random.Random(args.seed)
            done = 0
            start = time.time()
            while args.random == 0 or done < args.random:
                if args.seconds and time.time() - start > args.seconds:
                    break
                n = args.batch if args.random == 0 else min(args.batch, args.random - done)
                batch = []
                for _ in range(n):
                    strings = [random_string(rng) for _ in range(len(runner.slots))]
                    batch.append((runner.values_for(strings), random_string(rng)))
                runner.run_batch(batch)
                done += n
                if args.random == 0:
                    c = runner.counts
                    print("roundtrip: %d cases so far, %d failed" % (c["cases"], c["failed"]),
                          flush=True)
    except KeyboardInterrupt:
        pass
    sys.exit(0 if runner.finish() else 1)


if __name__ == "__main__":
    main()
