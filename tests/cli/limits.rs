//! Bounded resources: memory and time of huge batches and endless lines, measured from /proc while
//! the binary runs under a data-size limit.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common;

/// The memory (heap and thread stacks) any run here may map: a run that buffered its whole
/// input or output would die against it rather than swap the machine.
const DATA_LIMIT: &str = "--data=536870912";
/// What the brief promises for any batch: peak resident memory under 64 MB.
const MAX_RSS_KB: u64 = 64 * 1024;

/// Peak resident memory (VmHWM) and most threads seen, sampled from /proc while a child runs.
pub struct Sampler {
    pub peak_rss_kb: Arc<AtomicU64>,
    pub max_threads: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

/// `VmHWM` and `Threads` of a /proc/PID/status text; None once the process is a zombie.
pub fn status_figures(status: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("Threads:")?))
}

impl Sampler {
    /// Sample every few milliseconds, for at most five minutes.
    pub fn start(pid: u32) -> Sampler {
        let peak_rss_kb = Arc::new(AtomicU64::new(0));
        let max_threads = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (rss, threads, halt) = (
            Arc::clone(&peak_rss_kb),
            Arc::clone(&max_threads),
            Arc::clone(&stop),
        );
        let handle = std::thread::spawn(move || {
            let path = format!("/proc/{pid}/status");
            let start = Instant::now();
            while !halt.load(Ordering::Relaxed) && start.elapsed() < Duration::from_secs(300) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    break;
                };
                if let Some((hwm, count)) = status_figures(&text) {
                    rss.fetch_max(hwm, Ordering::Relaxed);
                    threads.fetch_max(count, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        Sampler {
            peak_rss_kb,
            max_threads,
            stop,
            handle: Some(handle),
        }
    }

    /// Stop sampling; (peak RSS in KiB, most threads).
    pub fn finish(mut self) -> (u64, u64) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        (
            self.peak_rss_kb.load(Ordering::Relaxed),
            self.max_threads.load(Ordering::Relaxed),
        )
    }
}

/// sockscope under the data limit (prlimit execs it, so the PID is sockscope's).
fn limited(args: &[String]) -> Command {
    let mut command = Command::new("prlimit");
    command
        .arg(DATA_LIMIT)
        .arg(common::bin())
        .args(args)
        .env_remove("RUST_BACKTRACE");
    command
}

/// What a watched run did.
struct Watched {
    code: i32,
    /// Lines on stdout, and the first and last of them.
    lines: usize,
    first: String,
    last: String,
    stderr: String,
    peak_rss_kb: u64,
    took: Duration,
}

/// Run `args` with `feed` writing standard input, counting stdout's lines as they come and
/// sampling memory until it ends.
fn watch(args: &[String], feed: impl FnOnce(&mut dyn Write) + Send + 'static) -> Watched {
    let start = Instant::now();
    let mut child: Child = limited(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs sockscope");
    let sampler = Sampler::start(child.id());
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || feed(&mut stdin));
    let mut stderr = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let (mut lines, mut first, mut last) = (0usize, String::new(), String::new());
    for line in BufReader::new(child.stdout.take().expect("stdout"))
        .split(b'\n')
        .map_while(Result::ok)
    {
        if lines == 0 {
            first = String::from_utf8_lossy(&line).into_owned();
        }
        lines += 1;
        last = String::from_utf8_lossy(&line).into_owned();
    }
    let status = child.wait().expect("wait");
    let (peak_rss_kb, _) = sampler.finish();
    let _ = writer.join();
    Watched {
        code: status.code().unwrap_or(-1),
        lines,
        first,
        last,
        stderr: errors.join().unwrap_or_default(),
        peak_rss_kb,
        took: start.elapsed(),
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_string()).collect()
}

/// Each command-line key used to add a nested iterator: about 32,700 overflowed the stack, and
/// time and memory grew with the square of their number. Now they cost what file keys cost.
#[test]
fn forty_thousand_command_line_keys_cost_what_file_keys_cost() {
    const N: usize = 40_000;
    let mut args = strings(&["servbyname", "--format", "jsonl"]);
    args.extend(std::iter::repeat_n("ssh".to_string(), N));
    let argv = watch(&args, |_| {});
    assert_eq!(argv.code, 0, "{}", argv.stderr);
    assert_eq!(argv.lines, N);

    let file = watch(
        &strings(&["servbyname", "--format", "jsonl", "--file", "-"]),
        |stdin| {
            let _ = stdin.write_all("ssh\n".repeat(N).as_bytes());
        },
    );
    assert_eq!(file.code, 0, "{}", file.stderr);
    assert_eq!(file.lines, N);
    assert!(
        argv.peak_rss_kb < MAX_RSS_KB,
        "{} KiB for {N} command-line keys",
        argv.peak_rss_kb
    );
    // The argument list itself is held (by clap too): a few MB, not the square of N.
    assert!(
        argv.peak_rss_kb < file.peak_rss_kb + 16 * 1024,
        "argv {} KiB, file {} KiB",
        argv.peak_rss_kb,
        file.peak_rss_kb
    );
    assert!(
        argv.took < file.took * 3 + Duration::from_secs(5),
        "argv {:?}, file {:?}",
        argv.took,
        file.took
    );
}

/// 200 MB without a newline (`head -c 200M /dev/zero`) is one INVALID_INPUT record, read in
/// bounded memory; the line after it is still answered.
#[test]
fn input_without_newlines_is_one_bad_line_in_bounded_memory() {
    let run = watch(
        &strings(&["servbyname", "-", "--format", "jsonl"]),
        |stdin| {
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..200 {
                if stdin.write_all(&zeros).is_err() {
                    return;
                }
            }
            let _ = stdin.write_all(b"\nssh\n");
        },
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.lines, 2, "{} / {}", run.first, run.last);
    let bad: serde_json::Value = serde_json::from_str(&run.first).expect("a JSON record");
    assert_eq!(bad["error"]["code"], "INVALID_INPUT");
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("line longer than 65536 bytes"),
        "{bad}"
    );
    assert!(run.last.contains("\"name\":\"ssh\""), "{}", run.last);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.peak_rss_kb < 32 * 1024,
        "{} KiB for a 200 MB line",
        run.peak_rss_kb
    );
}

