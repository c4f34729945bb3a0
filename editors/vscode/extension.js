// Slope for VS Code: starts `slope lsp` and connects it to the editor.
//
// The grammar and the language configuration are declared in package.json; this file is the
// language client. VS Code's usual client library (vscode-languageclient) is an npm package, and
// this extension has no dependencies and no build step, so the client is written here against
// the plain `vscode` API: JSON-RPC with Content-Length framing over the server's standard input
// and output, full-text sync, and the server's diagnostics, hovers, definitions and completions
// handed to VS Code's own providers. Positions need no conversion: VS Code and the protocol both
// count UTF-16 units.
'use strict';

const vscode = require('vscode');
const { spawn } = require('child_process');

/** JSON-RPC 2.0 over a child process's stdio, framed as the Language Server Protocol frames it. */
class Connection {
  constructor(child, onNotification) {
    this.child = child;
    this.onNotification = onNotification;
    this.pending = new Map();
    this.nextId = 1;
    this.buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk) => this.receive(chunk));
    child.on('exit', () => {
      for (const { reject } of this.pending.values()) reject(new Error('slope lsp exited'));
      this.pending.clear();
    });
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  send(message) {
    if (!this.child.stdin.writable) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** Cuts the bytes received so far into messages: headers, an empty line, Content-Length bytes. */
  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const match = /Content-Length: *(\d+)/i.exec(this.buffer.slice(0, headerEnd).toString('ascii'));
      if (!match) { this.buffer = this.buffer.slice(headerEnd + 4); continue; }
      const start = headerEnd + 4, end = start + Number(match[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.slice(start, end).toString('utf8'));
      this.buffer = this.buffer.slice(end);
      this.dispatch(message);
    }
  }

  dispatch(message) {
    if (message.id !== undefined && message.method === undefined) {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    } else if (message.method !== undefined && message.id === undefined) {
      this.onNotification(message.method, message.params);
    }
  }
}

const toPosition = (p) => new vscode.Position(p.line, p.character);
const toRange = (r) => new vscode.Range(toPosition(r.start), toPosition(r.end));
// The protocol's DiagnosticSeverity and CompletionItemKind count from 1, VS Code's enums from 0.
const toDiagnostic = (d) => {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, d.severity - 1);
  diagnostic.source = d.source;
  diagnostic.code = d.code;
  return diagnostic;
};
const toCompletionItem = (item) => {
  const completion = new vscode.CompletionItem(item.label, item.kind - 1);
  completion.detail = item.detail;
  completion.sortText = item.sortText;
  if (item.insertText) completion.insertText = item.insertText;
  return completion;
};

let connection;
let server;

function activate(context) {
  const command = vscode.workspace.getConfiguration('slope').get('path') || 'slope';
  const output = vscode.window.createOutputChannel('Slope');
  const diagnostics = vscode.languages.createDiagnosticCollection('slope');
  server = spawn(command, ['lsp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  server.on('error', (error) => {
    vscode.window.showErrorMessage(`Slope: cannot start '${command} lsp' (${error.message}); set "slope.path" to the slope binary`);
  });
  server.stderr.on('data', (data) => output.append(data.toString()));
  connection = new Connection(server, (method, params) => {
    if (method === 'textDocument/publishDiagnostics') {
      diagnostics.set(vscode.Uri.parse(params.uri), params.diagnostics.map(toDiagnostic));
    }
  });

  // Everything waits for the answer to initialize, and keeps its order after it.
  const ready = connection.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'slope-vscode' },
    rootUri: null,
    capabilities: { general: { positionEncodings: ['utf-16'] } },
  }).then(() => connection.notify('initialized', {}));
  const send = (method, params) => ready.then(() => connection.notify(method, params));
  const ask = (method, document, position) => ready.then(() => connection.request(method, {
    textDocument: { uri: document.uri.toString() },
    position: { line: position.line, character: position.character },
  })).catch((error) => { output.appendLine(`${method}: ${error.message}`); return null; });

  const isGraph = (document) => document.languageId === 'graph';
  const open = (document) => {
    if (!isGraph(document)) return;
    send('textDocument/didOpen', { textDocument: {
      uri: document.uri.toString(), languageId: 'graph', version: document.version, text: document.getText(),
    } });
  };
  vscode.workspace.textDocuments.forEach(open);
  const selector = { language: 'graph' };

  context.subscriptions.push(
    output,
    diagnostics,
    vscode.workspace.onDidOpenTextDocument(open),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (!isGraph(event.document)) return;
      send('textDocument/didChange', {
        textDocument: { uri: event.document.uri.toString(), version: event.document.version },
        contentChanges: [{ text: event.document.getText() }],
      });
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (isGraph(document)) send('textDocument/didClose', { textDocument: { uri: document.uri.toString() } });
    }),
    vscode.languages.registerHoverProvider(selector, {
      provideHover: (document, position) => ask('textDocument/hover', document, position).then((result) =>
        result && new vscode.Hover(new vscode.MarkdownString(result.contents.value), toRange(result.range))),
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition: (document, position) => ask('textDocument/definition', document, position).then((result) =>
        result && new vscode.Location(vscode.Uri.parse(result.uri), toRange(result.range))),
    }),
    vscode.languages.registerCompletionItemProvider(selector, {
      provideCompletionItems: (document, position) => ask('textDocument/completion', document, position).then((result) =>
        result && result.items.map(toCompletionItem)),
    }),
  );
}

/** shutdown, then exit: the server ends with status 0. */
function deactivate() {
  if (!connection || !server || server.exitCode !== null) return undefined;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  return connection.request('shutdown', null)
    .then(() => connection.notify('exit', null), () => server.kill())
    .then(() => exited);
}

module.exports = { activate, deactivate };
