//! The interface's words in Bahasa Indonesia (default) and English. One struct field per phrase,
//! so a missing translation is a compile error, and templates read `ctx.t.<phrase>`.

/// Defines `Messages` with one `&'static str` per phrase and the two language tables.
macro_rules! messages {
    ($($key:ident: $id:expr, $en:expr;)*) => {
        pub struct Messages {
            $(pub $key: &'static str,)*
        }
        pub static ID: Messages = Messages { $($key: $id,)* };
        pub static EN: Messages = Messages { $($key: $en,)* };
    };
}

messages! {
    lang_code: "id", "en";
    app_tagline: "Anggaran dan kinerja percepatan penurunan stunting", "Stunting reduction budget and performance";
    nav_home: "Beranda", "Home";
    nav_opd: "OPD", "Unit (OPD)";
    nav_intervensi: "Intervensi", "Interventions";
    nav_sumber_dana: "Sumber dana", "Funding sources";
    nav_sasaran: "Sasaran", "Target groups";
    nav_tahun: "Tahun & lokus", "Years & lokus villages";
    nav_wilayah: "Wilayah", "Areas";
    nav_pengguna: "Pengguna", "Users";
    nav_activity_log: "Log aktivitas", "Activity log";
    logout: "Keluar", "Log out";
    login_title: "Masuk ke lokus", "Log in to lokus";
    login_button: "Masuk", "Log in";
    login_failed: "Email atau kata sandi salah, atau akun tidak aktif.", "Wrong e-mail or password, or the account is disabled.";
    login_demo_notice: "Server ini memuat data demo Kabupaten Berau. Akun demo (kata sandi lokus-demo):", "This server holds the Kabupaten Berau demo data. Demo accounts (password lokus-demo):";
    login_throttled: "Terlalu banyak percobaan masuk yang gagal dari perangkat ini. Coba lagi 15 menit lagi.", "Too many failed logins from this device. Try again in 15 minutes.";
    password_change: "Ganti kata sandi", "Change password";
    password_changed: "kata sandi sudah diganti; sesi lain Anda diakhiri", "password changed; you were logged out everywhere else";
    password_current: "Kata sandi saat ini", "Current password";
    password_new: "Kata sandi baru (minimal 10 karakter)", "New password (at least 10 characters)";
    password_repeat: "Ulangi kata sandi baru", "Repeat the new password";
    email: "Email", "E-mail";
    password: "Kata sandi", "Password";
    save: "Simpan", "Save";
    add: "Tambah", "Add";
    edit: "Ubah", "Edit";
    remove: "Hapus", "Remove";
    back: "Kembali", "Back";
    download_xlsx: "Unduh xlsx", "Download xlsx";
    yes: "Ya", "Yes";
    no: "Tidak", "No";
    none_yet: "Belum ada data.", "No data yet.";
    form_errors: "Periksa isian berikut:", "Please check the following:";
    role: "Peran", "Role";
    role_admin: "Admin TPPS", "TPPS admin";
    role_opd: "Petugas OPD", "OPD officer";
    role_pimpinan: "Pimpinan", "Executive";
    role_baas: "Petugas BAAS", "BAAS desk";
    role_sponsor: "Bapak/Bunda Asuh", "Child sponsor";
    home_welcome: "Selamat datang", "Welcome";
    home_district: "Kabupaten/kota", "District";
    home_year: "Tahun anggaran terbaru", "Latest fiscal year";
    home_prevalence: "Prevalensi stunting", "Stunting prevalence";
    home_target: "Target", "Target";
    home_lokus_count: "Desa/kelurahan lokus", "Lokus villages";
    home_opd_count: "OPD", "Government units";
    home_pagu: "Pagu rencana kerja", "Workplan budget";
    home_intervensi_count: "Intervensi dalam katalog", "Interventions in the catalogue";
    home_source: "sumber:", "source:";
    home_next: "Langkah berikutnya", "Next steps";
    home_next_upload: "Unggah rencana kerja {tahun} OPD Anda (buku kerja RKA/DPA atau templat lokus)", "Upload your unit's {tahun} workplan (RKA/DPA workbook or the lokus template)";
    home_next_tag: "{n} baris anggaran {tahun} belum ditandai intervensinya: tandai sekarang", "Budget lines of {tahun} not yet tagged with an intervention: {n}. Tag them now";
    home_next_done: "Semua baris anggaran {tahun} sudah ditandai. Unggah revisi (APBD perubahan) bila ada", "Every {tahun} budget line is tagged. Upload the revised budget (APBD-P) when there is one";
    home_next_preview: "Impor #{id} menunggu diperiksa dan disimpan", "Import #{id} is waiting to be checked and committed";
    home_more_than: "lebih dari {n}", "more than {n}";
    home_baas_pending: "Data anak asuh dan pendampingan BAAS akan tampil di sini.", "The children in the BAAS programme and their aid will appear here.";
    kode: "Kode", "Code";
    nama: "Nama", "Name";
    singkatan: "Singkatan", "Abbreviation";
    aktif: "Aktif", "Active";
    jenis: "Jenis", "Type";
    sasaran: "Sasaran", "Target group";
    indikator: "Indikator", "Indicator";
    target_nasional: "Target nasional 2024", "National 2024 target";
    asal: "Asal", "Origin";
    asal_nasional: "Nasional", "National";
    asal_daerah: "Daerah", "District";
    opd_title: "Organisasi Perangkat Daerah", "Government units (OPD)";
    opd_new: "OPD baru", "New OPD";
    opd_kode_label: "Kode unit SIPD (contoh 1.02.0.00.0.00.01.0000)", "SIPD unit code (e.g. 1.02.0.00.0.00.01.0000)";
    opd_users: "Pengguna OPD ini", "Users of this unit";
    intervensi_title: "Katalog intervensi", "Intervention catalogue";
    intervensi_new: "Intervensi daerah baru", "New district intervention";
    sumber_dana_title: "Sumber dana", "Funding sources";
    sasaran_title: "Kelompok sasaran", "Target groups";
    tahun_title: "Tahun anggaran", "Fiscal years";
    tahun: "Tahun", "Year";
    tahun_new: "Tahun anggaran baru", "New fiscal year";
    terkunci: "Dikunci", "Locked";
    prevalensi_baseline: "Prevalensi awal (%)", "Baseline prevalence (%)";
    sumber_baseline: "Sumber data awal", "Baseline source";
    prevalensi_target: "Target prevalensi (%)", "Target prevalence (%)";
    lokus_title: "Desa/kelurahan lokus", "Lokus villages";
    lokus_add: "Tetapkan desa lokus (kode atau nama, pisahkan dengan koma)", "Designate lokus villages (codes or names, comma-separated)";
    kecamatan: "Kecamatan", "Sub-district";
    desa: "Desa/kelurahan", "Village";
    wilayah_title: "Kode wilayah", "Area codes";
    tingkat: "Tingkat", "Level";
    pengguna_title: "Pengguna", "Users";
    pengguna_new: "Pengguna baru", "New user";
    opd_kode_hint: "Kode OPD (hanya untuk peran Petugas OPD)", "Unit (OPD) code (OPD officers only)";
    nonaktifkan: "Nonaktifkan", "Disable";
    aktifkan: "Aktifkan", "Enable";
    activity_title: "Log aktivitas (200 terbaru)", "Activity log (latest 200)";
    activity_create: "dibuat", "created";
    activity_update: "diubah", "changed";
    activity_delete: "dihapus", "removed";
    activity_import: "impor disimpan", "import committed";
    activity_tag: "ditandai", "tagged";
    activity_login: "masuk", "logged in";
    activity_logout: "keluar", "logged out";
    activity_reset: "diatur ulang", "reset";
    activity_user: "pengguna", "user";
    activity_lokus_desa: "desa lokus", "lokus village";
    activity_tahun: "tahun anggaran", "fiscal year";
    activity_import_batch: "impor", "import";
    activity_budget_line: "baris anggaran", "budget line";
    activity_session: "sesi", "session";
    activity_kode_induk: "Kode induk", "Parent code";
    activity_json: "Data tersimpan (JSON)", "Stored data (JSON)";
    waktu: "Waktu", "Time";
    pelaku: "Pelaku", "By";
    aksi: "Aksi", "Action";
    entitas: "Data", "Record";
    perubahan: "Perubahan", "Changes";
    nav_impor: "Impor rencana kerja", "Workplan import";
    nav_anggaran: "Baris anggaran", "Budget lines";
    impor_title: "Impor rencana kerja", "Workplan import";
    nav_impor_realisasi: "Impor realisasi", "Realisation import";
    impor_title_realisasi: "Impor realisasi", "Realisation import";
    impor_title_baas: "Impor data BAAS", "BAAS import";
    impor_intro_baas: "Unggah daftar anak (kolom seperti ekspor e-PPGBM, dengan pengukuran terakhir) atau daftar Bapak/Bunda Asuh. lokus selalu menampilkan pratinjau dulu, dengan NIK tersamar; tidak ada yang berubah sebelum Anda menyimpan.", "Upload a list of children (columns like an e-PPGBM export, with the latest measurement) or a list of sponsors. lokus always shows a preview first, NIKs masked; nothing changes until you commit.";
    impor_intro_realisasi: "Unggah formulir realisasi lokus yang sudah diisi (unduh dari Baris anggaran) atau ekspor realisasi SIPD-RI/SIMDA. lokus selalu menampilkan pratinjau bulan yang berubah dulu; tidak ada yang berubah sebelum Anda menyimpan.", "Upload a filled-in lokus realisation form (downloaded from Budget lines) or a SIPD-RI/SIMDA realisation export. lokus always shows a preview of the months that change first; nothing changes until you commit.";
    impor_intro: "Unggah buku kerja rencana kerja OPD (ekspor RKA/DPA, data anggaran SIPD, atau templat lokus). lokus selalu menampilkan pratinjau dulu; tidak ada yang berubah sebelum Anda menyimpan.", "Upload an OPD workplan workbook (RKA/DPA export, SIPD budget data, or the lokus template). lokus always shows a preview first; nothing changes until you commit.";
    impor_file: "Berkas .xlsx", "File (.xlsx)";
    impor_opd_hint: "OPD (kosongkan bila berkas memuat kolom Kode SKPD)", "OPD (leave empty when the file has a Kode SKPD column)";
    impor_sheet: "Lembar (kosong: lembar pertama yang dikenali)", "Sheet (leave empty for the first recognised sheet)";
    impor_create_opds: "Buat OPD baru yang disebut berkas", "Create the units (OPD) the file names";
    impor_upload: "Unggah dan periksa", "Upload and check";
    impor_template: "Unduh templat", "Download template";
    tahapan: "Tahap", "Budget stage";
    impor_file_name: "Berkas", "File";
    impor_status: "Status", "Status";
    impor_rows: "Baris (dibaca / diterima / dilewati / ditolak)", "Rows (read / accepted / skipped / rejected)";
    impor_total: "Total pagu", "Total budget (pagu)";
    impor_commit: "Simpan impor ini", "Commit this import";
    impor_original: "Unduh berkas asli", "Download original file";
    impor_annotated: "Unduh buku kerja dengan catatan", "Download annotated workbook";
    impor_errors: "Kesalahan (harus diperbaiki)", "Errors (must be fixed)";
    impor_warnings: "Peringatan", "Warnings";
    impor_diff: "Perbedaan dengan rencana kerja saat ini", "Differences from the current workplan";
    impor_by_jenis: "Pagu per jenis", "Budget by type";
    impor_by_intervensi: "Pagu per intervensi", "Budget by intervention";
    impor_opds: "OPD dalam berkas", "Units in the file";
    impor_other_opds: "Baris OPD lain (dilewati)", "Rows of other units (skipped)";
    impor_unknown_opds: "OPD yang belum terdaftar", "Units not yet registered";
    impor_too_large: "Berkas lebih besar dari batas unggahan {mb} MB. Pecah berkasnya per OPD atau minta admin menaikkan batasnya.", "The file is larger than the upload limit of {mb} MB. Split it per unit or ask an admin to raise the limit.";
    impor_no_file: "Pilih berkas .xlsx yang akan diunggah.", "Choose the .xlsx file to upload.";
    impor_no_year: "Pilih tahun anggaran.", "Choose the fiscal year.";
    impor_no_stage: "Pilih tahap anggaran (murni atau perubahan).", "Choose the budget stage (original or revised).";
    impor_commit_removes: "Perhatian: menyimpan impor ini mengganti seluruh rencana kerja yang sekarang. {hapus} baris yang tidak ada di berkas akan dihapus.", "Careful: committing this import replaces the whole current workplan. {hapus} line(s) missing from the file will be removed.";
    impor_commit_lowers: "Total pagu turun dari {sebelum} menjadi {sesudah}.", "The total budget drops from {sebelum} to {sesudah}.";
    impor_commit_confirm: "Saya paham dan tetap ingin menyimpan impor ini", "I understand and still want to commit this import";
    impor_commit_unconfirmed: "Impor ini menghapus baris atau menurunkan total rencana kerja: centang konfirmasi di samping tombol Simpan dulu.", "This import removes lines or lowers the workplan's total: tick the confirmation beside the commit button first.";
    impor_commit_empty: "Impor ini tidak memuat satu baris anggaran pun, jadi tidak dapat disimpan. Periksa lembar dan berkasnya lalu unggah lagi.", "This import holds no budget lines, so it cannot be committed. Check the sheet and the file, then upload again.";
    impor_committed: "Impor disimpan. Baris ditambah: {tambah}, diubah: {ubah}, dihapus: {hapus}, tetap: {tetap}. Total pagu {sebelum} → {sesudah}.", "Import committed. Lines added: {tambah}, changed: {ubah}, removed: {hapus}, unchanged: {tetap}. Total budget {sebelum} → {sesudah}.";
    impor_same_file_elsewhere: "sudah pernah diimpor (impor yang tidak dapat Anda buka)", "already imported before (an import you cannot open)";
    impor_status_preview: "pratinjau", "preview";
    impor_status_committed: "disimpan", "committed";
    impor_status_rejected: "ditolak", "rejected";
    impor_status_discarded: "dibatalkan", "discarded";
    diff_added: "tambah", "added";
    diff_changed: "ubah", "changed";
    diff_removed: "hapus", "removed";
    diff_unchanged: "tetap", "unchanged";
    skip_blank: "kosong", "blank";
    skip_numbering: "penomoran kolom", "column numbering";
    skip_subtotal: "subtotal", "subtotal";
    skip_total: "jumlah", "total";
    skip_example: "contoh", "example";
    tahapan_murni: "murni", "original budget";
    tahapan_perubahan: "perubahan", "revised budget";
    baris: "Baris", "Row";
    kolom: "Kolom", "Column";
    kolom_data: "Isian", "Field";
    pesan: "Pesan", "Message";
    jumlah: "Jumlah", "Count";
    pagu: "Pagu", "Budget (pagu)";
    perubahan_jenis: "Perubahan", "Change";
    sebelum: "Sebelum", "Before";
    sesudah: "Sesudah", "After";
    sub_kegiatan: "Sub kegiatan", "Sub-activity";
    kode_rekening: "Kode rekening", "Account code";
    uraian: "Uraian", "Description";
    sumber_dana: "Sumber dana", "Funding source";
    intervensi: "Intervensi", "Intervention";
    saran: "Saran intervensi", "Suggested intervention";
    saran_terima: "Terima saran ini: tandai baris dengan intervensi ini", "Accept this suggestion: tag the line with this intervention";
    desa_kode_nama: "Desa/kelurahan (kode atau nama)", "Village (code or name)";
    kode_anggaran: "Sub kegiatan / kode rekening", "Sub-activity / account code";
    terima: "Terima", "Accept";
    tandai: "Tandai baris terpilih", "Tag selected lines";
    tanda_oleh: "Ditandai oleh", "Tagged by";
    filter: "Saring", "Filter";
    semua: "Semua", "All";
    belum_ditandai: "Belum ditandai", "Untagged";
    anggaran_locked: "Tahun anggaran {tahun} sudah dikunci: baris-barisnya hanya dapat dibaca, tidak ditandai lagi.", "Fiscal year {tahun} is locked: its lines can be read but no longer tagged.";
    anggaran_title: "Baris anggaran", "Budget lines";
    tag_impor: "berkas impor", "import file";
    tag_manual: "petugas", "officer";
    tag_saran: "petugas (saran lokus)", "officer (lokus suggestion)";
    impor_sheet_label: "Lembar", "Sheet";
    impor_header_at: "judul kolom di baris", "header on row";
    impor_layout: "tata letak", "layout";
    impor_skipped: "Dilewati", "Skipped";
    impor_same_file: "Berkas yang sama", "Same file";
    impor_same_file_text: "sudah diimpor sebagai impor", "already imported, as import";
    lines_word: "baris", "lines";
    lines_first_of: "pertama (dari lebih dari {}; saring untuk mempersempit)", "shown (of more than {}; filter to narrow them down)";
    // --- realisation (helper "realisasi") ---
    realisasi_title: "Realisasi baris anggaran", "Budget line realisation";
    realisasi_link: "Realisasi", "Realisation";
    realisasi_keuangan: "Keuangan (Rp)", "Spending (Rp)";
    realisasi_fisik: "Fisik", "Physical output";
    realisasi_kumulatif: "Realisasi kumulatif", "Cumulative realisation";
    realisasi_sisa: "Sisa pagu", "Remaining budget";
    realisasi_persen: "% realisasi", "% realised";
    realisasi_target: "Target output", "Output target";
    realisasi_bulan: "Bulan", "Month";
    realisasi_triwulan: "Triwulan", "Quarter";
    realisasi_months: "Jan,Feb,Mar,Apr,Mei,Jun,Jul,Agu,Sep,Okt,Nov,Des", "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec";
    realisasi_hint: "Isi rupiah yang dibelanjakan dan volume yang dikerjakan pada setiap bulan (bukan kumulatif). Mengosongkan keuangan sebuah bulan menghapus catatannya. Bulan yang dikunci tidak dapat diubah.", "Enter the rupiah spent and the volume done in each month (not cumulative). Emptying a month's spending removes its record. Locked months cannot be changed.";
    realisasi_saved: "Realisasi disimpan: {n} bulan berubah.", "Realisation saved: {n} month(s) changed.";
    realisasi_unchanged: "Tidak ada angka yang berubah.", "No figure changed.";
    realisasi_changes: "Perubahan yang disimpan", "Changes saved";
    realisasi_removed: "Baris ini sudah dihapus dari rencana kerja: realisasinya tetap tersimpan dan ditampilkan, tetapi tidak dapat ditambah.", "This line was removed from the workplan: its realisation is kept and shown, but cannot be added to.";
    realisasi_locked: "dikunci", "locked";
    realisasi_empty: "kosong", "empty";
    realisasi_form_download: "Unduh formulir realisasi", "Download the realisation form";
    realisasi_form_months: "Bulan (misalnya 1-6)", "Months (for example 1-6)";
    periode_title: "Kunci periode realisasi", "Realisation period locks";
    periode_intro: "Bulan yang dikunci tidak dapat diisi atau diubah lewat jalur apa pun sampai dibuka lagi. Mengunci dan membuka kunci tercatat di log aktivitas.", "A locked month cannot be entered or changed by any path until it is unlocked. Locking and unlocking are recorded in the activity log.";
    periode_lock: "Kunci", "Lock";
    periode_unlock: "Buka kunci", "Unlock";
    periode_locked: "Dikunci", "Locked";
    periode_open: "Terbuka", "Open";
    periode_status: "Status", "Status";
    realisasi_entered: "Dicatat", "Entered";
    periode_locked_months: "Bulan realisasi dikunci", "Realisation months locked";
    realisasi_via_form: "formulir web", "web form";
    realisasi_via_impor: "impor", "import";
    activity_lock: "dikunci", "locked";
    activity_unlock: "dibuka kuncinya", "unlocked";
    activity_realisasi: "realisasi baris anggaran", "budget line realisation";
    activity_periode_kunci: "kunci periode realisasi", "realisation period lock";
    // the phone layout and the phrase review (polish): the menu button, the filter field's own label
    menu: "Menu", "Menu";
    tampilkan: "Tampilkan", "Show";
    nav_opd_list: "OPD", "Units (OPD)";
    provinsi: "Provinsi", "Province";
    tahapan_murni_apbd: "APBD murni", "Original budget (APBD)";
    tahapan_perubahan_apbd: "APBD perubahan", "Revised budget (APBD-P)";
    // --- one import pipeline (helper "pipeline") ---
    impor_kind: "Jenis impor", "Import kind";
    impor_kind_workplan: "rencana kerja", "workplan";
    impor_kind_realisasi: "realisasi", "realisation";
    impor_kind_workplan_long: "Rencana kerja (RKA/DPA, ekspor SIPD, templat lokus)", "Workplan (RKA/DPA, SIPD export, lokus template)";
    impor_kind_realisasi_long: "Realisasi (formulir realisasi lokus, ekspor SIPD-RI/SIMDA)", "Realisation (lokus realisation form, SIPD-RI/SIMDA export)";
    impor_no_kind: "Pilih jenis impor.", "Choose the kind of import.";
    impor_line_id: "ID baris", "Line id";
    impor_keuangan_before: "Keuangan sebelum", "Spending before";
    impor_keuangan_after: "Keuangan sesudah", "Spending after";
    impor_fisik_before: "Fisik sebelum", "Output before";
    impor_fisik_after: "Fisik sesudah", "Output after";
    impor_commit_removes_realisasi: "{lines} baris yang dihapus sudah punya realisasi ({amount}). Realisasinya ikut ke baris \"dihapus\": tetap tersimpan dan ditampilkan, tidak dapat ditambah.", "{lines} removed line(s) already hold realisation ({amount}). It moves with them to \"removed\": kept and shown, not added to.";
    impor_commit_confirm_realisasi: "Saya mengerti: realisasi baris yang dihapus ikut ke \"dihapus\".", "I understand: the removed lines' realisation moves with them to \"removed\".";
    impor_commit_realisasi_unconfirmed: "Centang konfirmasi realisasi baris yang dihapus untuk menyimpan.", "Tick the confirmation about the removed lines' realisation to commit.";
    impor_realisasi_diff: "Perubahan realisasi: {months} bulan pada {lines} baris, {sebelum} → {sesudah}", "Realisation changes: {months} month(s) on {lines} line(s), {sebelum} → {sesudah}";
    // --- summary (helper "summary"): /ringkasan, its charts, the workbook ---
    nav_ringkasan: "Ringkasan", "Summary";
    ringkasan_title: "Ringkasan anggaran dan realisasi {tahun}", "Budget and realisation summary {tahun}";
    ringkasan_provinsi_link: "Semua kabupaten/kota di provinsi, berdampingan", "Every district of the province, side by side";
    ringkasan_provinsi_title: "Ringkasan provinsi {tahun}", "Province summary {tahun}";
    ringkasan_provinsi_intro: "Setiap kabupaten/kota yang dilayani lokus di provinsi ini, realisasi sampai akhir {bulan}. Pilih satu untuk membuka ringkasannya.", "Every district lokus serves in this province, realisation to the end of {bulan}. Choose one to open its summary.";
    ringkasan_kabkota: "Kabupaten/kota", "District";
    ringkasan_intro: "Realisasi s/d {bulan}. Angka dari rencana kerja yang berlaku; sebuah baris yang melayani beberapa desa dibagi rata antar desa tersebut.", "Realisation up to {bulan}. Figures from the current workplans; a line serving several villages is split equally between them.";
    ringkasan_pagu: "Pagu", "Budget";
    ringkasan_realisasi: "Realisasi", "Spent";
    ringkasan_capaian_fisik: "Capaian fisik", "Physical progress";
    ringkasan_baris: "Baris", "Lines";
    ringkasan_semua_tahap: "Semua tahap", "All stages";
    ringkasan_setahun: "Setahun", "Whole year";
    ringkasan_sd_triwulan: "s/d triwulan {n}", "up to quarter {n}";
    ringkasan_by_opd: "Per OPD", "By unit (OPD)";
    ringkasan_by_intervensi: "Per intervensi", "By intervention";
    ringkasan_by_jenis: "Per jenis intervensi", "By intervention type";
    ringkasan_by_desa: "Per desa/kelurahan lokus", "By lokus village";
    ringkasan_by_sumber: "Per sumber dana", "By funding source";
    ringkasan_by_bulan: "Per bulan", "By month";
    ringkasan_by_triwulan: "Per triwulan", "By quarter";
    ringkasan_tanpa: "(tanpa)", "(none)";
    ringkasan_tanpa_intervensi: "(belum ditandai)", "(untagged)";
    ringkasan_desa_bukan_lokus: "Desa/kelurahan bukan lokus", "Villages not lokus";
    ringkasan_tanpa_desa: "Tanpa desa", "No village";
    ringkasan_rencana_linear: "Rencana linear (kumulatif)", "Linear plan (cumulative)";
    ringkasan_tahun_lalu: "Realisasi {tahun} (kumulatif)", "Realisation {tahun} (cumulative)";
    ringkasan_lihat_tabel: "Lihat tabelnya", "See its table";
    ringkasan_chart_opd: "Realisasi per OPD terhadap pagu", "Spending per unit against budget";
    ringkasan_chart_bulan: "Realisasi kumulatif per bulan terhadap rencana linear", "Cumulative monthly spending against a linear plan";
    ringkasan_chart_jenis: "Pagu spesifik dan sensitif", "Specific and sensitive budget";
    ringkasan_chart_desa: "Realisasi per desa/kelurahan lokus", "Spending per lokus village";
    ringkasan_chart_alt_opd: "Realisasi tertinggi: {nama}, {persen} dari pagunya; terendah: {nama2}, {persen2}.", "Highest: {nama}, {persen} of its budget; lowest: {nama2}, {persen2}.";
    ringkasan_chart_alt_bulan: "Realisasi kumulatif {realisasi} dari rencana linear {rencana} s/d {bulan}.", "Cumulative spending {realisasi} against a linear plan of {rencana} up to {bulan}.";
    ringkasan_chart_alt_jenis: "Spesifik {spesifik}, sensitif {sensitif}, belum ditandai {tanpa}.", "Specific {spesifik}, sensitive {sensitif}, untagged {tanpa}.";
    ringkasan_chart_alt_desa: "{n} desa/kelurahan lokus; realisasi tertinggi di {nama} ({jumlah}).", "{n} lokus villages; most spent in {nama} ({jumlah}).";
    ringkasan_konvergensi: "Konvergensi: desa/kelurahan lokus × intervensi", "Convergence: lokus villages × interventions";
    ringkasan_konvergensi_intro: "Setiap sel: pagu / realisasi yang menjangkau desa itu untuk intervensi itu. Celah ditandai ✗: desa lokus tanpa intervensi spesifik, intervensi yang tidak menjangkau desa lokus mana pun.", "Each cell: budget / spending reaching that village for that intervention. Gaps are marked ✗: a lokus village no specific intervention reaches, an intervention reaching no lokus village.";
    ringkasan_jumlah_intervensi: "Intervensi yang menjangkau", "Interventions reaching it";
    ringkasan_celah: "celah", "gap";
    ringkasan_perhatian: "Perlu perhatian", "Needs attention";
    ringkasan_perhatian_untagged: "Baris anggaran tanpa intervensi: {n} ({pagu})", "Budget lines with no intervention: {n} ({pagu})";
    ringkasan_perhatian_desa: "Desa/kelurahan lokus yang tidak dilayani baris anggaran mana pun: {n}", "Lokus villages no budget line serves: {n}";
    ringkasan_perhatian_opd: "OPD tanpa realisasi untuk {bulan} (bulan terakhir yang dikunci): {n}", "Units with no realisation for {bulan} (the last locked month): {n}";
    ringkasan_perhatian_opd_none: "Belum ada bulan yang dikunci: OPD tanpa realisasi diperiksa setelah bulan pertama dikunci.", "No month is locked yet: units without realisation are checked once a month is locked.";
    ringkasan_perhatian_terlambat: "Baris yang realisasinya kurang dari separuh rencana linear s/d {bulan}: {n}", "Lines that spent less than half of the linear plan up to {bulan}: {n}";
    ringkasan_perhatian_lebih: "Baris dengan realisasi keuangan atau fisik di atas 100%: {n}", "Lines over 100% in spending or physical output: {n}";
    ringkasan_lihat_baris: "lihat barisnya", "see the lines";
    ringkasan_no_year: "Belum ada tahun anggaran. Admin menambahkannya di halaman Tahun & lokus.", "No fiscal year yet. An admin adds one on the Years & lokus page.";
    ringkasan_unduh_buku: "Unduh buku kerja realisasi", "Download the realisation workbook";
    ringkasan_cetak: "Untuk mencetak, gunakan cetak peramban (A4 mendatar).", "To print, use the browser's print (A4 landscape).";
    ringkasan_total: "Total", "Total";
    ringkasan_kumulatif: "Kumulatif", "Cumulative";
    ringkasan_tampil_terlambat: "Jauh di bawah rencana", "Far behind plan";
    ringkasan_tampil_lebih: "Lebih dari 100%", "Over 100%";
    ringkasan_dibuat: "Dibuat", "Generated";
    ringkasan_rincian: "Rincian baris anggaran", "Budget line detail";
    ringkasan_sub_kegiatan: "Sub kegiatan", "Sub-activity";
    ringkasan_kode_rekening: "Kode rekening", "Account code";
    ringkasan_satuan: "Satuan", "Unit";
    ringkasan_sumber_kode: "Sumber dana (kode, - untuk kosong)", "Funding source (code, - for none)";
    // --- background jobs (helper "jobs") ---
    tugas_title: "Tugas", "Job";
    tugas_list: "Tugas latar", "Background jobs";
    tugas_kind: "Jenis tugas", "Kind of job";
    tugas_status: "Status", "Status";
    tugas_progress: "Kemajuan", "Progress";
    tugas_created: "Diminta", "Asked for";
    tugas_started: "Mulai", "Started";
    tugas_finished: "Selesai", "Finished";
    tugas_attempts: "Percobaan", "Attempts";
    tugas_error: "Sebab gagal", "Why it failed";
    tugas_refresh: "Perbarui", "Refresh";
    tugas_refresh_hint: "Halaman ini memperbarui dirinya sendiri; bila tidak, tekan Perbarui. Tugas tetap berjalan walau halaman ini ditutup.", "This page updates itself; if it does not, press Refresh. The job keeps running when this page is closed.";
    tugas_restart: "Jalankan lagi", "Start again";
    tugas_result: "Lihat hasil", "See the result";
    tugas_download: "Unduh hasil", "Download the result";
    // --- baas (helper "baas"): the BAAS desk's and the sponsor's pages ---
    nav_baas: "Anak asuh", "Sponsored children";
    nav_asuh: "Anak asuh saya", "My children";
    baas_title: "Anak asuh BAAS", "BAAS children";
    baas_intro: "Desa lokus lebih dulu, lalu yang paling pendek (z TB/U terendah). Saringan ikut di alamat halaman, jadi daftar tersaring dapat dikirim sebagai tautan dan diunduh apa adanya.", "Lokus desa first, then the most stunted (lowest TB/U z). The filters stay in the page address, so a filtered list can be sent as a link and downloads as shown.";
    baas_nik: "NIK (tersamar)", "NIK (masked)";
    baas_jk: "JK", "Sex";
    baas_umur_bulan: "Umur (bulan)", "Age (months)";
    baas_lokus: "Desa lokus", "Lokus desa";
    baas_ukur_terakhir: "Ukur terakhir", "Last measured";
    baas_zs_tbu: "z TB/U", "TB/U z";
    baas_status_tbu: "Status TB/U", "TB/U status";
    baas_sponsor: "Bapak/Bunda Asuh", "Sponsor";
    asuh_title: "Anak asuh Anda", "Your sponsored children";
    asuh_intro: "Hanya anak yang Anda asuh. Nama ditampilkan nama depan saja.", "Only the children you sponsor. Names show the first name only.";
    asuh_bulan: "Bulan bantuan (tersalur/janji)", "Months of aid (delivered/pledged)";
    asuh_janji: "Rupiah dijanjikan", "Rupiah pledged";
    asuh_dibayar: "Rupiah dibayar", "Rupiah paid";
    asuh_tersalur: "Rupiah tersalur", "Rupiah delivered";
    asuh_child_title: "Pertumbuhan {nama}", "Growth of {nama}";
    asuh_chart_caption: "Panjang/tinggi badan menurut umur, dengan garis standar WHO -3, -2, 0 dan +2 SD", "Length/height for age, against the WHO -3, -2, 0 and +2 SD lines";
    asuh_tanggal: "Tanggal ukur", "Measured on";
    asuh_tb: "Panjang/tinggi (cm)", "Length/height (cm)";
    asuh_bb: "Berat (kg)", "Weight (kg)";
    // baas desk: the desk's pages, forms, overdue lists and printable reports
    baas_semua: "Semua", "All";
    baas_pilih: "Pilih...", "Choose...";
    baas_lokus_short: "lokus", "lokus";
    baas_penugasan: "Penugasan", "Assignment";
    baas_penugasan_ada: "Sudah punya Bapak/Bunda Asuh", "Has a sponsor";
    baas_penugasan_belum: "Belum punya Bapak/Bunda Asuh", "No sponsor yet";
    baas_cat_sangat_pendek: "sangat pendek", "severely stunted";
    baas_cat_pendek: "pendek", "stunted";
    baas_cat_normal: "normal", "normal";
    baas_cat_tinggi: "tinggi", "tall";
    baas_status: "Status", "Status";
    baas_status_aktif: "aktif", "active";
    baas_status_selesai: "selesai", "completed";
    baas_status_berhenti: "berhenti", "stopped";
    baas_alasan: "Alasan berhenti", "Reason for stopping";
    baas_paket: "Paket", "Package";
    baas_paket_pmt: "PMT (makanan tambahan)", "Supplementary food (PMT)";
    baas_paket_sanitasi: "Sanitasi dan air bersih", "Sanitation and clean water";
    baas_paket_kie: "KIE (edukasi)", "Education (KIE)";
    baas_paket_ekonomi: "Pemberdayaan ekonomi", "Economic empowerment";
    baas_lainnya: "Lainnya", "Other";
    baas_jenis_perorangan: "Perorangan", "Individual";
    baas_jenis_perusahaan: "Perusahaan", "Company";
    baas_jenis_instansi: "Instansi pemerintah", "Government agency";
    baas_jenis_lembaga: "Lembaga / organisasi", "Organisation";
    baas_jenis_tni_polri: "TNI/Polri", "Armed forces or police (TNI/Polri)";
    baas_oleh_posyandu: "Posyandu", "Posyandu";
    baas_oleh_tpk: "TPK", "TPK";
    baas_oleh_puskesmas: "Puskesmas", "Puskesmas";
    baas_berbaring: "berbaring", "lying";
    baas_berdiri: "berdiri", "standing";
    baas_cara_ukur: "Cara ukur", "Position";
    baas_cara_sesuai_umur: "Sesuai umur (berbaring sampai 24 bulan)", "As expected for the age (lying up to 24 months)";
    baas_oleh_ukur: "Diukur oleh", "Measured by";
    baas_laki: "Laki-laki", "Boy";
    baas_perempuan: "Perempuan", "Girl";
    baas_tgl_lahir: "Tanggal lahir", "Date of birth";
    baas_posyandu: "Posyandu", "Posyandu";
    baas_status_krs: "Status KRS (keluarga berisiko stunting)", "KRS status (family at risk of stunting)";
    baas_persetujuan: "Persetujuan orang tua/wali", "Consent of parent or guardian";
    baas_persetujuan_oleh: "Persetujuan diberikan oleh", "Consent given by";
    baas_persetujuan_tanggal: "Tanggal persetujuan", "Date of consent";
    baas_nik_full: "NIK", "NIK (identity number)";
    baas_no_kk: "No. KK", "Family card number (No. KK)";
    baas_nama_ayah: "Nama ayah", "Father's name";
    baas_nama_ibu: "Nama ibu", "Mother's name";
    baas_alamat: "Alamat", "Address";
    baas_anak: "Anak", "Child";
    baas_children: "Anak asuh", "Sponsored children";
    baas_child_new: "Daftarkan anak", "Register a child";
    baas_view_private: "Lihat data pribadi", "See personal data";
    baas_private_title: "Data pribadi", "Personal data";
    baas_private_logged: "Tampilan ini tercatat di log aktivitas. Jangan disalin atau dibagikan.", "This view is recorded in the activity log. Do not copy or share it.";
    baas_measurements: "Pengukuran", "Measurements";
    baas_measure_new: "Catat pengukuran", "Record a measurement";
    baas_zs_bbu: "z BB/U", "BB/U z";
    baas_zs_bbtb: "z BB/TB", "BB/TB z";
    baas_assignments: "Penugasan Bapak/Bunda Asuh", "Sponsor assignments";
    baas_assign_new: "Tugaskan anak ke Bapak/Bunda Asuh", "Assign a child to a sponsor";
    baas_assign_intro: "lokus menyarankan anak yang belum punya Bapak/Bunda Asuh: desa lokus lebih dulu, lalu z TB/U terendah. Pilih anak dari daftar atau dari saran di bawah.", "lokus suggests children without a sponsor: lokus desa first, then the lowest TB/U z. Choose a child from the list or from the suggestions below.";
    baas_assign_submit: "Tugaskan", "Assign";
    baas_suggestions: "Saran: paling pendek, desa lokus lebih dulu", "Suggested: most stunted, lokus desa first";
    baas_mulai: "Bulan mulai", "First month";
    baas_bulan_rencana: "Lama (bulan)", "Length (months)";
    baas_rupiah_per_bulan: "Rupiah per anak per bulan", "Rupiah per child per month";
    baas_rp_bulan: "Rp per bulan", "Rp a month";
    baas_cara_oleh: "Cara ukur, oleh", "Position, by";
    baas_end_title: "Akhiri penugasan", "End the assignment";
    baas_end_submit: "Akhiri", "End it";
    baas_deliveries: "Bantuan tersalur", "Aid delivered";
    baas_delivery_new: "Catat penyaluran bantuan", "Record aid delivered";
    asuh_tanggal_salur: "Tanggal salur", "Delivered on";
    baas_barang: "Barang / bantuan", "Goods or aid";
    baas_nilai: "Nilai (Rp)", "Value (Rp)";
    baas_oleh_salur: "Disalurkan oleh", "Delivered by";
    baas_catatan: "Catatan", "Note";
    baas_sponsors_title: "Bapak/Bunda Asuh", "Sponsors";
    baas_sponsor_new: "Daftarkan Bapak/Bunda Asuh", "Register a sponsor";
    baas_kontak: "Kontak", "Contact";
    baas_janji: "Janji (anak × bulan × Rupiah)", "Pledge (children × months × Rupiah)";
    baas_janji_anak: "Janji: jumlah anak", "Pledge: children";
    baas_janji_bulan: "Janji: jumlah bulan", "Pledge: months";
    baas_anak_aktif: "Anak diasuh kini", "Children sponsored now";
    baas_login: "Punya akun lokus", "Has a lokus account";
    baas_login_email: "Email akun sponsor (bila ada)", "E-mail of the sponsor account (if any)";
    baas_payments: "Pembayaran diterima", "Payments received";
    baas_payment_new: "Catat pembayaran", "Record a payment";
    asuh_tanggal_bayar: "Tanggal bayar", "Paid on";
    baas_jumlah: "Jumlah (Rp)", "Amount (Rp)";
    baas_overdue_title: "Perlu tindak lanjut", "Needs follow-up";
    baas_overdue_intro: "Per {tanggal}: anak balita yang belum diukur lagi, dan penugasan aktif yang belum menyalurkan bantuan bulan ini.", "As of {tanggal}: under-fives not measured recently, and active assignments with no aid delivered this month.";
    baas_overdue_measure: "Belum diukur dalam {n} hari", "Not measured in {n} days";
    baas_overdue_measure_short: "belum diukur", "not measured";
    baas_overdue_delivery: "Penugasan aktif tanpa penyaluran bulan ini", "Active assignments with no delivery this month";
    baas_overdue_delivery_short: "belum disalurkan", "not delivered";
    baas_hari_sejak: "Hari sejak ukur terakhir", "Days since last measured";
    baas_export_workbook: "Buku kerja penugasan", "Assignment workbook";
    baas_report: "Laporan (cetak / PDF)", "Report (print or PDF)";
    baas_print: "Cetak atau simpan PDF", "Print or save as PDF";
    baas_programme: "Bapak/Bunda Asuh Anak Stunting", "Foster parents of stunted children (BAAS)";
    baas_report_made: "Dibuat {tanggal}", "Made on {tanggal}";
    baas_report_foot: "Z-score menurut Standar Antropometri Anak (Permenkes 2/2020, standar WHO). Nama anak hanya nama depan bagi Bapak/Bunda Asuh; data pribadi tidak dicetak.", "Z-scores by the child anthropometry standard (Permenkes 2/2020, the WHO standards). Sponsors see children's first names only; no personal data is printed.";
    baas_sponsor_report_title: "Laporan Bapak/Bunda Asuh: {nama}", "Sponsor report: {nama}";
    baas_chart_x: "Umur (bulan)", "Age (months)";
    baas_chart_y: "cm", "cm";
    baas_chart_series: "Anak", "Child";
    // --- baas-import (helper "baas-import"): the children import and the BAAS workbook ---
    impor_kind_baas: "anak BAAS", "BAAS children";
    impor_kind_baas_long: "Anak BAAS (daftar seperti ekspor e-PPGBM)", "BAAS children (a list like an e-PPGBM export)";
    impor_kind_baas_sponsor: "Bapak/Bunda Asuh", "BAAS sponsors";
    impor_kind_baas_sponsor_long: "Bapak/Bunda Asuh (nama, jenis, kontak, janji anak × bulan × Rupiah)", "BAAS sponsors (name, type, contact, pledge of children × months × Rupiah)";
    impor_baas_sponsor_template: "Unduh templat Bapak/Bunda Asuh", "Download the sponsors template";
    impor_baas_sponsors: "Bapak/Bunda Asuh yang didaftarkan: {n}", "Sponsors to register: {n}";
    impor_baas_sponsors_saved: "{n} Bapak/Bunda Asuh didaftarkan.", "{n} sponsors registered.";
    impor_baas_sponsor_id: "ID sponsor", "Sponsor id";
    baas_akun_login: "Akun login", "Login";
    impor_baas_children: "Anak yang didaftarkan: {n} (dengan {m} pengukuran)", "Children to register: {n} (with {m} measurements)";
    impor_baas_saved: "{n} anak didaftarkan.", "{n} children registered.";
    impor_baas_consent: "Persetujuan orang tua/wali", "Parents' consent";
    impor_baas_child_id: "ID anak", "Child id";
    baas_baris: "Baris", "Row";
    baas_kode_desa: "Kode desa", "Desa code";
    baas_ekspor: "Unduh buku kerja BAAS (tersamar)", "Download the BAAS workbook (masked)";
    baas_ekspor_title: "BAAS {tahun}", "BAAS {tahun}";
    baas_ekspor_heading: "Bapak/Bunda Asuh Anak Stunting (BAAS) tahun {tahun}", "Bapak/Bunda Asuh Anak Stunting (BAAS) sponsors, {tahun}";
    baas_ekspor_masked: "Data pribadi TERSAMAR: NIK hanya 4 + 4 angka, tanpa No. KK, tanpa nama orang tua dan alamat.", "Personal data MASKED: NIK shows 4 + 4 digits only; no No. KK, no parents' names, no address.";
    baas_ekspor_unmasked: "TIDAK TERSAMAR: berkas ini memuat NIK lengkap, No. KK, nama orang tua dan alamat (data pribadi spesifik, UU 27/2022). Simpan dan kirim hanya lewat saluran yang aman; unduhan ini tercatat di log aktivitas.", "UNMASKED: this file holds full NIKs, No. KK, parents' names and addresses (special-category personal data, UU 27/2022). Keep and send it over secure channels only; this download is in the activity log.";
    baas_ekspor_district: "Kabupaten/kota", "District";
    baas_ekspor_year: "Tahun", "Year";
    baas_ekspor_generated_at: "Dibuat", "Generated";
    baas_ekspor_generated_by: "Dibuat oleh", "Generated by";
    baas_ekspor_basis: "Dasar angka", "Basis of the figures";
    baas_ekspor_basis_text: "Penugasan yang berjalan dalam tahun ini; pembayaran dan penyaluran bertanggal dalam tahun ini; ukuran terakhir sampai akhir tahun.", "Assignments running in the year; payments and deliveries dated in the year; the latest measurement up to the end of the year.";
    baas_ekspor_sponsors: "Bapak/Bunda Asuh", "Sponsors";
    baas_ekspor_children: "Anak", "Children";
    baas_ekspor_children_assigned: "Anak dengan penugasan", "Children with an assignment";
    baas_ekspor_summary: "Ringkasan per sponsor", "Summary by sponsor";
    baas_ekspor_detail: "Rincian anak", "Child detail";
    baas_ekspor_payments: "Pembayaran", "Payments";
    baas_ekspor_deliveries: "Penyaluran", "Deliveries";
    baas_ekspor_total: "Jumlah", "Total";
    baas_ekspor_unassigned: "(belum ada penugasan)", "(no assignment)";
    baas_jenis_sponsor: "Jenis", "Type";
    baas_janji_sponsor: "Janji sponsor (anak × bulan × Rp)", "Sponsor's pledge (children × months × Rp)";
    baas_bulan_janji: "Bulan dijanjikan", "Months pledged";
    baas_bulan_tersalur: "Bulan tersalur", "Months delivered";
    baas_kat_sangat_pendek: "Sangat pendek", "Severely stunted";
    baas_kat_pendek: "Pendek", "Stunted";
    baas_kat_normal: "Normal", "Normal";
    baas_kat_tinggi: "Tinggi", "Tall";
    baas_kat_belum: "Belum diukur", "Not measured";
    baas_status_penugasan: "Status penugasan", "Assignment status";
    baas_oleh: "Oleh", "By";
}

impl Messages {
    /// A stored budget stage (`murni`, `perubahan`) as the reader says it; anything else as stored.
    pub fn tahapan_word(&self, stored: &str) -> String {
        use crate::domain::workplan::Tahapan;
        match Tahapan::parse(stored) {
            Some(Tahapan::Murni) => self.tahapan_murni.to_owned(),
            Some(Tahapan::Perubahan) => self.tahapan_perubahan.to_owned(),
            None => stored.to_owned(),
        }
    }
}

impl Messages {
    /// The title of an import kind's pages (its upload page, its reports) and its menu entry.
    pub fn import_title(&self, kind: crate::domain::ImportKind) -> &'static str {
        match kind {
            crate::domain::ImportKind::Workplan => self.impor_title,
            crate::domain::ImportKind::Realisasi => self.impor_title_realisasi,
            crate::domain::ImportKind::BaasAnak | crate::domain::ImportKind::BaasSponsor => {
                self.impor_title_baas
            }
        }
    }

    /// What an import kind's upload page says it takes.
    pub fn import_intro(&self, kind: crate::domain::ImportKind) -> &'static str {
        match kind {
            crate::domain::ImportKind::Workplan => self.impor_intro,
            crate::domain::ImportKind::Realisasi => self.impor_intro_realisasi,
            crate::domain::ImportKind::BaasAnak | crate::domain::ImportKind::BaasSponsor => {
                self.impor_intro_baas
            }
        }
    }
}

