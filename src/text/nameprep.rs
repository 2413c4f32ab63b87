//! RFC 3491 nameprep as CPython's `encodings.idna` runs it: RFC 3454's Unicode 3.2 tables, `str.lower()` and Unicode 3.2's NFKC.
//!
//! CPython's version is not quite the RFC's: its table B.2 is computed with today's
//! `str.lower()` (so Cherokee capitals fold to letters Unicode 3.2 lacks), it normalizes with
//! `unicodedata.ucd_3_2_0` (characters unassigned in 3.2 are left as they are, five
//! decompositions keep their 3.2 values) and it allows unassigned code points, as RFC 3490
//! does for queries. The tables come from the `stringprep` crate, the Unicode data from
//! `unicode-normalization`; what differs from those crates' own nameprep is written here.

use stringprep::tables;
use unicode_normalization::char::{canonical_combining_class, compose, decompose_compatible};

/// Why nameprep refused a label, in the order CPython checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A character of the prohibited tables C.1.2 to C.9.
    Prohibited(char),
    /// A right-to-left character and a left-to-right one in the same label.
    Bidi2,
    /// A label with right-to-left characters that does not start and end with one.
    Bidi3,
}

/// Nameprep one label: map (B.1 to nothing, B.2 case fold), NFKC, prohibit, check bidi.
pub fn nameprep(label: &str) -> Result<String, Refusal> {
    let mut mapped = String::with_capacity(label.len());
    for c in label.chars() {
        if !tables::commonly_mapped_to_nothing(c) {
            mapped.push_str(&fold(c));
        }
    }
    let label = nfkc(&mapped);
    if let Some(c) = label.chars().find(|&c| prohibited(c)) {
        return Err(Refusal::Prohibited(c));
    }
    let rtl: Vec<bool> = label.chars().map(right_to_left).collect();
    if rtl.iter().any(|&r| r) {
        if label.chars().any(left_to_right) {
            return Err(Refusal::Bidi2);
        }
        if rtl.first() != Some(&true) || rtl.last() != Some(&true) {
            return Err(Refusal::Bidi3);
        }
    }
    Ok(label)
}

/// Table B.2 as CPython computes it (`stringprep.map_table_b2`): fold case, and where NFKC of
/// the folded text folds differently again, the folded NFKC of it. For a character the RFC's
/// table lists this is the RFC's value; for the others it is what `str.lower()` says today.
fn fold(c: char) -> String {
    let listed: String = tables::case_fold_for_nfkc(c).collect();
    if listed != c.to_string() {
        return listed;
    }
    let lower = lowercase(c);
    if lower == listed {
        return lower;
    }
    let once = nfkc(&lower);
    let again = nfkc(&once.chars().map(fold_listed).collect::<String>());
    if once != again { again } else { lower }
}

/// One character folded by the RFC's table where it lists the character, else by
/// `str.lower()`: CPython's `map_table_b3`, whose exceptions are the RFC's folds.
fn fold_listed(c: char) -> String {
    let listed: String = tables::case_fold_for_nfkc(c).collect();
    if listed != c.to_string() {
        listed
    } else {
        lowercase(c)
    }
}

/// `str.lower()` of one character in CPython 3.11, which knows Unicode 14.0: the case pairs
/// Unicode added since (and Rust's standard library knows) stay as they are.
fn lowercase(c: char) -> String {
    let newer = matches!(c, '\u{1C89}' | '\u{A7CB}' | '\u{A7CC}' | '\u{A7CE}' | '\u{A7D2}' | '\u{A7D4}' | '\u{A7DA}' | '\u{A7DC}' | '\u{10D50}'..='\u{10D65}' | '\u{16EA0}'..='\u{16EB8}');
    if newer {
        c.to_string()
    } else {
        c.to_lowercase().collect()
    }
}

/// Whether nameprep prohibits the character: tables C.1.2, C.2.2, C.3 to C.9 (C.5, the
/// surrogates, cannot occur in a Rust string).
fn prohibited(c: char) -> bool {
    tables::non_ascii_space_character(c)
        || tables::non_ascii_control_character(c)
        || tables::private_use(c)
        || tables::non_character_code_point(c)
        || tables::inappropriate_for_plain_text(c)
        || tables::inappropriate_for_canonical_representation(c)
        || tables::change_display_properties_or_deprecated(c)
        || tables::tagging_character(c)
}

