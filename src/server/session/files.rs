//! Commands on names in the served directory: CWD, SIZE, MDTM, STAT of a path, MKD, RMD, DELE,
//! RNFR/RNTO and SITE (CHMOD, UMASK, HELP). Each asks `fs::Access` what the user may do, on tokio's
//! blocking threads.

use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::time::SystemTime;

use crate::ftp::Reply;
use crate::ftp::texts::{self, Text};

use super::super::fs::{self, ListStyle, join_virtual, list_args};
use super::{Flow, Session};

/// vsftpd's octal reading for SITE CHMOD and SITE UMASK: leading octal digits, the rest ignored
/// (debian-3.0.3 binary: `SITE CHMOD 999 file` answers `200 SITE CHMOD command ok.`).
fn octal_prefix(text: &str) -> u32 {
    text.bytes()
        .take_while(|b| (b'0'..=b'7').contains(b))
        .fold(0u32, |acc, b| {
            acc.wrapping_mul(8).wrapping_add(u32::from(b - b'0'))
        })
}

impl Session {
    /// The lines of `LIST`/`NLST`/`STAT path` (`long` for `ls -l` lines) as this user may see them;
    /// `None` when the directory cannot be opened.
    pub(super) async fn listing(&self, arg: &str, long: bool) -> io::Result<Option<Vec<String>>> {
        let b = &self.shared.behaviour;
        let style = ListStyle {
            hide_ids: b.hide_ids,
            force_dot_files: b.force_dot_files,
        };
        let args = list_args(arg);
        let cwd = self.cwd.clone();
        self.on_disk(move |shared, access| {
            fs::listing(
                &shared.root,
                &cwd,
                &args,
                long,
                style,
                SystemTime::now(),
                &|m| access.permits(m, 0o5),
            )
        })
        .await
    }

    pub(super) async fn stat_path(&mut self, arg: &str) -> io::Result<Flow> {
        let lines = self.listing(arg, true).await?.unwrap_or_default();
        self.send(&Reply::multi(
            213,
            "Status follows:",
            &lines,
            "End of status",
        ))
        .await?;
        Ok(Flow::Continue)
    }

    pub(super) async fn cwd(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let wanted = target.clone();
        let ok = !arg.is_empty()
            && self
                .on_disk(move |shared, access| {
                    shared
                        .root
                        .existing(&wanted)
                        .filter(|p| access.reachable(p))
                        .and_then(|p| std::fs::metadata(p).ok())
                        .is_some_and(|m| m.is_dir() && access.permits(&m, 0o1))
                })
                .await?;
        if ok {
            self.cwd = target;
            self.say_with_dir_message(texts::DIRECTORY_CHANGED).await
        } else {
            self.say(texts::FAILED_TO_CHANGE_DIRECTORY).await
        }
    }

    /// The metadata of a regular file the user may reach, for SIZE and MDTM.
    async fn reachable_file(&self, arg: &str) -> io::Result<Option<std::fs::Metadata>> {
        if arg.is_empty() {
            return Ok(None);
        }
        let target = join_virtual(&self.cwd, arg);
        self.on_disk(move |shared, access| {
            shared
                .root
                .existing(&target)
                .filter(|p| access.reachable(p))
                .and_then(|p| std::fs::metadata(p).ok())
                .filter(std::fs::Metadata::is_file)
        })
        .await
    }

    pub(super) async fn size(&mut self, arg: &str) -> io::Result<Flow> {
        match self.reachable_file(arg).await? {
            Some(m) => {
                self.send(&Reply::new(213, m.len().to_string())).await?;
                Ok(Flow::Continue)
            }
            None => self.say(texts::COULD_NOT_GET_SIZE).await,
        }
    }

    pub(super) async fn mdtm(&mut self, arg: &str) -> io::Result<Flow> {
        match self.reachable_file(arg).await? {
            Some(m) => {
                self.send(&Reply::new(213, fs::mdtm(m.mtime()))).await?;
                Ok(Flow::Continue)
            }
            None => self.say(texts::COULD_NOT_GET_MTIME).await,
        }
    }

