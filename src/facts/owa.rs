//! Exchange's view of the OWA virtual directories (Get-OwaVirtualDirectory).

use serde::Serialize;

/// One OWA virtual directory object.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OwaVdir {
    /// `owa (Default Web Site)`.
    pub name: String,
}
