//! Money and quantities as people write them in Indonesian workbooks: `1.250.000,00`,
//! `Rp 1.250.000,-`, `1,250,000.00`, `(1.000)`, and numbers Excel hands over as floats.
//! Pure parsing: no notion of which column a figure came from.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimals kept for money (`NUMERIC(18, 2)`).
pub const MONEY_DECIMALS: u32 = 2;
/// Decimals kept for quantities such as volume and output targets (`NUMERIC(18, 4)`).
pub const QUANTITY_DECIMALS: u32 = 4;

/// Reads a figure written as text. Thousands may be grouped with `.`, `,` or spaces; when both
/// `.` and `,` occur the last one is the decimal separator; a single `.` or `,` followed by exactly
/// three digits groups thousands (`1.250` is 1250), otherwise it is the decimal separator (`1,5`).
/// A leading `Rp`/`Rp.`/`IDR`, a trailing `,-` and a leading `-` or surrounding parentheses
/// (negative) are understood. Empty text and a lone `-` are `None`, as is anything else.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let mut rest = text.trim();
    let mut negative = false;
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        rest = inner.trim();
    }
    if let Some(after) = strip_minus(rest) {
        negative = !negative;
        rest = after;
    }
    rest = strip_currency(rest);
    if !negative && let Some(after) = strip_minus(rest) {
        negative = true;
        rest = after;
    }
    for suffix in [",-", ".-", ",--", "-"] {
        if let Some(before) = rest.strip_suffix(suffix) {
            rest = before.trim_end();
            break;
        }
    }
    let value = parse_unsigned(rest)?;
    Some(if negative { -value } else { value })
}

/// A float from a cell (often a formula's cached value such as `1250000.0000001`) as money,
/// rounded to two decimals. NaN and infinities are `None`.
pub fn amount_from_float(value: f64) -> Option<Decimal> {
    from_float(value, MONEY_DECIMALS)
}

/// A float from a cell as a quantity (volume, output target), rounded to four decimals.
pub fn quantity_from_float(value: f64) -> Option<Decimal> {
    from_float(value, QUANTITY_DECIMALS)
}

/// An RKA "koefisien": a plain figure (`12`), a figure with its unit (`12 Bulan`) or a product of
/// such terms (`2 Orang x 12 Bulan` is 24 `Orang x Bulan`). Returns the quantity and the unit,
/// if one was written.
pub fn parse_koefisien(text: &str) -> Option<(Decimal, Option<String>)> {
    if let Some(value) = parse_amount(text) {
        return Some((value, None));
    }
    let spaced = text.replace(['×', '*'], " x ");
    let mut product = Decimal::ONE;
    let mut units: Vec<String> = Vec::new();
    let mut tokens = spaced.split_whitespace().peekable();
    // a trailing `x` promises another term
    let mut dangling = false;
    while tokens.peek().is_some() {
        dangling = false;
        let number = parse_amount(tokens.next()?)?;
        let mut unit: Vec<&str> = Vec::new();
        for token in tokens.by_ref() {
            if token.eq_ignore_ascii_case("x") {
                dangling = true;
                break;
            }
            let is_word = token
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '.' | '/' | '-'));
            if !is_word {
                return None;
            }
            unit.push(token);
        }
        if unit.is_empty() {
            return None;
        }
        product = product.checked_mul(number)?;
        units.push(unit.join(" "));
    }
    if units.is_empty() || dangling {
        return None;
    }
    Some((product, Some(units.join(" x "))))
}

fn from_float(value: f64, decimals: u32) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // a whole number below 2^53 is exact as a float and as an integer: the common case of money
    // (no rounding to do), without the general conversion's cost
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        return Some(Decimal::from(value as i64));
    }
    let decimal = Decimal::from_f64(value)?;
    Some(decimal.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero))
}

fn strip_minus(text: &str) -> Option<&str> {
    text.strip_prefix(['-', '\u{2212}', '\u{2013}'])
        .map(str::trim_start)
}

/// Drops a leading currency mark: `Rp`, `Rp.`, `IDR`, in any case.
fn strip_currency(text: &str) -> &str {
    for mark in ["rp", "idr"] {
        let matches = text
            .get(..mark.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(mark));
        if matches {
            let rest = &text[mark.len()..];
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            return rest.trim_start();
        }
    }
    text
}

