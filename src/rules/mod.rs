//! The rules: one pure function per cause, from [`Facts`] and [`Names`] to a [`Finding`].
//! Rules never open a file. Every cause is always evaluated, so every cause id is always in the output.

pub mod cause;
pub mod evidence;
pub mod inputs;
pub mod verdict;

mod anonymous_access;
mod anonymous_credentials;
mod guests;
mod logon_to;
pub mod symptoms;
mod vdirs;

pub use cause::Cause;
pub use evidence::{Evidence, EvidenceKind, Finding, Missing};
pub use verdict::Verdict;

use crate::facts::{names::Names, Facts};

/// Evaluates every cause, in the order of the procedures (see [`Cause::ALL`]).
pub fn evaluate(facts: &Facts, names: &Names) -> Vec<Finding> {
    Cause::ALL
        .iter()
        .map(|&cause| match cause {
            Cause::OwaVirtualDirectories => vdirs::evaluate(facts, names),
            Cause::AnonymousCredentials => anonymous_credentials::evaluate(facts, names),
            Cause::AnonymousAccessDisabled => anonymous_access::evaluate(facts, names),
            Cause::IusrLogonWorkstations => logon_to::evaluate(facts, names),
            Cause::GuestsDenyLogonLocally => guests::evaluate(facts, names, guests::Right::Interactive),
            Cause::GuestsDenyNetworkAccess => guests::evaluate(facts, names, guests::Right::Network),
        })
        .collect()
}
