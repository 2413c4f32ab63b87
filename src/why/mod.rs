//! `why`: make the real getaddrinfo call, then explain each decision glibc made for it and check the explanation.

pub mod addrconfig;
pub mod dnswalk;
pub mod gaiconf;
pub mod hostsfile;
pub mod input;
pub mod nsswitch;
pub mod report;
pub mod resolvconf;
mod service;
pub mod sort;
pub mod sources;
mod story;

use std::ffi::{CString, OsString};

use clap::Args;

use crate::calls::addrinfo::{self, AddrInfo};
use crate::calls::{protobyname, pyargs};
use crate::model::{Answer, Call, Failure, Fatal, Outcome, Record};
use crate::parse::{self, Protocol};
use crate::render::Format;
use crate::runner::{Ctx, Emitter, Run, report as report_failure};
use crate::sys::netdb::{self, Hints};
use crate::sys::{self, locale, netlink};
use crate::text::{csource, symbols};
use crate::validate;

use report::{DnsView, HintsView, NsswitchView, Report, Step};

/// `why HOST [SERVICE]` with addrinfo's hints.
#[derive(Debug, Args)]
pub struct WhyArgs {
    /// Host name or numeric address to explain
    pub host: OsString,

    /// Service name or port number; leave out for NULL (Python's None)
    pub service: Option<OsString>,

    /// Address family: unspec, inet, inet6, any AF_ name, or a number
    #[arg(short, long, default_value = "unspec", value_parser = parse::family)]
    pub family: i32,

    /// Short for --family inet
    #[arg(short = '4', conflicts_with_all = ["family", "inet6"])]
    pub inet: bool,

    /// Short for --family inet6
    #[arg(short = '6', conflicts_with = "family")]
    pub inet6: bool,

    /// Socket type: stream, dgram, raw, any SOCK_ name, or a number; 0 (any) by default
    #[arg(short = 't', long = "type", default_value = "0", value_parser = parse::socktype)]
    pub socktype: i32,

    /// Protocol: tcp, udp, any IPPROTO_ or /etc/protocols name, or a number; 0 (any) by default
    #[arg(short, long, default_value = "0", value_parser = parse::protocol)]
    pub proto: Protocol,

    /// Comma-separated AI_ flags, as for addrinfo (including glibc's idn and canonidn)
    #[arg(long, default_value = "0", value_parser = parse::ai_flags)]
    pub flags: i32,
}

/// The files `why` reads, as glibc reads them.
const NSSWITCH: &str = "/etc/nsswitch.conf";
const HOSTS: &str = "/etc/hosts";
const HOST_CONF: &str = "/etc/host.conf";
const RESOLV_CONF: &str = "/etc/resolv.conf";
const GAI_CONF: &str = "/etc/gai.conf";

impl Record for Report {
    const COLUMNS: &'static [&'static str] = &["query", "answered_by", "predicted", "agrees"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.answered_by.clone().unwrap_or_default(),
            self.predicted.join(" "),
            self.agrees.to_string(),
        ]
    }
}

impl Run for WhyArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        let report = self.explain()?;
        let outcome = report
            .error
            .as_ref()
            .map_or(Outcome::Success, Failure::outcome);
        if let Some(failure) = &report.error {
            report_failure(ctx.command, &report.query, failure, ctx.color_errors);
        }
        if ctx.format == Format::Table {
            story::write(&report, &self.call(&report), ctx)?;
            return Ok(outcome);
        }
        let result = report.result.clone();
        let error = report.error.clone();
        let view = move |_: &Result<Vec<Report>, Failure>| match (&result, &error) {
            (Some(records), _) => addrinfo::python_list(records).to_string(),
            (None, Some(failure)) => failure.python_exception(),
            (None, None) => String::new(),
        };
        let call = self.call(&report);
        let mut emitter = Emitter::new(ctx, &view);
        let answer = Answer::new(Some(report.query.clone()), Ok(vec![report])).with_call(call);
        emitter.write(answer)?;
        emitter.finish()?;
        Ok(outcome)
    }
}

