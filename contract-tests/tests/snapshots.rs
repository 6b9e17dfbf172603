//! Snapshots reviewed like code: the exact request the SDK sends for each
//! cassette, and the SDK's public surface per operation. A spec or generator
//! change shows its effect on the wire and on callers as a snapshot diff.

use std::collections::BTreeMap;

use contract_tests::cassette::{self, Api};
use contract_tests::replay::{TEST_TOKEN, replay};
use contract_tests::spec::{self, Specs};
use heck::{ToPascalCase, ToSnakeCase};
use quote::ToTokens;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct SnapshotRequest {
    method: String,
    path: String,
    query: Option<String>,
    headers: BTreeMap<String, String>,
    body: Option<Value>,
}

#[tokio::test]
async fn requests_the_sdk_sends() {
    let specs = Specs::load(&spec::default_dir()).unwrap();
    let cassettes = cassette::load_all(&cassette::default_dir()).unwrap();
    for cassette in &cassettes {
        let sent = replay(&specs, cassette).await.sent.expect("the SDK sent a request");
        let headers = sent
            .headers
            .iter()
            .filter(|(name, _)| matches!(name.as_str(), "accept" | "content-type" | "x-auth-token" | "user-agent"))
            .map(|(name, value)| {
                let value = match name.as_str() {
                    "x-auth-token" if value == TEST_TOKEN => "<the client's token>".to_string(),
                    "user-agent" if value.starts_with("bigcommerce-carts/") => {
                        "bigcommerce-carts/<version>".to_string()
                    }
                    _ => value.clone(),
                };
                (name.clone(), value)
            })
            .collect();
        let snapshot = SnapshotRequest {
            method: sent.method,
            path: sent.path,
            query: sent.query,
            headers,
            body: sent.body,
        };
        let name = format!("request__{}", cassette.name().replace('/', "__"));
        insta::assert_yaml_snapshot!(name, snapshot);
    }
}

/// One operation as a caller of the SDK sees it.
#[derive(Serialize)]
struct Surface {
    http: String,
    call: String,
    parameters: Vec<String>,
    success: String,
    error: String,
}

/// Rust types as written in the generated code, without the paths.
fn tidy(tokens: &str) -> String {
    let mut text: String = tokens.chars().filter(|c| !c.is_whitespace()).collect();
    for prefix in [
        "::std::option::",
        "::std::vec::",
        "::std::string::",
        "::std::collections::",
        "::uuid::",
        "types::",
        "builder::",
        "::chrono::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace(',', ", ")
}

fn generated(api: Api) -> syn::File {
    let file = match api {
        Api::CartsV3 => "carts_v3.rs",
        Api::AbandonedCartsV3 => "abandoned_carts_v3.rs",
        Api::CartsSf => "carts_sf.rs",
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sdk/src/generated")
        .join(file);
    syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn builder_items(file: &syn::File) -> &[syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        })
        .expect("a builder module")
}

#[test]
fn public_surface_per_operation() {
    let specs = Specs::load(&spec::default_dir()).unwrap();
    let mut surface: BTreeMap<String, BTreeMap<String, Surface>> = BTreeMap::new();
    for api in Api::ALL {
        let file = generated(api);
        let items = builder_items(&file);
        for op in specs.operations().iter().filter(|op| op.api == api) {
            let builder = op.id.to_pascal_case();
            let fields: Vec<(String, String)> = items
                .iter()
                .find_map(|item| match item {
                    syn::Item::Struct(s) if s.ident == builder => Some(&s.fields),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no builder {builder} for {}", op.id))
                .iter()
                .filter_map(|field| {
                    let name = field.ident.as_ref()?.to_string();
                    let ty = tidy(&field.ty.to_token_stream().to_string());
                    let ty = ty
                        .strip_prefix("Result<")
                        .and_then(|t| t.strip_suffix(", String>"))
                        .map(str::to_string)?;
                    Some((name, ty))
                })
                .collect();
            let send = items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(i) if i.self_ty.to_token_stream().to_string().starts_with(&builder) => Some(i),
                    _ => None,
                })
                .flat_map(|i| i.items.iter())
                .find_map(|item| match item {
                    syn::ImplItem::Fn(f) if f.sig.ident == "send" => {
                        Some(tidy(&f.sig.output.to_token_stream().to_string()))
                    }
                    _ => None,
                })
                .expect("a send method");
            let inner = send.trim_start_matches("->").trim_start_matches("Result<");
            let (success, error) = inner.split_once(", Error<").unwrap_or((inner, ""));
            let parameters = fields
                .into_iter()
                .map(|(name, ty)| {
                    let place = op
                        .parameters
                        .iter()
                        .find(|p| p.name.to_snake_case() == name || p.name.replace(':', "_") == name)
                        .map(|p| {
                            let how = if p.comma_separated { ", comma-separated" } else { "" };
                            format!("{} {}{how}", p.location, p.name)
                        })
                        .unwrap_or_else(|| "body".to_string());
                    format!("{name}: {ty} ({place})")
                })
                .collect();
            let statuses: Vec<&str> = op
                .statuses
                .iter()
                .filter(|s| s.starts_with('2'))
                .map(String::as_str)
                .collect();
            let client = match api {
                Api::CartsV3 => "Client::carts()",
                Api::AbandonedCartsV3 => "Client::abandoned_carts()",
                Api::CartsSf => "StorefrontClient::carts()",
            };
            surface.entry(api.stem().to_string()).or_default().insert(
                op.id.clone(),
                Surface {
                    http: format!("{} {}", op.method, op.path),
                    call: format!("{client}.{}()", op.id.to_snake_case()),
                    parameters,
                    success: format!(
                        "{} -> {}",
                        statuses.join("|"),
                        success
                            .strip_prefix("ResponseValue<")
                            .and_then(|s| s.strip_suffix('>'))
                            .unwrap_or(success)
                    ),
                    error: error.trim_end_matches(['>', ',', ' ']).to_string(),
                },
            );
        }
    }
    insta::assert_yaml_snapshot!("public_surface", surface);
}
