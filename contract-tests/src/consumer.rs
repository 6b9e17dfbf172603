//! `cargo xtask conformance --journal FILE`: the consumer rules of the simulator
//! (`bigcommerce_carts_sim::consumer`) judged on a journal exported by its admin API
//! (`GET /__sim/stores/{h}/journal`), written in the gate's forms.

use std::path::{Path, PathBuf};

use bigcommerce_carts_sim::JournalExport;
use bigcommerce_carts_sim::consumer::{self, ConsumerReport};

/// Why a journal file could not be judged.
#[derive(Debug, thiserror::Error)]
pub enum JournalFileError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a journal as the admin API exports it.
    #[error(
        "{path} is not a journal as GET /__sim/stores/{{h}}/journal gives it ({{\"entries\": [...], \"dropped\": N, \"channels\": [...]}}): {source}"
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and why it did not parse.
        source: serde_path_to_error::Error<serde_json::Error>,
    },
}

/// Reads the journal at `path` and judges it.
pub fn judge_file(path: &Path) -> Result<ConsumerReport, JournalFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| JournalFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let journal: JournalExport = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text))
        .map_err(|source| JournalFileError::Parse {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(consumer::evaluate(&journal))
}

/// Writes `report.json` and `junit.xml` into `dir`, as the gate writes its own.
pub fn write(report: &ConsumerReport, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    crate::report::write_atomically(&dir.join("report.json"), json.as_bytes())?;
    crate::report::write_atomically(&dir.join("junit.xml"), consumer::to_junit(report).as_bytes())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_journal_file_is_judged_and_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let journal = json!({
            "entries": [{
                "seq": 1, "at": "2026-01-01T00:00:00Z", "method": "POST", "path": "/carts/4a7c2b9e-1f3d-4e5a-9b8c-7d6e5f4a3b2c/items",
                "operation": "addCartLineItems", "status": 201, "body": {"line_items": []}
            }],
            "dropped": 4,
            "channels": [1]
        });
        std::fs::write(&path, journal.to_string()).unwrap();
        let report = judge_file(&path).unwrap();
        assert!(report.failed());
        assert_eq!(report.dropped, 4);
        let out = dir.path().join("out");
        write(&report, &out).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
        assert_eq!(written["rules"][2]["id"], "consumer.version_missing");
        assert_eq!(written["rules"][2]["result"], "fail");
        let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
        assert!(junit.contains("consumer.version_missing"), "{junit}");
    }

    #[test]
    fn a_file_that_is_no_journal_is_named_with_the_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        std::fs::write(&path, r#"{"entries": [{"seq": "one"}]}"#).unwrap();
        let error = judge_file(&path).unwrap_err().to_string();
        assert!(error.contains("journal.json is not a journal"), "{error}");
        assert!(error.contains("entries[0].seq"), "{error}");
        let missing = judge_file(&dir.path().join("none.json")).unwrap_err().to_string();
        assert!(missing.starts_with("cannot read "), "{missing}");
    }
}
