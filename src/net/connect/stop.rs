//! Ctrl-C, SIGTERM and SIGHUP during an exchange: once connected, a signal stops the exchange so what arrived is still written.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use signal_hook::SigId;

/// The signals that end an exchange early and keep what arrived.
const STOP_SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Records which signal asked the exchange to stop. Armed only once connected: before, there
/// is nothing to keep, and the signal's default action ends the run at once (a connect(2) in
/// progress would not notice a flag until its own wait ended).
#[derive(Default)]
pub struct Stop {
    signal: Arc<AtomicUsize>,
    handlers: RefCell<Vec<SigId>>,
}

impl Stop {
    pub fn arm(&self) {
        let mut handlers = self.handlers.borrow_mut();
        if !handlers.is_empty() {
            return;
        }
        for sig in STOP_SIGNALS {
            // Without the handler the signal keeps its default action: the run just ends.
            if let Ok(id) =
                signal_hook::flag::register_usize(sig, Arc::clone(&self.signal), sig as usize)
            {
                handlers.push(id);
            }
        }
    }

    /// The signal that asked to stop, if one did.
    pub fn signal(&self) -> Option<i32> {
        i32::try_from(self.signal.load(Ordering::Relaxed))
            .ok()
            .filter(|&s| s != 0)
    }

    /// Take the handlers away, and end the process as the signal that stopped the exchange
    /// would have (the shell sees 128 + its number), now that the output is written.
    pub fn finish(&self) {
        for id in self.handlers.borrow_mut().drain(..) {
            signal_hook::low_level::unregister(id);
        }
        if let Some(sig) = self.signal() {
            let _ = signal_hook::low_level::emulate_default_handler(sig);
        }
    }
}
