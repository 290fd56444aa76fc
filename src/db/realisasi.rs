//! Queries on monthly realisation and the period locks. Rows are written only through
//! `services::record_realisation` (figures) and its lock functions, which check and audit.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Numeric, SmallInt, Text};
use rust_decimal::Decimal;

use super::schema::{budget_line, periode_kunci, realisasi};
use crate::domain::Scope;

/// One line's figures for one month, as stored and as written.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = realisasi, treat_none_as_default_value = false)]
pub struct Realisasi {
    pub kode_kabkota: String,
    pub line_id: i64,
    pub bulan: i16,
    pub keuangan: Decimal,
    pub fisik: Option<Decimal>,
    pub user_id: Option<i32>,
    pub actor: String,
    pub via: String,
    pub batch_id: Option<i64>,
    pub entered_at: DateTime<Utc>,
}

/// Every recorded month of these lines, by line then month.
pub fn for_lines(conn: &mut PgConnection, line_ids: &[i64]) -> QueryResult<Vec<Realisasi>> {
    let mut rows = Vec::new();
    for chunk in line_ids.chunks(20_000) {
        rows.extend(
            realisasi::table
                .filter(realisasi::line_id.eq_any(chunk))
                .select(Realisasi::as_select())
                .load(conn)?,
        );
    }
    rows.sort_by_key(|row| (row.line_id, row.bulan));
    Ok(rows)
}

/// A recorded month's figures: (line, month, keuangan, fisik).
pub type MonthFigures = (i64, i16, Decimal, Option<Decimal>);

/// The figures recorded for these lines, what a recording compares with (the rest of a row is not
/// read: an import of a whole year reads 240,000 of them).
pub fn figures_of_lines(
    conn: &mut PgConnection,
    line_ids: &[i64],
) -> QueryResult<Vec<MonthFigures>> {
    let mut rows = Vec::new();
    for chunk in line_ids.chunks(20_000) {
        rows.extend(
            realisasi::table
                .filter(realisasi::line_id.eq_any(chunk))
                .select((
                    realisasi::line_id,
                    realisasi::bulan,
                    realisasi::keuangan,
                    realisasi::fisik,
                ))
                .load::<MonthFigures>(conn)?,
        );
    }
    Ok(rows)
}

/// One month of one line to write, borrowing what every row of a recording shares (district,
/// actor, way in), so an import's 240,000 rows do not each own copies of them.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = realisasi, treat_none_as_default_value = false)]
pub struct NewRealisasi<'a> {
    pub kode_kabkota: &'a str,
    pub line_id: i64,
    pub bulan: i16,
    pub keuangan: Decimal,
    pub fisik: Option<Decimal>,
    pub user_id: Option<i32>,
    pub actor: &'a str,
    pub via: &'a str,
    pub batch_id: Option<i64>,
    pub entered_at: DateTime<Utc>,
}

/// Writes these months with `COPY` (the caller removed what they held first, see
/// [`delete_months`]): one statement, so the reference trigger runs once for all of them.
pub fn copy_months(conn: &mut PgConnection, rows: &[NewRealisasi<'_>]) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::copy_from(realisasi::table)
        .from_insertable(rows)
        .execute(conn)
}

/// Removes the figures of these (line, month) pairs: months about to be written again, or cleared.
pub fn delete_months(conn: &mut PgConnection, months: &[(i64, i16)]) -> QueryResult<usize> {
    let mut deleted = 0;
    for chunk in months.chunks(50_000) {
        let (lines, bulan): (Vec<i64>, Vec<i16>) = chunk.iter().copied().unzip();
        deleted += diesel::sql_query(
            "DELETE FROM realisasi WHERE (line_id, bulan) IN (SELECT * FROM unnest($1::bigint[], $2::smallint[]))",
        )
        .bind::<diesel::sql_types::Array<BigInt>, _>(lines)
        .bind::<diesel::sql_types::Array<SmallInt>, _>(bulan)
        .execute(conn)?;
    }
    Ok(deleted)
}

/// Takes the fiscal year's row so that realisation writers (`FOR SHARE`, many at once) and period
/// lockers (`FOR NO KEY UPDATE`, which does not block the foreign-key locks of budget writers)
/// exclude each other: a month cannot be locked between a writer's check and its write.
/// Returns false when the year does not exist.
pub fn hold_year(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
    exclusive: bool,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = SmallInt)]
        #[allow(dead_code)]
        tahun: i16,
    }
    let mode = if exclusive {
        "FOR NO KEY UPDATE"
    } else {
        "FOR SHARE"
    };
    let found: Option<Found> = diesel::sql_query(format!(
        "SELECT tahun FROM tahun_anggaran WHERE kode_kabkota = $1 AND tahun = $2 {mode}"
    ))
    .bind::<Text, _>(kode_kabkota)
    .bind::<SmallInt, _>(tahun)
    .get_result(conn)
    .optional()?;
    Ok(found.is_some())
}

