//! Two cases built for the secrets test, each holding secrets in every form a customer can send, in plain text:
//! an IIS 6 case (a metabase with plain and encrypted passwords, a SECURE custom property, adsutil.vbs output with
//! the passwords it shows once IsSecureProperty is turned off, a W3C log with passwords in its queries) and an IIS 7
//! case (applicationHost.config with a plain and an encrypted password, the same log).

use regex::Regex;
use std::path::Path;

/// The plain secrets the built cases hold; every one must be found by the secret finder too.
pub const PLAIN: [&str; 8] = [
    "anon-plain-Xw81qL",
    "wam-plain-Kd02yT",
    "unc-plain-Rt44mN",
    "ads-anon-Zq81xR",
    "ads-wam-Pl09vB",
    "Hunter2-Qp55wZ",
    "Pwd-Zk31rTy",
    "iis7-plain-Vb73sE",
];

const ADSUTIL: &str = "Microsoft (R) Windows Script Host Version 5.6\r
Copyright (C) Microsoft Corporation 1996-2001. All rights reserved.\r
\r
KeyType                         : (STRING) \"IIsWebService\"\r
AnonymousUserName               : (STRING) \"IUSR_CAS01\"\r
AnonymousUserPass               : (STRING) \"ads-anon-Zq81xR\"\r
WAMUserName                     : (STRING) \"IWAM_CAS01\"\r
WAMUserPass                     : (STRING) \"ads-wam-Pl09vB\"\r
AuthFlags                       : (INTEGER) 1\r
";

const SECURE_CUSTOM: &str = "\t<Custom\r\n\t\tName=\"UNCPassword\"\r\n\t\tID=\"3003\"\r\n\t\tValue=\"unc-plain-Rt44mN\"\r\n\t\tType=\"STRING\"\r\n\t\tUserType=\"IIS_MD_UT_FILE\"\r\n\t\tAttributes=\"INHERIT | SECURE\"\r\n\t/>\r\n";

fn read(path: &str) -> String {
    std::fs::read_to_string(path).expect("fixture")
}

/// Replaces the `n`-th (from 0) value of attribute `name` with `value`.
fn set_nth(text: &str, name: &str, n: usize, value: &str) -> String {
    let re = Regex::new(&format!(r#"\b{name}="[^"]*""#)).expect("regex");
    let m = re.find_iter(text).nth(n).expect("attribute in the fixture");
    format!("{}{name}=\"{value}\"{}", &text[..m.start()], &text[m.end()..])
}

/// A W3C log whose logon posts carry a password and whose 440s carry a `pwd` in their query.
fn log() -> String {
    read("fixtures/logs-anonymous-credentials-1326/ex080402.log")
        .replace(
            "POST /owa/auth/owaauth.dll -",
            "POST /owa/auth/owaauth.dll destination=https%3a%2f%2fmail%2fowa%2f&username=dana&password=Hunter2-Qp55wZ",
        )
        .replace("ae=Folder&t=IPF.Note", "ae=Folder&t=IPF.Note&pwd=Pwd-Zk31rTy")
}

/// Writes the IIS 6 case into `dir`.
pub fn iis6(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut mb = read("fixtures/iis6-anonymous-credentials/MetaBase.xml");
    mb = set_nth(&mb, "WAMUserPass", 0, "wam-plain-Kd02yT");
    mb = set_nth(&mb, "AnonymousUserPass", 1, "anon-plain-Xw81qL");
    mb = mb.replacen("\t<Custom", &format!("{SECURE_CUSTOM}\t<Custom"), 1);
    std::fs::write(dir.join("MetaBase.xml"), mb).expect("write");
    std::fs::write(dir.join("adsutil_enum_w3svc.txt"), ADSUTIL).expect("write");
    std::fs::write(dir.join("ex080402.log"), log()).expect("write");
}

/// Writes the IIS 7 case into `dir`.
pub fn iis7(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let ah = set_nth(
        &read("fixtures/iis7-anonymous-credentials/applicationHost.config"),
        "password",
        0,
        "iis7-plain-Vb73sE",
    );
    std::fs::write(dir.join("applicationHost.config"), ah).expect("write");
    std::fs::write(dir.join("u_ex080402.log"), log()).expect("write");
}
