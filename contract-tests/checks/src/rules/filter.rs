//! Which rules a run judges: `--rules redirect_urls.*,cart.id`.

use super::RULES;

/// A selection of rules by id: exact ids, or a family (`redirect_urls` or
/// `redirect_urls.*`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    patterns: Vec<String>,
}

/// A filter that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--rules: {pattern:?} names no rule; the rules are {known}")]
pub struct FilterError {
    /// The pattern that matched nothing.
    pub pattern: String,
    /// Every rule id, comma-separated.
    pub known: String,
}

impl Filter {
    /// Every rule.
    pub fn all() -> Self {
        Self::default()
    }

    /// Parses a comma-separated list; every pattern must select some rule.
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let patterns: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        for pattern in &patterns {
            if !RULES.iter().any(|rule| matches(pattern, rule.id)) {
                return Err(FilterError {
                    pattern: pattern.clone(),
                    known: RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", "),
                });
            }
        }
        Ok(Self { patterns })
    }

    /// Whether the rule `id` is judged.
    pub fn selects(&self, id: &str) -> bool {
        self.patterns.is_empty() || self.patterns.iter().any(|p| matches(p, id))
    }
}

fn matches(pattern: &str, id: &str) -> bool {
    let family = pattern.strip_suffix(".*").unwrap_or(pattern);
    pattern == id || id.split('.').next() == Some(family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_families_select() {
        let filter = Filter::parse("redirect_urls.*, cart.id").unwrap();
        assert!(filter.selects("redirect_urls.single_use"));
        assert!(filter.selects("cart.id"));
        assert!(!filter.selects("cart.expiry"));
        assert!(Filter::all().selects("cart.expiry"));
        let family = Filter::parse("redirect_urls").unwrap();
        assert!(family.selects("redirect_urls.validity"));
        assert!(!family.selects("cart.id"));
    }

    #[test]
    fn a_misspelt_rule_is_an_error_naming_it() {
        let error = Filter::parse("cart.id,redirect_url.shape").unwrap_err();
        assert_eq!(error.pattern, "redirect_url.shape");
        assert!(error.to_string().contains("redirect_urls.shape"), "{error}");
    }
}
