//! A private world per scenario: new mount, network and UTS namespaces with their own /etc and DNS.
//!
//! `unshare` makes the namespaces, and this same test binary, re-run inside them, sets up /etc,
//! `lo` and the DNS server, then runs sockscope.
//!
//! The test process itself never unshares: it is multi-threaded, and unshare(2) of a mount
//! namespace is refused there. It spawns `unshare ... -- <this test binary> lab_child_process`
//! and reads back what the child wrote into the scenario's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::os::unix::ffi::{OsStrExt, OsStringExt};

use serde::{Deserialize, Serialize};

use crate::dns::{self, Rule, Zone};

/// The environment variable that tells a re-run test binary it is the child, and where its
/// scenario lives.
pub const CHILD_ENV: &str = "SOCKSCOPE_LAB_DIR";
/// Set to 1 (CI does) to turn "namespaces not permitted, skipping" into a failure.
pub const REQUIRED_ENV: &str = "SOCKSCOPE_LAB_REQUIRED";

/// Fixture /etc/services: a few real entries and one only the lab has.
pub const SERVICES: &str = "\
ssh\t\t22/tcp\n\
domain\t\t53/tcp\n\
domain\t\t53/udp\n\
http\t\t80/tcp\t\twww\n\
lab-echo\t7777/tcp\tlabecho echo-lab\n\
lab-echo\t7777/udp\tlabecho\n";

/// Fixture /etc/protocols: the usual few and one only the lab has.
pub const PROTOCOLS: &str = "\
ip\t0\tIP\n\
icmp\t1\tICMP\n\
tcp\t6\tTCP\n\
udp\t17\tUDP\n\
ipv6-icmp\t58\tIPv6-ICMP\n\
labproto\t253\tLABPROTO lab-proto\n";

/// Short timeouts so a silent server costs about a second, not the default 5 s x 2 attempts.
pub const RESOLV_CONF: &str = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n";

/// What one scenario's world holds and what runs in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    /// /etc/hosts; by default only localhost, so every other name goes to the DNS server.
    pub hosts: String,
    pub services: String,
    pub protocols: String,
    pub resolv_conf: String,
    /// The UTS host name; "lab" by default (no dot, so glibc derives no search domain from it).
    pub hostname: String,
    pub zone: Zone,
    /// The rule for every name the zone does not list (a wildcard); None: NXDOMAIN for them.
    pub default_rule: Option<Rule>,
    /// Whether the server also listens on TCP (for truncated answers).
    pub tcp: bool,
    /// sockscope's argument lists, one run each, in order.
    pub runs: Vec<Vec<Arg>>,
    /// Files written into the run's working directory first (key files for `--file`).
    pub files: BTreeMap<String, Vec<u8>>,
    /// A `sh -c` command run after the sockscope runs, in the same directory, with
    /// `SOCKSCOPE` set to the binary's path (for benchmarks that drive other tools too).
    pub shell: Option<String>,
    /// /etc/nsswitch.conf; None: `hosts: files dns` and files for the rest.
    #[serde(default)]
    pub nsswitch: Option<String>,
    /// /etc/host.conf and /etc/gai.conf, bind-mounted when given.
    #[serde(default)]
    pub host_conf: Option<String>,
    #[serde(default)]
    pub gai_conf: Option<String>,
    /// `sh -c` commands run as the world's root before the DNS server starts: addresses on
    /// `lo`, a veth pair, routes.
    #[serde(default)]
    pub setup: Vec<String>,
    /// Environment variables for every sockscope run (LOCALDOMAIN, RES_OPTIONS, LANG).
    #[serde(default)]
    pub env: Vec<(String, String)>,
}

/// One argument: text where it is text, bytes where it is not (invalid UTF-8), so JSON can
/// carry both without making every argument an array of numbers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Arg {
    Text(String),
    Bytes(Vec<u8>),
}

impl Arg {
    pub fn from_os(arg: &std::ffi::OsStr) -> Arg {
        match arg.to_str() {
            Some(text) => Arg::Text(text.to_string()),
            None => Arg::Bytes(arg.as_bytes().to_vec()),
        }
    }

    fn to_os(&self) -> std::ffi::OsString {
        match self {
            Arg::Text(text) => text.into(),
            Arg::Bytes(bytes) => std::ffi::OsString::from_vec(bytes.clone()),
        }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            hosts: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n".to_string(),
            services: SERVICES.to_string(),
            protocols: PROTOCOLS.to_string(),
            resolv_conf: RESOLV_CONF.to_string(),
            hostname: "lab".to_string(),
            zone: BTreeMap::new(),
            default_rule: None,
            tcp: true,
            runs: Vec::new(),
            files: BTreeMap::new(),
            shell: None,
            nsswitch: None,
            host_conf: None,
            gai_conf: None,
            setup: Vec::new(),
            env: Vec::new(),
        }
    }
}

