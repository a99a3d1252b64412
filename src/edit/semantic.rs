//! The semantic diff: two effective configurations compared setting by setting — whether the change
//! comes from a line, a default or a dialect switch — and what the difference means for vsftpd: startup,
//! ports opened or closed, logins, writes, TLS.
//!
//! The port consequences are the firewall plan's ports (`firewall::plan::read_server`: control port,
//! the effective passive range of data-channel.md §1, the active-mode source port), before and after.
//!
//! JSON (`"version": 1`): `{version, old: {path, dialect, startup}, new: {…}, changes: [{name, type,
//! old, new, old_origin, new_origin, cause}], consequences: [{area, effect, message}], firewall: {before,
//! after, opened, closed}}`. Values are strings in the manual's spelling (`YES`, `022`, `(none)` for an
//! unset string), `null` when the dialect does not have the setting; an origin is `{"kind": "default"}`,
//! `{"kind": "line", "line": N}` or `{"kind": "unknown"}` (the dialect does not have the setting).
//! `before` and `after` are `{control, passive, active_source, inbound, refused}`; `refused` (added in
//! issue 10) is true where vsftpd refuses the listener, which then opens nothing.

use serde::Serialize;

use crate::dialect::{Dialect, Kind, TUNABLES, Tunable};
use crate::firewall::plan::{self, PortRange};
use crate::model::{self, EffectiveConfig, ListenMode, Origin};
use crate::startup::Prediction;
use crate::syntax::{Cst, LineIndex};

/// One side of the comparison.
pub struct Side<'a> {
    /// The path, for output.
    pub path: &'a str,
    /// The tree.
    pub cst: &'a Cst,
    /// Its effective configuration.
    pub config: &'a EffectiveConfig,
    /// What vsftpd does with it.
    pub prediction: &'a Prediction,
}

/// Where a value comes from, for output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "line")]
pub enum Source {
    /// The compiled-in default.
    Default,
    /// A line of the file (1-based).
    Line(u32),
    /// The dialect has no such setting.
    Unknown,
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Source::Default => "default".to_owned(),
            Source::Line(n) => format!("line {n}"),
            Source::Unknown => "not in dialect".to_owned(),
        }
    }
}

/// Why a value differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A line was added, removed or changed.
    File,
    /// Neither file sets it; the dialects' defaults differ.
    Default,
    /// One dialect does not have the setting.
    Dialect,
}

/// One setting whose effective value differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingChange {
    /// The tunable's name.
    pub name: &'static str,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The old value, `None` when the old dialect lacks it.
    pub old: Option<String>,
    /// The new value.
    pub new: Option<String>,
    /// Where the old value came from.
    pub old_origin: Source,
    /// Where the new value comes from.
    pub new_origin: Source,
    /// Why it differs.
    pub cause: Cause,
}

/// What a difference does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// Whether vsftpd starts.
    Startup,
    /// Listening ports and data-channel ports.
    Ports,
    /// Who may log in.
    Logins,
    /// Who may write.
    Writes,
    /// Encryption.
    Tls,
}

/// The direction of a consequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Something is now possible or open.
    Enabled,
    /// Something is now impossible or closed.
    Disabled,
    /// Security improves.
    Strengthened,
    /// Security weakens.
    Weakened,
    /// Neither, or both.
    Changed,
}

/// One consequence, for people and machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consequence {
    /// What it is about.
    pub area: Area,
    /// Which way.
    pub effect: Effect,
    /// One line.
    pub message: String,
}

/// Where active-mode data connections come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "port")]
pub enum ActiveSource {
    /// `port_enable=NO`: no active mode.
    Off,
    /// A fixed source port (`connect_from_port_20=YES`).
    Port(u16),
    /// A kernel-chosen port.
    Ephemeral,
}

