//! Nothing here: the fuzz targets are in `tests/fuzz.rs` (`make fuzz`, docs/robustness.md).
