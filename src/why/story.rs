//! The table format of `why`: the explanation read top to bottom like a story, wrapped to the terminal.

use std::io::{self, Write};

use anyhow::Context;

use super::report::Report;
use crate::model::Call;
use crate::render::color;
use crate::runner::Ctx;
use crate::text::printable;

/// Lines never pass this width (or the terminal's, when COLUMNS says it is wider).
const WIDTH: usize = 80;

struct Story {
    lines: Vec<String>,
    width: usize,
    color: bool,
}

impl Story {
    /// A line at `indent`, wrapped at spaces to the width with the same indent.
    fn say(&mut self, indent: usize, text: &str) {
        let pad = " ".repeat(indent);
        let room = self.width.saturating_sub(indent).max(20);
        let mut line = String::new();
        for word in text.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
                self.lines.push(format!("{pad}{line}"));
                line = String::from("  ");
            } else if !line.is_empty() && line != "  " {
                line.push(' ');
            }
            line.push_str(word);
        }
        self.lines.push(format!("{pad}{line}"));
    }

    fn bold(&self, text: &str) -> String {
        if self.color {
            color::highlight(text)
        } else {
            text.to_string()
        }
    }

    fn heading(&mut self, n: usize, title: &str) {
        let title = self.bold(&format!("{n}. {title}"));
        self.lines.push(title);
    }
}

/// Write the story of `report` on stdout.
pub fn write(report: &Report, call: &Call, ctx: &Ctx) -> anyhow::Result<()> {
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&c| c > WIDTH)
        .unwrap_or(WIDTH);
    let mut s = Story {
        lines: Vec::new(),
        width,
        color: ctx.color,
    };
    s.say(0, &call.c);
    if ctx.explain {
        s.say(0, &call.python);
    }
    let mut n = 0;
    n += 1;
    s.heading(n, "input");
    for line in &report.input.says {
        s.say(3, line);
    }
    s.say(
        3,
        &format!("locale: {} ({})", report.input.locale, report.input.codeset),
    );
    if let Some(ac) = &report.addrconfig {
        n += 1;
        s.heading(n, "AI_ADDRCONFIG");
        let counted = if ac.counted.is_empty() {
            "none".to_string()
        } else {
            ac.counted.join(", ")
        };
        s.say(3, &format!("addresses that count: {counted}"));
        for line in report
            .steps
            .iter()
            .filter(|st| st.step == "addrconfig")
            .flat_map(|st| &st.says)
        {
            s.say(3, line);
        }
    }
    if let Some(ns) = &report.nsswitch {
        n += 1;
        s.heading(n, &format!("nsswitch: hosts: {} ({})", ns.line, ns.from));
        for c in &ns.consulted {
            let answered = report.answered_by.as_deref() == Some(c.source.as_str());
            let addresses = if c.addresses.is_empty() {
                String::new()
            } else {
                format!(" {}", c.addresses.join(" "))
            };
            let head = format!("{} {}{}", c.source, c.status.name(), addresses);
            let head = if answered { s.bold(&head) } else { head };
            s.say(3, &head);
            s.say(6, &c.then);
            s.say(6, &format!("({})", c.how));
        }
    }
    if let Some(file) = &report.hosts_file {
        n += 1;
        s.heading(
            n,
            &format!(
                "files: {} (multi {}, {})",
                file.path,
                if file.multi { "on" } else { "off" },
                file.multi_from
            ),
        );
        if file.matches.is_empty() {
            s.say(3, "no line names it");
        }
        for m in &file.matches {
            let used = if m.used { "used" } else { "not used" };
            s.say(
                3,
                &format!("line {}: {} ({used})", m.line, printable(&m.text, 200)),
            );
        }
    }
    n += 1;
    dns(&mut s, n, report);
    if let Some(sort) = &report.sort {
        n += 1;
        let table = if sort.table == "glibc default" {
            "glibc's built-in tables, RFC 3484's (not RFC 6724's)".to_string()
        } else {
            format!("the tables of {}", sort.table)
        };
        s.heading(n, &format!("sort: {table}"));
        if sort.labels_replaced {
            s.say(3, "a label line replaced glibc's whole label table: every default label not repeated there is gone");
        }
        for r in &sort.rows {
            let source = r.source.clone().unwrap_or_else(|| "no route".to_string());
            s.say(
                3,
                &format!(
                    "{} from {source}: scope {}, label {}, precedence {}",
                    r.address, r.scope, r.label, r.precedence
                ),
            );
        }
        for d in &sort.decisions {
            let rule = s.bold(&format!("rule {}", d.rule));
            s.say(
                3,
                &format!("{} before {}: {rule}, {}", d.first, d.second, d.reason),
            );
        }
    }
    n += 1;
    s.heading(n, "verdict");
    let list = |v: &[String], e: &Option<String>| match e {
        Some(code) => code.clone(),
        None => v.join(" "),
    };
    s.say(
        3,
        &format!(
            "predicted: {}",
            list(&report.predicted, &report.predicted_error)
        ),
    );
    let real_error = report.error.as_ref().map(|f| f.code());
    s.say(
        3,
        &format!("real:      {}", list(&report.real, &real_error)),
    );
    match &report.difference {
        None => s.say(3, "agrees: true"),
        Some(d) => s.say(
            3,
            &format!(
                "agrees: false: entry {} differs ({} predicted, {} real); the {} step's model missed it",
                d.index,
                d.predicted.as_deref().unwrap_or("nothing"),
                d.real.as_deref().unwrap_or("nothing"),
                d.step
            ),
        ),
    }
    let mut out = io::stdout().lock();
    for line in &s.lines {
        writeln!(out, "{line}").context("writing output")?;
    }
    out.flush().context("writing output")
}

fn dns(s: &mut Story, n: usize, report: &Report) {
    let d = &report.dns.config;
    s.heading(n, &format!("dns: {}", d.path));
    let search = if d.search.is_empty() {
        "none".to_string()
    } else {
        format!("{} (from {})", d.search.join(" "), d.search_from)
    };
    s.say(3, &format!("nameservers: {}", d.nameservers.join(" ")));
    s.say(
        3,
        &format!(
            "search: {search}; ndots:{} timeout:{} attempts:{}",
            d.ndots, d.timeout, d.attempts
        ),
    );
    let mut options = d.options.join(" ");
    if options.is_empty() {
        options = "none".to_string();
    }
    if let Some(env) = &d.res_options {
        options.push_str(&format!(" (RES_OPTIONS={env})"));
    }
    s.say(3, &format!("options: {options}"));
    if !report.dns.consulted {
        s.say(3, "not consulted for this call");
        return;
    }
    if report.dns.candidates.is_empty() {
        s.say(3, "no query was made");
    }
    for c in &report.dns.candidates {
        s.say(3, &format!("{} ({}): {}", c.name, c.why, c.outcome));
        for q in &c.queries {
            let answers = if q.answers.is_empty() {
                String::new()
            } else {
                format!(": {}", q.answers.join(", "))
            };
            let sends = if q.sends > 1 {
                format!(", sent {} times", q.sends)
            } else {
                String::new()
            };
            s.say(
                6,
                &format!(
                    "{} to {}: {} in {} ms{sends}{answers}",
                    q.rtype, q.server, q.rcode, q.elapsed_ms
                ),
            );
        }
        s.say(6, &c.next);
    }
}
