//! Evidence from W3C IIS logs, computed in one pass per file.
//!
//! [`LogStats`] takes requests one by one ([`LogStats::add`]) and merges with the stats of a later part of the
//! same file or of a later file ([`LogStats::merge`]); [`LogStats::finish`] gives the [`LogEvidence`] the rules
//! read. Memory grows with the number of distinct signatures, users, client IPs and hours, never with the number of
//! requests; each of those tallies is capped (see [`MAX_KEYS`]).
//!
//! What counts, as causes.md puts it: a 440 alone proves little (every idle session ends in one). What separates a
//! broken server is a 401.x on ANONYMOUS requests to the forms-based-authentication pages and the version folder,
//! 404/403/401.3/500 on the OWA virtual directories, and 440s that hit users right after they logged on.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher (the Fx hash of rustc) for the tallies' small keys: log content cannot
/// choose its way into a slow path that matters here, and SipHash was a tenth of the scan time.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fx = BuildHasherDefault<FxHasher>;

/// The case-insensitive hash of a user name or client IP, for distinct counts.
#[inline]
fn id_hash(v: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    for chunk in v.chunks(8) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        h.write_u64(u64::from_le_bytes(b) | 0x2020_2020_2020_2020 & ascii_letters(&b));
    }
    h.write_usize(v.len());
    h.finish()
}

/// 0x20 in each byte of `b` that is an ASCII letter (so that OR-ing it lower-cases the letters only).
#[inline]
fn ascii_letters(b: &[u8; 8]) -> u64 {
    let mut m = 0u64;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_alphabetic() {
            m |= 0x20 << (8 * i);
        }
    }
    m
}

/// A 440 this soon after the same user's (or client IP's) successful forms logon is "soon after logon": the
/// session cookie was refused at once, which is the broken-server pattern. Five minutes: OWA's shortest
/// session timeout (public computer) is 15 minutes, so a genuine timeout cannot come this soon, while a client
/// retrying after a refused cookie does so within seconds.
pub const SOON_AFTER_LOGON_SECS: i64 = 300;

/// Caps on distinct keys per tally (users, client IPs, logons tracked); beyond them new keys are counted as "others".
pub const MAX_KEYS: usize = 100_000;
/// Distinct users and client IPs counted per signature.
const MAX_SIG_KEYS: usize = 10_000;
/// Example lines kept per signature.
pub const EXAMPLES: usize = 3;
/// The longest excerpt kept of a log line.
const EXCERPT: usize = 400;
/// How many top users and client IPs the evidence lists.
pub const TOP: usize = 10;

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

#[derive(Debug, Clone, Default)]
struct SigStats {
    count: u64,
    first: Option<i64>,
    last: Option<i64>,
    users: HashSet<u64, Fx>,
    ips: HashSet<u64, Fx>,
    examples: Vec<Example>,
}

/// 440s and 401s in one hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HourCounts {
    #[serde(rename = "440")]
    pub s440: u64,
    /// 401s on anonymous requests to the forms-logon paths (a fault).
    pub anonymous_401: u64,
    /// Other 401s on OWA (handshakes, users' bad passwords).
    pub other_401: u64,
}

#[derive(Debug, Clone, Default)]
struct UserTally {
    shown: Box<str>,
    s440: u64,
    soon: u64,
}

/// A 440's user and client IP (lower-cased), either absent.
type WhoKey = (Option<Box<str>>, Option<Box<str>>);

/// A 440 whose logon may be in an earlier part of the log.
#[derive(Debug, Clone)]
struct Pending {
    time: i64,
    user: Option<Box<str>>,
    ip: Option<Box<str>>,
}

/// The running tally of one or more log files (or parts of one).
#[derive(Debug, Clone, Default)]
pub struct LogStats {
    pub path: String,
    records: u64,
    owa_requests: u64,
    first: Option<i64>,
    last: Option<i64>,
    /// Time of the first request of this part (440s near it may belong to a logon in the part before).
    part_first: Option<i64>,
    computers: Vec<(String, u64)>,
    last_computer: Vec<u8>,
    sigs: HashMap<SigKey, SigStats, Fx>,
    hours: BTreeMap<i64, HourCounts>,
    users: HashMap<Box<str>, UserTally, Fx>,
    ips: HashMap<Box<str>, u64, Fx>,
    others: u64,
    logon_by_user: HashMap<Box<str>, i64, Fx>,
    logon_by_ip: HashMap<Box<str>, i64, Fx>,
    pending: Vec<Pending>,
    /// 440s later in this part with no logon before them in it, by (user, client IP): a logon in an earlier
    /// part makes them idle timeouts, else no logon was seen.
    unmatched: HashMap<WhoKey, u64, Fx>,
    timeouts: SessionTimeouts,
    last_ok_anonymous: Option<i64>,
}

