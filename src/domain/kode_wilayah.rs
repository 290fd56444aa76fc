//! Kode wilayah (Kepmendagri 300.2.2-2138/2025): `PP`, `PP.KK`, `PP.KK.CC`, `PP.KK.CC.DDDD`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tingkat {
    Provinsi = 1,
    KabupatenKota = 2,
    Kecamatan = 3,
    DesaKelurahan = 4,
}

impl Tingkat {
    pub fn from_level(level: i16) -> Option<Tingkat> {
        match level {
            1 => Some(Tingkat::Provinsi),
            2 => Some(Tingkat::KabupatenKota),
            3 => Some(Tingkat::Kecamatan),
            4 => Some(Tingkat::DesaKelurahan),
            _ => None,
        }
    }

    pub fn level(self) -> i16 {
        self as i16
    }
}

/// A syntactically valid area code. Whether it exists is a question for the `wilayah` table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KodeWilayah(String);

impl KodeWilayah {
    /// Parses `64`, `64.03`, `64.03.05` or `64.03.05.1004`; surrounding spaces are ignored.
    pub fn parse(text: &str) -> Option<KodeWilayah> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('.').collect();
        let widths = [2, 2, 2, 4];
        if parts.is_empty() || parts.len() > widths.len() {
            return None;
        }
        let well_formed = parts
            .iter()
            .zip(widths)
            .all(|(part, width)| part.len() == width && part.bytes().all(|b| b.is_ascii_digit()));
        well_formed.then(|| KodeWilayah(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn tingkat(&self) -> Tingkat {
        match self.0.split('.').count() {
            1 => Tingkat::Provinsi,
            2 => Tingkat::KabupatenKota,
            3 => Tingkat::Kecamatan,
            _ => Tingkat::DesaKelurahan,
        }
    }

    /// The code one level up; `None` for a province.
    pub fn induk(&self) -> Option<KodeWilayah> {
        self.0
            .rsplit_once('.')
            .map(|(parent, _)| KodeWilayah(parent.to_owned()))
    }

    /// The kabupaten/kota this code lies in (`64.03` for `64.03.05.1004`); `None` for a province.
    pub fn kabkota(&self) -> Option<KodeWilayah> {
        (self.tingkat() >= Tingkat::KabupatenKota).then(|| KodeWilayah(self.0[..5].to_owned()))
    }

    /// Kab/kota number 71..99 is a kota, 01..69 a kabupaten.
    pub fn is_kota(&self) -> bool {
        self.tingkat() == Tingkat::KabupatenKota && self.0[3..5] >= *"71"
    }

    /// Desa part starting with 1 is a kelurahan (2 desa, 3 desa adat).
    pub fn is_kelurahan(&self) -> bool {
        self.tingkat() == Tingkat::DesaKelurahan && self.0.as_bytes()[9] == b'1'
    }
}

impl fmt::Display for KodeWilayah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_every_level_parse_with_their_parent() {
        let desa = KodeWilayah::parse(" 64.03.05.1004 ").unwrap();
        assert_eq!(desa.tingkat(), Tingkat::DesaKelurahan);
        assert_eq!(desa.induk().unwrap().as_str(), "64.03.05");
        assert_eq!(desa.kabkota().unwrap().as_str(), "64.03");
        assert!(desa.is_kelurahan());
        let province = KodeWilayah::parse("64").unwrap();
        assert_eq!(province.induk(), None);
        assert_eq!(province.kabkota(), None);
        assert!(!KodeWilayah::parse("64.03").unwrap().is_kota());
        assert!(KodeWilayah::parse("64.74").unwrap().is_kota());
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "6",
            "64.3",
            "64.03.05.104",
            "64.03.05.1004.1",
            "64-03",
            "6a.03",
            "64..05",
        ] {
            assert_eq!(KodeWilayah::parse(bad), None, "{bad}");
        }
    }
}
