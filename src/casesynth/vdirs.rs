//! `Get-OwaVirtualDirectory | Format-List` of a case: owa, exchange, public and exchweb on Exchange 2007 (exchweb
//! left out when the case holds the virtual-directory cause), owa alone on Exchange 2010.

use super::{Case, Platform};
use crate::rules::Cause;
use std::fmt::Write as _;

/// (name, OwaVersion, VirtualDirectoryType)
fn vdirs(case: &Case) -> Vec<(&'static str, &'static str, &'static str)> {
    match case.platform {
        Platform::Iis7 => vec![("owa", "Exchange2010", "")],
        Platform::Iis6 => {
            let mut v = vec![
                ("owa", "Exchange2007", ""),
                ("exchange", "Exchange2003or2000", "Mailboxes"),
                ("public", "Exchange2003or2000", "PublicFolders"),
            ];
            if !case.has(Cause::OwaVirtualDirectories) {
                v.push(("exchweb", "Exchange2003or2000", "Exchweb"));
            }
            v
        }
    }
}

pub fn format_list(case: &Case) -> String {
    let s = &case.server;
    let fqdn = format!("{}.{}", s.to_ascii_lowercase(), case.domain);
    let org = case.domain_netbios();
    let dc: Vec<String> = case.domain.split('.').map(|p| format!("DC={p}")).collect();
    let (path, version) = match case.platform {
        Platform::Iis6 => (
            r"C:\Program Files\Microsoft\Exchange Server\ClientAccess\Owa",
            "0.1 (8.0.535.0)",
        ),
        Platform::Iis7 => (
            r"C:\Program Files\Microsoft\Exchange Server\V14\ClientAccess\Owa",
            "0.10 (14.0.100.0)",
        ),
    };
    let mut out =
        String::from("[PS] C:\\Documents and Settings\\Administrator>Get-OwaVirtualDirectory | Format-List\r\n\r\n");
    for (i, (name, owa_version, kind)) in vdirs(case).into_iter().enumerate() {
        let mime = if name == "owa" {
            "{application/vnd.openxmlformats-officedocument.presentationml.presentation, application/msword, application/pdf}"
        } else {
            "{}"
        };
        let files = if name == "owa" {
            "{.rpmsg, .xlsx, .xlsm, .xlsb, .pptx, .pptm, .ppsx, .ppsm, .docx, .docm, .zip, .xls...}"
        } else {
            "{}"
        };
        let fields: [(&str, String); 27] = [
            ("DirectFileAccessOnPublicComputersEnabled", "True".into()),
            ("DirectFileAccessOnPrivateComputersEnabled", "True".into()),
            ("ForceWebReadyDocumentViewingFirstOnPrivateComputers", "False".into()),
            ("WebReadyMimeTypes", mime.into()),
            ("AllowedFileTypes", files.into()),
            ("ExchwebProxyDestination", String::new()),
            ("VirtualDirectoryType", kind.to_string()),
            ("OwaVersion", owa_version.to_string()),
            ("InternalAuthenticationMethods", "{Fba}".into()),
            ("BasicAuthentication", "False".into()),
            ("WindowsAuthentication", "False".into()),
            ("DigestAuthentication", "False".into()),
            ("FormsAuthentication", "True".into()),
            ("Website", "Default Web Site".into()),
            ("DisplayName", name.to_string()),
            ("Server", s.clone()),
            ("MetabasePath", format!("IIS://{}.{}/W3SVC/1/ROOT/{name}", s, case.domain)),
            ("Path", path.to_string()),
            ("InternalUrl", format!("https://{fqdn}/{name}")),
            ("ExternalUrl", String::new()),
            ("Name", format!("{name} (Default Web Site)")),
            ("ExchangeVersion", version.to_string()),
            (
                "DistinguishedName",
                format!(
                    "CN={name} (Default Web Site),CN=HTTP,CN=Protocols,CN={s},CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN={org},CN=Microsoft Exchange,CN=Services,CN=Configuration,{}",
                    dc.join(",")
                ),
            ),
            ("Identity", format!("{s}\\{name} (Default Web Site)")),
            (
                "Guid",
                format!(
                    "{:08x}-{:04x}-4{:03x}-9{:03x}-{:012x}",
                    (case.seed >> 32) as u32,
                    (case.seed >> 16) as u16,
                    case.seed as u16 & 0xfff,
                    i,
                    case.seed.rotate_left(i as u32 * 7) & 0xffff_ffff_ffff
                ),
            ),
            ("OriginatingServer", format!("DC01.{}", case.domain)),
            ("IsValid", "True".into()),
        ];
        for (k, v) in fields {
            let _ = write!(out, "{k:<52}: {v}\r\n");
        }
        out.push_str("\r\n");
    }
    out.push_str("\r\n[PS] C:\\Documents and Settings\\Administrator>");
    out
}
