//! The openapi target. (Being built: see the issue for this target.)

use super::{Artifact, Options};
use crate::model::Catalog;

pub fn emit(_catalog: &Catalog, _options: &Options) -> Vec<Artifact> {
    Vec::new()
}