    pub(super) async fn mkd(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let mode = 0o777 & !self.umask;
        let wanted = target.clone();
        let named = !arg.is_empty();
        let ok = self
            .on_disk(move |shared, access| match shared.root.entry(&wanted) {
                Some(host) if named && access.may_write_in(&host) => {
                    let made = std::fs::create_dir(&host).and_then(|()| {
                        std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode))
                    });
                    if made.is_ok() {
                        access.give_to_user(&host);
                    }
                    made.is_ok()
                }
                _ => false,
            })
            .await?;
        if ok {
            let reply = texts::mkd_created(&target);
            self.send(&reply).await?;
            Ok(Flow::Continue)
        } else {
            self.say(texts::CREATE_DIRECTORY_FAILED).await
        }
    }

    /// RMD and DELE: removes an entry other than the root where the user may write.
    async fn remove(&mut self, arg: &str, dir: bool, done: Text, failed: Text) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let ok = self
            .on_disk(move |shared, access| match shared.root.entry(&target) {
                Some(host) if target != "/" && access.may_write_in(&host) => {
                    if dir {
                        std::fs::remove_dir(&host).is_ok()
                    } else {
                        std::fs::symlink_metadata(&host).is_ok_and(|m| !m.is_dir())
                            && std::fs::remove_file(&host).is_ok()
                    }
                }
                _ => false,
            })
            .await?;
        self.say(if ok { done } else { failed }).await
    }

    pub(super) async fn rmd(&mut self, arg: &str) -> io::Result<Flow> {
        self.remove(
            arg,
            true,
            texts::REMOVE_DIRECTORY_OK,
            texts::REMOVE_DIRECTORY_FAILED,
        )
        .await
    }

    pub(super) async fn dele(&mut self, arg: &str) -> io::Result<Flow> {
        self.remove(arg, false, texts::DELETE_OK, texts::DELETE_FAILED)
            .await
    }

    pub(super) async fn rnfr(&mut self, arg: &str) -> io::Result<Flow> {
        let target = join_virtual(&self.cwd, arg);
        let wanted = target.clone();
        let exists = target != "/"
            && self
                .on_disk(move |shared, _| {
                    shared
                        .root
                        .entry(&wanted)
                        .is_some_and(|h| std::fs::symlink_metadata(h).is_ok())
                })
                .await?;
        if exists {
            self.rnfr = Some(target);
            self.say(texts::READY_FOR_RNTO).await
        } else {
            self.rnfr = None;
            self.say(texts::RNFR_FAILED).await
        }
    }

    pub(super) async fn rnto(&mut self, arg: &str) -> io::Result<Flow> {
        let Some(from) = self.rnfr.take() else {
            return self.say(texts::RNFR_FIRST).await;
        };
        let to = join_virtual(&self.cwd, arg);
        let ok = self
            .on_disk(move |shared, access| {
                match (shared.root.entry(&from), shared.root.entry(&to)) {
                    (Some(a), Some(b))
                        if to != "/" && access.may_write_in(&a) && access.may_write_in(&b) =>
                    {
                        std::fs::rename(a, b).is_ok()
                    }
                    _ => false,
                }
            })
            .await?;
        self.say(if ok {
            texts::RENAME_OK
        } else {
            texts::RENAME_FAILED
        })
        .await
    }

    pub(super) async fn site(&mut self, arg: &str) -> io::Result<Flow> {
        let b = self.shared.behaviour.clone();
        let chmod_enabled = b.write_enable && b.chmod_enable;
        let (word, rest) = arg.split_once(' ').unwrap_or((arg, ""));
        let reply = match word.to_ascii_uppercase().as_str() {
            "CHMOD" if chmod_enabled => self.chmod(rest).await?,
            "UMASK" if rest.is_empty() => {
                Reply::new(200, format!("Your current UMASK is 0{:o}", self.umask))
            }
            "UMASK" => {
                self.umask = octal_prefix(rest) & 0o777;
                Reply::new(200, format!("UMASK set to 0{:o}", self.umask))
            }
            // debian-3.0.3 binary: without write_enable and chmod_enable, CHMOD is an unknown SITE
            // command and HELP no longer lists it.
            "HELP" if chmod_enabled => Reply::new(214, "CHMOD UMASK HELP"),
            "HELP" => Reply::new(214, "UMASK HELP"),
            _ => Reply::new(500, "Unknown SITE command."),
        };
        self.send(&reply).await?;
        Ok(Flow::Continue)
    }

    /// SITE CHMOD `mode path`: chmod(2) needs the owner (or root).
    async fn chmod(&mut self, rest: &str) -> io::Result<Reply> {
        let (mode, path) = rest.split_once(' ').unwrap_or((rest, ""));
        let target = join_virtual(&self.cwd, path);
        let mode = octal_prefix(mode) & 0o7777;
        let named = !path.is_empty();
        let ok = self
            .on_disk(move |shared, access| match shared.root.existing(&target) {
                Some(host) if named && access.may_chmod(&host) => {
                    std::fs::set_permissions(host, std::fs::Permissions::from_mode(mode)).is_ok()
                }
                _ => false,
            })
            .await?;
        Ok(if ok {
            Reply::new(200, "SITE CHMOD command ok.")
        } else {
            Reply::new(550, "SITE CHMOD command failed.")
        })
    }
}
