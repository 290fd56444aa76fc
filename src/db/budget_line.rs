//! Queries on budget lines, their desa links and earlier versions, and the import batches that
//! bring them. Lines are written in bulk with PostgreSQL `COPY`, so ids are taken from the sequence
//! first: the desa links of a new line need its id before the line itself is sent.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, SmallInt, Text};
use rust_decimal::Decimal;

use super::schema::{budget_line, budget_line_desa, import_batch, intervensi, opd};
use crate::domain::{BatchStatus, ImportKind, Jenis, Scope, TagSource, Tahapan};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = import_batch)]
pub struct NewImportBatch {
    pub kind: ImportKind,
    pub kode_kabkota: String,
    pub tahun: i16,
    pub tahapan: Tahapan,
    pub opd_id: Option<i32>,
    pub user_id: Option<i32>,
    pub actor: String,
    pub file_name: String,
    pub sha256: String,
    pub file: Vec<u8>,
    pub sheet: Option<String>,
    pub create_opds: bool,
    pub status: BatchStatus,
    pub rows_read: i32,
    pub rows_accepted: i32,
    pub rows_skipped: i32,
    pub rows_rejected: i32,
    pub total_pagu: Decimal,
    pub report: serde_json::Value,
    pub base_batch_id: Option<i64>,
    pub committed_at: Option<DateTime<Utc>>,
}

/// A batch as history lists it: everything but the file itself.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = import_batch)]
pub struct ImportBatch {
    pub id: i64,
    pub kode_kabkota: String,
    pub tahun: i16,
    pub tahapan: Tahapan,
    pub opd_id: Option<i32>,
    pub user_id: Option<i32>,
    pub actor: String,
    pub file_name: String,
    pub sha256: String,
    pub sheet: Option<String>,
    pub create_opds: bool,
    pub status: BatchStatus,
    pub rows_read: i32,
    pub rows_accepted: i32,
    pub rows_skipped: i32,
    pub rows_rejected: i32,
    pub total_pagu: Decimal,
    pub report: serde_json::Value,
    pub base_batch_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub committed_at: Option<DateTime<Utc>>,
    pub kind: ImportKind,
}

pub fn insert_batch(conn: &mut PgConnection, new: &NewImportBatch) -> QueryResult<i64> {
    diesel::insert_into(import_batch::table)
        .values(new)
        .returning(import_batch::id)
        .get_result(conn)
}

/// A batch the user may see: their district, and for an `opd` user only batches made for their OPD.
pub fn find_batch_for_scope(
    conn: &mut PgConnection,
    id: i64,
    scope: &Scope,
) -> QueryResult<Option<ImportBatch>> {
    let mut query = import_batch::table
        .filter(import_batch::id.eq(id))
        .filter(import_batch::kode_kabkota.eq(&scope.kode_kabkota))
        .select(ImportBatch::as_select())
        .into_boxed();
    if let Some(opd_id) = scope.opd_id {
        query = query.filter(import_batch::opd_id.eq(opd_id));
    }
    query.first(conn).optional()
}

pub fn list_batches_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
    limit: i64,
) -> QueryResult<Vec<ImportBatch>> {
    let mut query = import_batch::table
        .filter(import_batch::kode_kabkota.eq(&scope.kode_kabkota))
        .order(import_batch::id.desc())
        .limit(limit)
        .select(ImportBatch::as_select())
        .into_boxed();
    if let Some(opd_id) = scope.opd_id {
        query = query.filter(import_batch::opd_id.eq(opd_id));
    }
    query.load(conn)
}

pub fn batch_file(conn: &mut PgConnection, id: i64) -> QueryResult<Vec<u8>> {
    import_batch::table
        .find(id)
        .select(import_batch::file)
        .first(conn)
}

/// Committed batches of the district with the same file content, oldest first.
pub fn committed_with_sha256(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    sha256: &str,
) -> QueryResult<Vec<ImportBatch>> {
    import_batch::table
        .filter(import_batch::kode_kabkota.eq(kode_kabkota))
        .filter(import_batch::sha256.eq(sha256))
        .filter(import_batch::status.eq(BatchStatus::Committed))
        .order(import_batch::id)
        .select(ImportBatch::as_select())
        .load(conn)
}