/// The locked months (1..12) of a district's year, in order.
pub fn locked_months(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
) -> QueryResult<Vec<i16>> {
    periode_kunci::table
        .filter(periode_kunci::kode_kabkota.eq(kode_kabkota))
        .filter(periode_kunci::tahun.eq(tahun))
        .order(periode_kunci::bulan)
        .select(periode_kunci::bulan)
        .load(conn)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = periode_kunci)]
pub struct NewLock {
    pub kode_kabkota: String,
    pub tahun: i16,
    pub bulan: i16,
    pub user_id: Option<i32>,
    pub actor: String,
}

/// Locks the months not locked yet; returns the months it locked.
pub fn lock_months(conn: &mut PgConnection, rows: &[NewLock]) -> QueryResult<Vec<i16>> {
    diesel::insert_into(periode_kunci::table)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(periode_kunci::bulan)
        .get_results(conn)
}

/// Unlocks the months; returns the months that were locked.
pub fn unlock_months(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
    months: &[i16],
) -> QueryResult<Vec<i16>> {
    diesel::delete(
        periode_kunci::table
            .filter(periode_kunci::kode_kabkota.eq(kode_kabkota))
            .filter(periode_kunci::tahun.eq(tahun))
            .filter(periode_kunci::bulan.eq_any(months)),
    )
    .returning(periode_kunci::bulan)
    .get_results(conn)
}

/// A line as the realisation checks need it: its district, OPD, year, pagu, target and whether a
/// revision removed it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = budget_line)]
pub struct LineForRealisation {
    pub id: i64,
    pub kode_kabkota: String,
    pub opd_id: i32,
    pub tahun: i16,
    pub removed_in_batch: Option<i64>,
    pub sub_kegiatan_kode: String,
    pub sub_kegiatan_nama: Option<String>,
    pub kode_rekening: Option<String>,
    pub uraian: String,
    pub pagu: Decimal,
    pub target_output: Option<Decimal>,
    pub satuan_output: Option<String>,
    pub volume: Option<Decimal>,
    pub satuan: Option<String>,
}

/// The lines with these ids that the scope may see, removed ones included (the caller says why a
/// removed line is refused). Another district's or, for an `opd` user, another OPD's line is
/// simply not found: the scope is part of the query.
pub fn lines_in_scope(
    conn: &mut PgConnection,
    ids: &[i64],
    scope: &Scope,
) -> QueryResult<Vec<LineForRealisation>> {
    let mut lines = Vec::new();
    for chunk in ids.chunks(20_000) {
        let mut query = budget_line::table
            .filter(budget_line::id.eq_any(chunk))
            .filter(budget_line::kode_kabkota.eq(&scope.kode_kabkota))
            .select(LineForRealisation::as_select())
            .into_boxed();
        if let Some(opd_id) = scope.opd_id {
            query = query.filter(budget_line::opd_id.eq(opd_id));
        }
        lines.extend(query.load(conn)?);
    }
    lines.sort_by_key(|line| line.id);
    Ok(lines)
}

