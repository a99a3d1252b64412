//! The I/O half of `vsconf firewall --apply`: a trial like iptables-apply. Saves the exact live ruleset,
//! refuses when the new rules would cut something (see `vsconf::firewall::apply`), loads, and puts the
//! saved ruleset back unless the change is confirmed in time: on a terminal by answering the prompt,
//! otherwise by `vsconf firewall --confirm` from a second shell.
//!
//! State lives in `/run/vsconf/firewall-trial-<netns>.*` (one trial per network namespace):
//! `.meta` (tool and deadline), `.saved` (the listing before), `.decision` (created once, by whoever
//! decides first: `keep` or `roll-back`), `.result` (what the decider did). A detached watcher process
//! (`--trial-watch`, its own process group, so a dropped SSH session's hangup does not reach it) rolls
//! back at the deadline even when the process that loaded the rules is gone, and then removes the
//! state files when that process is gone. Every `--apply` and `--confirm` first removes other
//! namespaces' state files that nobody can still read: the namespace is gone, or the trial ended long
//! ago.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use vsconf::firewall::apply::{self as trial, Decision, Host};
use vsconf::firewall::lower::Ruleset;

use super::{FirewallCliError, listing, run_tool};

/// The directory that holds trial state.
const RUN_DIR: &str = "/run/vsconf";

/// The tool family a trial saves and restores with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `nft list ruleset` / `nft -f -`.
    Nft,
    /// `iptables-save` / `iptables-restore`.
    Iptables,
    /// `ip6tables-save` / `ip6tables-restore`.
    Ip6tables,
}

impl Tool {
    fn word(self) -> &'static str {
        match self {
            Tool::Nft => "nft",
            Tool::Iptables => "iptables",
            Tool::Ip6tables => "ip6tables",
        }
    }

    fn parse(word: &str) -> Option<Tool> {
        [Tool::Nft, Tool::Iptables, Tool::Ip6tables]
            .into_iter()
            .find(|t| t.word() == word)
    }

    fn list_argv(self) -> Vec<String> {
        match self {
            Tool::Nft => vec!["nft".into(), "list".into(), "ruleset".into()],
            Tool::Iptables | Tool::Ip6tables => vec![format!("{}-save", self.word())],
        }
    }

    /// The live ruleset, exactly as the tool prints it.
    pub fn save(self) -> Result<String, FirewallCliError> {
        let argv = self.list_argv();
        run_tool(&argv.iter().map(String::as_str).collect::<Vec<_>>(), None)
    }

    /// What the live ruleset is compared by: nft's listing as is; iptables-save without its dated
    /// comments and packet counters.
    fn comparable(self, text: &str) -> String {
        match self {
            Tool::Nft => text.to_owned(),
            Tool::Iptables | Tool::Ip6tables => listing(text),
        }
    }

    /// Puts `saved` back; returns what the ruleset looks like afterwards compared with `saved`.
    fn restore(self, saved: &str) -> String {
        let input = match self {
            Tool::Nft => trial::nft_restore_script(saved),
            Tool::Iptables | Tool::Ip6tables => {
                // iptables-restore replaces the tables it is given; tables the trial created are emptied
                // (built-in chains back to ACCEPT, vsconf's rules and user chains gone).
                let now = self.save().unwrap_or_default();
                let mut input = saved.to_owned();
                input.push_str(&empty_new_tables(saved, &now));
                input
            }
        };
        let restore: Vec<&str> = match self {
            Tool::Nft => vec!["nft", "-f", "-"],
            Tool::Iptables => vec!["iptables-restore", "-w", "10"],
            Tool::Ip6tables => vec!["ip6tables-restore", "-w", "10"],
        };
        if let Err(e) = run_tool(&restore, Some(&input)) {
            return format!("restore-failed\n{e}\n");
        }
        match self.save() {
            Ok(after) if self.comparable(&after) == self.comparable(saved) => {
                "restored\n".to_owned()
            }
            Ok(after) => format!(
                "restored-differs\n{}",
                similar::TextDiff::from_lines(&self.comparable(saved), &self.comparable(&after))
                    .unified_diff()
                    .header("saved before the trial", "after the roll-back")
            ),
            Err(e) => format!("restore-failed\n{e}\n"),
        }
    }
}

