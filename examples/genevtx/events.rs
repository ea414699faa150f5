//! Security log events in the shape Windows Server 2008 R2 writes them: 4624 (logon) and 4625 (failed logon)
//! of Microsoft-Windows-Security-Auditing, with their EventData fields in Windows' order.

use crate::binxml::Element;
use crate::evtx::Record;

pub const COMPUTER: &str = "CAS01.contoso.com";

/// FILETIME (100 ns since 1601) of 2010-03-02T00:00:00Z, the day every event is on.
const DAY_FILETIME: u64 = 129_119_616_000_000_000;
const DAY: &str = "2010-03-02";

/// A time of that day: seconds after midnight and 100 ns ticks.
#[derive(Clone, Copy)]
pub struct Time {
    pub seconds: u64,
    pub ticks: u64,
}

impl Time {
    pub fn at(h: u64, m: u64, s: u64, ticks: u64) -> Self {
        Time {
            seconds: h * 3600 + m * 60 + s,
            ticks,
        }
    }

    pub fn plus(self, seconds: u64, ticks: u64) -> Self {
        let t = self.ticks + ticks;
        Time {
            seconds: self.seconds + seconds + t / 10_000_000,
            ticks: t % 10_000_000,
        }
    }

    fn filetime(self) -> u64 {
        DAY_FILETIME + self.seconds * 10_000_000 + self.ticks
    }

    /// As Event Viewer's XML gives it: `2010-03-02T09:14:05.123456700Z`.
    fn system_time(self) -> String {
        let (h, m, s) = (self.seconds / 3600, self.seconds / 60 % 60, self.seconds % 60);
        format!("{DAY}T{h:02}:{m:02}:{s:02}.{:07}00Z", self.ticks)
    }
}

/// An account as a 4624 / 4625 names it.
pub struct Account {
    pub sid: &'static str,
    pub name: &'static str,
    pub domain: &'static str,
}

pub const SYSTEM: Account = Account {
    sid: "S-1-5-18",
    name: "CAS01$",
    domain: "CONTOSO",
};

pub const NOBODY: Account = Account {
    sid: "S-1-0-0",
    name: "-",
    domain: "-",
};

/// How the logon came: type, process, package, workstation, process id and name, address and port.
pub struct Logon {
    pub logon_type: u32,
    pub process: &'static str,
    pub package: &'static str,
    pub workstation: &'static str,
    pub process_id: &'static str,
    pub process_name: &'static str,
    pub ip: &'static str,
    pub port: &'static str,
}

/// IIS logging the anonymous account on (LogonUser, network cleartext: the default logon method).
pub const IIS_ANONYMOUS: Logon = Logon {
    logon_type: 8,
    process: "Advapi  ",
    package: "Negotiate",
    workstation: "CAS01",
    process_id: "0x1a4c",
    process_name: "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
    ip: "-",
    port: "-",
};

fn system(id: u32, keywords: &str, time: Time, record: u64, thread: &str) -> Element {
    let el = Element::new;
    el("System")
        .child(
            el("Provider")
                .attr("Name", "Microsoft-Windows-Security-Auditing")
                .attr("Guid", "{54849625-5478-4994-A5BA-3E3B0328C30D}"),
        )
        .child(el("EventID").text(id.to_string()))
        .child(el("Version").text("0"))
        .child(el("Level").text("0"))
        .child(el("Task").text("12544"))
        .child(el("Opcode").text("0"))
        .child(el("Keywords").text(keywords))
        .child(el("TimeCreated").attr("SystemTime", time.system_time()))
        .child(el("EventRecordID").text(record.to_string()))
        .child(el("Correlation"))
        .child(el("Execution").attr("ProcessID", "500").attr("ThreadID", thread))
        .child(el("Channel").text("Security"))
        .child(el("Computer").text(COMPUTER))
        .child(el("Security"))
}

fn event(system: Element, data: &[(&'static str, &str)]) -> Element {
    let mut event_data = Element::new("EventData");
    for (name, value) in data {
        event_data = event_data.child(Element::new("Data").attr("Name", *name).text(*value));
    }
    Element::new("Event")
        .attr("xmlns", "http://schemas.microsoft.com/win/2004/08/events/event")
        .child(system)
        .child(event_data)
}

/// A 4625: `who` failed to log on with `status` / `sub_status`.
pub fn failure(record: u64, time: Time, subject: &Account, who: &Account, codes: (&str, &str), how: &Logon) -> Record {
    let (status, sub_status) = codes;
    let reason = match sub_status {
        "0xc0000070" => "%%2311",
        "0xc000015b" => "%%2308",
        _ => "%%2313",
    };
    let lt = how.logon_type.to_string();
    let data = [
        ("SubjectUserSid", subject.sid),
        ("SubjectUserName", subject.name),
        ("SubjectDomainName", subject.domain),
        (
            "SubjectLogonId",
            if subject.sid == "S-1-5-18" { "0x3e7" } else { "0x0" },
        ),
        ("TargetUserSid", "S-1-0-0"),
        ("TargetUserName", who.name),
        ("TargetDomainName", who.domain),
        ("Status", status),
        ("FailureReason", reason),
        ("SubStatus", sub_status),
        ("LogonType", &lt),
        ("LogonProcessName", how.process),
        ("AuthenticationPackageName", how.package),
        ("WorkstationName", how.workstation),
        ("TransmittedServices", "-"),
        ("LmPackageName", "-"),
        ("KeyLength", "0"),
        ("ProcessId", how.process_id),
        ("ProcessName", how.process_name),
        ("IpAddress", how.ip),
        ("IpPort", how.port),
    ];
    Record {
        id: record,
        filetime: time.filetime(),
        event: event(system(4625, "0x8010000000000000", time, record, "3012"), &data),
    }
}

/// A 4624: `who` logged on; `logon_id` is the session's.
pub fn logon(record: u64, time: Time, who: &Account, logon_id: &str, how: &Logon) -> Record {
    let lt = how.logon_type.to_string();
    let data = [
        ("SubjectUserSid", NOBODY.sid),
        ("SubjectUserName", NOBODY.name),
        ("SubjectDomainName", NOBODY.domain),
        ("SubjectLogonId", "0x0"),
        ("TargetUserSid", who.sid),
        ("TargetUserName", who.name),
        ("TargetDomainName", who.domain),
        ("TargetLogonId", logon_id),
        ("LogonType", &lt),
        ("LogonProcessName", how.process),
        ("AuthenticationPackageName", how.package),
        ("WorkstationName", how.workstation),
        ("LogonGuid", "{00000000-0000-0000-0000-000000000000}"),
        ("TransmittedServices", "-"),
        ("LmPackageName", "NTLM V2"),
        ("KeyLength", "128"),
        ("ProcessId", how.process_id),
        ("ProcessName", how.process_name),
        ("IpAddress", how.ip),
        ("IpPort", how.port),
    ];
    Record {
        id: record,
        filetime: time.filetime(),
        event: event(system(4624, "0x8020000000000000", time, record, "2980"), &data),
    }
}
