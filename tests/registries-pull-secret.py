#!/usr/bin/env python3
"""registries-pull-secret.py K8S_DIR - renders each dockerconfigjson
ExternalSecret template in K8S_DIR the way the External Secrets Operator
does, and checks the Secret it would make.

ESO (engine v2) runs every template value through Go's text/template with
the Sprig functions, its data being the ExternalSecret's secretKeys
(here `username` and `password`, read from the store).  This script
evaluates the part of text/template the generated templates use: text
and {{ }} actions; pipelines, where a command's result becomes the last
argument of the next; parenthesised pipelines; Go string literals; .key
fields; and the functions dict, printf (%s), b64enc and toJson, which
encodes as Go's encoding/json does (map keys sorted, <, >, & and
U+2028/U+2029 escaped).  Anything else in a template is an error, so a
template the script cannot read fails the test rather than passing it.

For each pull secret it renders with hostile credentials (quotes,
backslashes, braces, template delimiters, control characters, non-ASCII,
a colon in the user name) and checks the result parses as
{"auths": {KEY: {"username", "password", "auth"}}} holding them exactly,
with auth = base64(username:password), KEY the host the image names (or
Docker Hub's https://index.docker.io/v1/).  Also: the Secret is of type
kubernetes.io/dockerconfigjson, every data entry reads a property of one
store path, and no hostile value or store content can reach the manifest
(the template refers only to .username and .password).
Exits 1 on the first failure, naming the file."""
import base64
import json
import os
import re
import sys

import yaml

HOSTILE = [
    ('robot$acme+pull', 'p@ss"w\\ord}}{{ .username }}'),
    ('us:er"{{', '\n\t\x01\u2028<script>&amp;\u00e9\U0001F511 "}}'),
    ('', ''),
]


class TemplateError(Exception):
    pass


def go_unquote(lit):
    """A Go interpreted string literal, quotes included."""
    body, out, i = lit[1:-1], [], 0
    simple = {'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"', 'a': '\a',
              'b': '\b', 'f': '\f', 'v': '\v'}
    while i < len(body):
        c = body[i]
        if c != '\\':
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == 'x':
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif e == 'u':
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        else:
            raise TemplateError('escape \\%s' % e)
    return ''.join(out)


TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<field>\.[A-Za-z_][A-Za-z0-9_]*)'
                   r'|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[()|]))')


def tokens(action):
    pos, out = 0, []
    while pos < len(action):
        if action[pos:].strip() == '':
            break
        m = TOKEN.match(action, pos)
        if not m:
            raise TemplateError('cannot read %r' % action[pos:])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def go_json(value):
    text = json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
    for c, e in (('<', '\\u003c'), ('>', '\\u003e'), ('&', '\\u0026'),
                 ('\u2028', '\\u2028'), ('\u2029', '\\u2029')):
        text = text.replace(c, e)
    return text


def call(name, args):
    if name == 'dict':
        if len(args) % 2:
            raise TemplateError('dict takes pairs')
        return {str(args[i]): args[i + 1] for i in range(0, len(args), 2)}
    if name == 'printf':
        fmt, rest = args[0], list(args[1:])
        if fmt.count('%') != fmt.count('%s') or fmt.count('%s') != len(rest):
            raise TemplateError('printf %r' % fmt)
        return fmt.replace('%s', '\0').split('\0')[0] + ''.join(
            str(a) + part for a, part in zip(rest, fmt.replace('%s', '\0').split('\0')[1:]))
    if name == 'b64enc':
        return base64.b64encode(args[0].encode('utf-8')).decode('ascii')
    if name == 'toJson':
        return go_json(args[0])
    raise TemplateError('function %s' % name)


