//! The C math functions the binary's crates call, so that it does not load the C math library.
//!
//! The progress bar (indicatif) and the `--stats` histogram (hdrhistogram) are the only code
//! that calls libm, and a shared library costs every run some hundred microseconds to map and
//! relocate. Defining the symbols here (with the `libm` crate's ports of musl's functions)
//! leaves nothing for libm.so to provide, and the linker, with `--as-needed`, drops it.

/// The C library's `pow(x, y)`.
#[unsafe(no_mangle)]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    ::libm::pow(x, y)
}

/// The C library's `log2(x)`.
#[unsafe(no_mangle)]
pub extern "C" fn log2(x: f64) -> f64 {
    ::libm::log2(x)
}

#[cfg(test)]
mod tests {
    use super::{log2, pow};

    #[test]
    fn pow_and_log2_agree_with_known_values() {
        assert_eq!(pow(2.0, 10.0), 1024.0);
        assert_eq!(pow(0.1, 0.0), 1.0);
        assert!((pow(0.1, 0.5) - 0.1f64.sqrt()).abs() < 1e-15);
        assert!(pow(-1.0, 0.5).is_nan());
        assert_eq!(log2(1024.0), 10.0);
        assert_eq!(log2(1.0), 0.0);
        assert!(log2(-1.0).is_nan());
    }
}
