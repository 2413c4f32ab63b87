//! sockscope as a library: every layer from the libc calls to the renderers; the binary only parses and exits.
//!
//! Imports run one way: `sys` (the C library, the only `unsafe`) → `model`, `text`, `parse`,
//! `validate` → `calls` → `render`, `batch` → `runner` → `net`, `tour`, `docs` → `cli`, `app`.
//! See ARCHITECTURE.md.
#![deny(unsafe_code)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod app;
pub mod batch;
pub mod calls;
pub mod cli;
pub mod docs;
pub mod model;
pub mod net;
pub mod parse;
pub mod render;
pub mod runner;
#[allow(unsafe_code)]
pub mod sys;
pub mod text;
pub mod tour;
pub mod validate;
pub mod why;
