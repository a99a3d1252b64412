//! The behaviour claims in the setting notes (`src/setting_docs/notes.rs`, shown by `vsconf explain`)
//! that name a binary as their evidence, re-run against that binary: each case starts the real vsftpd
//! standalone in its own network and pid namespace, talks FTP to it over loopback and checks the
//! transcript. Each case also checks that the page still makes the claim, so the note and its evidence
//! cannot drift apart.

use std::path::Path;
use std::process::Command;

use super::support::{require, scratch};

const DEBIAN_303: &str = "/usr/sbin/vsftpd";
const UPSTREAM_305: &str = "/opt/vsconf-ci/vsftpd-upstream-3.0.5/vsftpd";

/// The FTP client run inside the namespace: `DATA:CMD` opens a PASV connection first and prints what
/// arrives on it; `SLEEP:N` waits N seconds and prints the next reply.
const CLIENT: &str = r#"
import socket, sys, re, time
s = socket.create_connection(('127.0.0.1', 2121), timeout=5)
f = s.makefile('rb')
def reply():
    out = []
    while True:
        l = f.readline()
        if not l:
            out.append('<eof>'); break
        out.append(l.decode('latin1').rstrip())
        if len(l) > 3 and l[3:4] == b' ' and l[:3].isdigit(): break
    return ' | '.join(out)
print('greeting ->', reply())
for c in sys.argv[1:]:
    if c.startswith('TLS:'):
        import ssl
        sni = c[4:] or None
        s.sendall(b'AUTH TLS\r\n'); print('AUTH TLS ->', reply())
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        t = ctx.wrap_bio(inc, out, server_hostname=sni)
        result = 'handshake failed'
        for _ in range(20):
            try:
                t.do_handshake(); result = 'handshake ok'; break
            except ssl.SSLWantReadError:
                s.sendall(out.read())
                data = s.recv(65536)
                if not data: result = 'closed'; break
                if data.startswith(b'500'):
                    # vsftpd may write `500 OOPS: ` and its text in two pieces: read the whole line.
                    while not data.endswith(b'\n'):
                        more = s.recv(65536)
                        if not more: break
                        data += more
                    result = data.decode('latin1').strip(); break
                inc.write(data)
            except ssl.SSLError as e:
                result = 'handshake failed: ' + e.reason; break
        print(c, '->', result); break
    if c.startswith('SLEEP:'):
        time.sleep(float(c[6:])); print(c, '->', reply()); continue
    if c.startswith('DATA:'):
        c = c[5:]
        s.sendall(b'PASV\r\n')
        n = list(map(int, re.search(r'\((.*)\)', reply()).group(1).split(',')))
        d = socket.create_connection(('127.0.0.1', n[4] * 256 + n[5]), timeout=5)
        s.sendall(c.encode() + b'\r\n'); first = reply()
        if not first.startswith('150'):
            print(c, '->', first); continue
        data = b''
        while True:
            b = d.recv(65536)
            if not b: break
            data += b
        print(c, '->', first, '| data', repr(data), '|', reply()); continue
    s.sendall(c.encode() + b'\r\n'); print(c, '->', reply())
"#;

/// Runs `build` standalone on `config` (plus the lines every case needs) and the client with
/// `commands`; returns the transcript.
fn session(build: &str, dir: &Path, config: &str, commands: &[&str]) -> String {
    let anon = dir.join("anon");
    std::fs::create_dir_all(anon.join("sub")).expect("anon root");
    std::fs::write(anon.join("lf.txt"), b"a\nb\n").expect("file");
    std::fs::write(anon.join("sub/.message"), b"Welcome to sub\n").expect("message");
    std::fs::write(dir.join("banner.txt"), b"Hello from the file\n").expect("banner");
    let conf = dir.join("t.conf");
    std::fs::write(
        &conf,
        format!(
            "listen=YES\nlisten_port=2121\nanonymous_enable=YES\nseccomp_sandbox=NO\nanon_root={}\n{config}",
            anon.display()
        ),
    )
    .expect("config");
    std::fs::write(dir.join("client.py"), CLIENT).expect("client");
    std::fs::create_dir_all("/var/run/vsftpd/empty").expect("secure_chroot_dir");
    std::fs::create_dir_all("/usr/share/empty").expect("secure_chroot_dir");
    let out = Command::new("timeout")
        .args(["-s", "KILL", "20", "unshare", "--net", "--pid", "--fork", "--kill-child", "sh", "-c"])
        .arg(r#"ip link set lo up; "$0" "$1" </dev/null >/dev/null 2>&1 & sleep 0.5; exec python3 "$2" "$@""#)
        .arg(build)
        .arg(&conf)
        .arg(dir.join("client.py"))
        .args(commands)
        .output()
        .expect("run the session");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// One claim: the page of `setting` says `claim`; on `build` the transcript of `config` and
/// `commands` contains every line of `expect` and none of `absent`.
struct Case {
    setting: &'static str,
    claim: &'static str,
    build: &'static str,
    config: &'static str,
    commands: &'static [&'static str],
    expect: &'static [&'static str],
    absent: &'static [&'static str],
}

