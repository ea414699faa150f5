//! The procedures, as data. Text in `{braces}` is filled from [`Vars`]; a step whose `when` is false for this
//! bundle is left out (e.g. the adsutil steps on IIS 7+, where IUSR has no password).

use super::Vars;

/// One step of a procedure, before rendering.
pub struct Step {
    pub text: &'static str,
    pub command: Option<&'static str>,
    pub when: fn(&Vars) -> bool,
}

/// A procedure, before rendering.
pub struct Procedure {
    pub id: &'static str,
    pub title: &'static str,
    pub steps: &'static [Step],
}

const fn always(_: &Vars) -> bool {
    true
}
fn iis6(v: &Vars) -> bool {
    !v.has("iis7")
}
fn iis7(v: &Vars) -> bool {
    v.has("iis7")
}
fn exchange2007(v: &Vars) -> bool {
    !v.has("exchange=2010+")
}
fn exchange2010(v: &Vars) -> bool {
    v.has("exchange=2010+")
}
fn deny_interactive(v: &Vars) -> bool {
    v.has("right=SeDenyInteractiveLogonRight")
}
fn deny_network(v: &Vars) -> bool {
    v.has("right=SeDenyNetworkLogonRight")
}
fn local_account(v: &Vars) -> bool {
    !v.has("domain-account")
}
fn domain_account(v: &Vars) -> bool {
    v.has("domain-account")
}
fn vdir_duplicated(v: &Vars) -> bool {
    v.get("duplicated").is_some()
}
fn iis_leftover(v: &Vars) -> bool {
    v.get("iis_leftover").is_some()
}
fn logon_to_restricted(v: &Vars) -> bool {
    v.has("logon_to=restricted")
}
/// The anonymous account lives in the domain: the names say so, or the account listing was a domain one.
fn domain_scope(v: &Vars) -> bool {
    v.has("domain-account") || v.has("scope=domain")
}
fn duplicated(v: &Vars) -> bool {
    v.get("duplicated_at").is_some()
}

const fn step(text: &'static str) -> Step {
    Step {
        text,
        command: None,
        when: always,
    }
}
const fn cmd(text: &'static str, command: &'static str) -> Step {
    Step {
        text,
        command: Some(command),
        when: always,
    }
}

