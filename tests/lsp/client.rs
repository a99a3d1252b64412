//! A minimal LSP client over the binary's stdio: frames messages, collects what the server sends.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A running `vsconf lsp` and its pipes.
pub struct Client {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
}

impl Client {
    /// Starts the server and initializes it.
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vsconf"))
            .args(["lsp", "--dialect", "debian-3.0.3"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vsconf lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("JSON from the server");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut client = Client {
            child,
            stdin,
            incoming: rx,
            next_id: 1,
        };
        let id = client.request("initialize", json!({"capabilities": {}, "processId": null}));
        client.response(id);
        client.notify("initialized", json!({}));
        client
    }

    /// Writes raw bytes (a frame is added around them).
    pub fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        stdin.write_all(&framed).expect("write to the server");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(body.to_string().as_bytes());
    }

    pub fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(body.to_string().as_bytes());
        id
    }

    /// The next message matching `wanted`, skipping others (they are returned in `skipped`).
    pub fn wait_for(&self, wanted: impl Fn(&Value) -> bool, skipped: &mut Vec<Value>) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(v) if wanted(&v) => return v,
                Ok(v) => skipped.push(v),
                Err(RecvTimeoutError::Timeout) => panic!("no such message within 60 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            }
        }
    }

    pub fn response(&self, id: i64) -> Value {
        self.wait_for(|v| v["id"] == json!(id), &mut Vec::new())
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&self, uri: &str) -> Value {
        self.wait_for(
            |v| v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri,
            &mut Vec::new(),
        )["params"]
            .clone()
    }

    /// Shuts down and waits for exit status 0; returns stderr.
    pub fn shutdown(mut self) -> String {
        let id = self.request("shutdown", Value::Null);
        self.response(id);
        self.notify("exit", Value::Null);
        self.stdin = None;
        let status = self.child.wait().expect("wait");
        assert_eq!(
            status.code(),
            Some(0),
            "exit status after shutdown and exit"
        );
        self.stderr()
    }

    /// What the server wrote to standard error (read to the end: call after it exited).
    pub fn stderr(&mut self) -> String {
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        stderr
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The codes of published diagnostics.
pub fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|d| d["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn did_open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "vsftpd", "version": 1, "text": text}}),
    );
}
