// vsix-check.mjs - what a packaged .vsix holds, read back from the zip.
//
//   node vsix-check.mjs depc.vsix
//
// The manifest parses and names a main file, a language, a grammar, a
// language configuration and snippets that are all in the package; the
// grammar and configuration parse; the client's runtime dependency is
// there with the entry point extension.js requires.  Exit 1 on any miss.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yauzl = require('yauzl');

function entries(file) {
	return new Promise((resolve, reject) => {
		yauzl.open(file, { lazyEntries: true }, (err, zip) => {
			if (err)
				return reject(err);
			const files = new Map();
			zip.on('entry', (e) => {
				zip.openReadStream(e, (err2, stream) => {
					if (err2)
						return reject(err2);
					const chunks = [];
					stream.on('data', (c) => chunks.push(c));
					stream.on('end', () => {
						files.set(e.fileName, Buffer.concat(chunks));
						zip.readEntry();
					});
				});
			});
			zip.on('end', () => resolve(files));
			zip.readEntry();
		});
	});
}

const files = await entries(process.argv[2]);
let failures = 0;
const fail = (why) => {
	console.log(`FAIL: ${why}`);
	failures++;
};
const has = (name) => files.has(`extension/${name.replace(/^\.\//, '')}`);
const json = (name) => {
	try {
		return JSON.parse(files.get(`extension/${name.replace(/^\.\//, '')}`).toString('utf8'));
	} catch (e) {
		fail(`${name} is not JSON: ${e.message}`);
		return {};
	}
};

if (!files.has('extension.vsixmanifest'))
	fail('no extension.vsixmanifest');
const pkg = json('package.json');
const c = pkg.contributes || {};
if (!pkg.main || !has(pkg.main.endsWith('.js') ? pkg.main : `${pkg.main}.js`))
	fail(`the main file ${pkg.main} is missing`);
const named = [
	...(c.languages || []).map((l) => l.configuration),
	...(c.grammars || []).map((g) => g.path),
	...(c.snippets || []).map((s) => s.path),
];
if (!(c.languages || []).some((l) => l.id === 'dep' && l.extensions.includes('.dep')))
	fail('no language dep for .dep files');
if (!(c.grammars || []).some((g) => g.scopeName === 'source.dep'))
	fail('no grammar source.dep');
if (!c.configuration?.properties?.['depc.path'])
	fail('no depc.path setting');
for (const name of named) {
	if (!name || !has(name))
		fail(`${name} is named by package.json but not packaged`);
	else
		json(name);
}
if (!has('node_modules/vscode-languageclient/node.js'))
	fail('vscode-languageclient/node is not packaged');
if (!has('node_modules/vscode-languageclient/lib/node/main.js'))
	fail('vscode-languageclient has no lib/node/main.js');
const main = files.get(`extension/${pkg.main.replace(/^\.\//, '')}`)?.toString('utf8') ?? '';
for (const needed of ["require('vscode-languageclient/node')", "args: ['lsp']", 'workspace/textDocumentContent'])
	if (!main.includes(needed))
		fail(`${pkg.main} does not contain ${needed}`);
console.log(`${files.size} files in the package, ${failures} problems`);
process.exit(failures ? 1 : 0);
