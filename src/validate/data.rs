//! YAML and JSON syntax.

type Located = Option<(Option<usize>, Option<usize>, String)>;

pub(crate) fn check_yaml(text: &str) -> Located {
    // A file may hold several documents (Kubernetes manifests).
    serde_saphyr::from_multiple::<serde_json::Value>(text)
        .err()
        .map(|error| {
            let location = error.location();
            (
                location.map(|l| l.line() as usize),
                location.map(|l| l.column() as usize),
                format!("YAML does not parse: {error}"),
            )
        })
}

pub(crate) fn check_json(text: &str) -> Located {
    serde_json::from_str::<serde_json::Value>(text)
        .err()
        .map(|error| {
            (
                Some(error.line()),
                Some(error.column()),
                format!("JSON does not parse: {error}"),
            )
        })
}
