//! The embedded FTP server: a tokio server that behaves as an effective vsftpd config says, for
//! everything a firewall, a client or a probe can observe (listener, greeting, logins, PASV port choice,
//! PORT checks, TLS, listings, transfers, limits, timeouts), with vsftpd's own reply codes and texts.
//!
//! It reads only the model (`EffectiveConfig`) and the protocol (`ftp`). Where it cannot reproduce a
//! setting's observable effect it refuses to start and names the setting ([`ServeError::Unsupported`]).
//! Files are served only from the root directory; every user (anonymous or local) sees that directory
//! as `/`.
//!
//! Library use (the probe's `verify` starts a server this way):
//!
//! ```no_run
//! use vsconf::server::{ServeOptions, start};
//! # fn demo(config: &vsconf::model::EffectiveConfig) -> Result<(), vsconf::server::ServeError> {
//! let running = start(config, ServeOptions { root: Some("/srv/ftp".into()), port_offset: 20000, ..ServeOptions::default() })?;
//! println!("control connection at {}", running.control_addr());
//! running.shutdown();
//! # Ok(()) }
//! ```
//!
//! `start` binds the listener synchronously (so the returned address is ready to accept) and runs the
//! server on its own thread with its own tokio runtime, so it can be called from synchronous code and
//! from inside another runtime alike.

mod config;
mod fs;
mod session;
mod stream;
mod tls;
mod users;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use miette::Diagnostic;
use tokio::net::TcpSocket;

use crate::model::EffectiveConfig;

use config::Behaviour;
pub use users::Users;

/// Command-line choices that are not in the config.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// The directory served as `/` (default: `anon_root`).
    pub root: Option<PathBuf>,
    /// Listen on this address instead of `listen_address` / `listen_address6`.
    pub bind: Option<IpAddr>,
    /// Added to `listen_port`, `ftp_data_port` and both ends of the passive range.
    pub port_offset: u16,
    /// Local users (`name:password` lines); without it no local login succeeds.
    pub users: Option<PathBuf>,
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ServeError {
    /// A setting whose effect the embedded server cannot reproduce.
    #[error("{setting}: {why}")]
    #[diagnostic(
        code(vsconf::server::unsupported),
        help(
            "the embedded server refuses rather than approximate; test this config against the real vsftpd (docs/server.md lists every refused setting)"
        )
    )]
    Unsupported {
        /// The tunable's name.
        setting: &'static str,
        /// What is missing.
        why: &'static str,
    },
    /// What vsftpd itself would refuse with (the `500 OOPS` text).
    #[error("vsftpd would refuse to start: 500 OOPS: {text}")]
    #[diagnostic(
        code(vsconf::server::oops),
        help("fix the config; `vsconf lint` explains the message")
    )]
    Oops {
        /// The OOPS text.
        text: String,
    },
    /// No directory to serve.
    #[error("no directory to serve: give --root DIR or set anon_root")]
    #[diagnostic(code(vsconf::server::no_root), help("vsconf serve CONF --root DIR"))]
    NoRoot,
    /// The root directory is unusable.
    #[error("cannot serve {}: {source}", path.display())]
    #[diagnostic(
        code(vsconf::server::root),
        help("give an existing directory with --root")
    )]
    Root {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The users file is unreadable.
    #[error("cannot read users file {}: {source}", path.display())]
    #[diagnostic(
        code(vsconf::server::users),
        help("a users file holds `name:password` lines")
    )]
    Users {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A port pushed past 65535 by `--port-offset`.
    #[error("{setting}: port {port} + offset {offset} is above 65535")]
    #[diagnostic(code(vsconf::server::port_offset), help("use a smaller --port-offset"))]
    PortOffset {
        /// The setting.
        setting: &'static str,
        /// Its port.
        port: u32,
        /// The offset.
        offset: u32,
    },
    /// The listening socket could not be bound.
    #[error("could not bind listening socket {addr}: {source}")]
    #[diagnostic(
        code(vsconf::server::bind),
        help(
            "ports below 1024 need root; use --port-offset or --bind, or stop what holds the port"
        )
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// `connect_from_port_20=YES` but the data source port cannot be bound.
    #[error("connect_from_port_20=YES: cannot bind the active-mode source port {addr} ({source})")]
    #[diagnostic(
        code(vsconf::server::data_port),
        help(
            "ports below 1024 need root; run as root, use --port-offset so that ftp_data_port + offset is at least 1024, or set connect_from_port_20=NO"
        )
    )]
    DataPort {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The runtime could not be created.
    #[error("cannot start the server runtime: {0}")]
    #[diagnostic(code(vsconf::server::runtime))]
    Runtime(std::io::Error),
}

/// What every session shares.
struct Shared {
    behaviour: Behaviour,
    users: Users,
    root: fs::Root,
    tls: Option<Arc<rustls::ServerConfig>>,
    counts: Mutex<Counts>,
    /// Files and directories anonymous sessions created (device, inode): vsftpd creates them as the
    /// ftp user, who then has the owner's rights on them.
    anon_owned: Mutex<std::collections::HashSet<(u64, u64)>>,
}

