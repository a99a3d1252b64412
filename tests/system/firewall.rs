//! `vsconf firewall` proven with real packets: two network namespaces joined by a veth pair (server
//! 198.51.100.1, client 198.51.100.2), the real vsftpd in the server namespace behind the generated
//! standalone ruleset (loaded with `vsconf firewall --apply`), curl in the client namespace.
//!
//! Closed ports are proven closed, not merely unused: an `openssl s_server` listens on each of them, the
//! test first shows that they answer without a firewall, then that they time out behind it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::{require, scratch, vsconf};

const SERVER_IP: &str = "198.51.100.1";
const CLIENT_IP: &str = "198.51.100.2";
/// IPv6 documentation prefix (RFC 3849), only ever inside the test's own namespaces.
const SERVER_IP6: &str = "2001:db8::1";
const CLIENT_IP6: &str = "2001:db8::2";
/// The server as a URL host, per IP version.
pub(crate) const V4: &str = SERVER_IP;
const V6: &str = "[2001:db8::1]";
/// curl exit code for "operation timed out": what a dropped SYN looks like from the client.
pub(crate) const CURL_TIMEOUT: i32 = 28;

pub(crate) fn tools_present() -> bool {
    require("ip", "iproute2", true)
        && require("/usr/sbin/vsftpd", "vsftpd", true)
        && require("curl", "curl", true)
        && require("openssl", "openssl", true)
        && require("nft", "nftables", true)
        && require("iptables-restore", "iptables", true)
        && require("timeout", "coreutils", true)
}

/// Two namespaces joined by a veth pair, and the processes started in them; all removed on drop.
pub(crate) struct Lab {
    pub(crate) server: String,
    client: String,
    pub(crate) dir: PathBuf,
    children: Vec<Child>,
}

