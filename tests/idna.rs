//! sockscope's idna codec against python3's own: `name.encode("idna")` for curated and generated names, compared name by name.
//!
//! python3 runs here with no network at all: encoding a name asks nobody.

use std::io::Write;
use std::process::{Command, Stdio};

use sockscope::text::idna;

/// What python3 says for each name, `OK <ascii>` or `ERR <UnicodeError text>`, one JSON
/// string a line (an encoded name may hold a newline).
fn python_encodings(names: &[String]) -> Vec<String> {
    const SCRIPT: &str = r#"
import json, sys
for line in sys.stdin:
    name = json.loads(line)
    try:
        answer = "OK " + name.encode("idna").decode("ascii")
    except UnicodeError as e:
        # The codec machinery wraps the error; the codec's own words are its cause.
        answer = "ERR " + str(e.__cause__ or e)
    print(json.dumps(answer))
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is the reference and must be installed");
    let mut input = String::new();
    for name in names {
        input.push_str(&serde_json::to_string(name).unwrap());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "python3 failed");
    let lines: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), names.len(), "one answer per name");
    lines
}

fn ours(name: &str) -> String {
    match idna::encode(name) {
        Ok(ascii) => format!("OK {ascii}"),
        Err(err) => format!("ERR {err}"),
    }
}

/// Compare every name; report all differences at once.
fn assert_same_as_python(names: &[String]) {
    let expected = python_encodings(names);
    let differences: Vec<String> = names
        .iter()
        .zip(&expected)
        .filter_map(|(name, python)| {
            let mine = ours(name);
            (mine != *python).then(|| {
                format!(
                    "{name:?} (U+{:04X}...): python {python:?}, sockscope {mine:?}",
                    name.chars().next().map_or(0, u32::from)
                )
            })
        })
        .collect();
    assert!(
        differences.is_empty(),
        "{} of {} names differ:\n{}",
        differences.len(),
        names.len(),
        differences
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A small deterministic generator, so a failure names the same strings every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

fn curated() -> Vec<String> {
    let mut names: Vec<String> = [
        "localhost",
        "LocalHost",
        "ｌｏｃａｌｈｏｓｔ",
        "ＬＯＣＡＬＨＯＳＴ",
        "испытание.example",
        "ИСПЫТАНИЕ.Example",
        "bücher.example",
        "Bücher.Example.",
        "bücher。example",
        "bücher．example",
        "bücher｡example",
        "bücher。",
        "bücher..example",
        "。bücher",
        "。",
        "..",
        ".",
        "a..b",
        ".a",
        "a.",
        "",
        "例え.テスト",
        "中国",
        "日本語。ＪＰ",
        "한국어.kr",
        "😀.example",
        "a😀b",
        "\u{1F600}",
        "soft\u{AD}hyphen.example",
        "zero\u{200B}width.example",
        "\u{AD}",
        "\u{200B}.example",
        "a\u{200D}b",
        "a\u{FE0F}b",
        "Straße.de",
        "ǅ",
        "İstanbul",
        "ﬁ.example",
        "㍿",
        "①②③",
        "Ⅻ",
        "xn--ü",
        "xn--bcher-kva.example",
        "XN--bücher",
        "a\u{E000}",
        "a\u{E0001}",
        "a\u{FFFD}",
        "a\u{FFFC}",
        "a\u{3000}b",
        "a\u{A0}b",
        "a\u{85}b",
        "a\u{2FF0}",
        "a\u{200E}",
        "a\u{202E}b",
        "a\u{FDD0}",
        "a\u{1FFFE}",
        "a\u{1D173}",
        "a\u{340}",
        "\u{627}\u{644}\u{639}\u{631}\u{628}\u{64A}\u{629}",
        "\u{627}a",
        "\u{627}1",
        "1\u{627}",
        "\u{627}1\u{628}",
        "\u{5D0}\u{5D1}",
        "\u{5D0}-\u{5D1}.example",
        "\u{13A0}\u{13A1}",
        "\u{2C00}",
        "\u{10400}",
        "\u{1E900}",
        "\u{2F874}",
        "\u{2F868}x",
        "\u{FA70}",
        "u\u{308}",
        "a\u{301}\u{316}",
        "\u{1100}\u{1161}\u{11A8}",
        "각",
        "Ｂｕｃｈｅｒ．ＤＥ",
        "１２７.０.０.１",
        "１２７．０．０．１",
        "＜broadcast＞",
        "<broadcast>",
        "::1",
        "fe80::1%lo",
        "ü.ü.ü.ü",
        "a b",
        "ü b",
        "ü_b",
        "ü!",
        "-ü-",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    // Labels around the 63-byte limit, before and after encoding.
    for n in [62, 63, 64] {
        names.push("a".repeat(n));
        names.push(format!("{}.example", "a".repeat(n)));
        names.push(format!("example.{}.", "a".repeat(n)));
        names.push(format!("ü{}", "a".repeat(n - 8)));
        names.push(format!("ü{}", "a".repeat(n - 7)));
        names.push(format!("{}.ü", "a".repeat(n)));
    }
    for n in [1, 10, 18, 19, 20, 21, 30] {
        names.push("ü".repeat(n));
        names.push("я".repeat(n));
        names.push("語".repeat(n));
    }
    names.push(vec!["ü"; 200].join("."));
    names.push(vec!["a".repeat(63); 5].join("."));
    names
}

/// Random names from pieces of every kind: ASCII, case, fullwidth, scripts, emoji, the
/// characters nameprep maps to nothing or prohibits, combining marks and the four dots.
fn generated(count: usize) -> Vec<String> {
    let pieces = [
        "a", "Z", "0", "-", "_", "xn--", "ü", "Ü", "ß", "я", "Я", "ё", "語", "テ", "한", "ｌ",
        "Ａ", "９", "😀", "🇫", "\u{AD}", "\u{200B}", "\u{200C}", "\u{FEFF}", "\u{301}", "\u{308}",
        "\u{327}", "\u{627}", "\u{5D0}", "\u{660}", "ﬁ", "Ⅸ", "㎏", "\u{13A0}", "\u{2C00}",
        "\u{E000}", "\u{3000}", ".", "。", "．", "｡", "İ", "ǅ", "ς", "Σ",
    ];
    let mut rng = Lcg(0x5eed_1d4a);
    (0..count)
        .map(|_| {
            let len = 1 + rng.next() as usize % 12;
            (0..len).map(|_| rng.pick(&pieces)).collect()
        })
        .collect()
}

#[test]
fn curated_names_encode_as_in_python() {
    assert_same_as_python(&curated());
}

#[test]
fn generated_names_encode_as_in_python() {
    assert_same_as_python(&generated(1000));
}

/// Every character of the Basic Multilingual Plane as a one-character name, and every 97th
/// beyond it: nameprep's tables, case folding and NFKC character by character.
#[test]
fn single_characters_encode_as_in_python() {
    let names: Vec<String> = (0..0x11_0000u32)
        .filter(|&n| n < 0x1_0000 || n % 97 == 0)
        .filter_map(char::from_u32)
        .map(|c| c.to_string())
        .collect();
    assert_same_as_python(&names);
}

/// All 1.1 million code points: slow, run by hand after changing the codec.
#[test]
#[ignore = "takes a minute; run with --ignored after changing the codec"]
fn every_character_encodes_as_in_python() {
    let names: Vec<String> = (0..0x11_0000u32)
        .filter_map(char::from_u32)
        .map(|c| c.to_string())
        .collect();
    assert_same_as_python(&names);
}
