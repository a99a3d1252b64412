//! Property tests of the parsing invariant (STYLE.md §1): parsing never fails and loses nothing, so
//! `parse(b).cst.print() == b` for arbitrary bytes — CR, LF, NUL, `#`, `=`, bytes ≥ 0x80, a BOM, no
//! final newline — and for mutated realistic configs; the lines partition the input; and parse,
//! model, startup prediction and lint never panic, under every dialect.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "an integration test fails by panicking and may print; Cargo.toml's [lints] cover every target"
)]

use proptest::prelude::*;

use vsconf::dialect::Dialect;
use vsconf::model::EffectiveConfig;
use vsconf::model::Family;
use vsconf::rules::{LintOptions, lint};
use vsconf::startup::predict;
use vsconf::syntax::{LineKind, parse};

/// Realistic configs to mutate: Debian's stock file, an anonymous server, a CRLF file with a BOM.
const EXAMPLES: &[&[u8]] = &[
    b"# Example config file /etc/vsftpd.conf\nlisten=NO\nlisten_ipv6=YES\nanonymous_enable=NO\nlocal_enable=YES\n\
#write_enable=YES\ndirmessage_enable=YES\nuse_localtime=YES\nxferlog_enable=YES\nconnect_from_port_20=YES\n\
secure_chroot_dir=/var/run/vsftpd/empty\npam_service_name=vsftpd\nrsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem\n\
rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key\nssl_enable=NO\n",
    b"listen=YES\nanonymous_enable=YES\nanon_root=/srv/ftp\npasv_min_port=50000\npasv_max_port=50100\n\
ftpd_banner=  Welcome  \nlisten_address=127.0.0.1\nlocal_umask=022\n  # indented\nmax_clients=0x10",
    b"\xef\xbb\xbflisten=YES\r\nlisten_port=2121\r\nftpd_banner=caf\xe9\r\n\r\n#c\r\nlisten_address6=::1%lo\r\n",
];

/// Bytes weighted towards the ones vsftpd's reader treats specially.
fn config_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        4 => prop::sample::select(b"\n\r\0#= \t\x0b\x0cYESNOyesno01".to_vec()),
        3 => prop::sample::select(b"listen_portanonymous_enableftpd_banner".to_vec()),
        2 => 0x80u8..=0xff,
        1 => any::<u8>(),
    ]
}

fn config_bytes() -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), prop::collection::vec(config_byte(), 0..600)).prop_map(|(bom, mut bytes)| {
        if bom {
            bytes.splice(0..0, *b"\xef\xbb\xbf");
        }
        bytes
    })
}

/// An example with random insertions, deletions and line duplications.
fn mutated_example() -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        0usize..10_000,
        0usize..4,
        prop::collection::vec(config_byte(), 0..8),
    );
    (0..EXAMPLES.len(), prop::collection::vec(edit, 0..12)).prop_map(|(which, edits)| {
        let mut bytes = EXAMPLES[which].to_vec();
        for (at, kind, insert) in edits {
            let at = at % (bytes.len() + 1);
            match kind {
                0 => {
                    bytes.splice(at..at, insert);
                }
                1 => {
                    let end = (at + insert.len()).min(bytes.len());
                    bytes.drain(at..end);
                }
                2 => {
                    let start = bytes[..at]
                        .iter()
                        .rposition(|b| *b == b'\n')
                        .map_or(0, |i| i + 1);
                    let end = bytes[at..]
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(bytes.len(), |i| at + i + 1);
                    let line = bytes[start..end].to_vec();
                    bytes.splice(end..end, line);
                }
                _ => {
                    let end = (at + insert.len()).min(bytes.len());
                    bytes.splice(at..end, insert);
                }
            }
        }
        bytes
    })
}

fn assert_lossless(bytes: &[u8]) {
    let parsed = parse(bytes);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.cst.print(), bytes);
    // The lines cover the input in order, without gaps or overlaps, and every part of a setting lies
    // inside its line's content.
    let mut next = 0u32;
    for line in parsed.cst.lines() {
        assert_eq!(line.span.start, next);
        assert!(line.content.start == line.span.start && line.content.end <= line.span.end);
        assert!(!parsed.cst.slice(line.content).contains(&b'\n'));
        next = line.span.end;
        if let LineKind::Setting(s) = &line.kind {
            for part in [Some(s.indent), Some(s.name), s.equals, s.value, s.nul_tail]
                .into_iter()
                .flatten()
            {
                assert!(line.content.start <= part.start && part.end <= line.content.end);
            }
            assert!(!parsed.cst.slice(s.name).contains(&b'='));
            assert!(!parsed.cst.slice(s.name).contains(&0));
        }
    }
    assert_eq!(next as usize, bytes.len());
}

fn assert_no_panic(bytes: &[u8], file_len: Option<u64>) {
    let cst = parse(bytes).cst;
    for dialect in Dialect::ALL {
        let config = EffectiveConfig::read(&cst, dialect, file_len);
        let prediction = predict(&config, cst.text());
        let _ = prediction.verdict.oops_text();
        for family in [Family::Ipv4, Family::Ipv6] {
            let _ = config.bind_address(family);
        }
        let _ = (config.listener(), config.data_ports(), config.tls());
        for (spec, effective) in config.iter() {
            let _ = effective.value.display(spec.octal);
        }
        let options = LintOptions {
            dialect,
            ..LintOptions::default()
        };
        let _ = lint(&cst, file_len, &options, None);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn print_of_parse_is_identity_on_arbitrary_bytes(bytes in config_bytes()) {
        assert_lossless(&bytes);
    }

    #[test]
    fn print_of_parse_is_identity_on_any_byte_at_all(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        assert_lossless(&bytes);
    }

    #[test]
    fn print_of_parse_is_identity_on_mutated_examples(bytes in mutated_example()) {
        assert_lossless(&bytes);
    }

}

proptest! {
    // Linting runs every rule under three dialects: fewer cases keep the suite fast.
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn parse_model_predict_and_lint_never_panic(bytes in config_bytes()) {
        assert_no_panic(&bytes, None);
    }

    #[test]
    fn mutated_examples_never_panic_even_as_prefixes_of_longer_files(bytes in mutated_example(), extra in 0u64..200_000) {
        assert_no_panic(&bytes, None);
        // The bytes as the first part of a longer file (what a linter that stops reading sees).
        assert_no_panic(&bytes, Some(bytes.len() as u64 + extra));
    }
}

#[test]
fn files_around_the_read_limit_round_trip_and_never_panic() {
    for len in [99_999usize, 100_000, 100_001, 250_000] {
        for filler in [b'#', b'x', b' ', b'\n', b'='] {
            let mut bytes = b"listen=YES\r\n".to_vec();
            bytes.resize(len, filler);
            assert_lossless(&bytes);
            assert_no_panic(&bytes, None);
        }
    }
}
