//! The key of a fact: the operation, the place in it (the operation itself,
//! a parameter, the request body, a response or the body it answers with),
//! the field of a body and the attribute. A key prints as reports, conflicts
//! and `spec/vendor.lock` have always shown it
//! (`GET /carts/{} response 200 application/json field data.id type`), and
//! keys sort as those texts do, so every list of facts keeps its order.
//!
//! Where a key sits in the API is read from its parts ([`Key::parent`],
//! [`Key::field_name`], [`Key::place`]), never from its text.

use std::cmp::Ordering;
use std::fmt;

/// An operation: its method in upper case and its path template (`/carts/{}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Operation {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path with every parameter written `{}`, so that two releases
    /// naming a path parameter differently have the same operation.
    pub path: String,
}

impl Operation {
    /// The operation of `method` (any case) on `path` (with named parameters).
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_uppercase(),
            path: carts_openapi::template(path),
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Where in an operation a fact is. The variants are declared in the order
/// their words sort (`parameter` < `request` < `response`), so that keys
/// sort as their texts do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The operation itself.
    Operation,
    /// A parameter, by where it goes (`query`) and its name (a header's in
    /// lower case, as headers are matched).
    Parameter {
        /// `path`, `query`, `header` or `cookie`.
        location: String,
        /// The parameter's name.
        name: String,
    },
    /// The request body in one media type.
    Request {
        /// `application/json`, ...
        media: String,
    },
    /// A documented response status, or, with a media type, the body it
    /// answers with in that type.
    Response {
        /// `200`, `4XX`, `default`.
        status: String,
        /// The body's media type; `None` for the status itself.
        media: Option<String>,
    },
}

impl fmt::Display for Place {
    /// The place in words after its operation (`response 200 application/json`);
    /// the operation itself is the empty text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Operation => Ok(()),
            Place::Parameter { location, name } => write!(f, "parameter {location}:{name}"),
            Place::Request { media } => write!(f, "request {media}"),
            Place::Response { status, media: None } => write!(f, "response {status}"),
            Place::Response {
                status,
                media: Some(media),
            } => write!(f, "response {status} {media}"),
        }
    }
}

/// One step of a field's path from its body's root.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// A named property.
    Property(String),
    /// The items of a list (`[]`).
    Items,
    /// The values of a map (`*`, from `additionalProperties`).
    Values,
}

/// A field of a body, as the schema walk ([`carts_openapi::fields()`])
/// reaches it: `data.line_items[].id`; the root has no steps and prints
/// `(body)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath {
    steps: Vec<Step>,
    /// The path as it prints, kept so that keys compare as fast as text.
    text: String,
}

impl Default for FieldPath {
    /// The body's root.
    fn default() -> Self {
        Self::of(Vec::new())
    }
}

impl FieldPath {
    /// The path of `steps`.
    fn of(steps: Vec<Step>) -> Self {
        let text = pieces(&steps).collect();
        Self { steps, text }
    }

    /// The field the schema walk names `walked` (`""`, `data.items[].id`,
    /// `meta.*`), read once where the walk hands it over.
    pub fn walked(walked: &str) -> Self {
        let mut steps = Vec::new();
        for part in walked.split('.').filter(|part| !part.is_empty()) {
            let mut name = part;
            let mut lists = 0;
            while let Some(rest) = name.strip_suffix("[]") {
                name = rest;
                lists += 1;
            }
            match name {
                "" => {}
                "*" => steps.push(Step::Values),
                name => steps.push(Step::Property(name.to_string())),
            }
            steps.extend(std::iter::repeat_n(Step::Items, lists));
        }
        Self::of(steps)
    }

    /// The steps from the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The field one step up; the root's is `None`.
    pub fn parent(&self) -> Option<FieldPath> {
        let (_, above) = self.steps.split_last()?;
        Some(Self::of(above.to_vec()))
    }
}

