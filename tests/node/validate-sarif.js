// validate-sarif.js - checks SARIF logs against the SARIF 2.1.0 schema.
//
//   node validate-sarif.js FILE...
//
// The schema is the OASIS SARIF 2.1.0 JSON schema (sarif-2.1.0-rtm.5,
// draft-04) that the npm package @microsoft/jest-sarif ships, validated
// with the ajv 6 that package depends on (ajv 8 has no draft-04).  Beyond
// the schema, every result must say which rule it is and where: a ruleId,
// a message, and, when it has a location, 1-based lines and columns.
// Exit 0 when every file is valid, 1 when one is not, 77 (skip) when the
// package is not installed.
'use strict';

const fs = require('fs');
const path = require('path');

let Ajv, schema, draft4;
try {
	const pkg = path.dirname(require.resolve('@microsoft/jest-sarif/package.json'));
	schema = require(path.join(pkg, 'lib/schemas/sarif-2.1.0-rtm.5.json'));
	const ajvDir = path.dirname(require.resolve('ajv/package.json', { paths: [pkg] }));
	if (!require(path.join(ajvDir, 'package.json')).version.startsWith('6.'))
		throw new Error('ajv 6 is needed for the draft-04 schema');
	Ajv = require(ajvDir);
	draft4 = require(path.join(ajvDir, 'lib/refs/json-schema-draft-04.json'));
} catch (e) {
	console.error(`SKIP: ${e.message}`);
	process.exit(77);
}

const ajv = new Ajv({ schemaId: 'auto', allErrors: true, format: 'full' });
ajv.addMetaSchema(draft4);
const validate = ajv.compile(schema);

function checkRegion(where, region) {
	const problems = [];
	for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn'])
		if (!Number.isInteger(region[key]) || region[key] < 1)
			problems.push(`${where}: ${key} is ${region[key]}`);
	return problems;
}

function checkResults(log) {
	const problems = [];
	for (const run of log.runs) {
		if (run.columnKind !== 'unicodeCodePoints')
			problems.push('run.columnKind is not unicodeCodePoints');
		const rules = run.tool.driver.rules || [];
		run.results.forEach((r, i) => {
			const where = `result ${i}`;
			if (!r.ruleId || !r.message || typeof r.message.text !== 'string')
				problems.push(`${where}: no ruleId or message`);
			if (r.ruleIndex !== undefined && (!rules[r.ruleIndex] || rules[r.ruleIndex].id !== r.ruleId))
				problems.push(`${where}: ruleIndex ${r.ruleIndex} is not rule ${r.ruleId}`);
			for (const loc of r.locations || [])
				problems.push(...checkRegion(where, loc.physicalLocation.region));
		});
	}
	return problems;
}

let bad = 0;
for (const file of process.argv.slice(2)) {
	let log;
	try {
		log = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		console.log(`${file}: not JSON: ${e.message}`);
		bad++;
		continue;
	}
	const problems = validate(log) ? checkResults(log)
		: validate.errors.map(e => `${e.dataPath} ${e.message}`);
	if (problems.length) {
		bad++;
		console.log(`${file}:\n  ${problems.join('\n  ')}`);
	}
}
process.exit(bad ? 1 : 0);
