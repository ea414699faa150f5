//! Reader for `net user` and `net localgroup` output, as customers paste it: several commands in one file, prompts
//! and console noise between them, CRLF or LF, with or without the closing line.
//!
//! - `net user NAME [/domain]`: every labelled field (English labels; other labels are kept as read), wrapped
//!   continuation lines of `Local Group Memberships` / `Global Group memberships` (names cut at 21 characters),
//!   `The request will be processed at a domain controller for domain X` (a domain account).
//! - `net user` (the list): `User accounts for \\SERVER` gives the server's name.
//! - `net localgroup NAME`: `Alias name`, `Comment`, `Members`, a dashed line, one member per line.

use super::text::numbered_lines;
use super::{Problem, ReadOutput};
use crate::facts::accounts::{Account, AccountScope, GroupListing, Member, Workstations};
use crate::facts::names::{NameRole, ServerName};
use crate::facts::{Located, Source};
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::space0;
use nom::combinator::rest;
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// The labels of `net user NAME` (English).
const USER_LABELS: &[&str] = &[
    "User name",
    "Full Name",
    "Comment",
    "User's comment",
    "Country/region code",
    "Country code",
    "Account active",
    "Account expires",
    "Password last set",
    "Password expires",
    "Password changeable",
    "Password required",
    "User may change password",
    "Workstations allowed",
    "Logon script",
    "User profile",
    "Home directory",
    "Last logon",
    "Logon hours allowed",
    "Local Group Memberships",
    "Global Group memberships",
];

const DONE_OK: &str = "The command completed successfully.";
const DONE_ERRORS: &str = "The command completed with one or more errors.";
const DOMAIN_NOTE: &str = "The request will be processed at a domain controller for domain ";

/// `Label   value` for a known label: the label, then nothing or spaces and the value.
fn labelled<'a>(line: &'a str, label: &'static str) -> IResult<&'a str, &'a str> {
    let (rest_, _) = tag(label).parse(line)?;
    if !(rest_.is_empty() || rest_.starts_with(' ') || rest_.starts_with('\t')) {
        return Err(nom::Err::Error(nom::error::Error::new(
            line,
            nom::error::ErrorKind::Tag,
        )));
    }
    preceded(space0, rest).parse(rest_)
}

fn known_field(line: &str) -> Option<(&'static str, &str)> {
    USER_LABELS
        .iter()
        .find_map(|l| labelled(line, l).ok().map(|(_, v)| (*l, v.trim_end())))
}

/// `*Guests               *Users` → the names (a name can hold single spaces; `*None` means none).
fn memberships(value: &str, line: u64) -> Vec<Member> {
    value
        .split('*')
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("None"))
        .map(|n| Member {
            name: n.to_string(),
            line,
            truncated: n.chars().count() >= 21,
        })
        .collect()
}

/// A dashed separator line.
fn is_dashes(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 10
        && take_while::<_, _, nom::error::Error<&str>>(|c| c == '-')
            .parse(t)
            .is_ok_and(|(r, _)| r.is_empty())
}

