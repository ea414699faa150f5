//! What one synthetic case holds: its names, its platform and the causes planted in it.

use crate::logsynth::{self, Fault, Rng};
use crate::rules::Cause;

/// The Client Access server's platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Windows Server 2003, IIS 6 (metabase), Exchange 2007: owa, exchange, public and exchweb.
    Iis6,
    /// Windows Server 2008, IIS 7 (applicationHost.config), Exchange 2010: owa only.
    Iis7,
}

/// One synthetic case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder name: `case-NNNNN-<server>`.
    pub id: String,
    /// The server's NetBIOS name.
    pub server: String,
    /// The DNS domain (`fabrikam.com`).
    pub domain: String,
    pub platform: Platform,
    /// The OWA build folder.
    pub build: String,
    /// The anonymous account as IIS names it (`IUSR_CAS01`, or `FABRIKAM\IUSR_CAS01` for a domain account).
    pub anonymous: String,
    /// The causes the configuration shows; the log carries the first one's signature.
    pub planted: Vec<Cause>,
    /// The seed of the log.
    pub seed: u64,
    /// The log's first day (Unix seconds).
    pub start: i64,
}

const DOMAINS: &[&str] = &[
    "contoso.com",
    "fabrikam.com",
    "adatum.com",
    "northwindtraders.com",
    "tailspintoys.com",
    "woodgrovebank.com",
    "litwareinc.com",
    "proseware.com",
    "wingtiptoys.com",
    "fourthcoffee.com",
];
const SITES: &[&str] = &["", "NYC", "LON", "FRA", "SYD", "TOR", "HQ", "DC1", "AMS", "SGP"];
const ROLES: &[&str] = &["CAS", "EXCAS", "EXCH", "MAIL", "OWA", "EXHUB"];
const BUILDS_2007: &[&str] = &[
    "8.1.240.6",
    "8.1.263.1",
    "8.1.311.3",
    "8.1.336.1",
    "8.2.176.2",
    "8.3.83.6",
];
const BUILDS_2010: &[&str] = &["14.0.639.21", "14.1.218.13", "14.2.247.5", "14.3.123.4", "14.3.158.1"];

/// The causes of each kind of case: healthy, each cause alone, and two at once (the first in the log).
const KINDS: &[&[Cause]] = &[
    &[],
    &[Cause::OwaVirtualDirectories],
    &[Cause::AnonymousCredentials],
    &[Cause::AnonymousAccessDisabled],
    &[Cause::IusrLogonWorkstations],
    &[Cause::GuestsDenyLogonLocally],
    &[Cause::GuestsDenyNetworkAccess],
    &[],
    &[Cause::GuestsDenyNetworkAccess, Cause::AnonymousCredentials],
    &[Cause::AnonymousAccessDisabled, Cause::GuestsDenyLogonLocally],
    &[Cause::IusrLogonWorkstations, Cause::AnonymousAccessDisabled],
    &[Cause::AnonymousCredentials, Cause::OwaVirtualDirectories],
];

pub fn case(seed: u64, index: u64) -> Case {
    let mut rng = Rng((seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xD6E8_FEB8_6659_FD93) | 1);
    rng.next();
    let pick = |rng: &mut Rng, list: &[&'static str]| list[rng.below(list.len() as u64) as usize];
    let planted = KINDS[(index % KINDS.len() as u64) as usize].to_vec();
    let iis6_only = planted
        .iter()
        .any(|c| matches!(c, Cause::OwaVirtualDirectories | Cause::AnonymousCredentials));
    let platform = if iis6_only || rng.below(2) == 0 {
        Platform::Iis6
    } else {
        Platform::Iis7
    };
    let server = format!(
        "{}{}{:02}",
        pick(&mut rng, SITES),
        pick(&mut rng, ROLES),
        1 + rng.below(12)
    );
    let domain = pick(&mut rng, DOMAINS).to_string();
    let build = match platform {
        Platform::Iis6 => pick(&mut rng, BUILDS_2007),
        Platform::Iis7 => pick(&mut rng, BUILDS_2010),
    }
    .to_string();
    let local = format!("IUSR_{server}");
    let anonymous = if planted.contains(&Cause::IusrLogonWorkstations) {
        format!("{}\\{local}", netbios_domain(&domain))
    } else {
        local
    };
    Case {
        id: format!("case-{index:05}-{}", server.to_ascii_lowercase()),
        server,
        domain,
        platform,
        build,
        anonymous,
        planted,
        seed: rng.next(),
        start: 1_230_768_000 + 86_400 * rng.below(5 * 365) as i64, // 2009 to 2013
    }
}

/// `fabrikam.com` gives `FABRIKAM`.
pub fn netbios_domain(domain: &str) -> String {
    domain.split('.').next().unwrap_or(domain).to_ascii_uppercase()
}

impl Case {
    pub fn has(&self, cause: Cause) -> bool {
        self.planted.contains(&cause)
    }

    /// The anonymous account without its domain.
    pub fn anonymous_bare(&self) -> &str {
        self.anonymous.rsplit('\\').next().unwrap_or(&self.anonymous)
    }

    pub fn domain_netbios(&self) -> String {
        netbios_domain(&self.domain)
    }

    /// The log signature of the first planted cause.
    fn fault(&self) -> Option<Fault> {
        Some(match self.planted.first()? {
            Cause::OwaVirtualDirectories => Fault::ExchwebMissing,
            Cause::AnonymousCredentials => Fault::BadPassword,
            Cause::AnonymousAccessDisabled => Fault::AnonymousOff,
            Cause::IusrLogonWorkstations => Fault::LogonTo,
            Cause::GuestsDenyLogonLocally | Cause::GuestsDenyNetworkAccess => Fault::DenyLogon,
        })
    }

    /// The log's file name: `exYYMMDD.log` (IIS 6) or `u_exYYMMDD.log` (IIS 7).
    pub fn log_name(&self) -> String {
        let (y, m, d) = crate::facts::calendar::civil_from_days(self.start.div_euclid(86_400));
        let prefix = match self.platform {
            Platform::Iis6 => "ex",
            Platform::Iis7 => "u_ex",
        };
        format!("{prefix}{:02}{m:02}{d:02}.log", y % 100)
    }

    pub fn log_config(&self, bytes: u64) -> logsynth::Config {
        logsynth::Config {
            size: bytes,
            seed: self.seed,
            fault: self.fault(),
            fault_from: 0.6,
            restart_every: (bytes / 2).max(1),
            server: self.server.clone(),
            users: 500 + (self.seed % 4000) as u32,
            build: self.build.clone(),
            domain: self.domain.clone(),
            software: match self.platform {
                Platform::Iis6 => "Microsoft Internet Information Services 6.0",
                Platform::Iis7 => "Microsoft Internet Information Services 7.5",
            }
            .into(),
            start: self.start,
            ..logsynth::Config::default()
        }
    }
}
