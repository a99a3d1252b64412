use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::dialect::{Dialect, Tunable};
use crate::model::default_value;
use crate::syntax::{Span, escape_bytes};

use super::{ALL_DIALECTS, Category, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a setting left to its compiled-in default when that default differs between vsftpd
/// builds and changes what the server does:
/// - `listen` (YES upstream and on RHEL, NO on Debian: the same file is standalone on one and
///   inetd mode on the other);
/// - `secure_chroot_dir` (`/usr/share/empty`, Debian `/var/run/vsftpd/empty`: a missing directory
///   refuses every session);
/// - `pam_service_name` when local users log in (`ftp`, Debian `vsftpd`: the PAM file must match);
/// - with `ssl_enable=YES`: `seccomp_sandbox` (YES upstream only, see VSC213), `ssl_tlsv1` (TLS 1.0
///   on only in Debian) and `ssl_ciphers` (RHEL's `PROFILE=SYSTEM` is understood only by RHEL's
///   OpenSSL).
///
/// It also flags `ssl_ciphers=PROFILE=SYSTEM` written out in a file read as another dialect.
///
/// ## Why is this bad?
/// A config that relies on a default works only with the build it was written for. Copied to
/// another distribution or a build from source, it silently changes meaning — or stops starting.
/// Writing the value makes the file mean the same everywhere. `background` also differs (YES on
/// RHEL) but only has to match the service unit, so it is not flagged.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// ```
/// Use instead:
/// ```vsftpd
/// listen=YES
/// anonymous_enable=YES
/// ```
///
/// ## Fix
/// Unsafe: the current dialect's default is written out at the end of the file. vsftpd of this
/// dialect reads the same thing; other builds change behaviour, which is the point.
///
/// ## References
/// - vsftpd.conf(5) of each distribution; Debian's NEWS for 3.0.2-20 (`seccomp_sandbox`);
///   Fedora's vsftpd spec (`ssl_ciphers=PROFILE=SYSTEM`, `background=YES`)
/// - debian-3.0.3 binary: an empty file gives `500 OOPS: vsftpd: not configured for standalone, must
///   be started from inetd`; an upstream-3.0.5 build starts standalone with it
pub(crate) struct DefaultDiffersBetweenDialects;

static META: RuleMeta = RuleMeta {
    code: "VSC401",
    name: "default-differs-between-dialects",
    category: Category::Portability,
    severity: Severity::Info,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    dialects: ALL_DIALECTS,
    host_checks: false,
    summary: "a setting left at a default that differs between vsftpd builds and matters here",
};

fn defaults(tunable: Tunable) -> String {
    Dialect::ALL
        .iter()
        .filter_map(|d| {
            let spec = tunable.spec();
            spec.default_in(*d)
                .map(|v| format!("{} in {}", default_value(v).display(spec.octal), d))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for DefaultDiffersBetweenDialects {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let ssl = cfg.bool(Tunable::SslEnable);
        let mut unset: Vec<(Tunable, &str)> = Vec::new();
        let mut wants = |t: Tunable, why: &'static str| {
            if !cfg.is_set(t) && cfg.get(t).is_some() {
                unset.push((t, why));
            }
        };
        wants(Tunable::Listen, "standalone on one build, inetd mode on another");
        wants(
            Tunable::SecureChrootDir,
            "the directory must exist or every session is refused",
        );
        if cfg.bool(Tunable::LocalEnable) {
            wants(
                Tunable::PamServiceName,
                "local logins need a PAM file of that name in /etc/pam.d",
            );
        }
        if ssl {
            wants(Tunable::SeccompSandbox, "YES breaks TLS sessions (VSC213)");
            wants(Tunable::SslTlsv1, "decides whether TLS 1.0 is offered");
            wants(
                Tunable::SslCiphers,
                "RHEL's `PROFILE=SYSTEM` is rejected by other OpenSSL builds",
            );
        }
        let text = cx.cst.text();
        for (tunable, why) in unset {
            let Some(value) = cfg.get(tunable).map(|e| e.value.display(tunable.spec().octal))
            else {
                continue;
            };
            let name = tunable.name();
            let line = format!("{name}={value}\n");
            let insert = if text.is_empty() || text.ends_with(b"\n") {
                line
            } else {
                format!("\n{line}")
            };
            out.push(
                cx.report(
                    &META,
                    Span::empty(0),
                    format!("`{name}` is not set, and its default differs between builds ({}): {why}", defaults(tunable)),
                )
                .help(format!("write the value you mean, e.g. `{name}={value}` (this dialect's default)"))
                .fix(Fix::new(
                    format!("write `{name}={value}`"),
                    Applicability::Unsafe,
                    vec![Edit::insert(text.len() as u32, insert.into_bytes())],
                )),
            );
        }
        if ssl && cx.dialect() != Dialect::Rhel305 {
            if let Some(ciphers) = cfg.string(Tunable::SslCiphers) {
                if ciphers.starts_with(b"PROFILE=") {
                    out.push(
                        cx.report_with(
                            &META,
                            Severity::Warning,
                            cx.span_or_file_start(Tunable::SslCiphers),
                            format!(
                                "`ssl_ciphers={}` is understood only by RHEL/Fedora's OpenSSL: elsewhere vsftpd refuses to start with `500 OOPS: SSL: could not set cipher list`",
                                escape_bytes(ciphers)
                            ),
                        )
                        .help("write an OpenSSL cipher list, e.g. `ssl_ciphers=HIGH:!aNULL:!MD5`, or delete the line for this build's default"),
                    );
                }
            }
        }
    }
}
