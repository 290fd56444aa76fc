//! Queries on the catalogues: interventions, sumber dana, sasaran. Rows without a district are the
//! national seed; a district sees those plus its own additions.

use diesel::prelude::*;

use super::schema::{intervensi, intervensi_nonaktif, sasaran, sumber_dana};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = intervensi)]
pub struct Intervensi {
    pub id: i32,
    pub kode_kabkota: Option<String>,
    pub kode: String,
    pub nama: String,
    pub jenis: String,
    pub sasaran: String,
    pub indikator: String,
    pub target_nasional: Option<String>,
    pub aktif: bool,
}

#[derive(Debug, Clone, Insertable, serde::Serialize)]
#[diesel(table_name = intervensi)]
pub struct NewIntervensi {
    pub kode_kabkota: Option<String>,
    pub kode: String,
    pub nama: String,
    pub jenis: String,
    pub sasaran: String,
    pub indikator: String,
    pub target_nasional: Option<String>,
}

#[derive(Debug, Clone, AsChangeset, serde::Serialize)]
#[diesel(table_name = intervensi, treat_none_as_null = true)]
pub struct IntervensiChanges {
    pub nama: String,
    pub jenis: String,
    pub sasaran: String,
    pub indikator: String,
    pub target_nasional: Option<String>,
    pub aktif: bool,
}

/// A row of a simple code + name catalogue (sumber dana, sasaran).
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct CatalogueEntry {
    pub id: i32,
    pub kode_kabkota: Option<String>,
    pub kode: String,
    pub nama: String,
}

pub fn list_intervensi(
    conn: &mut PgConnection,
    kode_kabkota: &str,
) -> QueryResult<Vec<Intervensi>> {
    intervensi::table
        .filter(
            intervensi::kode_kabkota
                .is_null()
                .or(intervensi::kode_kabkota.eq(kode_kabkota)),
        )
        // SP1..SP9 then SE1..SE11 in numeric order, then a district's own codes
        .order((
            intervensi::kode_kabkota.is_not_null(),
            intervensi::jenis.desc(),
            diesel::dsl::sql::<diesel::sql_types::Integer>(
                "coalesce(nullif(regexp_replace(intervensi.kode, '\\D', '', 'g'), '')::int, 0)",
            ),
            intervensi::kode,
        ))
        .load::<Intervensi>(conn)
        .and_then(|rows| {
            // a national intervention the district switched off reads as inactive there
            let off: Vec<i32> = intervensi_nonaktif::table
                .filter(intervensi_nonaktif::kode_kabkota.eq(kode_kabkota))
                .select(intervensi_nonaktif::intervensi_id)
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|row| Intervensi {
                    aktif: row.aktif && !off.contains(&row.id),
                    ..row
                })
                .collect())
        })
}

/// Switches a national intervention off (or on again) for one district.
pub fn set_national_active(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    id: i32,
    aktif: bool,
) -> QueryResult<()> {
    if aktif {
        diesel::delete(
            intervensi_nonaktif::table
                .filter(intervensi_nonaktif::kode_kabkota.eq(kode_kabkota))
                .filter(intervensi_nonaktif::intervensi_id.eq(id)),
        )
        .execute(conn)
        .map(drop)
    } else {
        diesel::insert_into(intervensi_nonaktif::table)
            .values((
                intervensi_nonaktif::kode_kabkota.eq(kode_kabkota),
                intervensi_nonaktif::intervensi_id.eq(id),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .map(drop)
    }
}

/// Finds an intervention the district can see; `None` if it is another district's.
pub fn find_intervensi_for_district(
    conn: &mut PgConnection,
    id: i32,
    kode_kabkota: &str,
) -> QueryResult<Option<Intervensi>> {
    intervensi::table
        .filter(intervensi::id.eq(id))
        .filter(
            intervensi::kode_kabkota
                .is_null()
                .or(intervensi::kode_kabkota.eq(kode_kabkota)),
        )
        .first(conn)
        .optional()
}

pub fn intervensi_code_taken(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    kode: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        intervensi::table.filter(intervensi::kode.eq(kode)).filter(
            intervensi::kode_kabkota
                .is_null()
                .or(intervensi::kode_kabkota.eq(kode_kabkota)),
        ),
    ))
    .get_result(conn)
}

