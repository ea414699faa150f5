//! Readers of Get-OwaVirtualDirectory output in each form customers send it: Format-List text ([`list`]),
//! Export-Clixml ([`clixml`]), Export-Csv ([`csv`]) and ConvertTo-Json ([`json`]). Each turns its format into
//! [`record::Record`]s (property name, value, line); [`record::build`] makes the facts, the same way for all four.

pub mod clixml;
pub mod csv;
pub mod json;
pub mod list;
pub mod record;
