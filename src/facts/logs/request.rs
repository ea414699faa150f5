//! A request as the W3C reader hands it to [`super::LogStats`], the OWA area of its path, and its status signature.

use serde::Serialize;

/// Where a request went, by its `cs-uri-stem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// `/owa/auth/*` (logon.aspx, owaauth.dll, ...) and `/owa/auth.owa`: anonymous by design.
    OwaAuth,
    /// `/owa/<build>/*` (`/owa/8.1.240.6/themes/...`): static files, anonymous by design.
    OwaBuild,
    /// `/exchweb/*`: the legacy forms logon (`/exchweb/bin/auth/owaauth.dll`), anonymous by design.
    Exchweb,
    /// The rest of `/owa` (the mailbox, after logon).
    Owa,
    /// `/exchange` (Exchange 2003 style mailbox access).
    Exchange,
    /// `/public` (public folders).
    Public,
}

impl Area {
    /// The area of a request path; `None` for anything outside the OWA virtual directories.
    #[inline]
    pub fn classify(stem: &[u8]) -> Option<Area> {
        // Every area's first segment starts with o, e or p: most stems of a Client Access log (ActiveSync, RPC,
        // Autodiscover) are told apart by one byte.
        if stem.len() < 4 || stem[0] != b'/' || !matches!(stem[1] | 0x20, b'o' | b'e' | b'p') {
            return None;
        }
        let first = segment(&stem[1..]);
        let rest = &stem[1 + first.len()..];
        if first.eq_ignore_ascii_case(b"owa") {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            let second = segment(rest);
            if second.eq_ignore_ascii_case(b"auth") || second.eq_ignore_ascii_case(b"auth.owa") {
                Some(Area::OwaAuth)
            } else if is_build(second) {
                Some(Area::OwaBuild)
            } else {
                Some(Area::Owa)
            }
        } else if first.eq_ignore_ascii_case(b"exchweb") {
            Some(Area::Exchweb)
        } else if first.eq_ignore_ascii_case(b"exchange") {
            Some(Area::Exchange)
        } else if first.eq_ignore_ascii_case(b"public") {
            Some(Area::Public)
        } else {
            None
        }
    }

    /// The areas IIS must serve anonymously for forms-based logon to work.
    pub fn is_anonymous_path(self) -> bool {
        matches!(self, Area::OwaAuth | Area::OwaBuild | Area::Exchweb)
    }

    /// How the report names the area.
    pub fn path(self) -> &'static str {
        match self {
            Area::OwaAuth => "/owa/auth",
            Area::OwaBuild => "/owa/<build>",
            Area::Exchweb => "/exchweb",
            Area::Owa => "/owa",
            Area::Exchange => "/exchange",
            Area::Public => "/public",
        }
    }
}

fn segment(p: &[u8]) -> &[u8] {
    let end = memchr::memchr(b'/', p).unwrap_or(p.len());
    &p[..end]
}

/// `8.1.240.6`, `14.3.123.4`, `15.2.595.3`: digits and dots, at least one dot.
fn is_build(seg: &[u8]) -> bool {
    seg.len() >= 3
        && seg[0].is_ascii_digit()
        && seg.contains(&b'.')
        && seg.iter().all(|b| b.is_ascii_digit() || *b == b'.')
}

/// One request, as the reader hands it over (values `None` when absent or `-`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub time: Option<i64>,
    pub method: Option<&'a [u8]>,
    pub stem: Option<&'a [u8]>,
    pub username: Option<&'a [u8]>,
    pub client_ip: Option<&'a [u8]>,
    pub status: Option<u64>,
    pub substatus: Option<u64>,
    pub win32: Option<u64>,
    pub computer: Option<&'a [u8]>,
    /// The log line (for examples) and its number.
    pub line: &'a [u8],
    pub number: u64,
}

/// A status signature on an area: who asked (anonymous or a user) and what IIS answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SigKey {
    pub area: Area,
    pub anonymous: bool,
    pub status: u16,
    pub substatus: u32,
    pub win32: u64,
}

impl SigKey {
    /// `401 1 1326`.
    pub fn triple(&self) -> String {
        format!("{} {} {}", self.status, self.substatus, self.win32)
    }

    /// A fault signature: any 401 on an anonymous request to a forms-logon path (those paths must be served
    /// anonymously), or a 404, 403 (other than 403.4, SSL required) 401.3 or 500 on an OWA virtual directory.
    pub fn is_fault(&self) -> bool {
        (self.anonymous && self.area.is_anonymous_path() && self.status == 401) || self.is_vdir_fault()
    }

    /// 404, 403.x (not 403.4), 401.3 or 500 on any OWA virtual directory.
    pub fn is_vdir_fault(&self) -> bool {
        match self.status {
            404 | 500 => true,
            403 => self.substatus != 4,
            401 => self.substatus == 3,
            _ => false,
        }
    }

    /// What IIS meant, in words (formats.md's table).
    pub fn meaning(&self) -> &'static str {
        match (self.status, self.substatus, self.win32) {
            (440, _, _) => "OWA forms session cookie missing, expired or refused",
            (401, 1, 1326) => "logon failure: unknown user name or bad password",
            (401, 1, 1327) => "logon failure: account restriction",
            (401, 1, 1328) => "logon failure: outside the allowed logon hours",
            (401, 1, 1329) => "logon failure: not allowed to log on to this computer (Log On To)",
            (401, 1, 1330) | (401, 1, 1907) => "logon failure: password expired",
            (401, 1, 1331) => "logon failure: account disabled",
            (401, 1, 1385) => "logon failure: logon type not granted (a deny logon right)",
            (401, 1, 1793) => "logon failure: account expired",
            (401, 1, 1909) => "logon failure: account locked out",
            (401, 1, 0) if !self.anonymous || !self.area.is_anonymous_path() => {
                "first leg of an NTLM/Negotiate handshake"
            }
            (401, 2, 2_148_074_254) if !self.anonymous || !self.area.is_anonymous_path() => {
                "first leg of an NTLM/Negotiate handshake"
            }
            (401, 2, _) => "the authentication method of the request is not enabled there (anonymous off?)",
            (401, 3, _) => "NTFS permissions deny access",
            (401, _, _) => "access denied",
            (403, 4, _) => "SSL required",
            (403, _, _) => "forbidden",
            (404, _, _) => "not found",
            (500, _, _) => "server error",
            (302, _, _) => "redirect",
            (304, _, _) => "not modified",
            (200..=299, _, _) => "success",
            _ => "",
        }
    }
}

/// One example log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    pub path: String,
    pub line: u64,
    pub excerpt: String,
}
