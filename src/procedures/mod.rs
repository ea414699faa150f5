//! The fix procedures as data: steps with their commands, templated with `{placeholders}` that are filled with
//! this bundle's real names. The plan lists the procedures of the positive causes in the order of
//! [`crate::rules::Cause::ALL`], each followed by its check.

mod catalog;
mod template;

pub use catalog::{procedure, Step as StepTemplate, CATALOG};
pub use template::Vars;

use crate::facts::names::Names;
use crate::rules::{Cause, Finding};
use serde::Serialize;

/// One rendered step.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// One procedure of the plan, rendered for this server.
#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    /// 1-based position in the plan.
    pub order: usize,
    pub procedure: &'static str,
    pub title: String,
    /// The causes this procedure fixes.
    pub causes: Vec<Cause>,
    pub steps: Vec<Step>,
    /// What to do after the procedure, before the next one.
    pub check: String,
}

/// The check after every procedure.
pub const CHECK: &str =
    "Reproduce the OWA logon; if the 440 persists, collect new logs and run owa440 again before the next procedure.";

/// The plan for these findings: one item per procedure that a confirmed or likely cause calls for, in order.
pub fn plan(findings: &[Finding], names: &Names) -> Vec<PlanItem> {
    let mut items: Vec<PlanItem> = Vec::new();
    for f in findings.iter().filter(|f| f.verdict.is_positive()) {
        let id = f.cause.procedure();
        if let Some(item) = items.iter_mut().find(|i| i.procedure == id) {
            item.causes.push(f.cause);
            continue;
        }
        let Some(proc_) = procedure(id) else { continue };
        let positive: Vec<&Finding> = findings
            .iter()
            .filter(|g| g.verdict.is_positive() && g.cause.procedure() == id)
            .collect();
        let vars = Vars::new(names, &positive);
        // A step naming a several-valued placeholder (e.g. `{build}` with two build folders) is rendered once per value.
        let steps = proc_
            .steps
            .iter()
            .filter(|s| (s.when)(&vars))
            .flat_map(|s| {
                vars.expand(&[s.text, s.command.unwrap_or("")])
                    .into_iter()
                    .map(move |v| Step {
                        text: v.fill(s.text),
                        command: s.command.map(|c| v.fill(c)),
                    })
            })
            .collect();
        items.push(PlanItem {
            order: items.len() + 1,
            procedure: id,
            title: vars.fill(proc_.title),
            causes: vec![f.cause],
            steps,
            check: CHECK.into(),
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::names::{derive, Named};
    use crate::facts::Facts;
    use crate::rules::Verdict;

    fn names(builds: &[&str]) -> Names {
        let mut n = derive(&Facts::default());
        n.iis_generation = Some(7);
        n.builds = builds
            .iter()
            .map(|b| Named {
                value: b.to_string(),
                how: "test".into(),
                source: None,
            })
            .collect();
        n
    }

    fn texts(items: &[PlanItem]) -> String {
        items[0]
            .steps
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn anonymous_steps_cover_the_folders_at_fault_one_each() {
        let mut f = Finding::new(Cause::AnonymousAccessDisabled, Verdict::Likely, "x");
        f.vars.insert("anonymous_off", "S/owa/1.0, S/owa/3.0".into());
        f.vars.insert("build_off", "1.0\n3.0".into());
        f.vars.insert("fix_scope", "builds".into());
        let plan = plan(&[f], &names(&["1.0", "2.0", "3.0"]));
        let t = texts(&plan);
        assert_eq!(t.matches("owa › 1.0 ›").count(), 1, "{t}");
        assert_eq!(t.matches("owa › 3.0 ›").count(), 1, "{t}");
        assert!(!t.contains("owa › 2.0") && !t.contains("owa › auth"), "{t}");
        assert_eq!(plan[0].title, "Enable anonymous access (only) on S/owa/1.0, S/owa/3.0");
    }

    #[test]
    fn without_configuration_every_folder_and_auth_get_steps() {
        let f = Finding::new(Cause::AnonymousAccessDisabled, Verdict::Likely, "from the logs");
        let plan = plan(&[f], &names(&["1.0", "2.0"]));
        let t = texts(&plan);
        for b in ["owa › 1.0 ›", "owa › 2.0 ›", "owa › auth ›"] {
            assert_eq!(t.matches(b).count(), 1, "{b}: {t}");
        }
        assert!(plan[0].title.contains("1.0, 2.0 and /owa/auth"), "{}", plan[0].title);
    }
}