/// The ports a config needs, derived from the model (data-channel.md §6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortPlan {
    /// The standalone control port (`None` in inetd mode; `Some(0)`: a random port).
    pub control: Option<u16>,
    /// The effective passive range, when passive mode is on.
    pub passive: Option<PortRange>,
    /// Active-mode source port.
    pub active_source: ActiveSource,
    /// Inbound TCP ports a firewall must open, merged and sorted.
    pub inbound: Vec<PortRange>,
    /// Whether vsftpd refuses the listener (both listeners, a bad address): then nothing is open.
    pub refused: bool,
}

/// The firewall difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallChange {
    /// Before.
    pub before: PortPlan,
    /// After.
    pub after: PortPlan,
    /// Inbound ports open after but not before.
    pub opened: Vec<PortRange>,
    /// Inbound ports open before but not after.
    pub closed: Vec<PortRange>,
}

/// One side's summary in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideSummary {
    /// The path.
    pub path: String,
    /// The dialect.
    pub dialect: Dialect,
    /// The startup prediction, in words.
    pub startup: String,
}

/// The whole semantic diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SemanticDiff {
    /// Format version.
    pub version: u32,
    /// The old file.
    pub old: SideSummary,
    /// The new file.
    pub new: SideSummary,
    /// Every setting whose effective value differs, in name order.
    pub changes: Vec<SettingChange>,
    /// What the differences mean.
    pub consequences: Vec<Consequence>,
    /// Ports before and after.
    pub firewall: FirewallChange,
}

impl SemanticDiff {
    /// Whether the effective configurations are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.old.startup == self.new.startup
    }
}

fn source(config: &EffectiveConfig, tunable: Tunable, index: &LineIndex) -> Source {
    match config.get(tunable).map(|e| &e.origin) {
        None => Source::Unknown,
        // The semantic diff compares files; overrides are not part of either.
        Some(Origin::Default | Origin::Override { .. }) => Source::Default,
        Some(Origin::File { line, .. }) => Source::Line(index.line_column(line.start).line.0),
    }
}

fn shown(config: &EffectiveConfig, tunable: Tunable) -> Option<String> {
    let spec = tunable.spec();
    config
        .get(tunable)
        .map(|e| e.value.display(spec.octal && spec.kind == Kind::Uint))
}

/// Compares two configurations.
pub fn compare(old: &Side<'_>, new: &Side<'_>) -> SemanticDiff {
    let old_index = LineIndex::new(old.cst.text());
    let new_index = LineIndex::new(new.cst.text());
    let mut changes = Vec::new();
    for spec in TUNABLES.iter() {
        let t = spec.tunable;
        let (a, b) = (old.config.get(t), new.config.get(t));
        let differs = match (a, b) {
            (Some(a), Some(b)) => a.value != b.value,
            (None, None) => false,
            _ => true,
        };
        if !differs {
            continue;
        }
        let old_origin = source(old.config, t, &old_index);
        let new_origin = source(new.config, t, &new_index);
        let cause = match (&old_origin, &new_origin) {
            (Source::Unknown, _) | (_, Source::Unknown) => Cause::Dialect,
            (Source::Default, Source::Default) => Cause::Default,
            _ => Cause::File,
        };
        changes.push(SettingChange {
            name: spec.name,
            kind: spec.kind.as_str(),
            old: shown(old.config, t),
            new: shown(new.config, t),
            old_origin,
            new_origin,
            cause,
        });
    }
    changes.sort_by_key(|c| c.name);
    let before = port_plan(old.config);
    let after = port_plan(new.config);
    let firewall = FirewallChange {
        opened: subtract(&after.inbound, &before.inbound),
        closed: subtract(&before.inbound, &after.inbound),
        before,
        after,
    };
    let mut consequences = Vec::new();
    startup_consequences(old.prediction, new.prediction, &mut consequences);
    port_consequences(&firewall, &mut consequences);
    advertised_address(old.config, new.config, &mut consequences);
    login_consequences(old.config, new.config, &mut consequences);
    tls_consequences(old.config, new.config, &mut consequences);
    SemanticDiff {
        version: 1,
        old: SideSummary {
            path: old.path.to_owned(),
            dialect: old.config.dialect(),
            startup: super::describe_prediction(old.prediction),
        },
        new: SideSummary {
            path: new.path.to_owned(),
            dialect: new.config.dialect(),
            startup: super::describe_prediction(new.prediction),
        },
        changes,
        consequences,
        firewall,
    }
}

