//! Fuzz target: symbolic names and --flags/--family/--type values parse or fail cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sockscope::calls::constants::normalize_prefix;
use sockscope::cli::Cli;
use sockscope::parse;
use sockscope::text::symbols;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for group in symbols::groups() {
        if let Ok(value) = parse::symbol(group, text)
            && text.parse::<i64>().is_err()
        {
            // A name that parsed is a constant that exists with that value.
            let upper = text.to_ascii_uppercase();
            let full = if upper.starts_with(group) { upper } else { format!("{group}{upper}") };
            assert_eq!(symbols::value_of(&full), Some(value));
        }
    }
    let _ = normalize_prefix(text);
    let _ = parse::ai_flags(text);
    let _ = parse::ni_flags(text);
    let _ = parse::seconds(text);
    let _ = parse::size(text);
    let _ = Cli::parse_args(["sockscope", "addrinfo", "x", "--flags", text]);
    let _ = Cli::parse_args(["sockscope", "addrinfo", "x", "-f", text, "-t", text]);
});
