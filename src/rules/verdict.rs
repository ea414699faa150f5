//! The verdict vocabulary and how configuration and symptom evidence combine into a verdict.

use serde::Serialize;

/// `confirmed | likely | ruled-out | unknown` (the JSON contract's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Configuration shows the fault AND logs or events show its signature.
    Confirmed,
    /// Only one of the two kinds of evidence shows it.
    Likely,
    /// The inputs that could show it are present, readable, and show no fault.
    RuledOut,
    /// The inputs needed are missing or unreadable.
    Unknown,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Likely => "likely",
            Verdict::RuledOut => "ruled-out",
            Verdict::Unknown => "unknown",
        }
    }
    /// Confirmed or likely: the cause goes into the plan and the exit code is 1.
    pub fn is_positive(self) -> bool {
        matches!(self, Verdict::Confirmed | Verdict::Likely)
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// What the configuration inputs say about a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Config {
    Fault,
    Clean,
    Unknown,
}

/// What the symptom inputs (logs, events) say about a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symptom {
    /// The cause's signature is there.
    Seen,
    /// Inputs that would show the signature are there, and it is not.
    NotSeen,
    /// No input that could show it.
    NoInput,
}

/// Combines the two kinds of evidence (causes.md, "Verdicts").
pub fn combine(config: Config, symptom: Symptom) -> Verdict {
    match (config, symptom) {
        (Config::Fault, Symptom::Seen) => Verdict::Confirmed,
        (Config::Fault, _) | (_, Symptom::Seen) => Verdict::Likely,
        (Config::Clean, _) => Verdict::RuledOut,
        (Config::Unknown, _) => Verdict::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_confirm_one_kind_is_likely() {
        assert_eq!(combine(Config::Fault, Symptom::Seen), Verdict::Confirmed);
        assert_eq!(combine(Config::Fault, Symptom::NoInput), Verdict::Likely);
        assert_eq!(combine(Config::Fault, Symptom::NotSeen), Verdict::Likely);
        assert_eq!(combine(Config::Unknown, Symptom::Seen), Verdict::Likely);
        assert_eq!(combine(Config::Clean, Symptom::Seen), Verdict::Likely);
        assert_eq!(combine(Config::Clean, Symptom::NotSeen), Verdict::RuledOut);
        assert_eq!(combine(Config::Clean, Symptom::NoInput), Verdict::RuledOut);
        assert_eq!(combine(Config::Unknown, Symptom::NotSeen), Verdict::Unknown);
        assert_eq!(combine(Config::Unknown, Symptom::NoInput), Verdict::Unknown);
    }
}
