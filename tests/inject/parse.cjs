// parse.cjs - reads back the Dockerfiles and Terraform files of generated
// trees with independent parsers, for tests/inject/roundtrip.py.
//
//   node tests/inject/parse.cjs DIR...
//
// Prints one JSON object: for each DIR, for each file (relative path):
//   Dockerfile  {"dockerfile": [[KEYWORD, RAW_ARGUMENTS], ...]}  through
//               dockerfile-ast (the parser behind dockerfile-utils)
//   *.tf        {"hcl": OBJECT}  through @cdktf/hcl2json (HashiCorp's
//               HCL parser)
//   *.yaml      {"yaml12": [DOCUMENT...]}  through the yaml package, as a
//               YAML 1.2 reader (core schema) sees them
// A file that does not parse gives {"error": MESSAGE}.
// Exit 2 when a package is missing.  The packages are looked for in
// $DEPC_NODE_MODULES, else in tests/node/node_modules.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const mods = path.resolve(process.env.DEPC_NODE_MODULES || path.join(__dirname, "..", "node", "node_modules"));
let ast, hcl, YAML;
try {
  ast = require(path.join(mods, "dockerfile-ast"));
  hcl = require(path.join(mods, "@cdktf", "hcl2json"));
  YAML = require(path.join(mods, "yaml"));
} catch (e) {
  console.error("parse.cjs: dockerfile-ast, @cdktf/hcl2json or yaml is not installed");
  process.exit(2);
}

// Every document, read with the YAML 1.2 core schema; a syntax error throws.
function yaml12(text) {
  return YAML.parseAllDocuments(text, { version: "1.2", schema: "core" }).map((d) => {
    if (d.errors.length) throw new Error(d.errors[0].message);
    return d.toJS({ maxAliasCount: -1 });
  });
}

function walk(dir, rel, out) {
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = fs.statSync(path.join(dir, r));
    if (st.isDirectory()) walk(dir, r, out);
    else out.push(r);
  }
  return out;
}

function dockerfile(text) {
  const df = ast.DockerfileParser.parse(text);
  return df.getInstructions().map((i) => [i.getKeyword(), i.getRawArgumentsContent() || ""]);
}

async function parseDir(dir) {
  const files = {};
  for (const f of walk(dir, "", [])) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    try {
      if (path.basename(f) === "Dockerfile") files[f] = { dockerfile: dockerfile(text) };
      else if (f.endsWith(".tf")) files[f] = { hcl: await hcl.parse(path.basename(f), text) };
      else if (/\.ya?ml$/.test(f)) files[f] = { yaml12: yaml12(text) };
    } catch (e) {
      files[f] = { error: String(e.message || e).slice(0, 500) };
    }
  }
  return files;
}

(async () => {
  const result = {};
  for (const dir of process.argv.slice(2)) result[dir] = await parseDir(dir);
  process.stdout.write(JSON.stringify(result));
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
