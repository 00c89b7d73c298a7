//! `catalog.json` against `catalog.schema.json` (Draft 2020-12, Python's pinned `jsonschema`):
//! the checked-in output, every golden case and the gated catalogs' outputs, plus a broken copy
//! that must be rejected so the check is known to bite.

use std::process::Command;

use crate::{project_root, tools};

const SCRIPT: &str = r#"
import json, sys, copy
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    if errors:
        sys.exit(1)
    broken = copy.deepcopy(doc)
    broken["errors"][0]["status"] = "four hundred"
    if validator.is_valid(broken):
        print(f"{path}: a broken copy was accepted; the schema checks nothing")
        sys.exit(1)
    print(f"{path}: valid ({len(doc['errors'])} codes)")
"#;

pub fn run() -> Result<(), String> {
    let root = project_root();
    let python = tools::python()?;
    let mut documents = vec![root.join("generated/catalog.json")];
    let cases = root.join("codegen/tests/data/ok");
    let mut golden: Vec<_> = std::fs::read_dir(&cases)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path().join("expected/catalog.json"))
        .filter(|p| p.exists())
        .collect();
    golden.sort();
    documents.extend(golden);
    // The gated catalogs: every wire, integer codes, per-code wire facts.
    for (name, catalog) in tools::gated_catalogs()? {
        let dir = tools::scratch(&format!("catalog-schema-{name}"))?;
        tools::generate_into(&root.join(&catalog), &dir)?;
        documents.push(dir.join("catalog.json"));
    }
    tools::run(
        Command::new(python)
            .arg("-c")
            .arg(SCRIPT)
            .arg(root.join("generated/catalog.schema.json"))
            .args(&documents),
    )
}
