#!/usr/bin/env python3
"""k8s-compare.py DEPC_OUT PKL_OUT - checks that bench/k8s.pkl renders the
same Kubernetes objects as depc for the same services.

DEPC_OUT is `depc build --target k8s -o -` (files, each after a line
`==> path <==`), PKL_OUT the YAML stream of `pkl eval bench/k8s.pkl`.
Every object Pkl renders must be one depc writes (same kind and name),
and every field Pkl renders must hold the same value in depc's object
(lists: same length, item by item).  Prints what depc adds on its own:
fields of those objects Pkl leaves out, and the kinds of objects only
depc writes.  Exit 0 when they agree, 1 when they do not."""
import re
import sys
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def depc_objects(text):
    objects = []
    for part in re.split(r"^==> .* <==\n", text, flags=re.M):
        objects += [d for d in yaml.load_all(part, Loader=Loader) if isinstance(d, dict)]
    return objects


def key(obj):
    return (obj.get("kind"), (obj.get("metadata") or {}).get("name"))


def compare(mine, theirs, path, problems, extra):
    """Walks Pkl's value MINE beside depc's THEIRS."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for k, v in mine.items():
            if k not in theirs:
                problems.append("%s.%s: only Pkl has it" % (path, k))
            else:
                compare(v, theirs[k], "%s.%s" % (path, k), problems, extra)
        for k in theirs:
            if k not in mine:
                extra.add(re.sub(r"\[\d+\]", "[]", "%s.%s" % (path, k)))
    elif isinstance(mine, list) and isinstance(theirs, list):
        if len(mine) != len(theirs):
            problems.append("%s: %d items in Pkl, %d in depc" % (path, len(mine), len(theirs)))
        for i, (a, b) in enumerate(zip(mine, theirs)):
            compare(a, b, "%s[%d]" % (path, i), problems, extra)
    elif mine != theirs or type(mine) is not type(theirs):
        problems.append("%s: Pkl %r, depc %r" % (path, mine, theirs))


def main():
    with open(sys.argv[1]) as f:
        depc = {key(o): o for o in depc_objects(f.read())}
    with open(sys.argv[2]) as f:
        pkl = [d for d in yaml.load_all(f, Loader=Loader) if isinstance(d, dict)]
    problems, extra, seen = [], set(), set()
    for obj in pkl:
        k = key(obj)
        if k not in depc:
            problems.append("%s %s: depc writes no such object" % k)
            continue
        seen.add(k)
        compare(obj, depc[k], "%s %s:" % k, problems, extra)
    only_depc = {}
    for k in depc:
        if k not in seen:
            only_depc[k[0]] = only_depc.get(k[0], 0) + 1
    print("compared %d objects: %s" % (len(pkl), "equal" if not problems else
                                         "%d differences" % len(problems)))
    for p in problems[:20]:
        print("  " + p)
    fields = sorted({re.sub(r"^\S+ \S+:", "", e) for e in extra})
    print("fields only depc writes in them: %s" % (", ".join(fields) or "none"))
    print("objects only depc writes: %s" % ", ".join(
        "%d %s" % (c, k) for k, c in sorted(only_depc.items(), key=lambda kc: str(kc[0]))))
    return 1 if problems or not pkl else 0


sys.exit(main())
