//! The command line end to end: one module per subcommand, and rooms for what spans several.

// One test binary for all of them: it is linked once, not once per file.

#[path = "../common/mod.rs"]
mod common;

mod addrinfo;
mod completions;
mod connect;
mod connect_classroom;
mod connect_io;
mod connect_peers;
mod constants;
mod hostbyaddr;
mod hostbyname;
mod hostname;
mod hosts;
mod idna;
mod inet;
mod interfaces;
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
mod why;

// Rooms for what spans subcommands.
mod batch;
mod exits;
mod fit;
mod help;
mod limits;
mod output;
mod roundtrip;
mod startup;
