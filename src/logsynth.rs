//! Synthetic Exchange 2007 Client Access logs, deterministic from a seed, of any size: for benchmarks
//! (`benches/`, `benches/logs_throughput.sh`) and for tests that need a large log. `genlog` (src/bin/genlog.rs)
//! writes one to stdout.
//!
//! The traffic is the mix a busy Client Access server logs: ActiveSync (most of it), Outlook Anywhere
//! (`RPC_IN_DATA`/`RPC_OUT_DATA`), EWS and Autodiscover with NTLM first legs (`401 2 2148074254`, `401 1 0`),
//! and OWA: anonymous logon page and version-folder files, forms logons (`POST /owa/auth/owaauth.dll` → 302),
//! the signed-in mailbox, and idle 440s hours after a logon. Thousands of users and client IPs, hundreds of
//! distinct stems, and a new `#Software/#Version/#Date/#Fields` block every `restart_every` bytes (a service
//! restart), alternating the field list. A [`Fault`] from a point of the log on makes every anonymous
//! forms-logon request (logon page, version-folder files, owaauth.dll) fail with its signature; a missing exchweb
//! virtual directory instead answers `404 0 3` to the old bookmarks' requests for /exchweb.

use std::io::{self, Write};

/// A fault to inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `401 1 1326`: anonymous account password out of sync.
    BadPassword,
    /// `401 1 1385`: a deny logon right.
    DenyLogon,
    /// `401 1 1329`: Log On To.
    LogonTo,
    /// `401 2 5`: anonymous access off.
    AnonymousOff,
    /// `404 0 3` on /exchweb: the legacy virtual directory is missing.
    ExchwebMissing,
}

impl Fault {
    /// The status of the anonymous forms-logon requests under this fault (`None`: they succeed).
    fn logon_status(self) -> Option<(u32, u32, u64)> {
        match self {
            Fault::BadPassword => Some((401, 1, 1326)),
            Fault::DenyLogon => Some((401, 1, 1385)),
            Fault::LogonTo => Some((401, 1, 1329)),
            Fault::AnonymousOff => Some((401, 2, 5)),
            Fault::ExchwebMissing => None,
        }
    }

