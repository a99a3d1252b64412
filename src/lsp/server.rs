//! The server loop: one thread reads the client, one writes to it, and this loop owns the buffers.
//!
//! Edits are applied as they come; diagnostics are published when a buffer has been quiet for
//! [`DEBOUNCE`] (at once on open and save), and at least every [`MAX_LATENCY`] while edits keep coming,
//! so a flood of changes costs one analysis per pause instead of one per keystroke. Requests analyse
//! the current text on demand (cached per buffer version). A handler that fails is answered with an
//! error and the loop goes on; a client that disappears (end of input, a closed output, or its process
//! gone) ends the loop.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response, ResponseError};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentFormattingParams,
    DocumentSymbolParams, GotoDefinitionParams, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, MessageType, NumberOrString, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::analysis::{Analysis, DialectChooser, SOURCE, file_path};
use super::document::{Documents, MAX_DOCUMENT_BYTES, Text};
use super::position::Encoding;
use super::transport::{Incoming, MAX_MESSAGE_BYTES, spawn_reader, spawn_writer};
use super::{actions, completion, hover, symbols};

/// How long a buffer must be quiet before its diagnostics are published.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The longest diagnostics lag behind a buffer that keeps changing.
pub const MAX_LATENCY: Duration = Duration::from_secs(1);

/// How often the client's process is checked for (when it gave its process id).
const PARENT_CHECK: Duration = Duration::from_secs(3);

/// The code of the diagnostic on a buffer too large to keep.
pub const TOO_LARGE_CODE: &str = "too-large";

/// How the server ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `shutdown` then `exit`, as the protocol asks: exit status 0.
    Clean,
    /// `exit` without `shutdown`: exit status 1.
    WithoutShutdown,
    /// The client went away (end of input, closed output, process gone): exit status 1.
    ClientGone,
}

/// What the server needs from its caller.
pub struct Options {
    /// Chooses the vsftpd build for a file as `vsconf lint` does.
    pub choose_dialect: Box<DialectChooser>,
}

/// Serves one client over `input`/`output` until it exits or goes away.
pub fn serve(
    input: impl Read + Send + 'static,
    output: impl Write + Send + 'static,
    options: Options,
) -> Exit {
    let incoming = spawn_reader(input);
    let (sender, writer) = spawn_writer(output);
    let mut server = Server {
        out: sender,
        options,
        encoding: Encoding::Utf16,
        documents: Documents::default(),
        cache: BTreeMap::new(),
        initialized: false,
        shutdown: false,
        parent: None,
        parent_checked: Instant::now(),
        gone: false,
    };
    let exit = server.run(&incoming);
    drop(server);
    if let Some(writer) = writer {
        // The writer ends once the server's sender is dropped and the queue is written (or the client is
        // gone); a writer that panicked has nothing left to flush.
        let _ = writer.join();
    }
    exit
}

struct Server {
    out: SyncSender<Message>,
    options: Options,
    encoding: Encoding,
    documents: Documents,
    cache: BTreeMap<String, (i32, Arc<Analysis>)>,
    initialized: bool,
    shutdown: bool,
    parent: Option<u32>,
    parent_checked: Instant,
    gone: bool,
}

impl Server {
    fn run(&mut self, incoming: &Receiver<Incoming>) -> Exit {
        loop {
            let now = Instant::now();
            let wait = self
                .next_deadline()
                .map_or(PARENT_CHECK, |d| d.saturating_duration_since(now))
                .min(PARENT_CHECK);
            match incoming.recv_timeout(wait) {
                Ok(Incoming::Message(message)) => {
                    if let Some(exit) = self.handle(message) {
                        return exit;
                    }
                }
                Ok(Incoming::Dropped { bytes }) => self.show(
                    MessageType::ERROR,
                    format!(
                        "vsconf lsp: ignored a {bytes}-byte message (limit {MAX_MESSAGE_BYTES} bytes); a buffer that large is not analysed"
                    ),
                ),
                Ok(Incoming::Malformed(why)) => self.log(format!("vsconf lsp: ignored input: {why}")),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Exit::ClientGone,
            }
            self.publish_due(Instant::now());
            if self.gone || self.parent_is_gone() {
                return Exit::ClientGone;
            }
        }
    }

    fn send(&mut self, message: Message) {
        if self.out.send(message).is_err() {
            self.gone = true;
        }
    }

    fn notify(&mut self, method: &str, params: impl Serialize) {
        let params = serde_json::to_value(params).unwrap_or_default();
        self.send(Message::Notification(Notification {
            method: method.to_owned(),
            params,
        }));
    }

