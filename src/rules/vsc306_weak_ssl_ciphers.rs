use crate::dialect::Tunable;

use super::{Context, Diagnostic, Rule, RuleMeta};

/// ## What it does
/// Flags an `ssl_ciphers` list (with `ssl_enable=YES`) that asks for weak ciphers: an element
/// naming `NULL`, `eNULL`, `aNULL`, `ADH`, `AECDH`, `EXPORT`/`EXP`, `LOW`, `RC4`, `RC2`, `DES`
/// (including triple DES) or `MD5`, `@SECLEVEL=0`, or `ALL`/`DEFAULT` with no exclusion (`!…`) at all. Elements
/// excluded with `!` or `-` are not counted.
///
/// ## Why is this bad?
/// These ciphers give no encryption (`NULL`), no authentication (`aNULL`, `ADH`: trivial
/// man-in-the-middle), keys breakable in hours (`EXPORT`, `LOW`, `DES`), or known biases and
/// collisions (`RC4`, 64-bit blocks of triple DES, `MD5`). A client can be pushed into using them.
/// The compiled-in default (`ECDHE-RSA-AES256-GCM-SHA384`, or `PROFILE=SYSTEM` on RHEL) is fine.
///
/// ## Example
/// ```vsftpd
/// ssl_enable=YES
/// ssl_ciphers=ALL
/// ```
/// Use instead:
/// ```vsftpd
/// ssl_enable=YES
/// ssl_ciphers=HIGH:!aNULL:!MD5:!RC4:!3DES
/// ```
///
/// ## Fix
/// None: the right list depends on your clients.
///
/// ## References
/// - vsftpd.conf(5): `ssl_ciphers`; openssl-ciphers(1) for the keywords
/// - RFC 7465 (prohibiting RC4 cipher suites); CVE-2016-2183 (SWEET32, 64-bit block ciphers);
///   CVE-2015-0204 (FREAK, export RSA)
pub(crate) struct WeakSslCiphers;

/// Cipher-name components that mark a weak cipher or cipher class.
const WEAK: &[&str] = &[
    "NULL", "eNULL", "aNULL", "ADH", "AECDH", "EXPORT", "EXP", "EXPORT40", "EXPORT56", "LOW", "RC4",
    "RC2", "DES", "3DES", "MD5",
];

impl Rule for WeakSslCiphers {
    const META: RuleMeta = RuleMeta::warning("VSC306", "weak-ssl-ciphers")
        .settings(&[&[Tunable::SslCiphers]])
        .summary("ssl_ciphers allows NULL, export, RC4, DES, MD5 or unauthenticated ciphers");

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let cfg = cx.config();
        if !cfg.bool(Tunable::SslEnable) || !cfg.is_set(Tunable::SslCiphers) {
            return;
        }
        let Some(value) = cfg.string(Tunable::SslCiphers) else {
            return;
        };
        let weak = weak_elements(value);
        if weak.is_empty() {
            return;
        }
        let span = cx
            .value_span(Tunable::SslCiphers)
            .filter(|s| !s.is_empty())
            .unwrap_or(cx.span_or_file_start(Tunable::SslCiphers));
        out.push(
            cx.report(
                span,
                format!("ssl_ciphers allows weak ciphers: {}", weak.join(", ")),
            )
            .help("exclude them (e.g. `HIGH:!aNULL:!MD5:!RC4:!3DES`), or remove ssl_ciphers to use the safe default"),
        );
    }
}

/// The elements of an OpenSSL cipher string that ask for weak ciphers, as written.
fn weak_elements(value: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(value);
    let elements: Vec<&str> = text
        .split([':', ',', ' ', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let has_exclusion = elements.iter().any(|e| e.starts_with('!') || e.starts_with('-'));
    let mut weak = Vec::new();
    for element in &elements {
        if element.starts_with('!') || element.starts_with('-') || element.starts_with('@') {
            continue;
        }
        let name = element.trim_start_matches('+');
        let is_weak = name
            .split(['-', '+'])
            .any(|component| WEAK.contains(&component));
        // Security level 0 re-enables everything OpenSSL otherwise refuses (VSC305 notes).
        let level_zero = name.contains("SECLEVEL=0");
        let catch_all = (name == "ALL" || name == "DEFAULT" || name == "COMPLEMENTOFALL")
            && !has_exclusion;
        if is_weak || catch_all || level_zero {
            weak.push(format!("`{element}`"));
        }
    }
    weak
}

#[cfg(test)]
mod tests {
    use super::weak_elements;

    #[test]
    fn exclusions_and_strong_lists_are_not_weak() {
        assert!(weak_elements(b"HIGH:!aNULL:!MD5").is_empty());
        assert!(weak_elements(b"ALL:!aNULL").is_empty());
        assert!(weak_elements(b"ECDHE-RSA-AES256-GCM-SHA384").is_empty());
        assert!(weak_elements(b"PROFILE=SYSTEM").is_empty());
        assert!(weak_elements(b"AES128-SHA256:-RC4").is_empty());
    }

    #[test]
    fn weak_components_and_bare_all_are_found() {
        assert_eq!(weak_elements(b"ALL"), vec!["`ALL`"]);
        assert_eq!(
            weak_elements(b"HIGH:RC4-SHA:DES-CBC3-SHA:EXP-RC4-MD5:aNULL"),
            vec!["`RC4-SHA`", "`DES-CBC3-SHA`", "`EXP-RC4-MD5`", "`aNULL`"]
        );
        assert_eq!(weak_elements(b"HIGH:+LOW"), vec!["`+LOW`"]);
        assert_eq!(
            weak_elements(b"DEFAULT@SECLEVEL=0"),
            vec!["`DEFAULT@SECLEVEL=0`"]
        );
    }
}
