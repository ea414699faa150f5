//! Tests of the IIS readers and of the effective settings they feed, on real-shaped metabase and
//! applicationHost.config text.

use super::{apphost, metabase};
use crate::facts::iis::{names, IisConfig, Value};
use crate::facts::Facts;

const BLOB_SVC: &str = "4963446270000000220000004000000011aa22bb33cc44dd55ee66ff778899aa00bbccddeeff0011223344556677";
const BLOB_ROOT: &str = "49634462700000002200000040000000ffee00dd11cc22bb33aa44998877665544332211000fedcba98765432100";

/// An Exchange 2007 metabase in MetaBase.xml's own shape (tab-indented attributes, `Location =`).
fn metabase_text(root_pass: Option<&str>, auth_flags: &str) -> String {
    let root_pass = root_pass
        .map(|p| format!("\t\tAnonymousUserPass=\"{p}\"\r\n"))
        .unwrap_or_default();
    format!(
        "<?xml version =\"1.0\"?>\r\n\
<configuration xmlns=\"urn:microsoft-catalog:XML_Metabase_V64_0\">\r\n\
<MBProperty>\r\n\
<IIsWebService\tLocation =\"/LM/W3SVC\"\r\n\
\t\tAccessFlags=\"AccessRead | AccessScript\"\r\n\
\t\tAnonymousUserName=\"IUSR_CAS01\"\r\n\
\t\tAnonymousUserPass=\"{BLOB_SVC}\"\r\n\
\t\tAuthFlags=\"5\"\r\n\
\t\tWAMUserName=\"IWAM_CAS01\"\r\n\
\t>\r\n\
\t<Custom\r\n\
\t\tName=\"AdminServer\"\r\n\
\t\tID=\"2115\"\r\n\
\t\tValue=\"2\"\r\n\
\t\tType=\"STRING\"\r\n\
\t\tUserType=\"IIS_MD_UT_SERVER\"\r\n\
\t\tAttributes=\"INHERIT\"\r\n\
\t/>\r\n\
\t<Custom\r\n\
\t\tName=\"SecretThing\"\r\n\
\t\tID=\"9001\"\r\n\
\t\tValue=\"hunter2-not-a-blob\"\r\n\
\t\tType=\"STRING\"\r\n\
\t\tAttributes=\"INHERIT | SECURE\"\r\n\
\t/>\r\n\
</IIsWebService>\r\n\
<IIsWebServer\tLocation =\"/LM/W3SVC/1\"\r\n\
\t\tServerComment=\"Default Web Site\"\r\n\
\t>\r\n\
</IIsWebServer>\r\n\
<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT\"\r\n\
{root_pass}\
\t\tPath=\"c:\\inetpub\\wwwroot\"\r\n\
\t>\r\n\
</IIsWebVirtualDir>\r\n\
<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT/owa\"\r\n\
\t\tAppPoolId=\"MSExchangeOWAAppPool\"\r\n\
\t\tAuthFlags=\"AuthBasic\"\r\n\
\t\tPath=\"C:\\Program Files\\Microsoft\\Exchange Server\\ClientAccess\\Owa\"\r\n\
\t>\r\n\
</IIsWebVirtualDir>\r\n\
<IIsWebDirectory\tLocation =\"/LM/W3SVC/1/ROOT/owa/8.1.240.6\"\r\n\
\t\tAccessFlags=\"AccessRead\"\r\n\
\t>\r\n\
</IIsWebDirectory>\r\n\
<IIsWebDirectory\tLocation =\"/LM/W3SVC/1/ROOT/owa/auth\"\r\n\
\t\tAuthFlags=\"{auth_flags}\"\r\n\
\t>\r\n\
</IIsWebDirectory>\r\n\
</MBProperty>\r\n\
</configuration>\r\n"
    )
}

fn only_config(facts: &Facts) -> &IisConfig {
    assert_eq!(facts.iis.len(), 1, "one IIS configuration");
    &facts.iis[0]
}

