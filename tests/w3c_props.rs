//! Properties of the W3C reader over generated input: it never panics, keeps every data line, and scanning in
//! parallel ranges of any size gives exactly the sequential result.

use owa440::bundle::{BundleFile, Kind};
use owa440::readers::w3c::scan_file_with;
use proptest::prelude::*;

/// Lines a log can hold: directives (a new field list mid-file included), requests that fit or do not, blank
/// lines, CRLF, double spaces, quotes, IPv6 zone ids, big win32 statuses.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(
            "#Fields: date time cs-method cs-uri-stem cs-username c-ip sc-status sc-substatus sc-win32-status"
                .to_string()
        ),
        Just("#Fields: time c-ip cs-username cs-method cs-uri-stem sc-status".to_string()),
        Just("#Date: 2010-06-01 00:00:00".to_string()),
        Just("#Software: Microsoft Internet Information Services 7.5\r".to_string()),
        Just(String::new()),
        Just("\r".to_string()),
        (
            0u32..86400,
            0usize..6,
            0usize..4,
            0usize..3,
            prop_oneof![Just(200u32), Just(302), Just(401), Just(404), Just(440)],
            0u32..4,
            prop_oneof![Just(0u64), Just(1326), Just(1385), Just(2_148_074_254)],
            any::<bool>()
        )
            .prop_map(|(t, stem, user, ip, st, sub, win32, crlf)| {
                let stems = [
                    "/owa/auth/logon.aspx",
                    "/owa/8.1.240.6/x.gif",
                    "/owa/",
                    "/EWS/Exchange.asmx",
                    "/owa/auth/owaauth.dll",
                    "/exchweb/bin/auth/owaauth.dll",
                ];
                let users = ["-", "CONTOSO\\ann", "bob", "-"];
                let ips = ["10.0.0.1", "fe80::1%12", "10.0.0.2"];
                let method = if stem == 4 { "POST" } else { "GET" };
                format!(
                    "2010-06-01 {:02}:{:02}:{:02} {method} {} {} {} {st} {sub} {win32}{}",
                    t / 3600,
                    t / 60 % 60,
                    t % 60,
                    stems[stem],
                    users[user],
                    ips[ip],
                    if crlf { "\r" } else { "" }
                )
            }),
        "[ -~]{0,40}".prop_map(|s| s),
        Just("2010-06-01 10:00:00 GET /owa/  - 10.0.0.1 401 1 1326".to_string()),
        Just("2010-06-01 10:00:00 \"GET x\" /owa/auth/a - 10.0.0.1 401 1 1326".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn ranges_of_any_size_give_the_sequential_result(lines in prop::collection::vec(line(), 0..120), chunk in 1u64..400, final_newline in any::<bool>()) {
        let mut text = lines.join("\n");
        if final_newline {
            text.push('\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("u_ex100601.log");
        std::fs::write(&path, &text).unwrap();
        let file = BundleFile::on_disk("u_ex100601.log".into(), path, text.len() as u64);
        let whole = scan_file_with(&file, Kind::W3cLog, u64::MAX, u64::MAX).unwrap();
        let parts = scan_file_with(&file, Kind::W3cLog, chunk, 0).unwrap();
        let data_lines = text
            .split('\n')
            .filter(|l| {
                let l = l.trim_end_matches(['\r', ' ', '\t']);
                !l.is_empty() && !l.starts_with('#')
            })
            .count() as u64;
        prop_assert_eq!(whole.report.records, data_lines);
        prop_assert_eq!(parts.report.records, data_lines);
        prop_assert_eq!(&parts.report.warnings, &whole.report.warnings);
        let a = serde_json::to_value(whole.stats.unwrap().finish()).unwrap();
        let b = serde_json::to_value(parts.stats.unwrap().finish()).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let out = owa440::readers::read(&BundleFile::in_memory("x.log".into(), bytes), Kind::W3cLog);
        prop_assert!(out.errors.is_empty());
    }
}
