// extension.js - starts `depc lsp` for .dep files and serves the depc:
// documents it links to (templates of the standard library, and the
// `depc explain` page of each diagnostic) by asking it for their text.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function serverOptions() {
	const config = vscode.workspace.getConfiguration('depc');
	const env = { ...process.env };
	const dirs = config.get('importPath') || [];
	if (dirs.length)
		env.DEPC_PATH = dirs.join(':');
	return { command: config.get('path') || 'depc', args: ['lsp'], options: { env } };
}

async function start() {
	client = new LanguageClient('depc', 'depc language server', serverOptions(), {
		documentSelector: [
			{ scheme: 'file', language: 'dep' },
			{ scheme: 'untitled', language: 'dep' },
		],
	});
	await client.start();
}

async function restart() {
	if (client)
		await client.stop();
	await start();
}

// depc:///std/postgres.dep, depc:///explain/E0201.md: read-only documents
// whose text the server sends (workspace/textDocumentContent).
const library = {
	async provideTextDocumentContent(uri) {
		const reply = await client.sendRequest('workspace/textDocumentContent', { uri: uri.toString() });
		return reply.text;
	},
};

async function activate(context) {
	context.subscriptions.push(
		vscode.workspace.registerTextDocumentContentProvider('depc', library),
		vscode.commands.registerCommand('depc.restart', restart),
		vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration('depc'))
				restart();
		}),
	);
	await start();
}

function deactivate() {
	return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