/// The ports a config needs: the firewall plan's ([`plan::read_server`]; a TLS config with an
/// unpinned range still lists the range it would need). A listener vsftpd refuses opens nothing.
pub fn port_plan(config: &EffectiveConfig) -> PortPlan {
    let Ok(server) = plan::read_server("", config) else {
        return PortPlan {
            control: None,
            passive: None,
            active_source: ActiveSource::Off,
            inbound: Vec::new(),
            refused: true,
        };
    };
    let control = (server.mode != ListenMode::Inetd).then_some(server.control_port);
    let passive = server.passive.map(|p| p.range);
    let active_source = match server.active.map(|a| a.source) {
        None => ActiveSource::Off,
        Some(model::ActiveSource::Port(p)) => ActiveSource::Port(p),
        Some(model::ActiveSource::Ephemeral) => ActiveSource::Ephemeral,
    };
    let mut ranges: Vec<PortRange> = control
        .filter(|p| *p != 0)
        .map(PortRange::single)
        .into_iter()
        .collect();
    ranges.extend(passive);
    PortPlan {
        control,
        passive,
        active_source,
        inbound: merge(ranges),
        refused: false,
    }
}

fn merge(mut ranges: Vec<PortRange>) -> Vec<PortRange> {
    ranges.sort();
    let mut out: Vec<PortRange> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if u32::from(r.first) <= u32::from(last.last) + 1 => {
                last.last = last.last.max(r.last)
            }
            _ => out.push(r),
        }
    }
    out
}

/// `a` minus `b`, both merged.
fn subtract(a: &[PortRange], b: &[PortRange]) -> Vec<PortRange> {
    let mut out = Vec::new();
    for r in a {
        let mut pieces = vec![(u32::from(r.first), u32::from(r.last))];
        for cut in b {
            let (cf, cl) = (u32::from(cut.first), u32::from(cut.last));
            pieces = pieces
                .into_iter()
                .flat_map(|(f, l)| {
                    if cl < f || cf > l {
                        return vec![(f, l)];
                    }
                    let mut keep = Vec::new();
                    if cf > f {
                        keep.push((f, cf - 1));
                    }
                    if cl < l {
                        keep.push((cl + 1, l));
                    }
                    keep
                })
                .collect();
        }
        for (f, l) in pieces {
            if let (Ok(first), Ok(last)) = (u16::try_from(f), u16::try_from(l)) {
                out.push(PortRange { first, last });
            }
        }
    }
    out
}

fn list(ranges: &[PortRange]) -> String {
    if ranges.is_empty() {
        return "none".to_owned();
    }
    ranges
        .iter()
        .map(|r| r.dashed())
        .collect::<Vec<_>>()
        .join(", ")
}

fn startup_consequences(old: &Prediction, new: &Prediction, out: &mut Vec<Consequence>) {
    let (a, b) = (
        super::describe_prediction(old),
        super::describe_prediction(new),
    );
    if a == b {
        return;
    }
    let effect = match (super::severity_rank(old), super::severity_rank(new)) {
        (x, y) if y < x => Effect::Enabled,
        (x, y) if y > x => Effect::Disabled,
        _ => Effect::Changed,
    };
    out.push(Consequence {
        area: Area::Startup,
        effect,
        message: format!("vsftpd {a} → {b}"),
    });
}

fn describe_active(source: ActiveSource) -> String {
    match source {
        ActiveSource::Off => "off".to_owned(),
        ActiveSource::Port(p) => format!("from port {p}"),
        ActiveSource::Ephemeral => "from an ephemeral port".to_owned(),
    }
}

