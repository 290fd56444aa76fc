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
    DesaNotInDistrict: "Desa/kelurahan \"{0}\" tidak ada di kabupaten/kota ini.", "There is no desa/kelurahan \"{0}\" in this district.";
    SetupDistrictCodeInvalid: "\"{0}\" bukan kode kabupaten/kota (contoh: 64.03).", "\"{0}\" is not a kabupaten/kota code (for example 64.03).";
    SetupDistrictCodeUnknown: "Kode {0} tidak ada dalam daftar kode wilayah.", "The code {0} is not in the list of area codes.";
    SetupDistrictExists: "{0} sudah terdaftar.", "{0} is already registered.";
    SetupYearInvalid: "Tahun anggaran harus angka tahun, misalnya 2024.", "The fiscal year must be a year, for example 2024.";
    SetupYearExists: "Tahun anggaran {0} sudah ada.", "The fiscal year {0} already exists.";
    SetupYearLocked: "Tahun {0} sudah dikunci; buka kuncinya dulu.", "The year {0} is locked; unlock it first.";
    SetupBaselineInvalid: "Prevalensi awal harus angka persen 0 sampai 100 dengan paling banyak 2 desimal (contoh: 25,1).", "The baseline prevalence must be a percentage from 0 to 100 with at most 2 decimals (for example 25.1).";
    SetupTargetInvalid: "Target prevalensi harus angka persen 0 sampai 100 dengan paling banyak 2 desimal (contoh: 14).", "The target prevalence must be a percentage from 0 to 100 with at most 2 decimals (for example 14).";
    SetupDesaAmbiguous: "Nama \"{0}\" dipakai beberapa desa ({1}); tulis kodenya.", "The name \"{0}\" belongs to several desa ({1}); write its code.";
    SetupOpdCodeInvalid: "Kode OPD \"{0}\" tidak sah: gunakan angka bertitik seperti 1.02.0.00.0.00.01.0000.", "The unit code \"{0}\" is not valid: use dotted digits such as 1.02.0.00.0.00.01.0000.";
    SetupOpdNameRequired: "Nama OPD wajib diisi.", "The unit's name is required.";
    SetupOpdCodeTaken: "Kode OPD {0} sudah dipakai.", "The unit code {0} is already in use.";
    SetupOpdCodeTakenBy: "Kode OPD {0} sudah dipakai {1}.", "The unit code {0} is already used by {1}.";
    SetupJenisInvalid: "Jenis harus spesifik atau sensitif.", "The type must be spesifik or sensitif.";
    SetupIntervensiCodeInvalid: "Kode intervensi: huruf, angka, titik, garis bawah; paling banyak 20 karakter.", "Intervention code: letters, digits, dots and underscores; at most 20 characters.";
    SetupIntervensiNameRequired: "Nama intervensi wajib diisi.", "The intervention's name is required.";
    SetupSasaranRequired: "Sasaran wajib diisi.", "The target group is required.";
    SetupIndikatorRequired: "Indikator wajib diisi.", "The indicator is required.";
    SetupIntervensiCodeTaken: "Kode intervensi {0} sudah ada.", "The intervention code {0} already exists.";
    SetupNationalIntervensiFixed: "Intervensi nasional (Perpres 72/2021) tidak dapat diubah; tambahkan intervensi daerah.", "National interventions (Perpres 72/2021) cannot be changed; add a district intervention instead.";
    SetupDistrictIntervensiEditedElsewhere: "Intervensi daerah diubah melalui halaman ubahnya.", "A district intervention is changed on its edit page.";
    SetupCatalogueCodeInvalid: "Kode: huruf, angka, titik, garis bawah; paling banyak 20 karakter.", "Code: letters, digits, dots and underscores; at most 20 characters.";
    SetupNameRequired: "Nama wajib diisi.", "The name is required.";
    SetupCatalogueCodeTaken: "Kode {0} sudah ada.", "The code {0} already exists.";
    SetupNationalEntryFixed: "Entri nasional tidak dapat diubah; tambahkan entri daerah.", "National entries cannot be changed; add a district entry instead.";
    SetupEmailInvalid: "Alamat email tidak sah.", "The e-mail address is not valid.";
    SetupRoleInvalid: "Peran harus salah satu dari admin, opd, pimpinan, baas, sponsor.", "The role must be one of admin, opd, pimpinan, baas, sponsor.";
    SetupOpdUnknown: "OPD dengan kode {0} tidak ada.", "There is no unit with the code {0}.";
    SetupOpdUserNeedsOpd: "Pengguna berperan opd harus terikat pada satu OPD.", "A user with the opd role must belong to one unit.";
    SetupOnlyOpdUsersHaveOpd: "Hanya pengguna berperan opd yang terikat pada OPD.", "Only users with the opd role belong to a unit.";
    SetupEmailTaken: "Email {0} sudah terdaftar.", "The e-mail {0} is already registered.";
    SetupCannotDisableSelf: "Anda tidak dapat menonaktifkan akun Anda sendiri.", "You cannot disable your own account.";
    SetupWilayahCodeInvalid: "\"{0}\" bukan kode kecamatan (64.03.05) atau desa/kelurahan (64.03.05.1004).", "\"{0}\" is not a kecamatan code (64.03.05) or a desa/kelurahan code (64.03.05.1004).";
    WilayahCodeInvalid: "\"{0}\" bukan kode wilayah.", "\"{0}\" is not an area code.";
    SetupWilayahOutside: "Kode {0} bukan wilayah kabupaten/kota ini.", "The code {0} is not an area of this district.";
    SetupWilayahNameRequired: "Nama wilayah wajib diisi.", "The area's name is required.";
    SetupWilayahParentMissing: "Wilayah induk {0} belum ada; tambahkan kecamatannya dulu.", "The parent area {0} does not exist yet; add its kecamatan first.";
    SetupWilayahCodeTaken: "Kode {0} sudah dipakai {1}.", "The code {0} is already used by {1}.";
    TagNoLines: "Pilih minimal satu baris anggaran.", "Choose at least one budget line.";
    TagNothingChosen: "Pilih intervensi atau desa untuk ditautkan.", "Choose an intervention or a desa to link.";
    TagLinesNotFound: "Sebagian baris tidak ditemukan atau bukan bagian Anda.", "Some lines were not found or are not yours.";
    TagIntervensiUnknown: "Kode intervensi \"{0}\" tidak ada di katalog.", "The intervention code \"{0}\" is not in the catalogue.";
    TagSuggestionUnknown: "Saran tidak dikenali.", "The suggestion was not recognised.";
    TagLineChoiceUnknown: "Pilihan baris tidak dikenali.", "The choice of lines was not recognised.";
    AuthPasswordTooShort: "Kata sandi minimal {0} karakter.", "A password needs at least {0} characters.";
    AuthAccountNotFound: "Akun tidak ditemukan.", "Account not found.";
    AuthCurrentPasswordWrong: "Kata sandi saat ini salah.", "The current password is wrong.";
    AuthPasswordUnchanged: "Kata sandi baru harus berbeda dari yang lama.", "The new password must differ from the old one.";
    AuthPasswordsDiffer: "Kata sandi baru dan ulangannya tidak sama.", "The new password and its repetition differ.";
    AuthNoAccountForEmail: "Tidak ada akun dengan email {0}.", "There is no account with the e-mail {0}.";
    UploadUnreadable: "Unggahan ini tidak dapat dibaca. Muat ulang halaman impor, lalu unggah lagi.", "This upload cannot be read. Reload the import page, then upload again.";
    UploadInterrupted: "Unggahan terputus sebelum selesai. Unggah lagi.", "The upload was cut off before it finished. Upload again.";
    UploadTooLarge: "Berkas lebih besar dari batas unggahan {0} MB.", "The file is larger than the upload limit of {0} MB.";
    UploadFormMalformed: "Formulir unggahan ini memuat isian yang tidak dikenal atau terlalu panjang. Muat ulang halaman impor, lalu unggah lagi.", "This upload form has unknown or overlong fields. Reload the import page, then upload again.";
    // --- tagging budget lines ----------------------------------------------------------------
    TagYearLocked: "Tahun anggaran {0} sudah dikunci; intervensi dan desa baris anggarannya tidak dapat diubah lagi.", "Fiscal year {0} is locked; its budget lines' intervention and desa can no longer be changed.";
    TagDesaUnknown: "Desa/kelurahan \"{0}\" tidak ada di kabupaten/kota ini; tulis kode atau nama desanya.", "There is no desa/kelurahan \"{0}\" in this district; type its code or its name.";
    TagDesaAmbiguous: "Nama desa \"{0}\" dipakai beberapa desa ({1}); tulis kodenya.", "Several villages are called \"{0}\" ({1}); type the code instead.";
    // --- realisation -------------------------------------------------------------------------
    RealisasiMonthInvalid: "Bulan {0} tidak ada: realisasi dicatat untuk bulan 1 sampai 12.", "There is no month {0}: realisation is recorded for months 1 to 12.";
    RealisasiAmountInvalid: "Isian \"{0}\" untuk {1} bukan angka.", "\"{0}\" for {1} is not a number.";
    RealisasiTooLarge: "Angka realisasi baris {0} bulan {1} terlalu besar.", "The realisation figure of line {0} in month {1} is too large.";
    RealisasiNegative: "Realisasi baris {0} bulan {1} tidak boleh negatif.", "The realisation of line {0} in month {1} cannot be negative.";
    RealisasiLineUnknown: "Baris anggaran {0} tidak ditemukan, atau bukan bagian Anda.", "Budget line {0} was not found, or is not yours.";
    RealisasiLineRemoved: "Baris anggaran {0} sudah dihapus dari rencana kerja; realisasi baru tidak dapat dicatat untuknya.", "Budget line {0} was removed from the workplan; no new realisation can be recorded for it.";
    RealisasiOverPagu: "Realisasi kumulatif baris {0} ({1}) melebihi pagunya ({2}).", "The cumulative realisation of line {0} ({1}) is above its budget ({2}).";
    RealisasiFisikOverTarget: "Capaian fisik kumulatif baris {0} ({1}) melebihi targetnya ({2}).", "The cumulative physical output of line {0} ({1}) is above its target ({2}).";
    RealisasiMonthLocked: "Bulan {0} tahun {1} sudah dikunci; realisasinya tidak dapat diubah.", "Month {0} of {1} is locked; its realisation cannot be changed.";
    RealisasiYearUnknown: "Tahun anggaran {0} tidak ada.", "There is no fiscal year {0}.";
    RealisasiPeriodInvalid: "Pilih satu bulan (1 sampai 12) atau satu triwulan (I sampai IV).", "Choose one month (1 to 12) or one quarter (I to IV).";
    RealisasiMonthRangeInvalid: "Rentang bulan \"{0}\" tidak sah: tulis misalnya 1-6.", "The month range \"{0}\" is not valid: write for example 1-6.";
}
