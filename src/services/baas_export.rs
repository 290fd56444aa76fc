//! The BAAS workbook of a year (helper "baas-import"), for `lokus export baas` and the desk's
//! download `/baas/ekspor`: a cover (district, year, when and by whom, masked or UNMASKED said
//! plainly, the totals), a summary per sponsor (children, months pledged and delivered, Rupiah
//! pledged, paid and delivered, the children's latest TB/U category as counts), the detail of every
//! child and assignment, and the year's payments and deliveries, so every total can be checked row
//! by row. Every read goes through `db::baas` with the caller's `Scope`; unmasked personal data only
//! through `services::baas::view_private_for_export` (role `baas`, logged per child).

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::baas::{self as db, Assignment, Child, ChildPrivate, Measurement};
use crate::domain::baas::AssignmentStatus;
use crate::domain::growth::TbuCategory;
use crate::domain::{Role, Scope};
use crate::i18n::phrases::Messages;
use crate::services::activity_log::Actor;
use crate::services::baas::{assess, view_private_for_export};
use crate::services::error::{ServiceError, ServiceResult};
use crate::spreadsheet::baas_workbook::{ExportCover, ExportSheet, export_workbook};
use crate::table::{Cell, Table};

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub tahun: i16,
    /// Whole NIKs, No. KK, parents' names and addresses (the desk only; logged).
    pub unmasked: bool,
    pub generated_by: String,
    pub generated_at: String,
}

/// What the workbook adds up, for the tests and whoever wants the figures without the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub sponsors: usize,
    pub children: usize,
    pub children_assigned: usize,
    pub months_pledged: i64,
    pub months_delivered: usize,
    pub pledged: Decimal,
    pub paid: Decimal,
    pub delivered: Decimal,
}

/// The first day of the month after the last month of an assignment.
fn assignment_end(assignment: &Assignment) -> NaiveDate {
    assignment
        .mulai
        .checked_add_months(Months::new(
            u32::try_from(assignment.bulan_rencana).unwrap_or(0),
        ))
        .unwrap_or(assignment.mulai)
}

/// An assignment counts in a year when one of its months falls in it.
fn runs_in(assignment: &Assignment, tahun: i16) -> bool {
    let (first, after) = year_bounds(tahun);
    assignment.mulai < after && assignment_end(assignment) > first
}

fn year_bounds(tahun: i16) -> (NaiveDate, NaiveDate) {
    let year = i32::from(tahun);
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default(),
    )
}

fn category_index(category: Option<TbuCategory>) -> usize {
    match category {
        Some(TbuCategory::SangatPendek) => 0,
        Some(TbuCategory::Pendek) => 1,
        Some(TbuCategory::Normal) => 2,
        Some(TbuCategory::Tinggi) => 3,
        None => 4,
    }
}

fn category_word(t: &Messages, category: Option<TbuCategory>) -> &'static str {
    [
        t.baas_kat_sangat_pendek,
        t.baas_kat_pendek,
        t.baas_kat_normal,
        t.baas_kat_tinggi,
        t.baas_kat_belum,
    ][category_index(category)]
}

/// Writes the workbook. `role` is the reader's: an unmasked export needs `baas`.
pub fn workbook(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    request: &ExportRequest,
    t: &Messages,
) -> ServiceResult<Vec<u8>> {
    let (bytes, _) = workbook_with_totals(conn, actor, scope, role, request, t)?;
    Ok(bytes)
}

