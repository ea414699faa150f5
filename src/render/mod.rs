//! Renderers: every output format prints the same [`Diagnosis`](crate::diagnosis::Diagnosis).

pub mod json;
pub mod logs;
pub mod long_table;
pub mod markdown;
pub mod style;
pub mod table;

use clap::ValueEnum;

/// Output formats of `diagnose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Markdown,
}
