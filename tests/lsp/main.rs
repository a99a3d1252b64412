//! `vsconf lsp` end to end: a real LSP client (pytest-lsp, from PyPI) and a real editor (Debian's
//! headless Neovim) drive the binary; the file the code actions produce is started with the real
//! vsftpd; and the server is shown to survive what editors and machines throw at it (a flood of
//! changes, a 100 MB buffer, bytes that are not UTF-8, garbage, a client dying mid-message).
//!
//! The clients come from `.ci/setup.d/40-lsp-clients.sh`. Under `CI=true` a missing one fails the test
//! (`require`); elsewhere the test prints `SKIPPED` and returns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

#[path = "../system/support.rs"]
mod support;

mod client;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use client::{Client, codes, did_open};
use support::{require, run_vsftpd, scratch};

const PYTEST: &str = "/opt/vsconf-ci/venv-lsp/bin/pytest";
const VSFTPD: &str = "/usr/sbin/vsftpd";
const SETUP: &str = "python3-venv && bash .ci/setup.d/40-lsp-clients.sh";

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lsp")
}

#[test]
fn pytest_lsp_client_gets_diagnostics_hover_completion_and_fixes_vsftpd_starts_with() {
    if !require(PYTEST, SETUP, false)
        || !require(VSFTPD, "vsftpd", true)
        || !require("unshare", "util-linux", true)
    {
        return;
    }
    let out = scratch("lsp_pytest");
    let run = Command::new(PYTEST)
        .args(["-q", "-p", "no:cacheprovider", "test_vsconf_lsp.py"])
        .current_dir(here())
        .env("VSCONF", env!("CARGO_BIN_EXE_vsconf"))
        .env("VSCONF_LSP_OUT", &out)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run pytest");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "pytest-lsp failed:\n{report}");
    assert!(report.contains("2 passed"), "{report}");

    // The buffer the code actions produced starts the real vsftpd; the original does not.
    let fixed = out.join("fixed.conf");
    let (status, printed) = run_vsftpd(&fixed);
    assert_eq!(
        status, 137,
        "vsftpd did not start with the fixed file: {printed}"
    );
    assert!(!printed.contains("OOPS"), "{printed}");
    let original = out.join("article/vsftpd.conf");
    let (_, printed) = run_vsftpd(&original);
    assert!(
        printed.contains("500 OOPS: unrecognised variable in config file: Port_enable"),
        "{printed}"
    );
}

#[test]
fn headless_neovim_attaches_the_server_and_shows_its_diagnostics() {
    if !require("nvim", "neovim", false) {
        return;
    }
    let dir = scratch("lsp_neovim");
    std::fs::write(dir.join("vsconf.toml"), "dialect = \"debian-3.0.3\"\n").expect("settings");
    let file = dir.join("vsftpd.conf");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/article-passive-mode.conf"),
        &file,
    )
    .expect("copy the article snippet");
    let result = dir.join("diagnostics.json");
    let status = Command::new("timeout")
        .args(["60", "nvim", "--headless", "--clean", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            here().join("nvim_smoke.lua").display()
        ))
        .env("VSCONF", env!("CARGO_BIN_EXE_vsconf"))
        .env("VSCONF_NVIM_FILE", &file)
        .env("VSCONF_NVIM_OUT", &result)
        .env("HOME", &dir)
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .output()
        .expect("run nvim");
    let text = std::fs::read_to_string(&result).unwrap_or_else(|e| {
        panic!(
            "neovim wrote no result ({e}); status {:?}; stderr: {}",
            status.status,
            String::from_utf8_lossy(&status.stderr)
        )
    });
    let got: serde_json::Value = serde_json::from_str(&text).expect("json from neovim");
    assert_eq!(got["attached"], true, "{got}");
    assert_eq!(got["received"], true, "{got}");
    let diagnostics = got["diagnostics"].as_array().expect("a list");
    let vsc001: Vec<i64> = diagnostics
        .iter()
        .filter(|d| d["code"] == "VSC001")
        .filter_map(|d| d["lnum"].as_i64())
        .collect();
    assert_eq!(vsc001, [19, 20, 21, 22, 23, 24], "{got}");
    assert!(
        diagnostics.iter().any(|d| d["lnum"] == 21
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("did you mean `ftp_data_port`?"))),
        "{got}"
    );
}

