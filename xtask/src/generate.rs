//! `cargo xtask generate`: spec/*.yaml → normalize → progenitor → prettyplease
//! → `sdk/src/generated/<spec>.rs`.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

use crate::codegen::{Outcome, ensure_file_contents, write_atomically};
use crate::normalize::{self, Applied};
use crate::spec::{self, deref, operation_pointer, operations};

/// Which kind of crate the code is generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// A module of the `bigcommerce-carts` crate: the generated `Client` carries
    /// the SDK's shared state and must implement the SDK's request hooks.
    Sdk,
    /// A crate of its own with progenitor's default hooks, for trying out a
    /// spec release before it is vendored.
    Standalone,
}

/// The code generated from one spec, with figures for the summary.
pub struct Rendered {
    /// The whole file, header included.
    pub code: String,
    /// Operations in the spec.
    pub operations: usize,
    /// Types in the generated `types` module.
    pub types: usize,
    /// Lines of the file.
    pub lines: usize,
    /// Where the normalization rules acted.
    pub applied: Vec<Applied>,
}

/// The versions of the runtime crates generated code needs. The standalone
/// crate asks for the same ones as `sdk/Cargo.toml` (a test keeps them in step).
pub const RUNTIME_DEPENDENCIES: &[(&str, &str)] = &[
    ("progenitor-client", r#""0.15.1""#),
    (
        "reqwest",
        r#"{ version = "0.13", default-features = false, features = ["json", "query"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
    ("schemars", r#"{ version = "0.8.22", features = ["chrono", "uuid1"] }"#),
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std", "clock"] }"#,
    ),
    ("uuid", r#"{ version = "1", features = ["serde"] }"#),
    ("regress", r#""0.10""#),
];

/// The repository root (the parent of the xtask crate).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// The SDK's specs with the module each one generates, sorted by file name.
pub fn sdk_targets(root: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let spec_dir = root.join("spec");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&spec_dir)
        .with_context(|| format!("listing {}", spec_dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    specs.sort();
    if specs.is_empty() {
        bail!("no spec/*.yaml found in {}", spec_dir.display());
    }
    Ok(specs
        .into_iter()
        .map(|spec| {
            let stem = spec
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .replace(['.', '-'], "_");
            let out = root.join("sdk/src/generated").join(format!("{stem}.rs"));
            (spec, out)
        })
        .collect())
}

/// Generates (or with `check`, verifies) every SDK module. Returns an error
/// naming each stale file when `check` finds any.
pub fn generate_sdk(root: &Path, check: bool, verbose: bool) -> Result<()> {
    let mut stale = Vec::new();
    for (spec_path, out) in sdk_targets(root)? {
        let started = Instant::now();
        let display = relative(root, &spec_path);
        let rendered = render(&spec_path, &display, Flavour::Sdk)?;
        let outcome = ensure_file_contents(&out, &rendered.code, check)?;
        let state = match outcome {
            Outcome::Current => "up to date",
            Outcome::Written => "written",
            Outcome::Stale => "STALE",
        };
        println!(
            "{display}: {} operations, {} types, {} lines -> {} ({state}, {} ms)",
            rendered.operations,
            rendered.types,
            rendered.lines,
            relative(root, &out),
            started.elapsed().as_millis()
        );
        if verbose {
            print_applied(&rendered.applied);
        }
        if outcome == Outcome::Stale {
            stale.push(relative(root, &out));
        }
    }
    if !stale.is_empty() {
        bail!(
            "generated code is not up to date with spec/: {}\nrun `cargo xtask generate` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

/// Generates spec files into a standalone crate at `out_dir`: one spec
/// becomes `src/lib.rs`; several become one module each, so one `cargo
/// check` compiles them all. A spec that fails is reported and the others
/// are still written; the call fails if any did.
pub fn generate_standalone(specs: &[PathBuf], out_dir: &Path, verbose: bool) -> Result<()> {
    let single = specs.len() == 1;
    let mut modules = Vec::new();
    let mut failures = Vec::new();
    for spec_path in specs {
        let started = Instant::now();
        let display = spec_path.display().to_string();
        let rendered = match render(spec_path, &display, Flavour::Standalone) {
            Ok(rendered) => rendered,
            Err(error) if !single => {
                eprintln!("{display}: FAILED: {error:#}");
                failures.push(display);
                continue;
            }
            Err(error) => return Err(error),
        };
        let module = crate_name(spec_path).replace('-', "_");
        let file = if single {
            "src/lib.rs".to_string()
        } else {
            format!("src/{module}.rs")
        };
        write_atomically(&out_dir.join(&file), rendered.code.as_bytes())?;
        modules.push(module);
        println!(
            "{display}: {} operations, {} types, {} lines -> {} ({} ms)",
            rendered.operations,
            rendered.types,
            rendered.lines,
            out_dir.join(file).display(),
            started.elapsed().as_millis()
        );
        if verbose {
            print_applied(&rendered.applied);
        }
    }
    let name = if single {
        crate_name(&specs[0])
    } else {
        crate_name(out_dir)
    };
    let sources: Vec<String> = specs.iter().map(|s| s.display().to_string()).collect();
    let mut manifest = format!(
        "# @generated by `cargo xtask generate --spec ... --out ...` from {}\n\
         [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         # A workspace of its own, so the crate builds wherever it is put.\n[workspace]\n\n[dependencies]\n",
        if single {
            sources[0].clone()
        } else {
            format!("{} specs", sources.len())
        }
    );
    for (dependency, requirement) in RUNTIME_DEPENDENCIES {
        manifest.push_str(&format!("{dependency} = {requirement}\n"));
    }
    write_atomically(&out_dir.join("Cargo.toml"), manifest.as_bytes())?;
    if !single {
        let mut lib =
            String::from("// @generated by `cargo xtask generate --spec ... --out ...`: one module per spec.\n");
        for module in &modules {
            lib.push_str(&format!("pub mod {module};\n"));
        }
        write_atomically(&out_dir.join("src/lib.rs"), lib.as_bytes())?;
        println!(
            "{} of {} specs generated into {}",
            modules.len(),
            specs.len(),
            out_dir.display()
        );
    }
    if !failures.is_empty() {
        bail!(
            "{} of {} specs could not be generated: {}",
            failures.len(),
            specs.len(),
            failures.join(", ")
        );
    }
    Ok(())
}

fn print_applied(applied: &[Applied]) {
    let names: Vec<&str> = normalize::RULES.iter().map(|r| r.name).collect();
    println!("  normalization rules, in order: {}", names.join(", "));
    for a in applied {
        println!("  {:<22} {}  {}", a.rule, a.pointer, a.detail);
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

fn crate_name(spec_path: &Path) -> String {
    let stem = spec_path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_lowercase();
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("generated-{name}")
    } else {
        name.to_string()
    }
}

/// Reads, normalizes and generates one spec. `display` is how the header and
/// messages name the spec.
pub fn render(spec_path: &Path, display: &str, flavour: Flavour) -> Result<Rendered> {
    let file = spec::load(spec_path)?;
    let mut doc = file.doc;
    let applied = normalize::normalize(&mut doc).with_context(|| format!("normalizing {display}"))?;
    let body = generate_code(&doc, flavour).with_context(|| format!("generating {display}"))?;
    let command = match flavour {
        Flavour::Sdk => "cargo xtask generate".to_string(),
        Flavour::Standalone => format!("cargo xtask generate --spec {display}"),
    };
    let mut code = format!(
        "// @generated by `{command}` from {display} (sha256 {}). Do not edit: change the spec or xtask/ and regenerate.\n",
        file.sha256
    );
    if flavour == Flavour::Standalone {
        code.push_str("#![allow(warnings, clippy::all)]\n");
    }
    code.push_str(&body);
    let types = count_types(&body);
    Ok(Rendered {
        operations: operations(&doc).len(),
        types,
        lines: code.lines().count(),
        code,
        applied,
    })
}

/// progenitor settings shared by both flavours: the builder interface, one
/// client for all tags, `schemars::JsonSchema` on every type so callers can
/// get each type's schema, and `PartialEq` so values can be compared.
fn settings(flavour: Flavour) -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Free-form maps (`query_params`, error maps) keep a stable key order,
        // so the same request always has the same bytes.
        .with_map_type("::std::collections::BTreeMap");
    if flavour == Flavour::Sdk {
        let inner: proc_macro2::TokenStream = "crate::hooks::Inner".parse().expect("a valid path");
        settings
            .with_inner_type(inner)
            .with_hooks(progenitor::HooksMode::Expected);
        // The SDK's own types stand in for these schemas, with the same JSON:
        // - `RedirectUrls` carry the token that restores a cart; the SDK's
        //   type has a Debug that hides it;
        // - a channel-override update says of each setting: keep, drop
        //   (`null`) or set. Typify's optional fields are skipped when `None`
        //   and cannot send the `null`; the SDK's types use `Override<T>`.
        for name in [
            "RedirectUrls",
            "ChannelCartSettingsRequest",
            "ChannelAbandonedCartSettingsRequest",
        ] {
            settings.with_replacement(
                name,
                format!("crate::{name}"),
                [progenitor::TypeImpl::Default].into_iter(),
            );
        }
    }
    settings
}

/// Turns a normalized document into formatted Rust source.
fn generate_code(doc: &Value, flavour: Flavour) -> Result<String> {
    let api = typed(doc)?;
    let tokens = match run_progenitor(&api, flavour) {
        Ok(tokens) => tokens,
        Err(message) => {
            let place = locate_failure(doc, flavour)
                .map(|pointer| format!("at {pointer}: "))
                .unwrap_or_else(|| "in the document's components: ".to_string());
            bail!("{place}progenitor cannot take this construct: {message}");
        }
    };
    let tokens = raw_reserved_identifiers(tokens);
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| anyhow!("progenitor produced code that does not parse: {e}"))?;
    let mut code = prettyplease::unparse(&file);
    let (table, named) = wire_table(doc);
    // The hooks match table rows by the operation id progenitor hands them;
    // a row naming no generated operation would silently never apply.
    for name in named {
        if !code.contains(&format!("operation_id: \"{name}\"")) {
            bail!("internal: wire table names operation {name:?}, which progenitor did not generate under that name");
        }
    }
    code.push_str(&table);
    Ok(code)
}

/// typify 0.8 names the schema generator argument of its `JsonSchema` impls
/// `gen`, a reserved keyword since Rust 2024. Writing it as the raw
/// identifier `r#gen` is the same identifier in every edition, so the code
/// means the same and compiles in the SDK's edition.
fn raw_reserved_identifiers(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, Ident, TokenTree};
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "gen" => TokenTree::Ident(Ident::new_raw("gen", ident.span())),
            TokenTree::Group(group) => {
                let mut rewritten = Group::new(group.delimiter(), raw_reserved_identifiers(group.stream()));
                rewritten.set_span(group.span());
                TokenTree::Group(rewritten)
            }
            other => other,
        })
        .collect()
}

/// Reads the JSON tree as an `openapiv3` document, naming the place of the
/// first thing that does not fit.
fn typed(doc: &Value) -> Result<openapiv3::OpenAPI> {
    deserialize_at::<openapiv3::OpenAPI>(doc, "").map_err(|(pointer, message)| {
        // Reference-or-value unions are tried as a whole, so serde stops at
        // the enclosing map; reading the parts one by one finds the spot.
        let (pointer, message) = deepest_failure(doc).unwrap_or((pointer, message));
        anyhow!("at {pointer}: not a valid OpenAPI 3.0 construct: {message}")
    })
}

/// Deserializes `value` (found at `base`) as `T`, or gives the JSON pointer
/// and message of the failure.
fn deserialize_at<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
) -> std::result::Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = base.to_string();
        for segment in e.path().iter() {
            pointer.push('/');
            pointer.push_str(&match segment {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                serde_path_to_error::Segment::Map { key } => spec::escape(key),
                serde_path_to_error::Segment::Enum { variant } => spec::escape(variant),
                serde_path_to_error::Segment::Unknown => "?".to_string(),
            });
        }
        if pointer.is_empty() {
            pointer.push('/');
        }
        (pointer, e.inner().to_string())
    })
}

