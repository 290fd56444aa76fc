-- Set-up data: the region, the districts served, fiscal years, OPDs, catalogues, lokus designations.
-- Every row a district owns carries its kode_kabkota: the natural distribution column (see ARCHITECTURE.md).

CREATE TABLE wilayah (
    kode VARCHAR(13) PRIMARY KEY,
    nama TEXT NOT NULL,
    -- 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan
    tingkat SMALLINT NOT NULL CHECK (tingkat BETWEEN 1 AND 4),
    kode_induk VARCHAR(13) REFERENCES wilayah (kode),
    CHECK ((tingkat = 1) = (kode_induk IS NULL))
);
CREATE INDEX wilayah_kode_induk ON wilayah (kode_induk);

-- Which version of each shipped reference list is loaded (Kepmendagri number etc.).
CREATE TABLE reference_data (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The kabupaten/kota this deployment serves.
CREATE TABLE districts (
    kode_kabkota VARCHAR(5) PRIMARY KEY REFERENCES wilayah (kode),
    demo BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (length(kode_kabkota) = 5)
);

CREATE TABLE tahapan_anggaran (
    kode TEXT PRIMARY KEY,
    nama TEXT NOT NULL,
    urutan SMALLINT NOT NULL UNIQUE
);
INSERT INTO tahapan_anggaran (kode, nama, urutan) VALUES
    ('murni', 'APBD Murni', 1),
    ('perubahan', 'APBD Perubahan', 2);

CREATE TABLE tahun_anggaran (
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    tahun SMALLINT NOT NULL CHECK (tahun BETWEEN 2000 AND 2100),
    terkunci BOOLEAN NOT NULL DEFAULT false,
    prevalensi_baseline NUMERIC(5, 2) CHECK (prevalensi_baseline BETWEEN 0 AND 100),
    sumber_baseline TEXT,
    prevalensi_target NUMERIC(5, 2) CHECK (prevalensi_target BETWEEN 0 AND 100),
    PRIMARY KEY (kode_kabkota, tahun)
);

CREATE TABLE lokus_desa (
    kode_kabkota VARCHAR(5) NOT NULL,
    tahun SMALLINT NOT NULL,
    kode_desa VARCHAR(13) NOT NULL REFERENCES wilayah (kode),
    PRIMARY KEY (kode_kabkota, tahun, kode_desa),
    FOREIGN KEY (kode_kabkota, tahun) REFERENCES tahun_anggaran (kode_kabkota, tahun) ON DELETE CASCADE,
    CHECK (length(kode_desa) = 13 AND left(kode_desa, 5) = kode_kabkota)
);

CREATE TABLE opd (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    kode VARCHAR(40) NOT NULL,
    nama TEXT NOT NULL,
    singkatan TEXT,
    aktif BOOLEAN NOT NULL DEFAULT true,
    UNIQUE (kode_kabkota, kode)
);

-- Catalogues: rows with kode_kabkota NULL are the national seed; a district adds its own.
CREATE TABLE sasaran (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) REFERENCES districts (kode_kabkota),
    kode VARCHAR(20) NOT NULL,
    nama TEXT NOT NULL,
    UNIQUE NULLS NOT DISTINCT (kode_kabkota, kode)
);

CREATE TABLE intervensi (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) REFERENCES districts (kode_kabkota),
    kode VARCHAR(20) NOT NULL,
    nama TEXT NOT NULL,
    jenis TEXT NOT NULL CHECK (jenis IN ('spesifik', 'sensitif')),
    sasaran TEXT NOT NULL,
    indikator TEXT NOT NULL,
    target_nasional TEXT,
    aktif BOOLEAN NOT NULL DEFAULT true,
    UNIQUE NULLS NOT DISTINCT (kode_kabkota, kode)
);

CREATE TABLE sumber_dana (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) REFERENCES districts (kode_kabkota),
    kode VARCHAR(30) NOT NULL,
    nama TEXT NOT NULL,
    UNIQUE NULLS NOT DISTINCT (kode_kabkota, kode)
);

INSERT INTO sasaran (kode, nama) VALUES
    ('REMAJA_PUTRI', 'Remaja putri'),
    ('CATIN', 'Calon pengantin'),
    ('PUS', 'Pasangan usia subur'),
    ('IBU_HAMIL', 'Ibu hamil'),
    ('IBU_NIFAS', 'Ibu nifas/menyusui'),
    ('BAYI_0_5', 'Bayi 0-5 bulan'),
    ('BADUTA', 'Baduta (0-23 bulan)'),
    ('BALITA', 'Balita (0-59 bulan)'),
    ('KRS', 'Keluarga berisiko stunting'),
    ('KELUARGA', 'Keluarga / rumah tangga'),
    ('KELUARGA_MISKIN', 'Keluarga miskin/rentan'),
    ('DESA', 'Desa/kelurahan'),
    ('SEMUA', 'Semua kelompok sasaran');

