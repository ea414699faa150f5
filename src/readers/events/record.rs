//! One `<Event>` element (the schema `wevtutil qe /f:xml` writes and the evtx crate renders) to its event id
//! and, for a failed logon, a [`LogonFailure`].
//!
//! The parser walks a text holding any number of `<Event>` elements (with or without an `<Events>` root), so the
//! XML export reader and the .evtx reader share it.

use crate::facts::events::{is_logon_failure_id, parse_status, LogonFailure};
use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;

/// What one `<Event>` element holds that the readers need.
#[derive(Debug, Default)]
pub struct RawEvent {
    pub event_id: Option<u32>,
    pub record_id: Option<u64>,
    pub time: String,
    pub computer: String,
    pub provider: String,
    /// `<Data Name="X">value</Data>` in order; unnamed `<Data>` (Windows 2003 events) have an empty name.
    pub data: Vec<(String, String)>,
}

impl RawEvent {
    fn named(&self, name: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The failed logon this event records, if it is one (4625, 529-539).
    pub fn logon_failure(&self) -> Option<LogonFailure> {
        let id = self.event_id?;
        if !is_logon_failure_id(id) {
            return None;
        }
        let mut f = LogonFailure {
            event_id: id,
            time: self.time.clone(),
            computer: self.computer.clone(),
            record_id: self.record_id,
            ..Default::default()
        };
        let unnamed = self.data.iter().all(|(n, _)| n.is_empty());
        if id != 4625 && unnamed {
            // Windows 2003 529-539: User Name, Domain, Logon Type, Logon Process, Authentication Package,
            // Workstation Name, Caller User Name, Caller Domain, Caller Logon ID, Caller Process ID,
            // Transited Services, Source Network Address, Source Port.
            let at = |i: usize| self.data.get(i).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
            f.target_user = at(0);
            f.target_domain = at(1);
            f.logon_type = at(2).parse().ok();
            f.logon_process = at(3);
            f.ip_address = at(11);
        } else {
            let get = |names: &[&str]| {
                names
                    .iter()
                    .find_map(|n| self.named(n))
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default()
            };
            f.target_user = get(&["TargetUserName", "UserName"]);
            f.target_domain = get(&["TargetDomainName", "Domain"]);
            f.status = parse_status(&get(&["Status"]));
            f.sub_status = parse_status(&get(&["SubStatus"]));
            f.logon_type = get(&["LogonType"]).parse().ok();
            f.ip_address = get(&["IpAddress"]);
            f.logon_process = get(&["LogonProcessName", "LogonProcess"]);
        }
        Some(f)
    }
}

/// Where in the text an `<Event>` starts (byte offset), and what it holds.
pub struct Found {
    pub offset: usize,
    pub event: RawEvent,
}

fn entity(name: &[u8]) -> Option<char> {
    Some(match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"quot" => '"',
        b"apos" => '\'',
        _ => return None,
    })
}

