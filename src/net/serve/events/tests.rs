//! The events' JSON, table cells and summary, pinned.

use super::*;

/// Every kind, as the JSON of `serve` has always written it: the kind first, then the fields.
const LINES: [&str; 12] = [
    r#"{"event":"listening","t_ms":1.5,"address":"127.0.0.1","port":50000}"#,
    r#"{"event":"accepted","t_ms":1.5,"conn":1,"peer":"[::1]:40000"}"#,
    r#"{"event":"received","t_ms":1.5,"conn":1,"bytes":7}"#,
    r#"{"event":"sent","t_ms":1.5,"conn":1,"bytes":16}"#,
    r#"{"event":"discarded","t_ms":1.5,"conn":1,"bytes":3}"#,
    r#"{"event":"full","t_ms":1.5}"#,
    r#"{"event":"closed","t_ms":1.5,"conn":1,"peer":"[::1]:40000","reason":"error","code":"ECONNRESET","bytes_in":10,"bytes_out":16}"#,
    r#"{"event":"datagram","t_ms":1.5,"datagram":2,"peer":"127.0.0.1:40001","bytes":5}"#,
    r#"{"event":"replied","t_ms":1.5,"datagram":2,"peer":"127.0.0.1:40001","bytes":5}"#,
    r#"{"event":"error","t_ms":1.5,"reason":"accept: Too many open files","code":"EMFILE"}"#,
    r#"{"event":"stopping","t_ms":1.5,"reason":"output_closed"}"#,
    r#"{"event":"summary","t_ms":1.5,"reason":"signal","bytes_in":10,"bytes_out":16,"connections":1}"#,
];

fn json(event: &ServeEvent) -> String {
    serde_json::to_string(event).unwrap()
}

fn every_kind() -> Vec<ServeEvent> {
    LINES
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn json_keeps_the_kind_first_and_the_fields_in_order() {
    let events = every_kind();
    assert_eq!(events.iter().map(json).collect::<Vec<_>>(), LINES);
    for event in events {
        // The table's event column (kind) names each kind as the JSON does.
        assert_eq!(serde_json::to_value(&event).unwrap()["event"], event.kind());
    }
}

#[test]
fn reasons_read_the_same_in_json_and_in_the_table() {
    let close = [
        CloseReason::PeerClosed,
        CloseReason::IdleTimeout,
        CloseReason::Shutdown,
        CloseReason::MaxBytes,
        CloseReason::Replied,
        CloseReason::MaxLife,
        CloseReason::TooSlow,
        CloseReason::Error,
    ];
    for reason in close {
        assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
    }
    let stop = [
        StopReason::Signal,
        StopReason::Once,
        StopReason::MaxDatagrams,
        StopReason::OutputClosed,
        StopReason::Error,
    ];
    for reason in stop {
        assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
    }
}

#[test]
fn table_rows_keep_their_cells_and_detail_order() {
    let rows: Vec<String> = every_kind().iter().map(|e| e.cells().join("|")).collect();
    assert_eq!(
        rows,
        [
            "1.500|listening|||address=127.0.0.1 port=50000",
            "1.500|accepted|1||peer=[::1]:40000",
            "1.500|received|1|7|",
            "1.500|sent|1|16|",
            "1.500|discarded|1|3|",
            "1.500|full|||",
            "1.500|closed|1||reason=error code=ECONNRESET bytes_in=10 bytes_out=16",
            "1.500|datagram|2|5|peer=127.0.0.1:40001",
            "1.500|replied|2|5|peer=127.0.0.1:40001",
            "1.500|error|||reason=accept: Too many open files code=EMFILE",
            "1.500|stopping|||reason=output_closed",
            "1.500|summary|||reason=signal connections=1 bytes_in=10 bytes_out=16",
        ]
    );
}

#[test]
fn the_summary_counts_what_was_printed() {
    let mut tally = Tally::default();
    for event in every_kind() {
        tally.count(&event);
    }
    tally.count(&ServeEvent::Stopping {
        t_ms: 9.0,
        reason: StopReason::Once,
    });
    // The datagram and its reply count too: 10 + 5 in, 16 + 5 out.
    assert_eq!(
        json(&tally.summary(2.0)),
        r#"{"event":"summary","t_ms":9.0,"reason":"once","bytes_in":15,"bytes_out":21,"connections":1,"datagrams":1}"#
    );
    assert_eq!(
        json(&Tally::default().summary(0.25)),
        r#"{"event":"summary","t_ms":0.25,"bytes_in":0,"bytes_out":0,"connections":0}"#
    );
}
