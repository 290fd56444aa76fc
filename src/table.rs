//! A list as lokus shows it: named columns and typed cells. The same value renders as an HTML
//! table and as an xlsx sheet, so every list page can be downloaded without a second code path.

use rust_decimal::Decimal;

use crate::domain::format;

#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Money(Decimal),
    /// A quantity (volume, target): up to four decimals, no currency.
    Number(Decimal),
    Percent(Decimal),
    Int(i64),
    Bool(bool),
    Empty,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    pub fn opt_text(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::Text(value.into()))
    }

    /// How the cell reads on a page, the Indonesian way.
    pub fn display(&self, yes: &str, no: &str) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Money(value) => format::rupiah(*value),
            Cell::Number(value) => {
                format::angka(value.normalize(), value.normalize().scale().min(4))
            }
            Cell::Percent(value) => format::persen(*value, 2),
            Cell::Int(value) => format::angka(Decimal::from(*value), 0),
            Cell::Bool(true) => yes.to_owned(),
            Cell::Bool(false) => no.to_owned(),
            Cell::Empty => String::new(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Cell::Money(_) | Cell::Number(_) | Cell::Percent(_) | Cell::Int(_)
        )
    }
}

/// A form posted from a table row (for example "Hapus" beside a lokus desa).
#[derive(Debug, Clone)]
pub struct RowAction {
    pub url: String,
    pub label: String,
}

#[derive(Debug, Clone, Default)]
pub struct TableRow {
    pub cells: Vec<Cell>,
    /// Where the first cell links to.
    pub link: Option<String>,
    pub action: Option<RowAction>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|column| (*column).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, cells: Vec<Cell>, link: Option<String>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(TableRow {
            cells,
            link,
            action: None,
        });
    }

    pub fn has_actions(&self) -> bool {
        self.rows.iter().any(|row| row.action.is_some())
    }
}