/// Whether `iptables-restore` (or ip6tables-restore) is the nf_tables variant (`iptables v1.8.9 (nf_tables)`).
pub fn xtables_on_nft(restore: &str) -> bool {
    run_tool(&[restore, "--version"], None).is_ok_and(|v| v.contains("nf_tables"))
}

/// `*table` sections that empty the tables present in `now` but absent from `saved`.
fn empty_new_tables(saved: &str, now: &str) -> String {
    let had: Vec<&str> = saved.lines().filter(|l| l.starts_with('*')).collect();
    let mut out = String::new();
    let mut keep = false;
    for line in now.lines() {
        if line.starts_with('*') {
            keep = !had.contains(&line);
            if keep {
                out.push_str(line);
                out.push('\n');
            }
        } else if keep {
            if let Some(rest) = line.strip_prefix(':') {
                let mut parts = rest.split_whitespace();
                if let (Some(chain), Some(policy)) = (parts.next(), parts.next()) {
                    if policy != "-" {
                        out.push_str(&format!(":{chain} ACCEPT [0:0]\n"));
                    }
                }
            } else if line == "COMMIT" {
                out.push_str("COMMIT\n");
                keep = false;
            }
        }
    }
    out
}

/// The trial state files of this network namespace.
struct State {
    base: PathBuf,
}

/// The prefix of every trial state file's name in [`RUN_DIR`].
const STATE_PREFIX: &str = "firewall-trial-";

/// How long after its deadline a trial's files may still be read by someone: the loader waits 40 s
/// for a result after the decision, and the decision comes at the deadline at the latest.
const STALE_AFTER_MS: u128 = 120_000;

impl State {
    fn here() -> State {
        // /proc/self/ns/net reads `net:[4026531840]`: one trial per namespace, found by `--confirm` run in
        // the same namespace.
        let ns = std::fs::read_link("/proc/self/ns/net")
            .ok()
            .map(|p| {
                p.to_string_lossy()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".to_owned());
        State::of(&ns)
    }

    /// The state files of the namespace whose inode number is `ns`.
    fn of(ns: &str) -> State {
        State {
            base: PathBuf::from(RUN_DIR).join(format!("{STATE_PREFIX}{ns}")),
        }
    }

    /// The process that loaded the rules, from the trial identity (`PID-MS`).
    fn loader(&self) -> Option<u32> {
        self.trial_id()?.split('-').next()?.parse().ok()
    }

    /// The newest modification time of this trial's files, in ms since the epoch.
    fn touched_ms(&self) -> Option<u128> {
        ["meta", "saved", "decision", "result"]
            .iter()
            .filter_map(|ext| std::fs::metadata(self.file(ext)).ok()?.modified().ok())
            .filter_map(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_millis())
            .max()
    }

    fn file(&self, ext: &str) -> PathBuf {
        let mut p = self.base.clone().into_os_string();
        p.push(format!(".{ext}"));
        PathBuf::from(p)
    }

    fn read(&self, ext: &str) -> Option<String> {
        std::fs::read_to_string(self.file(ext)).ok()
    }

    fn write(&self, ext: &str, text: &str) -> Result<(), FirewallCliError> {
        let path = self.file(ext);
        // The edit layer's atomic write; a new state file is private to root (0600).
        vsconf::edit::write::write_atomic(
            &path,
            text.as_bytes(),
            &vsconf::edit::write::WriteOptions::default(),
        )?;
        Ok(())
    }

    fn clear(&self) {
        for ext in ["meta", "saved", "decision", "result"] {
            let _ = std::fs::remove_file(self.file(ext));
        }
    }

    /// The tool and deadline of the trial recorded here.
    fn meta(&self) -> Option<(Tool, u128)> {
        let text = self.read("meta")?;
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k)?.strip_prefix('='))
        };
        Some((
            Tool::parse(field("tool")?)?,
            field("deadline_ms")?.parse().ok()?,
        ))
    }

    /// The identity of the trial recorded here: namespaces' inode numbers are reused, so a watcher left
    /// from an earlier trial under the same name must recognise that the files are no longer its own.
    fn trial_id(&self) -> Option<String> {
        let text = self.read("meta")?;
        text.lines()
            .find_map(|l| l.strip_prefix("trial="))
            .map(str::to_owned)
    }

    /// A trial that has not ended yet (a recorded one with no result, not long past its deadline).
    fn pending(&self) -> bool {
        self.meta().is_some_and(|(_, deadline)| {
            self.read("result").is_none() && now_ms() < deadline.saturating_add(60_000)
        })
    }

    /// Records `d` unless someone decided first; returns the decision that holds and whether it is ours.
    fn decide(&self, d: Decision) -> (Decision, bool) {
        let path = self.file("decision");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                let _ = f.write_all(d.word().as_bytes()).and_then(|()| f.sync_all());
                (d, true)
            }
            Err(_) => {
                // Created but maybe not yet written: give the writer a moment.
                for _ in 0..50 {
                    if let Some(held) = self.read("decision").as_deref().and_then(Decision::parse) {
                        return (held, false);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                (Decision::RollBack, false)
            }
        }
    }

    /// Acts on a decision we won: rolls back when asked, and records the result.
    fn carry_out(&self, d: Decision, tool: Tool) -> String {
        let result = match d {
            Decision::Keep => "kept\n".to_owned(),
            Decision::RollBack => match self.read("saved") {
                Some(saved) => tool.restore(&saved),
                None => "restore-failed\nthe saved ruleset is gone\n".to_owned(),
            },
        };
        let _ = self.write("result", &result);
        result
    }

    /// Waits up to `limit` for the decider's result.
    fn wait_result(&self, limit: Duration) -> Option<String> {
        let end = std::time::Instant::now() + limit;
        loop {
            if let Some(r) = self.read("result") {
                return Some(r);
            }
            if std::time::Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Whether process `pid` runs (a zombie, killed but not yet reaped, does not).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state letter follows the parenthesised command name, which may hold spaces.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next());
        !matches!(state, Some("Z" | "X") | None)
    })
}

