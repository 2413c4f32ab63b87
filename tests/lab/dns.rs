//! The lab's programmable DNS server: real DNS on the wire (simple-dns), scripted per name.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use simple_dns::rdata::{A, AAAA, CNAME, PTR, RData};
use simple_dns::{CLASS, Name, Packet, PacketFlag, QTYPE, RCODE, ResourceRecord, TYPE};

/// How the server treats queries for one name. Names without a rule get the scenario's
/// default rule if it has one, else NXDOMAIN, as a real authoritative server would say.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rule {
    pub a: Vec<Ipv4Addr>,
    pub aaaa: Vec<Ipv6Addr>,
    /// PTR targets, for a reverse name (`reverse_name` spells it) that a reverse lookup asks.
    pub ptr: Vec<String>,
    /// Answer with a CNAME to this name, followed like a recursive server would follow it.
    pub cname: Option<String>,
    /// Answer with this RCODE and nothing else (3 NXDOMAIN, 2 SERVFAIL, 5 REFUSED, ...).
    pub rcode: Option<u8>,
    /// Never answer: the client has to time out.
    pub drop: bool,
    /// Answer with bytes that are not a DNS message (the query id, then junk).
    pub garbage: bool,
    /// Over UDP, answer with TC set and no records, so the client must retry over TCP.
    pub truncate: bool,
    /// Wait this long before answering.
    pub delay_ms: u64,
}

/// The whole zone the server knows, by lower-case name without the trailing dot.
pub type Zone = BTreeMap<String, Rule>;

/// The name a reverse lookup of `ip` asks for, as glibc spells it: the IPv4 octets or the IPv6
/// nibbles, last first, under in-addr.arpa or ip6.arpa.
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(v6) => {
            let mut labels: Vec<String> = Vec::with_capacity(33);
            for byte in v6.octets().iter().rev() {
                labels.push(format!("{:x}", byte & 0xf));
                labels.push(format!("{:x}", byte >> 4));
            }
            labels.push("ip6.arpa".to_string());
            labels.join(".")
        }
    }
}

/// One query as the server saw it: `name TYPE udp|tcp`, for tests to check what was asked.
fn log_line(name: &str, qtype: QTYPE, transport: &str) -> String {
    // The type's own name (A, AAAA, PTR); anything else as simple-dns shows it.
    let ty = match qtype {
        QTYPE::TYPE(ty) => format!("{ty:?}"),
        other => format!("{other:?}"),
    };
    format!("{name} {ty} {transport}")
}

/// What the server does with one query: answer now, answer after a delay, or stay silent.
struct Reply {
    delay: Duration,
    bytes: Option<Vec<u8>>,
}

/// UDP answers waiting for their delay, soonest first: one timer thread sends them all, so a
/// delay costs a heap entry rather than a sleeping thread (10,000 names in flight in the
/// benchmark would otherwise be 20,000 threads).
type Due = Reverse<(Instant, u64, SocketAddr, Vec<u8>)>;

#[derive(Default)]
struct Timer {
    queue: Mutex<BinaryHeap<Due>>,
    wake: Condvar,
}

/// The running server: shared state for the UDP and TCP threads.
pub struct Server {
    zone: Zone,
    /// The rule for every name the zone does not list; None means NXDOMAIN for them.
    default_rule: Option<Rule>,
    log: Mutex<Vec<String>>,
    timer: Timer,
}

impl Server {
    /// Bind 127.0.0.1:53 over UDP (and TCP when `tcp`), serve from background threads.
    pub fn start(
        zone: Zone,
        default_rule: Option<Rule>,
        tcp: bool,
    ) -> std::io::Result<Arc<Server>> {
        let server = Arc::new(Server {
            zone,
            default_rule,
            log: Mutex::new(Vec::new()),
            timer: Timer::default(),
        });
        let udp = UdpSocket::bind("127.0.0.1:53")?;
        grow_receive_buffer(&udp);
        let udp = Arc::new(udp);
        let (s, sock) = (Arc::clone(&server), Arc::clone(&udp));
        std::thread::spawn(move || {
            raise_priority();
            s.send_when_due(&sock);
        });
        let s = Arc::clone(&server);
        std::thread::spawn(move || {
            raise_priority();
            s.serve_udp(&udp);
        });
        if tcp {
            let listener = TcpListener::bind("127.0.0.1:53")?;
            let s = Arc::clone(&server);
            std::thread::spawn(move || s.serve_tcp(listener));
        }
        Ok(server)
    }

    /// The queries seen so far, in order.
    pub fn log(&self) -> Vec<String> {
        self.log_from(0)
    }

    /// How many queries the server has seen: where the next run's queries will start.
    pub fn log_len(&self) -> usize {
        self.log.lock().map(|l| l.len()).unwrap_or_default()
    }

