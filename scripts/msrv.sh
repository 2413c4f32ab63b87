#!/usr/bin/env bash
# Build with the oldest Rust that Cargo.toml's rust-version promises, when rustup has it here.
# Nothing is downloaded: without that toolchain this says so and skips (clippy's
# incompatible_msrv lint still holds std APIs to rust-version on any toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."

msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
if [ -z "$msrv" ]; then
  echo "scripts/msrv.sh: Cargo.toml has no rust-version" >&2
  exit 1
fi
# rustup names it 1.88 or 1.88.0, with the host triple after a dash.
toolchain=$(rustup toolchain list 2>/dev/null |
  awk -v v="$msrv" '{ split($1, t, "-"); if (t[1] == v || t[1] == v ".0") { print $1; exit } }')
if [ -z "$toolchain" ]; then
  echo "scripts/msrv.sh: SKIPPED the build with Rust $msrv (rust-version): no such toolchain" \
    "here (rustup toolchain list); 'rustup toolchain install $msrv' makes this check run" >&2
  exit 0
fi
echo "scripts/msrv.sh: building with $toolchain (rust-version $msrv)" >&2
# A target directory of its own, so the two compilers do not rebuild each other's artefacts.
cargo "+$toolchain" build --locked --all-targets --target-dir target/msrv