fn port_consequences(fw: &FirewallChange, out: &mut Vec<Consequence>) {
    let (a, b) = (&fw.before, &fw.after);
    let port = |plan: &PortPlan| match plan.control {
        None if plan.refused => "none (vsftpd refuses the listener)".to_owned(),
        None => "none (inetd mode)".to_owned(),
        Some(0) => "a random port (listen_port=0)".to_owned(),
        Some(p) => p.to_string(),
    };
    if a.control != b.control {
        let effect = match (a.control, b.control) {
            (None, Some(_)) => Effect::Enabled,
            (Some(_), None) => Effect::Disabled,
            _ => Effect::Changed,
        };
        out.push(Consequence {
            area: Area::Ports,
            effect,
            message: format!("control port {} → {}", port(a), port(b)),
        });
    }
    if a.passive != b.passive {
        let range = |r: Option<PortRange>| r.map_or("off".to_owned(), PortRange::dashed);
        let effect = match (a.passive, b.passive) {
            (None, Some(_)) => Effect::Enabled,
            (Some(_), None) => Effect::Disabled,
            (Some(x), Some(y)) if y.last - y.first < x.last - x.first => Effect::Strengthened,
            (Some(x), Some(y)) if y.last - y.first > x.last - x.first => Effect::Weakened,
            _ => Effect::Changed,
        };
        out.push(Consequence {
            area: Area::Ports,
            effect,
            message: format!("passive ports {} → {}", range(a.passive), range(b.passive)),
        });
    }
    if a.active_source != b.active_source {
        let effect = match (a.active_source, b.active_source) {
            (ActiveSource::Off, _) => Effect::Enabled,
            (_, ActiveSource::Off) => Effect::Disabled,
            _ => Effect::Changed,
        };
        out.push(Consequence {
            area: Area::Ports,
            effect,
            message: format!(
                "active-mode data connections {} → {}",
                describe_active(a.active_source),
                describe_active(b.active_source)
            ),
        });
    }
    if !fw.opened.is_empty() {
        out.push(Consequence {
            area: Area::Ports,
            effect: Effect::Enabled,
            message: format!("firewall must open inbound tcp {}", list(&fw.opened)),
        });
    }
    if !fw.closed.is_empty() {
        out.push(Consequence {
            area: Area::Ports,
            effect: Effect::Disabled,
            message: format!("firewall may close inbound tcp {}", list(&fw.closed)),
        });
    }
}

/// What the 227 reply advertises (data-channel.md §2): `pasv_address` only on an IPv4 listener.
fn advertised(config: &EffectiveConfig) -> String {
    match config.string(Tunable::PasvAddress) {
        Some(a) if !config.bool(Tunable::ListenIpv6) => crate::syntax::escape_bytes(a),
        Some(_) => {
            "the control connection's address (pasv_address is ignored with listen_ipv6=YES)"
                .to_owned()
        }
        None => "the control connection's address".to_owned(),
    }
}

fn advertised_address(old: &EffectiveConfig, new: &EffectiveConfig, out: &mut Vec<Consequence>) {
    let (a, b) = (advertised(old), advertised(new));
    if a != b && new.bool(Tunable::PasvEnable) {
        out.push(Consequence {
            area: Area::Ports,
            effect: Effect::Changed,
            message: format!("PASV replies advertise {a} → {b}"),
        });
    }
}

fn toggles(old: &EffectiveConfig, new: &EffectiveConfig, t: Tunable) -> Option<bool> {
    let (a, b) = (old.bool(t), new.bool(t));
    (a != b).then_some(b)
}

