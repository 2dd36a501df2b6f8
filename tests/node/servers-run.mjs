// servers-run.mjs OUT WORK - the stdlib's servers, run from Debian's
// packages the way the generated files run them, probed by the generated
// health checks.  Called by tests/servers-run.sh, which builds OUT.
//
// For each service of tests/servers/app.dep: the server starts on loopback
// with the command and environment compose.yaml gives it (secrets
// interpolated from SECRET_NAME, or written to the files NAME_FILE names),
// as an unprivileged user where it refuses root; then the Compose
// healthcheck and the Kubernetes exec probe run against it.  A probe
// that reads the secret must pass with the right one and fail with a
// wrong one; a probe that does not log in (pg_isready, mysqladmin ping)
// must pass, and the secret is checked by logging in with it instead.
// What the official images do before the server starts (initdb, users),
// the harness does with the same environment.  Paths inside the
// container (/run/secrets, the socket directories, nginx's conf.d) are
// mapped into WORK.  Every wait is bounded; every server is stopped.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const [out, work] = process.argv.slice(2);
const compose = yaml.load(fs.readFileSync(path.join(out, 'compose.yaml'), 'utf8'));
const asRoot = process.getuid() === 0;
const PG_BIN = process.env.PG_BIN;
const children = [];
let pass = 0, fail = 0;

function ok(what) { pass++; console.log(`ok: ${what}`); }
function bad(what) { fail++; console.log(`FAIL: ${what}`); }

// The value of each secret, and a wrong one of the same length.
const secrets = {};
for (const name of Object.keys(compose.secrets || {}).concat(['pg_password', 'redis_password', 'my_password', 'my_root']))
  secrets[name] = `right-${name}-${process.pid}`;
const wrong = (v) => v.replace('right', 'wrong');

// Compose's own substitutions: ${SECRET_X:?...} from the environment
// `docker compose` runs in, and $$ for a literal $.
function composeValue(v, values) {
  return String(v).replace(/\$\{(SECRET_[A-Z0-9_]+):\?[^}]*\}/g, (_, name) => {
    const secret = Object.keys(values).find((s) => `SECRET_${s.toUpperCase().replace(/[^A-Z0-9]/g, '_')}` === name);
    if (!secret) throw new Error(`no secret for ${name}`);
    return values[secret];
  }).replace(/\$\$/g, '$');
}

// The environment compose.yaml gives a service; secret files under dir.
function composeEnv(svc, values, dir) {
  const env = { PATH: process.env.PATH };
  for (const [k, v] of Object.entries(svc.environment || {})) {
    const s = composeValue(v, values);
    const m = /^\/run\/secrets\/(.+)$/.exec(s);
    if (m && k.endsWith('_FILE')) {
      const file = path.join(dir, 'run-secrets', m[1]);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, values[m[1]], { mode: 0o644 });
      env[k] = file;
    } else env[k] = s;
  }
  return env;
}

// The Kubernetes container's environment: values, and secretKeyRef
// read from the Secret named after the secret.
function k8sContainer(name) {
  for (const kind of ['statefulset', 'deployment']) {
    const f = path.join(out, 'k8s', `${name}-${kind}.yaml`);
    if (fs.existsSync(f)) return yaml.load(fs.readFileSync(f, 'utf8')).spec.template.spec.containers[0];
  }
  throw new Error(`no workload for ${name}`);
}
function k8sEnv(ctr, values) {
  const env = { PATH: process.env.PATH };
  for (const e of ctr.env || []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else {
      const ref = e.valueFrom.secretKeyRef.name;
      const secret = Object.keys(values).find((s) => s.replace(/_/g, '-') === ref);
      env[e.name] = values[secret];
    }
  }
  return env;
}

// The kubelet expands an exec probe's command as it does a container's:
// $(NAME) from the container's plain variables, $$ for a literal $.
function k8sProbe(ctr) {
  const vars = Object.fromEntries((ctr.env || []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
  return ctr.readinessProbe.exec.command.map((w) =>
    w.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name) => (m === '$$' ? '$' : name in vars ? vars[name] : m)));
}

