//! SIGINT, SIGTERM and SIGHUP caught for the length of a batch, so it can finish what it wrote.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::{SigId, flag, low_level};

/// The stop signals, caught while this lives; the default action comes back when it is dropped.
pub struct Caught {
    signal: Arc<AtomicUsize>,
    ids: Vec<SigId>,
}

impl Caught {
    /// Catch the stop signals. A second one of a kind while the first is being handled takes
    /// the default action at once, so a batch stuck in writing can still be killed by ^C ^C.
    /// Where a handler cannot be installed the signal keeps its default action.
    pub fn install() -> Caught {
        let signal = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        for number in [SIGINT, SIGTERM, SIGHUP] {
            let Ok(value) = usize::try_from(number) else {
                continue;
            };
            ids.extend(flag::register_conditional_default(number, Arc::clone(&seen)).ok());
            ids.extend(flag::register(number, Arc::clone(&seen)).ok());
            ids.extend(flag::register_usize(number, Arc::clone(&signal), value).ok());
        }
        Caught { signal, ids }
    }

    /// The signal caught, if any.
    pub fn caught(&self) -> Option<i32> {
        match self.signal.load(Ordering::Relaxed) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}

impl Drop for Caught {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            low_level::unregister(id);
        }
    }
}
