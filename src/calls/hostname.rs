//! gethostname, and the two questions that follow it: the canonical name and the addresses.

use std::ffi::OsStr;

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, NO_PYTHON, Record};
use crate::sys::netdb::{self, Hints};
use crate::text::csource;
use crate::text::pyrepr::Py;

use super::hostbyname::first_ipv4;
use super::notes::failure_note;
use super::options::ResolverArgs;
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct HostnameArgs {
    /// Also show the canonical name (getaddrinfo with AI_CANONNAME), like `hostname -f`
    #[arg(long)]
    pub fqdn: bool,

    /// Also show gethostbyname(gethostname()) and every address of the host name
    #[arg(long)]
    pub addresses: bool,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// `gethostname`, with what people look up next when asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostName {
    pub hostname: String,
    /// The canonical name (getaddrinfo with AI_CANONNAME), with `--fqdn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    /// `gethostbyname(gethostname())`, with `--addresses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Every address getaddrinfo gives for the host name, both families, with `--addresses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<String>>,
}

impl Record for HostName {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["hostname", "fqdn", "address", "addresses"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.hostname.clone(),
            self.fqdn.clone().unwrap_or_default(),
            self.address.clone().unwrap_or_default(),
            self.addresses
                .as_ref()
                .map(|a| a.join(", "))
                .unwrap_or_default(),
        ]
    }
}

/// The calls `hostname` makes with these extras, as C source and as one Python expression
/// (a tuple of the calls, in field order, when there is more than one).
fn call(extras: Extras, hostname: Option<&str>, failure: Option<&Failure>) -> Call {
    let name = hostname.unwrap_or("NAME");
    let mut c = vec!["gethostname(buf, sizeof buf)".to_string()];
    let mut python = vec!["socket.gethostname()".to_string()];
    let mut notes =
        vec!["the kernel's host name (uname -n); nothing says it is known to DNS".to_string()];
    if extras.fqdn {
        let hints = Hints {
            flags: libc::AI_CANONNAME,
            ..Hints::default()
        };
        c.push(csource::c_getaddrinfo(Some(name), None, hints));
        python.push(
            "socket.getaddrinfo(socket.gethostname(), None, flags=socket.AI_CANONNAME)[0][3]"
                .to_string(),
        );
        notes.push(
            "fqdn: the canonical name getaddrinfo gives with AI_CANONNAME, like hostname -f"
                .to_string(),
        );
    }
    if extras.addresses {
        let v4 = Hints {
            family: libc::AF_INET,
            ..Hints::default()
        };
        c.push(csource::c_getaddrinfo(Some(name), None, v4));
        c.push(csource::c_getaddrinfo(Some(name), None, Hints::default()));
        python.push("socket.gethostbyname(socket.gethostname())".to_string());
        python.push(
            "list(dict.fromkeys(ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None)))"
                .to_string(),
        );
        notes.push(
            "address is the lecture's gethostbyname(gethostname()), IPv4 only; addresses has \
             every family"
                .to_string(),
        );
    }
    notes.extend(failure.and_then(failure_note));
    let python = if python.len() == 1 {
        python.remove(0)
    } else {
        format!("({})", python.join(", "))
    };
    Call {
        c: c.join("; "),
        python,
        notes,
    }
}

/// What `hostname` should find besides the name itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    pub fqdn: bool,
    pub addresses: bool,
}

/// `socket.gethostname()`, plus `--fqdn` and `--addresses` when asked.
pub struct Hostname(pub Extras);

impl Lookup for Hostname {
    type Record = HostName;

    fn answer(&self, _key: Option<&OsStr>) -> Answer<HostName> {
        lookup(self.0)
    }

    /// `gethostname()` alone is a str; with `--fqdn` or `--addresses` the Python line is a
    /// tuple of every call made, in the order of the fields.
    fn python(&self, result: &Result<Vec<HostName>, Failure>) -> String {
        let first = match result {
            Ok(rows) => rows.first(),
            Err(failure) => return failure.python_exception(),
        };
        let Some(first) = first else {
            return NO_PYTHON.to_string();
        };
        let mut items = vec![Py::str(&first.hostname)];
        items.extend(first.fqdn.as_ref().map(Py::str));
        items.extend(first.address.as_ref().map(Py::str));
        items.extend(first.addresses.as_ref().map(|a| Py::strs(a)));
        let value = if items.len() == 1 {
            items.remove(0)
        } else {
            Py::Tuple(items)
        };
        value.to_string()
    }
}

impl Subcommand for HostnameArgs {
    type Lookup = Hostname;

    fn lookup(&self) -> Result<Hostname, Fatal> {
        Ok(Hostname(Extras {
            fqdn: self.fqdn,
            addresses: self.addresses,
        }))
    }

    fn input(&self) -> Input<'_> {
        Input::Keys(vec![None])
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}

fn lookup(extras: Extras) -> Answer<HostName> {
    let hostname = match netdb::gethostname() {
        Ok(name) => name,
        Err(err) => {
            let failure = Failure::from(err);
            let call = call(extras, None, Some(&failure));
            return Answer::new(None, Err(failure)).with_call(call);
        }
    };
    let result = (|| {
        let c_name = netdb::c_string(&hostname)?;
        let fqdn = if extras.fqdn {
            let hints = Hints {
                flags: libc::AI_CANONNAME,
                ..Hints::default()
            };
            let entries = netdb::getaddrinfo(Some(&c_name), None, hints)?;
            Some(
                entries
                    .into_iter()
                    .find_map(|e| e.canonname)
                    .unwrap_or_else(|| hostname.clone()),
            )
        } else {
            None
        };
        let (address, addresses) = if extras.addresses {
            // In the order Python evaluates the tuple: gethostbyname, then getaddrinfo.
            let address = first_ipv4(&hostname)?;
            let mut all: Vec<String> = Vec::new();
            for entry in netdb::getaddrinfo(Some(&c_name), None, Hints::default())? {
                let text = netdb::ntop(&entry.addr.ip());
                if !all.contains(&text) {
                    all.push(text);
                }
            }
            (Some(address), Some(all))
        } else {
            (None, None)
        };
        Ok::<_, Failure>(vec![HostName {
            hostname: hostname.clone(),
            fqdn,
            address,
            addresses,
        }])
    })();
    let call = call(extras, Some(&hostname), result.as_ref().err());
    Answer::new(Some(hostname.clone()), result).with_call(call)
}
