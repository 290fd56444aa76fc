//! The five roles of PRODUCT.md and what each may do, as pure rules.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// TPPS secretariat: sets up everything, sees everything.
    Admin,
    /// Finance officer of one OPD: their own OPD's data only.
    Opd,
    /// Bupati's office: everything, read-only.
    Pimpinan,
    /// BAAS desk at DPPKB: all BAAS data.
    Baas,
    /// A foster parent: only their own children.
    Sponsor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Opd,
        Role::Pimpinan,
        Role::Baas,
        Role::Sponsor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Opd => "opd",
            Role::Pimpinan => "pimpinan",
            Role::Baas => "baas",
            Role::Sponsor => "sponsor",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim().to_lowercase())
    }

    /// Roles that work with the district's budget and set-up data (catalogues, OPDs, lokus).
    pub fn sees_budget_data(self) -> bool {
        matches!(self, Role::Admin | Role::Opd | Role::Pimpinan)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