/// Reads each path item, operation, parameter, request body, response and
/// component on its own and reports the most precise failure.
fn deepest_failure(doc: &Value) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) {
        if value.get("$ref").is_none()
            && let Err(failure) = deserialize_at::<T>(value, pointer)
        {
            found.push(failure);
        }
    }
    fn entries<'a>(value: Option<&'a Value>, base: &str) -> Vec<(String, &'a Value)> {
        value
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (spec::child(base, k), v)).collect())
            .unwrap_or_default()
    }
    let mut found = Vec::new();
    for (item_pointer, item) in entries(doc.get("paths"), "/paths") {
        check::<openapiv3::PathItem>(item, &item_pointer, &mut found);
        for (op_pointer, op) in entries(Some(item), &item_pointer) {
            if !spec::METHODS.iter().any(|m| op_pointer.ends_with(&format!("/{m}"))) {
                continue;
            }
            check::<openapiv3::Operation>(op, &op_pointer, &mut found);
            for (index, param) in op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                check::<openapiv3::Parameter>(param, &format!("{op_pointer}/parameters/{index}"), &mut found);
            }
            if let Some(body) = op.get("requestBody") {
                check::<openapiv3::RequestBody>(body, &format!("{op_pointer}/requestBody"), &mut found);
            }
            for (response_pointer, response) in entries(op.get("responses"), &format!("{op_pointer}/responses")) {
                check::<openapiv3::Response>(response, &response_pointer, &mut found);
            }
        }
    }
    let components = doc.get("components");
    for (pointer, schema) in entries(components.and_then(|c| c.get("schemas")), "/components/schemas") {
        check::<openapiv3::Schema>(schema, &pointer, &mut found);
    }
    for (pointer, param) in entries(components.and_then(|c| c.get("parameters")), "/components/parameters") {
        check::<openapiv3::Parameter>(param, &pointer, &mut found);
    }
    for (pointer, response) in entries(components.and_then(|c| c.get("responses")), "/components/responses") {
        check::<openapiv3::Response>(response, &pointer, &mut found);
    }
    found
        .into_iter()
        .max_by_key(|(pointer, _)| pointer.matches('/').count())
}