#[test]
fn metabase_keys_have_their_type_location_and_each_property_its_line() {
    let out = metabase::read(&metabase_text(None, "AuthAnonymous"), "MetaBase.xml");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let cfg = only_config(&out.facts);
    assert_eq!(cfg.generation, 6);
    let kinds: Vec<(&str, &str, u64)> = cfg
        .nodes
        .iter()
        .map(|n| (n.kind.as_str(), n.path.as_str(), n.line))
        .collect();
    assert_eq!(
        kinds,
        [
            ("IIsWebService", "/LM/W3SVC", 4),
            ("IIsWebServer", "/LM/W3SVC/1", 27),
            ("IIsWebVirtualDir", "/LM/W3SVC/1/ROOT", 31),
            ("IIsWebVirtualDir", "/LM/W3SVC/1/ROOT/owa", 35),
            ("IIsWebDirectory", "/LM/W3SVC/1/ROOT/owa/8.1.240.6", 41),
            ("IIsWebDirectory", "/LM/W3SVC/1/ROOT/owa/auth", 45),
        ]
    );
    let svc = &cfg.nodes[0];
    assert_eq!(svc.property("AnonymousUserName").map(|p| p.line), Some(6));
    assert_eq!(svc.property("AuthFlags").map(|p| p.line), Some(8));
    assert_eq!(cfg.sites.len(), 1);
    assert_eq!(
        (cfg.sites[0].id.as_str(), cfg.sites[0].name.as_str()),
        ("1", "Default Web Site")
    );
    let vdirs: Vec<&str> = cfg.sites[0].vdirs.iter().map(|v| v.vpath.as_str()).collect();
    assert_eq!(vdirs, ["/", "/owa"]);
}

#[test]
fn auth_flags_as_a_number_and_as_tokens_mean_the_same() {
    let out = metabase::read(&metabase_text(None, "AuthAnonymous | AuthNTLM"), "MetaBase.xml");
    let cfg = only_config(&out.facts);
    let svc = cfg.nodes[0]
        .property("AuthFlags")
        .and_then(|p| p.value.as_flags())
        .cloned();
    let auth = cfg.nodes[5]
        .property("AuthFlags")
        .and_then(|p| p.value.as_flags())
        .cloned();
    let (svc, auth) = (svc.expect("flags"), auth.expect("flags"));
    assert_eq!(svc.text, "5");
    assert_eq!(auth.text, "AuthAnonymous | AuthNTLM");
    assert_eq!((svc.number, &svc.tokens), (auth.number, &auth.tokens));
    assert_eq!(svc.tokens, ["AuthAnonymous", "AuthNTLM"]);
}

#[test]
fn custom_properties_are_kept_and_secure_ones_are_secrets() {
    let out = metabase::read(&metabase_text(None, "AuthAnonymous"), "MetaBase.xml");
    let svc = &only_config(&out.facts).nodes[0];
    let admin = svc.property("AdminServer").expect("custom property");
    assert!(admin.custom);
    assert_eq!(admin.value, Value::Text("2".into()));
    assert_eq!(admin.line, 14, "the line of its Value");
    let secret = svc.property("SecretThing").expect("secure custom property");
    assert!(matches!(secret.value, Value::Secret(_)));
    let pass = svc.property("AnonymousUserPass").expect("password");
    assert!(pass.value.as_secret().is_some_and(|s| !s.empty));
}

#[test]
fn no_secret_reaches_the_serialised_facts() {
    let out = metabase::read(&metabase_text(Some(BLOB_ROOT), "AuthAnonymous"), "MetaBase.xml");
    let json = serde_json::to_string(&out).expect("json");
    for secret in [BLOB_SVC, BLOB_ROOT, "hunter2-not-a-blob"] {
        assert!(!json.contains(secret), "a secret reached the output");
    }
    let debug = format!("{:?}", out.facts);
    assert!(!debug.contains(BLOB_SVC) && !debug.contains("hunter2"));
    let cfg = only_config(&out.facts);
    for n in &cfg.nodes {
        for p in &n.properties {
            assert!(!p.excerpt().contains("4963446270"), "{}", p.excerpt());
        }
    }
}

