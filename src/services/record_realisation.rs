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

use crate::db::realisasi::{self, LineForRealisation, NewLock, NewRealisasi};
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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

/// The lines a recording is checked against, by id: those of its input that the scope may see
/// (removed ones included: [`plan`] says why they are refused). Another district's or, for an
/// `opd` user, another OPD's line is simply absent.
pub type ScopedLines = HashMap<i64, LineForRealisation>;

/// The [`ScopedLines`] of an input.
pub fn scoped_lines(
    conn: &mut PgConnection,
    scope: &Scope,
    input: &[LineMonths],
) -> QueryResult<ScopedLines> {
    let ids: Vec<i64> = input.iter().map(|line| line.line_id).collect();
    Ok(realisasi::lines_in_scope(conn, &ids, scope)?
        .into_iter()
        .map(|line| (line.id, line))
        .collect())
}

/// Whether a [`plan`] takes the writers' locks: its lines (one writer of a line at a time, so
/// two writers never check the pagu against what the other has not written yet) and its years
/// (a period cannot be locked between the check and the write). Locks last until the caller's
/// transaction ends, so a plan made with them can be written as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    Writers,
    /// A look only (a preview): nothing is locked, nothing can be written.
    Nothing,
}

/// A recording checked: its outcome (changes, warnings, every problem) and the rows it writes.
#[derive(Debug)]
pub struct Plan {
    pub outcome: RecordOutcome,
    /// The months to write: (line, month, figures).
    writes: Vec<(i64, i16, Figures)>,
    /// The months that hold figures now and are cleared or written again.
    clears: Vec<(i64, i16)>,
    held: bool,
}

impl Plan {
    /// The months this plan writes.
    pub fn months_written(&self) -> usize {
        self.writes.len()
    }
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
    conn.transaction(|conn| {
        let lines = scoped_lines(conn, scope, input)?;
        let plan = plan(conn, scope, input, &lines, rules, Hold::Writers)?;
        write(conn, actor, scope, via, plan)
    })
}

/// Every check of [`record`], each problem collected at its line, month and figure rather than
/// the first refused: what an import lists row by row. Writes nothing.
pub fn check(
    conn: &mut PgConnection,
    scope: &Scope,
    input: &[LineMonths],
    rules: Rules,
) -> ServiceResult<RecordOutcome> {
    let lines = scoped_lines(conn, scope, input)?;
    Ok(plan(conn, scope, input, &lines, rules, Hold::Nothing)?.outcome)
}

fn first_error(outcome: &RecordOutcome) -> ServiceResult<()> {
    match outcome
        .problems
        .iter()
        .find(|problem| problem.severity == Severity::Error)
    {
        Some(problem) => Err(problem.clone().into_error()),
        None => Ok(()),
    }
}

/// The same checks as [`record`] and the changes it would make (before/after, warnings), writing
/// nothing: the dry run an import shows before its commit.
pub fn preview(
    conn: &mut PgConnection,
    scope: &Scope,
    input: &[LineMonths],
    rules: Rules,
) -> ServiceResult<RecordOutcome> {
    let outcome = check(conn, scope, input, rules)?;
    first_error(&outcome)?;
    Ok(outcome)
}

/// A line's twelve months as they stand, empty where nothing is recorded.
type Months = [Option<Figures>; 12];

