//! Recorded interactions ("cassettes"): the format of `cassettes/**/*.yaml`
//! and loading them with errors that name the file and the field.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::generated::apis::Api;

impl Api {
    fn from_stem(stem: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|api| api.stem() == stem)
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.stem())
    }
}

/// Where a cassette's shape comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenanceKind {
    /// The shape of an example in the documentation or published spec; values are ours.
    DocumentedExample,
    /// A shape real clients have seen; values are ours.
    PayloadShape,
    /// Recorded from a real store (secrets redacted).
    LiveRecording,
    /// Recorded from this repository's simulator: the simulator's answers,
    /// not the API's; such cassettes show the scenario replays, not new facts.
    SimulatorRecording,
}

/// The provenance block of a cassette.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The kind of source.
    pub kind: ProvenanceKind,
    /// The source, in a sentence.
    pub source: String,
    /// The date of a live recording (`YYYY-MM-DD`).
    pub recorded: Option<String>,
}

/// The request the SDK is expected to send.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// Path relative to the API's base URL.
    pub path: String,
    /// The exact query string, without `?`.
    pub query: Option<String>,
    /// Headers that matter, lower-case names.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The JSON body.
    pub body: Option<Value>,
}

/// The response the API answered with.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers, lower-case names.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The JSON body; `None` for an empty body.
    pub body: Option<Value>,
}

/// One recorded interaction.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cassette {
    /// Where the shape comes from.
    pub provenance: Provenance,
    /// What the interaction shows, in a few words.
    pub summary: String,
    /// The request.
    pub request: RecordedRequest,
    /// The response.
    pub response: RecordedResponse,
    /// The API (from the folder).
    #[serde(skip)]
    pub api: Option<Api>,
    /// The operation id (from the file name).
    #[serde(skip)]
    pub operation: String,
    /// The file, relative to the cassettes folder.
    #[serde(skip)]
    pub file: PathBuf,
}

impl Cassette {
    /// The API; set for every loaded cassette.
    pub fn api(&self) -> Api {
        self.api.expect("set by load")
    }

    /// `api/operation--case`, for reports.
    pub fn name(&self) -> String {
        self.file.with_extension("").display().to_string()
    }

    /// Whether the recorded status is a success.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.response.status)
    }
}

/// Why the cassettes could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CassetteError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not a valid cassette.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the field's place when known.
        message: String,
    },
}

/// The gate's cassettes folder, `contract-tests/cassettes/`.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cassettes")
}

/// Loads every `<api>/<operationId>--<case>.yaml` under `dir`, sorted by path.
pub fn load_all(dir: &Path) -> Result<Vec<Cassette>, CassetteError> {
    let mut cassettes = Vec::new();
    for api in Api::ALL {
        let folder = dir.join(api.stem());
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(CassetteError::Io { path: folder, source }),
        };
        let mut files = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|source| CassetteError::Io {
                    path: folder.clone(),
                    source,
                })?
                .path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            cassettes.push(load(dir, &path)?);
        }
    }
    Ok(cassettes)
}

/// Loads one cassette file; `root` is the cassettes folder.
pub fn load(root: &Path, path: &Path) -> Result<Cassette, CassetteError> {
    let invalid = |message: String| CassetteError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|source| CassetteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut cassette: Cassette = carts_openapi::from_yaml(text.as_bytes()).map_err(|e| invalid(e.to_string()))?;
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let folder = relative.parent().and_then(Path::to_str).unwrap_or_default();
    let api = Api::from_stem(folder).ok_or_else(|| invalid(format!("folder {folder:?} is not an API name")))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let (operation, case) = stem
        .split_once("--")
        .ok_or_else(|| invalid("file name is not <operationId>--<case>.yaml".into()))?;
    if operation.is_empty() || case.is_empty() {
        return Err(invalid("file name is not <operationId>--<case>.yaml".into()));
    }
    cassette.request.method = cassette.request.method.to_ascii_uppercase();
    if !cassette.request.path.starts_with('/') {
        return Err(invalid(format!(
            "request.path {:?} does not start with /",
            cassette.request.path
        )));
    }
    if matches!(
        cassette.provenance.kind,
        ProvenanceKind::LiveRecording | ProvenanceKind::SimulatorRecording
    ) && cassette.provenance.recorded.is_none()
    {
        return Err(invalid("provenance.recorded: a live recording needs its date".into()));
    }
    cassette.api = Some(api);
    cassette.operation = operation.to_string();
    cassette.file = relative;
    Ok(cassette)
}

/// A cassette as YAML, in the documented layout, after a last scan for secrets.
pub fn to_yaml(cassette: &Cassette) -> Result<String, CassetteError> {
    let invalid = |message: String| CassetteError::Invalid {
        path: cassette.file.clone(),
        message,
    };
    let text = serde_yaml_ng::to_string(cassette).map_err(|e| invalid(e.to_string()))?;
    let leaks = crate::secrets::scan(&text);
    if !leaks.is_empty() {
        return Err(invalid(format!(
            "refusing to write what looks like a secret: {}",
            leaks.join("; ")
        )));
    }
    Ok(text)
}

/// Writes `text` to `path` through a temporary file renamed into place.
pub fn write(path: &Path, text: &str) -> Result<(), CassetteError> {
    let io = |source| CassetteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let temporary = path.with_extension("yaml.partial");
    std::fs::write(&temporary, text).map_err(io)?;
    std::fs::rename(&temporary, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    const VALID: &str = "provenance: {kind: documented-example, source: s, recorded: null}\nsummary: x\n\
        request: {method: get, path: /carts/1, query: null, body: null}\nresponse: {status: 404, body: null}\n";

    #[test]
    fn loads_api_and_operation_from_the_path() {
        let dir = tempfile_dir();
        let path = write(&dir, "carts.v3/getCart--missing.yaml", VALID);
        let cassette = load(&dir, &path).unwrap();
        assert_eq!(cassette.api(), Api::CartsV3);
        assert_eq!(cassette.operation, "getCart");
        assert_eq!(cassette.request.method, "GET");
        assert_eq!(cassette.name(), "carts.v3/getCart--missing");
    }

    #[test]
    fn errors_name_the_file_and_the_field() {
        let dir = tempfile_dir();
        let path = write(&dir, "carts.v3/getCart--typo.yaml", &VALID.replace("summary", "sumary"));
        let error = load(&dir, &path).unwrap_err().to_string();
        assert!(
            error.contains("getCart--typo.yaml") && error.contains("sumary"),
            "{error}"
        );
        let path = write(&dir, "carts.v4/getCart--x.yaml", VALID);
        assert!(load(&dir, &path).unwrap_err().to_string().contains("not an API name"));
        let path = write(&dir, "carts.v3/getCart.yaml", VALID);
        assert!(
            load(&dir, &path)
                .unwrap_err()
                .to_string()
                .contains("<operationId>--<case>")
        );
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cassette-test-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    }
}
