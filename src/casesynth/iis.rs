//! The IIS side of a case: the IIS 6 metabase (MetaBase.xml) or IIS 7 applicationHost.config.

use super::Case;
use crate::rules::Cause;
use std::fmt::Write as _;

/// An encrypted metabase secret: the `4963446270000000...` header and a blob derived from `salt`.
fn secret(case: &Case, salt: u64) -> String {
    let mut x = case.seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut s = String::from("49634462700000002200000040000000");
    for _ in 0..12 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let _ = write!(s, "{x:016x}");
    }
    s
}

const OWA_PATH_2007: &str = r"C:\Program Files\Microsoft\Exchange Server\ClientAccess\Owa";

fn vdir(out: &mut String, name: &str, auth: &str) {
    let _ = write!(
        out,
        "<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT/{name}\"\r\n\t\tAccessFlags=\"AccessRead | AccessScript\"\r\n\
\t\tAccessSSLFlags=\"AccessSSL | AccessSSL128\"\r\n\t\tAppIsolated=\"2\"\r\n\t\tAppPoolId=\"MSExchangeOWAAppPool\"\r\n\
\t\tAppRoot=\"/LM/W3SVC/1/ROOT/{name}\"\r\n\t\tAuthFlags=\"{auth}\"\r\n\t\tPath=\"{OWA_PATH_2007}\"\r\n\t>\r\n\
</IIsWebVirtualDir>\r\n"
    );
}

fn directory(out: &mut String, path: &str, access: &str, auth: Option<&str>) {
    let _ = write!(
        out,
        "<IIsWebDirectory\tLocation =\"/LM/W3SVC/1/ROOT/owa/{path}\"\r\n\t\tAccessFlags=\"{access}\"\r\n"
    );
    if let Some(a) = auth {
        let _ = write!(out, "\t\tAuthFlags=\"{a}\"\r\n");
    }
    out.push_str("\t>\r\n</IIsWebDirectory>\r\n");
}