/// The text pieces a path of `steps` prints as, in order.
fn pieces(steps: &[Step]) -> impl Iterator<Item = &str> {
    let root = steps.is_empty().then_some("(body)");
    let steps = steps.iter().enumerate().flat_map(|(index, step)| {
        let dot = if index == 0 { "" } else { "." };
        match step {
            Step::Property(name) => [dot, name.as_str()],
            Step::Items => ["[]", ""],
            Step::Values => [dot, "*"],
        }
    });
    root.into_iter().chain(steps)
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Ord for FieldPath {
    /// As the printed paths sort: `data` < `data.id` < `data[]`.
    fn cmp(&self, other: &Self) -> Ordering {
        // Two paths that print alike (a property named `*` and a map's values) still differ.
        self.text.cmp(&other.text).then_with(|| {
            if self.steps == other.steps {
                Ordering::Equal
            } else {
                format!("{:?}", self.steps).cmp(&format!("{:?}", other.steps))
            }
        })
    }
}

impl PartialOrd for FieldPath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One attribute of an operation, a parameter or a field. The variants are
/// declared in the order their words sort, so that keys sort as their texts
/// do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attribute {
    /// One enum value, as JSON text (`"coupons"`, `5`).
    Enum(String),
    /// A parameter's `explode`.
    Explode,
    /// The JSON types of an array parameter's items.
    ItemsType,
    /// Whether a field may be null.
    Nullable,
    /// An operation's id.
    OperationId,
    /// Whether a parameter or field is required.
    Required,
    /// A parameter's `style`.
    Style,
    /// The JSON types of a parameter or field.
    Type,
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attribute::Enum(value) => write!(f, "enum {value}"),
            Attribute::Explode => f.write_str("explode"),
            Attribute::ItemsType => f.write_str("items type"),
            Attribute::Nullable => f.write_str("nullable"),
            Attribute::OperationId => f.write_str("operationId"),
            Attribute::Required => f.write_str("required"),
            Attribute::Style => f.write_str("style"),
            Attribute::Type => f.write_str("type"),
        }
    }
}

/// The key of one fact. The parts are declared in the order they print,
/// and each part sorts as its text does, so keys sort as their texts do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The operation.
    pub operation: Operation,
    /// The place in it.
    pub place: Place,
    /// The field of the body at `place`, if the fact is about one.
    pub field: Option<FieldPath>,
    /// The attribute, if the fact is about one rather than about presence.
    pub attribute: Option<Attribute>,
}

impl Key {
    /// The key of `place` of `operation` itself (its presence).
    pub fn new(operation: Operation, place: Place) -> Self {
        Self {
            operation,
            place,
            field: None,
            attribute: None,
        }
    }

    /// The key of the field at `path` of this key's body.
    pub fn field(&self, path: FieldPath) -> Self {
        Self {
            field: Some(path),
            attribute: None,
            ..self.clone()
        }
    }

    /// The key of `attribute` of what this key names.
    pub fn with(&self, attribute: Attribute) -> Self {
        Self {
            attribute: Some(attribute),
            ..self.clone()
        }
    }

    /// The key of this key's operation (its presence).
    pub fn operation_key(&self) -> Key {
        Key::new(self.operation.clone(), Place::Operation)
    }

    /// The key one step up: an attribute's field, parameter or operation, a
    /// field's parent field, the body root's body, a body's status (a request
    /// body's operation), a parameter's or status's operation. The
    /// operation has none.
    pub fn parent(&self) -> Option<Key> {
        if self.attribute.is_some() {
            return Some(Self {
                attribute: None,
                ..self.clone()
            });
        }
        if let Some(path) = &self.field {
            return Some(Self {
                field: path.parent(),
                ..self.clone()
            });
        }
        let place = match &self.place {
            Place::Operation => return None,
            Place::Response { status, media: Some(_) } => Place::Response {
                status: status.clone(),
                media: None,
            },
            Place::Parameter { .. } | Place::Request { .. } | Place::Response { media: None, .. } => Place::Operation,
        };
        Some(Key::new(self.operation.clone(), place))
    }

    /// The name of the field this key names, when it is a named property
    /// (not the root, items or a map's values).
    pub fn field_name(&self) -> Option<&str> {
        match self.field.as_ref()?.steps().last()? {
            Step::Property(name) => Some(name),
            Step::Items | Step::Values => None,
        }
    }

    /// Whether the key names the items of a list field (`...[]`).
    pub fn is_items(&self) -> bool {
        self.attribute.is_none()
            && self
                .field
                .as_ref()
                .is_some_and(|path| path.steps().last() == Some(&Step::Items))
    }

    /// The body this key's field belongs to: the key without its field and
    /// attribute.
    pub fn body(&self) -> Key {
        Key::new(self.operation.clone(), self.place.clone())
    }

