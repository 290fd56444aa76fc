//! Indonesian number and date formatting: Rp 178.000.000.000, 12,5%, 22/11/2026.
//! The one place that decides how a figure looks, used by pages and workbooks alike.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// Groups the integer digits with `.` and writes the decimals after `,`.
/// `decimals` is the exact number of decimals shown (rounded half away from zero).
pub fn angka(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let plain = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// Rupiah: whole amounts without decimals (`Rp 178.000.000.000`), sen only when there are some
/// (`Rp 1.250.000,50`), so a figure is never silently rounded away.
pub fn rupiah(value: Decimal) -> String {
    let decimals = if value.fract().is_zero() { 0 } else { 2 };
    let digits = angka(value, decimals);
    match digits.strip_prefix('-') {
        Some(positive) => format!("-Rp {positive}"),
        None => format!("Rp {digits}"),
    }
}

/// A percentage with at most `max_decimals` decimals and no trailing zeros: `12,5%`, `14%`.
pub fn persen(value: Decimal, max_decimals: u32) -> String {
    let rounded = value
        .round_dp_with_strategy(max_decimals, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!("{}%", angka(rounded, rounded.scale()))
}

pub fn tanggal(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Date and time in the district's own time zone: `22/11/2026 14:05 WITA`.
pub fn tanggal_waktu(at: DateTime<Utc>, zone: ZonaWaktu) -> String {
    let local = at.with_timezone(&zone.offset());
    format!("{} {}", local.format("%d/%m/%Y %H:%M"), zone.name())
}

/// Indonesia's three time zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZonaWaktu {
    Wib,
    Wita,
    Wit,
}

impl ZonaWaktu {
    /// The zone of a province (first two digits of any kode wilayah).
    pub fn of_province(kode_provinsi: &str) -> ZonaWaktu {
        match kode_provinsi.get(..2).unwrap_or("") {
            // Bali, NTB, NTT, Kalsel, Kaltim, Kaltara, all of Sulawesi
            "51" | "52" | "53" | "63" | "64" | "65" | "71" | "72" | "73" | "74" | "75" | "76" => {
                ZonaWaktu::Wita
            }
            // Maluku, Maluku Utara, all Papua provinces
            "81" | "82" | "91" | "92" | "93" | "94" | "95" | "96" | "97" => ZonaWaktu::Wit,
            _ => ZonaWaktu::Wib,
        }
    }

    pub fn offset(self) -> FixedOffset {
        let hours = match self {
            ZonaWaktu::Wib => 7,
            ZonaWaktu::Wita => 8,
            ZonaWaktu::Wit => 9,
        };
        FixedOffset::east_opt(hours * 3600).expect("offset within a day")
    }

    pub fn name(self) -> &'static str {
        match self {
            ZonaWaktu::Wib => "WIB",
            ZonaWaktu::Wita => "WITA",
            ZonaWaktu::Wit => "WIT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        assert_eq!(rupiah(d("178000000000")), "Rp 178.000.000.000");
        assert_eq!(rupiah(d("450000")), "Rp 450.000");
        assert_eq!(rupiah(d("999")), "Rp 999");
        assert_eq!(rupiah(d("1000")), "Rp 1.000");
        assert_eq!(rupiah(d("0")), "Rp 0");
        assert_eq!(rupiah(d("178000000000.00")), "Rp 178.000.000.000");
    }

    #[test]
    fn rupiah_keeps_sen_when_there_are_any() {
        assert_eq!(rupiah(d("1250000.5")), "Rp 1.250.000,50");
        assert_eq!(rupiah(d("0.10") + d("0.20")), "Rp 0,30");
        assert_eq!(rupiah(d("-5000")), "-Rp 5.000");
        assert_eq!(rupiah(d("-0.25")), "-Rp 0,25");
    }

    #[test]
    fn percentages_use_a_decimal_comma_without_trailing_zeros() {
        assert_eq!(persen(d("12.5"), 1), "12,5%");
        assert_eq!(persen(d("14"), 1), "14%");
        assert_eq!(persen(d("14.00"), 2), "14%");
        assert_eq!(persen(d("25.14"), 1), "25,1%");
        assert_eq!(persen(d("99.95"), 1), "100%");
        assert_eq!(persen(d("0.05"), 1), "0,1%");
        assert_eq!(persen(d("1234.5"), 1), "1.234,5%");
    }

    #[test]
    fn numbers_round_half_away_from_zero() {
        assert_eq!(angka(d("1234567.891"), 2), "1.234.567,89");
        assert_eq!(angka(d("2.5"), 0), "3");
        assert_eq!(angka(d("-2.5"), 0), "-3");
        assert_eq!(angka(d("-0.001"), 2), "0,00");
        assert_eq!(angka(d("100000"), 0), "100.000");
    }

    #[test]
    fn dates_are_day_month_year() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(tanggal(date), "22/11/2026");
        assert_eq!(
            tanggal(NaiveDate::from_ymd_opt(2024, 1, 5).unwrap()),
            "05/01/2024"
        );
    }

    #[test]
    fn times_are_shown_in_the_district_zone() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T06:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            tanggal_waktu(at, ZonaWaktu::of_province("64")),
            "22/11/2026 14:05 WITA"
        );
        assert_eq!(
            tanggal_waktu(at, ZonaWaktu::of_province("31")),
            "22/11/2026 13:05 WIB"
        );
        assert_eq!(
            tanggal_waktu(at, ZonaWaktu::of_province("91")),
            "22/11/2026 15:05 WIT"
        );
        let late = DateTime::parse_from_rfc3339("2026-11-22T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            tanggal_waktu(late, ZonaWaktu::Wita),
            "23/11/2026 04:30 WITA"
        );
    }
}