pub fn mark_batch_committed(
    conn: &mut PgConnection,
    id: i64,
    report: &serde_json::Value,
) -> QueryResult<()> {
    diesel::update(import_batch::table.find(id))
        .set((
            import_batch::status.eq(BatchStatus::Committed),
            import_batch::committed_at.eq(Utc::now()),
            import_batch::report.eq(report),
        ))
        .execute(conn)
        .map(drop)
}

/// Uploads never committed (previews and rejected files) made before `before` become
/// `discarded`, and their file is dropped; their report stays for the history.
pub fn discard_stale_batches(conn: &mut PgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        import_batch::table
            .filter(import_batch::status.eq_any([BatchStatus::Preview, BatchStatus::Rejected]))
            .filter(import_batch::created_at.lt(before)),
    )
    .set((
        import_batch::status.eq(BatchStatus::Discarded),
        import_batch::file.eq(Vec::<u8>::new()),
    ))
    .execute(conn)
}

/// The newest batch that changed the lines of any of these OPDs in that year: the base a preview
/// was computed against.
pub fn last_batch_touching(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
    opd_ids: &[i32],
) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
        id: Option<i64>,
    }
    // A batch touched an OPD when it wrote one of its lines or removed one. A removed line was
    // removed by a later batch than the one that last wrote it (a commit is refused unless its batch
    // came after every batch that touched the OPD), so the newest writer of a removed line never
    // beats the newest remover: current lines' writers and removed lines' removers suffice, and each
    // is the top of an index per OPD (budget_line_current and budget_line_removed), not a scan of the
    // OPD's lines.
    let found: Found = diesel::sql_query(
        "SELECT max(touched) AS id FROM unnest($3::int[]) AS o(opd_id) CROSS JOIN LATERAL (
             SELECT (SELECT max(batch_id) FROM budget_line
                      WHERE kode_kabkota = $1 AND tahun = $2 AND opd_id = o.opd_id AND removed_in_batch IS NULL)
             UNION ALL
             SELECT (SELECT max(removed_in_batch) FROM budget_line
                      WHERE kode_kabkota = $1 AND tahun = $2 AND opd_id = o.opd_id AND removed_in_batch IS NOT NULL)
         ) AS t(touched)",
    )
    .bind::<Text, _>(kode_kabkota)
    .bind::<SmallInt, _>(tahun)
    .bind::<diesel::sql_types::Array<Integer>, _>(opd_ids)
    .get_result(conn)?;
    Ok(found.id)
}

/// Serialises imports of the same OPD and year across every lokus process, until the transaction ends.
pub fn lock_workplan(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    opd_id: i32,
    tahun: i16,
) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1), $2)")
        .bind::<Text, _>(format!("workplan/{kode_kabkota}/{tahun}"))
        .bind::<Integer, _>(opd_id)
        .execute(conn)
        .map(drop)
}

/// A budget line, as read and as written: new lines are written whole, with an id taken from the
/// sequence beforehand, so one type serves both.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = budget_line, treat_none_as_default_value = false)]
pub struct BudgetLine {
    pub id: i64,
    pub kode_kabkota: String,
    pub opd_id: i32,
    pub tahun: i16,
    pub tahapan: Tahapan,
    pub batch_id: i64,
    pub removed_in_batch: Option<i64>,
    pub source_row: i32,
    pub sub_kegiatan_kode: String,
    pub sub_kegiatan_nama: Option<String>,
    pub kode_rekening: Option<String>,
    pub uraian: String,
    pub volume: Option<Decimal>,
    pub satuan: Option<String>,
    pub harga_satuan: Option<Decimal>,
    pub pagu: Decimal,
    pub sumber_dana: Option<String>,
    pub intervensi_id: Option<i32>,
    pub jenis: Option<Jenis>,
    pub tag_source: Option<TagSource>,
    pub sasaran: Option<String>,
    pub target_output: Option<Decimal>,
    pub satuan_output: Option<String>,
    pub keterangan: Option<String>,
}

