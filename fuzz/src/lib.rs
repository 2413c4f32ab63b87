//! sockscope's modules compiled as a library for the fuzz targets, by path, without touching the binary crate.
// sockscope has no src/lib.rs (it is one binary, and other work edits its module list), so this
// crate root declares the same module tree over the same files. A module added to src/main.rs
// that these use must be added here too.
#![allow(dead_code, unused_imports)]

#[path = "../../src/batch/mod.rs"]
pub mod batch;
#[path = "../../src/cli.rs"]
pub mod cli;
#[path = "../../src/cmd.rs"]
pub mod cmd;
#[path = "../../src/exit.rs"]
pub mod exit;
#[path = "../../src/lookup/mod.rs"]
pub mod lookup;
#[path = "../../src/model.rs"]
pub mod model;
#[path = "../../src/net/mod.rs"]
pub mod net;
#[path = "../../src/pyrepr.rs"]
pub mod pyrepr;
#[path = "../../src/render/mod.rs"]
pub mod render;
#[path = "../../src/sys/mod.rs"]
pub mod sys;
#[path = "../../src/tour.rs"]
pub mod tour;
#[path = "../../src/validate.rs"]
pub mod validate;
