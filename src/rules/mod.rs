//! The rule registry: every rule vsconf knows, with its metadata and documentation.
//!
//! One rule = one file (`vscNNN_name.rs`) holding its doc comment, metadata and check; this file gets
//! one registration line in [`REGISTRY`]. A rule reads the effective configuration (and the tree and
//! startup prediction for positions) through [`Context`] and returns `Diagnostic`s: data, never text
//! for a terminal.

mod context;
pub mod docs;
mod engine;
mod evident;
mod fix;
mod passive;
mod suppress;

pub use context::Context;
pub use engine::{LintOptions, LintResult, lint, lint_with_overrides};
pub use suppress::{Directive, DirectiveOutcome, Suppression, parse_suppressions};

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::dialect::{Dialect, Kind, Tunable, TunableSpec};

/// The hundreds digit of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// VSC0xx: vsftpd refuses to start, crashes, or refuses every session.
    Startup,
    /// VSC1xx: settings that contradict each other.
    Consistency,
    /// VSC2xx: accepted, but read differently than meant.
    Pitfall,
    /// VSC3xx: unsafe.
    Security,
    /// VSC4xx: differs between dialects.
    Portability,
    /// VSC9xx: vsconf itself (suppressions, `vsconf.toml`).
    Vsconf,
}

impl Category {
    /// The word used in output and `vsconf.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Startup => "startup",
            Category::Consistency => "consistency",
            Category::Pitfall => "pitfall",
            Category::Security => "security",
            Category::Portability => "portability",
            Category::Vsconf => "vsconf",
        }
    }

    /// Parses a category word.
    pub fn parse(s: &str) -> Option<Category> {
        [
            Category::Startup,
            Category::Consistency,
            Category::Pitfall,
            Category::Security,
            Category::Portability,
            Category::Vsconf,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// Whether a rule's diagnostics carry fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixAvailability {
    /// Never.
    None,
    /// For some findings, with this applicability.
    Sometimes(Applicability),
    /// For every finding, with this applicability.
    Always(Applicability),
}

/// Whether a code is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The rule runs.
    Stable,
    /// The rule no longer runs; its code stays registered (never reused) so that `vsconf rules CODE`,
    /// suppressions and `vsconf.toml` still explain it.
    Removed {
        /// The vsconf version that removed it.
        since: &'static str,
        /// The code that reports what it reported, if one does.
        replaced_by: Option<&'static str>,
    },
}

/// Which settings a rule's findings are about: read by `vsconf explain` and `docs/settings/`, never by
/// the rule itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The file as a whole (encoding, line endings, comments, length, suppressions).
    File,
    /// These settings (groups, so that a rule can name the lists its check uses).
    Settings(&'static [&'static [Tunable]]),
    /// Every setting of these types.
    Kinds(&'static [Kind]),
    /// Every number meant as a mode or umask (the tunable table's octal column).
    Octal,
    /// Every setting that some build does not know.
    NotEverywhere,
    /// Every setting.
    Every,
}

impl Scope {
    /// Whether a finding of this scope can be about `spec`.
    pub fn covers(&self, spec: &TunableSpec) -> bool {
        match self {
            Scope::File => false,
            Scope::Settings(groups) => groups.iter().any(|g| g.contains(&spec.tunable)),
            Scope::Kinds(kinds) => kinds.contains(&spec.kind),
            Scope::Octal => spec.octal && spec.kind == Kind::Uint,
            Scope::NotEverywhere => Dialect::ALL.into_iter().any(|d| !spec.known_in(d)),
            Scope::Every => true,
        }
    }
}

/// What a rule is, independent of any file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// Stable code, never reused (`VSC101`).
    pub code: &'static str,
    /// Kebab-case name naming the problem (`pasv-range-unset`).
    pub name: &'static str,
    /// Category (the hundreds digit of the code).
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Whether and how it fixes.
    pub fix: FixAvailability,
    /// The dialects it applies to.
    pub dialects: &'static [Dialect],
    /// Whether it needs `--host-checks`.
    pub host_checks: bool,
    /// One line for tables.
    pub summary: &'static str,
    /// Whether the rule runs.
    pub status: Status,
    /// The settings its findings are about (not in `rules --json`, whose fields stay as they were).
    #[serde(skip)]
    pub scope: Scope,
    /// Whether a finding of the rule can be fatal (a line vsftpd refuses to start with): every startup
    /// rule, and the others that say so with [`RuleMeta::can_refuse`]. The engine reads a refused
    /// file's other rules only as the file evidently means, and [`Registered::check`] holds every
    /// rule to this in debug builds (not in `rules --json`).
    #[serde(skip)]
    pub refuses: bool,
}

