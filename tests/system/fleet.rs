//! A fleet of managed hosts for the Ansible test: each host is a network namespace with its own sshd on
//! a TEST-NET-2 address (198.51.100.11, .12, …), reached from a controller namespace (198.51.100.1)
//! through a bridge. Nothing is added to the machine's own namespace: Ansible runs inside the
//! controller (`Fleet::command`). The hosts share the machine's filesystem, so each host gets its own
//! paths through inventory variables. Keys are generated per run; every process left in the
//! namespaces (sshd and its sessions) is killed and the namespaces are deleted on drop.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The sshd binary (Debian's openssh-server).
pub const SSHD: &str = "/usr/sbin/sshd";

/// Hosts in their namespaces, each running sshd; torn down on drop.
pub struct Fleet {
    controller: String,
    hosts: Vec<Host>,
    sshd: Vec<Child>,
    /// The private key that logs in as root on every host.
    pub key: PathBuf,
}

/// One managed host.
pub struct Host {
    /// Its inventory name (`ftp1`).
    pub name: String,
    /// Its address (198.51.100.11).
    pub address: String,
    namespace: String,
}

/// Runs `ip` with the space-separated `args` (names and addresses here never contain spaces).
fn ip(args: &str) {
    let out = Command::new("ip")
        .args(args.split(' '))
        .output()
        .expect("ip runs");
    assert!(
        out.status.success(),
        "ip {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Fleet {
    /// Starts `names.len()` hosts (at most 50) with sshd, keys and configs under `dir`, each sshd
    /// running with `path` as the PATH of its sessions (where vsconf is "installed" on the host).
    pub fn start(dir: &Path, names: &[&str], path: &str) -> Fleet {
        let tag = format!("vsc-fleet-{}", std::process::id());
        let controller = format!("{tag}-c");
        let mut fleet = Fleet {
            controller: controller.clone(),
            hosts: Vec::new(),
            sshd: Vec::new(),
            key: dir.join("client_key"),
        };
        ip(&format!("netns add {controller}"));
        ip(&format!("-n {controller} link set lo up"));
        ip(&format!("-n {controller} link add br0 type bridge"));
        ip(&format!("-n {controller} addr add 198.51.100.1/24 dev br0"));
        ip(&format!("-n {controller} link set br0 up"));
        for (i, name) in names.iter().enumerate() {
            let namespace = format!("{tag}-{i}");
            let address = format!("198.51.100.{}", 11 + i);
            ip(&format!("netns add {namespace}"));
            fleet.hosts.push(Host {
                name: (*name).to_owned(),
                address: address.clone(),
                namespace: namespace.clone(),
            });
            ip(&format!("-n {namespace} link set lo up"));
            ip(&format!(
                "-n {controller} link add h{i} type veth peer name eth0 netns {namespace}"
            ));
            ip(&format!("-n {controller} link set h{i} master br0"));
            ip(&format!("-n {controller} link set h{i} up"));
            ip(&format!("-n {namespace} addr add {address}/24 dev eth0"));
            ip(&format!("-n {namespace} link set eth0 up"));
        }
        keygen(&dir.join("client_key"));
        keygen(&dir.join("host_key"));
        std::fs::copy(dir.join("client_key.pub"), dir.join("authorized_keys")).expect("copy");
        // sshd refuses to start without its privilege separation directory.
        std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
        for host in &fleet.hosts {
            let config = dir.join(format!("sshd-{}.conf", host.name));
            std::fs::write(
                &config,
                format!(
                    "ListenAddress {address}:22\n\
                     HostKey {dir}/host_key\n\
                     PidFile none\n\
                     AuthorizedKeysFile {dir}/authorized_keys\n\
                     PermitRootLogin prohibit-password\n\
                     PasswordAuthentication no\n\
                     KbdInteractiveAuthentication no\n\
                     UsePAM no\n\
                     StrictModes no\n\
                     SetEnv PATH={path}\n",
                    address = host.address,
                    dir = dir.display(),
                ),
            )
            .expect("write sshd config");
            let log = std::fs::File::create(dir.join(format!("sshd-{}.log", host.name)))
                .expect("sshd log");
            let child = Command::new("ip")
                .args(["netns", "exec", &host.namespace, SSHD, "-D", "-e", "-f"])
                .arg(&config)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .expect("sshd starts");
            fleet.sshd.push(child);
        }
        for host in &fleet.hosts {
            fleet.wait_for_login(host, dir);
        }
        fleet
    }

    /// The hosts, in the order given to [`Fleet::start`].
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// A command that runs `program` inside the controller namespace, from where the hosts are reached.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.controller, program]);
        c
    }

    /// The ssh options that log in as root with the fleet's key (fresh host keys every run, so no
    /// known_hosts; no connection sharing, so no ssh process outlives its command).
    pub fn ssh_options(&self) -> String {
        format!(
            "-i {} -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o ControlMaster=no -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR",
            self.key.display()
        )
    }

    /// Waits (at most 10 s) until `host` accepts a login, so that a test never races sshd's start.
    fn wait_for_login(&self, host: &Host, dir: &Path) {
        let start = Instant::now();
        loop {
            let out = self
                .command("ssh")
                .args(self.ssh_options().split(' '))
                .arg(format!("root@{}", host.address))
                .arg("echo ready")
                .output()
                .expect("ssh runs");
            if out.status.success() && out.stdout.starts_with(b"ready") {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{} ({}) never accepted a login: {}\nsshd log: {}",
                host.name,
                host.address,
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(dir.join(format!("sshd-{}.log", host.name)))
                    .unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn keygen(path: &Path) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(path.with_extension("pub"));
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .output()
        .expect("ssh-keygen runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for child in &mut self.sshd {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Sessions sshd forked live on after their listener: kill whatever is left in the test's
        // own namespaces, then delete them.
        for namespace in self
            .hosts
            .iter()
            .map(|h| h.namespace.as_str())
            .chain([self.controller.as_str()])
        {
            if let Ok(out) = Command::new("ip")
                .args(["netns", "pids", namespace])
                .output()
            {
                for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                    let _ = Command::new("kill").args(["-KILL", pid]).status();
                }
            }
            let _ = Command::new("ip")
                .args(["netns", "del", namespace])
                .status();
        }
    }
}