pub fn insert_intervensi(conn: &mut PgConnection, new: &NewIntervensi) -> QueryResult<Intervensi> {
    diesel::insert_into(intervensi::table)
        .values(new)
        .get_result(conn)
}

pub fn update_intervensi(
    conn: &mut PgConnection,
    id: i32,
    changes: &IntervensiChanges,
) -> QueryResult<Intervensi> {
    diesel::update(intervensi::table.find(id))
        .set(changes)
        .get_result(conn)
}

/// The two code + name catalogues share one shape; this names which table a call means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimpleCatalogue {
    SumberDana,
    Sasaran,
}

pub fn list_simple(
    conn: &mut PgConnection,
    catalogue: SimpleCatalogue,
    kode_kabkota: &str,
) -> QueryResult<Vec<CatalogueEntry>> {
    match catalogue {
        SimpleCatalogue::SumberDana => sumber_dana::table
            .filter(
                sumber_dana::kode_kabkota
                    .is_null()
                    .or(sumber_dana::kode_kabkota.eq(kode_kabkota)),
            )
            .order((sumber_dana::kode_kabkota.is_not_null(), sumber_dana::id))
            .select((
                sumber_dana::id,
                sumber_dana::kode_kabkota,
                sumber_dana::kode,
                sumber_dana::nama,
            ))
            .load(conn),
        SimpleCatalogue::Sasaran => sasaran::table
            .filter(
                sasaran::kode_kabkota
                    .is_null()
                    .or(sasaran::kode_kabkota.eq(kode_kabkota)),
            )
            .order((sasaran::kode_kabkota.is_not_null(), sasaran::id))
            .select((
                sasaran::id,
                sasaran::kode_kabkota,
                sasaran::kode,
                sasaran::nama,
            ))
            .load(conn),
    }
}

pub fn insert_simple(
    conn: &mut PgConnection,
    catalogue: SimpleCatalogue,
    kode_kabkota: &str,
    kode: &str,
    nama: &str,
) -> QueryResult<CatalogueEntry> {
    match catalogue {
        SimpleCatalogue::SumberDana => diesel::insert_into(sumber_dana::table)
            .values((
                sumber_dana::kode_kabkota.eq(kode_kabkota),
                sumber_dana::kode.eq(kode),
                sumber_dana::nama.eq(nama),
            ))
            .returning((
                sumber_dana::id,
                sumber_dana::kode_kabkota,
                sumber_dana::kode,
                sumber_dana::nama,
            ))
            .get_result(conn),
        SimpleCatalogue::Sasaran => diesel::insert_into(sasaran::table)
            .values((
                sasaran::kode_kabkota.eq(kode_kabkota),
                sasaran::kode.eq(kode),
                sasaran::nama.eq(nama),
            ))
            .returning((
                sasaran::id,
                sasaran::kode_kabkota,
                sasaran::kode,
                sasaran::nama,
            ))
            .get_result(conn),
    }
}

/// Renames a district's own entry of a simple catalogue; the national seed is not touched.
pub fn rename_simple(
    conn: &mut PgConnection,
    catalogue: SimpleCatalogue,
    kode_kabkota: &str,
    id: i32,
    nama: &str,
) -> QueryResult<Option<CatalogueEntry>> {
    match catalogue {
        SimpleCatalogue::SumberDana => diesel::update(
            sumber_dana::table
                .filter(sumber_dana::id.eq(id))
                .filter(sumber_dana::kode_kabkota.eq(kode_kabkota)),
        )
        .set(sumber_dana::nama.eq(nama))
        .returning((
            sumber_dana::id,
            sumber_dana::kode_kabkota,
            sumber_dana::kode,
            sumber_dana::nama,
        ))
        .get_result(conn)
        .optional(),
        SimpleCatalogue::Sasaran => diesel::update(
            sasaran::table
                .filter(sasaran::id.eq(id))
                .filter(sasaran::kode_kabkota.eq(kode_kabkota)),
        )
        .set(sasaran::nama.eq(nama))
        .returning((
            sasaran::id,
            sasaran::kode_kabkota,
            sasaran::kode,
            sasaran::nama,
        ))
        .get_result(conn)
        .optional(),
    }
}