/// Whether a network namespace with inode number `ns` still exists: some process is in it, or a
/// name under /run/netns (`ip netns add`) holds it.
fn namespace_exists(ns: &str) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(inode) = ns.parse::<u64>() else {
        // `default`: /proc/self/ns/net was unreadable; never call that namespace gone.
        return true;
    };
    let wanted = format!("net:[{inode}]");
    let in_use = std::fs::read_dir("/proc").is_ok_and(|procs| {
        procs.flatten().any(|p| {
            std::fs::read_link(p.path().join("ns/net")).is_ok_and(|l| l.to_string_lossy() == wanted)
        })
    });
    in_use
        || std::fs::read_dir("/run/netns").is_ok_and(|names| {
            names
                .flatten()
                .any(|n| n.metadata().is_ok_and(|m| m.ino() == inode))
        })
}

/// Removes the state files of trials in other namespaces that nobody can still be waiting for: the
/// namespace is gone, or the trial ended long ago (its loader and watcher died before cleaning up).
fn clear_stale(own: &State) {
    let Ok(entries) = std::fs::read_dir(RUN_DIR) else {
        return;
    };
    let mut namespaces: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(STATE_PREFIX)?;
            let (ns, ext) = rest.split_once('.')?;
            ["meta", "saved", "decision", "result"]
                .contains(&ext)
                .then(|| ns.to_owned())
        })
        .collect();
    namespaces.sort();
    namespaces.dedup();
    let now = now_ms();
    for ns in namespaces {
        let state = State::of(&ns);
        if state.base == own.base {
            continue;
        }
        let ended = match state.meta() {
            Some((_, deadline)) => now > deadline.saturating_add(STALE_AFTER_MS),
            None => state
                .touched_ms()
                .is_none_or(|t| now > t.saturating_add(STALE_AFTER_MS)),
        };
        if ended || !namespace_exists(&ns) {
            state.clear();
        }
    }
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// Listening TCP sockets and receiving UDP sockets of this namespace, with the owning process's name
/// where /proc tells it.
fn host(saved: &str, tool: Tool) -> Host {
    let mut listeners = Vec::new();
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        if let Ok(text) = std::fs::read_to_string(file) {
            listeners.extend(trial::listeners(&text));
        }
    }
    for file in ["/proc/net/udp", "/proc/net/udp6"] {
        if let Ok(text) = std::fs::read_to_string(file) {
            listeners.extend(trial::udp_listeners(&text));
        }
    }
    let owners = socket_owners();
    for l in &mut listeners {
        l.process = owners
            .iter()
            .find(|(inode, _)| *inode == l.inode)
            .map(|(_, name)| name.clone());
    }
    let ssh = std::env::var("SSH_CONNECTION")
        .ok()
        .and_then(|v| trial::ssh_session(&v));
    let chains = match tool {
        Tool::Nft => trial::nft_input_chains(saved),
        Tool::Iptables | Tool::Ip6tables => trial::iptables_input_chain(saved, tool.word())
            .into_iter()
            .collect(),
    };
    Host {
        listeners,
        ssh,
        chains,
    }
}

