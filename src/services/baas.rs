//! Every change to BAAS records (sponsors, children, assignments, aid deliveries, payments,
//! measurements), each checked and written with its activity log entry in one transaction, and the
//! one way to read a child's personal data (`view_private`), which is logged too. The log holds the
//! masked NIK only. Only the BAAS desk's scope may change anything: a sponsor's scope gets the same
//! "not found" as a record that does not exist.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::db::baas::{
    self, Assignment, Child, ChildPrivate, Delivery, Measurement, NewAssignment, NewChild,
    NewDelivery, NewMeasurement, NewPayment, NewSponsor, Payment, Sponsor,
};
use crate::domain::baas::{MeasuredBy, Nik, NikError, Paket, SponsorJenis};
use crate::domain::growth::{self, Position, Sex};
use crate::domain::{Role, Scope};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self as audit, Actor};
use crate::services::error::{ServiceError, ServiceResult};

fn invalid(message: Message) -> ServiceError {
    ServiceError::Invalid(message)
}

/// Changes are the desk's: a sponsor's or an OPD's scope finds nothing to change.
fn desk_only(scope: &Scope) -> ServiceResult<()> {
    if scope.sponsor_user_id.is_some() || scope.opd_id.is_some() {
        return Err(ServiceError::NotFound);
    }
    Ok(())
}

fn required(text: &str, field: &str) -> ServiceResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(Message::new(MessageKey::FieldRequired).arg(field)));
    }
    Ok(text.to_owned())
}

