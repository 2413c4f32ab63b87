//! The command line end to end: one module per subcommand, and rooms for what spans several.

// One test binary for all of them: it is linked once, not once per file.

#[path = "../common/mod.rs"]
mod common;

mod addrinfo;
mod completions;
mod connect;
mod constants;
mod hostbyaddr;
mod hostbyname;
mod hostname;
mod hosts;
mod man;
mod nameinfo;
mod protobyname;
mod protobynumber;
mod protocols;
mod servbyname;
mod servbyport;
mod serve;
mod services;
mod socket;
mod tour;

// Rooms for what spans subcommands.
mod batch;
mod help;
mod output;
mod roundtrip;