/// Socket inodes and the name of a process holding each (`/proc/PID/fd/* -> socket:[INODE]`).
fn socket_owners() -> Vec<(u64, String)> {
    let mut out = Vec::new();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return out;
    };
    for p in procs.flatten() {
        let pid = p.file_name();
        if !pid.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        let name = std::fs::read_to_string(p.path().join("comm"))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            let target = target.to_string_lossy();
            if let Some(inode) = target
                .strip_prefix("socket:[")
                .and_then(|s| s.strip_suffix(']'))
                .and_then(|s| s.parse::<u64>().ok())
            {
                out.push((inode, name.clone()));
            }
        }
    }
    out
}

/// How a trial is run.
pub struct Trial<'a> {
    /// The tool.
    pub tool: Tool,
    /// The check command (`nft -c -f -`).
    pub check: Vec<&'a str>,
    /// The load command.
    pub load: Vec<&'a str>,
    /// What the tools read.
    pub input: String,
    /// The lowered rules, to find what they would cut.
    pub rules: Ruleset,
    /// `--force`: load even when something would be cut.
    pub force: bool,
    /// `--confirm-within`.
    pub within: Duration,
}

/// Runs the trial; prints the change on stdout and the outcome on stderr.
pub fn run(t: &Trial<'_>) -> miette::Result<()> {
    let state = State::here();
    clear_stale(&state);
    if state.pending() {
        return Err(FirewallCliError::TrialPending(state.base.display().to_string()).into());
    }
    state.clear();
    let saved = t.tool.save()?;
    let cuts = trial::cuts(&t.rules, &host(&saved, t.tool));
    if !cuts.is_empty() {
        if !t.force {
            return Err(FirewallCliError::WouldCut(trial::describe(&cuts)).into());
        }
        super::eprint_text(&format!(
            "warning: --force: the new rules cut\n{}",
            trial::describe(&cuts)
        ));
    }
    run_tool(&t.check, Some(&t.input))?;

    std::fs::create_dir_all(RUN_DIR).map_err(|source| FirewallCliError::Io {
        path: RUN_DIR.to_owned(),
        source,
    })?;
    let deadline = now_ms().saturating_add(t.within.as_millis());
    state.write("saved", &saved)?;
    state.write(
        "meta",
        &format!(
            "tool={}\ndeadline_ms={deadline}\ntrial={}-{}\n",
            t.tool.word(),
            std::process::id(),
            now_ms()
        ),
    )?;
    spawn_watcher()?;
    if let Err(e) = run_tool(&t.load, Some(&t.input)) {
        // Nothing or part was loaded: put the saved ruleset back now.
        if let (Decision::RollBack, true) = state.decide(Decision::RollBack) {
            state.carry_out(Decision::RollBack, t.tool);
        }
        return Err(e.into());
    }
    let after = t.tool.save().unwrap_or_default();
    let (before, after) = (t.tool.comparable(&saved), t.tool.comparable(&after));
    let change = if before == after {
        "applied: the live ruleset already matched, nothing changed\n".to_owned()
    } else {
        similar::TextDiff::from_lines(&before, &after)
            .unified_diff()
            .header("live ruleset before", "after")
            .to_string()
    };
    super::super::write_stdout(change.as_bytes())?;

    let secs = t.within.as_secs_f64();
    let answers = if std::io::stdin().is_terminal() {
        super::eprint_text(&format!(
            "keep the new rules? type yes within {secs} s (anything else, or silence, restores the saved ruleset): "
        ));
        Some(prompt())
    } else {
        super::eprint_text(&format!(
            "trial: run `vsconf firewall --confirm` within {secs} s to keep the new rules; otherwise the \
             saved ruleset comes back\n"
        ));
        None
    };
    let decision = loop {
        if let Some(d) = state.read("decision").as_deref().and_then(Decision::parse) {
            break d;
        }
        if let Some(rx) = &answers {
            if let Ok(answer) = rx.try_recv() {
                let d = if matches!(answer.trim(), "y" | "yes" | "YES" | "Yes") {
                    Decision::Keep
                } else {
                    Decision::RollBack
                };
                let (held, ours) = state.decide(d);
                if ours {
                    state.carry_out(held, t.tool);
                }
                break held;
            }
        }
        if now_ms() >= deadline {
            let (held, ours) = state.decide(Decision::RollBack);
            if ours {
                state.carry_out(held, t.tool);
            }
            break held;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let result = state
        .wait_result(Duration::from_secs(40))
        .unwrap_or_else(|| "restore-failed\nno result from the process that decided\n".to_owned());
    state.clear();
    finish(decision, &result, secs)
}

/// Reports how a trial ended.
fn finish(decision: Decision, result: &str, secs: f64) -> miette::Result<()> {
    let (word, detail) = result.split_once('\n').unwrap_or((result, ""));
    match (decision, word) {
        (Decision::Keep, _) => {
            super::eprint_text("confirmed: the new rules stay\n");
            Ok(())
        }
        (Decision::RollBack, "restored") => Err(FirewallCliError::RolledBack(format!(
            "not confirmed within {secs} s: the ruleset saved before the trial is back, identical to it"
        ))
        .into()),
        (Decision::RollBack, "restored-differs") => Err(FirewallCliError::RolledBack(format!(
            "not confirmed within {secs} s: the saved ruleset was loaded again, but the live one differs:\n{detail}"
        ))
        .into()),
        (Decision::RollBack, _) => Err(FirewallCliError::RestoreFailed(detail.trim().to_owned()).into()),
    }
}

/// Reads one answer from the terminal on a thread, so the deadline still holds.
fn prompt() -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_ok() {
            let _ = tx.send(line);
        }
    });
    rx
}

