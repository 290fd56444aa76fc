//! Changes to the set-up data (districts, fiscal years, lokus, OPDs, catalogues, users), each
//! checked, applied and audited in one transaction. What the user must fix is a catalogue message:
//! the form shows it again in the reader's language.

use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::catalogue::{
    self, CatalogueEntry, Intervensi, IntervensiChanges, NewIntervensi, SimpleCatalogue,
};
use crate::db::district::{self, TahunAnggaran, TahunAnggaranChanges};
use crate::db::opd::{self, NewOpd, Opd, OpdChanges};
use crate::db::users::{self, NewUser, User};
use crate::db::wilayah;
use crate::domain::{KodeWilayah, Role, Tingkat};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::auth::NewPassword;
use crate::services::error::{ServiceError, ServiceResult};

type SetupResult<T> = ServiceResult<T>;

fn invalid<T>(message: impl Into<Message>) -> SetupResult<T> {
    Err(ServiceError::Invalid(message.into()))
}

/// A locked year refuses changes: the input is fine, the state is not.
fn conflict<T>(message: Message) -> SetupResult<T> {
    Err(ServiceError::Conflict(message))
}

/// The trimmed value, or `missing` (the field's own "... wajib diisi") when there is none.
fn required(value: &str, missing: MessageKey) -> SetupResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return invalid(missing);
    }
    Ok(value.to_owned())
}

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Registers a kabupaten/kota this deployment serves.
pub fn add_district(
    conn: &mut PgConnection,
    actor: &Actor,
    kode: &str,
    demo: bool,
) -> SetupResult<String> {
    let Some(code) =
        KodeWilayah::parse(kode).filter(|code| code.tingkat() == Tingkat::KabupatenKota)
    else {
        return invalid(Message::new(MessageKey::SetupDistrictCodeInvalid).arg(kode));
    };
    let Some(area) = wilayah::find_by_kode(conn, code.as_str())? else {
        return invalid(Message::new(MessageKey::SetupDistrictCodeUnknown).arg(code));
    };
    conn.transaction(|conn| {
        if district::find_district(conn, code.as_str())?.is_some() {
            return invalid(Message::new(MessageKey::SetupDistrictExists).arg(&area.nama));
        }
        district::insert_district(conn, code.as_str(), demo)?;
        let actor = actor.clone().in_district(code.as_str());
        activity_log::record(
            conn,
            &actor,
            "create",
            "district",
            code.as_str(),
            NOTHING,
            Some(&area),
        )?;
        Ok(area.nama.clone())
    })
}

/// What an admin types for a fiscal year. Percentages arrive as text in Indonesian notation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TahunInput {
    #[serde(default)]
    pub tahun: String,
    #[serde(default)]
    pub prevalensi_baseline: String,
    #[serde(default)]
    pub sumber_baseline: String,
    #[serde(default)]
    pub prevalensi_target: String,
    #[serde(default)]
    pub terkunci: Option<String>,
}

/// Parses `25,1`, `25.1` or `25,1%` as a percentage between 0 and 100; `wrong` says which field.
pub fn parse_percentage(text: &str, wrong: MessageKey) -> SetupResult<Option<Decimal>> {
    let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
    if cleaned.is_empty() {
        return Ok(None);
    }
    match cleaned.parse::<Decimal>() {
        Ok(value)
            if (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&value) && value.scale() <= 2 =>
        {
            Ok(Some(value))
        }
        _ => invalid(wrong),
    }
}

