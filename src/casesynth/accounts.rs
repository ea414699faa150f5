//! The account side of a case: `secedit /export`, `net localgroup Guests` and `net user` for the anonymous account.

use super::{Case, Platform};
use crate::rules::Cause;

const GUESTS: &str = "*S-1-5-32-546";

/// `secedit /export /cfg secpol.inf`: Windows defaults, with Guests added to the deny rights planted.
pub fn secedit(case: &Case) -> String {
    let s = &case.server;
    let sid = format!(
        "*S-1-5-21-{}-{}-{}-1005",
        1_000_000_000 + case.seed % 1_000_000_000,
        1_000_000_000 + (case.seed >> 20) % 1_000_000_000,
        100_000_000 + (case.seed >> 40) % 900_000_000
    );
    let support = match case.platform {
        Platform::Iis6 => ",SUPPORT_388945a0",
        Platform::Iis7 => "",
    };
    let mut deny_network = format!("Guest{support}");
    if case.has(Cause::GuestsDenyNetworkAccess) {
        deny_network.push(',');
        deny_network.push_str(GUESTS);
    }
    let mut deny_local = support.trim_start_matches(',').to_string();
    if case.has(Cause::GuestsDenyLogonLocally) {
        if !deny_local.is_empty() {
            deny_local.push(',');
        }
        deny_local.push_str(GUESTS);
    }
    let lockout = case.seed % 3 * 5;
    format!(
        "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordAge = 1\r\nMaximumPasswordAge = 42\r\n\
MinimumPasswordLength = 7\r\nPasswordComplexity = 1\r\nPasswordHistorySize = 24\r\nLockoutBadCount = {lockout}\r\n\
RequireLogonToChangePassword = 0\r\nForceLogoffWhenHourExpire = 0\r\nNewAdministratorName = \"Administrator\"\r\n\
NewGuestName = \"Guest\"\r\nClearTextPassword = 0\r\nLSAAnonymousNameLookup = 0\r\nEnableAdminAccount = 1\r\n\
EnableGuestAccount = 0\r\n[Event Audit]\r\nAuditSystemEvents = 0\r\nAuditLogonEvents = 3\r\nAuditObjectAccess = 0\r\n\
AuditPrivilegeUse = 0\r\nAuditPolicyChange = 1\r\nAuditAccountManage = 1\r\nAuditProcessTracking = 0\r\n\
AuditDSAccess = 0\r\nAuditAccountLogon = 3\r\n[Registry Values]\r\n\
MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\NoLMHash=4,1\r\n\
MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\LmCompatibilityLevel=4,3\r\n[Privilege Rights]\r\n\
SeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-554,IUSR_{s},IWAM_{s}\r\n\
SeBackupPrivilege = *S-1-5-32-544,*S-1-5-32-551\r\n\
SeChangeNotifyPrivilege = *S-1-1-0,*S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-554\r\n\
SeSystemtimePrivilege = *S-1-5-19,*S-1-5-32-544,*S-1-5-32-549\r\nSeCreatePagefilePrivilege = *S-1-5-32-544\r\n\
SeDebugPrivilege = *S-1-5-32-544\r\nSeRemoteShutdownPrivilege = *S-1-5-32-544,*S-1-5-32-549\r\n\
SeAuditPrivilege = *S-1-5-19,*S-1-5-20\r\nSeIncreaseQuotaPrivilege = *S-1-5-19,*S-1-5-20,*S-1-5-32-544,IWAM_{s}\r\n\
SeLoadDriverPrivilege = *S-1-5-32-544,*S-1-5-32-550\r\n\
SeBatchLogonRight = *S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-559,IUSR_{s},IWAM_{s},{sid}\r\n\
SeServiceLogonRight = *S-1-5-20,{sid}\r\n\
SeInteractiveLogonRight = *S-1-5-32-544,*S-1-5-32-548,*S-1-5-32-549,*S-1-5-32-550,*S-1-5-32-551,*S-1-5-32-545,IUSR_{s}\r\n\
SeSecurityPrivilege = *S-1-5-32-544\r\nSeRestorePrivilege = *S-1-5-32-544,*S-1-5-32-551\r\n\
SeShutdownPrivilege = *S-1-5-32-544,*S-1-5-32-549,*S-1-5-32-550,*S-1-5-32-551\r\n\
SeTakeOwnershipPrivilege = *S-1-5-32-544\r\nSeDenyNetworkLogonRight = {deny_network}\r\n\
SeDenyInteractiveLogonRight = {deny_local}\r\nSeUndockPrivilege = *S-1-5-32-544\r\n\
SeManageVolumePrivilege = *S-1-5-32-544\r\nSeRemoteInteractiveLogonRight = *S-1-5-32-544,*S-1-5-32-555\r\n\
SeImpersonatePrivilege = *S-1-5-19,*S-1-5-20,*S-1-5-32-544,*S-1-5-6,IIS_WPG\r\n\
SeCreateGlobalPrivilege = *S-1-5-32-544,*S-1-5-6\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"
    )
}

/// `net localgroup Guests`: the Guest account, and a local anonymous account (IIS 6 makes it a member).
pub fn net_localgroup_guests(case: &Case) -> String {
    let mut members = String::from("Guest\r\n");
    if !case.anonymous.contains('\\') {
        members.push_str(&case.anonymous);
        members.push_str("\r\n");
    }
    format!(
        "Alias name     Guests\r\nComment        Guests have the same access as members of the Users group by default, \
except for the Guest account which is further restricted\r\n\r\nMembers\r\n\r\n{}\r\n{members}\
The command completed successfully.\r\n\r\n",
        "-".repeat(79)
    )
}

/// `net user IUSR_<server>` (local), or with `/domain` for a domain anonymous account, whose "Log On To" list
/// leaves this server out.
pub fn net_user(case: &Case) -> String {
    let domain_account = case.anonymous.contains('\\');
    let (y, m, d) = crate::facts::calendar::civil_from_days(case.start.div_euclid(86_400) - 200);
    let set = format!("{m}/{d}/{y} 10:12:41 AM");
    let (ly, lm, ld) = crate::facts::calendar::civil_from_days(case.start.div_euclid(86_400) - 1);
    let last = format!("{lm}/{ld}/{ly} 8:55:03 AM");
    let name = case.anonymous_bare();
    let (head, workstations, local, global) = if domain_account {
        let n = case.server.trim_end_matches(|c: char| c.is_ascii_digit());
        (
            format!(
                "C:\\Documents and Settings\\Administrator>net user {name} /domain\r\n\
The request will be processed at a domain controller for domain {}.\r\n\r\n",
                case.domain
            ),
            format!("{n}99,DC01"),
            "",
            "*Domain Users",
        )
    } else {
        (String::new(), "All".to_string(), "*Guests", "*None")
    };
    format!(
        "{head}User name                    {name}\r\nFull Name                    Internet Guest Account\r\n\
Comment                      Built-in account for anonymous access to Internet Information Services\r\n\
User's comment\r\nCountry code                 000 (System Default)\r\nAccount active               Yes\r\n\
Account expires              Never\r\n\r\nPassword last set            {set}\r\nPassword expires             Never\r\n\
Password changeable          {set}\r\nPassword required            Yes\r\nUser may change password     No\r\n\r\n\
Workstations allowed         {workstations}\r\nLogon script\r\nUser profile\r\nHome directory\r\n\
Last logon                   {last}\r\n\r\nLogon hours allowed          All\r\n\r\n\
Local Group Memberships      {local}\r\nGlobal Group memberships     {global}\r\n\
The command completed successfully.\r\n\r\n"
    )
}
