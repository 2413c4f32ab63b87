//! The name/value row that `socket` and `connect` tables are made of.

use serde::Serialize;

use crate::model::Record;

/// A name/value row: how one record with many fields (a socket, a connection summary) is shown
/// as a table that fits a terminal, where the JSON keeps the nested record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub field: String,
    pub value: String,
}

impl Field {
    pub fn new(field: impl Into<String>, value: impl ToString) -> Self {
        Field {
            field: field.into(),
            value: value.to_string(),
        }
    }
}

impl Record for Field {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["field", "value"];
    fn cells(&self) -> Vec<String> {
        vec![self.field.clone(), self.value.clone()]
    }
}
