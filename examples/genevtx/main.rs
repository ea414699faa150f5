//! Writes the Security logs (.evtx) of the fixture bundles, byte for byte the same on every run: no real log may
//! be redistributed, so these are made. Each is a Windows Server 2008 R2 Security log of sixteen events, in plain
//! Binary XML (no templates); `tests/fixture_evtx.rs` reads every record back with the evtx crate.
//!
//! ```text
//! cargo run --example genevtx -- fixtures/evtx-only-logon-to/security.evtx logon-to
//! cargo run --example genevtx -- fixtures/evtx-guests-network/security.evtx guests-network
//! ```

mod binxml;
mod events;
mod evtx;

use events::{failure, logon, Account, Logon, Time, IIS_ANONYMOUS, SYSTEM};
use evtx::Record;

/// The anonymous account: a domain account, or (IIS 6's default) a local one of the server.
const DOMAIN_IUSR: Account = Account {
    sid: "S-1-0-0",
    name: "IUSR_CAS01",
    domain: "CONTOSO",
};
const LOCAL_IUSR: Account = Account {
    sid: "S-1-0-0",
    name: "IUSR_CAS01",
    domain: "CAS01",
};

/// Users of the network and their logons: noise that is never the anonymous account's.
const JSMITH: Account = Account {
    sid: "S-1-5-21-1004336348-1177238915-682003330-1107",
    name: "jsmith",
    domain: "CONTOSO",
};
const MBROWN: Account = Account {
    sid: "S-1-5-21-1004336348-1177238915-682003330-1142",
    name: "mbrown",
    domain: "CONTOSO",
};
const TJONES: Account = Account {
    sid: "S-1-5-21-1004336348-1177238915-682003330-1169",
    name: "tjones",
    domain: "CONTOSO",
};

fn network(workstation: &'static str, ip: &'static str, port: &'static str) -> Logon {
    Logon {
        logon_type: 3,
        process: "NtLmSsp ",
        package: "NTLM",
        workstation,
        process_id: "0x0",
        process_name: "-",
        ip,
        port,
    }
}

/// The first record id of every log: a Security log that has been running a while.
const FIRST_ID: u64 = 52101;

/// Twelve failed logons of `iusr` over twenty minutes, each with `codes` (Status, SubStatus), among other users'
/// logons and one bad password of another user.
fn scenario(iusr: &Account, codes: (&str, &str), how: &Logon) -> Vec<Record> {
    let start = Time::at(9, 14, 5, 1_234_567);
    let mut records = Vec::new();
    let mut id = FIRST_ID;
    let mut next = || {
        id += 1;
        id - 1
    };
    for i in 0..12u64 {
        let t = start.plus(i * 103, i * 156_250);
        records.push(failure(next(), t, &SYSTEM, iusr, codes, how));
        match i {
            2 => records.push(logon(
                next(),
                t.plus(4, 1_877_000),
                &JSMITH,
                "0x1c3a8f2",
                &network("WKS042", "10.1.4.42", "51334"),
            )),
            5 => records.push(failure(
                next(),
                t.plus(31, 500_000),
                &events::NOBODY,
                &TJONES,
                ("0xc000006d", "0xc000006a"),
                &network("WKS057", "10.1.4.57", "49731"),
            )),
            6 => records.push(logon(
                next(),
                t.plus(33, 2_500_000),
                &TJONES,
                "0x1c5b0e4",
                &network("WKS057", "10.1.4.57", "49735"),
            )),
            9 => records.push(logon(
                next(),
                t.plus(12, 625_000),
                &MBROWN,
                "0x1c7d311",
                &network("WKS018", "10.1.4.18", "50122"),
            )),
            _ => {}
        }
    }
    records
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let records = match args.get(1).map(String::as_str) {
        // Log On To leaves the server out: "unknown user name or bad password", "not allowed to log on here".
        Some("logon-to") => scenario(&DOMAIN_IUSR, ("0xc000006e", "0xc0000070"), &IIS_ANONYMOUS),
        // Guests denied access from the network: "the user has not been granted the requested logon type".
        Some("guests-network") => scenario(&LOCAL_IUSR, ("0xc000015b", "0x0"), &IIS_ANONYMOUS),
        _ => {
            eprintln!("usage: genevtx OUT.evtx logon-to|guests-network");
            std::process::exit(2);
        }
    };
    let bytes = evtx::file(&records);
    std::fs::write(&args[0], &bytes).unwrap_or_else(|e| {
        eprintln!("{}: {e}", args[0]);
        std::process::exit(1);
    });
    println!("{}: {} records, {} bytes", args[0], records.len(), bytes.len());
}
