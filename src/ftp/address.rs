//! Data-channel addresses on the wire (PASV 227, EPSV 229, PORT, EPRT). The passive range and vsftpd's
//! draw from it are the model's (`model::PassiveRange`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2).`
pub fn format_227(ip: Ipv4Addr, port: u16) -> String {
    let [a, b, c, d] = ip.octets();
    format!(
        "Entering Passive Mode ({a},{b},{c},{d},{},{}).",
        port >> 8,
        port & 0xff
    )
}

/// `229 Entering Extended Passive Mode (|||port|)`
pub fn format_229(port: u16) -> String {
    format!("Entering Extended Passive Mode (|||{port}|)")
}

/// The address and port in a 227 reply text. Clients are told to scan for the six numbers rather than
/// rely on the parentheses (RFC 1123 §4.1.2.6), so anything before the first digit and after the sixth
/// number is ignored.
pub fn parse_227(text: &str) -> Option<(Ipv4Addr, u16)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let nums: Vec<u8> = text
        .get(start..)?
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(6)
        .map(str::parse::<u8>)
        .collect::<Result<_, _>>()
        .ok()?;
    let [a, b, c, d, p1, p2] = nums.as_slice() else {
        return None;
    };
    Some((
        Ipv4Addr::new(*a, *b, *c, *d),
        u16::from(*p1) << 8 | u16::from(*p2),
    ))
}

/// The port in a 229 reply text `(<d><d><d>port<d>)`, where the delimiter `<d>` is whatever character
/// follows the parenthesis (RFC 2428 §3; `|` in practice).
pub fn parse_229(text: &str) -> Option<u16> {
    let open = text.find('(')?;
    let inner = text.get(open + 1..)?;
    let inner = inner.get(..inner.find(')')?)?;
    let delim = inner.chars().next()?;
    let parts: Vec<&str> = inner.split(delim).collect();
    match parts.as_slice() {
        ["", "", "", port, ""] => port.parse().ok(),
        _ => None,
    }
}

/// The PORT argument `h1,h2,h3,h4,p1,p2` for an IPv4 address and port.
pub fn format_port(ip: Ipv4Addr, port: u16) -> String {
    let [a, b, c, d] = ip.octets();
    format!("{a},{b},{c},{d},{},{}", port >> 8, port & 0xff)
}

/// A PORT argument that vsftpd refuses as `500 Illegal PORT command.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("illegal PORT argument")]
pub struct PortError;

/// Parses a PORT argument `h1,h2,h3,h4,p1,p2`: exactly six decimal numbers 0–255.
pub fn parse_port(arg: &[u8]) -> Result<(Ipv4Addr, u16), PortError> {
    let text = std::str::from_utf8(arg).map_err(|_| PortError)?;
    let mut nums = [0u8; 6];
    let mut count = 0usize;
    for part in text.split(',') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PortError);
        }
        let slot = nums.get_mut(count).ok_or(PortError)?;
        *slot = part.parse::<u8>().map_err(|_| PortError)?;
        count += 1;
    }
    if count != 6 {
        return Err(PortError);
    }
    let [a, b, c, d, p1, p2] = nums;
    Ok((
        Ipv4Addr::new(a, b, c, d),
        u16::from(p1) << 8 | u16::from(p2),
    ))
}

/// Why an EPRT argument is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EprtError {
    /// Protocol field missing or not 1/2: `500 Bad EPRT protocol.`.
    #[error("bad EPRT protocol")]
    BadProtocol,
    /// Address or port unreadable: `500 Bad EPRT command.`.
    #[error("bad EPRT command")]
    BadCommand,
}

/// Parses an EPRT argument `<d>proto<d>address<d>port<d>` (the delimiter is the first byte).
pub fn parse_eprt(arg: &[u8]) -> Result<(IpAddr, u16), EprtError> {
    let text = std::str::from_utf8(arg).map_err(|_| EprtError::BadProtocol)?;
    let mut chars = text.chars();
    let delim = chars.next().ok_or(EprtError::BadProtocol)?;
    let parts: Vec<&str> = chars.as_str().split(delim).collect();
    let proto = parts.first().copied().unwrap_or("");
    if proto != "1" && proto != "2" {
        return Err(EprtError::BadProtocol);
    }
    let addr = parts.get(1).copied().ok_or(EprtError::BadCommand)?;
    let port = parts.get(2).copied().ok_or(EprtError::BadCommand)?;
    let ip: IpAddr = if proto == "1" {
        IpAddr::V4(
            addr.parse::<Ipv4Addr>()
                .map_err(|_| EprtError::BadCommand)?,
        )
    } else {
        IpAddr::V6(
            addr.parse::<Ipv6Addr>()
                .map_err(|_| EprtError::BadCommand)?,
        )
    };
    let port: u16 = port.parse().map_err(|_| EprtError::BadCommand)?;
    if port == 0 {
        return Err(EprtError::BadCommand);
    }
    Ok((ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasv_reply_round_trips() {
        let text = format_227(Ipv4Addr::new(127, 0, 0, 1), 50003);
        assert_eq!(text, "Entering Passive Mode (127,0,0,1,195,83).");
        assert_eq!(parse_227(&text), Some((Ipv4Addr::new(127, 0, 0, 1), 50003)));
        assert_eq!(parse_229(&format_229(50003)), Some(50003));
    }

    #[test]
    fn passive_replies_are_read_leniently() {
        assert_eq!(
            parse_227("Entering Passive Mode 10,0,0,5,195,80"),
            Some((Ipv4Addr::new(10, 0, 0, 5), 50000))
        );
        assert_eq!(parse_227("Entering Passive Mode (10,0,0,5,300,80)."), None);
        assert_eq!(parse_227("Entering Passive Mode"), None);
        assert_eq!(parse_229("Extended Passive Mode (!!!50009!)"), Some(50009));
        assert_eq!(parse_229("Entering Extended Passive Mode (|||x|)"), None);
        assert_eq!(parse_229("no"), None);
    }

    #[test]
    fn port_argument_round_trips() {
        let arg = format_port(Ipv4Addr::LOCALHOST, 50000);
        assert_eq!(arg, "127,0,0,1,195,80");
        assert_eq!(parse_port(arg.as_bytes()), Ok((Ipv4Addr::LOCALHOST, 50000)));
    }

    #[test]
    fn port_needs_six_small_numbers() {
        assert_eq!(
            parse_port(b"127,0,0,1,200,10"),
            Ok((Ipv4Addr::LOCALHOST, 51210))
        );
        assert_eq!(parse_port(b"1,2,3"), Err(PortError));
        assert_eq!(parse_port(b"1,2,3,4,5,256"), Err(PortError));
        assert_eq!(parse_port(b"1,2,3,4,5,6,7"), Err(PortError));
        assert_eq!(parse_port(b""), Err(PortError));
    }

    #[test]
    fn eprt_forms() {
        assert_eq!(
            parse_eprt(b"|1|127.0.0.1|5000|"),
            Ok((IpAddr::V4(Ipv4Addr::LOCALHOST), 5000))
        );
        assert_eq!(
            parse_eprt(b"|2|::1|5000|"),
            Ok((IpAddr::V6(Ipv6Addr::LOCALHOST), 5000))
        );
        assert_eq!(parse_eprt(b""), Err(EprtError::BadProtocol));
        assert_eq!(parse_eprt(b"|3|x|1|"), Err(EprtError::BadProtocol));
        assert_eq!(parse_eprt(b"|1|bogus|1|"), Err(EprtError::BadCommand));
    }
}