impl Lab {
    pub(crate) fn new(tag: &str) -> Lab {
        let id = std::process::id();
        let lab = Lab {
            server: format!("vscfw-s-{tag}-{id}"),
            client: format!("vscfw-c-{tag}-{id}"),
            dir: scratch(&format!("firewall-{tag}")),
            children: Vec::new(),
        };
        for ns in [&lab.server, &lab.client] {
            run(Command::new("ip").args(["netns", "add", ns]));
            run(Command::new("ip").args(["-n", ns, "link", "set", "lo", "up"]));
        }
        run(Command::new("ip").args([
            "-n",
            &lab.server,
            "link",
            "add",
            "eth0",
            "type",
            "veth",
            "peer",
            "name",
            "eth0",
            "netns",
            &lab.client,
        ]));
        for (ns, ip, ip6) in [
            (&lab.server, SERVER_IP, SERVER_IP6),
            (&lab.client, CLIENT_IP, CLIENT_IP6),
        ] {
            let v4 = format!("{ip}/24");
            run(Command::new("ip").args(["-n", ns, "addr", "add", &v4, "dev", "eth0"]));
            // nodad: the address is usable at once instead of after duplicate address detection.
            let v6 = format!("{ip6}/64");
            run(Command::new("ip").args(["-n", ns, "addr", "add", &v6, "dev", "eth0", "nodad"]));
            run(Command::new("ip").args(["-n", ns, "link", "set", "eth0", "up"]));
        }
        // Anonymous FTP: a root-owned, non-writable anon_root with one file; vsftpd's secure_chroot_dir.
        let anon = lab.dir.join("anon");
        std::fs::create_dir_all(&anon).unwrap();
        std::fs::write(anon.join("hello.txt"), "hello through the firewall\n").unwrap();
        set_mode(&anon, 0o755);
        set_mode(&anon.join("hello.txt"), 0o644);
        std::fs::create_dir_all("/var/run/vsftpd/empty").unwrap();
        run(Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=test", "-days", "1",
            ])
            .arg("-keyout")
            .arg(lab.dir.join("key.pem"))
            .arg("-out")
            .arg(lab.dir.join("cert.pem")));
        lab
    }

    /// Writes a vsftpd config for anonymous downloads; `extra` adds or overrides settings.
    pub(crate) fn config(&self, name: &str, extra: &str) -> PathBuf {
        let path = self.dir.join(name);
        let text = format!(
            "listen=YES\nlisten_ipv6=NO\nbackground=NO\nanonymous_enable=YES\nlocal_enable=NO\nwrite_enable=NO\n\
             anon_root={}\nconnect_from_port_20=YES\nxferlog_enable=NO\nseccomp_sandbox=NO\n{extra}",
            self.dir.join("anon").display()
        );
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The TLS settings for a config.
    fn tls(&self) -> String {
        format!(
            "ssl_enable=YES\nallow_anon_ssl=YES\nforce_anon_data_ssl=NO\nforce_anon_logins_ssl=YES\nrequire_ssl_reuse=NO\n\
             ssl_ciphers=HIGH\nrsa_cert_file={}\nrsa_private_key_file={}\n",
            self.dir.join("cert.pem").display(),
            self.dir.join("key.pem").display()
        )
    }

    pub(crate) fn in_ns(&self, ns: &str, argv: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", ns]).args(argv);
        c
    }

    /// Starts a long-running process in the server namespace (killed on drop, and by `timeout`).
    fn spawn_server(&mut self, argv: &[&str]) {
        let mut full = vec!["timeout", "120"];
        full.extend_from_slice(argv);
        let child = self
            .in_ns(&self.server.clone(), &full)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        self.children.push(child);
    }

    fn start_vsftpd(&mut self, config: &Path) {
        let config = config.display().to_string();
        self.spawn_server(&["/usr/sbin/vsftpd", &config]);
    }

    /// Listeners on ports the firewall must keep closed.
    pub(crate) fn start_decoys(&mut self, ports: &[u16]) {
        let cert = self.dir.join("cert.pem").display().to_string();
        let key = self.dir.join("key.pem").display().to_string();
        for port in ports {
            self.spawn_server(&[
                "openssl",
                "s_server",
                "-quiet",
                "-accept",
                &port.to_string(),
                "-cert",
                &cert,
                "-key",
                &key,
            ]);
        }
    }

    /// curl from the client namespace.
    fn curl(&self, args: &[&str]) -> Output {
        let mut argv = vec!["curl", "-sS"];
        argv.extend_from_slice(args);
        self.in_ns(&self.client, &argv).output().unwrap()
    }

    /// Waits until the FTP server on `port` answers a listing (no firewall yet).
    fn wait_ready(&self, port: u16, tls: bool) {
        self.wait_ready_at(V4, port, tls);
    }

    /// Waits until the FTP server answers a listing at `host` (a URL host).
    fn wait_ready_at(&self, host: &str, port: u16, tls: bool) {
        let url = format!("ftp://{host}:{port}/");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut args = vec!["--max-time", "3", url.as_str()];
            if tls {
                args.extend(["--ssl-reqd", "-k"]);
            }
            let out = self.curl(&args);
            if out.status.success() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "vsftpd on {port} never answered: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            sleep(Duration::from_millis(100));
        }
    }

    /// curl exit codes for a TCP connection to each port, probed in parallel with --max-time 5.
    pub(crate) fn probe(&self, ports: &[u16]) -> Vec<(u16, i32)> {
        self.probe_at(V4, ports)
    }

    /// Like `probe`, at `host` (a URL host).
    fn probe_at(&self, host: &str, ports: &[u16]) -> Vec<(u16, i32)> {
        let children: Vec<(u16, Child)> = ports
            .iter()
            .map(|p| {
                let url = format!("http://{host}:{p}/");
                let child = self
                    .in_ns(
                        &self.client,
                        &["curl", "-s", "-o", "/dev/null", "--max-time", "5", &url],
                    )
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                (*p, child)
            })
            .collect();
        children
            .into_iter()
            .map(|(p, mut c)| (p, c.wait().unwrap().code().unwrap_or(-1)))
            .collect()
    }

    /// Waits until every decoy at `host` accepts connections (no firewall yet): curl then fails on the
    /// protocol, not with "refused" (7) or a timeout (28). Under load `openssl s_server` takes a while.
    pub(crate) fn wait_decoys(&self, host: &str, ports: &[u16]) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let results = self.probe_at(host, ports);
            if results
                .iter()
                .all(|(_, code)| *code != CURL_TIMEOUT && *code != 7)
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "decoys at {host} not reachable without a firewall: {results:?}"
            );
            sleep(Duration::from_millis(200));
        }
    }

    /// Loads rules with `vsconf firewall … --apply` in the server namespace and confirms the trial from a
    /// second invocation, as an operator would; returns the first one's stdout. `--force`: the decoys
    /// listen on ports the rules must close, which the trial would otherwise refuse to cut.
    fn apply(&self, configs: &[&Path], format: &str) -> String {
        let mut cmd = self.in_ns(
            &self.server,
            &[
                env!("CARGO_BIN_EXE_vsconf"),
                "firewall",
                "-q",
                "--format",
                format,
                "--apply",
                "--force",
                "--confirm-within",
                "60s",
            ],
        );
        cmd.args(configs)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().unwrap();
        confirm_trial(self, &self.server);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "--apply failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Loads an nft script in the server namespace.
    pub(crate) fn nft(&self, script: &str) {
        let path = self.dir.join("manual.nft");
        std::fs::write(&path, script).unwrap();
        run(&mut self.in_ns(&self.server, &["nft", "-f", &path.display().to_string()]));
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Every process in the namespaces (vsftpd, its session processes, the decoys, `timeout`), by
        // pid: killing only `timeout` would orphan the vsftpd it started.
        for ns in [&self.server, &self.client] {
            let pids = Command::new("ip")
                .args(["netns", "pids", ns])
                .output()
                .map(|o| o.stdout)
                .unwrap_or_default();
            for pid in String::from_utf8_lossy(&pids).split_whitespace() {
                let _ = Command::new("kill")
                    .args(["-KILL", pid])
                    .stderr(Stdio::null())
                    .status();
            }
        }
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        for ns in [&self.server, &self.client] {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}

/// Runs `vsconf firewall --confirm` in `ns` until a pending trial takes it (the first invocation may still
/// be checking its rules).
pub(crate) fn confirm_trial(lab: &Lab, ns: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = lab
            .in_ns(ns, &[env!("CARGO_BIN_EXE_vsconf"), "firewall", "--confirm"])
            .output()
            .unwrap();
        if out.status.success() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "--confirm never found the trial: {}",
            text(&out)
        );
        sleep(Duration::from_millis(100));
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

pub(crate) fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Plain FTP on 21 (passive 50000–50009) and explicit TLS on 2121 (passive 51000–51009) behind the
/// generated ruleset in `format`: passive listing and download, active listing, both with and without
/// TLS, succeed; the ports just outside both ranges and an unrelated port are closed.
fn plain_and_tls_behind(format: &str, tag: &str) {
    if !tools_present() {
        return;
    }
    let mut lab = Lab::new(tag);
    let plain = lab.config("plain.conf", "pasv_min_port=50000\npasv_max_port=50009\n");
    let tls = lab.config(
        "tls.conf",
        &format!(
            "listen_port=2121\npasv_min_port=51000\npasv_max_port=51009\n{}",
            lab.tls()
        ),
    );
    lab.start_vsftpd(&plain);
    lab.start_vsftpd(&tls);
    let closed = [49999, 50010, 50999, 51010, 8080];
    lab.start_decoys(&closed);
    lab.wait_ready(21, false);
    lab.wait_ready(2121, true);
    // Without a firewall every decoy answers (curl fails on the protocol, not on the connection).
    lab.wait_decoys(V4, &closed);

    let changes = lab.apply(&[&plain, &tls], format);
    assert!(
        changes.contains("+"),
        "--apply printed no change:\n{changes}"
    );

    let list = format!("ftp://{SERVER_IP}/");
    let file = format!("ftp://{SERVER_IP}/hello.txt");
    let tls_list = format!("ftp://{SERVER_IP}:2121/");
    let tls_file = format!("ftp://{SERVER_IP}:2121/hello.txt");
    let tls_args = ["--ssl-reqd", "-k"];

    let out = lab.curl(&["--max-time", "10", "--list-only", &list]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello.txt\n",
        "passive listing\n{}",
        text(&out)
    );
    let out = lab.curl(&["--max-time", "10", &file]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello through the firewall\n",
        "passive download\n{}",
        text(&out)
    );
    let out = lab.curl(&[
        "--max-time",
        "10",
        "--list-only",
        "--ftp-port",
        CLIENT_IP,
        &list,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello.txt\n",
        "active listing\n{}",
        text(&out)
    );

    let out = lab.curl(
        &[
            &tls_args[..],
            &["--max-time", "10", "--list-only", &tls_list],
        ]
        .concat(),
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello.txt\n",
        "TLS passive listing\n{}",
        text(&out)
    );
    let out = lab.curl(&[&tls_args[..], &["--max-time", "10", &tls_file]].concat());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello through the firewall\n",
        "TLS passive download\n{}",
        text(&out)
    );
    // Active mode under TLS: the EPRT command travels encrypted (no helper could read it); the data
    // connection stays clear because curl 7.88.1 hangs on an encrypted active data connection even
    // without any firewall (observed: "Connection accepted from server", then a timeout), hence
    // --ftp-ssl-control here and force_anon_data_ssl=NO in the config.
    let out = lab.curl(&[
        "-k",
        "--ftp-ssl-control",
        "--max-time",
        "10",
        "--list-only",
        "--ftp-port",
        CLIENT_IP,
        &tls_list,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello.txt\n",
        "TLS active listing\n{}",
        text(&out)
    );

    for (port, code) in lab.probe(&closed) {
        assert_eq!(
            code, CURL_TIMEOUT,
            "port {port} must be closed behind the {format} ruleset"
        );
    }
}

#[test]
fn nft_rules_carry_plain_and_tls_ftp_and_close_everything_else() {
    plain_and_tls_behind("nft", "nft");
}

#[test]
fn nft_json_rules_carry_plain_and_tls_ftp_and_close_everything_else() {
    plain_and_tls_behind("nft-json", "json");
}

#[test]
fn iptables_rules_carry_plain_and_tls_ftp_and_close_everything_else() {
    plain_and_tls_behind("iptables", "ipt");
}

/// A ruleset opening only the control port: input policy drop, established/related, port 21.
const ONLY_21: &str = "table inet outage {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\
                       \t\tiif \"lo\" accept\n\t\tct state established,related accept\n\t\ttcp dport 21 accept\n\t}\n}\n";

#[test]
fn only_port_21_reproduces_the_hanging_listing_and_vsconf_rules_fix_it() {
    if !tools_present() {
        return;
    }
    let mut lab = Lab::new("outage");
    let conf = lab.config("plain.conf", "pasv_min_port=50000\npasv_max_port=50009\n");
    lab.start_vsftpd(&conf);
    lab.wait_ready(21, false);
    lab.nft(ONLY_21);
    let list = format!("ftp://{SERVER_IP}/");
    // Login works (the control port is open), the passive data connection hangs.
    let out = lab.curl(&["--max-time", "5", "-v", "--list-only", &list]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(CURL_TIMEOUT), "{}", text(&out));
    assert!(
        err.contains("230 Login successful"),
        "login must succeed before the listing hangs:\n{err}"
    );
    // Replace the outage ruleset with vsconf's.
    lab.nft("delete table inet outage\n");
    lab.apply(&[&conf], "nft");
    let out = lab.curl(&["--max-time", "10", "--list-only", &list]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello.txt\n",
        "{}",
        text(&out)
    );
}

#[test]
fn helper_rules_carry_plaintext_without_a_range_but_the_helper_cannot_carry_tls() {
    if !tools_present() {
        return;
    }
    let mut lab = Lab::new("helper");
    // No passive range: vsftpd draws from 5001-65535 and vsconf relies on the FTP helper.
    let plain = lab.config("plain.conf", "");
    let tls = lab.config("tls.conf", &format!("listen_port=2121\n{}", lab.tls()));
    lab.start_vsftpd(&plain);
    lab.start_vsftpd(&tls);
    lab.wait_ready(21, false);
    lab.wait_ready(2121, true);
    let out = vsconf()
        .args(["firewall", "-q"])
        .arg(&plain)
        .output()
        .unwrap();
    let rules = String::from_utf8(out.stdout).unwrap();
    assert!(rules.contains("ct helper set \"ftp-21\""), "{rules}");
    assert!(
        !rules.contains("5001"),
        "the unpinned range must not be opened:\n{rules}"
    );
    lab.apply(&[&plain], "nft");
    let list = format!("ftp://{SERVER_IP}/");
    for _ in 0..3 {
        let out = lab.curl(&["--max-time", "10", "--list-only", &list]);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "hello.txt\n",
            "passive listing via the helper\n{}",
            text(&out)
        );
    }
    // The same kind of helper in front of the TLS server: the encrypted PASV/EPSV reply is invisible to
    // it, so the data connection is never expected and the listing hangs. vsconf refuses this config.
    lab.nft(
        "delete table inet vsconf\ntable inet tlsgate {\n\tct helper ftp-2121 { type \"ftp\" protocol tcp; }\n\
         \tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tiif \"lo\" accept\n\
         \t\tct state established,related accept\n\t\ttcp dport 2121 ct helper set \"ftp-2121\"\n\
         \t\ttcp dport 2121 accept\n\t}\n}\n",
    );
    let out = lab.curl(&[
        "--max-time",
        "5",
        "-v",
        "--ssl-reqd",
        "-k",
        "--list-only",
        &format!("ftp://{SERVER_IP}:2121/"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(CURL_TIMEOUT),
        "TLS passive listing through the helper must hang\n{}",
        text(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("230 Login successful"),
        "{}",
        text(&out)
    );
    let refused = vsconf().args(["firewall"]).arg(&tls).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
}

/// A dual-stack server (`listen_ipv6=YES`, Linux takes IPv4 on the same socket) answering on both
/// 198.51.100.1 and 2001:db8::1.
fn dual_stack_lab(tag: &str) -> (Lab, PathBuf, PathBuf) {
    let mut lab = Lab::new(tag);
    let range = "pasv_min_port=50000\npasv_max_port=50009\n";
    let dual = lab.config("dual.conf", &format!("listen=NO\nlisten_ipv6=YES\n{range}"));
    // The same server as an IPv4-only config would describe it.
    let v4_only = lab.config("v4.conf", range);
    lab.start_vsftpd(&dual);
    lab.start_decoys(&[50010, 8080]);
    lab.wait_ready_at(V4, 21, false);
    lab.wait_ready_at(V6, 21, false);
    for host in [V4, V6] {
        lab.wait_decoys(host, &[50010, 8080]);
    }
    (lab, dual, v4_only)
}

fn listing_at(lab: &Lab, host: &str) -> Output {
    lab.curl(&["--max-time", "5", "--list-only", &format!("ftp://{host}/")])
}

#[test]
fn dual_stack_needs_ipv6_rules_too_and_nft_gives_both() {
    if !tools_present() {
        return;
    }
    let (lab, dual, v4_only) = dual_stack_lab("dual-nft");
    // Rules derived as if the server were IPv4-only: IPv4 works, IPv6 clients are locked out.
    lab.apply(&[&v4_only], "nft");
    assert_eq!(
        String::from_utf8_lossy(&listing_at(&lab, V4).stdout),
        "hello.txt\n"
    );
    let out = listing_at(&lab, V6);
    assert_eq!(
        out.status.code(),
        Some(CURL_TIMEOUT),
        "IPv6 must be closed by IPv4-only rules\n{}",
        text(&out)
    );
    // The dual-stack config's rules carry both.
    lab.apply(&[&dual], "nft");
    for host in [V4, V6] {
        let out = listing_at(&lab, host);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "hello.txt\n",
            "{host}\n{}",
            text(&out)
        );
        for (port, code) in lab.probe_at(host, &[50010, 8080]) {
            assert_eq!(code, CURL_TIMEOUT, "{host}:{port} must be closed");
        }
    }
}

#[test]
fn dual_stack_with_iptables_needs_the_ip6tables_half() {
    if !(tools_present() && require("ip6tables-restore", "iptables", true)) {
        return;
    }
    let (lab, dual, _) = dual_stack_lab("dual-ipt");
    lab.apply(&[&dual], "iptables");
    assert_eq!(
        String::from_utf8_lossy(&listing_at(&lab, V4).stdout),
        "hello.txt\n"
    );
    for (port, code) in lab.probe_at(V4, &[50010, 8080]) {
        assert_eq!(code, CURL_TIMEOUT, "IPv4 port {port} must be closed");
    }
    lab.apply(&[&dual], "ip6tables");
    let out = listing_at(&lab, V6);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello.txt\n",
        "{}",
        text(&out)
    );
    for (port, code) in lab.probe_at(V6, &[50010, 8080]) {
        assert_eq!(code, CURL_TIMEOUT, "IPv6 port {port} must be closed");
    }
}

#[test]
fn helper_rules_in_nft_json_and_iptables_carry_plaintext_without_a_range() {
    if !tools_present() {
        return;
    }
    let mut lab = Lab::new("helper2");
    let plain = lab.config("plain.conf", "");
    lab.start_vsftpd(&plain);
    lab.wait_ready(21, false);
    let list = format!("ftp://{SERVER_IP}/");
    for (format, undo) in [
        ("nft-json", "nft delete table inet vsconf"),
        (
            "iptables",
            "iptables -P INPUT ACCEPT && iptables -F && iptables -t raw -F",
        ),
    ] {
        // The rules open no data port (see the test above), so each listing's data connection can only
        // come in as related, i.e. through the helper.
        let out = lab.curl(&["--max-time", "10", "--list-only", &list]);
        assert!(
            out.status.success(),
            "{format}: no firewall yet\n{}",
            text(&out)
        );
        lab.apply(&[&plain], format);
        for _ in 0..3 {
            let out = lab.curl(&["--max-time", "10", "--list-only", &list]);
            assert_eq!(
                String::from_utf8_lossy(&out.stdout),
                "hello.txt\n",
                "{format}\n{}",
                text(&out)
            );
        }
        run(&mut lab.in_ns(&lab.server, &["sh", "-c", undo]));
    }
}
