//! `plain`: one record per line, its fields separated by tabs, no header, as `getent` prints.

use std::io::{self, Write};

use serde_json::Value;

use crate::model::{Answer, Record};

use super::Sink;

/// Writes each record as soon as it comes. The fields are the table's columns, all of them,
/// always in `Record::COLUMNS` order, so `cut -f` and `awk -F'\t'` find a field at the same
/// place whichever keys were asked; failed keys are left to stderr.
pub struct Plain<'w> {
    out: Box<dyn Write + Send + 'w>,
    /// An `elapsed_ms` field after the record's own (`--elapsed`).
    elapsed: bool,
}

impl<'w> Plain<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>, elapsed: bool) -> Self {
        Plain { out, elapsed }
    }
}

/// One field as text: a list's items separated by spaces, as getent separates aliases; a tab
/// or line break inside a value becomes a space so the line keeps its shape.
fn field(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| field(Some(item)))
            .collect::<Vec<_>>()
            .join(" "),
        Some(other) => other.to_string(),
    };
    text.replace(['\t', '\n', '\r'], " ")
}

/// The fields of `record`, from its JSON form so lists keep their items apart; a column that
/// is no JSON field (a table-only summary, such as serve's `detail`) is its table cell.
pub fn fields<R: Record>(record: &R) -> io::Result<Vec<String>> {
    let value = serde_json::to_value(record).map_err(io::Error::other)?;
    let cells = record.cells();
    Ok(R::COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| match value.get(column) {
            Some(json) => field(Some(json)),
            None => field(cells.get(i).map(|c| Value::String(c.clone())).as_ref()),
        })
        .collect())
}

impl<R: Record> Sink<R> for Plain<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        // The call is for people: comment lines, which `grep -v '^#'` or awk's `!/^#/` skip.
        if let Some(call) = &answer.call {
            for line in super::explain_block(call, usize::MAX).lines() {
                if !line.is_empty() {
                    writeln!(self.out, "# {line}")?;
                }
            }
        }
        if let Ok(records) = &answer.result {
            for record in records {
                let mut fields = fields(record)?;
                if self.elapsed {
                    fields.push(
                        answer
                            .elapsed
                            .map_or_else(String::new, |d| format!("{:.1}", d.as_secs_f64() * 1e3)),
                    );
                }
                writeln!(self.out, "{}", fields.join("\t"))?;
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
