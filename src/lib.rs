//! owa440: offline analysis of "440 Login Timeout" bundles from Exchange 2007/2010 Client Access servers.
//!
//! Stages, one module each:
//! - [`bundle`]: walks a folder or a .zip, decodes text, recognises each file's kind by content.
//! - [`readers`]: one reader per input kind, turning bytes into located [`facts`]. Readers know nothing of rules.
//! - [`facts`]: the facts model every rule reads; each fact carries its source (file, line).
//! - [`rules`]: one pure function per cause, from facts to a finding with a verdict and evidence.
//! - [`procedures`]: the fix procedures as data, rendered with the bundle's real names.
//! - [`diagnosis`]: ties the stages together into one result.
//! - [`render`]: table, JSON and Markdown renderers of that one result.
//! - [`batch`]: many case bundles in parallel, resumable and shardable.
//! - [`cli`]: the command line.
//! - [`logsynth`]: synthetic Exchange logs for benchmarks and large-log tests (`genlog`).
//! - [`casesynth`]: synthetic customer bundles, a log from [`logsynth`] each, for the batch benchmark (`gencases`).

pub mod batch;
pub mod bundle;
pub mod casesynth;
pub mod cli;
pub mod diagnosis;
pub mod facts;
pub mod logsynth;
pub mod panic_message;
pub mod procedures;
pub mod readers;
pub mod render;
pub mod rules;