/// What a re-import may change on a surviving line (written by `update_lines`).
#[derive(Debug, Clone)]
pub struct BudgetLineChanges {
    pub tahapan: Tahapan,
    pub batch_id: i64,
    pub source_row: i32,
    pub sub_kegiatan_nama: Option<String>,
    pub volume: Option<Decimal>,
    pub satuan: Option<String>,
    pub harga_satuan: Option<Decimal>,
    pub pagu: Decimal,
    pub sumber_dana: Option<String>,
    pub intervensi_id: Option<i32>,
    pub jenis: Option<Jenis>,
    pub tag_source: Option<TagSource>,
    pub sasaran: Option<String>,
    pub target_output: Option<Decimal>,
    pub satuan_output: Option<String>,
    pub keterangan: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = budget_line_desa, treat_none_as_default_value = false)]
pub struct NewLineDesa {
    pub line_id: i64,
    pub kode_desa: String,
    pub tag_source: TagSource,
    pub kode_kabkota: String,
}

/// Takes `count` ids from the line sequence.
pub fn allocate_line_ids(conn: &mut PgConnection, count: usize) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let ids: Vec<Id> =
        diesel::sql_query("SELECT nextval('budget_line_id_seq') AS id FROM generate_series(1, $1)")
            .bind::<BigInt, _>(count as i64)
            .load(conn)?;
    Ok(ids.into_iter().map(|row| row.id).collect())
}

pub fn copy_lines(conn: &mut PgConnection, lines: &[BudgetLine]) -> QueryResult<usize> {
    if lines.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(budget_line::table)
        .from_insertable(lines)
        .execute(conn)
}

pub fn copy_desa_links(conn: &mut PgConnection, links: &[NewLineDesa]) -> QueryResult<usize> {
    if links.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(budget_line_desa::table)
        .from_insertable(links)
        .execute(conn)
}

/// The current lines of one OPD's workplan for a year.
pub fn current_lines(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    opd_id: i32,
    tahun: i16,
) -> QueryResult<Vec<BudgetLine>> {
    budget_line::table
        .filter(budget_line::kode_kabkota.eq(kode_kabkota))
        .filter(budget_line::opd_id.eq(opd_id))
        .filter(budget_line::tahun.eq(tahun))
        .filter(budget_line::removed_in_batch.is_null())
        .order(budget_line::id)
        .select(BudgetLine::as_select())
        .load(conn)
}

/// Desa links of the given lines: (line id, kode desa, tag source).
pub fn desa_links(
    conn: &mut PgConnection,
    line_ids: &[i64],
) -> QueryResult<Vec<(i64, String, String)>> {
    let mut links = Vec::new();
    for chunk in line_ids.chunks(20_000) {
        links.extend(
            budget_line_desa::table
                .filter(budget_line_desa::line_id.eq_any(chunk))
                .select((
                    budget_line_desa::line_id,
                    budget_line_desa::kode_desa,
                    budget_line_desa::tag_source,
                ))
                .load::<(i64, String, String)>(conn)?,
        );
    }
    Ok(links)
}

