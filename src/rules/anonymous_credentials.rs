//! Rule `anonymous-credentials`.

use super::{inputs, Cause, Finding, Missing, Verdict};
use crate::facts::{names::Names, Facts};

pub fn evaluate(_facts: &Facts, _names: &Names) -> Finding {
    let mut f = Finding::new(
        Cause::AnonymousCredentials,
        Verdict::Unknown,
        "the inputs that would show this cause are not in the bundle",
    );
    f.missing
        .push(Missing::of(&inputs::IIS_CONFIG, "needed to evaluate this cause"));
    f
}