    /// The queries seen from the `start`th on, to tell one run's queries from the others'.
    pub fn log_from(&self, start: usize) -> Vec<String> {
        self.log
            .lock()
            .map(|l| l.get(start..).unwrap_or_default().to_vec())
            .unwrap_or_default()
    }

    /// The rule for a name: its own, else the default rule, else None (NXDOMAIN).
    fn rule(&self, name: &str) -> Option<&Rule> {
        self.zone.get(name).or(self.default_rule.as_ref())
    }

    fn serve_udp(&self, socket: &UdpSocket) {
        let mut buf = [0u8; 4096];
        let mut seq = 0u64;
        while let Ok((len, peer)) = socket.recv_from(&mut buf) {
            let Reply { delay, bytes } = self.handle(&buf[..len], false);
            let Some(bytes) = bytes else { continue };
            if delay.is_zero() {
                let _ = socket.send_to(&bytes, peer);
                continue;
            }
            // The sequence number keeps equal deadlines in arrival order.
            seq += 1;
            let due = Instant::now() + delay;
            let mut queue = self.timer.queue.lock().unwrap_or_else(|p| p.into_inner());
            let soonest = queue.peek().is_none_or(|Reverse((at, ..))| due < *at);
            queue.push(Reverse((due, seq, peer, bytes)));
            drop(queue);
            if soonest {
                self.timer.wake.notify_one();
            }
        }
    }

    /// The timer thread: sleep until the soonest answer is due, send every answer that is.
    fn send_when_due(&self, socket: &UdpSocket) {
        let mut queue = self.timer.queue.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let now = Instant::now();
            match queue.peek() {
                Some(Reverse((at, ..))) if *at <= now => {
                    if let Some(Reverse((_, _, peer, bytes))) = queue.pop() {
                        let _ = socket.send_to(&bytes, peer);
                    }
                }
                Some(Reverse((at, ..))) => {
                    let wait = *at - now;
                    queue = match self.timer.wake.wait_timeout(queue, wait) {
                        Ok((q, _)) => q,
                        Err(p) => p.into_inner().0,
                    };
                }
                None => {
                    queue = self
                        .timer
                        .wake
                        .wait(queue)
                        .unwrap_or_else(|p| p.into_inner());
                }
            }
        }
    }

    fn serve_tcp(self: Arc<Self>, listener: TcpListener) {
        for stream in listener.incoming().flatten() {
            let s = Arc::clone(&self);
            std::thread::spawn(move || s.serve_tcp_conn(stream));
        }
    }

    fn serve_tcp_conn(&self, mut stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        loop {
            let mut len = [0u8; 2];
            if stream.read_exact(&mut len).is_err() {
                return;
            }
            let mut query = vec![0u8; usize::from(u16::from_be_bytes(len))];
            if stream.read_exact(&mut query).is_err() {
                return;
            }
            let Reply { delay, bytes } = self.handle(&query, true);
            std::thread::sleep(delay);
            if let Some(reply) = bytes {
                let Ok(len) = u16::try_from(reply.len()) else {
                    return;
                };
                if stream.write_all(&len.to_be_bytes()).is_err()
                    || stream.write_all(&reply).is_err()
                {
                    return;
                }
            }
        }
    }

    /// The reply to one query (None to stay silent) and how long to wait before sending it.
    fn handle(&self, query: &[u8], tcp: bool) -> Reply {
        let Some((delay, bytes)) = self.answer(query, tcp) else {
            return Reply {
                delay: Duration::ZERO,
                bytes: None,
            };
        };
        Reply { delay, bytes }
    }

    /// The answer and its delay; None when the query cannot be parsed or is to be dropped.
    fn answer(&self, query: &[u8], tcp: bool) -> Option<(Duration, Option<Vec<u8>>)> {
        let packet = Packet::parse(query).ok()?;
        let question = packet.questions.first()?.clone();
        let qname = question.qname.to_string().to_ascii_lowercase();
        let qname = qname.trim_end_matches('.').to_string();
        if let Ok(mut log) = self.log.lock() {
            log.push(log_line(
                &qname,
                question.qtype,
                if tcp { "tcp" } else { "udp" },
            ));
        }
        let rule = self.rule(&qname).cloned().unwrap_or_default();
        if rule.drop {
            return None;
        }
        let delay = Duration::from_millis(rule.delay_ms);
        Some((delay, self.reply_to(&packet, &qname, &rule, tcp)))
    }

    /// The bytes of the reply to `packet`, whose first question asks for `qname` under `rule`.
    fn reply_to(
        &self,
        packet: &Packet<'_>,
        qname: &str,
        rule: &Rule,
        tcp: bool,
    ) -> Option<Vec<u8>> {
        let question = packet.questions.first()?.clone();
        if rule.garbage {
            let id = packet.id().to_be_bytes();
            return Some(vec![id[0], id[1], 0xff, 0xff, 0xde, 0xad, 0xbe]);
        }
        let mut reply = Packet::new_reply(packet.id());
        reply.set_flags(PacketFlag::RECURSION_AVAILABLE);
        if packet.has_flags(PacketFlag::RECURSION_DESIRED) {
            reply.set_flags(PacketFlag::RECURSION_DESIRED);
        }
        reply.questions.push(question.clone());
        if rule.truncate && !tcp {
            reply.set_flags(PacketFlag::TRUNCATION);
            return reply.build_bytes_vec().ok();
        }
        if let Some(code) = rule.rcode {
            *reply.rcode_mut() = RCODE::from(u16::from(code));
            return reply.build_bytes_vec().ok();
        }
        // Follow the CNAME chain as a recursive server does, answering with every hop.
        let mut names: Vec<(String, Option<String>)> = Vec::new();
        let mut current = qname.to_string();
        let mut final_rule = None;
        for _ in 0..8 {
            match self.rule(&current) {
                Some(Rule {
                    cname: Some(target),
                    ..
                }) => {
                    names.push((current.clone(), Some(target.clone())));
                    current = target.to_ascii_lowercase();
                }
                Some(r) => {
                    final_rule = Some(r.clone());
                    break;
                }
                None => break,
            }
        }
        names.push((current.clone(), None));
        let Some(final_rule) = final_rule else {
            *reply.rcode_mut() = RCODE::NameError;
            return build_with(&mut reply, &names, &Rule::default(), question.qtype);
        };
        build_with(&mut reply, &names, &final_rule, question.qtype)
    }
}