/// The 440s, by what came before them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SessionTimeouts {
    pub total: u64,
    /// Within [`SOON_AFTER_LOGON_SECS`] of the user's (or client IP's) successful forms logon: the fault pattern.
    pub soon_after_logon: u64,
    /// Later than that after a logon: a genuine idle timeout.
    pub after_idle: u64,
    /// No logon of that user or client IP in the logs (the session began before the logs).
    pub no_logon_seen: u64,
    pub window_seconds: i64,
}

fn lossy(v: &[u8]) -> Box<str> {
    String::from_utf8_lossy(v).into()
}

fn key(v: &[u8]) -> Box<str> {
    String::from_utf8_lossy(v).to_lowercase().into()
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// A successful forms logon: `POST` to owaauth.dll (or auth.owa) answered 302.
fn is_logon(r: &Request<'_>) -> bool {
    r.status == Some(302)
        && r.method.is_some_and(|m| m.eq_ignore_ascii_case(b"POST"))
        && r.stem.is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.ends_with(b"/owaauth.dll") || s.ends_with(b"/auth.owa")
        })
}

impl LogStats {
    pub fn new(path: &str) -> LogStats {
        LogStats {
            path: path.to_string(),
            ..LogStats::default()
        }
    }

    /// Counts one request.
    #[inline]
    pub fn add(&mut self, r: &Request<'_>) {
        self.add_other(r.time, r.computer, r.number);
        let Some(area) = r.stem.and_then(Area::classify) else {
            return;
        };
        self.owa(area, r);
    }

    /// Counts one request whose stem is already known to be in `area`.
    #[inline]
    pub fn add_in(&mut self, area: Area, r: &Request<'_>) {
        self.add_other(r.time, r.computer, r.number);
        self.owa(area, r);
    }

    /// Counts a request known to be outside the OWA virtual directories (see [`Area::classify`]): only its time
    /// and server name matter. The reader calls this for most lines of a Client Access log (ActiveSync, RPC, EWS)
    /// without reading their other fields.
    #[inline]
    pub fn add_other(&mut self, time: Option<i64>, computer: Option<&[u8]>, number: u64) {
        self.records += 1;
        if let Some(t) = time {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
            if self.part_first.is_none() {
                self.part_first = time;
            }
        }
        if let Some(c) = computer {
            if c != self.last_computer.as_slice() {
                self.computer(c, number);
            }
        }
    }

