//! SIGINT, SIGTERM and SIGHUP for a run of one lookup on the main thread, which cannot poll.
//!
//! A batch's writer looks at its signal flags between answers. One key looked up on the main
//! thread is inside the C library until it answers, so a handler does the work: before the
//! answer, it writes what the output ends with when nothing was answered (`[]` for JSON), the
//! same `interrupted by` line a batch writes, and ends the process as a shell reports a killed
//! one (128 + the signal); once the answer is in hand, it only notes the signal, and the run
//! ends after writing it. Three sigaction(2) calls, where a general signal registry cost a
//! one-lookup run tens of thousands of instructions.

use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, AtomicUsize, Ordering};

/// What stdout ends with when the signal comes before the answer.
static TAIL: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static TAIL_LEN: AtomicUsize = AtomicUsize::new(0);
/// Whether the answer is in hand: from then on a signal only ends the run after its output.
static ANSWERED: AtomicBool = AtomicBool::new(false);
/// The signal that came after the answer, or 0.
static CAUGHT: AtomicI32 = AtomicI32::new(0);

/// The signals a run ends on, with the line that says so (as `batch` words it).
const SIGNALS: [(c_int, &[u8]); 3] = [
    (libc::SIGINT, b"sockscope: interrupted by SIGINT\n"),
    (libc::SIGTERM, b"sockscope: interrupted by SIGTERM\n"),
    (libc::SIGHUP, b"sockscope: interrupted by SIGHUP\n"),
];

/// From now on, SIGINT, SIGTERM and SIGHUP end the run: at once, with `tail` on stdout and the
/// line on stderr, until `answered`; after it, when the run has written its answer.
pub fn guard(tail: &'static [u8]) {
    TAIL_LEN.store(tail.len(), Ordering::SeqCst);
    TAIL.store(tail.as_ptr().cast_mut(), Ordering::SeqCst);
    for (signal, _) in SIGNALS {
        // SAFETY: a zeroed sigaction is a valid start; the handler is an extern "C" function
        // that only makes async-signal-safe calls (write, _exit) and atomic stores.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(c_int) as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// The answer is in hand: a signal now waits for the run to write it.
pub fn answered() {
    ANSWERED.store(true, Ordering::SeqCst);
}

/// The signal that came after the answer, if one did.
pub fn caught() -> Option<i32> {
    match CAUGHT.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

extern "C" fn on_signal(signal: c_int) {
    if ANSWERED.load(Ordering::SeqCst) {
        CAUGHT.store(signal, Ordering::SeqCst);
        return;
    }
    let tail = TAIL.load(Ordering::SeqCst);
    let len = TAIL_LEN.load(Ordering::SeqCst);
    let line = SIGNALS
        .iter()
        .find(|(s, _)| *s == signal)
        .map_or(&b""[..], |(_, line)| line);
    // SAFETY: write(2) and _exit(2) are async-signal-safe; `tail` points at `len` bytes of a
    // 'static slice (or is null with length 0), and `line` is a 'static slice.
    unsafe {
        if !tail.is_null() && len > 0 {
            libc::write(1, tail.cast(), len);
        }
        libc::write(2, line.as_ptr().cast(), line.len());
        libc::_exit(128 + signal);
    }
}
