//! Reader for `Get-ADUser NAME -Properties * | Format-List` output (`Label : value` per line).
//!
//! Values wrap onto indented continuation lines; PowerShell breaks at a space where it can (the space is dropped)
//! and mid-word only when a word fills the line, so a continuation is joined with a space unless the line before
//! reaches the widest line of the object. Lists come as `{a, b}`; a blank line separates objects.
//! The domain is the first `DC=` label of `DistinguishedName`, upper-cased (`DC=contoso,DC=com` gives `CONTOSO`):
//! the NetBIOS name of almost every domain, which is how IIS and `net user` write it.

use super::text::numbered_lines;
use super::{Problem, ReadOutput};
use crate::facts::accounts::{Account, AccountScope, Member, Workstations};
use crate::facts::{Located, Source};

/// One `Label : value` field with the line it starts on.
struct Field {
    label: String,
    value: String,
    line: u64,
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let mut out = ReadOutput::default();
    if text.trim_start().starts_with('<') {
        out.errors.push(Problem::file(
            "Get-ADUser exported as XML (Export-Clixml) is not read: collect `Get-ADUser NAME -Properties * | Format-List > user.txt`",
        ));
        return out;
    }
    for object in objects(text) {
        let first_line = object.first().map(|f| f.line).unwrap_or(1);
        match account(&object) {
            Some(acct) => {
                let excerpt = object
                    .iter()
                    .find(|f| f.label.eq_ignore_ascii_case("SamAccountName"))
                    .map(|f| format!("SamAccountName : {}", f.value))
                    .unwrap_or_default();
                let line = object
                    .iter()
                    .find(|f| f.label.eq_ignore_ascii_case("SamAccountName"))
                    .map(|f| f.line)
                    .unwrap_or(first_line);
                out.facts
                    .accounts
                    .push(Located::new(acct, Source::at(path, line), excerpt));
            }
            None => out.warnings.push(Problem::at(
                first_line,
                "an object without SamAccountName: not a user, skipped",
            )),
        }
    }
    if out.facts.accounts.is_empty() && out.warnings.is_empty() {
        out.errors.push(Problem::file("no `Label : value` object found"));
    }
    out
}

/// The file's objects, each a list of fields with continuation lines joined.
fn objects(text: &str) -> Vec<Vec<Field>> {
    let mut objects = Vec::new();
    // Each field with its pieces: (text, length of the whole line it is on).
    let mut current: Vec<(Field, Vec<(String, usize)>)> = Vec::new();
    let mut width = 0usize;
    let flush = |current: &mut Vec<(Field, Vec<(String, usize)>)>, width: &mut usize, objects: &mut Vec<Vec<Field>>| {
        if !current.is_empty() {
            let fields = current
                .drain(..)
                .map(|(mut f, pieces)| {
                    f.value = join_wrapped(&pieces, *width);
                    f
                })
                .collect();
            objects.push(fields);
        }
        *width = 0;
    };
    for (n, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            flush(&mut current, &mut width, &mut objects);
            continue;
        }
        let len = line.trim_end().chars().count();
        width = width.max(len);
        let starts_field = !line.starts_with([' ', '\t']);
        match (starts_field, line.find(" :").or_else(|| line.find(':'))) {
            (true, Some(colon)) => {
                let value = line[colon..].trim_start_matches([' ', ':']);
                let field = Field {
                    label: line[..colon].trim().to_string(),
                    value: String::new(),
                    line: n,
                };
                current.push((field, vec![(value.to_string(), len)]));
            }
            _ => {
                if let Some((_, pieces)) = current.last_mut() {
                    pieces.push((line.trim().to_string(), len));
                }
            }
        }
    }
    flush(&mut current, &mut width, &mut objects);
    objects
}

/// Joins a value's pieces: with a space, unless the line before reaches the object's widest line (a word was split).
fn join_wrapped(pieces: &[(String, usize)], width: usize) -> String {
    let mut value = String::new();
    let mut prev_full = true;
    for (piece, line_len) in pieces {
        if !prev_full && !value.is_empty() {
            value.push(' ');
        }
        value.push_str(piece.trim_end());
        prev_full = *line_len >= width;
    }
    value.trim().to_string()
}

