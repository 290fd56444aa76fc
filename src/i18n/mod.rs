//! The message catalogue: every sentence lokus says to a person, in Bahasa Indonesia and English,
//! in two tables. `phrases` holds the interface's fixed words (one struct field per phrase, read by
//! the templates as `ctx.t.<phrase>`); `catalogue` holds keyed sentences with arguments, which code
//! below the web layer returns as a [`Message`] (a key and its arguments) and the layer that shows
//! it (a page, the CLI, a workbook) renders in the reader's language. Tests walk every entry of both
//! in both languages.

mod catalogue;
pub mod phrases;

pub use catalogue::MessageKey;

use serde::{Deserialize, Serialize};

/// The two languages lokus speaks. Indonesian is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    /// `en` gives English; anything else the default, Indonesian.
    pub fn from_code(code: &str) -> Language {
        if code.eq_ignore_ascii_case("en") {
            Language::En
        } else {
            Language::Id
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }
}

/// A sentence for a person, not yet in a language: a catalogue key and its positional arguments.
/// It is stored as it is (in an import report, say), so a page renders it in whatever language its
/// reader chose, years later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub key: MessageKey,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

impl Message {
    pub fn new(key: MessageKey) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// Adds the next positional argument (`{0}`, `{1}`, ... in the catalogue's text).
    pub fn arg(mut self, value: impl ToString) -> Message {
        self.args.push(value.to_string());
        self
    }

    pub fn render(&self, language: Language) -> String {
        render_template(self.key.text(language), &self.args)
    }

    /// Indonesian, for logs and for places that have no reader's language (stored audit notes).
    pub fn render_default(&self) -> String {
        self.render(Language::Id)
    }
}

impl From<MessageKey> for Message {
    fn from(key: MessageKey) -> Message {
        Message::new(key)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render_default())
    }
}

/// Fills `{N}` with argument N, and `{N|one|many}` with `one` when argument N is the number 1 and
/// `many` otherwise (English plurals; Indonesian texts simply do not use the form). `{{` is a `{` and `}}` a `}`.
fn render_template(template: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start].replace("}}", "}"));
        let after = &rest[start + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            out.push('{');
            rest = stripped;
            continue;
        }
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let mut parts = inner.split('|');
        let index = parts.next().and_then(|n| n.trim().parse::<usize>().ok());
        let value = index.and_then(|i| args.get(i)).map(String::as_str);
        match (value, parts.next(), parts.next()) {
            (Some(value), Some(one), Some(many)) => {
                let is_one = value.trim() == "1";
                out.push_str(if is_one { one } else { many });
            }
            (Some(value), None, None) => out.push_str(value),
            // A missing argument shows as nothing rather than as a placeholder; the catalogue test
            // checks that every key is used with the arguments it names.
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(&rest.replace("}}", "}"));
    out
}

/// The highest `{N}` a template uses, plus one: how many arguments it expects.
#[cfg(test)]
pub(crate) fn arity(template: &str) -> usize {
    let mut highest = 0;
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            rest = stripped;
            continue;
        }
        let Some(end) = after.find('}') else { break };
        if let Some(n) = after[..end]
            .split('|')
            .next()
            .and_then(|n| n.trim().parse::<usize>().ok())
        {
            highest = highest.max(n + 1);
        }
        rest = &after[end + 1..];
    }
    highest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_and_english_plurals_are_filled_in() {
        let args = vec!["7".to_owned(), "B".to_owned()];
        assert_eq!(
            render_template("{0} {0|row|rows} in column {1}", &args),
            "7 rows in column B"
        );
        assert_eq!(
            render_template("{0} {0|row|rows}", &["1".to_owned()]),
            "1 row"
        );
        assert_eq!(render_template("{{literal}} {0}", &args), "{literal} 7");
        assert_eq!(arity("{0} {2|a|b} {{x}}"), 3);
    }

    #[test]
    fn a_message_survives_being_stored_and_read_back() {
        let message = Message::new(MessageKey::ErrorNotFound).arg("x");
        let json = serde_json::to_string(&message).unwrap();
        let back: Message = serde_json::from_str(&json).unwrap();
        assert_eq!(back, message);
    }

    #[test]
    fn every_key_reads_well_in_both_languages() {
        for key in MessageKey::ALL {
            let id = key.text(Language::Id);
            let en = key.text(Language::En);
            for (language, text) in [("id", id), ("en", en)] {
                assert!(!text.trim().is_empty(), "{key:?} is empty in {language}");
                assert!(!text.contains('`'), "{key:?} has a backtick in {language}");
                assert_eq!(text.trim(), text, "{key:?} has stray spaces in {language}");
            }
            assert_eq!(
                arity(id),
                arity(en),
                "{key:?} takes a different number of arguments in the two languages"
            );
            assert_ne!(id, en, "{key:?} is not translated");
            let filled: Vec<String> = (0..arity(id)).map(|n| format!("A{n}")).collect();
            let rendered = Message {
                key: *key,
                args: filled.clone(),
            };
            for (language, text) in [
                (Language::Id, rendered.render(Language::Id)),
                (Language::En, rendered.render(Language::En)),
            ] {
                assert!(!text.contains('{'), "{key:?} left a placeholder: {text}");
                for arg in &filled {
                    // A plural choice consumes its argument; every other argument must appear.
                    let template = key.text(language);
                    let index = arg[1..].to_owned();
                    let plain = format!("{{{index}}}");
                    if template.contains(&plain) {
                        assert!(text.contains(arg.as_str()), "{key:?} drops {arg}: {text}");
                    }
                }
            }
        }
    }

    #[test]
    fn keys_are_stored_by_their_stable_name() {
        for key in MessageKey::ALL {
            let json = serde_json::to_string(key).unwrap();
            assert_eq!(json, format!("\"{}\"", key.name()));
            assert_eq!(MessageKey::from_name(key.name()), Some(*key));
        }
    }
}
