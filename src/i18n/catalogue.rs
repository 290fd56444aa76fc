//! Every keyed message, in Bahasa Indonesia then English. A key's name is stored (in import reports),
//! so a key is never renamed once released: add a new one instead. `{N}` is argument N;
//! `{N|one|many}` picks an English plural by argument N.

use super::Language;

macro_rules! catalogue {
    ($($key:ident: $id:expr, $en:expr;)*) => {
        /// The name of one sentence in the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum MessageKey {
            $($key,)*
        }

        impl MessageKey {
            /// Every key, for the test that reads each one in both languages.
            pub const ALL: &'static [MessageKey] = &[$(MessageKey::$key,)*];

            pub fn text(self, language: Language) -> &'static str {
                match (self, language) {
                    $((MessageKey::$key, Language::Id) => $id,
                      (MessageKey::$key, Language::En) => $en,)*
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(MessageKey::$key => stringify!($key),)*
                }
            }

            pub fn from_name(name: &str) -> Option<MessageKey> {
                match name {
                    $(stringify!($key) => Some(MessageKey::$key),)*
                    _ => None,
                }
            }
        }
    };
}

impl serde::Serialize for MessageKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for MessageKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        // A report stored by a later version may name a key this one lacks: it reads as "unknown"
        // rather than failing the whole page.
        Ok(MessageKey::from_name(&name).unwrap_or(MessageKey::UnknownMessage))
    }
}

// Keys are grouped by the layer that says them; keep each group sorted by area, not alphabetically.
catalogue! {
    // --- general -----------------------------------------------------------------------------
    UnknownMessage: "Pesan dari versi lokus lain.", "A message from another lokus version.";
    ErrorNotFound: "Data {0} tidak ditemukan, atau bukan bagian Anda.", "{0} was not found, or is not yours to see.";
    FieldRequired: "{0} wajib diisi.", "{0} is required.";
    // --- tagging budget lines ----------------------------------------------------------------
    TagYearLocked: "Tahun anggaran {0} sudah dikunci; intervensi dan desa baris anggarannya tidak dapat diubah lagi.", "Fiscal year {0} is locked; its budget lines' intervention and desa can no longer be changed.";
    TagDesaUnknown: "Desa/kelurahan \"{0}\" tidak ada di kabupaten/kota ini; tulis kode atau nama desanya.", "There is no desa/kelurahan \"{0}\" in this district; type its code or its name.";
    TagDesaAmbiguous: "Nama desa \"{0}\" dipakai beberapa desa ({1}); tulis kodenya.", "Several villages are called \"{0}\" ({1}); type the code instead.";
}
