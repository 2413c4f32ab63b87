//! What the database listings (services, protocols, hosts) share: the set/get/end loop as C source, the answer, and the Python view of a walk Python cannot make.

use crate::model::{Answer, Call, Failure, NO_PYTHON};
use crate::sys::SysError;

use super::notes::failure_note;

/// One database as its walk names it.
#[derive(Debug, Clone, Copy)]
pub struct Database {
    /// The stem of its C calls: `serv` for setservent, getservent_r, endservent.
    pub stem: &'static str,
    /// Its name in nsswitch.conf and for getent: `services`.
    pub name: &'static str,
    /// The file the `files` module reads.
    pub file: &'static str,
}

impl Database {
    /// The get*ent_r call's arguments after the buffer (gethostent_r adds h_errno's address).
    fn rest(&self) -> &'static str {
        if self.stem == "host" {
            "&result, &h_errno"
        } else {
            "&result"
        }
    }

    /// The loop getent runs, in one line of C: `keep` is a condition on `result` where only
    /// some entries are listed.
    pub fn c_loop(&self, keep: Option<&str>) -> String {
        let stem = self.stem;
        let show = match keep {
            Some(keep) => format!("if ({keep}) print(result);"),
            None => "print(result);".to_string(),
        };
        format!(
            "set{stem}ent(0); while (get{stem}ent_r(&ret, buf, 16384, {}) == 0) {show} \
             end{stem}ent()",
            self.rest()
        )
    }

    /// The Python line of the call: a comment, since the socket module has no such loop
    /// (a comment is valid Python that does nothing, so a pasted transcript still runs).
    pub fn python_line(&self) -> String {
        let stem = self.stem;
        format!(
            "# no Python equivalent: the socket module has no set{stem}ent, get{stem}ent or \
             end{stem}ent"
        )
    }

    /// The notes every listing of this database shows.
    fn notes(&self, one: &str) -> Vec<String> {
        let (stem, name, file) = (self.stem, self.name, self.file);
        vec![
            format!(
                "each get{stem}ent_r call returns the next entry of the sources the \
                 `{name}:` line of /etc/nsswitch.conf names ({file} for `files`), in their \
                 order: `getent {name}` runs this same loop"
            ),
            format!(
                "the cursor is one per process, so sockscope holds a lock from set{stem}ent to \
                 end{stem}ent; the buffer starts at 16 KiB and doubles on ERANGE"
            ),
            format!("Python can only ask for one entry at a time: {one}"),
        ]
    }

    /// The answer for a walk: its entries turned into records (an empty list is NOT_FOUND,
    /// as grep finds nothing), with the call behind it and `notes` after the database's own.
    pub fn answer<R>(
        &self,
        walked: Result<Vec<R>, SysError>,
        c: String,
        one: &str,
        notes: Vec<String>,
        empty: impl FnOnce() -> String,
    ) -> Answer<R> {
        let result = match walked {
            Ok(rows) if rows.is_empty() => Err(Failure::not_found(empty())),
            Ok(rows) => Ok(rows),
            Err(err) => Err(Failure::from(err)),
        };
        let mut all = self.notes(one);
        all.extend(notes);
        if let Err(failure) = &result {
            all.extend(failure_note(failure));
        }
        let call = Call {
            c,
            python: self.python_line(),
            notes: all,
        };
        Answer::new(None, result).with_call(call)
    }

    /// What `--format python` prints: a comment, since there is no value Python would show,
    /// with what C found so the transcript still tells the story.
    pub fn python_view<R>(&self, result: &Result<Vec<R>, Failure>) -> String {
        let stem = self.stem;
        match result {
            Ok(rows) if rows.is_empty() => NO_PYTHON.to_string(),
            Ok(rows) => format!(
                "# no Python equivalent (socket has no get{stem}ent); C listed {} {}",
                rows.len(),
                if rows.len() == 1 { "entry" } else { "entries" }
            ),
            Err(failure) if failure.is_invalid() => failure.python_exception(),
            Err(failure) => format!(
                "# no Python equivalent (socket has no get{stem}ent); C listed nothing: {} ({})",
                failure.message(),
                failure.code()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICES: Database = Database {
        stem: "serv",
        name: "services",
        file: "/etc/services",
    };
    const HOSTS: Database = Database {
        stem: "host",
        name: "hosts",
        file: "/etc/hosts",
    };

    #[test]
    fn the_loop_reads_like_getent() {
        assert_eq!(
            SERVICES.c_loop(None),
            "setservent(0); while (getservent_r(&ret, buf, 16384, &result) == 0) \
             print(result); endservent()"
        );
        assert_eq!(
            HOSTS.c_loop(Some("1")),
            "sethostent(0); while (gethostent_r(&ret, buf, 16384, &result, &h_errno) == 0) \
             if (1) print(result); endhostent()"
        );
    }

    #[test]
    fn an_empty_walk_is_not_found_and_python_says_what_c_listed() {
        let answer = SERVICES.answer::<u8>(Ok(vec![]), String::new(), "", vec![], || {
            "nothing".to_string()
        });
        let failure = answer.result.as_ref().unwrap_err();
        assert!(failure.is_not_found());
        assert_eq!(
            SERVICES.python_view(&answer.result),
            "# no Python equivalent (socket has no getservent); C listed nothing: nothing \
             (NOT_FOUND)"
        );
        assert_eq!(
            SERVICES.python_view::<u8>(&Ok(vec![1, 2])),
            "# no Python equivalent (socket has no getservent); C listed 2 entries"
        );
    }
}
