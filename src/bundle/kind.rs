//! Recognising a file's kind by its content (file names lie: renamed, nested, localized).

use super::decode::decode;
use serde::Serialize;

/// Every kind of input owa440 knows. The `id` is part of the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `secedit /export` output or a GPO's GptTmpl.inf.
    Secedit,
    /// `net user NAME` (or the `net user` account list).
    NetUser,
    /// `net localgroup NAME`.
    NetLocalGroup,
    /// Get-LocalGroupMember exported with Export-Clixml.
    LocalGroupMemberClixml,
    /// IIS 6 MetaBase.xml or `iiscnfg /export` output.
    Iis6Metabase,
    /// IIS 7+ applicationHost.config.
    Iis7ApplicationHost,
    /// W3C extended IIS log.
    W3cLog,
    /// HTTP.sys error log (HTTPERR).
    HttpErrLog,
    /// `Get-OwaVirtualDirectory | Format-List` text.
    OwaVdirList,
    /// `Get-OwaVirtualDirectory | Export-Clixml`.
    OwaVdirClixml,
    /// `Get-OwaVirtualDirectory | Export-Csv`.
    OwaVdirCsv,
    /// `Get-OwaVirtualDirectory | ConvertTo-Json`.
    OwaVdirJson,
    /// `Get-ADUser NAME -Properties * | Format-List`.
    AdUser,
    /// `ldifde` export.
    Ldif,
    /// Security event log, .evtx.
    Evtx,
    /// `wevtutil qe Security /f:xml` output.
    EventXml,
    /// Event Viewer's CSV or tab-separated export.
    EventCsv,
    /// A diagnosis written by owa440 itself (e.g. the expected diagnosis beside a fixture): listed, not analysed.
    Owa440Diagnosis,
    /// None of the above: listed, not analysed, not an error.
    NotRecognised,
    /// Could not be read at all (a corrupt zip entry, a limit exceeded, a permission): listed with its error.
    Unreadable,
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl Kind {
    /// Every kind a reader analyses.
    pub const ANALYSED: [Kind; 17] = [
        Kind::Secedit,
        Kind::NetUser,
        Kind::NetLocalGroup,
        Kind::LocalGroupMemberClixml,
        Kind::Iis6Metabase,
        Kind::Iis7ApplicationHost,
        Kind::W3cLog,
        Kind::HttpErrLog,
        Kind::OwaVdirList,
        Kind::OwaVdirClixml,
        Kind::OwaVdirCsv,
        Kind::OwaVdirJson,
        Kind::AdUser,
        Kind::Ldif,
        Kind::Evtx,
        Kind::EventXml,
        Kind::EventCsv,
    ];

    /// The stable id used in every output format.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Secedit => "secedit",
            Kind::NetUser => "net-user",
            Kind::NetLocalGroup => "net-localgroup",
            Kind::LocalGroupMemberClixml => "local-group-member-clixml",
            Kind::Iis6Metabase => "iis6-metabase",
            Kind::Iis7ApplicationHost => "iis7-applicationhost",
            Kind::W3cLog => "w3c-log",
            Kind::HttpErrLog => "httperr-log",
            Kind::OwaVdirList => "owa-vdir-list",
            Kind::OwaVdirClixml => "owa-vdir-clixml",
            Kind::OwaVdirCsv => "owa-vdir-csv",
            Kind::OwaVdirJson => "owa-vdir-json",
            Kind::AdUser => "ad-user",
            Kind::Ldif => "ldif",
            Kind::Evtx => "evtx",
            Kind::EventXml => "event-xml",
            Kind::EventCsv => "event-csv",
            Kind::Owa440Diagnosis => "owa440-diagnosis",
            Kind::NotRecognised => "not-recognised",
            Kind::Unreadable => "unreadable",
        }
    }

    /// Whether this kind is analysed (false for files listed only).
    pub fn is_analysed(self) -> bool {
        !matches!(self, Kind::NotRecognised | Kind::Owa440Diagnosis | Kind::Unreadable)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// How many bytes of a file recognition looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Recognises the kind of a file from its first bytes (at most [`SNIFF_BYTES`], gzip already undone).
pub fn recognise(head: &[u8]) -> Kind {
    if head.starts_with(b"ElfFile\0") || head.starts_with(b"ElfChnk\0") {
        return Kind::Evtx;
    }
    if head.is_empty() || looks_binary(head) {
        return Kind::NotRecognised;
    }
    // Cut UTF-16 on a code unit boundary.
    let decoded = decode(head);
    let text = decoded.text.trim_start_matches('\u{feff}');
    recognise_text(text)
}

fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(4096)];
    let bom = sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]);
    if bom {
        return false;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    // UTF-16 without a BOM has NULs in every other byte; junk has them scattered, and control bytes too.
    let control = sample.iter().filter(|&&b| b < 0x09 && b != 0).count();
    let alternating = nul * 10 >= sample.len() * 4 && nul * 10 <= sample.len() * 6;
    // Text padded with runs of NULs (a crash, a preallocated file) is still text: junk has its NULs scattered.
    let isolated = (0..sample.len())
        .filter(|&i| sample[i] == 0 && i > 0 && sample[i - 1] != 0 && sample.get(i + 1).is_some_and(|&b| b != 0))
        .count();
    (nul > 0 && !alternating && isolated * 4 > nul) || control * 20 > sample.len()
}