    #[cold]
    fn computer(&mut self, c: &[u8], line: u64) {
        self.last_computer = c.to_vec();
        let name = String::from_utf8_lossy(c).into_owned();
        if !self.computers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            self.computers.push((name, line));
        }
    }

    fn owa(&mut self, area: Area, r: &Request<'_>) {
        self.owa_requests += 1;
        let anonymous = r.username.is_none();
        let status = r.status.unwrap_or(0);
        if is_logon(r) {
            if let Some(t) = r.time {
                if let Some(ip) = r.client_ip {
                    bounded_insert(&mut self.logon_by_ip, key(ip), t);
                }
                if let Some(u) = r.username {
                    bounded_insert(&mut self.logon_by_user, key(u), t);
                }
            }
        }
        if anonymous && area.is_anonymous_path() && (200..400).contains(&status) {
            self.last_ok_anonymous = max_opt(self.last_ok_anonymous, r.time);
        }
        let hour = r.time.map(|t| t - t.rem_euclid(3600));
        if status == 440 {
            self.session_timeout(r);
            if let Some(h) = hour {
                self.hours.entry(h).or_default().s440 += 1;
            }
        } else if status == 401 {
            if let Some(h) = hour {
                let c = self.hours.entry(h).or_default();
                if anonymous && area.is_anonymous_path() {
                    c.anonymous_401 += 1;
                } else {
                    c.other_401 += 1;
                }
            }
        }
        let sig = SigKey {
            area,
            anonymous,
            status: status.min(u16::MAX as u64) as u16,
            substatus: r.substatus.unwrap_or(0).min(u32::MAX as u64) as u32,
            win32: r.win32.unwrap_or(0),
        };
        let fault = sig.is_fault();
        if (anonymous && area.is_anonymous_path()) || status >= 400 {
            self.signature(sig, r);
        }
        if fault {
            if let Some(ip) = r.client_ip {
                self.tally_ip(ip);
            }
        }
    }

    fn tally_ip(&mut self, ip: &[u8]) {
        // An address already in lower case (most are) is looked up as it is, without a copy.
        let plain = ip.is_ascii() && !ip.iter().any(u8::is_ascii_uppercase);
        let found = match std::str::from_utf8(ip) {
            Ok(text) if plain => self.ips.get_mut(text),
            _ => self.ips.get_mut(&*key(ip)),
        };
        if let Some(n) = found {
            *n += 1;
        } else if self.ips.len() < MAX_KEYS {
            self.ips.insert(key(ip), 1);
        } else {
            self.others += 1;
        }
    }

    fn signature(&mut self, sig: SigKey, r: &Request<'_>) {
        let s = self.sigs.entry(sig).or_default();
        s.count += 1;
        s.first = min_opt(s.first, r.time);
        s.last = max_opt(s.last, r.time);
        if let Some(u) = r.username {
            if s.users.len() < MAX_SIG_KEYS {
                s.users.insert(id_hash(u));
            }
        }
        if let Some(ip) = r.client_ip {
            if s.ips.len() < MAX_SIG_KEYS {
                s.ips.insert(id_hash(ip));
            }
        }
        if s.examples.len() < EXAMPLES {
            let text = String::from_utf8_lossy(r.line);
            let excerpt: String = crate::readers::w3c::redact(&text).chars().take(EXCERPT).collect();
            s.examples.push(Example {
                path: self.path.clone(),
                line: r.number,
                excerpt,
            });
        }
    }

    fn session_timeout(&mut self, r: &Request<'_>) {
        self.timeouts.total += 1;
        let user = r.username.map(key);
        let ip = r.client_ip.map(key);
        // The tally is by user where the log names one, else by client IP.
        let who = r.username.or(r.client_ip).map(|w| (key(w), lossy(w)));
        if let Some((k, shown)) = &who {
            if let Some(u) = self.users.get_mut(k) {
                u.s440 += 1;
            } else if self.users.len() < MAX_KEYS {
                self.users.insert(
                    k.clone(),
                    UserTally {
                        shown: shown.clone(),
                        s440: 1,
                        soon: 0,
                    },
                );
            }
        }
        if let Some(ip) = r.client_ip {
            self.tally_ip(ip);
        }
        let logon = max_opt(
            user.as_ref().and_then(|u| self.logon_by_user.get(u).copied()),
            ip.as_ref().and_then(|i| self.logon_by_ip.get(i).copied()),
        );
        let Some(t) = r.time else {
            self.timeouts.no_logon_seen += 1;
            return;
        };
        match logon {
            Some(l) => self.classify(t, l, who.map(|w| w.0)),
            None => {
                let near_start = self.part_first.is_some_and(|f| t - f <= SOON_AFTER_LOGON_SECS);
                if near_start && self.pending.len() < MAX_KEYS {
                    self.pending.push(Pending {
                        time: t,
                        user: who.map(|w| w.0),
                        ip,
                    });
                } else {
                    let k = (user, ip);
                    if let Some(n) = self.unmatched.get_mut(&k) {
                        *n += 1;
                    } else if self.unmatched.len() < MAX_KEYS {
                        self.unmatched.insert(k, 1);
                    } else {
                        self.timeouts.no_logon_seen += 1;
                    }
                }
            }
        }
    }

    fn classify(&mut self, t: i64, logon: i64, who: Option<Box<str>>) {
        if t >= logon && t - logon <= SOON_AFTER_LOGON_SECS {
            self.timeouts.soon_after_logon += 1;
            if let Some(u) = who.and_then(|w| self.users.get_mut(&w)) {
                u.soon += 1;
            }
        } else {
            self.timeouts.after_idle += 1;
        }
    }

    /// Moves every line number `n` lines on (the stats of a range counted lines from the range's start).
    pub fn shift_lines(&mut self, n: u64) {
        for (_, line) in &mut self.computers {
            *line += n;
        }
        for s in self.sigs.values_mut() {
            for e in &mut s.examples {
                e.line += n;
            }
        }
    }

    /// Adds the stats of a LATER part of the same file, or of a later file: 440s at its start are matched with
    /// logons of this one.
    pub fn merge(&mut self, later: LogStats) {
        for p in later.pending {
            let logon = max_opt(
                p.user.as_ref().and_then(|u| self.logon_by_user.get(u).copied()),
                p.ip.as_ref().and_then(|i| self.logon_by_ip.get(i).copied()),
            );
            match logon {
                Some(l) => {
                    // The tally of `later` is merged below; count its soon-after-logon there.
                    if p.time >= l && p.time - l <= SOON_AFTER_LOGON_SECS {
                        self.timeouts.soon_after_logon += 1;
                        if let Some(w) = &p.user {
                            self.users.entry(w.clone()).or_default().soon += 1;
                        }
                    } else {
                        self.timeouts.after_idle += 1;
                    }
                }
                None => self.timeouts.no_logon_seen += 1,
            }
        }
        for ((user, ip), n) in later.unmatched {
            let logon = user.as_ref().is_some_and(|u| self.logon_by_user.contains_key(u))
                || ip.as_ref().is_some_and(|i| self.logon_by_ip.contains_key(i));
            if logon {
                self.timeouts.after_idle += n;
            } else {
                self.timeouts.no_logon_seen += n;
            }
        }
        self.records += later.records;
        self.owa_requests += later.owa_requests;
        self.first = min_opt(self.first, later.first);
        self.last = max_opt(self.last, later.last);
        if self.part_first.is_none() {
            self.part_first = later.part_first;
        }
        for (name, line) in later.computers {
            if !self.computers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                self.computers.push((name, line));
            }
        }
        for (k, s) in later.sigs {
            let mine = self.sigs.entry(k).or_default();
            mine.count += s.count;
            mine.first = min_opt(mine.first, s.first);
            mine.last = max_opt(mine.last, s.last);
            for u in s.users {
                if mine.users.len() < MAX_SIG_KEYS {
                    mine.users.insert(u);
                }
            }
            for i in s.ips {
                if mine.ips.len() < MAX_SIG_KEYS {
                    mine.ips.insert(i);
                }
            }
            let room = EXAMPLES.saturating_sub(mine.examples.len());
            mine.examples.extend(s.examples.into_iter().take(room));
        }
        for (h, c) in later.hours {
            let mine = self.hours.entry(h).or_default();
            mine.s440 += c.s440;
            mine.anonymous_401 += c.anonymous_401;
            mine.other_401 += c.other_401;
        }
        for (k, u) in later.users {
            let full = self.users.len() >= MAX_KEYS;
            match self.users.get_mut(&k) {
                Some(m) => {
                    m.s440 += u.s440;
                    m.soon += u.soon;
                    if m.shown.is_empty() {
                        m.shown = u.shown;
                    }
                }
                None if !full => {
                    self.users.insert(k, u);
                }
                None => {}
            }
        }
        for (k, n) in later.ips {
            let full = self.ips.len() >= MAX_KEYS;
            match self.ips.get_mut(&k) {
                Some(m) => *m += n,
                None if !full => {
                    self.ips.insert(k, n);
                }
                None => self.others += n,
            }
        }
        self.others += later.others;
        for (k, t) in later.logon_by_user {
            let e = self.logon_by_user.entry(k).or_insert(t);
            *e = (*e).max(t);
        }
        for (k, t) in later.logon_by_ip {
            let e = self.logon_by_ip.entry(k).or_insert(t);
            *e = (*e).max(t);
        }
        self.timeouts.total += later.timeouts.total;
        self.timeouts.soon_after_logon += later.timeouts.soon_after_logon;
        self.timeouts.after_idle += later.timeouts.after_idle;
        self.timeouts.no_logon_seen += later.timeouts.no_logon_seen;
        self.last_ok_anonymous = max_opt(self.last_ok_anonymous, later.last_ok_anonymous);
    }

    /// The evidence of everything added and merged so far.
    pub fn finish(mut self) -> LogEvidence {
        // 440s near the start with no earlier part to look in: no logon seen.
        self.timeouts.no_logon_seen += self.pending.len() as u64 + self.unmatched.values().sum::<u64>();
        self.timeouts.window_seconds = SOON_AFTER_LOGON_SECS;
        let last_ok = self.last_ok_anonymous;
        let mut signatures: Vec<Signature> = self
            .sigs
            .into_iter()
            .map(|(k, s)| Signature {
                area: k.area,
                path: k.area.path(),
                anonymous: k.anonymous,
                status: k.status,
                substatus: k.substatus,
                win32: k.win32,
                meaning: k.meaning(),
                fault: k.is_fault(),
                count: s.count,
                first_seen: s.first.map(crate::readers::w3c::format_time),
                last_seen: s.last.map(crate::readers::w3c::format_time),
                first_time: s.first,
                last_time: s.last,
                users: s.users.len() as u64,
                client_ips: s.ips.len() as u64,
                still_going: k.is_fault() && s.last.is_some() && s.last >= last_ok,
                examples: s.examples,
            })
            .collect();
        signatures.sort_by(|a, b| {
            b.fault
                .cmp(&a.fault)
                .then(b.count.cmp(&a.count))
                .then(a.key().cmp(&b.key()))
        });
        let onset = signatures
            .iter()
            .filter(|s| s.fault && s.first_time.is_some())
            .min_by_key(|s| (s.first_time, s.examples.first().map(|e| e.line)))
            .map(|s| Onset {
                time: s.first_seen.clone().unwrap_or_default(),
                signature: s.triple(),
                path: s.path,
                anonymous: s.anonymous,
                example: s.examples.first().cloned(),
            });
        let still_going = signatures.iter().any(|s| s.still_going);
        let mut users: Vec<Tally> = self
            .users
            .into_values()
            .map(|u| Tally {
                name: u.shown.into(),
                count: u.s440,
                soon_after_logon: Some(u.soon),
            })
            .collect();
        users.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        let distinct_users = users.len() as u64;
        users.truncate(TOP);
        let mut ips: Vec<Tally> = self
            .ips
            .into_iter()
            .map(|(k, n)| Tally {
                name: k.into(),
                count: n,
                soon_after_logon: None,
            })
            .collect();
        ips.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        let distinct_ips = ips.len() as u64;
        ips.truncate(TOP);
        LogEvidence {
            path: self.path,
            records: self.records,
            owa_requests: self.owa_requests,
            first_seen: self.first.map(crate::readers::w3c::format_time),
            last_seen: self.last.map(crate::readers::w3c::format_time),
            computer_names: self
                .computers
                .into_iter()
                .map(|(name, line)| ComputerName { name, line })
                .collect(),
            signatures,
            session_timeouts: self.timeouts,
            affected_users: distinct_users,
            affected_client_ips: distinct_ips,
            top_users: users,
            top_client_ips: ips,
            onset,
            still_going,
            hourly: self
                .hours
                .into_iter()
                .map(|(h, counts)| Hour {
                    hour: crate::readers::w3c::format_time(h)[..13].to_string() + ":00",
                    start: h,
                    counts,
                })
                .collect(),
        }
    }
}

