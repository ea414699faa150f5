//! Reader for `Get-LocalGroupMember -Group NAME | Export-Clixml`: one `LocalPrincipal` object per member.
//!
//! The export does not name its group. owa440 takes the group from the file name when the name holds a group it
//! cares about (`Guests`, `Administrators`, `IIS_IUSRS`, e.g. `guests-members.xml`), and otherwise lists the
//! members under "(group not named in the export)", which no rule takes for Guests.

use super::{clixml, Problem, ReadOutput};
use crate::facts::accounts::{GroupListing, Member};
use crate::facts::{Located, Source};

/// The group a file name names, if any.
fn group_from_name(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["Guests", "Administrators", "IIS_IUSRS", "Users"]
        .into_iter()
        .find(|g| name.contains(&g.to_ascii_lowercase()))
}

pub fn read(text: &str, path: &str) -> ReadOutput {
    let doc = clixml::parse(text);
    let mut out = ReadOutput {
        errors: doc.errors,
        warnings: doc.warnings,
        ..ReadOutput::default()
    };
    let mut members = Vec::new();
    let mut first_line = None;
    for v in &doc.values {
        let Some(o) = v.as_object() else { continue };
        if !o.is_type("LocalPrincipal") && o.prop("PrincipalSource").is_none() {
            continue;
        }
        let Some(name) = o.prop("Name").and_then(|p| p.value.text()) else {
            out.warnings
                .push(Problem::at(o.line, "a member without a Name: skipped"));
            continue;
        };
        first_line.get_or_insert(o.line);
        let line = o.prop("Name").map_or(o.line, |p| p.line);
        members.push(Member {
            name,
            line,
            truncated: false,
        });
    }
    if members.is_empty() && out.errors.is_empty() {
        out.errors.push(Problem::file(
            "no LocalPrincipal object: not a Get-LocalGroupMember export",
        ));
        return out;
    }
    let group = match group_from_name(path) {
        Some(g) => g.to_string(),
        None => {
            out.notes.push(
                "the export does not name its group and the file name does not either: members listed, not used".into(),
            );
            "(group not named in the export)".to_string()
        }
    };
    let line = first_line.unwrap_or(1);
    let complete = out.errors.is_empty();
    out.facts.groups.push(Located::new(
        GroupListing {
            group,
            comment: None,
            members,
            complete,
        },
        Source::at(path, line),
        "Get-LocalGroupMember export",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n  <Obj RefId=\"0\">\n    <TN RefId=\"0\">\n      <T>Microsoft.PowerShell.Commands.LocalPrincipal</T>\n      <T>System.Object</T>\n    </TN>\n    <ToString>CAS01\\Guest</ToString>\n    <Props>\n      <S N=\"Name\">CAS01\\Guest</S>\n      <S N=\"ObjectClass\">User</S>\n    </Props>\n  </Obj>\n  <Obj RefId=\"1\">\n    <TNRef RefId=\"0\" />\n    <ToString>CONTOSO\\IUSR_CAS01</ToString>\n    <Props>\n      <S N=\"Name\">CONTOSO\\IUSR_CAS01</S>\n      <S N=\"ObjectClass\">User</S>\n    </Props>\n  </Obj>\n</Objs>\n";

    #[test]
    fn members_with_lines_and_the_group_from_the_file_name() {
        let out = read(EXPORT, "accounts/Guests-members.xml");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let g = &out.facts.groups[0].value;
        assert!(g.is_guests() && g.complete);
        assert_eq!(g.member("iusr_cas01").map(|m| m.line), Some(17));
        let out = read(EXPORT, "members.xml");
        assert!(!out.facts.groups[0].value.is_guests());
    }
}
