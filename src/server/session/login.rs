//! Logins (USER, PASS, vsftpd's user list and TLS-for-login rules), TLS on the control connection
//! (AUTH, PBSZ, PROT), and what a client asks about the session (FEAT, OPTS, STAT).

use std::io;

use tokio::time::timeout;

use crate::ftp::Reply;
use crate::ftp::texts::{self, FeatSwitches};
use crate::startup::oops;

use super::super::fs::root_writable;
use super::{Flow, HANDSHAKE_TIMEOUT, Login, Session, Stream, as_v4};

fn is_anonymous_name(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"ftp") || name.eq_ignore_ascii_case(b"anonymous")
}

impl Session {
    pub(super) async fn user(&mut self, name: Vec<u8>) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let anon = is_anonymous_name(&name);
        self.pending_user = None;
        if !b.local_enable && !anon {
            return self.say(texts::ANONYMOUS_ONLY).await;
        }
        // debian-3.0.3 binary: a name on the list with userlist_deny=YES, or missing from it with
        // userlist_deny=NO, gets `530 Permission denied.` at USER, before any password.
        if let Some((_, deny)) = &b.userlist {
            let listed = self.userlist.contains(&name);
            if listed == *deny {
                return self.say(texts::PERMISSION_DENIED_LOGIN).await;
            }
        }
        if let Some(ssl) = &b.ssl {
            let tls = self.control.is_tls();
            if anon && tls && !ssl.allow_anon_ssl && !ssl.force_anon_logins_ssl {
                return self.say(texts::ANON_NO_ENCRYPTION).await;
            }
            if !anon && !tls && ssl.force_local_logins_ssl {
                return self.fatal(texts::NON_ANON_MUST_ENCRYPT.reply()).await;
            }
            if anon && !tls && ssl.force_anon_logins_ssl {
                return self.fatal(texts::ANON_MUST_ENCRYPT.reply()).await;
            }
        }
        self.pending_user = Some(name);
        if anon && b.no_anon_password {
            return self.pass(b"<no password>".to_vec()).await;
        }
        self.say(texts::SPECIFY_PASSWORD).await
    }

    pub(super) async fn pass(&mut self, password: Vec<u8>) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        // An empty USER is answered 331 but remembered as no user at all (debian-3.0.3 binary:
        // "USER" then "PASS x" gives 503).
        let Some(user) = self.pending_user.take().filter(|u| !u.is_empty()) else {
            return self.say(texts::LOGIN_WITH_USER_FIRST).await;
        };
        let login = if is_anonymous_name(&user) && b.anonymous_enable {
            Some(Login {
                anonymous: true,
                name: b.ftp_username.clone(),
                ids: None,
            })
        } else {
            self.shared
                .users
                .login(&user, &password)
                .filter(|_| b.local_enable)
                .map(|ids| Login {
                    anonymous: false,
                    name: String::from_utf8_lossy(&user).into_owned(),
                    ids,
                })
        };
        let Some(login) = login else {
            tokio::time::sleep(b.delay_failed_login).await;
            self.send(&texts::LOGIN_INCORRECT.reply()).await?;
            self.login_fails = self.login_fails.saturating_add(1);
            if self.login_fails >= b.max_login_fails {
                return Ok(Flow::Close);
            }
            return Ok(Flow::Continue);
        };
        // vsftpd always chroots anonymous users and refuses a root the ftp user can write; local users
        // are chrooted too (config.rs refuses anything else), and refused a root they can write unless
        // allow_writeable_chroot=YES (startup-checks.md, Phase C, debian-3.0.3 binary). The ftp user and
        // a local user without ids count as "other".
        if login.anonymous || !b.allow_writeable_chroot {
            let ids = login.ids;
            let root = b.root.clone();
            if self.on_disk(move |_, _| root_writable(&root, ids)).await? {
                return self.oops_in_child(oops::WRITABLE_CHROOT).await;
            }
        }
        tokio::time::sleep(b.delay_successful_login).await;
        self.umask = if login.anonymous {
            b.anon_umask
        } else {
            b.local_umask
        };
        self.login = Some(login);
        self.say_with_dir_message(texts::LOGIN_OK).await
    }

    /// USER after login: vsftpd does not switch users.
    pub(super) async fn user_again(&mut self, name: &[u8]) -> io::Result<Flow> {
        if self.anonymous() {
            self.say(texts::CANT_CHANGE_FROM_GUEST).await
        } else if self
            .login
            .as_ref()
            .is_some_and(|l| l.name.as_bytes() == name)
        {
            self.say(texts::ANY_PASSWORD).await
        } else {
            self.say(texts::CANT_CHANGE_USER).await
        }
    }

    pub(super) async fn auth(&mut self, arg: &[u8]) -> io::Result<Flow> {
        let arg = String::from_utf8_lossy(arg).to_ascii_uppercase();
        if !matches!(arg.as_str(), "TLS" | "TLS-C" | "SSL" | "TLS-P") {
            return self.say(texts::UNKNOWN_AUTH).await;
        }
        self.send(&texts::PROCEED_WITH_NEGOTIATION.reply()).await?;
        self.upgrade_control().await
    }

    pub(super) async fn pbsz(&mut self) -> io::Result<Flow> {
        if !self.control.is_tls() {
            return self.say(texts::PBSZ_NEEDS_SECURE).await;
        }
        self.say(texts::PBSZ_OK).await
    }

    pub(super) async fn prot(&mut self, arg: &[u8]) -> io::Result<Flow> {
        if !self.control.is_tls() {
            return self.say(texts::PROT_NEEDS_SECURE).await;
        }
        match String::from_utf8_lossy(arg).to_ascii_uppercase().as_str() {
            "C" => {
                self.prot_private = false;
                self.say(texts::PROT_CLEAR).await
            }
            "P" => {
                self.prot_private = true;
                self.say(texts::PROT_PRIVATE).await
            }
            "S" | "E" => self.say(texts::PROT_UNSUPPORTED).await,
            _ => self.say(texts::PROT_BAD).await,
        }
    }

    pub(super) async fn opts(&mut self, arg: &[u8]) -> io::Result<Flow> {
        if String::from_utf8_lossy(arg).to_ascii_uppercase() == "UTF8 ON" {
            self.say(texts::UTF8_ALWAYS).await
        } else {
            self.say(texts::OPTS_BAD).await
        }
    }

    pub(super) async fn upgrade_control(&mut self) -> io::Result<Flow> {
        let Some(config) = self.tls.clone() else {
            return Ok(Flow::Close);
        };
        let Stream::Plain(tcp) = std::mem::replace(&mut self.control, Stream::Gone) else {
            return Ok(Flow::Close);
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        match timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
            Ok(Ok(tls)) => {
                self.control = Stream::Tls(Box::new(tls));
                Ok(Flow::Continue)
            }
            _ => Ok(Flow::Close),
        }
    }

    pub(super) fn feat(&self) -> Reply {
        let b = &self.shared.behaviour;
        texts::feat(FeatSwitches {
            auth_tls: b.ssl.as_ref().is_some_and(|s| s.feat_auth_tls),
            auth_ssl: false,
            ssl: b.ssl.is_some(),
            port: b.port_enable,
            pasv: b.pasv_enable,
        })
    }

    pub(super) async fn stat(&mut self) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let peer =
            as_v4(self.peer.ip()).map_or_else(|| self.peer.ip().to_string(), |v4| v4.to_string());
        let name = self
            .login
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let idle = b.idle_timeout.map_or(0, |d| d.as_secs());
        let middle = vec![
            format!("     Connected to {peer}"),
            format!("     Logged in as {name}"),
            format!(
                "     TYPE: {}",
                if self.binary { "BINARY" } else { "ASCII" }
            ),
            "     No session bandwidth limit".to_owned(),
            format!("     Session timeout in seconds is {idle}"),
            format!(
                "     Control connection is {}",
                if self.control.is_tls() {
                    "encrypted"
                } else {
                    "plain text"
                }
            ),
            format!(
                "     Data connections will be {}",
                if self.prot_private {
                    "encrypted"
                } else {
                    "plain text"
                }
            ),
            format!(
                "     At session startup, client count was {}",
                self.admission.clients
            ),
            format!("     vsFTPd {} - secure, fast, stable", b.version),
        ];
        self.send(&Reply::multi(
            211,
            "FTP server status:",
            &middle,
            "End of status",
        ))
        .await?;
        Ok(Flow::Continue)
    }
}