/// Writes re-imported values onto surviving lines, many per statement.
pub fn update_lines(
    conn: &mut PgConnection,
    updates: &[(i64, BudgetLineChanges)],
) -> QueryResult<usize> {
    use diesel::sql_types::{Array, Nullable, Numeric};
    let mut updated = 0;
    for chunk in updates.chunks(10_000) {
        let Some((_, first)) = chunk.first() else {
            continue;
        };
        let column = |pick: fn(&BudgetLineChanges) -> Option<String>| {
            chunk.iter().map(|(_, c)| pick(c)).collect::<Vec<_>>()
        };
        let number = |pick: fn(&BudgetLineChanges) -> Option<Decimal>| {
            chunk.iter().map(|(_, c)| pick(c)).collect::<Vec<_>>()
        };
        updated += diesel::sql_query(
            "UPDATE budget_line b SET tahapan = $1, batch_id = $2, source_row = u.source_row,
                 sub_kegiatan_nama = u.sub_kegiatan_nama, volume = u.volume, satuan = u.satuan,
                 harga_satuan = u.harga_satuan, pagu = u.pagu, sumber_dana = u.sumber_dana,
                 intervensi_id = u.intervensi_id, jenis = u.jenis, tag_source = u.tag_source, sasaran = u.sasaran,
                 target_output = u.target_output, satuan_output = u.satuan_output, keterangan = u.keterangan
             FROM unnest($3::bigint[], $4::int[], $5::text[], $6::numeric[], $7::text[], $8::numeric[], $9::numeric[],
                         $10::text[], $11::int[], $12::text[], $13::text[], $14::text[], $15::numeric[], $16::text[], $17::text[])
                  AS u(id, source_row, sub_kegiatan_nama, volume, satuan, harga_satuan, pagu, sumber_dana,
                       intervensi_id, jenis, tag_source, sasaran, target_output, satuan_output, keterangan)
             WHERE b.id = u.id",
        )
        .bind::<Text, _>(&first.tahapan)
        .bind::<BigInt, _>(first.batch_id)
        .bind::<Array<BigInt>, _>(chunk.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind::<Array<Integer>, _>(chunk.iter().map(|(_, c)| c.source_row).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.sub_kegiatan_nama.clone()))
        .bind::<Array<Nullable<Numeric>>, _>(number(|c| c.volume))
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.satuan.clone()))
        .bind::<Array<Nullable<Numeric>>, _>(number(|c| c.harga_satuan))
        .bind::<Array<Numeric>, _>(chunk.iter().map(|(_, c)| c.pagu).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.sumber_dana.clone()))
        .bind::<Array<Nullable<Integer>>, _>(chunk.iter().map(|(_, c)| c.intervensi_id).collect::<Vec<_>>())
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.jenis.map(String::from)))
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.tag_source.map(String::from)))
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.sasaran.clone()))
        .bind::<Array<Nullable<Numeric>>, _>(number(|c| c.target_output))
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.satuan_output.clone()))
        .bind::<Array<Nullable<Text>>, _>(column(|c| c.keterangan.clone()))
        .execute(conn)?;
    }
    Ok(updated)
}

/// Keeps the current values of these lines in `budget_line_version`, as replaced by `batch_id`.
pub fn snapshot_versions(
    conn: &mut PgConnection,
    ids: &[i64],
    batch_id: i64,
) -> QueryResult<usize> {
    let mut kept = 0;
    for chunk in ids.chunks(20_000) {
        kept += diesel::sql_query(
            "INSERT INTO budget_line_version (line_id, replaced_in_batch, kode_kabkota, snapshot)
             SELECT id, $1, kode_kabkota, to_jsonb(b) FROM budget_line b WHERE id = ANY($2)",
        )
        .bind::<BigInt, _>(batch_id)
        .bind::<diesel::sql_types::Array<BigInt>, _>(chunk)
        .execute(conn)?;
    }
    Ok(kept)
}

/// Removes the desa links an import made on these lines (a person's links stay).
pub fn delete_imported_desa(conn: &mut PgConnection, line_ids: &[i64]) -> QueryResult<usize> {
    let mut deleted = 0;
    for chunk in line_ids.chunks(20_000) {
        deleted += diesel::delete(
            budget_line_desa::table
                .filter(budget_line_desa::line_id.eq_any(chunk))
                .filter(budget_line_desa::tag_source.eq("impor")),
        )
        .execute(conn)?;
    }
    Ok(deleted)
}

/// Moves an OPD's current workplan of a year to a budget stage (all its current lines). Lines already
/// there are left alone: a re-import has just written every changed line with its stage, and writing
/// a row again costs a new row version and an entry in each of its indexes.
pub fn set_current_tahapan(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    opd_id: i32,
    tahun: i16,
    tahapan: &str,
) -> QueryResult<usize> {
    diesel::update(
        budget_line::table
            .filter(budget_line::kode_kabkota.eq(kode_kabkota))
            .filter(budget_line::opd_id.eq(opd_id))
            .filter(budget_line::tahun.eq(tahun))
            .filter(budget_line::removed_in_batch.is_null())
            .filter(budget_line::tahapan.ne(tahapan)),
    )
    .set(budget_line::tahapan.eq(tahapan))
    .execute(conn)
}

