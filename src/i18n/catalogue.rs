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

    // --- web ground: error pages, setup and accounts (helper "web") ------------------------
    ErrorPageHome: "Ke beranda", "To the home page";
    ErrorPageBack: "Kembali ke halaman sebelumnya", "Back to the previous page";
    ErrorBadRequestTitle: "Permintaan tidak valid", "Bad request";
    ErrorBadRequest: "Alamat atau isian ini tidak dapat dibaca. Periksa tautannya, lalu coba lagi.", "This address or form could not be read. Check the link, then try again.";
    ErrorBadAddress: "Alamat halaman ini tidak sah: periksa angka atau kode di dalamnya.", "This page address is not valid: check the number or code in it.";
    ErrorBadQuery: "Pilihan di alamat halaman ini tidak dapat dibaca.", "The options in this page address cannot be read.";
    ErrorBadForm: "Isian formulir tidak dapat dibaca. Muat ulang halaman, lalu kirim lagi.", "The form could not be read. Reload the page, then send it again.";
    ErrorForbiddenTitle: "Akses ditolak", "Access denied";
    ErrorForbidden: "Peran Anda tidak mengizinkan halaman ini.", "Your role does not allow this page.";
    ErrorCsrfTitle: "Formulir kedaluwarsa", "Form expired";
    ErrorCsrf: "Formulir ini tidak dapat diterima (token keamanan tidak cocok). Muat ulang halaman lalu kirim lagi.", "This form cannot be accepted (its security token does not match). Reload the page, then send it again.";
    ErrorNotFoundTitle: "Tidak ditemukan", "Not found";
    ErrorPageNotFound: "Halaman atau data yang Anda cari tidak ada, atau bukan bagian Anda.", "The page or record you are looking for does not exist, or is not yours to see.";
    ErrorConflictTitle: "Bertentangan dengan data saat ini", "Conflict with the current data";
    ErrorConflict: "Perubahan ini bertentangan dengan data saat ini. Muat ulang halaman, lalu coba lagi.", "This change conflicts with the current data. Reload the page, then try again.";
    ErrorDuplicate: "Data dengan kode atau nama itu sudah ada.", "A record with that code or name already exists.";
    ErrorTooLargeTitle: "Kiriman terlalu besar", "Too large";
    ErrorTooLarge: "Kiriman ini melebihi batas ukuran yang diterima lokus.", "What you sent is larger than lokus accepts.";
    ErrorUnprocessableTitle: "Tidak dapat diproses", "Cannot be processed";
    ErrorUnprocessable: "Kiriman ini tidak dapat diproses.", "What you sent cannot be processed.";
    ErrorThrottledTitle: "Terlalu banyak permintaan", "Too many requests";
    ErrorThrottled: "Terlalu banyak permintaan dalam waktu singkat. Tunggu sebentar, lalu coba lagi.", "Too many requests in a short time. Wait a little, then try again.";
    ErrorUnavailableTitle: "Layanan sibuk", "Service busy";
    ErrorUnavailable: "Basis data tidak menjawab. Coba lagi sebentar lagi.", "The database does not answer. Try again in a moment.";
    ErrorInternalTitle: "Terjadi kesalahan", "Something went wrong";
    ErrorInternal: "Terjadi kesalahan di server. Kejadian ini sudah dicatat.", "Something went wrong on the server. It has been logged.";
}