#[test]
fn nearest_metabase_level_wins() {
    let out = metabase::read(&metabase_text(None, "AuthAnonymous"), "MetaBase.xml");
    let cfg = only_config(&out.facts);
    let site = cfg.owa_site().expect("a site hosts /owa");
    let auth = cfg.effective(site, "/owa/auth");
    assert_eq!(auth.anonymous_only(), Some(true));
    assert_eq!(
        auth.auth_flags.as_ref().map(|s| s.level.as_str()),
        Some("/LM/W3SVC/1/ROOT/owa/auth")
    );
    assert_eq!(
        auth.anonymous_user.as_ref().map(|s| s.value.as_str()),
        Some("IUSR_CAS01")
    );
    assert_eq!(auth.anonymous_user.as_ref().and_then(|s| s.source.line), Some(6));
    assert_eq!(
        auth.physical_path.as_ref().map(|s| s.value.as_str()),
        Some(r"C:\Program Files\Microsoft\Exchange Server\ClientAccess\Owa\auth")
    );
    // The build folder sets no AuthFlags: it takes /owa's (AuthBasic).
    let build = cfg.effective(site, "/owa/8.1.240.6");
    assert_eq!(build.anonymous_only(), Some(false));
    assert_eq!(
        build.auth_flags.as_ref().map(|s| s.level.as_str()),
        Some("/LM/W3SVC/1/ROOT/owa")
    );
    assert_eq!(build.access_flags.as_ref().map(|s| s.value.number), Some(1));
    // The site root sets nothing: /LM/W3SVC's AuthFlags 5 apply.
    let root = cfg.effective(site, "/");
    assert_eq!(root.auth_flags.as_ref().map(|s| s.value.number), Some(5));
    assert_eq!(
        cfg.owa_builds(site).iter().map(|(b, _)| b.as_str()).collect::<Vec<_>>(),
        ["8.1.240.6"]
    );
    let vdir = cfg.vdir(site, "/owa").expect("owa vdir");
    assert_eq!(vdir.kind, "IIsWebVirtualDir");
    assert_eq!(vdir.app_pool.as_deref(), Some("MSExchangeOWAAppPool"));
    assert!(cfg.vdir(site, "/exchange").is_none());
}

#[test]
fn levels_setting_a_password_are_listed_top_first() {
    let out = metabase::read(&metabase_text(Some(BLOB_ROOT), "AuthAnonymous"), "MetaBase.xml");
    let cfg = only_config(&out.facts);
    let site = cfg.owa_site().expect("site");
    let set = cfg.settings_of(site, &["/owa/auth"], "AnonymousUserPass");
    let levels: Vec<&str> = set.iter().map(|(n, _)| n.path.as_str()).collect();
    assert_eq!(levels, ["/LM/W3SVC", "/LM/W3SVC/1/ROOT"]);
    let (a, b) = (set[0].1.value.as_secret(), set[1].1.value.as_secret());
    assert!(!a.zip(b).is_some_and(|(a, b)| a.same_as(b)));
    // The nearest one is the effective one.
    let e = cfg.effective(site, "/owa/auth");
    assert_eq!(
        e.anonymous_password.map(|s| s.level),
        Some("/LM/W3SVC/1/ROOT".to_string())
    );
}

#[test]
fn names_come_from_the_metabase() {
    let out = metabase::read(&metabase_text(None, "AuthAnonymous"), "MetaBase.xml");
    let n = names(&out.facts);
    assert_eq!(n.generation, Some(6));
    assert_eq!(n.web_site.map(|w| w.value).as_deref(), Some("Default Web Site"));
    assert_eq!(n.site_id.map(|w| w.value).as_deref(), Some("1"));
    assert_eq!(
        n.anonymous_account.as_ref().map(|a| a.value.as_str()),
        Some("IUSR_CAS01")
    );
    assert_eq!(n.wam_account.map(|a| a.value).as_deref(), Some("IWAM_CAS01"));
    assert_eq!(
        n.builds.iter().map(|b| b.value.as_str()).collect::<Vec<_>>(),
        ["8.1.240.6"]
    );
    assert_eq!(n.server.map(|s| s.value).as_deref(), Some("CAS01"));
    let lm = n.logon_method.expect("logon method");
    assert_eq!(lm.value, "ClearText");
    assert!(lm.how.contains("default LogonMethod 3"), "{}", lm.how);
}