pub fn mark_removed(conn: &mut PgConnection, ids: &[i64], batch_id: i64) -> QueryResult<usize> {
    let mut removed = 0;
    for chunk in ids.chunks(20_000) {
        removed += diesel::update(budget_line::table.filter(budget_line::id.eq_any(chunk)))
            .set(budget_line::removed_in_batch.eq(batch_id))
            .execute(conn)?;
    }
    Ok(removed)
}

/// Sub kegiatan codes that some workplan of the district has named.
pub fn named_sub_kegiatan(conn: &mut PgConnection, kode_kabkota: &str) -> QueryResult<Vec<String>> {
    budget_line::table
        .filter(budget_line::kode_kabkota.eq(kode_kabkota))
        .filter(budget_line::sub_kegiatan_nama.is_not_null())
        .select(budget_line::sub_kegiatan_kode)
        .distinct()
        .load(conn)
}

/// A current line as the budget-line page lists it.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct BudgetLineView {
    pub id: i64,
    pub opd_nama: String,
    pub tahun: i16,
    pub tahapan: Tahapan,
    pub sub_kegiatan_kode: String,
    pub sub_kegiatan_nama: Option<String>,
    pub kode_rekening: Option<String>,
    pub uraian: String,
    pub pagu: Decimal,
    pub sumber_dana: Option<String>,
    pub intervensi_kode: Option<String>,
    pub jenis: Option<Jenis>,
    pub tag_source: Option<TagSource>,
}

/// Which current lines the budget-line page shows.
#[derive(Debug, Clone, Default)]
pub struct LineFilter {
    pub tahun: Option<i16>,
    pub opd_id: Option<i32>,
    pub untagged: bool,
    pub intervensi_id: Option<i32>,
    pub kode_desa: Option<String>,
    // summary: the drill-down from a summary row (stage, jenis, sumber dana, an attention point's lines)
    pub tahapan: Option<Tahapan>,
    /// `Some(None)`: lines without a jenis.
    pub jenis: Option<Option<Jenis>>,
    /// `Some(None)`: lines without a sumber dana.
    pub sumber_dana: Option<Option<String>>,
    /// Only these lines (an attention point's).
    pub line_ids: Option<Vec<i64>>,
}

pub fn list_lines(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &LineFilter,
    limit: i64,
) -> QueryResult<Vec<BudgetLineView>> {
    let mut query = budget_line::table
        .inner_join(opd::table)
        .left_join(intervensi::table)
        .filter(budget_line::kode_kabkota.eq(&scope.kode_kabkota))
        .filter(budget_line::removed_in_batch.is_null())
        .into_boxed();
    if let Some(opd_id) = scope.opd_id.or(filter.opd_id) {
        query = query.filter(budget_line::opd_id.eq(opd_id));
    }
    if let Some(tahun) = filter.tahun {
        query = query.filter(budget_line::tahun.eq(tahun));
    }
    if filter.untagged {
        query = query.filter(budget_line::intervensi_id.is_null());
    }
    if let Some(id) = filter.intervensi_id {
        query = query.filter(budget_line::intervensi_id.eq(id));
    }
    if let Some(kode) = &filter.kode_desa {
        let with_desa = budget_line_desa::table
            .filter(budget_line_desa::kode_desa.eq(kode.clone()))
            .select(budget_line_desa::line_id);
        query = query.filter(budget_line::id.eq_any(with_desa));
    }
    if let Some(tahapan) = filter.tahapan {
        query = query.filter(budget_line::tahapan.eq(tahapan));
    }
    match filter.jenis {
        Some(Some(jenis)) => query = query.filter(budget_line::jenis.eq(jenis)),
        Some(None) => query = query.filter(budget_line::jenis.is_null()),
        None => {}
    }
    match &filter.sumber_dana {
        Some(Some(sumber)) => query = query.filter(budget_line::sumber_dana.eq(sumber.clone())),
        Some(None) => query = query.filter(budget_line::sumber_dana.is_null()),
        None => {}
    }
    if let Some(ids) = &filter.line_ids {
        query = query.filter(budget_line::id.eq_any(ids.clone()));
    }
    query
        .order((opd::nama, budget_line::sub_kegiatan_kode, budget_line::id))
        .limit(limit)
        .select((
            budget_line::id,
            opd::nama,
            budget_line::tahun,
            budget_line::tahapan,
            budget_line::sub_kegiatan_kode,
            budget_line::sub_kegiatan_nama,
            budget_line::kode_rekening,
            budget_line::uraian,
            budget_line::pagu,
            budget_line::sumber_dana,
            intervensi::kode.nullable(),
            budget_line::jenis,
            budget_line::tag_source,
        ))
        .load(conn)
}