/// Lines of `key` on stdin, `n` of them.
fn keys(key: &'static str, n: usize) -> impl FnOnce(&mut dyn Write) + Send + 'static {
    move |stdin| {
        let chunk = format!("{key}\n").repeat(1000);
        for _ in 0..n / 1000 {
            if stdin.write_all(chunk.as_bytes()).is_err() {
                return;
            }
        }
    }
}

/// A long batch in every format stays under 64 MB, and its memory does not grow with its
/// length: a table is written a few thousand rows at a time. (A debug build takes about
/// 10 µs a key, so the counts are kept to what runs in seconds; the release binary's figures
/// for a million keys are in docs/batch.md.)
#[test]
fn long_batches_stay_in_bounded_memory_in_every_format() {
    const SHORT: usize = 5_000;
    const LONG: usize = 40_000;
    for format in ["table", "json", "jsonl", "python"] {
        let mut peaks = Vec::new();
        let mut runs = vec![(SHORT, "ssh"), (LONG, "ssh")];
        if format == "table" {
            // Numeric keys through servbyport: other rows, the same bound.
            runs.push((LONG, "22"));
        }
        for (n, key) in runs {
            let command = if key == "22" {
                "servbyport"
            } else {
                "servbyname"
            };
            let args = strings(&[command, "--file", "-", "--format", format]);
            let run = watch(&args, keys(key, n));
            assert_eq!(run.code, 0, "{format}: {}", run.stderr);
            assert!(run.lines >= n, "{format}: {} lines for {n} keys", run.lines);
            assert!(
                run.peak_rss_kb < MAX_RSS_KB,
                "{format}: {} KiB for {n} keys",
                run.peak_rss_kb
            );
            eprintln!(
                "{format}: {n} keys: {} KiB, {:?}",
                run.peak_rss_kb, run.took
            );
            peaks.push(run.peak_rss_kb);
        }
        // Eight times the keys, about the same memory: nothing grows with the batch.
        assert!(
            peaks[1] < peaks[0] + 8 * 1024,
            "{format}: {} KiB for {SHORT} keys, {} KiB for {LONG}",
            peaks[0],
            peaks[1]
        );
    }
}

/// A table of a long batch is a run of tables of at most 4096 rows, each under its header.
#[test]
fn a_long_table_is_written_in_chunks_under_their_headers() {
    let run = watch(
        &strings(&["servbyname", "-", "--format", "table"]),
        keys("ssh", 10_000),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 10,000 rows: 4096 + 4096 + 1808, each table with a header and a rule, a blank line between.
    assert_eq!(run.lines, 10_000 + 3 * 2 + 2);
    assert!(run.first.starts_with("query"), "{}", run.first);
}
