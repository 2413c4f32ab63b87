//! gethostname, and the two questions that follow it: the canonical name and the addresses.

use crate::model::{Answer, Call, Failure, HostName};
use crate::sys::netdb::{self, Hints};

use super::explain;
use super::hostbyname::first_ipv4;

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
        c.push(explain::c_getaddrinfo(Some(name), None, hints));
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
        c.push(explain::c_getaddrinfo(Some(name), None, v4));
        c.push(explain::c_getaddrinfo(Some(name), None, Hints::default()));
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
    notes.extend(failure.and_then(explain::failure_note));
    let python = if python.len() == 1 {
        python.remove(0)
    } else {
        format!("({})", python.join(", "))
    };
    Call {
        c: c.join("; "),
        python,
        notes,
        function: "gethostname",
    }
}

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
        Err(err) => {
            let failure = Failure::from(err);
            let call = call(extras, None, Some(&failure));
            let mut answer = Answer::new(None, Err(failure));
            answer.call = Some(call);
            return answer;
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
    let call = call(extras, Some(&hostname), result.as_ref().err());
    let mut answer = Answer::new(Some(hostname.clone()), result);
    answer.call = Some(call);
    answer
}