class Parser:
    def __init__(self, toks, data, fields):
        self.toks, self.i, self.data, self.fields = toks, 0, data, fields

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def pipeline(self):
        value = self.command(None)
        while self.peek() == ('punct', '|'):
            self.i += 1
            value = self.command(value)
        return value

    def operand(self):
        kind, text = self.peek()
        self.i += 1
        if kind == 'str':
            return go_unquote(text)
        if kind == 'field':
            self.fields.add(text[1:])
            if text[1:] not in self.data:
                raise TemplateError('no key %s' % text)
            return self.data[text[1:]]
        if (kind, text) == ('punct', '('):
            v = self.pipeline()
            if self.peek() != ('punct', ')'):
                raise TemplateError('unclosed (')
            self.i += 1
            return v
        raise TemplateError('unexpected %r' % text)

    def command(self, piped):
        kind, text = self.peek()
        if kind == 'ident':
            self.i += 1
            args = []
            while self.peek()[0] in ('str', 'field') or self.peek() == ('punct', '('):
                args.append(self.operand())
            if piped is not None:
                args.append(piped)
            return call(text, args)
        if piped is not None:
            raise TemplateError('pipe into a value')
        return self.operand()


def render(template, data, fields):
    """The text ESO would store; the .keys read are added to `fields`."""
    out, pos = [], 0
    while True:
        start = template.find('{{', pos)
        if start < 0:
            out.append(template[pos:])
            return ''.join(out)
        out.append(template[pos:start])
        end = start + 2
        quoted = False  # '}}' inside a string literal does not end the action
        while end < len(template):
            c = template[end]
            if quoted and c == '\\':
                end += 2
                continue
            if c == '"':
                quoted = not quoted
            elif not quoted and template.startswith('}}', end):
                break
            end += 1
        else:
            raise TemplateError('unclosed action')
        p = Parser(tokens(template[start + 2:end]), data, fields)
        value = p.pipeline()
        if p.i != len(p.toks):
            raise TemplateError('text after the pipeline')
        out.append(value if isinstance(value, str) else str(value))
        pos = end + 2


def check(path, doc, failures):
    target = doc['spec']['target']
    tpl = target.get('template') or {}
    if tpl.get('type') != 'kubernetes.io/dockerconfigjson':
        return 0
    keys = sorted(d['secretKey'] for d in doc['spec']['data'])
    paths = {d['remoteRef']['key'] for d in doc['spec']['data']}
    props = sorted(d['remoteRef'].get('property', '') for d in doc['spec']['data'])
    if keys != ['password', 'username'] or props != keys or len(paths) != 1:
        failures.append('%s: data must read username and password from one store path' % path)
    if tpl.get('engineVersion') != 'v2' or list(tpl['data']) != ['.dockerconfigjson']:
        failures.append('%s: expected one v2 .dockerconfigjson template' % path)
        return 1
    text = tpl['data']['.dockerconfigjson']
    fields = set()
    for user, password in HOSTILE:
        try:
            config = json.loads(render(text, {'username': user, 'password': password}, fields))
        except (TemplateError, ValueError) as e:
            failures.append('%s: does not render to JSON: %s' % (path, e))
            return 1
        auths = config.get('auths', {})
        if len(config) != 1 or len(auths) != 1:
            failures.append('%s: expected one entry in auths: %r' % (path, config))
            continue
        (key, entry), = auths.items()
        want = base64.b64encode(('%s:%s' % (user, password)).encode()).decode()
        if entry != {'username': user, 'password': password, 'auth': want}:
            failures.append('%s: credential not kept exactly under %s' % (path, key))
        print('ok %s: %s holds the credential exactly (%d-character password)'
              % (os.path.basename(path), key, len(password)))
    if fields != {'username', 'password'}:
        failures.append('%s: the template reads %s, not the username and password alone'
                        % (path, sorted(fields)))
    return 1


def main():
    failures, seen = [], 0
    for name in sorted(os.listdir(sys.argv[1])):
        path = os.path.join(sys.argv[1], name)
        if not name.endswith('-externalsecret.yaml'):
            continue
        with open(path, encoding='utf-8') as f:
            for doc in yaml.safe_load_all(f):
                if doc and doc.get('kind') == 'ExternalSecret':
                    seen += check(path, doc, failures)
    if seen == 0:
        failures.append('%s: no dockerconfigjson ExternalSecret' % sys.argv[1])
    for f in failures:
        print('FAIL: ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
