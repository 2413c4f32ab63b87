//! The command line end to end: one module per subcommand, and rooms for what spans several.

// One test binary for all of them: it is linked once, not once per file.

#[path = "../common/mod.rs"]
mod common;

mod batch;
mod help;
mod roundtrip;
mod tour;