impl Scenario {
    /// Add a name to the zone.
    pub fn name(mut self, name: &str, rule: Rule) -> Self {
        self.zone.insert(name.to_ascii_lowercase(), rule);
        self
    }

    /// Give an address PTR records: the reverse name a lookup of `addr` asks answers with `names`.
    pub fn ptr(self, addr: &str, names: &[&str]) -> Self {
        let ip: std::net::IpAddr = addr.parse().expect("a test address");
        let rule = Rule {
            ptr: names.iter().map(|n| (*n).to_string()).collect(),
            ..Rule::default()
        };
        self.name(&dns::reverse_name(ip), rule)
    }

    /// Add one sockscope run.
    pub fn run(mut self, args: &[&str]) -> Self {
        self.runs
            .push(args.iter().map(|a| Arg::Text((*a).to_string())).collect());
        self
    }

    /// Add one sockscope run whose arguments need not be UTF-8.
    pub fn run_os(mut self, args: &[std::ffi::OsString]) -> Self {
        self.runs
            .push(args.iter().map(|a| Arg::from_os(a)).collect());
        self
    }
}

/// One sockscope run inside the world.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub millis: u128,
    /// The queries the DNS server saw while this run ran (runs are one after another, so each
    /// query belongs to exactly one run): which lookups reached DNS.
    pub queries: Vec<String>,
}

impl Outcome {
    /// stdout as the JSON array `--json` prints.
    pub fn json(&self) -> Vec<serde_json::Value> {
        match serde_json::from_str(&self.stdout) {
            Ok(serde_json::Value::Array(items)) => items,
            _ => panic!("not a JSON array from {:?}:\n{}", self.args, self.stdout),
        }
    }

