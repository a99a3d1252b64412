//! Progress bars (issue 13) for `lint` and `verify`: drawn on a terminal only. `script` (util-linux) runs vsconf on a
//! pseudo-terminal, as an operator's shell would; the same run through a pipe, with `-q` or under CI
//! must print no bar at all.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use super::support::{require, scratch, text};

/// Files for a run long enough to get a bar (`lint` shows one above 100 files).
const FILES: usize = 150;

fn corpus(dir: &Path) {
    for i in 0..FILES {
        std::fs::write(
            dir.join(format!("site{i:03}.conf")),
            format!(
                "listen=YES\nanonymous_enable=NO\npasv_min_port={}\n",
                50000 + i
            ),
        )
        .expect("write");
    }
}

/// `vsconf ARGS` on a pseudo-terminal (standard input, output and error all on it), as `script`
/// records it; `ci` sets CI=true for vsconf.
fn on_terminal(args: &str, ci: bool) -> Output {
    let mut c = Command::new("script");
    c.args(["-q", "-e", "-c"])
        .arg(format!("{} {args}", env!("CARGO_BIN_EXE_vsconf")))
        .arg("/dev/null")
        .env("VSCONF_DIALECT", "upstream-3.0.5")
        .env("TERM", "xterm")
        .env_remove("CI")
        .stdin(Stdio::null());
    if ci {
        c.env("CI", "true");
    }
    c.output().expect("script runs")
}

const BAR: &str = "vsconf: linting [";

#[test]
fn lint_draws_a_progress_bar_on_a_terminal_only() {
    if !require("script", "util-linux", false) {
        return;
    }
    let dir = scratch("progress-lint");
    corpus(&dir);
    let args = format!("lint --no-config {}", dir.display());

    let tty = on_terminal(&args, false);
    let shown = text(&tty);
    let out = String::from_utf8_lossy(&tty.stdout);
    assert!(out.contains(BAR), "no bar on a terminal: {shown}");
    assert!(out.contains(&format!("/{FILES} ")), "{shown}");
    // The findings and the summary are all there, the bar cleared before the summary.
    assert!(out.contains(&format!("{FILES} files checked")), "{shown}");

    // Quiet, or under CI: no bar even on a terminal.
    let quiet = on_terminal(&format!("lint -q --no-config {}", dir.display()), false);
    assert!(
        !String::from_utf8_lossy(&quiet.stdout).contains(BAR),
        "{}",
        text(&quiet)
    );
    let ci = on_terminal(&args, true);
    assert!(
        !String::from_utf8_lossy(&ci.stdout).contains(BAR),
        "{}",
        text(&ci)
    );
    assert!(
        String::from_utf8_lossy(&ci.stdout).contains(&format!("{FILES} files checked")),
        "{}",
        text(&ci)
    );

    // Through pipes: the same findings, no bar and no control sequences on standard error.
    let piped = Command::new(env!("CARGO_BIN_EXE_vsconf"))
        .args(["lint", "--no-config"])
        .arg(&dir)
        .env("VSCONF_DIALECT", "upstream-3.0.5")
        .env_remove("CI")
        .output()
        .expect("vsconf runs");
    let err = String::from_utf8_lossy(&piped.stderr);
    assert!(
        !err.contains(BAR) && !err.contains('\u{1b}'),
        "{}",
        text(&piped)
    );
    assert!(
        String::from_utf8_lossy(&piped.stdout).contains(&format!("{FILES} files checked"))
            || err.contains(&format!("{FILES} files checked")),
        "{}",
        text(&piped)
    );
}

#[test]
fn verify_shows_its_steps_on_a_terminal_only() {
    if !require("script", "util-linux", false) {
        return;
    }
    let conf = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/anonymous-readonly.conf");
    let args = format!(
        "verify --engine embedded --dialect upstream-3.0.5 {}",
        conf.display()
    );
    let tty = on_terminal(&args, false);
    let out = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{}", text(&tty));
    assert!(out.contains("vsconf: verifying ["), "{}", text(&tty));
    // The second step (the probe) was shown before the table was written.
    assert!(out.contains("] 1/2 "), "{}", text(&tty));
    assert!(out.contains("predicted = observed"), "{}", text(&tty));

    let piped = Command::new(env!("CARGO_BIN_EXE_vsconf"))
        .args(args.split(' '))
        .env_remove("CI")
        .output()
        .expect("vsconf runs");
    assert!(piped.status.success(), "{}", text(&piped));
    assert!(
        !String::from_utf8_lossy(&piped.stderr).contains("verifying"),
        "{}",
        text(&piped)
    );
    assert!(
        String::from_utf8_lossy(&piped.stdout).contains("predicted = observed"),
        "{}",
        text(&piped)
    );
}
