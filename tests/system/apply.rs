//! `vsconf firewall --apply` as a trial (issue 12): in a namespace whose ruleset already has an
//! `inet filter input` chain accepting 22 and 80, with listeners on both, `--apply` refuses and says
//! why; with `--allow` and a confirmation 22 stays reachable; without a confirmation — and when the
//! process that loaded the rules is killed, as a dropped SSH session would — the ruleset saved before
//! comes back byte for byte.

use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::firewall::{CURL_TIMEOUT, Lab, V4, confirm_trial, text, tools_present};

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