fn not_after_today(date: NaiveDate, today: NaiveDate, field: &str) -> ServiceResult<()> {
    if date > today {
        return Err(invalid(
            Message::new(MessageKey::BaasDateInFuture).arg(field),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct SponsorInput {
    pub nama: String,
    pub jenis: SponsorJenis,
    pub kontak: String,
    pub janji_anak: i32,
    pub janji_bulan: i16,
    pub janji_rupiah_per_bulan: Decimal,
    /// The e-mail of an existing `sponsor` account of the district to bind to this sponsor.
    pub login_email: Option<String>,
}

#[derive(Serialize)]
struct SponsorSummary<'a> {
    nama: &'a str,
    jenis: SponsorJenis,
    janji_anak: i32,
    janji_bulan: i16,
    janji_rupiah_per_bulan: Decimal,
    user_id: Option<i32>,
}

/// The field of a sponsor's record a problem is about: the sponsors import places each at its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SponsorField {
    Nama,
    JanjiAnak,
    JanjiBulan,
    JanjiRupiah,
    Login,
}

/// The problems of a sponsor's input, each with its field.
pub type SponsorProblems = Vec<(SponsorField, ServiceError)>;

/// Every check `create_sponsor` makes, each problem with its field: the name, the pledge (children
/// above 0, 1 to 120 months, Rupiah not negative) and the login, which must be a `sponsor`
/// account of the district not bound to another sponsor. `Ok(Ok(user_id))` when all pass.
pub fn check_sponsor(
    conn: &mut PgConnection,
    scope: &Scope,
    input: &SponsorInput,
) -> ServiceResult<Result<Option<i32>, SponsorProblems>> {
    desk_only(scope)?;
    let mut problems = Vec::new();
    if let Err(error) = required(&input.nama, "Nama") {
        problems.push((SponsorField::Nama, error));
    }
    for (wrong, field) in [
        (input.janji_anak <= 0, SponsorField::JanjiAnak),
        (
            !(1..=120).contains(&input.janji_bulan),
            SponsorField::JanjiBulan,
        ),
        (
            input.janji_rupiah_per_bulan < Decimal::ZERO,
            SponsorField::JanjiRupiah,
        ),
    ] {
        if wrong {
            problems.push((field, ServiceError::invalid(MessageKey::BaasPledgeInvalid)));
        }
    }
    let user_id = match input.login_email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(email) => {
            let user = crate::db::users::find_by_email(conn, email)?.filter(|user| {
                user.kode_kabkota == scope.kode_kabkota && user.role == Role::Sponsor.as_str()
            });
            match user {
                None => {
                    problems.push((
                        SponsorField::Login,
                        invalid(Message::new(MessageKey::BaasLoginNotSponsor).arg(email)),
                    ));
                    None
                }
                Some(user) if baas::find_sponsor_by_user(conn, user.id)?.is_some() => {
                    problems.push((
                        SponsorField::Login,
                        ServiceError::Conflict(Message::new(MessageKey::BaasLoginTaken).arg(email)),
                    ));
                    None
                }
                Some(user) => Some(user.id),
            }
        }
    };
    Ok(if problems.is_empty() {
        Ok(user_id)
    } else {
        Err(problems)
    })
}

pub fn create_sponsor(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: SponsorInput,
) -> ServiceResult<Sponsor> {
    desk_only(scope)?;
    let nama = required(&input.nama, "Nama")?;
    conn.transaction(|conn| {
        let user_id = match check_sponsor(conn, scope, &input)? {
            Ok(user_id) => user_id,
            Err(problems) => {
                return Err(problems
                    .into_iter()
                    .next()
                    .map_or(ServiceError::NotFound, |(_, error)| error));
            }
        };
        let sponsor = baas::insert_sponsor(
            conn,
            &NewSponsor {
                kode_kabkota: scope.kode_kabkota.clone(),
                nama,
                jenis: input.jenis,
                kontak: input.kontak.trim().to_owned(),
                janji_anak: input.janji_anak,
                janji_bulan: input.janji_bulan,
                janji_rupiah_per_bulan: input.janji_rupiah_per_bulan,
                user_id,
            },
        )?;
        let summary = SponsorSummary {
            nama: &sponsor.nama,
            jenis: sponsor.jenis,
            janji_anak: sponsor.janji_anak,
            janji_bulan: sponsor.janji_bulan,
            janji_rupiah_per_bulan: sponsor.janji_rupiah_per_bulan,
            user_id: sponsor.user_id,
        };
        audit::record(
            conn,
            actor,
            "buat",
            "baas_sponsor",
            sponsor.id,
            None::<&()>,
            Some(&summary),
        )?;
        Ok(sponsor)
    })
}

#[derive(Debug, Clone)]
pub struct ChildInput {
    pub nama: String,
    pub jk: Sex,
    pub tgl_lahir: NaiveDate,
    pub kode_desa: String,
    pub nik: String,
    pub no_kk: String,
    pub nama_ayah: String,
    pub nama_ibu: String,
    pub alamat: String,
    pub status_krs: String,
    pub posyandu: String,
    pub persetujuan_oleh: String,
    pub persetujuan_tanggal: NaiveDate,
}

/// A NIK (or, with `field` "No. KK", a family card number) whose shape is right and whose first six
/// digits are a kecamatan in `wilayah`.
pub fn validate_nik(conn: &mut PgConnection, text: &str, field: &str) -> ServiceResult<Nik> {
    let nik = Nik::parse(text).map_err(|error| match error {
        NikError::Shape => invalid(Message::new(MessageKey::BaasNikShape).arg(field)),
        NikError::ZeroRegion => {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            invalid(
                Message::new(MessageKey::BaasNikRegion)
                    .arg(crate::domain::baas::mask(&digits))
                    .arg(digits.get(..6).unwrap_or_default()),
            )
        }
    })?;
    if !baas::kecamatan_exists(conn, &nik.kecamatan_code())? {
        return Err(invalid(
            Message::new(MessageKey::BaasNikRegion)
                .arg(nik.masked())
                .arg(&nik.unmasked()[..6]),
        ));
    }
    Ok(nik)
}

#[derive(Serialize)]
struct ChildSummary<'a> {
    nama: &'a str,
    jk: &'a str,
    tgl_lahir: NaiveDate,
    kode_desa: &'a str,
    nik: &'a str,
    persetujuan_oleh: &'a str,
    persetujuan_tanggal: NaiveDate,
}

