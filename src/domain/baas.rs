//! The values of BAAS (Bapak/Bunda Asuh Anak Stunting): the NIK and its masked form, sponsor types,
//! aid packages, assignment states and who measured a child. Pure rules; whether a NIK's kecamatan
//! exists is asked of `wilayah` by the service, with the code this module gives it.

use std::fmt;

use super::workplan::UnknownValue;

/// A Nomor Induk Kependudukan (also the form of a No. KK): 16 digits, the first six the kab/kota and
/// kecamatan of registration (Permendagri on NIK). Never printed whole by `Display` or `Debug`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nik(String);

/// Why a text is not a NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NikError {
    /// Not 16 digits (after removing spaces and dots people type).
    Shape,
    /// The province, kab/kota or kecamatan digits are zero, which no code is.
    ZeroRegion,
}

impl Nik {
    /// Accepts the 16 digits with spaces, dots or dashes between them, as people copy them from a
    /// KTP or KK; refuses anything else.
    pub fn parse(text: &str) -> Result<Nik, NikError> {
        let digits: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.len() != 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NikError::Shape);
        }
        if &digits[0..2] == "00" || &digits[2..4] == "00" || &digits[4..6] == "00" {
            return Err(NikError::ZeroRegion);
        }
        Ok(Nik(digits))
    }

    /// The kecamatan the first six digits name, as a kode wilayah (`64.03.05`), to look up.
    pub fn kecamatan_code(&self) -> String {
        let d = &self.0;
        format!("{}.{}.{}", &d[0..2], &d[2..4], &d[4..6])
    }

    /// The kab/kota of registration (`64.03`).
    pub fn kabkota_code(&self) -> String {
        let d = &self.0;
        format!("{}.{}", &d[0..2], &d[2..4])
    }

    /// The 16 digits, for the BAAS desk's own views and for storage only.
    pub fn unmasked(&self) -> &str {
        &self.0
    }

    /// What everyone but the BAAS desk sees: the region's first four digits and the last four.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// `6403••••••••0012`: four digits, eight dots, four digits. Text that is not 16 characters is
/// hidden whole, so a malformed stored value never leaks.
pub fn mask(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    if chars.len() != 16 {
        return "•".repeat(16);
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[12..].iter().collect();
    format!("{head}••••••••{tail}")
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// A child's name as a sponsor sees it: the first word only.
pub fn first_name(nama: &str) -> &str {
    nama.split_whitespace().next().unwrap_or("")
}

macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stored form (also what forms and imports accept).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                let text = text.trim().to_lowercase();
                $name::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownValue;
            fn try_from(text: String) -> Result<$name, UnknownValue> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == text)
                    .ok_or(UnknownValue { kind: stringify!($name), value: text })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

stored_enum! {
    /// Who the sponsor is (issue 10; DOMAIN.md section 4).
    SponsorJenis {
        Perorangan => "perorangan",
        Perusahaan => "perusahaan",
        Instansi => "instansi",
        Lembaga => "lembaga",
        TniPolri => "tni_polri",
        Lainnya => "lainnya",
    }
}

stored_enum! {
    /// The aid package of an assignment (asuhan prioritas and pendamping, BKKBN 2022).
    Paket {
        Pmt => "pmt",
        Sanitasi => "sanitasi",
        Kie => "kie",
        BantuanEkonomi => "bantuan_ekonomi",
        Lainnya => "lainnya",
    }
}

stored_enum! {
    /// Where an assignment stands; `berhenti` always carries its reason.
    AssignmentStatus {
        Aktif => "aktif",
        Selesai => "selesai",
        Berhenti => "berhenti",
    }
}

stored_enum! {
    /// Who took a measurement.
    MeasuredBy {
        Posyandu => "posyandu",
        Tpk => "tpk",
        Puskesmas => "puskesmas",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nik_is_sixteen_digits_with_a_region_and_the_way_people_type_it_is_accepted() {
        let nik = Nik::parse("6403 0512 3456 0012").unwrap();
        assert_eq!(nik.unmasked(), "6403051234560012");
        assert_eq!(nik.kecamatan_code(), "64.03.05");
        assert_eq!(nik.kabkota_code(), "64.03");
        assert_eq!(Nik::parse("64.03.05.1234560012").unwrap(), nik);
        for bad in [
            "",
            "640305123456001",
            "64030512345600123",
            "640305123456001X",
            "6403051234560O12",
            "640305 12345600 1 2 3",
        ] {
            assert_eq!(Nik::parse(bad), Err(NikError::Shape), "{bad}");
        }
        assert_eq!(Nik::parse("0003051234560012"), Err(NikError::ZeroRegion));
        assert_eq!(Nik::parse("6400051234560012"), Err(NikError::ZeroRegion));
        assert_eq!(Nik::parse("6403001234560012"), Err(NikError::ZeroRegion));
    }

    #[test]
    fn a_masked_nik_shows_four_and_four_digits_and_debug_never_shows_more() {
        let nik = Nik::parse("6403051234560012").unwrap();
        assert_eq!(nik.masked(), "6403••••••••0012");
        assert_eq!(nik.to_string(), "6403••••••••0012");
        assert_eq!(format!("{nik:?}"), "Nik(6403••••••••0012)");
        assert!(!format!("{nik:?}").contains("051234"));
        assert_eq!(mask("12345"), "••••••••••••••••");
    }

    #[test]
    fn stored_values_parse_back_and_first_names_are_the_first_word() {
        for jenis in SponsorJenis::ALL {
            assert_eq!(SponsorJenis::parse(jenis.as_str()), Some(*jenis));
        }
        assert_eq!(Paket::parse(" PMT "), Some(Paket::Pmt));
        assert_eq!(
            AssignmentStatus::parse("selesai"),
            Some(AssignmentStatus::Selesai)
        );
        assert_eq!(MeasuredBy::parse("tpk"), Some(MeasuredBy::Tpk));
        assert_eq!(MeasuredBy::parse("bidan"), None);
        assert_eq!(first_name("  Siti Aisyah Putri "), "Siti");
        assert_eq!(first_name(""), "");
    }
}
