use crate::dialect::Kind;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dialect::Dialect;
use crate::model::Outcome;

use super::{Scope, head, Context, Diagnostic, FixAvailability, Rule, RuleMeta};

/// ## What it does
/// Flags a string setting whose value is only whitespace (`ftpd_banner=   `, `anon_root=\t`, or a
/// lone `\r` from a CRLF line ending after `=`), in Debian's vsftpd 3.0.3.
///
/// ## Why is this bad?
/// Debian's vsftpd trims string values, and its trim routine crashes on a value made only of
/// whitespace: vsftpd dies with SIGSEGV and prints nothing, at startup and again on every `SIGHUP`
/// reload (which then kills the running listener). Under systemd the service just fails with
/// status 139 and no message anywhere.
///
/// ## Example
/// ```vsftpd
/// ftpd_banner=   
/// ```
/// Use instead:
/// ```vsftpd
/// ftpd_banner=
/// ```
///
/// ## Fix
/// Safe: the whitespace is removed, leaving `name=`. An empty string value makes the setting unset,
/// which is what a blank value evidently means and exactly what RHEL's fixed trim routine does with
/// the same line. Note that unset is not the compiled-in default: `secure_chroot_dir=` leaves no
/// directory at all; delete the line if you want the default back.
///
/// ## Dialects
/// debian-3.0.3 only: upstream keeps the whitespace as the value, RHEL treats it as unset.
///
/// ## References
/// - debian-3.0.3 binary: `ftpd_banner=   ` and `anon_root=\t` exit with status 139 (SIGSEGV), no
///   message; the same line under RHEL's patched vsftpd is read as unset
pub(crate) struct BlankStringCrash;

impl Rule for BlankStringCrash {
    const META: RuleMeta = RuleMeta::error("VSC004", "blank-string-crash")
        .scope(Scope::Kinds(&[Kind::Str]))
        .summary("a whitespace-only string value: Debian's vsftpd crashes (SIGSEGV) without a message")
        .fixes(FixAvailability::Always(Applicability::Safe))
        .only_in(&[Dialect::Debian303, Dialect::Debian305]);

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for reading in cx.config().readings() {
            let Outcome::Crash(tunable) = reading.outcome else {
                continue;
            };
            let Some(value) = reading.value else { continue };
            let name = tunable.name();
            out.push(
                cx.report(
                    head(value),
                    format!("`{name}` is only whitespace: Debian's vsftpd 3.0.3 crashes (SIGSEGV) at startup and prints nothing"),
                )
                .fatal()
                .help(format!(
                    "write `{name}=` to leave it unset, give it a real value, or delete the line to keep the default"
                ))
                .fix(Fix::new(
                    "remove the whitespace (the setting becomes unset)",
                    Applicability::Safe,
                    vec![Edit::delete(value)],
                )),
            );
        }
    }
}
