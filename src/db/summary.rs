//! Reads of the summary's pre-aggregates (`summary_*`, kept by triggers, see the migration
//! 2026-12-02-000301_summary, and `summary_line`, one row per line with its months, 2026-12-03-000301). Every
//! query takes the reader's `Scope`: the district always, and an `opd` user's OPD.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Numeric, SmallInt, Text};
use rust_decimal::Decimal;

use crate::domain::{Jenis, Scope, Tahapan};

/// What the summary shows: a year, and optionally a stage, the months up to a triwulan's end, an
/// OPD, a jenis, an intervention and a desa. (Serialisable: a large export's job carries it.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SummaryFilter {
    pub tahun: i16,
    pub tahapan: Option<Tahapan>,
    /// Realisation counts months 1..=sampai_bulan (12 for the whole year; 3 × triwulan).
    pub sampai_bulan: i16,
    pub opd_id: Option<i32>,
    /// `Some(None)`: lines without a jenis.
    pub jenis: Option<Option<Jenis>>,
    /// `Some(0)`: lines without an intervention.
    pub intervensi_id: Option<i32>,
    pub kode_desa: Option<String>,
}

impl SummaryFilter {
    pub fn year(tahun: i16) -> SummaryFilter {
        SummaryFilter {
            tahun,
            tahapan: None,
            sampai_bulan: 12,
            opd_id: None,
            jenis: None,
            intervensi_id: None,
            kode_desa: None,
        }
    }
}

/// What a breakdown groups by. Desa reads the desa shares (a line serving several desa split
/// between them), so its rows add up to the lines that serve some desa, never more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    Opd,
    Intervensi,
    Jenis,
    SumberDana,
    Desa,
    Bulan,
}

impl Dim {
    fn column(self) -> &'static str {
        match self {
            Dim::Opd => "opd_id::text",
            Dim::Intervensi => "intervensi_id::text",
            Dim::Jenis => "jenis",
            Dim::SumberDana => "sumber_dana",
            Dim::Desa => "kode_desa",
            Dim::Bulan => "bulan::text",
        }
    }
}

/// One group's sums. Keys are text: an OPD or intervention id, a jenis, a sumber dana, a kode desa,
/// a month; `""` for "none" (no intervention is `"0"`) and for a key not asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub k1: String,
    pub k2: String,
    pub pagu: Decimal,
    pub pagu_target: Decimal,
    pub lines: i64,
    pub keuangan: Decimal,
    pub fisik_bobot: Decimal,
}

impl Group {
    pub fn sisa(&self) -> Decimal {
        self.pagu - self.keuangan
    }

    /// % realisasi keuangan, two decimals; none without pagu.
    pub fn persen(&self) -> Option<Decimal> {
        (!self.pagu.is_zero()).then(|| (self.keuangan * Decimal::from(100) / self.pagu).round_dp(2))
    }

    /// capaian fisik: the pagu-weighted share of the lines' output targets done, in %.
    pub fn capaian_fisik(&self) -> Option<Decimal> {
        (!self.pagu_target.is_zero())
            .then(|| (self.fisik_bobot * Decimal::from(100) / self.pagu_target).round_dp(2))
    }

    pub fn add(&mut self, other: &Group) {
        self.pagu += other.pagu;
        self.pagu_target += other.pagu_target;
        self.lines += other.lines;
        self.keuangan += other.keuangan;
        self.fisik_bobot += other.fisik_bobot;
    }
}

#[derive(QueryableByName)]
struct PaguRow {
    #[diesel(sql_type = Text)]
    k1: String,
    #[diesel(sql_type = Text)]
    k2: String,
    #[diesel(sql_type = Numeric)]
    pagu: Decimal,
    #[diesel(sql_type = Numeric)]
    pagu_target: Decimal,
    #[diesel(sql_type = BigInt)]
    lines: i64,
}