fn login_consequences(old: &EffectiveConfig, new: &EffectiveConfig, out: &mut Vec<Consequence>) {
    let onoff = |on: bool| {
        if on {
            Effect::Enabled
        } else {
            Effect::Disabled
        }
    };
    let word = |on: bool| if on { "enabled" } else { "disabled" };
    for (t, what) in [
        (Tunable::AnonymousEnable, "anonymous logins"),
        (Tunable::LocalEnable, "local user logins"),
        (Tunable::GuestEnable, "guest mapping of local users"),
    ] {
        if let Some(on) = toggles(old, new, t) {
            out.push(Consequence {
                area: Area::Logins,
                effect: onoff(on),
                message: format!("{what} {} ({}={})", word(on), t.name(), yes(on)),
            });
        }
    }
    if let Some(on) = toggles(old, new, Tunable::ChrootLocalUser) {
        let effect = if on {
            Effect::Strengthened
        } else {
            Effect::Weakened
        };
        let message = format!(
            "local users {} chrooted to their home (chroot_local_user={})",
            if on { "now" } else { "no longer" },
            yes(on)
        );
        out.push(Consequence {
            area: Area::Logins,
            effect,
            message,
        });
    }
    let can_write = |c: &EffectiveConfig| c.bool(Tunable::WriteEnable);
    let anon_upload = |c: &EffectiveConfig| {
        can_write(c) && c.bool(Tunable::AnonymousEnable) && c.bool(Tunable::AnonUploadEnable)
    };
    let local_write = |c: &EffectiveConfig| can_write(c) && c.bool(Tunable::LocalEnable);
    for (f, what) in [
        (
            &anon_upload as &dyn Fn(&EffectiveConfig) -> bool,
            "anonymous uploads",
        ),
        (&local_write, "writes by local users"),
    ] {
        let (a, b) = (f(old), f(new));
        if a != b {
            out.push(Consequence {
                area: Area::Writes,
                effect: if b { Effect::Enabled } else { Effect::Disabled },
                message: format!("{what} {}", word(b)),
            });
        }
    }
}

fn yes(on: bool) -> &'static str {
    if on { "YES" } else { "NO" }
}

fn tls_consequences(old: &EffectiveConfig, new: &EffectiveConfig, out: &mut Vec<Consequence>) {
    let mut push = |effect: Effect, message: String| {
        out.push(Consequence {
            area: Area::Tls,
            effect,
            message,
        })
    };
    if let Some(on) = toggles(old, new, Tunable::SslEnable) {
        let (effect, what) = if on {
            (Effect::Strengthened, "enabled")
        } else {
            (Effect::Weakened, "disabled: logins and data in clear text")
        };
        push(effect, format!("TLS {what} (ssl_enable={})", yes(on)));
    }
    if !new.bool(Tunable::SslEnable) && !old.bool(Tunable::SslEnable) {
        return;
    }
    tls_requirements(old, new, &mut push);
    tls_versions(old, new, &mut push);
    if let Some(on) = toggles(old, new, Tunable::AllowAnonSsl) {
        push(
            Effect::Changed,
            format!(
                "anonymous users {} use TLS (allow_anon_ssl={})",
                if on { "may" } else { "may not" },
                yes(on)
            ),
        );
    }
    tls_files(old, new, &mut push);
}

/// Turning these on makes TLS stricter.
fn tls_requirements(
    old: &EffectiveConfig,
    new: &EffectiveConfig,
    push: &mut impl FnMut(Effect, String),
) {
    for t in [
        Tunable::ForceLocalLoginsSsl,
        Tunable::ForceLocalDataSsl,
        Tunable::ForceAnonLoginsSsl,
        Tunable::ForceAnonDataSsl,
        Tunable::RequireSslReuse,
        Tunable::ImplicitSsl,
    ] {
        if let Some(on) = toggles(old, new, t) {
            let effect = if on {
                Effect::Strengthened
            } else {
                Effect::Weakened
            };
            push(effect, format!("{}={}", t.name(), yes(on)));
        }
    }
}

/// Protocol versions allowed or refused: allowing an old, broken one weakens TLS; TLS 1.2 and 1.3
/// only change it.
fn tls_versions(
    old: &EffectiveConfig,
    new: &EffectiveConfig,
    push: &mut impl FnMut(Effect, String),
) {
    for (t, version, broken) in [
        (Tunable::SslSslv2, "SSLv2", true),
        (Tunable::SslSslv3, "SSLv3", true),
        (Tunable::SslTlsv1, "TLS 1.0", true),
        (Tunable::SslTlsv11, "TLS 1.1", true),
        (Tunable::SslTlsv12, "TLS 1.2", false),
        (Tunable::SslTlsv13, "TLS 1.3", false),
    ] {
        if old.get(t).is_none() || new.get(t).is_none() {
            continue;
        }
        let Some(on) = toggles(old, new, t) else {
            continue;
        };
        let effect = match (broken, on) {
            (false, _) => Effect::Changed,
            (true, true) => Effect::Weakened,
            (true, false) => Effect::Strengthened,
        };
        push(
            effect,
            format!(
                "{version} {} ({}={})",
                if on { "allowed" } else { "refused" },
                t.name(),
                yes(on)
            ),
        );
    }
}

