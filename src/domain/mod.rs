//! Validated value types and pure rules of the stunting domain. No actix, no diesel, no I/O.

pub mod amount;
pub mod budget_code;
pub mod format;
pub mod growth;
pub mod kode_wilayah;
pub mod names;
pub mod role;
pub mod suggest;
pub mod workplan;

pub use kode_wilayah::{KodeWilayah, Tingkat};
pub use role::Role;
pub use workplan::{BatchStatus, ImportKind, JobStatus, TagSource, Tahapan};

/// Spesifik (direct nutrition/health) or sensitif (indirect) intervention, Perpres 72/2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Jenis {
    Spesifik,
    Sensitif,
}

impl Jenis {
    pub const ALL: [Jenis; 2] = [Jenis::Spesifik, Jenis::Sensitif];

    pub fn as_str(self) -> &'static str {
        match self {
            Jenis::Spesifik => "spesifik",
            Jenis::Sensitif => "sensitif",
        }
    }

    /// Accepts the stored form and what people type ("Spesifik", "SENSITIF", "sp").
    pub fn parse(text: &str) -> Option<Jenis> {
        match text.trim().to_lowercase().as_str() {
            "spesifik" | "spesifik." | "sp" | "specific" => Some(Jenis::Spesifik),
            "sensitif" | "sensitif." | "se" | "sensitive" => Some(Jenis::Sensitif),
            _ => None,
        }
    }
}

impl TryFrom<String> for Jenis {
    type Error = workplan::UnknownValue;
    fn try_from(text: String) -> Result<Jenis, workplan::UnknownValue> {
        Jenis::ALL
            .into_iter()
            .find(|jenis| jenis.as_str() == text)
            .ok_or(workplan::UnknownValue {
                kind: "jenis",
                value: text,
            })
    }
}

impl std::fmt::Display for Jenis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Jenis> for String {
    fn from(jenis: Jenis) -> String {
        jenis.as_str().to_owned()
    }
}

/// A catalogue code as admins type it: upper-case letters, digits, `_`, `-`, `.`; 1..=20 characters.
pub fn parse_catalogue_code(text: &str, max_len: usize) -> Option<String> {
    let code = text.trim().to_uppercase();
    let valid = !code.is_empty()
        && code.len() <= max_len
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    valid.then_some(code)
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the domain, no spaces.
pub fn parse_email(text: &str) -> Option<String> {
    let email = text.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
        && email.len() <= 254;
    valid.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jenis_is_read_the_way_people_write_it() {
        assert_eq!(Jenis::parse(" Spesifik "), Some(Jenis::Spesifik));
        assert_eq!(Jenis::parse("SENSITIF"), Some(Jenis::Sensitif));
        assert_eq!(Jenis::parse("lainnya"), None);
    }

    #[test]
    fn catalogue_codes_are_upper_cased_and_checked() {
        assert_eq!(parse_catalogue_code(" se12 ", 20).as_deref(), Some("SE12"));
        assert_eq!(parse_catalogue_code("dak fisik", 20), None);
        assert_eq!(parse_catalogue_code("", 20), None);
        assert_eq!(parse_catalogue_code(&"A".repeat(21), 20), None);
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            parse_email(" Admin@Berau.Demo ").as_deref(),
            Some("admin@berau.demo")
        );
        for bad in [
            "",
            "admin",
            "admin@",
            "@berau.demo",
            "a b@c.d",
            "a@b",
            "a@b@c.d",
        ] {
            assert_eq!(parse_email(bad), None, "{bad}");
        }
    }
}

/// What a user may see: one district, and within it possibly one OPD.
/// Built from the logged-in user, passed to every query that lists or finds district data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub kode_kabkota: String,
    /// `Some` for an `opd` user: only that OPD's rows.
    pub opd_id: Option<i32>,
}
