//! Snapshots reviewed like code: the SDK's public surface, per operation (its
//! call, parameters and answer types) and per type (every field with its
//! type, every variant). A spec or generator change shows its effect on
//! callers as a snapshot diff: a field that turns optional shows up in
//! review. (The exact requests are asserted by the replays of the cassettes.)

use std::collections::BTreeMap;

use contract_tests::cassette::Api;
use contract_tests::spec::{self, Specs};
use heck::{ToPascalCase, ToSnakeCase};
use quote::ToTokens;
use serde::Serialize;

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
        "::rust_decimal::",
        "::serde_json::",
        "offset::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace(",>", ">").replace(',', ", ")
}

fn generated(api: Api) -> syn::File {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sdk/src/generated")
        .join(api.generated_file());
    syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn module_items<'a>(file: &'a syn::File, name: &str) -> &'a [syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a {name} module"))
}

#[test]
fn public_surface_per_operation() {
    let specs = Specs::load(&spec::default_dir()).unwrap();
    let mut surface: BTreeMap<String, BTreeMap<String, Surface>> = BTreeMap::new();
    for api in Api::ALL {
        let file = generated(api);
        let items = module_items(&file, "builder");
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
                    // `send` returns the crate's error; `send_raw` names the error body.
                    syn::ImplItem::Fn(f) if f.sig.ident == "send_raw" => {
                        Some(tidy(&f.sig.output.to_token_stream().to_string()))
                    }
                    _ => None,
                })
                .expect("a send_raw method");
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
                            let how = if p.is_comma_separated() {
                                ", comma-separated"
                            } else {
                                ""
                            };
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
            let client = api.client_call();
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

/// One generated type as a caller sees it.
#[derive(Serialize)]
#[serde(untagged)]
enum TypeSurface {
    /// A struct's fields, `name: type`.
    Fields(Vec<String>),
    /// An enum's variants, `Name` or `Name(type)`.
    Variants { variants: Vec<String> },
}

/// The public types of `file`'s `types` module.
fn types_of(file: &syn::File) -> BTreeMap<String, TypeSurface> {
    let mut out = BTreeMap::new();
    for item in module_items(file, "types") {
        match item {
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .map(|f| {
                        let name = f.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                        format!("{name}: {}", tidy(&f.ty.to_token_stream().to_string()))
                    })
                    .collect();
                out.insert(s.ident.to_string(), TypeSurface::Fields(fields));
            }
            syn::Item::Enum(e) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| match &v.fields {
                        syn::Fields::Unnamed(fields) => format!(
                            "{}({})",
                            v.ident,
                            tidy(
                                &fields
                                    .unnamed
                                    .iter()
                                    .map(|f| f.ty.to_token_stream().to_string())
                                    .collect::<Vec<_>>()
                                    .join(",")
                            )
                        ),
                        _ => v.ident.to_string(),
                    })
                    .collect();
                out.insert(e.ident.to_string(), TypeSurface::Variants { variants });
            }
            _ => {}
        }
    }
    out
}

#[test]
fn public_types() {
    let types: BTreeMap<&str, BTreeMap<String, TypeSurface>> = Api::ALL
        .into_iter()
        .map(|api| (api.stem(), types_of(&generated(api))))
        .collect();
    insta::assert_yaml_snapshot!("public_types", types);
}

/// Names a caller reads: no variant is named after a position (`X0`) or a JSON type (`Int64`).
#[test]
fn no_variant_is_named_after_a_json_type_or_a_digit() {
    const JSON_TYPES: &[&str] = &[
        "Int64", "Int32", "Integer", "String", "Number", "Boolean", "Array", "Object", "Null", "Float", "Double",
    ];
    let mut bad = Vec::new();
    for api in Api::ALL {
        for item in module_items(&generated(api), "types") {
            let syn::Item::Enum(e) = item else { continue };
            for variant in &e.variants {
                let name = variant.ident.to_string();
                let numbered = |prefix: &str| {
                    name.strip_prefix(prefix)
                        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
                };
                if numbered("X") || numbered("Variant") || JSON_TYPES.contains(&name.as_str()) {
                    bad.push(format!("{} {}::{name}", api.stem(), e.ident));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
