//! Excel workbooks: what lokus writes (and, with later capabilities, reads).

pub mod write;