/// Runs progenitor, turning both its errors and its panics (it panics on
/// constructs it does not support) into a message.
fn run_progenitor(api: &openapiv3::OpenAPI, flavour: Flavour) -> std::result::Result<proc_macro2::TokenStream, String> {
    let message: Arc<Mutex<Option<String>>> = Arc::default();
    let captured = Arc::clone(&message);
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic without a message".to_string());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        *captured.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{text}{place}"));
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut generator = progenitor::Generator::new(&settings(flavour));
        generator.generate_tokens(api)
    }));
    panic::set_hook(previous);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(first_line(&error.to_string())),
        Err(_) => {
            let text = message.lock().unwrap_or_else(|e| e.into_inner()).take();
            Err(first_line(&text.unwrap_or_else(|| "it panicked".to_string())))
        }
    }
}

/// progenitor's messages can embed a whole schema dump; the first lines say
/// what went wrong.
fn first_line(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().take(6).collect();
    if text.lines().count() > 6 {
        lines.push("...");
    }
    lines.join("\n")
}

/// Finds the operation progenitor fails on by generating each one alone.
fn locate_failure(doc: &Value, flavour: Flavour) -> Option<String> {
    for (path, method) in operations(doc) {
        let mut single = doc.clone();
        let item = doc["paths"][&path].clone();
        let mut only = serde_json::Map::new();
        if let Some(object) = item.as_object() {
            for (key, value) in object {
                if !spec::METHODS.contains(&key.as_str()) || key == &method {
                    only.insert(key.clone(), value.clone());
                }
            }
        }
        single["paths"] = serde_json::json!({ path.clone(): only });
        let Ok(api) = typed(&single) else {
            return Some(operation_pointer(&path, &method));
        };
        if run_progenitor(&api, flavour).is_err() {
            return Some(operation_pointer(&path, &method));
        }
    }
    None
}

