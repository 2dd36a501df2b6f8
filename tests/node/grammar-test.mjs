// grammar-test.mjs - the TextMate grammar of editors/vscode, run by the
// engine VS Code runs it with (vscode-textmate + vscode-oniguruma).
//
//   node grammar-test.mjs GRAMMAR check FILE...
//       every line of every FILE tokenizes; no character is left with
//       only the root scope or given an invalid.* scope, and every file
//       ends outside any string, comment or call (no construct runs on)
//   node grammar-test.mjs GRAMMAR scopes FILE
//       prints each line and its tokens with their scopes, for a snapshot
//
// Exit status 0 when everything held, 1 otherwise.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const [grammarPath, mode, ...files] = process.argv.slice(2);

async function loadGrammar() {
	const wasm = readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
	await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
	const registry = new vsctm.Registry({
		onigLib: Promise.resolve({
			createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
			createOnigString: (s) => new oniguruma.OnigString(s),
		}),
		loadGrammar: async (scope) => scope === 'source.dep'
			? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
			: null,
	});
	return registry.loadGrammar('source.dep');
}

function* tokenize(grammar, text) {
	let stack = vsctm.INITIAL;
	const lines = text.split('\n');
	if (lines.length && lines[lines.length - 1] === '')
		lines.pop();
	for (let i = 0; i < lines.length; i++) {
		const r = grammar.tokenizeLine(lines[i], stack);
		stack = r.ruleStack;
		yield { number: i + 1, line: lines[i], tokens: r.tokens, stack };
	}
}

function check(grammar, file) {
	let problems = 0, lines = 0, depth = 1;
	for (const { number, line, tokens, stack } of tokenize(grammar, readFileSync(file, 'utf8'))) {
		lines++;
		depth = stack.depth;
		for (const t of tokens) {
			const text = line.slice(t.startIndex, t.endIndex);
			const bare = t.scopes.length === 1 && text.trim() !== '';
			const invalid = t.scopes.find((s) => s.startsWith('invalid'));
			if (bare || invalid) {
				console.log(`${file}:${number}:${t.startIndex + 1}: '${text}' ${bare ? 'has no scope' : invalid}`);
				problems++;
			}
		}
	}
	if (depth !== 1) {
		console.log(`${file}: ends inside a construct (rule stack depth ${depth})`);
		problems++;
	}
	return { problems, lines };
}

function scopes(grammar, file) {
	for (const { line, tokens } of tokenize(grammar, readFileSync(file, 'utf8'))) {
		console.log(line);
		for (const t of tokens) {
			const text = line.slice(t.startIndex, t.endIndex);
			if (text.trim() !== '')
				console.log(`  ${JSON.stringify(text)} ${t.scopes.slice(1).join(' ')}`);
		}
	}
}

const grammar = await loadGrammar();
if (mode === 'check') {
	let problems = 0, lines = 0;
	for (const f of files) {
		const r = check(grammar, f);
		problems += r.problems;
		lines += r.lines;
	}
	console.log(`${files.length} files, ${lines} lines, ${problems} problems`);
	process.exit(problems ? 1 : 0);
} else if (mode === 'scopes') {
	scopes(grammar, files[0]);
} else {
	console.error('usage: grammar-test.mjs GRAMMAR check FILE... | scopes FILE');
	process.exit(2);
}
