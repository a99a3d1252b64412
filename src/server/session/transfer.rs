//! Transfers on the data connection: LIST/NLST, RETR, STOR/STOU/APPE, with vsftpd's final replies and
//! its rate limits (`anon_max_rate`, `local_max_rate`).

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::time::timeout;

use crate::ftp::Reply;
use crate::ftp::texts::{self, Text};

use super::super::Shared;
use super::super::fs::join_virtual;
use super::{DataSetup, Flow, Session, Stream};

/// What an upload command does with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Upload {
    /// STOR: create or overwrite (anonymous: create only, unless anon_other_write_enable).
    Store,
    /// APPE: append.
    Append,
    /// STOU: create under a name not yet taken.
    Unique,
}

impl Session {
    /// The session's transfer rate limit: `anon_max_rate` or `local_max_rate` by login kind.
    fn throttle(&self) -> Throttle {
        let b = &self.shared.behaviour;
        let rate = match &self.login {
            Some(l) if l.anonymous => b.anon_max_rate,
            Some(_) => b.local_max_rate,
            None => 0,
        };
        Throttle {
            bytes_per_second: rate,
            started: tokio::time::Instant::now(),
            sent: 0,
        }
    }

    /// The reply that ends a transfer: `done`, the failure, or — for a data timeout — the reply that
    /// also ends the session.
    pub(super) async fn finish_transfer(
        &mut self,
        failed: Option<Text>,
        done: Text,
    ) -> io::Result<Flow> {
        match failed {
            Some(t) if t == texts::DATA_TIMEOUT => self.fatal(t.reply()).await,
            Some(t) => self.say(t).await,
            None => self.say(done).await,
        }
    }

    /// Sends bytes on the data connection, then closes it; the final reply follows.
    pub(super) async fn send_data(
        &mut self,
        mut data: Stream,
        bytes: &[u8],
        done: Text,
    ) -> io::Result<Flow> {
        let limit = self.data_timeout();
        let mut failed = None;
        for chunk in bytes.chunks(64 * 1024) {
            failed = write_failure(timeout(limit, data.write_all(chunk)).await);
            if failed.is_some() {
                break;
            }
        }
        let _ = timeout(limit.min(Duration::from_secs(10)), data.shutdown()).await;
        drop(data);
        self.finish_transfer(failed, done).await
    }

    pub(super) async fn list(&mut self, arg: &str, long: bool) -> io::Result<Flow> {
        if !self.data_checks().await? {
            return Ok(Flow::Continue);
        }
        let lines = self.listing(arg, long).await?;
        let data = match self.open_data(texts::DIRECTORY_LISTING.reply()).await? {
            Ok(d) => d,
            Err(flow) => return Ok(flow),
        };
        let mut bytes = Vec::new();
        let done = match lines {
            Some(lines) => {
                for line in lines {
                    bytes.extend_from_slice(line.as_bytes());
                    bytes.extend_from_slice(b"\r\n");
                }
                texts::DIRECTORY_SEND_OK
            }
            None => texts::DIRECTORY_OPEN_FAILED,
        };
        self.send_data(data, &bytes, done).await
    }