enum State {
    Idle,
    User {
        account: Box<Account>,
        start: u64,
        excerpt: String,
        last_label: Option<&'static str>,
    },
    Group {
        group: GroupListing,
        start: u64,
        excerpt: String,
        in_members: bool,
    },
    UserList,
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let mut state = State::Idle;
    let mut pending_domain: Option<String> = None;
    for (n, raw) in numbered_lines(text) {
        let line = raw.trim_end();
        // A command's closing line ends any block.
        if line.trim() == DONE_OK || line.trim() == DONE_ERRORS {
            if line.trim() == DONE_ERRORS {
                out.warnings
                    .push(Problem::at(n, "the command reported errors; what it listed is kept"));
            }
            finish(&mut state, &mut out, path, true);
            continue;
        }
        if let Some(dom) = line.trim().strip_prefix(DOMAIN_NOTE) {
            pending_domain = Some(dom.trim_end_matches('.').trim().to_string());
            continue;
        }
        if let Ok((_, v)) = labelled(line, "User name") {
            finish(&mut state, &mut out, path, false);
            let mut account = Box::new(Account {
                name: v.trim().to_string(),
                scope: AccountScope::Local,
                ..Account::default()
            });
            if let Some(d) = pending_domain.take() {
                account.domain = Some(d);
                account.scope = AccountScope::Domain;
            }
            account.fields.push(("User name".into(), account.name.clone()));
            account.field_lines.push(n);
            state = State::User {
                account,
                start: n,
                excerpt: line.trim().to_string(),
                last_label: Some("User name"),
            };
            continue;
        }
        if let Ok((_, v)) = labelled(line, "Alias name") {
            finish(&mut state, &mut out, path, false);
            let group = GroupListing {
                group: v.trim().to_string(),
                ..GroupListing::default()
            };
            state = State::Group {
                group,
                start: n,
                excerpt: line.trim().to_string(),
                in_members: false,
            };
            continue;
        }
        if let Some(server) = line.trim().strip_prefix("User accounts for \\\\") {
            finish(&mut state, &mut out, path, false);
            let server = server.trim();
            if !server.is_empty() {
                out.facts.server_names.push(Located::new(
                    ServerName {
                        name: server.to_string(),
                        role: NameRole::Server,
                    },
                    Source::at(path, n),
                    line.trim(),
                ));
            }
            state = State::UserList;
            continue;
        }
        match &mut state {
            State::Idle | State::UserList => {}
            State::User {
                account, last_label, ..
            } => {
                if line.trim().is_empty() {
                    continue;
                }
                if let Some((label, value)) = known_field(line) {
                    user_field(account, label, value, n);
                    *last_label = Some(label);
                } else if raw.starts_with(' ') || raw.starts_with('\t') {
                    // A wrapped continuation of the previous field.
                    match *last_label {
                        Some("Local Group Memberships") => account.local_groups.extend(memberships(line, n)),
                        Some("Global Group memberships") => account.global_groups.extend(memberships(line, n)),
                        Some(l) => {
                            if let Some(f) = account.fields.iter_mut().rev().find(|(k, _)| k == l) {
                                f.1.push(' ');
                                f.1.push_str(line.trim());
                            }
                        }
                        None => {}
                    }
                } else if let Some((label, value)) = line.split_once("  ") {
                    // A label this reader does not know (localized output): kept as read.
                    account
                        .fields
                        .push((label.trim().to_string(), value.trim().to_string()));
                    account.field_lines.push(n);
                    *last_label = None;
                } else {
                    out.warnings
                        .push(Problem::at(n, format!("not a `net user` field: {:?}", short(line))));
                }
            }
            State::Group { group, in_members, .. } => {
                if *in_members {
                    if line.trim().is_empty() {
                        // A blank line after the members ends a listing that lacks its closing line.
                        if !group.members.is_empty() {
                            finish(&mut state, &mut out, path, false);
                        }
                    } else if looks_like_prompt(line) {
                        finish(&mut state, &mut out, path, false);
                    } else {
                        group.members.push(Member {
                            name: line.trim().to_string(),
                            line: n,
                            truncated: false,
                        });
                    }
                } else if is_dashes(line) {
                    *in_members = true;
                } else if let Ok((_, v)) = labelled(line, "Comment") {
                    group.comment = Some(v.trim().to_string()).filter(|c| !c.is_empty());
                }
            }
        }
    }
    finish(&mut state, &mut out, path, false);
    if out.facts.accounts.is_empty() && out.facts.groups.is_empty() && out.facts.server_names.is_empty() {
        out.errors
            .push(Problem::file("no `net user` or `net localgroup` listing found"));
    }
    out
}

fn short(line: &str) -> String {
    line.trim().chars().take(60).collect()
}

/// `C:\>`, `PS C:\x>`, `*Evil-WinRM* PS C:\>`: a prompt line.
fn looks_like_prompt(line: &str) -> bool {
    let t = line.trim();
    (t.contains(":\\") && (t.contains('>'))) || t.starts_with("PS ")
}

fn user_field(account: &mut Account, label: &'static str, value: &str, line: u64) {
    account.fields.push((label.to_string(), value.trim().to_string()));
    account.field_lines.push(line);
    let some = |v: &str| Some(v.trim().to_string()).filter(|s| !s.is_empty());
    match label {
        "Full Name" => account.full_name = some(value),
        "Account active" => {
            account.active = some(value);
            if value.trim().eq_ignore_ascii_case("Locked") {
                account.locked_out = Some(true);
            }
        }
        "Account expires" => account.account_expires = some(value),
        "Password expires" => account.password_expires = some(value),
        "Logon hours allowed" => account.logon_hours = some(value),
        "Workstations allowed" => {
            let v = value.trim();
            account.workstations = Some(if v.eq_ignore_ascii_case("All") || v.is_empty() {
                Workstations::All
            } else {
                Workstations::List(
                    v.split(',')
                        .map(|w| w.trim().to_string())
                        .filter(|w| !w.is_empty())
                        .collect(),
                )
            });
        }
        "Local Group Memberships" => account.local_groups.extend(memberships(value, line)),
        "Global Group memberships" => account.global_groups.extend(memberships(value, line)),
        _ => {}
    }
}