impl WhyArgs {
    fn hints(&self) -> Result<Hints, Fatal> {
        Ok(Hints {
            family: parse::family_shortcut(self.inet, self.inet6, self.family),
            socktype: self.socktype,
            protocol: protobyname::number(&self.proto)?,
            flags: self.flags,
        })
    }

    fn call(&self, report: &Report) -> Call {
        let hints = self.hints().unwrap_or_default();
        let service = report.service.as_deref();
        Call {
            c: csource::c_getaddrinfo(Some(&report.query), service, hints),
            python: csource::py_getaddrinfo(
                &pyargs::plain(&report.query).host_literal(),
                &service.map_or_else(|| "None".to_string(), |s| pyargs::plain(s).literal()),
                hints,
            ),
            notes: Vec::new(),
        }
    }

    /// Make the real call, then explain it.
    pub fn explain(&self) -> Result<Report, Fatal> {
        let hints = self.hints()?;
        let host = text_arg(&self.host, "HOST")?;
        let service = self
            .service
            .as_deref()
            .map(|s| text_arg(s, "SERVICE"))
            .transpose()?;
        // The locale decides what AI_IDN makes of a non-ASCII name; set it before the call.
        let locale = locale::use_environment();
        let c_host = CString::new(host).map_err(|_| Fatal::new(Outcome::Usage, "NUL in HOST"))?;
        let c_service = service
            .map(CString::new)
            .transpose()
            .map_err(|_| Fatal::new(Outcome::Usage, "NUL in SERVICE"))?;
        let truth = netdb::getaddrinfo(Some(&c_host), c_service.as_deref(), hints);
        let (result, error) = match truth {
            Ok(entries) => (
                Some(
                    entries
                        .into_iter()
                        .map(|e| addrinfo::record(Some(host), service, e))
                        .collect::<Vec<AddrInfo>>(),
                ),
                None,
            ),
            Err(err) => (None, Some(Failure::from(err))),
        };
        let mut blind_spots = vec![
            "a running nscd or systemd-resolved cache is not seen: the queries shown are \
             replayed now, not captured from the call"
                .to_string(),
            "sorting rule 7 (native transport) needs link types sockscope does not read: \
             every interface counts as native"
                .to_string(),
        ];
        let kernel = netlink::addresses().unwrap_or_else(|err| {
            blind_spots.push(format!(
                "the kernel's address list could not be read: {}",
                err.message()
            ));
            Vec::new()
        });
        let input = input::read(host, hints.flags, &locale);
        let mut steps = vec![Step {
            step: "input",
            says: input.says.clone(),
        }];
        let mut family = hints.family;
        let addrconfig = (hints.flags & libc::AI_ADDRCONFIG != 0).then(|| {
            let config = addrconfig::addrconfig(&kernel, hints.family);
            if let Some(narrowed) = addrconfig::narrowed(&config, hints.family) {
                family = narrowed;
            }
            steps.push(Step {
                step: "addrconfig",
                says: addrconfig::addrconfig_says(&config),
            });
            config
        });
        let resolv = resolvconf::Config::parse(
            RESOLV_CONF,
            read(RESOLV_CONF).as_deref(),
            std::env::var("LOCALDOMAIN").ok().as_deref(),
            std::env::var("RES_OPTIONS").ok().as_deref(),
            &netdb::gethostname().unwrap_or_default(),
        );
        let mut answered_by = None;
        let mut nsswitch_view = None;
        let mut hosts_file = None;
        let mut candidates = None;
        let (mut predicted, mut predicted_error) = (Vec::new(), None);
        let mut sort_view = None;
        if addrconfig.as_ref().is_some_and(|a| a.refuses) {
            predicted_error = Some("EAI_NONAME".to_string());
        } else if let Some(code) = service::failure(service, hints) {
            let name = crate::sys::SysError::Gai { code, errno: None }.code();
            steps[0].says.push(format!(
                "the service and hints fail on their own ({name}), before any host is looked up"
            ));
            predicted_error = Some(name);
        } else if input.numeric().is_some() {
            (predicted, predicted_error) = report::numeric_prediction(&input, family);
            answered_by = Some("numeric".to_string());
        } else if hints.flags & libc::AI_NUMERICHOST != 0 {
            predicted_error = Some("EAI_NONAME".to_string());
        } else if let input::Host::Name {
            name, dns_refuses, ..
        } = &input.host
        {
            let line = nsswitch::Line::from_file(NSSWITCH, read(NSSWITCH).as_deref());
            let hosts_text = read(HOSTS).unwrap_or_default();
            let host_conf = read(HOST_CONF);
            let files = sources::Files {
                hosts_path: HOSTS,
                hosts: &hosts_text,
                multi: hostsfile::multi(
                    host_conf.as_deref(),
                    std::env::var("RESOLV_MULTI").ok().as_deref(),
                ),
                resolv: &resolv,
            };
            let walked = sources::walk(&line, name, family, *dns_refuses, &files);
            steps.push(Step {
                step: "nsswitch",
                says: walked
                    .consulted
                    .iter()
                    .map(|c| format!("{} {}: {}", c.source, c.criteria, c.then))
                    .collect(),
            });
            predicted_error = report::walk_error(&walked);
            answered_by.clone_from(&walked.answered_by);
            let tables = match read(GAI_CONF) {
                Some(text) => gaiconf::Tables::parse(GAI_CONF, &text),
                None => gaiconf::Tables::builtin(),
            };
            (predicted, sort_view) = report::sort_step(&walked.addresses, &tables, &kernel);
            hosts_file = walked.hosts_file;
            candidates = walked.dns.map(|w| w.candidates);
            nsswitch_view = Some(NsswitchView {
                line: line.text,
                from: line.from,
                consulted: walked.consulted,
            });
        }
        if let Some(view) = &sort_view {
            steps.push(Step {
                step: "sort",
                says: view
                    .decisions
                    .iter()
                    .map(|d| {
                        format!(
                            "{} before {}: rule {}, {}",
                            d.first, d.second, d.rule, d.reason
                        )
                    })
                    .collect(),
            });
        }
        let real = result.as_deref().map(report::distinct).unwrap_or_default();
        let real_error = error.as_ref().map(Failure::code);
        let (agrees, difference) = report::verdict(
            &predicted,
            predicted_error.as_deref(),
            &real,
            real_error.as_deref(),
            sort_view.is_some(),
        );
        steps.push(Step {
            step: "verdict",
            says: vec![if agrees {
                "the prediction agrees with the real answer, entry for entry".to_string()
            } else {
                "the prediction differs from the real answer: a finding, shown not hidden"
                    .to_string()
            }],
        });
        Ok(Report {
            query: host.to_string(),
            service: service.map(str::to_string),
            hints: hints_view(hints),
            result,
            error,
            answered_by,
            input,
            nsswitch: nsswitch_view,
            hosts_file,
            dns: DnsView::new(&resolv, candidates),
            addrconfig,
            sort: sort_view,
            predicted,
            predicted_error,
            real,
            agrees,
            difference,
            steps,
            blind_spots,
        })
    }
}

