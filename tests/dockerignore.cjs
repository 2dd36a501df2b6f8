// dockerignore.cjs CONTEXT IGNOREFILE - print, one per line and sorted, the
// files of the build context CONTEXT that Docker sends (what `COPY . .`
// takes) under the rules of IGNOREFILE.
//
// Docker's documented .dockerignore semantics (moby patternmatcher): one
// pattern per line; '#' lines and blank lines are ignored; surrounding
// spaces are trimmed; each pattern is cleaned like Go's filepath.Clean
// (a leading '/' dropped, '.' and '..' folded); '*' is any run of
// non-'/' characters, '?' one non-'/' character, '[...]' a class, '\'
// escapes; '**' is any number of directories, none included; a pattern
// starting with '!' is an exception.  A path is excluded when the last
// pattern that matches it, or one of its parent directories, is not an
// exception.  Written from the documentation; it does not use Docker.
'use strict';
const fs = require('fs');
const path = require('path');

function clean(p) {
	const parts = [];
	for (const seg of p.split('/')) {
		if (seg === '' || seg === '.') continue;
		if (seg === '..') { parts.pop(); continue; }
		parts.push(seg);
	}
	return parts.join('/');
}

function compile(pattern) {
	let re = '^';
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '*') {
			if (pattern[i + 1] === '*') {
				i++;
				if (pattern[i + 1] === '/') { i++; re += '(.*/)?'; }
				else re += '.*';
			} else {
				re += '[^/]*';
			}
		} else if (c === '?') {
			re += '[^/]';
		} else if (c === '[') {
			const end = pattern.indexOf(']', i + 1);
			if (end < 0) throw new Error('unterminated class in ' + pattern);
			let body = pattern.slice(i + 1, end);
			if (body[0] === '!') body = '^' + body.slice(1);
			re += '[' + body.replace(/\\/g, '\\\\') + ']';
			i = end;
		} else if (c === '\\' && i + 1 < pattern.length) {
			re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
		} else {
			re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
		}
	}
	return new RegExp(re + '$');
}

function rules(file) {
	const out = [];
	for (let line of fs.readFileSync(file, 'utf8').split('\n')) {
		line = line.trim();
		if (line === '' || line.startsWith('#')) continue;
		const exception = line.startsWith('!');
		if (exception) line = line.slice(1).trim();
		const pattern = clean(line);
		if (pattern === '') continue;
		out.push({ exception, re: compile(pattern) });
	}
	return out;
}

// The path itself or any of its parent directories.
function matches(re, rel) {
	const parts = rel.split('/');
	for (let n = parts.length; n > 0; n--)
		if (re.test(parts.slice(0, n).join('/'))) return true;
	return false;
}

function excluded(list, rel) {
	let out = false;
	for (const r of list)
		if (matches(r.re, rel)) out = !r.exception;
	return out;
}

function walk(root, rel, list, out) {
	for (const name of fs.readdirSync(path.join(root, rel))) {
		const r = rel ? rel + '/' + name : name;
		const st = fs.lstatSync(path.join(root, r));
		if (st.isDirectory()) walk(root, r, list, out);
		else if (!excluded(list, r)) out.push(r);
	}
}

const [context, ignore] = process.argv.slice(2);
const list = rules(ignore);
const files = [];
walk(context, '', list, files);
files.sort();
process.stdout.write(files.map((f) => f + '\n').join(''));
