use super::evaluate;
use crate::facts::names::derive;
use crate::facts::owa::OwaVdir;
use crate::facts::{Facts, Located, Source};
use crate::procedures::plan;
use crate::readers::{iis::metabase, owavdir::list};
use crate::rules::{Finding, Verdict};

const OWA: &str = r"C:\Program Files\Microsoft\Exchange Server\ClientAccess\Owa";

/// A Format-List object, as Get-OwaVirtualDirectory on Exchange 2007 writes it.
fn vdir(name: &str, version: &str, vtype: &str, server: &str, exchange_version: &str) -> String {
    let short = name.split(' ').next().unwrap_or(name);
    format!(
        "Name                 : {name}\r\nServer               : {server}\r\nOwaVersion           : {version}\r\nVirtualDirectoryType : {vtype}\r\nMetabasePath         : IIS://{server}.contoso.com/W3SVC/1/ROOT/{short}\r\nPath                 : {OWA}\r\nFormsAuthentication  : True\r\nExchangeVersion      : {exchange_version}\r\n\r\n"
    )
}

fn e2007(skip: &[&str]) -> String {
    [
        ("owa (Default Web Site)", "Exchange2007", ""),
        ("exchange (Default Web Site)", "Exchange2003or2000", "Mailboxes"),
        ("public (Default Web Site)", "Exchange2003or2000", "PublicFolders"),
        ("exchweb (Default Web Site)", "Exchange2003or2000", "Exchweb"),
    ]
    .iter()
    .filter(|(n, _, _)| !skip.iter().any(|s| n.starts_with(s)))
    .map(|(n, v, t)| vdir(n, v, t, "CAS01", "0.1 (8.0.535.0)"))
    .collect()
}

fn facts_of(text: &str) -> Facts {
    list::read(text, "owavdir.txt").facts
}

fn run(facts: &Facts) -> Finding {
    evaluate(facts, &derive(facts))
}

fn notes(f: &Finding) -> String {
    let ev: Vec<&str> = f.evidence.iter().map(|e| e.note.as_str()).collect();
    format!("{} | {} | {}", f.summary, ev.join(" | "), f.notes.join(" | "))
}

#[test]
fn nothing_to_read_is_unknown_and_names_both_inputs() {
    let f = run(&Facts::default());
    assert_eq!(f.verdict, Verdict::Unknown);
    let files: Vec<&str> = f.missing.iter().map(|m| m.file.as_str()).collect();
    assert!(files.contains(&"owavdir.xml"), "{files:?}");
    assert!(files.iter().any(|f| f.contains("MetaBase.xml")), "{files:?}");
}

#[test]
fn a_complete_exchange_2007_set_is_ruled_out_from_exchange_alone() {
    let f = run(&facts_of(&e2007(&[])));
    assert_eq!(f.verdict, Verdict::RuledOut, "{}", notes(&f));
    assert_eq!(f.vars.get("exchange").map(String::as_str), Some("2007"));
    assert!(f.missing.iter().any(|m| m.why.contains("IIS-side checks")));
    assert_eq!(f.evidence.len(), 4);
}

#[test]
fn each_missing_legacy_vdir_is_a_fault_on_exchange_2007() {
    for gone in ["owa", "exchange", "public", "exchweb"] {
        let f = run(&facts_of(&e2007(&[gone])));
        assert_eq!(f.verdict, Verdict::Likely, "{gone}: {}", notes(&f));
        assert!(f.summary.contains(&format!("{gone} missing")), "{}", f.summary);
        let key = super::remove_key(gone);
        assert!(!f.vars.contains_key(key), "{gone} is not there to remove");
    }
}

