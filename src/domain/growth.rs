//! WHO Child Growth Standards (2006) for 0-5 years: age in days, the LMS z-scores length/height-for-age,
//! weight-for-age and weight-for-length/height, the flags for implausible values, and the TB/U category
//! of Permenkes 2/2020. Pure: the only data is the WHO tables embedded from `data/who/`.
//!
//! The rules follow WHO's own `anthro` software (R package), so a nutrition office gets the same numbers
//! as from WHO Anthro: a standing height before day 731 gets +0.7 cm and a lying length from day 731
//! gets -0.7 cm; length-for-age uses the length table up to day 730 and the height table from day 731;
//! weight-for-length is used before day 731 (45-110 cm) and weight-for-height from then on (65-120 cm),
//! on the corrected length, with L, M and S interpolated between the 0.1 cm rows; the weight-based
//! z-scores are "SD23"-adjusted beyond ±3; z-scores are rounded to 2 decimals before they are flagged
//! (length/height-for-age beyond ±6, weight-for-age below -6 or above +5, weight-for-length/height
//! beyond ±5) and before they are categorised.

use std::sync::LazyLock;

use chrono::NaiveDate;

/// A month of age in days, as WHO counts it.
pub const DAYS_PER_MONTH: f64 = 30.4375;
/// The last day of age the standards cover: WHO computes z-scores only below 60 months.
pub const MAX_AGE_DAYS: i64 = 1826;
/// From this day of age on, the child is expected to be measured standing.
pub const FIRST_STANDING_DAY: i64 = 731;
/// What a lying length exceeds a standing height by, in cm.
pub const LYING_STANDING_DIFFERENCE_CM: f64 = 0.7;

const LHFA_CSV: &str = include_str!("../../data/who/lhfa.csv");
const WFA_CSV: &str = include_str!("../../data/who/wfa.csv");
const WFL_CSV: &str = include_str!("../../data/who/wfl.csv");
const WFH_CSV: &str = include_str!("../../data/who/wfh.csv");

/// Jenis kelamin as the standards split them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// Accepts `L`/`P` (laki-laki/perempuan), `1`/`2` (WHO's and e-PPGBM's coding) and the words.
    pub fn parse(text: &str) -> Option<Sex> {
        match text.trim().to_lowercase().as_str() {
            "l" | "1" | "lk" | "laki-laki" | "laki laki" | "m" | "male" => Some(Sex::Male),
            "p" | "2" | "pr" | "perempuan" | "f" | "female" => Some(Sex::Female),
            _ => None,
        }
    }

    /// The stored form: `L` or `P`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }

    fn index(self) -> usize {
        match self {
            Sex::Male => 0,
            Sex::Female => 1,
        }
    }
}

/// How the child lay or stood for the length/height (cara ukur).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    /// Berbaring: recumbent length.
    Lying,
    /// Berdiri: standing height.
    Standing,
}

impl Position {
    /// Accepts `berbaring`/`berdiri`, e-PPGBM's `PB`/`TB`, WHO's `L`/`H` and the English words.
    pub fn parse(text: &str) -> Option<Position> {
        match text.trim().to_lowercase().as_str() {
            "berbaring" | "baring" | "pb" | "l" | "lying" | "recumbent" | "length" => {
                Some(Position::Lying)
            }
            "berdiri" | "diri" | "tb" | "h" | "standing" | "height" => Some(Position::Standing),
            _ => None,
        }
    }

    /// The stored form: `berbaring` or `berdiri`.
    pub fn as_str(self) -> &'static str {
        match self {
            Position::Lying => "berbaring",
            Position::Standing => "berdiri",
        }
    }

    /// What WHO expects at this age when nobody wrote the position down.
    pub fn expected_at(age_days: i64) -> Position {
        if age_days < FIRST_STANDING_DAY {
            Position::Lying
        } else {
            Position::Standing
        }
    }
}

/// The three indices lokus reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    /// TB/U (PB/U): length/height-for-age, the stunting index.
    LengthForAge,
    /// BB/U: weight-for-age.
    WeightForAge,
    /// BB/PB or BB/TB: weight-for-length/height.
    WeightForLength,
}

