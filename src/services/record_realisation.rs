//! Recording monthly realisation (realisasi keuangan and capaian fisik) against budget lines, and
//! locking periods. Every way in (the web form, the realisation form workbook, a finance-system
//! sheet) calls [`record`], so the checks are the same on every path: months 1..12 and not locked,
//! amounts >= 0, the cumulative never above the pagu, the line current and in the caller's scope.
//! [`check`] runs the same checks and collects every problem at its line, month and figure, for
//! an import to list row by row; `record` refuses on the first.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::db::realisasi::{self, LineForRealisation, NewLock, Realisasi};
use crate::domain::Scope;
use crate::domain::format::{angka, rupiah};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self as audit, Actor};
use crate::services::error::{ServiceError, ServiceResult};
use crate::spreadsheet::columns::Severity;

/// The way figures came in, stored with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Form,
    /// An import, with its batch.
    Import(i64),
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Form => "form",
            Via::Import(_) => "impor",
        }
    }

    fn batch_id(self) -> Option<i64> {
        match self {
            Via::Form => None,
            Via::Import(batch) => Some(batch),
        }
    }
}

/// What one month of one line should hold after the call. `keuangan: None` clears the month
/// (a figure typed by mistake); fisik without keuangan is not a recording.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthInput {
    pub bulan: i16,
    pub keuangan: Option<Decimal>,
    pub fisik: Option<Decimal>,
}

/// The months of one line to set. Months not named keep what they hold.
#[derive(Debug, Clone, PartialEq)]
pub struct LineMonths {
    pub line_id: i64,
    pub months: Vec<MonthInput>,
}

/// A month's figures, for before/after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub keuangan: Decimal,
    pub fisik: Option<Decimal>,
}

/// One month that changed, with what it held before and holds now (`None`: empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthChange {
    pub line_id: i64,
    pub bulan: i16,
    pub before: Option<Figures>,
    pub after: Option<Figures>,
}

#[derive(Debug, Clone, Default)]
pub struct RecordOutcome {
    /// Only months whose figures changed; sending a month's current figures again changes nothing.
    pub changes: Vec<MonthChange>,
    /// Accepted, but worth a look (capaian fisik above the target beyond the tolerance).
    pub warnings: Vec<Message>,
    /// Every problem found, errors and warnings, each at its line, month and figure, in the
    /// order the checks run ([`check`] returns them; [`record`] refuses on the first error).
    pub problems: Vec<Problem>,
}

impl RecordOutcome {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// What a problem is about: a line as a whole, or one figure of one of its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Line,
    Keuangan,
    Fisik,
}

/// One problem with the input, located so that an import can name its row and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line_id: i64,
    /// The month, for a problem of one month.
    pub bulan: Option<i16>,
    pub figure: Figure,
    pub severity: Severity,
    pub message: Message,
    /// A locked period: the input is right, the period is closed (409 rather than 422).
    pub conflict: bool,
}

impl Problem {
    fn error(line_id: i64, bulan: Option<i16>, figure: Figure, message: Message) -> Problem {
        Problem {
            line_id,
            bulan,
            figure,
            severity: Severity::Error,
            message,
            conflict: false,
        }
    }

    fn into_error(self) -> ServiceError {
        if self.conflict {
            ServiceError::Conflict(self.message)
        } else {
            ServiceError::Invalid(self.message)
        }
    }
}

/// The checks' settings (`fisik_tolerance_percent` in the configuration).
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules {
    pub fisik_tolerance_percent: u32,
}

/// Sets the given months of the given lines, all or nothing, in the caller's transaction or one
/// of its own. Errors say which line and month; nothing is written when any check fails.
pub fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: &[LineMonths],
    via: Via,
    rules: Rules,
) -> ServiceResult<RecordOutcome> {
    first_error(run(conn, actor, scope, input, via, rules, true)?)
}

/// Every check of [`record`], each problem collected at its line, month and figure rather than
/// the first refused: what an import lists row by row. Writes nothing.
pub fn check(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: &[LineMonths],
    rules: Rules,
) -> ServiceResult<RecordOutcome> {
    run(conn, actor, scope, input, Via::Form, rules, false)
}

