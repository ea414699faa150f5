//! IIS configuration facts: the IIS 6 metabase and IIS 7+ applicationHost.config.

use super::{names::Named, Facts};
use serde::Serialize;

/// One IIS configuration file as read.
#[derive(Debug, Clone, Serialize)]
pub struct IisConfig {
    pub path: String,
    /// 6 for the metabase, 7 for applicationHost.config (IIS 7 and later).
    pub generation: u8,
}

/// The names the IIS configuration gives, each `None` when no IIS configuration says.
#[derive(Debug, Default)]
pub struct IisNames {
    pub server: Option<Named>,
    pub anonymous_account: Option<Named>,
    pub web_site: Option<Named>,
    pub site_id: Option<Named>,
    pub builds: Vec<Named>,
    pub generation: Option<u8>,
    pub logon_method: Option<Named>,
}

/// The names the IIS configuration of the bundle gives.
pub fn names(facts: &Facts) -> IisNames {
    IisNames {
        generation: facts.iis.first().map(|c| c.generation),
        ..IisNames::default()
    }
}