fn recognise_text(text: &str) -> Kind {
    let trimmed = text.trim_start();
    let first_lines: Vec<&str> = text.lines().take(400).collect();
    let has_line = |pred: &dyn Fn(&str) -> bool| first_lines.iter().any(|l| pred(l));
    let contains = |s: &str| text.contains(s);

    if contains("\"schema\"") && contains("owa440.diagnosis/") {
        return Kind::Owa440Diagnosis;
    }
    if trimmed.starts_with('<') {
        if contains("urn:microsoft-catalog:XML_Metabase")
            || contains("<MBProperty")
            || contains("<IIsWebService")
            || contains("<IIsWebServer")
            || contains("<IIsWebVirtualDir")
        {
            return Kind::Iis6Metabase;
        }
        if contains("<system.applicationHost") || (contains("<configuration") && contains("<system.webServer")) {
            return Kind::Iis7ApplicationHost;
        }
        if contains("schemas.microsoft.com/powershell/2004/04") || trimmed.starts_with("<Objs") {
            if contains("OwaVirtualDirectory") || contains("OwaVersion") {
                return Kind::OwaVdirClixml;
            }
            if contains("LocalPrincipal") || contains("PrincipalSource") || contains("ObjectClass") {
                return Kind::LocalGroupMemberClixml;
            }
            if contains("SamAccountName") || contains("LogonWorkstations") {
                return Kind::AdUser;
            }
        }
        if contains("schemas.microsoft.com/win/2004/08/events/event") || trimmed.starts_with("<Events") {
            return Kind::EventXml;
        }
        return Kind::NotRecognised;
    }
    if has_line(&|l| l.starts_with("#Software: Microsoft HTTP API")) {
        return Kind::HttpErrLog;
    }
    if has_line(&|l| l.starts_with("#Software: Microsoft Internet Information Services") || l.starts_with("#Fields:"))
        || headerless_w3c(&first_lines)
    {
        return Kind::W3cLog;
    }
    let section = |name: &str| has_line(&|l| l.trim().eq_ignore_ascii_case(name));
    if section("[Privilege Rights]")
        || section("[System Access]")
        || section("[Event Audit]")
        || (section("[Unicode]") && section("[Version]"))
        || (section("[Version]") && contains("$CHICAGO$"))
    {
        return Kind::Secedit;
    }
    // ConvertTo-Json: an object, or an array of objects (a `[PS] C:\>` prompt also starts with `[`).
    let json_start = trimmed.starts_with('{')
        || trimmed
            .strip_prefix('[')
            .is_some_and(|r| r.trim_start().starts_with('{') || r.trim_start().starts_with(']'));
    if (contains("OwaVersion") || contains("MetabasePath")) && json_start {
        return Kind::OwaVdirJson;
    }
    // Export-Csv: a header row naming the properties (after an optional `#TYPE` line), comma- or
    // semicolon-separated (`-UseCulture` on a continental server).
    let csv_header = first_lines
        .iter()
        .take(5)
        .find(|l| (l.contains("OwaVersion") || l.contains("MetabasePath")) && (l.contains(',') || l.contains(';')));
    if csv_header.is_some() && !has_line(&|l| label_is(l, "OwaVersion") || label_is(l, "MetabasePath")) {
        return Kind::OwaVdirCsv;
    }
    // Format-List: the labels only Exchange's virtual directories have (a short `| fl *Auth*` excerpt has no
    // OwaVersion, only the authentication lists).
    if has_line(&|l| label_is(l, "OwaVersion") || label_is(l, "MetabasePath"))
        || has_line(&|l| label_is(l, "InternalAuthenticationMethods") || label_is(l, "ExternalAuthenticationMethods"))
        || (has_line(&|l| label_is(l, "Name")) && contains("(Default Web Site)") && contains("Authentication"))
    {
        return Kind::OwaVdirList;
    }
    if has_line(&|l| label_is(l, "SamAccountName")) && has_line(&|l| label_is(l, "DistinguishedName")) {
        return Kind::AdUser;
    }
    if has_line(&|l| l.to_ascii_lowercase().starts_with("dn:"))
        && has_line(&|l| l.to_ascii_lowercase().starts_with("objectclass:"))
    {
        return Kind::Ldif;
    }
    if first_lines.iter().take(3).any(|l| {
        (l.contains("Event ID") || l.contains("EventID") || l.contains("Id"))
            && (l.contains("Task Category")
                || l.contains("TaskDisplayName")
                || l.contains("Source")
                || l.contains("ProviderName"))
            && (l.contains(',') || l.contains('\t'))
    }) {
        return Kind::EventCsv;
    }
    if first_lines.iter().take(3).any(|l| legacy_event_csv(l)) {
        return Kind::EventCsv;
    }
    let net_user = has_line(&|l| l.starts_with("User name ") || l.starts_with("User accounts for \\\\"))
        && (has_line(&|l| l.starts_with("Account active")) || has_line(&|l| l.starts_with("User accounts for \\\\")));
    let net_group = has_line(&|l| l.starts_with("Alias name")) && has_line(&|l| l.trim() == "Members");
    match (net_user, net_group) {
        (true, _) => Kind::NetUser,
        (false, true) => Kind::NetLocalGroup,
        _ => Kind::NotRecognised,
    }
}

