#!/usr/bin/env python3
"""import-roundtrip.py ORIGINAL BUILT - what a Compose user would miss.
   import-roundtrip.py --dirs DIR... - for each DIR holding compose.yaml,
   app.dep and out/ (an import and its build): writes DIR/changes and
   reports secret values in app.dep and out/ as --leaks does, in one run.
   import-roundtrip.py --leaks ORIGINAL FILE... - the files that hold one
   of its secret values as a word (a run of letters, digits, '_', '-' and
   '.'), on a line that names no image; exit 1 when any does.

Compares a Compose file with the compose.yaml depc built from its import,
service by service: the services, images, published ports, named
volumes, environment, commands and dependencies.  Prints one line per
difference, sorted, so a test can hold the list of intentional changes
of each file and fail on any other.  Values of secrets never appear in
the lines: a variable that became a secret prints as such.
"""
import os
import re
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def dns(name):
    name = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
    return ("x-" + name) if name[:1].isdigit() else name


def env_of(svc):
    env = svc.get("environment") or {}
    if isinstance(env, list):
        out = {}
        for item in env:
            key, _, value = str(item).partition("=")
            out[key] = value if "=" in str(item) else None
        return out
    return {str(k): (None if v is None else str(v)) for k, v in env.items()}


def command_of(svc):
    cmd = svc.get("command")
    if cmd is None:
        return None
    return [str(w) for w in cmd] if isinstance(cmd, list) else str(cmd).split()


def published(svc):
    out = set()
    for p in svc.get("ports") or []:
        if isinstance(p, dict):
            if p.get("published"):
                out.add("%s:%s" % (p["published"], p["target"]))
            continue
        text = str(p).split("/")[0]
        parts = text.split(":")
        if len(parts) >= 2:
            out.add("%s:%s" % (parts[-2], parts[-1]))
    return out


def named_volumes(svc):
    out = set()
    for v in svc.get("volumes") or []:
        if isinstance(v, dict):
            if v.get("type", "volume") == "volume" and v.get("source"):
                out.add("%s:%s" % (dns(v["source"]), v["target"]))
            continue
        parts = str(v).split(":")
        if len(parts) >= 2 and not re.match(r"^[./~$]|.*/", parts[0]):
            out.add("%s:%s" % (dns(parts[0]), parts[1]))
    return out


def depends(svc):
    d = svc.get("depends_on") or []
    return {dns(x) for x in (d.keys() if isinstance(d, dict) else d)}


def short(cmd):
    """A command on one line, a long script cut short."""
    if not cmd:
        return "(image's)"
    text = re.sub(r"\s+", " ", " ".join(cmd))
    return text if len(text) <= 72 else text[:69] + "..."


def compare(name, o, b, lines):
    say = lambda what: lines.append("%s: %s" % (name, what))
    if "image" in o and "build" not in o and o["image"] != b.get("image"):
        say("image %s -> %s" % (o["image"], b.get("image")))
    if "build" in o and "build" not in b:
        say("build -> image %s" % b.get("image"))
    if "build" not in o and "build" in b:
        say("image -> build")
    for p in sorted(published(o) - published(b)):
        say("port %s not published" % p)
    for p in sorted(published(b) - published(o)):
        say("port %s published" % p)
    for v in sorted(named_volumes(o) - named_volumes(b)):
        say("volume %s dropped" % v)
    for v in sorted(named_volumes(b) - named_volumes(o)):
        say("volume %s added" % v)
    oe, be = env_of(o), env_of(b)
    for k in sorted(oe):
        if k in be and be[k] == oe[k]:
            continue
        if k + "_FILE" in be and (be[k + "_FILE"] or "").startswith("/run/secrets/"):
            say("env %s read from a secret" % k)
        elif k in be and re.match(r"^\$\{SECRET_[A-Z0-9_]+:\?", str(be[k] or "")):
            # the variable itself, interpolated from the secret store's
            # export when `docker compose` runs (secrets_as = env)
            say("env %s read from a secret" % k)
        elif k in be:
            say("env %s changed" % k)
        else:
            say("env %s dropped" % k)
    for k in sorted(set(be) - set(oe)):
        if not (k.endswith("_FILE") and k[:-5] in oe):
            say("env %s added" % k)
    oc, bc = command_of(o), command_of(b)
    if oc != bc:
        say("command %s -> %s" % (short(oc), short(bc)))
    for d in sorted(depends(o) - depends(b)):
        say("depends_on %s dropped" % d)
    for d in sorted(depends(b) - depends(o)):
        say("depends_on %s added" % d)


SECRET = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL", re.I)


def secret_values(orig):
    """The literal values a Compose file gives its secret-looking
    variables (and the passwords in its URLs)."""
    out = set()
    for svc in (orig.get("services") or {}).values():
        for k, v in env_of(svc or {}).items():
            if not v or "$" in v or v.startswith("/run/secrets/"):
                continue
            if SECRET.search(k):
                out.add(v)
            m = re.search(r"://[^/:@]+:([^@/]+)@", v)
            if m:
                out.add(m.group(1))
    return sorted(x for x in out if len(x) >= 4)


def leaks(orig, paths):
    values = secret_values(orig)
    leaked = False
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                if "image" in line:
                    continue
                for v in values:
                    if re.search(r"(?<![\w.-])%s(?![\w.-])" % re.escape(v), line):
                        print("%s:%d: holds a secret value" % (path, n))
                        leaked = True
    return leaked


def changes(orig, built):
    os_, bs = orig.get("services") or {}, built.get("services") or {}
    names = {dns(n): n for n in os_}
    lines = []
    for n in sorted(set(names) - set(bs)):
        lines.append("%s: service dropped" % n)
    for n in sorted(set(bs) - set(names)):
        lines.append("%s: service added" % n)
    for n in sorted(set(names) & set(bs)):
        compare(n, os_[names[n]], bs[n], lines)
    return sorted(lines)


def main():
    if sys.argv[1] == "--leaks":
        sys.exit(1 if leaks(load(sys.argv[2]), sys.argv[3:]) else 0)
    if sys.argv[1] == "--dirs":
        leaked = False
        for d in sys.argv[2:]:
            orig = load(os.path.join(d, "compose.yaml"))
            files = [os.path.join(d, "app.dep")] + [
                os.path.join(r, f) for r, _, fs in os.walk(os.path.join(d, "out")) for f in fs]
            leaked |= leaks(orig, files)
            with open(os.path.join(d, "changes"), "w", encoding="utf-8") as f:
                lines = changes(orig, load(os.path.join(d, "out", "compose.yaml")))
                f.write("".join(line + "\n" for line in lines))
        sys.exit(1 if leaked else 0)
    orig, built = load(sys.argv[1]), load(sys.argv[2])
    print("".join(line + "\n" for line in changes(orig, built)), end="")


main()
