#!/usr/bin/env python3
"""egress-policy.py - decides, from generated Kubernetes NetworkPolicies,
whether a pod may open a TCP connection to an address outside the
cluster, the way the NetworkPolicy API defines it: a pod selected by no
policy of type Egress may send anywhere; otherwise a connection is
allowed when some rule of some policy selecting the pod lists a peer
that matches the address (an ipBlock containing it and none of its
excepts; pod and namespace selectors never match an address outside the
cluster) and a port that matches (no ports: every port).

  egress-policy.py K8S_DIR APP CASE...

Each CASE is SERVICE ADDRESS PORT allow|deny; exit 1 on any mismatch."""
import glob
import ipaddress
import sys

import yaml


def policies(directory):
    for path in sorted(glob.glob(directory + "/*-networkpolicy.yaml")):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if doc.get("kind") == "NetworkPolicy":
            yield doc


def selects(spec, labels):
    wanted = (spec.get("podSelector") or {}).get("matchLabels") or {}
    if (spec.get("podSelector") or {}).get("matchExpressions"):
        raise SystemExit("matchExpressions are not evaluated here")
    return all(labels.get(k) == v for k, v in wanted.items())


def peer_matches(peer, address):
    block = peer.get("ipBlock")
    if not block:
        return False  # a pod or namespace selector: pods only
    if address not in ipaddress.ip_network(block["cidr"]):
        return False
    return not any(address in ipaddress.ip_network(e) for e in block.get("except", []))


def port_matches(rule, port):
    ports = rule.get("ports")
    if not ports:
        return True
    for p in ports:
        if p.get("protocol", "TCP") != "TCP":
            continue
        low = p.get("port")
        high = p.get("endPort", low)
        if low is None or low <= port <= high:
            return True
    return False


def allowed(docs, labels, address, port):
    selected = False
    for doc in docs:
        spec = doc["spec"]
        if not selects(spec, labels) or "Egress" not in spec.get("policyTypes", []):
            continue
        selected = True
        for rule in spec.get("egress") or []:
            peers = rule.get("to")
            peer_ok = not peers or any(peer_matches(p, address) for p in peers)
            if peer_ok and port_matches(rule, port):
                return True
    return not selected


def main(argv):
    directory, app, cases = argv[1], argv[2], argv[3:]
    docs = list(policies(directory))
    failures = 0
    for i in range(0, len(cases), 4):
        service, address, port, want = cases[i:i + 4]
        labels = {"app.kubernetes.io/name": service, "app.kubernetes.io/instance": app}
        got = "allow" if allowed(docs, labels, ipaddress.ip_address(address), int(port)) else "deny"
        if got != want:
            print(f"FAIL: {service} -> {address}:{port}: {got}, expected {want}")
            failures += 1
        else:
            print(f"ok: {service} -> {address}:{port}: {got}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