/// MetaBase.xml of an Exchange 2007 Client Access server on IIS 6.
pub fn metabase(case: &Case) -> String {
    let s = &case.server;
    let mut m = String::with_capacity(8 << 10);
    let _ = write!(
        m,
        "<?xml version =\"1.0\"?>\r\n<configuration xmlns=\"urn:microsoft-catalog:XML_Metabase_V64_0\">\r\n<MBProperty>\r\n\
<IIS_Global\tLocation =\".\"\r\n\t\tBINSchemaTimeStamp=\"a9b1c2d3e4f5a601\"\r\n\t\tChangeNumber=\"{}\"\r\n\
\t\tHistoryMajorVersionNumber=\"{}\"\r\n\t\tSessionKey=\"{}\"\r\n\t\tXMLSchemaTimeStamp=\"0c6d7be91ea5c801\"\r\n\t>\r\n\
</IIS_Global>\r\n<IIsComputer\tLocation =\"/LM\"\r\n\t\tEnableEditWhileRunning=\"1\"\r\n\t\tEnableHistory=\"1\"\r\n\
\t\tMaxHistoryFiles=\"10\"\r\n\t>\r\n</IIsComputer>\r\n\
<IIsApplicationPools\tLocation =\"/LM/W3SVC/AppPools\"\r\n\t\tAppPoolAutoStart=\"TRUE\"\r\n\t\tAppPoolIdentityType=\"2\"\r\n\
\t\tIdleTimeout=\"20\"\r\n\t\tPeriodicRestartTime=\"1740\"\r\n\t>\r\n</IIsApplicationPools>\r\n\
<IIsApplicationPool\tLocation =\"/LM/W3SVC/AppPools/DefaultAppPool\"\r\n\t>\r\n</IIsApplicationPool>\r\n\
<IIsApplicationPool\tLocation =\"/LM/W3SVC/AppPools/MSExchangeOWAAppPool\"\r\n\t\tAppPoolIdentityType=\"0\"\r\n\t>\r\n\
</IIsApplicationPool>\r\n\
<IIsApplicationPool\tLocation =\"/LM/W3SVC/AppPools/MSExchangeServicesAppPool\"\r\n\t\tAppPoolIdentityType=\"0\"\r\n\t>\r\n\
</IIsApplicationPool>\r\n\
<IIsWebService\tLocation =\"/LM/W3SVC\"\r\n\t\tAccessFlags=\"AccessRead | AccessScript\"\r\n\
\t\tAnonymousUserName=\"{}\"\r\n\t\tAnonymousUserPass=\"{}\"\r\n\t\tAppPoolId=\"DefaultAppPool\"\r\n\
\t\tAspBufferingOn=\"TRUE\"\r\n\t\tAuthFlags=\"AuthAnonymous | AuthNTLM\"\r\n\t\tConnectionTimeout=\"120\"\r\n\
\t\tDefaultDoc=\"Default.htm,Default.asp,index.htm,Default.aspx,iisstart.htm\"\r\n",
        1000 + case.seed % 9000,
        100 + case.seed % 400,
        secret(case, 1),
        case.anonymous,
        secret(case, 2),
    );
    if case.has(Cause::GuestsDenyLogonLocally) {
        m.push_str("\t\tLogonMethod=\"0\"\r\n");
    }
    let _ = write!(
        m,
        "\t\tMaxConnections=\"4294967295\"\r\n\t\tWAMUserName=\"IWAM_{s}\"\r\n\t\tWAMUserPass=\"{}\"\r\n\t>\r\n\
\t<Custom\r\n\t\tName=\"AdminServer\"\r\n\t\tID=\"2115\"\r\n\t\tValue=\"2\"\r\n\t\tType=\"STRING\"\r\n\
\t\tUserType=\"IIS_MD_UT_SERVER\"\r\n\t\tAttributes=\"INHERIT\"\r\n\t/>\r\n</IIsWebService>\r\n\
<IIsFilters\tLocation =\"/LM/W3SVC/Filters\"\r\n\t\tFilterLoadOrder=\"\"\r\n\t>\r\n</IIsFilters>\r\n\
<IIsWebServer\tLocation =\"/LM/W3SVC/1\"\r\n\t\tAppPoolId=\"DefaultAppPool\"\r\n\t\tSecureBindings=\":443:\"\r\n\
\t\tServerAutoStart=\"TRUE\"\r\n\t\tServerBindings=\":80:\"\r\n\t\tServerComment=\"Default Web Site\"\r\n\
\t\tServerSize=\"1\"\r\n\t>\r\n</IIsWebServer>\r\n\
<IIsFilters\tLocation =\"/LM/W3SVC/1/Filters\"\r\n\t\tFilterLoadOrder=\"Exchange OWA Cookie Authentication ISAPI Filter\"\r\n\
\t>\r\n</IIsFilters>\r\n\
<IIsFilter\tLocation =\"/LM/W3SVC/1/Filters/Exchange OWA Cookie Authentication ISAPI Filter\"\r\n\
\t\tFilterDescription=\"Exchange OWA Cookie Authentication ISAPI Filter\"\r\n\
\t\tFilterPath=\"{OWA_PATH_2007}\\auth\\owaauth.dll\"\r\n\t>\r\n</IIsFilter>\r\n\
<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT\"\r\n\t\tAccessFlags=\"AccessRead | AccessScript\"\r\n",
        secret(case, 3),
    );
    if case.has(Cause::AnonymousCredentials) {
        // Set again one level down, with another value: the out-of-sync copy.
        let _ = write!(m, "\t\tAnonymousUserPass=\"{}\"\r\n", secret(case, 4));
    }
    m.push_str(
        "\t\tAppFriendlyName=\"Default Application\"\r\n\t\tAppIsolated=\"2\"\r\n\t\tAppPoolId=\"DefaultAppPool\"\r\n\
\t\tAppRoot=\"/LM/W3SVC/1/ROOT\"\r\n\
\t\tDirBrowseFlags=\"DirBrowseShowDate | DirBrowseShowTime | DirBrowseShowSize | DirBrowseShowExtension | DirBrowseShowLongDate | EnableDefaultDoc\"\r\n\
\t\tPath=\"c:\\inetpub\\wwwroot\"\r\n\t>\r\n</IIsWebVirtualDir>\r\n",
    );
    vdir(&mut m, "Exchange", "AuthBasic");
    if !case.has(Cause::OwaVirtualDirectories) {
        vdir(&mut m, "Exchweb", "AuthBasic");
    }
    vdir(&mut m, "Public", "AuthBasic");
    let _ = write!(
        m,
        "<IIsWebVirtualDir\tLocation =\"/LM/W3SVC/1/ROOT/owa\"\r\n\t\tAccessFlags=\"AccessRead | AccessScript\"\r\n\
\t\tAccessSSLFlags=\"AccessSSL | AccessSSL128\"\r\n\t\tAppFriendlyName=\"owa\"\r\n\t\tAppIsolated=\"2\"\r\n\
\t\tAppPoolId=\"MSExchangeOWAAppPool\"\r\n\t\tAppRoot=\"/LM/W3SVC/1/ROOT/owa\"\r\n\t\tAuthFlags=\"AuthBasic\"\r\n\
\t\tDefaultDoc=\"default.aspx\"\r\n\t\tDirBrowseFlags=\"0\"\r\n\t\tPath=\"{OWA_PATH_2007}\"\r\n\t>\r\n\
</IIsWebVirtualDir>\r\n"
    );
    directory(&mut m, &case.build, "AccessRead", Some("AuthAnonymous"));
    let auth = if case.has(Cause::AnonymousAccessDisabled) {
        "AuthBasic | AuthNTLM"
    } else {
        "AuthAnonymous"
    };
    directory(&mut m, "auth", "AccessRead | AccessScript", Some(auth));
    directory(&mut m, "bin", "AccessRead | AccessScript", None);
    m.push_str("</MBProperty>\r\n</configuration>\r\n");
    m
}