    fn respond(&mut self, id: RequestId, result: Result<serde_json::Value, ResponseError>) {
        self.send(Message::Response(Response {
            id,
            response_result: result,
        }));
    }

    fn show(&mut self, typ: MessageType, message: String) {
        self.notify("window/showMessage", ShowMessageParams { typ, message });
    }

    fn log(&mut self, message: String) {
        self.notify(
            "window/logMessage",
            lsp_types::LogMessageParams {
                typ: MessageType::WARNING,
                message,
            },
        );
    }

    fn parent_is_gone(&mut self) -> bool {
        let Some(pid) = self.parent else {
            return false;
        };
        if self.parent_checked.elapsed() < PARENT_CHECK {
            return false;
        }
        self.parent_checked = Instant::now();
        // Only where /proc shows processes at all.
        std::path::Path::new("/proc/self").exists()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
    }

    /// Handles one message; `Some` ends the loop.
    fn handle(&mut self, message: Message) -> Option<Exit> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.request(request)));
                let result = result.unwrap_or_else(|_| {
                    Err(error(
                        ErrorCode::InternalError,
                        format!("vsconf lsp: internal error in {method}; please report it"),
                    ))
                });
                self.respond(id, result);
                None
            }
            Message::Notification(n) if n.method == "exit" => Some(if self.shutdown {
                Exit::Clean
            } else {
                Exit::WithoutShutdown
            }),
            Message::Notification(n) => {
                if self.initialized && !self.shutdown {
                    let method = n.method.clone();
                    if std::panic::catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err()
                    {
                        self.log(format!(
                            "vsconf lsp: internal error in {method}; please report it"
                        ));
                    }
                }
                None
            }
            // The server sends no requests, so there are no responses to read.
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, request: Request) -> Result<serde_json::Value, ResponseError> {
        if request.method == "initialize" {
            if self.initialized {
                return Err(error(
                    ErrorCode::InvalidRequest,
                    "initialize was already received".to_owned(),
                ));
            }
            let params: InitializeParams = params(request.params)?;
            return Ok(to_value(self.initialize(&params)));
        }
        if !self.initialized {
            return Err(error(
                ErrorCode::ServerNotInitialized,
                "the first request must be initialize".to_owned(),
            ));
        }
        if self.shutdown {
            return Err(error(
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_owned(),
            ));
        }
        match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            "textDocument/hover" => {
                let p: HoverParams = params(request.params)?;
                let at = &p.text_document_position_params;
                Ok(to_value(
                    self.analysis(&at.text_document.uri)
                        .and_then(|a| hover::hover(&a, a.offset(at.position))),
                ))
            }
            "textDocument/completion" => {
                let p: CompletionParams = params(request.params)?;
                let at = &p.text_document_position;
                Ok(to_value(
                    self.analysis(&at.text_document.uri)
                        .map(|a| completion::complete(&a, a.offset(at.position))),
                ))
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = params(request.params)?;
                let uri = &p.text_document.uri;
                let Some(a) = self.analysis(uri) else {
                    return Ok(serde_json::Value::Null);
                };
                let text = self.text(uri);
                Ok(to_value(actions::code_actions(
                    &a,
                    uri,
                    text.as_deref(),
                    p.range,
                    p.context.only.as_deref(),
                )))
            }
            "textDocument/formatting" => {
                let p: DocumentFormattingParams = params(request.params)?;
                let uri = &p.text_document.uri;
                let (Some(a), Some(text)) = (self.analysis(uri), self.text(uri)) else {
                    return Ok(serde_json::Value::Null);
                };
                Ok(to_value(actions::format(&a, &text)))
            }
            "textDocument/documentSymbol" => {
                let p: DocumentSymbolParams = params(request.params)?;
                Ok(to_value(
                    self.analysis(&p.text_document.uri)
                        .map(|a| symbols::symbols(&a)),
                ))
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = params(request.params)?;
                let at = &p.text_document_position_params;
                let uri = at.text_document.uri.clone();
                Ok(to_value(self.analysis(&uri).and_then(|a| {
                    symbols::definition(&a, &uri, a.offset(at.position))
                })))
            }
            other => Err(error(
                ErrorCode::MethodNotFound,
                format!("vsconf lsp does not handle {other}"),
            )),
        }
    }

    fn initialize(&mut self, params: &InitializeParams) -> InitializeResult {
        self.initialized = true;
        self.parent = params.process_id;
        self.encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(self.encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["=".to_owned()]),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::new(actions::FIX_ALL_KIND),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                definition_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "vsconf".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        }
    }

    fn notification(&mut self, n: Notification) {
        let now = Instant::now();
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = params::<DidOpenTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.cache.remove(uri.as_str());
                    self.documents
                        .open(uri.clone(), p.text_document.version, p.text_document.text);
                    self.publish(&uri);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = params::<DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.documents.change(
                        &uri,
                        p.text_document.version,
                        p.content_changes,
                        self.encoding,
                        now,
                    );
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = params::<DidSaveTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    if uri.as_str().ends_with(crate::settings::FILE_NAME) {
                        // vsconf.toml changed: every buffer may read differently now.
                        self.cache.clear();
                        let all: Vec<Uri> =
                            self.documents.iter_mut().map(|d| d.uri.clone()).collect();
                        for u in all {
                            self.publish(&u);
                        }
                    } else {
                        self.cache.remove(uri.as_str());
                        self.publish(&uri);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = params::<DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.cache.remove(uri.as_str());
                    if self.documents.close(&uri).is_some() {
                        self.notify(
                            "textDocument/publishDiagnostics",
                            PublishDiagnosticsParams::new(uri, Vec::new(), None),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn next_deadline(&mut self) -> Option<Instant> {
        self.documents
            .iter_mut()
            .filter_map(|d| {
                let changed = d.changed_at?;
                let first = d.first_change_at.unwrap_or(changed);
                Some((changed + DEBOUNCE).min(first + MAX_LATENCY))
            })
            .min()
    }

    fn publish_due(&mut self, now: Instant) {
        let due: Vec<Uri> = self
            .documents
            .iter_mut()
            .filter(|d| {
                d.changed_at.is_some_and(|c| {
                    now >= c + DEBOUNCE || d.first_change_at.is_some_and(|f| now >= f + MAX_LATENCY)
                })
            })
            .map(|d| d.uri.clone())
            .collect();
        for uri in due {
            self.publish(&uri);
        }
    }

    fn publish(&mut self, uri: &Uri) {
        let Some(doc) = self.documents.get(uri) else {
            return;
        };
        let version = doc.version;
        let diagnostics = match &doc.text {
            Text::TooLarge { len } => vec![lsp_types::Diagnostic {
                severity: Some(lsp_types::DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(TOO_LARGE_CODE.to_owned())),
                source: Some(SOURCE.to_owned()),
                message: format!(
                    "this buffer is {len} bytes: vsconf keeps buffers up to {MAX_DOCUMENT_BYTES} bytes (256 MiB for all open buffers), so it is not analysed; vsftpd itself reads only the first 100000 bytes of a config\nhelp: cut the file below that size, or close other buffers and reopen this one"
                ),
                ..lsp_types::Diagnostic::default()
            }],
            Text::Kept(_) => self
                .analysis(uri)
                .map(|a| a.diagnostics(uri))
                .unwrap_or_default(),
        };
        self.documents.published(uri);
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams::new(uri.clone(), diagnostics, Some(version)),
        );
    }

    /// A copy of a buffer's text, for the actions that rewrite it whole (up to their size limit).
    fn text(&self, uri: &Uri) -> Option<String> {
        match &self.documents.get(uri)?.text {
            Text::Kept(text) if text.len() <= actions::MAX_FIX_BYTES => Some(text.clone()),
            _ => None,
        }
    }

    /// The analysis of a buffer's current text (cached per version).
    fn analysis(&mut self, uri: &Uri) -> Option<Arc<Analysis>> {
        let doc = self.documents.get(uri)?;
        if let Some((version, a)) = self.cache.get(uri.as_str()) {
            if *version == doc.version {
                return Some(Arc::clone(a));
            }
        }
        let Text::Kept(text) = &doc.text else {
            return None;
        };
        let path = file_path(uri);
        let a = Arc::new(Analysis::new(
            text.as_bytes(),
            path.as_deref(),
            self.encoding,
            self.options.choose_dialect.as_ref(),
        ));
        self.cache
            .insert(uri.as_str().to_owned(), (doc.version, Arc::clone(&a)));
        Some(a)
    }
}

fn error(code: ErrorCode, message: String) -> ResponseError {
    ResponseError {
        code: code as i32,
        message,
        data: None,
    }
}

fn params<P: DeserializeOwned>(value: serde_json::Value) -> Result<P, ResponseError> {
    serde_json::from_value(value)
        .map_err(|e| error(ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn to_value(value: impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