#[derive(QueryableByName)]
struct RealisasiRow {
    #[diesel(sql_type = Text)]
    k1: String,
    #[diesel(sql_type = Text)]
    k2: String,
    #[diesel(sql_type = Numeric)]
    keuangan: Decimal,
    #[diesel(sql_type = Numeric)]
    fisik_bobot: Decimal,
}

/// The filter's conditions on a summary table, with binds $1..$7 ($8 the last month, realisation only).
fn conditions(by_desa: bool) -> String {
    let mut sql = String::from(
        "kode_kabkota = $1 AND tahun = $2 AND ($3::text IS NULL OR tahapan = $3)
         AND ($4::int IS NULL OR opd_id = $4) AND ($5::int IS NULL OR intervensi_id = $5)
         AND ($6::text IS NULL OR jenis = $6)",
    );
    if by_desa {
        sql.push_str(" AND ($7::text IS NULL OR kode_desa = $7)");
    } else {
        sql.push_str(" AND $7::text IS NULL");
    }
    sql
}

/// The OPD a query may read: an `opd` user's own whatever the filter says.
fn opd_of(scope: &Scope, filter: &SummaryFilter) -> Option<i32> {
    scope.opd_id.or(filter.opd_id)
}

/// Pagu rows and realisation rows of the same keys as one group per key, in key order; `with_pagu`
/// false leaves pagu out (month groups: pagu is not per month).
fn merge(
    pagu_rows: Vec<PaguRow>,
    realisasi_rows: Vec<RealisasiRow>,
    with_pagu: bool,
) -> Vec<Group> {
    let mut groups: std::collections::BTreeMap<(String, String), Group> = Default::default();
    if with_pagu {
        for row in pagu_rows {
            let group = groups.entry((row.k1.clone(), row.k2.clone())).or_default();
            group.add(&Group {
                k1: row.k1,
                k2: row.k2,
                pagu: row.pagu,
                pagu_target: row.pagu_target,
                lines: row.lines,
                ..Group::default()
            });
        }
    }
    for row in realisasi_rows {
        let group = groups.entry((row.k1.clone(), row.k2.clone())).or_default();
        group.k1 = row.k1;
        group.k2 = row.k2;
        group.keuangan += row.keuangan;
        group.fisik_bobot += row.fisik_bobot;
    }
    groups.into_values().collect()
}

/// Sums grouped by up to two dimensions (`dims` empty: one group, the total). Groups with pagu or
/// realisation appear; the order is the keys'.
pub fn grouped(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &SummaryFilter,
    dims: &[Dim],
) -> QueryResult<Vec<Group>> {
    let by_desa = filter.kode_desa.is_some() || dims.contains(&Dim::Desa);
    let key = |index: usize, for_pagu: bool| match dims.get(index) {
        // pagu is not per month: the month groups read it as the whole
        Some(Dim::Bulan) if for_pagu => "''".to_owned(),
        Some(dim) => dim.column().to_owned(),
        None => "''".to_owned(),
    };
    let (pagu_table, realisasi_table) = if by_desa {
        ("summary_desa_pagu", "summary_desa_realisasi")
    } else {
        ("summary_pagu", "summary_realisasi")
    };
    let where_sql = conditions(by_desa);
    let tahapan = filter.tahapan.map(|tahapan| tahapan.as_str().to_owned());
    let jenis = filter
        .jenis
        .map(|jenis| jenis.map_or_else(String::new, String::from));
    let opd = opd_of(scope, filter);
    let pagu_rows: Vec<PaguRow> = diesel::sql_query(format!(
        "SELECT {k1} AS k1, {k2} AS k2, sum(pagu) AS pagu, sum(pagu_target) AS pagu_target,
                sum(lines)::bigint AS lines
           FROM {pagu_table} WHERE {where_sql} GROUP BY 1, 2",
        k1 = key(0, true),
        k2 = key(1, true),
    ))
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .bind::<Nullable<Integer>, _>(opd)
    .bind::<Nullable<Integer>, _>(filter.intervensi_id)
    .bind::<Nullable<Text>, _>(&jenis)
    .bind::<Nullable<Text>, _>(&filter.kode_desa)
    .load(conn)?;
    let realisasi_rows: Vec<RealisasiRow> = diesel::sql_query(format!(
        "SELECT {k1} AS k1, {k2} AS k2, sum(keuangan) AS keuangan, sum(fisik_bobot) AS fisik_bobot
           FROM {realisasi_table} WHERE {where_sql} AND bulan <= $8 GROUP BY 1, 2",
        k1 = key(0, false),
        k2 = key(1, false),
    ))
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .bind::<Nullable<Integer>, _>(opd)
    .bind::<Nullable<Integer>, _>(filter.intervensi_id)
    .bind::<Nullable<Text>, _>(&jenis)
    .bind::<Nullable<Text>, _>(&filter.kode_desa)
    .bind::<SmallInt, _>(filter.sampai_bulan)
    .load(conn)?;
    let month_dim = dims.first() == Some(&Dim::Bulan);
    let mut groups = merge(pagu_rows, realisasi_rows, !month_dim);
    if month_dim {
        groups.sort_by_key(|group| group.k1.parse::<i16>().unwrap_or_default());
    }
    Ok(groups)
}