/// `{a, b}` or `a` to its items (`, ` separates items; a DN's own commas have no space after them).
pub fn list(value: &str) -> Vec<String> {
    let v = value.trim();
    let v = v
        .strip_prefix('{')
        .map(|s| s.strip_suffix('}').unwrap_or(s))
        .unwrap_or(v);
    v.split(", ")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The CN of a distinguished name (`CN=Domain Guests,CN=Users,DC=...` gives `Domain Guests`).
pub fn cn_of(dn: &str) -> String {
    let first = dn.split(',').next().unwrap_or(dn).trim();
    match first.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("CN") => v.trim().to_string(),
        _ => first.to_string(),
    }
}

/// The NetBIOS guess of a DN's domain: its first `DC=` label, upper-cased (see the module doc).
pub fn domain_of_dn(dn: &str) -> Option<String> {
    dn.split(',')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("DC"))
        .map(|(_, v)| v.trim().to_ascii_uppercase())
}

/// Labels whose values are secrets in any form, never kept: passwords and their hashes, not the password dates
/// and flags (`PasswordLastSet`, `PasswordExpired`, `pwdLastSet`, ...), which the diagnosis reads.
pub fn is_secret(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    const NOT_SECRET: &[&str] = &[
        "passwordlastset",
        "passwordexpired",
        "passwordneverexpires",
        "passwordnotrequired",
        "cannotchangepassword",
        "allowreversiblepasswordencryption",
        "pwdlastset",
        "badpasswordtime",
        "badpwdcount",
        "msds-userpasswordexpirytimecomputed",
        "lastbadpasswordattempt",
    ];
    (l.contains("pass") || l.contains("pwd")) && !NOT_SECRET.contains(&l.as_str())
}

/// `accountExpires` / `lockoutTime` FILETIME (100 ns since 1601-01-01 UTC) as `YYYY-MM-DD HH:MM:SS UTC`;
/// `None` for 0 and 0x7FFFFFFFFFFFFFFF (never).
pub fn filetime(value: &str) -> Option<String> {
    let ft: i64 = value.trim().parse().ok()?;
    if ft <= 0 || ft == i64::MAX {
        return None;
    }
    let secs = ft / 10_000_000 - 11_644_473_600;
    Some(format!("{} UTC", crate::facts::calendar::format_utc(secs)))
}

/// `logonHours` as bytes: all set (or none given) is "All", anything else is restricted.
pub fn logon_hours(bytes: &[u8]) -> String {
    if bytes.is_empty() || bytes.iter().all(|&b| b == 0xFF) {
        "All".into()
    } else if bytes.iter().all(|&b| b == 0) {
        "None".into()
    } else {
        let hours: u32 = bytes.iter().map(|b| b.count_ones()).sum();
        format!("restricted ({hours} of 168 hours a week)")
    }
}

/// `CAS02,DC01` (or empty: all computers).
pub fn workstations(value: &str) -> Workstations {
    let items: Vec<String> = value
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        Workstations::All
    } else {
        Workstations::List(items)
    }
}

