//! What the property tests share.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// A proptest configuration for `cases` cases from a fixed seed, so that
/// every run checks the same cases (`PROPTEST_RNG_SEED=<n>` explores others).
/// Failures are kept in `regressions`, relative to the crate, where cargo
/// runs its tests: commit what lands there.
pub fn config(cases: u32, source_file: &'static str, regressions: &'static str, seed: u64) -> Config {
    let defaults = Config::default();
    let rng_seed = match defaults.rng_seed {
        RngSeed::Random => RngSeed::Fixed(seed),
        chosen => chosen,
    };
    Config {
        cases,
        source_file: Some(source_file),
        rng_seed,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        ..defaults
    }
}