fn bounded_insert(map: &mut HashMap<Box<str>, i64, Fx>, k: Box<str>, t: i64) {
    if let Some(v) = map.get_mut(&k) {
        *v = (*v).max(t);
    } else if map.len() < MAX_KEYS {
        map.insert(k, t);
    }
}

/// One signature's tally.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub area: Area,
    /// The area as a path (`/owa/auth`).
    pub path: &'static str,
    /// True for requests without a user name (`cs-username` `-`).
    pub anonymous: bool,
    pub status: u16,
    pub substatus: u32,
    pub win32: u64,
    pub meaning: &'static str,
    /// A fault signature (see [`SigKey::is_fault`]).
    pub fault: bool,
    pub count: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    #[serde(skip)]
    pub first_time: Option<i64>,
    #[serde(skip)]
    pub last_time: Option<i64>,
    /// Distinct users (0 for anonymous requests) and client IPs, counted up to 10,000.
    pub users: u64,
    pub client_ips: u64,
    /// A fault not followed by any successful anonymous request to the forms-logon paths: still failing at the end.
    pub still_going: bool,
    pub examples: Vec<Example>,
}

impl Signature {
    pub fn key(&self) -> SigKey {
        SigKey {
            area: self.area,
            anonymous: self.anonymous,
            status: self.status,
            substatus: self.substatus,
            win32: self.win32,
        }
    }
    /// `401 1 1326`.
    pub fn triple(&self) -> String {
        self.key().triple()
    }
}

