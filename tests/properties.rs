//! Properties over generated input: no reader panics on any bytes; the secedit and net readers do not care about
//! section order or padding.

use owa440::bundle::{BundleFile, Kind};
use owa440::readers;
use proptest::prelude::*;

fn read(kind: Kind, bytes: Vec<u8>) -> readers::ReadOutput {
    readers::read(&BundleFile::in_memory("input".into(), bytes), kind)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        for kind in Kind::ANALYSED {
            let out = read(kind, bytes.clone());
            prop_assert!(!out.errors.iter().any(|e| e.message.contains("reader failed")), "{kind}: {:?}", out.errors);
        }
    }

    #[test]
    fn no_reader_panics_on_text_shaped_like_its_input(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("[Privilege Rights]".to_string()),
                Just("#Fields: date time cs-uri-stem sc-status".to_string()),
                Just("<?xml version=\"1.0\"?><configuration>".to_string()),
                Just("User name                    IUSR_X".to_string()),
                Just("Alias name     Guests".to_string()),
                Just("-----------------------".to_string()),
                Just("Name        : owa (Default Web Site)".to_string()),
                "[ -~]{0,80}",
            ],
            0..40,
        )
    ) {
        let text = lines.join("\r\n");
        for kind in Kind::ANALYSED {
            let out = read(kind, text.clone().into_bytes());
            prop_assert!(!out.errors.iter().any(|e| e.message.contains("reader failed")), "{kind}: {:?}", out.errors);
        }
    }

    #[test]
    fn secedit_rights_do_not_depend_on_section_order_or_padding(
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        pad_left in 0usize..4,
        pad_right in 0usize..4,
    ) {
        let sections = [
            "[Unicode]\nUnicode=yes\n".to_string(),
            format!("[Privilege Rights]\nSeDenyNetworkLogonRight{}={}*S-1-5-32-546,Guest\nSeDenyInteractiveLogonRight ={}\n",
                " ".repeat(pad_left), " ".repeat(pad_right), " ".repeat(pad_right)),
            "[System Access]\nEnableGuestAccount = 0\n".to_string(),
            "[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n".to_string(),
        ];
        let text: String = order.iter().map(|&i| sections[i].as_str()).collect();
        let out = read(Kind::Secedit, text.into_bytes());
        prop_assert!(out.errors.is_empty() && out.warnings.is_empty());
        let net = out.facts.rights.iter().find(|r| r.value.right == "SeDenyNetworkLogonRight").unwrap();
        prop_assert!(net.value.principals[0].is_guests_group());
        prop_assert!(net.value.principals[1].is_guest_account());
        let local = out.facts.rights.iter().find(|r| r.value.right == "SeDenyInteractiveLogonRight").unwrap();
        prop_assert!(local.value.principals.is_empty());
    }

    #[test]
    fn net_user_fields_do_not_depend_on_padding(pad in 1usize..30, name in "[A-Za-z][A-Za-z0-9_]{0,19}") {
        let f = |label: &str, value: &str| format!("{label}{}{value}\r\n", " ".repeat(pad.max(1) + 1));
        let text = [
            f("User name", &name),
            f("Account active", "Yes"),
            f("Workstations allowed", "CAS01,CAS02"),
            f("Local Group Memberships", "*Guests               *Users"),
            "The command completed successfully.\r\n".to_string(),
        ].concat();
        let out = read(Kind::NetUser, text.into_bytes());
        let a = &out.facts.accounts[0].value;
        prop_assert_eq!(&a.name, &name);
        prop_assert_eq!(a.active.as_deref(), Some("Yes"));
        prop_assert!(a.member_of("Guests").is_some());
        prop_assert_eq!(a.local_groups.len(), 2);
    }
}