impl Indicator {
    /// The Indonesian abbreviation used in reports (TB/U, BB/U, BB/TB).
    pub fn code(self) -> &'static str {
        match self {
            Indicator::LengthForAge => "TB/U",
            Indicator::WeightForAge => "BB/U",
            Indicator::WeightForLength => "BB/TB",
        }
    }

    /// WHO's limits beyond which a z-score is implausible (likely a measuring or typing error).
    fn plausible(self, z: f64) -> bool {
        match self {
            Indicator::LengthForAge => (-6.0..=6.0).contains(&z),
            Indicator::WeightForAge => (-6.0..=5.0).contains(&z),
            Indicator::WeightForLength => (-5.0..=5.0).contains(&z),
        }
    }
}

/// A z-score as WHO reports it: rounded to 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct ZScore(f64);

impl ZScore {
    fn from_raw(z: f64) -> ZScore {
        ZScore((z * 100.0).round() / 100.0)
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

impl std::fmt::Display for ZScore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // "-0.00" would read as a sign error to a nutritionist.
        let z = if self.0 == 0.0 { 0.0 } else { self.0 };
        write!(f, "{z:.2}")
    }
}

/// Status gizi TB/U, Permenkes 2/2020 Lampiran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TbuCategory {
    /// z < -3: severely stunted.
    SangatPendek,
    /// -3 <= z < -2: stunted.
    Pendek,
    /// -2 <= z <= +3.
    Normal,
    /// z > +3: tall.
    Tinggi,
}

impl TbuCategory {
    pub const ALL: [TbuCategory; 4] = [
        TbuCategory::SangatPendek,
        TbuCategory::Pendek,
        TbuCategory::Normal,
        TbuCategory::Tinggi,
    ];

    pub fn of(z: ZScore) -> TbuCategory {
        let z = z.value();
        if z < -3.0 {
            TbuCategory::SangatPendek
        } else if z < -2.0 {
            TbuCategory::Pendek
        } else if z <= 3.0 {
            TbuCategory::Normal
        } else {
            TbuCategory::Tinggi
        }
    }

    /// The stored form, which is also the Permenkes wording.
    pub fn as_str(self) -> &'static str {
        match self {
            TbuCategory::SangatPendek => "sangat pendek",
            TbuCategory::Pendek => "pendek",
            TbuCategory::Normal => "normal",
            TbuCategory::Tinggi => "tinggi",
        }
    }

    pub fn parse(text: &str) -> Option<TbuCategory> {
        let text = text.trim().to_lowercase();
        TbuCategory::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Pendek or sangat pendek: counted in the stunting prevalence.
    pub fn is_stunted(self) -> bool {
        matches!(self, TbuCategory::SangatPendek | TbuCategory::Pendek)
    }
}

/// Why a measurement cannot be assessed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthError {
    /// The measurement date is before the birth date.
    MeasuredBeforeBirth,
    /// Older than 60 months: the WHO Child Growth Standards do not apply.
    TooOld,
    /// Neither weight nor length/height was given.
    NothingMeasured,
    /// A weight that is zero, negative or not a number.
    BadWeight,
    /// A length/height that is zero, negative or not a number.
    BadLength,
}

/// One child measured once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    pub sex: Sex,
    pub age_days: i64,
    pub weight_kg: Option<f64>,
    pub length_cm: Option<f64>,
    /// `None`: the position WHO expects at this age, so no correction.
    pub position: Option<Position>,
}

/// The z-scores of one measurement; `None` where the index is not defined (no measure, or a length
/// outside the weight-for-length/height table).
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub age_days: i64,
    /// The length/height after the lying/standing correction.
    pub corrected_length_cm: Option<f64>,
    pub length_for_age: Option<ZScore>,
    pub weight_for_age: Option<ZScore>,
    pub weight_for_length: Option<ZScore>,
    /// Indices whose z-score is beyond WHO's plausible limits, in the order TB/U, BB/U, BB/TB.
    pub implausible: Vec<Indicator>,
}

impl Assessment {
    /// The TB/U category; none where TB/U is missing or implausible, since an implausible length is
    /// a measuring error to check, not a stunted child to count.
    pub fn tbu_category(&self) -> Option<TbuCategory> {
        if self.implausible.contains(&Indicator::LengthForAge) {
            return None;
        }
        self.length_for_age.map(TbuCategory::of)
    }
}

/// Age in completed days; `None` when measured before birth.
pub fn age_in_days(birth: NaiveDate, measured: NaiveDate) -> Option<i64> {
    let days = (measured - birth).num_days();
    (days >= 0).then_some(days)
}

