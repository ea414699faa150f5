//! Batch analysis of many case bundles: every subfolder or .zip directly under a folder is one case.
//!
//! Cases run in parallel on one rayon pool (`--jobs`); the readers' own parallelism (files of a case, chunks of a
//! large log) runs on the same pool, so the cores are never oversubscribed. Each case's result is written as one
//! JSON line as soon as it finishes, so a killed run loses nothing already done and `--resume` skips those cases.

pub mod cases;
pub mod expect;
pub mod record;
pub mod run;
pub mod shard;
pub mod summary;

pub use cases::{list_cases, Case};
pub use record::CaseRecord;
pub use shard::Shard;