-- Perpres 72/2021, Lampiran A, Pilar 3 indicators (DOMAIN.md section 1). SE targets marked [INF] there
-- are left empty rather than guessed.
INSERT INTO intervensi (kode, nama, jenis, sasaran, indikator, target_nasional) VALUES
    ('SP1', 'Tambahan asupan gizi ibu hamil KEK', 'spesifik', 'Ibu hamil',
     'Persentase ibu hamil Kurang Energi Kronik (KEK) yang mendapatkan tambahan asupan gizi', '90%'),
    ('SP2', 'Tablet tambah darah ibu hamil', 'spesifik', 'Ibu hamil',
     'Persentase ibu hamil yang mengonsumsi Tablet Tambah Darah (TTD) minimal 90 tablet selama masa kehamilan', '80%'),
    ('SP3', 'Tablet tambah darah remaja putri', 'spesifik', 'Remaja putri',
     'Persentase remaja putri yang mengonsumsi Tablet Tambah Darah (TTD)', '58%'),
    ('SP4', 'ASI eksklusif', 'spesifik', 'Bayi 0-5 bulan',
     'Persentase bayi usia kurang dari 6 bulan mendapat Air Susu Ibu (ASI) eksklusif', '80%'),
    ('SP5', 'MP-ASI', 'spesifik', 'Baduta (0-23 bulan)',
     'Persentase anak usia 6-23 bulan yang mendapat Makanan Pendamping Air Susu Ibu (MP-ASI)', '80%'),
    ('SP6', 'Tata laksana gizi buruk', 'spesifik', 'Balita (0-59 bulan)',
     'Persentase anak berusia di bawah lima tahun (balita) gizi buruk yang mendapat pelayanan tata laksana gizi buruk', '90%'),
    ('SP7', 'Pemantauan pertumbuhan dan perkembangan balita', 'spesifik', 'Balita (0-59 bulan)',
     'Persentase anak berusia di bawah lima tahun (balita) yang dipantau pertumbuhan dan perkembangannya', '80%'),
    ('SP8', 'Tambahan asupan gizi balita gizi kurang', 'spesifik', 'Balita (0-59 bulan)',
     'Persentase anak berusia di bawah lima tahun (balita) gizi kurang yang mendapat tambahan asupan gizi', '90%'),
    ('SP9', 'Imunisasi dasar lengkap', 'spesifik', 'Balita (0-59 bulan)',
     'Persentase anak berusia di bawah lima tahun (balita) yang memperoleh imunisasi dasar lengkap', '90%'),
    ('SE1', 'KB pascapersalinan', 'sensitif', 'Ibu nifas/menyusui',
     'Persentase pelayanan Keluarga Berencana (KB) pascapersalinan', NULL),
    ('SE2', 'Kehamilan yang tidak diinginkan', 'sensitif', 'Pasangan usia subur',
     'Persentase kehamilan yang tidak diinginkan', NULL),
    ('SE3', 'Pemeriksaan kesehatan calon pengantin', 'sensitif', 'Calon pengantin',
     'Cakupan calon Pasangan Usia Subur (PUS) yang memperoleh pemeriksaan kesehatan sebagai bagian dari pelayanan nikah', NULL),
    ('SE4', 'Air minum layak', 'sensitif', 'Keluarga / rumah tangga',
     'Persentase rumah tangga yang mendapatkan akses air minum layak di kabupaten/kota lokasi prioritas', NULL),
    ('SE5', 'Sanitasi layak', 'sensitif', 'Keluarga / rumah tangga',
     'Persentase rumah tangga yang mendapatkan akses sanitasi (air limbah domestik) layak di kabupaten/kota lokasi prioritas', NULL),
    ('SE6', 'Jaminan Kesehatan Nasional (PBI)', 'sensitif', 'Keluarga miskin/rentan',
     'Cakupan Penerima Bantuan Iuran (PBI) Jaminan Kesehatan Nasional', NULL),
    ('SE7', 'Pendampingan keluarga berisiko stunting', 'sensitif', 'Keluarga berisiko stunting',
     'Cakupan keluarga berisiko stunting yang memperoleh pendampingan', NULL),
    ('SE8', 'Bantuan tunai bersyarat (PKH)', 'sensitif', 'Keluarga miskin/rentan',
     'Jumlah keluarga miskin dan rentan yang memperoleh bantuan tunai bersyarat', NULL),
    ('SE9', 'Pemahaman tentang stunting', 'sensitif', 'Semua kelompok sasaran',
     'Persentase target sasaran yang memiliki pemahaman yang baik tentang stunting di lokasi prioritas', NULL),
    ('SE10', 'Bantuan sosial pangan', 'sensitif', 'Keluarga miskin/rentan',
     'Jumlah keluarga miskin dan rentan yang menerima bantuan sosial pangan', NULL),
    ('SE11', 'Desa/kelurahan Stop BABS (ODF)', 'sensitif', 'Desa/kelurahan',
     'Persentase desa/kelurahan Stop Buang Air Besar Sembarangan (BABS) atau Open Defecation Free (ODF)', NULL);

INSERT INTO sumber_dana (kode, nama) VALUES
    ('PAD', 'Pendapatan Asli Daerah'),
    ('DAU', 'Dana Alokasi Umum'),
    ('DBH', 'Dana Bagi Hasil'),
    ('DAK_FISIK', 'DAK Fisik'),
    ('DAK_NF_BOK', 'DAK Non-Fisik BOK'),
    ('DAK_NF_BOKB', 'DAK Non-Fisik BOKB'),
    ('DANA_DESA', 'Dana Desa'),
    ('ADD', 'Alokasi Dana Desa'),
    ('LAINNYA', 'Lain-lain pendapatan daerah yang sah');
