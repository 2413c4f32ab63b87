//! The words of the top-level help and the man page that no clap definition holds: exit codes, examples.

/// Text for `--help` and the README: keep the three in step with the binary's exit codes and
/// with `EXIT_CODES`, the same list for the man page.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  every key answered
  1  at least one key not found (EAI_NONAME, EAI_NODATA, no such service,
     port or constant)
  2  usage error or bad input (nothing was passed to libc for it)
  3  temporary failure (EAI_AGAIN, TRY_AGAIN, TIMEOUT, a connection timing
     out): retrying may help
  4  any other system failure (EAI_FAIL, EAI_SYSTEM, errno, I/O)
When some keys succeed and others fail, the successes are printed and the exit code is the \
highest among the failures.";

/// The exit codes as a list, for the man page.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (0, "every key answered"),
    (
        1,
        "at least one key not found (EAI_NONAME, EAI_NODATA, no such service, port or constant)",
    ),
    (
        2,
        "usage error or bad input (nothing was passed to libc for it)",
    ),
    (
        3,
        "temporary failure (EAI_AGAIN, TRY_AGAIN, TIMEOUT, a connection timing out): retrying may help",
    ),
    (
        4,
        "any other system failure (EAI_FAIL, EAI_SYSTEM, errno, I/O)",
    ),
];

/// What the man page says after the list of exit codes.
pub const EXIT_NOTE: &str = "When some keys succeed and others fail, the successes are printed \
and the exit code is the highest among the failures.";

/// The top level's examples, for `--help` and the man page.
pub const EXAMPLES: &str = "  sockscope addrinfo localhost http
  sockscope servbyname ssh http/tcp --json
  sockscope constants AF_ --value 10";
