//! The Debian package (issue 13): `scripts/deb.sh` builds it with cargo-deb from the debug binary this
//! `cargo test` run already built (a release build would add minutes of CI time; the script builds one
//! by default), then the test installs it with `dpkg --root` into a scratch root — not the machine's
//! own, so parallel tests and any installed vsconf are left alone — and runs what it installed:
//! `vsconf --version`, `man -l` on a page, the bash, fish and zsh completions, the docs; then removes it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::support::{plain, require, scratch, text};

fn dpkg(root: &Path, args: &[&str]) -> Output {
    Command::new("dpkg")
        .arg(format!("--root={}", root.display()))
        // The scratch root has no libc6 package (the package depends on it); the machine's is used.
        .arg("--force-depends")
        .args(args)
        .output()
        .expect("dpkg runs")
}

#[test]
fn deb_installs_binary_man_pages_completions_and_docs() {
    if !require(
        "cargo-deb",
        "cargo-deb (cargo install --locked cargo-deb, as .ci/setup.d/50-cargo-deb.sh does)",
        false,
    ) || !require("dpkg", "dpkg", true)
        || !require("man", "man-db", false)
        || !require("bash", "bash", false)
        || !require("fish", "fish", false)
        || !require("zsh", "zsh", false)
    {
        return;
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = scratch("package-deb");
    let built = Command::new("bash")
        .arg(repo.join("scripts/deb.sh"))
        .args(["--profile", "dev", "--no-build", "--fast", "--output"])
        .arg(dir.join("out"))
        .output()
        .expect("deb.sh runs");
    assert!(built.status.success(), "{}", text(&built));
    let deb = std::fs::read_dir(dir.join("out"))
        .expect("output dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .unwrap_or_else(|| panic!("no .deb: {}", text(&built)));
    assert!(
        deb.file_name().is_some_and(|n| n
            .to_string_lossy()
            .starts_with(&format!("vsconf_{}+dev_", env!("CARGO_PKG_VERSION")))),
        "{}",
        deb.display()
    );

    let root = dir.join("root");
    for d in ["var/lib/dpkg/info", "var/lib/dpkg/updates"] {
        std::fs::create_dir_all(root.join(d)).expect("mkdir");
    }
    std::fs::write(root.join("var/lib/dpkg/status"), b"").expect("status");
    let install = dpkg(&root, &["-i", deb.to_str().expect("utf-8 path")]);
    assert!(install.status.success(), "{}", text(&install));
    let listed = String::from_utf8_lossy(&dpkg(&root, &["-L", "vsconf"]).stdout).into_owned();
    for path in [
        "/usr/bin/vsconf",
        "/usr/share/man/man1/vsconf.1.gz",
        "/usr/share/man/man1/vsconf-lint.1.gz",
        "/usr/share/man/man1/vsconf-verify.1.gz",
        "/usr/share/bash-completion/completions/vsconf",
        "/usr/share/zsh/vendor-completions/_vsconf",
        "/usr/share/fish/vendor_completions.d/vsconf.fish",
        "/usr/share/doc/vsconf/README.md",
        "/usr/share/doc/vsconf/copyright",
        "/usr/share/doc/vsconf/docs/rules/VSC001.md",
        "/usr/share/doc/vsconf/examples/article-passive-mode.conf",
    ] {
        assert!(
            listed.lines().any(|l| l == path),
            "{path} not installed:\n{listed}"
        );
        assert!(root.join(&path[1..]).is_file(), "{path} missing on disk");
    }

    // The installed binary runs.
    let version = Command::new(root.join("usr/bin/vsconf"))
        .arg("--version")
        .output()
        .expect("installed vsconf runs");
    assert!(version.status.success(), "{}", text(&version));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("vsconf {}", env!("CARGO_PKG_VERSION"))
    );
    // The installed example lints with the installed binary (exit 1: vsftpd refuses it).
    let lint = Command::new(root.join("usr/bin/vsconf"))
        .args(["lint", "--no-config", "--dialect", "upstream-3.0.5"])
        .arg(root.join("usr/share/doc/vsconf/examples/article-passive-mode.conf"))
        .output()
        .expect("installed vsconf runs");
    assert_eq!(lint.status.code(), Some(1), "{}", text(&lint));

    // An installed (gzip-compressed) man page renders.
    let man = Command::new("man")
        .env("MANWIDTH", "100")
        .arg("-l")
        .arg(root.join("usr/share/man/man1/vsconf-lint.1.gz"))
        .output()
        .expect("man runs");
    let page = plain(&String::from_utf8_lossy(&man.stdout));
    assert!(man.status.success(), "{}", text(&man));
    assert!(
        page.contains("NAME") && page.contains("vsconf-lint") && page.contains("--format"),
        "{page}"
    );

    // The installed bash completion completes a subcommand and a --format value.
    let complete = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(vsconf exp); COMP_CWORD=1; COMP_LINE='vsconf exp'; COMP_POINT=10; _vsconf vsconf exp vsconf; printf '%s\\n' \"${{COMPREPLY[@]}}\"; \
             COMP_WORDS=(vsconf lint --format ''); COMP_CWORD=3; _vsconf vsconf '' --format; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            root.join("usr/share/bash-completion/completions/vsconf").display()
        ))
        .output()
        .expect("bash runs");
    let words: Vec<String> = String::from_utf8_lossy(&complete.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(complete.status.success(), "{}", text(&complete));
    assert!(words.iter().any(|w| w == "explain"), "{}", text(&complete));
    assert!(words.iter().any(|w| w == "sarif"), "{}", text(&complete));

    // The installed fish completion completes the same (fish's own completer, `complete -C`).
    let fish = Command::new("fish")
        .arg("--no-config")
        .arg("-c")
        .arg(format!(
            "source {}; complete -C'vsconf exp'; complete -C'vsconf lint --format '",
            root.join("usr/share/fish/vendor_completions.d/vsconf.fish")
                .display()
        ))
        .output()
        .expect("fish runs");
    let words: Vec<String> = String::from_utf8_lossy(&fish.stdout)
        .lines()
        .filter_map(|l| l.split('\t').next().map(str::to_owned))
        .collect();
    assert!(fish.status.success(), "{}", text(&fish));
    assert!(words.iter().any(|w| w == "explain"), "{}", text(&fish));
    assert!(words.iter().any(|w| w == "sarif"), "{}", text(&fish));

    // The installed zsh completion: compinit binds it to `vsconf` from the vendor directory, and the
    // function loads (a syntax error fails `autoload +X`).
    let zsh = Command::new("zsh")
        .arg("-f")
        .arg("-c")
        .arg(format!(
            "fpath=({} $fpath); autoload -U compinit; compinit -u -D; print -r -- \"bound:${{_comps[vsconf]}}\"; autoload +X _vsconf && print -r -- \"loaded:${{+functions[_vsconf]}}\"",
            root.join("usr/share/zsh/vendor-completions").display()
        ))
        .output()
        .expect("zsh runs");
    let said = String::from_utf8_lossy(&zsh.stdout);
    assert!(zsh.status.success(), "{}", text(&zsh));
    assert!(
        said.contains("bound:_vsconf") && said.contains("loaded:1"),
        "{}",
        text(&zsh)
    );

    // Removal takes every installed file away.
    let remove = dpkg(&root, &["-r", "vsconf"]);
    assert!(remove.status.success(), "{}", text(&remove));
    assert!(!root.join("usr/bin/vsconf").exists());
    assert!(!root.join("usr/share/man/man1/vsconf-lint.1.gz").exists());
}