fn finish(state: &mut State, out: &mut ReadOutput, path: &str, complete: bool) {
    match std::mem::replace(state, State::Idle) {
        State::User {
            account,
            start,
            excerpt,
            ..
        } => {
            out.facts
                .accounts
                .push(Located::new(*account, Source::at(path, start), excerpt));
        }
        State::Group {
            mut group,
            start,
            excerpt,
            in_members,
        } => {
            if !in_members {
                out.warnings.push(Problem::at(
                    start,
                    format!("`net localgroup {}` lists no members section", group.group),
                ));
            }
            group.complete = complete;
            out.facts
                .groups
                .push(Located::new(group, Source::at(path, start), excerpt));
        }
        State::Idle | State::UserList => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = "PS C:\\> net user IUSR_CAS01 /domain\r\nThe request will be processed at a domain controller for domain contoso.com.\r\n\r\nUser name                    IUSR_CAS01\r\nFull Name                    Internet Guest Account\r\nAccount active               Yes\r\nAccount expires              Never\r\n\r\nWorkstations allowed         CAS02,CAS03\r\nLogon hours allowed          All\r\n\r\nLocal Group Memberships      *Remote Management Use *Users\r\n                             *Guests\r\nGlobal Group memberships     *Domain Users         *Domain Guests\r\nThe command completed successfully.\r\n";

    #[test]
    fn user_fields_continuations_and_domain() {
        let out = read(USER, "iusr.txt");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let a = &out.facts.accounts[0];
        assert_eq!(a.source.line, Some(4));
        assert_eq!(a.value.name, "IUSR_CAS01");
        assert_eq!(a.value.domain.as_deref(), Some("contoso.com"));
        assert_eq!(a.value.scope, AccountScope::Domain);
        assert_eq!(
            a.value.workstations,
            Some(Workstations::List(vec!["CAS02".into(), "CAS03".into()]))
        );
        let local: Vec<_> = a.value.local_groups.iter().map(|m| (m.name.as_str(), m.line)).collect();
        assert_eq!(
            local,
            vec![("Remote Management Use", 12), ("Users", 12), ("Guests", 13)]
        );
        assert!(a.value.member_of("Guests").is_some());
        assert!(a.value.member_of("Domain Guests").is_some());
        assert!(a.value.local_groups[0].truncated);
        assert_eq!(a.value.field("Workstations allowed"), Some(("CAS02,CAS03", Some(9))));
        assert_eq!(a.value.field("User name").and_then(|f| f.1), Some(4));
        assert_eq!(a.value.fields.len(), a.value.field_lines.len());
    }

    #[test]
    fn localgroup_with_and_without_trailer() {
        let text = "Alias name     Guests\nComment        Built-in account for guest access\n\nMembers\n\n-------------------------------------------------------------------------------\nGuest\nCONTOSO\\IUSR_CAS01\nThe command completed successfully.\n";
        let out = read(text, "g.txt");
        let g = &out.facts.groups[0].value;
        assert!(g.complete && g.is_guests());
        assert_eq!(g.members.len(), 2);
        assert_eq!(g.member("iusr_cas01").map(|m| m.line), Some(8));
        let cut = read(
            &text.replace("The command completed successfully.\n", "\nPS C:\\> whoami\n"),
            "g.txt",
        );
        assert!(!cut.facts.groups[0].value.complete);
        assert_eq!(cut.facts.groups[0].value.members.len(), 2);
    }

    #[test]
    fn user_list_gives_the_server_name_and_guest_is_not_guests() {
        let out = read("User accounts for \\\\CAS01\n\n-----------------------------------\nAdministrator   Guest\nThe command completed successfully.\n", "u.txt");
        assert_eq!(out.facts.server_names[0].value.name, "CAS01");
        let out = read("User name   Guest\nLocal Group Memberships      *Guests\n", "u.txt");
        assert!(out.facts.accounts[0].value.member_of("Guest").is_none());
    }

    #[test]
    fn nothing_recognisable_is_a_file_error() {
        let out = read("hello\nworld\n", "x.txt");
        assert_eq!(out.errors.len(), 1);
    }
}