#[test]
fn duplicated_and_mistyped_vdirs_are_faults_at_their_lines() {
    let mut text = e2007(&[]);
    text.push_str(&vdir(
        "owa (Default Web Site)",
        "Exchange2007",
        "",
        "CAS01",
        "0.1 (8.0.535.0)",
    ));
    let f = run(&facts_of(&text));
    assert!(f.summary.contains("owa duplicated"), "{}", f.summary);
    assert_eq!(f.vars.get("duplicated").map(String::as_str), Some("owa"));
    let lines: Vec<Option<u64>> = f.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![Some(1), Some(37)]);

    let text = e2007(&[])
        .replace("public (Default Web Site)\r\nServer               : CAS01\r\nOwaVersion           : Exchange2003or2000\r\nVirtualDirectoryType : PublicFolders", "public (Default Web Site)\r\nServer               : CAS01\r\nOwaVersion           : Exchange2003or2000\r\nVirtualDirectoryType : Mailboxes")
        .replace("Exchange2003or2000\r\nVirtualDirectoryType : Exchweb", "Exchange2007\r\nVirtualDirectoryType : Exchweb");
    let f = run(&facts_of(&text));
    assert!(
        f.summary.contains("public has VirtualDirectoryType Mailboxes"),
        "{}",
        f.summary
    );
    assert!(
        f.summary.contains("exchweb has OwaVersion Exchange2007"),
        "{}",
        f.summary
    );
    let at: Vec<(Option<u64>, &str)> = f.evidence.iter().map(|e| (e.line, e.excerpt.as_str())).collect();
    assert!(at.contains(&(Some(22), "VirtualDirectoryType : Mailboxes")), "{at:?}");
    assert!(
        at.contains(&(Some(30), "OwaVersion           : Exchange2007")),
        "{at:?}"
    );
}

#[test]
fn exchange_2010_needs_owa_alone() {
    let owa = vdir(
        "owa (Default Web Site)",
        "Exchange2010",
        "",
        "CAS02",
        "0.10 (14.0.100.0)",
    )
    .replace(r"Server\ClientAccess", r"Server\V14\ClientAccess");
    let f = run(&facts_of(&owa));
    assert_eq!(f.verdict, Verdict::RuledOut, "{}", notes(&f));
    assert_eq!(f.vars.get("exchange").map(String::as_str), Some("2010+"));
    // The legacy three, if an export shows them, are not a cause on 2010.
    let with_legacy = format!(
        "{owa}{}",
        vdir(
            "exchange (Default Web Site)",
            "Exchange2003or2000",
            "Mailboxes",
            "CAS02",
            "0.10 (14.0.100.0)"
        )
    );
    let f = run(&facts_of(&with_legacy));
    assert_eq!(f.verdict, Verdict::RuledOut, "{}", notes(&f));
    assert!(f.notes.iter().any(|n| n.contains("legacy")), "{}", notes(&f));
    // An owa of Exchange 2007's OwaVersion on a 2010 server is mistyped.
    let f = run(&facts_of(&owa.replace("Exchange2010", "Exchange2007")));
    assert_eq!(f.verdict, Verdict::Likely, "{}", notes(&f));
}

#[test]
fn an_organisation_wide_export_is_read_for_this_server_only() {
    let mut text = e2007(&[]);
    // CAS02 has only owa: on its own that would be three missing vdirs.
    text.push_str(&vdir(
        "owa (Default Web Site)",
        "Exchange2007",
        "",
        "CAS02",
        "0.1 (8.0.535.0)",
    ));
    let facts = facts_of(&text);
    let f = run(&facts);
    assert_eq!(f.verdict, Verdict::RuledOut, "{}", notes(&f));
    assert!(f.notes.iter().any(|n| n.contains("2 servers")), "{}", notes(&f));
}

#[test]
fn a_vdir_without_a_name_or_version_is_not_guessed() {
    let mut facts = Facts::default();
    facts.owa_vdirs.push(Located::new(
        OwaVdir {
            forms_authentication: Some(true),
            ..OwaVdir::default()
        },
        Source::at("fl.txt", 1),
        "",
    ));
    let f = run(&facts);
    assert_eq!(f.verdict, Verdict::Likely);
    assert!(f.summary.contains("owa missing"), "{}", f.summary);
    assert!(!f.vars.contains_key("exchange"));
    assert!(f.notes.iter().any(|n| n.contains("not shown")), "{}", notes(&f));
}

const METABASE: &str = r#"<?xml version ="1.0"?>
<configuration xmlns="urn:microsoft-catalog:XML_Metabase_V64_0">
<MBProperty>
<IIsWebService	Location ="/LM/W3SVC"
		AccessFlags="AccessRead | AccessScript"
	>
</IIsWebService>
<IIsWebServer	Location ="/LM/W3SVC/1"
		ServerComment="Default Web Site"
	>
