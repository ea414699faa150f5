//! One Get-OwaVirtualDirectory object as a list of properties, whatever format it came in, and the facts it
//! gives. Enum values may come as names (`Exchange2007`) or as numbers (`2`, from ConvertTo-Json or Export-Csv of
//! a deserialized object); both give the name.

use crate::facts::names::{NameRole, ServerName};
use crate::facts::owa::{OwaVdir, PropLine};
use crate::facts::{Located, Source};
use crate::readers::{Problem, ReadOutput};

/// A property value, as the format gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Text(String),
    Bool(bool),
    List(Vec<String>),
}

/// One property of one object.
#[derive(Debug, Clone)]
pub struct Prop {
    pub name: String,
    pub val: Val,
    /// The export cut the value short (`{a, b...}`).
    pub truncated: bool,
    pub line: u64,
    /// The line as it stands in the file.
    pub excerpt: String,
}

/// One object: its first line and its properties in file order.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub line: u64,
    pub excerpt: String,
    pub props: Vec<Prop>,
}

impl Record {
    pub fn has(&self, name: &str) -> bool {
        self.props.iter().any(|p| p.name.eq_ignore_ascii_case(name))
    }
}

/// `OwaVersions`: Exchange2003or2000 = 1, Exchange2007, Exchange2010, Exchange2013.
const OWA_VERSIONS: &[&str] = &["", "Exchange2003or2000", "Exchange2007", "Exchange2010", "Exchange2013"];
/// `VirtualDirectoryTypes`.
const VDIR_TYPES: &[&str] = &["NotSpecified", "Mailboxes", "PublicFolders", "Exchweb", "Exadmin"];
/// `AuthenticationMethod`.
const AUTH_METHODS: &[&str] = &[
    "Basic",
    "Digest",
    "Ntlm",
    "Fba",
    "WindowsIntegrated",
    "LiveIdFba",
    "LiveIdBasic",
    "WSSecurity",
    "Certificate",
    "NegoEx",
    "OAuth",
    "Adfs",
    "Kerberos",
    "Negotiate",
    "LiveIdNegotiate",
];

/// The longest excerpt kept.
const EXCERPT_CHARS: usize = 160;

/// Shortens a line for an excerpt.
pub fn excerpt(line: &str) -> String {
    let t = line.trim();
    if t.chars().count() <= EXCERPT_CHARS {
        t.to_string()
    } else {
        format!("{}…", t.chars().take(EXCERPT_CHARS).collect::<String>())
    }
}

