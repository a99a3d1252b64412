//! Typed verbs → handlers, before and after login, with vsftpd's answer to a command the config
//! switches off (`550 Permission denied.`) or that it does not know (`500 Unknown command.`).

use std::io;

use crate::ftp::texts;
use crate::ftp::{Command, Reply, Verb};

use super::transfer::Upload;
use super::{Flow, Session};

impl Session {
    /// Before login: only the commands that lead to one.
    pub(super) async fn prelogin(&mut self, c: Command) -> io::Result<Flow> {
        let ssl = self.shared.behaviour.ssl.is_some();
        match c.kind() {
            Verb::User => self.user(c.arg).await,
            Verb::Pass => self.pass(c.arg).await,
            Verb::Quit => self.fatal(texts::GOODBYE.reply()).await,
            Verb::Feat => {
                let feat = self.feat();
                self.send(&feat).await?;
                Ok(Flow::Continue)
            }
            Verb::Opts => self.opts(&c.arg).await,
            Verb::Auth if ssl && !self.control.is_tls() => self.auth(&c.arg).await,
            Verb::Pbsz if ssl => self.pbsz().await,
            Verb::Prot if ssl => self.prot(&c.arg).await,
            _ => self.say(texts::LOGIN_FIRST).await,
        }
    }

    /// After login: the commands no setting switches off; the rest go to [`Session::gated`].
    pub(super) async fn postlogin(&mut self, c: Command) -> io::Result<Flow> {
        let arg = c.arg_text();
        match c.kind() {
            Verb::Quit => self.fatal(texts::GOODBYE.reply()).await,
            Verb::Pwd => {
                let reply = texts::pwd(&self.cwd);
                self.send(&reply).await?;
                Ok(Flow::Continue)
            }
            Verb::Cwd => self.cwd(&arg).await,
            Verb::Cdup => self.cwd("..").await,
            Verb::Syst => self.say(texts::SYST).await,
            Verb::Noop => self.say(texts::NOOP).await,
            Verb::Type => self.type_(&arg).await,
            Verb::Mode => {
                self.say(if arg.eq_ignore_ascii_case("S") {
                    texts::MODE_S
                } else {
                    texts::MODE_BAD
                })
                .await
            }
            Verb::Stru => {
                self.say(if arg.eq_ignore_ascii_case("F") {
                    texts::STRU_F
                } else {
                    texts::STRU_BAD
                })
                .await
            }
            Verb::Feat => {
                let feat = self.feat();
                self.send(&feat).await?;
                Ok(Flow::Continue)
            }
            Verb::Opts => self.opts(&c.arg).await,
            Verb::Help => {
                let lines: Vec<String> = texts::HELP_LINES
                    .iter()
                    .map(|s| (*s).to_owned())
                    .chain([texts::HELP_OK.line()])
                    .collect();
                self.send(&Reply { code: 214, lines }).await?;
                Ok(Flow::Continue)
            }
            Verb::User => self.user_again(&c.arg).await,
            Verb::Pass => self.say(texts::ALREADY_LOGGED_IN).await,
            Verb::Size => self.size(&arg).await,
            Verb::Mdtm => self.mdtm(&arg).await,
            Verb::Rest => {
                let digits: String = arg.chars().take_while(char::is_ascii_digit).collect();
                self.rest = digits.parse().unwrap_or(0);
                let reply = texts::rest_accepted(self.rest);
                self.send(&reply).await?;
                Ok(Flow::Continue)
            }
            Verb::Abor => self.say(texts::NO_TRANSFER_TO_ABOR).await,
            Verb::Allo => self.say(texts::ALLO_IGNORED).await,
            Verb::Acct => self.say(texts::ACCT_NOT_IMPLEMENTED).await,
            Verb::Rein => self.say(texts::REIN_NOT_IMPLEMENTED).await,
            Verb::Smnt => self.say(texts::SMNT_NOT_IMPLEMENTED).await,
            Verb::Unknown => self.say(texts::UNKNOWN_COMMAND).await,
            verb => self.gated(verb, &c.arg, &arg).await,
        }
    }

    /// Whether the config lets this session use a command that a setting can switch off.
    fn enabled(&self, verb: Verb, arg: &str) -> bool {
        let b = &self.shared.behaviour;
        let anon = self.anonymous();
        let write = b.write_enable;
        match verb {
            Verb::Stat => arg.is_empty() || b.dirlist_enable,
            Verb::Auth => b.ssl.is_some() && !self.control.is_tls(),
            Verb::Pbsz | Verb::Prot => b.ssl.is_some(),
            Verb::Pasv => b.pasv_enable && !self.epsv_all,
            Verb::Epsv => b.pasv_enable,
            Verb::Port => b.port_enable && !self.epsv_all,
            Verb::Eprt => b.port_enable,
            Verb::Retr => b.download_enable,
            Verb::List | Verb::Nlst => b.dirlist_enable,
            Verb::Stor | Verb::Stou => write && (!anon || b.anon_upload_enable),
            Verb::Mkd => write && (!anon || b.anon_mkdir_write_enable),
            Verb::Appe | Verb::Rmd | Verb::Dele | Verb::Rnfr | Verb::Rnto => {
                write && (!anon || b.anon_other_write_enable)
            }
            Verb::Site => !anon,
            _ => false,
        }
    }

    /// The commands a setting can switch off: `550 Permission denied.` when it does.
    async fn gated(&mut self, verb: Verb, raw: &[u8], arg: &str) -> io::Result<Flow> {
        if !self.enabled(verb, arg) {
            return self.say(texts::PERMISSION_DENIED).await;
        }
        match verb {
            Verb::Stat if arg.is_empty() => self.stat().await,
            Verb::Stat => self.stat_path(arg).await,
            Verb::Auth => self.auth(raw).await,
            Verb::Pbsz => self.pbsz().await,
            Verb::Prot => self.prot(raw).await,
            Verb::Pasv => self.pasv(false, arg).await,
            Verb::Epsv => self.pasv(true, arg).await,
            Verb::Port => self.port(raw).await,
            Verb::Eprt => self.eprt(raw).await,
            Verb::Retr => self.retr(arg).await,
            Verb::List => self.list(arg, true).await,
            Verb::Nlst => self.list(arg, false).await,
            Verb::Stor => self.store(arg, Upload::Store).await,
            Verb::Stou => self.store(arg, Upload::Unique).await,
            Verb::Appe => self.store(arg, Upload::Append).await,
            Verb::Mkd => self.mkd(arg).await,
            Verb::Rmd => self.rmd(arg).await,
            Verb::Dele => self.dele(arg).await,
            Verb::Rnfr => self.rnfr(arg).await,
            Verb::Rnto => self.rnto(arg).await,
            Verb::Site => self.site(arg).await,
            _ => self.say(texts::PERMISSION_DENIED).await,
        }
    }

    /// TYPE: binary (`I`, `L 8`) or ASCII (`A`, `A N`).
    async fn type_(&mut self, arg: &str) -> io::Result<Flow> {
        match arg.to_ascii_uppercase().as_str() {
            "I" | "L 8" => {
                self.binary = true;
                self.say(texts::TYPE_BINARY).await
            }
            "A" | "A N" => {
                self.binary = false;
                self.say(texts::TYPE_ASCII).await
            }
            _ => self.say(texts::TYPE_BAD).await,
        }
    }
}
