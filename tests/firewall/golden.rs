//! Golden snapshots: every case × every format, and every config's explanation.

use vsconf::firewall::Format;

use crate::{cases, explanation, generate};

#[test]
fn every_format_for_every_config_matches_its_snapshot() {
    let mut count = 0;
    for case in cases() {
        for format in Format::ALL {
            let text = match generate(&case, format) {
                Ok(t) => t,
                Err(e) => e,
            };
            insta::assert_snapshot!(format!("{}__{}", case.name, format.name()), text);
            count += 1;
        }
    }
    assert!(count >= 8 * 6, "{count} snapshots");
}

#[test]
fn every_config_explanation_matches_its_snapshot() {
    for case in cases()
        .into_iter()
        .filter(|c| c.into.is_none() && c.allow.is_empty() && c.sources.is_empty())
    {
        let text = match explanation(&case) {
            Ok(t) => t,
            Err(e) => e,
        };
        insta::assert_snapshot!(format!("{}__explain", case.name), text);
    }
}

#[test]
fn tls_without_range_fails_in_every_format_and_names_the_range() {
    let case = crate::Case::single("tls-unpinned");
    for format in Format::ALL {
        let e = generate(&case, format).unwrap_err();
        assert!(
            e.contains("ports 5001-65535 would have to be opened"),
            "{e}"
        );
        assert!(e.contains("pasv_min_port=50000 pasv_max_port=50100"), "{e}");
    }
}

#[test]
fn tls_never_uses_the_helper_and_plaintext_without_range_always_does() {
    for format in [Format::Nft, Format::Iptables] {
        let tls = generate(&crate::Case::single("tls"), format).unwrap();
        assert!(
            !tls.contains("helper set") && !tls.contains("--helper"),
            "{tls}"
        );
        assert!(
            tls.contains("50000-50100") || tls.contains("50000:50100"),
            "{tls}"
        );
        let plain = generate(&crate::Case::single("passive-no-range"), format).unwrap();
        assert!(
            plain.contains("ct helper set \"ftp-21\"") || plain.contains("-j CT --helper ftp"),
            "{plain}"
        );
        assert!(
            !plain.contains("5001"),
            "the unpinned range is not opened:\n{plain}"
        );
    }
}

#[test]
fn dual_stack_opens_both_families_and_ipv6_only_opens_one() {
    let dual = crate::Case::single("dual-stack");
    assert!(
        generate(&dual, Format::Iptables)
            .unwrap()
            .contains("--dport 50000:50100")
    );
    assert!(
        generate(&dual, Format::Ip6tables)
            .unwrap()
            .contains("--dport 50000:50100")
    );
    let v6 = crate::Case::single("ipv6-only");
    assert!(
        generate(&v6, Format::Iptables)
            .unwrap_err()
            .contains("listens only on IPv6")
    );
    assert!(
        generate(&v6, Format::Ip6tables)
            .unwrap()
            .contains("-d 2001:db8::21 -p tcp -m tcp --dport 21")
    );
}

#[test]
fn odd_ranges_open_what_vsftpd_really_uses() {
    let cases = [
        ("odd-min-above-max", "tcp dport 60000-65535 accept"),
        ("odd-octal", "tcp dport 50000-50004 accept"),
        ("odd-low-min", "tcp dport 1024-1030 accept"),
        ("custom-port", "tcp dport 2121 accept"),
    ];
    for (name, want) in cases {
        let text = generate(&crate::Case::single(name), Format::Nft).unwrap();
        assert!(text.contains(want), "{name}: {want}\n{text}");
    }
    let below = generate(&crate::Case::single("odd-max-below-default"), Format::Nft).unwrap();
    assert!(
        below.contains("ct helper set"),
        "5001-65535 is unpinned: helper\n{below}"
    );
}
