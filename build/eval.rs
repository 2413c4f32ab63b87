//! The C integer constant expressions the socket headers write, evaluated as C would for build.rs.

// Enough of C for what the preprocessed headers give: decimal, hex and octal literals with U/L
// suffixes, enum members, casts to the integer types, unary - ~ + !, and the binary arithmetic,
// shift and bit operators with C's precedence. Unsigned operands make the result unsigned and
// wrap to their width, so `-1U` is 4294967295 and `~0` is -1, as CPython's module shows them.

use std::collections::HashMap;

/// A value and, when it is unsigned, its width in bits.
#[derive(Clone, Copy)]
struct Int {
    value: i128,
    unsigned: Option<u32>,
}

impl Int {
    fn wrap(value: i128, unsigned: Option<u32>) -> Int {
        match unsigned {
            Some(bits) => Int {
                value: value.rem_euclid(1_i128 << bits),
                unsigned,
            },
            None => Int {
                value,
                unsigned: None,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(i128, Option<u32>),
    Name(String),
    Op(&'static str),
}

/// The value of `expr`, or None when it is not an integer constant expression this handles.
pub fn evaluate(expr: &str, enums: &HashMap<String, i64>) -> Option<i64> {
    let tokens = tokenize(expr)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        enums,
    };
    let value = parser.binary(0)?;
    if parser.at != parser.tokens.len() {
        return None;
    }
    i64::try_from(value.value).ok()
}

const OPS: &[&str] = &[
    "<<", ">>", "(", ")", "~", "-", "+", "!", "*", "/", "%", "&", "|", "^",
];

fn tokenize(expr: &str) -> Option<Vec<Token>> {
    let bytes = expr.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            tokens.push(number(&expr[start..i])?);
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push(Token::Name(expr[start..i].to_string()));
        } else {
            let op = OPS.iter().find(|op| expr[i..].starts_with(**op))?;
            tokens.push(Token::Op(op));
            i += op.len();
        }
    }
    Some(tokens)
}

/// A literal with C's type rules, as far as they matter here: a U suffix, or a hex or octal
/// literal too big for int, is unsigned; an L suffix makes it 64 bits wide.
fn number(text: &str) -> Option<Token> {
    let lower = text.to_ascii_lowercase();
    let digits = lower.trim_end_matches(['u', 'l']);
    let suffix = &lower[digits.len()..];
    let (value, radix) = if let Some(hex) = digits.strip_prefix("0x") {
        (i128::from_str_radix(hex, 16).ok()?, 16)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (i128::from_str_radix(&digits[1..], 8).ok()?, 8)
    } else {
        (digits.parse::<i128>().ok()?, 10)
    };
    let wide = suffix.contains('l') || value > i128::from(u32::MAX);
    let bits = if wide { 64 } else { 32 };
    let unsigned = suffix.contains('u') || (radix != 10 && !wide && value > i128::from(i32::MAX));
    Some(Token::Number(value, unsigned.then_some(bits)))
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    enums: &'a HashMap<String, i64>,
}

/// Binary operators by C precedence, loosest first.
const LEVELS: &[&[&str]] = &[
    &["|"],
    &["^"],
    &["&"],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn binary(&mut self, level: usize) -> Option<Int> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Some(Token::Op(op)) = self.peek().cloned() {
            if !LEVELS[level].contains(&op) {
                break;
            }
            self.at += 1;
            let right = self.binary(level + 1)?;
            left = apply(op, left, right)?;
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Int> {
        let token = self.peek()?.clone();
        self.at += 1;
        match token {
            Token::Number(value, unsigned) => Some(Int { value, unsigned }),
            Token::Name(name) => self.enums.get(&name).map(|v| Int {
                value: i128::from(*v),
                unsigned: None,
            }),
            Token::Op("-") => {
                let v = self.unary()?;
                Some(Int::wrap(-v.value, v.unsigned))
            }
            Token::Op("+") => self.unary(),
            Token::Op("!") => {
                let v = self.unary()?;
                Some(Int::wrap(i128::from(v.value == 0), None))
            }
            Token::Op("~") => {
                let v = self.unary()?;
                Some(Int::wrap(!v.value, v.unsigned))
            }
            Token::Op("(") => {
                if let Some(unsigned) = self.cast() {
                    let v = self.unary()?;
                    return Some(Int::wrap(v.value, unsigned));
                }
                let v = self.binary(0)?;
                (self.peek() == Some(&Token::Op(")"))).then(|| self.at += 1)?;
                Some(v)
            }
            Token::Op(_) => None,
        }
    }

    /// After `(`: a type name and its `)`, consumed, as the signedness it casts to; None (and
    /// nothing consumed) when the parenthesis holds an expression.
    fn cast(&mut self) -> Option<Option<u32>> {
        let mut words = Vec::new();
        let mut at = self.at;
        while let Some(Token::Name(word)) = self.tokens.get(at) {
            if self.enums.contains_key(word) {
                return None;
            }
            words.push(word.as_str());
            at += 1;
        }
        if words.is_empty() || self.tokens.get(at) != Some(&Token::Op(")")) {
            return None;
        }
        let unsigned = match words.as_slice() {
            ["in_addr_t"] | ["uint32_t"] | ["__u32"] | ["unsigned"] | ["unsigned", "int"] => {
                Some(32)
            }
            ["uint64_t"] | ["__u64"] | ["unsigned", "long"] => Some(64),
            ["int"] | ["int32_t"] | ["long"] | ["int64_t"] => None,
            _ => return None,
        };
        self.at = at + 1;
        Some(unsigned)
    }
}

fn apply(op: &str, left: Int, right: Int) -> Option<Int> {
    let unsigned = match (left.unsigned, right.unsigned) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => None,
    };
    let (a, b) = (left.value, right.value);
    let value = match op {
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        // A shift keeps the left operand's type.
        "<<" => {
            return Some(Int::wrap(
                a.checked_shl(u32::try_from(b).ok()?)?,
                left.unsigned,
            ));
        }
        ">>" => {
            return Some(Int::wrap(
                a.checked_shr(u32::try_from(b).ok()?)?,
                left.unsigned,
            ));
        }
        "+" => a.checked_add(b)?,
        "-" => a.checked_sub(b)?,
        "*" => a.checked_mul(b)?,
        "/" => a.checked_div(b)?,
        "%" => a.checked_rem(b)?,
        _ => return None,
    };
    Some(Int::wrap(value, unsigned))
}
