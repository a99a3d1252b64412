//! vsftpd's conversions of the text after `=`: booleans, unsigned integers and strings, with every
//! quirk recorded so that rules can explain what vsftpd made of the text.

use serde::Serialize;

use crate::dialect::StringTrim;

/// An effective value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An unsigned 32-bit integer.
    Uint(u32),
    /// A byte string, `None` when unset. A default is borrowed from the dialect table: every model
    /// reading starts from every default, and copying them was a malloc and a free per string
    /// tunable per file (callgrind).
    Str(Option<std::borrow::Cow<'static, [u8]>>),
}

impl Value {
    /// The value as vsftpd's manual writes it: `YES`/`NO`, decimal (or octal with a leading 0 when
    /// `octal`), the string, or `(none)`.
    pub fn display(&self, octal: bool) -> String {
        match self {
            Value::Bool(true) => "YES".to_owned(),
            Value::Bool(false) => "NO".to_owned(),
            Value::Uint(n) if octal => format!("0{n:o}"),
            Value::Uint(n) => n.to_string(),
            Value::Str(None) => "(none)".to_owned(),
            Value::Str(Some(bytes)) => crate::syntax::escape_bytes(bytes),
        }
    }
}

/// `YES`, `TRUE`, `1` (true) and `NO`, `FALSE`, `0` (false) after C-locale upper-casing; anything else,
/// including surrounding whitespace or a `\r`, is `None` (`bad bool value`).
pub fn parse_bool(text: &[u8]) -> Option<bool> {
    // Compared case-folded in place: upper-casing into a new buffer was a malloc and a free per
    // boolean line of every file (callgrind).
    let is = |word: &[u8]| text.eq_ignore_ascii_case(word);
    if is(b"YES") || is(b"TRUE") || is(b"1") {
        Some(true)
    } else if is(b"NO") || is(b"FALSE") || is(b"0") {
        Some(false)
    } else {
        None
    }
}

/// How vsftpd read a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Radix {
    /// The text began with `0`: octal digits until the first other byte.
    Octal,
    /// C `atoi`: optional whitespace and sign, decimal digits.
    Decimal,
}

/// The result of vsftpd's integer conversion, which never fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NumberReading {
    /// The stored value (the 64-bit result truncated to 32 bits).
    pub value: u32,
    /// Octal or decimal.
    pub radix: Radix,
    /// Number of digits consumed (0: the text held no number, so the value is 0).
    pub digits: u32,
    /// Byte offset, within the value text, where the conversion stopped; equal to the text's length
    /// when every byte was used.
    pub consumed: u32,
    /// Whether a `-` sign made the value wrap around.
    pub negative: bool,
    /// Whether the decimal value saturated at the 64-bit limit or did not fit 32 bits.
    pub overflowed: bool,
}

/// C `isspace` in the C locale.
pub fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Converts a value the way vsftpd 3.0.x does (`vsf_sysutil_atoi` / octal path).
pub fn parse_uint(text: &[u8]) -> NumberReading {
    if text.first() == Some(&b'0') {
        let mut value: u32 = 0;
        let mut digits = 0u32;
        for b in text {
            if !(b'0'..=b'7').contains(b) {
                break;
            }
            value = value.wrapping_mul(8).wrapping_add(u32::from(b - b'0'));
            digits += 1;
        }
        return NumberReading {
            value,
            radix: Radix::Octal,
            digits,
            consumed: digits,
            negative: false,
            overflowed: false,
        };
    }
    // strtol(…, 10) into a 64-bit long: saturates at LONG_MIN/LONG_MAX, then truncated to 32 bits.
    let mut i = text.iter().take_while(|b| is_c_space(**b)).count();
    let mut negative = false;
    if let Some(sign) = text.get(i).filter(|b| **b == b'+' || **b == b'-') {
        negative = *sign == b'-';
        i += 1;
    }
    let mut magnitude: i64 = 0;
    let mut saturated = false;
    let mut digits = 0u32;
    for b in text.get(i..).unwrap_or_default() {
        if !b.is_ascii_digit() {
            break;
        }
        digits += 1;
        let d = i64::from(b - b'0');
        match magnitude.checked_mul(10).and_then(|m| {
            if negative {
                m.checked_sub(d)
            } else {
                m.checked_add(d)
            }
        }) {
            Some(m) => magnitude = m,
            None => {
                saturated = true;
                magnitude = if negative { i64::MIN } else { i64::MAX };
            }
        }
    }
    let consumed = if digits == 0 {
        0
    } else {
        u32::try_from(i).unwrap_or(u32::MAX).saturating_add(digits)
    };
    // Truncation to 32 bits is what the binary does (`-1` is 4294967295, `4294967317` is 21).
    let value = (magnitude as u64 & 0xFFFF_FFFF) as u32;
    NumberReading {
        value,
        radix: Radix::Decimal,
        digits,
        consumed,
        negative: negative && magnitude != 0,
        overflowed: saturated || magnitude > i64::from(u32::MAX),
    }
}

