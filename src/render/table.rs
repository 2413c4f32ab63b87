//! `table`: aligned columns named like the JSON fields; failed keys are left to stderr.

use std::io::{self, Write};

use tabled::builder::Builder;
use tabled::settings::peaker::PriorityMax;
use tabled::settings::style::HorizontalLine;
use tabled::settings::{Padding, Style, Width};

use crate::model::{Answer, Record};

use super::{Sink, color};

/// Collects rows (a table needs every width before it can print) and writes them on `finish`,
/// or every `CHUNK_ROWS` rows of a long batch.
pub struct Table<'w> {
    out: Box<dyn Write + Send + 'w>,
    columns: Vec<&'static str>,
    keys: &'static [&'static str],
    answers: usize,
    /// Tables written so far (a long batch is written one table at a time).
    tables: usize,
    rows: Vec<Vec<String>>,
    /// Whether to colour the header and cells (decided by the caller from `--color`).
    color: bool,
    /// Add an `elapsed_ms` column after the record's own.
    elapsed: bool,
    /// The width to fit (0: no limit).
    width: usize,
}

impl<'w> Table<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        Self::with_color(out, false).with_width(super::terminal_width())
    }

    pub fn with_color(out: Box<dyn Write + Send + 'w>, color: bool) -> Self {
        Table {
            out,
            columns: Vec::new(),
            keys: &[],
            answers: 0,
            tables: 0,
            rows: Vec::new(),
            color,
            elapsed: false,
            width: 0,
        }
    }

    /// With an `elapsed_ms` column: each row gets its answer's time, so a batch shows which
    /// key was slow.
    pub fn with_elapsed(mut self, elapsed: bool) -> Self {
        self.elapsed = elapsed;
        self
    }

    /// Fitting `width` columns (0: no limit), see `layout`.
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width;
        self
    }
}

/// Milliseconds to one decimal: enough to tell a cache hit from a network round trip.
fn elapsed_cell(elapsed: Option<std::time::Duration>) -> String {
    elapsed.map_or_else(String::new, |d| format!("{:.1}", d.as_secs_f64() * 1000.0))
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", String::as_str)
}

/// Lay out `rows` under `columns`, leaving out columns that are empty in every row (no
/// canonical name asked for, no IPv6 row) and, when only one key was asked, the key columns.
/// The table then fits `width` (0: no limit): columns two spaces apart, or one when two make
/// it too wide, and only when even that is too wide are the widest cells wrapped between
/// words. With `color`, the header and some cells are coloured; widths are those of the plain
/// text, since tabled's `ansi` feature does not count escape sequences.
pub fn layout(
    columns: &[&str],
    keys: &[&str],
    one_key: bool,
    rows: &[Vec<String>],
    color: bool,
    width: usize,
) -> String {
    let keep: Vec<usize> = (0..columns.len())
        .filter(|&i| rows.iter().any(|row| !cell(row, i).is_empty()))
        .filter(|&i| !(one_key && keys.contains(&columns[i])))
        .collect();
    if !color && let Some(text) = aligned(columns, &keep, rows, width) {
        return text;
    }
    with_tabled(columns, &keep, rows, color, width)
}

/// `layout` of the `keep` columns through tabled: any text, in colour, narrowed and wrapped.
fn with_tabled(
    columns: &[&str],
    keep: &[usize],
    rows: &[Vec<String>],
    color: bool,
    width: usize,
) -> String {
    let mut builder = Builder::default();
    builder.push_record(keep.iter().map(|&i| {
        if color {
            color::header(columns[i])
        } else {
            columns[i].to_string()
        }
    }));
    for row in rows {
        builder.push_record(keep.iter().map(|&i| {
            if color {
                color::cell(columns[i], cell(row, i))
            } else {
                cell(row, i).to_string()
            }
        }));
    }
    let table = builder.build();
    let fits = |text: &str| width == 0 || text.lines().all(|l| visible_width(l) <= width);
    let mut text = String::new();
    for gap in [1, 0] {
        let mut candidate = table.clone();
        candidate.with(style());
        candidate.with(Padding::new(0, gap, 0, 0));
        text = trimmed(&candidate.to_string());
        if fits(&text) {
            return text;
        }
    }
    let mut narrow = table;
    narrow.with(style());
    narrow.with(Padding::new(0, 0, 0, 0));
    narrow.with(
        Width::wrap(width)
            .keep_words(true)
            .priority(PriorityMax::right()),
    );
    let wrapped = trimmed(&narrow.to_string());
    if wrapped.lines().count() > text.lines().count() && fits(&wrapped) {
        wrapped
    } else {
        text
    }
}

