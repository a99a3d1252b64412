//! Where operators run vsconf, driven with the real tools (issue 13): the SARIF output against the
//! official SARIF 2.1.0 JSON schema (jsonschema from PyPI), the pre-commit hooks with `pre-commit
//! try-repo`, the Ansible collection with `ansible-playbook` over an inventory of several hosts (local
//! connections: each host has its own destination directory), the man pages with `man -l` and the bash
//! completion. `.ci/setup.d/40-ecosystem-tools.sh` installs the tools into /opt/vsconf-ci.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::support::{require, scratch, vsconf};

const VENV: &str = "/opt/vsconf-ci/venv/bin";
const SARIF_SCHEMA: &str = "/opt/vsconf-ci/sarif/sarif-2.1.0-rtm.5.json";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// PATH with the built vsconf first, as an installed vsconf would be.
fn path_with_vsconf() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_vsconf"))
        .parent()
        .expect("binary dir")
        .display()
        .to_string();
    format!(
        "{bin}:{VENV}:{}",
        std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".to_owned())
    )
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const GOOD: &str = "# a standalone server for local users\nlisten=YES\nanonymous_enable=NO\nlocal_enable=YES\nwrite_enable=YES\npasv_min_port=50000\npasv_max_port=50100\nxferlog_enable=YES\n";
const BAD: &str = "# a capital letter: vsftpd refuses to start\nListen=YES\nanonymous_enable=NO\nlocal_enable=YES\n";

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let python = format!("{VENV}/python");
    if !require(&python, "bash .ci/setup.d/40-ecosystem-tools.sh", false)
        || !require(
            SARIF_SCHEMA,
            "bash .ci/setup.d/40-ecosystem-tools.sh",
            false,
        )
    {
        return;
    }
    let dir = scratch("ecosystem-sarif");
    std::fs::write(dir.join("good.conf"), GOOD).expect("write");
    std::fs::write(dir.join("bad.conf"), BAD).expect("write");
    std::fs::write(
        dir.join("crlf.conf"),
        "listen=YES\r\nftpd_banner=hi # there\n",
    )
    .expect("write");
    let absolute = dir.join("good.conf");
    let examples = repo().join("examples");
    let out = vsconf()
        .current_dir(&dir)
        .args([
            "lint",
            "--no-config",
            "--format",
            "sarif",
            "good.conf",
            "bad.conf",
            "crlf.conf",
        ])
        .arg(&absolute)
        .arg(&examples)
        .output()
        .expect("vsconf runs");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let sarif = dir.join("vsconf.sarif");
    std::fs::write(&sarif, &out.stdout).expect("write sarif");
    let check = Command::new(&python)
        .arg("-c")
        .arg(
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             log = json.load(open(sys.argv[2]))\n\
             jsonschema.validators.validator_for(schema)(schema).validate(log)\n\
             results = log['runs'][0]['results']\n\
             assert results, 'no results'\n\
             assert all(r['partialFingerprints']['primaryLocationLineHash'] for r in results)\n\
             assert all(r['helpUri'].startswith('https://') for r in log['runs'][0]['tool']['driver']['rules'])\n\
             print(len(results), 'results valid')\n",
        )
        .arg(SARIF_SCHEMA)
        .arg(&sarif)
        .output()
        .expect("python runs");
    assert!(check.status.success(), "{}", text(&check));
    // An invalid log is refused, so the check above means something.
    let broken = dir.join("broken.sarif");
    std::fs::write(&broken, r#"{"version":"2.1.0","runs":[{"tool":{}}]}"#).expect("write");
    let refused = Command::new(&python)
        .arg("-c")
        .arg("import json, sys, jsonschema\nschema = json.load(open(sys.argv[1]))\njsonschema.validate(json.load(open(sys.argv[2])), schema)\n")
        .arg(SARIF_SCHEMA)
        .arg(&broken)
        .output()
        .expect("python runs");
    assert!(!refused.status.success(), "{}", text(&refused));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=vsconf test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

#[test]
fn pre_commit_try_repo_runs_the_hook_on_vsftpd_configs_only() {
    let pre_commit = format!("{VENV}/pre-commit");
    if !require(&pre_commit, "bash .ci/setup.d/40-ecosystem-tools.sh", false)
        || !require("git", "git", false)
    {
        return;
    }
    let dir = scratch("ecosystem-pre-commit");
    // The hook repository: this checkout's .pre-commit-hooks.yaml, committed as a published repo has it.
    let hooks = dir.join("hooks");
    std::fs::create_dir_all(&hooks).expect("mkdir");
    std::fs::copy(
        repo().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .expect("copy hooks file");
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-qm", "hooks"]);
    // The user's repository: a good config, a bad one under a name the hook must not match, then bad.
    let work = dir.join("work");
    std::fs::create_dir_all(work.join("vsftpd")).expect("mkdir");
    std::fs::write(work.join("vsftpd.conf"), GOOD).expect("write");
    std::fs::write(work.join("vsftpd").join("site.conf"), GOOD).expect("write");
    std::fs::write(work.join("nginx.conf"), BAD).expect("write");
    git(&work, &["init", "-q"]);
    git(&work, &["add", "."]);
    git(&work, &["commit", "-qm", "configs"]);
    let try_repo = || {
        Command::new(&pre_commit)
            .current_dir(&work)
            .env("PATH", path_with_vsconf())
            .env("PRE_COMMIT_HOME", dir.join("cache"))
            .env("NO_COLOR", "1")
            .args(["try-repo", "--all-files", "--color", "never"])
            .arg(&hooks)
            .arg("vsconf-system")
            .output()
            .expect("pre-commit runs")
    };
    let clean = try_repo();
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    assert!(
        String::from_utf8_lossy(&clean.stdout).contains("Passed"),
        "{}",
        text(&clean)
    );
    std::fs::write(work.join("vsftpd").join("site.conf"), BAD).expect("write");
    git(&work, &["add", "."]);
    let dirty = try_repo();
    let shown = text(&dirty);
    assert_eq!(dirty.status.code(), Some(1), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(
        shown.contains("vsftpd/site.conf:2:1: error[VSC001]"),
        "concise finding missing: {shown}"
    );
    assert!(
        !shown.contains("nginx.conf"),
        "files: pattern matched nginx.conf: {shown}"
    );
}

fn ansible(dir: &Path, args: &[&str]) -> Output {
    Command::new(format!("{VENV}/ansible-playbook"))
        .current_dir(dir)
        .env("PATH", path_with_vsconf())
        .env(
            "ANSIBLE_COLLECTIONS_PATH",
            repo().join("integrations/ansible"),
        )
        .env("ANSIBLE_LOCAL_TEMP", dir.join("tmp-local"))
        .env("ANSIBLE_REMOTE_TEMP", dir.join("tmp-remote"))
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_PIPELINING", "True")
        .env("ANSIBLE_HOST_KEY_CHECKING", "False")
        .env("ANSIBLE_RETRY_FILES_ENABLED", "False")
        .args(["-i", "inventory.ini"])
        .args(args)
        .output()
        .expect("ansible-playbook runs")
}

/// A result the playbook saved with `to_json` (see `save` in the playbook).
fn saved(dir: &Path, host: &str, what: &str, mode: &str) -> serde_json::Value {
    let path = dir
        .join("results")
        .join(format!("{host}-{what}-{mode}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The PLAY RECAP line of a host: `ok=… changed=… failed=…`.
fn recap(out: &Output, host: &str) -> String {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .rev()
        .find(|l| l.starts_with(host) && l.contains("failed="))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn ansible_collection_lints_every_host_in_check_mode_and_validate_keeps_the_old_file() {
    let playbook = format!("{VENV}/ansible-playbook");
    if !require(&playbook, "bash .ci/setup.d/40-ecosystem-tools.sh", false) {
        return;
    }
    let dir = scratch("ecosystem-ansible");
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::create_dir_all(dir.join("results")).expect("mkdir");
    std::fs::write(
        dir.join("templates/good.conf.j2"),
        GOOD.replace("50100", "{{ pasv_max }}"),
    )
    .expect("write");
    std::fs::write(dir.join("templates/bad.conf.j2"), BAD).expect("write");
    let mut inventory = String::from("[ftp]\n");
    for (host, template) in [("ftp1", "good"), ("ftp2", "good"), ("ftp3", "bad")] {
        let dest = dir.join(host).join("vsftpd.conf");
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &dest,
            format!("# {host}: the config before the run\nlisten=YES\n"),
        )
        .expect("write");
        inventory.push_str(&format!(
            "{host} ansible_connection=local ansible_python_interpreter={VENV}/python dest={} template={template}.conf.j2 pasv_max=50100\n",
            dest.display()
        ));
    }
    std::fs::write(dir.join("inventory.ini"), inventory).expect("write");
    std::fs::write(
        dir.join("site.yml"),
        format!(
            r#"- hosts: ftp
  gather_facts: false
  vars:
    mode: "{{{{ 'check' if ansible_check_mode else 'run' }}}}"
  tasks:
    - name: lint the candidate config
      vsconf.vsftpd.lint:
        content: "{{{{ lookup('template', template) }}}}"
        path: "{{{{ dest }}}}"
      register: candidate
      ignore_errors: true
    - name: save the candidate's result
      ansible.builtin.copy:
        content: "{{{{ candidate | to_json }}}}"
        dest: "{results}/{{{{ inventory_hostname }}}}-candidate-{{{{ mode }}}}.json"
      check_mode: false
      delegate_to: localhost
    - name: deploy
      ansible.builtin.template:
        src: "{{{{ template }}}}"
        dest: "{{{{ dest }}}}"
        validate: vsconf lint --no-config %s
    - name: lint the deployed config
      vsconf.vsftpd.lint:
        path: "{{{{ dest }}}}"
        ignore: [security]
      register: deployed
    - name: save the deployed result
      ansible.builtin.copy:
        content: "{{{{ deployed | to_json }}}}"
        dest: "{results}/{{{{ inventory_hostname }}}}-deployed-{{{{ mode }}}}.json"
      check_mode: false
      delegate_to: localhost
"#,
            results = dir.join("results").display()
        ),
    )
    .expect("write");
    let before = std::fs::read(dir.join("ftp3/vsftpd.conf")).expect("read");
    // The module's documentation parses (ansible-doc renders it).
    let doc = Command::new(format!("{VENV}/ansible-doc"))
        .env(
            "ANSIBLE_COLLECTIONS_PATH",
            repo().join("integrations/ansible"),
        )
        .arg("vsconf.vsftpd.lint")
        .output()
        .expect("ansible-doc runs");
    assert!(
        doc.status.success() && String::from_utf8_lossy(&doc.stdout).contains("check mode"),
        "{}",
        text(&doc)
    );

    // --check: nothing is written; the module still lints and fails the bad host's candidate, while
    // the template task (whose validate: check mode skips) reports a plain "changed".
    let check = ansible(&dir, &["--check", "site.yml"]);
    let shown = text(&check);
    for host in ["ftp1", "ftp2"] {
        let c = saved(&dir, host, "candidate", "check");
        assert_eq!(c["verdict"], "starts", "{host}: {c}");
        assert_eq!(c["failed"], serde_json::Value::Bool(false), "{host}: {c}");
        assert_eq!(c["dialect"], "debian-3.0.3", "{host}: {c}");
        assert!(recap(&check, host).contains("failed=0"), "{shown}");
    }
    let c = saved(&dir, "ftp3", "candidate", "check");
    assert_eq!(c["failed"], true, "{c}");
    assert_eq!(c["verdict"], "refuses", "{c}");
    assert!(
        c["message"]
            .as_str()
            .is_some_and(|m| m.contains("unrecognised variable in config file: Listen")),
        "{c}"
    );
    assert!(
        c["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|d| d["code"] == "VSC001" && d["line"] == 2)),
        "{c}"
    );
    assert_eq!(
        std::fs::read(dir.join("ftp3/vsftpd.conf")).expect("read"),
        before
    );
    assert!(
        std::fs::read_to_string(dir.join("ftp1/vsftpd.conf"))
            .expect("read")
            .contains("before the run"),
        "--check wrote a file: {shown}"
    );

    // The real run: the good hosts are deployed and linted; validate: stops the bad one and its file
    // is left untouched.
    let run = ansible(&dir, &["site.yml"]);
    let shown = text(&run);
    assert_eq!(run.status.code(), Some(2), "one host must fail: {shown}");
    assert!(recap(&run, "ftp3").contains("failed=1"), "{shown}");
    assert!(shown.contains("failed to validate"), "{shown}");
    assert_eq!(
        std::fs::read(dir.join("ftp3/vsftpd.conf")).expect("read"),
        before
    );
    assert!(
        !dir.join("results/ftp3-deployed-run.json").exists(),
        "{shown}"
    );
    for host in ["ftp1", "ftp2"] {
        assert!(recap(&run, host).contains("failed=0"), "{shown}");
        let d = saved(&dir, host, "deployed", "run");
        assert_eq!(d["verdict"], "starts", "{host}: {d}");
        assert_eq!(d["changed"], false, "{host}: {d}");
        assert_eq!(d["summary"]["files"], 1, "{host}: {d}");
        assert_eq!(
            std::fs::read_to_string(dir.join(host).join("vsftpd.conf")).expect("read"),
            GOOD
        );
    }
}

#[test]
fn man_pages_render_and_bash_completes_subcommands() {
    if !require("man", "man-db", false) || !require("bash", "bash", false) {
        return;
    }
    let dir = scratch("ecosystem-man");
    let out = vsconf()
        .args(["generate", "man"])
        .arg(&dir)
        .output()
        .expect("vsconf runs");
    assert!(out.status.success(), "{}", text(&out));
    for page in [
        "vsconf.1",
        "vsconf-lint.1",
        "vsconf-explain.1",
        "vsconf-firewall.1",
    ] {
        let rendered = Command::new("man")
            .env("MANWIDTH", "100")
            .arg("-l")
            .arg(dir.join(page))
            .output()
            .expect("man runs");
        let shown = plain(&text(&rendered));
        assert!(rendered.status.success(), "{page}: {shown}");
        assert!(
            shown.contains("NAME") && shown.contains("SYNOPSIS"),
            "{page}: {shown}"
        );
    }
    let lint = plain(&String::from_utf8_lossy(
        &Command::new("man")
            .env("MANWIDTH", "100")
            .arg("-l")
            .arg(dir.join("vsconf-lint.1"))
            .output()
            .expect("man runs")
            .stdout,
    ));
    assert!(
        lint.contains("--format") && lint.contains("concise"),
        "{lint}"
    );
    let script = vsconf()
        .args(["generate", "completions", "bash"])
        .output()
        .expect("vsconf runs");
    assert!(script.status.success(), "{}", text(&script));
    let file = dir.join("vsconf.bash");
    std::fs::write(&file, &script.stdout).expect("write");
    let complete = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(vsconf exp); COMP_CWORD=1; COMP_LINE='vsconf exp'; COMP_POINT=10; _vsconf vsconf exp vsconf; printf '%s\\n' \"${{COMPREPLY[@]}}\"; \
             COMP_WORDS=(vsconf lint --format ''); COMP_CWORD=3; _vsconf vsconf '' --format; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        ))
        .output()
        .expect("bash runs");
    let shown = text(&complete);
    assert!(complete.status.success(), "{shown}");
    let words: Vec<&str> = std::str::from_utf8(&complete.stdout)
        .unwrap_or("")
        .lines()
        .collect();
    assert!(words.contains(&"explain"), "{shown}");
    assert!(
        words.contains(&"sarif") && words.contains(&"gitlab"),
        "{shown}"
    );
    for shell in ["zsh", "fish"] {
        let script = vsconf()
            .args(["generate", "completions", shell])
            .output()
            .expect("vsconf runs");
        assert!(
            script.status.success() && script.stdout.len() > 1000,
            "{shell}: {}",
            text(&script)
        );
    }
}

/// man's output without overstrike (`N\bN` bold, `_\bx` underline).
fn plain(s: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    for c in s.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(c);
        }
    }
    out.into_iter().collect()
}
