//! The nsswitch walk: each hosts source consulted in order, what it answered, and what its criteria made glibc do next.

use std::ffi::CString;

use serde::Serialize;

use super::dnswalk::{self, Walk};
use super::hostsfile::{self, HostsFile};
use super::nsswitch::{Action, Line, Status};
use super::resolvconf::Config;
use crate::sys::netdb::{self, Hints};
use crate::sys::resolv;

/// One source glibc consulted.
#[derive(Debug, Clone, Serialize)]
pub struct Consulted {
    pub source: String,
    pub criteria: String,
    pub status: Status,
    pub addresses: Vec<String>,
    pub action: Action,
    /// Why glibc stopped here or went on, in words.
    pub then: String,
    /// How sockscope knows what the source answered.
    pub how: String,
}

/// The walk's result: the sources consulted, and the details of files and dns when asked.
#[derive(Debug, Clone)]
pub struct Walked {
    pub consulted: Vec<Consulted>,
    /// The source whose SUCCESS ended the walk.
    pub answered_by: Option<String>,
    pub addresses: Vec<String>,
    pub hosts_file: Option<HostsFile>,
    pub dns: Option<Walk>,
    /// True when a source said TRYAGAIN or the dns source saw no server answer (EAI_AGAIN).
    pub temporary: bool,
}

/// Files the walk reads, given so tests and the lab can point elsewhere.
pub struct Files<'a> {
    pub hosts_path: &'a str,
    pub hosts: &'a str,
    pub multi: (bool, String),
    pub resolv: &'a Config,
}

/// Walk `line` for `name` with the effective `family`, as gaih_inet does.
pub fn walk(line: &Line, name: &str, family: i32, dns_refuses: bool, files: &Files) -> Walked {
    let mut walked = Walked {
        consulted: Vec::new(),
        answered_by: None,
        addresses: Vec::new(),
        hosts_file: None,
        dns: None,
        temporary: false,
    };
    for source in &line.sources {
        let (status, addresses, how) = match source.name.as_str() {
            "files" => {
                let file = hostsfile::lookup(
                    files.hosts_path,
                    files.hosts,
                    name,
                    family,
                    files.multi.clone(),
                );
                let answer = file.answer();
                walked.hosts_file = Some(file);
                let status = if answer.is_empty() {
                    Status::NotFound
                } else {
                    Status::Success
                };
                (
                    status,
                    answer,
                    "read from the hosts file as nss_files reads it".to_string(),
                )
            }
            "dns" if dns_refuses => (
                Status::NotFound,
                Vec::new(),
                "nss_dns refused the name before asking (res_hnok)".to_string(),
            ),
            "dns" => {
                let walk = dnswalk::walk(name, family, files.resolv);
                let status = if !walk.addresses.is_empty() {
                    Status::Success
                } else if matches!(walk.errno, Some(libc::ECONNREFUSED | libc::ETIMEDOUT)) {
                    Status::Unavail
                } else {
                    Status::NotFound
                };
                walked.temporary |= status == Status::Unavail;
                let addresses = walk.addresses.clone();
                walked.dns = Some(walk);
                (
                    status,
                    addresses,
                    "the queries replayed through the resolver library, res_nquery".to_string(),
                )
            }
            other => alone(other, name, family, line),
        };
        walked.temporary |= status == Status::TryAgain;
        let action = source.action(status);
        let explicit = if source.explicit(status) {
            format!("[{}={}] says so", status.name(), action_word(action))
        } else {
            "by default".to_string()
        };
        let then = match action {
            Action::Return => format!("{}: glibc stops here, {explicit}", status.name()),
            Action::Continue => format!(
                "{}: glibc goes on to the next source, {explicit}",
                status.name()
            ),
            Action::Merge => {
                "merge: the hosts database cannot merge (glibc fails with EBUSY)".to_string()
            }
        };
        walked.consulted.push(Consulted {
            source: source.name.clone(),
            criteria: source.criteria.clone(),
            status,
            addresses: addresses.clone(),
            action,
            then,
            how,
        });
        if action != Action::Continue {
            if status == Status::Success {
                walked.answered_by = Some(source.name.clone());
                walked.addresses = addresses;
            }
            break;
        }
    }
    walked
}

fn action_word(action: Action) -> &'static str {
    match action {
        Action::Return => "return",
        Action::Continue => "continue",
        Action::Merge => "merge",
    }
}

/// A source sockscope does not model: asked through NSS on its own, as `getent -s` asks it,
/// with the whole line put back afterwards.
fn alone(source: &str, name: &str, family: i32, line: &Line) -> (Status, Vec<String>, String) {
    let how = format!(
        "asked through NSS on its own (as getent -s {source} does); sockscope does not know \
         how {source} decides"
    );
    let (Ok(db), Ok(only), Ok(whole), Ok(host)) = (
        CString::new("hosts"),
        CString::new(source),
        CString::new(line.text.as_str()),
        CString::new(name),
    ) else {
        return (Status::Unavail, Vec::new(), how);
    };
    if resolv::configure_lookup(&db, &only).is_err() {
        return (Status::Unavail, Vec::new(), how);
    }
    let hints = Hints {
        family,
        socktype: libc::SOCK_STREAM,
        protocol: 0,
        flags: 0,
    };
    let result = netdb::getaddrinfo(Some(&host), None, hints);
    // Best effort: the line in force was parsed from this text, so it parses again.
    let _ = resolv::configure_lookup(&db, &whole);
    match result {
        Ok(entries) => {
            let mut addresses: Vec<String> = Vec::new();
            for e in entries {
                let a = e.addr.ip().to_string();
                if !addresses.contains(&a) {
                    addresses.push(a);
                }
            }
            (Status::Success, addresses, how)
        }
        Err(crate::sys::SysError::Gai { code, .. }) if code == libc::EAI_AGAIN => {
            (Status::TryAgain, Vec::new(), how)
        }
        Err(crate::sys::SysError::Gai { code, .. })
            if code == libc::EAI_NONAME || code == libc::EAI_NODATA =>
        {
            (Status::NotFound, Vec::new(), how)
        }
        Err(_) => (Status::Unavail, Vec::new(), how),
    }
}