/// Calls `found` for every `<Event>` of `text`; returns the XML error that stopped the walk, with its byte offset.
pub fn walk_events(text: &str, mut found: impl FnMut(Found)) -> Result<(), (usize, String)> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut current: Option<(usize, RawEvent)> = None;
    // The element path inside the current event, and the text of the element being read.
    let mut path: Vec<String> = Vec::new();
    let mut data_name: Option<String> = None;
    let mut buf = String::new();
    let mut depth = crate::readers::xml_limits::Depth::default();
    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let why = crate::readers::xml_errors::describe(&e);
                let why = why.strip_prefix("malformed XML: ").unwrap_or(&why).to_string();
                return Err((reader.error_position() as usize, why));
            }
        };
        depth.track(&ev).map_err(|m| (before, m))?;
        match ev {
            XmlEvent::Start(e) if current.is_none() && e.local_name().as_ref() == b"Event" => {
                current = Some((before, RawEvent::default()));
                path.clear();
            }
            XmlEvent::Empty(e) if current.is_none() && e.local_name().as_ref() == b"Event" => found(Found {
                offset: before,
                event: RawEvent::default(),
            }),
            XmlEvent::Eof => {
                return match current {
                    Some((offset, _)) => Err((offset, "the text ends inside this <Event>: cut short".into())),
                    None => Ok(()),
                }
            }
            _ if current.is_none() => {}
            XmlEvent::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                buf.clear();
                if let Some((_, ev)) = current.as_mut() {
                    on_attributes(&name, &e, ev, &mut data_name);
                }
                path.push(name);
            }
            XmlEvent::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if let Some((_, ev)) = current.as_mut() {
                    let mut dn = None;
                    on_attributes(&name, &e, ev, &mut dn);
                    if name == "Data" {
                        ev.data.push((dn.unwrap_or_default(), String::new()));
                    }
                }
            }
            XmlEvent::Text(t) => buf.push_str(&t.decode().unwrap_or_default()),
            XmlEvent::CData(t) => buf.push_str(&String::from_utf8_lossy(&t)),
            XmlEvent::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => buf.push(c),
                _ => match entity(r.as_ref()) {
                    Some(c) => buf.push(c),
                    // An entity declared in a DOCTYPE (or a typo): kept as written, never expanded.
                    None => {
                        buf.push('&');
                        buf.push_str(&String::from_utf8_lossy(r.as_ref()));
                        buf.push(';');
                    }
                },
            },
            XmlEvent::End(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if name == b"Event" && path.is_empty() {
                    if let Some((offset, event)) = current.take() {
                        found(Found { offset, event });
                    }
                    continue;
                }
                path.pop();
                if let Some((_, ev)) = current.as_mut() {
                    let text = std::mem::take(&mut buf);
                    match name {
                        b"EventID" => ev.event_id = text.trim().parse().ok(),
                        b"EventRecordID" => ev.record_id = text.trim().parse().ok(),
                        b"Computer" => ev.computer = text.trim().to_string(),
                        b"Data" if path.last().is_some_and(|p| p == "EventData") => {
                            ev.data.push((data_name.take().unwrap_or_default(), text))
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn on_attributes(name: &str, e: &quick_xml::events::BytesStart<'_>, ev: &mut RawEvent, data_name: &mut Option<String>) {
    let limits = crate::readers::xml_limits::MAX_ATTRIBUTES;
    for a in crate::readers::xml_limits::attributes(e).take(limits).flatten() {
        let key = a.key.local_name();
        let value = a.unescape_value().map(|v| v.into_owned()).unwrap_or_default();
        match (name, key.as_ref()) {
            ("TimeCreated", b"SystemTime") => ev.time = value,
            ("Provider", b"Name") => ev.provider = value,
            ("Data", b"Name") => *data_name = Some(value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const E4625: &str = r#"<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}"/><EventID>4625</EventID><Version>0</Version><TimeCreated SystemTime="2010-03-02T09:14:05.123Z"/><EventRecordID>1187</EventRecordID><Computer>CAS01.contoso.com</Computer></System><EventData><Data Name="SubjectUserName">CAS01$</Data><Data Name="TargetUserName">IUSR_CAS01</Data><Data Name="TargetDomainName">CONTOSO</Data><Data Name="Status">0xc000006e</Data><Data Name="FailureReason">%%2311</Data><Data Name="SubStatus">0xc0000070</Data><Data Name="LogonType">8</Data><Data Name="LogonProcessName">Advapi  </Data><Data Name="IpAddress">-</Data></EventData></Event>"#;

    #[test]
    fn a_4625_gives_its_fields() {
        let mut got = Vec::new();
        walk_events(E4625, |f| got.push(f)).unwrap();
        assert_eq!(got.len(), 1);
        let f = got[0].event.logon_failure().unwrap();
        assert_eq!(f.event_id, 4625);
        assert_eq!(f.target_user, "IUSR_CAS01");
        assert_eq!(f.target_domain, "CONTOSO");
        assert_eq!(f.code(), Some(0xC000_0070));
        assert_eq!(f.logon_type, Some(8));
        assert_eq!(f.logon_process, "Advapi");
        assert_eq!(f.record_id, Some(1187));
        assert_eq!(f.time, "2010-03-02T09:14:05.123Z");
    }

    #[test]
    fn windows_2003_events_have_positional_data() {
        let x = "<Events><Event><System><EventID Qualifiers=\"0\">533</EventID></System><EventData><Data>IUSR_CAS01</Data><Data>CONTOSO</Data><Data>8</Data><Data>Advapi  </Data><Data/></EventData></Event>\n<Event><System><EventID>4624</EventID></System></Event></Events>";
        let mut got = Vec::new();
        walk_events(x, |f| got.push(f)).unwrap();
        assert_eq!(got.len(), 2);
        let f = got[0].event.logon_failure().unwrap();
        assert_eq!((f.target_user.as_str(), f.logon_type), ("IUSR_CAS01", Some(8)));
        assert_eq!(f.code(), Some(0xC000_0070));
        assert!(got[1].event.logon_failure().is_none());
        assert_eq!(got[1].event.event_id, Some(4624));
    }

    #[test]
    fn broken_xml_is_an_error_with_an_offset() {
        let r = walk_events("<x/>\n<Event><System><EventID>4625</EventID></Syst", |_| {});
        assert!(r.unwrap_err().0 >= 5);
        let r = walk_events("<Event><System><EventID>4625</EventID></System>", |_| {});
        assert_eq!(r.unwrap_err().0, 0);
        let r = walk_events("<Event><System><EventID>4625<</EventID></System></Event>", |_| {});
        assert!(r.is_err());
    }
}
