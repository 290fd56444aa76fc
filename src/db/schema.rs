// @generated-equivalent: written to match `diesel print-schema` for the migrations in migrations/.

diesel::table! {
    activity_log (id) {
        id -> Int8,
        kode_kabkota -> Nullable<Varchar>,
        user_id -> Nullable<Int4>,
        actor -> Text,
        at -> Timestamptz,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        before -> Nullable<Json>,
        after -> Nullable<Json>,
    }
}

diesel::table! {
    districts (kode_kabkota) {
        kode_kabkota -> Varchar,
        demo -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    intervensi (id) {
        id -> Int4,
        kode_kabkota -> Nullable<Varchar>,
        kode -> Varchar,
        nama -> Text,
        jenis -> Text,
        sasaran -> Text,
        indikator -> Text,
        target_nasional -> Nullable<Text>,
        aktif -> Bool,
    }
}

diesel::table! {
    lokus_desa (kode_kabkota, tahun, kode_desa) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        kode_desa -> Varchar,
    }
}

diesel::table! {
    opd (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        kode -> Varchar,
        nama -> Text,
        singkatan -> Nullable<Text>,
        aktif -> Bool,
    }
}

diesel::table! {
    reference_data (name) {
        name -> Text,
        version -> Text,
        row_count -> Int4,
        loaded_at -> Timestamptz,
    }
}

diesel::table! {
    sasaran (id) {
        id -> Int4,
        kode_kabkota -> Nullable<Varchar>,
        kode -> Varchar,
        nama -> Text,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Bytea,
        user_id -> Int4,
        csrf_token -> Text,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    sumber_dana (id) {
        id -> Int4,
        kode_kabkota -> Nullable<Varchar>,
        kode -> Varchar,
        nama -> Text,
    }
}

diesel::table! {
    tahapan_anggaran (kode) {
        kode -> Text,
        nama -> Text,
        urutan -> Int2,
    }
}

diesel::table! {
    tahun_anggaran (kode_kabkota, tahun) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        terkunci -> Bool,
        prevalensi_baseline -> Nullable<Numeric>,
        sumber_baseline -> Nullable<Text>,
        prevalensi_target -> Nullable<Numeric>,
    }
}

diesel::table! {
    users (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        email -> Text,
        nama -> Text,
        role -> Text,
        opd_id -> Nullable<Int4>,
        password_hash -> Text,
        aktif -> Bool,
        created_at -> Timestamptz,
        kode_provinsi -> Nullable<Varchar>,
    }
}

diesel::table! {
    intervensi_nonaktif (kode_kabkota, intervensi_id) {
        kode_kabkota -> Varchar,
        intervensi_id -> Int4,
    }
}

diesel::table! {
    login_failure (email, at) {
        email -> Text,
        at -> Timestamptz,
        client -> Text,
    }
}