/// The first fault signature.
#[derive(Debug, Clone, Serialize)]
pub struct Onset {
    pub time: String,
    pub signature: String,
    pub path: &'static str,
    pub anonymous: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
}

/// A user or client IP and how often it was hit.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub name: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soon_after_logon: Option<u64>,
}

/// An `s-computername` value and the line it was first seen on.
#[derive(Debug, Clone, Serialize)]
pub struct ComputerName {
    pub name: String,
    pub line: u64,
}

/// One hour of the timeline (UTC, as IIS logs).
#[derive(Debug, Clone, Serialize)]
pub struct Hour {
    /// `YYYY-MM-DD HH:00`.
    pub hour: String,
    #[serde(skip)]
    pub start: i64,
    #[serde(flatten)]
    pub counts: HourCounts,
}

/// What one log file (or, for `owa440 logs`, several) shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogEvidence {
    pub path: String,
    pub records: u64,
    /// Requests to /owa, /exchange, /public and /exchweb.
    pub owa_requests: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// `s-computername` values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub computer_names: Vec<ComputerName>,
    /// Every status on anonymous requests to the forms-logon paths, and every 4xx/5xx on OWA; faults first.
    pub signatures: Vec<Signature>,
    pub session_timeouts: SessionTimeouts,
    /// Distinct users (or client IPs where no user is logged) that got a 440.
    pub affected_users: u64,
    /// Distinct client IPs that got a 440 or a fault signature.
    pub affected_client_ips: u64,
    pub top_users: Vec<Tally>,
    pub top_client_ips: Vec<Tally>,
    /// The first fault signature.
    pub onset: Option<Onset>,
    /// A fault signature is still failing at the end of the logs.
    pub still_going: bool,
    /// 440s and 401s on OWA per hour (hours with none left out).
    pub hourly: Vec<Hour>,
}

