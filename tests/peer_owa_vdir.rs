//! The Get-OwaVirtualDirectory readers on real exports in `../shared/peer/owa_vdir` (skipped with a message when
//! that folder is absent): CSS-Exchange HealthChecker's Export-Clixml test data (Exchange 2016 and 2019, collected
//! with `-ADPropertiesOnly`) and two Format-List texts (one wrapped at 120 columns, one partial).

use owa440::bundle::{BundleFile, Kind};
use owa440::diagnosis::read_file;
use owa440::facts::owa::Generation;
use owa440::facts::Facts;
use owa440::readers::owavdir::list;
use owa440::readers::owavdir::record::Val;
use std::path::{Path, PathBuf};

fn peer() -> Option<Vec<PathBuf>> {
    let dir = Path::new("../shared/peer/owa_vdir");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    };
    let mut v: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    v.sort();
    Some(v)
}

fn read(path: &Path) -> (Kind, Facts, Vec<String>) {
    let file = BundleFile::on_disk(path.display().to_string(), path.to_path_buf(), 0);
    let (report, facts) = read_file(&file);
    (
        report.kind,
        facts,
        report.errors.iter().map(|e| e.message.clone()).collect(),
    )
}

fn named<'a>(files: &'a [PathBuf], part: &str) -> Vec<&'a PathBuf> {
    files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(part)))
        .collect()
}

#[test]
fn each_healthchecker_clixml_is_one_owa_vdir_of_its_server() {
    let Some(files) = peer() else { return };
    let xml = named(&files, "GetOwaVirtualDirectory");
    assert_eq!(xml.len(), 4, "the four HealthChecker exports");
    for f in xml {
        let (kind, facts, errors) = read(f);
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(kind, Kind::OwaVdirClixml, "{name}");
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_eq!(facts.owa_vdirs.len(), 1, "{name}");
        let v = &facts.owa_vdirs[0].value;
        let (server, build) = if name.contains("E16") {
            ("SOLO-E16A", "Version 15.1 (Build 2375.7)")
        } else {
            ("SOLO-E19A", "Version 15.2 (Build 986.5)")
        };
        assert_eq!(v.name, "owa (Default Web Site)", "{name}");
        assert_eq!(v.server.as_deref(), Some(server), "{name}");
        assert_eq!(
            v.identity.as_deref(),
            Some(format!("{server}\\owa (Default Web Site)").as_str())
        );
        assert_eq!(v.admin_display_version.as_deref(), Some(build), "{name}");
        assert_eq!(v.owa_version.as_deref(), Some("Exchange2013"), "{name}");
        assert_eq!(v.generation().map(|g| g.0), Some(Generation::Exchange2010Plus));
        let m = v.metabase().expect("MetabasePath");
        assert_eq!((m.site_id.as_str(), m.vpath.as_str()), ("1", "/owa"), "{name}");
        assert_eq!(
            v.internal_authentication_methods.as_deref(),
            Some(&["Basic".to_string(), "Fba".to_string()][..])
        );
        assert_eq!(
            v.external_authentication_methods.as_deref(),
            Some(&["Fba".to_string()][..])
        );
        // Whatever the booleans say (false under -ADPropertiesOnly), the lists give forms-based and Basic.
        let (auth, _) = v.auth().expect("auth known");
        assert!(auth.forms && auth.basic && !auth.windows, "{name}");
        assert_eq!(facts.server_names[0].value.name, server);
    }
    // The E16 file is the -ADPropertiesOnly one: the booleans are false, the lists are the truth.
    let (_, facts, _) = read(named(&files, "E16")[0]);
    let v = &facts.owa_vdirs[0].value;
    assert_eq!(v.forms_authentication, Some(false));
    assert_eq!(v.auth().map(|a| a.1), Some("InternalAuthenticationMethods"));
}

#[test]
fn the_wrapped_format_list_is_rejoined() {
    let Some(files) = peer() else { return };
    let f = named(&files, "wrapped")[0];
    let (kind, facts, errors) = read(f);
    assert_eq!(kind, Kind::OwaVdirList);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(facts.owa_vdirs.len(), 1);
    let v = &facts.owa_vdirs[0].value;
    assert_eq!(v.server.as_deref(), Some("IDCEXC008"));
    assert_eq!(
        v.path.as_deref(),
        Some(r"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa")
    );
    assert_eq!(
        v.metabase_path.as_deref(),
        Some("IIS://IDCEXC008.mydomain.com/W3SVC/1/ROOT/owa")
    );
    assert_eq!(v.virtual_directory_type, None, "an empty value is no value");
    assert_eq!(v.admin_display_version.as_deref(), Some("Version 15.0 (Build 1497.2)"));

    let text = std::fs::read_to_string(f).expect("read");
    let (records, _) = list::records(&text);
    let prop = |name: &str| records[0].props.iter().find(|p| p.name == name).expect(name).clone();
    // A word cut at the last column (`...presentationml.pre` / `sentation`) joins without a space.
    let Val::List(mime) = prop("WebReadyMimeTypes").val else {
        panic!("a list")
    };
    assert_eq!(mime.len(), 9);
    assert_eq!(
        mime[0],
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    );
    assert_eq!(
        mime[2],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    // A wrap at a space keeps the space.
    assert_eq!(
        prop("DistinguishedName").val,
        Val::Text("CN=owa (Default Web Site),CN=HTTP,CN=Protocols,CN=IDCEXC008,CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=First Organization,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=mydomain,DC=com".into())
    );
    // `...` marks a cut collection: what is there is kept.
    let allowed = prop("AllowedFileTypes");
    assert!(allowed.truncated);
    assert_eq!(
        allowed.val,
        Val::List(
            ".rpmsg .xlsx .xlsm .xlsb .vstx .vstm .vssx .vssm .vsdx .vsdm .tiff .pptx .pptm .ppsx .ppsm .docx"
                .split(' ')
                .map(String::from)
                .collect()
        )
    );
    assert_eq!(prop("RemoteDocumentsAllowedServers").val, Val::List(vec![]));
    assert_eq!(prop("FolderPathname").val, Val::Null);
}

#[test]
fn the_partial_format_list_gives_its_authentication() {
    let Some(files) = peer() else { return };
    let f = named(&files, "partial")[0];
    let (kind, facts, errors) = read(f);
    assert_eq!(kind, Kind::OwaVdirList);
    assert!(errors.is_empty(), "{errors:?}");
    let v = &facts.owa_vdirs[0].value;
    assert_eq!(v.name, "", "the excerpt has no Name line");
    assert_eq!(
        (v.forms_authentication, v.basic_authentication, v.windows_authentication),
        (Some(true), Some(true), Some(false))
    );
    assert_eq!(
        v.internal_authentication_methods.as_deref(),
        Some(&["Basic".to_string(), "Fba".to_string()][..])
    );
    assert_eq!(facts.owa_vdirs[0].source.line, Some(1));
}
