use crate::dialect::Tunable;
use crate::startup::oops;

use super::{head, excerpt, Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// With `--host-checks`, flags an `anon_root` directory that does not exist while anonymous logins
/// are enabled.
///
/// ## Why is this bad?
/// vsftpd changes into `anon_root` at each anonymous login. When that fails the session ends with
/// `500 OOPS: cannot change directory:<path>`. The manual page says a failure is ignored; the
/// binary does not ignore it. The server starts, so the mistake shows only when someone logs in.
///
/// ## Example
/// ```vsftpd
/// anonymous_enable=YES
/// anon_root=/srv/ftp/pub
/// ```
/// Use instead: create the directory (owned by root, not writable by the `ftp` user), or point
/// `anon_root` at one that exists.
///
/// ## Fix
/// None: create the directory or correct the path.
///
/// ## References
/// - vsftpd.conf(5): `anon_root` (says failure is ignored: the binary disagrees)
/// - debian-3.0.3 binary: an anonymous login with a missing `anon_root` gets
///   `500 OOPS: cannot change directory:<path>`
pub(crate) struct AnonRootMissing;

impl Rule for AnonRootMissing {
    const META: RuleMeta = RuleMeta::error("VSC215", "anon-root-missing")
        .settings(&[&[Tunable::AnonRoot]])
        .summary("`anon_root` does not exist: every anonymous login fails")
        .needs_host();

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(host) = cx.host else { return };
        let cfg = cx.config();
        if !cfg.bool(Tunable::AnonymousEnable) {
            return;
        }
        let Some(root) = cfg.string(Tunable::AnonRoot) else {
            return;
        };
        if host.is_dir(root) {
            return;
        }
        let shown = excerpt(root);
        out.push(
            cx.report(
                head(cx.value_span(Tunable::AnonRoot)
                    .unwrap_or_else(|| cx.span_or_file_start(Tunable::AnonRoot))),
                format!("`anon_root={shown}` is not a directory on this machine: every anonymous login gets `{}`", oops::line(oops::cannot_change_directory(shown.as_bytes()))),
            )
            .help("create the directory (owned by root, mode 755) or correct the path"),
        );
    }
}