#[test]
fn malformed_metabase_is_a_located_error() {
    let text = metabase_text(None, "AuthAnonymous").replace("</IIsWebServer>", "</IIsWebSrv>");
    let out = metabase::read(&text, "MetaBase.xml");
    assert!(out.facts.iis.is_empty());
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].line, Some(30), "{:?}", out.errors);
    let cut = &metabase_text(None, "AuthAnonymous")[..900];
    let out = metabase::read(cut, "MetaBase.xml");
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(out.errors[0].line.is_some());
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "<",
        "<configuration",
        "<a Location=\"/LM/W3SVC\" AuthFlags=\"&bogus;\"/>",
        "\u{0}\u{1}<<>>",
    ] {
        let _ = metabase::read(text, "x");
        let _ = apphost::read(text, "x");
    }
    let out = metabase::read("<a Location=\"/LM/W3SVC\" AuthFlags=\"AuthBogus | 4\"/>", "x");
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert_eq!(
        out.facts.iis[0].nodes[0]
            .property("AuthFlags")
            .and_then(|p| p.value.as_flags())
            .map(|f| f.number),
        Some(4)
    );
}

const APPHOST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <system.applicationHost>
        <applicationPools>
            <add name="MSExchangeOWAAppPool">
                <processModel identityType="NetworkService" />
            </add>
            <add name="DefaultAppPool" />
            <applicationPoolDefaults>
                <processModel identityType="ApplicationPoolIdentity" />
            </applicationPoolDefaults>
        </applicationPools>
        <sites>
            <site name="Default Web Site" id="1">
                <application path="/">
                    <virtualDirectory path="/" physicalPath="%SystemDrive%\inetpub\wwwroot" />
                </application>
                <application path="/owa" applicationPool="MSExchangeOWAAppPool">
                    <virtualDirectory path="/" physicalPath="C:\Exchange\ClientAccess\owa" />
                </application>
            </site>
        </sites>
    </system.applicationHost>
    <system.webServer>
        <security>
            <authentication>
                <anonymousAuthentication enabled="true" userName="IUSR" />
                <basicAuthentication enabled="false" />
                <windowsAuthentication enabled="false" />
            </authentication>
        </security>
    </system.webServer>
    <location path="Default Web Site/owa">
        <system.webServer>
            <handlers accessPolicy="Read, Script" />
            <security>
                <authentication>
                    <anonymousAuthentication enabled="false" />
                    <basicAuthentication enabled="true" />
                </authentication>
            </security>
        </system.webServer>
    </location>
    <location path="Default Web Site/owa/auth">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="true" userName="" password="[enc:AesProvider:c2VjcmV0:enc]" />
                    <basicAuthentication enabled="false" />
                </authentication>
            </security>
        </system.webServer>
    </location>
    <location path="Default Web Site/owa/14.3.123.4">
        <system.webServer>
            <security>
                <authentication>
                    <anonymousAuthentication enabled="true" />
                </authentication>
            </security>
        </system.webServer>
    </location>
</configuration>
"#;

#[test]
fn deepest_location_then_global_wins() {
    let out = apphost::read(APPHOST, "applicationHost.config");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let cfg = only_config(&out.facts);
    assert_eq!(cfg.generation, 7);
    let site = cfg.owa_site().expect("site");
    let auth = cfg.effective(site, "/owa/auth");
    assert_eq!(auth.anonymous_only(), Some(true));
    assert_eq!(auth.anonymous.as_ref().and_then(|s| s.source.line), Some(48));
    // windowsAuthentication is set only globally.
    assert_eq!(
        auth.windows.as_ref().map(|s| s.level.as_str()),
        Some("the global system.webServer section")
    );
    // The build folder sets only anonymous: basic comes from /owa, so it is not anonymous-only.
    let build = cfg.effective(site, "/owa/14.3.123.4");
    assert_eq!(build.anonymous.as_ref().map(|s| s.value), Some(true));
    assert_eq!(
        build.basic.as_ref().map(|s| (s.value, s.source.line)),
        Some((true, Some(39)))
    );
    assert_eq!(build.anonymous_only(), Some(false));
    let owa = cfg.effective(site, "/owa");
    assert_eq!(owa.anonymous_enabled(), Some(false));
    assert_eq!(owa.access_flags.as_ref().map(|f| f.value.number), Some(513));
    assert_eq!(
        auth.physical_path.as_ref().map(|s| s.value.as_str()),
        Some(r"C:\Exchange\ClientAccess\owa\auth")
    );
    assert_eq!(
        cfg.app_pools[1].identity_type.as_deref(),
        Some("ApplicationPoolIdentity")
    );
    let json = serde_json::to_string(&out).expect("json");
    assert!(!json.contains("c2VjcmV0"), "the password reached the output");
}