pub const CATALOG: &[Procedure] = &[
    Procedure {
        id: "recreate-owa-vdirs",
        title: "Re-create the OWA virtual directories on {web_site}",
        steps: &[
            step("Start the Exchange Management Shell on {server}."),
            Step { text: "Exchange lists {duplicated} more than once on {web_site}. Removing by name stops when the name matches several objects: list the copies with their GUIDs and remove each copy by its GUID.", command: Some("Get-OwaVirtualDirectory -Server {server} | Format-List Name,Guid,MetabasePath\nRemove-OwaVirtualDirectory -Identity <Guid>"), when: vdir_duplicated },
            Step { text: "Remove the owa virtual directory.", command: Some("Remove-OwaVirtualDirectory \"owa ({web_site})\""), when: |v| exchange2007(v) && v.has("remove_owa=yes") },
            Step { text: "Remove the exchange virtual directory.", command: Some("Remove-OwaVirtualDirectory \"exchange ({web_site})\""), when: |v| exchange2007(v) && v.has("remove_exchange=yes") },
            Step { text: "Remove the public virtual directory.", command: Some("Remove-OwaVirtualDirectory \"public ({web_site})\""), when: |v| exchange2007(v) && v.has("remove_public=yes") },
            Step { text: "Remove the exchweb virtual directory.", command: Some("Remove-OwaVirtualDirectory \"exchweb ({web_site})\""), when: |v| exchange2007(v) && v.has("remove_exchweb=yes") },
            Step { text: "IIS still has {iis_leftover} on {web_site} with no Exchange object behind it: delete it in IIS Manager › {web_site} (select it › Remove), or New-OwaVirtualDirectory stops because it exists.", command: None, when: iis_leftover },
            Step { text: "Create the four virtual directories again, each once.", command: Some("New-OwaVirtualDirectory \"exchange\" -OwaVersion Exchange2003or2000 -VirtualDirectoryType Mailboxes -WebSiteName \"{web_site}\"\nNew-OwaVirtualDirectory \"public\" -OwaVersion Exchange2003or2000 -VirtualDirectoryType PublicFolders -WebSiteName \"{web_site}\"\nNew-OwaVirtualDirectory \"exchweb\" -OwaVersion Exchange2003or2000 -VirtualDirectoryType Exchweb -WebSiteName \"{web_site}\"\nNew-OwaVirtualDirectory -Name \"owa\" -OwaVersion Exchange2007 -WebSiteName \"{web_site}\""), when: exchange2007 },
            Step { text: "Exchange 2010 and later have only the owa virtual directory: remove it.", command: Some("Remove-OwaVirtualDirectory \"{server}\\owa ({web_site})\""), when: |v| exchange2010(v) && v.has("remove_owa=yes") },
            Step { text: "Create the owa virtual directory again.", command: Some("New-OwaVirtualDirectory -Server {server} -WebSiteName \"{web_site}\""), when: exchange2010 },
            step("A new virtual directory starts from the defaults: set its InternalUrl, ExternalUrl and authentication again as they were (Set-OwaVirtualDirectory)."),
            cmd("Restart IIS.", "iisreset /noforce"),
        ],
    },
    Procedure {
        id: "resync-anonymous-credentials",
        title: "Resynchronise the anonymous account's password with the IIS configuration",
        steps: &[
            Step { text: "At a command prompt, go to the IIS admin scripts.", command: Some(r"cd /d C:\Inetpub\Adminscripts"), when: iis6 },
            Step { text: "Open adsutil.vbs, find the first `IsSecureProperty = True` (in `If (Attribute = True) then IsSecureProperty = True`) and change it to False, so adsutil shows the stored password. Save. Do not paste what it shows into tickets or mail.", command: Some("notepad adsutil.vbs"), when: iis6 },
            Step { text: "Read the anonymous password IIS uses for web site {site_id} ({web_site}). On error -2147024893 the property lives at the w3svc level: read it there.", command: Some("cscript adsutil.vbs get w3svc/{site_id}/anonymoususerpass\ncscript adsutil.vbs get w3svc/anonymoususerpass"), when: iis6 },
            Step { text: "Set {account}'s password to that value (typed at the prompt, never on the command line).", command: Some("net user {account_bare} *"), when: |v| iis6(v) && local_account(v) },
            Step { text: "Set the domain account {account}'s password to that value (typed at the prompt).", command: Some("net user {account_bare} * /domain"), when: |v| iis6(v) && domain_account(v) },
            Step { text: "Do the same for the WAM account: read WAMUserPass, then set {wam_account}'s password to it (typed at the prompt).", command: Some("cscript adsutil.vbs get w3svc/{site_id}/wamuserpass\ncscript adsutil.vbs get w3svc/wamuserpass\nnet user {wam_account_bare} *"), when: iis6 },
            Step { text: "Open adsutil.vbs again and set that first IsSecureProperty back to True. Save.", command: Some("notepad adsutil.vbs"), when: iis6 },
            Step { text: "List every metabase level that sets {find_property}.", command: Some("cscript adsutil.vbs find w3svc/{find_property}"), when: |v| iis6(v) && duplicated(v) },
            Step { text: "List every metabase level that sets the anonymous password.", command: Some("cscript adsutil.vbs find w3svc/anonymoususerpass"), when: |v| iis6(v) && !duplicated(v) },
            Step { text: "{duplicated_property} is set at more than one level on the path to /owa ({duplicated_at}) with different values: delete the copy at {duplicated_delete}, so the value set above it applies.", command: Some("cscript adsutil.vbs delete {duplicated_delete}"), when: |v| iis6(v) && duplicated(v) },
            Step { text: "Restart IIS (you may also have to restart the Client Access server).", command: Some("iisreset"), when: iis6 },
            Step { text: "IIS 7 and later: the built-in IUSR has no password to resynchronise. Where the anonymous identity is a named account ({account}), enter its password again in IIS Manager › {server} › Sites › {web_site} › owa › auth › Authentication › Anonymous Authentication › Edit › Specific user, and the same for owa › {build}; or choose \"Application pool identity\".", command: None, when: iis7 },
            Step { text: "The password is stored at several levels ({duplicated_at}): set it at one level only, and remove the other copies (Authentication › Anonymous Authentication › Edit at each of those paths, or the `userName`/`password` attributes of those <location> elements in applicationHost.config).", command: None, when: |v| iis7(v) && duplicated(v) },
            Step { text: "Restart IIS.", command: Some("iisreset /noforce"), when: iis7 },
        ],
    },
    Procedure {
        id: "enable-anonymous-access",
        title: "Enable anonymous access (only) on {anonymous_fix}",
        steps: &[
            Step { text: "IIS Manager › {server} › Web Sites › {web_site} › owa › {build_off} › Properties › Directory Security › Authentication and access control › Edit: check \"Enable anonymous access\" and clear every box under \"Authenticated access\". OK twice. Or at a command prompt (create the folder's metabase key first if adsutil reports the path is not found):", command: Some("cd /d C:\\Inetpub\\Adminscripts\ncscript adsutil.vbs create w3svc/{site_id}/ROOT/owa/{build_off} IIsWebDirectory\ncscript adsutil.vbs set w3svc/{site_id}/ROOT/owa/{build_off}/AuthFlags 1"), when: |v| iis6(v) && !v.has("fix_scope=auth") },
            Step { text: "IIS Manager › {server} › Web Sites › {web_site} › owa › auth › Properties › Directory Security › Authentication and access control › Edit: check \"Enable anonymous access\" and clear every box under \"Authenticated access\". OK twice. Or at a command prompt (AuthFlags 1 is AuthAnonymous alone):", command: Some("cd /d C:\\Inetpub\\Adminscripts\ncscript adsutil.vbs set w3svc/{site_id}/ROOT/owa/auth/AuthFlags 1"), when: |v| iis6(v) && !v.has("fix_scope=builds") },
            Step { text: "IIS Manager › {server} › Sites › {web_site} › owa › {build_off} › Authentication: Anonymous Authentication Enabled, every other method Disabled. Or at an elevated prompt:", command: Some("%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/{build_off}\" /section:anonymousAuthentication /enabled:true /commit:apphost\n%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/{build_off}\" /section:windowsAuthentication /enabled:false /commit:apphost\n%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/{build_off}\" /section:basicAuthentication /enabled:false /commit:apphost\n%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/{build_off}\" /section:digestAuthentication /enabled:false /commit:apphost"), when: |v| iis7(v) && !v.has("fix_scope=auth") },
            Step { text: "IIS Manager › {server} › Sites › {web_site} › owa › auth › Authentication: Anonymous Authentication Enabled, every other method Disabled. Or at an elevated prompt:", command: Some("%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/auth\" /section:anonymousAuthentication /enabled:true /commit:apphost\n%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/auth\" /section:windowsAuthentication /enabled:false /commit:apphost\n%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/auth\" /section:basicAuthentication /enabled:false /commit:apphost\n%windir%\\system32\\inetsrv\\appcmd set config \"{web_site}/owa/auth\" /section:digestAuthentication /enabled:false /commit:apphost"), when: |v| iis7(v) && !v.has("fix_scope=builds") },
            cmd("Restart IIS.", "iisreset /noforce"),
        ],
    },
    Procedure {
        id: "allow-iusr-logon-to",
        title: "Allow {account} to log on to {server}",
        steps: &[
            Step { text: "Active Directory Users and Computers › {account_bare} › Properties › Account › Log On To: choose \"All computers\", or add {server} to \"The following computers\". OK twice.", command: None, when: logon_to_restricted },
            Step { text: "Or from a command prompt, as a domain administrator: let {account_bare} log on to all computers.", command: Some("net user {account_bare} /workstations:* /domain"), when: logon_to_restricted },
            Step { text: "Or keep the list it has now ({existing_workstations}) and add {server} to it (Active Directory module for Windows PowerShell):", command: Some("Set-ADUser {account_bare} -LogonWorkstations \"{new_workstations}\""), when: |v| logon_to_restricted(v) && v.get("new_workstations").is_some() },
            Step { text: "Enable the domain account {account_bare} (Active Directory Users and Computers › {account_bare} › Enable Account, or:)", command: Some("net user {account_bare} /active:yes /domain"), when: |v| v.has("disabled=yes") && domain_scope(v) },
            Step { text: "Enable the local account {account_bare}.", command: Some("net user {account_bare} /active:yes"), when: |v| v.has("disabled=yes") && !domain_scope(v) },
            Step { text: "Unlock {account_bare}: Active Directory Users and Computers › {account_bare} › Properties › Account › \"Unlock account\", or (Active Directory module):", command: Some("Unlock-ADAccount {account_bare}"), when: |v| v.has("locked=yes") && domain_scope(v) },
            Step { text: "Unlock {account_bare}: Computer Management › Local Users and Groups › Users › {account_bare} › Properties: clear \"Account is locked out\".", command: None, when: |v| v.has("locked=yes") && !domain_scope(v) },
            Step { text: "A lockout follows many bad passwords: unless the anonymous password in IIS is known to match the account, resynchronise it first (procedure resync-anonymous-credentials), or the account locks out again.", command: None, when: |v| v.has("locked=yes") },
            Step { text: "Make {account_bare} never expire.", command: Some("net user {account_bare} /expires:never /domain"), when: |v| v.has("expired=yes") && domain_scope(v) },
            Step { text: "Make {account_bare} never expire.", command: Some("net user {account_bare} /expires:never"), when: |v| v.has("expired=yes") && !domain_scope(v) },
            Step { text: "Wait for Active Directory replication to reach the domain controllers {server} uses (or force it with `repadmin /syncall`).", command: None, when: domain_scope },
            cmd("On {server}, restart IIS.", "iisreset /noforce"),
        ],
    },
    Procedure {
        id: "remove-guests-deny",
        title: "Stop the Guests deny from reaching {account}",
        steps: &[
            step("Either remove Guests from the deny right(s) below, or remove {account} from Guests (one of the two is enough)."),
            Step { text: "Option 1: Local Security Policy (secpol.msc) › Local Policies › User Rights Assignment › \"Deny log on locally\" › Properties: select Guests, Remove, OK.", command: None, when: deny_interactive },
            Step { text: "Option 1: Local Security Policy (secpol.msc) › Local Policies › User Rights Assignment › \"Deny access to this computer from the network\" › Properties: select Guests, Remove, OK.", command: None, when: deny_network },
            cmd("Where a domain Group Policy sets the right (the setting is greyed out locally), change it in that GPO instead; find it with:", "gpresult /h c:\\gpresult.html"),
            Step { text: "Option 2: remove {account} from the local Guests group.", command: Some("net localgroup Guests {account_bare} /delete"), when: local_account },
            Step { text: "Option 2: the anonymous account is a domain account: Active Directory Users and Computers › Users › Domain Guests › Members: remove {account_bare}.", command: None, when: domain_account },
            cmd("Apply the policy and restart IIS.", "gpupdate /force\niisreset /noforce"),
        ],
    },
];

/// The procedure with this id.
pub fn procedure(id: &str) -> Option<&'static Procedure> {
    CATALOG.iter().find(|p| p.id == id)
}