/// The common table laid out directly, as tabled lays it out with two spaces between columns:
/// every cell printable ASCII (one column per byte, one line each) and the table within
/// `width`. None otherwise, for tabled to measure, narrow and wrap. Building tabled's grid
/// for a one-row answer was most of what a one-lookup run spent on its output.
fn aligned(columns: &[&str], keep: &[usize], rows: &[Vec<String>], width: usize) -> Option<String> {
    if keep.is_empty() {
        return None;
    }
    let simple = |text: &str| text.bytes().all(|b| (b' '..=b'~').contains(&b));
    let mut widths = Vec::with_capacity(keep.len());
    for &i in keep {
        if !simple(columns[i]) || !rows.iter().all(|row| simple(cell(row, i))) {
            return None;
        }
        let widest = rows.iter().map(|row| cell(row, i).len()).max().unwrap_or(0);
        widths.push(widest.max(columns[i].len()));
    }
    // Each column is its width and one space of padding, then one space before the next.
    let line = widths.iter().map(|w| w + 1).sum::<usize>() + widths.len().saturating_sub(1);
    let mut text = String::with_capacity((rows.len() + 2) * (line + 1));
    push_line(&mut text, &widths, keep.iter().map(|&i| columns[i]));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(w + 1)).collect();
    text.push_str(&rule.join(" "));
    text.push('\n');
    for row in rows {
        push_line(&mut text, &widths, keep.iter().map(|&i| cell(row, i)));
    }
    let fits = width == 0 || text.lines().all(|l| l.len() <= width);
    fits.then_some(text)
}

/// One line of `aligned`: each cell padded to its column's width, two spaces apart, without
/// trailing spaces.
fn push_line<'a>(text: &mut String, widths: &[usize], cells: impl Iterator<Item = &'a str>) {
    let start = text.len();
    for (n, (cell, w)) in cells.zip(widths).enumerate() {
        if n > 0 {
            text.push_str("  ");
        }
        text.push_str(cell);
        text.extend(std::iter::repeat_n(' ', w - cell.len()));
    }
    let end = text.trim_end_matches(' ').len().max(start);
    text.truncate(end);
    text.push('\n');
}

/// No borders, a rule of dashes under the header, columns one space apart before padding.
fn style() -> Style<(), (), (), (), (), tabled::settings::style::On, 1, 0> {
    Style::blank().horizontals([(1, HorizontalLine::new('-').intersection(' '))])
}

/// The columns a line takes on a terminal: its characters, ANSI colour sequences aside.
fn visible_width(line: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in line.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (false, _) => width += 1,
            (true, 'm') => in_escape = false,
            (true, _) => {}
        }
    }
    width
}

/// Trailing spaces on each line are padding, not content.
fn trimmed(table: &str) -> String {
    let mut text = table
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

impl<R: Record> Sink<R> for Table<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        self.columns = R::COLUMNS.to_vec();
        if self.elapsed {
            self.columns.push("elapsed_ms");
        }
        self.keys = R::KEYS;
        self.answers += 1;
        // The table itself waits for every row, so the calls all come out above it.
        if let Some(call) = &answer.call {
            let width = if self.width == 0 {
                usize::MAX
            } else {
                self.width
            };
            self.out
                .write_all(super::explain_block(call, width).as_bytes())?;
        }
        if let Ok(records) = &answer.result {
            for record in records {
                let mut cells = record.cells();
                if self.elapsed {
                    cells.push(elapsed_cell(answer.elapsed));
                }
                self.rows.push(cells);
            }
        }
        // A long batch is written a table at a time, so memory stays flat however many rows.
        // Never inside the first answer: with one key the key columns are left out.
        if self.answers > 1 && self.rows.len() >= CHUNK_ROWS {
            self.write_rows()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.write_rows()?;
        self.out.flush()
    }
}

