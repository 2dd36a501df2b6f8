// lsp-open.mjs - the language server's time from didOpen of a whole
// program to its first publishDiagnostics, the wait a user has after
// opening the file.  Plain Node, no packages.
//
//   node bench/lsp-open.mjs DEPC FILE [RUNS]
// prints the median in seconds; a fresh server for each run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [depc, file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const text = readFileSync(file, 'utf8');

function frame(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

// Resolves with the seconds from didOpen to the first diagnostics.
function once() {
  return new Promise((done, fail) => {
    const server = spawn(depc, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = Buffer.alloc(0), t0 = 0n;
    server.on('error', fail);
    server.stdout.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const head = buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())[1]);
        if (buffer.length < head + 4 + len) return;
        const msg = JSON.parse(buffer.subarray(head + 4, head + 4 + len).toString());
        buffer = buffer.subarray(head + 4 + len);
        if (msg.id === 1) {
          server.stdin.write(frame({ method: 'initialized', params: {} }));
          t0 = process.hrtime.bigint();
          server.stdin.write(frame({ method: 'textDocument/didOpen', params: { textDocument: {
            uri: 'file:///bench/program.dep', languageId: 'dep', version: 1, text } } }));
        } else if (msg.method === 'textDocument/publishDiagnostics') {
          const s = Number(process.hrtime.bigint() - t0) / 1e9;
          server.stdin.write(frame({ id: 2, method: 'shutdown' }));
          server.stdin.write(frame({ method: 'exit' }));
          server.stdin.end();
          done(s);
          return;
        }
      }
    });
    server.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: process.pid, capabilities: {} } }));
  });
}

const times = [];
for (let i = 0; i < runs; i++) times.push(await once());
times.sort((a, b) => a - b);
console.log(times[Math.floor(times.length / 2)].toFixed(3));
