//! The committed header is the one cbindgen writes from the source
//! (build.rs writes it into OUT_DIR on every build).

use std::path::Path;

#[test]
fn the_committed_header_is_what_cbindgen_writes() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/escalation_ladder.h"));
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/escalation_ladder.h");
    if std::env::var_os("EL_BLESS_HEADER").is_some() {
        std::fs::write(&committed_path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "ffi/include/escalation_ladder.h differs from what cbindgen writes from ffi/src: \
         rewrite it with `EL_BLESS_HEADER=1 cargo test -p escalation-ladder-ffi --test header` \
         and commit it"
    );
}

#[test]
fn the_header_declares_every_function_with_its_ownership() {
    let header = include_str!("../include/escalation_ladder.h");
    for function in [
        "const char *el_version(void);",
        "int32_t el_handle_new(",
        "void el_handle_free(struct ElHandle *handle);",
        "void el_string_free(char *text);",
        "int32_t el_apply(",
        "int32_t el_advance(",
        "int32_t el_status(",
        "int32_t el_add_working_days(",
        "int32_t el_count_working_days(",
    ] {
        assert!(header.contains(function), "{function} not in the header");
    }
    // Every function but the version says who frees what.
    assert!(header.matches("el_string_free").count() >= 7);
    assert!(header.contains("#define EL_OK 0"));
    assert!(header.contains("extern \"C\""));
}
