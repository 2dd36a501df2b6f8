// lsp-bench.mjs - how fast `depc lsp` answers, and whether its memory stays
// bounded.  A benchmark to run by hand, not a test (no thresholds).
//
//   node tests/node/lsp-bench.mjs DEPC examples/webapp.dep [ROUNDS] [CYCLES]
//
// Latency: ROUNDS times (default 50) opens the file under a new URI and
// times the first publishDiagnostics, then times each request on it, the
// first one after an edit included.  Memory: CYCLES times (default 10000)
// opens, edits and closes the document, and prints the server's resident
// memory (VmRSS, from /proc) as it goes.  Plain Node, no packages: the
// framing is written here so that the numbers include nothing else.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [depc, file, roundsArg, cyclesArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 50), cycles = Number(cyclesArg || 10000);
const text = readFileSync(file, 'utf8');
const server = spawn(depc, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0), nextId = 1;
const pending = new Map(), watchers = [];

server.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const head = buffer.indexOf('\r\n\r\n');
    if (head < 0) return;
    const len = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, head).toString())[1]);
    if (buffer.length < head + 4 + len) return;
    const msg = JSON.parse(buffer.slice(head + 4, head + 4 + len).toString());
    buffer = buffer.slice(head + 4 + len);
    if (msg.id !== undefined && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
    for (const w of watchers.splice(0)) if (!w(msg)) watchers.push(w);
  }
});

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}
const request = (method, params) => new Promise((done) => {
  const id = nextId++;
  pending.set(id, done);
  send({ id, method, params });
});
const notify = (method, params) => send({ method, params });
const until = (pred) => new Promise((done) => watchers.push((m) => (pred(m) ? (done(m), true) : false)));

function find(needle, offset = 0) {
  const at = text.indexOf(needle) + offset, before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const rss = () => /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1] + ' kB';

async function latency() {
  const db = find('uses', text.slice(text.indexOf('uses')).indexOf('db') + 1);
  const body = find('  port', 2), call = find('postgres(', 9), decl = find('service db', 8);
  const requests = {
    hover: ['textDocument/hover', { position: db }],
    completion: ['textDocument/completion', { position: body }],
    definition: ['textDocument/definition', { position: db }],
    references: ['textDocument/references', { position: db, context: { includeDeclaration: true } }],
    rename: ['textDocument/rename', { position: decl, newName: 'database' }],
    documentSymbol: ['textDocument/documentSymbol', {}],
    semanticTokens: ['textDocument/semanticTokens/full', {}],
    foldingRange: ['textDocument/foldingRange', {}],
    signatureHelp: ['textDocument/signatureHelp', { position: call }],
    codeAction: ['textDocument/codeAction', { range: { start: db, end: db }, context: { diagnostics: [] } }],
    formatting: ['textDocument/formatting', { options: { tabSize: 2, insertSpaces: true } }],
  };
  const times = { 'first diagnostics after didOpen': [], 'first request after an edit (hover)': [] };
  for (const k of Object.keys(requests)) times[k] = [];
  for (let r = 0; r < rounds; r++) {
    const uri = `file:///bench/${r}/webapp.dep`, td = { uri };
    const t0 = process.hrtime.bigint();
    const diags = until((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dep', version: 1, text } });
    await diags;
    times['first diagnostics after didOpen'].push(ms(t0));
    for (const [name, [method, params]] of Object.entries(requests)) {
      const t1 = process.hrtime.bigint();
      await request(method, { textDocument: td, ...params });
      times[name].push(ms(t1));
    }
    notify('textDocument/didChange', { textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: db, end: db }, text: '' }] });
    const t2 = process.hrtime.bigint();
    await request('textDocument/hover', { textDocument: td, position: db });
    times['first request after an edit (hover)'].push(ms(t2));
    notify('textDocument/didClose', { textDocument: td });
  }
  console.log(`latency over ${rounds} rounds (${text.length} bytes):`);
  for (const [k, v] of Object.entries(times)) console.log(`  ${k.padEnd(38)} ${stats(v)}`);
}

async function memory() {
  console.log(`memory over ${cycles} open/change/close cycles:`);
  const uri = 'file:///bench/cycle.dep', at = find('replicas = 3', 11);
  for (let i = 1; i <= cycles; i++) {
    notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dep', version: 1, text } });
    notify('textDocument/didChange', { textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: String(i % 9 + 1) }] });
    if (i % 10 === 0) await request('textDocument/documentSymbol', { textDocument: { uri } });
    notify('textDocument/didClose', { textDocument: { uri } });
    if ([1, 10, 100, 1000, 2500, 5000, 7500, 10000].includes(i) || i === cycles) {
      await request('workspace/symbol', { query: '' });
      console.log(`  after ${String(i).padStart(6)} cycles: VmRSS ${rss()}`);
    }
  }
}

await request('initialize', { processId: process.pid, capabilities: {} });
notify('initialized', {});
await latency();
await memory();
await request('shutdown');
notify('exit');
server.on('exit', (code) => process.exit(code));
