-- BAAS (Bapak/Bunda Asuh Anak Stunting): sponsors, the children they take on, assignments, aid
-- delivered, payments received and the children's measurements.
--
-- Personal data (UU 27/2022: NIK, No. KK, parents' names, address) lives in baas_child_private,
-- which only the BAAS desk's queries read (db/baas.rs, functions named *_private). Every other view
-- uses baas_child, which holds the NIK only in its masked form (nik_masked, 6403••••••••0012),
-- written by the service together with the private row. Every row carries kode_kabkota and refers
-- to its parents with it, so no record can point into another district.

CREATE TABLE baas_sponsor (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    nama TEXT NOT NULL CHECK (btrim(nama) <> ''),
    jenis TEXT NOT NULL CHECK (jenis IN ('perorangan', 'perusahaan', 'instansi', 'lembaga', 'tni_polri', 'lainnya')),
    kontak TEXT NOT NULL DEFAULT '',
    -- the pledge: children x months x Rupiah per child per month
    janji_anak INTEGER NOT NULL CHECK (janji_anak > 0),
    janji_bulan SMALLINT NOT NULL CHECK (janji_bulan BETWEEN 1 AND 120),
    janji_rupiah_per_bulan NUMERIC(18, 2) NOT NULL CHECK (janji_rupiah_per_bulan >= 0),
    -- the login bound to this sponsor (role sponsor), at most one
    user_id INTEGER UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kode_kabkota, id),
    CONSTRAINT baas_sponsor_user FOREIGN KEY (kode_kabkota, user_id) REFERENCES users (kode_kabkota, id)
);

CREATE TABLE baas_child (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    nama TEXT NOT NULL CHECK (btrim(nama) <> ''),
    jk CHAR(1) NOT NULL CHECK (jk IN ('L', 'P')),
    tgl_lahir DATE NOT NULL,
    kode_desa VARCHAR(13) NOT NULL REFERENCES wilayah (kode),
    nik_masked TEXT NOT NULL,
    -- keluarga berisiko stunting (KRS) status, as the TPK records it
    status_krs TEXT NOT NULL DEFAULT '',
    posyandu TEXT NOT NULL DEFAULT '',
    -- consent of the parent or guardian: who gave it and when
    persetujuan_oleh TEXT NOT NULL CHECK (btrim(persetujuan_oleh) <> ''),
    persetujuan_tanggal DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kode_kabkota, id),
    CHECK (kode_desa LIKE kode_kabkota || '.%')
);
CREATE INDEX baas_child_desa_idx ON baas_child (kode_kabkota, kode_desa);
-- the duplicate check of a child without a known NIK: same name, birth date and desa
CREATE INDEX baas_child_identity_idx ON baas_child (kode_kabkota, lower(nama), tgl_lahir, kode_desa);

CREATE TABLE baas_child_private (
    child_id INTEGER PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL,
    nik CHAR(16) NOT NULL CHECK (nik ~ '^[0-9]{16}$'),
    no_kk CHAR(16) CHECK (no_kk ~ '^[0-9]{16}$'),
    nama_ayah TEXT NOT NULL DEFAULT '',
    nama_ibu TEXT NOT NULL DEFAULT '',
    alamat TEXT NOT NULL DEFAULT '',
    UNIQUE (kode_kabkota, nik),
    CONSTRAINT baas_child_private_child FOREIGN KEY (kode_kabkota, child_id) REFERENCES baas_child (kode_kabkota, id) ON DELETE CASCADE
);

CREATE TABLE baas_assignment (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL,
    sponsor_id INTEGER NOT NULL,
    child_id INTEGER NOT NULL,
    -- the first month of aid (always the 1st)
    mulai DATE NOT NULL CHECK (extract(day FROM mulai) = 1),
    bulan_rencana SMALLINT NOT NULL CHECK (bulan_rencana BETWEEN 1 AND 60),
    paket TEXT NOT NULL CHECK (paket IN ('pmt', 'sanitasi', 'kie', 'bantuan_ekonomi', 'lainnya')),
    rupiah_per_bulan NUMERIC(18, 2) NOT NULL CHECK (rupiah_per_bulan >= 0),
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'selesai', 'berhenti')),
    alasan_berhenti TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (kode_kabkota, id),
    CHECK ((status = 'berhenti') = (alasan_berhenti IS NOT NULL AND btrim(alasan_berhenti) <> '')),
    CONSTRAINT baas_assignment_sponsor FOREIGN KEY (kode_kabkota, sponsor_id) REFERENCES baas_sponsor (kode_kabkota, id),
    CONSTRAINT baas_assignment_child FOREIGN KEY (kode_kabkota, child_id) REFERENCES baas_child (kode_kabkota, id)
);
-- a child has at most one active sponsor at a time
CREATE UNIQUE INDEX baas_assignment_active_child ON baas_assignment (child_id) WHERE status = 'aktif';
CREATE INDEX baas_assignment_sponsor_idx ON baas_assignment (sponsor_id);

CREATE TABLE baas_delivery (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL,
    assignment_id INTEGER NOT NULL,
    tanggal DATE NOT NULL,
    barang TEXT NOT NULL CHECK (btrim(barang) <> ''),
    nilai NUMERIC(18, 2) NOT NULL CHECK (nilai >= 0),
    oleh TEXT NOT NULL DEFAULT '',
    catatan TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT baas_delivery_assignment FOREIGN KEY (kode_kabkota, assignment_id) REFERENCES baas_assignment (kode_kabkota, id)
);
CREATE INDEX baas_delivery_assignment_idx ON baas_delivery (assignment_id, tanggal);

CREATE TABLE baas_payment (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL,
    sponsor_id INTEGER NOT NULL,
    tanggal DATE NOT NULL,
    jumlah NUMERIC(18, 2) NOT NULL CHECK (jumlah > 0),
    catatan TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT baas_payment_sponsor FOREIGN KEY (kode_kabkota, sponsor_id) REFERENCES baas_sponsor (kode_kabkota, id)
);
CREATE INDEX baas_payment_sponsor_idx ON baas_payment (sponsor_id, tanggal);

-- Raw measures and the position; z-scores are computed on reading (domain/growth.rs), so a
-- correction of the WHO rules never leaves stale numbers behind.
CREATE TABLE baas_measurement (
    id SERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL,
    child_id INTEGER NOT NULL,
    tanggal DATE NOT NULL,
    bb NUMERIC(5, 2) CHECK (bb > 0),
    tb NUMERIC(5, 1) CHECK (tb > 0),
    cara_ukur TEXT CHECK (cara_ukur IN ('berbaring', 'berdiri')),
    oleh TEXT NOT NULL CHECK (oleh IN ('posyandu', 'tpk', 'puskesmas')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (bb IS NOT NULL OR tb IS NOT NULL),
    CONSTRAINT baas_measurement_child FOREIGN KEY (kode_kabkota, child_id) REFERENCES baas_child (kode_kabkota, id)
);
CREATE INDEX baas_measurement_child_idx ON baas_measurement (child_id, tanggal);
