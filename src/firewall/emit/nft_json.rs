//! The libnftables JSON schema (`nft -j -f FILE`), built from the `nftables` crate's types.
//!
//! Standalone: `add table`, `delete table`, `add table` (so reloading replaces `inet vsconf`), then the
//! ct helper objects, the chains and their rules. `--into`: `add ct helper` and `add rule` commands for
//! the given chain. JSON has no comments: each rule carries its reason in the rule's `comment`.

use std::borrow::Cow;

use nftables::expr::{
    CT, Expression, Meta, MetaKey, NamedExpression, Payload, PayloadField, Prefix, Range, SetItem,
};
use nftables::schema::{
    CTHelper, Chain, NfCmd, NfListObject, NfObject, Nftables, Rule as NfRule, Table,
};
use nftables::stmt::{Match as NfMatch, Operator, Statement};
use nftables::types::{NfChainPolicy, NfChainType, NfFamily, NfHook};

use super::nft::{TABLE, ip_word, nfproto};
use crate::firewall::lower::{
    Hook, Match, Rule, Ruleset, Shape, TableFamily, Verdict, helper_name,
};
use crate::firewall::plan::{Family, PortRange};

/// Renders the ruleset as a pretty-printed libnftables JSON document.
pub fn emit(set: &Ruleset) -> String {
    let mut cmds: Vec<NfObject<'static>> = Vec::new();
    match &set.shape {
        Shape::Standalone => {
            let table = || Table {
                family: NfFamily::INet,
                name: TABLE.into(),
                handle: None,
            };
            cmds.push(NfObject::CmdObject(NfCmd::Add(
                NfListObject::Table(table()),
            )));
            cmds.push(NfObject::CmdObject(NfCmd::Delete(NfListObject::Table(
                table(),
            ))));
            cmds.push(NfObject::CmdObject(NfCmd::Add(
                NfListObject::Table(table()),
            )));
            helpers(set, NfFamily::INet, TABLE, &mut cmds);
            for (hook, name, policy) in [
                (Hook::Input, "input", NfChainPolicy::Drop),
                (Hook::Output, "output", NfChainPolicy::Accept),
            ] {
                let rules: Vec<&Rule> = set.rules_in(hook).collect();
                if rules.is_empty() && hook == Hook::Output {
                    continue;
                }
                cmds.push(NfObject::CmdObject(NfCmd::Add(NfListObject::Chain(
                    Chain {
                        family: NfFamily::INet,
                        table: TABLE.into(),
                        name: name.into(),
                        _type: Some(NfChainType::Filter),
                        hook: Some(if hook == Hook::Input {
                            NfHook::Input
                        } else {
                            NfHook::Output
                        }),
                        prio: Some(0),
                        policy: Some(policy),
                        ..Chain::default()
                    },
                ))));
                for r in rules {
                    cmds.push(add_rule(r, NfFamily::INet, TableFamily::Inet, TABLE, name));
                }
            }
        }
        Shape::Into(target) => {
            let family = nf_family(target.family);
            helpers(set, family, &target.table, &mut cmds);
            for r in set
                .rules_in(Hook::Input)
                .filter(|r| target.family.admits(r.family))
            {
                cmds.push(add_rule(
                    r,
                    family,
                    target.family,
                    &target.table,
                    &target.chain,
                ));
            }
        }
    }
    let doc = Nftables {
        objects: Cow::Owned(cmds),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn nf_family(f: TableFamily) -> NfFamily {
    match f {
        TableFamily::Inet => NfFamily::INet,
        TableFamily::Ip => NfFamily::IP,
        TableFamily::Ip6 => NfFamily::IP6,
    }
}

fn helpers(set: &Ruleset, family: NfFamily, table: &str, cmds: &mut Vec<NfObject<'static>>) {
    for port in &set.helper_ports {
        cmds.push(NfObject::CmdObject(NfCmd::Add(NfListObject::CTHelper(
            CTHelper {
                family,
                table: table.to_owned().into(),
                name: helper_name(*port).into(),
                handle: None,
                _type: "ftp".into(),
                protocol: Some("tcp".into()),
                l3proto: None,
            },
        ))));
    }
}

fn add_rule(
    r: &Rule,
    family: NfFamily,
    table_family: TableFamily,
    table: &str,
    chain: &str,
) -> NfObject<'static> {
    NfObject::CmdObject(NfCmd::Add(NfListObject::Rule(NfRule {
        family,
        table: table.to_owned().into(),
        chain: chain.to_owned().into(),
        expr: Cow::Owned(statements(r, table_family)),
        handle: None,
        index: None,
        comment: Some(r.comment.clone().into()),
    })))
}

fn payload(protocol: &'static str, field: &'static str) -> Expression<'static> {
    Expression::Named(NamedExpression::Payload(Payload::PayloadField(
        PayloadField {
            protocol: protocol.into(),
            field: field.into(),
        },
    )))
}

