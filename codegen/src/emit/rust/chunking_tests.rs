//! The Rust crate printed chunk by chunk, and long lists block by block, is the crate printed
//! item by item: the joins leave no trace.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use super::emit_in_blocks;
use crate::emit::Options;
use crate::{Catalog, Source};

/// A valid catalog of `n` codes, some with details (an enum field among them).
fn catalog(n: usize) -> Catalog {
    let mut text = String::from(
        "api: { name: Acme, version: 0.1.0, docs_url: https://docs.acme.test/errors }\n\
         envelope:\n  fields:\n\
         \x20   error: { type: string, required: true, description: Code }\n\
         \x20   message: { type: string, required: true, description: Message }\n\
         \x20   code: { type: integer, required: true, description: Status }\n\
         \x20   details: { type: object, required: false, description: Details }\n\
         \x20   request_id: { type: string, required: false, description: Request }\n\
         \x20   timestamp: { type: string, required: false, description: Time }\n\
         statuses: { 404: Not found, 409: Conflict }\n\
         categories:\n  - { id: resource, title: Resource Errors }\nerrors:\n",
    );
    for i in 0..n {
        let status = if i % 2 == 0 { 404 } else { 409 };
        let _ = write!(
            text,
            "  - code: error_{i}\n    status: {status}\n    category: resource\n    description: Error number {i}.\n"
        );
        if i % 3 == 0 {
            let _ = write!(
                text,
                "    message: Item {{item}} failed\n    details:\n      properties:\n        item: {{ type: string, description: The item. }}\n        kind: {{ type: string, enum: [a, b], description: The kind. }}\n      required: [item]\n    examples:\n      - body: {{ error: error_{i}, message: Item x failed, code: {status}, details: {{ item: x }} }}\n"
            );
        } else {
            let _ = write!(
                text,
                "    message: Failed\n    examples:\n      - body: {{ error: error_{i}, message: Failed, code: {status} }}\n"
            );
        }
    }
    crate::load(&[Source::new("catalog.yaml", text)]).unwrap_or_else(|f| panic!("{f}"))
}

fn rust_files(catalog: &Catalog, list_block: usize) -> BTreeMap<String, String> {
    let files = Mutex::new(BTreeMap::new());
    emit_in_blocks(
        catalog,
        &Options::default(),
        &|a| {
            files.lock().unwrap().insert(a.path, a.contents);
        },
        list_block,
    );
    files.into_inner().unwrap()
}

#[test]
fn lists_printed_in_blocks_equal_lists_printed_whole() {
    // 2 and 3 per block leave lone last entries and exact multiples among these sizes.
    for n in [1, 2, 3, 4, 5, 7, 40] {
        let catalog = catalog(n);
        let whole = rust_files(&catalog, usize::MAX);
        assert!(
            whole["rust/src/code.rs"].contains(&format!("const INFOS: [Info; {n}] = [")) || n == 1
        );
        for block in [2, 3, 256] {
            let blocks = rust_files(&catalog, block);
            assert_eq!(
                blocks.keys().collect::<Vec<_>>(),
                whole.keys().collect::<Vec<_>>()
            );
            for (path, text) in &whole {
                assert!(
                    blocks[path] == *text,
                    "{path} differs with {n} codes in blocks of {block}"
                );
            }
        }
    }
}
