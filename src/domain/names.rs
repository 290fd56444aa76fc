//! How names people type are matched with reference data: compared without case or punctuation,
//! and a desa/kelurahan found by its code or its name. The workplan import and the tagging form
//! both resolve desa here, so a name that one accepts the other accepts too.

use std::collections::HashMap;

/// Lower-case, single-spaced text: how names from a file or a form are compared with the catalogues.
pub fn normalise(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Why a desa could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesaNotFound {
    /// Neither a code nor a name of the district.
    Unknown,
    /// A name several desa share: these are their codes, for the person to pick one.
    Ambiguous(Vec<String>),
}

/// The desa/kelurahan of one district, by code and by normalised name.
#[derive(Debug, Clone, Default)]
pub struct DesaIndex {
    by_kode: HashMap<String, String>,
    by_nama: HashMap<String, Vec<String>>,
}

impl DesaIndex {
    /// Built from (kode, nama) pairs, in code order (so an ambiguous name lists its codes in order).
    pub fn new(rows: impl IntoIterator<Item = (String, String)>) -> DesaIndex {
        let mut index = DesaIndex::default();
        for (kode, nama) in rows {
            index
                .by_nama
                .entry(normalise(&nama))
                .or_default()
                .push(kode.clone());
            index.by_kode.insert(kode, nama);
        }
        index
    }

    /// The code of the desa `token` names: its exact code, or a name only one desa has.
    pub fn resolve(&self, token: &str) -> Result<&str, DesaNotFound> {
        let token = token.trim();
        if let Some((kode, _)) = self.by_kode.get_key_value(token) {
            return Ok(kode);
        }
        match self.by_nama.get(&normalise(token)).map(Vec::as_slice) {
            Some([only]) => Ok(only),
            Some(many) if !many.is_empty() => Err(DesaNotFound::Ambiguous(many.to_vec())),
            _ => Err(DesaNotFound::Unknown),
        }
    }

    pub fn nama(&self, kode: &str) -> Option<&str> {
        self.by_kode.get(kode).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berau() -> DesaIndex {
        DesaIndex::new([
            ("64.03.05.1004".to_owned(), "Tanjung Redeb".to_owned()),
            ("64.03.05.1005".to_owned(), "Bugis".to_owned()),
            ("64.03.06.2001".to_owned(), "Sukajadi".to_owned()),
            ("64.03.07.2003".to_owned(), "Sukajadi".to_owned()),
        ])
    }

    #[test]
    fn names_are_compared_without_case_or_punctuation() {
        assert_eq!(normalise("  Tanjung-Redeb "), "tanjung redeb");
        assert_eq!(normalise("DAK Non-Fisik BOK"), "dak non fisik bok");
    }

    #[test]
    fn a_desa_is_found_by_code_or_by_a_name_only_it_has() {
        let index = berau();
        assert_eq!(index.resolve("64.03.05.1005"), Ok("64.03.05.1005"));
        assert_eq!(index.resolve(" tanjung-redeb "), Ok("64.03.05.1004"));
        assert_eq!(index.resolve("BUGIS"), Ok("64.03.05.1005"));
        assert_eq!(
            index.resolve("Sukajadi"),
            Err(DesaNotFound::Ambiguous(vec![
                "64.03.06.2001".to_owned(),
                "64.03.07.2003".to_owned()
            ]))
        );
        assert_eq!(index.resolve("Desa Khayalan"), Err(DesaNotFound::Unknown));
        assert_eq!(index.resolve(""), Err(DesaNotFound::Unknown));
        assert_eq!(index.nama("64.03.05.1004"), Some("Tanjung Redeb"));
    }
}