impl RuleMeta {
    /// A stable rule with default severity error that applies to every dialect, needs no host checks
    /// and has no fix; the category is the code's hundreds digit (a malformed code fails to compile).
    /// Chain [`RuleMeta::summary`] and, where they differ, the other builders.
    pub const fn error(code: &'static str, name: &'static str) -> RuleMeta {
        RuleMeta {
            code,
            name,
            category: category_of(code),
            severity: Severity::Error,
            fix: FixAvailability::None,
            dialects: ALL_DIALECTS,
            host_checks: false,
            summary: "",
            status: Status::Stable,
            scope: Scope::File,
            refuses: matches!(category_of(code), Category::Startup),
        }
    }

    /// [`RuleMeta::error`] with default severity warning.
    pub const fn warning(code: &'static str, name: &'static str) -> RuleMeta {
        RuleMeta {
            severity: Severity::Warning,
            ..RuleMeta::error(code, name)
        }
    }

    /// [`RuleMeta::error`] with default severity info.
    pub const fn info(code: &'static str, name: &'static str) -> RuleMeta {
        RuleMeta {
            severity: Severity::Info,
            ..RuleMeta::error(code, name)
        }
    }

    /// The one line shown in tables.
    pub const fn summary(self, summary: &'static str) -> RuleMeta {
        RuleMeta { summary, ..self }
    }

    /// Whether and how its findings carry fixes.
    pub const fn fixes(self, fix: FixAvailability) -> RuleMeta {
        RuleMeta { fix, ..self }
    }

    /// Runs only under these dialects.
    pub const fn only_in(self, dialects: &'static [Dialect]) -> RuleMeta {
        RuleMeta { dialects, ..self }
    }

    /// Its findings are about these settings (see [`Scope`]); without this, about the file as a whole.
    pub const fn scope(self, scope: Scope) -> RuleMeta {
        RuleMeta { scope, ..self }
    }

    /// Its findings are about these settings: [`RuleMeta::scope`] with [`Scope::Settings`].
    pub const fn settings(self, groups: &'static [&'static [Tunable]]) -> RuleMeta {
        RuleMeta {
            scope: Scope::Settings(groups),
            ..self
        }
    }

    /// Some of its findings are fatal although it is not a startup rule (see [`RuleMeta::refuses`]).
    pub const fn can_refuse(self) -> RuleMeta {
        RuleMeta {
            refuses: true,
            ..self
        }
    }

    /// Runs only with `--host-checks`.
    pub const fn needs_host(self) -> RuleMeta {
        RuleMeta {
            host_checks: true,
            ..self
        }
    }

    /// Retired in vsconf `since`; `replaced_by` reports what it reported, if a rule does.
    pub const fn removed(self, since: &'static str, replaced_by: Option<&'static str>) -> RuleMeta {
        RuleMeta {
            status: Status::Removed { since, replaced_by },
            ..self
        }
    }

    /// Whether the rule runs at all (not removed).
    pub fn is_active(&self) -> bool {
        self.status == Status::Stable
    }
}

/// The category a code's hundreds digit names. Evaluated at compile time for every rule's `META`, so
/// a code outside the ranges is a build error rather than a wrong table.
#[expect(
    clippy::panic,
    reason = "only evaluated in the `META` consts: a malformed code fails the build, never a run"
)]
const fn category_of(code: &str) -> Category {
    let bytes = code.as_bytes();
    assert!(
        bytes.len() == 6
            && bytes[0] == b'V'
            && bytes[1] == b'S'
            && bytes[2] == b'C'
            && bytes[4].is_ascii_digit()
            && bytes[5].is_ascii_digit(),
        "rule codes are VSCnnn"
    );
    match bytes[3] {
        b'0' => Category::Startup,
        b'1' => Category::Consistency,
        b'2' => Category::Pitfall,
        b'3' => Category::Security,
        b'4' => Category::Portability,
        b'9' => Category::Vsconf,
        _ => panic!("no category has this hundreds digit"),
    }
}

/// All dialects, for rules that apply everywhere.
pub const ALL_DIALECTS: &[Dialect] = &Dialect::ALL;

/// A byte count inside the buffer as a span offset. Buffers are capped far below 4 GiB when read, so
/// this never saturates in practice; it exists so that no rule narrows with `as`.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A span to point at, cut to its first 200 bytes: a finding about a megabyte-long line points at
/// its start rather than asking the renderer to underline all of it.
fn head(span: crate::syntax::Span) -> crate::syntax::Span {
    crate::syntax::Span::new(span.start, span.end.min(span.start.saturating_add(200)))
}

