use crate::diagnostic::{Applicability, Edit, Fix, Severity};
use crate::dialect::{Dialect, Tunable};
use crate::model::default_value;
use crate::startup::oops;
use crate::syntax::Span;

use super::{head, excerpt, offset, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a setting left to its compiled-in default when that default differs between vsftpd
/// builds and changes what the server does:
/// - `listen` (YES upstream and on RHEL, NO on Debian: the same file is standalone on one and
///   inetd mode on the other);
/// - with `ssl_enable=YES`: `seccomp_sandbox` (YES upstream only; when it is on, VSC213 reports it)
///   and `ssl_tlsv1` (TLS 1.0 on only in Debian).
///
/// It also flags `ssl_ciphers=PROFILE=SYSTEM` written out in a file read as a dialect other than
/// RHEL: only RHEL/Fedora's OpenSSL understands it. (Leaving `ssl_ciphers` unset is fine
/// everywhere: each build's default works with its own OpenSSL.)
///
/// ## Why is this bad?
/// A config that relies on a default works only with the build it was written for. Copied to
/// another distribution or a build from source, it silently changes meaning — or stops starting.
/// Writing the value makes the file mean the same everywhere. `background` also differs (YES on
/// RHEL) but only has to match the service unit; `secure_chroot_dir` and `pam_service_name` differ
/// too, but whether the directory and the PAM file exist is a fact about the machine (VSC012,
/// host-refusal, checks the directory); none of them is flagged here. All findings of a file are
/// reported as one, at its start.
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

/// `YES in upstream-3.0.5 and rhel-3.0.5, NO in debian-3.0.3`.
fn defaults(tunable: Tunable) -> String {
    let spec = tunable.spec();
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for d in Dialect::ALL {
        let Some(v) = spec.default_in(d) else { continue };
        let shown = default_value(v).display(spec.octal);
        match groups.iter_mut().find(|(s, _)| *s == shown) {
            Some((_, ids)) => ids.push(d.id()),
            None => groups.push((shown, vec![d.id()])),
        }
    }
    groups
        .iter()
        .map(|(v, ids)| format!("{v} in {}", ids.join(" and ")))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for DefaultDiffersBetweenDialects {
    const META: RuleMeta = RuleMeta::info("VSC401", "default-differs-between-dialects")
        .settings(&[&[Tunable::Listen, Tunable::SeccompSandbox, Tunable::SslTlsv1, Tunable::SslCiphers]])
        .summary("a setting left at a default that differs between vsftpd builds and matters here")
        .fixes(FixAvailability::Sometimes(Applicability::Unsafe));

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        let ssl = cfg.bool(Tunable::SslEnable);
        let mut unset: Vec<(Tunable, &str)> = Vec::new();
        let written = |t: Tunable| {
            cfg.readings()
                .iter()
                .any(|r| cx.text(r.name).trim_ascii() == t.name().as_bytes())
        };
        let mut wants = |t: Tunable, why: &'static str| {
            if !cfg.is_set(t) && cfg.get(t).is_some() && !written(t) {
                unset.push((t, why));
            }
        };
        wants(Tunable::Listen, "standalone on one build, inetd mode on another");
        if ssl {
            // With the sandbox on, VSC213 (seccomp-sandbox-breaks-tls) already reports it.
            if !cfg.bool(Tunable::SeccompSandbox) {
                wants(
                    Tunable::SeccompSandbox,
                    "upstream's YES breaks TLS sessions (VSC213)",
                );
            }
            wants(Tunable::SslTlsv1, "decides whether TLS 1.0 is offered");
        }
        let text = cx.cst.text();
        let mut lines = String::new();
        let mut details = Vec::new();
        let mut names = Vec::new();
        for (tunable, why) in &unset {
            let Some(value) = cfg.get(*tunable).map(|e| e.value.display(tunable.spec().octal))
            else {
                continue;
            };
            let name = tunable.name();
            lines.push_str(&format!("{name}={value}\n"));
            details.push(format!("`{name}` ({}): {why}", defaults(*tunable)));
            names.push(format!("`{name}`"));
        }
        if !names.is_empty() {
            let insert = if text.is_empty() || text.ends_with(b"\n") {
                lines.clone()
            } else {
                format!("\n{lines}")
            };
            let message = if names.len() == 1 {
                format!("{} is left at its compiled-in default, which differs between vsftpd builds", names.join(""))
            } else {
                format!(
                    "{} settings are left at compiled-in defaults that differ between vsftpd builds: {}",
                    names.len(),
                    names.join(", ")
                )
            };
            out.push(
                cx.report(head(Span::empty(0)), message)
                    .help(format!(
                        "write the values you mean so the file reads the same on every build; {}",
                        details.join("; ")
                    ))
                    .fix(Fix::new(
                        format!("write this dialect's default{}", if names.len() == 1 { "" } else { "s" }),
                        Applicability::Unsafe,
                        vec![Edit::insert(offset(text.len()), insert.into_bytes())],
                    )),
            );
        }
        if ssl && !cx.dialect().has_system_crypto_policy() {
            if let Some(ciphers) = cfg.string(Tunable::SslCiphers) {
                if ciphers.starts_with(b"PROFILE=") {
                    out.push(
                        cx.report_with(
                            Severity::Warning,
                            head(cx.span_or_file_start(Tunable::SslCiphers)),
                            format!(
                                "`ssl_ciphers={}` is understood only by RHEL/Fedora's OpenSSL: elsewhere vsftpd refuses to start with `{}`",
                                excerpt(ciphers),
                                oops::line(oops::SSL_CIPHERS)
                            ),
                        )
                        .help("write an OpenSSL cipher list, e.g. `ssl_ciphers=HIGH:!aNULL:!MD5`, or delete the line for this build's default"),
                    );
                }
            }
        }
    }
}
