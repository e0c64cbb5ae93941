//! RFC 6962 (RFC 9162 §2.1) Merkle trees over ledger leaf hashes.
//!
//! leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), and the empty
//! tree's root is SHA-256("") (not zeros, as Go's `tlog.TreeHash(0)` returns).
//! Proof generation walks the leaves (O(n)); verification and [`RootBuilder`] are
//! O(log n).

use sha2::{Digest, Sha256};

use crate::{Hash, LedgerError};

pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    Hash(h.finalize().into())
}

pub fn node_hash(l: &Hash, r: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(l.0);
    h.update(r.0);
    Hash(h.finalize().into())
}

/// The largest power of two strictly below `n` (n ≥ 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// `MTH(D[n])` over leaf hashes.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Hash::sha256(b""),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// `PATH(m, D[n])`: the audit path of leaf `index`.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, LedgerError> {
    let size = leaves.len() as u64;
    let m = usize::try_from(index).ok().filter(|&m| m < leaves.len()).ok_or(LedgerError::ProofIndex { index, size })?;
    let mut proof = Vec::new();
    path(m, leaves, &mut proof);
    Ok(proof)
}

fn path(m: usize, d: &[Hash], out: &mut Vec<Hash>) {
    if d.len() <= 1 {
        return;
    }
    let k = split(d.len());
    if m < k {
        path(m, &d[..k], out);
        out.push(root(&d[k..]));
    } else {
        path(m - k, &d[k..], out);
        out.push(root(&d[..k]));
    }
}

/// `PROOF(m, D[n])` for 0 < old_size ≤ n (empty for old_size == n).
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, LedgerError> {
    let size = leaves.len() as u64;
    let m = usize::try_from(old_size)
        .ok()
        .filter(|&m| m > 0 && m <= leaves.len())
        .ok_or(LedgerError::ProofSizes { old: old_size, new: size })?;
    let mut proof = Vec::new();
    subproof(m, leaves, true, &mut proof);
    Ok(proof)
}

fn subproof(m: usize, d: &[Hash], b: bool, out: &mut Vec<Hash>) {
    let n = d.len();
    if m == n {
        if !b {
            out.push(root(d));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &d[..k], b, out);
        out.push(root(&d[k..]));
    } else {
        subproof(m - k, &d[k..], false, out);
        out.push(root(&d[..k]));
    }
}

/// RFC 9162 §2.1.3.2.
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && r == *root
}

/// RFC 9162 §2.1.4.2. A proof from the empty tree is refused (it proves nothing),
/// as transparency-dev/merkle does.
pub fn verify_consistency(old_size: u64, new_size: u64, old_root: &Hash, new_root: &Hash, proof: &[Hash]) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 || proof.is_empty() {
        return false;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    fr == *old_root && sr == *new_root && snode == 0
}

/// The root of a growing tree in O(log n) memory: the roots of the perfect subtrees
/// that make up the leaves so far, largest first.
#[derive(Clone, Debug, Default)]
pub struct RootBuilder {
    size: u64,
    stack: Vec<Hash>,
}

impl RootBuilder {
    pub fn new() -> RootBuilder {
        RootBuilder::default()
    }

    pub fn push(&mut self, leaf: Hash) {
        let mut h = leaf;
        // each trailing 1 bit of the old size is a subtree of equal height to merge with
        let mut s = self.size;
        while s & 1 == 1 {
            // the stack holds one entry per 1 bit of size, so it cannot be empty here
            let Some(left) = self.stack.pop() else { break };
            h = node_hash(&left, &h);
            s >>= 1;
        }
        self.stack.push(h);
        self.size += 1;
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn root(&self) -> Hash {
        let mut it = self.stack.iter().rev();
        let Some(last) = it.next() else {
            return Hash::sha256(b"");
        };
        it.fold(*last, |acc, left| node_hash(left, &acc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(&[i as u8])).collect()
    }

    #[test]
    fn builder_matches_recursive_root_and_proofs_verify() {
        for n in 0..40 {
            let l = leaves(n);
            let mut b = RootBuilder::new();
            for h in &l {
                b.push(*h);
            }
            let r = root(&l);
            assert_eq!(b.root(), r, "n={n}");
            for i in 0..n as u64 {
                let p = inclusion_proof(&l, i).unwrap();
                assert!(verify_inclusion(&l[i as usize], i, n as u64, &p, &r));
                assert!(!verify_inclusion(&l[i as usize], i + 1, n as u64, &p, &r));
            }
            for m in 1..=n {
                let p = consistency_proof(&l, m as u64).unwrap();
                let old = root(&l[..m]);
                assert!(verify_consistency(m as u64, n as u64, &old, &r, &p), "m={m} n={n}");
                if m < n {
                    assert!(!verify_consistency(m as u64, n as u64, &r, &old, &p));
                }
            }
        }
        assert_eq!(root(&[]).to_string(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
