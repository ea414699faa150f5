//! Readers for the IIS configuration: the IIS 6 metabase ([`metabase`]) and IIS 7+ applicationHost.config
//! ([`apphost`]), both giving one [`crate::facts::iis::IisConfig`] per file.

pub mod apphost;
pub mod metabase;
mod xml;

#[cfg(test)]
mod tests;
