//! The checks every function that reads a stored state makes (issue 17, §3):
//! its ladder, its schema version, its fingerprints, its event count, and a
//! recompute's trail against it. Each fault found by trying the doors is a
//! test here, on real dates.

use escalation_ladder::calendar::Fingerprint;
use escalation_ladder::ladder::LadderFingerprint;

/// Fingerprints are read by exactly their published patterns,
/// `^cal-[0-9a-f]{16}$` and `^lad-[0-9a-f]{16}$`: upper case, a sign and
/// another length are refused; all zeros matches the pattern, so it reads
/// (and names no real calendar or ladder).
#[test]
fn fingerprints_read_by_exactly_their_pattern() {
    let calendar = |text: &str| serde_json::from_value::<Fingerprint>(text.into());
    let ladder = |text: &str| serde_json::from_value::<LadderFingerprint>(text.into());
    let real = escalation_ladder::WorkingCalendar::new(escalation_ladder::Region::EnglandAndWales)
        .fingerprint();
    assert_eq!(real.to_string(), "cal-b3d3b5cbf05da2f5");
    assert_eq!(calendar("cal-b3d3b5cbf05da2f5").unwrap(), real);
    let zero = calendar("cal-0000000000000000").unwrap();
    assert_eq!(zero.to_string(), "cal-0000000000000000");
    assert_eq!(
        serde_json::to_string(&zero).unwrap(),
        r#""cal-0000000000000000""#
    );
    assert_ne!(zero, real);
    let zero = ladder("lad-0000000000000000").unwrap();
    assert_eq!(zero.to_string(), "lad-0000000000000000");
    assert_eq!(
        ladder("lad-ffffffffffffffff").unwrap().to_string(),
        "lad-ffffffffffffffff"
    );
    for bad in [
        "cal-B3D3B5CBF05DA2F5",
        "cal-b3d3b5cbf05dA2f5",
        "cal-+3d3b5cbf05da2f5",
        "cal--3d3b5cbf05da2f5",
        "cal-b3d3b5cbf05da2f",
        "cal-b3d3b5cbf05da2f5a",
        "cal-0x d3b5cbf05da2f5",
        "cal- 3d3b5cbf05da2f5",
        "cal-g3d3b5cbf05da2f5",
        "CAL-b3d3b5cbf05da2f5",
        "lad-b3d3b5cbf05da2f5",
        "",
    ] {
        let err = calendar(bad).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("expected a fingerprint like cal-0123456789abcdef, found"),
            "{bad}: {err}"
        );
    }
    assert!(ladder("lad-+f55e346c171398c").is_err());
    assert!(ladder("lad-BF55E346C171398C").is_err());
}
