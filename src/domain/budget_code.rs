//! Budget classification codes (Permendagri 90/2019 and its updates): sub kegiatan
//! `U.BB.PP.X.KK.SSSS`, kode rekening `5.1.02.01.01.0024` and the SIPD unit (SKPD/OPD) code
//! `1.02.0.00.0.00.01.0000`. Checks the shape only; whether a code exists is not known here.

/// Digit groups of a sub kegiatan code: urusan, bidang, program, kegiatan (2), sub kegiatan.
const SUB_KEGIATAN_GROUPS: [usize; 6] = [1, 2, 2, 1, 2, 4];
/// Digit groups of a kode rekening above the last one: akun, kelompok, jenis, objek, rincian objek.
const REKENING_HEAD_GROUPS: [usize; 5] = [1, 1, 2, 2, 2];

/// Digit groups of a SIPD unit code: three urusan/bidang pairs (the unit's own and up to two it
/// also serves, `0.00` when none), the unit and the sub-unit: `1.02.0.00.0.00.01.0000`.
const UNIT_GROUPS: [usize; 8] = [1, 2, 1, 2, 1, 2, 2, 4];

/// Whether `code` (already trimmed) has the shape of a SIPD unit code, `1.02.0.00.0.00.01.0000`.
/// `1.02` (a bidang, not a unit) does not.
pub fn is_unit_code(code: &str) -> bool {
    groups_match(code, &UNIT_GROUPS)
}

/// A sub kegiatan code such as `1.02.02.2.02.0001`; spaces anywhere are ignored.
/// The error is a sentence in Bahasa Indonesia naming the value and the expected shape.
pub fn parse_sub_kegiatan(text: &str) -> Result<String, String> {
    let code = without_spaces(text);
    if code.is_empty() {
        return Err(
            "Kode sub kegiatan kosong; isi dengan bentuk U.BB.PP.X.KK.SSSS \
                    (contoh: 1.02.02.2.02.0001)."
                .to_owned(),
        );
    }
    if groups_match(&code, &SUB_KEGIATAN_GROUPS) {
        Ok(code)
    } else {
        Err(format!(
            "Kode sub kegiatan `{}` tidak sesuai bentuk U.BB.PP.X.KK.SSSS \
             (contoh: 1.02.02.2.02.0001).",
            text.trim()
        ))
    }
}

/// A full kode rekening: six groups, the last of 3 or 4 digits (`5.1.02.01.01.0024`,
/// `5.1.02.01.01.024`); spaces anywhere are ignored.
pub fn parse_kode_rekening(text: &str) -> Result<String, String> {
    let code = without_spaces(text);
    let mut groups = code.rsplitn(2, '.');
    let last = groups.next().unwrap_or_default();
    let head = groups.next().unwrap_or_default();
    let valid = (last.len() == 3 || last.len() == 4)
        && all_digits(last)
        && groups_match(head, &REKENING_HEAD_GROUPS);
    if valid {
        Ok(code)
    } else if code.is_empty() {
        Err("Kode rekening kosong.".to_owned())
    } else {
        Err(format!(
            "Kode rekening `{}` tidak sesuai bentuk 5.1.02.01.01.0024 \
             (enam bagian, bagian terakhir 3 atau 4 angka).",
            text.trim()
        ))
    }
}

/// A heading-level kode rekening as RKA printouts show above the lines: `5`, `5.1`, `5.1.02`,
/// `5.1.02.01`, `5.1.02.01.01`.
pub fn is_partial_kode_rekening(text: &str) -> bool {
    is_prefix_of(&without_spaces(text), &REKENING_HEAD_GROUPS)
}

/// A level above the sub kegiatan, as printouts show in the same code column: urusan `1`,
/// bidang `1.02`, program `1.02.02`, kegiatan `1.02.02.2` or `1.02.02.2.02`.
pub fn is_partial_sub_kegiatan(text: &str) -> bool {
    let head: [usize; 5] = [1, 2, 2, 1, 2];
    is_prefix_of(&without_spaces(text), &head)
}

