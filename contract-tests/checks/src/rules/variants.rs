//! The names an enum of the SDK reads, as its compiled `Deserialize` lists them.
//!
//! serde's derive hands every enum's names (after `rename`) to
//! `Deserializer::deserialize_enum`. A deserializer that keeps them and reads
//! nothing tells what the compiled type accepts, with no schema generator.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

/// The names `T` reads as its variants; empty when `T` is not an enum.
pub(super) fn variant_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // The deserializer always fails: it only listens for the names.
    let _ = T::deserialize(NamesOnly(&mut names));
    names
}

/// Keeps the variant names it is offered, then fails.
struct NamesOnly<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for NamesOnly<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not an enum"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = variants;
        Err(de::Error::custom("only the names were asked for"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    enum Renamed {
        #[serde(rename = "first.one")]
        First,
        Second,
    }

    #[test]
    fn an_enum_gives_the_names_it_reads_and_anything_else_none() {
        assert_eq!(variant_names::<Renamed>(), ["first.one", "Second"]);
        assert_eq!(variant_names::<bigcommerce_carts::Include>().len(), 4);
        assert!(variant_names::<String>().is_empty());
        assert!(variant_names::<bigcommerce_carts::RedirectUrls>().is_empty());
    }
}