fn count_types(code: &str) -> usize {
    let Ok(file) = syn::parse_file(code) else { return 0 };
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .map(|(_, items)| {
            items
                .iter()
                .filter(|i| matches!(i, syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Type(_)))
                .count()
        })
        .unwrap_or(0)
}

/// The name progenitor gives an operation's method, which is also the
/// `operation_id` its request hooks see (progenitor's own `sanitize`:
/// quotes dropped, other non-identifier characters as word breaks, snake case).
fn method_name(operation_id: &str) -> String {
    use heck::ToSnakeCase;
    let cleaned: String = operation_id
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    cleaned.to_snake_case()
}

/// Facts about the wire that progenitor's output does not carry, as tables
/// the SDK's request hooks read (see `sdk/src/hooks.rs`):
/// - array query parameters documented as `style: form, explode: false`,
///   which go on the wire comma-separated where progenitor repeats the key;
/// - operations whose success type was made nullable because one documented
///   success status has no body.
///
/// Returns the Rust source and the operation ids its rows name.
fn wire_table(doc: &Value) -> (String, BTreeSet<String>) {
    let mut comma_separated = Vec::new();
    let mut nullable_success = Vec::new();
    let mut named = BTreeSet::new();
    for (path, method) in operations(doc) {
        let pointer = operation_pointer(&path, &method);
        let op = doc.pointer(&pointer).cloned().unwrap_or_default();
        let id = method_name(op.get("operationId").and_then(Value::as_str).unwrap_or_default());
        let shared = doc["paths"][&path].get("parameters").cloned().unwrap_or_default();
        let lists = [shared, op.get("parameters").cloned().unwrap_or_default()];
        for param in lists.iter().filter_map(Value::as_array).flatten() {
            let param = deref(doc, param);
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            let schema = param.get("schema").map(|s| deref(doc, s));
            let is_array = schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array");
            let form = param.get("style").and_then(Value::as_str).unwrap_or("form") == "form";
            let exploded = param.get("explode").and_then(Value::as_bool).unwrap_or(true);
            if param.get("in").and_then(Value::as_str) == Some("query") && is_array && form && !exploded {
                let row = format!("        ({id:?}, {name:?}),\n");
                if !comma_separated.contains(&row) {
                    comma_separated.push(row);
                    named.insert(id.clone());
                }
            }
        }
        let success_schema = op.pointer("/responses/2XX/content/application~1json/schema");
        if success_schema.and_then(|s| s.get("nullable")).and_then(Value::as_bool) == Some(true) {
            nullable_success.push(format!("        {id:?},\n"));
            named.insert(id);
        }
    }
    let text = format!(
        "\n/// Wire facts of the spec that the SDK's request hooks apply.\n\
         pub mod wire {{\n\
         \x20   /// Array query parameters sent as one comma-separated value (`style: form,\n\
         \x20   /// explode: false`), as (operation id, parameter name).\n\
         \x20   pub const COMMA_SEPARATED_QUERY: &[(&str, &str)] = &[\n{}    ];\n\
         \x20   /// Operations documented to succeed with or without a body; an empty\n\
         \x20   /// success body decodes as `None`.\n\
         \x20   pub const EMPTY_SUCCESS_AS_NULL: &[&str] = &[\n{}    ];\n}}\n",
        comma_separated.concat(),
        nullable_success.concat()
    );
    (text, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_and_standalone_ask_for_the_same_runtime_crates() {
        let manifest = std::fs::read_to_string(project_root().join("sdk/Cargo.toml")).unwrap();
        for (dependency, _) in RUNTIME_DEPENDENCIES {
            assert!(
                manifest
                    .lines()
                    .any(|l| l.starts_with(&format!("{dependency}.workspace = true"))
                        || l.starts_with(&format!("{dependency} = "))),
                "sdk/Cargo.toml lacks {dependency}"
            );
        }
    }

    #[test]
    fn crate_names_are_valid() {
        assert_eq!(
            crate_name(Path::new("x/carts.v3.20220323.a30f9b03.yml")),
            "carts-v3-20220323-a30f9b03"
        );
        assert_eq!(crate_name(Path::new("2024.yml")), "generated-2024");
    }
}

#[cfg(test)]
mod generation_tests {
    use super::*;

    /// `cargo test` fails when sdk/src/generated/ has drifted from spec/.
    #[test]
    fn generated_sdk_code_is_current() {
        generate_sdk(&project_root(), true, false).unwrap();
    }

    #[test]
    fn generation_is_deterministic() {
        let spec = project_root().join("spec/carts.v3.yaml");
        let first = render(&spec, "spec/carts.v3.yaml", Flavour::Sdk).unwrap();
        let second = render(&spec, "spec/carts.v3.yaml", Flavour::Sdk).unwrap();
        assert!(first.code == second.code, "two runs differ");
        assert!(
            first
                .code
                .starts_with("// @generated by `cargo xtask generate` from spec/carts.v3.yaml (sha256 ")
        );
    }

    fn render_text(name: &str, text: &str) -> Result<Rendered> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        render(&path, name, Flavour::Standalone)
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn an_unsupported_construct_is_named_with_its_pointer() {
        let text = format!(
            "{HEAD}paths:\n  /ok:\n    get:\n      operationId: ok\n      responses: {{'200': {{description: ok}}}}\n  \
             /carts:\n    get:\n      operationId: withCookie\n      parameters:\n        - {{name: session, in: cookie, schema: {{type: string}}}}\n      \
             responses: {{'200': {{description: ok}}}}\n"
        );
        let error = format!("{:#}", render_text("cookie.yaml", &text).err().unwrap());
        assert!(
            error.contains("at /paths/~1carts/get: progenitor cannot take this construct"),
            "{error}"
        );
        assert!(error.contains("cookie"), "{error}");
    }

    #[test]
    fn a_malformed_document_is_named_with_its_pointer() {
        let text = format!("{HEAD}paths:\n  /carts:\n    get:\n      responses: [1, 2]\n");
        let error = format!("{:#}", render_text("bad.yaml", &text).err().unwrap());
        assert!(error.contains("at /paths/~1carts/get/responses"), "{error}");
    }

    #[test]
    fn openapi_3_1_is_refused_clearly() {
        let error = format!(
            "{:#}",
            render_text("new.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")
                .err()
                .unwrap()
        );
        assert!(error.contains("at /openapi: version 3.1.0 is not supported"), "{error}");
    }

    #[test]
    fn a_standalone_crate_is_written_with_manifest_and_library() {
        let spec = tempfile::tempdir().unwrap();
        let path = spec.path().join("tiny.yaml");
        let text = format!(
            "{HEAD}paths:\n  /carts/{{id}}:\n    get:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      \
             responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: object}}}}}}}}}}\n"
        );
        std::fs::write(&path, text).unwrap();
        let out = tempfile::tempdir().unwrap();
        generate_standalone(&[path], out.path(), false).unwrap();
        let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains("name = \"tiny\"") && manifest.contains("[workspace]"),
            "{manifest}"
        );
        let lib = std::fs::read_to_string(out.path().join("src/lib.rs")).unwrap();
        assert!(
            lib.contains("pub fn get_carts_id(&self)"),
            "an operation without an id is named after its path"
        );
    }
}
