-- Workplan imports and the budget lines they bring. A batch is one uploaded file; its original is kept
-- here (not on one server's disk) so any lokus process can commit a preview or serve the file again.

CREATE TABLE import_batch (
    id BIGSERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL REFERENCES districts (kode_kabkota),
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL REFERENCES tahapan_anggaran (kode),
    -- the OPD the upload was for; NULL for a district-wide SIPD export imported by an admin
    opd_id INTEGER REFERENCES opd (id),
    user_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    file BYTEA NOT NULL,
    sheet TEXT,
    create_opds BOOLEAN NOT NULL DEFAULT false,
    -- preview: dry run shown, waiting for commit; rejected: had errors; committed; discarded: never committed
    status TEXT NOT NULL CHECK (status IN ('preview', 'rejected', 'committed', 'discarded')),
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_accepted INTEGER NOT NULL DEFAULT 0,
    rows_skipped INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    total_pagu NUMERIC(18, 2) NOT NULL DEFAULT 0,
    -- the dry-run report (counts, totals, errors, warnings, diff) as shown and as the CLI prints it
    report JSONB NOT NULL,
    -- the last committed batch touching the same OPDs when the preview was made: a commit is refused
    -- when another import landed in between, so nobody commits a diff they did not see
    base_batch_id BIGINT REFERENCES import_batch (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    committed_at TIMESTAMPTZ,
    FOREIGN KEY (kode_kabkota, tahun) REFERENCES tahun_anggaran (kode_kabkota, tahun)
);
CREATE INDEX import_batch_district ON import_batch (kode_kabkota, created_at DESC);
CREATE INDEX import_batch_sha256 ON import_batch (kode_kabkota, sha256);

-- One line of an OPD's workplan for a fiscal year. The current version of a workplan is the set of
-- lines with removed_in_batch NULL; a re-import updates surviving lines in place (so realisation recorded
-- against them stays attached), keeps their earlier values in budget_line_version, and marks lines
-- that disappeared as removed rather than deleting them.
CREATE TABLE budget_line (
    id BIGSERIAL PRIMARY KEY,
    kode_kabkota VARCHAR(5) NOT NULL,
    opd_id INTEGER NOT NULL REFERENCES opd (id),
    tahun SMALLINT NOT NULL,
    tahapan TEXT NOT NULL REFERENCES tahapan_anggaran (kode),
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    removed_in_batch BIGINT REFERENCES import_batch (id),
    source_row INTEGER NOT NULL,
    sub_kegiatan_kode VARCHAR(40) NOT NULL,
    sub_kegiatan_nama TEXT,
    kode_rekening VARCHAR(40),
    uraian TEXT NOT NULL,
    volume NUMERIC(18, 4),
    satuan TEXT,
    harga_satuan NUMERIC(18, 2),
    pagu NUMERIC(18, 2) NOT NULL CHECK (pagu > 0),
    sumber_dana TEXT,
    intervensi_id INTEGER REFERENCES intervensi (id),
    jenis TEXT CHECK (jenis IN ('spesifik', 'sensitif')),
    -- who put the intervention on the line: the file, a person, or a person accepting lokus's suggestion
    tag_source TEXT CHECK (tag_source IN ('impor', 'manual', 'saran')),
    sasaran TEXT,
    target_output NUMERIC(18, 4),
    satuan_output TEXT,
    keterangan TEXT,
    FOREIGN KEY (kode_kabkota, tahun) REFERENCES tahun_anggaran (kode_kabkota, tahun),
    CHECK ((intervensi_id IS NULL) = (tag_source IS NULL))
);
CREATE INDEX budget_line_current ON budget_line (kode_kabkota, opd_id, tahun) WHERE removed_in_batch IS NULL;
CREATE INDEX budget_line_batch ON budget_line (batch_id);

CREATE TABLE budget_line_desa (
    line_id BIGINT NOT NULL REFERENCES budget_line (id) ON DELETE CASCADE,
    kode_desa VARCHAR(13) NOT NULL REFERENCES wilayah (kode),
    tag_source TEXT NOT NULL CHECK (tag_source IN ('impor', 'manual')),
    -- the district that owns the line; a line links only desa of its own district
    kode_kabkota VARCHAR(5) NOT NULL CHECK (left(kode_desa, 5) = kode_kabkota),
    PRIMARY KEY (line_id, kode_desa)
);
CREATE INDEX budget_line_desa_kode ON budget_line_desa (kode_desa);

-- Earlier values of a line changed or removed by a re-import.
CREATE TABLE budget_line_version (
    line_id BIGINT NOT NULL REFERENCES budget_line (id),
    replaced_in_batch BIGINT NOT NULL REFERENCES import_batch (id),
    kode_kabkota VARCHAR(5) NOT NULL,
    snapshot JSONB NOT NULL,
    PRIMARY KEY (line_id, replaced_in_batch)
);