/// Put the calling thread (Linux nice values are per thread) ahead of the client under test.
/// The server stands in for one on another machine, but here shares the cores with the client:
/// in the benchmark, 256 client threads left its one receiving thread so little CPU that queries
/// waited 12 ms in its queue, and the numbers measured the server. Where the lab may not (not
/// real root), the thread keeps its priority.
fn raise_priority() {
    // SAFETY: setpriority only reads its integer arguments; 0 means the calling thread.
    let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, -15) };
}

/// Room for thousands of queries in the socket's queue. With the default (about 200 small
/// datagrams), a benchmark's burst of queries overflows it while the serving thread waits for a
/// core, and every dropped query costs its client the resolver's whole timeout.
/// SO_RCVBUFFORCE passes the system's cap (rmem_max) where we may (root); else SO_RCVBUF, capped.
fn grow_receive_buffer(socket: &UdpSocket) {
    use std::os::fd::AsRawFd;
    let size: libc::c_int = 16 << 20;
    let len = libc::socklen_t::try_from(std::mem::size_of::<libc::c_int>()).unwrap_or(4);
    for option in [libc::SO_RCVBUFFORCE, libc::SO_RCVBUF] {
        // SAFETY: an open socket and a pointer to a c_int of the length given.
        let rc = unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                option,
                (&raw const size).cast(),
                len,
            )
        };
        if rc == 0 {
            return;
        }
    }
}

/// Add the CNAME hops and the final name's records of the asked type, then encode.
fn build_with(
    reply: &mut Packet<'_>,
    names: &[(String, Option<String>)],
    rule: &Rule,
    qtype: QTYPE,
) -> Option<Vec<u8>> {
    let mut answers = Vec::new();
    for (owner, target) in names {
        let owner = Name::new(owner).ok()?;
        match target {
            Some(target) => answers.push(ResourceRecord::new(
                owner,
                CLASS::IN,
                60,
                RData::CNAME(CNAME(Name::new(target).ok()?)),
            )),
            None => {
                if qtype == QTYPE::TYPE(TYPE::A) {
                    for a in &rule.a {
                        answers.push(ResourceRecord::new(
                            owner.clone(),
                            CLASS::IN,
                            60,
                            RData::A(A::from(*a)),
                        ));
                    }
                }
                if qtype == QTYPE::TYPE(TYPE::AAAA) {
                    for a in &rule.aaaa {
                        answers.push(ResourceRecord::new(
                            owner.clone(),
                            CLASS::IN,
                            60,
                            RData::AAAA(AAAA::from(*a)),
                        ));
                    }
                }
                if qtype == QTYPE::TYPE(TYPE::PTR) {
                    for target in &rule.ptr {
                        answers.push(ResourceRecord::new(
                            owner.clone(),
                            CLASS::IN,
                            60,
                            RData::PTR(PTR(Name::new(target).ok()?)),
                        ));
                    }
                }
            }
        }
    }
    let mut reply = reply.clone();
    reply.answers = answers;
    reply.build_bytes_vec().ok()
}