pub fn create_tahun(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    input: &TahunInput,
) -> SetupResult<TahunAnggaran> {
    let tahun: i16 = match input.tahun.trim().parse() {
        Ok(year) if (2000..=2100).contains(&year) => year,
        _ => return invalid(MessageKey::SetupYearInvalid),
    };
    let row = TahunAnggaran {
        kode_kabkota: kode_kabkota.to_owned(),
        tahun,
        terkunci: false,
        prevalensi_baseline: parse_percentage(
            &input.prevalensi_baseline,
            MessageKey::SetupBaselineInvalid,
        )?,
        sumber_baseline: optional(&input.sumber_baseline),
        prevalensi_target: parse_percentage(
            &input.prevalensi_target,
            MessageKey::SetupTargetInvalid,
        )?,
    };
    conn.transaction(|conn| {
        if district::find_tahun(conn, kode_kabkota, tahun)?.is_some() {
            return invalid(Message::new(MessageKey::SetupYearExists).arg(tahun));
        }
        district::insert_tahun(conn, &row)?;
        activity_log::record(
            conn,
            actor,
            "create",
            "tahun_anggaran",
            tahun,
            NOTHING,
            Some(&row),
        )?;
        Ok(row.clone())
    })
}

pub fn update_tahun(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    tahun: i16,
    input: &TahunInput,
) -> SetupResult<TahunAnggaran> {
    let changes = TahunAnggaranChanges {
        terkunci: input.terkunci.is_some(),
        prevalensi_baseline: parse_percentage(
            &input.prevalensi_baseline,
            MessageKey::SetupBaselineInvalid,
        )?,
        sumber_baseline: optional(&input.sumber_baseline),
        prevalensi_target: parse_percentage(
            &input.prevalensi_target,
            MessageKey::SetupTargetInvalid,
        )?,
    };
    conn.transaction(|conn| {
        let before =
            district::find_tahun(conn, kode_kabkota, tahun)?.ok_or(ServiceError::NotFound)?;
        let after = district::update_tahun(conn, kode_kabkota, tahun, &changes)?;
        activity_log::record(
            conn,
            actor,
            "update",
            "tahun_anggaran",
            tahun,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}

/// Designates desa (by code or exact name within the district) as lokus for a year.
/// Returns the codes newly designated.
pub fn add_lokus(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    tahun: i16,
    entries: &str,
) -> SetupResult<Vec<String>> {
    conn.transaction(|conn| {
        let year =
            district::find_tahun(conn, kode_kabkota, tahun)?.ok_or(ServiceError::NotFound)?;
        if year.terkunci {
            return conflict(Message::new(MessageKey::SetupYearLocked).arg(tahun));
        }
        let desa = wilayah::list_desa_in_kabkota(conn, kode_kabkota)?;
        let mut added = Vec::new();
        for entry in entries
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
        {
            let by_code = desa.iter().find(|row| row.kode == entry);
            let by_name: Vec<_> = desa
                .iter()
                .filter(|row| row.nama.eq_ignore_ascii_case(entry))
                .collect();
            let found = match (by_code, by_name.as_slice()) {
                (Some(row), _) => row,
                (None, [row]) => *row,
                (None, []) => {
                    return invalid(Message::new(MessageKey::DesaNotInDistrict).arg(entry));
                }
                (None, many) => {
                    let codes: Vec<&str> = many.iter().map(|row| row.kode.as_str()).collect();
                    return invalid(
                        Message::new(MessageKey::SetupDesaAmbiguous)
                            .arg(entry)
                            .arg(codes.join(", ")),
                    );
                }
            };
            if district::insert_lokus(conn, kode_kabkota, tahun, &found.kode)? {
                activity_log::record(
                    conn,
                    actor,
                    "create",
                    "lokus_desa",
                    format!("{tahun}/{}", found.kode),
                    NOTHING,
                    Some(found),
                )?;
                added.push(found.kode.clone());
            }
        }
        Ok(added)
    })
}

pub fn remove_lokus(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    tahun: i16,
    kode_desa: &str,
) -> SetupResult<()> {
    conn.transaction(|conn| {
        let year =
            district::find_tahun(conn, kode_kabkota, tahun)?.ok_or(ServiceError::NotFound)?;
        if year.terkunci {
            return conflict(Message::new(MessageKey::SetupYearLocked).arg(tahun));
        }
        if !district::delete_lokus(conn, kode_kabkota, tahun, kode_desa)? {
            return Err(ServiceError::NotFound);
        }
        activity_log::record(
            conn,
            actor,
            "delete",
            "lokus_desa",
            format!("{tahun}/{kode_desa}"),
            Some(&kode_desa),
            NOTHING,
        )?;
        Ok(())
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OpdInput {
    #[serde(default)]
    pub kode: String,
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub singkatan: String,
    #[serde(default)]
    pub aktif: Option<String>,
}

/// SIPD unit codes look like `1.02.0.00.0.00.01.0000`: eight digit groups of fixed widths.
fn parse_opd_code(text: &str) -> SetupResult<String> {
    let code = text.trim();
    if !crate::domain::budget_code::is_unit_code(code) {
        return invalid(Message::new(MessageKey::SetupOpdCodeInvalid).arg(code));
    }
    Ok(code.to_owned())
}

pub fn create_opd(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    input: &OpdInput,
) -> SetupResult<Opd> {
    let new = NewOpd {
        kode_kabkota: kode_kabkota.to_owned(),
        kode: parse_opd_code(&input.kode)?,
        nama: required(&input.nama, MessageKey::SetupOpdNameRequired)?,
        singkatan: optional(&input.singkatan),
    };
    conn.transaction(|conn| {
        if opd::find_by_kode(conn, kode_kabkota, &new.kode)?.is_some() {
            return invalid(Message::new(MessageKey::SetupOpdCodeTaken).arg(&new.kode));
        }
        let created = opd::insert(conn, &new)?;
        activity_log::record(
            conn,
            actor,
            "create",
            "opd",
            created.id,
            NOTHING,
            Some(&created),
        )?;
        Ok(created)
    })
}

pub fn update_opd(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &crate::domain::Scope,
    id: i32,
    input: &OpdInput,
) -> SetupResult<Opd> {
    let changes = OpdChanges {
        kode: parse_opd_code(&input.kode)?,
        nama: required(&input.nama, MessageKey::SetupOpdNameRequired)?,
        singkatan: optional(&input.singkatan),
        aktif: input.aktif.is_some(),
    };
    conn.transaction(|conn| {
        let before = opd::find_by_id_for_scope(conn, id, scope)?.ok_or(ServiceError::NotFound)?;
        if let Some(other) = opd::find_by_kode(conn, &scope.kode_kabkota, &changes.kode)?
            && other.id != id
        {
            return invalid(
                Message::new(MessageKey::SetupOpdCodeTakenBy)
                    .arg(&changes.kode)
                    .arg(&other.nama),
            );
        }
        let after = opd::update(conn, id, &changes)?;
        activity_log::record(
            conn,
            actor,
            "update",
            "opd",
            id,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IntervensiInput {
    #[serde(default)]
    pub kode: String,
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub jenis: String,
    #[serde(default)]
    pub sasaran: String,
    #[serde(default)]
    pub indikator: String,
    #[serde(default)]
    pub target_nasional: String,
    #[serde(default)]
    pub aktif: Option<String>,
}

fn parse_jenis(text: &str) -> SetupResult<String> {
    crate::domain::Jenis::parse(text)
        .map(|jenis| jenis.as_str().to_owned())
        .ok_or_else(|| ServiceError::invalid(MessageKey::SetupJenisInvalid))
}

pub fn create_intervensi(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    input: &IntervensiInput,
) -> SetupResult<Intervensi> {
    let Some(kode) = crate::domain::parse_catalogue_code(&input.kode, 20) else {
        return invalid(MessageKey::SetupIntervensiCodeInvalid);
    };
    let new = NewIntervensi {
        kode_kabkota: Some(kode_kabkota.to_owned()),
        kode,
        nama: required(&input.nama, MessageKey::SetupIntervensiNameRequired)?,
        jenis: parse_jenis(&input.jenis)?,
        sasaran: required(&input.sasaran, MessageKey::SetupSasaranRequired)?,
        indikator: required(&input.indikator, MessageKey::SetupIndikatorRequired)?,
        target_nasional: optional(&input.target_nasional),
    };
    conn.transaction(|conn| {
        if catalogue::intervensi_code_taken(conn, kode_kabkota, &new.kode)? {
            return invalid(Message::new(MessageKey::SetupIntervensiCodeTaken).arg(&new.kode));
        }
        let created = catalogue::insert_intervensi(conn, &new)?;
        activity_log::record(
            conn,
            actor,
            "create",
            "intervensi",
            &created.kode,
            NOTHING,
            Some(&created),
        )?;
        Ok(created)
    })
}

/// Edits an intervention. The national seed (no district) is shared by all districts: only the
/// `aktif` switch would be per-district, so seeded rows are not editable here.
pub fn update_intervensi(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    id: i32,
    input: &IntervensiInput,
) -> SetupResult<Intervensi> {
    let changes = IntervensiChanges {
        nama: required(&input.nama, MessageKey::SetupIntervensiNameRequired)?,
        jenis: parse_jenis(&input.jenis)?,
        sasaran: required(&input.sasaran, MessageKey::SetupSasaranRequired)?,
        indikator: required(&input.indikator, MessageKey::SetupIndikatorRequired)?,
        target_nasional: optional(&input.target_nasional),
        aktif: input.aktif.is_some(),
    };
    conn.transaction(|conn| {
        let before = catalogue::find_intervensi_for_district(conn, id, kode_kabkota)?
            .ok_or(ServiceError::NotFound)?;
        if before.kode_kabkota.is_none() {
            return invalid(MessageKey::SetupNationalIntervensiFixed);
        }
        let after = catalogue::update_intervensi(conn, id, &changes)?;
        activity_log::record(
            conn,
            actor,
            "update",
            "intervensi",
            &after.kode,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}

pub fn add_catalogue_entry(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    which: SimpleCatalogue,
    kode: &str,
    nama: &str,
) -> SetupResult<CatalogueEntry> {
    let Some(kode) = crate::domain::parse_catalogue_code(kode, 20) else {
        return invalid(MessageKey::SetupCatalogueCodeInvalid);
    };
    let nama = required(nama, MessageKey::SetupNameRequired)?;
    conn.transaction(|conn| {
        let existing = catalogue::list_simple(conn, which, kode_kabkota)?;
        if existing.iter().any(|entry| entry.kode == kode) {
            return invalid(Message::new(MessageKey::SetupCatalogueCodeTaken).arg(&kode));
        }
        let created = catalogue::insert_simple(conn, which, kode_kabkota, &kode, &nama)?;
        let entity = match which {
            SimpleCatalogue::SumberDana => "sumber_dana",
            SimpleCatalogue::Sasaran => "sasaran",
        };
        activity_log::record(
            conn,
            actor,
            "create",
            entity,
            &created.kode,
            NOTHING,
            Some(&created),
        )?;
        Ok(created)
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UserInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub role: String,
    /// The OPD's code (not its id), so the command line and the form say the same thing.
    #[serde(default)]
    pub opd: String,
    #[serde(default)]
    pub password: String,
}

/// What the audit log keeps of a user: never the password hash.
#[derive(serde::Serialize)]
struct UserSummary<'a> {
    email: &'a str,
    nama: &'a str,
    role: &'a str,
    opd_id: Option<i32>,
    aktif: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    kode_provinsi: Option<&'a str>,
}

impl<'a> From<&'a User> for UserSummary<'a> {
    fn from(user: &'a User) -> UserSummary<'a> {
        UserSummary {
            email: &user.email,
            nama: &user.nama,
            role: &user.role,
            opd_id: user.opd_id,
            aktif: user.aktif,
            kode_provinsi: user.kode_provinsi.as_deref(),
        }
    }
}

/// Creates an account, hashing its password here: for the command line and the demo loader. A
/// server hashes first, without a connection, and calls [`create_user_with_password`].
pub fn create_user(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    input: &UserInput,
) -> SetupResult<User> {
    let password = NewPassword::hash(&input.password)?;
    create_user_with_password(conn, actor, kode_kabkota, input, &password)
}

/// Creates an account with an already hashed password (`input.password` is not read).
pub fn create_user_with_password(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    input: &UserInput,
    password: &NewPassword,
) -> SetupResult<User> {
    let Some(email) = crate::domain::parse_email(&input.email) else {
        return invalid(MessageKey::SetupEmailInvalid);
    };
    let Some(role) = Role::parse(&input.role) else {
        return invalid(MessageKey::SetupRoleInvalid);
    };
    let nama = optional(&input.nama).unwrap_or_else(|| email.clone());
    conn.transaction(|conn| {
        let opd_id = match (role, optional(&input.opd)) {
            (Role::Opd, Some(kode)) => match opd::find_by_kode(conn, kode_kabkota, &kode)? {
                Some(found) => Some(found.id),
                None => return invalid(Message::new(MessageKey::SetupOpdUnknown).arg(&kode)),
            },
            (Role::Opd, None) => {
                return invalid(MessageKey::SetupOpdUserNeedsOpd);
            }
            (_, Some(_)) => return invalid(MessageKey::SetupOnlyOpdUsersHaveOpd),
            (_, None) => None,
        };
        if users::find_by_email(conn, &email)?.is_some() {
            return invalid(Message::new(MessageKey::SetupEmailTaken).arg(&email));
        }
        let created = users::insert(
            conn,
            &NewUser {
                kode_kabkota: kode_kabkota.to_owned(),
                email: email.clone(),
                nama: nama.clone(),
                role: role.as_str().to_owned(),
                opd_id,
                password_hash: password.as_hash().to_owned(),
            },
        )?;
        activity_log::record(
            conn,
            actor,
            "create",
            "user",
            created.id,
            NOTHING,
            Some(&UserSummary::from(&created)),
        )?;
        Ok(created)
    })
}

/// Makes a `pimpinan` account province-level: it reads the summary of every district this
/// deployment serves in `kode_provinsi` (its own district must be one of them).
pub fn set_user_province(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    id: i32,
    kode_provinsi: &str,
) -> SetupResult<User> {
    conn.transaction(|conn| {
        let before =
            users::find_by_id_in_district(conn, id, kode_kabkota)?.ok_or(ServiceError::NotFound)?;
        if before.role != Role::Pimpinan.as_str() {
            return invalid(MessageKey::SetupProvinceNeedsPimpinan);
        }
        if !kode_kabkota.starts_with(&format!("{kode_provinsi}.")) || kode_provinsi.len() != 2 {
            return invalid(
                Message::new(MessageKey::SetupProvinceNotOfDistrict)
                    .arg(kode_provinsi)
                    .arg(kode_kabkota),
            );
        }
        users::set_province(conn, id, kode_provinsi)?;
        let after = User {
            kode_provinsi: Some(kode_provinsi.to_owned()),
            ..before.clone()
        };
        activity_log::record(
            conn,
            actor,
            "update",
            "user",
            id,
            Some(&UserSummary::from(&before)),
            Some(&UserSummary::from(&after)),
        )?;
        Ok(after)
    })
}

/// Enables or disables an account; disabling also ends its open sessions.
pub fn set_user_active(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    id: i32,
    aktif: bool,
) -> SetupResult<User> {
    conn.transaction(|conn| {
        let before =
            users::find_by_id_in_district(conn, id, kode_kabkota)?.ok_or(ServiceError::NotFound)?;
        if actor.user_id == Some(id) && !aktif {
            return invalid(MessageKey::SetupCannotDisableSelf);
        }
        users::set_active(conn, id, aktif)?;
        if !aktif {
            crate::db::sessions::delete_for_user(conn, id)?;
        }
        let after = User {
            aktif,
            ..before.clone()
        };
        activity_log::record(
            conn,
            actor,
            "update",
            "user",
            id,
            Some(&UserSummary::from(&before)),
            Some(&UserSummary::from(&after)),
        )?;
        Ok(after)
    })
}

/// Renames a district-owned sumber dana or sasaran entry.
pub fn rename_catalogue_entry(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    which: SimpleCatalogue,
    id: i32,
    nama: &str,
) -> SetupResult<CatalogueEntry> {
    let nama = required(nama, MessageKey::SetupNameRequired)?;
    let entity = match which {
        SimpleCatalogue::SumberDana => "sumber_dana",
        SimpleCatalogue::Sasaran => "sasaran",
    };
    conn.transaction(|conn| {
        let before = catalogue::list_simple(conn, which, kode_kabkota)?
            .into_iter()
            .find(|entry| entry.id == id)
            .ok_or(ServiceError::NotFound)?;
        if before.kode_kabkota.is_none() {
            return invalid(MessageKey::SetupNationalEntryFixed);
        }
        let after = catalogue::rename_simple(conn, which, kode_kabkota, id, &nama)?
            .ok_or(ServiceError::NotFound)?;
        activity_log::record(
            conn,
            actor,
            "update",
            entity,
            &after.kode,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}

/// Adds a kecamatan or desa/kelurahan of the district (a new one after a pemekaran, say) to the
/// national area list. Only inside the admin's own kabupaten/kota.
pub fn add_wilayah(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    kode: &str,
    nama: &str,
) -> SetupResult<wilayah::Wilayah> {
    let Some(code) = KodeWilayah::parse(kode).filter(|code| code.tingkat() >= Tingkat::Kecamatan)
    else {
        return invalid(Message::new(MessageKey::SetupWilayahCodeInvalid).arg(kode));
    };
    if code
        .kabkota()
        .map(|parent| parent.as_str().to_owned())
        .as_deref()
        != Some(kode_kabkota)
    {
        return invalid(Message::new(MessageKey::SetupWilayahOutside).arg(code));
    }
    let nama = required(nama, MessageKey::SetupWilayahNameRequired)?;
    conn.transaction(|conn| {
        let parent = code
            .induk()
            .map(|parent| parent.as_str().to_owned())
            .unwrap_or_default();
        if wilayah::find_by_kode(conn, &parent)?.is_none() {
            return invalid(Message::new(MessageKey::SetupWilayahParentMissing).arg(&parent));
        }
        if let Some(existing) = wilayah::find_by_kode(conn, code.as_str())? {
            return invalid(
                Message::new(MessageKey::SetupWilayahCodeTaken)
                    .arg(code)
                    .arg(&existing.nama),
            );
        }
        let row = wilayah::Wilayah {
            kode: code.as_str().to_owned(),
            nama,
            tingkat: code.tingkat().level(),
            kode_induk: Some(parent),
        };
        wilayah::insert(conn, &row)?;
        activity_log::record(
            conn,
            actor,
            "create",
            "wilayah",
            &row.kode,
            NOTHING,
            Some(&row),
        )?;
        Ok(row)
    })
}

/// Corrects the name of a kecamatan or desa/kelurahan of the admin's own district.
pub fn rename_wilayah(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    kode: &str,
    nama: &str,
) -> SetupResult<wilayah::Wilayah> {
    let nama = required(nama, MessageKey::SetupWilayahNameRequired)?;
    let inside = KodeWilayah::parse(kode)
        .filter(|code| code.tingkat() >= Tingkat::Kecamatan)
        .and_then(|code| code.kabkota())
        .is_some_and(|parent| parent.as_str() == kode_kabkota);
    if !inside {
        return Err(ServiceError::NotFound);
    }
    conn.transaction(|conn| {
        let before = wilayah::find_by_kode(conn, kode)?.ok_or(ServiceError::NotFound)?;
        let after = wilayah::rename(conn, kode, &nama)?;
        activity_log::record(
            conn,
            actor,
            "update",
            "wilayah",
            kode,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}

/// Switches a national intervention off or on for the district (its own ones are edited instead).
pub fn set_national_intervensi_active(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    id: i32,
    aktif: bool,
) -> SetupResult<Intervensi> {
    conn.transaction(|conn| {
        let before = catalogue::list_intervensi(conn, kode_kabkota)?
            .into_iter()
            .find(|row| row.id == id)
            .ok_or(ServiceError::NotFound)?;
        if before.kode_kabkota.is_some() {
            return invalid(MessageKey::SetupDistrictIntervensiEditedElsewhere);
        }
        catalogue::set_national_active(conn, kode_kabkota, id, aktif)?;
        let after = Intervensi {
            aktif,
            ..before.clone()
        };
        activity_log::record(
            conn,
            actor,
            "update",
            "intervensi",
            &after.kode,
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
}
