//! `vsconf firewall --apply` as a trial (issue 12): in a namespace whose ruleset already has an
//! `inet filter input` chain accepting 22 and 80, with listeners on both, `--apply` refuses and says
//! why; with `--allow` and a confirmation 22 stays reachable; without a confirmation — and when the
//! process that loaded the rules is killed, as a dropped SSH session would — the ruleset saved before
//! comes back byte for byte. The cut detection follows `jump`/`goto` into other chains and reads UDP
//! listeners, and no trial leaves state files behind that nobody will read.

use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::firewall::{CURL_TIMEOUT, Lab, V4, confirm_trial, text, tools_present};
use crate::support::require;

/// The operator's own firewall: a drop-policy input chain that accepts SSH and HTTP.
const EXISTING: &str = "table inet filter {
\tset admins {
\t\ttype ipv4_addr
\t\telements = { 198.51.100.2 }
\t}

\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tiif \"lo\" accept
\t\ttcp dport { 22, 80 } counter packets 0 bytes 0 accept comment \"ssh and web\"
\t}
}
";

/// A lab with the existing chain and listeners on 22 and 80 (and 8080, which nobody accepts).
fn lab(tag: &str) -> Lab {
    let mut lab = Lab::new(tag);
    lab.nft(EXISTING);
    lab.start_decoys(&[22, 80, 8080]);
    lab.wait_decoys(V4, &[22, 80]);
    lab
}