/// An ASCII-mode download of a file with LF line endings, then its SIZE.
const ASCII_DOWNLOAD: &[&str] = &[
    "USER anonymous",
    "PASS x",
    "TYPE A",
    "DATA:RETR lf.txt",
    "SIZE lf.txt",
];

const CASES: &[Case] = &[
    Case {
        setting: "cmds_allowed",
        claim: "`cmds_allowed=PWD, LIST` does not allow LIST",
        build: DEBIAN_303,
        config: "cmds_allowed=USER,PASS, PWD,syst,CWD\n",
        commands: &["USER anonymous", "PASS x", "PWD", "SYST", "CWD /"],
        expect: &[
            "PASS x -> 230",
            "PWD -> 550 Permission denied.",
            "SYST -> 550 Permission denied.",
            "CWD / -> 250",
        ],
        absent: &[],
    },
    Case {
        setting: "cmds_allowed",
        claim: "`cmds_allowed=PWD, LIST` does not allow LIST",
        build: UPSTREAM_305,
        config: "cmds_allowed=USER,PASS, PWD,CWD\n",
        commands: &["USER anonymous", "PASS x", "PWD", "CWD /"],
        expect: &[
            "PASS x -> 230",
            "PWD -> 550 Permission denied.",
            "CWD / -> 250",
        ],
        absent: &[],
    },
    Case {
        setting: "cmds_denied",
        claim: "commands before login are not affected",
        build: DEBIAN_303,
        config: "cmds_denied=PWD,USER\n",
        commands: &["USER anonymous", "PASS x", "PWD", "SYST"],
        expect: &[
            "USER anonymous -> 331",
            "PWD -> 550 Permission denied.",
            "SYST -> 215",
        ],
        absent: &[],
    },
    Case {
        setting: "banner_file",
        claim: "it wins over `ftpd_banner` (debian-3.0.3 binary)",
        build: DEBIAN_303,
        config: "ftpd_banner=From the option\nbanner_file=BANNER\n",
        commands: &[],
        expect: &["greeting -> 220-Hello from the file | 220"],
        absent: &["From the option"],
    },
    Case {
        setting: "no_anon_password",
        claim: "`USER anonymous` is answered `230 Login successful.` at once",
        build: DEBIAN_303,
        config: "no_anon_password=YES\n",
        commands: &["USER anonymous"],
        expect: &["USER anonymous -> 230 Login successful."],
        absent: &[],
    },
    Case {
        setting: "deny_file",
        claim: "Matching names still appear in directory listings (debian-3.0.3 binary)",
        build: DEBIAN_303,
        config: "deny_file={*.txt,sub}\n",
        commands: &[
            "USER anonymous",
            "PASS x",
            "DATA:RETR lf.txt",
            "CWD sub",
            "SIZE lf.txt",
            "DATA:NLST",
        ],
        expect: &[
            "RETR lf.txt -> 550 Permission denied.",
            "CWD sub -> 550 Permission denied.",
            "SIZE lf.txt -> 550 Permission denied.",
            "lf.txt\\r\\n",
        ],
        absent: &[],
    },
    Case {
        setting: "hide_file",
        claim: "can still be downloaded by anyone who knows their name (debian-3.0.3 binary)",
        build: DEBIAN_303,
        config: "hide_file={*.txt}\n",
        commands: &["USER anonymous", "PASS x", "DATA:NLST", "DATA:RETR lf.txt"],
        expect: &["RETR lf.txt -> 150", "data b'a\\nb\\n' | 226"],
        absent: &["lf.txt\\r\\n"],
    },
    Case {
        setting: "ascii_download_enable",
        claim: "opens the transfer in `BINARY mode` and sends the bytes unchanged (debian-3.0.3 binary)",
        build: DEBIAN_303,
        config: "",
        commands: ASCII_DOWNLOAD,
        expect: &[
            "TYPE A -> 200 Switching to ASCII mode.",
            "150 Opening BINARY mode",
            "data b'a\\nb\\n'",
            "SIZE lf.txt -> 213 4",
        ],
        absent: &[],
    },
    Case {
        setting: "ascii_download_enable",
        claim: "`SIZE` still reports the file's size on disk",
        build: DEBIAN_303,
        config: "ascii_download_enable=YES\n",
        commands: ASCII_DOWNLOAD,
        expect: &[
            "150 Opening ASCII mode",
            "data b'a\\r\\nb\\r\\n'",
            "SIZE lf.txt -> 213 4",
        ],
        absent: &[],
    },
    Case {
        setting: "idle_session_timeout",
        claim: "ends the session with `421 Timeout.` (debian-3.0.3 binary)",
        build: DEBIAN_303,
        config: "idle_session_timeout=1\n",
        commands: &["USER anonymous", "PASS x", "SLEEP:2.5"],
        expect: &["SLEEP:2.5 -> 421 Timeout."],
        absent: &[],
    },
    Case {
        setting: "dirmessage_enable",
        claim: "as part of the `250` reply",
        build: DEBIAN_303,
        config: "dirmessage_enable=YES\n",
        commands: &["USER anonymous", "PASS x", "CWD sub"],
        expect: &["CWD sub -> 250-Welcome to sub | 250"],
        absent: &[],
    },
    Case {
        setting: "ftp_enable",
        claim: "`500 OOPS: vsftpd: both FTP and HTTP disabled!` (debian-3.0.3 binary)",
        build: DEBIAN_303,
        config: "ftp_enable=NO\n",
        commands: &[],
        expect: &["greeting -> 500 OOPS: vsftpd: both FTP and HTTP disabled!"],
        absent: &[],
    },
    Case {
        setting: "deny_email_enable",
        claim: "`500 OOPS: cannot read anon e-mail list file:` (upstream-3.0.5 binary)",
        build: UPSTREAM_305,
        config: "deny_email_enable=YES\nbanned_email_file=/nonexistent/banned\n",
        commands: &[],
        expect: &["greeting -> 500 OOPS: cannot read anon e-mail list file:/nonexistent/banned"],
        absent: &[],
    },
    Case {
        setting: "ssl_sni_hostname",
        claim: "are refused like a wrong name (upstream-3.0.5 binary)",
        build: UPSTREAM_305,
        config: "ssl_enable=YES\nrsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\nrsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\nssl_sni_hostname=ftp.example\n",
        commands: &["TLS:"],
        expect: &[
            "AUTH TLS -> 234",
            "TLS: -> handshake failed: TLSV1_UNRECOGNIZED_NAME",
        ],
        absent: &[],
    },
    Case {
        setting: "ssl_sni_hostname",
        claim: "Refuses a TLS handshake unless the host name the client sends (SNI) is exactly this one",
        build: UPSTREAM_305,
        config: "ssl_enable=YES\nrsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\nrsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\nssl_sni_hostname=ftp.example\n",
        commands: &["TLS:ftp.example"],
        expect: &["TLS:ftp.example -> handshake ok"],
        absent: &[],
    },
    Case {
        setting: "seccomp_sandbox",
        claim: "`500 OOPS: child died` on current systems (upstream-3.0.5 binary on Debian 12)",
        build: UPSTREAM_305,
        config: "ssl_enable=YES\nrsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\nrsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\nseccomp_sandbox=YES\n",
        commands: &["TLS:"],
        expect: &["TLS: -> 500 OOPS: child died"],
        absent: &[],
    },
    Case {
        setting: "utf8_filesystem",
        claim: "upstream's 3.0.5 lists `UTF8` always (upstream-3.0.5 binary)",
        build: UPSTREAM_305,
        config: "",
        commands: &["FEAT"],
        expect: &[" UTF8 |"],
        absent: &[],
    },
];