impl LogEvidence {
    /// True when the log holds requests to the OWA virtual directories (so it could show their signatures).
    pub fn has_owa_traffic(&self) -> bool {
        self.owa_requests > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_counts_ignore_case() {
        assert_eq!(id_hash(b"CONTOSO\\Ann"), id_hash(b"contoso\\ann"));
        assert_ne!(id_hash(b"contoso\\ann"), id_hash(b"contoso\\bob"));
        assert_ne!(id_hash(b"10.0.0.1"), id_hash(b"10.0.0.1\0"));
    }

    #[test]
    fn areas_by_path() {
        assert_eq!(Area::classify(b"/owa/auth/logon.aspx"), Some(Area::OwaAuth));
        assert_eq!(Area::classify(b"/OWA/Auth/owaauth.dll"), Some(Area::OwaAuth));
        assert_eq!(Area::classify(b"/owa/auth.owa"), Some(Area::OwaAuth));
        assert_eq!(
            Area::classify(b"/owa/8.1.240.6/themes/base/lgntopl.gif"),
            Some(Area::OwaBuild)
        );
        assert_eq!(Area::classify(b"/owa/"), Some(Area::Owa));
        assert_eq!(Area::classify(b"/owa"), Some(Area::Owa));
        assert_eq!(Area::classify(b"/owa/ev.owa"), Some(Area::Owa));
        assert_eq!(Area::classify(b"/exchweb/bin/auth/owaauth.dll"), Some(Area::Exchweb));
        assert_eq!(Area::classify(b"/Exchange/ann"), Some(Area::Exchange));
        assert_eq!(Area::classify(b"/public"), Some(Area::Public));
        assert_eq!(Area::classify(b"/owafoo"), None);
        assert_eq!(Area::classify(b"/EWS/Exchange.asmx"), None);
        assert_eq!(Area::classify(b"/Microsoft-Server-ActiveSync"), None);
        assert_eq!(Area::classify(b"/"), None);
    }

    fn req<'a>(
        t: i64,
        method: &'a str,
        stem: &'a str,
        user: Option<&'a str>,
        ip: &'a str,
        status: (u64, u64, u64),
    ) -> Request<'a> {
        Request {
            time: Some(t),
            method: Some(method.as_bytes()),
            stem: Some(stem.as_bytes()),
            username: user.map(str::as_bytes),
            client_ip: Some(ip.as_bytes()),
            status: Some(status.0),
            substatus: Some(status.1),
            win32: Some(status.2),
            computer: None,
            line: b"line",
            number: t as u64,
        }
    }

    #[test]
    fn a_440_soon_after_logon_is_told_from_an_idle_timeout() {
        let mut s = LogStats::new("x.log");
        s.add(&req(
            1000,
            "POST",
            "/owa/auth/owaauth.dll",
            None,
            "10.0.0.1",
            (302, 0, 0),
        ));
        s.add(&req(1010, "GET", "/owa/", None, "10.0.0.1", (440, 0, 0)));
        s.add(&req(
            1000,
            "POST",
            "/owa/auth/owaauth.dll",
            None,
            "10.0.0.2",
            (302, 0, 0),
        ));
        s.add(&req(
            1000 + 3 * 3600,
            "GET",
            "/owa/",
            Some("CONTOSO\\bob"),
            "10.0.0.2",
            (440, 0, 0),
        ));
        let e = s.finish();
        assert_eq!(
            (
                e.session_timeouts.total,
                e.session_timeouts.soon_after_logon,
                e.session_timeouts.after_idle
            ),
            (2, 1, 1)
        );
        assert_eq!(e.hourly.len(), 2);
        assert!(e.onset.is_none(), "a 440 is not a fault signature");
    }

    #[test]
    fn merging_parts_matches_440s_with_logons_of_the_part_before() {
        let mut a = LogStats::new("x.log");
        a.add(&req(
            1000,
            "POST",
            "/owa/auth/owaauth.dll",
            None,
            "10.0.0.1",
            (302, 0, 0),
        ));
        let mut b = LogStats::new("x.log");
        b.add(&req(1020, "GET", "/owa/", None, "10.0.0.1", (440, 0, 0)));
        b.add(&req(1030, "GET", "/owa/", None, "10.0.0.9", (440, 0, 0)));
        a.merge(b);
        let e = a.finish();
        assert_eq!(e.session_timeouts.soon_after_logon, 1);
        assert_eq!(e.session_timeouts.no_logon_seen, 1);
        assert_eq!(e.top_users[0].soon_after_logon, Some(1));
    }

    #[test]
    fn faults_onset_and_still_going() {
        let mut s = LogStats::new("x.log");
        s.add(&req(100, "GET", "/owa/auth/logon.aspx", None, "10.0.0.1", (200, 0, 0)));
        s.add(&req(
            200,
            "GET",
            "/owa/auth/logon.aspx",
            None,
            "10.0.0.1",
            (401, 1, 1326),
        ));
        s.add(&req(
            300,
            "GET",
            "/owa/8.1.240.6/x.gif",
            None,
            "10.0.0.2",
            (401, 1, 1326),
        ));
        s.add(&req(
            400,
            "GET",
            "/owa/",
            Some("a"),
            "10.0.0.2",
            (401, 2, 2_148_074_254),
        ));
        let e = s.finish();
        let onset = e.onset.as_ref().unwrap();
        assert_eq!((onset.signature.as_str(), onset.path), ("401 1 1326", "/owa/auth"));
        assert!(e.still_going);
        assert!(e.signatures[0].fault);
        let handshake = e
            .signatures
            .iter()
            .find(|s| s.status == 401 && s.substatus == 2)
            .unwrap();
        assert!(!handshake.fault, "a user's NTLM first leg is not a fault");
        assert_eq!(e.affected_client_ips, 2);
    }
}
