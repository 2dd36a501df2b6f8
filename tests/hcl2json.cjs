// hcl2json.cjs - parses Terraform files with HashiCorp's HCL parser (the
// npm package @cdktf/hcl2json, a WebAssembly build of hashicorp/hcl) and
// checks that every reference has a declaration.
//
//   node tests/hcl2json.cjs DIR...
//
// For each DIR, every DIR/*.tf must parse, and every var.X, local.X,
// data.TYPE.NAME and TYPE.NAME named inside a ${...} must be declared by
// some file of that DIR; declared variables must be used.  Prints each
// problem as DIR: MESSAGE and exits 1 when there is any, 2 when the
// package is missing.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

let hcl;
try {
  hcl = require(path.join(__dirname, "node", "node_modules", "@cdktf", "hcl2json"));
} catch (e) {
  console.error("hcl2json.cjs: the npm package @cdktf/hcl2json is not installed");
  process.exit(2);
}

// The bodies of the ${...} interpolations in a string; "$${" is literal.
function interpolations(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "$" && s[i + 1] === "$") { i++; continue; }
    if (s[i] !== "$" || s[i + 1] !== "{") continue;
    let depth = 0, j = i + 1;
    for (; j < s.length; j++) {
      if (s[j] === "{") depth++;
      else if (s[j] === "}" && --depth === 0) break;
    }
    out.push(s.slice(i + 2, j));
    i = j;
  }
  return out;
}

function strings(value, out) {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object")
    Object.entries(value).forEach(([k, v]) => { out.push(k); strings(v, out); });
  return out;
}

function declarations(docs) {
  const d = { variable: new Set(), local: new Set(), data: new Set(), resource: new Set() };
  for (const doc of docs) {
    for (const name of Object.keys(doc.variable || {})) d.variable.add(name);
    for (const block of doc.locals || []) Object.keys(block).forEach((n) => d.local.add(n));
    for (const [type, byName] of Object.entries(doc.data || {}))
      Object.keys(byName).forEach((n) => d.data.add(`${type}.${n}`));
    for (const [type, byName] of Object.entries(doc.resource || {}))
      Object.keys(byName).forEach((n) => d.resource.add(`${type}.${n}`));
  }
  return d;
}

function checkReferences(docs, problems) {
  const d = declarations(docs);
  const used = new Set();
  const patterns = [
    [/\bvar\.([A-Za-z_][\w-]*)/g, (m) => ["variable", m[1]]],
    [/\blocal\.([A-Za-z_][\w-]*)/g, (m) => ["local", m[1]]],
    [/\bdata\.([a-z0-9_]+)\.([A-Za-z_][\w-]*)/g, (m) => ["data", `${m[1]}.${m[2]}`]],
    [/(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g, (m) => ["resource", `${m[1]}.${m[2]}`]],
  ];
  for (const doc of docs) {
    for (const s of strings(doc, [])) {
      // A string inside an expression (jsonencode's) may hold "$${...}",
      // which is text, not a reference.
      for (const expr of interpolations(s).map((e) => e.replace(/\$\$\{[^}]*\}/g, ""))) {
        for (const [re, kind] of patterns) {
          for (const m of expr.matchAll(re)) {
            const [k, name] = kind(m);
            if (k === "variable") used.add(name);
            if (!d[k].has(name)) problems.push(`${k} ${name} is referenced but not declared`);
          }
        }
      }
    }
  }
  for (const v of d.variable)
    if (!used.has(v)) problems.push(`variable ${v} is declared but never used`);
}

async function checkDir(dir) {
  const problems = [];
  const docs = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort() : [];
  if (!files.length) problems.push("no .tf files");
  for (const f of files) {
    try {
      docs.push(await hcl.parse(f, fs.readFileSync(path.join(dir, f), "utf8")));
    } catch (e) {
      problems.push(`${f}: ${String(e.message || e).slice(0, 2000)}`);
    }
  }
  if (docs.length === files.length) checkReferences(docs, problems);
  [...new Set(problems)].forEach((p) => console.log(`${dir}: ${p}`));
  return problems.length;
}

(async () => {
  let n = 0;
  for (const dir of process.argv.slice(2)) n += await checkDir(dir);
  process.exit(n ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