#[test]
fn setting_notes_match_the_binaries_they_cite() {
    if !require(DEBIAN_303, "vsftpd", true)
        || !require(UPSTREAM_305, "vsftpd (.ci/setup.d builds it)", true)
        || !require("unshare", "util-linux", true)
        || !require("python3", "python3", false)
        || !require("/etc/ssl/private/ssl-cert-snakeoil.key", "ssl-cert", true)
    {
        return;
    }
    let dir = scratch("setting-notes");
    let mut problems = Vec::new();
    for (i, case) in CASES.iter().enumerate() {
        let page = vsconf::setting_docs::lookup(case.setting)
            .map(|d| vsconf::setting_docs::page(&d))
            .unwrap_or_default();
        if !page.contains(case.claim) {
            problems.push(format!(
                "{}: the page no longer says {:?}",
                case.setting, case.claim
            ));
        }
        let here = dir.join(i.to_string());
        std::fs::create_dir_all(&here).expect("case dir");
        let config = case
            .config
            .replace("BANNER", &here.join("banner.txt").display().to_string());
        let transcript = session(case.build, &here, &config, case.commands);
        for want in case.expect {
            if !transcript.contains(want) {
                problems.push(format!(
                    "{} on {}: expected {want:?} in\n{transcript}",
                    case.setting, case.build
                ));
            }
        }
        for unwanted in case.absent {
            if transcript.contains(unwanted) {
                problems.push(format!(
                    "{} on {}: did not expect {unwanted:?} in\n{transcript}",
                    case.setting, case.build
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
