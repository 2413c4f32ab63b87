//! The socket subcommands' peers: a `sockscope serve` in the background, and `connect` with its one summary record.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A `sockscope serve` running in the background, its jsonl events read line by line.
pub struct Server {
    child: Child,
    events: Receiver<Value>,
    /// Every event read so far, in order.
    pub seen: Vec<Value>,
    /// The port it listens on, the kernel's choice for port 0.
    pub port: u16,
    stderr: Option<std::process::ChildStderr>,
}

impl Server {
    /// Start `serve LISTEN ARGS... --format jsonl` and wait for its `listening` event.
    pub fn start(listen: &str, args: &[&str]) -> Server {
        let mut child = Command::new(super::bin())
            .arg("serve")
            .arg(listen)
            .args(args)
            .args(["--format", "jsonl"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sockscope serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("event is not JSON ({e}): {line}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            events: rx,
            seen: Vec::new(),
            port: 0,
            stderr,
        };
        let listening = server.wait_for(|e| e["event"] == "listening");
        server.port = listening["port"].as_u64().expect("listening has a port") as u16;
        assert_ne!(server.port, 0, "port 0 must be replaced by the chosen port");
        server
    }

    /// The next event matching `pred`, within 10 seconds (every event is kept in `seen`).
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self.seen.iter().find(|e| pred(e)) {
            return found.clone();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    self.seen.push(event.clone());
                    if pred(&event) {
                        return event;
                    }
                }
                Err(_) => panic!("no such event in time; seen: {:#?}", self.seen),
            }
        }
    }

    /// Send SIGINT, as Ctrl-C in a terminal does.
    pub fn interrupt(&self) {
        self.signal("INT");
    }

    /// Send the signal named (`INT`, `TERM`, `HUP`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Wait for the process to exit by itself; return its exit code and every event it printed.
    pub fn finish(mut self) -> (i32, Vec<Value>, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "serve did not exit in time");
            thread::sleep(Duration::from_millis(20));
        };
        while let Ok(event) = self.events.recv_timeout(Duration::from_secs(2)) {
            self.seen.push(event);
        }
        let mut stderr = String::new();
        if let Some(mut err) = self.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        (code, std::mem::take(&mut self.seen), stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `connect ARGS... --json` and return its one summary record.
pub fn connect_json(args: &[&str]) -> (Value, super::Run) {
    let mut all = vec!["connect"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = super::run(&all);
    let records = run.json();
    assert_eq!(records.len(), 1, "one summary record: {}", run.stdout);
    (records[0].clone(), run)
}

/// Whether this machine can listen on ::1 (some containers have no IPv6 at all).
pub fn ipv6_loopback_works() -> bool {
    TcpListener::bind("[::1]:0").is_ok()
}
