//! The names people read for the ids a report holds: a ladder's title, a
//! stage's, a category's, a role's and a duty's name, from the ladders
//! themselves (the HTML page and the workbook show these, never ids). An id
//! no ladder names is shown as it is.

use super::super::procedures::Procedures;

/// Looks names up in the procedures.
#[derive(Clone, Copy)]
pub(super) struct Names<'p> {
    procedures: &'p Procedures,
}

impl<'p> Names<'p> {
    pub(super) fn new(procedures: &'p Procedures) -> Names<'p> {
        Names { procedures }
    }

    /// The ladder's title.
    pub(super) fn ladder<'a>(&self, ladder: &'a str) -> &'a str
    where
        'p: 'a,
    {
        self.procedures
            .ladder(ladder)
            .map_or(ladder, |l| l.title.as_str())
    }

    /// The stage's name.
    pub(super) fn stage<'a>(&self, ladder: &'a str, stage: &'a str) -> &'a str
    where
        'p: 'a,
    {
        self.procedures
            .ladder(ladder)
            .and_then(|l| l.stage(stage))
            .map_or(stage, |s| s.name.as_str())
    }

    /// The category's name; "No category given" for none.
    pub(super) fn category<'a>(&self, ladder: &'a str, category: Option<&'a str>) -> &'a str
    where
        'p: 'a,
    {
        let Some(category) = category else {
            return "No category given";
        };
        self.procedures
            .ladder(ladder)
            .and_then(|l| l.categories.iter().find(|c| *c.id == *category))
            .map_or(category, |c| c.name.as_str())
    }

    /// The role's name.
    pub(super) fn role<'a>(&self, ladder: &'a str, role: &'a str) -> &'a str
    where
        'p: 'a,
    {
        self.procedures
            .ladder(ladder)
            .and_then(|l| l.roles.iter().find(|r| *r.id == *role))
            .map_or(role, |r| r.name.as_str())
    }

    /// The roles' names, joined with commas.
    pub(super) fn roles(&self, ladder: &str, roles: &[String]) -> String {
        roles
            .iter()
            .map(|r| self.role(ladder, r))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The duty's name.
    pub(super) fn duty<'a>(&self, ladder: &'a str, duty: &'a str) -> &'a str
    where
        'p: 'a,
    {
        self.procedures
            .ladder(ladder)
            .and_then(|l| l.duties.iter().find(|d| *d.id == *duty))
            .map_or(duty, |d| d.name.as_str())
    }
}
