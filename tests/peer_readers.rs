//! The readers on other projects' real files in `../shared/peer` (skipped with a message when it is absent).

use owa440::bundle::{kind::recognise, BundleFile, Kind};
use owa440::diagnosis::read_file;
use owa440::facts::Facts;
use std::path::{Path, PathBuf};

fn peer(area: &str) -> Option<Vec<PathBuf>> {
    let dir = Path::new("../shared/peer").join(area);
    let Ok(entries) = std::fs::read_dir(&dir) else {
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

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_secedit_file_is_recognised_and_read() {
    let Some(files) = peer("secedit") else { return };
    for f in files {
        let (kind, facts, errors) = read(&f);
        assert_eq!(kind, Kind::Secedit, "{}", name(&f));
        assert!(errors.is_empty(), "{}: {errors:?}", name(&f));
        assert!(
            !facts.policy_settings.is_empty() || !facts.rights.is_empty(),
            "{}",
            name(&f)
        );
    }
}

#[test]
fn stig_gpttmpl_denies_guests_both_ways_and_secpol_denies_only_the_guest_account() {
    let Some(files) = peer("secedit") else { return };
    let find = |suffix: &str| files.iter().find(|p| name(p).ends_with(suffix)).cloned().expect(suffix);
    let (_, facts, _) = read(&find("STIG__GptTmpl.inf"));
    for right in ["SeDenyNetworkLogonRight", "SeDenyInteractiveLogonRight"] {
        let r = facts.rights.iter().find(|r| r.value.right == right).expect(right);
        assert!(r.value.principals.iter().any(|p| p.is_guests_group()), "{right}");
    }
    let (_, facts, _) = read(&find("STIG__secpol.cfg"));
    let r = facts
        .rights
        .iter()
        .find(|r| r.value.right == "SeDenyNetworkLogonRight")
        .expect("deny network");
    assert!(!r.value.principals.iter().any(|p| p.is_guests_group()));
    assert!(
        r.value.principals.iter().any(|p| p.is_guest_account()),
        "{:?}",
        r.value.principals
    );
    let (_, facts, _) = read(&find("sample.inf"));
    let r = facts
        .rights
        .iter()
        .find(|r| r.value.right == "SeNetworkLogonRight")
        .expect("network logon");
    assert_eq!(r.value.principals.len(), 4);
    let r = facts
        .rights
        .iter()
        .find(|r| r.value.right == "SeDebugPrivilege")
        .expect("debug");
    assert_eq!(r.value.principals[0].name.as_deref(), Some("testuser1"));
    assert_eq!(r.value.principals[1].well_known, Some("Administrators"));
}

#[test]
fn every_net_user_and_localgroup_transcript_is_read() {
    let Some(files) = peer("netuser") else { return };
    let expected: &[(&str, &str)] = &[
        ("net_user_shaun", "shaun"),
        ("net_user_svc-printer", "svc-printer"),
        ("net_user_Batman", "Batman"),
        ("net_user_emily.oscars", "emily.oscars"),
        ("net_user_pencer", "pencer"),
        ("net_user_notahacker", "notahacker"),
    ];
    let mut seen = 0;
    for (part, user) in expected {
        for f in files.iter().filter(|p| name(p).contains(part)) {
            seen += 1;
            let (kind, facts, errors) = read(f);
            assert_eq!(kind, Kind::NetUser, "{}", name(f));
            assert!(errors.is_empty(), "{}: {errors:?}", name(f));
            let a = &facts.accounts[0].value;
            assert_eq!(a.name, *user);
            assert!(a.workstations.is_some(), "{}", name(f));
            assert!(!a.local_groups.is_empty(), "{}", name(f));
        }
    }
    assert!(seen >= 5, "only {seen} net user files found");
    // Wrapped memberships: pencer is in Administrators, Remote Management Use(rs, cut at 21) and Users (wrapped line).
    if let Some(f) = files.iter().find(|p| name(p).contains("net_user_pencer")) {
        let (_, facts, _) = read(f);
        let groups: Vec<&str> = facts.accounts[0]
            .value
            .local_groups
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(groups, ["Administrators", "Remote Management Use", "Users"]);
        assert!(facts.accounts[0].value.member_of("Remote Management Users").is_some());
    }
    for f in files.iter().filter(|p| name(p).contains("net_localgroup")) {
        let (kind, facts, _) = read(f);
        assert_eq!(kind, Kind::NetLocalGroup, "{}", name(f));
        let g = &facts.groups[0].value;
        assert!(g.group.eq_ignore_ascii_case("Administrators"));
        assert!(g.members.iter().any(|m| m.name == "Administrator"), "{}", name(f));
        assert_eq!(g.complete, !name(f).contains("no_trailer"), "{}", name(f));
    }
}

#[test]
fn transcripts_with_several_commands_give_each_listing() {
    let Some(files) = peer("netuser") else { return };
    for f in files
        .iter()
        .filter(|p| name(p).contains("list_and_localgroup") || name(p).contains("with_errors_and_localgroup"))
    {
        let (_, facts, _) = read(f);
        assert_eq!(facts.groups.len(), 1, "{}", name(f));
        assert!(facts.groups[0].value.members.len() >= 3);
    }
    if let Some(f) = files.iter().find(|p| name(p).contains("list_and_localgroup")) {
        let (_, facts, _) = read(f);
        assert_eq!(facts.server_names[0].value.name, "WIN10");
    }
}

#[test]
fn recognition_never_mistakes_other_peer_files_for_policy_or_accounts() {
    for area in ["iislog", "iisconfig", "owa_vdir"] {
        let Some(files) = peer(area) else { return };
        for f in files {
            let head = std::fs::read(&f).unwrap_or_default();
            let k = recognise(&head[..head.len().min(64 * 1024)]);
            assert!(
                !matches!(k, Kind::Secedit | Kind::NetUser | Kind::NetLocalGroup),
                "{}: {k}",
                name(&f)
            );
        }
    }
}

#[test]
fn get_local_group_member_exports_list_their_members() {
    let Some(files) = peer("netuser") else { return };
    let mut seen = 0;
    for f in files.iter().filter(|p| name(p).contains("GetLocalGroupMember")) {
        seen += 1;
        let (kind, facts, errors) = read(f);
        assert_eq!(kind, Kind::LocalGroupMemberClixml, "{}", name(f));
        assert!(errors.is_empty(), "{}: {errors:?}", name(f));
        let g = &facts.groups[0].value;
        assert!(g.members.iter().any(|m| m.name.contains('\\')), "{}", name(f));
        assert!(!g.is_guests(), "the export does not say it lists Guests");
    }
    assert!(seen >= 2);
}