/// The field of a child's record a problem is about: the import places each at its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildField {
    Nama,
    TglLahir,
    Desa,
    Nik,
    NoKk,
    Persetujuan,
}

/// One reason a child cannot be registered.
#[derive(Debug)]
pub struct ChildProblem {
    pub field: ChildField,
    /// `Invalid` for a wrong value, `Conflict` for a child already registered.
    pub error: ServiceError,
}

/// A child's input that passed every check, with its numbers parsed.
pub struct CheckedChild {
    nama: String,
    persetujuan_oleh: String,
    nik: Nik,
    no_kk: Option<Nik>,
    kode_desa: String,
}

/// Every check `register_child` makes, each problem with its field, in the order the form shows
/// them: required fields, dates, NIK and No. KK, desa, then a child already registered with the
/// same NIK, or the same name, birth date and desa (never merged or doubled). The children import
/// runs it on every row, so a row is refused for exactly what the form refuses.
pub fn check_child(
    conn: &mut PgConnection,
    scope: &Scope,
    input: &ChildInput,
    today: NaiveDate,
) -> ServiceResult<Result<CheckedChild, Vec<ChildProblem>>> {
    desk_only(scope)?;
    let mut problems = Vec::new();
    let mut problem = |field: ChildField, result: ServiceResult<()>| match result {
        Ok(()) => true,
        Err(error) => {
            problems.push(ChildProblem { field, error });
            false
        }
    };
    let nama = required(&input.nama, "Nama");
    problem(
        ChildField::Nama,
        nama.as_ref().map(|_| ()).map_err(clone_error),
    );
    let persetujuan_oleh = required(&input.persetujuan_oleh, "Persetujuan oleh");
    problem(
        ChildField::Persetujuan,
        persetujuan_oleh.as_ref().map(|_| ()).map_err(clone_error),
    );
    let born_ok = problem(
        ChildField::TglLahir,
        not_after_today(input.tgl_lahir, today, "Tanggal lahir"),
    );
    problem(
        ChildField::Persetujuan,
        not_after_today(input.persetujuan_tanggal, today, "Tanggal persetujuan"),
    );
    let nik = match validate_nik(conn, &input.nik, "NIK") {
        Ok(nik) => Some(nik),
        Err(error @ ServiceError::Invalid(_)) => {
            problems.push(ChildProblem {
                field: ChildField::Nik,
                error,
            });
            None
        }
        Err(error) => return Err(error),
    };
    let no_kk = match input.no_kk.trim() {
        "" => None,
        text => match validate_nik(conn, text, "No. KK") {
            Ok(kk) => Some(kk),
            Err(error @ ServiceError::Invalid(_)) => {
                problems.push(ChildProblem {
                    field: ChildField::NoKk,
                    error,
                });
                None
            }
            Err(error) => return Err(error),
        },
    };
    let kode_desa = input.kode_desa.trim().to_owned();
    let desa_ok = baas::desa_in_district(conn, &scope.kode_kabkota, &kode_desa)?;
    if !desa_ok {
        problems.push(ChildProblem {
            field: ChildField::Desa,
            error: invalid(Message::new(MessageKey::BaasDesaNotInDistrict).arg(&kode_desa)),
        });
    }
    if let Some(nik) = &nik
        && let Some(other) =
            baas::find_child_id_by_nik_private(conn, &scope.kode_kabkota, nik.unmasked())?
    {
        problems.push(ChildProblem {
            field: ChildField::Nik,
            error: ServiceError::Conflict(
                Message::new(MessageKey::BaasNikDuplicate)
                    .arg(nik.masked())
                    .arg(other),
            ),
        });
    }
    if let (Ok(nama), true, true) = (&nama, born_ok, desa_ok)
        && let Some(other) = baas::find_child_by_identity(
            conn,
            &scope.kode_kabkota,
            nama,
            input.tgl_lahir,
            &kode_desa,
        )?
    {
        problems.push(ChildProblem {
            field: ChildField::Nama,
            error: ServiceError::Conflict(
                Message::new(MessageKey::BaasChildDuplicate)
                    .arg(&other.nama)
                    .arg(other.tgl_lahir)
                    .arg(&other.kode_desa)
                    .arg(other.id),
            ),
        });
    }
    match (nama, persetujuan_oleh, nik) {
        (Ok(nama), Ok(persetujuan_oleh), Some(nik)) if problems.is_empty() => {
            Ok(Ok(CheckedChild {
                nama,
                persetujuan_oleh,
                nik,
                no_kk,
                kode_desa,
            }))
        }
        _ => Ok(Err(problems)),
    }
}

