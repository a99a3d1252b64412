//! The generated rules are accepted by the real tools: `nft -c -f`, `nft -j -c -f`,
//! `iptables-restore --test`, `ip6tables-restore --test` (and the `--into` command lines run against
//! a chain that exists), each inside a private network namespace (`unshare -n`), so nothing touches the
//! host's firewall.

use std::io::Write;
use std::process::{Command, Stdio};

use vsconf::firewall::Format;

use crate::support::require;
use crate::{cases, generate};

/// Runs `script` in a new network namespace with `input` on stdin; returns (success, stderr).
fn in_netns(script: &str, input: &str) -> (bool, String) {
    let mut child = Command::new("unshare")
        .args(["-n", "sh", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn real_tools_accept_every_generated_ruleset() {
    if !(require("nft", "nftables", true)
        && require("iptables-restore", "iptables", true)
        && require("ip6tables-restore", "iptables", true)
        && require("unshare", "util-linux", true))
    {
        return;
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        for format in [
            Format::Nft,
            Format::NftJson,
            Format::Iptables,
            Format::Ip6tables,
        ] {
            let Ok(text) = generate(&case, format) else {
                continue;
            };
            let into = case.into.is_some();
            let script = match (format, into) {
                (Format::Nft, false) => "nft -c -f -".to_owned(),
                (Format::NftJson, false) => "nft -j -c -f -".to_owned(),
                (Format::Nft | Format::NftJson, true) => {
                    let (f, t, c) = case.into.unwrap();
                    let j = if format == Format::NftJson { "-j " } else { "" };
                    format!("nft add table {f} {t} && nft add chain {f} {t} {c} && nft {j}-c -f -")
                }
                (Format::Iptables, false) => "iptables-restore --test".to_owned(),
                (Format::Ip6tables, false) => "ip6tables-restore --test".to_owned(),
                // The --into output is shell commands; run them against the namespace's own chain.
                (_, true) => "set -e; sh -e".to_owned(),
                _ => unreachable!(),
            };
            let (ok, err) = in_netns(&script, &text);
            checked += 1;
            if !ok {
                failures.push(format!("{} {}: {err}\n{text}", case.name, format.name()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
    assert!(checked >= 40, "only {checked} rulesets checked");
    println!("{checked} rulesets accepted by the real tools");
}

#[test]
fn real_tools_reject_a_broken_ruleset() {
    // The check above must be able to fail: a ruleset with a typo is refused by the same commands.
    if !(require("nft", "nftables", true) && require("unshare", "util-linux", true)) {
        return;
    }
    let text = generate(&crate::Case::single("plain-passive"), Format::Nft)
        .unwrap()
        .replace("dport 21", "dprot 21");
    assert!(!in_netns("nft -c -f -", &text).0);
    let text = generate(&crate::Case::single("plain-passive"), Format::Iptables)
        .unwrap()
        .replace("--dport", "--dprot");
    assert!(!in_netns("iptables-restore --test", &text).0);
}

#[test]
fn reloading_the_standalone_nft_ruleset_replaces_it_instead_of_doubling_it() {
    if !(require("nft", "nftables", true) && require("unshare", "util-linux", true)) {
        return;
    }
    let dir = crate::support::scratch("firewall-reload");
    let file = dir.join("rules.nft");
    std::fs::write(
        &file,
        generate(&crate::Case::single("passive-no-range"), Format::Nft).unwrap(),
    )
    .unwrap();
    let f = file.display();
    let out = Command::new("unshare")
        .args([
            "-n",
            "sh",
            "-c",
            &format!("nft -f {f} && nft -f {f} && nft list table inet vsconf"),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        listing.matches("ct helper ftp-21 {").count(),
        1,
        "{listing}"
    );
    assert_eq!(
        listing.matches("tcp dport 21 accept").count(),
        1,
        "{listing}"
    );
    assert_eq!(listing.matches("policy drop").count(), 1, "{listing}");
}