fn is_prefix_of(code: &str, widths: &[usize]) -> bool {
    let count = code.split('.').count();
    !code.is_empty()
        && count <= widths.len()
        && widths
            .get(..count)
            .is_some_and(|prefix| groups_match(code, prefix))
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn all_digits(part: &str) -> bool {
    part.bytes().all(|b| b.is_ascii_digit())
}

fn groups_match(code: &str, widths: &[usize]) -> bool {
    let mut parts = code.split('.');
    let each_fits = widths.iter().all(|&width| {
        parts
            .next()
            .is_some_and(|p| p.len() == width && all_digits(p))
    });
    each_fits && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes_have_eight_groups() {
        for good in [
            "1.02.0.00.0.00.01.0000",
            "5.01.5.05.0.00.01.0000",
            "1.02.0.00.0.00.01.0001",
        ] {
            assert!(is_unit_code(good), "{good}");
        }
        for bad in [
            "1.02",
            "1.02.0.00.0.00.01",
            "1.02.0.00.0.00.01.000",
            "1.2.0.00.0.00.01.0000",
            "1.02.0.00.0.00.01.0000.1",
            "1.02.0.00.0.00.01.00a0",
            "",
        ] {
            assert!(!is_unit_code(bad), "{bad}");
        }
    }

    #[test]
    fn sub_kegiatan_codes_have_six_groups() {
        assert_eq!(
            parse_sub_kegiatan("1.02.02.2.02.0001").as_deref(),
            Ok("1.02.02.2.02.0001")
        );
        assert_eq!(
            parse_sub_kegiatan(" 1.02.02.2.02.0001\u{a0}").as_deref(),
            Ok("1.02.02.2.02.0001")
        );
        assert_eq!(
            parse_sub_kegiatan("1. 02.02.2.02.0001").as_deref(),
            Ok("1.02.02.2.02.0001")
        );
    }

    #[test]
    fn bad_sub_kegiatan_codes_explain_the_shape() {
        for bad in [
            "1.02",
            "1.02.02.2.02",
            "1.02.02.2.02.001",
            "1.2.02.2.02.0001",
            "1.02.02.2.02.0001.5",
            "A.02.02.2.02.0001",
            "1,02,02,2,02,0001",
            "1.02.02.2.02.0001.",
        ] {
            let message = parse_sub_kegiatan(bad).unwrap_err();
            assert!(message.contains(&format!("`{bad}`")), "{message}");
            assert!(message.contains("U.BB.PP.X.KK.SSSS"), "{message}");
            assert!(message.contains("1.02.02.2.02.0001"), "{message}");
        }
        assert!(parse_sub_kegiatan("  ").unwrap_err().contains("kosong"));
    }

    #[test]
    fn kode_rekening_ends_in_three_or_four_digits() {
        assert_eq!(
            parse_kode_rekening("5.1.02.01.01.0024").as_deref(),
            Ok("5.1.02.01.01.0024")
        );
        assert_eq!(
            parse_kode_rekening(" 5.1.02.01.01.024 ").as_deref(),
            Ok("5.1.02.01.01.024")
        );
        for bad in [
            "5.1.02.01.01",
            "5.1.02.01.01.24",
            "5.1.02.01.01.00024",
            "5.1.2.01.01.0024",
            "5.01.02.01.01.0024",
            "5.1.02.01.01.0024.1",
            "x.1.02.01.01.0024",
            "1.02.02.2.02.0001",
        ] {
            let message = parse_kode_rekening(bad).unwrap_err();
            assert!(message.contains(&format!("`{bad}`")), "{message}");
            assert!(message.contains("5.1.02.01.01.0024"), "{message}");
        }
        assert!(parse_kode_rekening("").unwrap_err().contains("kosong"));
    }

    #[test]
    fn partial_kode_rekening_are_heading_levels() {
        for partial in ["5", "5.1", "5.1.02", "5.1.02.01", "5.1.02.01.01", " 5.1 "] {
            assert!(is_partial_kode_rekening(partial), "{partial}");
        }
        for not_partial in [
            "",
            "5.1.02.01.01.0024",
            "5.01",
            "51",
            "5.1.2",
            "5.1.02.01.01.01",
            "5..",
            "1.02.02",
            "Belanja",
        ] {
            assert!(!is_partial_kode_rekening(not_partial), "{not_partial}");
        }
    }

    #[test]
    fn partial_sub_kegiatan_are_program_levels() {
        for partial in ["1", "1.02", "1.02.02", "1.02.02.2", "1.02.02.2.02"] {
            assert!(is_partial_sub_kegiatan(partial), "{partial}");
        }
        for not_partial in ["", "1.02.02.2.02.0001", "5.1", "1.2", "10"] {
            assert!(!is_partial_sub_kegiatan(not_partial), "{not_partial}");
        }
    }
}