/// A problem of a required field is always `Invalid` with its message: copied for the list.
fn clone_error(error: &ServiceError) -> ServiceError {
    match error.user_message() {
        Some(message) => invalid(message.clone()),
        None => ServiceError::Internal(error.to_string()),
    }
}

/// Registers a child with its personal data; refuses a NIK already registered and a child with the
/// same name, birth date and desa (shown, never merged or doubled).
pub fn register_child(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: ChildInput,
    today: NaiveDate,
) -> ServiceResult<Child> {
    desk_only(scope)?;
    conn.transaction(|conn| {
        let CheckedChild {
            nama,
            persetujuan_oleh,
            nik,
            no_kk,
            kode_desa,
        } = match check_child(conn, scope, &input, today)? {
            Ok(checked) => checked,
            Err(problems) => {
                return Err(problems
                    .into_iter()
                    .next()
                    .map_or(ServiceError::NotFound, |problem| problem.error));
            }
        };
        let new = NewChild {
            kode_kabkota: scope.kode_kabkota.clone(),
            nama,
            jk: input.jk.as_str().to_owned(),
            tgl_lahir: input.tgl_lahir,
            kode_desa,
            nik_masked: nik.masked(),
            status_krs: input.status_krs.trim().to_owned(),
            posyandu: input.posyandu.trim().to_owned(),
            persetujuan_oleh,
            persetujuan_tanggal: input.persetujuan_tanggal,
        };
        let child = baas::insert_child(conn, &new, |child_id| ChildPrivate {
            child_id,
            kode_kabkota: scope.kode_kabkota.clone(),
            nik: nik.unmasked().to_owned(),
            no_kk: no_kk.as_ref().map(|kk| kk.unmasked().to_owned()),
            nama_ayah: input.nama_ayah.trim().to_owned(),
            nama_ibu: input.nama_ibu.trim().to_owned(),
            alamat: input.alamat.trim().to_owned(),
        })?;
        let summary = ChildSummary {
            nama: &child.nama,
            jk: &child.jk,
            tgl_lahir: child.tgl_lahir,
            kode_desa: &child.kode_desa,
            nik: &child.nik_masked,
            persetujuan_oleh: &child.persetujuan_oleh,
            persetujuan_tanggal: child.persetujuan_tanggal,
        };
        audit::record(
            conn,
            actor,
            "buat",
            "baas_child",
            child.id,
            None::<&()>,
            Some(&summary),
        )?;
        Ok(child)
    })
}

/// A child's unmasked personal data, for the BAAS desk only; the view itself is logged (who, when,
/// which child), never the data.
pub fn view_private(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    child_id: i32,
) -> ServiceResult<ChildPrivate> {
    desk_only(scope)?;
    if role != Role::Baas {
        return Err(ServiceError::NotFound);
    }
    conn.transaction(|conn| {
        let private =
            baas::find_child_private(conn, scope, child_id)?.ok_or(ServiceError::NotFound)?;
        audit::record(
            conn,
            actor,
            "lihat_data_pribadi",
            "baas_child",
            child_id,
            None::<&()>,
            None::<&()>,
        )?;
        Ok(private)
    })
}