/// The cipher list and the certificate files.
fn tls_files(old: &EffectiveConfig, new: &EffectiveConfig, push: &mut impl FnMut(Effect, String)) {
    for t in [
        Tunable::SslCiphers,
        Tunable::RsaCertFile,
        Tunable::RsaPrivateKeyFile,
    ] {
        if old.get(t).map(|e| &e.value) != new.get(t).map(|e| &e.value)
            && old.get(t).is_some()
            && new.get(t).is_some()
        {
            push(
                Effect::Changed,
                format!(
                    "{} {} → {}",
                    t.name(),
                    shown(old, t).unwrap_or_default(),
                    shown(new, t).unwrap_or_default()
                ),
            );
        }
    }
}

/// The report for people.
pub fn render(diff: &SemanticDiff) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "--- {} ({})\n+++ {} ({})\n",
        diff.old.path, diff.old.dialect, diff.new.path, diff.new.dialect
    ));
    if diff.is_empty() {
        out.push_str("\nno effective change\n");
        return out;
    }
    out.push_str(&format!("\nsettings ({} changed):\n", diff.changes.len()));
    let width = diff.changes.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in &diff.changes {
        let old = c.old.clone().unwrap_or_else(|| "-".to_owned());
        let new = c.new.clone().unwrap_or_else(|| "-".to_owned());
        let cause = match c.cause {
            Cause::File => String::new(),
            Cause::Default => "  [default differs between dialects]".to_owned(),
            Cause::Dialect => "  [dialect]".to_owned(),
        };
        out.push_str(&format!(
            "  {:width$}  {old} ({}) → {new} ({}){cause}\n",
            c.name,
            c.old_origin.describe(),
            c.new_origin.describe()
        ));
    }
    if !diff.consequences.is_empty() {
        out.push_str("\nwhat it means:\n");
        for c in &diff.consequences {
            let area = match c.area {
                Area::Startup => "startup",
                Area::Ports => "ports",
                Area::Logins => "logins",
                Area::Writes => "writes",
                Area::Tls => "tls",
            };
            let effect = match (c.area, c.effect) {
                (_, Effect::Enabled) => "enabled",
                (_, Effect::Disabled) => "disabled",
                (Area::Ports, Effect::Strengthened) => "narrower",
                (Area::Ports, Effect::Weakened) => "wider",
                (_, Effect::Strengthened) => "stronger",
                (_, Effect::Weakened) => "weaker",
                (_, Effect::Changed) => "changed",
            };
            out.push_str(&format!("  {area:7}  {effect:8}  {}\n", c.message));
        }
    }
    let fw = &diff.firewall;
    out.push_str("\nfirewall (inbound tcp to the server):\n");
    out.push_str(&format!(
        "  before: {}\n  after:  {}\n",
        list(&fw.before.inbound),
        list(&fw.after.inbound)
    ));
    out.push_str(&format!(
        "  opened: {}\n  closed: {}\n",
        list(&fw.opened),
        list(&fw.closed)
    ));
    out.push_str(&format!(
        "  active mode: {} → {}\n",
        describe_active(fw.before.active_source),
        describe_active(fw.after.active_source)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::startup::predict;
    use crate::syntax::parse;

    fn diff(old: &str, new: &str, od: Dialect, nd: Dialect) -> SemanticDiff {
        let (a, b) = (parse(old.as_bytes()).cst, parse(new.as_bytes()).cst);
        let (ca, cb) = (
            EffectiveConfig::read(&a, od, None),
            EffectiveConfig::read(&b, nd, None),
        );
        let (pa, pb) = (predict(&ca, a.text()), predict(&cb, b.text()));
        compare(
            &Side {
                path: "old",
                cst: &a,
                config: &ca,
                prediction: &pa,
            },
            &Side {
                path: "new",
                cst: &b,
                config: &cb,
                prediction: &pb,
            },
        )
    }

    #[test]
    fn passive_range_follows_vsftpd() {
        let range = |t: &str| {
            port_plan(&EffectiveConfig::read(
                &parse(t.as_bytes()).cst,
                Dialect::Debian303,
                None,
            ))
            .passive
            .map_or("off".to_owned(), PortRange::dashed)
        };
        assert_eq!(range(""), "5001-65535");
        assert_eq!(range("pasv_min_port=0\npasv_max_port=0\n"), "1024-65535");
        assert_eq!(range("pasv_max_port=5000\n"), "5001-65535");
        assert_eq!(
            range("pasv_min_port=60000\npasv_max_port=50000\n"),
            "60000-65535"
        );
        assert_eq!(
            range("pasv_min_port=1000\npasv_max_port=1030\n"),
            "1024-1030"
        );
        assert_eq!(
            range("pasv_min_port=0\npasv_max_port=65534\n"),
            "1024-65534"
        );
        assert_eq!(range("pasv_min_port=65535\n"), "65535");
    }

    #[test]
    fn pinning_the_range_closes_ports() {
        let d = diff(
            "listen=YES\n",
            "listen=YES\npasv_min_port=50000\npasv_max_port=50100\n",
            Dialect::Debian303,
            Dialect::Debian303,
        );
        assert_eq!(d.changes.len(), 2);
        assert_eq!(list(&d.firewall.opened), "none");
        assert_eq!(list(&d.firewall.closed), "5001-49999, 50101-65535");
        assert!(
            d.consequences
                .iter()
                .any(|c| c.message == "passive ports 5001-65535 → 50000-50100")
        );
    }

    #[test]
    fn a_refused_listener_opens_nothing() {
        let d = diff(
            "listen=YES\npasv_min_port=50000\npasv_max_port=50100\n",
            "listen=YES\nlisten_ipv6=YES\npasv_min_port=50000\npasv_max_port=50100\n",
            Dialect::Debian303,
            Dialect::Debian303,
        );
        assert!(d.firewall.after.refused);
        assert_eq!(list(&d.firewall.closed), "21, 50000-50100");
        assert!(
            d.consequences
                .iter()
                .any(|c| c.message == "control port 21 → none (vsftpd refuses the listener)")
        );
    }

    #[test]
    fn tls_with_an_unpinned_range_keeps_its_ports() {
        // The firewall plan refuses this config (no firewall can follow encrypted PASV replies), but
        // the ports vsftpd uses are still the plan's.
        let d = diff(
            "listen=YES\n",
            "listen=YES\nssl_enable=YES\n",
            Dialect::Debian303,
            Dialect::Debian303,
        );
        assert_eq!(list(&d.firewall.after.inbound), "21, 5001-65535");
        assert_eq!(list(&d.firewall.opened), "none");
    }

    #[test]
    fn dialect_switch_shows_default_changes() {
        let d = diff(
            "listen=YES\n",
            "listen=YES\n",
            Dialect::Debian303,
            Dialect::Upstream305,
        );
        let tlsv1 = d.changes.iter().find(|c| c.name == "ssl_tlsv1").unwrap();
        assert_eq!(tlsv1.cause, Cause::Default);
        assert_eq!(
            (tlsv1.old.as_deref(), tlsv1.new.as_deref()),
            (Some("YES"), Some("NO"))
        );
        let tlsv13 = d.changes.iter().find(|c| c.name == "ssl_tlsv13").unwrap();
        assert_eq!(tlsv13.cause, Cause::Dialect);
    }

    #[test]
    fn same_effective_config_is_empty() {
        let d = diff(
            "listen=YES\n#c\n",
            "listen=yes\n",
            Dialect::Debian303,
            Dialect::Debian303,
        );
        assert!(d.is_empty());
    }
}