    pub(super) async fn retr(&mut self, arg: &str) -> io::Result<Flow> {
        if !self.data_checks().await? {
            return Ok(Flow::Continue);
        }
        if self.rest != 0 && !self.binary {
            // debian-3.0.3 binary: REST then RETR in ASCII mode (the default TYPE).
            self.rest = 0;
            self.data = DataSetup::None;
            return self.say(texts::NO_ASCII_RESUME).await;
        }
        let target = join_virtual(&self.cwd, arg);
        let anon = self.anonymous();
        let host = self
            .on_disk(move |shared, access| {
                let world_only = anon && shared.behaviour.anon_world_readable_only;
                shared.root.existing(&target).filter(|p| {
                    access.reachable(p)
                        && std::fs::metadata(p).is_ok_and(|m| {
                            // anon_world_readable_only=YES: anonymous downloads need the "other"
                            // read bit, whoever owns the file (debian-3.0.3 binary: an anonymous
                            // upload with anon_umask=077 cannot be downloaded again).
                            let world = m.permissions().mode() & 0o004 != 0;
                            m.is_file() && access.permits(&m, 0o4) && (world || !world_only)
                        })
                })
            })
            .await?;
        let opened = match host {
            Some(p) if !arg.is_empty() => tokio::fs::File::open(p).await.ok(),
            _ => None,
        };
        let Some(mut file) = opened else {
            self.data = DataSetup::None;
            return self.say(texts::FAILED_TO_OPEN).await;
        };
        let size = file.metadata().await.map_or(0, |m| m.len());
        let offset = std::mem::take(&mut self.rest);
        if offset > 0 && file.seek(io::SeekFrom::Start(offset)).await.is_err() {
            return self.say(texts::FAILED_TO_OPEN).await;
        }
        let mut data = match self.open_data(texts::opening_binary(arg, size)).await? {
            Ok(d) => d,
            Err(flow) => return Ok(flow),
        };
        let limit = self.data_timeout();
        let mut throttle = self.throttle();
        let mut buf = vec![0u8; 64 * 1024];
        let mut failed = None;
        loop {
            let n = match file.read(&mut buf).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    failed = Some(Text {
                        code: 451,
                        text: "Failure reading local file.",
                    });
                    break;
                }
            };
            failed = write_failure(
                timeout(limit, data.write_all(buf.get(..n).unwrap_or_default())).await,
            );
            if failed.is_some() {
                break;
            }
            throttle.after(n).await;
        }
        let _ = timeout(limit.min(Duration::from_secs(10)), data.shutdown()).await;
        drop(data);
        self.finish_transfer(failed, texts::TRANSFER_COMPLETE).await
    }

    pub(super) async fn store(&mut self, arg: &str, how: Upload) -> io::Result<Flow> {
        if !self.data_checks().await? {
            return Ok(Flow::Continue);
        }
        let unique = match how {
            Upload::Unique => {
                let (cwd, arg) = (self.cwd.clone(), arg.to_owned());
                match self
                    .on_disk(move |shared, _| unique_name(shared, &cwd, &arg))
                    .await?
                {
                    Some(name) => Some(name),
                    None => {
                        self.data = DataSetup::None;
                        return self.say(texts::COULD_NOT_CREATE).await;
                    }
                }
            }
            _ => None,
        };
        let arg = unique.as_deref().unwrap_or(arg);
        let offset = std::mem::take(&mut self.rest);
        let Some(file) = self.open_upload(arg, how, offset).await? else {
            self.data = DataSetup::None;
            return self.say(texts::COULD_NOT_CREATE).await;
        };
        let preliminary = match &unique {
            Some(name) => Reply::new(150, format!("FILE: {name}")),
            None => texts::OK_TO_SEND.reply(),
        };
        let data = match self.open_data(preliminary).await? {
            Ok(d) => d,
            Err(flow) => return Ok(flow),
        };
        let failed = self.receive(data, file).await;
        self.finish_transfer(failed, texts::TRANSFER_COMPLETE).await
    }

    /// Opens the upload's file as vsftpd would for this user: `None` when it may not or cannot.
    async fn open_upload(
        &mut self,
        arg: &str,
        how: Upload,
        offset: u64,
    ) -> io::Result<Option<tokio::fs::File>> {
        let b = self.shared.behaviour.clone();
        let target = join_virtual(&self.cwd, arg);
        let append = how == Upload::Append;
        let mode = b.file_open_mode & !self.umask;
        let named = !arg.is_empty() && target != "/";
        // An existing file keeps its owner and mode and needs write permission itself.
        let checked = self
            .on_disk(move |shared, access| {
                let host = shared
                    .root
                    .entry(&target)
                    .filter(|h| named && access.may_write_in(h))?;
                let existed = std::fs::metadata(&host).ok();
                match &existed {
                    Some(m) if !access.permits(m, 0o2) => None,
                    _ => Some((host, existed.is_some())),
                }
            })
            .await?;
        let Some((host, existed)) = checked else {
            return Ok(None);
        };
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).mode(mode);
        if append {
            options.append(true).create(true);
        } else if how == Upload::Unique || (self.anonymous() && !b.anon_other_write_enable) {
            // vsftpd: anonymous uploads may not overwrite.
            options.create_new(true);
        } else {
            options.create(true).truncate(offset == 0);
        }
        // Bounded: opening a FIFO someone left in the root would block.
        let Ok(mut file) = timeout(Duration::from_secs(10), options.open(&host))
            .await
            .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
        else {
            return Ok(None);
        };
        if !existed {
            let host = host.clone();
            self.on_disk(move |_, access| {
                let _ = std::fs::set_permissions(&host, std::fs::Permissions::from_mode(mode));
                access.give_to_user(&host);
            })
            .await?;
        }
        if offset > 0 && !append && file.seek(io::SeekFrom::Start(offset)).await.is_err() {
            return Ok(None);
        }
        Ok(Some(file))
    }

    /// Copies the data connection into the file until the client closes it; the failure, if any.
    async fn receive(&mut self, mut data: Stream, mut file: tokio::fs::File) -> Option<Text> {
        let limit = self.data_timeout();
        let mut throttle = self.throttle();
        let mut buf = vec![0u8; 64 * 1024];
        let mut failed = None;
        loop {
            let n = match timeout(limit, data.read(&mut buf)).await {
                Ok(Ok(0)) => break,
                Ok(Ok(n)) => n,
                // A TLS peer that closes without close_notify: the bytes so far are kept (see docs).
                Ok(Err(e)) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                Ok(Err(_)) => {
                    failed = Some(texts::FAILURE_READING_NETWORK);
                    break;
                }
                Err(_) => {
                    failed = Some(texts::DATA_TIMEOUT);
                    break;
                }
            };
            if file
                .write_all(buf.get(..n).unwrap_or_default())
                .await
                .is_err()
            {
                failed = Some(texts::FAILURE_WRITING_FILE);
                break;
            }
            throttle.after(n).await;
        }
        let _ = file.flush().await;
        drop(data);
        failed
    }
}

