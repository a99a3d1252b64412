//! Where operators run vsconf, driven with the real tools (issue 13): the SARIF output against the
//! official SARIF 2.1.0 JSON schema (jsonschema from PyPI), the pre-commit hooks with `pre-commit
//! try-repo`, the Ansible collection with the README's playbook over several hosts reached by SSH (network
//! namespaces with their own sshd, see [`super::fleet`]), the man pages with `man -l` and the bash
//! completion. `.ci/setup.d/40-ecosystem-tools.sh` installs the tools into /opt/vsconf-ci.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::fleet::{Fleet, SSHD};
use super::support::{plain, require, scratch, text, vsconf};

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
             assert all('helpUri' not in r for r in log['runs'][0]['tool']['driver']['rules'])\n\
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
    // The README's .pre-commit-config.yaml, with its example path and commit replaced by the hook
    // repository's: `pre-commit run` reports the same finding.
    let rev = Command::new("git")
        .current_dir(&hooks)
        .args(["rev-parse", "HEAD"])
        .output()
        .expect("git rev-parse");
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_owned();
    let config = readme_pre_commit_config()
        .replace("/srv/git/vsconf", &hooks.display().to_string())
        .replace("0123456789abcdef0123456789abcdef01234567", &rev);
    std::fs::write(work.join(".pre-commit-config.yaml"), config).expect("write");
    git(&work, &["add", "."]);
    let run = Command::new(&pre_commit)
        .current_dir(&work)
        .env("PATH", path_with_vsconf())
        .env("PRE_COMMIT_HOME", dir.join("cache"))
        .env("NO_COLOR", "1")
        .args(["run", "--all-files", "--color", "never"])
        .output()
        .expect("pre-commit runs");
    let shown = text(&run);
    assert_eq!(run.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("vsftpd/site.conf:2:1: error[VSC001]"),
        "the README's config did not run the hook: {shown}"
    );
}

/// The `.pre-commit-config.yaml` the README's pre-commit section shows.
fn readme_pre_commit_config() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let section = &readme[readme
        .find("\n## pre-commit")
        .expect("README has a pre-commit section")..];
    let block = &section[section.find("```yaml\n").expect("a yaml block") + 8..];
    block[..block.find("```").expect("the block ends")].to_owned()
}

/// The README's Ansible playbook, exactly as printed there.
fn readme_playbook() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let section = &readme[readme
        .find("## Ansible")
        .expect("README has an Ansible section")..];
    let after = &section[section
        .find("A playbook (`site.yml`)")
        .expect("README shows the playbook")..];
    let start = after.find("```yaml\n").expect("playbook block") + "```yaml\n".len();
    let len = after[start..]
        .find("```")
        .expect("end of the playbook block");
    after[start..start + len].to_owned()
}

fn ansible(fleet: &Fleet, dir: &Path, args: &[&str]) -> Output {
    fleet
        .command(&format!("{VENV}/ansible-playbook"))
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
        .env("ANSIBLE_RETRY_FILES_ENABLED", "False")
        .args(["-v", "-i", "inventory"])
        .args(args)
        .output()
        .expect("ansible-playbook runs")
}

