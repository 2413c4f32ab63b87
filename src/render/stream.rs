//! `stream`: a fixed-width table written row by row, for records that arrive one at a time.

use std::io::{self, Write};

use crate::model::{Answer, Record};

use super::Sink;

/// How one column of a streaming table is laid out. A table that prints each row as it happens
/// cannot measure every row first, as `table` does, so the caller fixes the widths up front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Padded on the right to this many characters: text.
    Left(usize),
    /// Padded on the left to this many characters: numbers, so their digits line up.
    Right(usize),
    /// As wide as its cell, for the last column, which nothing follows; its rule under the
    /// header is as long as its name.
    Free,
}

/// Writes the header before the first row, then every record's row as it comes (flushed by
/// the emitter), so a person (or a pipe) sees each one as it happens. Calls are shown above the rows, as in
/// `table`; failed answers are left to stderr.
pub struct StreamTable<'w> {
    out: Box<dyn Write + Send + 'w>,
    /// One per column, in `Record::COLUMNS` order; a column without one is `Free`.
    widths: &'static [Width],
    header_written: bool,
}

impl<'w> StreamTable<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>, widths: &'static [Width]) -> Self {
        StreamTable {
            out,
            widths,
            header_written: false,
        }
    }

    fn width(&self, column: usize) -> Width {
        self.widths.get(column).copied().unwrap_or(Width::Free)
    }

    /// One line: each cell padded to its column, one space between columns, nothing trailing.
    fn write_row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let cell = cell.as_ref();
            match self.width(i) {
                Width::Left(w) => line.push_str(&format!("{cell:<w$} ")),
                Width::Right(w) => line.push_str(&format!("{cell:>w$} ")),
                Width::Free => line.push_str(cell),
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }

    fn write_header(&mut self, columns: &[&str]) -> io::Result<()> {
        self.write_row(columns)?;
        let rule: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, name)| match self.width(i) {
                Width::Left(w) | Width::Right(w) => "-".repeat(w),
                Width::Free => "-".repeat(name.chars().count()),
            })
            .collect();
        self.write_row(&rule)
    }
}

impl<R: Record> Sink<R> for StreamTable<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        if let Some(call) = &answer.call {
            let explained = super::explain_block(call, super::terminal_width());
            self.out.write_all(explained.as_bytes())?;
        }
        if let Ok(records) = &answer.result {
            for record in records {
                if !self.header_written {
                    self.header_written = true;
                    self.write_header(R::COLUMNS)?;
                }
                self.write_row(&record.cells())?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Row(&'static str, &'static str, &'static str);

    impl Record for Row {
        const KEYS: &'static [&'static str] = &[];
        const COLUMNS: &'static [&'static str] = &["n", "name", "detail"];
        fn cells(&self) -> Vec<String> {
            vec![self.0.to_string(), self.1.to_string(), self.2.to_string()]
        }
    }

    const WIDTHS: &[Width] = &[Width::Right(4), Width::Left(6), Width::Free];

    #[test]
    fn rows_are_padded_to_fixed_widths_under_one_header() {
        let mut out = Vec::new();
        {
            let mut sink = StreamTable::new(Box::new(&mut out), WIDTHS);
            for row in [Row("1", "ab", "x=1 y=2"), Row("12345", "", "")] {
                sink.answer(&Answer::new(None, Ok(vec![row]))).unwrap();
            }
            Sink::<Row>::finish(&mut sink).unwrap();
        }
        let expected = [
            "   n name   detail",
            "---- ------ ------",
            "   1 ab     x=1 y=2",
            "12345",
        ];
        assert_eq!(String::from_utf8(out).unwrap(), expected.join("\n") + "\n");
    }

    #[test]
    fn nothing_is_written_without_a_row() {
        let mut out = Vec::new();
        {
            let mut sink = StreamTable::new(Box::new(&mut out), WIDTHS);
            sink.answer(&Answer::<Row>::new(None, Ok(Vec::new())))
                .unwrap();
            Sink::<Row>::finish(&mut sink).unwrap();
        }
        assert!(out.is_empty());
    }
}