/// Rows laid out in one table at most; a longer batch prints one table after another, each
/// with its header, separated by a blank line.
pub const CHUNK_ROWS: usize = 4096;

impl Table<'_> {
    /// Lay out and write the rows held, each table after the first preceded by a blank line.
    fn write_rows(&mut self) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let one_key = self.answers == 1;
        let mut text = layout(
            &self.columns,
            self.keys,
            one_key,
            &self.rows,
            self.color,
            self.width,
        );
        if self.tables > 0 {
            text.insert(0, '\n');
        }
        self.tables += 1;
        self.rows.clear();
        self.out.write_all(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn a_table_narrows_its_gaps_then_wraps_to_fit() {
        let columns = ["name", "aliases"];
        let data = rows(&[&["localhost", "ip6-localhost ip6-loopback"]]);
        let wide = layout(&columns, &[], false, &data, false, 0);
        assert_eq!(
            wide,
            "name       aliases\n---------- ---------------------------\nlocalhost  ip6-localhost ip6-loopback\n"
        );
        // One space between the columns is enough for 36.
        let narrow = layout(&columns, &[], false, &data, false, 36);
        assert!(narrow.starts_with("name      aliases\n"), "{narrow}");
        assert!(narrow.lines().all(|l| l.chars().count() <= 36), "{narrow}");
        // Narrower still, the widest cell wraps between words.
        let wrapped = layout(&columns, &[], false, &data, false, 26);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 26),
            "{wrapped}"
        );
        assert!(wrapped.contains("ip6-localhost"), "{wrapped}");
        assert!(wrapped.contains("ip6-loopback"), "{wrapped}");
    }

    proptest::proptest! {
        /// The direct layout is tabled's, byte for byte, wherever it applies.
        #[test]
        fn the_direct_layout_is_tabled_s(
            columns in proptest::collection::vec("[a-z_]{1,8}", 1..5),
            rows in proptest::collection::vec(
                proptest::collection::vec("[ -~]{0,12}", 5), 0..4),
            width in proptest::prop_oneof![proptest::strategy::Just(0usize), 10usize..60],
        ) {
            let names: Vec<&str> = columns.iter().map(String::as_str).collect();
            let keep: Vec<usize> = (0..names.len())
                .filter(|&i| rows.iter().any(|row| !cell(row, i).is_empty()))
                .collect();
            if let Some(direct) = aligned(&names, &keep, &rows, width) {
                proptest::prop_assert_eq!(direct, with_tabled(&names, &keep, &rows, false, width));
            }
        }
    }

    #[test]
    fn a_one_row_answer_is_laid_out_directly() {
        let columns = ["name", "port", "proto"];
        let data = rows(&[&["ssh", "22", "tcp"]]);
        let keep = [0, 1, 2];
        let text = "name  port  proto\n----- ----- ------\nssh   22    tcp\n";
        assert_eq!(aligned(&columns, &keep, &data, 80).as_deref(), Some(text));
        assert_eq!(with_tabled(&columns, &keep, &data, false, 80), text);
        // Too wide, or not plain ASCII: tabled's to narrow, wrap and measure.
        assert_eq!(aligned(&columns, &keep, &data, 12), None);
        let accented = rows(&[&["caf\u{e9}", "22", "tcp"]]);
        assert_eq!(aligned(&columns, &keep, &accented, 80), None);
    }

    #[test]
    fn colour_does_not_count_towards_the_width() {
        assert_eq!(visible_width("\u{1b}[1mfamily\u{1b}[0m x"), 8);
    }
}
