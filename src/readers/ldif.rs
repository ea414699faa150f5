//! Reader for `ldifde -f user.ldf -r "(sAMAccountName=NAME)"` exports (LDIF, RFC 2849).
//!
//! Folded lines (a continuation starts with one space) are unfolded, `attr:: base64` values decoded, `#` comments
//! and `version:` skipped; entries are separated by blank lines. Each entry with a `sAMAccountName` is an account.
//! ldifde exports every attribute that is set unless told otherwise (`-l`), so an entry without `userWorkstations`
//! may log on to all computers.

use super::aduser::{cn_of, domain_of_dn, filetime, is_secret, logon_hours, workstations};
use super::text::numbered_lines;
use super::{Problem, ReadOutput};
use crate::facts::accounts::{Account, AccountScope, Member, Workstations};
use crate::facts::{Located, Source};

/// `userAccountControl` bits.
const UF_ACCOUNTDISABLE: u32 = 0x2;
const UF_LOCKOUT: u32 = 0x10;
/// `primaryGroupID` of Domain Guests.
const DOMAIN_GUESTS_RID: &str = "514";

/// One attribute: name, value (decoded), raw bytes when base64, and its first line.
struct Attr {
    name: String,
    value: String,
    bytes: Option<Vec<u8>>,
    line: u64,
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    let mut entries: Vec<Vec<Attr>> = Vec::new();
    let mut entry: Vec<Attr> = Vec::new();
    // Unfold: (first line, logical line).
    let mut logical: Vec<(u64, String)> = Vec::new();
    for (n, line) in numbered_lines(text) {
        match line.strip_prefix(' ') {
            Some(cont) if !logical.is_empty() && !logical.last().is_some_and(|(_, l)| l.is_empty()) => {
                if let Some((_, l)) = logical.last_mut() {
                    l.push_str(cont);
                }
            }
            _ => logical.push((n, line.to_string())),
        }
    }
    for (n, line) in logical {
        if line.trim().is_empty() {
            if !entry.is_empty() {
                entries.push(std::mem::take(&mut entry));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let Some((name, rest)) = line.split_once(':') else {
            out.warnings
                .push(Problem::at(n, format!("not `attribute: value`: {:?}", truncate(&line))));
            continue;
        };
        let (value, bytes) = if let Some(b64) = rest.strip_prefix(':') {
            match base64(b64.trim()) {
                Some(bytes) => (String::from_utf8_lossy(&bytes).into_owned(), Some(bytes)),
                None => {
                    out.warnings
                        .push(Problem::at(n, format!("{name}: not valid base64: value skipped")));
                    continue;
                }
            }
        } else if rest.starts_with('<') {
            out.warnings
                .push(Problem::at(n, format!("{name}: a value by URL is not read")));
            continue;
        } else {
            (rest.trim().to_string(), None)
        };
        if name.eq_ignore_ascii_case("version") && entry.is_empty() {
            continue;
        }
        entry.push(Attr {
            name: name.trim().to_string(),
            value,
            bytes,
            line: n,
        });
    }
    if !entry.is_empty() {
        entries.push(entry);
    }
    for e in &entries {
        if let Some((acct, line, excerpt)) = account(e) {
            out.facts
                .accounts
                .push(Located::new(acct, Source::at(path, line), excerpt));
        }
    }
    if entries.is_empty() {
        out.errors.push(Problem::file("no LDIF entry (`dn: ...`) found"));
    } else if out.facts.accounts.is_empty() {
        out.notes.push(format!(
            "{} entries, none with a sAMAccountName: no account read",
            entries.len()
        ));
    }
    out
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Standard base64 (RFC 4648), padding optional; `None` on any other character.
fn base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn account(attrs: &[Attr]) -> Option<(Account, u64, String)> {
    let get = |name: &str| attrs.iter().find(|a| a.name.eq_ignore_ascii_case(name));
    let sam = get("sAMAccountName")?;
    let mut a = Account {
        name: sam.value.clone(),
        scope: AccountScope::Domain,
        ..Account::default()
    };
    a.domain = get("dn").and_then(|d| domain_of_dn(&d.value));
    a.full_name = get("displayName").map(|d| d.value.clone());
    if let Some(uac) = get("userAccountControl").and_then(|u| u.value.trim().parse::<u32>().ok()) {
        a.active = Some(if uac & UF_ACCOUNTDISABLE != 0 { "No" } else { "Yes" }.into());
        a.locked_out = Some(uac & UF_LOCKOUT != 0);
    }
    if get("lockoutTime").and_then(|l| filetime(&l.value)).is_some() {
        // lockoutTime is set while the account is locked (until the lockout duration passes or an admin unlocks it).
        a.locked_out = Some(true);
    }
    a.account_expires = Some(
        get("accountExpires")
            .and_then(|e| filetime(&e.value))
            .unwrap_or_else(|| "Never".into()),
    );
    a.logon_hours = Some(
        get("logonHours")
            .map(|h| logon_hours(h.bytes.as_deref().unwrap_or(h.value.as_bytes())))
            .unwrap_or_else(|| "All".into()),
    );
    a.workstations = Some(
        get("userWorkstations")
            .map(|w| workstations(&w.value))
            .unwrap_or(Workstations::All),
    );
    a.global_groups = attrs
        .iter()
        .filter(|x| x.name.eq_ignore_ascii_case("memberOf"))
        .map(|x| Member {
            name: cn_of(&x.value),
            line: x.line,
            truncated: false,
        })
        .collect();
    if let Some(p) = get("primaryGroupID").filter(|p| p.value.trim() == DOMAIN_GUESTS_RID) {
        a.global_groups.push(Member {
            name: "Domain Guests".into(),
            line: p.line,
            truncated: false,
        });
    }
    for x in attrs {
        let value = if is_secret(&x.name) {
            "(not shown: a secret)".to_string()
        } else if x.bytes.is_some() && x.value.chars().any(|c| c.is_control() || c == '\u{fffd}') {
            format!("({} bytes)", x.bytes.as_ref().map_or(0, Vec::len))
        } else {
            x.value.clone()
        };
        a.fields.push((x.name.clone(), value));
        a.field_lines.push(x.line);
    }
    Some((a, sam.line, format!("sAMAccountName: {}", sam.value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "version: 1\r\n\r\n# IUSR of CAS01\r\ndn: CN=IUSR_CAS01,CN=Users,DC=contoso,DC=com\r\nchangetype: add\r\nobjectClass: top\r\nobjectClass: user\r\ncn: IUSR_CAS01\r\ndescription:: QnVpbHQtaW4gYWNjb3VudCBmb3IgYW5vbnltb3VzIGFjY2VzcyB0byBJSVM=\r\nmemberOf: CN=Domain Guests,CN=Users,DC=contoso,DC=co\r\n m\r\nuserAccountControl: 530\r\naccountExpires: 129067776000000000\r\nsAMAccountName: IUSR_CAS01\r\nuserWorkstations: CAS02,DC0\r\n 1\r\nunicodePwd:: IgBQAGEAcwBzACIA\r\n\r\ndn: CN=Web,OU=Groups,DC=contoso,DC=com\r\nobjectClass: group\r\n";

    #[test]
    fn reads_flags_lists_folds_and_base64() {
        let out = read(SAMPLE, "iusr.ldf");
        assert!(
            out.errors.is_empty() && out.warnings.is_empty(),
            "{:?} {:?}",
            out.errors,
            out.warnings
        );
        assert_eq!(out.facts.accounts.len(), 1);
        let l = &out.facts.accounts[0];
        assert_eq!(l.source.line, Some(14));
        let a = &l.value;
        assert_eq!((a.name.as_str(), a.domain.as_deref()), ("IUSR_CAS01", Some("CONTOSO")));
        assert_eq!(a.active.as_deref(), Some("No"), "0x2 of 530");
        assert_eq!(a.locked_out, Some(true), "0x10 of 530");
        assert_eq!(a.account_expires.as_deref(), Some("2010-01-01 00:00:00 UTC"));
        assert_eq!(
            a.workstations,
            Some(Workstations::List(vec!["CAS02".into(), "DC01".into()]))
        );
        assert_eq!(a.global_groups[0].name, "Domain Guests");
        assert_eq!(a.global_groups[0].line, 10);
        assert_eq!(
            a.field("description").map(|(v, _)| v),
            Some("Built-in account for anonymous access to IIS")
        );
        assert_eq!(a.field("userWorkstations").and_then(|(_, l)| l), Some(15));
        let shown = serde_json::to_string(&out.facts).unwrap();
        assert!(!shown.contains("IgBQ") && !shown.contains("\"Pass\""), "{shown}");
    }

    #[test]
    fn an_entry_without_workstations_may_log_on_anywhere() {
        let out = read(
            "dn: CN=IUSR_X,DC=f,DC=local\nsAMAccountName: IUSR_X\nuserAccountControl: 512\n",
            "x.ldf",
        );
        let a = &out.facts.accounts[0].value;
        assert_eq!(a.workstations, Some(Workstations::All));
        assert_eq!(a.active.as_deref(), Some("Yes"));
        assert_eq!(a.account_expires.as_deref(), Some("Never"));
    }

    #[test]
    fn garbage_is_located() {
        let out = read("dn: CN=x\nthis has no colon\nsAMAccountName:: !!!\n", "x.ldf");
        assert_eq!(
            out.warnings.iter().map(|w| w.line).collect::<Vec<_>>(),
            [Some(2), Some(3)]
        );
        assert!(read("\n\n", "x.ldf").errors.len() == 1);
    }
}
