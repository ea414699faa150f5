//! Reader for `net user` and `net localgroup` output (stub replaced below).
use super::ReadOutput;
pub fn read(_text: &str, _path: &str) -> ReadOutput {
    ReadOutput::default()
}