function healthArgv(svc, values) {
  const t = svc.healthcheck.test;
  if (t[0] !== 'CMD') throw new Error(`healthcheck ${t[0]}`);
  return t.slice(1).map((w) => composeValue(w, values));
}

// Runs argv (as the unprivileged user when `drop`), bounded; its status.
function run(argv, env, opts = {}) {
  const full = opts.drop && asRoot ? ['runuser', '-u', 'nobody', '--', ...argv] : argv;
  const r = spawnSync(full[0], full.slice(1), { env, cwd: opts.cwd, timeout: opts.timeout || 20000, encoding: 'utf8' });
  if (opts.verbose && r.status !== 0) console.log(r.stdout, r.stderr);
  return r.status === null ? -1 : r.status;
}

function start(argv, env, cwd, drop, log) {
  const full = drop && asRoot ? ['runuser', '-u', 'nobody', '--', ...argv] : argv;
  const fd = fs.openSync(log, 'a');
  const p = spawn(full[0], full.slice(1), { env, cwd, stdio: ['ignore', fd, fd], detached: false });
  children.push(p);
  return p;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, test, ms = 30000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(250))
    if (test()) return true;
  bad(`${what}: not within ${ms / 1000}s`);
  return false;
}

function scratch(name) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
  fs.chmodSync(dir, 0o777);
  return dir;
}

// A probe that reads the secret: healthy with the right one, not with a wrong one.
function probeWithSecret(what, argv, envFor) {
  if (run(argv, envFor(secrets)) === 0) ok(`${what} passes with the right secret`);
  else bad(`${what} fails with the right secret`);
  const w = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, wrong(v)]));
  if (run(argv, envFor(w)) !== 0) ok(`${what} fails with a wrong secret`);
  else bad(`${what} passes with a wrong secret`);
}

// A probe that does not log in: healthy whatever the secret.
function probeWithoutSecret(what, argv, env) {
  if (run(argv, env) === 0) ok(`${what} passes (it does not log in)`);
  else bad(`${what} fails against the running server`);
}

async function postgres(name) {
  const svc = compose.services[name], dir = scratch(name);
  const env = composeEnv(svc, secrets, dir);
  const password = env.POSTGRES_PASSWORD ?? fs.readFileSync(env.POSTGRES_PASSWORD_FILE, 'utf8');
  const sock = scratch(`${name}-socket`), data = path.join(dir, 'pgdata');
  fs.writeFileSync(path.join(dir, 'pw'), password, { mode: 0o644 });
  // The image's first start: initdb as POSTGRES_USER with its password.
  if (run([`${PG_BIN}/initdb`, '-D', data, '-U', env.POSTGRES_USER, `--pwfile=${path.join(dir, 'pw')}`,
    '-A', 'scram-sha-256'], env, { drop: true, verbose: true, timeout: 60000 }) !== 0) return bad(`${name}: initdb`);
  start([`${PG_BIN}/postgres`, '-D', data, '-k', sock, '-c', 'listen_addresses=127.0.0.1'], env, dir, true,
    path.join(dir, 'log'));
  const local = { ...env, PGHOST: sock }; // the image's /var/run/postgresql
  if (!await until(`${name}: postgres ready`, () => run([`${PG_BIN}/pg_isready`, '-q'], local) === 0)) return;
  const login = (pw) => run(['psql', '-h', '127.0.0.1', '-U', env.POSTGRES_USER, '-d', 'postgres', '-c', 'SELECT 1'],
    { ...env, PGPASSWORD: pw });
  if (login(password) === 0 && login(wrong(password)) !== 0) ok(`${name}: the server takes the secret Compose delivers, and no other`);
  else bad(`${name}: logging in with the delivered secret`);
  probeWithoutSecret(`${name}: Compose healthcheck`, healthArgv(svc, secrets), local);
  const ctr = k8sContainer(name);
  probeWithoutSecret(`${name}: Kubernetes readiness probe`, k8sProbe(ctr),
    { ...k8sEnv(ctr, secrets), PGHOST: sock });
}