/// Table D.1 (bidi class R or AL) for the characters Unicode 3.2 had; the others had no
/// class then.
fn right_to_left(c: char) -> bool {
    !tables::unassigned_code_point(c) && tables::bidi_r_or_al(c)
}

/// Table D.2 (bidi class L), likewise.
fn left_to_right(c: char) -> bool {
    !tables::unassigned_code_point(c) && tables::bidi_l(c)
}

/// The decompositions Unicode corrected after 3.2: `ucd_3_2_0` keeps the old ones.
fn decomposition_3_2(c: char) -> Option<char> {
    match c {
        '\u{2F868}' => Some('\u{2136A}'),
        '\u{2F874}' => Some('\u{5F33}'),
        '\u{2F91F}' => Some('\u{43AB}'),
        '\u{2F95F}' => Some('\u{7AAE}'),
        '\u{2F9BF}' => Some('\u{4D57}'),
        _ => None,
    }
}

/// NFKC as `unicodedata.ucd_3_2_0.normalize("NFKC", text)` computes it: a character Unicode
/// 3.2 did not have is not decomposed; reordering and composition use today's data.
pub fn nfkc(text: &str) -> String {
    let mut chars = Vec::with_capacity(text.len());
    for c in text.chars() {
        match decomposition_3_2(c) {
            Some(old) => chars.push(old),
            None if tables::unassigned_code_point(c) => chars.push(c),
            None => decompose_compatible(c, |d| chars.push(d)),
        }
    }
    reorder(&mut chars);
    compose_all(&chars).into_iter().collect()
}

/// Canonical ordering: a run of combining marks sorted by class, stably.
fn reorder(chars: &mut [char]) {
    let mut start = 0;
    while start < chars.len() {
        if canonical_combining_class(chars[start]) == 0 {
            start += 1;
            continue;
        }
        let end = chars[start..]
            .iter()
            .position(|&c| canonical_combining_class(c) == 0)
            .map_or(chars.len(), |n| start + n);
        chars[start..end].sort_by_key(|&c| canonical_combining_class(c));
        start = end;
    }
}

/// Canonical composition, the way CPython's `nfc_nfkc` walks the decomposed text.
fn compose_all(chars: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut used = vec![false; chars.len()];
    for i in 0..chars.len() {
        if used[i] {
            continue;
        }
        let mut base = chars[i];
        let mut blocking = 0;
        for (j, &next) in chars.iter().enumerate().skip(i + 1) {
            let class = canonical_combining_class(next);
            if blocking != 0 && (class == 0 || blocking >= class) {
                if class == 0 {
                    break;
                }
                continue;
            }
            match compose(base, next) {
                Some(composed) if !used[j] => {
                    base = composed;
                    used[j] = true;
                }
                _ if class == 0 => break,
                _ => blocking = class,
            }
        }
        out.push(base);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_folds_and_normalizes() {
        assert_eq!(nameprep("ＬｏｃａｌＨｏｓｔ"), Ok("localhost".to_string()));
        assert_eq!(nameprep("a\u{AD}b\u{200B}c"), Ok("abc".to_string()));
        assert_eq!(nameprep("Straße"), Ok("strasse".to_string()));
        assert_eq!(nameprep("u\u{308}"), Ok("ü".to_string()));
        // Cherokee capitals fold to small letters Unicode 3.2 lacked, as str.lower() does.
        assert_eq!(nameprep("\u{13A0}"), Ok("\u{AB70}".to_string()));
        // Added after 3.2: left undecomposed.
        assert_eq!(nfkc("\u{1F100}"), "\u{1F100}");
        assert_eq!(nfkc("\u{2F874}"), "\u{5F33}");
    }

    #[test]
    fn refuses_like_cpython() {
        assert_eq!(nameprep("a\u{E000}"), Err(Refusal::Prohibited('\u{E000}')));
        assert_eq!(nameprep("\u{627}a"), Err(Refusal::Bidi2));
        assert_eq!(nameprep("\u{627}1"), Err(Refusal::Bidi3));
        assert_eq!(
            nameprep("\u{627}1\u{628}"),
            Ok("\u{627}1\u{628}".to_string())
        );
    }
}
