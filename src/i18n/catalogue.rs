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
    SetupProvinceNeedsPimpinan: "Hanya pengguna berperan pimpinan yang dapat membaca satu provinsi.", "Only users with the pimpinan role can read a whole province.";
    SetupProvinceNotOfDistrict: "Kabupaten/kota {1} tidak berada di provinsi {0}.", "District {1} is not in province {0}.";
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
    // --- workbook reading --------------------------------------------------------------------
    ReadEmpty: "Berkas kosong (0 byte). Pilih berkas .xlsx yang berisi rencana kerja, lalu unggah lagi.", "The file is empty (0 bytes). Choose an .xlsx file that holds the workplan and upload it again.";
    ReadOldExcel: "Berkas ini buku kerja Excel lama (.xls) atau buku kerja yang dilindungi kata sandi; lokus hanya membaca .xlsx. Buka di Excel, hapus kata sandinya bila ada, simpan sebagai \"Buku Kerja Excel (*.xlsx)\", lalu unggah lagi.", "This file is an old Excel workbook (.xls) or a password-protected workbook; lokus reads .xlsx only. Open it in Excel, remove any password, save it as \"Excel Workbook (*.xlsx)\" and upload it again.";
    ReadTextFile: "Berkas ini berkas teks atau CSV, bukan buku kerja Excel. Buka di Excel, simpan sebagai \"Buku Kerja Excel (*.xlsx)\", lalu unggah lagi.", "This file is a text or CSV file, not an Excel workbook. Open it in Excel, save it as \"Excel Workbook (*.xlsx)\" and upload it again.";
    ReadMarkup: "Berkas ini halaman web (HTML) atau XML yang diberi nama Excel, bukan buku kerja .xlsx. Buka di Excel, simpan sebagai \"Buku Kerja Excel (*.xlsx)\", lalu unggah lagi.", "This file is a web page (HTML) or XML named like an Excel file, not an .xlsx workbook. Open it in Excel, save it as \"Excel Workbook (*.xlsx)\" and upload it again.";
    ReadPdf: "Berkas ini PDF, bukan buku kerja Excel. Unggah berkas .xlsx aslinya (bukan hasil cetakan), atau salin isinya ke templat lokus.", "This file is a PDF, not an Excel workbook. Upload the original .xlsx file (not a printout), or copy its contents into the lokus template.";
    ReadNotAWorkbook: "Berkas ini bukan buku kerja Excel (.xlsx). Unggah berkas .xlsx, misalnya templat lokus yang sudah diisi.", "This file is not an Excel workbook (.xlsx). Upload an .xlsx file, for example the filled-in lokus template.";
    ReadXlsb: "Berkas ini buku kerja Excel biner (.xlsb), bukan buku kerja Excel (.xlsx). Buka di Excel, simpan sebagai \"Buku Kerja Excel (*.xlsx)\", lalu unggah lagi.", "This file is a binary Excel workbook (.xlsb), not an Excel workbook (.xlsx). Open it in Excel, save it as \"Excel Workbook (*.xlsx)\" and upload it again.";
    ReadDocx: "Berkas ini dokumen Word (.docx), bukan buku kerja Excel (.xlsx). Salin tabelnya ke templat lokus, lalu unggah templat itu.", "This file is a Word document (.docx), not an Excel workbook (.xlsx). Copy its table into the lokus template and upload that.";
    ReadPptx: "Berkas ini presentasi PowerPoint (.pptx), bukan buku kerja Excel (.xlsx). Unggah buku kerja .xlsx rencana kerjanya.", "This file is a PowerPoint presentation (.pptx), not an Excel workbook (.xlsx). Upload the workplan's .xlsx workbook.";
    ReadOpenDocument: "Berkas ini dokumen OpenDocument (.ods/.odt), bukan buku kerja Excel (.xlsx). Buka di aplikasi pengolah angka, simpan sebagai \"Buku Kerja Excel (*.xlsx)\", lalu unggah lagi.", "This file is an OpenDocument file (.ods/.odt), not an Excel workbook (.xlsx). Open it in a spreadsheet program, save it as \"Excel Workbook (*.xlsx)\" and upload it again.";
    ReadZipArchive: "Berkas ini arsip ZIP, bukan buku kerja Excel (.xlsx). Keluarkan buku kerjanya dari arsip, lalu unggah berkas .xlsx itu.", "This file is a ZIP archive, not an Excel workbook (.xlsx). Take the workbook out of the archive and upload that .xlsx file.";
    ReadCorrupt: "Berkas rusak atau terpotong sehingga tidak dapat dibaca sebagai buku kerja Excel. Buka lalu simpan ulang di Excel, atau unduh/salin lagi dari sumbernya, lalu unggah lagi.", "The file is damaged or cut short, so it cannot be read as an Excel workbook. Open and save it again in Excel, or download or copy it again from its source, then upload it again.";
    ReadUncompressedTooLarge: "Isi berkas setelah dibuka berukuran {0} MB, melebihi batas {1} MB, sehingga ditolak (mungkin \"bom dekompresi\"). Hapus lembar dan data yang tidak diperlukan, atau bagi menjadi beberapa berkas.", "Unpacked, the file's contents take {0} MB, above the limit of {1} MB, so it is refused (possibly a \"decompression bomb\"). Delete sheets and data that are not needed, or split it into several files.";
    ReadSuspiciousCompression: "Bagian {0} di dalam berkas termampatkan lebih dari {1}:1 ({2} MB setelah dibuka), sehingga berkas ditolak (mungkin \"bom dekompresi\"). Simpan ulang berkasnya di Excel lalu unggah lagi.", "The part {0} inside the file is compressed more than {1}:1 ({2} MB unpacked), so the file is refused (possibly a \"decompression bomb\"). Save the file again in Excel and upload it again.";
    ReadSheetNotFound: "Lembar \"{0}\" tidak ada di buku kerja ini. Lembar yang ada: {1}.", "There is no sheet \"{0}\" in this workbook. Its sheets: {1}.";
    ReadDuplicateSheet: "Buku kerja ini memuat lebih dari satu lembar bernama \"{0}\", sehingga tidak jelas lembar mana yang dimaksud. Beri nama lain pada salah satunya di Excel, lalu unggah lagi.", "This workbook has more than one sheet called \"{0}\", so it is not clear which one is meant. Rename one of them in Excel and upload it again.";
    ReadOnlyHiddenSheets: "Hanya lembar tersembunyi ({0}) yang memuat judul kolom rencana kerja. lokus tidak membaca lembar tersembunyi kecuali namanya dipilih: tampilkan lembarnya di Excel, atau isi nama lembarnya di kolom Lembar (--sheet di baris perintah).", "Only hidden sheets ({0}) have workplan headers. lokus does not read hidden sheets unless named: unhide the sheet in Excel, or give its name in the Sheet field (--sheet on the command line).";
    ReadEmptyWorkbook: "Buku kerja ini kosong: tidak ada satu sel pun yang terisi. Isi rencana kerjanya (misalnya pada templat lokus), lalu unggah lagi.", "This workbook is empty: not a single cell is filled. Fill in the workplan (in the lokus template, say) and upload it again.";
    ReadEmptySheet: "Lembar \"{0}\" kosong. Pilih lembar yang berisi rencana kerja.", "Sheet \"{0}\" is empty. Choose the sheet that holds the workplan.";
    ReadNoHeaderInSheet: "Baris judul kolom tidak ditemukan di {0} baris pertama lembar \"{1}\". lokus memerlukan kolom Kode Sub Kegiatan, Uraian dan Pagu. Tidak satu pun judul kolom itu yang dikenali. Perbaiki judul kolomnya (lihat templat lokus), lalu unggah lagi.", "No header row was found in the first {0} rows of sheet \"{1}\". lokus needs the columns Kode Sub Kegiatan, Uraian and Pagu. None of those headers was recognised. Correct the headers (see the lokus template) and upload it again.";
    ReadNoHeaderInSheetClosest: "Baris judul kolom tidak ditemukan di {0} baris pertama lembar \"{1}\". lokus memerlukan kolom Kode Sub Kegiatan, Uraian dan Pagu. Baris yang paling mendekati (lembar \"{2}\" baris {3}) tidak memiliki kolom {4}. Perbaiki judul kolomnya (lihat templat lokus), lalu unggah lagi.", "No header row was found in the first {0} rows of sheet \"{1}\". lokus needs the columns Kode Sub Kegiatan, Uraian and Pagu. The closest row (sheet \"{2}\" row {3}) is missing these columns: {4}. Correct the headers (see the lokus template) and upload it again.";
    ReadNoHeaderAnywhere: "Baris judul kolom tidak ditemukan di {0} baris pertama lembar mana pun. lokus memerlukan kolom Kode Sub Kegiatan, Uraian dan Pagu. Tidak satu pun judul kolom itu yang dikenali. Perbaiki judul kolomnya (lihat templat lokus), lalu unggah lagi.", "No header row was found in the first {0} rows of any sheet. lokus needs the columns Kode Sub Kegiatan, Uraian and Pagu. None of those headers was recognised. Correct the headers (see the lokus template) and upload it again.";
    ReadNoHeaderAnywhereClosest: "Baris judul kolom tidak ditemukan di {0} baris pertama lembar mana pun. lokus memerlukan kolom Kode Sub Kegiatan, Uraian dan Pagu. Baris yang paling mendekati (lembar \"{1}\" baris {2}) tidak memiliki kolom {3}. Perbaiki judul kolomnya (lihat templat lokus), lalu unggah lagi.", "No header row was found in the first {0} rows of any sheet. lokus needs the columns Kode Sub Kegiatan, Uraian and Pagu. The closest row (sheet \"{1}\" row {2}) is missing these columns: {3}. Correct the headers (see the lokus template) and upload it again.";
    ReadTooManyRows: "Lembar \"{0}\" memakai {1} baris di bawah judul kolom, melebihi batas {2} baris. Hapus baris yang tidak diperlukan di bawah tabel, atau bagi isinya menjadi beberapa berkas.", "Sheet \"{0}\" uses {1} rows below its header, above the limit of {2} rows. Delete the rows not needed below the table, or split its contents into several files.";
    ReadTooManyCells: "Lembar \"{0}\" terlalu besar: {1} baris x {2} kolom terisi, melebihi batas {3} sel. Hapus isi di luar tabel rencana kerja (baris dan kolom yang tidak diperlukan), lalu unggah lagi.", "Sheet \"{0}\" is too large: {1} rows x {2} columns filled, above the limit of {3} cells. Delete what lies outside the workplan table (rows and columns not needed) and upload it again.";
    CellExcelError: "{0} berisi nilai kesalahan Excel {1}; perbaiki rumus atau isinya.", "{0} holds the Excel error value {1}; correct the formula or the value.";
    CellDateNotNumber: "{0} berisi tanggal, bukan angka; ubah format sel menjadi Angka.", "{0} holds a date, not a number; change the cell format to Number.";
    CellNotANumber: "{0} \"{1}\" bukan angka.", "{0} \"{1}\" is not a number.";
    CellTooLarge: "{0} {1} terlalu besar (paling banyak {2} digit sebelum koma).", "{0} {1} is too large (at most {2} digits before the decimal point).";
    CellTextTooLong: "{0} berisi {1} karakter, melebihi batas {2} karakter; persingkat isinya.", "{0} holds {1} characters, above the limit of {2}; shorten it.";
    CellBlank: "{0} kosong.", "{0} is empty.";
    SubKegiatanBadShape: "Kode sub kegiatan \"{0}\" tidak sesuai bentuk U.BB.PP.X.KK.SSSS (contoh: 1.02.02.2.02.0001).", "The sub kegiatan code \"{0}\" does not have the shape U.BB.PP.X.KK.SSSS (for example 1.02.02.2.02.0001).";
    SubKegiatanBadShapeNumber: "Kode sub kegiatan \"{0}\" tidak sesuai bentuk U.BB.PP.X.KK.SSSS (contoh: 1.02.02.2.02.0001). Excel mengubah kode ini menjadi angka: format sel sebagai Teks, lalu ketik ulang kodenya.", "The sub kegiatan code \"{0}\" does not have the shape U.BB.PP.X.KK.SSSS (for example 1.02.02.2.02.0001). Excel turned this code into a number: format the cell as Text and type the code again.";
    SubKegiatanBadShapeDate: "Kode sub kegiatan \"{0}\" tidak sesuai bentuk U.BB.PP.X.KK.SSSS (contoh: 1.02.02.2.02.0001). Excel mengubah kode ini menjadi tanggal: format sel sebagai Teks, lalu ketik ulang kodenya.", "The sub kegiatan code \"{0}\" does not have the shape U.BB.PP.X.KK.SSSS (for example 1.02.02.2.02.0001). Excel turned this code into a date: format the cell as Text and type the code again.";
    CombinedCodeBadShape: "Kode \"{0}\" bukan kode sub kegiatan (contoh: 1.02.02.2.02.0001) maupun kode rekening (contoh: 5.1.02.01.01.0024).", "The code \"{0}\" is neither a sub kegiatan code (for example 1.02.02.2.02.0001) nor a kode rekening (for example 5.1.02.01.01.0024).";
    CombinedCodeBadShapeNumber: "Kode \"{0}\" bukan kode sub kegiatan (contoh: 1.02.02.2.02.0001) maupun kode rekening (contoh: 5.1.02.01.01.0024). Excel mengubah kode ini menjadi angka: format sel sebagai Teks, lalu ketik ulang kodenya.", "The code \"{0}\" is neither a sub kegiatan code (for example 1.02.02.2.02.0001) nor a kode rekening (for example 5.1.02.01.01.0024). Excel turned this code into a number: format the cell as Text and type the code again.";
    CombinedCodeBadShapeDate: "Kode \"{0}\" bukan kode sub kegiatan (contoh: 1.02.02.2.02.0001) maupun kode rekening (contoh: 5.1.02.01.01.0024). Excel mengubah kode ini menjadi tanggal: format sel sebagai Teks, lalu ketik ulang kodenya.", "The code \"{0}\" is neither a sub kegiatan code (for example 1.02.02.2.02.0001) nor a kode rekening (for example 5.1.02.01.01.0024). Excel turned this code into a date: format the cell as Text and type the code again.";
    RekeningBadShape: "Kode rekening \"{0}\" tidak sesuai bentuk 5.1.02.01.01.0024 (enam bagian, bagian terakhir 3 atau 4 angka).", "The kode rekening \"{0}\" does not have the shape 5.1.02.01.01.0024 (six parts, the last of 3 or 4 digits).";
    RekeningBadShapeNumber: "Kode rekening \"{0}\" tidak sesuai bentuk 5.1.02.01.01.0024 (enam bagian, bagian terakhir 3 atau 4 angka). Excel mengubah kode ini menjadi angka: format sel sebagai Teks, lalu ketik ulang kodenya.", "The kode rekening \"{0}\" does not have the shape 5.1.02.01.01.0024 (six parts, the last of 3 or 4 digits). Excel turned this code into a number: format the cell as Text and type the code again.";
    RekeningBadShapeDate: "Kode rekening \"{0}\" tidak sesuai bentuk 5.1.02.01.01.0024 (enam bagian, bagian terakhir 3 atau 4 angka). Excel mengubah kode ini menjadi tanggal: format sel sebagai Teks, lalu ketik ulang kodenya.", "The kode rekening \"{0}\" does not have the shape 5.1.02.01.01.0024 (six parts, the last of 3 or 4 digits). Excel turned this code into a date: format the cell as Text and type the code again.";
    TahunInvalid: "Tahun \"{0}\" bukan tahun anggaran yang sah.", "The year \"{0}\" is not a valid fiscal year.";
    SubKegiatanMissing: "{0} kosong dan tidak ada baris judul sub kegiatan di atasnya; isi kodenya (contoh: 1.02.02.2.02.0001).", "{0} is empty and there is no sub kegiatan heading row above it; fill in the code (for example 1.02.02.2.02.0001).";
    PaguNotPositive: "{0} harus lebih dari 0 (tertulis {1}).", "{0} must be above 0 (it says {1}).";
    VolumeTimesPriceDiffers: "Volume x harga satuan = {0}, tidak sama dengan pagu {1}.", "Volume x unit price = {0}, which is not the pagu {1}.";
    SubtotalWithoutLines: "Subtotal sub kegiatan {0} tertulis {1}, tetapi tidak ada rincian di bawah atau di atasnya (jumlah rincian {2}).", "The subtotal of sub kegiatan {0} says {1}, but there are no lines below or above it (sum of lines {2}).";
    SubtotalDiffers: "Subtotal sub kegiatan {0} tertulis {1}, sedangkan jumlah {2} rinciannya {3}.", "The subtotal of sub kegiatan {0} says {1}, while its {2} {2|line sums|lines sum} to {3}.";
    ExampleRowTypedOver: "Baris ini dilewati karena ditandai sebagai baris contoh ({0} berisi \"{1}\"), padahal isinya sudah diubah. Bila ini data Anda, hapus tanda itu dari {0} lalu unggah lagi.", "This row was skipped because it is marked as the example row ({0} says \"{1}\"), yet its contents were changed. If it is your data, remove that mark from {0} and upload again.";
    SkipBlank: "baris kosong", "blank rows";
    SkipNumbering: "baris nomor kolom", "column-number rows";
    SkipSubtotal: "judul atau subtotal", "headings or subtotals";
    SkipTotal: "jumlah total", "grand totals";
    SkipExample: "baris contoh", "example rows";
    SkipOtherOpd: "baris OPD lain", "rows of other units";
    LayoutTable: "tabel", "table";
    LayoutSipd: "ekspor SIPD", "SIPD export";

    // --- workplan import ---------------------------------------------------------------------
    ImportYearMissing: "Tahun anggaran {0} belum dibuat untuk kabupaten/kota ini; admin dapat membuatnya di menu Tahun & lokus.", "The fiscal year {0} does not exist yet for this district; an admin can create it under Years & lokus.";
    ImportYearLocked: "Tahun anggaran {0} sudah dikunci; rencana kerjanya tidak dapat diubah.", "The fiscal year {0} is locked; its workplans cannot be changed.";
    ImportNeedsOpd: "Berkas ini tidak memuat kolom Kode SKPD: pilih OPD pemilik rencana kerja ini (di formulir unggah, atau --opd KODE di baris perintah).", "This file has no Kode SKPD column: choose the unit (OPD) this workplan belongs to (in the upload form, or --opd CODE on the command line).";
    ImportTahunMismatch: "Tahun {0} pada baris ini tidak sama dengan tahun impor {1}.", "The year {0} on this row is not the import's year {1}.";
    ImportSubKegiatanNameRequired: "{0} wajib diisi: kode {1} belum dikenal lokus.", "{0} is required: lokus does not know the code {1} yet.";
    ImportSumberDanaUnknown: "Sumber dana \"{0}\" belum ada di katalog; admin dapat menambahkannya di menu Sumber dana.", "The funding source \"{0}\" is not in the catalogue yet; an admin can add it under Funding sources.";
    ImportOpdCodeInvalid: "Kode SKPD \"{0}\" bukan kode unit SIPD yang sah (contoh: 1.02.0.00.0.00.01.0000).", "\"{0}\" is not a valid SIPD unit code (for example 1.02.0.00.0.00.01.0000).";
    ImportNewOpdNameBlank: "OPD {0} akan dibuat, tetapi {1}-nya kosong.", "The unit {0} would be created, but its {1} is empty.";
    ImportOpdUnknown: "OPD {0} ({1}) belum terdaftar di lokus ({2} baris). Admin dapat membuatnya dari berkas ini (buat OPD baru).", "The unit {0} ({1}) is not registered in lokus ({2} {2|row|rows}). An admin can create it from this file (create new units).";
    ImportStageBehind: "Rencana kerja {0} tahun {1} sudah tahap {2}; impor tahap {3} tidak dapat menggantikannya.", "The {1} workplan of {0} is already at stage {2}; an import at stage {3} cannot replace it.";
    ImportNoLinesToCommit: "Berkas ini tidak memuat satu baris anggaran pun, jadi tidak disimpan: rencana kerja yang sekarang tetap.", "This file holds no budget lines, so nothing was committed: the current workplan stays as it is.";
    ImportSameFile: "Berkas yang sama persis (sha256) sudah pernah diimpor dan disimpan.", "Exactly the same file (sha256) was imported and committed before.";
    ImportIntervensiInactive: "Intervensi {0} dinonaktifkan di kabupaten/kota ini; pilih intervensi lain atau minta admin mengaktifkannya.", "The intervention {0} is switched off in this district; choose another one or ask an admin to switch it on.";
    ImportIntervensiUnknown: "Kode intervensi \"{0}\" tidak ada di katalog (contoh: SP1 sampai SP9, SE1 sampai SE11).", "The intervention code \"{0}\" is not in the catalogue (for example SP1 to SP9, SE1 to SE11).";
    ImportJenisInvalid: "Jenis intervensi \"{0}\" harus spesifik atau sensitif.", "The intervention type \"{0}\" must be spesifik or sensitif.";
    ImportJenisMismatch: "Jenis \"{0}\" tidak sesuai dengan intervensi {1}, yang {2}.", "The type \"{0}\" does not match the intervention {1}, which is {2}.";
    ImportDesaAmbiguous: "Nama desa \"{0}\" dipakai beberapa desa ({1}); tulis kodenya.", "Several desa are called \"{0}\" ({1}); write the code instead.";
    ImportDesaUnknown: "Desa/kelurahan \"{0}\" tidak ada di kabupaten/kota ini.", "There is no desa/kelurahan \"{0}\" in this district.";
    ImportDesaNotLokus: "Desa {0} {1} bukan desa lokus tahun ini; tetap ditautkan.", "Desa {0} {1} is not a lokus desa this year; it is linked all the same.";
    ImportAlreadyCommitted: "Impor #{0} sudah disimpan.", "Import #{0} has already been committed.";
    ImportHasErrorsCannotCommit: "Impor #{0} memuat kesalahan dan tidak dapat disimpan; perbaiki berkasnya lalu unggah lagi.", "Import #{0} has errors and cannot be committed; correct the file and upload it again.";
    ImportNoLongerPreview: "Impor #{0} tidak lagi menunggu disimpan (pratinjau kedaluwarsa atau dibatalkan); unggah berkasnya lagi.", "Import #{0} is no longer waiting to be committed (the preview expired or was discarded); upload the file again.";
    ImportNowHasErrors: "Data acuan berubah sejak pratinjau dan berkas ini kini memuat kesalahan; unggah lagi untuk melihatnya.", "Reference data changed since the preview and this file now has errors; upload it again to see them.";
    ImportChangedMeanwhile: "Rencana kerja OPD ini sudah diubah oleh impor lain sejak pratinjau dibuat; unggah lagi untuk melihat perbedaan terbaru.", "Another import changed this unit's workplan since the preview was made; upload it again to see the latest differences.";
    ImportSheetChosen: "Lembar \"{0}\" yang dibaca: lembar terlihat pertama yang memiliki judul kolom rencana kerja. Lembar lain yang juga memilikinya tidak dibaca: {1}. Untuk membaca lembar lain, isi namanya di kolom Lembar (--sheet di baris perintah).", "Sheet \"{0}\" was read: the first visible sheet with workplan headers. These other sheets have them too and were not read: {1}. To read another sheet, give its name in the Sheet field (--sheet on the command line).";
    ImportHiddenSheetsSkipped: "Lembar tersembunyi yang memiliki judul kolom rencana kerja tidak dibaca: {0}. lokus membaca lembar tersembunyi hanya bila namanya dipilih di kolom Lembar (--sheet di baris perintah).", "Hidden sheets with workplan headers were not read: {0}. lokus reads a hidden sheet only when its name is given in the Sheet field (--sheet on the command line).";
    ImportReportUnreadable: "Laporan impor ini disimpan oleh versi lokus lain dan tidak dapat dibaca lagi; yang tampil di sini hanya jumlah barisnya dan total pagunya.", "This import's report was stored by another lokus version and can no longer be read; only its row counts and total pagu are shown here.";
    IssuesMore: "... dan {0} lainnya.", "... and {0} more.";
    ImportFileNameTooLong: "Nama berkas terlalu panjang ({0} karakter, paling banyak {1}); ganti nama berkasnya lalu unggah lagi.", "The file name is too long ({0} characters, at most {1}); rename the file and upload it again.";
    ImportStatusPreview: "pratinjau", "preview";
    ImportStatusCommitted: "disimpan", "committed";
    ImportStatusRejected: "ditolak", "rejected";
    ImportStatusDiscarded: "dibatalkan", "discarded";
    DiffAdded: "tambah", "added";
    DiffChanged: "ubah", "changed";
    DiffRemoved: "hapus", "removed";
    DiffUnchanged: "tetap", "unchanged";
    DiffSummary: "{0} tambah, {1} ubah, {2} hapus, {3} tetap; total {4} → {5}", "{0} added, {1} changed, {2} removed, {3} unchanged; total {4} → {5}";
    NotesHeader: "Catatan Impor", "Import notes";
    NoteError: "Kesalahan: {0}", "Error: {0}";
    NoteWarning: "Peringatan: {0}", "Warning: {0}";
    StoredText: "{0}", "{0} (recorded in Indonesian by an earlier lokus version)";
    // --- realisation import (helper "pipeline") -----------------------------------------------
    RealisasiCellNotNumber: "Isian \"{0}\" di kolom {1} bukan angka.", "\"{0}\" in column {1} is not a number.";
    RealisasiLineIdInvalid: "\"{0}\" di kolom {1} bukan ID baris lokus. Jangan ubah kolom ini; unduh formulir baru bila perlu.", "\"{0}\" in column {1} is not a lokus line id. Do not change this column; download a new form if needed.";
    RealisasiLineTwice: "Baris anggaran {0} sudah ada di baris {1} berkas ini; setiap baris anggaran hanya sekali.", "Budget line {0} is already on row {1} of this file; each budget line appears once.";
    RealisasiFisikWithoutKeuangan: "Fisik bulan {0} diisi tanpa keuangan; isi keuangan (0 bila tidak ada belanja).", "Physical output of month {0} is filled in without spending; enter the spending (0 if nothing was spent).";
    RealisasiNoMonthColumn: "Lembar tidak punya kolom Bulan atau Tanggal: setiap belanja perlu bulannya.", "The sheet has no Month or Date column: every payment needs its month.";
    RealisasiHeaderMonthUnknown: "Judul kolom \"{0}\" tidak menyebut bulan yang ada (Januari sampai Desember, atau 1 sampai 12); perbaiki judulnya atau hapus kolom itu.", "The column header \"{0}\" names no month that exists (January to December, or 1 to 12); correct the header or delete the column.";
    RealisasiWorkplanChangedMeanwhile: "Rencana kerja OPD ini sudah diubah oleh impor rencana kerja sejak pratinjau realisasi ini dibuat; unggah lagi berkas realisasinya agar diperiksa terhadap rencana kerja terbaru.", "A workplan import changed this unit's workplan since this realisation preview was made; upload the realisation file again so that it is checked against the latest workplan.";
    RealisasiMonthCellInvalid: "\"{0}\" di kolom {1} bukan bulan (1 sampai 12 atau nama bulan).", "\"{0}\" in column {1} is not a month (1 to 12 or a month name).";
    RealisasiDateInvalid: "\"{0}\" di kolom {1} bukan tanggal.", "\"{0}\" in column {1} is not a date.";
    RealisasiDateOutsideYear: "Tanggal {0} di luar tahun anggaran {1}.", "The date {0} is outside the fiscal year {1}.";
    RealisasiKeyUnmatched: "Tidak ada baris anggaran {0} / {1}{2} yang berlaku; baris ini tidak dicocokkan.", "No current budget line {0} / {1}{2}; this row is not matched.";
    RealisasiKeyAmbiguous: "Kode {0} / {1}{2} cocok dengan {3} baris anggaran (ID {4}); tambahkan kolom uraian agar jelas, lokus tidak menebak.", "The codes {0} / {1}{2} match {3} budget lines (ids {4}); add an uraian column to tell them apart: lokus does not guess.";
    RealisasiCellBlank: "Kolom {0} kosong.", "The {0} column is blank.";
    RealisasiNothingToImport: "Berkas tidak berisi realisasi baris anggaran.", "The file holds no budget line realisation.";
    LayoutRealisasiForm: "formulir realisasi lokus", "lokus realisation form";
    LayoutFinanceExport: "ekspor sistem keuangan (SIPD-RI/SIMDA)", "finance-system export (SIPD-RI/SIMDA)";
    RealisasiRemovedLinesHaveRealisation: "Revisi ini menghapus {0} baris anggaran yang sudah punya realisasi ({1}). Realisasinya ikut ke baris \"dihapus\" (tetap tersimpan dan ditampilkan); konfirmasi untuk menyimpan.", "This revision removes {0} budget line(s) that already hold realisation ({1}). Their realisation moves with them to \"removed\" (kept and shown); confirm to commit.";

    // baas desk
    BaasChoiceInvalid: "{0}: pilih salah satu pilihan yang tersedia.", "{0}: choose one of the options offered.";
    BaasEndStatusInvalid: "Penugasan diakhiri sebagai selesai atau berhenti.", "An assignment ends as completed or stopped.";
    BaasNoActiveAssignment: "Anak ini tidak punya penugasan aktif: tugaskan dulu ke Bapak/Bunda Asuh.", "This child has no active assignment: assign a sponsor first.";

    // --- anthro and growth (helper "baas") ---------------------------------------------------
    AnthroSexInvalid: "jk \"{0}\" harus L/P atau 1/2.", "jk \"{0}\" must be L/P or 1/2.";
    AnthroDateInvalid: "{0} \"{1}\" bukan tanggal (YYYY-MM-DD atau DD/MM/YYYY).", "{0} \"{1}\" is not a date (YYYY-MM-DD or DD/MM/YYYY).";
    AnthroNumberInvalid: "{0} \"{1}\" bukan angka.", "{0} \"{1}\" is not a number.";
    AnthroPositionInvalid: "cara_ukur \"{0}\" harus berbaring atau berdiri, atau kosong.", "cara_ukur \"{0}\" must be berbaring (lying) or berdiri (standing), or empty.";
    AnthroMeasuredBeforeBirth: "tgl_ukur lebih awal dari tgl_lahir.", "tgl_ukur is before tgl_lahir.";
    AnthroTooOld: "Umur {0} hari, di atas 60 bulan: standar WHO untuk balita tidak berlaku.", "Aged {0} days, over 60 months: the WHO standards for under-fives do not apply.";
    AnthroNothingMeasured: "bb dan tb kosong: tidak ada yang dapat dihitung.", "bb and tb are both empty: nothing to compute.";
    AnthroNotPositive: "{0} harus lebih besar dari 0.", "{0} must be greater than 0.";
    AnthroLengthOutsideTable: "BB/TB tidak dihitung: panjang/tinggi {0} cm di luar tabel WHO ({1}).", "BB/TB not computed: the length/height {0} cm is outside the WHO table ({1}).";
    AnthroImplausible: "{0} tidak wajar menurut batas WHO (z = {1}): periksa pengukurannya.", "{0} is implausible by WHO's limits (z = {1}): check the measurement.";

    // --- background jobs (helper "jobs") -------------------------------------------------------
    JobStatusQueued: "menunggu giliran", "waiting its turn";
    JobStatusRunning: "sedang berjalan", "running";
    JobStatusDone: "selesai", "done";
    JobStatusFailed: "gagal", "failed";
    JobFileExpired: "Berkas hasil tugas #{0} sudah kedaluwarsa dan dihapus pada {1}: hasil disimpan {2} hari setelah tugas selesai. Jalankan lagi pekerjaannya bila berkas itu masih diperlukan.", "The result file of job #{0} has expired and was deleted on {1}: results are kept {2} days after a job ends. Run the work again if the file is still needed.";
    JobInterrupted: "Terputus: proses yang mengerjakan tugas ini berhenti sebelum selesai. Tidak ada yang tersimpan; tugas ini dapat dijalankan lagi.", "Interrupted: the process working on this job stopped before it finished. Nothing was saved; the job can be started again.";
    JobFailedInternal: "Tugas ini gagal karena kesalahan di server; tidak ada yang tersimpan. Jalankan lagi, atau hubungi admin bila terulang.", "This job failed because of a fault on the server; nothing was saved. Start it again, or tell an admin if it happens again.";
    JobNotRestartable: "Tugas #{0} tidak gagal, jadi tidak dapat dijalankan lagi.", "Job #{0} has not failed, so it cannot be started again.";
    JobKindUnknown: "Jenis tugas \"{0}\" tidak dikenal lokus versi ini.", "This lokus version does not know the kind of job \"{0}\".";
    JobKindSelftest: "Uji mekanisme tugas", "Job mechanism self-test";
    JobKindImportAnalyse: "Pemeriksaan berkas impor", "Checking an import file";
    JobKindImportCommit: "Penyimpanan impor", "Committing an import";
    JobKindSummaryExport: "Buku kerja realisasi", "Realisation workbook";
    JobSelftestStep: "Langkah uji {0}", "Self-test step {0}";
    BaasNikShape: "{0} harus 16 angka.", "{0} must be 16 digits.";
    BaasNikRegion: "NIK {0}: enam angka pertamanya ({1}) bukan kode kecamatan yang ada.", "NIK {0}: its first six digits ({1}) are not the code of an existing kecamatan.";
    BaasNikDuplicate: "NIK {0} sudah terdaftar untuk anak #{1}; data tidak digabung atau digandakan.", "NIK {0} is already registered for child #{1}; records are neither merged nor doubled.";
    BaasChildDuplicate: "Anak bernama {0}, lahir {1}, di desa {2} sudah terdaftar (#{3}); periksa apakah anak yang sama.", "A child named {0}, born {1}, in desa {2} is already registered (#{3}); check whether it is the same child.";
    BaasDesaNotInDistrict: "Desa {0} bukan desa/kelurahan kabupaten/kota ini.", "{0} is not a desa/kelurahan of this district.";
    BaasDateInFuture: "{0} tidak boleh setelah hari ini.", "{0} cannot be after today.";
    BaasDateBeforeBirth: "Tanggal ukur lebih awal dari tanggal lahir anak.", "The measurement date is before the child's birth date.";
    BaasPledgeInvalid: "Janji: jumlah anak dan bulan harus lebih dari 0 (paling lama 120 bulan), Rupiah per bulan tidak boleh negatif.", "Pledge: children and months must be above 0 (120 months at most), Rupiah per month cannot be negative.";
    BaasLoginNotSponsor: "Akun {0} bukan akun berperan sponsor di kabupaten/kota ini.", "The account {0} is not a sponsor account of this district.";
    BaasLoginTaken: "Akun {0} sudah terikat ke sponsor lain.", "The account {0} is already bound to another sponsor.";
    BaasChildAlreadyAssigned: "Anak ini sudah memiliki Bapak/Bunda Asuh aktif (penugasan #{0}).", "This child already has an active sponsor (assignment #{0}).";
    BaasMonthsInvalid: "Lama pendampingan harus 1 sampai 60 bulan.", "The assignment must last 1 to 60 months.";
    BaasAmountNegative: "{0} tidak boleh negatif.", "{0} cannot be negative.";
    BaasPaymentNotPositive: "Jumlah pembayaran harus lebih dari 0.", "A payment must be above 0.";
    BaasAssignmentNotActive: "Penugasan #{0} tidak aktif: penyaluran bantuan hanya dicatat pada penugasan aktif.", "Assignment #{0} is not active: aid is recorded on active assignments only.";
    BaasMeasurementEmpty: "Isi berat badan, panjang/tinggi badan, atau keduanya.", "Fill in the weight, the length/height, or both.";
    BaasMeasureOutOfRange: "{0} {1} di luar rentang yang mungkin untuk balita ({2}).", "{0} {1} is outside what is possible for an under-five ({2}).";
    BaasChildTooOld: "Anak berumur lebih dari 5 tahun pada tanggal ukur: standar WHO 0-5 tahun tidak berlaku.", "The child is over 5 years old on the measurement date: the WHO 0-5 year standards do not apply.";

    // --- BAAS children import and the BAAS workbook (helper "baas-import") --------------------
    LayoutBaasAnak: "daftar anak BAAS (seperti ekspor e-PPGBM)", "BAAS children list (like an e-PPGBM export)";
    BaasImportSexInvalid: "\"{0}\" di kolom {1} bukan jenis kelamin (L/P atau 1/2).", "\"{0}\" in column {1} is not a sex (L/P or 1/2).";
    BaasImportPositionInvalid: "\"{0}\" di kolom {1} bukan cara ukur (berbaring, berdiri, atau kosong).", "\"{0}\" in column {1} is not a position (berbaring, berdiri, or empty).";
    BaasImportNikTwice: "NIK {0} sudah ada di baris {1} berkas ini: setiap anak satu baris; hapus salah satunya.", "NIK {0} is already on row {1} of this file: one row per child; remove one of them.";
    BaasImportChildTwice: "Anak bernama {0}, lahir {1}, di desa {2} sudah ada di baris {3} berkas ini; hapus baris ini bila anak yang sama.", "A child named {0}, born {1}, in desa {2} is already on row {3} of this file; remove this row if it is the same child.";
    BaasImportMeasureWithoutDate: "Ada ukuran tanpa tanggal ukur: isi kolom {0}.", "A measure without its date: fill in the {0} column.";
    BaasImportNoMeasureColumns: "Kolom {0} ada tanpa kolom BB atau TB/PB: ukuran tidak dibaca.", "The {0} column is there without a BB or TB/PB column: no measure is read.";
    BaasImportNothing: "Berkas tidak berisi data anak.", "The file holds no children.";
    BaasImportConsentPending: "Persetujuan orang tua/wali setiap anak dicatat atas nama pengguna yang menyimpan impor ini, dengan tanggal penyimpanan. Simpan hanya bila persetujuan itu sudah diperoleh.", "The consent of each child's parent or guardian is recorded in the name of the user who commits this import, with the date of the commit. Commit only if that consent has been obtained.";
    BaasImportConsentRecorded: "Persetujuan orang tua/wali dicatat atas nama {0} pada {1}.", "The consent of the parents or guardians is recorded in the name of {0} on {1}.";
    LayoutBaasSponsor: "daftar Bapak/Bunda Asuh", "list of sponsors";
    BaasImportJenisInvalid: "\"{0}\" di kolom {1} bukan jenis sponsor (perorangan, perusahaan, instansi, lembaga, tni_polri, lainnya).", "\"{0}\" in column {1} is not a sponsor type (perorangan, perusahaan, instansi, lembaga, tni_polri, lainnya).";
    BaasImportWholeNumber: "\"{0}\" di kolom {1} bukan bilangan bulat.", "\"{0}\" in column {1} is not a whole number.";
    BaasImportSponsorTwice: "Sponsor {0} sudah ada di baris {1} berkas ini; hapus salah satunya.", "The sponsor {0} is already on row {1} of this file; remove one of them.";
    BaasImportSponsorRegistered: "Sponsor {0} sudah terdaftar (#{1}); data tidak digabung atau digandakan.", "The sponsor {0} is already registered (#{1}); records are neither merged nor doubled.";
    BaasImportLoginTwice: "Akun {0} sudah dipakai di baris {1} berkas ini: satu akun untuk satu sponsor.", "The account {0} is already used on row {1} of this file: one account per sponsor.";
    BaasImportNoSponsors: "Berkas tidak berisi data sponsor.", "The file holds no sponsors.";
    BaasImportNumberAsText: "{0} ditulis sebagai angka: Excel hanya menyimpan 15 angka penting, jadi angka terakhir mungkin sudah berubah. Periksa, dan format kolom ini sebagai teks.", "{0} is written as a number: Excel keeps only 15 significant digits, so the last digit may have changed. Check it, and format this column as text.";
}