/// The result Ansible printed for `host` in the task named `task` (with `-v`, every result is printed
/// as JSON after `=>`), and the status word before it (`ok`, `changed`, `fatal`).
fn result(out: &Output, task: &str, host: &str) -> Option<(String, serde_json::Value)> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let header = format!("TASK [{task}]");
    let section = &stdout[stdout.find(&header)? + header.len()..];
    let end = ["\nTASK [", "\nPLAY RECAP"]
        .iter()
        .filter_map(|m| section.find(m))
        .min()
        .unwrap_or(section.len());
    let section = &section[..end];
    for status in ["ok", "changed", "fatal"] {
        let prefix = format!("\n{status}: [{host}]");
        if let Some(at) = section.find(&prefix) {
            let rest = &section[at + prefix.len()..];
            let json = &rest[rest.find("=> ")? + 3..];
            let value = serde_json::Deserializer::from_str(json)
                .into_iter::<serde_json::Value>()
                .next()?
                .ok()?;
            return Some((status.to_owned(), value));
        }
    }
    None
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
fn ansible_playbook_from_the_readme_checks_and_deploys_over_ssh_to_namespaced_hosts() {
    let playbook = format!("{VENV}/ansible-playbook");
    if !require(&playbook, "bash .ci/setup.d/40-ecosystem-tools.sh", false)
        || !require(
            SSHD,
            "openssh-server (bash .ci/setup.d/10-system-packages.sh)",
            true,
        )
        || !require("ssh", "openssh-client", false)
        || !require(
            "sudo",
            "sudo (bash .ci/setup.d/10-system-packages.sh)",
            false,
        )
        || !require("ip", "iproute2", true)
    {
        return;
    }
    let dir = scratch("ecosystem-ansible");
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    // One template for the fleet: a good config, or (host variable `broken`) one vsftpd refuses.
    std::fs::write(
        dir.join("templates/vsftpd.conf.j2"),
        format!(
            "{{% if broken | default(false) | bool %}}\n{BAD}{{% else %}}\n{}{{% endif %}}\n",
            GOOD.replace("50100", "{{ pasv_max }}")
        ),
    )
    .expect("write");
    std::fs::write(dir.join("site.yml"), readme_playbook()).expect("write");
    let names = ["ftp1", "ftp2", "ftp3"];
    // What each host's vsftpd reads today: a valid config, so that only the new template can fail.
    let before = |host: &str| {
        GOOD.replace("50100", "50050")
            .replace("# a", &format!("# {host}: a"))
    };
    for host in names {
        std::fs::create_dir_all(dir.join(host)).expect("mkdir");
        std::fs::write(dir.join(host).join("vsftpd.conf"), before(host)).expect("write");
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_vsconf"))
        .parent()
        .expect("binary dir")
        .display()
        .to_string();
    let fleet = Fleet::start(
        &dir,
        &names,
        &format!("{bin_dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    );
    let mut inventory = String::from("[ftp]\n");
    for host in fleet.hosts() {
        inventory.push_str(&format!(
            "{name} ansible_host={address} vsftpd_conf={dest} broken={broken}\n",
            name = host.name,
            address = host.address,
            dest = dir.join(&host.name).join("vsftpd.conf").display(),
            broken = host.name == "ftp3",
        ));
    }
    inventory.push_str(&format!(
        "\n[ftp:vars]\nansible_user=root\nansible_python_interpreter=/usr/bin/python3\npasv_max=50100\nansible_ssh_common_args='{}'\n",
        fleet.ssh_options()
    ));
    std::fs::write(dir.join("inventory"), inventory).expect("write");
    let check_task = "Check the new config before it is deployed (runs under --check too)";
    let deploy_task = "Deploy it, validated again on the host";

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
    let check = ansible(&fleet, &dir, &["--check", "site.yml"]);
    let shown = text(&check);
    assert_eq!(check.status.code(), Some(2), "one host must fail: {shown}");
    for host in ["ftp1", "ftp2"] {
        let (status, c) = result(&check, check_task, host).unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(status, "ok", "{host}: {shown}");
        assert_eq!(c["verdict"], "starts", "{host}: {c}");
        assert_eq!(c["dialect"], "debian-3.0.3", "{host}: {c}");
        let (status, _) = result(&check, deploy_task, host).unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(status, "changed", "{host}: {shown}");
        assert!(recap(&check, host).contains("failed=0"), "{shown}");
    }
    let (status, c) = result(&check, check_task, "ftp3").unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(status, "fatal", "{shown}");
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
    assert!(recap(&check, "ftp3").contains("failed=1"), "{shown}");
    for host in names {
        assert_eq!(
            std::fs::read_to_string(dir.join(host).join("vsftpd.conf")).expect("read"),
            before(host),
            "--check wrote {host}'s config: {shown}"
        );
    }

    // The real run: the good hosts are deployed and linted; the bad one fails at the first task.
    let run = ansible(&fleet, &dir, &["site.yml"]);
    let shown = text(&run);
    assert_eq!(run.status.code(), Some(2), "one host must fail: {shown}");
    assert!(recap(&run, "ftp3").contains("failed=1"), "{shown}");
    for host in ["ftp1", "ftp2"] {
        assert!(recap(&run, host).contains("failed=0"), "{shown}");
        let (status, _) = result(&run, deploy_task, host).unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(status, "changed", "{host}: {shown}");
        let (_, d) = result(
            &run,
            "Lint the deployed config with the host's checks",
            host,
        )
        .unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(d["verdict"], "starts", "{host}: {d}");
        assert_eq!(d["changed"], false, "{host}: {d}");
        assert_eq!(d["summary"]["files"], 1, "{host}: {d}");
        let (_, shown_verdict) =
            result(&run, "Show the verdict", host).unwrap_or_else(|| panic!("{shown}"));
        assert!(
            shown_verdict["msg"]
                .as_str()
                .is_some_and(|m| m.starts_with("starts: ")),
            "{host}: {shown_verdict}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(host).join("vsftpd.conf")).expect("read"),
            GOOD
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("ftp3/vsftpd.conf")).expect("read"),
        before("ftp3")
    );

    // From the deploy task on, the bad host alone: validate: refuses the file, the destination stays.
    let validate = ansible(
        &fleet,
        &dir,
        &[
            "--start-at-task",
            deploy_task,
            "--limit",
            "ftp3",
            "site.yml",
        ],
    );
    let shown = text(&validate);
    assert_eq!(validate.status.code(), Some(2), "{shown}");
    let (status, v) = result(&validate, deploy_task, "ftp3").unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(status, "fatal", "{shown}");
    assert!(
        v["msg"]
            .as_str()
            .is_some_and(|m| m.contains("failed to validate")),
        "{v}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("ftp3/vsftpd.conf")).expect("read"),
        before("ftp3")
    );

    // Every host was really reached over SSH, by its own sshd.
    for host in names {
        let log = std::fs::read_to_string(dir.join(format!("sshd-{host}.log"))).unwrap_or_default();
        assert!(
            log.contains("Accepted publickey for root from 198.51.100.1 "),
            "{host}: {log}"
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