async function redis(name) {
  const svc = compose.services[name], dir = scratch(name);
  const cmd = svc.command.map((w) => composeValue(w, secrets));
  start(cmd, composeEnv(svc, secrets, dir), dir, true, path.join(dir, 'log'));
  const argv = healthArgv(svc, secrets);
  if (!await until(`${name}: redis ready`, () => run(argv, composeEnv(svc, secrets, dir)) === 0)) return;
  probeWithSecret(`${name}: Compose healthcheck`, argv, (v) => composeEnv(svc, v, path.join(dir, 'probe')));
  const ctr = k8sContainer(name);
  probeWithSecret(`${name}: Kubernetes readiness probe`, k8sProbe(ctr), (v) => k8sEnv(ctr, v));
}

async function mysql(name) {
  const svc = compose.services[name], dir = scratch(name);
  const env = composeEnv(svc, secrets, dir);
  const read = (k) => env[k] ?? fs.readFileSync(env[`${k}_FILE`], 'utf8');
  const data = path.join(dir, 'data'), sock = path.join(scratch(`${name}-socket`), 'mysqld.sock');
  if (run(['mariadb-install-db', `--datadir=${data}`, '--auth-root-authentication-method=normal',
    '--skip-test-db', ...(asRoot ? ['--user=nobody'] : [])], env, { verbose: true, timeout: 60000 }) !== 0)
    return bad(`${name}: mariadb-install-db`);
  start(['mariadbd', '--no-defaults', `--datadir=${data}`, `--socket=${sock}`, '--bind-address=127.0.0.1',
    `--pid-file=${path.join(dir, 'pid')}`, ...(asRoot ? ['--user=nobody'] : [])], env, dir, false,
    path.join(dir, 'log'));
  const admin = ['mariadb', '--no-defaults', `--socket=${sock}`, '-uroot'];
  if (!await until(`${name}: mariadbd ready`, () => run([...admin, '-e', 'SELECT 1'], env) === 0)) return;
  // The image's first start: the database and its user, with the secret.
  const q = (s) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const sql = `CREATE DATABASE \`${env.MYSQL_DATABASE}\`; CREATE USER '${q(env.MYSQL_USER)}'@'%' IDENTIFIED BY ` +
    `'${q(read('MYSQL_PASSWORD'))}'; GRANT ALL ON \`${env.MYSQL_DATABASE}\`.* TO '${q(env.MYSQL_USER)}'@'%';`;
  if (run([...admin, '-e', sql], env, { verbose: true }) !== 0) return bad(`${name}: creating the user`);
  const login = (pw) => run(['mariadb', '--no-defaults', '--protocol=tcp', '-h', '127.0.0.1', `-P${env.MYSQL_TCP_PORT}`,
    `-u${env.MYSQL_USER}`, `-p${pw}`, env.MYSQL_DATABASE, '-e', 'SELECT 1'], env);
  const pw = read('MYSQL_PASSWORD');
  if (login(pw) === 0 && login(wrong(pw)) !== 0) ok(`${name}: the server takes the secret Compose delivers, and no other`);
  else bad(`${name}: logging in with the delivered secret`);
  probeWithoutSecret(`${name}: Compose healthcheck`, healthArgv(svc, secrets), env);
  const ctr = k8sContainer(name);
  probeWithoutSecret(`${name}: Kubernetes readiness probe`, k8sProbe(ctr), k8sEnv(ctr, secrets));
}