/// What became of a string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringReading {
    /// The value vsftpd keeps (`None`: unset).
    Value(Option<Vec<u8>>),
    /// The value was made only of whitespace and this build crashes on it (debian-3.0.3: SIGSEGV).
    Crash,
}

/// Applies the dialect's string handling to the text after `=` (already cut at a NUL).
pub fn read_string(text: &[u8], trim: StringTrim) -> StringReading {
    if text.is_empty() {
        return StringReading::Value(None);
    }
    let start = text.iter().position(|b| !is_c_space(*b));
    let trimmed = start.map(|s| {
        let end = text
            .iter()
            .rposition(|b| !is_c_space(*b))
            .map_or(s, |e| e + 1);
        text.get(s..end).unwrap_or_default().to_vec()
    });
    match (trim, trimmed) {
        (StringTrim::Keep, _) => StringReading::Value(Some(text.to_vec())),
        (StringTrim::TrimCrashOnBlank, None) => StringReading::Crash,
        (StringTrim::TrimBlankIsUnset, None) => StringReading::Value(None),
        (_, Some(t)) => StringReading::Value(Some(t)),
    }
}

/// C `inet_aton` as glibc implements it: 1 to 4 parts, each decimal, octal (`0…`) or hex (`0x…`), the
/// last part filling the remaining bytes; trailing text is allowed after a whitespace byte.
pub fn inet_aton(text: &[u8]) -> Option<[u8; 4]> {
    let mut parts: Vec<u64> = Vec::with_capacity(4);
    let mut i = 0usize;
    loop {
        let c = *text.get(i)?;
        if !c.is_ascii_digit() {
            return None;
        }
        let mut base = 10;
        if c == b'0' {
            base = 8;
            i += 1;
            if matches!(text.get(i), Some(b'x' | b'X')) {
                base = 16;
                i += 1;
            }
        }
        let mut value: u64 = 0;
        let mut any = base == 8; // a lone "0" is a valid octal zero
        while let Some(&d) = text.get(i) {
            let digit = match d {
                b'0'..=b'9' if base != 8 || d <= b'7' => u64::from(d - b'0'),
                b'8' | b'9' => return None,
                b'a'..=b'f' if base == 16 => u64::from(d - b'a' + 10),
                b'A'..=b'F' if base == 16 => u64::from(d - b'A' + 10),
                _ => break,
            };
            value = value.checked_mul(base)?.checked_add(digit)?;
            if value > u64::from(u32::MAX) {
                return None;
            }
            any = true;
            i += 1;
        }
        if !any {
            return None;
        }
        parts.push(value);
        match text.get(i) {
            Some(b'.') => {
                if parts.len() >= 4 {
                    return None;
                }
                i += 1;
            }
            None => break,
            Some(c) if c.is_ascii() && is_c_space(*c) => break,
            Some(_) => return None,
        }
    }
    let v = match parts.as_slice() {
        [a] => *a,
        [a, b] if *a <= 0xFF && *b <= 0xFF_FFFF => (a << 24) | b,
        [a, b, c] if *a <= 0xFF && *b <= 0xFF && *c <= 0xFFFF => (a << 24) | (b << 16) | c,
        [a, b, c, d] if [a, b, c, d].iter().all(|x| **x <= 0xFF) => {
            (a << 24) | (b << 16) | (c << 8) | d
        }
        _ => return None,
    };
    u32::try_from(v).ok().map(u32::to_be_bytes)
}

