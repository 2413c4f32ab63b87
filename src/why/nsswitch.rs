//! The `hosts:` line of /etc/nsswitch.conf: its sources, their action criteria, and the walk glibc makes through them.

use serde::Serialize;

/// What a source reported, in NSS's four words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Success,
    NotFound,
    Unavail,
    TryAgain,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Success => "SUCCESS",
            Status::NotFound => "NOTFOUND",
            Status::Unavail => "UNAVAIL",
            Status::TryAgain => "TRYAGAIN",
        }
    }

    fn parse(word: &str) -> Option<Status> {
        match word.to_ascii_uppercase().as_str() {
            "SUCCESS" => Some(Status::Success),
            "NOTFOUND" => Some(Status::NotFound),
            "UNAVAIL" => Some(Status::Unavail),
            "TRYAGAIN" => Some(Status::TryAgain),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Return,
    Continue,
    Merge,
}

/// One source of the line with its criteria (`dns [NOTFOUND=return]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub name: String,
    /// The criteria as written, e.g. `[NOTFOUND=return]`; empty when none.
    pub criteria: String,
    #[serde(skip)]
    actions: [Action; 4],
}

impl Source {
    fn new(name: &str) -> Source {
        Source {
            name: name.to_string(),
            criteria: String::new(),
            // SUCCESS returns, everything else continues, unless the line says otherwise.
            actions: [
                Action::Return,
                Action::Continue,
                Action::Continue,
                Action::Continue,
            ],
        }
    }

    pub fn action(&self, status: Status) -> Action {
        self.actions[status as usize]
    }

    /// Whether the action for `status` is the default or was set by the line.
    pub fn explicit(&self, status: Status) -> bool {
        self.criteria.to_ascii_uppercase().contains(status.name())
    }
}

/// The hosts database's service list and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The text after `hosts:`.
    pub text: String,
    /// `/etc/nsswitch.conf`, or glibc's built-in default when the file has no hosts line.
    pub from: String,
    pub sources: Vec<Source>,
}

/// glibc's default for a missing hosts line (nss_database.c): `files dns`.
pub const DEFAULT: &str = "files dns";

impl Line {
    /// The hosts line of `text` (the file, None if missing), as glibc's parser reads it.
    pub fn from_file(path: &str, text: Option<&str>) -> Line {
        let found = text.and_then(|t| {
            t.lines().find_map(|l| {
                let l = l.split('#').next().unwrap_or_default().trim_start();
                let (db, rest) = l.split_once(':')?;
                (db.trim() == "hosts").then(|| rest.trim().to_string())
            })
        });
        match found {
            Some(line) => Line::parse(&line, path),
            None => Line::parse(DEFAULT, "glibc default (no hosts line)"),
        }
    }

    pub fn parse(text: &str, from: &str) -> Line {
        let mut sources: Vec<Source> = Vec::new();
        let mut rest = text;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if let Some(body) = rest.strip_prefix('[') {
                let (inside, after) = body.split_once(']').unwrap_or((body, ""));
                if let Some(source) = sources.last_mut() {
                    apply(source, inside);
                    source.criteria.push_str(&format!("[{inside}]"));
                }
                rest = after;
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '[')
                    .unwrap_or(rest.len());
                sources.push(Source::new(&rest[..end]));
                rest = &rest[end..];
            }
        }
        Line {
            text: text.to_string(),
            from: from.to_string(),
            sources,
        }
    }
}

/// `STATUS=action` pairs, `!STATUS=action` meaning every other status.
fn apply(source: &mut Source, criteria: &str) {
    for item in criteria.split_whitespace() {
        let Some((status, action)) = item.split_once('=') else {
            continue;
        };
        let action = match action.to_ascii_lowercase().as_str() {
            "return" => Action::Return,
            "continue" => Action::Continue,
            "merge" => Action::Merge,
            _ => continue,
        };
        let (negated, status) = match status.strip_prefix('!') {
            Some(s) => (true, s),
            None => (false, status),
        };
        let Some(status) = Status::parse(status) else {
            continue;
        };
        for (i, slot) in source.actions.iter_mut().enumerate() {
            if (i == status as usize) != negated {
                *slot = action;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sources_and_criteria() {
        let line = Line::from_file(
            "/etc/nsswitch.conf",
            Some("passwd: files\nhosts:  files [NOTFOUND=return] mdns4_minimal dns # x\n"),
        );
        let names: Vec<&str> = line.sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["files", "mdns4_minimal", "dns"]);
        assert_eq!(line.sources[0].criteria, "[NOTFOUND=return]");
        assert_eq!(line.sources[0].action(Status::NotFound), Action::Return);
        assert_eq!(line.sources[0].action(Status::Unavail), Action::Continue);
        assert_eq!(line.sources[2].action(Status::Success), Action::Return);
    }

    #[test]
    fn negated_criteria_cover_every_other_status() {
        let line = Line::parse("dns [!UNAVAIL=return] files", "test");
        let dns = &line.sources[0];
        assert_eq!(dns.action(Status::NotFound), Action::Return);
        assert_eq!(dns.action(Status::Unavail), Action::Continue);
    }

    #[test]
    fn a_missing_line_is_glibcs_default() {
        let line = Line::from_file("/etc/nsswitch.conf", Some("passwd: files\n"));
        assert_eq!(line.text, "files dns");
        assert!(line.from.contains("default"));
    }
}
