//! The rules of a public suffix list as a trie of labels, walked from the
//! top-level label down: the `publicsuffix` crate's own structure and walk
//! (its `List::find`, which the jar's results were defined by), with the
//! keyed fold hash of `crate::hash` in place of SipHash. Finding the suffix
//! of a request host was about a fifth of a lookup; it is now a few hash
//! probes of short labels.
//!
//! The crate still reads and checks the list (`PublicSuffixList::parse`);
//! the same rules then go into this trie. `tests.rs` checks that both give
//! the same suffix for every rule of the bundled list and hosts around it.

use crate::hash::KeyedHash;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub(super) struct Trie {
    root: Node,
}

#[derive(Debug, Clone, Default)]
struct Node {
    children: HashMap<Box<[u8]>, Node, KeyedHash>,
    /// A rule ends here; `true` for an exception rule (`!label...`).
    rule: Option<bool>,
    /// `children` holds `*`: spares the second probe for a label that
    /// has no child of its own, the usual case below a registrable domain.
    wildcard: bool,
}

impl Node {
    fn child(&self, label: &[u8]) -> Option<&Node> {
        match self.children.is_empty() {
            true => None,
            false => self.children.get(label),
        }
    }
}

const WILDCARD: &[u8] = b"*";

impl Trie {
    /// Reads the rules of `text` as `publicsuffix::List::from_str` does:
    /// the first word of each line after a section marker, comments
    /// skipped, each rule also in A-labels. `text` must be a list the crate
    /// accepted.
    pub(super) fn parse(text: &str) -> Trie {
        let mut trie = Trie::default();
        let mut in_section = false;
        for line in text.lines() {
            if line.contains("BEGIN ICANN DOMAINS") || line.contains("BEGIN PRIVATE DOMAINS") {
                in_section = true;
                continue;
            }
            if line.starts_with("//") || !in_section {
                continue;
            }
            let Some(rule) = line.split_whitespace().next() else {
                continue;
            };
            trie.insert(rule);
            if let Ok(ascii) = idna::domain_to_ascii(rule) {
                trie.insert(&ascii);
            }
        }
        trie
    }

    fn insert(&mut self, rule: &str) {
        let (rule, exception) = match rule.strip_prefix('!') {
            Some(rule) => (rule, true),
            None => (rule, false),
        };
        let mut node = &mut self.root;
        for label in rule.rsplit('.') {
            node.wildcard |= label.as_bytes() == WILDCARD;
            node = node
                .children
                .entry(Box::from(label.as_bytes()))
                .or_default();
        }
        node.rule = Some(exception);
    }

    /// The length of the public suffix of `name`, 0 for none: what
    /// `publicsuffix::List::suffix(name)` answers (`psl_types::List`'s
    /// `suffix` and the crate's `find`, for a list of both sections).
    pub(super) fn suffix_len(&self, name: &[u8]) -> usize {
        let fqdn = name.last() == Some(&b'.');
        let name = match fqdn {
            true => name.get(..name.len() - 1).unwrap_or_default(),
            false => name,
        };
        let mut labels = name.rsplit(|&b| b == b'.');
        let Some(top) = labels.next() else {
            return 0;
        };
        let mut len = top.len();
        let Some(mut node) = self.root.child(top) else {
            return len + usize::from(fqdn);
        };
        let mut len_so_far = len;
        for label in labels {
            node = match node.child(label) {
                Some(child) => child,
                None if node.wildcard => match node.child(WILDCARD) {
                    Some(child) => child,
                    None => break,
                },
                None => break,
            };
            let label_plus_dot = label.len() + 1;
            if let Some(exception) = node.rule {
                if exception {
                    len = len_so_far;
                    break;
                }
                len = len_so_far + label_plus_dot;
            }
            len_so_far += label_plus_dot;
        }
        len + usize::from(fqdn)
    }
}
