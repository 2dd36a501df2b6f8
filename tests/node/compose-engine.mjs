// compose-engine.mjs FILE... - Compose files against the Compose
// Specification's JSON schema (the copy dclint ships) and against the
// rules of the engine depc writes them for, `docker compose` (Compose v2,
// not Swarm), which the schema does not express:
//   - restart is no, always, unless-stopped, on-failure or on-failure:N;
//     a deploy.restart_policy, if any, has a condition Swarm and Compose
//     both take (none, on-failure, any) and max_attempts only with
//     on-failure (Docker refuses a retry count with always);
//   - no Swarm-only key: deploy.update_config, rollback_config,
//     placement, endpoint_mode, mode global (`docker compose up` ignores
//     them, so the file would promise what does not happen);
//   - a service with more than one replica publishes no fixed host port
//     (only one replica could bind it), and no host address and port is
//     published twice;
//   - every network, volume and secret a service names is declared.
// Exits 1 naming the file, the service and the rule.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const Ajv = require('ajv');
// dclint exports no path to its schema: read it beside its package.
const dclint = path.dirname(require.resolve('dclint/package.json').replace(/package\.json$/, 'x'));
const schema = JSON.parse(fs.readFileSync(path.join(dclint, 'schemas', 'compose.schema.json'), 'utf8'));

// Ajv 8 knows draft-07 without its meta-schema URL; dclint drops it too.
delete schema.$schema;
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, validateFormats: false });
const validate = ajv.compile(schema);
const SWARM_ONLY = ['update_config', 'rollback_config', 'placement', 'endpoint_mode'];
let failed = 0;

// HOST_IP:HOST:CONTAINER, HOST:CONTAINER or CONTAINER (short syntax).
function hostPort(spec) {
  const s = String(spec).replace(/\/(tcp|udp)$/, '');
  const parts = s.split(':');
  if (parts.length === 1) return null;
  const host = parts.length === 3 ? parts[1] : parts[0];
  const ip = parts.length === 3 ? parts[0] : '0.0.0.0';
  return host === '' ? null : `${ip}:${host}`;
}

function check(file) {
  const errors = [];
  const doc = yaml.load(fs.readFileSync(file, 'utf8'));
  if (!validate(doc))
    for (const e of validate.errors) errors.push(`schema: ${e.instancePath || '/'} ${e.message}`);
  const published = new Map();
  for (const [name, svc] of Object.entries(doc.services || {})) {
    const err = (m) => errors.push(`service ${name}: ${m}`);
    const restart = svc.restart;
    if (restart !== undefined && !/^(no|always|unless-stopped|on-failure(:[1-9][0-9]*)?)$/.test(restart))
      err(`restart '${restart}' is not a policy the engine takes`);
    const deploy = svc.deploy || {};
    const rp = deploy.restart_policy;
    if (rp) {
      if (!['none', 'on-failure', 'any'].includes(rp.condition))
        err(`restart_policy.condition '${rp.condition}' is not none, on-failure or any`);
      if (rp.max_attempts !== undefined && rp.condition !== 'on-failure')
        err(`restart_policy.max_attempts with condition '${rp.condition}': Docker takes a retry count with on-failure only`);
    }
    for (const key of SWARM_ONLY) if (deploy[key] !== undefined) err(`deploy.${key} is Swarm's: docker compose ignores it`);
    if (deploy.mode === 'global') err('deploy.mode global is Swarm\'s');
    const replicas = deploy.replicas ?? 1;
    for (const p of svc.ports || []) {
      const hp = typeof p === 'object' ? (p.published ? `${p.host_ip || '0.0.0.0'}:${p.published}` : null) : hostPort(p);
      if (!hp) continue;
      if (replicas > 1 && !hp.includes('-')) err(`publishes fixed host port ${hp} with ${replicas} replicas: only one can bind it`);
      if (published.has(hp)) err(`publishes ${hp}, which ${published.get(hp)} publishes too`);
      published.set(hp, name);
    }
    const nets = Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks || {});
    for (const n of nets) if (!(doc.networks || {})[n] && n !== 'default') err(`network '${n}' is not declared`);
    for (const v of svc.volumes || []) {
      const src = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (src && !/^[./~]/.test(src) && !(src in (doc.volumes || {}))) err(`volume '${src}' is not declared`);
    }
    for (const s of svc.secrets || []) {
      const n = typeof s === 'string' ? s : s.source;
      if (!(n in (doc.secrets || {}))) err(`secret '${n}' is not declared`);
    }
  }
  for (const e of errors) console.log(`${file}: ${e}`);
  failed += errors.length ? 1 : 0;
  return errors.length === 0;
}

let passed = 0;
for (const f of process.argv.slice(2)) if (check(f)) passed++;
console.log(`compose-engine: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