/// The total of everything the filter selects.
pub fn total(conn: &mut PgConnection, scope: &Scope, filter: &SummaryFilter) -> QueryResult<Group> {
    Ok(grouped(conn, scope, filter, &[])?
        .into_iter()
        .next()
        .unwrap_or_default())
}

/// A province's districts side by side (`k1` the kode_kabkota): the year, stage and months of the
/// filter, over every district served whose code is in `kode_provinsi` (the scope, in the query).
pub fn by_district(
    conn: &mut PgConnection,
    kode_provinsi: &str,
    filter: &SummaryFilter,
) -> QueryResult<Vec<Group>> {
    let tahapan = filter.tahapan.map(|tahapan| tahapan.as_str().to_owned());
    let pattern = format!("{kode_provinsi}.%");
    let pagu_rows: Vec<PaguRow> = diesel::sql_query(
        "SELECT kode_kabkota::text AS k1, '' AS k2, sum(pagu) AS pagu, sum(pagu_target) AS pagu_target,
                sum(lines)::bigint AS lines
           FROM summary_pagu WHERE kode_kabkota LIKE $1 AND tahun = $2 AND ($3::text IS NULL OR tahapan = $3)
          GROUP BY 1",
    )
    .bind::<Text, _>(&pattern)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .load(conn)?;
    let realisasi_rows: Vec<RealisasiRow> = diesel::sql_query(
        "SELECT kode_kabkota::text AS k1, '' AS k2, sum(keuangan) AS keuangan, sum(fisik_bobot) AS fisik_bobot
           FROM summary_realisasi WHERE kode_kabkota LIKE $1 AND tahun = $2 AND ($3::text IS NULL OR tahapan = $3)
            AND bulan <= $4
          GROUP BY 1",
    )
    .bind::<Text, _>(&pattern)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .bind::<SmallInt, _>(filter.sampai_bulan)
    .load(conn)?;
    Ok(merge(pagu_rows, realisasi_rows, true))
}

/// The years of the district that have pre-aggregated lines, newest first.
pub fn years_with_lines(conn: &mut PgConnection, scope: &Scope) -> QueryResult<Vec<i16>> {
    #[derive(QueryableByName)]
    struct Year {
        #[diesel(sql_type = SmallInt)]
        tahun: i16,
    }
    let years: Vec<Year> = diesel::sql_query(
        "SELECT DISTINCT tahun FROM summary_pagu WHERE kode_kabkota = $1 AND ($2::int IS NULL OR opd_id = $2)
         ORDER BY tahun DESC",
    )
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<Nullable<Integer>, _>(scope.opd_id)
    .load(conn)?;
    Ok(years.into_iter().map(|year| year.tahun).collect())
}