    /// The enum value this key names, as JSON text.
    pub fn enum_value(&self) -> Option<&str> {
        match &self.attribute {
            Some(Attribute::Enum(value)) => Some(value),
            _ => None,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.operation)?;
        if self.place != Place::Operation {
            write!(f, " {}", self.place)?;
        }
        if let Some(path) = &self.field {
            write!(f, " field {path}")?;
        }
        if let Some(attribute) = &self.attribute {
            write!(f, " {attribute}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::project_root;
    use crate::spec_merge::facts::{Facts, extract};

    /// The facts of a spec in the repository.
    fn facts_of(path: &str) -> Facts {
        let bytes = std::fs::read(project_root().join(path)).unwrap();
        extract(&carts_openapi::parse(&bytes).unwrap().doc)
    }

    /// `GET /carts/{cartId}`'s answer in `application/json`.
    fn cart_answer() -> Key {
        Key::new(
            Operation::new("get", "/carts/{cartId}"),
            Place::Response {
                status: "200".into(),
                media: Some("application/json".into()),
            },
        )
    }

    #[test]
    fn a_key_built_from_its_parts_prints_as_the_spec_states_it() {
        let facts = facts_of("spec/carts.v3.yaml");
        let id_type = cart_answer()
            .field(FieldPath::walked("data.line_items.physical_items[].id"))
            .with(Attribute::Type);
        assert_eq!(
            id_type.to_string(),
            "GET /carts/{} response 200 application/json field data.line_items.physical_items[].id type"
        );
        assert!(facts.contains_key(&id_type), "our spec states {id_type}");
        let include = Key::new(
            Operation::new("GET", "/carts/{id}"),
            Place::Parameter {
                location: "query".into(),
                name: "include".into(),
            },
        );
        let enum_value = include.with(Attribute::Enum("\"redirect_urls\"".into()));
        assert_eq!(
            enum_value.to_string(),
            "GET /carts/{} parameter query:include enum \"redirect_urls\""
        );
        assert!(facts.contains_key(&enum_value), "our spec states {enum_value}");
        assert_eq!(
            cart_answer().field(FieldPath::default()).to_string(),
            "GET /carts/{} response 200 application/json field (body)"
        );
    }

    /// Every path the schema walk gives prints back as the walk wrote it.
    #[test]
    fn the_walks_field_paths_print_as_walked() {
        let bytes = std::fs::read(project_root().join("spec/carts.v3.yaml")).unwrap();
        let doc = carts_openapi::parse(&bytes).unwrap().doc;
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut paths = 0;
        for name in schemas.keys() {
            let pointer = format!("/components/schemas/{}", carts_openapi::escape(name));
            for path in carts_openapi::fields(&doc, &pointer).fields.keys() {
                let printed = if path.is_empty() { "(body)" } else { path };
                assert_eq!(FieldPath::walked(path).to_string(), printed);
                paths += 1;
            }
        }
        assert!(paths > 100, "only {paths} paths walked");
    }

    /// Keys sort as their texts do, so every list of facts (reports, the walk, the lock) keeps
    /// the order it had when keys were text.
    #[test]
    fn keys_sort_as_their_texts() {
        for spec in ["spec/carts.v3.yaml", "spec/upstream/carts.v3.yml", "spec/carts.sf.yaml"] {
            let texts: Vec<String> = facts_of(spec).keys().map(Key::to_string).collect();
            let mut sorted = texts.clone();
            sorted.sort();
            assert!(texts.len() > 1000, "{spec}: only {} facts", texts.len());
            assert!(texts == sorted, "{spec}: keys out of their texts' order");
        }
    }

    #[test]
    fn keys_climb_to_their_operation() {
        let mut key = cart_answer()
            .field(FieldPath::walked("data.items[].id"))
            .with(Attribute::Enum("\"a b\"".into()));
        let mut chain = vec![key.to_string()];
        while let Some(parent) = key.parent() {
            chain.push(parent.to_string());
            key = parent;
        }
        assert_eq!(
            chain,
            [
                "GET /carts/{} response 200 application/json field data.items[].id enum \"a b\"",
                "GET /carts/{} response 200 application/json field data.items[].id",
                "GET /carts/{} response 200 application/json field data.items[]",
                "GET /carts/{} response 200 application/json field data.items",
                "GET /carts/{} response 200 application/json field data",
                "GET /carts/{} response 200 application/json field (body)",
                "GET /carts/{} response 200 application/json",
                "GET /carts/{} response 200",
                "GET /carts/{}",
            ]
        );
        let request = Key::new(
            Operation::new("post", "/carts"),
            Place::Request {
                media: "application/json".into(),
            },
        );
        let items = request.field(FieldPath::walked("[]"));
        assert_eq!(items.parent(), Some(request.field(FieldPath::default())));
        assert_eq!(request.parent(), Some(request.operation_key()));
        assert_eq!(items.field_name(), None);
        assert!(items.is_items());
        assert_eq!(
            request.field(FieldPath::walked("[].product_id")).field_name(),
            Some("product_id")
        );
    }
}