#[derive(Default)]
struct Counts {
    clients: u32,
    per_ip: HashMap<IpAddr, u32>,
}

/// Decrements the session counts when a session ends.
struct Admitted {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut c) = self.shared.counts.lock() {
            c.clients = c.clients.saturating_sub(1);
            if let Some(n) = c.per_ip.get_mut(&self.ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    c.per_ip.remove(&self.ip);
                }
            }
        }
    }
}

/// A server running on its own thread.
#[derive(Debug)]
pub struct RunningServer {
    control: SocketAddr,
    passive: crate::model::PassiveRange,
    version: &'static str,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// The bound control address (with the real port when `listen_port=0`).
    pub fn control_addr(&self) -> SocketAddr {
        self.control
    }

    /// The model's passive range as served (after `--port-offset`).
    pub fn passive_ports(&self) -> crate::model::PassiveRange {
        self.passive
    }

    /// The version the greeting announces (`3.0.3` for debian-3.0.3, else `3.0.5`).
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// Stops accepting, ends all sessions and waits for the server thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    /// Blocks until the server stops (it stops only through `shutdown` from another handle or an
    /// error of the listener).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Why [`start`] would refuse `config` with `options` before binding anything: a setting it cannot
/// reproduce, vsftpd's own refusal (its `500 OOPS` text, from the model's listener), a bad root or port
/// offset. `Ok` when it would go on to load the certificate and bind.
pub fn check(config: &EffectiveConfig, options: &ServeOptions) -> Result<(), ServeError> {
    Behaviour::read(config, options).map(|_| ())
}

/// Starts the server for `config`: checks what it cannot reproduce, loads the certificate, binds the
/// listener (and checks the active-mode source port), then serves on a background thread.
pub fn start(config: &EffectiveConfig, options: ServeOptions) -> Result<RunningServer, ServeError> {
    let behaviour = Behaviour::read(config, &options)?;
    let users = match &options.users {
        Some(p) => Users::load(p)?,
        None => Users::default(),
    };
    let tls = behaviour.ssl.as_ref().map(tls::server_config).transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let listen = behaviour.listen;
    let listener = runtime.block_on(async {
        let socket = if listen.is_ipv4() {
            TcpSocket::new_v4()
        } else {
            TcpSocket::new_v6()
        };
        let socket = socket.map_err(|source| ServeError::Bind {
            addr: listen,
            source,
        })?;
        socket
            .set_reuseaddr(true)
            .map_err(|source| ServeError::Bind {
                addr: listen,
                source,
            })?;
        socket.bind(listen).map_err(|source| ServeError::Bind {
            addr: listen,
            source,
        })?;
        socket.listen(1024).map_err(|source| ServeError::Bind {
            addr: listen,
            source,
        })
    })?;
    let control = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: listen,
        source,
    })?;
    if let Some(port) = behaviour.active_source_port.filter(|p| *p != 0) {
        let addr = SocketAddr::new(control.ip(), port);
        runtime.block_on(async {
            let socket = if addr.is_ipv4() {
                TcpSocket::new_v4()
            } else {
                TcpSocket::new_v6()
            };
            let socket = socket.map_err(|source| ServeError::DataPort { addr, source })?;
            socket
                .set_reuseaddr(true)
                .map_err(|source| ServeError::DataPort { addr, source })?;
            socket
                .bind(addr)
                .map_err(|source| ServeError::DataPort { addr, source })
        })?;
    }
    let passive = behaviour.pasv_range;
    let version = behaviour.version;
    let root = fs::Root::new(behaviour.root.clone());
    let shared = Arc::new(Shared {
        behaviour,
        users,
        root,
        tls,
        counts: Mutex::new(Counts::default()),
        anon_owned: Mutex::new(std::collections::HashSet::new()),
    });
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("vsconf-serve".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                loop {
                    tokio::select! {
                        _ = stopped.changed() => break,
                        accepted = listener.accept() => {
                            let Ok((tcp, peer)) = accepted else {
                                // Out of descriptors or similar: back off, keep serving.
                                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                                continue;
                            };
                            let admission = {
                                let mut c = match shared.counts.lock() {
                                    Ok(c) => c,
                                    Err(poisoned) => poisoned.into_inner(),
                                };
                                c.clients = c.clients.saturating_add(1);
                                let n = c.per_ip.entry(peer.ip()).or_insert(0);
                                *n = n.saturating_add(1);
                                let from_ip = *n;
                                session::Admission { clients: c.clients, from_ip }
                            };
                            let guard = Admitted { shared: Arc::clone(&shared), ip: peer.ip() };
                            let shared = Arc::clone(&shared);
                            tokio::spawn(async move {
                                session::run(shared, tcp, peer, admission).await;
                                drop(guard);
                            });
                        }
                    }
                }
            });
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
        })
        .map_err(ServeError::Runtime)?;
    Ok(RunningServer {
        control,
        passive,
        version,
        stop: Some(stop),
        thread: Some(thread),
    })
}
