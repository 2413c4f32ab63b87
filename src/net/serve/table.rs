//! `serve`'s table: fixed columns streamed row by row, details wrapped to the terminal (80 columns off one), control characters escaped.

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

use crate::model::{Answer, Call, Record};
use crate::render::{Sink, StreamTable, Width};
use crate::text::printable;

use super::events::ServeEvent;

/// The width a table keeps to off a terminal, and on one whose width is not known.
pub const DEFAULT_WIDTH: usize = 80;

/// The narrowest detail column wrapping will make, however narrow the terminal.
const MIN_DETAIL: usize = 20;

/// The table's width: the terminal's (`COLUMNS`, as shells set it) when stdout is one, else 80.
pub fn width() -> usize {
    if !io::stdout().is_terminal() {
        return DEFAULT_WIDTH;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(DEFAULT_WIDTH)
}

/// One printed line of the table: an event's row, or the rest of its detail beneath it.
#[derive(Serialize)]
struct Row(Vec<String>);

impl Record for Row {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = ServeEvent::COLUMNS;
    fn cells(&self) -> Vec<String> {
        self.0.clone()
    }
}

/// Text a cell may hold: control characters escaped (`\u{1b}`), so nothing a client or a
/// name brings can reach the terminal as a control sequence.
fn safe(text: &str) -> String {
    printable(text, 4096)
}

/// Words into lines of at most `room` characters; a word longer than that is cut.
pub fn wrap(words: &[String], room: usize) -> Vec<String> {
    let room = room.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > room {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..room).collect());
        }
        let word: String = word.into_iter().collect();
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `--explain` above the table, its lines wrapped to the table's width.
pub fn explain(call: &Call, width: usize) -> String {
    let mut text = String::new();
    for (i, line) in call.c.lines().enumerate() {
        let head = if i == 0 { "C:      " } else { "        " };
        text.push_str(&format!("{head}{line}\n"));
    }
    for (i, line) in call.python.lines().enumerate() {
        let head = if i == 0 { "Python: " } else { "        " };
        text.push_str(&format!("{head}{line}\n"));
    }
    for (i, note) in call.notes.iter().enumerate() {
        let words: Vec<String> = note.split(' ').map(str::to_string).collect();
        for (j, line) in wrap(&words, width.saturating_sub(10)).iter().enumerate() {
            let head = match (i, j) {
                (0, 0) => "Notes:  - ",
                (_, 0) => "        - ",
                _ => "          ",
            };
            text.push_str(&format!("{head}{line}\n"));
        }
    }
    text.push('\n');
    text
}

/// The streaming table of events.
pub struct EventTable<'w> {
    table: StreamTable<'w>,
    width: usize,
}

impl<'w> EventTable<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>, width: usize) -> Self {
        EventTable {
            table: StreamTable::new(out, ServeEvent::WIDTHS),
            width,
        }
    }

    /// The room the detail has after these cells: a cell wider than its column (a time past
    /// 16 minutes) pushes it right, so the room shrinks to keep the line within the width.
    fn room(&self, cells: &[String]) -> usize {
        let before: usize = cells
            .iter()
            .zip(ServeEvent::WIDTHS)
            .map(|(cell, width)| match width {
                Width::Left(n) | Width::Right(n) => cell.chars().count().max(*n) + 1,
                Width::Free => 0,
            })
            .sum();
        self.width.saturating_sub(before).max(MIN_DETAIL)
    }

    /// The event's row, then as many lines as the rest of its detail needs.
    pub fn write(&mut self, event: &ServeEvent) -> io::Result<()> {
        let mut cells: Vec<String> = event.cells().iter().map(|c| safe(c)).collect();
        let words: Vec<String> = event.detail_words().iter().map(|w| safe(w)).collect();
        let mut lines = wrap(&words, self.room(&cells)).into_iter();
        if let Some(last) = cells.last_mut() {
            *last = lines.next().unwrap_or_default();
        }
        let mut rows = vec![Row(cells)];
        for line in lines {
            let mut blank = vec![String::new(); ServeEvent::COLUMNS.len() - 1];
            blank.push(line);
            rows.push(Row(blank));
        }
        self.table.answer(&Answer::new(None, Ok(rows)))
    }

    pub fn finish(&mut self) -> io::Result<()> {
        Sink::<Row>::finish(&mut self.table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn details_wrap_at_word_boundaries_and_long_words_are_cut() {
        assert_eq!(wrap(&words("a bb ccc"), 4), ["a bb", "ccc"]);
        assert_eq!(wrap(&words("abcdefghij"), 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap(&[], 4), [""]);
    }

    #[test]
    fn every_line_fits_80_columns_and_escapes_control_characters() {
        let mut out = Vec::new();
        {
            let mut table = EventTable::new(Box::new(&mut out), DEFAULT_WIDTH);
            let events: Vec<ServeEvent> = [
                r#"{"event":"listening","t_ms":0.1,"address":"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff","port":65535}"#,
                r#"{"event":"accepted","t_ms":99999.5,"conn":12345,"peer":"[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535"}"#,
                r#"{"event":"closed","t_ms":1.5,"conn":1,"peer":"[::1]:4","reason":"max_bytes","bytes_in":1099511627776,"bytes_out":1099511627776}"#,
                r#"{"event":"error","t_ms":1.5,"reason":"accept: \u001b[31mred","code":"EMFILE"}"#,
                r#"{"event":"summary","t_ms":123456789.5,"reason":"signal","bytes_in":1099511627776,"bytes_out":1099511627776,"connections":99999}"#,
            ]
            .iter()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
            for event in &events {
                table.write(event).unwrap();
            }
            table.finish().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("\\u{1b}[31mred"), "{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{} columns: {line}", line.len());
        }
        assert!(text.contains("bytes_out=1099511627776"), "{text}");
    }
}
