//! The lab's programmable DNS server: real DNS on the wire (simple-dns), scripted per name.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use simple_dns::rdata::{A, AAAA, CNAME, RData};
use simple_dns::{CLASS, Name, Packet, PacketFlag, QTYPE, RCODE, ResourceRecord, TYPE};

/// How the server treats queries for one name. Names without a rule get NXDOMAIN, as a real
/// authoritative server would say.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Rule {
    pub a: Vec<Ipv4Addr>,
    pub aaaa: Vec<Ipv6Addr>,
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

/// One query as the server saw it: `name TYPE udp|tcp`, for tests to check what was asked.
fn log_line(name: &str, qtype: QTYPE, transport: &str) -> String {
    let ty = match qtype {
        QTYPE::TYPE(TYPE::A) => "A".to_string(),
        QTYPE::TYPE(TYPE::AAAA) => "AAAA".to_string(),
        other => format!("{other:?}"),
    };
    format!("{name} {ty} {transport}")
}

/// The running server: shared state for the UDP and TCP threads.
pub struct Server {
    zone: Zone,
    log: Mutex<Vec<String>>,
}

impl Server {
    /// Bind 127.0.0.1:53 over UDP (and TCP when `tcp`), serve from background threads.
    pub fn start(zone: Zone, tcp: bool) -> std::io::Result<Arc<Server>> {
        let server = Arc::new(Server {
            zone,
            log: Mutex::new(Vec::new()),
        });
        let udp = UdpSocket::bind("127.0.0.1:53")?;
        let s = Arc::clone(&server);
        std::thread::spawn(move || s.serve_udp(udp));
        if tcp {
            let listener = TcpListener::bind("127.0.0.1:53")?;
            let s = Arc::clone(&server);
            std::thread::spawn(move || s.serve_tcp(listener));
        }
        Ok(server)
    }

    /// The queries seen so far, in order.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn serve_udp(self: Arc<Self>, socket: UdpSocket) {
        let socket = Arc::new(socket);
        let mut buf = [0u8; 4096];
        while let Ok((len, peer)) = socket.recv_from(&mut buf) {
            let query = buf[..len].to_vec();
            let (s, sock) = (Arc::clone(&self), Arc::clone(&socket));
            // One thread per query, so a delayed answer does not hold up the next query.
            std::thread::spawn(move || {
                if let Some(reply) = s.handle(&query, false) {
                    let _ = sock.send_to(&reply, peer);
                }
            });
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
            if let Some(reply) = self.handle(&query, true) {
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

    /// The reply to one query, or None to stay silent.
    fn handle(&self, query: &[u8], tcp: bool) -> Option<Vec<u8>> {
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
        let rule = self.zone.get(&qname).cloned().unwrap_or_default();
        if rule.drop {
            return None;
        }
        if rule.delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(rule.delay_ms));
        }
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
        let mut current = qname.clone();
        let mut final_rule = None;
        for _ in 0..8 {
            match self.zone.get(&current) {
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
            }
        }
    }
    let mut reply = reply.clone();
    reply.answers = answers;
    reply.build_bytes_vec().ok()
}
