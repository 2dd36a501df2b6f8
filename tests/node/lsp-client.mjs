// lsp-client.mjs - drives `depc lsp` with a real LSP client library
// (vscode-jsonrpc and vscode-languageserver-protocol, as VS Code uses them).
//
//   node lsp-client.mjs DEPC examples/webapp.dep
//
// Opens the example, waits for its diagnostics, breaks and repairs it with
// incremental edits, and checks hover, completion, go to definition,
// rename (applying the edits) and formatting (against `depc fmt`), then
// shuts the server down and checks its exit status.  Positions are found
// by searching the text, so the test follows the example as it changes.
// Prints one line per check and "N passed, M failed"; exits 1 on failure.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const lsp = require('vscode-languageserver-protocol');

const [depc, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const uri = 'file://' + resolve(file);
let passed = 0, failed = 0;

function check(what, ok, detail) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}${ok || detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
}

// Position of the n-th occurrence of `needle` in `s` (UTF-16, as JS strings).
function positionOf(s, needle, n = 0, offset = 0) {
  let at = -1;
  for (let i = 0; i <= n; i++) at = s.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`'${needle}' not found`);
  at += offset;
  const before = s.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function offsetOf(s, pos) {
  const lines = s.split('\n');
  let off = 0;
  for (let i = 0; i < pos.line; i++) off += lines[i].length + 1;
  return off + pos.character;
}

function applyEdits(s, edits) {
  const sorted = [...edits].sort((a, b) => offsetOf(s, b.range.start) - offsetOf(s, a.range.start));
  for (const e of sorted)
    s = s.slice(0, offsetOf(s, e.range.start)) + e.newText + s.slice(offsetOf(s, e.range.end));
  return s;
}

const server = spawn(depc, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise((done) => server.on('exit', (code) => done(code)));
const conn = rpc.createMessageConnection(
  new rpc.StreamMessageReader(server.stdout), new rpc.StreamMessageWriter(server.stdin));
const published = [];
let waiting = null;
conn.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => {
  published.push(p);
  if (waiting) waiting();
});
conn.listen();

function diagnosticsFor(version) {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no diagnostics for version ${version}`)), 10000);
    const look = () => {
      const p = published.find((x) => x.version === version);
      if (p) { clearTimeout(timer); waiting = null; done(p); }
    };
    waiting = look;
    look();
  });
}

async function main() {
  const init = await conn.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid, rootUri: null,
    capabilities: { general: { positionEncodings: ['utf-16'] } },
  });
  const caps = init.capabilities;
  check('initialize: utf-16 positions, incremental sync', caps.positionEncoding === 'utf-16' &&
        caps.textDocumentSync.change === lsp.TextDocumentSyncKind.Incremental, caps);
  await conn.sendNotification(lsp.InitializedNotification.type, {});

  await conn.sendNotification(lsp.DidOpenTextDocumentNotification.type,
    { textDocument: { uri, languageId: 'dep', version: 1, text } });
  const first = await diagnosticsFor(1);
  check('the example has no diagnostics', first.diagnostics.length === 0, first.diagnostics);

  // uses = [db, ...] -> [dbb, ...]: an unknown service, with a fix
  const usesDb = positionOf(text, 'uses', 0, text.slice(text.indexOf('uses')).indexOf('db'));
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: usesDb, end: usesDb }, text: 'x' }],
  });
  const broken = await diagnosticsFor(2);
  const d = broken.diagnostics[0];
  check('an edit yields E0201 at the reference', broken.diagnostics.length === 1 &&
        d.code === 'E0201' && d.range.start.line === usesDb.line &&
        d.range.start.character === usesDb.character, broken.diagnostics);
  const actions = await conn.sendRequest(lsp.CodeActionRequest.type, {
    textDocument: { uri }, range: d.range, context: { diagnostics: [d] },
  });
  const fix = actions[0]?.edit?.changes?.[uri];
  check('the fix is a quickfix code action', actions.length === 1 && actions[0].kind === 'quickfix' &&
        fix && fix[0].newText === 'db', actions);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 }, contentChanges: fix.map((e) => ({ range: e.range, text: e.newText })),
  });
  check('applying it clears the diagnostics', (await diagnosticsFor(3)).diagnostics.length === 0);

  const hover = await conn.sendRequest(lsp.HoverRequest.type,
    { textDocument: { uri }, position: { line: usesDb.line, character: usesDb.character + 1 } });
  check('hover on a reference shows the declaration',
        hover && hover.contents.value.includes('service db = postgres('), hover);

  const body = positionOf(text, '  port', 0, 2);
  const items = await conn.sendRequest(lsp.CompletionRequest.type, { textDocument: { uri }, position: body });
  const labels = items.items.map((i) => i.label);
  check('completion in a service offers its fields', labels.includes('image') &&
        labels.includes('stateful') && !labels.includes('port'), labels);

  const def = await conn.sendRequest(lsp.DefinitionRequest.type,
    { textDocument: { uri }, position: { line: usesDb.line, character: usesDb.character + 1 } });
  const decl = positionOf(text, 'service db', 0, 8);
  check('go to definition reaches the declaration', def && def.uri === uri &&
        def.range.start.line === decl.line && def.range.start.character === decl.character, def);

  const prep = await conn.sendRequest(lsp.PrepareRenameRequest.type, { textDocument: { uri }, position: decl });
  check('prepareRename gives the name', prep && prep.placeholder === 'db', prep);
  const rename = await conn.sendRequest(lsp.RenameRequest.type,
    { textDocument: { uri }, position: decl, newName: 'database' });
  const renamed = applyEdits(text, rename.changes[uri]);
  check('rename changes every use', !/\bdb\b/.test(renamed.replace(/db[-_]\w+/g, '')) &&
        renamed.includes('service database =') && renamed.includes('[database,'), rename);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type,
    { textDocument: { uri, version: 4 }, contentChanges: [{ text: renamed }] });
  check('the renamed file checks clean', (await diagnosticsFor(4)).diagnostics.length === 0);

  const edits = await conn.sendRequest(lsp.DocumentFormattingRequest.type,
    { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  const want = spawnSync(depc, ['fmt', '-'], { input: renamed, encoding: 'utf8' }).stdout;
  check('formatting gives what depc fmt prints', applyEdits(renamed, edits) === want, edits);

  await conn.sendRequest(lsp.ShutdownRequest.type);
  await conn.sendNotification(lsp.ExitNotification.type);
  check('shutdown then exit: status 0', (await exited) === 0);
}

const watchdog = setTimeout(() => { console.log('FAIL: timed out'); process.exit(1); }, 30000);
main().catch((e) => { failed++; console.log('FAIL: ' + e.message); }).finally(() => {
  clearTimeout(watchdog);
  conn.dispose();
  server.kill();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
});
