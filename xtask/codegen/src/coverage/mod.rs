//! `cargo xtask coverage PUBLISHED OURS`: how many of a published spec's
//! facts our spec keeps.
//!
//! Both documents are read into the facts `cargo xtask vendor` merges
//! ([`crate::spec_merge::facts`]): operations by `METHOD /path/{}`, their
//! parameters (required, type, item type, enum values, style, explode),
//! response statuses and the fields of request and response bodies (types,
//! enum values, required, nullable), with every `$ref` followed and
//! compositions folded, so that names of components, descriptions and
//! examples, which are ours to write, never count. Every fact of the
//! published spec is looked for in ours; a parameter or field that ours states
//! otherwise is covered when ours marks it with `x-deviation: "<why>"` (the
//! parameter's own, or the field's schema's), and a finding when not.
//!
//! The report lists the findings and ends with one summary line; the command
//! fails when an operation is missing, or when fewer fields than
//! `--min-fields` percent are covered.

mod compare;
mod deviation;
mod report;

use std::path::Path;

use anyhow::Result;

pub use report::Report;

use crate::spec_merge::facts;

/// Compares the spec at `published` (a release, kept in `spec/upstream/`) with ours at `ours`.
pub fn coverage(published: &Path, ours: &Path) -> Result<Report> {
    let published = carts_openapi::load_openapi(published)?;
    let ours = carts_openapi::load_openapi(ours)?;
    Ok(compare::compare(
        &facts::extract(&published.doc),
        &facts::extract(&ours.doc),
        &ours.doc,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::project_root;

    /// Each of our specs keeps the facts of the release it follows, as CI requires: every
    /// operation, and at least 98% of the fields; and a difference in a parameter, status or
    /// field is explained (the ledger in spec/README.md says why the fields that are not are
    /// left out).
    #[test]
    fn our_specs_keep_the_published_facts() {
        let root = project_root();
        for name in ["carts.v3", "abandoned_carts.v3", "carts.sf"] {
            let report = coverage(
                &root.join(format!("spec/upstream/{name}.yml")),
                &root.join(format!("spec/{name}.yaml")),
            )
            .unwrap();
            let findings = report.to_text(0, false);
            assert!(
                report.operations.total > 0 && report.fields.total > 0,
                "{name}: {findings}"
            );
            assert_eq!(report.failure(Some(98.0)), None, "{name}: {findings}");
            assert!(
                report.parameters.complete() && report.statuses.complete(),
                "{name}: {findings}"
            );
            assert!(
                report.justified.iter().all(|j| !j.reason.trim().is_empty()),
                "{name}: each deviation gives its reason"
            );
        }
    }

    /// A published release covers itself entirely, with nothing to justify.
    #[test]
    fn a_published_release_covers_itself() {
        let release = project_root().join("spec/upstream/carts.v3.yml");
        let report = coverage(&release, &release).unwrap();
        assert!(report.findings.is_empty(), "{}", report.to_text(0, false));
        assert!(report.justified.is_empty());
        assert!(
            report.fields.complete() && report.fields.total > 1000,
            "{}",
            report.summary()
        );
    }

    #[test]
    fn a_file_that_is_not_openapi_is_named() {
        let root = project_root();
        let error = coverage(&root.join("spec/README.md"), &root.join("spec/carts.v3.yaml"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("spec/README.md"), "{error}");
    }
}
