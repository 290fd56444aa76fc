//! Loads the reference lists shipped in `data/` (all Indonesian area codes) and checks them on the
//! way in: well-formed codes, parents before children, no duplicates, the expected counts.

use std::collections::HashSet;

use diesel::prelude::*;

use crate::db::schema::reference_data;
use crate::db::wilayah::{Wilayah, insert_all};
use crate::domain::KodeWilayah;

const WILAYAH_CSV: &str = include_str!("../../data/wilayah/kode_wilayah.csv");
pub const WILAYAH_VERSION: &str = "Kepmendagri 300.2.2-2138/2025 (cahyadsn/wilayah)";

#[derive(Debug, thiserror::Error)]
pub enum ReferenceDataError {
    #[error("kode_wilayah.csv line {line}: {message}")]
    Invalid { line: usize, message: String },
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Loads every list that is not loaded yet (or was loaded from another version). Idempotent.
pub fn ensure_loaded(conn: &mut PgConnection) -> Result<(), ReferenceDataError> {
    let loaded: Option<String> = reference_data::table
        .find("wilayah")
        .select(reference_data::version)
        .first(conn)
        .optional()?;
    if loaded.as_deref() == Some(WILAYAH_VERSION) {
        return Ok(());
    }
    if loaded.is_some() {
        // A newer code list adds its new codes. Names are kept (an admin may have corrected them) and no
        // code is deleted here: budget lines and lokus designations point at them.
        tracing::warn!("a different wilayah version is loaded; new codes are added, names kept");
    }
    let rows = parse_wilayah(WILAYAH_CSV)?;
    conn.transaction(|conn| {
        let existing: HashSet<String> = crate::db::schema::wilayah::table
            .select(crate::db::schema::wilayah::kode)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let missing: Vec<Wilayah> = rows
            .iter()
            .filter(|row| !existing.contains(&row.kode))
            .cloned()
            .collect();
        insert_all(conn, &missing)?;
        diesel::insert_into(reference_data::table)
            .values((
                reference_data::name.eq("wilayah"),
                reference_data::version.eq(WILAYAH_VERSION),
                reference_data::row_count.eq(rows.len() as i32),
            ))
            .on_conflict(reference_data::name)
            .do_update()
            .set((
                reference_data::version.eq(WILAYAH_VERSION),
                reference_data::row_count.eq(rows.len() as i32),
                reference_data::loaded_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        tracing::info!(rows = rows.len(), "loaded kode wilayah");
        Ok(())
    })
}

/// Parses `kode,nama` lines; every code must be well formed and follow its parent.
pub fn parse_wilayah(csv: &str) -> Result<Vec<Wilayah>, ReferenceDataError> {
    let mut lines = csv.lines().enumerate();
    match lines.next() {
        Some((_, "kode,nama")) => {}
        _ => {
            return Err(ReferenceDataError::Invalid {
                line: 1,
                message: "header must be `kode,nama`".into(),
            });
        }
    }
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(92_000);
    for (index, line) in lines {
        let line_number = index + 1;
        let invalid = |message: String| ReferenceDataError::Invalid {
            line: line_number,
            message,
        };
        let (kode, nama) = line
            .split_once(',')
            .ok_or_else(|| invalid("expected `kode,nama`".into()))?;
        let nama = nama.trim().trim_matches('"').trim();
        let kode =
            KodeWilayah::parse(kode).ok_or_else(|| invalid(format!("malformed code `{kode}`")))?;
        if nama.is_empty() {
            return Err(invalid(format!("{kode} has no name")));
        }
        let induk = kode.induk();
        if let Some(induk) = &induk
            && !seen.contains(induk.as_str())
        {
            return Err(invalid(format!("{kode} comes before its parent {induk}")));
        }
        if !seen.insert(kode.as_str().to_owned()) {
            return Err(invalid(format!("{kode} appears twice")));
        }
        rows.push(Wilayah {
            kode: kode.as_str().to_owned(),
            nama: nama.to_owned(),
            tingkat: kode.tingkat().level(),
            kode_induk: induk.map(|code| code.as_str().to_owned()),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_has_every_level_in_the_published_counts() {
        let rows = parse_wilayah(WILAYAH_CSV).unwrap();
        let count = |level| rows.iter().filter(|row| row.tingkat == level).count();
        assert_eq!(rows.len(), 91_599);
        assert_eq!(
            (count(1), count(2), count(3), count(4)),
            (38, 514, 7_285, 83_762)
        );
        let berau = rows.iter().find(|row| row.kode == "64.03").unwrap();
        assert_eq!(berau.nama, "Kabupaten Berau");
    }

    #[test]
    fn a_child_before_its_parent_is_refused_with_its_line() {
        let error = parse_wilayah("kode,nama\n11,Aceh\n11.01.01,Bakongan\n").unwrap_err();
        assert!(error.to_string().contains("line 3"), "{error}");
        let error = parse_wilayah("kode,nama\n11,Aceh\n11,Aceh\n").unwrap_err();
        assert!(error.to_string().contains("twice"), "{error}");
        let error = parse_wilayah("kode,nama\n1x,Aceh\n").unwrap_err();
        assert!(error.to_string().contains("malformed"), "{error}");
    }
}