/// Digits with separators, no sign: see `parse_amount`.
fn parse_unsigned(text: &str) -> Option<Decimal> {
    if text.contains(char::is_whitespace) {
        return space_grouped(text);
    }
    let valid = !text.is_empty()
        && text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
    if !valid {
        return None;
    }
    let (whole, fraction) = match (text.rfind('.'), text.rfind(',')) {
        (Some(dot), Some(comma)) => {
            let (decimal_at, thousands) = if dot > comma {
                (dot, ',')
            } else {
                (comma, '.')
            };
            let (whole, fraction) = (&text[..decimal_at], &text[decimal_at + 1..]);
            let decimal = if thousands == ',' { '.' } else { ',' };
            if whole.contains(decimal) {
                return None;
            }
            (ungroup(whole, thousands)?, fraction)
        }
        (Some(at), None) | (None, Some(at)) => {
            let separator = if text.as_bytes().get(at) == Some(&b'.') {
                '.'
            } else {
                ','
            };
            if text.matches(separator).count() > 1 {
                (ungroup(text, separator)?, "")
            } else {
                let (whole, fraction) = (&text[..at], &text[at + 1..]);
                let thousands = fraction.len() == 3
                    && (1..=3).contains(&whole.len())
                    && !whole.starts_with('0');
                if thousands {
                    (format!("{whole}{fraction}"), "")
                } else {
                    (whole.to_owned(), fraction)
                }
            }
        }
        (None, None) => (text.to_owned(), ""),
    };
    if text.ends_with(['.', ',']) {
        return None;
    }
    let whole = if whole.is_empty() { "0" } else { &whole };
    let canonical = if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    };
    canonical.parse::<Decimal>().ok()
}

/// `1.250.000` with `.` -> `1250000`: a first group of 1 to 3 digits, then groups of exactly 3.
fn ungroup(text: &str, separator: char) -> Option<String> {
    let mut groups = text.split(separator);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits = String::with_capacity(text.len());
    digits.push_str(first);
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    Some(digits)
}

