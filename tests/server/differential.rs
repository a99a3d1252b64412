//! Differential honesty: the same scripted session (`session.py`) against the real vsftpd
//! (`/usr/sbin/vsftpd`, debian-3.0.3) and against `vsconf serve` on the same config, each in a network
//! namespace of its own with identical served trees. Replies (codes and texts), transferred data and the
//! active-mode source ports must be identical, and every passive port both servers chose must lie in the
//! range vsftpd's rule gives for the config.

use std::fmt::Write as _;

use crate::support::{Fixture, Netns, Observed, real_vsftpd, require, run_session, serve_args};

/// Shared by every case: a standalone IPv4 listener on 2121 serving the fixture's root anonymously.
const BASE: &str = "listen=YES\nlisten_port=2121\nanonymous_enable=YES\nanon_root=@DIR@/root\n";

/// A certificate for the TLS cases.
const TLS: &str =
    "ssl_enable=YES\nrsa_cert_file=@DIR@/cert.pem\nrsa_private_key_file=@DIR@/key.pem\n";

/// Log in anonymously.
const ANON: &str = r#"["read"],["cmd","USER anonymous"],["cmd","PASS x@example.com"]"#;

struct Case {
    name: &'static str,
    /// Settings added to `BASE` (a later line wins in vsftpd, so cases may override it).
    conf: String,
    /// The session steps, without the enclosing brackets.
    steps: String,
    /// The passive range vsftpd's rule gives (inclusive).
    range: (u16, u16),
}

fn case(name: &'static str, conf: &str, steps: &str) -> Case {
    Case {
        name,
        conf: conf.to_owned(),
        steps: steps.to_owned(),
        range: (5001, 65535),
    }
}