impl Messages {
    /// An import kind as the history names it.
    pub fn import_kind_word(&self, kind: crate::domain::ImportKind) -> &'static str {
        match kind {
            crate::domain::ImportKind::Workplan => self.impor_kind_workplan,
            crate::domain::ImportKind::Realisasi => self.impor_kind_realisasi,
            crate::domain::ImportKind::BaasAnak => self.impor_kind_baas,
            crate::domain::ImportKind::BaasSponsor => self.impor_kind_baas_sponsor,
        }
    }
}

pub fn for_code(code: &str) -> &'static Messages {
    match code {
        "en" => &EN,
        _ => &ID,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_are_complete_and_indonesian_is_default() {
        assert_eq!(for_code("xx").lang_code, "id");
        assert_eq!(for_code("en").logout, "Log out");
        assert_eq!(ID.logout, "Keluar");
    }

    #[test]
    fn a_stored_budget_stage_reads_in_the_readers_language() {
        assert_eq!(EN.tahapan_word("murni"), "original budget");
        assert_eq!(EN.tahapan_word("perubahan"), "revised budget");
        assert_eq!(ID.tahapan_word("murni"), "murni");
        assert_eq!(EN.tahapan_word("lain"), "lain");
    }

    #[test]
    fn a_field_and_the_button_that_applies_it_are_not_named_alike() {
        for t in [&ID, &EN] {
            assert_ne!(t.tampilkan, t.filter, "{}", t.lang_code);
        }
        // the menu names the list of units, a column or a field names one unit
        assert_ne!(EN.nav_opd, EN.nav_opd_list);
    }
}
