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

mod evidence;
mod hash;
mod request;
#[cfg(test)]
mod tests;

pub use evidence::{ComputerName, Hour, LogEvidence, Onset, Signature, Tally};
pub use request::{Area, Example, Request, SigKey};

use hash::{id_hash, Fx};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

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