/// Bytes from the file for a message: escaped like `escape_bytes`, and cut after 60 bytes so that a
/// megabyte-long value does not become a megabyte-long message.
fn excerpt(bytes: &[u8]) -> String {
    const MAX: usize = 60;
    match bytes.get(..MAX) {
        Some(head) if bytes.len() > MAX => format!("{}…", crate::syntax::escape_bytes(head)),
        _ => crate::syntax::escape_bytes(bytes),
    }
}

/// A check over one config file. `META` says what the rule is; the [`Context`] it is handed knows
/// it, so `cx.report(span, message)` starts a finding of this rule.
pub trait Rule: Sync {
    /// The rule's metadata.
    const META: RuleMeta;
    /// Pushes the rule's findings.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// A registered rule: its metadata, its check and the source file its documentation is read from.
pub struct Registered {
    meta: &'static RuleMeta,
    check: fn(&Context<'_>, &mut Vec<Diagnostic>),
    /// The rule file's source (the `///` comment above the struct is the documentation).
    pub source: &'static str,
    /// The file name under `src/rules/`.
    pub file: &'static str,
}

impl Registered {
    /// The rule's metadata.
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    /// Runs the rule.
    pub(crate) fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let before = out.len();
        (self.check)(cx, out);
        debug_assert!(
            out.get(before..)
                .unwrap_or_default()
                .iter()
                .all(|d| d.code == self.meta.code && (!d.fatal || self.meta.refuses)),
            "{}: a finding under another code, or a fatal one from a rule without `refuses`",
            self.meta.code
        );
    }

    /// The rule's documentation: the `///` comment above its struct, in Markdown.
    pub fn doc(&self) -> String {
        let mut block: Vec<&str> = Vec::new();
        for line in self.source.lines() {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("///") {
                block.push(rest.strip_prefix(' ').unwrap_or(rest));
            } else if trimmed.starts_with("pub(crate) struct") || trimmed.starts_with("pub struct")
            {
                break;
            } else if !trimmed.starts_with("#[") {
                block.clear();
            }
        }
        let mut doc = block.join("\n");
        doc.push('\n');
        doc
    }
}

macro_rules! register {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every rule, in code order.
        pub static REGISTRY: &[Registered] = &[
            $(Registered {
                meta: &<$module::$rule as Rule>::META,
                check: |cx, out| $module::$rule.check(cx, out),
                source: include_str!(concat!(stringify!($module), ".rs")),
                file: concat!(stringify!($module), ".rs"),
            },)*
        ];
    };
}

