// Runs extension.js against a real `slope lsp` with a stand-in for the `vscode` module, which
// only exists inside VS Code: it records what the extension registers, plays an editor opening
// and changing a .graph document, and checks the diagnostics, hover, definition and completion
// that come back, and that deactivating ends the server with status 0. This checks the client's
// protocol and conversions, not VS Code itself.
//
//     node editors/vscode/test/smoke.js .build/debug/slope
'use strict';

const Module = require('module');
const path = require('path');
const assert = require('assert');

const slope = path.resolve(process.argv[2] || 'slope');
const handlers = { open: [], change: [], close: [] };
const providers = {};
const published = [];

class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range { constructor(start, end) { this.start = start; this.end = end; } }
const vscode = {
  Position, Range,
  Uri: { parse: (text) => ({ text, toString: () => text }) },
  Hover: class { constructor(contents, range) { this.contents = contents; this.range = range; } },
  MarkdownString: class { constructor(value) { this.value = value; } },
  Location: class { constructor(uri, range) { this.uri = uri; this.range = range; } },
  Diagnostic: class { constructor(range, message, severity) { Object.assign(this, { range, message, severity }); } },
  CompletionItem: class { constructor(label, kind) { this.label = label; this.kind = kind; } },
  workspace: {
    textDocuments: [],
    getConfiguration: () => ({ get: () => slope }),
    onDidOpenTextDocument: (f) => { handlers.open.push(f); return { dispose() {} }; },
    onDidChangeTextDocument: (f) => { handlers.change.push(f); return { dispose() {} }; },
    onDidCloseTextDocument: (f) => { handlers.close.push(f); return { dispose() {} }; },
  },
  window: {
    createOutputChannel: () => ({ append: (t) => process.stderr.write(t), appendLine: (t) => process.stderr.write(t + '\n'), dispose() {} }),
    showErrorMessage: (message) => { throw new Error(message); },
  },
  languages: {
    createDiagnosticCollection: () => ({ set: (uri, list) => published.push({ uri: uri.toString(), list }), dispose() {} }),
    registerHoverProvider: (_, p) => { providers.hover = p; return { dispose() {} }; },
    registerDefinitionProvider: (_, p) => { providers.definition = p; return { dispose() {} }; },
    registerCompletionItemProvider: (_, p) => { providers.completion = p; return { dispose() {} }; },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };

const extension = require('../extension.js');
const until = async (test) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(test(), 'timed out');
};

(async () => {
  extension.activate({ subscriptions: [] });
  const uri = vscode.Uri.parse('file:///tmp/smoke/neuron.graph');
  let text = 'param w: [2] = 0.5\nz = w @ [1, 2, 3]\n';
  const document = { uri, languageId: 'graph', version: 1, getText: () => text };
  handlers.open.forEach((f) => f(document));
  await until(() => published.length === 1);
  // `z = w @ [1, 2, 3]`: the error is at '@', line 1, character 6; VS Code's Error is 0.
  assert.deepStrictEqual(published[0].list.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.code]),
    [[1, 6, 0, 'shape.matmul-mismatch']]);

  text = '# 😀 weights\nparam w: [2] = 0.5\nz = w @ [1, 2]\nprint sigmoid(z)\n';
  document.version = 2;
  handlers.change.forEach((f) => f({ document }));
  await until(() => published.length === 2);
  assert.deepStrictEqual(published[1].list, []);

  const hover = await providers.hover.provideHover(document, new Position(2, 4));
  assert.ok(hover.contents.value.startsWith('```graph\n(param) w: [2]\n```'), hover.contents.value);
  assert.ok(hover.contents.value.includes('value: `[0.5, 0.5]`'), hover.contents.value);
  assert.deepStrictEqual([hover.range.start.line, hover.range.start.character, hover.range.end.character], [2, 4, 5]);

  const definition = await providers.definition.provideDefinition(document, new Position(3, 14));
  assert.strictEqual(definition.uri.toString(), 'file:///tmp/smoke/neuron.graph');
  assert.deepStrictEqual([definition.range.start.line, definition.range.start.character], [2, 0]);

  const items = await providers.completion.provideCompletionItems(document, new Position(3, 6));
  const sigmoid = items.find((item) => item.label === 'sigmoid');
  // The protocol's Function is 3, VS Code's 2.
  assert.ok(sigmoid && sigmoid.kind === 2, JSON.stringify(sigmoid));
  assert.ok(items.some((item) => item.label === 'w'));

  handlers.close.forEach((f) => f(document));
  await until(() => published.length === 3);
  const status = await extension.deactivate();
  assert.strictEqual(status, 0, `slope lsp exited with ${status}`);
  console.log('vscode extension smoke test: ok');
})().catch((error) => { console.error(error); process.exit(1); });