diesel::table! {
    server_secret (name) {
        name -> Text,
        value -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    wilayah (kode) {
        kode -> Varchar,
        nama -> Text,
        tingkat -> Int2,
        kode_induk -> Nullable<Varchar>,
    }
}

diesel::table! {
    import_batch (id) {
        id -> Int8,
        kode_kabkota -> Varchar,
        tahun -> Int2,
        tahapan -> Text,
        opd_id -> Nullable<Int4>,
        user_id -> Nullable<Int4>,
        actor -> Text,
        file_name -> Text,
        sha256 -> Bpchar,
        file -> Bytea,
        sheet -> Nullable<Text>,
        create_opds -> Bool,
        status -> Text,
        rows_read -> Int4,
        rows_accepted -> Int4,
        rows_skipped -> Int4,
        rows_rejected -> Int4,
        total_pagu -> Numeric,
        report -> Jsonb,
        base_batch_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        committed_at -> Nullable<Timestamptz>,
        kind -> Text,
    }
}

diesel::table! {
    budget_line (id) {
        id -> Int8,
        kode_kabkota -> Varchar,
        opd_id -> Int4,
        tahun -> Int2,
        tahapan -> Text,
        batch_id -> Int8,
        removed_in_batch -> Nullable<Int8>,
        source_row -> Int4,
        sub_kegiatan_kode -> Varchar,
        sub_kegiatan_nama -> Nullable<Text>,
        kode_rekening -> Nullable<Varchar>,
        uraian -> Text,
        volume -> Nullable<Numeric>,
        satuan -> Nullable<Text>,
        harga_satuan -> Nullable<Numeric>,
        pagu -> Numeric,
        sumber_dana -> Nullable<Text>,
        intervensi_id -> Nullable<Int4>,
        jenis -> Nullable<Text>,
        tag_source -> Nullable<Text>,
        sasaran -> Nullable<Text>,
        target_output -> Nullable<Numeric>,
        satuan_output -> Nullable<Text>,
        keterangan -> Nullable<Text>,
    }
}

diesel::table! {
    budget_line_desa (line_id, kode_desa) {
        line_id -> Int8,
        kode_desa -> Varchar,
        tag_source -> Text,
        kode_kabkota -> Varchar,
    }
}

diesel::table! {
    budget_line_version (line_id, replaced_in_batch) {
        line_id -> Int8,
        replaced_in_batch -> Int8,
        kode_kabkota -> Varchar,
        snapshot -> Jsonb,
    }
}

diesel::table! {
    realisasi (line_id, bulan) {
        kode_kabkota -> Varchar,
        line_id -> Int8,
        bulan -> Int2,
        keuangan -> Numeric,
        fisik -> Nullable<Numeric>,
        user_id -> Nullable<Int4>,
        actor -> Text,
        via -> Text,
        batch_id -> Nullable<Int8>,
        entered_at -> Timestamptz,
    }
}

diesel::table! {
    periode_kunci (kode_kabkota, tahun, bulan) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        bulan -> Int2,
        user_id -> Nullable<Int4>,
        actor -> Text,
        locked_at -> Timestamptz,
    }
}

// summary: pre-aggregates kept by triggers (2026-12-02-000301_summary)
diesel::table! {
    summary_pagu (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        tahapan -> Text,
        opd_id -> Int4,
        intervensi_id -> Int4,
        jenis -> Text,
        sumber_dana -> Text,
        pagu -> Numeric,
        pagu_target -> Numeric,
        lines -> Int8,
    }
}

diesel::table! {
    summary_realisasi (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, bulan) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        tahapan -> Text,
        opd_id -> Int4,
        intervensi_id -> Int4,
        jenis -> Text,
        sumber_dana -> Text,
        bulan -> Int2,
        keuangan -> Numeric,
        fisik_bobot -> Numeric,
        entries -> Int8,
    }
}

diesel::table! {
    summary_desa_pagu (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, kode_desa) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        tahapan -> Text,
        opd_id -> Int4,
        intervensi_id -> Int4,
        jenis -> Text,
        sumber_dana -> Text,
        kode_desa -> Varchar,
        pagu -> Numeric,
        pagu_target -> Numeric,
        lines -> Int8,
    }
}

diesel::table! {
    summary_desa_realisasi (kode_kabkota, tahun, tahapan, opd_id, intervensi_id, jenis, sumber_dana, kode_desa, bulan) {
        kode_kabkota -> Varchar,
        tahun -> Int2,
        tahapan -> Text,
        opd_id -> Int4,
        intervensi_id -> Int4,
        jenis -> Text,
        sumber_dana -> Text,
        kode_desa -> Varchar,
        bulan -> Int2,
        keuangan -> Numeric,
        fisik_bobot -> Numeric,
        entries -> Int8,
    }
}
// summary_line: one row per current line with its 12 months (2026-12-03-000301_summary_line)
diesel::table! {
    summary_line (kode_kabkota, line_id) {
        kode_kabkota -> Varchar,
        line_id -> Int8,
        tahun -> Int2,
        tahapan -> Text,
        opd_id -> Int4,
        intervensi_id -> Int4,
        jenis -> Text,
        sumber_dana -> Text,
        pagu -> Numeric,
        target_output -> Nullable<Numeric>,
        keuangan -> Array<Nullable<Numeric>>,
        fisik -> Array<Nullable<Numeric>>,
        terlambat_bulan -> Int4,
        lebih_bulan -> Int4,
    }
}
// --- jobs (helper "jobs") ---
diesel::table! {
    job (id) {
        id -> Int8,
        kode_kabkota -> Varchar,
        kind -> Text,
        payload -> Jsonb,
        status -> Text,
        progress_done -> Int8,
        progress_total -> Nullable<Int8>,
        result -> Nullable<Jsonb>,
        result_link -> Nullable<Text>,
        result_file -> Nullable<Bytea>,
        result_file_name -> Nullable<Text>,
        batch_id -> Nullable<Int8>,
        error -> Nullable<Jsonb>,
        user_id -> Nullable<Int4>,
        actor -> Text,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        worker -> Nullable<Text>,
        heartbeat_at -> Nullable<Timestamptz>,
        attempts -> Int4,
        input_file -> Nullable<Bytea>,
        result_file_expired_at -> Nullable<Timestamptz>,
    }
}