fn eq(left: Expression<'static>, right: Expression<'static>) -> Statement<'static> {
    Statement::Match(NfMatch {
        left,
        right,
        op: Operator::EQ,
    })
}

fn ports(r: PortRange) -> Expression<'static> {
    if r.is_single() {
        Expression::Number(u32::from(r.first))
    } else {
        Expression::Range(Box::new(Range {
            range: [
                Expression::Number(u32::from(r.first)),
                Expression::Number(u32::from(r.last)),
            ],
        }))
    }
}

fn statements(r: &Rule, table: TableFamily) -> Vec<Statement<'static>> {
    let mut out = Vec::new();
    if let (Some(f), TableFamily::Inet) = (r.family, table) {
        if !r.family_implied() {
            out.push(eq(
                Expression::Named(NamedExpression::Meta(Meta {
                    key: MetaKey::Nfproto,
                })),
                Expression::String(nfproto(f).into()),
            ));
        }
    }
    for m in &r.matches {
        out.push(match m {
            Match::Loopback => eq(
                Expression::Named(NamedExpression::Meta(Meta { key: MetaKey::Iif })),
                Expression::String("lo".into()),
            ),
            Match::CtState(states) => Statement::Match(NfMatch {
                left: Expression::Named(NamedExpression::CT(CT {
                    key: "state".into(),
                    family: None,
                    dir: None,
                })),
                right: Expression::List(
                    states
                        .iter()
                        .map(|s| Expression::String(s.name().into()))
                        .collect(),
                ),
                op: Operator::IN,
            }),
            Match::Saddr(c) => {
                let right = if c.is_host() {
                    Expression::String(c.addr.to_string().into())
                } else {
                    Expression::Named(NamedExpression::Prefix(Prefix {
                        addr: Box::new(Expression::String(c.addr.to_string().into())),
                        len: u32::from(c.len),
                    }))
                };
                eq(payload(ip_word(c.family()), "saddr"), right)
            }
            Match::Daddr(a) => {
                let f = if a.is_ipv4() {
                    Family::Ipv4
                } else {
                    Family::Ipv6
                };
                eq(
                    payload(ip_word(f), "daddr"),
                    Expression::String(a.to_string().into()),
                )
            }
            Match::Icmpv6Types(types) => eq(
                payload("icmpv6", "type"),
                Expression::Named(NamedExpression::Set(
                    types
                        .iter()
                        .map(|t| SetItem::Element(Expression::String((*t).into())))
                        .collect(),
                )),
            ),
            Match::Sport(p, r) => eq(payload(p.name(), "sport"), ports(*r)),
            Match::Dport(p, r) => eq(payload(p.name(), "dport"), ports(*r)),
        });
    }
    out.push(match r.verdict {
        Verdict::Accept => Statement::Accept(None),
        Verdict::Drop => Statement::Drop(None),
        Verdict::FtpHelper => {
            Statement::CTHelper(helper_name(r.helper_port().unwrap_or(21)).into())
        }
    });
    out
}
