//! The IIS 6 metabase flag properties (`AuthFlags`, `AccessFlags`, `AccessSSLFlags`) and the IIS 7+
//! `handlers accessPolicy` list, held both as the tokens and as the number, whichever way the file wrote them.

use serde::Serialize;

/// `AuthFlags` bits (MetaBase.xml writes `AuthAnonymous | AuthNTLM`; a number also occurs).
pub const AUTH_FLAGS: &[(&str, u32)] = &[
    ("AuthAnonymous", 1),
    ("AuthBasic", 2),
    ("AuthNTLM", 4),
    ("AuthMD5", 16),
    ("AuthPassport", 64),
];

/// `AccessFlags` bits.
pub const ACCESS_FLAGS: &[(&str, u32)] = &[
    ("AccessRead", 1),
    ("AccessWrite", 2),
    ("AccessExecute", 4),
    ("AccessSource", 16),
    ("AccessScript", 512),
    ("AccessNoRemoteWrite", 1024),
    ("AccessNoRemoteRead", 4096),
    ("AccessNoRemoteExecute", 8192),
    ("AccessNoRemoteScript", 16384),
    ("AccessNoPhysicalDir", 32768),
];

/// `AccessSSLFlags` bits.
pub const ACCESS_SSL_FLAGS: &[(&str, u32)] = &[
    ("AccessSSL", 8),
    ("AccessSSLNegotiateCert", 32),
    ("AccessSSLRequireCert", 64),
    ("AccessSSLMapCert", 128),
    ("AccessSSL128", 256),
];

/// IIS 7+ `<handlers accessPolicy="Read, Script">`, mapped onto the IIS 6 `AccessFlags` bits so one check serves
/// both generations (`Read` = AccessRead 1, `Script` = AccessScript 512, ...).
pub const ACCESS_POLICY: &[(&str, u32)] = &[
    ("Read", 1),
    ("Write", 2),
    ("Execute", 4),
    ("Source", 16),
    ("Script", 512),
    ("NoRemoteWrite", 1024),
    ("NoRemoteRead", 4096),
    ("NoRemoteExecute", 8192),
    ("NoRemoteScript", 16384),
];

pub const AUTH_ANONYMOUS: u32 = 1;
pub const AUTH_BASIC: u32 = 2;
pub const AUTH_NTLM: u32 = 4;
pub const AUTH_MD5: u32 = 16;
pub const AUTH_PASSPORT: u32 = 64;
pub const ACCESS_READ: u32 = 1;
pub const ACCESS_SCRIPT: u32 = 512;

/// The table of a flag property of the metabase, by property name.
pub fn table_for(property: &str) -> Option<&'static [(&'static str, u32)]> {
    if property.eq_ignore_ascii_case("AuthFlags") {
        Some(AUTH_FLAGS)
    } else if property.eq_ignore_ascii_case("AccessFlags") {
        Some(ACCESS_FLAGS)
    } else if property.eq_ignore_ascii_case("AccessSSLFlags") {
        Some(ACCESS_SSL_FLAGS)
    } else {
        None
    }
}

/// A flag value: the tokens (names from the table, in bit order) and the number, plus the text as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flags {
    pub tokens: Vec<String>,
    pub number: u32,
    /// The value as the file wrote it.
    pub text: String,
}

impl Flags {
    /// Parses `AuthAnonymous | AuthNTLM`, `5`, `0x5`, `Read, Script` (any of `|`, `,` or spaces between tokens).
    /// Unknown tokens are returned apart so the reader can warn about them; they add no bit.
    pub fn parse(text: &str, table: &[(&str, u32)]) -> (Flags, Vec<String>) {
        let mut number = 0u32;
        let mut unknown = Vec::new();
        for tok in text
            .split(['|', ',', ' ', '\t'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if tok.eq_ignore_ascii_case("None") {
                continue;
            } else if let Some(n) = parse_number(tok) {
                number |= n;
            } else if let Some((_, bit)) = table.iter().find(|(name, _)| name.eq_ignore_ascii_case(tok)) {
                number |= bit;
            } else {
                unknown.push(tok.to_string());
            }
        }
        (Flags::from_number(number, table, text), unknown)
    }

    /// The flags of `number`, named from `table` (bits the table does not name become a hex token).
    pub fn from_number(number: u32, table: &[(&str, u32)], text: &str) -> Flags {
        let mut tokens: Vec<String> = table
            .iter()
            .filter(|(_, bit)| number & bit != 0)
            .map(|(n, _)| n.to_string())
            .collect();
        let named = table.iter().fold(0, |acc, (_, b)| acc | b);
        if number & !named != 0 {
            tokens.push(format!("0x{:x}", number & !named));
        }
        Flags {
            tokens,
            number,
            text: text.trim().to_string(),
        }
    }

    pub fn has(&self, bit: u32) -> bool {
        self.number & bit == bit
    }
}

fn parse_number(tok: &str) -> Option<u32> {
    match tok.strip_prefix("0x").or_else(|| tok.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => tok.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_numbers_give_the_same_flags() {
        let (a, unknown) = Flags::parse("AuthAnonymous | AuthNTLM", AUTH_FLAGS);
        assert!(unknown.is_empty());
        assert_eq!(a.number, 5);
        assert_eq!(a.tokens, ["AuthAnonymous", "AuthNTLM"]);
        let (b, _) = Flags::parse("5", AUTH_FLAGS);
        assert_eq!((b.number, &b.tokens), (5, &a.tokens));
        let (c, _) = Flags::parse("AccessRead | AccessScript", ACCESS_FLAGS);
        assert_eq!(c.number, 513);
        assert!(c.has(ACCESS_READ | ACCESS_SCRIPT));
        let (d, _) = Flags::parse("Read, Script", ACCESS_POLICY);
        assert_eq!(d.number, 513);
        let (e, _) = Flags::parse("0", AUTH_FLAGS);
        assert!(e.tokens.is_empty() && e.number == 0);
    }

    #[test]
    fn unknown_tokens_are_reported_and_unnamed_bits_kept() {
        let (f, unknown) = Flags::parse("AuthAnonymous | AuthKerberosMagic", AUTH_FLAGS);
        assert_eq!(f.number, 1);
        assert_eq!(unknown, ["AuthKerberosMagic"]);
        let g = Flags::from_number(1 | 128, AUTH_FLAGS, "129");
        assert_eq!(g.tokens, ["AuthAnonymous", "0x80"]);
    }
}
