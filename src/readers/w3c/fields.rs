//! The `#Fields` layout of a W3C log: the field names in order, and where the fields owa440 reads sit.

use std::sync::Arc;

/// The fields IIS 7 and later log by default (IIS 7.0 through 10). Used for files with no `#Fields` header, and
/// for lines whose token count fits it when the header in force does not (see [`super::line`]).
pub const IIS7_DEFAULT: &[&str] = &[
    "date",
    "time",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs(User-Agent)",
    "cs(Referer)",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "time-taken",
];

/// The fields IIS 6 logs by default (no `cs(Referer)`, no `time-taken`, with `s-sitename`).
pub const IIS6_DEFAULT: &[&str] = &[
    "date",
    "time",
    "s-sitename",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs(User-Agent)",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
];

/// Every field IIS can log, in the order IIS writes them ("select all" in IIS Manager).
pub const IIS_ALL: &[&str] = &[
    "date",
    "time",
    "s-sitename",
    "s-computername",
    "s-ip",
    "cs-method",
    "cs-uri-stem",
    "cs-uri-query",
    "s-port",
    "cs-username",
    "c-ip",
    "cs-version",
    "cs(User-Agent)",
    "cs(Cookie)",
    "cs(Referer)",
    "cs-host",
    "sc-status",
    "sc-substatus",
    "sc-win32-status",
    "sc-bytes",
    "cs-bytes",
    "time-taken",
];

/// A field list and the positions of the fields the evidence reads (`None`: not logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub names: Vec<Box<str>>,
    pub date: Option<usize>,
    pub time: Option<usize>,
    pub computer: Option<usize>,
    pub method: Option<usize>,
    pub stem: Option<usize>,
    pub query: Option<usize>,
    pub username: Option<usize>,
    pub client_ip: Option<usize>,
    pub status: Option<usize>,
    pub substatus: Option<usize>,
    pub win32: Option<usize>,
    /// Fields whose `+` stand for spaces: the request headers (`cs(User-Agent)`, `cs(Referer)`, ...).
    pub plus_is_space: Vec<bool>,
    /// Fields written as numbers in JSON output.
    pub numeric: Vec<bool>,
}

impl Layout {
    /// A layout from field names (as a `#Fields:` line lists them).
    pub fn new<S: AsRef<str>>(names: &[S]) -> Layout {
        let names: Vec<Box<str>> = names.iter().map(|n| n.as_ref().into()).collect();
        let find = |want: &[&str]| {
            names
                .iter()
                .position(|n| want.iter().any(|w| n.eq_ignore_ascii_case(w)))
        };
        let plus_is_space = names
            .iter()
            .map(|n| {
                let l = n.to_ascii_lowercase();
                l.starts_with("cs(") || l.starts_with("sc(") || l.starts_with("s(")
            })
            .collect();
        let numeric = names
            .iter()
            .map(|n| {
                matches!(
                    n.to_ascii_lowercase().as_str(),
                    "sc-status"
                        | "sc-substatus"
                        | "sc-win32-status"
                        | "sc-bytes"
                        | "cs-bytes"
                        | "time-taken"
                        | "s-port"
                )
            })
            .collect();
        Layout {
            date: find(&["date", "date-local"]),
            time: find(&["time", "time-local"]),
            computer: find(&["s-computername"]),
            method: find(&["cs-method"]),
            stem: find(&["cs-uri-stem"]),
            query: find(&["cs-uri-query"]),
            username: find(&["cs-username"]),
            client_ip: find(&["c-ip"]),
            status: find(&["sc-status"]),
            substatus: find(&["sc-substatus"]),
            win32: find(&["sc-win32-status"]),
            plus_is_space,
            numeric,
            names,
        }
    }

    /// The layout of a `#Fields:` directive's value (`date time s-ip ...`): names split on any run of spaces or tabs,
    /// so a trailing space (IIS 6) or doubled spaces (IIS Advanced Logging) do not make empty names.
    pub fn from_directive(value: &[u8]) -> Layout {
        let text = String::from_utf8_lossy(value);
        let names: Vec<&str> = text.split([' ', '\t']).filter(|s| !s.is_empty()).collect();
        Layout::new(&names)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// True when the layout has the fields a request needs to count as one (a status or a stem).
    pub fn describes_requests(&self) -> bool {
        self.status.is_some() || self.stem.is_some()
    }
}

/// The defaults tried for headerless files and for lines that do not fit the header in force, most common first.
pub fn defaults() -> Vec<Arc<Layout>> {
    vec![
        Arc::new(Layout::new(IIS7_DEFAULT)),
        Arc::new(Layout::new(IIS6_DEFAULT)),
        Arc::new(Layout::new(IIS_ALL)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_with_trailing_and_double_spaces() {
        let l = Layout::from_directive(b"date time  s-ip cs-method cs-uri-stem sc-status ");
        assert_eq!(l.len(), 6);
        assert_eq!(
            (l.date, l.time, l.method, l.stem, l.status),
            (Some(0), Some(1), Some(3), Some(4), Some(5))
        );
        assert_eq!(l.username, None);
    }

    #[test]
    fn headers_decode_plus_numbers_are_numeric() {
        let l = Layout::new(IIS7_DEFAULT);
        let ua = l.names.iter().position(|n| &**n == "cs(User-Agent)").unwrap();
        assert!(l.plus_is_space[ua]);
        assert!(!l.plus_is_space[l.stem.unwrap()]);
        assert!(l.numeric[l.win32.unwrap()]);
        assert_eq!(IIS7_DEFAULT.len(), 15);
        assert_eq!(IIS6_DEFAULT.len(), 14);
        assert_eq!(IIS_ALL.len(), 22);
    }
}