/// Current lines in scope with the given ids (for tagging: ownership is checked here).
pub fn find_lines_for_scope(
    conn: &mut PgConnection,
    ids: &[i64],
    scope: &Scope,
) -> QueryResult<Vec<BudgetLine>> {
    let mut query = budget_line::table
        .filter(budget_line::id.eq_any(ids))
        .filter(budget_line::kode_kabkota.eq(&scope.kode_kabkota))
        .filter(budget_line::removed_in_batch.is_null())
        .select(BudgetLine::as_select())
        .into_boxed();
    if let Some(opd_id) = scope.opd_id {
        query = query.filter(budget_line::opd_id.eq(opd_id));
    }
    query.load(conn)
}

pub fn set_tag(
    conn: &mut PgConnection,
    ids: &[i64],
    intervensi_id: i32,
    jenis: &str,
    source: &str,
) -> QueryResult<usize> {
    diesel::update(budget_line::table.filter(budget_line::id.eq_any(ids)))
        .set((
            budget_line::intervensi_id.eq(intervensi_id),
            budget_line::jenis.eq(jenis),
            budget_line::tag_source.eq(source),
        ))
        .execute(conn)
}

pub fn add_manual_desa(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    ids: &[i64],
    kode_desa: &str,
) -> QueryResult<usize> {
    let rows: Vec<NewLineDesa> = ids
        .iter()
        .map(|id| NewLineDesa {
            line_id: *id,
            kode_desa: kode_desa.to_owned(),
            tag_source: TagSource::Manual,
            kode_kabkota: kode_kabkota.to_owned(),
        })
        .collect();
    // a person confirming a link the file made turns it into theirs, so a re-import keeps it
    diesel::insert_into(budget_line_desa::table)
        .values(&rows)
        .on_conflict((budget_line_desa::line_id, budget_line_desa::kode_desa))
        .do_update()
        .set(budget_line_desa::tag_source.eq("manual"))
        .execute(conn)
}

/// One jenis's share of a year's current workplans (`jenis` none: not yet tagged).
#[derive(Debug, Clone, QueryableByName)]
pub struct JenisShare {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub jenis: Option<Jenis>,
    #[diesel(sql_type = diesel::sql_types::Numeric)]
    pub pagu: Decimal,
    #[diesel(sql_type = BigInt)]
    pub lines: i64,
}

pub fn pagu_by_jenis(
    conn: &mut PgConnection,
    scope: &Scope,
    tahun: i16,
) -> QueryResult<Vec<JenisShare>> {
    diesel::sql_query(
        "SELECT jenis, coalesce(sum(pagu), 0) AS pagu, count(*) AS lines FROM budget_line
         WHERE kode_kabkota = $1 AND tahun = $2 AND removed_in_batch IS NULL AND ($3::int IS NULL OR opd_id = $3)
         GROUP BY jenis ORDER BY jenis NULLS LAST",
    )
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(tahun)
    .bind::<diesel::sql_types::Nullable<Integer>, _>(scope.opd_id)
    .load(conn)
}

/// Current lines with the given ids, in id order, for a download that can be imported back.
pub fn lines_by_ids(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<BudgetLine>> {
    let mut lines = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(20_000) {
        lines.extend(
            budget_line::table
                .filter(budget_line::id.eq_any(chunk))
                .select(BudgetLine::as_select())
                .load(conn)?,
        );
    }
    lines.sort_by_key(|line| line.id);
    Ok(lines)
}
