// report-table.mjs FILE - reads REPORT.md as a Markdown reader does
// (markdown-it, tables on) and prints each table row as a JSON array of
// its cells' text.  A cell that holds anything but text (emphasis, a
// link, code, HTML) is printed as {"markup": TYPE}, so a test sees it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const MarkdownIt = require('markdown-it');

const tokens = new MarkdownIt().parse(readFileSync(process.argv[2], 'utf8'), {});
let row = null;
for (const t of tokens) {
  if (t.type === 'tr_open') row = [];
  else if (t.type === 'tr_close') { console.log(JSON.stringify(row)); row = null; }
  else if (row && t.type === 'inline') {
    const odd = t.children.find(c => c.type !== 'text' && c.type !== 'text_special');
    row.push(odd ? { markup: odd.type } : t.children.map(c => c.content).join(''));
  }
}
