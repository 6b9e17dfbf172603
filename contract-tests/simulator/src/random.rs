//! Random ids and secrets, from the operating system's randomness.
//!
//! The simulator reads it through `getrandom` rather than uuid's `v4` feature: the SDK shares the
//! `uuid` crate with it, and a feature the simulator turned on there would make a service compile
//! the SDK a second time for the tests it runs against the simulator.

use uuid::Uuid;

/// `N` random bytes.
///
/// # Panics
///
/// When the operating system gives no randomness, as `Uuid::new_v4` would: there is nothing the
/// simulator could use instead.
pub(crate) fn bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if let Err(error) = getrandom::fill(&mut bytes) {
        panic!("the operating system gave no random bytes: {error}");
    }
    bytes
}

/// A random (version 4) UUID, as `Uuid::new_v4` makes one.
pub(crate) fn uuid() -> Uuid {
    uuid::Builder::from_random_bytes(bytes()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_and_differ() {
        let (a, b) = (uuid(), uuid());
        assert_eq!(a.get_version(), Some(uuid::Version::Random));
        assert_eq!(a.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(a, b);
    }
}
