//! The three-way merge on any three texts: it returns a clean merge or a conflict, never panics,
//! and a side that did not change gives the other side back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openedx_devops::update::merge::{Merged, merge};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\u{0}');
    let (Some(base), Some(ours), Some(theirs)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let _ = merge("file.txt", base, ours, theirs);
    assert_eq!(merge("file.txt", base, base, theirs), Merged::Clean(theirs.to_owned()));
    assert_eq!(merge("file.txt", base, ours, base), Merged::Clean(ours.to_owned()));
});
