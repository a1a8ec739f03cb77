//! The department catalogue: canonical names, aliases, resolution and autocomplete.

/// An academic department as the library names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub name: String,
    pub aliases: Vec<String>,
}

/// Every department a guild can file intel under. Built once from the config; look-ups are
/// in memory so that autocomplete answers within Discord's 3 seconds with room to spare.
#[derive(Debug, Clone)]
pub struct DepartmentCatalogue {
    departments: Vec<Department>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the department list is empty")]
    Empty,
    #[error("\"{name}\" is used by both {first} and {second}")]
    Ambiguous { name: String, first: String, second: String },
    #[error("a department name or alias is blank")]
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no department called \"{input}\"; the closest are: {}", suggestions.join(", "))]
pub struct UnknownDepartment {
    pub input: String,
    /// The three closest canonical names, closest first.
    pub suggestions: Vec<String>,
}

impl DepartmentCatalogue {
    pub fn new(departments: Vec<Department>) -> Result<Self, CatalogueError> {
        todo!("{departments:?}")
    }

    /// The department whose name or alias equals `input`, ignoring case, punctuation and spacing.
    pub fn resolve(&self, input: &str) -> Result<&Department, UnknownDepartment> {
        todo!("{input}")
    }

    /// Up to `n` canonical names closest to `input`, closest first.
    pub fn closest(&self, input: &str, n: usize) -> Vec<&str> {
        todo!("{input} {n}")
    }

    /// Up to `limit` canonical names for a partial input: prefix matches first, then word-prefix
    /// matches, then fuzzy ones; an empty input lists departments in catalogue order.
    pub fn autocomplete(&self, partial: &str, limit: usize) -> Vec<&str> {
        todo!("{partial} {limit}")
    }

    pub fn iter(&self) -> impl Iterator<Item = &Department> {
        self.departments.iter()
    }

    pub fn len(&self) -> usize {
        self.departments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.departments.is_empty()
    }
}
