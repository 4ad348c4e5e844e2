//! Where the browsers keep their profiles on Linux, and which database in
//! a profile holds the cookies.

use super::{Browser, ImportError, ImportErrorKind};
use std::path::{Path, PathBuf};

/// Firefox's profile roots under `$HOME`: the classic one, the XDG one of
/// newer versions, the Snap and the Flatpak packages.
const FIREFOX_ROOTS: &[&str] = &[
    ".mozilla/firefox",
    ".config/mozilla/firefox",
    "snap/firefox/common/.mozilla/firefox",
    ".var/app/org.mozilla.firefox/.mozilla/firefox",
    ".var/app/org.mozilla.firefox/config/mozilla/firefox",
];

/// Chromium-family user data directories under `$HOME`, first found wins.
const CHROMIUM_ROOTS: &[&str] = &[
    ".config/chromium",
    ".config/google-chrome",
    "snap/chromium/common/chromium",
    ".var/app/org.chromium.Chromium/config/chromium",
    ".var/app/com.google.Chrome/config/google-chrome",
];

/// The default profile of `browser` under `home`: for Firefox, the one
/// `profiles.ini` names (an `[Install…]` section's `Default`, else the
/// profile marked `Default=1`, else the only one); for Chromium, the
/// `Default` profile of the first user data directory that has one.
///
/// # Errors
///
/// `NoProfile`, listing the places looked in.
pub fn find_profile(browser: Browser, home: &Path) -> Result<PathBuf, ImportError> {
    let mut searched = Vec::new();
    match browser {
        Browser::Firefox => {
            for root in FIREFOX_ROOTS {
                let root = home.join(root);
                let ini = root.join("profiles.ini");
                searched.push(ini.clone());
                let Ok(text) = std::fs::read_to_string(&ini) else {
                    continue;
                };
                if let Some(profile) = default_firefox_profile(&text) {
                    let dir = if profile.1 {
                        root.join(profile.0)
                    } else {
                        PathBuf::from(profile.0)
                    };
                    if dir.is_dir() {
                        return Ok(dir);
                    }
                }
            }
        }
        Browser::Chromium => {
            for root in CHROMIUM_ROOTS {
                let dir = home.join(root).join("Default");
                searched.push(dir.clone());
                if dir.is_dir() {
                    return Ok(dir);
                }
            }
        }
    }
    Err(ImportError::new(ImportErrorKind::NoProfile {
        browser,
        searched,
    }))
}

/// The `Path` of the default profile in `profiles.ini`, and whether it is
/// relative to the file's directory.
fn default_firefox_profile(ini: &str) -> Option<(String, bool)> {
    #[derive(Default)]
    struct Section {
        name: String,
        path: Option<String>,
        default: Option<String>,
        relative: bool,
    }
    let mut sections: Vec<Section> = Vec::new();
    for line in ini.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push(Section {
                name: name.to_owned(),
                relative: true,
                ..Section::default()
            });
        } else if let (Some((key, value)), Some(section)) =
            (line.split_once('='), sections.last_mut())
        {
            match key.trim() {
                "Path" => section.path = Some(value.trim().to_owned()),
                "Default" => section.default = Some(value.trim().to_owned()),
                "IsRelative" => section.relative = value.trim() != "0",
                _ => {}
            }
        }
    }
    let profiles = || sections.iter().filter(|s| s.name.starts_with("Profile"));
    // Step 1: an installation's default (Firefox 67 and later), given as
    // the profile's path relative to the root, or absolute.
    if let Some(path) = sections
        .iter()
        .filter(|s| s.name.starts_with("Install"))
        .find_map(|s| s.default.clone())
    {
        let relative = profiles()
            .find(|p| p.path.as_deref() == Some(path.as_str()))
            .is_none_or(|p| p.relative)
            && !path.starts_with('/');
        return Some((path, relative));
    }
    // Step 2: the profile marked default, else the only one.
    let marked = profiles().find(|p| p.default.as_deref() == Some("1"));
    let chosen = marked.or_else(|| {
        let mut all = profiles();
        match (all.next(), all.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })?;
    Some((chosen.path.clone()?, chosen.relative))
}

/// The cookie database of `profile`: the path itself if it is a file,
/// else the browser's file in it (for Chromium also in `Network/`, where
/// newer versions keep it, and in `Default/` of a user data directory).
///
/// # Errors
///
/// `NoDatabase` if there is none.
pub(crate) fn database(browser: Browser, profile: &Path) -> Result<PathBuf, ImportError> {
    if profile.is_file() {
        return Ok(profile.to_path_buf());
    }
    let candidates: Vec<PathBuf> = match browser {
        Browser::Firefox => vec![profile.join("cookies.sqlite")],
        Browser::Chromium => ["", "Default"]
            .iter()
            .flat_map(|sub| {
                let dir = profile.join(sub);
                [dir.join("Cookies"), dir.join("Network").join("Cookies")]
            })
            .collect(),
    };
    candidates
        .iter()
        .find(|c| c.is_file())
        .cloned()
        .ok_or_else(|| {
            ImportError::new(ImportErrorKind::NoDatabase {
                path: candidates.first().cloned().unwrap_or_default(),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::default_firefox_profile;

    #[test]
    fn profiles_ini() {
        let cases: &[(&str, Option<(&str, bool)>)] = &[
            (
                "[Install4F96D1932A9F858E]\nDefault=abcd.default-release\nLocked=1\n\n\
                 [Profile1]\nName=default\nIsRelative=1\nPath=efgh.default\nDefault=1\n\n\
                 [Profile0]\nName=default-release\nIsRelative=1\nPath=abcd.default-release\n",
                Some(("abcd.default-release", true)),
            ),
            (
                "[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=a\nIsRelative=1\nPath=a.x\n\n\
                 [Profile1]\nName=b\nIsRelative=0\nPath=/srv/b\nDefault=1\n",
                Some(("/srv/b", false)),
            ),
            (
                "[Profile0]\nName=only\nIsRelative=1\nPath=only.default\n",
                Some(("only.default", true)),
            ),
            (
                "[Profile0]\nPath=a\n[Profile1]\nPath=b\n",
                None,
            ),
            ("", None),
            ("garbage\n[\n=\n", None),
        ];
        for (ini, want) in cases {
            let got = default_firefox_profile(ini);
            assert_eq!(got.as_ref().map(|(p, r)| (p.as_str(), *r)), *want, "{ini}");
        }
    }
}