/// The first free name for STOU. debian-3.0.3 binary: `STOU` alone creates `STOU.1`, `STOU.2`, …;
/// `STOU name` creates `name`, then `name.1`, `name.2`, …
fn unique_name(shared: &Shared, cwd: &str, arg: &str) -> Option<String> {
    let (base, first) = if arg.is_empty() {
        ("STOU", 1)
    } else {
        (arg, 0)
    };
    (first..1000u32)
        .map(|n| {
            if n == 0 {
                base.to_owned()
            } else {
                format!("{base}.{n}")
            }
        })
        .find(|name| {
            shared
                .root
                .entry(&join_virtual(cwd, name))
                .is_some_and(|p| std::fs::symlink_metadata(p).is_err())
        })
}

/// What a write on the data connection means for the transfer: nothing, a network failure, or a
/// data timeout.
fn write_failure(outcome: Result<io::Result<()>, tokio::time::error::Elapsed>) -> Option<Text> {
    match outcome {
        Ok(Ok(())) => None,
        Ok(Err(_)) => Some(texts::FAILURE_WRITING_NETWORK),
        Err(_) => Some(texts::DATA_TIMEOUT),
    }
}

/// Keeps a transfer's average rate at or below a limit by sleeping after each chunk, as vsftpd does
/// for `anon_max_rate` / `local_max_rate` (0 means unlimited).
struct Throttle {
    bytes_per_second: u32,
    started: tokio::time::Instant,
    sent: u64,
}

impl Throttle {
    async fn after(&mut self, bytes: usize) {
        if self.bytes_per_second == 0 {
            return;
        }
        self.sent = self.sent.saturating_add(bytes as u64);
        let due = Duration::from_secs_f64(self.sent as f64 / f64::from(self.bytes_per_second));
        let elapsed = self.started.elapsed();
        if due > elapsed {
            tokio::time::sleep(due - elapsed).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn throttle_keeps_the_average_at_the_limit() {
        let start = tokio::time::Instant::now();
        let mut t = Throttle {
            bytes_per_second: 1000,
            started: start,
            sent: 0,
        };
        for _ in 0..4 {
            t.after(500).await;
        }
        // 2000 bytes at 1000 bytes/s: two seconds of virtual time, not less.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let start = tokio::time::Instant::now();
        let mut unlimited = Throttle {
            bytes_per_second: 0,
            started: start,
            sent: 0,
        };
        unlimited.after(1 << 30).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
