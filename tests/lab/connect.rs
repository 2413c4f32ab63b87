//! `connect` with a black-holed resolver: `--timeout` covers name resolution too.

use crate::dns::Rule;
use crate::world::Scenario;

/// The resolver's own patience is 5 s x 2; `connect --timeout 1` still ends after about a
/// second, as ETIMEDOUT (exit 3) naming the step it was in.
#[test]
fn connect_timeout_covers_a_black_holed_resolver() {
    let scenario = Scenario {
        resolv_conf: "nameserver 127.0.0.1\noptions timeout:5 attempts:2\n".to_string(),
        ..Scenario::default()
    };
    let drop = Rule {
        drop: true,
        ..Rule::default()
    };
    let Some(report) = crate::lab(
        scenario
            .name("silent.lab.test", drop)
            .run(&[
                "connect",
                "silent.lab.test",
                "80",
                "--timeout",
                "1",
                "--json",
            ])
            .run(&[
                "connect",
                "silent.lab.test",
                "80",
                "--udp",
                "--timeout",
                "0.5",
            ]),
    ) else {
        return;
    };
    let [tcp, udp] = &report.outcomes[..] else {
        panic!("two runs: {report:#?}");
    };
    for (out, limit) in [(tcp, "1"), (udp, "0.5")] {
        assert_eq!(out.code, 3, "{out:#?}");
        assert!(out.millis < 3000, "took {} ms: {out:#?}", out.millis);
        assert_eq!(
            out.stderr.trim_end(),
            format!(
                "sockscope: connect: silent.lab.test: resolving the host: timed out after {limit} s (ETIMEDOUT)"
            ),
        );
    }
    let summary = &tcp.json()[0];
    assert_eq!(summary["error"]["code"], "ETIMEDOUT");
    assert_eq!(summary["attempts"], serde_json::json!([]));
    assert!(
        summary["resolve_ms"].as_f64().unwrap() >= 900.0,
        "{summary}"
    );
    assert!(
        report
            .queries
            .iter()
            .any(|q| q.starts_with("silent.lab.test"))
    );
}
