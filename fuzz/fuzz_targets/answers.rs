//! Any bytes as an answers file, with `--set` assignments taken from its last line: parsing and
//! validation return an answer or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openedx_devops::answers::{Answers, load};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (file, assignment) = text.rsplit_once('\n').unwrap_or((text, ""));
    if let Ok(mut raw) = load::parse(file) {
        let _ = load::take_schema_version(&mut raw);
        let _ = load::apply_set(&mut raw, assignment);
        if let Ok(answers) = Answers::validate(&raw) {
            // What validates must write back and read back to the same answers.
            let written = load::to_yaml(&answers);
            let mut again = load::parse(&written).expect("written answers parse");
            load::take_schema_version(&mut again).expect("written schema version");
            assert_eq!(Answers::validate(&again).expect("written answers validate"), answers);
        }
    }
});