async function nginx(name) {
  const svc = compose.services[name], dir = scratch(name), conf = scratch(`${name}-conf.d`);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) scratch(`${name}-${d}`);
  const t = (d) => path.join(work, `${name}-${d}`);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n` +
    `events {}\nhttp {\n  access_log off;\n  client_body_temp_path ${t('body')};\n  proxy_temp_path ${t('proxy')};\n` +
    `  fastcgi_temp_path ${t('fastcgi')};\n  uwsgi_temp_path ${t('uwsgi')};\n  scgi_temp_path ${t('scgi')};\n` +
    `  include ${conf}/*.conf;\n}\n`);
  fs.chmodSync(path.join(dir, 'nginx.conf'), 0o644);
  // The image's paths: conf.d, and its main configuration.
  const cmd = svc.command.map((w) => composeValue(w, secrets).replaceAll('/etc/nginx/conf.d', conf)
    .replace("exec nginx -g 'daemon off;'", `exec nginx -c ${dir}/nginx.conf -g 'daemon off;'`));
  if (!cmd.some((w) => w.includes(`-c ${dir}/nginx.conf`))) return bad(`${name}: the command no longer starts nginx as expected`);
  start(cmd, composeEnv(svc, secrets, dir), dir, true, path.join(dir, 'log'));
  const argv = healthArgv(svc, secrets), env = composeEnv(svc, secrets, dir);
  if (!await until(`${name}: nginx answers the Compose healthcheck`, () => run(argv, env) === 0)) return;
  ok(`${name}: Compose healthcheck passes`);
  const ctr = k8sContainer(name);
  probeWithoutSecret(`${name}: Kubernetes readiness probe`, k8sProbe(ctr), k8sEnv(ctr, secrets));
}

// Next.js's standalone server.js listens on $HOSTNAME:$PORT; a server
// bound the same way must answer the generated probe.  Docker and ECS
// set HOSTNAME to the container's name, whose address is not loopback:
// bound there (127.0.0.2 stands for it) the probe to 127.0.0.1 fails,
// which is why the template sets HOSTNAME.
async function nextjs(name) {
  const svc = compose.services[name], dir = scratch(name);
  const server = "require('http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, process.env.HOSTNAME)";
  const env = composeEnv(svc, secrets, dir), argv = healthArgv(svc, secrets);
  if (env.HOSTNAME !== '0.0.0.0') bad(`${name}: compose.yaml sets HOSTNAME to '${env.HOSTNAME}', not 0.0.0.0`);
  const p = start(['node', '-e', server], env, dir, false, path.join(dir, 'log'));
  if (await until(`${name}: the probe reaches the server bound to $HOSTNAME:$PORT`, () => run(argv, env) === 0))
    ok(`${name}: Compose healthcheck passes against a server bound to $HOSTNAME:$PORT`);
  p.kill();
  await new Promise((r) => p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', r));
  const elsewhere = { ...env, HOSTNAME: '127.0.0.2' };
  const q = start(['node', '-e', server], elsewhere, dir, false, path.join(dir, 'log2'));
  await sleep(500);
  if (q.exitCode === null && run(argv, elsewhere) !== 0) ok(`${name}: bound to the container's own address, the probe fails`);
  else bad(`${name}: the probe passed against a server not on loopback`);
}

// Stopped from outside (the script's time limit): stop the servers too.
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    // SIGTERM, which runuser passes on to the server it started.
    for (const p of children) if (p.exitCode === null) p.kill('SIGTERM');
    process.exit(2);
  });
}

const kinds = [
  [/^postgres:/, postgres], [/^redis:/, redis], [/^mysql:/, mysql], [/^nginxinc\/nginx-unprivileged:/, nginx],
];
try {
  for (const [name, svc] of Object.entries(compose.services)) {
    const kind = kinds.find(([re]) => re.test(svc.image));
    if (kind) await kind[1](name);
    else if (svc.build) await nextjs(name);
    else bad(`${name}: no server here for image ${svc.image}`);
  }
} catch (e) {
  bad(e.stack);
} finally {
  for (const p of children) if (p.exitCode === null) p.kill('SIGTERM');
  await sleep(300);
  for (const p of children) if (p.exitCode === null) p.kill('SIGKILL');
}
console.log(`servers-run: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