/// The unmasked personal data of several children, for the desk's unmasked export: role `baas`
/// only, and one activity-log entry `lihat_data_pribadi` per child (who, when, which child, that it
/// was an export of which year), never the data.
pub fn view_private_for_export(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    child_ids: &[i32],
    tahun: i16,
) -> ServiceResult<std::collections::HashMap<i32, ChildPrivate>> {
    desk_only(scope)?;
    if role != Role::Baas {
        return Err(ServiceError::NotFound);
    }
    conn.transaction(|conn| {
        let rows = baas::list_children_private(conn, &scope.kode_kabkota, child_ids)?;
        let why = serde_json::json!({ "ekspor": tahun });
        let entries: Vec<(String, Option<()>, Option<serde_json::Value>)> = rows
            .iter()
            .map(|row| (row.child_id.to_string(), None, Some(why.clone())))
            .collect();
        audit::record_all(conn, actor, "lihat_data_pribadi", "baas_child", &entries)?;
        Ok(rows.into_iter().map(|row| (row.child_id, row)).collect())
    })
}

#[derive(Debug, Clone)]
pub struct AssignmentInput {
    pub sponsor_id: i32,
    pub child_id: i32,
    /// Any day of the first month; stored as the 1st.
    pub mulai: NaiveDate,
    pub bulan_rencana: i16,
    pub paket: Paket,
    pub rupiah_per_bulan: Decimal,
}

pub fn assign(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: AssignmentInput,
) -> ServiceResult<Assignment> {
    desk_only(scope)?;
    if !(1..=60).contains(&input.bulan_rencana) {
        return Err(ServiceError::invalid(MessageKey::BaasMonthsInvalid));
    }
    if input.rupiah_per_bulan < Decimal::ZERO {
        return Err(invalid(
            Message::new(MessageKey::BaasAmountNegative).arg("Rupiah per bulan"),
        ));
    }
    conn.transaction(|conn| {
        baas::find_sponsor_for_scope(conn, scope, input.sponsor_id)?
            .ok_or(ServiceError::NotFound)?;
        baas::find_child_for_scope(conn, scope, input.child_id)?.ok_or(ServiceError::NotFound)?;
        if let Some(active) =
            baas::active_assignment_of_child(conn, &scope.kode_kabkota, input.child_id)?
        {
            return Err(ServiceError::Conflict(
                Message::new(MessageKey::BaasChildAlreadyAssigned).arg(active.id),
            ));
        }
        let mulai = input.mulai.with_day(1).unwrap_or(input.mulai);
        let assignment = baas::insert_assignment(
            conn,
            &NewAssignment {
                kode_kabkota: scope.kode_kabkota.clone(),
                sponsor_id: input.sponsor_id,
                child_id: input.child_id,
                mulai,
                bulan_rencana: input.bulan_rencana,
                paket: input.paket,
                rupiah_per_bulan: input.rupiah_per_bulan,
            },
        )?;
        audit::record(
            conn,
            actor,
            "buat",
            "baas_assignment",
            assignment.id,
            None::<&()>,
            Some(&assignment),
        )?;
        Ok(assignment)
    })
}

#[derive(Debug, Clone)]
pub struct DeliveryInput {
    pub assignment_id: i32,
    pub tanggal: NaiveDate,
    pub barang: String,
    pub nilai: Decimal,
    pub oleh: String,
    pub catatan: String,
}

pub fn record_delivery(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: DeliveryInput,
    today: NaiveDate,
) -> ServiceResult<Delivery> {
    desk_only(scope)?;
    let barang = required(&input.barang, "Barang")?;
    not_after_today(input.tanggal, today, "Tanggal")?;
    if input.nilai < Decimal::ZERO {
        return Err(invalid(
            Message::new(MessageKey::BaasAmountNegative).arg("Nilai"),
        ));
    }
    conn.transaction(|conn| {
        let assignment = baas::find_assignment_for_scope(conn, scope, input.assignment_id)?
            .ok_or(ServiceError::NotFound)?;
        if assignment.status != crate::domain::baas::AssignmentStatus::Aktif {
            return Err(ServiceError::Conflict(
                Message::new(MessageKey::BaasAssignmentNotActive).arg(assignment.id),
            ));
        }
        let new = NewDelivery {
            kode_kabkota: scope.kode_kabkota.clone(),
            assignment_id: assignment.id,
            tanggal: input.tanggal,
            barang,
            nilai: input.nilai,
            oleh: input.oleh.trim().to_owned(),
            catatan: input.catatan.trim().to_owned(),
        };
        let delivery = baas::insert_delivery(conn, &new)?;
        audit::record(
            conn,
            actor,
            "buat",
            "baas_delivery",
            delivery.id,
            None::<&()>,
            Some(&new),
        )?;
        Ok(delivery)
    })
}