/// An argument as text without NUL bytes: what a C string can carry.
fn text_arg<'a>(arg: &'a std::ffi::OsStr, what: &str) -> Result<&'a str, Fatal> {
    let text = arg.to_str().ok_or_else(|| {
        Fatal::new(
            Outcome::Usage,
            format!("{what} {} is not valid UTF-8", validate::display(arg)),
        )
    })?;
    if text.contains('\0') {
        return Err(Fatal::new(
            Outcome::Usage,
            format!("{what} contains a NUL byte"),
        ));
    }
    Ok(text)
}

fn read(path: &str) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn hints_view(hints: Hints) -> HintsView {
    let (names, mut rest) = symbols::flag_names("AI_", hints.flags);
    let mut flags: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    for (bit, name) in [(sys::AI_IDN, "AI_IDN"), (sys::AI_CANONIDN, "AI_CANONIDN")] {
        if rest & i64::from(bit) != 0 {
            flags.push(name.to_string());
            rest &= !i64::from(bit);
        }
    }
    if rest != 0 {
        flags.push(rest.to_string());
    }
    HintsView {
        family: symbols::name_or_number("AF_", hints.family),
        socktype: symbols::name_or_number("SOCK_", hints.socktype),
        proto: hints.protocol,
        flags,
    }
}
