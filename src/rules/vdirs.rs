//! Rule `owa-virtual-directories`.

use super::{inputs, Cause, Finding, Missing, Verdict};
use crate::facts::{names::Names, Facts};

pub fn evaluate(_facts: &Facts, _names: &Names) -> Finding {
    let mut f = Finding::new(
        Cause::OwaVirtualDirectories,
        Verdict::Unknown,
        "the inputs that would show this cause are not in the bundle",
    );
    for input in [&inputs::OWA_VDIRS, &inputs::IIS_CONFIG] {
        f.missing.push(Missing::of(input, "needed to evaluate this cause"));
    }
    f
}