/// What vsftpd's own IPv6 parser (used for `listen_address6`; vsftpd deliberately avoids
/// `inet_pton`) made of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Reading {
    /// The bytes the parser produced, zero-filled after `parsed_len`.
    pub bytes: [u8; 16],
    /// How many of the 16 address bytes the parser wrote. Fewer than 16 happens when nothing follows a
    /// `::` (`::`, `1::`) or when there is no `::` and fewer than eight groups (`127.0.0.1`,
    /// `1:2:3:4:5:6:7:`): vsftpd then binds to an address whose remaining bytes come from
    /// uninitialised memory.
    pub parsed_len: usize,
}

impl Ipv6Reading {
    /// Whether every byte of the address comes from the text.
    pub fn is_complete(&self) -> bool {
        self.parsed_len == 16
    }

    /// The address, with unparsed bytes taken as zero (what the binary usually binds, but not always).
    pub fn addr(&self) -> std::net::Ipv6Addr {
        std::net::Ipv6Addr::from(self.bytes)
    }
}

/// vsftpd's IPv6 address parser, which accepts more than `inet_pton` and differs from it:
/// the text is cut at the first `::` into a left and a right part; each part is a list of
/// `:`-separated fields, each either hex (any number of digits as long as the value fits 16 bits,
/// so `00000` is fine) or, when it contains a `.`, a dotted quad of decimal bytes (4 bytes, leading
/// zeros allowed, in any field position). An empty field fails, except that a part may end with a
/// single `:`. When the right part is non-empty, zeros fill the gap to 16 bytes; when it is empty the
/// address is left short (see [`Ipv6Reading::parsed_len`]). More than 16 bytes fails. There is no
/// scope (`%eth0`) syntax here; see the dialect-specific handling in `startup`.
///
/// debian-3.0.3 binary (strace of bind, test namespace): `00000::1` binds ::1, `::1.2.3.04` binds
/// ::1.2.3.4, `1:2:3:4:5:6:7:8:` binds 1:2:…:8, `127.0.0.1` binds 7f00:1:: (4 bytes then memory),
/// `::12345`, `1::2::3`, `:1::`, `:::1`, `::1x` and `::256.1.1.1` are `bad listen_address6`.
pub fn parse_ipv6(text: &[u8]) -> Option<Ipv6Reading> {
    let (left, right) = match text.windows(2).position(|w| w == b"::") {
        Some(i) => (
            text.get(..i).unwrap_or_default(),
            text.get(i + 2..).unwrap_or_default(),
        ),
        None => (text, &b""[..]),
    };
    let left = ipv6_fields(left)?;
    let right = ipv6_fields(right)?;
    if left.len() + right.len() > 16 {
        return None;
    }
    let mut bytes = [0u8; 16];
    let parsed_len = if right.is_empty() {
        bytes.get_mut(..left.len())?.copy_from_slice(&left);
        left.len()
    } else {
        bytes.get_mut(..left.len())?.copy_from_slice(&left);
        bytes.get_mut(16 - right.len()..)?.copy_from_slice(&right);
        16
    };
    Some(Ipv6Reading { bytes, parsed_len })
}

