//! `vsconf explain NAME` as people read it, one snapshot per kind of setting: one only Debian knows,
//! one only Fedora/RHEL knows, an octal number and a string. The JSON form's fields are the public
//! contract of `--json` (only additions allowed), so its key set is pinned too.

use super::{run, stderr, stdout};

fn explain(name: &str) -> String {
    let o = run(&["explain", name]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/settings/{name}.md")),
    )
    .expect("page");
    assert_eq!(
        text, page,
        "`vsconf explain {name}` and docs/settings/{name}.md differ"
    );
    text
}

#[test]
fn explain_debian_only_setting() {
    insta::assert_snapshot!(explain("utf8_filesystem"));
}

#[test]
fn explain_fedora_only_setting() {
    insta::assert_snapshot!(explain("bind_retries"));
}

#[test]
fn explain_octal_setting() {
    insta::assert_snapshot!(explain("anon_umask"));
}

#[test]
fn explain_string_setting() {
    insta::assert_snapshot!(explain("ftpd_banner"));
}

#[test]
fn explain_json_keeps_its_fields() {
    let o = run(&["explain", "--json", "pasv_min_port"]);
    assert_eq!(o.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let keys: Vec<&str> = doc
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "defaults",
            "details",
            "interacts_with",
            "missing_in",
            "name",
            "octal",
            "pitfalls",
            "rules",
            "summary",
            "type",
            "value_pitfalls"
        ]
    );
    assert_eq!(doc["defaults"]["debian-3.0.3"], "5001");
    assert_eq!(doc["rules"][0]["code"], "VSC002");
}

#[test]
fn rules_with_a_setting_name_lists_its_rules_and_points_to_explain() {
    let o = run(&["rules", "pasv_min_port"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
    let o = run(&["rules", "--json", "pasv_min_port"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["setting"], "pasv_min_port");
    assert_eq!(doc["rules"][0]["code"], "VSC002");
    let o = run(&["rules", "pasv_min_prot"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no rule named `pasv_min_prot`"),
        "{}",
        stderr(&o)
    );
}