// baas
diesel::table! {
    baas_sponsor (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        nama -> Text,
        jenis -> Text,
        kontak -> Text,
        janji_anak -> Int4,
        janji_bulan -> Int2,
        janji_rupiah_per_bulan -> Numeric,
        user_id -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    baas_child (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        nama -> Text,
        jk -> Bpchar,
        tgl_lahir -> Date,
        kode_desa -> Varchar,
        nik_masked -> Text,
        status_krs -> Text,
        posyandu -> Text,
        persetujuan_oleh -> Text,
        persetujuan_tanggal -> Date,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    baas_child_private (child_id) {
        child_id -> Int4,
        kode_kabkota -> Varchar,
        nik -> Bpchar,
        no_kk -> Nullable<Bpchar>,
        nama_ayah -> Text,
        nama_ibu -> Text,
        alamat -> Text,
    }
}

diesel::table! {
    baas_assignment (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        sponsor_id -> Int4,
        child_id -> Int4,
        mulai -> Date,
        bulan_rencana -> Int2,
        paket -> Text,
        rupiah_per_bulan -> Numeric,
        status -> Text,
        alasan_berhenti -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    baas_delivery (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        assignment_id -> Int4,
        tanggal -> Date,
        barang -> Text,
        nilai -> Numeric,
        oleh -> Text,
        catatan -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    baas_payment (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        sponsor_id -> Int4,
        tanggal -> Date,
        jumlah -> Numeric,
        catatan -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    baas_measurement (id) {
        id -> Int4,
        kode_kabkota -> Varchar,
        child_id -> Int4,
        tanggal -> Date,
        bb -> Nullable<Numeric>,
        tb -> Nullable<Numeric>,
        cara_ukur -> Nullable<Text>,
        oleh -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(activity_log -> users (user_id));
diesel::joinable!(budget_line -> opd (opd_id));
diesel::joinable!(budget_line -> intervensi (intervensi_id));
diesel::joinable!(budget_line_desa -> budget_line (line_id));
diesel::joinable!(budget_line_desa -> wilayah (kode_desa));
diesel::joinable!(districts -> wilayah (kode_kabkota));
diesel::joinable!(lokus_desa -> wilayah (kode_desa));
diesel::joinable!(opd -> districts (kode_kabkota));
diesel::joinable!(realisasi -> budget_line (line_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(tahun_anggaran -> districts (kode_kabkota));
diesel::joinable!(users -> districts (kode_kabkota));
diesel::joinable!(users -> opd (opd_id));

// baas
diesel::joinable!(baas_assignment -> baas_child (child_id));
diesel::joinable!(baas_assignment -> baas_sponsor (sponsor_id));
diesel::joinable!(baas_child -> wilayah (kode_desa));
diesel::joinable!(baas_child_private -> baas_child (child_id));
diesel::joinable!(baas_delivery -> baas_assignment (assignment_id));
diesel::joinable!(baas_measurement -> baas_child (child_id));
diesel::joinable!(baas_payment -> baas_sponsor (sponsor_id));
diesel::joinable!(baas_sponsor -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    activity_log,
    baas_assignment,
    baas_child,
    baas_child_private,
    baas_delivery,
    baas_measurement,
    baas_payment,
    baas_sponsor,
    budget_line,
    budget_line_desa,
    budget_line_version,
    import_batch,
    intervensi_nonaktif,
    login_failure,
    districts,
    intervensi,
    job,
    lokus_desa,
    opd,
    periode_kunci,
    realisasi,
    reference_data,
    sasaran,
    server_secret,
    sessions,
    sumber_dana,
    summary_desa_pagu,
    summary_desa_realisasi,
    summary_line,
    summary_pagu,
    summary_realisasi,
    tahapan_anggaran,
    tahun_anggaran,
    users,
    wilayah,
);