/// `1 250 000`: whole numbers grouped by spaces (also non-breaking ones).
fn space_grouped(text: &str) -> Option<Decimal> {
    let mut groups = text.split(char::is_whitespace).filter(|g| !g.is_empty());
    let first = groups.next()?;
    let mut digits = String::with_capacity(text.len());
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.push_str(first);
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(group);
    }
    digits.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn indonesian_notation_is_read() {
        assert_eq!(parse_amount("1.250.000,00"), Some(d("1250000")));
        assert_eq!(parse_amount("1.250.000,50"), Some(d("1250000.5")));
        assert_eq!(parse_amount("1,5"), Some(d("1.5")));
        assert_eq!(parse_amount("1.250"), Some(d("1250")));
        assert_eq!(parse_amount("12.500"), Some(d("12500")));
    }

    #[test]
    fn rupiah_marks_are_understood() {
        assert_eq!(parse_amount("Rp 1.250.000"), Some(d("1250000")));
        assert_eq!(parse_amount("Rp. 1.250.000,-"), Some(d("1250000")));
        assert_eq!(parse_amount("Rp1.250.000"), Some(d("1250000")));
        assert_eq!(parse_amount("rp.1.250.000,00"), Some(d("1250000")));
        assert_eq!(parse_amount("IDR 1,250,000.00"), Some(d("1250000")));
        assert_eq!(parse_amount("1.250.000,-"), Some(d("1250000")));
    }

    #[test]
    fn english_notation_is_read() {
        assert_eq!(parse_amount("1,250,000.00"), Some(d("1250000")));
        assert_eq!(parse_amount("1,250,000"), Some(d("1250000")));
        assert_eq!(parse_amount("1,250"), Some(d("1250")));
        assert_eq!(parse_amount("2.5"), Some(d("2.5")));
        assert_eq!(parse_amount("1,250.75"), Some(d("1250.75")));
    }

    #[test]
    fn plain_digits_and_a_single_decimal_separator() {
        assert_eq!(parse_amount("1250000"), Some(d("1250000")));
        assert_eq!(parse_amount("0.250"), Some(d("0.25")));
        assert_eq!(parse_amount("1250.000"), Some(d("1250")));
        assert_eq!(parse_amount("1.25"), Some(d("1.25")));
        assert_eq!(parse_amount("1.2500"), Some(d("1.25")));
        assert_eq!(parse_amount(",5"), Some(d("0.5")));
        assert_eq!(parse_amount("007"), Some(d("7")));
    }

    #[test]
    fn surrounding_and_grouping_spaces_are_ignored() {
        assert_eq!(parse_amount("  1.250.000 "), Some(d("1250000")));
        assert_eq!(parse_amount("\u{a0}1.250.000\u{a0}"), Some(d("1250000")));
        assert_eq!(parse_amount("Rp\u{a0}1.250.000"), Some(d("1250000")));
        assert_eq!(parse_amount("1 250 000"), Some(d("1250000")));
        assert_eq!(parse_amount("1\u{a0}250\u{a0}000"), Some(d("1250000")));
        assert_eq!(parse_amount("12 34"), None);
    }

    #[test]
    fn negatives_in_parentheses_or_with_a_minus() {
        assert_eq!(parse_amount("(1.000)"), Some(d("-1000")));
        assert_eq!(parse_amount("-1.000"), Some(d("-1000")));
        assert_eq!(parse_amount("-Rp 5.000"), Some(d("-5000")));
        assert_eq!(parse_amount("Rp -5.000"), Some(d("-5000")));
        assert_eq!(parse_amount("(Rp 1.000,50)"), Some(d("-1000.5")));
    }

    #[test]
    fn blanks_and_dashes_are_none() {
        for blank in ["", "   ", "-", " - ", "Rp", "Rp -", "()"] {
            assert_eq!(parse_amount(blank), None, "{blank:?}");
        }
    }

    #[test]
    fn garbage_is_none() {
        for garbage in [
            "satu juta",
            "1.2.3",
            "1.25.000",
            "1,250.000,00",
            "1.250,000.5",
            "12a",
            "1.250.",
            "1,",
            "..",
            "1e6",
            "Rp satu",
            "99999999999999999999999999999999",
        ] {
            assert_eq!(parse_amount(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn floats_are_rounded_to_sen() {
        assert_eq!(
            amount_from_float(1_250_000.000_000_1),
            Some(d("1250000.00"))
        );
        assert_eq!(amount_from_float(0.1 + 0.2), Some(d("0.30")));
        assert_eq!(amount_from_float(1_250_000.0), Some(d("1250000")));
        assert_eq!(amount_from_float(1234.565), Some(d("1234.57")));
        assert_eq!(amount_from_float(-2.5), Some(d("-2.5")));
        assert_eq!(amount_from_float(f64::NAN), None);
        assert_eq!(amount_from_float(f64::INFINITY), None);
        assert_eq!(amount_from_float(f64::NEG_INFINITY), None);
        assert_eq!(amount_from_float(1e300), None);
    }

    #[test]
    fn whole_floats_take_the_short_way_to_the_same_value() {
        for value in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1_250_000.0,
            123_456_789_012.0,
            9_007_199_254_740_991.0,
        ] {
            let general = Decimal::from_f64(value).unwrap();
            assert_eq!(amount_from_float(value), Some(general), "{value}");
            assert_eq!(quantity_from_float(value), Some(general), "{value}");
        }
        // beyond 2^53 the general conversion runs
        assert_eq!(
            amount_from_float(1e17),
            Some(Decimal::from(100_000_000_000_000_000u64))
        );
    }

    #[test]
    fn quantities_keep_four_decimals() {
        assert_eq!(quantity_from_float(0.125), Some(d("0.125")));
        assert_eq!(quantity_from_float(1.0 / 3.0), Some(d("0.3333")));
        assert_eq!(quantity_from_float(f64::NAN), None);
    }

    #[test]
    fn koefisien_with_units() {
        assert_eq!(parse_koefisien("12"), Some((d("12"), None)));
        assert_eq!(
            parse_koefisien("12 Bulan"),
            Some((d("12"), Some("Bulan".to_owned())))
        );
        assert_eq!(
            parse_koefisien("2 Orang x 12 Bulan"),
            Some((d("24"), Some("Orang x Bulan".to_owned())))
        );
        assert_eq!(
            parse_koefisien("1,5 Paket × 2 Kali"),
            Some((d("3"), Some("Paket x Kali".to_owned())))
        );
        assert_eq!(parse_koefisien("Bulan"), None);
        assert_eq!(parse_koefisien("12 Bulan x"), None);
        assert_eq!(parse_koefisien("banyak sekali"), None);
        assert_eq!(parse_koefisien(""), None);
    }
}
