//! The one place where domain values meet diesel: each closed vocabulary of `domain` is stored as
//! TEXT in its one spelling and read back through its parser, so a row struct holds a `Tahapan`,
//! not a string, and a value the database should never hold is a read error, not a silent default.
//! (Implemented here rather than derived on the types, because `domain` knows nothing of diesel.)

use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Nullable, Text};

use crate::domain::baas::{AssignmentStatus, MeasuredBy, Paket, SponsorJenis};
use crate::domain::{BatchStatus, ImportKind, Jenis, JobStatus, TagSource, Tahapan};

macro_rules! stored_as_text {
    ($($value:ty),*) => {$(
        impl FromSql<Text, Pg> for $value {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                Ok(<$value>::try_from(text)?)
            }
        }

        impl ToSql<Text, Pg> for $value {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl Queryable<Text, Pg> for $value {
            type Row = String;
            fn build(text: String) -> deserialize::Result<Self> {
                Ok(<$value>::try_from(text)?)
            }
        }

        // Binding a value binds its stored spelling.
        impl AsExpression<Text> for $value {
            type Expression = <&'static str as AsExpression<Text>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as AsExpression<Text>>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Text> for &$value {
            type Expression = <&'static str as AsExpression<Text>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as AsExpression<Text>>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Nullable<Text>> for $value {
            type Expression = <&'static str as AsExpression<Nullable<Text>>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as AsExpression<Nullable<Text>>>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Nullable<Text>> for &$value {
            type Expression = <&'static str as AsExpression<Nullable<Text>>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'static str as AsExpression<Nullable<Text>>>::as_expression(self.as_str())
            }
        }
    )*};
}

stored_as_text!(
    Tahapan,
    BatchStatus,
    TagSource,
    Jenis,
    ImportKind,
    JobStatus
);
// baas
stored_as_text!(SponsorJenis, Paket, AssignmentStatus, MeasuredBy);
