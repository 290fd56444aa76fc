//! The closed vocabularies of a workplan as values, not strings: the budget stage, who tagged a
//! line, and where an import stands. Each parses what people and files write and has the one
//! spelling the database stores; `db/` maps them with `deserialize_as`/`serialize_as` on the row
//! structs (through `TryFrom<String>` and `From<Self> for String`), so no query compares raw text.

use std::fmt;

/// A stored value the database should never hold (a CHECK constraint was dropped, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.value)
    }
}

impl std::error::Error for UnknownValue {}

/// Declares a closed vocabulary: the enum, its stored spellings, and the conversions diesel uses.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident ($kind:literal) { $($variant:ident => $stored:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The one spelling the database and the files lokus writes use.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $stored,)*
                }
            }

            /// Exactly a stored spelling.
            pub fn from_stored(text: &str) -> Option<$name> {
                match text {
                    $($stored => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = UnknownValue;
            fn try_from(text: String) -> Result<$name, UnknownValue> {
                $name::from_stored(&text).ok_or(UnknownValue { kind: $kind, value: text })
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::try_from(text).map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary! {
    /// APBD murni or APBD-Perubahan. A workplan moves forward only: a perubahan import replaces murni.
    Tahapan ("tahapan") {
        Murni => "murni",
        Perubahan => "perubahan",
    }
}

impl Tahapan {
    /// What people and files write: `murni`, `APBD`, `APBD-P`, `Perubahan` ...
    pub fn parse(text: &str) -> Option<Tahapan> {
        match text.trim().to_lowercase().as_str() {
            "murni" | "apbd" | "apbd murni" => Some(Tahapan::Murni),
            "perubahan" | "apbd-p" | "apbdp" | "apbd perubahan" => Some(Tahapan::Perubahan),
            _ => None,
        }
    }
}

vocabulary! {
    /// Who put an intervention or a desa on a budget line: the imported file, a person, or a person
    /// accepting lokus's suggestion. A suggestion is never mistaken for a decision.
    TagSource ("tag_source") {
        Impor => "impor",
        Manual => "manual",
        Saran => "saran",
    }
}

vocabulary! {
    /// Where an uploaded file stands: shown as a dry run, refused for errors, committed, or left
    /// uncommitted until it expired.
    BatchStatus ("batch status") {
        Preview => "preview",
        Rejected => "rejected",
        Committed => "committed",
        Discarded => "discarded",
    }
}

// pipeline: import kinds
vocabulary! {
    /// Which kind of file an import batch holds: each kind has its own columns, rules and writer
    /// on the one import pipeline, and the import history lists them all.
    ImportKind ("import kind") {
        Workplan => "workplan",
        Realisasi => "realisasi",
        // baas-import: the children and the sponsors imports
        BaasAnak => "baas_anak",
        BaasSponsor => "baas_sponsor",
    }
}

// --- jobs (helper "jobs") ---
vocabulary! {
    /// Where a background job stands: waiting for a worker, being worked on, finished, or failed
    /// (including a job whose worker died: it is shown as interrupted and can be started again).
    JobStatus ("job status") {
        Queued => "queued",
        Running => "running",
        Done => "done",
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_stored_spelling() {
        for value in Tahapan::ALL {
            assert_eq!(Tahapan::try_from(String::from(*value)), Ok(*value));
        }
        for value in TagSource::ALL {
            assert_eq!(TagSource::try_from(String::from(*value)), Ok(*value));
        }
        for value in BatchStatus::ALL {
            assert_eq!(BatchStatus::try_from(String::from(*value)), Ok(*value));
        }
        for value in ImportKind::ALL {
            assert_eq!(ImportKind::try_from(String::from(*value)), Ok(*value));
        }
        for value in JobStatus::ALL {
            assert_eq!(JobStatus::try_from(String::from(*value)), Ok(*value));
        }
    }

    #[test]
    fn an_unknown_stored_value_is_an_error_that_names_it() {
        let error = TagSource::try_from("robot".to_owned()).unwrap_err();
        assert_eq!(error.to_string(), "unknown tag_source \"robot\"");
    }

    #[test]
    fn stages_are_read_the_way_finance_offices_write_them() {
        assert_eq!(Tahapan::parse(" APBD-P "), Some(Tahapan::Perubahan));
        assert_eq!(Tahapan::parse("APBD Murni"), Some(Tahapan::Murni));
        assert_eq!(Tahapan::parse("pergeseran"), None);
        assert!(Tahapan::Murni < Tahapan::Perubahan);
    }

    #[test]
    fn values_serialise_as_their_stored_spelling() {
        assert_eq!(
            serde_json::to_string(&BatchStatus::Committed).unwrap(),
            "\"committed\""
        );
        assert!(serde_json::from_str::<BatchStatus>("\"gone\"").is_err());
    }
}