fn first_error(outcome: RecordOutcome) -> ServiceResult<RecordOutcome> {
    match outcome
        .problems
        .iter()
        .find(|problem| problem.severity == Severity::Error)
    {
        Some(problem) => Err(problem.clone().into_error()),
        None => Ok(outcome),
    }
}

/// The same checks as [`record`] and the changes it would make (before/after, warnings), writing
/// nothing: the dry run an import shows before its commit.
pub fn preview(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: &[LineMonths],
    rules: Rules,
) -> ServiceResult<RecordOutcome> {
    first_error(run(conn, actor, scope, input, Via::Form, rules, false)?)
}

fn run(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    input: &[LineMonths],
    via: Via,
    rules: Rules,
    write: bool,
) -> ServiceResult<RecordOutcome> {
    // the input alone first: months and signs need no database
    let mut problems: Vec<Problem> = Vec::new();
    // months that cannot be taken at all; the line's other months are still checked
    let mut refused: BTreeSet<(i64, i16)> = BTreeSet::new();
    for line in input {
        for month in &line.months {
            let id = line.line_id;
            if !(1..=12).contains(&month.bulan) {
                problems.push(Problem::error(
                    id,
                    Some(month.bulan),
                    Figure::Keuangan,
                    Message::new(MessageKey::RealisasiMonthInvalid).arg(month.bulan),
                ));
                refused.insert((id, month.bulan));
                continue;
            }
            let negative = |value: Option<Decimal>| {
                value.is_some_and(|v| v.is_sign_negative() && !v.is_zero())
            };
            // what NUMERIC(18, 2) and NUMERIC(18, 4) hold; a larger keuangan is above any pagu anyway
            let keuangan_large = month
                .keuangan
                .is_some_and(|v| v >= Decimal::from(10u64.pow(16)));
            let fisik_large = month
                .fisik
                .is_some_and(|v| v >= Decimal::from(10u64.pow(14)));
            for (figure, is_negative, too_large) in [
                (Figure::Keuangan, negative(month.keuangan), keuangan_large),
                (Figure::Fisik, negative(month.fisik), fisik_large),
            ] {
                let key = if is_negative {
                    MessageKey::RealisasiNegative
                } else if too_large {
                    MessageKey::RealisasiTooLarge
                } else {
                    continue;
                };
                problems.push(Problem::error(
                    id,
                    Some(month.bulan),
                    figure,
                    Message::new(key).arg(id).arg(month.bulan),
                ));
                refused.insert((id, month.bulan));
            }
        }
    }
    conn.transaction(|conn| {
        let ids: Vec<i64> = input.iter().map(|line| line.line_id).collect();
        let lines: HashMap<i64, LineForRealisation> = realisasi::lines_in_scope(conn, &ids, scope)?
            .into_iter()
            .map(|line| (line.id, line))
            .collect();
        let mut usable: BTreeSet<i64> = BTreeSet::new();
        for id in &ids {
            match lines.get(id) {
                // another district's or (for an opd user) another OPD's line reads as unknown
                None => problems.push(Problem::error(
                    *id,
                    None,
                    Figure::Line,
                    Message::new(MessageKey::RealisasiLineUnknown).arg(id),
                )),
                Some(line) if line.removed_in_batch.is_some() => problems.push(Problem::error(
                    *id,
                    None,
                    Figure::Line,
                    Message::new(MessageKey::RealisasiLineRemoved).arg(id),
                )),
                Some(_) => {
                    usable.insert(*id);
                }
            }
        }
        let usable_ids: Vec<i64> = usable.iter().copied().collect();
        // two writers of one line would each check the pagu against what the other has not
        // written yet: the lines are taken one writer at a time
        realisasi::lock_lines(conn, &usable_ids)?;
        // hold every year touched before reading its locks, in year order (no deadlock between
        // two writers); a locker waits for us, and we for a locker, so no lock slips in between
        let years: BTreeSet<i16> = usable.iter().map(|id| lines[id].tahun).collect();
        let mut locked: HashMap<i16, BTreeSet<i16>> = HashMap::new();
        for tahun in &years {
            if !realisasi::hold_year(conn, &scope.kode_kabkota, *tahun, false)? {
                return Err(ServiceError::Invalid(
                    Message::new(MessageKey::RealisasiYearUnknown).arg(tahun),
                ));
            }
            let months = realisasi::locked_months(conn, &scope.kode_kabkota, *tahun)?;
            locked.insert(*tahun, months.into_iter().collect());
        }

        let mut stored: BTreeMap<(i64, i16), Realisasi> = realisasi::for_lines(conn, &usable_ids)?
            .into_iter()
            .map(|row| ((row.line_id, row.bulan), row))
            .collect();
        let now = Utc::now();
        let mut outcome = RecordOutcome::default();
        let mut writes: Vec<Realisasi> = Vec::new();
        let mut clears: Vec<(i64, i16)> = Vec::new();
        // the last month changed per line: where a line's cumulative problem is shown
        let mut last_changed: HashMap<i64, i16> = HashMap::new();
        for line_input in input {
            let Some(line) = usable
                .contains(&line_input.line_id)
                .then(|| &lines[&line_input.line_id])
            else {
                continue;
            };
            for month in &line_input.months {
                let key = (line.id, month.bulan);
                if refused.contains(&key) {
                    continue;
                }
                let before = stored.get(&key).map(|row| Figures {
                    keuangan: row.keuangan,
                    fisik: row.fisik,
                });
                let after = month.keuangan.map(|keuangan| Figures {
                    keuangan: keuangan.round_dp(2),
                    fisik: month.fisik.map(|fisik| fisik.round_dp(4)),
                });
                if before == after {
                    continue;
                }
                // only a change needs an open month, so a file sent back unchanged passes
                if locked[&line.tahun].contains(&month.bulan) {
                    problems.push(Problem {
                        conflict: true,
                        ..Problem::error(
                            line.id,
                            Some(month.bulan),
                            Figure::Keuangan,
                            Message::new(MessageKey::RealisasiMonthLocked)
                                .arg(month.bulan)
                                .arg(line.tahun),
                        )
                    });
                    continue;
                }
                last_changed.insert(line.id, month.bulan);
                match &after {
                    Some(figures) => {
                        let row = Realisasi {
                            kode_kabkota: line.kode_kabkota.clone(),
                            line_id: line.id,
                            bulan: month.bulan,
                            keuangan: figures.keuangan,
                            fisik: figures.fisik,
                            user_id: actor.user_id,
                            actor: actor.label.clone(),
                            via: via.as_str().to_owned(),
                            batch_id: via.batch_id(),
                            entered_at: now,
                        };
                        stored.insert(key, row.clone());
                        writes.push(row);
                    }
                    None => {
                        stored.remove(&key);
                        clears.push(key);
                    }
                }
                outcome.changes.push(MonthChange {
                    line_id: line.id,
                    bulan: month.bulan,
                    before,
                    after,
                });
            }
        }
        // the whole year of each changed line, as it will stand
        let changed: BTreeSet<i64> = outcome.changes.iter().map(|c| c.line_id).collect();
        let tolerance = Decimal::from(100 + rules.fisik_tolerance_percent) / Decimal::from(100);
        for id in &changed {
            let line = &lines[id];
            let months = stored.range((*id, i16::MIN)..=(*id, i16::MAX));
            let (keuangan, fisik) = months
                .fold((Decimal::ZERO, Decimal::ZERO), |(k, f), (_, r)| {
                    (k + r.keuangan, f + r.fisik.unwrap_or_default())
                });
            let at = last_changed.get(id).copied();
            if keuangan > line.pagu {
                problems.push(Problem::error(
                    *id,
                    at,
                    Figure::Keuangan,
                    Message::new(MessageKey::RealisasiOverPagu)
                        .arg(id)
                        .arg(rupiah(keuangan))
                        .arg(rupiah(line.pagu)),
                ));
            }
            if let Some(target) = line.target_output
                && fisik > target * tolerance
            {
                let unit = line.satuan_output.as_deref().unwrap_or("");
                let message = Message::new(MessageKey::RealisasiFisikOverTarget)
                    .arg(id)
                    .arg(quantity(fisik, unit))
                    .arg(quantity(target, unit));
                outcome.warnings.push(message.clone());
                problems.push(Problem {
                    severity: Severity::Warning,
                    ..Problem::error(*id, at, Figure::Fisik, message)
                });
            }
        }
        outcome.problems = problems;
        if !write || outcome.has_errors() {
            return Ok(outcome);
        }
        // a month written again is removed and copied in anew: COPY is the fast way in for the
        // hundreds of thousands of line-months of an import
        clears.extend(writes.iter().map(|row| (row.line_id, row.bulan)));
        realisasi::delete_months(conn, &clears)?;
        realisasi::copy_months(conn, &writes)?;
        // one audit entry per line, its changed months before and after, written together
        let mut by_line: BTreeMap<i64, Vec<&MonthChange>> = BTreeMap::new();
        for change in &outcome.changes {
            by_line.entry(change.line_id).or_default().push(change);
        }
        let entries: Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> = by_line
            .into_iter()
            .map(|(id, mine)| {
                let before: BTreeMap<i16, &Option<Figures>> =
                    mine.iter().map(|c| (c.bulan, &c.before)).collect();
                let after: BTreeMap<i16, &Option<Figures>> =
                    mine.iter().map(|c| (c.bulan, &c.after)).collect();
                (
                    id.to_string(),
                    Some(serde_json::json!({ "bulan": before })),
                    Some(serde_json::json!({
                        "bulan": after,
                        "via": via.as_str(),
                        "batch": via.batch_id(),
                    })),
                )
            })
            .collect();
        audit::record_all(conn, actor, "update", "realisasi", &entries)?;
        Ok(outcome)
    })
}