</IIsWebServer>
<IIsWebVirtualDir	Location ="/LM/W3SVC/1/ROOT/owa"
		AuthFlags="AuthBasic"
		Path="C:\Program Files\Microsoft\Exchange Server\ClientAccess\Owa"
	>
</IIsWebVirtualDir>
<IIsWebServer	Location ="/LM/W3SVC/2"
		ServerComment="Intranet"
	>
</IIsWebServer>
</MBProperty>
</configuration>
"#;

#[test]
fn metabase_paths_are_checked_against_iis() {
    let owa = vdir("owa (Default Web Site)", "Exchange2007", "", "CAS01", "0.1 (8.0.535.0)");
    let mut facts = facts_of(&owa.replace("W3SVC/1/ROOT/owa", "W3SVC/2/ROOT/owa"));
    facts.merge(metabase::read(METABASE, "MetaBase.xml").facts);
    let f = run(&facts);
    assert!(
        f.evidence
            .iter()
            .any(|e| e.note.contains("names site 2 (Intranet), not Default Web Site")),
        "{}",
        notes(&f)
    );
    let mut facts = facts_of(&owa.replace("W3SVC/1/ROOT/owa", "W3SVC/7/ROOT/owa"));
    facts.merge(metabase::read(METABASE, "MetaBase.xml").facts);
    let f = run(&facts);
    assert!(
        f.evidence
            .iter()
            .any(|e| e.note.contains("names site 7, which the IIS configuration lacks")),
        "{}",
        notes(&f)
    );
    // IIS alone, without Exchange's export: /owa is there, the legacy three are not (the version is unknown, so
    // only owa is expected), and Exchange's side is named as missing.
    let f = run(&metabase::read(METABASE, "MetaBase.xml").facts);
    assert_eq!(f.verdict, Verdict::RuledOut, "{}", notes(&f));
    assert!(f.missing.iter().any(|m| m.file == "owavdir.xml"));
}

fn commands(f: &Finding, facts: &Facts) -> Vec<String> {
    let names = derive(facts);
    let items = plan(std::slice::from_ref(f), &names);
    assert_eq!(items.len(), 1);
    items[0]
        .steps
        .iter()
        .filter_map(|s| s.command.clone())
        .flat_map(|c| c.lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn the_procedure_names_each_vdir_once_on_the_real_site() {
    let text = e2007(&["exchweb"]).replace("Default Web Site", "Exchange Site");
    let facts = facts_of(&text);
    let f = run(&facts);
    assert_eq!(f.verdict, Verdict::Likely);
    let cmds = commands(&f, &facts);
    let mut sorted = cmds.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), cmds.len(), "no command twice: {cmds:?}");
    assert!(
        cmds.contains(&"Remove-OwaVirtualDirectory \"exchange (Exchange Site)\"".to_string()),
        "{cmds:?}"
    );
    assert!(
        !cmds.iter().any(|c| c.contains("Remove-OwaVirtualDirectory \"exchweb")),
        "exchweb is missing: {cmds:?}"
    );
    for name in ["\"exchange\"", "\"public\"", "\"exchweb\"", "\"owa\""] {
        assert_eq!(
            cmds.iter()
                .filter(|c| c.starts_with("New-OwaVirtualDirectory") && c.contains(name))
                .count(),
            1,
            "{name}: {cmds:?}"
        );
    }
    assert!(cmds.iter().all(|c| !c.contains("Default Web Site")), "{cmds:?}");
}

#[test]
fn the_procedure_for_exchange_2010_recreates_owa_alone() {
    let owa = vdir(
        "owa (Default Web Site)",
        "Exchange2007",
        "",
        "CAS02",
        "0.10 (14.0.100.0)",
    );
    let facts = facts_of(&owa);
    let f = run(&facts);
    assert_eq!(f.verdict, Verdict::Likely);
    let cmds = commands(&f, &facts);
    assert_eq!(
        cmds,
        vec![
            "Remove-OwaVirtualDirectory \"CAS02\\owa (Default Web Site)\"".to_string(),
            "New-OwaVirtualDirectory -Server CAS02 -WebSiteName \"Default Web Site\"".to_string(),
            "iisreset /noforce".to_string(),
        ]
    );
}