    pub fn parse(s: &str) -> Option<Fault> {
        Some(match s {
            "1326" => Fault::BadPassword,
            "1385" => Fault::DenyLogon,
            "1329" => Fault::LogonTo,
            "401.2" | "anonymous-off" => Fault::AnonymousOff,
            "404" | "exchweb-missing" => Fault::ExchwebMissing,
            _ => return None,
        })
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Approximate size in bytes (the last line may overshoot it).
    pub size: u64,
    pub seed: u64,
    pub fault: Option<Fault>,
    /// Where the fault starts, as a fraction of the log (0.0 to 1.0).
    pub fault_from: f64,
    /// A new header block after this many bytes.
    pub restart_every: u64,
    pub server: String,
    pub users: u32,
    /// Alternate two field lists from block to block (else every block repeats the IIS 7 default fields, as
    /// IIS does after a restart, which is what GoAccess's `--log-format=W3C` reads).
    pub mixed_layouts: bool,
    /// The OWA build folder (`/owa/<build>/...`).
    pub build: String,
    /// The DNS domain: users are `<DOMAIN>\userNNNNN`, host names end with it.
    pub domain: String,
    /// The `#Software:` directive.
    pub software: String,
    /// The first request's time (Unix seconds, UTC).
    pub start: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            size: 10 << 20,
            seed: 1,
            fault: None,
            fault_from: 0.5,
            restart_every: 64 << 20,
            server: "CAS01".into(),
            users: 5000,
            mixed_layouts: true,
            build: BUILD.into(),
            domain: "contoso.com".into(),
            software: "Microsoft Internet Information Services 7.0".into(),
            start: 1_714_521_600, // 2024-05-01 00:00:00
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub bytes: u64,
    pub lines: u64,
    pub requests: u64,
}

/// xorshift64*: small, fast and the same everywhere.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const BUILD: &str = "8.1.240.6";
const THEME_FILES: &[&str] = &[
    "lgntopl.gif",
    "lgntopm.gif",
    "lgntopr.gif",
    "lgnbotl.gif",
    "lgnbotm.gif",
    "lgnbotr.gif",
    "lgnexlogo.gif",
    "lgnleft.gif",
    "lgnright.gif",
    "clear1x1.gif",
    "icon-mail.png",
    "icon-cal.png",
    "icon-contact.png",
];
const AGENTS: &[&str] = &[
    "Mozilla/4.0+(compatible;+MSIE+7.0;+Windows+NT+5.1;+.NET+CLR+2.0.50727)",
    "Mozilla/5.0+(Windows;+U;+Windows+NT+6.0;+en-US;+rv:1.9.0.10)+Gecko/2009042316+Firefox/3.0.10",
    "Mozilla/4.0+(compatible;+MSIE+8.0;+Windows+NT+6.1;+Trident/4.0;+SLCC2)",
];
const LAYOUT_A: &str = "date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken";
const LAYOUT_B: &str = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

fn date_time(t: i64) -> String {
    crate::readers::w3c::format_time(t)
}

/// Writes a log of about `cfg.size` bytes.
pub fn generate(cfg: &Config, out: &mut impl Write) -> io::Result<Written> {
    let mut rng = Rng(cfg.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let start = cfg.start;
    let est_lines = (cfg.size / 230).max(1);
    let span: i64 = 86_400 * (1 + (cfg.size >> 30) as i64);
    let mut w = Written::default();
    let mut next_restart = 0u64;
    let mut block = 0u32;
    let mut line = String::with_capacity(512);
    let fault_at = (cfg.size as f64 * cfg.fault_from) as u64;
    while w.bytes < cfg.size {
        let t = start + (w.requests as i64 * span) / est_lines as i64;
        if w.bytes >= next_restart {
            let fields = if block.is_multiple_of(2) && cfg.mixed_layouts {
                LAYOUT_A
            } else {
                LAYOUT_B
            };
            let header = format!(
                "#Software: {}\r\n#Version: 1.0\r\n#Date: {}\r\n#Fields: {fields}\r\n",
                cfg.software,
                date_time(t)
            );
            out.write_all(header.as_bytes())?;
            w.bytes += header.len() as u64;
            w.lines += 4;
            next_restart += cfg.restart_every;
            block += 1;
        }
        let layout_a = !block.is_multiple_of(2) && cfg.mixed_layouts;
        let faulty = cfg.fault.filter(|_| w.bytes >= fault_at);
        line.clear();
        request(&mut rng, cfg, t, layout_a, faulty, &mut line);
        out.write_all(line.as_bytes())?;
        w.bytes += line.len() as u64;
        w.lines += 1;
        w.requests += 1;
    }
    Ok(w)
}

#[allow(clippy::too_many_arguments)]
fn push(
    line: &mut String,
    cfg: &Config,
    t: i64,
    layout_a: bool,
    method: &str,
    stem: &str,
    query: &str,
    user: &str,
    ip: &str,
    agent: &str,
    status: (u32, u32, u64),
    taken: u64,
) {
    use std::fmt::Write as _;
    let dt = date_time(t);
    let _ = if layout_a {
        write!(
            line,
            "{dt} W3SVC1 {} 10.0.0.5 {method} {stem} {query} 443 {user} {ip} {agent} {} {} {} {taken}\r\n",
            cfg.server, status.0, status.1, status.2
        )
    } else {
        write!(
            line,
            "{dt} 10.0.0.5 {method} {stem} {query} 443 {user} {ip} {agent} - {} {} {} {taken}\r\n",
            status.0, status.1, status.2
        )
    };
}

fn request(rng: &mut Rng, cfg: &Config, t: i64, layout_a: bool, fault: Option<Fault>, line: &mut String) {
    let u = rng.below(cfg.users as u64);
    let netbios = cfg.domain.split('.').next().unwrap_or("").to_ascii_uppercase();
    let user = format!("{netbios}\\user{u:05}");
    let ip = format!("10.{}.{}.{}", 20 + u / 65_536 % 200, u / 256 % 256, u % 256);
    let agent = AGENTS[(u % AGENTS.len() as u64) as usize];
    let taken = rng.below(2000);
    let ok = (200, 0, 0);
    let roll = rng.below(1000);
    let p = |line: &mut String, m: &str, s: &str, q: &str, who: &str, st: (u32, u32, u64)| {
        push(line, cfg, t, layout_a, m, s, q, who, &ip, agent, st, taken)
    };
    match roll {
        0..=449 => {
            let cmd = ["Sync", "Ping", "FolderSync", "SendMail", "ItemOperations"][(roll % 5) as usize];
            let q = format!(
                "Cmd={cmd}&User=user{u:05}&DeviceId=Appl{:010X}&DeviceType=iPhone",
                u * 7919
            );
            p(line, "POST", "/Microsoft-Server-ActiveSync/default.eas", &q, &user, ok)
        }
        450..=599 => {
            let m = if roll.is_multiple_of(2) {
                "RPC_IN_DATA"
            } else {
                "RPC_OUT_DATA"
            };
            let q = format!(
                "{}.{}:{}",
                cfg.server.to_ascii_lowercase(),
                cfg.domain,
                [6001, 6002, 6004][(roll % 3) as usize]
            );
            p(line, m, "/rpc/rpcproxy.dll", &q, &user, ok)
        }
        600..=679 => {
            // EWS with the NTLM first legs a healthy server logs.
            let (who, st) = match roll % 4 {
                0 => ("-", (401, 2, 2_148_074_254)),
                1 => ("-", (401, 1, 0)),
                _ => (user.as_str(), ok),
            };
            p(line, "POST", "/EWS/Exchange.asmx", "-", who, st)
        }
        680..=709 => p(line, "POST", "/Autodiscover/Autodiscover.xml", "-", &user, ok),
        710..=739 => {
            let q = format!("replaceCurrent=1&url=https%3a%2f%2fmail.{}%2fowa%2f", cfg.domain);
            if fault == Some(Fault::ExchwebMissing) {
                return p(line, "GET", "/exchweb/bin/auth/owalogon.asp", &q, "-", (404, 0, 3));
            }
            let st = fault.and_then(Fault::logon_status).unwrap_or(ok);
            p(line, "GET", "/owa/auth/logon.aspx", &q, "-", st)
        }
        740..=799 => {
            let f = THEME_FILES[rng.below(THEME_FILES.len() as u64) as usize];
            if fault == Some(Fault::ExchwebMissing) && roll.is_multiple_of(2) {
                return p(line, "GET", &format!("/exchweb/img/{f}"), "-", "-", (404, 0, 3));
            }
            let stem = format!("/owa/{}/themes/base/{f}", cfg.build);
            let st = fault
                .and_then(Fault::logon_status)
                .unwrap_or(if roll.is_multiple_of(3) { (304, 0, 0) } else { ok });
            p(line, "GET", &stem, "-", "-", st)
        }
        800..=819 => {
            let st = fault.and_then(Fault::logon_status).unwrap_or((302, 0, 0));
            p(line, "POST", "/owa/auth/owaauth.dll", "-", "-", st)
        }
        820..=824 => {
            // After a logon: refused at once under a fault, else an idle timeout hours later.
            p(line, "POST", "/owa/ev.owa", "oeh=1&ns=Notify&ev=Poll", "-", (440, 0, 0))
        }
        _ => {
            let id = rng.below(1_000_000);
            let (stem, q) = match roll % 4 {
                0 => ("/owa/".to_string(), "ae=Folder&t=IPF.Note".to_string()),
                1 => ("/owa/ev.owa".to_string(), format!("oeh=1&ns=Notify&ev=Poll&id={id}")),
                2 => (
                    "/owa/attachment.ashx".to_string(),
                    format!("attach=1&id=RgAAAAB{id:08}"),
                ),
                _ => (
                    format!(
                        "/owa/forms/basic/{}.aspx",
                        ["BasicEditMessage", "BasicReadMessage"][(id % 2) as usize]
                    ),
                    "-".to_string(),
                ),
            };
            p(
                line,
                if roll.is_multiple_of(3) { "POST" } else { "GET" },
                &stem,
                &q,
                &user,
                ok,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_log_and_about_the_size_asked() {
        let cfg = Config {
            size: 200_000,
            restart_every: 50_000,
            ..Config::default()
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let wa = generate(&cfg, &mut a).unwrap();
        generate(&cfg, &mut b).unwrap();
        assert_eq!(a, b);
        assert_eq!(wa.bytes, a.len() as u64);
        assert!(a.len() >= 200_000 && a.len() < 201_000);
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.matches("#Fields:").count(), 4);
        assert!(text.contains("RPC_IN_DATA") && text.contains("401 2 2148074254"));
    }
}