/// Checks `input` against `lines` (from [`scoped_lines`]) and what is recorded, and works out what
/// recording it writes: every problem collected, none refused yet ([`write`] refuses a plan with
/// errors). With [`Hold::Writers`] the lines and years are locked first, for the rest of the
/// caller's transaction.
pub fn plan(
    conn: &mut PgConnection,
    scope: &Scope,
    input: &[LineMonths],
    lines: &ScopedLines,
    rules: Rules,
    hold: Hold,
) -> ServiceResult<Plan> {
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
    // (a savepoint inside the caller's transaction: the locks stay until that one ends)
    conn.transaction(|conn| {
        let mut usable: BTreeSet<i64> = BTreeSet::new();
        for line in input {
            let id = line.line_id;
            match lines.get(&id) {
                // another district's or (for an opd user) another OPD's line reads as unknown
                None => problems.push(Problem::error(
                    id,
                    None,
                    Figure::Line,
                    Message::new(MessageKey::RealisasiLineUnknown).arg(id),
                )),
                Some(found) if found.removed_in_batch.is_some() => problems.push(Problem::error(
                    id,
                    None,
                    Figure::Line,
                    Message::new(MessageKey::RealisasiLineRemoved).arg(id),
                )),
                Some(_) => {
                    usable.insert(id);
                }
            }
        }
        let usable_ids: Vec<i64> = usable.iter().copied().collect();
        if hold == Hold::Writers {
            realisasi::lock_lines(conn, &usable_ids)?;
        }
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

        let mut stored: HashMap<i64, Months> = HashMap::new();
        for (line_id, bulan, keuangan, fisik) in realisasi::figures_of_lines(conn, &usable_ids)? {
            if (1..=12).contains(&bulan) {
                stored.entry(line_id).or_insert([None; 12])[(bulan - 1) as usize] =
                    Some(Figures { keuangan, fisik });
            }
        }
        // the months of each line touched, as they will stand
        let mut after_plan: HashMap<i64, Months> = HashMap::new();
        let mut outcome = RecordOutcome::default();
        // the last month changed per line: where a line's cumulative problem is shown
        let mut last_changed: HashMap<i64, i16> = HashMap::new();
        for line_input in input {
            let id = line_input.line_id;
            if !usable.contains(&id) {
                continue;
            }
            let line = &lines[&id];
            for month in &line_input.months {
                if refused.contains(&(id, month.bulan)) {
                    continue;
                }
                let months = after_plan
                    .entry(id)
                    .or_insert_with(|| stored.get(&id).copied().unwrap_or([None; 12]));
                let slot = &mut months[(month.bulan - 1) as usize];
                let before = *slot;
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
                            id,
                            Some(month.bulan),
                            Figure::Keuangan,
                            Message::new(MessageKey::RealisasiMonthLocked)
                                .arg(month.bulan)
                                .arg(line.tahun),
                        )
                    });
                    continue;
                }
                *slot = after;
                last_changed.insert(id, month.bulan);
                outcome.changes.push(MonthChange {
                    line_id: id,
                    bulan: month.bulan,
                    before,
                    after,
                });
            }
        }
        // the whole year of each changed line, as it will stand, against its pagu and target
        let tolerance = Decimal::from(100 + rules.fisik_tolerance_percent) / Decimal::from(100);
        let mut changed: Vec<i64> = last_changed.keys().copied().collect();
        changed.sort_unstable();
        let (mut writes, mut clears) = (Vec::new(), Vec::new());
        for id in &changed {
            let line = &lines[id];
            let months = &after_plan[id];
            let (keuangan, fisik) = months
                .iter()
                .flatten()
                .fold((Decimal::ZERO, Decimal::ZERO), |(k, f), figures| {
                    (k + figures.keuangan, f + figures.fisik.unwrap_or_default())
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
            // a month written again is removed and copied in anew: COPY is the fast way in for the
            // hundreds of thousands of line-months of an import
            let before = stored.get(id).copied().unwrap_or([None; 12]);
            for (index, (was, will)) in before.iter().zip(months).enumerate() {
                if was == will {
                    continue;
                }
                let bulan = index as i16 + 1;
                if was.is_some() {
                    clears.push((*id, bulan));
                }
                if let Some(figures) = will {
                    writes.push((*id, bulan, *figures));
                }
            }
        }
        outcome.problems = problems;
        Ok(Plan {
            outcome,
            writes,
            clears,
            held: hold == Hold::Writers,
        })
    })
}

/// Writes a plan made with [`Hold::Writers`] in the same transaction, refusing it on its first
/// error: the months, and one activity-log entry per line with its changed months before and
/// after.
pub fn write(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    via: Via,
    plan: Plan,
) -> ServiceResult<RecordOutcome> {
    first_error(&plan.outcome)?;
    if !plan.held {
        return Err(ServiceError::internal(
            "a realisation plan made without the writers' locks cannot be written",
        ));
    }
    // the activity log's entries are put together and serialised on a second thread while the
    // connection writes the months (for an import, 20,000 entries beside 240,000 months)
    let serialised = std::thread::scope(|threads| {
        let entries = threads.spawn(|| activity_entries(&plan.outcome.changes, via));
        realisasi::delete_months(conn, &plan.clears)?;
        let now = Utc::now();
        let rows: Vec<NewRealisasi<'_>> = plan
            .writes
            .iter()
            .map(|(line_id, bulan, figures)| NewRealisasi {
                kode_kabkota: &scope.kode_kabkota,
                line_id: *line_id,
                bulan: *bulan,
                keuangan: figures.keuangan,
                fisik: figures.fisik,
                user_id: actor.user_id,
                actor: &actor.label,
                via: via.as_str(),
                batch_id: via.batch_id(),
                entered_at: now,
            })
            .collect();
        realisasi::copy_months(conn, &rows)?;
        drop(rows);
        entries
            .join()
            .map_err(|_| ServiceError::internal("the activity log's entries could not be made"))
    })?;
    audit::record_serialised(conn, actor, "update", "realisasi", &serialised)?;
    Ok(plan.outcome)
}

/// One activity-log entry per line, its changed months before and after, serialised.
fn activity_entries(changes: &[MonthChange], via: Via) -> audit::SerialisedEntries {
    let mut entries: Vec<(String, Option<LineMonthsLog<'_>>, Option<LineMonthsLog<'_>>)> =
        Vec::new();
    let mut start = 0;
    while start < changes.len() {
        let id = changes[start].line_id;
        let end = start
            + changes[start..]
                .iter()
                .take_while(|change| change.line_id == id)
                .count();
        let mine = &changes[start..end];
        let before: BTreeMap<i16, &Option<Figures>> =
            mine.iter().map(|c| (c.bulan, &c.before)).collect();
        let after: BTreeMap<i16, &Option<Figures>> =
            mine.iter().map(|c| (c.bulan, &c.after)).collect();
        entries.push((
            id.to_string(),
            Some(LineMonthsLog {
                bulan: before,
                via: None,
                batch: None,
            }),
            Some(LineMonthsLog {
                bulan: after,
                via: Some(via.as_str()),
                batch: Some(via.batch_id()),
            }),
        ));
        start = end;
    }
    audit::serialise_all(&entries)
}

/// A line's months in the activity log: before `{"bulan": {..}}`, after with the way in too.
#[derive(Serialize)]
struct LineMonthsLog<'a> {
    bulan: BTreeMap<i16, &'a Option<Figures>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<Option<i64>>,
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
