//! Symptom evidence from the W3C logs.

use super::SourceReport;
use crate::facts::{names::Names, Facts};

pub fn deny_logon(_facts: &Facts, _names: &Names, _interactive: bool) -> SourceReport {
    SourceReport::default()
}
pub fn anonymous_credentials(_facts: &Facts, _names: &Names) -> SourceReport {
    SourceReport::default()
}
pub fn anonymous_access(_facts: &Facts, _names: &Names) -> SourceReport {
    SourceReport::default()
}
pub fn logon_to(_facts: &Facts, _names: &Names) -> SourceReport {
    SourceReport::default()
}
pub fn vdirs(_facts: &Facts, _names: &Names) -> SourceReport {
    SourceReport::default()
}