register! {
    vsc001_unrecognised_variable::UnrecognisedVariable,
    vsc002_missing_value::MissingValue,
    vsc003_bad_bool_value::BadBoolValue,
    vsc004_blank_string_crash::BlankStringCrash,
    vsc005_indented_comment::IndentedComment,
    vsc006_byte_order_mark::ByteOrderMark,
    vsc007_two_listeners::TwoListeners,
    vsc008_bad_listen_address::BadListenAddress,
    vsc009_inetd_mode::InetdMode,
    vsc010_tcp_wrappers_unsupported::TcpWrappersUnsupported,
    vsc011_sessions_refused::SessionsRefused,
    vsc012_host_refusal::HostRefusal,
    vsc013_crlf_line_endings::CrlfLineEndings,
    vsc101_pasv_range_unset::PasvRangeUnset,
    vsc102_pasv_range_half_set::PasvRangeHalfSet,
    vsc103_pasv_range_inverted::PasvRangeInverted,
    vsc104_pasv_range_ignored::PasvRangeIgnored,
    vsc105_pasv_range_overlaps_service_port::PasvRangeOverlapsServicePort,
    vsc106_pasv_range_too_small::PasvRangeTooSmall,
    vsc107_no_data_channel::NoDataChannel,
    vsc108_ftp_data_port_ignored::FtpDataPortIgnored,
    vsc109_listener_setting_ignored::ListenerSettingIgnored,
    vsc110_tls_settings_without_tls::TlsSettingsWithoutTls,
    vsc111_max_per_ip_above_max_clients::MaxPerIpAboveMaxClients,
    vsc112_chroot_list_inverted_meaning::ChrootListInvertedMeaning,
    vsc113_userlist_allow_semantics::UserlistAllowSemantics,
    vsc114_anonymous_settings_while_anonymous_disabled::AnonymousSettingsWhileAnonymousDisabled,
    vsc115_upload_without_write_enable::UploadWithoutWriteEnable,
    vsc116_local_settings_while_local_disabled::LocalSettingsWhileLocalDisabled,
    vsc117_implicit_ssl_on_port_21::ImplicitSslOnPort21,
    vsc201_number_trailing_junk::NumberTrailingJunk,
    vsc202_number_without_digits::NumberWithoutDigits,
    vsc203_port_number_wraps::PortNumberWraps,
    vsc204_decimal_umask::DecimalUmask,
    vsc205_leading_zero_is_octal::LeadingZeroIsOctal,
    vsc206_string_whitespace_kept::StringWhitespaceKept,
    vsc207_duplicate_setting::DuplicateSetting,
    vsc208_file_truncated::FileTruncated,
    vsc209_nul_byte_in_line::NulByteInLine,
    vsc210_pasv_address_invalid::PasvAddressInvalid,
    vsc211_pasv_address_private::PasvAddressPrivate,
    vsc212_pasv_address_ignored_with_ipv6_listener::PasvAddressIgnoredWithIpv6Listener,
    vsc213_seccomp_sandbox_breaks_tls::SeccompSandboxBreaksTls,
    vsc214_writable_chroot_root::WritableChrootRoot,
    vsc215_anon_root_missing::AnonRootMissing,
    vsc216_chroot_into_writable_home::ChrootIntoWritableHome,
    vsc217_comment_in_string_value::CommentInStringValue,
    vsc301_anonymous_upload::AnonymousUpload,
    vsc302_anonymous_other_write::AnonymousOtherWrite,
    vsc303_cleartext_local_logins::CleartextLocalLogins,
    vsc304_tls_not_forced::TlsNotForced,
    vsc305_obsolete_tls_protocol::ObsoleteTlsProtocol,
    vsc306_weak_ssl_ciphers::WeakSslCiphers,
    vsc307_promiscuous_data_connections::PromiscuousDataConnections,
    vsc308_local_users_not_chrooted::LocalUsersNotChrooted,
    vsc309_writeable_chroot_allowed::WriteableChrootAllowed,
    vsc310_recursive_listing_enabled::RecursiveListingEnabled,
    vsc311_transfer_log_disabled::TransferLogDisabled,
    vsc312_anonymous_ids_shown::AnonymousIdsShown,
    vsc313_anon_root_writable::AnonRootWritable,
    vsc314_anonymous_enabled_implicitly::AnonymousEnabledImplicitly,
    vsc315_anonymous_password_not_asked::AnonymousPasswordNotAsked,
    vsc316_tls_certificate_expired::TlsCertificateExpired,
    vsc401_default_differs_between_dialects::DefaultDiffersBetweenDialects,
    vsc402_tls_version_name_not_parsed::TlsVersionNameNotParsed,
    vsc901_unknown_suppression::UnknownSuppression,
    vsc902_misplaced_suppression::MisplacedSuppression,
    vsc903_unused_suppression::UnusedSuppression,
}

/// Finds a rule by code (`VSC101`, case-insensitive) or name (`pasv-range-unset`).
pub fn find(code_or_name: &str) -> Option<&'static Registered> {
    // Findings look their rule up by its exact code, several times each in a lint run: a binary
    // search of the registry (kept in code order, see the test below) answers those without the
    // case-insensitive scan (3% of a bulk run, callgrind). No name equals a code, so the answer is the
    // scan's.
    if let Ok(at) = REGISTRY.binary_search_by(|r| r.meta().code.cmp(code_or_name)) {
        return REGISTRY.get(at);
    }
    REGISTRY
        .iter()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_sorted() {
        let mut codes: Vec<&str> = REGISTRY.iter().map(|r| r.meta().code).collect();
        let sorted = {
            let mut c = codes.clone();
            c.sort();
            c
        };
        assert_eq!(codes, sorted, "register rules in code order");
        codes.dedup();
        assert_eq!(codes.len(), REGISTRY.len());
        let mut names: Vec<&str> = REGISTRY.iter().map(|r| r.meta().name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), REGISTRY.len());
    }

    #[test]
    fn category_matches_the_hundreds_digit() {
        for r in REGISTRY {
            let m = r.meta();
            let digit = m.code.as_bytes().get(3).copied();
            let want = match m.category {
                Category::Startup => b'0',
                Category::Consistency => b'1',
                Category::Pitfall => b'2',
                Category::Security => b'3',
                Category::Portability => b'4',
                Category::Vsconf => b'9',
            };
            assert_eq!(digit, Some(want), "{}", m.code);
        }
    }
}