/// The WHO z-scores of one measurement.
pub fn assess(measurement: &Measurement) -> Result<Assessment, GrowthError> {
    let Measurement {
        sex,
        age_days,
        weight_kg,
        length_cm,
        position,
    } = *measurement;
    if age_days < 0 {
        return Err(GrowthError::MeasuredBeforeBirth);
    }
    if age_days > MAX_AGE_DAYS {
        return Err(GrowthError::TooOld);
    }
    if weight_kg.is_none() && length_cm.is_none() {
        return Err(GrowthError::NothingMeasured);
    }
    if weight_kg.is_some_and(|w| !(w.is_finite() && w > 0.0)) {
        return Err(GrowthError::BadWeight);
    }
    if length_cm.is_some_and(|l| !(l.is_finite() && l > 0.0)) {
        return Err(GrowthError::BadLength);
    }

    let tables = &*TABLES;
    let age = age_days as usize;
    let corrected = length_cm.map(|length| corrected_length(length, age_days, position));
    let length_for_age =
        corrected.map(|length| ZScore::from_raw(tables.lhfa[sex.index()][age].z(length)));
    let weight_for_age =
        weight_kg.map(|weight| ZScore::from_raw(tables.wfa[sex.index()][age].z_adjusted(weight)));
    let weight_for_length = match (weight_kg, corrected) {
        (Some(weight), Some(length)) => {
            let table = if age_days < FIRST_STANDING_DAY {
                &tables.wfl[sex.index()]
            } else {
                &tables.wfh[sex.index()]
            };
            table
                .lms_at(length)
                .map(|lms| ZScore::from_raw(lms.z_adjusted(weight)))
        }
        _ => None,
    };

    let implausible = [
        (Indicator::LengthForAge, length_for_age),
        (Indicator::WeightForAge, weight_for_age),
        (Indicator::WeightForLength, weight_for_length),
    ]
    .into_iter()
    .filter_map(|(indicator, z)| {
        z.filter(|z| !indicator.plausible(z.value()))
            .map(|_| indicator)
    })
    .collect();

    Ok(Assessment {
        age_days,
        corrected_length_cm: corrected,
        length_for_age,
        weight_for_age,
        weight_for_length,
        implausible,
    })
}

/// The length as the table for this age expects it: +0.7 cm for a standing height before day 731,
/// -0.7 cm for a lying length from day 731, unchanged otherwise.
pub fn corrected_length(length_cm: f64, age_days: i64, position: Option<Position>) -> f64 {
    match position {
        Some(Position::Standing) if age_days < FIRST_STANDING_DAY => {
            length_cm + LYING_STANDING_DIFFERENCE_CM
        }
        Some(Position::Lying) if age_days >= FIRST_STANDING_DAY => {
            length_cm - LYING_STANDING_DIFFERENCE_CM
        }
        _ => length_cm,
    }
}

/// The measure at a given z-score on the standard's curve for one sex and age: what a growth chart
/// draws as its SD lines. `None` outside 0..=1826 days.
pub fn length_at_z(sex: Sex, age_days: i64, z: f64) -> Option<f64> {
    let age = usize::try_from(age_days).ok()?;
    TABLES.lhfa[sex.index()].get(age).map(|lms| lms.at_z(z))
}

/// One row of a WHO table: the Box-Cox power L, the median M and the coefficient of variation S.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lms {
    l: f64,
    m: f64,
    s: f64,
}

impl Lms {
    fn z(&self, x: f64) -> f64 {
        if self.l == 0.0 {
            (x / self.m).ln() / self.s
        } else {
            ((x / self.m).powf(self.l) - 1.0) / (self.l * self.s)
        }
    }

    /// The measure at z (the inverse of `z`, without the SD23 extension).
    fn at_z(&self, z: f64) -> f64 {
        if self.l == 0.0 {
            self.m * (self.s * z).exp()
        } else {
            self.m * (1.0 + self.l * self.s * z).powf(1.0 / self.l)
        }
    }

    /// WHO's restricted application of the LMS method for weights: beyond ±3 the distance is measured
    /// in units of the gap between the 2 and 3 SD lines, because the skewed tail would otherwise
    /// compress extreme values.
    fn z_adjusted(&self, x: f64) -> f64 {
        let z = self.z(x);
        if z > 3.0 {
            let sd3 = self.at_z(3.0);
            3.0 + (x - sd3) / (sd3 - self.at_z(2.0))
        } else if z < -3.0 {
            let sd3 = self.at_z(-3.0);
            -3.0 + (x - sd3) / (self.at_z(-2.0) - sd3)
        } else {
            z
        }
    }
}