fn account(fields: &[Field]) -> Option<Account> {
    let get = |label: &str| fields.iter().find(|f| f.label.eq_ignore_ascii_case(label));
    let name = get("SamAccountName")?;
    let mut a = Account {
        name: name.value.clone(),
        scope: AccountScope::Domain,
        ..Account::default()
    };
    a.domain = get("DistinguishedName").and_then(|f| domain_of_dn(&f.value));
    a.full_name = get("DisplayName")
        .or_else(|| get("Name"))
        .map(|f| f.value.clone())
        .filter(|v| !v.is_empty());
    a.active = get("Enabled").map(|f| {
        if f.value.eq_ignore_ascii_case("True") {
            "Yes".into()
        } else if f.value.eq_ignore_ascii_case("False") {
            "No".into()
        } else {
            f.value.clone()
        }
    });
    a.locked_out = get("LockedOut").and_then(|f| match f.value.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    });
    a.account_expires = match get("AccountExpirationDate") {
        Some(f) if !f.value.is_empty() => Some(f.value.clone()),
        Some(_) => Some("Never".into()),
        None => get("accountExpires").map(|f| filetime(&f.value).unwrap_or_else(|| "Never".into())),
    };
    a.logon_hours = get("logonHours").map(|f| {
        let bytes: Vec<u8> = list(&f.value).iter().filter_map(|b| b.parse().ok()).collect();
        logon_hours(&bytes)
    });
    a.workstations = get("LogonWorkstations")
        .or_else(|| get("userWorkstations"))
        .map(|f| workstations(&f.value));
    if let Some(f) = get("MemberOf") {
        a.global_groups = list(&f.value)
            .iter()
            .map(|dn| Member {
                name: cn_of(dn),
                line: f.line,
                truncated: dn.ends_with("..."),
            })
            .collect();
    }
    if let Some(f) = get("PrimaryGroup").filter(|f| !f.value.is_empty()) {
        let name = cn_of(&f.value);
        if !a.global_groups.iter().any(|m| m.name.eq_ignore_ascii_case(&name)) {
            a.global_groups.push(Member {
                name,
                line: f.line,
                truncated: false,
            });
        }
    }
    for f in fields {
        let value = if is_secret(&f.label) && !f.value.is_empty() {
            "(not shown: a secret)".to_string()
        } else {
            f.value.clone()
        };
        a.fields.push((f.label.clone(), value));
        a.field_lines.push(f.line);
    }
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\r\n\r\nAccountExpirationDate                : \r\naccountExpires                       : 9223372036854775807\r\nDisplayName                          : \r\nDistinguishedName                    : CN=IUSR_CAS01,CN=Users,DC=contoso,DC=com\r\nEnabled                              : False\r\nLockedOut                            : True\r\nlogonHours                           : \r\nLogonWorkstations                    : CAS02,DC01,EXCH-MBX01,EXCH-MBX02,EXCH-MBX03,EXCH-HUB01,EXCH-HUB02,EX\r\n                                       CH-HUB03\r\nMemberOf                             : {CN=Domain Guests,CN=Users,DC=contoso,DC=com, CN=Web Anonymous\r\n                                       Accounts,OU=Groups,DC=contoso,DC=com}\r\nName                                 : IUSR_CAS01\r\nPasswordLastSet                      : 3/1/2010 10:00:00 AM\r\nPrimaryGroup                         : CN=Domain Users,CN=Users,DC=contoso,DC=com\r\nSamAccountName                       : IUSR_CAS01\r\nuserAccountControl                   : 514\r\n\r\n";

    #[test]
    fn reads_the_account_with_wrapped_values_and_lists() {
        let out = read(SAMPLE, "iusr-ad.txt");
        assert!(
            out.errors.is_empty() && out.warnings.is_empty(),
            "{:?} {:?}",
            out.errors,
            out.warnings
        );
        let a = &out.facts.accounts[0];
        assert_eq!(a.source.line, Some(17));
        let a = &a.value;
        assert_eq!((a.name.as_str(), a.domain.as_deref()), ("IUSR_CAS01", Some("CONTOSO")));
        assert_eq!(a.scope, AccountScope::Domain);
        assert_eq!(a.active.as_deref(), Some("No"));
        assert_eq!(a.locked_out, Some(true));
        assert_eq!(a.account_expires.as_deref(), Some("Never"));
        assert_eq!(a.logon_hours.as_deref(), Some("All"));
        match &a.workstations {
            Some(Workstations::List(l)) => {
                assert_eq!(l.len(), 8);
                assert_eq!(l[7], "EXCH-HUB03", "a word split by the wrap is joined");
            }
            other => panic!("{other:?}"),
        }
        let groups: Vec<&str> = a.global_groups.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(groups, ["Domain Guests", "Web Anonymous Accounts", "Domain Users"]);
        assert_eq!(a.field("LogonWorkstations").and_then(|(_, l)| l), Some(10));
    }

    #[test]
    fn empty_logon_workstations_is_all_computers() {
        let text = "DistinguishedName : CN=IUSR_CAS01,CN=Users,DC=fabrikam,DC=local\nEnabled : True\nLogonWorkstations : \nSamAccountName : IUSR_CAS01\n";
        let out = read(text, "u.txt");
        let a = &out.facts.accounts[0].value;
        assert_eq!(a.workstations, Some(Workstations::All));
        assert_eq!(a.domain.as_deref(), Some("FABRIKAM"));
        assert_eq!(a.active.as_deref(), Some("Yes"));
    }

    #[test]
    fn filetimes_and_secrets() {
        assert_eq!(filetime("9223372036854775807"), None);
        assert_eq!(filetime("0"), None);
        assert_eq!(
            filetime("129067776000000000").as_deref(),
            Some("2010-01-01 00:00:00 UTC")
        );
        assert!(is_secret("unicodePwd"));
        assert!(is_secret("userPassword"));
        assert!(!is_secret("PasswordLastSet"));
    }

    #[test]
    fn clixml_and_text_without_objects_are_errors() {
        assert_eq!(read("<Objs Version=\"1.1.0.1\">", "u.xml").errors.len(), 1);
        assert_eq!(read("\r\n\r\n", "u.txt").errors.len(), 1);
    }
}