#[derive(Debug, Clone)]
pub struct PaymentInput {
    pub sponsor_id: i32,
    pub tanggal: NaiveDate,
    pub jumlah: Decimal,
    pub catatan: String,
}

pub fn record_payment(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: PaymentInput,
    today: NaiveDate,
) -> ServiceResult<Payment> {
    desk_only(scope)?;
    not_after_today(input.tanggal, today, "Tanggal")?;
    if input.jumlah <= Decimal::ZERO {
        return Err(ServiceError::invalid(MessageKey::BaasPaymentNotPositive));
    }
    conn.transaction(|conn| {
        baas::find_sponsor_for_scope(conn, scope, input.sponsor_id)?
            .ok_or(ServiceError::NotFound)?;
        let new = NewPayment {
            kode_kabkota: scope.kode_kabkota.clone(),
            sponsor_id: input.sponsor_id,
            tanggal: input.tanggal,
            jumlah: input.jumlah,
            catatan: input.catatan.trim().to_owned(),
        };
        let payment = baas::insert_payment(conn, &new)?;
        audit::record(
            conn,
            actor,
            "buat",
            "baas_payment",
            payment.id,
            None::<&()>,
            Some(&new),
        )?;
        Ok(payment)
    })
}

#[derive(Debug, Clone)]
pub struct MeasurementInput {
    pub child_id: i32,
    pub tanggal: NaiveDate,
    pub bb: Option<Decimal>,
    pub tb: Option<Decimal>,
    pub cara_ukur: Option<Position>,
    pub oleh: MeasuredBy,
}

/// What a scale or a length board can show for a child under five; beyond it is a typing error.
const BB_RANGE: (f64, f64) = (0.5, 60.0);
const TB_RANGE: (f64, f64) = (30.0, 150.0);

/// The field of a measurement a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureField {
    Tanggal,
    Bb,
    Tb,
}

/// Every rule a measurement is held to, each problem with its field: not after today, a weight or
/// a length, each within what a scale or a board can show, and, when the birth date is known, taken
/// after birth and within WHO's 0-5 years. `record_measurement` and the children import both ask it.
pub fn check_measurement(
    tgl_lahir: Option<NaiveDate>,
    tanggal: NaiveDate,
    bb: Option<Decimal>,
    tb: Option<Decimal>,
    today: NaiveDate,
) -> Vec<(MeasureField, ServiceError)> {
    let mut problems = Vec::new();
    if let Err(error) = not_after_today(tanggal, today, "Tanggal ukur") {
        problems.push((MeasureField::Tanggal, error));
    }
    if bb.is_none() && tb.is_none() {
        problems.push((
            MeasureField::Bb,
            ServiceError::invalid(MessageKey::BaasMeasurementEmpty),
        ));
    }
    for (value, field, name, (low, high), unit) in [
        (bb, MeasureField::Bb, "Berat badan", BB_RANGE, "kg"),
        (tb, MeasureField::Tb, "Panjang/tinggi badan", TB_RANGE, "cm"),
    ] {
        let Some(value) = value else { continue };
        let number: f64 = value.try_into().unwrap_or(f64::NAN);
        if !(low..=high).contains(&number) {
            problems.push((
                field,
                invalid(
                    Message::new(MessageKey::BaasMeasureOutOfRange)
                        .arg(name)
                        .arg(format!("{value} {unit}"))
                        .arg(format!("{low}-{high} {unit}")),
                ),
            ));
        }
    }
    if let Some(birth) = tgl_lahir {
        match growth::age_in_days(birth, tanggal) {
            None => problems.push((
                MeasureField::Tanggal,
                ServiceError::invalid(MessageKey::BaasDateBeforeBirth),
            )),
            Some(age) if age > growth::MAX_AGE_DAYS => problems.push((
                MeasureField::Tanggal,
                ServiceError::invalid(MessageKey::BaasChildTooOld),
            )),
            Some(_) => {}
        }
    }
    problems
}