/// A table indexed by length or height in steps of 0.1 cm.
#[derive(Debug)]
struct LengthTable {
    /// The first row's length in tenths of a cm.
    first_tenths: i64,
    rows: Vec<Lms>,
}

impl LengthTable {
    /// L, M and S at a length, interpolated linearly between the two 0.1 cm rows around it as WHO's
    /// anthro does; `None` outside the table.
    fn lms_at(&self, length_cm: f64) -> Option<Lms> {
        let tenths = length_cm * 10.0;
        // A tiny allowance so 80.3 (802.999... in binary) finds its own row, not the one below.
        let lower = (tenths + 1e-9).floor();
        let fraction = (tenths - lower).max(0.0);
        let index = usize::try_from(lower as i64 - self.first_tenths).ok()?;
        let low = *self.rows.get(index)?;
        if fraction < 1e-9 {
            return Some(low);
        }
        let high = *self.rows.get(index + 1)?;
        let mix = |a: f64, b: f64| a + fraction * (b - a);
        Some(Lms {
            l: mix(low.l, high.l),
            m: mix(low.m, high.m),
            s: mix(low.s, high.s),
        })
    }
}

struct Tables {
    lhfa: [Vec<Lms>; 2],
    wfa: [Vec<Lms>; 2],
    wfl: [LengthTable; 2],
    wfh: [LengthTable; 2],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    // The tables are part of the binary and checked by the tests below, so a failure here is a
    // broken build, not bad input.
    let age = |csv, name| parse_age_table(csv).unwrap_or_else(|e| panic!("data/who/{name}: {e}"));
    let length = |csv, name, first, last| {
        parse_length_table(csv, first, last).unwrap_or_else(|e| panic!("data/who/{name}: {e}"))
    };
    Tables {
        lhfa: age(LHFA_CSV, "lhfa.csv"),
        wfa: age(WFA_CSV, "wfa.csv"),
        wfl: length(WFL_CSV, "wfl.csv", 450, 1100),
        wfh: length(WFH_CSV, "wfh.csv", 650, 1200),
    }
});

/// Rows `sex,index,L,M,S[,measure]`, both sexes, every index present once and in order.
fn parse_rows(csv: &str) -> Result<[Vec<(String, Lms)>; 2], String> {
    let mut sexes: [Vec<(String, Lms)>; 2] = [Vec::new(), Vec::new()];
    for (number, line) in csv.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.trim().split(',').collect();
        if fields.len() < 5 {
            return Err(format!("line {}: {} fields", number + 1, fields.len()));
        }
        let number_at = |i: usize| {
            fields[i]
                .parse::<f64>()
                .map_err(|_| format!("line {}: {:?} is not a number", number + 1, fields[i]))
        };
        let lms = Lms {
            l: number_at(2)?,
            m: number_at(3)?,
            s: number_at(4)?,
        };
        let sex = match fields[0] {
            "1" => 0,
            "2" => 1,
            other => return Err(format!("line {}: sex {other:?}", number + 1)),
        };
        sexes[sex].push((fields[1].to_owned(), lms));
    }
    Ok(sexes)
}

fn parse_age_table(csv: &str) -> Result<[Vec<Lms>; 2], String> {
    let [male, female] = parse_rows(csv)?;
    let check = |rows: Vec<(String, Lms)>| -> Result<Vec<Lms>, String> {
        if rows.len() != MAX_AGE_DAYS as usize + 1 {
            return Err(format!("{} ages, expected 0..={MAX_AGE_DAYS}", rows.len()));
        }
        rows.into_iter()
            .enumerate()
            .map(|(day, (index, lms))| {
                (index == day.to_string())
                    .then_some(lms)
                    .ok_or_else(|| format!("day {index} where {day} was expected"))
            })
            .collect()
    };
    Ok([check(male)?, check(female)?])
}

