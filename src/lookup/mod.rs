//! One module per libc call family: each turns user keys into `Answer`s and never prints.

pub mod addrinfo;
pub mod constants;
mod constants_table;
pub mod dnsname;
pub mod explain;
pub mod hostbyaddr;
pub mod hostbyname;
pub mod hostname;
pub mod limit;
pub mod nameinfo;
pub mod proto;
pub mod servent;
