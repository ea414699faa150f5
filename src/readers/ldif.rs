//! placeholder
use super::ReadOutput;
pub fn read(_t: &str, _p: &str) -> ReadOutput {
    ReadOutput::default()
}
