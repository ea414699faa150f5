//! Reader for `secedit /export` output and GPO GptTmpl.inf: every section, `Key = Value`, in any order.
//!
//! `[Privilege Rights]` gives user rights (principals as `*SID` or bare names, empty values allowed),
//! `[Group Membership]` gives Restricted Groups policy, every other entry is kept as a setting.

use super::text::numbered_lines;
use super::{Problem, ReadOutput};
use crate::facts::policy::{PolicySetting, Principal, PrivilegeRight, RestrictedGroup};
use crate::facts::{Located, Source};
use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, take_till, take_while1};
use nom::character::complete::{char, space0};
use nom::combinator::{all_consuming, map, rest, value};
use nom::sequence::{delimited, preceded, separated_pair, terminated};
use nom::{IResult, Parser};

/// One line of an INF file.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    Section(&'a str),
    Entry(&'a str, &'a str),
    Blank,
}

fn section(i: &str) -> IResult<&str, Line<'_>> {
    map(
        terminated(delimited(char('['), is_not("]"), char(']')), space0),
        |s: &str| Line::Section(s.trim()),
    )
    .parse(i)
}

fn entry(i: &str) -> IResult<&str, Line<'_>> {
    map(
        separated_pair(take_while1(|c| c != '='), char('='), rest),
        |(k, v): (&str, &str)| Line::Entry(k.trim(), v.trim()),
    )
    .parse(i)
}

fn blank_or_comment(i: &str) -> IResult<&str, Line<'_>> {
    alt((
        value(Line::Blank, preceded(alt((tag(";"), tag("#"))), take_till(|_| false))),
        value(Line::Blank, space0),
    ))
    .parse(i)
}

fn line(i: &str) -> IResult<&str, Line<'_>> {
    preceded(space0, alt((section, entry, all_consuming(blank_or_comment)))).parse(i)
}

/// Splits a comma-separated principal list; an empty value gives none.
fn principals(v: &str) -> Vec<Principal> {
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Principal::parse)
        .collect()
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let mut current: Option<String> = None;
    let mut sections = 0;
    for (n, raw) in numbered_lines(text) {
        let raw = raw.trim_start_matches('\u{feff}');
        match all_consuming(line).parse(raw) {
            Ok((_, Line::Blank)) => {}
            Ok((_, Line::Section(s))) => {
                sections += 1;
                current = Some(s.to_string());
            }
            Ok((_, Line::Entry(k, v))) => {
                let src = Source::at(path, n);
                let excerpt = raw.trim().to_string();
                let Some(sec) = current.as_deref() else {
                    out.warnings
                        .push(Problem::at(n, format!("`{k}` comes before any [section]: ignored")));
                    continue;
                };
                if sec.eq_ignore_ascii_case("Privilege Rights") {
                    out.facts.rights.push(Located::new(
                        PrivilegeRight {
                            right: k.to_string(),
                            principals: principals(v),
                        },
                        src,
                        excerpt,
                    ));
                } else if sec.eq_ignore_ascii_case("Group Membership") {
                    match k.rsplit_once("__") {
                        Some((group, relation)) => out.facts.restricted_groups.push(Located::new(
                            RestrictedGroup {
                                group: Principal::parse(group),
                                relation: relation.to_string(),
                                principals: principals(v),
                            },
                            src,
                            excerpt,
                        )),
                        None => out.warnings.push(Problem::at(
                            n,
                            format!("`{k}` is not GROUP__Members or GROUP__Memberof"),
                        )),
                    }
                } else {
                    out.facts.policy_settings.push(Located::new(
                        PolicySetting {
                            section: sec.to_string(),
                            key: k.to_string(),
                            value: v.to_string(),
                        },
                        src,
                        excerpt,
                    ));
                }
            }
            Err(_) => {
                let shown: String = raw.chars().take(60).collect();
                match current.as_deref() {
                    // Sections such as [Service General Setting] or [File Security] hold value lists without `=`.
                    Some(sec) if !sec.eq_ignore_ascii_case("Privilege Rights") => {
                        out.facts.policy_settings.push(Located::new(
                            PolicySetting {
                                section: sec.to_string(),
                                key: raw.trim().to_string(),
                                value: String::new(),
                            },
                            Source::at(path, n),
                            raw.trim(),
                        ));
                    }
                    _ => out
                        .warnings
                        .push(Problem::at(n, format!("not `[Section]` or `Key = Value`: {shown:?}"))),
                }
            }
        }
    }
    if sections == 0 {
        out.errors.push(Problem::file(
            "no [section] found: not a readable security policy export",
        ));
    } else if !out.facts.rights.is_empty()
        || out
            .facts
            .policy_settings
            .iter()
            .any(|s| s.value.section.eq_ignore_ascii_case("Privilege Rights"))
    {
    } else {
        out.notes
            .push("no [Privilege Rights] section: this export holds no user rights".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\nSeDenyNetworkLogonRight = *S-1-5-32-546,Guest,SUPPORT_388945a0\r\nSeDenyBatchLogonRight =\r\nSeDenyInteractiveLogonRight = CONTOSO\\svc\r\n[System Access]\r\nMinimumPasswordAge = 1\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n[Group Membership]\r\n*S-1-5-32-546__Members = IUSR_CAS01\r\n";

    #[test]
    fn reads_rights_with_sids_names_and_empty_values() {
        let out = read(SAMPLE, "secpol.inf");
        assert!(
            out.errors.is_empty() && out.warnings.is_empty(),
            "{:?} {:?}",
            out.errors,
            out.warnings
        );
        let r = &out.facts.rights;
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].value.right, "SeDenyNetworkLogonRight");
        assert_eq!(r[0].source.line, Some(4));
        assert!(r[0].value.principals[0].is_guests_group());
        assert!(!r[0].value.principals[1].is_guests_group());
        assert!(r[0].value.principals[1].is_guest_account());
        assert!(r[1].value.principals.is_empty());
        assert_eq!(r[2].value.principals[0].name.as_deref(), Some("CONTOSO\\svc"));
        assert_eq!(out.facts.restricted_groups[0].value.relation, "Members");
        assert!(out
            .facts
            .policy_settings
            .iter()
            .any(|s| s.value.key == "MinimumPasswordAge" && s.value.value == "1"));
    }

    #[test]
    fn any_section_order_gives_the_same_rights() {
        let a = read(SAMPLE, "a");
        let reordered = "[Version]\nsignature=\"$CHICAGO$\"\n[Privilege Rights]\nSeDenyInteractiveLogonRight = CONTOSO\\svc\nSeDenyNetworkLogonRight = *S-1-5-32-546,Guest,SUPPORT_388945a0\n";
        let b = read(reordered, "b");
        let key = |o: &ReadOutput| {
            let mut v: Vec<_> = o
                .facts
                .rights
                .iter()
                .map(|r| (r.value.right.clone(), r.value.principals.len()))
                .collect();
            v.retain(|(_, n)| *n > 0);
            v.sort();
            v
        };
        assert_eq!(key(&a), key(&b));
    }

    #[test]
    fn garbage_lines_are_located_warnings_and_no_section_is_an_error() {
        let out = read("[Privilege Rights]\nthis line has no equals sign\n", "p.inf");
        assert_eq!(out.warnings[0].line, Some(2));
        let out = read("[Service General Setting]\n\"seclogon\",4,\"\"\n", "p.inf");
        assert!(out.warnings.is_empty());
        assert_eq!(out.facts.policy_settings[0].value.key, "\"seclogon\",4,\"\"");
        let out = read("hello\nworld\n", "p.inf");
        assert_eq!(out.errors.len(), 1);
    }
}
