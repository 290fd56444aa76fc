//! Which intervention a budget line is probably for, from the words of its uraian and sub kegiatan.
//! Only ever a suggestion shown to a person: lokus never tags a line by itself.

/// (phrases, intervention codes in order of likelihood). Phrases match whole words.
const RULES: &[(&[&str], &[&str])] = &[
    (
        &["tablet tambah darah", "ttd", "zat besi", "tablet fe"],
        &["SP2", "SP3"],
    ),
    (
        &[
            "pmt",
            "makanan tambahan",
            "pemberian makanan",
            "tambahan asupan",
        ],
        &["SP1", "SP8"],
    ),
    (
        &["asi eksklusif", "air susu ibu", "konseling menyusui"],
        &["SP4"],
    ),
    (&["mp asi", "mpasi", "makanan pendamping"], &["SP5"]),
    (
        &[
            "gizi buruk",
            "tata laksana gizi",
            "tatalaksana gizi",
            "wasting",
        ],
        &["SP6"],
    ),
    (
        &[
            "posyandu",
            "pemantauan pertumbuhan",
            "penimbangan",
            "antropometri",
            "timbang",
        ],
        &["SP7"],
    ),
    (&["imunisasi", "vaksin", "vaksinasi"], &["SP9"]),
    (
        &[
            "kb pascapersalinan",
            "kb pasca persalinan",
            "kontrasepsi",
            "keluarga berencana",
            "alat kontrasepsi",
        ],
        &["SE1"],
    ),
    (
        &[
            "kehamilan tidak diinginkan",
            "kehamilan yang tidak diinginkan",
        ],
        &["SE2"],
    ),
    (
        &["calon pengantin", "catin", "pranikah", "elsimil"],
        &["SE3"],
    ),
    (
        &["air minum", "air bersih", "spam", "pamsimas", "perpipaan"],
        &["SE4"],
    ),
    (
        &[
            "jamban",
            "sanitasi",
            "air limbah",
            "ipal",
            "septic tank",
            "tangki septik",
            "mck",
        ],
        &["SE5"],
    ),
    (&["pbi", "jaminan kesehatan", "bpjs kesehatan"], &["SE6"]),
    (
        &[
            "pendampingan keluarga",
            "tim pendamping keluarga",
            "tpk",
            "keluarga berisiko stunting",
        ],
        &["SE7"],
    ),
    (
        &["pkh", "bantuan tunai", "program keluarga harapan"],
        &["SE8"],
    ),
    (
        &[
            "sosialisasi",
            "edukasi",
            "kampanye",
            "komunikasi perubahan perilaku",
            "kie",
            "penyuluhan",
        ],
        &["SE9"],
    ),
    (
        &[
            "bantuan pangan",
            "bantuan sosial pangan",
            "bpnt",
            "sembako",
            "cadangan pangan",
        ],
        &["SE10"],
    ),
    (&["stop babs", "odf", "buang air besar", "stbm"], &["SE11"]),
];

/// Words that put the intervention for a group first when two are suggested.
const TARGET_HINTS: &[(&[&str], &str)] = &[
    (
        &["remaja", "remaja putri", "rematri", "siswi", "sekolah"],
        "SP3",
    ),
    (&["ibu hamil", "bumil", "kek"], "SP2"),
    (&["balita", "gizi kurang", "baduta"], "SP8"),
];

/// Lower-case words separated by single spaces, padded, so phrases match on word boundaries:
/// "asi" does not match inside "sosialisasi".
fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if !last_space {
        out.push(' ');
    }
    out
}

fn contains_phrase(haystack: &str, phrase: &str) -> bool {
    haystack.contains(&format!(" {phrase} "))
}

/// Intervention codes suggested for a line, most likely first, without duplicates.
pub fn suggest_intervensi(texts: &[&str]) -> Vec<&'static str> {
    let text = words(&texts.join(" "));
    let mut found: Vec<&'static str> = Vec::new();
    for (phrases, codes) in RULES {
        if phrases.iter().any(|phrase| contains_phrase(&text, phrase)) {
            let mut codes: Vec<&'static str> = codes.to_vec();
            // when a rule offers two, the target group named in the text decides the order
            if let Some((_, preferred)) = TARGET_HINTS.iter().find(|(hints, code)| {
                codes.contains(code) && hints.iter().any(|hint| contains_phrase(&text, hint))
            }) {
                codes.sort_by_key(|code| *code != *preferred);
            } else if codes == ["SP1", "SP8"]
                && !contains_phrase(&text, "ibu hamil")
                && !contains_phrase(&text, "bumil")
            {
                codes.sort_by_key(|code| *code != "SP8");
            }
            for code in codes {
                if !found.contains(&code) {
                    found.push(code);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_of_the_issue_are_suggested() {
        assert_eq!(
            suggest_intervensi(&["Pengadaan tablet tambah darah"]),
            ["SP2", "SP3"]
        );
        assert_eq!(
            suggest_intervensi(&["Distribusi TTD bagi remaja putri di sekolah"]),
            ["SP3", "SP2"]
        );
        assert_eq!(
            suggest_intervensi(&["PMT lokal balita gizi kurang"]),
            ["SP8", "SP1"]
        );
        assert_eq!(suggest_intervensi(&["PMT ibu hamil KEK"]), ["SP1", "SP8"]);
        assert_eq!(
            suggest_intervensi(&["Pembangunan jamban keluarga"]),
            ["SE5"]
        );
        assert_eq!(suggest_intervensi(&["Peningkatan sanitasi"]), ["SE5"]);
        assert_eq!(
            suggest_intervensi(&["Perluasan SPAM jaringan perpipaan air minum"]),
            ["SE4"]
        );
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert_eq!(
            suggest_intervensi(&["Sosialisasi ASI eksklusif"]),
            ["SP4", "SE9"]
        );
        assert!(suggest_intervensi(&["Biaya perjalanan dinas dalam daerah"]).is_empty());
        assert!(!suggest_intervensi(&["Kasir"]).contains(&"SP4"));
        assert_eq!(
            suggest_intervensi(&["Belanja", "Pelayanan Imunisasi"]),
            ["SP9"]
        );
    }
}