#[test]
fn a_flood_of_changes_is_debounced_and_the_last_text_wins() {
    let mut c = Client::start();
    let uri = "file:///nonexistent/flood.conf";
    did_open(&mut c, uri, "listen=YES\n");
    let first = c.diagnostics(uri);
    assert_eq!(first["version"], 1);
    let changes = 3000;
    for version in 2..=changes + 1 {
        let text = if version == changes + 1 {
            "listen=YES\nListen=NO\n".to_owned()
        } else {
            format!("listen=YES\nftpd_banner={version}\n")
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }
    let mut earlier = Vec::new();
    let last = c.wait_for(
        |v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["version"] == json!(changes + 1)
        },
        &mut earlier,
    );
    let codes = codes(&last["params"]);
    assert!(codes.iter().any(|c| c == "VSC001"), "{codes:?}");
    println!(
        "measured: {} publications for {changes} changes",
        earlier.len()
    );
    // One analysis per pause (or per second of continuous typing), not one per change.
    assert!(
        earlier.len() < 100,
        "{} publications for {changes} changes",
        earlier.len()
    );
    let stderr = c.shutdown();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn peak_memory_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn a_100_mb_buffer_is_analysed_as_vsftpd_reads_it_in_bounded_memory() {
    let mut c = Client::start();
    let uri = "file:///nonexistent/huge.conf";
    let mut text = String::with_capacity(100_000_100);
    text.push_str("listen=YES\nPort_enable=YES\n");
    let filler = format!("#{}\n", "x".repeat(98));
    while text.len() + filler.len() <= 100_000_000 {
        text.push_str(&filler);
    }
    did_open(&mut c, uri, &text);
    drop(text);
    let published = c.diagnostics(uri);
    let codes = codes(&published);
    // The first 100,000 bytes are read as vsftpd reads them; the rest is reported as ignored.
    assert!(codes.iter().any(|c| c == "VSC001"), "{codes:?}");
    assert!(codes.iter().any(|c| c == "VSC208"), "{codes:?}");
    // Still answering, with a hover on the second line.
    let id = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    );
    let hover = c.response(id);
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("port_enable")),
        "{hover}"
    );
    let peak = peak_memory_kib(c.child.id());
    println!("measured: peak memory {peak} KiB for a 100 MB buffer");
    assert!(
        peak < 1024 * 1024,
        "peak memory {peak} KiB for a 100 MB buffer"
    );
    c.shutdown();
}

#[test]
fn bytes_that_are_not_utf8_and_garbage_do_not_stop_the_server() {
    let mut c = Client::start();
    c.send_raw(b"this is not json");
    c.send_raw(b"{\"jsonrpc\":\"2.0\",\"id\":99}");
    // Neovim sends a non-UTF-8 buffer's bytes as they are; they count as U+FFFD.
    let uri = "file:///nonexistent/latin1.conf";
    let mut body = b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///nonexistent/latin1.conf\",\"languageId\":\"vsftpd\",\"version\":1,\"text\":\"ftpd_banner=caf\xe9 \xf0\x9f\x98\x80\\nPort_enable=YES\\n\"}}}".to_vec();
    c.send_raw(&body);
    body.clear();
    let published = c.diagnostics(uri);
    let vsc001 = published["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "VSC001")
        .cloned()
        .expect("VSC001 on the second line");
    assert_eq!(
        vsc001["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 11}})
    );
    // A hover after the emoji: UTF-16 positions past a surrogate pair and a replaced byte.
    let id = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 17}}),
    );
    let hover = c.response(id);
    assert_eq!(
        hover["result"]["range"],
        json!({"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 19}}),
        "{hover}"
    );
    // A request the server does not know gets an error, and the next one an answer.
    let id = c.request("textDocument/rename", json!({}));
    assert_eq!(c.response(id)["error"]["code"], -32601);
    let stderr = c.shutdown();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_client_dying_mid_message_ends_the_server_without_a_panic() {
    let mut c = Client::start();
    did_open(&mut c, "file:///nonexistent/a.conf", "listen=YES\n");
    let _ = c.diagnostics("file:///nonexistent/a.conf");
    {
        use std::io::Write;
        let stdin = c.stdin.as_mut().expect("stdin");
        stdin
            .write_all(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"textDoc")
            .expect("partial write");
    }
    c.stdin = None;
    let status = c.child.wait().expect("the server exits");
    assert_eq!(
        status.code(),
        Some(1),
        "exit status when the client goes away"
    );
    let stderr = c.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