/// Windows 2003 Event Viewer's headerless CSV: `date,time,Security,Failure Audit,category,id,...`.
fn legacy_event_csv(line: &str) -> bool {
    let cells: Vec<&str> = line.splitn(7, ',').collect();
    cells.len() == 7
        && cells[0].chars().next().is_some_and(|c| c.is_ascii_digit())
        && cells[2].trim().eq_ignore_ascii_case("Security")
        && cells[3].contains("Audit")
        && cells[5].trim().parse::<u32>().is_ok()
}

/// `Label   : value` (Format-List) with this label.
fn label_is(line: &str, label: &str) -> bool {
    line.strip_prefix(label)
        .is_some_and(|rest| rest.trim_start().starts_with(':') && (rest.is_empty() || rest.starts_with(' ')))
}

/// A log with no `#` header: most lines start with a date and a time, with many space-separated tokens.
fn headerless_w3c(lines: &[&str]) -> bool {
    let data: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).take(20).collect();
    if data.is_empty() {
        return false;
    }
    let dated = data
        .iter()
        .filter(|l| {
            let b = l.as_bytes();
            b.len() > 20
                && b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b' '
                && b[13] == b':'
                && b[..4].iter().all(u8::is_ascii_digit)
                && l.split(' ').count() >= 8
        })
        .count();
    dated * 10 >= data.len() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owa_vdir_exports_in_every_form() {
        assert_eq!(
            recognise(b"[PS] C:\\>Get-OwaVirtualDirectory | fl\r\n\r\nName       : owa (Default Web Site)\r\nOwaVersion : Exchange2007\r\n"),
            Kind::OwaVdirList
        );
        assert_eq!(
            recognise(b"FormsAuthentication           : True\nInternalAuthenticationMethods : {Basic, Fba}\n"),
            Kind::OwaVdirList
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Name       : owa (Default Web Site)\r\nMetabasePath : IIS://X/W3SVC/1/ROOT/owa\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(recognise(&utf16), Kind::OwaVdirList);
        assert_eq!(
            recognise(b"#TYPE Microsoft.Exchange.Data.Directory.SystemConfiguration.ADOwaVirtualDirectory\r\n\"Name\",\"OwaVersion\"\r\n"),
            Kind::OwaVdirCsv
        );
        assert_eq!(
            recognise(b"\"Name\";\"MetabasePath\"\r\n\"owa\";\"IIS://X\"\r\n"),
            Kind::OwaVdirCsv
        );
        assert_eq!(
            recognise(b"[\r\n  {\r\n    \"Name\": \"owa\",\r\n    \"OwaVersion\": 2\r\n  }\r\n]"),
            Kind::OwaVdirJson
        );
        assert_eq!(
            recognise(b"{\"Name\": \"owa\", \"MetabasePath\": \"IIS://X\"}"),
            Kind::OwaVdirJson
        );
    }

    #[test]
    fn recognises_by_content() {
        assert_eq!(
            recognise(b"[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\n"),
            Kind::Secedit
        );
        assert_eq!(
            recognise(b"User name                    IUSR_CAS01\r\nAccount active               Yes\r\n"),
            Kind::NetUser
        );
        assert_eq!(
            recognise(b"Alias name     Guests\r\nComment  x\r\n\r\nMembers\r\n\r\n---\r\nGuest\r\n"),
            Kind::NetLocalGroup
        );
        assert_eq!(
            recognise(b"#Software: Microsoft Internet Information Services 7.5\n#Fields: date time\n"),
            Kind::W3cLog
        );
        assert_eq!(
            recognise(b"#Software: Microsoft HTTP API 2.0\n#Fields: date time\n"),
            Kind::HttpErrLog
        );
        assert_eq!(recognise(b"hello world\n"), Kind::NotRecognised);
        assert_eq!(recognise(b""), Kind::NotRecognised);
        assert_eq!(
            recognise(&[0u8, 1, 2, 3, 200, 100, 0, 0, 0, 9, 1, 2]),
            Kind::NotRecognised
        );
    }

    #[test]
    fn recognises_account_and_event_exports() {
        assert_eq!(
            recognise(b"\r\nDistinguishedName : CN=IUSR_CAS01,CN=Users,DC=contoso,DC=com\r\nSamAccountName    : IUSR_CAS01\r\n"),
            Kind::AdUser
        );
        assert_eq!(
            recognise(b"dn: CN=IUSR_CAS01,CN=Users,DC=contoso,DC=com\nobjectClass: user\n"),
            Kind::Ldif
        );
        assert_eq!(
            recognise(b"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4625</EventID></System></Event>"),
            Kind::EventXml
        );
        assert_eq!(
            recognise(b"Level,Date and Time,Source,Event ID,Task Category\r\nInformation,x,y,4625,Logon,\"z\"\r\n"),
            Kind::EventCsv
        );
        assert_eq!(
            recognise(b"3/2/2010,9:14:05 AM,Security,Failure Audit,Logon/Logoff ,533,NT AUTHORITY\\SYSTEM,CAS01,\"Logon Failure:\"\r\n"),
            Kind::EventCsv
        );
    }

    #[test]
    fn guest_account_text_is_not_a_group_listing() {
        assert_eq!(recognise(b"Guest\r\nGuests\r\n"), Kind::NotRecognised);
    }
}