#[test]
fn empty_user_name_means_the_pool_identity() {
    let out = apphost::read(APPHOST, "applicationHost.config");
    let n = names(&out.facts);
    assert_eq!(n.generation, Some(7));
    let anon = n.anonymous_account.expect("anonymous account");
    assert_eq!(anon.value, r"NT AUTHORITY\NETWORK SERVICE");
    assert!(anon.how.contains("MSExchangeOWAAppPool"), "{}", anon.how);
    assert_eq!(
        n.builds.iter().map(|b| b.value.as_str()).collect::<Vec<_>>(),
        ["14.3.123.4"]
    );
    let without = APPHOST.replace(r#" userName="" password="[enc:AesProvider:c2VjcmV0:enc]""#, "");
    let n = names(&apphost::read(&without, "a").facts);
    assert_eq!(n.anonymous_account.map(|a| a.value).as_deref(), Some("IUSR"));
}

#[test]
fn malformed_apphost_is_a_located_error() {
    let text = APPHOST.replace(
        "        </security>\n    </system.webServer>\n    <location path=\"Default Web Site/owa\">",
        "    <location path=\"Default Web Site/owa\">",
    );
    assert_ne!(text, APPHOST);
    let out = apphost::read(&text, "applicationHost.config");
    assert!(out.facts.iis.is_empty());
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].line.is_some_and(|l| l > 30), "{:?}", out.errors);
}

#[test]
fn non_ascii_paths_never_split_a_character() {
    let mb = "<c><MBProperty>\n<IIsWebServer Location =\"/LM/W3SVC/1\" ServerComment=\"Sité Wéb\"/>\n\
<IIsWebVirtualDir Location =\"/LM/W3SVC/1/ROOT/owa\" Path=\"C:\\Öwa\"/>\n\
<IIsWebDirectory Location =\"/LM/W3SVCé/1/ROOT/owa/ü\" AuthFlags=\"1\"/>\n\
<IIsWebDirectory Location =\"/LMé\" AnonymousUserPass=\"éééééééééééééééééééééééééééé\"/>\n</MBProperty></c>";
    let out = metabase::read(mb, "m");
    let cfg = only_config(&out.facts);
    let site = cfg.owa_site().expect("site");
    assert_eq!(site.name, "Sité Wéb");
    for p in ["/owa/ü", "/ü/é", "/owa/auth"] {
        let e = cfg.effective(site, p);
        let _ = cfg.vdir(site, p);
        assert!(e.physical_path.is_some_and(|p| p.value.starts_with("C:\\Öwa")) || p == "/ü/é");
    }
    assert!(cfg.owa_builds(site).is_empty());
    let ah = "<configuration><system.applicationHost><sites><site name=\"Sïte\" id=\"1\">\
<application path=\"/öwa\"><virtualDirectory path=\"/\" physicalPath=\"C:\\x\"/></application>\
<application path=\"/owa\"><virtualDirectory path=\"/\" physicalPath=\"C:\\o\"/></application></site></sites>\
</system.applicationHost><location path=\"Sïte/owa/é\"><system.webServer><security><authentication>\
<anonymousAuthentication enabled=\"true\"/></authentication></security></system.webServer></location></configuration>";
    let out = apphost::read(ah, "a");
    let cfg = only_config(&out.facts);
    let site = cfg.owa_site().expect("site");
    assert_eq!(cfg.effective(site, "/owa/é").anonymous.map(|a| a.value), Some(true));
    assert_eq!(
        cfg.effective(site, "/öwa/x").physical_path.map(|p| p.value).as_deref(),
        Some("C:\\x\\x")
    );
}