/// One side of the `::`: `:`-separated hex groups or dotted quads, as bytes.
fn ipv6_fields(mut text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    while !text.is_empty() {
        let (field, rest) = match text.iter().position(|b| *b == b':') {
            Some(i) => (
                text.get(..i).unwrap_or_default(),
                text.get(i + 1..).unwrap_or_default(),
            ),
            None => (text, &b""[..]),
        };
        if field.is_empty() {
            return None;
        }
        if field.contains(&b'.') {
            out.extend_from_slice(&dotted_quad(field)?);
        } else {
            let mut value: u32 = 0;
            for b in field {
                let digit = char::from(*b).to_digit(16)?;
                value = (value << 4) | digit;
                if value > 0xFFFF {
                    return None;
                }
            }
            out.extend_from_slice(&u16::try_from(value).ok()?.to_be_bytes());
        }
        text = rest;
    }
    Some(out)
}

/// Exactly four decimal bytes separated by dots (leading zeros allowed, no empty part).
fn dotted_quad(field: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = field.split(|b| *b == b'.');
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() {
            return None;
        }
        let mut value: u32 = 0;
        for b in part {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
            if value > 255 {
                return None;
            }
        }
        *slot = u8::try_from(value).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `listen_address6` as the dialect's vsftpd reads it: debian-3.0.3 first splits an interface scope
/// off at the first `%` (`::1%lo`), then vsftpd's own parser ([`parse_ipv6`]) reads the address;
/// upstream and RHEL pass the whole text to the parser. Returns the reading and the scope name.
/// debian-3.0.3 binary (strace of bind): `::1%lo` binds ::1 with sin6_scope_id 1, `::1%x` and `::1%`
/// bind ::1 with scope 0, `::1%a%b` gives scope 0 (the name is `a%b`).
pub fn read_listen_address6(
    text: &[u8],
    dialect: crate::dialect::Dialect,
) -> Option<(Ipv6Reading, Option<Vec<u8>>)> {
    let (address, scope) = match text.iter().position(|b| *b == b'%') {
        Some(i) if dialect.splits_ipv6_scope() => (
            text.get(..i).unwrap_or_default(),
            Some(text.get(i + 1..).unwrap_or_default().to_vec()),
        ),
        _ => (text, None),
    };
    parse_ipv6(address).map(|r| (r, scope))
}

/// C `inet_pton(AF_INET6, …)`: the text must be an IPv6 address and nothing else. Not what vsftpd
/// uses for `listen_address6`: see [`parse_ipv6`].
pub fn inet_pton6(text: &[u8]) -> Option<std::net::Ipv6Addr> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_convert_like_the_debian_binary() {
        let cases: &[(&[u8], u32)] = &[
            (b"2121", 2121),
            (b"21abc", 21),
            (b"abc", 0),
            (b"-1", 4294967295),
            (b"+21", 21),
            (b" 21", 21),
            (b"99999", 99999),
            (b"4294967296", 0),
            (b"4294967317", 21),
            (b"99999999999999999999", 4294967295),
            (b"021", 17),
            (b"0021", 17),
            (b" 021", 21),
            (b"+021", 21),
            (b"08", 0),
            (b"0x10", 0),
            (b"019", 1),
            (b"0778", 63),
            (b"1e3", 1),
            (b"2121 ", 2121),
            (b"2121\r", 2121),
            (b"021\r", 17),
            ("２１".as_bytes(), 0),
        ];
        for (text, want) in cases {
            assert_eq!(
                parse_uint(text).value,
                *want,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn number_reading_records_junk_and_radix() {
        let r = parse_uint(b"21abc");
        assert_eq!((r.digits, r.consumed, r.radix), (2, 2, Radix::Decimal));
        let r = parse_uint(b"abc");
        assert_eq!(r.digits, 0);
        let r = parse_uint(b"022");
        assert_eq!((r.value, r.radix, r.consumed), (0o22, Radix::Octal, 3));
        assert!(parse_uint(b"-1").negative);
        assert!(parse_uint(b"99999999999").overflowed);
    }

    #[test]
    fn booleans_fold_case_and_never_trim() {
        assert_eq!(parse_bool(b"yEs"), Some(true));
        assert_eq!(parse_bool(b"True"), Some(true));
        assert_eq!(parse_bool(b"0"), Some(false));
        for bad in [&b"on"[..], b"Y", b"01", b" 1", b"YES\r", b"YES\t", b""] {
            assert_eq!(parse_bool(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn strings_follow_the_dialect() {
        assert_eq!(
            read_string(b"  hi  ", StringTrim::Keep),
            StringReading::Value(Some(b"  hi  ".to_vec()))
        );
        assert_eq!(
            read_string(b"  hi\r", StringTrim::TrimCrashOnBlank),
            StringReading::Value(Some(b"hi".to_vec()))
        );
        assert_eq!(
            read_string(b" \r", StringTrim::TrimCrashOnBlank),
            StringReading::Crash
        );
        assert_eq!(
            read_string(b"\t", StringTrim::TrimBlankIsUnset),
            StringReading::Value(None)
        );
        assert_eq!(
            read_string(b"", StringTrim::TrimCrashOnBlank),
            StringReading::Value(None)
        );
    }

    #[test]
    fn listen_address6_is_read_by_vsftpds_own_parser() {
        // debian-3.0.3 binary, `listen_ipv6=YES` + `listen_address6=<text>`, bind() traced with strace:
        // these are accepted (inet_pton would reject the first four) and bound as shown.
        let complete = |t: &[u8]| {
            parse_ipv6(t)
                .filter(Ipv6Reading::is_complete)
                .map(|r| r.addr().to_string())
        };
        assert_eq!(complete(b"00000::1").as_deref(), Some("::1"));
        assert_eq!(complete(b"::1.2.3.04").as_deref(), Some("::102:304"));
        assert_eq!(
            complete(b"1:2:3:4:5:6:7:8:").as_deref(),
            Some("1:2:3:4:5:6:7:8")
        );
        assert_eq!(
            complete(b"::ffff:127.0.0.1").as_deref(),
            Some("::ffff:127.0.0.1")
        );
        assert_eq!(complete(b"::0").as_deref(), Some("::"));
        assert_eq!(complete(b"fe80::1").as_deref(), Some("fe80::1"));
        // Short results: the rest of the address is whatever memory holds (usually zeros: the binary
        // bound `127.0.0.1` as 7f00:1::, `1::` as 1::, and `::` once as :: and once as garbage).
        let short = |t: &[u8]| parse_ipv6(t).map(|r| (r.parsed_len, r.addr().to_string()));
        assert_eq!(short(b"127.0.0.1"), Some((4, "7f00:1::".to_owned())));
        assert_eq!(
            short(b"1:2:3:4:5:6:7:"),
            Some((14, "1:2:3:4:5:6:7:0".to_owned()))
        );
        assert_eq!(short(b"::"), Some((0, "::".to_owned())));
        assert_eq!(short(b"1::"), Some((2, "1::".to_owned())));
        // Refused by the binary with `bad listen_address6: <text>`.
        for bad in [
            &b"::12345"[..],
            b"1::2::3",
            b":1::",
            b":::1",
            b"::1x",
            b"::256.1.1.1",
            b"::1.2.3",
            b"zz",
            b":",
            b":::",
            b"::1 junk",
            b"[::1]",
            b"::1/128",
            b"1:2:3:4:5:6:7:8:9",
            b"::1.2.3.4.5",
            b"::g",
            b"::1%lo",
        ] {
            assert_eq!(parse_ipv6(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn inet_aton_accepts_what_glibc_accepts() {
        assert_eq!(inet_aton(b"127.0.0.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton(b"127.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton(b"0x7f.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton(b"10.1"), Some([10, 0, 0, 1]));
        assert_eq!(inet_aton(b"127.0.0.1 junk"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton(b"1.2.3.4\r"), Some([1, 2, 3, 4]));
        for bad in [
            &b"::1"[..],
            b"localhost",
            b"bogus",
            b"",
            b"1.2.3.4.5",
            b"256.1.1.1",
            b"1.2.3.4x",
            b"09",
        ] {
            assert_eq!(inet_aton(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
