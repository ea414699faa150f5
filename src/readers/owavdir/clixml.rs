//! placeholder
pub fn read(_t: &str, _p: &str) -> crate::readers::ReadOutput { crate::readers::ReadOutput::default() }
