//! The process's start: a C `main` that does what Rust's runtime start-up does, minus its costs.
//!
//! Rust's own start-up (`fn main`) reads /proc/self/maps to find the main thread's stack and
//! gives every thread an alternate signal stack, only to print "stack overflow" instead of a
//! plain SIGSEGV: for a one-lookup run that was a fifth of its time above the C library's. Here
//! `main` keeps what the rest of the program relies on: descriptors 0-2 are never left closed
//! (a socket must not become stdout), SIGPIPE is ignored (a closed pipe is an EPIPE to report),
//! and a panic ends the process with 101, as Rust's start-up does.

use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether descriptor 1 was closed when the process started (`>&-`): /dev/null stands in for
/// it, so that nothing else takes its number, and output written there is lost.
static STDOUT_WAS_CLOSED: AtomicBool = AtomicBool::new(false);

/// Defines the process's C `main` as a call of `$run` (a `fn() -> i32` returning the exit
/// code) after `start::prepare`. For the binary only: a library's tests have their own main.
#[macro_export]
macro_rules! c_main {
    ($run:path) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn main(
            _argc: ::std::ffi::c_int,
            _argv: *const *const ::std::ffi::c_char,
        ) -> ::std::ffi::c_int {
            $crate::sys::start::run($run)
        }
    };
}

/// Prepare the process as Rust's start-up would, then run `body` and return its exit code
/// (101 if it panicked: the panic hook has printed the message).
pub fn run(body: fn() -> i32) -> c_int {
    prepare();
    std::panic::catch_unwind(body).unwrap_or(101)
}

/// Whether standard output was closed at start (see `STDOUT_WAS_CLOSED`).
pub fn stdout_was_closed() -> bool {
    STDOUT_WAS_CLOSED.load(Ordering::Relaxed)
}

fn prepare() {
    for fd in closed_standard_fds() {
        // SAFETY: a NUL-terminated path; open takes the lowest free descriptor, which is the
        // closed one, since they are reopened in order.
        let opened = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        if opened != fd {
            // Nothing sensible to run with: as Rust's start-up does, give up.
            std::process::abort();
        }
        if fd == 1 {
            STDOUT_WAS_CLOSED.store(true, Ordering::Relaxed);
        }
    }
    // SAFETY: setting a signal's disposition to SIG_IGN has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// Which of descriptors 0, 1 and 2 are closed, in order: one poll(2) asks for all three.
fn closed_standard_fds() -> Vec<c_int> {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: `fds` is a valid array of three pollfd for the duration of the call.
    if unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) } >= 0 {
        return fds
            .iter()
            .filter(|p| p.revents & libc::POLLNVAL != 0)
            .map(|p| p.fd)
            .collect();
    }
    // poll(2) itself failed (no memory, say): ask each descriptor.
    (0..3)
        .filter(|&fd| {
            // SAFETY: F_GETFD only reads the descriptor's flags.
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
            flags == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
        })
        .collect()
}