/// Which lines an attention point names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention {
    /// Realised less than half the linear plan (pagu × month / 12) by the month.
    Behind,
    /// Realisation keuangan above pagu, or fisik above the output target.
    Over,
}

impl Attention {
    pub fn as_str(self) -> &'static str {
        match self {
            Attention::Behind => "terlambat",
            Attention::Over => "lebih",
        }
    }

    pub fn parse(text: &str) -> Option<Attention> {
        [Attention::Behind, Attention::Over]
            .into_iter()
            .find(|attention| attention.as_str() == text)
    }
}

/// The share of the linear plan below which a line is "far behind" (50 %): a line is behind when it
/// realised less than half of pagu × month / 12. (Applied where `summary_line.terlambat_bulan` is
/// computed, migration 2026-12-03-000301; the page states it.)
pub const BEHIND_SHARE_PERCENT: i64 = 50;

/// Ids of the current lines in scope an attention point names, by the month given (at most `limit`),
/// from `summary_line` (one row per current line with its 12 months, kept by triggers).
pub fn attention_line_ids(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &SummaryFilter,
    attention: Attention,
    bulan: i16,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    // each line's row holds, per month, whether the point names it by then (bit month - 1)
    let condition = match attention {
        Attention::Behind => "(s.terlambat_bulan >> ($8 - 1)) & 1 = 1",
        Attention::Over => "(s.lebih_bulan >> ($8 - 1)) & 1 = 1",
    };
    let tahapan = filter.tahapan.map(|tahapan| tahapan.as_str().to_owned());
    let jenis = filter
        .jenis
        .map(|jenis| jenis.map_or_else(String::new, String::from));
    let ids: Vec<Id> = diesel::sql_query(format!(
        "SELECT s.line_id AS id FROM summary_line s
          WHERE s.kode_kabkota = $1 AND s.tahun = $2
            AND ($3::text IS NULL OR s.tahapan = $3) AND ($4::int IS NULL OR s.opd_id = $4)
            AND ($5::int IS NULL OR s.intervensi_id = $5) AND ($6::text IS NULL OR s.jenis = $6)
            AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM budget_line_desa d
                                              WHERE d.line_id = s.line_id AND d.kode_desa = $7))
            AND {condition}
          ORDER BY s.line_id LIMIT $9"
    ))
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .bind::<Nullable<Integer>, _>(opd_of(scope, filter))
    .bind::<Nullable<Integer>, _>(filter.intervensi_id)
    .bind::<Nullable<Text>, _>(&jenis)
    .bind::<Nullable<Text>, _>(&filter.kode_desa)
    .bind::<SmallInt, _>(bulan)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    Ok(ids.into_iter().map(|id| id.id).collect())
}

/// OPDs in scope with pagu in the filter's selection but no realisation entered for `bulan`.
pub fn opds_without_month(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &SummaryFilter,
    bulan: i16,
) -> QueryResult<Vec<i32>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = Integer)]
        opd_id: i32,
    }
    let tahapan = filter.tahapan.map(|tahapan| tahapan.as_str().to_owned());
    let ids: Vec<Id> = diesel::sql_query(
        "SELECT DISTINCT p.opd_id FROM summary_pagu p
          WHERE p.kode_kabkota = $1 AND p.tahun = $2 AND ($3::text IS NULL OR p.tahapan = $3)
            AND ($4::int IS NULL OR p.opd_id = $4)
            AND NOT EXISTS (SELECT 1 FROM summary_realisasi r
                             WHERE r.kode_kabkota = p.kode_kabkota AND r.tahun = p.tahun AND r.opd_id = p.opd_id
                               AND r.bulan = $5 AND ($3::text IS NULL OR r.tahapan = $3))
          ORDER BY p.opd_id",
    )
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .bind::<Nullable<Integer>, _>(opd_of(scope, filter))
    .bind::<SmallInt, _>(bulan)
    .load(conn)?;
    Ok(ids.into_iter().map(|id| id.opd_id).collect())
}