fn quantity(value: Decimal, unit: &str) -> String {
    let value = value.normalize();
    let text = angka(value, value.scale());
    if unit.is_empty() {
        text
    } else {
        format!("{text} {unit}")
    }
}

/// A period to lock or unlock: one month or a triwulan (its three months).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Bulan(i16),
    Triwulan(i16),
}

impl Period {
    pub fn months(self) -> ServiceResult<Vec<i16>> {
        match self {
            Period::Bulan(bulan) if (1..=12).contains(&bulan) => Ok(vec![bulan]),
            Period::Triwulan(tw) if (1..=4).contains(&tw) => {
                Ok(((tw - 1) * 3 + 1..=tw * 3).collect())
            }
            _ => Err(ServiceError::invalid(MessageKey::RealisasiPeriodInvalid)),
        }
    }
}

/// Locks (`lock` true) or unlocks a period of a district's year; audited, the months that changed
/// returned. Waits for realisation writers of that year to finish, and they for it.
pub fn set_period_lock(
    conn: &mut PgConnection,
    actor: &Actor,
    kode_kabkota: &str,
    tahun: i16,
    period: Period,
    lock: bool,
) -> ServiceResult<Vec<i16>> {
    let months = period.months()?;
    conn.transaction(|conn| {
        if !realisasi::hold_year(conn, kode_kabkota, tahun, true)? {
            return Err(ServiceError::NotFound);
        }
        let changed = if lock {
            let rows: Vec<NewLock> = months
                .iter()
                .map(|bulan| NewLock {
                    kode_kabkota: kode_kabkota.to_owned(),
                    tahun,
                    bulan: *bulan,
                    user_id: actor.user_id,
                    actor: actor.label.clone(),
                })
                .collect();
            realisasi::lock_months(conn, &rows)?
        } else {
            realisasi::unlock_months(conn, kode_kabkota, tahun, &months)?
        };
        let mut changed = changed;
        changed.sort_unstable();
        if !changed.is_empty() {
            let state = |locked: bool| serde_json::json!({ "tahun": tahun, "bulan": changed, "terkunci": locked });
            audit::record(
                conn,
                actor,
                if lock { "lock" } else { "unlock" },
                "periode_kunci",
                format!("{tahun}/{}", changed.iter().map(i16::to_string).collect::<Vec<_>>().join(",")),
                Some(&state(!lock)),
                Some(&state(lock)),
            )?;
        }
        Ok(changed)
    })
}