fn first_problem(problems: Vec<(MeasureField, ServiceError)>) -> ServiceResult<()> {
    match problems.into_iter().next() {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

pub fn record_measurement(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: MeasurementInput,
    today: NaiveDate,
) -> ServiceResult<Measurement> {
    desk_only(scope)?;
    first_problem(check_measurement(
        None,
        input.tanggal,
        input.bb,
        input.tb,
        today,
    ))?;
    conn.transaction(|conn| {
        let child = baas::find_child_for_scope(conn, scope, input.child_id)?
            .ok_or(ServiceError::NotFound)?;
        first_problem(check_measurement(
            Some(child.tgl_lahir),
            input.tanggal,
            input.bb,
            input.tb,
            today,
        ))?;
        let new = NewMeasurement {
            kode_kabkota: scope.kode_kabkota.clone(),
            child_id: child.id,
            tanggal: input.tanggal,
            bb: input.bb,
            tb: input.tb,
            cara_ukur: input.cara_ukur.map(|p| p.as_str().to_owned()),
            oleh: input.oleh,
        };
        let measurement = baas::insert_measurement(conn, &new)?;
        audit::record(
            conn,
            actor,
            "buat",
            "baas_measurement",
            measurement.id,
            None::<&()>,
            Some(&new),
        )?;
        Ok(measurement)
    })
}

/// The WHO assessment of a stored measurement of `child`; `None` when it cannot be assessed.
pub fn assess(child: &Child, measurement: &Measurement) -> Option<growth::Assessment> {
    let sex = Sex::parse(&child.jk)?;
    let age_days = growth::age_in_days(child.tgl_lahir, measurement.tanggal)?;
    let number = |value: Option<Decimal>| value.and_then(|v| f64::try_from(v).ok());
    growth::assess(&growth::Measurement {
        sex,
        age_days,
        weight_kg: number(measurement.bb),
        length_cm: number(measurement.tb),
        position: measurement.cara_ukur.as_deref().and_then(Position::parse),
    })
    .ok()
}

// baas desk: ending an assignment

#[derive(Debug, Clone)]
pub struct EndInput {
    pub assignment_id: i32,
    /// `selesai` (the planned months are done) or `berhenti` (stopped early, with `alasan`).
    pub status: crate::domain::baas::AssignmentStatus,
    pub alasan: String,
}

/// Ends an active assignment: `selesai`, or `berhenti` with its reason. The child may then be
/// assigned again; its deliveries stay with the assignment they were made on.
pub fn end_assignment(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: EndInput,
) -> ServiceResult<Assignment> {
    use crate::domain::baas::AssignmentStatus;
    desk_only(scope)?;
    let alasan = match input.status {
        AssignmentStatus::Aktif => {
            return Err(ServiceError::invalid(MessageKey::BaasEndStatusInvalid));
        }
        AssignmentStatus::Selesai => None,
        AssignmentStatus::Berhenti => Some(required(&input.alasan, "Alasan berhenti")?),
    };
    conn.transaction(|conn| {
        let before = crate::db::baas_desk::find_assignment(conn, scope, input.assignment_id)?
            .ok_or(ServiceError::NotFound)?;
        let after = crate::db::baas_desk::end_assignment(
            conn,
            &scope.kode_kabkota,
            before.id,
            input.status,
            alasan.as_deref(),
        )?
        .ok_or_else(|| {
            ServiceError::Conflict(Message::new(MessageKey::BaasAssignmentNotActive).arg(before.id))
        })?;
        audit::record(
            conn,
            actor,
            "update",
            "baas_assignment",
            after.id,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}
