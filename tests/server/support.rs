//! Shared helpers: a served directory with known files, the embedded server as a child process, network
//! namespaces and the real vsftpd for the differential tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

/// The helper script that drives one FTP session and prints JSON.
pub fn session_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/server/session.py")
}

// `require` is the system tests' own (one convention for every test binary).
pub use crate::system_support::require;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A unique short name for namespaces and directories.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}-{}",
        std::process::id() % 100_000,
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh directory under /tmp (world-traversable, so vsftpd's `ftp` user can reach it).
    pub fn new(name: &str) -> TempDir {
        let dir = PathBuf::from("/tmp").join(unique(&format!("vscsrv-{name}-")));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn set_mtime(path: &Path, unix: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(unix))
        .unwrap();
}

/// The served tree: `root/` (0755) with `file.txt` ("hello\n"), `old.txt` (2020-03-07), `.hidden`,
/// `link -> file.txt`, `sub/new.txt`, `secret.txt` (0600), `private/` (0700,
/// holding `inside.txt`) and the world-writable `up/`. Also
/// `cert.pem`/`key.pem` (self-signed, made with openssl when available), `users` (`bob:secret:2001:2001`) and
/// banner files, next to (not inside) the root.
pub struct Fixture {
    pub dir: TempDir,
}

impl Fixture {
    pub fn new(name: &str) -> Fixture {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new(name);
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(root.join("up")).unwrap();
        std::fs::create_dir_all(root.join("private")).unwrap();
        std::fs::write(root.join("private/inside.txt"), "inside\n").unwrap();
        std::fs::set_permissions(root.join("private"), std::fs::Permissions::from_mode(0o700))
            .unwrap();
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(root.join("sub"), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(root.join("up"), std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::write(root.join("file.txt"), "hello\n").unwrap();
        std::fs::write(root.join("old.txt"), "").unwrap();
        std::fs::write(root.join(".hidden"), "h").unwrap();
        std::fs::write(root.join("secret.txt"), "s").unwrap();
        std::fs::set_permissions(
            root.join("secret.txt"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        std::fs::write(root.join("sub/new.txt"), "new\n").unwrap();
        for f in [
            "file.txt",
            "old.txt",
            ".hidden",
            "secret.txt",
            "sub/new.txt",
        ] {
            std::fs::set_permissions(
                root.join(f),
                std::fs::Permissions::from_mode(if f == "secret.txt" { 0o600 } else { 0o644 }),
            )
            .unwrap();
        }
        set_mtime(&root.join("old.txt"), 1_583_575_200);
        set_mtime(&root.join("file.txt"), 1_700_000_000);
        set_mtime(&root.join("sub/new.txt"), 1_700_000_000);
        set_mtime(&root.join("secret.txt"), 1_700_000_000);
        set_mtime(&root.join(".hidden"), 1_700_000_000);
        // dirmessage_enable: messages in the root (shown at login) and in sub (shown on first CWD),
        // written before the directory times are fixed: two fixtures made a minute apart must list alike.
        std::fs::write(
            dir.path().join("root/.message"),
            "welcome to the root\n\nsecond paragraph\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("root/sub/.message"), "this is sub").unwrap();
        set_mtime(&root.join(".message"), 1_700_000_000);
        set_mtime(&root.join("sub/.message"), 1_700_000_000);
        let _ = std::os::unix::fs::symlink("file.txt", root.join("link"));
        // Directory and link times fixed too, so that two fixtures list identically.
        let _ = Command::new("touch")
            .args(["-h", "-d", "@1700000000"])
            .arg(root.join("link"))
            .arg(root.join("sub"))
            .arg(root.join("up"))
            .arg(root.join("private"))
            .arg(&root)
            .status();
        // bob has the same uid and gid as the bob real_vsftpd adds for the real vsftpd.
        std::fs::write(
            dir.path().join("users"),
            "# test users\nbob:secret:2001:2001\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("banner-nl.txt"), "line one\nline two\n").unwrap();
        std::fs::write(dir.path().join("banner.txt"), "line one\nline two").unwrap();
        // userlist_enable: a list naming the anonymous users.
        std::fs::write(dir.path().join("userlist.txt"), "anonymous\nftp\n").unwrap();
        std::fs::write(
            dir.path().join("banner-blank.txt"),
            "first\n\n  indented\r\nlast",
        )
        .unwrap();
        let _ = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "30",
                "-subj",
                "/CN=localhost",
                "-keyout",
            ])
            .arg(dir.path().join("key.pem"))
            .arg("-out")
            .arg(dir.path().join("cert.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        Fixture { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("root")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Replaces `@DIR@` in a config text with the fixture directory and writes it (root-owned, 0600).
    pub fn config(&self, name: &str, text: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(name);
        std::fs::write(
            &path,
            text.replace("@DIR@", &self.dir.path().display().to_string()),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path
    }
}

/// A child process killed on drop.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The embedded server started by `vsconf serve`, with the address it printed.
pub struct Served {
    pub child: ChildGuard,
    pub addr: SocketAddr,
}

/// Starts `vsconf serve CONF --root ROOT --users USERS [extra…]` (optionally inside a namespace) and waits
/// for its `listening on` line (at most 10 s).
pub fn serve(
    fixture: &Fixture,
    config: &Path,
    netns: Option<&str>,
    extra: &[&str],
) -> Result<Served, String> {
    let root = fixture.root();
    let mut args: Vec<&std::ffi::OsStr> = vec!["--root".as_ref(), root.as_os_str()];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    serve_args(fixture, config, netns, &args)
}

/// Starts `vsconf serve CONF --users USERS [args…]`: the served directory comes from the config's
/// `anon_root` unless `args` give `--root`.
pub fn serve_args(
    fixture: &Fixture,
    config: &Path,
    netns: Option<&str>,
    extra: &[&std::ffi::OsStr],
) -> Result<Served, String> {
    let bin = env!("CARGO_BIN_EXE_vsconf");
    let mut cmd = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns, bin]);
            c
        }
        None => Command::new(bin),
    };
    cmd.args(["serve", "--dialect", "debian-3.0.3"])
        .arg("--users")
        .arg(fixture.path("users"))
        .arg(config)
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = ChildGuard(cmd.spawn().map_err(|e| e.to_string())?);
    let stderr = child.0.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stderr).lines();
        let mut all = String::new();
        while let Some(Ok(line)) = lines.next() {
            all.push_str(&line);
            all.push('\n');
            if let Some(rest) = line.strip_prefix("listening on ") {
                let addr = rest.split_whitespace().next().unwrap_or("").to_owned();
                let _ = tx.send(Ok(addr));
                // Keep draining so that the server never blocks on a full pipe.
                for _ in lines.by_ref() {}
                return;
            }
        }
        let _ = tx.send(Err(all));
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Ok(addr)) => Ok(Served {
            child,
            addr: addr.parse().map_err(|e| format!("{addr}: {e}"))?,
        }),
        Ok(Err(stderr)) => Err(stderr),
        Err(_) => Err("no `listening on` line within 10 s".to_owned()),
    }
}

/// A network namespace with `lo` up, deleted on drop.
pub struct Netns(pub String);

impl Netns {
    pub fn new(prefix: &str) -> Netns {
        let name = unique(prefix);
        let ok = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "ip netns add {name} failed");
        let ns = Netns(name);
        let ok = Command::new("ip")
            .args(["netns", "exec", &ns.0, "ip", "link", "set", "lo", "up"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "cannot bring lo up in {}", ns.0);
        ns
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "pids", &self.0])
            .output()
            .map(|o| {
                for pid in String::from_utf8_lossy(&o.stdout).split_whitespace() {
                    let _ = Command::new("kill").args(["-9", pid]).status();
                }
            });
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// Starts the real vsftpd on `config` inside `ns` (root only), killed on drop.
///
/// The local user `bob` (password `secret`, shell /bin/sh, home directory the fixture's root) exists only
/// for this vsftpd: copies of /etc/passwd, /etc/shadow and /etc/group with `bob` added are bind-mounted
/// in a private mount namespace (`unshare -m`), so the host's user database is never changed.
pub fn real_vsftpd(ns: &Netns, fixture: &Fixture, config: &Path) -> ChildGuard {
    std::fs::create_dir_all("/var/run/vsftpd/empty").unwrap();
    let users = fixture.dir.path().join("etc");
    std::fs::create_dir_all(&users).unwrap();
    let hash = Command::new("openssl")
        .args(["passwd", "-6", "-salt", "vsconfsalt", "secret"])
        .output()
        .unwrap();
    let hash = String::from_utf8(hash.stdout).unwrap();
    let add = |name: &str, line: String| {
        let mut text = std::fs::read_to_string(Path::new("/etc").join(name)).unwrap();
        text.push_str(&line);
        let path = users.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let passwd = add(
        "passwd",
        format!(
            "bob:x:2001:2001:vsconf test user:{}:/bin/sh\n",
            fixture.root().display()
        ),
    );
    let shadow = add(
        "shadow",
        format!("bob:{}:19000:0:99999:7:::\n", hash.trim()),
    );
    let group = add("group", "bob:x:2001:\n".to_owned());
    let script = format!(
        "mount --bind {} /etc/passwd && mount --bind {} /etc/shadow && mount --bind {} /etc/group && exec timeout -s KILL 60 /usr/sbin/vsftpd {}",
        passwd.display(),
        shadow.display(),
        group.display(),
        config.display()
    );
    let child = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.0,
            "unshare",
            "-m",
            "--propagation",
            "private",
            "sh",
            "-c",
            &script,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    ChildGuard(child)
}

/// What `session.py` observed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Observed {
    pub replies: Vec<Vec<String>>,
    pub ports: Vec<u16>,
    pub data: Vec<String>,
    #[serde(default)]
    pub data_source_ports: Vec<u16>,
}

/// Runs `session.py HOST PORT STEPS` (inside `ns` when given) under a 60 s timeout.
pub fn run_session(ns: Option<&str>, host: &str, port: u16, steps: &str) -> Observed {
    let script = session_script();
    let mut cmd = match ns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args([
                "netns", "exec", ns, "timeout", "-s", "KILL", "60", "python3",
            ]);
            c
        }
        None => {
            let mut c = Command::new("timeout");
            c.args(["-s", "KILL", "60", "python3"]);
            c
        }
    };
    let out = cmd
        .arg(script)
        .arg(host)
        .arg(port.to_string())
        .arg(steps)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "session.py output unreadable ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
