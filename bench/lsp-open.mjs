// lsp-open.mjs - how long the language server makes a user wait on a
// whole program.  Plain Node, no packages: the framing is written here
// so that the numbers include nothing else.  A fresh server for each run.
//
//   node bench/lsp-open.mjs DEPC FILE [RUNS]
// prints the median seconds from didOpen to the first publishDiagnostics.
//
//   node bench/lsp-open.mjs --targets DEPC FILE [RUNS]
// prints two rows of a markdown table, medians over RUNS, times in ms,
// first wall clock (client to client), then the server's CPU time (from
// /proc/PID/schedstat: what a loaded machine inflates least):
// wall or CPU | source KB | first diagnostics | documentSymbol | semanticTokens/full |
// formatting | completion | didChange to its diagnostics |
// documentSymbol's answer KB and its size over the source's |
// the longest wait of all (the server does one thing at a time, so that
// is how long it blocks) | the server's peak RSS in MB (VmHWM).
// Each request is the first of its kind after the analysis it needs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const targets = args[0] === '--targets';
if (targets) args.shift();
const [depc, file, runsArg] = args;
const runs = Number(runsArg || 3);
const text = readFileSync(file, 'utf8');
const uri = 'file:///bench/program.dep';

function frame(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

// A server and what it answers: `request` resolves with the message and
// the size of its body, `until` with the first message that matches.
function start() {
  const server = spawn(depc, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const pending = new Map(), watchers = [];
  let chunks = [], have = 0, need = 0, nextId = 1;
  // Chunks are joined only once a whole message is in: joining at each
  // chunk would copy a large answer over and over.
  server.stdout.on('data', (chunk) => {
    chunks.push(chunk); have += chunk.length;
    if (have < need) return;
    let buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, have);
    need = 0;
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head < 0) break;
      const len = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())[1]);
      if (buffer.length < head + 4 + len) { need = head + 4 + len; break; }
      const msg = JSON.parse(buffer.subarray(head + 4, head + 4 + len).toString());
      buffer = buffer.subarray(head + 4 + len);
      if (msg.id !== undefined && pending.has(msg.id)) {
        pending.get(msg.id)({ msg, bytes: len }); pending.delete(msg.id);
      }
      for (const w of watchers.splice(0)) if (!w(msg)) watchers.push(w);
    }
    chunks = buffer.length ? [buffer] : []; have = buffer.length;
  });
  const send = (msg) => server.stdin.write(frame(msg));
  return {
    server,
    notify: (method, params) => send({ method, params }),
    request: (method, params) => new Promise((done) => {
      const id = nextId++;
      pending.set(id, done);
      send({ id, method, params });
    }),
    until: (pred) => new Promise((done) => watchers.push((m) => (pred(m) ? (done(m), true) : false))),
    // nanoseconds the server has run on a CPU (its own time, whatever
    // else the machine is doing)
    cpu: () => Number(readFileSync(`/proc/${server.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6,
    hwm: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024,
    stop: async function () {
      await this.request('shutdown');
      this.notify('exit');
      server.stdin.end();
    },
  };
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Line and character of the start of the line at byte `at` of the text
// (the bench programs are ASCII: characters are bytes).
function lineOf(at) {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const diagnosticsFor = (version) => (m) =>
  m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri &&
  (version === undefined || m.params.version === version);

async function openOnly() {
  const c = start();
  await c.request('initialize', { processId: process.pid, capabilities: {} });
  c.notify('initialized', {});
  const t0 = process.hrtime.bigint();
  const diags = c.until(diagnosticsFor());
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dep', version: 1, text } });
  await diags;
  const s = ms(t0) / 1000;
  await c.stop();
  return s;
}

// The middle service's `replicas = 2`: completion at its line's start,
// and the edit that makes it 3.
const middle = text.indexOf('  replicas = 2', text.length >> 1);
const middleLine = lineOf(middle);

// Times one step: wall milliseconds into t[key], the server's CPU
// milliseconds into c[key].
async function step(client, t, c, key, run) {
  const c0 = client.cpu(), t0 = process.hrtime.bigint();
  const r = await run();
  t[key] = ms(t0);
  c[key] = client.cpu() - c0;
  return r;
}

async function allTargets() {
  const c = start(), td = { uri }, t = {}, cpu = {};
  await c.request('initialize', { processId: process.pid, capabilities: {} });
  c.notify('initialized', {});
  await step(c, t, cpu, 'open', async () => {
    const diags = c.until(diagnosticsFor(1));
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dep', version: 1, text } });
    await diags;
  });
  const requests = [
    ['symbols', 'textDocument/documentSymbol', {}],
    ['tokens', 'textDocument/semanticTokens/full', {}],
    ['format', 'textDocument/formatting', { options: { tabSize: 2, insertSpaces: true } }],
    ['complete', 'textDocument/completion', { position: { line: middleLine, character: 2 } }],
  ];
  for (const [key, method, params] of requests) {
    const { bytes } = await step(c, t, cpu, key, () => c.request(method, { textDocument: td, ...params }));
    if (key === 'symbols') t.symbolBytes = cpu.symbolBytes = bytes;
  }
  const at = { line: middleLine, character: 13 };
  await step(c, t, cpu, 'change', async () => {
    const changed = c.until(diagnosticsFor(2));
    c.notify('textDocument/didChange', { textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: at, end: { line: at.line, character: 14 } }, text: '3' }] });
    await changed;
  });
  for (const x of [t, cpu])
    x.max = Math.max(x.open, x.symbols, x.tokens, x.format, x.complete, x.change);
  t.rss = cpu.rss = c.hwm();
  await c.stop();
  return { t, cpu };
}

if (!targets) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await openOnly());
  console.log(median(times).toFixed(3));
} else {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await allTargets());
  const size = Buffer.byteLength(text);
  for (const which of ['t', 'cpu']) {
    const m = (k) => median(all.map((r) => r[which][k]));
    const f = (x) => x.toFixed(1);
    console.log(`| ${which === 't' ? 'wall' : 'server CPU'} | ${(size / 1024).toFixed(0)} | ` +
      `${f(m('open'))} | ${f(m('symbols'))} | ${f(m('tokens'))} | ${f(m('format'))} | ` +
      `${f(m('complete'))} | ${f(m('change'))} | ` +
      `${(m('symbolBytes') / 1024).toFixed(0)} (${(m('symbolBytes') / size).toFixed(2)} ×) | ` +
      `${f(m('max'))} | ${Math.max(...all.map((r) => r.t.rss)).toFixed(0)} |`);
  }
}