fn ranged(name: &'static str, conf: &str, range: (u16, u16)) -> Case {
    // Twelve PASV/EPSV choices plus one transfer through a chosen port.
    let mut steps = ANON.to_owned();
    for _ in 0..6 {
        steps.push_str(r#",["cmd","PASV"],["cmd","EPSV"]"#);
    }
    steps.push_str(r#",["data","NLST","pasv",null]"#);
    Case {
        name,
        conf: conf.to_owned(),
        steps,
        range,
    }
}

/// Runs one case on both servers; returns a description of every difference.
fn run(real_fx: &Fixture, ours_fx: &Fixture, c: &Case) -> Option<String> {
    let text = format!("{BASE}{}", c.conf);
    let steps = format!("[{}]", c.steps);
    let file = format!("{}.conf", c.name);
    let real_ns = Netns::new("vscsrv-r");
    let _real = real_vsftpd(&real_ns, real_fx, &real_fx.config(&file, &text));
    let real = run_session(Some(&real_ns.0), "127.0.0.1", 2121, &steps);
    let ours_ns = Netns::new("vscsrv-o");
    let _ours = match serve_args(
        ours_fx,
        &ours_fx.config(&file, &text),
        Some(&ours_ns.0),
        &[],
    ) {
        Ok(s) => s,
        Err(e) => return Some(format!("{}: vsconf serve did not start: {e}", c.name)),
    };
    let ours = run_session(Some(&ours_ns.0), "127.0.0.1", 2121, &steps);
    compare(c, &redact(real, real_fx), &redact(ours, ours_fx))
}

/// The fixture directories differ between the two sides: replies name them as `@DIR@`.
fn redact(mut o: Observed, fx: &Fixture) -> Observed {
    let dir = fx.dir.path().display().to_string();
    for line in o.replies.iter_mut().flatten() {
        *line = line.replace(&dir, "@DIR@");
    }
    // When vsftpd's session process dies with an OOPS, its privileged parent races the closing socket
    // to add `500 OOPS: priv_sock_get_cmd`: the same config shows the line in one run and a closed
    // connection in the next. The embedded server always sends it; after an OOPS both forms count as
    // the same observation.
    let mut kept: Vec<Vec<String>> = Vec::new();
    for r in o.replies {
        let after_oops = kept
            .last()
            .is_some_and(|l| l.first().is_some_and(|f| f.starts_with("500 OOPS: ")));
        let trailer = r == ["500 OOPS: priv_sock_get_cmd"] || r == ["<closed>"];
        if !(after_oops && trailer) {
            kept.push(r);
        }
    }
    o.replies = kept;
    o
}

fn compare(c: &Case, real: &Observed, ours: &Observed) -> Option<String> {
    let mut out = String::new();
    let n = real.replies.len().max(ours.replies.len());
    for i in 0..n {
        let (r, o) = (real.replies.get(i), ours.replies.get(i));
        if r != o {
            let _ = writeln!(out, "  reply {i}: vsftpd {r:?}\n           vsconf {o:?}");
        }
    }
    if real.data != ours.data {
        let _ = writeln!(
            out,
            "  data: vsftpd {:?} / vsconf {:?}",
            real.data, ours.data
        );
    }
    if real.data_source_ports != ours.data_source_ports
        && !(real.data_source_ports.iter().all(|p| *p >= 32768)
            && ours.data_source_ports.iter().all(|p| *p >= 32768)
            && real.data_source_ports.len() == ours.data_source_ports.len())
    {
        let _ = writeln!(
            out,
            "  active source ports: vsftpd {:?} / vsconf {:?}",
            real.data_source_ports, ours.data_source_ports
        );
    }
    let (lo, hi) = c.range;
    for (who, ports) in [("vsftpd", &real.ports), ("vsconf", &ours.ports)] {
        if let Some(p) = ports.iter().find(|p| **p < lo || **p > hi) {
            let _ = writeln!(
                out,
                "  {who} chose passive port {p} outside {lo}-{hi}: {ports:?}"
            );
        }
    }
    if real.ports.len() != ours.ports.len() {
        let _ = writeln!(
            out,
            "  passive replies: vsftpd {} / vsconf {}",
            real.ports.len(),
            ours.ports.len()
        );
    }
    (!out.is_empty()).then(|| format!("{}:\n{out}", c.name))
}

fn check(group: &str, cases: &[Case]) {
    if !require("/usr/sbin/vsftpd", "vsftpd", true) || !require("openssl", "openssl", false) {
        return;
    }
    let real_fx = Fixture::new(&format!("{group}-real"));
    let ours_fx = Fixture::new(&format!("{group}-ours"));
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run(&real_fx, &ours_fx, c))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn differential_greetings_and_logins() {
    let browse = format!(
        r#"{ANON},["cmd","SYST"],["cmd","FEAT"],["cmd","PWD"],["cmd","TYPE I"],["cmd","SIZE file.txt"],["cmd","MDTM old.txt"],["cmd","CWD sub"],["cmd","PWD"],["cmd","CDUP"],["cmd","CWD nowhere"],["cmd","XYZZY"],["cmd","STAT"],["cmd","HELP"],["cmd","NOOP"],["cmd","QUIT"]"#
    );
    let cases = [
        case("default", "", &browse),
        case(
            "ftpd-banner",
            "ftpd_banner=Welcome to the test server.\n",
            r#"["read"]"#,
        ),
        case(
            "banner-file",
            "banner_file=@DIR@/banner.txt\n",
            r#"["read"],["cmd","NOOP"]"#,
        ),
        case(
            "banner-file-newline",
            "banner_file=@DIR@/banner-nl.txt\nftpd_banner=ignored\n",
            r#"["read"],["cmd","NOOP"]"#,
        ),
        case(
            "banner-file-blank-line",
            "banner_file=@DIR@/banner-blank.txt\n",
            r#"["read"]"#,
        ),
        case(
            "banner-file-missing",
            "banner_file=@DIR@/missing.txt\n",
            r#"["read"]"#,
        ),
        case(
            "anonymous-off",
            "anonymous_enable=NO\nlocal_enable=YES\nchroot_local_user=YES\ndelay_failed_login=0\n",
            r#"["read"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","USER ftp"],["cmd","PASS x"],["cmd","LIST"]"#,
        ),
        case(
            "both-off",
            "anonymous_enable=NO\nlocal_enable=NO\n",
            r#"["read"]"#,
        ),
        case(
            "no-anon-password",
            "no_anon_password=YES\n",
            r#"["read"],["cmd","USER anonymous"],["cmd","PWD"],["cmd","PASS x"]"#,
        ),
        case(
            "force-dot-files",
            "force_dot_files=YES\n",
            &format!(
                r#"{ANON},["data","NLST","pasv",null],["data","LIST -a","pasv",null],["data","NLST *","pasv",null]"#
            ),
        ),
        case(
            "local-wrong-password",
            "local_enable=YES\nchroot_local_user=YES\ndelay_failed_login=0\n",
            r#"["read"],["cmd","USER nosuchuser"],["cmd","PASS wrong"],["cmd","PASS again"],["cmd","USER anonymous"],["cmd","PASS x"]"#,
        ),
        case(
            "max-login-fails",
            "local_enable=YES\nchroot_local_user=YES\ndelay_failed_login=0\nmax_login_fails=2\n",
            r#"["read"],["cmd","USER nosuchuser"],["cmd","PASS a"],["cmd","USER nosuchuser"],["cmd","PASS b"],["cmd","NOOP"]"#,
        ),
        case(
            "before-login",
            "",
            r#"["read"],["cmd","PASV"],["cmd","LIST"],["cmd","RETR file.txt"],["cmd","CWD sub"],["cmd","FEAT"],["cmd","PASS x"],["cmd","USER"],["cmd","PASS x"],["cmd","TYPE Z"],["cmd","NOOP x"],["cmd","QUIT"]"#,
        ),
        case(
            "dirmessage",
            "dirmessage_enable=YES\n",
            &format!(
                r#"{ANON},["cmd","CWD sub"],["cmd","CWD /"],["cmd","CWD sub"],["cmd","CDUP"],["cmd","CWD nowhere"]"#
            ),
        ),
        case(
            "dirmessage-off",
            "dirmessage_enable=NO\n",
            &format!(r#"{ANON},["cmd","CWD sub"]"#),
        ),
        case(
            "userlist-denies-listed",
            "local_enable=YES\nchroot_local_user=YES\ndelay_failed_login=0\nuserlist_enable=YES\nuserlist_file=@DIR@/userlist.txt\n",
            r#"["read"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","USER nosuchuser"],["cmd","PASS x"]"#,
        ),
        case(
            "userlist-unreadable",
            "local_enable=YES\nchroot_local_user=YES\nuserlist_enable=YES\nuserlist_file=@DIR@/missing-list\n",
            r#"["read"]"#,
        ),
        case(
            "userlist-allow-without-local",
            "userlist_enable=YES\nuserlist_deny=NO\nuserlist_file=@DIR@/userlist.txt\n",
            r#"["read"],["cmd","USER anonymous"],["cmd","PASS x"]"#,
        ),
        case(
            "listen-address",
            "listen_address=127.0.0.1\nhide_ids=YES\n",
            &format!(r#"{ANON},["data","LIST","pasv",null],["data","LIST -a sub","pasv",null]"#),
        ),
    ];
    check("dlogin", &cases);
}

#[test]
fn differential_passive_ports() {
    let cases = [
        ranged("pasv-unset", "", (5001, 65535)),
        ranged(
            "pasv-zero-zero",
            "pasv_min_port=0\npasv_max_port=0\n",
            (1024, 65535),
        ),
        ranged(
            "pasv-pinned",
            "pasv_min_port=50000\npasv_max_port=50009\n",
            (50000, 50009),
        ),
        ranged("pasv-min-only", "pasv_min_port=50000\n", (50000, 65535)),
        ranged("pasv-max-only", "pasv_max_port=50000\n", (5001, 50000)),
        ranged(
            "pasv-max-below-default-min",
            "pasv_max_port=5000\n",
            (5001, 65535),
        ),
        ranged(
            "pasv-min-above-max",
            "pasv_min_port=60000\npasv_max_port=50000\n",
            (60000, 65535),
        ),
        ranged(
            "pasv-one-port",
            "pasv_min_port=50000\npasv_max_port=50000\n",
            (50000, 50000),
        ),
        ranged(
            "pasv-low-min",
            "pasv_min_port=1000\npasv_max_port=1030\n",
            (1024, 1030),
        ),
        ranged(
            "pasv-octal",
            "pasv_min_port=0141500\npasv_max_port=0141510\n",
            (49984, 49992),
        ),
        case(
            "pasv-address",
            "pasv_address=192.0.2.7\n",
            &format!(r#"{ANON},["cmd","PASV"],["cmd","EPSV"]"#),
        ),
        case(
            "pasv-address-short",
            "pasv_address=10.1\n",
            &format!(r#"{ANON},["cmd","PASV"]"#),
        ),
        case(
            "pasv-address-invalid",
            "pasv_address=bogus\n",
            &format!(r#"{ANON},["cmd","EPSV"],["cmd","PASV"],["cmd","NOOP"]"#),
        ),
        case(
            "pasv-disabled",
            "pasv_enable=NO\n",
            &format!(
                r#"{ANON},["cmd","FEAT"],["cmd","PASV"],["cmd","EPSV"],["data","NLST","port",null]"#
            ),
        ),
        case(
            "epsv-variants",
            "",
            &format!(
                r#"{ANON},["cmd","EPSV 2"],["cmd","EPSV 1"],["cmd","EPSV ALL"],["cmd","PASV"],["cmd","PORT 127,0,0,1,200,1"],["data","NLST","epsv",null]"#
            ),
        ),
        case(
            "listen-ipv6",
            "listen=NO\nlisten_ipv6=YES\n",
            &format!(
                r#"{ANON},["cmd","PASV"],["cmd","EPSV"],["data","NLST","pasv",null],["data","NLST","epsv",null],["data","NLST","port",null]"#
            ),
        ),
        case(
            "listen-ipv6-pasv-address",
            "listen=NO\nlisten_ipv6=YES\npasv_address=192.0.2.7\n",
            &format!(r#"{ANON},["cmd","PASV"]"#),
        ),
        case(
            "pasv-other-ip",
            "",
            &format!(r#"{ANON},["data_from","NLST","127.0.0.2"],["cmd","NOOP"]"#),
        ),
        case(
            "pasv-promiscuous",
            "pasv_promiscuous=YES\n",
            &format!(r#"{ANON},["data_from","NLST","127.0.0.2"],["cmd","NOOP"]"#),
        ),
        case(
            "accept-timeout",
            "accept_timeout=1\n",
            &format!(r#"{ANON},["cmd","PASV"],["cmd","LIST"],["cmd","NOOP"]"#),
        ),
    ];
    check("dpasv", &cases);
}

#[test]
fn differential_active_mode_and_permissions() {
    // listing-patterns first: later cases upload into up/ and change its time.
    let cases = [
        case(
            "listing-patterns",
            "",
            &format!(
                r#"{ANON},["data","NLST *.txt","pasv",null],["data","NLST ?ile.txt","pasv",null],["data","NLST {{file,old}}.txt","pasv",null],["data","NLST link","pasv",null],["data","NLST sub/new.txt","pasv",null],["data","NLST new.txt","pasv",null],["data","LIST sub/new.txt","pasv",null],["data","NLST nothing/x","pasv",null],["data","LIST /sub","pasv",null],["data","NLST /sub","pasv",null],["data","NLST sub/","pasv",null],["data","LIST -l","pasv",null],["data","NLST -a","pasv",null],["data","LIST -r","pasv",null],["data","NLST *","pasv",null],["data","NLST .hidden","pasv",null],["cmd","STAT *.txt"],["data","LIST private","pasv",null],["data","NLST private/inside.txt","pasv",null],["cmd","CWD private"],["cmd","STAT private"]"#
            ),
        ),
        case(
            "port-default",
            "",
            &format!(
                r#"{ANON},["data","NLST","port",null],["data","RETR file.txt","eprt",null],["cmd","PORT 127,0,0,2,200,10"],["cmd","PORT 127,0,0,1,0,80"],["cmd","EPRT |2|::1|5000|"],["cmd","EPRT |1|127.0.0.2|5000|"]"#
            ),
        ),
        case(
            "port-disabled",
            "port_enable=NO\n",
            &format!(
                r#"{ANON},["cmd","FEAT"],["cmd","PORT 127,0,0,1,200,1"],["cmd","EPRT |1|127.0.0.1|51201|"]"#
            ),
        ),
        case(
            "connect-from-port-20",
            "connect_from_port_20=YES\n",
            &format!(r#"{ANON},["data","NLST","port",null]"#),
        ),
        case(
            "ftp-data-port",
            "connect_from_port_20=YES\nftp_data_port=2020\n",
            &format!(r#"{ANON},["data","NLST","port",null],["data","RETR file.txt","eprt",null]"#),
        ),
        case(
            "ftp-data-port-wraps",
            "connect_from_port_20=YES\nftp_data_port=70000\n",
            &format!(r#"{ANON},["data","NLST","port",null]"#),
        ),
        case(
            "dirlist-off",
            "dirlist_enable=NO\n",
            &format!(
                r#"{ANON},["data","LIST","pasv",null],["data","NLST","pasv",null],["data","RETR file.txt","pasv",null],["cmd","STAT ."]"#
            ),
        ),
        case(
            "download-off",
            "download_enable=NO\n",
            &format!(
                r#"{ANON},["data","RETR file.txt","pasv",null],["data","NLST","pasv",null],["cmd","SIZE file.txt"]"#
            ),
        ),
        case(
            "write-off",
            "",
            &format!(
                r#"{ANON},["data","STOR up/w.txt","pasv","x"],["cmd","MKD up/d"],["cmd","DELE file.txt"],["cmd","RNFR file.txt"],["cmd","SITE CHMOD 600 file.txt"]"#
            ),
        ),
        case(
            "write-on-upload-off",
            "write_enable=YES\n",
            &format!(
                r#"{ANON},["data","STOR up/w.txt","pasv","x"],["cmd","MKD up/d"],["cmd","DELE file.txt"]"#
            ),
        ),
        case(
            "anon-upload",
            "write_enable=YES\nanon_upload_enable=YES\n",
            &format!(
                r#"{ANON},["data","STOR up/anon-up.txt","pasv","uploaded"],["data","RETR up/anon-up.txt","pasv",null],["data","STOR up/anon-up.txt","pasv","again"],["data","STOR root.txt","pasv","x"],["cmd","MKD up/d"],["cmd","DELE up/anon-up.txt"]"#
            ),
        ),
        case(
            "anon-world-readable-off",
            "write_enable=YES\nanon_upload_enable=YES\nanon_world_readable_only=NO\n",
            &format!(
                r#"{ANON},["data","STOR up/mine.txt","pasv","mine"],["data","RETR up/mine.txt","pasv",null],["data","RETR secret.txt","pasv",null]"#
            ),
        ),
        case(
            "anon-mkdir",
            "write_enable=YES\nanon_mkdir_write_enable=YES\n",
            &format!(r#"{ANON},["cmd","MKD up/made"],["cmd","MKD up/made"],["cmd","RMD up/made"]"#),
        ),
        case(
            "port-promiscuous-low-port",
            "port_promiscuous=YES\n",
            &format!(
                r#"{ANON},["cmd","PORT 127,0,0,2,200,10"],["cmd","PORT 127,0,0,1,0,80"],["cmd","LIST"],["cmd","NOOP"]"#
            ),
        ),
        case(
            "writable-anon-root",
            "anon_root=@DIR@/root/up\n",
            &format!(r#"{ANON},["cmd","NOOP"]"#),
        ),
        case(
            "file-operations",
            "write_enable=YES\nanon_upload_enable=YES\nanon_other_write_enable=YES\nanon_mkdir_write_enable=YES\n",
            &format!(
                r#"{ANON},["data","STOR up/ops.txt","pasv","0123456789"],["cmd","REST 4"],["data","RETR up/ops.txt","pasv",null],["data","APPE up/ops.txt","pasv","abc"],["cmd","SIZE up/ops.txt"],["cmd","RNFR up/ops.txt"],["cmd","RNTO up/ops2.txt"],["cmd","RNTO up/x"],["cmd","MKD up/dir"],["cmd","CWD up/dir"],["cmd","PWD"],["cmd","CDUP"],["cmd","RMD dir"],["cmd","SITE CHMOD 600 ops2.txt"],["cmd","SITE UMASK"],["cmd","SITE HELP"],["cmd","DELE ops2.txt"],["cmd","DELE ops2.txt"],["cmd","CWD /"],["data","LIST file.txt","pasv",null],["data","LIST -a sub","pasv",null],["data","NLST nothing","pasv",null],["cmd","STAT file.txt"],["cmd","MDTM file.txt"],["cmd","TYPE A"],["cmd","TYPE L 8"],["cmd","MODE S"],["cmd","STRU F"],["cmd","ALLO 10"],["cmd","ACCT x"],["cmd","SMNT x"],["cmd","REIN"],["cmd","STOU"],["cmd","TYPE I"],["cmd","REST 4"],["data","RETR up/ops.txt","pasv",null],["cmd","CWD up"],["data","STOU","pasv","1"],["data","STOU","pasv","2"],["data","STOU u.txt","pasv","3"],["data","STOU u.txt","pasv","4"],["cmd","CWD /"]"#
            ),
        ),
        case(
            "unreadable-file",
            "",
            &format!(
                r#"{ANON},["data","RETR secret.txt","pasv",null],["cmd","SIZE secret.txt"],["data","RETR nothing.txt","pasv",null]"#
            ),
        ),
    ];
    check("dactive", &cases);
}

#[test]
fn differential_tls_limits_and_timeouts() {
    let cases = [
        case(
            "tls-feat",
            TLS,
            r#"["read"],["cmd","FEAT"],["cmd","PBSZ 0"],["cmd","PROT P"]"#,
        ),
        case(
            "tls-anon-refused",
            TLS,
            r#"["read"],["tls"],["cmd","USER anonymous"]"#,
        ),
        case(
            "tls-anon-allowed",
            &format!("{TLS}allow_anon_ssl=YES\n"),
            r#"["read"],["tls"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","PBSZ 0"],["cmd","PROT P"],["tlsdata",true],["data","NLST","pasv",null],["data","RETR file.txt","epsv",null]"#,
        ),
        case(
            "tls-anon-data-forced",
            &format!("{TLS}allow_anon_ssl=YES\nforce_anon_data_ssl=YES\n"),
            r#"["read"],["tls"],["cmd","USER anonymous"],["cmd","PASS x"],["data","NLST","pasv",null],["cmd","PROT C"]"#,
        ),
        case(
            "tls-local-login-forced",
            &format!("{TLS}local_enable=YES\nchroot_local_user=YES\n"),
            r#"["read"],["cmd","USER bob"],["cmd","USER anonymous"],["cmd","PASS x"],["data","NLST","pasv",null]"#,
        ),
        case(
            "tls-anon-login-forced",
            &format!("{TLS}allow_anon_ssl=YES\nforce_anon_logins_ssl=YES\n"),
            r#"["read"],["cmd","USER anonymous"],["cmd","PASS x"]"#,
        ),
        case(
            "max-clients",
            "max_clients=1\n",
            r#"["read"],["second"],["cmd","NOOP"]"#,
        ),
        case(
            "max-per-ip",
            "max_per_ip=1\n",
            r#"["read"],["second"],["cmd","NOOP"]"#,
        ),
        case(
            "tls-implicit",
            &format!("{TLS}implicit_ssl=YES\nallow_anon_ssl=YES\n"),
            r#"["implicit_tls"],["read"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","PBSZ 0"],["cmd","PROT P"],["tlsdata",true],["data","NLST","pasv",null]"#,
        ),
        case(
            "tls-session-reuse-required",
            &format!("{TLS}allow_anon_ssl=YES\n"),
            r#"["read"],["tls"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","PBSZ 0"],["cmd","PROT P"],["tlsdata_noreuse"],["data","NLST","pasv",null],["cmd","NOOP"]"#,
        ),
        case(
            "tls-session-reuse-off",
            &format!("{TLS}allow_anon_ssl=YES\nrequire_ssl_reuse=NO\n"),
            r#"["read"],["tls"],["cmd","USER anonymous"],["cmd","PASS x"],["cmd","PBSZ 0"],["cmd","PROT P"],["tlsdata_noreuse"],["data","NLST","pasv",null],["cmd","NOOP"]"#,
        ),
        case(
            "data-timeout",
            "write_enable=YES\nanon_upload_enable=YES\ndata_connection_timeout=1\n",
            &format!(r#"{ANON},["data_stall","STOR up/stall.txt",5],["cmd","NOOP"]"#),
        ),
        case(
            "idle-timeout",
            "idle_session_timeout=1\n",
            &format!(r#"{ANON},["sleep",4]"#),
        ),
    ];
    check("dtls", &cases);
}

/// Log in as the local user `bob` (see `support::real_vsftpd`; the embedded server reads the users file).
const BOB: &str = r#"["read"],["cmd","USER bob"],["cmd","PASS secret"]"#;

#[test]
fn differential_local_users() {
    // chroot_local_user=YES: bob's home is the served root, so both servers show it as `/`.
    let local = "local_enable=YES\nchroot_local_user=YES\ndelay_failed_login=0\n";
    let cases = [
        case(
            "local-read-only",
            local,
            &format!(
                r#"{BOB},["cmd","PWD"],["cmd","STAT"],["data","NLST","pasv",null],["data","RETR file.txt","port",null],["data","RETR secret.txt","pasv",null],["data","STOR up/bob.txt","pasv","x"],["cmd","MKD up/d"],["cmd","SITE CHMOD 600 file.txt"],["cmd","SITE HELP"],["cmd","CWD up"],["cmd","CWD /"],["data","LIST private","pasv",null],["cmd","CWD private"],["data","RETR private/inside.txt","pasv",null],["cmd","USER ftp"]"#
            ),
        ),
        case(
            "local-wrong-password",
            local,
            r#"["read"],["cmd","USER bob"],["cmd","PASS nope"],["cmd","USER bob"],["cmd","PASS secret"],["cmd","PWD"]"#,
        ),
        case(
            "local-write",
            &format!("{local}write_enable=YES\n"),
            &format!(
                r#"{BOB},["cmd","TYPE I"],["data","STOR up/bob.txt","pasv","0123456789"],["data","APPE up/bob.txt","pasv","abc"],["cmd","SIZE up/bob.txt"],["cmd","REST 5"],["data","RETR up/bob.txt","pasv",null],["data","STOR up/bob.txt","pasv","over"],["cmd","RNFR up/bob.txt"],["cmd","RNTO up/bob2.txt"],["cmd","SITE CHMOD 640 up/bob2.txt"],["cmd","SITE CHMOD 999 up/bob2.txt"],["cmd","SITE UMASK"],["cmd","SITE UMASK 027"],["cmd","SITE UMASK"],["cmd","MKD up/bd"],["cmd","RMD up/bd"],["cmd","DELE up/bob2.txt"],["cmd","DELE up/bob2.txt"],["data","STOR file.txt","pasv","x"],["cmd","MKD newdir"]"#
            ),
        ),
        case(
            "local-chmod-off",
            &format!("{local}write_enable=YES\nchmod_enable=NO\n"),
            &format!(r#"{BOB},["cmd","SITE CHMOD 600 up"],["cmd","SITE HELP"]"#),
        ),
        case(
            "local-anonymous-off",
            &format!("{local}anonymous_enable=NO\n"),
            &format!(r#"{BOB},["cmd","PWD"],["cmd","USER anonymous"]"#),
        ),
        case(
            "local-tls",
            &format!("{local}{TLS}"),
            r#"["read"],["cmd","USER bob"],["tls"],["cmd","USER bob"],["cmd","PASS secret"],["data","NLST","pasv",null],["cmd","PBSZ 0"],["cmd","PROT P"],["tlsdata",true],["data","NLST","pasv",null],["data","RETR file.txt","port",null],["cmd","STAT"]"#,
        ),
        case(
            "local-tls-data-optional",
            &format!("{local}{TLS}force_local_data_ssl=NO\n"),
            r#"["read"],["tls"],["cmd","USER bob"],["cmd","PASS secret"],["data","NLST","pasv",null]"#,
        ),
        case(
            "local-tls-login-optional",
            &format!("{local}{TLS}force_local_logins_ssl=NO\nforce_local_data_ssl=NO\n"),
            r#"["read"],["cmd","USER bob"],["cmd","PASS secret"],["data","NLST","pasv",null]"#,
        ),
    ];
    check("dlocal", &cases);
}