    /// A string field of every record.
    pub fn field(&self, name: &str) -> Vec<String> {
        self.json()
            .iter()
            .map(|r| r[name].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The error code of the first record (an error record).
    pub fn error_code(&self) -> String {
        self.json()
            .first()
            .and_then(|r| r["error"]["code"].as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// What came back from the world.
#[derive(Debug, Serialize, Deserialize)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// What the scenario's shell command did, when it had one.
    pub shell: Option<Outcome>,
    /// Every query the DNS server saw: `name TYPE udp|tcp`.
    pub queries: Vec<String>,
}

/// How to enter a world on this machine, found once.
#[derive(Debug, Clone)]
struct Entry {
    /// Extra unshare flags: `--map-root-user` when not root.
    user_ns: bool,
}

fn unshare_cmd(entry: &Entry) -> Command {
    let mut cmd = Command::new("unshare");
    if entry.user_ns {
        cmd.arg("--map-root-user");
    }
    cmd.args(["--mount", "--net", "--uts", "--fork", "--"]);
    cmd
}

fn probe() -> Result<Entry, String> {
    // Root needs no user namespace; /proc/self belongs to our uid, which saves an unsafe geteuid.
    let is_root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    let mut last = String::new();
    for user_ns in [!is_root, true] {
        let entry = Entry { user_ns };
        let out = unshare_cmd(&entry)
            .args(["ip", "link", "set", "lo", "up"])
            .stdin(Stdio::null())
            .output();
        match out {
            Ok(out) if out.status.success() => return Ok(entry),
            Ok(out) => last = String::from_utf8_lossy(&out.stderr).trim().to_string(),
            Err(err) => last = format!("cannot run unshare: {err}"),
        }
    }
    Err(last)
}

/// Whether the lab can run here. Loud when it cannot; a panic when CI requires it.
fn entry() -> Option<Entry> {
    static ENTRY: OnceLock<Result<Entry, String>> = OnceLock::new();
    match ENTRY.get_or_init(probe) {
        Ok(entry) => Some(entry.clone()),
        Err(why) => {
            let required = std::env::var(REQUIRED_ENV).is_ok_and(|v| v == "1");
            assert!(
                !required,
                "the resolver lab cannot make namespaces here ({why}) and {REQUIRED_ENV}=1"
            );
            eprintln!(
                "\n!!!!! SKIPPING resolver lab test: namespaces are not permitted here ({why}).\n\
                 !!!!! Run as root, allow user namespaces, or set {REQUIRED_ENV}=1 to fail instead.\n"
            );
            None
        }
    }
}

fn scratch_dir() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("sockscope-lab-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Run a scenario in its own world; None when the lab is skipped on this machine.
pub fn run(scenario: &Scenario) -> Option<Report> {
    let entry = entry()?;
    let dir = scratch_dir();
    std::fs::write(
        dir.join("scenario.json"),
        serde_json::to_vec(scenario).expect("scenario serializes"),
    )
    .expect("write scenario");
    let exe = std::env::current_exe().expect("test binary path");
    let out = unshare_cmd(&entry)
        .arg(exe)
        .args([
            "lab_child_process",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &dir)
        .stdin(Stdio::null())
        .output()
        .expect("unshare runs");
    let report = std::fs::read(dir.join("report.json"));
    let _ = std::fs::remove_dir_all(&dir);
    match report {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("report parses")),
        Err(_) => panic!(
            "the lab child wrote no report (status {:?})\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Inside the namespaces: lay out /etc, bring up `lo`, start the server, run sockscope.
pub fn child(dir: &Path) -> Result<(), String> {
    let scenario: Scenario = serde_json::from_slice(
        &std::fs::read(dir.join("scenario.json")).map_err(|e| format!("scenario: {e}"))?,
    )
    .map_err(|e| format!("scenario: {e}"))?;
    let mut files = vec![
        ("hosts", scenario.hosts.as_str()),
        ("resolv.conf", scenario.resolv_conf.as_str()),
        (
            "nsswitch.conf",
            scenario.nsswitch.as_deref().unwrap_or(NSSWITCH),
        ),
        ("services", scenario.services.as_str()),
        ("protocols", scenario.protocols.as_str()),
    ];
    if let Some(text) = &scenario.host_conf {
        files.push(("host.conf", text));
    }
    if let Some(text) = &scenario.gai_conf {
        files.push(("gai.conf", text));
    }
    for (name, text) in files {
        let source = dir.join(name);
        std::fs::write(&source, text).map_err(|e| format!("{name}: {e}"))?;
        let target = Path::new("/etc").join(name);
        if !target.exists() {
            // A bind mount needs a file to cover, and making one here would change the host.
            return Err(format!(
                "{target:?} is missing (install netbase for services/protocols)"
            ));
        }
        sh(Command::new("mount")
            .arg("--bind")
            .arg(&source)
            .arg(&target))?;
    }
    sh(Command::new("ip").args(["link", "set", "lo", "up"]))?;
    sh(Command::new("hostname").arg(&scenario.hostname))?;
    for command in &scenario.setup {
        sh(Command::new("sh").args(["-c", command]))?;
    }
    let server = dns::Server::start(
        scenario.zone.clone(),
        scenario.default_rule.clone(),
        scenario.tcp,
    )
    .map_err(|e| format!("DNS server on 127.0.0.1:53: {e}"))?;
    let work = dir.join("work");
    std::fs::create_dir_all(&work).map_err(|e| format!("{work:?}: {e}"))?;
    for (name, bytes) in &scenario.files {
        std::fs::write(work.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
    }
    let mut outcomes = Vec::new();
    for args in &scenario.runs {
        let args: Vec<std::ffi::OsString> = args.iter().map(Arg::to_os).collect();
        let start = Instant::now();
        let first_query = server.log_len();
        let out = Command::new(env!("CARGO_BIN_EXE_sockscope"))
            .args(&args)
            .current_dir(&work)
            .env_remove("RUST_BACKTRACE")
            .envs(scenario.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("sockscope: {e}"))?;
        outcomes.push(Outcome {
            args: args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            millis: start.elapsed().as_millis(),
            queries: server.log_from(first_query),
        });
    }
    let shell = match &scenario.shell {
        Some(command) => {
            let first_query = server.log_len();
            let mut outcome = run_shell(command, &work)?;
            outcome.queries = server.log_from(first_query);
            Some(outcome)
        }
        None => None,
    };
    // Let late answers (delays) land in the log before it is read.
    std::thread::sleep(Duration::from_millis(50));
    let report = Report {
        outcomes,
        shell,
        queries: server.log(),
    };
    let bytes = serde_json::to_vec(&report).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.json"), bytes).map_err(|e| e.to_string())?;
    Ok(())
}

/// Run `command` with `sh -c` in `work`, with `SOCKSCOPE` naming the binary under test.
fn run_shell(command: &str, work: &Path) -> Result<Outcome, String> {
    let start = Instant::now();
    let out = Command::new("sh")
        .args(["-c", command])
        .current_dir(work)
        .env("SOCKSCOPE", env!("CARGO_BIN_EXE_sockscope"))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("sh: {e}"))?;
    Ok(Outcome {
        args: vec!["sh".to_string(), "-c".to_string(), command.to_string()],
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        millis: start.elapsed().as_millis(),
        queries: Vec::new(),
    })
}

/// Only files and DNS: no systemd-resolved, mDNS or myhostname module to answer instead.
const NSSWITCH: &str = "hosts: files dns\nservices: files\nprotocols: files\nnetworks: files\n";

fn sh(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
