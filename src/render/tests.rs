//! Snapshot tests of every renderer on the same fixed answers, so a format change is seen in review.

use super::{Format, Options, python_sink, sink_with};
use crate::calls::Lookup;
use crate::calls::addrinfo::{AddrInfo, GetAddrInfo};
use crate::calls::servbyname::{ServByName, Service};
use crate::calls::servbyport::ServByPort;
use crate::model::{Answer, Failure, PythonView};

fn services() -> Vec<Answer<Service>> {
    vec![
        Answer::new(
            Some("ssh".into()),
            Ok(vec![Service {
                query: "ssh".into(),
                name: "ssh".into(),
                aliases: vec![],
                port: 22,
                proto: "tcp".into(),
            }]),
        ),
        Answer::new(
            Some("nosuch".into()),
            Err(Failure::from(crate::sys::SysError::NotFound(
                "service/proto not found",
            ))),
        ),
        Answer::new(
            Some("http".into()),
            Ok(vec![Service {
                query: "http".into(),
                name: "http".into(),
                aliases: vec!["www".into()],
                port: 80,
                proto: "tcp".into(),
            }]),
        ),
    ]
}

fn addrinfo() -> Vec<Answer<AddrInfo>> {
    let row = |family: &'static str, address: &str, v6: bool| AddrInfo {
        query: Some("localhost".into()),
        service: Some("http".into()),
        family: family.into(),
        socktype: "SOCK_STREAM".into(),
        proto: 6,
        canonname: String::new(),
        address: address.parse().expect("a test address"),
        port: 80,
        flowinfo: v6.then_some(0),
        scope_id: v6.then_some(0),
    };
    vec![Answer::new(
        Some("localhost".into()),
        Ok(vec![
            row("AF_INET6", "::1", true),
            row("AF_INET", "127.0.0.1", false),
        ]),
    )]
}

fn render<R: crate::model::Record>(format: Format, answers: &[Answer<R>]) -> String {
    render_with(format, Options::default(), answers)
}

fn render_with<R: crate::model::Record>(
    format: Format,
    options: Options,
    answers: &[Answer<R>],
) -> String {
    let mut buf = Vec::new();
    {
        let mut out = sink_with::<R>(format, Box::new(&mut buf), options);
        let written = answers.iter().try_for_each(|a| out.answer(a));
        assert!(
            written.and_then(|()| out.finish()).is_ok(),
            "writing to a Vec"
        );
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn table_services() {
    insta::assert_snapshot!(render(Format::Table, &services()));
}

#[test]
fn json_services() {
    insta::assert_snapshot!(render(Format::Json, &services()));
}

#[test]
fn jsonl_services() {
    insta::assert_snapshot!(render(Format::Jsonl, &services()));
}

#[test]
fn table_addrinfo() {
    insta::assert_snapshot!(render(Format::Table, &addrinfo()));
}

#[test]
fn json_addrinfo() {
    insta::assert_snapshot!(render(Format::Json, &addrinfo()));
}

#[test]
fn empty_outputs() {
    let none: Vec<Answer<Service>> = vec![];
    assert_eq!(render(Format::Json, &none), "[]\n");
    assert_eq!(render(Format::Jsonl, &none), "");
    assert_eq!(render(Format::Table, &none), "");
}

#[test]
fn table_elapsed_column_only_when_asked() {
    let mut answers = services();
    for (i, answer) in answers.iter_mut().enumerate() {
        answer.elapsed = Some(std::time::Duration::from_micros(1500 * (i as u64 + 1)));
    }
    let options = Options {
        elapsed: true,
        ..Options::default()
    };
    let text = render_with(Format::Table, options, &answers);
    insta::assert_snapshot!(text);
    assert!(!render(Format::Table, &answers).contains("elapsed_ms"));
    let json = render(Format::Jsonl, &answers);
    assert!(json.lines().all(|line| line.contains("\"elapsed_ms\":")));
}

fn render_python<R: crate::model::Record>(
    view: PythonView<'_, R>,
    answers: &[Answer<R>],
) -> String {
    let mut buf = Vec::new();
    {
        let mut out = python_sink::<R>(false, Box::new(&mut buf), view);
        let written = answers.iter().try_for_each(|a| out.answer(a));
        assert!(
            written.and_then(|()| out.finish()).is_ok(),
            "writing to a Vec"
        );
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// The same `Service` records are a port to getservbyname and a name to getservbyport: the
/// call's own Python view decides.
#[test]
fn python_services_and_addrinfo() {
    let by_name = ServByName {
        default_proto: None,
    };
    assert_eq!(
        render_python(&|r| by_name.python(r), &services()),
        "22\nOSError: service/proto not found\n80\n"
    );
    let by_port = ServByPort {
        default_proto: None,
    };
    assert_eq!(
        render_python(&|r| by_port.python(r), &services()),
        "'ssh'\nOSError: service/proto not found\n'http'\n"
    );
    let getaddrinfo = GetAddrInfo::new(crate::sys::netdb::Hints::default(), None);
    assert_eq!(
        render_python(&|r| getaddrinfo.python(r), &addrinfo()),
        "[(<AddressFamily.AF_INET6: 10>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('::1', 80, 0, 0)), \
         (<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('127.0.0.1', 80))]\n"
    );
}

#[test]
fn python_without_a_python_call_says_so() {
    assert_eq!(
        render(Format::Python, &services()[..1]),
        "# no Python rendering for this call\n"
    );
}

/// What a signal handler writes for a run with no answer is what each renderer writes then.
#[test]
fn empty_output_is_what_every_renderer_writes_without_an_answer() {
    for format in [Format::Table, Format::Plain, Format::Json, Format::Jsonl] {
        let none: &[Answer<Service>] = &[];
        assert_eq!(
            render(format, none).as_bytes(),
            super::empty_output(format),
            "{format:?}"
        );
    }
}
