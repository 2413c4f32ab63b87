//! `table`: aligned columns named like the JSON fields; failed keys are left to stderr.

use std::io::{self, Write};

use tabled::builder::Builder;
use tabled::settings::style::HorizontalLine;
use tabled::settings::{Padding, Style};

use crate::model::{Answer, Record};

use super::Sink;

/// Collects rows (a table needs every width before it can print) and writes them on `finish`.
pub struct Table<'w> {
    out: Box<dyn Write + 'w>,
    columns: &'static [&'static str],
    keys: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

impl<'w> Table<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        Table {
            out,
            columns: &[],
            keys: &[],
            rows: Vec::new(),
        }
    }
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", String::as_str)
}

/// Lay out `rows` under `columns`, leaving out columns that are empty in every row (no
/// canonical name asked for, no IPv6 row) and key columns that never change, so the table
/// fits an 80-column terminal.
pub fn layout(columns: &[&str], keys: &[&str], rows: &[Vec<String>]) -> String {
    let keep: Vec<usize> = (0..columns.len())
        .filter(|&i| rows.iter().any(|row| !cell(row, i).is_empty()))
        .filter(|&i| {
            !keys.contains(&columns[i]) || rows.iter().any(|row| cell(row, i) != cell(&rows[0], i))
        })
        .collect();
    let mut builder = Builder::default();
    builder.push_record(keep.iter().map(|&i| columns[i].to_string()));
    for row in rows {
        builder.push_record(
            keep.iter()
                .map(|&i| row.get(i).cloned().unwrap_or_default()),
        );
    }
    let mut table = builder.build();
    table.with(Style::blank().horizontals([(1, HorizontalLine::new('-').intersection(' '))]));
    table.with(Padding::new(0, 1, 0, 0));
    let mut text = table.to_string();
    // Trailing spaces on each line are padding, not content.
    text = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

impl<R: Record> Sink<R> for Table<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        self.columns = R::COLUMNS;
        self.keys = R::KEYS;
        // The table itself waits for every row, so the calls all come out above it.
        if let Some(call) = &answer.call {
            self.out.write_all(super::explain_block(call).as_bytes())?;
        }
        if let Ok(records) = &answer.result {
            self.rows.extend(records.iter().map(Record::cells));
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if !self.rows.is_empty() {
            self.out
                .write_all(layout(self.columns, self.keys, &self.rows).as_bytes())?;
        }
        self.out.flush()
    }
}
