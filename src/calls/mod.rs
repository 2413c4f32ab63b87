//! One room per libc call family: its arguments, request, record, lookup, explanation and Python view.
//!
//! Every room implements `Lookup` (one key in, one answer out) and `Subcommand` (which keys the
//! command line gives); the machinery in `runner` and `batch` is written once against those.

pub mod addrinfo;
pub mod constants;
pub mod dnsname;
pub mod fqdn;
pub mod hostbyaddr;
pub mod hostbyname;
pub mod hostbyname_ex;
pub mod hostname;
pub mod hosts;
pub mod inet;
pub mod interfaces;
pub mod listing;
pub mod nameinfo;
pub mod notes;
pub mod options;
pub mod protobyname;
pub mod protobynumber;
pub mod protocols;
pub mod pyargs;
pub mod servbyname;
pub mod servbyport;
pub mod services;

use std::ffi::{OsStr, OsString};

use crate::model::{Answer, Failure, Fatal, Record, no_python_view};

pub use options::{BatchArgs, ResolverArgs};

/// A call sockscope can make for one key.
pub trait Lookup: Send + Sync + 'static {
    /// What one answer holds: one record per entry the call returned.
    type Record: Record + Send + 'static;

    /// Make the call for one key: a command-line key or a line of batch input; `None` where
    /// the call takes no key or is made with NULL.
    fn answer(&self, key: Option<&OsStr>) -> Answer<Self::Record>;

    /// The same answer without the call behind it (`Answer::call` is `None`), for a format
    /// that will not print it: a call whose description costs more than its lookup overrides
    /// this to skip building it, which in a batch is most of sockscope's own work per key.
    fn answer_bare(&self, key: Option<&OsStr>) -> Answer<Self::Record> {
        let mut answer = self.answer(key);
        answer.call = None;
        answer
    }

    /// The call Python makes for one key, for `--format python`: each word as the int or str
    /// it stands for (`pyargs`), through CPython's own conversions and checks, and on to the C
    /// library even with input `answer` refuses. The same as `answer` where nothing differs.
    fn answer_python(&self, key: Option<&OsStr>) -> Answer<Self::Record> {
        self.answer(key)
    }

    /// What Python's REPL prints for an answer of this call: the repr of the value, or the
    /// last line of the exception.
    fn python(&self, result: &Result<Vec<Self::Record>, Failure>) -> String {
        no_python_view(result)
    }
}

/// The keys a subcommand's command line asks about.
pub enum Input<'a> {
    /// Keys from the command line, `-` (standard input) and `--file`, one answer each, run
    /// concurrently by the batch machinery.
    Batch {
        keys: &'a [OsString],
        batch: &'a BatchArgs,
    },
    /// These keys, answered one after the other.
    Keys(Vec<Option<OsString>>),
}

/// A subcommand that runs a `Lookup` over its keys.
pub trait Subcommand {
    type Lookup: Lookup;

    /// The call to make for each key, set up from the options (a usage error ends the run).
    fn lookup(&self) -> Result<Self::Lookup, Fatal>;

    /// The keys to answer.
    fn input(&self) -> Input<'_>;

    /// `--timeout` and `--elapsed`, for the subcommands that ask the resolver: each answer is
    /// then timed and abandoned when it takes too long.
    fn resolver(&self) -> Option<&ResolverArgs> {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;

    use super::Lookup;
    use super::addrinfo::GetAddrInfo;
    use super::hostbyname::HostByName;
    use crate::sys::netdb::Hints;

    /// An answer built without its call says the same as one built with it, minus the call.
    fn bare_matches<L: Lookup>(lookup: &L, key: &str)
    where
        L::Record: PartialEq + std::fmt::Debug,
    {
        let key = Some(OsStr::new(key));
        let (full, bare) = (lookup.answer(key), lookup.answer_bare(key));
        assert!(
            full.call.is_some(),
            "{key:?}: the full answer describes its call"
        );
        assert!(bare.call.is_none(), "{key:?}: the bare answer does not");
        assert_eq!(full.query, bare.query);
        assert_eq!(full.label, bare.label);
        match (&full.result, &bare.result) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.code(), b.code()),
            (a, b) => panic!("{key:?}: {a:?} against {b:?}"),
        }
    }

    #[test]
    fn bare_answers_skip_only_the_call() {
        // A name in /etc/hosts, numeric addresses, and a key with a NUL byte that never reaches
        // the C library: nothing here asks a nameserver.
        for key in ["localhost", "127.0.0.1", "::1", "a\0b"] {
            bare_matches(&HostByName, key);
            for lines in [false, true] {
                let mut lookup = GetAddrInfo::new(Hints::default(), None);
                lookup.lines = lines;
                bare_matches(&lookup, key);
            }
        }
    }
}
