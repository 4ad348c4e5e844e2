//! Interop with the real tools: curl, wget, Python's `http.cookiejar` and
//! yt-dlp, in both directions.
//!
//! - `fixtures`: the `cookies.txt` files the tools wrote (committed under
//!   `testdata/tools/`, made by `testdata/tools/generate.sh`), loaded
//!   strictly, and what each tool sent after loading its own file compared
//!   with what this crate sends after loading the same file. These run
//!   everywhere, with no tool installed.
//! - `live`: the same against the tools themselves, when installed, through
//!   a login redirect chain served on 127.0.0.1 over http and https
//!   (`server`, `testdata/tools/proxy.py`); and the other way: a file this
//!   crate saved, given to the tool, makes it send what this crate sends.
//!   Outside CI a missing tool skips with a note; under `CI=true` it fails.
//!
//! Sends are compared as sets of `name=value` pairs: the order of cookies
//! in a `Cookie` header differs between tools and no server may rely on it
//! (RFC 6265 section 5.4 step 2 only recommends one). Where a tool differs
//! from this crate by its own policy (not by how it reads or writes the
//! file) the difference is listed, with the reason, in `KNOWN`: the test
//! fails on any difference not listed and on any listed one that is gone.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code: a panic is the assertion

mod compare;
mod fixtures;
mod live;
mod server;
mod tools;
