//! `protocols`: the whole protocols database against `getent protocols`, entry for entry, in every format, and its `--explain`.

use crate::common::getent::{check_every_format, explained, getent};
use crate::common::reference::protocols_file;

#[test]
fn protocols_lists_what_getent_protocols_lists() {
    let all = getent("protocols");
    // The files module is the only source here, so the file itself agrees line for line.
    let file: Vec<Vec<String>> = protocols_file()
        .into_iter()
        .map(|(name, number, aliases)| {
            let mut line = vec![name, number.to_string()];
            line.extend(aliases);
            line
        })
        .collect();
    assert_eq!(all, file, "getent protocols against /etc/protocols");
    check_every_format(&["protocols"], &all, "proto");
}

#[test]
fn protocols_explain_shows_the_c_loop() {
    let transcript = explained(
        &["protocols"],
        "setprotoent(0); while (getprotoent_r(&ret, buf, 16384, &result) == 0) print(result); \
         endprotoent()",
    );
    insta::assert_snapshot!("protocols_explain_python", transcript);
}