fn parse_length_table(csv: &str, first: i64, last: i64) -> Result<[LengthTable; 2], String> {
    let [male, female] = parse_rows(csv)?;
    let check = |rows: Vec<(String, Lms)>| -> Result<LengthTable, String> {
        if rows.len() as i64 != last - first + 1 {
            return Err(format!(
                "{} rows, expected {first}..={last} tenths",
                rows.len()
            ));
        }
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, (index, lms))| {
                let expected = first + i as i64;
                let tenths = index.parse::<f64>().map(|cm| (cm * 10.0).round() as i64);
                (tenths == Ok(expected))
                    .then_some(lms)
                    .ok_or_else(|| format!("{index} cm where {expected} tenths were expected"))
            })
            .collect::<Result<_, _>>()?;
        Ok(LengthTable {
            first_tenths: first,
            rows,
        })
    };
    Ok([check(male)?, check(female)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows copied by hand from `data/who/*.csv`, so the tests check the loader as well as the maths.
    const BOY_LHFA_365: Lms = Lms {
        l: 1.0,
        m: 75.7391,
        s: 0.03137,
    };
    const GIRL_LHFA_365: Lms = Lms {
        l: 1.0,
        m: 74.0049,
        s: 0.03479,
    };
    const BOY_WFA_1000: Lms = Lms {
        l: -0.0558,
        m: 13.8057,
        s: 0.11945,
    };
    const GIRL_WFA_365: Lms = Lms {
        l: -0.2022,
        m: 8.9462,
        s: 0.12267,
    };
    const BOY_WFL_80_3: Lms = Lms {
        l: -0.3521,
        m: 10.5031,
        s: 0.08304,
    };
    const BOY_WFL_80_4: Lms = Lms {
        l: -0.3521,
        m: 10.5217,
        s: 0.08303,
    };

    fn close(actual: Option<ZScore>, expected: f64) {
        let actual = actual.expect("a z-score").value();
        assert!(
            (actual - expected).abs() <= 0.01,
            "z {actual}, expected {expected}"
        );
    }

    fn child(sex: Sex, age_days: i64) -> Measurement {
        Measurement {
            sex,
            age_days,
            weight_kg: None,
            length_cm: None,
            position: None,
        }
    }

    fn with_length(sex: Sex, age_days: i64, length: f64, position: Option<Position>) -> Assessment {
        assess(&Measurement {
            length_cm: Some(length),
            position,
            ..child(sex, age_days)
        })
        .unwrap()
    }

    fn with_weight(sex: Sex, age_days: i64, weight: f64) -> Assessment {
        assess(&Measurement {
            weight_kg: Some(weight),
            ..child(sex, age_days)
        })
        .unwrap()
    }

    #[test]
    fn the_embedded_tables_load_whole() {
        let tables = &*TABLES;
        for sex in 0..2 {
            assert_eq!(tables.lhfa[sex].len(), 1827);
            assert_eq!(tables.wfa[sex].len(), 1827);
            assert_eq!(tables.wfl[sex].rows.len(), 651);
            assert_eq!(tables.wfh[sex].rows.len(), 551);
        }
        assert_eq!(tables.lhfa[0][365], BOY_LHFA_365);
        assert_eq!(tables.lhfa[1][365], GIRL_LHFA_365);
        assert_eq!(tables.wfa[0][1000], BOY_WFA_1000);
        assert_eq!(tables.wfl[0].lms_at(80.3), Some(BOY_WFL_80_3));
    }

    #[test]
    fn the_sd_lines_of_length_for_age_score_their_own_z_for_both_sexes() {
        for (sex, age) in [
            (Sex::Male, 0),
            (Sex::Male, 365),
            (Sex::Male, 1826),
            (Sex::Female, 0),
            (Sex::Female, 365),
            (Sex::Female, 1500),
        ] {
            for z in [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0] {
                let length = length_at_z(sex, age, z).unwrap();
                let position = Some(Position::expected_at(age));
                close(with_length(sex, age, length, position).length_for_age, z);
            }
        }
        // Worked by hand from the rows: M (1 + L S z)^(1/L) with L = 1.
        let boy_minus_2 = 75.7391 * (1.0 - 2.0 * 0.03137);
        close(
            with_length(Sex::Male, 365, boy_minus_2, None).length_for_age,
            -2.0,
        );
        let girl_plus_1 = 74.0049 * (1.0 + 0.03479);
        close(
            with_length(Sex::Female, 365, girl_plus_1, None).length_for_age,
            1.0,
        );
    }

    #[test]
    fn the_sd_lines_of_weight_for_age_score_their_own_z() {
        for z in [-3.0, -2.0, 0.0, 2.0, 3.0] {
            close(
                with_weight(Sex::Male, 1000, BOY_WFA_1000.at_z(z)).weight_for_age,
                z,
            );
            close(
                with_weight(Sex::Female, 365, GIRL_WFA_365.at_z(z)).weight_for_age,
                z,
            );
        }
        // The median itself.
        close(with_weight(Sex::Male, 1000, 13.8057).weight_for_age, 0.0);
    }

    #[test]
    fn the_length_table_gives_way_to_the_height_table_between_day_730_and_731() {
        // Day 730 scores against the length median, day 731 against the height median (0.67 cm lower).
        close(
            with_length(Sex::Male, 730, 87.8018, None).length_for_age,
            0.0,
        );
        close(
            with_length(Sex::Male, 731, 87.1303, None).length_for_age,
            0.0,
        );
        close(
            with_length(Sex::Female, 730, 86.4008, None).length_for_age,
            0.0,
        );
        close(
            with_length(Sex::Female, 731, 85.7299, None).length_for_age,
            0.0,
        );
        // The same 87.1303 cm is below the median on day 730: (87.1303/87.8018 - 1)/0.03479.
        close(
            with_length(Sex::Male, 730, 87.1303, None).length_for_age,
            (87.1303 / 87.8018 - 1.0) / 0.03479,
        );
    }

    #[test]
    fn a_height_taken_standing_before_day_731_gets_07_cm_and_a_length_lying_after_loses_it() {
        let standing = with_length(Sex::Male, 365, 75.0, Some(Position::Standing));
        assert_eq!(standing.corrected_length_cm, Some(75.7));
        close(standing.length_for_age, (75.7 / 75.7391 - 1.0) / 0.03137);
        let lying = with_length(Sex::Male, 365, 75.0, Some(Position::Lying));
        assert_eq!(lying.corrected_length_cm, Some(75.0));
        let unknown = with_length(Sex::Male, 365, 75.0, None);
        assert_eq!(unknown.length_for_age, lying.length_for_age);

        // Day 730 is still a lying age; day 731 is a standing one.
        let day_730 = with_length(Sex::Female, 730, 86.0, Some(Position::Standing));
        assert_eq!(day_730.corrected_length_cm, Some(86.7));
        let day_731 = with_length(Sex::Female, 731, 86.0, Some(Position::Lying));
        assert_eq!(day_731.corrected_length_cm, Some(86.0 - 0.7));
        close(
            day_731.length_for_age,
            ((86.0 - 0.7) / 85.7299 - 1.0) / 0.03764,
        );
        let day_731_standing = with_length(Sex::Female, 731, 86.0, Some(Position::Standing));
        assert_eq!(day_731_standing.corrected_length_cm, Some(86.0));
    }

    #[test]
    fn weight_for_length_interpolates_between_table_rows_like_who_anthro() {
        let weight = 10.5;
        let at = |length| {
            assess(&Measurement {
                weight_kg: Some(weight),
                length_cm: Some(length),
                ..child(Sex::Male, 400)
            })
            .unwrap()
            .weight_for_length
        };
        // Exactly on a row.
        close(at(80.3), BOY_WFL_80_3.z_adjusted(weight));
        // Four fifths of the way from 80.3 to 80.4: L, M and S each four fifths of the way.
        let mix = |a: f64, b: f64| a + 0.8 * (b - a);
        let between = Lms {
            l: mix(BOY_WFL_80_3.l, BOY_WFL_80_4.l),
            m: mix(BOY_WFL_80_3.m, BOY_WFL_80_4.m),
            s: mix(BOY_WFL_80_3.s, BOY_WFL_80_4.s),
        };
        close(at(80.38), between.z(weight));
        // And it is a different answer from the row below, so the test can tell.
        assert!((between.z(weight) - BOY_WFL_80_3.z(weight)).abs() > 0.01);
    }

    #[test]
    fn weight_for_height_is_used_from_day_731_on_the_corrected_height() {
        // Boy, day 1000, 95.0 cm standing, 14.06 kg: the wfh median at 95.0.
        let on_median = assess(&Measurement {
            weight_kg: Some(14.06),
            length_cm: Some(95.0),
            position: Some(Position::Standing),
            ..child(Sex::Male, 1000)
        })
        .unwrap();
        close(on_median.weight_for_length, 0.0);
        // The same child measured lying at 95.7 cm is corrected to 95.0: the same answer.
        let lying = assess(&Measurement {
            weight_kg: Some(14.06),
            length_cm: Some(95.7),
            position: Some(Position::Lying),
            ..child(Sex::Male, 1000)
        })
        .unwrap();
        close(lying.weight_for_length, 0.0);
        // 64 cm is below the height table (65-120 cm): not defined, but the other indices still are.
        let short = assess(&Measurement {
            weight_kg: Some(7.0),
            length_cm: Some(64.0),
            ..child(Sex::Female, 800)
        })
        .unwrap();
        assert_eq!(short.weight_for_length, None);
        assert!(short.weight_for_age.is_some());
        // Before day 731, 45 cm is in the length table.
        let newborn = assess(&Measurement {
            weight_kg: Some(2.441),
            length_cm: Some(45.0),
            ..child(Sex::Male, 0)
        })
        .unwrap();
        close(newborn.weight_for_length, 0.0);
    }

    #[test]
    fn weights_beyond_three_sd_are_scored_by_the_sd23_rule_and_lengths_are_not() {
        let lms = BOY_WFA_1000;
        let sd2 = lms.at_z(2.0);
        let sd3 = lms.at_z(3.0);
        let heavy = sd3 + 0.5 * (sd3 - sd2);
        let adjusted = with_weight(Sex::Male, 1000, heavy).weight_for_age;
        close(adjusted, 3.5);
        // The plain LMS formula would give something else: the rule matters.
        assert!((lms.z(heavy) - 3.5).abs() > 0.02, "{}", lms.z(heavy));

        let sdm2 = lms.at_z(-2.0);
        let sdm3 = lms.at_z(-3.0);
        let light = sdm3 - 1.0 * (sdm2 - sdm3);
        close(with_weight(Sex::Male, 1000, light).weight_for_age, -4.0);

        // Weight-for-length too.
        let wfl = BOY_WFL_80_3;
        let light = wfl.at_z(-3.0) - 0.5 * (wfl.at_z(-2.0) - wfl.at_z(-3.0));
        let wasted = assess(&Measurement {
            weight_kg: Some(light),
            length_cm: Some(80.3),
            ..child(Sex::Male, 400)
        })
        .unwrap();
        close(wasted.weight_for_length, -3.5);

        // Length-for-age keeps the plain formula beyond 3 SD: L = 1, so the scale is linear anyway,
        // and the answer is (x/M - 1)/S.
        let tall = 75.7391 * (1.0 + 4.2 * 0.03137);
        close(with_length(Sex::Male, 365, tall, None).length_for_age, 4.2);
    }

    #[test]
    fn implausible_values_are_flagged_at_whos_limits() {
        let lms = BOY_LHFA_365;
        let flagged = |z: f64| {
            with_length(Sex::Male, 365, lms.at_z(z), None)
                .implausible
                .contains(&Indicator::LengthForAge)
        };
        assert!(!flagged(-5.99));
        assert!(!flagged(6.0));
        assert!(flagged(-6.02));
        assert!(flagged(6.02));

        // Weight-for-age: below -6 or above +5 (WHO's limits are not symmetric).
        let wfa = BOY_WFA_1000;
        let at = |z: f64| {
            // Invert the SD23 rule beyond ±3.
            if z > 3.0 {
                wfa.at_z(3.0) + (z - 3.0) * (wfa.at_z(3.0) - wfa.at_z(2.0))
            } else {
                wfa.at_z(-3.0) + (z + 3.0) * (wfa.at_z(-2.0) - wfa.at_z(-3.0))
            }
        };
        let wfa_flagged = |z: f64| {
            let assessment = with_weight(Sex::Male, 1000, at(z));
            close(assessment.weight_for_age, z);
            assessment.implausible.contains(&Indicator::WeightForAge)
        };
        assert!(!wfa_flagged(4.98));
        assert!(wfa_flagged(5.02));
        assert!(!wfa_flagged(-5.98));
        assert!(wfa_flagged(-6.02));

        // Weight-for-length: beyond ±5.
        let wfl = BOY_WFL_80_3;
        let heavy = wfl.at_z(3.0) + 2.1 * (wfl.at_z(3.0) - wfl.at_z(2.0));
        let assessment = assess(&Measurement {
            weight_kg: Some(heavy),
            length_cm: Some(80.3),
            ..child(Sex::Male, 400)
        })
        .unwrap();
        close(assessment.weight_for_length, 5.1);
        assert_eq!(assessment.implausible, vec![Indicator::WeightForLength]);
    }

    #[test]
    fn the_tbu_category_follows_permenkes_2_2020_at_its_boundaries() {
        let category = |z: f64| TbuCategory::of(ZScore::from_raw(z));
        assert_eq!(category(-3.01), TbuCategory::SangatPendek);
        assert_eq!(category(-3.0), TbuCategory::Pendek);
        assert_eq!(category(-2.01), TbuCategory::Pendek);
        assert_eq!(category(-2.0), TbuCategory::Normal);
        assert_eq!(category(3.0), TbuCategory::Normal);
        assert_eq!(category(3.01), TbuCategory::Tinggi);
        // Rounded first: -2.004 is reported as -2.00 and so is normal.
        assert_eq!(category(-2.004), TbuCategory::Normal);
        assert!(TbuCategory::Pendek.is_stunted() && !TbuCategory::Normal.is_stunted());

        // Through `assess`: a boy of one year on the -2.5 SD line is pendek.
        let length = length_at_z(Sex::Male, 365, -2.5).unwrap();
        let assessment = with_length(Sex::Male, 365, length, None);
        assert_eq!(assessment.tbu_category(), Some(TbuCategory::Pendek));
        // An implausible length is not counted as a category.
        let absurd = with_length(Sex::Male, 365, 40.0, None);
        assert_eq!(absurd.tbu_category(), None);
    }

    #[test]
    fn age_is_counted_in_days_and_the_standards_stop_at_60_months() {
        let birth = NaiveDate::from_ymd_opt(2022, 2, 28).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(age_in_days(birth, day(2022, 2, 28)), Some(0));
        assert_eq!(age_in_days(birth, day(2024, 2, 29)), Some(731));
        assert_eq!(age_in_days(birth, day(2022, 2, 27)), None);

        assert_eq!(
            assess(&Measurement {
                weight_kg: Some(18.0),
                ..child(Sex::Female, 1827)
            }),
            Err(GrowthError::TooOld)
        );
        assert!(
            assess(&Measurement {
                weight_kg: Some(18.0),
                ..child(Sex::Female, 1826)
            })
            .is_ok()
        );
        assert_eq!(
            assess(&Measurement {
                weight_kg: Some(0.0),
                ..child(Sex::Female, 100)
            }),
            Err(GrowthError::BadWeight)
        );
        assert_eq!(
            assess(&Measurement {
                length_cm: Some(f64::NAN),
                ..child(Sex::Female, 100)
            }),
            Err(GrowthError::BadLength)
        );
        assert_eq!(
            assess(&child(Sex::Male, 100)),
            Err(GrowthError::NothingMeasured)
        );
        assert_eq!(
            assess(&child(Sex::Male, -1)),
            Err(GrowthError::MeasuredBeforeBirth)
        );
    }

    #[test]
    fn the_answers_agree_with_the_example_in_whos_anthro_documentation() {
        // anthro_zscores(sex = c(1, 2), age = c(1001, 1000), weight = c(18, 15), lenhei = c(120, 80))
        // prints zlen 7.31 / -3.50, zwei 2.20 / 0.95, zwfl -2.39 / 4.13 (position not given).
        let boy = assess(&Measurement {
            weight_kg: Some(18.0),
            length_cm: Some(120.0),
            ..child(Sex::Male, 1001)
        })
        .unwrap();
        assert_eq!(boy.length_for_age, Some(ZScore(7.31)));
        assert_eq!(boy.weight_for_age, Some(ZScore(2.20)));
        assert_eq!(boy.weight_for_length, Some(ZScore(-2.39)));
        assert_eq!(boy.implausible, vec![Indicator::LengthForAge]);
        let girl = assess(&Measurement {
            weight_kg: Some(15.0),
            length_cm: Some(80.0),
            ..child(Sex::Female, 1000)
        })
        .unwrap();
        assert_eq!(girl.length_for_age, Some(ZScore(-3.50)));
        assert_eq!(girl.weight_for_age, Some(ZScore(0.95)));
        assert_eq!(girl.weight_for_length, Some(ZScore(4.13)));
        assert!(girl.implausible.is_empty());
    }

    #[test]
    fn sex_and_position_are_read_the_way_posyandu_data_writes_them() {
        assert_eq!(Sex::parse(" l "), Some(Sex::Male));
        assert_eq!(Sex::parse("2"), Some(Sex::Female));
        assert_eq!(Sex::parse("P"), Some(Sex::Female));
        assert_eq!(Sex::parse("x"), None);
        assert_eq!(Position::parse("Berbaring"), Some(Position::Lying));
        assert_eq!(Position::parse("TB"), Some(Position::Standing));
        assert_eq!(Position::parse("duduk"), None);
        assert_eq!(Position::expected_at(730), Position::Lying);
        assert_eq!(Position::expected_at(731), Position::Standing);
        assert_eq!(ZScore::from_raw(-0.001).to_string(), "0.00");
        assert_eq!(ZScore::from_raw(-2.346).to_string(), "-2.35");
    }
}