/// Takes these lines for one realisation writer at a time, until the transaction ends. `FOR NO KEY
/// UPDATE` does not wait for (or block) the key-share locks that reference checks take.
pub fn lock_lines(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<()> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for chunk in sorted.chunks(20_000) {
        // in id order, so two writers of overlapping lines cannot deadlock
        diesel::sql_query(
            "SELECT 1 FROM (SELECT id FROM budget_line WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE) l",
        )
        .bind::<diesel::sql_types::Array<BigInt>, _>(chunk)
        .execute(conn)?;
    }
    Ok(())
}

/// The current lines of one OPD's year, in the order the realisation form lists them.
pub fn current_lines_of_opd(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    opd_id: i32,
    tahun: i16,
) -> QueryResult<Vec<LineForRealisation>> {
    budget_line::table
        .filter(budget_line::kode_kabkota.eq(kode_kabkota))
        .filter(budget_line::opd_id.eq(opd_id))
        .filter(budget_line::tahun.eq(tahun))
        .filter(budget_line::removed_in_batch.is_null())
        .order((
            budget_line::sub_kegiatan_kode,
            budget_line::kode_rekening,
            budget_line::id,
        ))
        .select(LineForRealisation::as_select())
        .load(conn)
}

/// One line's realisation in one triwulan (1..4): the sum of its three months.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct TriwulanSum {
    #[diesel(sql_type = BigInt)]
    pub line_id: i64,
    #[diesel(sql_type = Integer)]
    pub opd_id: i32,
    #[diesel(sql_type = Bool)]
    pub removed: bool,
    #[diesel(sql_type = SmallInt)]
    pub triwulan: i16,
    #[diesel(sql_type = Numeric)]
    pub keuangan: Decimal,
    /// NULL when no month of the triwulan reported fisik.
    #[diesel(sql_type = Nullable<Numeric>)]
    pub fisik: Option<Decimal>,
}

/// Triwulan figures of a year's lines in scope (removed lines too, flagged: their realisation is
/// kept and shown), by line then triwulan. Only triwulans with a recorded month appear.
pub fn triwulan_sums(
    conn: &mut PgConnection,
    scope: &Scope,
    tahun: i16,
) -> QueryResult<Vec<TriwulanSum>> {
    diesel::sql_query(
        "SELECT r.line_id, b.opd_id, b.removed_in_batch IS NOT NULL AS removed,
                ((r.bulan - 1) / 3 + 1)::smallint AS triwulan,
                sum(r.keuangan) AS keuangan, sum(r.fisik) AS fisik
         FROM realisasi r JOIN budget_line b ON b.kode_kabkota = r.kode_kabkota AND b.id = r.line_id
         WHERE b.kode_kabkota = $1 AND b.tahun = $2 AND ($3::int IS NULL OR b.opd_id = $3)
         GROUP BY r.line_id, b.opd_id, b.removed_in_batch, triwulan
         ORDER BY r.line_id, triwulan",
    )
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(tahun)
    .bind::<Nullable<Integer>, _>(scope.opd_id)
    .load(conn)
}

// pipeline: the finance-system sheet matches its rows against every current line in scope
/// The current lines of a year that the scope may see (the district, or one OPD), for matching a
/// finance-system sheet's codes.
pub fn current_lines_in_scope(
    conn: &mut PgConnection,
    scope: &Scope,
    tahun: i16,
) -> QueryResult<Vec<LineForRealisation>> {
    let mut query = budget_line::table
        .filter(budget_line::kode_kabkota.eq(&scope.kode_kabkota))
        .filter(budget_line::tahun.eq(tahun))
        .filter(budget_line::removed_in_batch.is_null())
        .order(budget_line::id)
        .select(LineForRealisation::as_select())
        .into_boxed();
    if let Some(opd_id) = scope.opd_id {
        query = query.filter(budget_line::opd_id.eq(opd_id));
    }
    query.load(conn)
}