/// [`workbook`] and the totals it shows.
pub fn workbook_with_totals(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    request: &ExportRequest,
    t: &Messages,
) -> ServiceResult<(Vec<u8>, Totals)> {
    if scope.sponsor_user_id.is_some() || scope.opd_id.is_some() || role != Role::Baas {
        return Err(ServiceError::NotFound);
    }
    let tahun = request.tahun;
    let (first, after) = year_bounds(tahun);
    let district_name = crate::db::wilayah::find_by_kode(conn, &scope.kode_kabkota)?
        .map_or_else(|| scope.kode_kabkota.clone(), |row| row.nama);
    let sponsors = db::list_sponsors_for_scope(conn, scope)?;
    let children = db::list_children_for_scope(conn, scope)?;
    let assignments: Vec<Assignment> = db::list_assignments_for_scope(conn, scope)?
        .into_iter()
        .filter(|a| runs_in(a, tahun))
        .collect();
    let deliveries: Vec<_> = db::list_deliveries_for_scope(conn, scope)?
        .into_iter()
        .filter(|d| d.tanggal >= first && d.tanggal < after)
        .collect();
    let payments: Vec<_> = db::list_payments_for_scope(conn, scope)?
        .into_iter()
        .filter(|p| p.tanggal >= first && p.tanggal < after)
        .collect();
    let measurements: Vec<Measurement> = db::list_measurements_for_scope(conn, scope)?
        .into_iter()
        .filter(|m| m.tanggal < after)
        .collect();
    let private: HashMap<i32, ChildPrivate> = if request.unmasked {
        let ids: Vec<i32> = children.iter().map(|c| c.id).collect();
        view_private_for_export(conn, actor, scope, role, &ids, tahun)?
    } else {
        HashMap::new()
    };

    let child_by_id: HashMap<i32, &Child> = children.iter().map(|c| (c.id, c)).collect();
    let sponsor_names: HashMap<i32, &str> =
        sponsors.iter().map(|s| (s.id, s.nama.as_str())).collect();
    // the latest measurement up to the end of the year: measurements come by child, then date
    let mut latest: HashMap<i32, &Measurement> = HashMap::new();
    for measurement in &measurements {
        latest.insert(measurement.child_id, measurement);
    }
    let assessment_of = |child: &Child| {
        latest
            .get(&child.id)
            .and_then(|m| assess(child, m).map(|a| (*m, a)))
    };
    let delivered_by_assignment: HashMap<i32, (Decimal, BTreeSet<(i32, u32)>)> = {
        let mut map: HashMap<i32, (Decimal, BTreeSet<(i32, u32)>)> = HashMap::new();
        for delivery in &deliveries {
            let entry = map.entry(delivery.assignment_id).or_default();
            entry.0 += delivery.nilai;
            entry
                .1
                .insert((delivery.tanggal.year(), delivery.tanggal.month()));
        }
        map
    };

    // --- the summary per sponsor
    let mut summary = Table::new(&[
        t.baas_sponsor,
        t.baas_jenis_sponsor,
        t.baas_kontak,
        t.baas_janji_sponsor,
        t.baas_ekspor_children,
        t.baas_bulan_janji,
        t.baas_bulan_tersalur,
        t.asuh_janji,
        t.asuh_dibayar,
        t.asuh_tersalur,
        t.baas_kat_sangat_pendek,
        t.baas_kat_pendek,
        t.baas_kat_normal,
        t.baas_kat_tinggi,
        t.baas_kat_belum,
    ]);
    let mut totals = Totals {
        sponsors: sponsors.len(),
        children: children.len(),
        ..Totals::default()
    };
    let mut pledge_total = Decimal::ZERO;
    let mut category_totals = [0i64; 5];
    for sponsor in &sponsors {
        let own: Vec<&Assignment> = assignments
            .iter()
            .filter(|a| a.sponsor_id == sponsor.id)
            .collect();
        let own_children: BTreeSet<i32> = own.iter().map(|a| a.child_id).collect();
        let months_pledged: i64 = own.iter().map(|a| i64::from(a.bulan_rencana)).sum();
        let months_delivered: usize = own
            .iter()
            .filter_map(|a| delivered_by_assignment.get(&a.id))
            .map(|(_, months)| months.len())
            .sum();
        let pledged: Decimal = own
            .iter()
            .map(|a| a.rupiah_per_bulan * Decimal::from(a.bulan_rencana))
            .sum();
        let delivered: Decimal = own
            .iter()
            .filter_map(|a| delivered_by_assignment.get(&a.id))
            .map(|(nilai, _)| *nilai)
            .sum();
        let paid: Decimal = payments
            .iter()
            .filter(|p| p.sponsor_id == sponsor.id)
            .map(|p| p.jumlah)
            .sum();
        let mut categories = [0i64; 5];
        for child_id in &own_children {
            if let Some(child) = child_by_id.get(child_id) {
                let category = assessment_of(child).and_then(|(_, a)| a.tbu_category());
                categories[category_index(category)] += 1;
            }
        }
        for (total, count) in category_totals.iter_mut().zip(categories) {
            *total += count;
        }
        totals.months_pledged += months_pledged;
        totals.months_delivered += months_delivered;
        totals.pledged += pledged;
        totals.paid += paid;
        totals.delivered += delivered;
        pledge_total += sponsor.janji_total();
        let mut cells = vec![
            Cell::text(&sponsor.nama),
            Cell::text(sponsor.jenis.as_str()),
            Cell::text(&sponsor.kontak),
            Cell::Money(sponsor.janji_total()),
            Cell::Int(own_children.len() as i64),
            Cell::Int(months_pledged),
            Cell::Int(months_delivered as i64),
            Cell::Money(pledged),
            Cell::Money(paid),
            Cell::Money(delivered),
        ];
        cells.extend(categories.iter().map(|n| Cell::Int(*n)));
        summary.push(cells, None);
    }
    totals.children_assigned = assignments
        .iter()
        .map(|a| a.child_id)
        .collect::<BTreeSet<_>>()
        .len();
    let mut total_row = vec![
        Cell::text(t.baas_ekspor_total),
        Cell::Empty,
        Cell::Empty,
        Cell::Money(pledge_total),
        Cell::Int(totals.children_assigned as i64),
        Cell::Int(totals.months_pledged),
        Cell::Int(totals.months_delivered as i64),
        Cell::Money(totals.pledged),
        Cell::Money(totals.paid),
        Cell::Money(totals.delivered),
    ];
    total_row.extend(category_totals.iter().map(|n| Cell::Int(*n)));
    summary.push(total_row, None);

    // --- every child with each of its assignments of the year (a child without one: one row)
    let mut columns = vec![
        t.baas_sponsor,
        t.impor_baas_child_id,
        t.nama,
        if request.unmasked {
            t.baas_nik_full
        } else {
            t.baas_nik
        },
        t.baas_jk,
        t.baas_tgl_lahir,
        t.baas_kode_desa,
        t.desa,
        t.baas_posyandu,
    ];
    if request.unmasked {
        columns.extend([
            t.baas_no_kk,
            t.baas_nama_ayah,
            t.baas_nama_ibu,
            t.baas_alamat,
        ]);
    }
    columns.extend([
        t.baas_mulai,
        t.baas_bulan_rencana,
        t.baas_paket,
        t.baas_rupiah_per_bulan,
        t.baas_status_penugasan,
        t.baas_bulan_tersalur,
        t.asuh_janji,
        t.asuh_tersalur,
        t.asuh_tanggal,
        t.asuh_tb,
        t.asuh_bb,
        t.baas_zs_tbu,
        t.baas_status_tbu,
    ]);
    let mut detail = Table::new(&columns);
    let desa_names: HashMap<String, String> =
        crate::db::wilayah::list_desa_in_kabkota(conn, &scope.kode_kabkota)?
            .into_iter()
            .map(|row| (row.kode, row.nama))
            .collect();
    for child in &children {
        let own: Vec<&Assignment> = assignments
            .iter()
            .filter(|a| a.child_id == child.id)
            .collect();
        let rows: Vec<Option<&Assignment>> = if own.is_empty() {
            vec![None]
        } else {
            own.into_iter().map(Some).collect()
        };
        let measured = assessment_of(child);
        for assignment in rows {
            let sponsor = assignment
                .and_then(|a| sponsor_names.get(&a.sponsor_id).copied())
                .unwrap_or(t.baas_ekspor_unassigned);
            let private = private.get(&child.id);
            let mut cells = vec![
                Cell::text(sponsor),
                Cell::Int(i64::from(child.id)),
                Cell::text(&child.nama),
                Cell::text(
                    private
                        .map(|p| p.nik.clone())
                        .unwrap_or_else(|| child.nik_masked.clone()),
                ),
                Cell::text(&child.jk),
                Cell::text(child.tgl_lahir.to_string()),
                Cell::text(&child.kode_desa),
                Cell::text(
                    desa_names
                        .get(&child.kode_desa)
                        .cloned()
                        .unwrap_or_default(),
                ),
                Cell::text(&child.posyandu),
            ];
            if request.unmasked {
                cells.extend([
                    Cell::opt_text(private.and_then(|p| p.no_kk.clone())),
                    Cell::text(private.map(|p| p.nama_ayah.clone()).unwrap_or_default()),
                    Cell::text(private.map(|p| p.nama_ibu.clone()).unwrap_or_default()),
                    Cell::text(private.map(|p| p.alamat.clone()).unwrap_or_default()),
                ]);
            }
            match assignment {
                Some(a) => {
                    let (nilai, months) = delivered_by_assignment
                        .get(&a.id)
                        .map(|(nilai, months)| (*nilai, months.len()))
                        .unwrap_or_default();
                    cells.extend([
                        Cell::text(a.mulai.to_string()),
                        Cell::Int(i64::from(a.bulan_rencana)),
                        Cell::text(a.paket.as_str()),
                        Cell::Money(a.rupiah_per_bulan),
                        Cell::text(match a.status {
                            AssignmentStatus::Berhenti => format!(
                                "{} ({})",
                                a.status.as_str(),
                                a.alasan_berhenti.clone().unwrap_or_default()
                            ),
                            status => status.as_str().to_owned(),
                        }),
                        Cell::Int(months as i64),
                        Cell::Money(a.rupiah_per_bulan * Decimal::from(a.bulan_rencana)),
                        Cell::Money(nilai),
                    ]);
                }
                None => cells.extend((0..8).map(|_| Cell::Empty)),
            }
            match &measured {
                Some((m, a)) => cells.extend([
                    Cell::text(m.tanggal.to_string()),
                    m.tb.map_or(Cell::Empty, Cell::Number),
                    m.bb.map_or(Cell::Empty, Cell::Number),
                    a.length_for_age.map_or(Cell::Empty, |z| {
                        Cell::Number(
                            Decimal::from_f64_retain(z.value())
                                .unwrap_or_default()
                                .round_dp(2),
                        )
                    }),
                    Cell::text(category_word(t, a.tbu_category())),
                ]),
                None => cells.extend([
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::text(t.baas_kat_belum),
                ]),
            }
            detail.push(cells, None);
        }
    }

    // --- the year's payments and deliveries
    let mut payment_table = Table::new(&[t.baas_sponsor, t.asuh_tanggal, t.jumlah, t.baas_catatan]);
    for payment in &payments {
        payment_table.push(
            vec![
                Cell::text(
                    sponsor_names
                        .get(&payment.sponsor_id)
                        .copied()
                        .unwrap_or_default(),
                ),
                Cell::text(payment.tanggal.to_string()),
                Cell::Money(payment.jumlah),
                Cell::text(&payment.catatan),
            ],
            None,
        );
    }
    payment_table.push(
        vec![
            Cell::text(t.baas_ekspor_total),
            Cell::Empty,
            Cell::Money(totals.paid),
            Cell::Empty,
        ],
        None,
    );
    let assignment_by_id: HashMap<i32, &Assignment> =
        assignments.iter().map(|a| (a.id, a)).collect();
    let mut delivery_table = Table::new(&[
        t.baas_sponsor,
        t.impor_baas_child_id,
        t.nama,
        t.asuh_tanggal,
        t.baas_barang,
        t.baas_nilai,
        t.baas_oleh,
    ]);
    let mut delivered_listed = Decimal::ZERO;
    for delivery in &deliveries {
        // a delivery of the year on an assignment that did not run in it is not counted anywhere
        let Some(assignment) = assignment_by_id.get(&delivery.assignment_id) else {
            continue;
        };
        delivered_listed += delivery.nilai;
        delivery_table.push(
            vec![
                Cell::text(
                    sponsor_names
                        .get(&assignment.sponsor_id)
                        .copied()
                        .unwrap_or_default(),
                ),
                Cell::Int(i64::from(assignment.child_id)),
                Cell::text(
                    child_by_id
                        .get(&assignment.child_id)
                        .map(|c| c.nama.clone())
                        .unwrap_or_default(),
                ),
                Cell::text(delivery.tanggal.to_string()),
                Cell::text(&delivery.barang),
                Cell::Money(delivery.nilai),
                Cell::text(&delivery.oleh),
            ],
            None,
        );
    }
    delivery_table.push(
        vec![
            Cell::text(t.baas_ekspor_total),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Money(delivered_listed),
            Cell::Empty,
        ],
        None,
    );

    let cover = ExportCover {
        title: t.baas_ekspor_title.replace("{tahun}", &tahun.to_string()),
        privacy: if request.unmasked {
            t.baas_ekspor_unmasked
        } else {
            t.baas_ekspor_masked
        }
        .to_owned(),
        unmasked: request.unmasked,
        facts: vec![
            (
                t.baas_ekspor_heading.replace("{tahun}", &tahun.to_string()),
                String::new(),
            ),
            (t.baas_ekspor_district.to_owned(), district_name),
            (t.baas_ekspor_year.to_owned(), tahun.to_string()),
            (
                t.baas_ekspor_generated_at.to_owned(),
                request.generated_at.clone(),
            ),
            (
                t.baas_ekspor_generated_by.to_owned(),
                request.generated_by.clone(),
            ),
            (
                t.baas_ekspor_basis.to_owned(),
                t.baas_ekspor_basis_text.to_owned(),
            ),
        ],
        totals: vec![
            (
                t.baas_ekspor_sponsors.to_owned(),
                Cell::Int(totals.sponsors as i64),
            ),
            (
                t.baas_ekspor_children.to_owned(),
                Cell::Int(totals.children as i64),
            ),
            (
                t.baas_ekspor_children_assigned.to_owned(),
                Cell::Int(totals.children_assigned as i64),
            ),
            (t.baas_janji_sponsor.to_owned(), Cell::Money(pledge_total)),
            (t.asuh_janji.to_owned(), Cell::Money(totals.pledged)),
            (t.asuh_dibayar.to_owned(), Cell::Money(totals.paid)),
            (t.asuh_tersalur.to_owned(), Cell::Money(totals.delivered)),
        ],
    };
    let sheets = [
        ExportSheet {
            name: t.baas_ekspor_summary,
            table: &summary,
            total_last: true,
        },
        ExportSheet {
            name: t.baas_ekspor_detail,
            table: &detail,
            total_last: false,
        },
        ExportSheet {
            name: t.baas_ekspor_payments,
            table: &payment_table,
            total_last: true,
        },
        ExportSheet {
            name: t.baas_ekspor_deliveries,
            table: &delivery_table,
            total_last: true,
        },
    ];
    let bytes = export_workbook(&cover, &sheets).map_err(ServiceError::internal)?;
    Ok((bytes, totals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::baas::Paket;

    fn assignment(mulai: (i32, u32), bulan: i16) -> Assignment {
        Assignment {
            id: 1,
            kode_kabkota: "64.03".into(),
            sponsor_id: 1,
            child_id: 1,
            mulai: NaiveDate::from_ymd_opt(mulai.0, mulai.1, 1).unwrap(),
            bulan_rencana: bulan,
            paket: Paket::Pmt,
            rupiah_per_bulan: Decimal::from(450_000),
            status: AssignmentStatus::Aktif,
            alasan_berhenti: None,
        }
    }

    #[test]
    fn an_assignment_counts_in_every_year_one_of_its_months_falls_in() {
        assert!(runs_in(&assignment((2024, 1), 6), 2024));
        assert!(!runs_in(&assignment((2024, 1), 6), 2025));
        assert!(runs_in(&assignment((2023, 10), 6), 2024));
        assert!(!runs_in(&assignment((2023, 7), 6), 2024));
        assert!(runs_in(&assignment((2024, 12), 1), 2024));
        assert!(!runs_in(&assignment((2025, 1), 3), 2024));
    }
}