/// Starts the watcher that rolls back at the deadline if this process is gone by then.
fn spawn_watcher() -> Result<(), FirewallCliError> {
    let exe = std::env::current_exe().map_err(|source| FirewallCliError::Io {
        path: "/proc/self/exe".to_owned(),
        source,
    })?;
    Command::new(exe)
        .args(["firewall", "--trial-watch"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| FirewallCliError::Tool {
            tool: "vsconf firewall --trial-watch".to_owned(),
            detail: format!("cannot start the roll-back watcher: {e}"),
        })
}

/// `--trial-watch`: waits for a decision or the deadline; rolls back if it decides. Once the trial has
/// ended it removes the state files when the loader is gone (the loader removes them itself after
/// reporting; with it gone nobody else would).
pub fn watch() -> miette::Result<()> {
    let state = State::here();
    let Some((tool, deadline)) = state.meta() else {
        return Ok(());
    };
    let trial = state.trial_id();
    let loader = state.loader();
    loop {
        // A later trial under the same namespace name (an inode number reused) is not ours to end.
        if state.trial_id() != trial {
            return Ok(());
        }
        if state.read("decision").is_some() {
            break;
        }
        if now_ms() >= deadline {
            let (held, ours) = state.decide(Decision::RollBack);
            if ours {
                state.carry_out(held, tool);
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = state.wait_result(Duration::from_secs(40));
    if state.trial_id() == trial && !loader.is_some_and(running) {
        state.clear();
    }
    Ok(())
}

/// `--confirm`: keeps the rules of the pending trial in this network namespace.
pub fn confirm() -> miette::Result<()> {
    let state = State::here();
    clear_stale(&state);
    let Some((tool, _)) = state.meta().filter(|_| state.pending()) else {
        return Err(FirewallCliError::NoTrial.into());
    };
    let (held, ours) = state.decide(Decision::Keep);
    let result = if ours {
        state.carry_out(held, tool)
    } else {
        state
            .wait_result(Duration::from_secs(40))
            .unwrap_or_default()
    };
    match held {
        Decision::Keep => {
            super::eprint_text("confirmed: the new rules stay\n");
            Ok(())
        }
        Decision::RollBack => Err(FirewallCliError::RolledBack(format!(
            "too late: the trial had already ended and the saved ruleset was put back ({})",
            result.lines().next().unwrap_or("no result")
        ))
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_created_by_the_trial_are_emptied() {
        let saved = "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n";
        let now = "# x\n*raw\n:PREROUTING ACCEPT [1:2]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -j CT\nCOMMIT\n\
*filter\n:INPUT DROP [0:0]\n:mine - [0:0]\nCOMMIT\n";
        assert_eq!(
            empty_new_tables(saved, now),
            "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"
        );
    }
}