/// One `<location>` with its authentication section.
fn location(out: &mut String, path: &str, policy: &str, ssl: bool, anonymous: bool, basic: bool, windows: bool) {
    let ssl = if ssl {
        "                <access sslFlags=\"Ssl, Ssl128\" />\r\n"
    } else {
        ""
    };
    let _ = write!(
        out,
        "    <location path=\"Default Web Site/{path}\">\r\n        <system.webServer>\r\n\
            <handlers accessPolicy=\"{policy}\" />\r\n            <security>\r\n{ssl}\
                <authentication>\r\n\
                    <anonymousAuthentication enabled=\"{anonymous}\" />\r\n\
                    <basicAuthentication enabled=\"{basic}\" />\r\n\
                    <digestAuthentication enabled=\"false\" />\r\n\
                    <windowsAuthentication enabled=\"{windows}\" />\r\n\
                </authentication>\r\n            </security>\r\n        </system.webServer>\r\n    </location>\r\n"
    );
}

/// applicationHost.config of an Exchange 2010 Client Access server on IIS 7.5, with a named anonymous account.
pub fn application_host(case: &Case) -> String {
    let owa = r"C:\Program Files\Microsoft\Exchange Server\V14\ClientAccess\owa";
    let logon_method = if case.has(Cause::GuestsDenyLogonLocally) {
        " logonMethod=\"Interactive\""
    } else {
        ""
    };
    let mut c = String::with_capacity(8 << 10);
    let _ = write!(
        c,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!--\r\n\r\n    IIS configuration sections.\r\n\r\n\
    For schema documentation, see\r\n    %windir%\\system32\\inetsrv\\config\\schema\\IIS_schema.xml.\r\n\r\n\
    Please make a backup of this file before making any changes to it.\r\n\r\n-->\r\n\r\n<configuration>\r\n\r\n\
    <configSections>\r\n        <sectionGroup name=\"system.applicationHost\">\r\n\
            <section name=\"applicationPools\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />\r\n\
            <section name=\"sites\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />\r\n\
        </sectionGroup>\r\n        <sectionGroup name=\"system.webServer\">\r\n\
            <section name=\"handlers\" overrideModeDefault=\"Deny\" />\r\n\
            <sectionGroup name=\"security\">\r\n                <section name=\"access\" overrideModeDefault=\"Deny\" />\r\n\
                <sectionGroup name=\"authentication\">\r\n\
                    <section name=\"anonymousAuthentication\" overrideModeDefault=\"Deny\" />\r\n\
                    <section name=\"basicAuthentication\" overrideModeDefault=\"Deny\" />\r\n\
                    <section name=\"digestAuthentication\" overrideModeDefault=\"Deny\" />\r\n\
                    <section name=\"windowsAuthentication\" overrideModeDefault=\"Deny\" />\r\n\
                </sectionGroup>\r\n            </sectionGroup>\r\n        </sectionGroup>\r\n    </configSections>\r\n\r\n\
    <system.applicationHost>\r\n\r\n        <applicationPools>\r\n            <add name=\"DefaultAppPool\" />\r\n\
            <add name=\"MSExchangeOWAAppPool\" managedRuntimeVersion=\"v2.0\">\r\n\
                <processModel identityType=\"LocalSystem\" idleTimeout=\"00:00:00\" />\r\n            </add>\r\n\
            <add name=\"MSExchangeServicesAppPool\" managedRuntimeVersion=\"v2.0\">\r\n\
                <processModel identityType=\"LocalSystem\" idleTimeout=\"00:00:00\" />\r\n            </add>\r\n\
            <applicationPoolDefaults>\r\n\
                <processModel identityType=\"ApplicationPoolIdentity\" loadUserProfile=\"true\" setProfileEnvironment=\"false\" />\r\n\
            </applicationPoolDefaults>\r\n        </applicationPools>\r\n\r\n        <sites>\r\n\
            <site name=\"Default Web Site\" id=\"1\">\r\n                <application path=\"/\">\r\n\
                    <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" />\r\n\
                </application>\r\n\
                <application path=\"/owa\" applicationPool=\"MSExchangeOWAAppPool\">\r\n\
                    <virtualDirectory path=\"/\" physicalPath=\"{owa}\" />\r\n                </application>\r\n\
                <application path=\"/EWS\" applicationPool=\"MSExchangeServicesAppPool\">\r\n\
                    <virtualDirectory path=\"/\" physicalPath=\"C:\\Program Files\\Microsoft\\Exchange Server\\V14\\ClientAccess\\exchweb\\ews\" />\r\n\
                </application>\r\n                <bindings>\r\n\
                    <binding protocol=\"http\" bindingInformation=\"*:80:\" />\r\n\
                    <binding protocol=\"https\" bindingInformation=\"*:443:\" />\r\n                </bindings>\r\n\
            </site>\r\n            <siteDefaults>\r\n\
                <logFile logFormat=\"W3C\" directory=\"%SystemDrive%\\inetpub\\logs\\LogFiles\" />\r\n\
            </siteDefaults>\r\n            <applicationDefaults applicationPool=\"DefaultAppPool\" />\r\n        </sites>\r\n\r\n\
    </system.applicationHost>\r\n\r\n    <system.webServer>\r\n\r\n        <handlers accessPolicy=\"Read, Script\" />\r\n\r\n\
        <security>\r\n\r\n            <access sslFlags=\"None\" />\r\n\r\n            <authentication>\r\n\
                <anonymousAuthentication enabled=\"true\" userName=\"{}\" password=\"[enc:AesProvider:{}:enc]\"{logon_method} />\r\n\
                <basicAuthentication enabled=\"false\" />\r\n                <digestAuthentication enabled=\"false\" />\r\n\
                <windowsAuthentication enabled=\"false\" />\r\n            </authentication>\r\n\r\n        </security>\r\n\r\n\
    </system.webServer>\r\n",
        case.anonymous,
        &secret(case, 5)[32..96],
    );
    let off = case.has(Cause::AnonymousAccessDisabled);
    location(&mut c, "owa", "Read, Script", true, false, true, false);
    location(&mut c, "owa/auth", "Read, Script", false, !off, off, off);
    location(
        &mut c,
        &format!("owa/{}", case.build),
        "Read",
        false,
        true,
        false,
        false,
    );
    location(&mut c, "EWS", "Read, Script", true, false, true, true);
    c.push_str("\r\n</configuration>\r\n");
    c
}
