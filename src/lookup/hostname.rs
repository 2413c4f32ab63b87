//! gethostname, and the two questions that follow it: the canonical name and the addresses.

use crate::model::{Answer, Failure, HostName};
use crate::sys::netdb::{self, Hints};

use super::hostbyname::first_ipv4;

/// What `hostname` should find besides the name itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    pub fqdn: bool,
    pub addresses: bool,
}

/// `socket.gethostname()`, plus `--fqdn` and `--addresses` when asked.
pub fn lookup(extras: Extras) -> Answer<HostName> {
    let hostname = match netdb::gethostname() {
        Ok(name) => name,
        Err(err) => return Answer::new(None, Err(err.into())),
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
            let mut all: Vec<String> = Vec::new();
            for entry in netdb::getaddrinfo(Some(&c_name), None, Hints::default())? {
                let text = netdb::numeric_host(&entry.addr);
                if !all.contains(&text) {
                    all.push(text);
                }
            }
            (Some(first_ipv4(&hostname)?), Some(all))
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
    Answer::new(Some(hostname.clone()), result)
}
