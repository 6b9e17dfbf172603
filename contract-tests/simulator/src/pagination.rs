//! Paging of list answers: by page number (`page`, `limit`) or by cursor (`before`, `after`).
//!
//! The list calls answer one page and describe it in `meta.pagination` (page numbers) or, when
//! the request paged with a cursor, in `meta.cursor_pagination`. A cursor names the item it
//! stands at, so paging stays stable when items are added while a client pages through.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::errors::ApiError;

/// Items per page when `limit` is not given.
const DEFAULT_LIMIT: i64 = 50;
/// The most items one page may hold.
const MAX_LIMIT: i64 = 250;

/// How the caller asked to page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub page: Option<i64>,
    pub limit: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn cursor_of(id: u64) -> String {
    format!("cursor-{id}")
}

fn read_cursor(name: &str, cursor: &str) -> Result<u64, ApiError> {
    cursor
        .strip_prefix("cursor-")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid cursor")
                .field(name, "This is not a cursor of this list.")
        })
}

/// One page of `items` (sorted as they should be listed; `id_of` gives each one's id and
/// `ascending` tells the order), with the `meta` that describes it.
pub(crate) fn paginate<T>(
    items: Vec<T>,
    id_of: impl Fn(&T) -> u64,
    ascending: bool,
    request: &PageRequest,
) -> Result<(Vec<T>, Value), ApiError> {
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid([(
            "limit".to_string(),
            format!("The limit must be between 1 and {MAX_LIMIT}."),
        )]));
    }
    let per_page = usize::try_from(limit).unwrap_or(1);
    if request.before.is_some() && request.after.is_some() {
        return Err(ApiError::invalid([(
            "before".to_string(),
            "Page with before or with after, not both.".to_string(),
        )]));
    }
    // `precedes(a, b)`: item a comes before item b in the listing order.
    let precedes = |a: u64, b: u64| if ascending { a < b } else { a > b };

    if let Some(after) = &request.after {
        let at = read_cursor("after", after)?;
        let rest: Vec<T> = items.into_iter().filter(|i| precedes(at, id_of(i))).collect();
        let more = rest.len() > per_page;
        let page: Vec<T> = rest.into_iter().take(per_page).collect();
        let meta = cursor_meta(
            &page,
            &id_of,
            limit,
            format!("?limit={limit}&after={after}"),
            more,
            true,
        );
        return Ok((page, meta));
    }
    if let Some(before) = &request.before {
        let at = read_cursor("before", before)?;
        let mut head: Vec<T> = items.into_iter().filter(|i| precedes(id_of(i), at)).collect();
        let earlier = head.len() > per_page;
        let page: Vec<T> = head.split_off(head.len().saturating_sub(per_page));
        let meta = cursor_meta(
            &page,
            &id_of,
            limit,
            format!("?limit={limit}&before={before}"),
            true,
            earlier,
        );
        return Ok((page, meta));
    }

    let page_number = request.page.unwrap_or(1);
    if page_number < 1 {
        return Err(ApiError::invalid([(
            "page".to_string(),
            "The page must be 1 or more.".to_string(),
        )]));
    }
    let total = items.len();
    let total_pages = total.div_ceil(per_page).max(1);
    let skip = usize::try_from(page_number - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(per_page);
    let page: Vec<T> = items.into_iter().skip(skip).take(per_page).collect();
    let mut links = serde_json::Map::new();
    let number = usize::try_from(page_number).unwrap_or(usize::MAX);
    if number > 1 {
        links.insert(
            "previous".into(),
            json!(format!("?page={}&limit={limit}", page_number - 1)),
        );
    }
    links.insert("current".into(), json!(format!("?page={page_number}&limit={limit}")));
    if number < total_pages {
        links.insert("next".into(), json!(format!("?page={}&limit={limit}", page_number + 1)));
    }
    let meta = json!({"pagination": {
        "total": total,
        "count": page.len(),
        "per_page": limit,
        "current_page": page_number,
        "total_pages": total_pages,
        "links": links,
    }});
    Ok((page, meta))
}

fn cursor_meta<T>(
    page: &[T],
    id_of: &impl Fn(&T) -> u64,
    limit: i64,
    current: String,
    has_next: bool,
    has_previous: bool,
) -> Value {
    let start = page.first().map(|i| cursor_of(id_of(i)));
    let end = page.last().map(|i| cursor_of(id_of(i)));
    let mut links = serde_json::Map::new();
    if let (Some(start), true) = (&start, has_previous) {
        links.insert("previous".into(), json!(format!("?limit={limit}&before={start}")));
    }
    links.insert("current".into(), json!(current));
    if let (Some(end), true) = (&end, has_next) {
        links.insert("next".into(), json!(format!("?limit={limit}&after={end}")));
    }
    let mut cursor = serde_json::Map::new();
    cursor.insert("count".into(), json!(page.len()));
    cursor.insert("per_page".into(), json!(limit));
    if let Some(start) = start {
        cursor.insert("start_cursor".into(), json!(start));
    }
    if let Some(end) = end {
        cursor.insert("end_cursor".into(), json!(end));
    }
    cursor.insert("links".into(), Value::Object(links));
    json!({ "cursor_pagination": cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(page: &[u64]) -> Vec<u64> {
        page.to_vec()
    }

    #[test]
    fn pages_by_number() {
        let request = PageRequest {
            page: Some(2),
            limit: Some(2),
            ..PageRequest::default()
        };
        let (page, meta) = paginate(vec![1u64, 2, 3, 4, 5], |i| *i, true, &request).unwrap();
        assert_eq!(ids(&page), [3, 4]);
        assert_eq!(meta["pagination"]["total_pages"], 3);
        assert_eq!(meta["pagination"]["links"]["next"], "?page=3&limit=2");
        assert_eq!(meta["pagination"]["links"]["previous"], "?page=1&limit=2");
    }

    #[test]
    fn pages_by_cursor_both_ways() {
        let after = PageRequest {
            limit: Some(2),
            after: Some("cursor-2".into()),
            ..PageRequest::default()
        };
        let (page, meta) = paginate(vec![1u64, 2, 3, 4, 5], |i| *i, true, &after).unwrap();
        assert_eq!(ids(&page), [3, 4]);
        assert_eq!(meta["cursor_pagination"]["end_cursor"], "cursor-4");
        assert_eq!(meta["cursor_pagination"]["links"]["next"], "?limit=2&after=cursor-4");
        let before = PageRequest {
            limit: Some(2),
            before: Some("cursor-4".into()),
            ..PageRequest::default()
        };
        let (page, _) = paginate(vec![1u64, 2, 3, 4, 5], |i| *i, true, &before).unwrap();
        assert_eq!(ids(&page), [2, 3]);
        let (page, _) = paginate(vec![5u64, 4, 3, 2, 1], |i| *i, false, &after).unwrap();
        assert_eq!(ids(&page), [1]);
    }

    #[test]
    fn bad_requests_are_refused() {
        let bad = |request: PageRequest| paginate(vec![1u64], |i| *i, true, &request).unwrap_err().status;
        assert_eq!(
            bad(PageRequest {
                limit: Some(0),
                ..PageRequest::default()
            }),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            bad(PageRequest {
                after: Some("x".into()),
                ..PageRequest::default()
            }),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            bad(PageRequest {
                after: Some("cursor-1".into()),
                before: Some("cursor-1".into()),
                ..PageRequest::default()
            }),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
