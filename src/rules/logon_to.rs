//! Rule `iusr-logon-workstations`.

use super::{inputs, Cause, Finding, Missing, Verdict};
use crate::facts::{names::Names, Facts};

pub fn evaluate(_facts: &Facts, _names: &Names) -> Finding {
    let mut f = Finding::new(
        Cause::IusrLogonWorkstations,
        Verdict::Unknown,
        "the inputs that would show this cause are not in the bundle",
    );
    for input in [&inputs::IIS_CONFIG, &inputs::ANONYMOUS_ACCOUNT] {
        f.missing.push(Missing::of(input, "needed to evaluate this cause"));
    }
    f
}