fn ruleset(lab: &Lab) -> String {
    let out = lab
        .in_ns(&lab.server, &["nft", "list", "ruleset"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

fn vsconf_in(lab: &Lab, args: &[&str]) -> Command {
    let mut argv = vec![env!("CARGO_BIN_EXE_vsconf"), "firewall"];
    argv.extend_from_slice(args);
    let mut cmd = lab.in_ns(&lab.server, &argv);
    cmd.env_remove("SSH_CONNECTION")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn spawn_apply(lab: &Lab, conf: &str, extra: &[&str]) -> Child {
    let mut args = vec!["-q", "--apply", conf];
    args.extend_from_slice(extra);
    vsconf_in(lab, &args).spawn().unwrap()
}

fn code(lab: &Lab, port: u16) -> i32 {
    lab.probe(&[port])[0].1
}

#[test]
fn apply_refuses_to_cut_an_existing_chain_and_says_why() {
    if !tools_present() {
        return;
    }
    let lab = lab("apply-refuse");
    let conf = lab.config("ftp.conf", "");
    let before = ruleset(&lab);
    let out: Output = vsconf_in(&lab, &["-q", "--apply", conf.to_str().unwrap()])
        .env("SSH_CONNECTION", "198.51.100.2 50522 198.51.100.1 22")
        .output()
        .unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    for want in [
        "--apply refused",
        "your SSH session: new connections from 198.51.100.2 to port 22",
        "listening on tcp port 22 (",
        "listening on tcp port 8080",
        "tcp port 80, accepted by chain inet filter input",
        "--allow 22/tcp --allow 80/tcp --allow 8080/tcp",
        "--into",
    ] {
        assert!(all.contains(want), "missing {want:?} in\n{all}");
    }
    assert_eq!(ruleset(&lab), before, "a refused --apply loaded something");
    assert_ne!(code(&lab, 22), CURL_TIMEOUT, "22 stopped answering");
}

#[test]
fn apply_with_allow_and_confirmation_keeps_ssh_reachable() {
    if !tools_present() {
        return;
    }
    let lab = lab("apply-keep");
    let conf = lab.config("ftp.conf", "");
    let child = spawn_apply(
        &lab,
        conf.to_str().unwrap(),
        &[
            "--allow",
            "22/tcp",
            "--allow",
            "80/tcp",
            "--allow",
            "8080/tcp",
            "--confirm-within",
            "60s",
        ],
    );
    confirm_trial(&lab, &lab.server);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("+table inet vsconf {"),
        "{}",
        text(&out)
    );
    assert!(ruleset(&lab).contains("table inet vsconf"));
    // Loaded and kept, and what the operator's chain accepts still answers (8080 never did: that
    // chain drops it).
    for port in [22, 80] {
        assert_ne!(
            code(&lab, port),
            CURL_TIMEOUT,
            "port {port} cut after --apply"
        );
    }
}

#[test]
fn apply_without_confirmation_restores_the_ruleset_byte_for_byte() {
    if !tools_present() {
        return;
    }
    let lab = lab("apply-rollback");
    let conf = lab.config("ftp.conf", "");
    let before = ruleset(&lab);
    let child = spawn_apply(
        &lab,
        conf.to_str().unwrap(),
        &["--force", "--confirm-within", "2s"],
    );
    let out = child.wait_with_output().unwrap();
    let all = text(&out);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("+table inet vsconf {"), "never loaded: {all}");
    assert!(all.contains("not confirmed within 2 s"), "{all}");
    assert!(all.contains("identical"), "{all}");
    assert_eq!(ruleset(&lab), before);
    assert_ne!(code(&lab, 80), CURL_TIMEOUT, "80 cut after the roll-back");
    // --confirm after the end finds nothing to confirm.
    let late = vsconf_in(&lab, &["--confirm"]).output().unwrap();
    assert_eq!(late.status.code(), Some(2), "{}", text(&late));
}

#[test]
fn apply_rolls_back_even_when_the_loading_process_dies() {
    if !tools_present() {
        return;
    }
    let lab = lab("apply-killed");
    let conf = lab.config("ftp.conf", "");
    let before = ruleset(&lab);
    let mut child = spawn_apply(
        &lab,
        conf.to_str().unwrap(),
        &["--force", "--confirm-within", "3s"],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ruleset(&lab).contains("table inet vsconf") {
        assert!(
            Instant::now() < deadline,
            "the trial never loaded its rules"
        );
        sleep(Duration::from_millis(50));
    }
    // What a hangup does to the foreground process: it is gone; the detached watcher is not.
    child.kill().unwrap();
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while ruleset(&lab) != before {
        assert!(
            Instant::now() < deadline,
            "not rolled back after the loader died:\n{}",
            ruleset(&lab)
        );
        sleep(Duration::from_millis(100));
    }
    // Nobody waits for that roll-back's result: the watcher removes the trial's state files.
    let ns = namespace_inode(&lab, &lab.server);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !state_files(&ns).is_empty() {
        assert!(
            Instant::now() < deadline,
            "state files left after the roll-back: {:?}",
            state_files(&ns)
        );
        sleep(Duration::from_millis(100));
    }
}

/// The inode number that names a namespace's trial state files (`net:[N]`).
fn namespace_inode(lab: &Lab, ns: &str) -> String {
    let out = lab
        .in_ns(ns, &["readlink", "/proc/self/ns/net"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// The trial state files of namespace `ns` in /run/vsconf.
fn state_files(ns: &str) -> Vec<String> {
    let prefix = format!("firewall-trial-{ns}.");
    std::fs::read_dir("/run/vsconf")
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(&prefix))
                .collect()
        })
        .unwrap_or_default()
}

/// An input chain that lets SSH and a service in only through a chain it jumps to.
const JUMPING: &str = "table inet filter {
\tchain services {
\t\ttcp dport { 22, 2222 } accept
\t}

\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tct state established,related accept
\t\tjump services
\t}
}
";

#[test]
fn apply_follows_jumps_checks_udp_listeners_and_clears_stale_trials() {
    if !tools_present() || !require("python3", "python3", false) {
        return;
    }
    let lab = Lab::new("apply-jump");
    lab.nft(JUMPING);
    // A DNS-like service: a UDP socket bound to every address, which the standalone table would cut.
    let mut udp = lab
        .in_ns(
            &lab.server,
            &[
                "timeout",
                "60",
                "python3",
                "-c",
                "import socket,sys,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',5353))\nprint('ready',flush=True)\ntime.sleep(60)",
            ],
        )
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(udp.stdout.take().unwrap()),
        &mut ready,
    )
    .unwrap();
    assert_eq!(ready.trim(), "ready");
    // Left-over state: a trial of a namespace that no longer exists (inode 1 is never a namespace),
    // long past its deadline; and a pending trial of a live namespace, which must stay.
    std::fs::create_dir_all("/run/vsconf").unwrap();
    let gone = "/run/vsconf/firewall-trial-1";
    std::fs::write(
        format!("{gone}.meta"),
        "tool=nft\ndeadline_ms=0\ntrial=1-0\n",
    )
    .unwrap();
    std::fs::write(format!("{gone}.saved"), "").unwrap();
    let live_ns = format!("vscfw-live-{}", std::process::id());
    let added = Command::new("ip")
        .args(["netns", "add", &live_ns])
        .status()
        .unwrap();
    assert!(added.success(), "ip netns add {live_ns}");
    let live = namespace_inode(&lab, &live_ns);
    let far = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 600_000;
    let live_meta = format!("/run/vsconf/firewall-trial-{live}.meta");
    std::fs::write(
        &live_meta,
        format!("tool=nft\ndeadline_ms={far}\ntrial=1-0\n"),
    )
    .unwrap();

    let conf = lab.config("ftp.conf", "");
    let before = ruleset(&lab);
    let out = vsconf_in(&lab, &["-q", "--apply", conf.to_str().unwrap()])
        .output()
        .unwrap();
    // miette wraps long lines: compare with whitespace runs and its frame characters collapsed.
    let all = text(&out)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    let _ = udp.kill();
    let _ = udp.wait();
    let kept_live = std::path::Path::new(&live_meta).exists();
    let _ = std::fs::remove_file(&live_meta);
    let _ = Command::new("ip").args(["netns", "del", &live_ns]).status();
    assert_eq!(out.status.code(), Some(2), "{all}");
    for want in [
        "tcp port 2222, accepted by chain inet filter input (through chain services)",
        "tcp port 22, accepted by chain inet filter input (through chain services)",
        "listening on udp port 5353 (0.0.0.0) would be unreachable",
        "--allow 22/tcp --allow 2222/tcp --allow 5353/udp",
    ] {
        assert!(all.contains(want), "missing {want:?} in\n{all}");
    }
    assert!(!all.contains("names no port"), "{all}");
    assert_eq!(ruleset(&lab), before, "a refused --apply loaded something");
    assert!(
        state_files("1").is_empty(),
        "stale state files of a gone namespace kept"
    );
    assert!(kept_live, "a pending trial of a live namespace was removed");
}

#[test]
fn apply_of_iptables_rules_on_nft_rolls_back_byte_for_byte() {
    if !tools_present() {
        return;
    }
    let lab = lab("apply-ipt");
    let conf = lab.config("ftp.conf", "");
    let before = ruleset(&lab);
    let refused = vsconf_in(
        &lab,
        &[
            "-q",
            "--format",
            "iptables",
            "--apply",
            conf.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("--allow 22/tcp"),
        "{}",
        text(&refused)
    );
    let out = spawn_apply(
        &lab,
        conf.to_str().unwrap(),
        &["--format", "iptables", "--force", "--confirm-within", "2s"],
    )
    .wait_with_output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("identical"), "{}", text(&out));
    assert_eq!(ruleset(&lab), before);
}