/// Splits a list written as text: `{Basic, Fba}`, `Basic,Fba`, `Basic;Fba`, `Basic Fba`. A trailing `...` means
/// the export cut the list: the items before it are kept and the second value is true.
pub fn split_list(s: &str) -> (Vec<String>, bool) {
    let mut t = s.trim();
    if let Some(inner) = t.strip_prefix('{') {
        t = inner.strip_suffix('}').unwrap_or(inner);
    }
    let truncated = t.trim_end().ends_with("...");
    let t = t.trim_end().trim_end_matches("...");
    let mut items: Vec<String> = t
        .split([',', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect();
    if items.len() == 1 && items[0].contains(char::is_whitespace) && !items[0].contains("://") {
        items = items[0].split_whitespace().map(str::to_string).collect();
    }
    (items, truncated)
}

fn enum_name(v: String, table: &[&str]) -> String {
    match v.trim().parse::<usize>() {
        Ok(n) => table
            .get(n)
            .filter(|s| !s.is_empty())
            .map_or(v.clone(), |s| s.to_string()),
        Err(_) => v,
    }
}

fn text(v: &Val) -> Option<String> {
    match v {
        Val::Null => None,
        Val::Text(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Val::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Val::List(items) => Some(items.join(", ")).filter(|s| !s.is_empty()),
    }
}

/// A .NET type name written where a value should be (Export-Csv of a collection writes its type).
fn is_type_name(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("System.") || s.starts_with("Microsoft.") || s.starts_with("Deserialized."))
        && (s.contains("Collection") || s.contains("MultiValued") || s.contains('`') || s.contains("ArrayList"))
}

/// Builds the facts of one record into `out`: the vdir, and the server name it shows.
pub fn build(rec: &Record, path: &str, out: &mut ReadOutput) {
    let mut v = OwaVdir::default();
    for p in &rec.props {
        let key = p.name.to_ascii_lowercase();
        let mut used = true;
        match key.as_str() {
            "name" => v.name = text(&p.val).unwrap_or_default(),
            "server" => v.server = text(&p.val),
            "servername" => {
                if v.server.is_none() {
                    v.server = text(&p.val)
                }
            }
            "owaversion" => v.owa_version = text(&p.val).map(|t| enum_name(t, OWA_VERSIONS)),
            "virtualdirectorytype" => v.virtual_directory_type = text(&p.val).map(|t| enum_name(t, VDIR_TYPES)),
            "metabasepath" => v.metabase_path = text(&p.val),
            "path" => v.path = text(&p.val),
            "website" => v.web_site = text(&p.val),
            "internalurl" => v.internal_url = text(&p.val),
            "externalurl" => v.external_url = text(&p.val),
            "identity" => v.identity = text(&p.val),
            "admindisplayversion" => v.admin_display_version = text(&p.val),
            "exchangeversion" => v.exchange_version = text(&p.val),
            "formsauthentication" => v.forms_authentication = boolean(p, out),
            "basicauthentication" => v.basic_authentication = boolean(p, out),
            "windowsauthentication" => v.windows_authentication = boolean(p, out),
            "digestauthentication" => v.digest_authentication = boolean(p, out),
            "internalauthenticationmethods" => v.internal_authentication_methods = methods(p, out),
            "externalauthenticationmethods" => v.external_authentication_methods = methods(p, out),
            _ => used = false,
        }
        if p.truncated {
            v.truncated.push(p.name.clone());
        }
        if used {
            v.lines.insert(
                p.name.clone(),
                PropLine {
                    line: p.line,
                    excerpt: excerpt(&p.excerpt),
                },
            );
        }
    }
    if v.name.is_empty() {
        out.warnings.push(Problem::at(
            rec.line,
            "this Get-OwaVirtualDirectory object has no Name: its other properties are kept, but it cannot be matched to owa, exchange, public or exchweb",
        ));
    }
    let src = Source::at(path, rec.line);
    if let Some(server) = v.server.clone() {
        let at = v.line_of("Server").or_else(|| v.line_of("ServerName")).cloned();
        let (line, ex) = at.map_or((rec.line, rec.excerpt.clone()), |l| (l.line, l.excerpt));
        let known = out
            .facts
            .server_names
            .iter()
            .any(|n| n.value.name.eq_ignore_ascii_case(&server));
        if !known {
            out.facts.server_names.push(Located::new(
                ServerName {
                    name: server,
                    role: NameRole::Server,
                },
                Source::at(path, line),
                ex,
            ));
        }
    }
    let ex = v
        .line_of("Name")
        .map_or_else(|| excerpt(&rec.excerpt), |l| l.excerpt.clone());
    out.facts.owa_vdirs.push(Located::new(v, src, ex));
}

fn boolean(p: &Prop, out: &mut ReadOutput) -> Option<bool> {
    match &p.val {
        Val::Bool(b) => Some(*b),
        Val::Null => None,
        other => {
            let t = text(other)?;
            match t.trim_start_matches('$').to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => {
                    out.warnings.push(Problem::at(
                        p.line,
                        format!("{} is `{t}`, neither True nor False: ignored", p.name),
                    ));
                    None
                }
            }
        }
    }
}

fn methods(p: &Prop, out: &mut ReadOutput) -> Option<Vec<String>> {
    let items = match &p.val {
        Val::Null => return None,
        Val::List(items) => items.clone(),
        Val::Bool(_) => return None,
        Val::Text(t) if is_type_name(t) => {
            out.warnings.push(Problem::at(
                p.line,
                format!(
                    "{} holds the type name `{}`, not the list (Export-Csv does that to collections): unknown",
                    p.name,
                    t.trim()
                ),
            ));
            return None;
        }
        Val::Text(t) => split_list(t).0,
    };
    Some(items.into_iter().map(|m| enum_name(m, AUTH_METHODS)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(name: &str, val: Val, line: u64) -> Prop {
        Prop {
            name: name.into(),
            val,
            truncated: false,
            line,
            excerpt: format!("{name} : ..."),
        }
    }

    #[test]
    fn lists_as_text() {
        assert_eq!(split_list("{Basic, Fba}"), (vec!["Basic".into(), "Fba".into()], false));
        assert_eq!(split_list("{}"), (vec![], false));
        assert_eq!(split_list("Basic Fba"), (vec!["Basic".into(), "Fba".into()], false));
        assert_eq!(
            split_list("{.a, .b, .c...}"),
            (vec![".a".into(), ".b".into(), ".c".into()], true)
        );
    }

    #[test]
    fn numbers_become_enum_names_and_servers_are_named() {
        let rec = Record {
            line: 3,
            excerpt: "{".into(),
            props: vec![
                prop("Name", Val::Text("exchange (Default Web Site)".into()), 4),
                prop("OwaVersion", Val::Text("1".into()), 5),
                prop("VirtualDirectoryType", Val::Text("1".into()), 6),
                prop(
                    "InternalAuthenticationMethods",
                    Val::List(vec!["0".into(), "3".into()]),
                    7,
                ),
                prop("BasicAuthentication", Val::Text("True".into()), 8),
                prop("Server", Val::Text("CAS01".into()), 9),
                prop("AnonymousUserPass", Val::Text("4963446270000000".into()), 10),
            ],
        };
        let mut out = ReadOutput::default();
        build(&rec, "v.json", &mut out);
        let v = &out.facts.owa_vdirs[0];
        assert_eq!(v.source.line, Some(3));
        assert_eq!(v.value.owa_version.as_deref(), Some("Exchange2003or2000"));
        assert_eq!(v.value.virtual_directory_type.as_deref(), Some("Mailboxes"));
        assert_eq!(
            v.value.internal_authentication_methods.as_deref(),
            Some(&["Basic".to_string(), "Fba".to_string()][..])
        );
        assert_eq!(v.value.basic_authentication, Some(true));
        assert_eq!(out.facts.server_names[0].value.name, "CAS01");
        assert_eq!(out.facts.server_names[0].source.line, Some(9));
        let json = serde_json::to_string(&out.facts).expect("json");
        assert!(!json.contains("4963446270000000"));
    }

    #[test]
    fn csv_type_names_are_not_lists() {
        let rec = Record {
            line: 2,
            excerpt: String::new(),
            props: vec![prop(
                "InternalAuthenticationMethods",
                Val::Text("Microsoft.Exchange.Data.Directory.ADMultiValuedProperty`1[Microsoft.Exchange.Data.Directory.SystemConfiguration.AuthenticationMethod]".into()),
                2,
            )],
        };
        let mut out = ReadOutput::default();
        build(&rec, "v.csv", &mut out);
        assert!(out.facts.owa_vdirs[0].value.internal_authentication_methods.is_none());
        assert!(out.warnings.iter().any(|w| w.message.contains("type name")));
        assert!(out.warnings.iter().any(|w| w.message.contains("no Name")));
    }
}
