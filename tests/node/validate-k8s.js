// validate-k8s.js FILE... - Kubernetes manifests against their schemas.
//
// Each YAML document is checked with the validator that kubernetes-models
// compiles from the Kubernetes OpenAPI schema, or, for custom resources,
// the one @kubernetes-models/<project> compiles from the project's CRD
// (external-secrets, prometheus-operator).  Those validators accept
// fields the schema does not define, as the API server's lenient decoding
// would; like `kubeconform -strict`, this script rejects them: every
// object is read through a Proxy that records which fields the validator
// looked at, and a field it never looked at is one the schema lacks.
// Names and labels get the API server's own format checks, which the
// schemas leave out.  A kustomization.yaml must list files that exist.
// Exits 1 when any document fails, naming the file and the field.
'use strict';

const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/external-secrets',
  '@kubernetes-models/prometheus-operator',
];

// import() rather than require(): the newer packages are ES modules only.
async function modelFor(apiVersion, kind) {
  for (const pkg of PACKAGES) {
    let mod;
    try {
      mod = await import(`${pkg}/${apiVersion}`);
    } catch (e) {
      if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') continue;
      throw e;
    }
    const model = mod[kind];
    if (model && model.apiVersion === apiVersion && model.kind === kind) return model;
  }
  return null;
}

// A view of `value` that adds the path of every own field read to `seen`.
function tracked(value, where, seen) {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return v;
      const p = `${where}/${key}`;
      seen.add(p);
      return tracked(v, p, seen);
    },
  });
}

function unread(value, where, seen, out) {
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    const p = `${where}/${key}`;
    if (!Array.isArray(value) && !seen.has(p)) out.push(p);
    else unread(value[key], p, seen, out);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// Kinds whose names become DNS labels (Service and Namespace names are
// host names; the rest may be subdomains).
const LABEL_NAMED = new Set(['Service', 'Namespace']);

function checkMetadata(doc, errors) {
  const meta = doc.metadata || {};
  const name = meta.name || '';
  const [re, max] = LABEL_NAMED.has(doc.kind) ? [DNS_LABEL, 63] : [DNS_SUBDOMAIN, 253];
  if (!re.test(name) || name.length > max) errors.push(`/metadata/name: '${name}' is not a valid ${doc.kind} name`);
  for (const [key, value] of Object.entries(meta.labels || {})) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value))
      errors.push(`/metadata/labels/${key}: '${value}' is not a valid label value`);
  }
}

function checkKustomization(file, doc, errors) {
  const known = new Set(['apiVersion', 'kind', 'resources']);
  for (const key of Object.keys(doc))
    if (!known.has(key)) errors.push(`/${key}: not a field depc writes in a Kustomization`);
  for (const res of doc.resources || []) {
    if (!fs.existsSync(path.join(path.dirname(file), res))) errors.push(`/resources: '${res}' does not exist`);
  }
}

async function checkDocument(file, doc) {
  const errors = [];
  if (doc.kind === 'Kustomization' && doc.apiVersion === 'kustomize.config.k8s.io/v1beta1') {
    checkKustomization(file, doc, errors);
    return errors;
  }
  const model = await modelFor(doc.apiVersion, doc.kind);
  if (!model) return [`no schema for ${doc.apiVersion} ${doc.kind}`];
  const seen = new Set();
  try {
    model.prototype.validate.call(tracked(doc, '', seen));
  } catch (e) {
    errors.push(e.message);
  }
  const extra = [];
  unread(doc, '', seen, extra);
  for (const p of extra) errors.push(`${p}: field not in the ${doc.kind} schema`);
  checkMetadata(doc, errors);
  return errors;
}

async function main(files) {
  let docs = 0;
  let failed = 0;
  for (const file of files) {
    let all;
    try {
      all = yaml.loadAll(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      console.log(`FAIL: ${file}: ${e.message}`);
      failed++;
      continue;
    }
    for (const doc of all.filter((d) => d !== null && d !== undefined)) {
      docs++;
      const errors = await checkDocument(file, doc);
      if (errors.length) failed++;
      for (const err of errors) console.log(`FAIL: ${file}: ${doc.kind || '?'}: ${err}`);
    }
  }
  console.log(`validate-k8s.js: ${docs} documents, ${failed} failed`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => { process.exitCode = rc; });