/// One line of the detail sheet: the line, its OPD and intervention, and its 12 months.
#[derive(Debug, Clone, QueryableByName)]
pub struct DetailLine {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub opd_kode: String,
    #[diesel(sql_type = Text)]
    pub opd_nama: String,
    #[diesel(sql_type = Text)]
    pub tahapan: String,
    #[diesel(sql_type = Text)]
    pub sub_kegiatan_kode: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub kode_rekening: Option<String>,
    #[diesel(sql_type = Text)]
    pub uraian: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub sumber_dana: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub intervensi_kode: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub jenis: Option<String>,
    #[diesel(sql_type = Numeric)]
    pub pagu: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub target_output: Option<Decimal>,
    #[diesel(sql_type = Nullable<Text>)]
    pub satuan_output: Option<String>,
    /// keuangan of months 1..=12 (0 where none was entered)
    #[diesel(sql_type = diesel::sql_types::Array<Numeric>)]
    pub keuangan: Vec<Decimal>,
    /// fisik of months 1..=12
    #[diesel(sql_type = diesel::sql_types::Array<Nullable<Numeric>>)]
    pub fisik: Vec<Option<Decimal>>,
}

/// The current lines the filter selects, with their months (from `summary_line`), in OPD and code order; `after` and
/// `limit` page through them (by id within the order), so a large export reads in slices.
pub fn detail_lines(
    conn: &mut PgConnection,
    scope: &Scope,
    filter: &SummaryFilter,
    after: Option<(String, i64)>,
    limit: i64,
) -> QueryResult<Vec<DetailLine>> {
    let tahapan = filter.tahapan.map(|tahapan| tahapan.as_str().to_owned());
    let jenis = filter
        .jenis
        .map(|jenis| jenis.map_or_else(String::new, String::from));
    let (after_kode, after_id) = after.map_or((None, None), |(kode, id)| (Some(kode), Some(id)));
    diesel::sql_query(
        "SELECT b.id, o.kode AS opd_kode, o.nama AS opd_nama, b.tahapan, b.sub_kegiatan_kode, b.kode_rekening,
                b.uraian, b.sumber_dana, i.kode AS intervensi_kode, b.jenis, b.pagu, b.target_output, b.satuan_output,
                s.keuangan, s.fisik
           FROM budget_line b JOIN opd o ON o.id = b.opd_id LEFT JOIN intervensi i ON i.id = b.intervensi_id
           JOIN summary_line s ON s.kode_kabkota = b.kode_kabkota AND s.line_id = b.id
          WHERE b.kode_kabkota = $1 AND b.tahun = $2 AND b.removed_in_batch IS NULL
            AND ($3::text IS NULL OR b.tahapan = $3) AND ($4::int IS NULL OR b.opd_id = $4)
            AND ($5::int IS NULL OR coalesce(b.intervensi_id, 0) = $5) AND ($6::text IS NULL OR coalesce(b.jenis, '') = $6)
            AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM budget_line_desa d WHERE d.line_id = b.id AND d.kode_desa = $7))
            AND ($8::text IS NULL OR (o.kode, b.id) > ($8, $9))
          ORDER BY o.kode, b.id LIMIT $10",
    )
    .bind::<Text, _>(&scope.kode_kabkota)
    .bind::<SmallInt, _>(filter.tahun)
    .bind::<Nullable<Text>, _>(&tahapan)
    .bind::<Nullable<Integer>, _>(opd_of(scope, filter))
    .bind::<Nullable<Integer>, _>(filter.intervensi_id)
    .bind::<Nullable<Text>, _>(&jenis)
    .bind::<Nullable<Text>, _>(&filter.kode_desa)
    .bind::<Nullable<Text>, _>(after_kode)
    .bind::<Nullable<BigInt>, _>(after_id)
    .bind::<BigInt, _>(limit)
    .load(conn)
}
