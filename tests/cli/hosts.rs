//! `hosts`: the whole hosts database against `getent hosts`, line for line, in every format, and its `--explain`.

use crate::common::getent::{check_every_format, explained, getent};

#[test]
fn hosts_lists_what_getent_hosts_lists() {
    // Only /etc/hosts takes part (dns cannot list), so no query leaves the machine.
    let all = getent("hosts");
    check_every_format(&["hosts"], &all, "host");
}

#[test]
fn hosts_explain_shows_the_c_loop() {
    let transcript = explained(
        &["hosts"],
        "sethostent(0); while (gethostent_r(&ret, buf, 16384, &result, &h_errno) == 0) \
         print(result); endhostent()",
    );
    insta::assert_snapshot!("hosts_explain_python", transcript);
}
