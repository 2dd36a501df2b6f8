#!/usr/bin/env python3
"""composed-run.py - what each target makes of a composed secret value,
taken from a tree `depc build` wrote, for tests/composed-run.sh.

  composed-run.py compose OUT DIR   Compose's own loader (the docker-compose
                                    package, as `docker-compose up` reads the
                                    file, interpolating from the environment):
                                    DIR/SERVICE.env.NAME for each environment
                                    value, DIR/SERVICE.entrypoint.sh (the
                                    wrapper script) and DIR/SERVICE.command
                                    (NUL-separated) when there is a wrapper
  composed-run.py ecs OUT DIR       terraform/ecs.tf: DIR/SERVICE.ecs.sh, the
                                    script of each wrapper entryPoint,
                                    DIR/SERVICE.ecs.command, and
                                    DIR/SERVICE.ecs.parts: VAR SECRET lines
  composed-run.py k8s OUT DIR       every ExternalSecret template rendered
                                    with the secrets' values, each from the
                                    environment variable named by the last
                                    part of its store path in capitals
                                    ("test/pw": PW), by Go's
                                    text/template rules for the actions depc
                                    writes: DIR/SECRET-KEY.k8s

Files are written in binary, byte for byte."""
import json
import os
import re
import sys


def write(path, data):
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def compose(out, dest):
    from compose.config import config as cc
    from compose.config.environment import Environment
    details = cc.find(out, ["compose.yaml"], Environment.from_env_file(out))
    for svc in cc.load(details).services:
        name = svc["name"]
        for key, value in (svc.get("environment") or {}).items():
            write(os.path.join(dest, f"{name}.env.{key}"), value or "")
        entry = svc.get("entrypoint")
        if entry:
            if entry[:2] != ["/bin/sh", "-c"] or entry[3:] != ["sh"]:
                sys.exit(f"compose: {name}: entrypoint is not /bin/sh -c SCRIPT sh: {entry}")
            write(os.path.join(dest, f"{name}.entrypoint.sh"), entry[2])
            write(os.path.join(dest, f"{name}.command"), "\0".join(svc.get("command") or []))


def hcl_string_list(text):
    """An HCL list of quoted strings on one line: its escapes are JSON's,
    besides $${ and %%{ for a literal ${ and %{."""
    return json.loads(re.sub(r"([$%])\1\{", r"\1{", text))


def ecs(out, dest):
    with open(os.path.join(out, "terraform", "ecs.tf"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    service = None
    parts = {}
    for i, line in enumerate(lines):
        m = re.match(r'resource "aws_ecs_task_definition" "([^"]+)"', line)
        if m:
            service = m.group(1)
        m = re.match(r"\s*entryPoint\s*= (\[.*\])$", line)
        if m:
            argv = hcl_string_list(m.group(1))
            if argv[:2] != ["/bin/sh", "-c"] or argv[3:] != ["sh"]:
                sys.exit(f"ecs: {service}: entryPoint is not /bin/sh -c SCRIPT sh: {argv}")
            write(os.path.join(dest, f"{service}.ecs.sh"), argv[2])
            c = re.match(r"\s*command\s*= (\[.*\])$", lines[i + 1])
            write(os.path.join(dest, f"{service}.ecs.command"),
                  "\0".join(hcl_string_list(c.group(1)) if c else []))
        m = re.match(r'\s*name\s*= "(DEPC_PART_[^"]+)"$', line)
        if m:
            v = re.match(r"\s*valueFrom = data\.aws_secretsmanager_secret\.([A-Za-z0-9_]+)\.arn$",
                         lines[i + 1])
            parts.setdefault(service, []).append(f"{m.group(1)} {v.group(1)}\n")
    for svc, lst in parts.items():
        write(os.path.join(dest, f"{svc}.ecs.parts"), "".join(lst))


ACTION = re.compile(r'\{\{(.*?)\}\}', re.S)


def render(template, data):
    """Go text/template as the External Secrets Operator runs it (engine
    v2, missingkey=error) for the two actions depc writes: a string
    literal, and `index . "KEY"`.  Anything else fails the test."""
    out, pos = [], 0
    for m in ACTION.finditer(template):
        out.append(template[pos:m.start()])
        action = m.group(1).strip()
        lit = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', action)
        idx = re.fullmatch(r'index \. "([^"\\]*)"', action)
        if lit:
            out.append(json.loads('"' + lit.group(1) + '"'))
        elif idx:
            if idx.group(1) not in data:
                sys.exit(f"k8s: map has no entry for key {idx.group(1)!r}")
            out.append(data[idx.group(1)])
        else:
            sys.exit(f"k8s: an action depc does not write: {{{{{m.group(1)}}}}}")
        pos = m.end()
    out.append(template[pos:])
    return "".join(out)


def k8s(out, dest):
    import yaml
    d = os.path.join(out, "k8s")
    for name in sorted(os.listdir(d)):
        if not name.endswith("-externalsecret.yaml"):
            continue
        with open(os.path.join(d, name), encoding="utf-8") as f:
            es = yaml.safe_load(f)
        target = es["spec"]["target"]
        tpl = target.get("template")
        if not tpl:
            continue
        if tpl.get("engineVersion") != "v2":
            sys.exit(f"k8s: {name}: template engine is not v2")
        # The data keys the template may read: each fetched secret's value.
        data = {}
        for entry in es["spec"]["data"]:
            var = entry["remoteRef"]["key"].split("/")[-1].upper()
            data[entry["secretKey"]] = os.environ[var]
        for key, text in tpl["data"].items():
            write(os.path.join(dest, f"{target['name']}-{key}.k8s"), render(text, data))


def main():
    what, out, dest = sys.argv[1], sys.argv[2], sys.argv[3]
    if what == "compose":
        compose(out, dest)
    elif what == "ecs":
        ecs(out, dest)
    elif what == "k8s":
        k8s(out, dest)
    else:
        sys.exit(f"unknown mode {what}")


if __name__ == "__main__":
    main()
