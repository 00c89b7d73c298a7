//! The process's allocator: mimalloc, except for large blocks, which are whole mappings of their
//! own that grow in place (`mremap`).
//!
//! Generation builds files of tens of megabytes (`openapi.json` is 33 MB at 10,000 codes) in
//! `String`s that double as they grow. mimalloc moves a large block to grow it: each doubling
//! copies the text so far and touches fresh pages, which the kernel zeroes first. The kernel
//! grows a mapping by moving its page tables instead, without copying or zeroing again what was
//! already written, and a freed mapping goes back to the system at once. Mappings start at a
//! huge-page boundary and ask for huge pages, so that a large block takes a few page faults, not
//! one per 4 KiB.
//!
//! Huge pages pay only in a large run: mimalloc asks for them on all its memory, and a small
//! run (HueChat's 17 codes) then zeroes a 2 MiB page wherever a thread first touches a few KiB,
//! 27 MB in all where it uses 8. So `gen` starts on 4 KiB pages ([`small_pages_until_large`]),
//! and the first large block turns huge pages back on for the rest of the run.

use std::alloc::{GlobalAlloc, Layout};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, Ordering};

/// Blocks of at least this size (and at most page alignment) are mappings of their own.
const LARGE: usize = 1 << 20;
const PAGE: usize = 4096;
const HUGE_PAGE: usize = 2 << 20;

pub struct Allocator;

/// Whether the process is on 4 KiB pages until its first large block.
static SMALL_PAGES: AtomicBool = AtomicBool::new(false);

/// Turns transparent huge pages off for this process (`PR_SET_THP_DISABLE`) until the first
/// large block. For a command whose child processes would inherit the setting, do not call it.
pub fn small_pages_until_large() {
    // SAFETY: a `prctl` that sets a flag of this process; it takes no pointers.
    if unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } == 0 {
        SMALL_PAGES.store(true, Ordering::Relaxed);
    }
}

fn large(size: usize, align: usize) -> bool {
    let large = size >= LARGE && align <= PAGE;
    if large && SMALL_PAGES.swap(false, Ordering::Relaxed) {
        // SAFETY: as in `small_pages_until_large`.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0) };
    }
    large
}

/// The length of the mapping of a block of `size` bytes: whole huge pages.
fn length(size: usize) -> usize {
    size.next_multiple_of(HUGE_PAGE)
}

/// A fresh private mapping of `len` bytes at a huge-page boundary (zeroed by the kernel as its
/// pages are first touched), or null.
unsafe fn map(len: usize) -> *mut u8 {
    let padded = len + HUGE_PAGE;
    // SAFETY: an anonymous private mapping where the kernel likes; then the parts of it before
    // the first huge-page boundary and after `len` bytes from there are unmapped.
    unsafe {
        let p = libc::mmap(
            null_mut(),
            padded,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            return null_mut();
        }
        let start = p as usize;
        let aligned = start.next_multiple_of(HUGE_PAGE);
        if aligned > start {
            libc::munmap(p, aligned - start);
        }
        let end = start + padded;
        if end > aligned + len {
            libc::munmap((aligned + len) as *mut libc::c_void, end - aligned - len);
        }
        libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        aligned as *mut u8
    }
}

// SAFETY: every block is freed and resized by the allocator that made it: the layout's size and
// alignment (the same on `dealloc` and `realloc` as on allocation) say which one that is.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if large(layout.size(), layout.align()) {
            unsafe { map(length(layout.size())) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if large(layout.size(), layout.align()) {
            // Fresh mappings read as zeros.
            unsafe { map(length(layout.size())) }
        } else {
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if large(layout.size(), layout.align()) {
            unsafe { libc::munmap(ptr.cast(), length(layout.size())) };
        } else {
            unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        match (large(layout.size(), align), large(new_size, align)) {
            (false, false) => unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) },
            (true, true) => unsafe { remap(ptr, length(layout.size()), length(new_size)) },
            _ => {
                // SAFETY: `new_size` with the block's alignment is a valid layout (the caller's
                // contract), and the copy stays within both blocks.
                unsafe {
                    let new_layout = Layout::from_size_align_unchecked(new_size, align);
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

/// The mapping at `ptr` resized from `old` to `new` bytes: where it is if the addresses after it
/// are free (or it shrinks), else moved (its page tables, not its bytes) to a fresh place at a
/// huge-page boundary.
unsafe fn remap(ptr: *mut u8, old: usize, new: usize) -> *mut u8 {
    // SAFETY: `ptr` is a mapping of `old` bytes made by `map`; a failed call changes nothing.
    unsafe {
        if old == new {
            return ptr;
        }
        let p = libc::mremap(ptr.cast(), old, new, 0);
        if p != libc::MAP_FAILED {
            if new > old {
                libc::madvise(ptr.add(old).cast(), new - old, libc::MADV_HUGEPAGE);
            }
            return ptr;
        }
        let to = map(new);
        if to.is_null() {
            return null_mut();
        }
        let p = libc::mremap(
            ptr.cast(),
            old,
            new,
            libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
            to.cast::<libc::c_void>(),
        );
        if p == libc::MAP_FAILED {
            libc::munmap(to.cast(), new);
            return null_mut();
        }
        p.cast()
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::Ordering;

    use super::{Allocator, HUGE_PAGE, LARGE, SMALL_PAGES, small_pages_until_large};

    fn pattern(i: usize) -> u8 {
        (i % 251) as u8
    }

    fn holds_pattern(bytes: &[u8]) -> bool {
        bytes.iter().enumerate().all(|(i, &b)| b == pattern(i))
    }

    #[test]
    fn blocks_keep_their_bytes_across_every_size_change() {
        // Small to large, then larger (in place or moved), then smaller, then small again.
        let sizes = [
            1000,
            LARGE - 1,
            LARGE,
            LARGE + 1,
            3 * HUGE_PAGE + 17,
            9 * HUGE_PAGE,
            2 * HUGE_PAGE,
            LARGE,
            64,
        ];
        for align in [1, 8, 4096] {
            let mut layout = Layout::from_size_align(sizes[0], align).unwrap();
            // SAFETY: each block is used within its layout and freed with it.
            unsafe {
                let mut p = Allocator.alloc(layout);
                assert!(!p.is_null());
                std::slice::from_raw_parts_mut(p, layout.size())
                    .iter_mut()
                    .enumerate()
                    .for_each(|(i, b)| *b = pattern(i));
                for &size in &sizes[1..] {
                    p = Allocator.realloc(p, layout, size);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0);
                    let kept = layout.size().min(size);
                    let bytes = std::slice::from_raw_parts_mut(p, size);
                    assert!(holds_pattern(&bytes[..kept]), "{} -> {size}", layout.size());
                    bytes[kept..]
                        .iter_mut()
                        .enumerate()
                        .for_each(|(i, b)| *b = pattern(kept + i));
                    layout = Layout::from_size_align(size, align).unwrap();
                }
                Allocator.dealloc(p, layout);
            }
        }
    }

    #[test]
    fn threads_grow_and_free_large_blocks_at_once() {
        // Each thread grows its own block past several huge pages, checks it, shrinks it and
        // frees it, while the others do the same (mappings are made and moved concurrently).
        std::thread::scope(|scope| {
            for t in 0..4 {
                scope.spawn(move || {
                    for round in 0..3 {
                        let n = (3 + round) * HUGE_PAGE + t * 4099;
                        // Pushed one at a time, so that the block grows through every size.
                        let mut v: Vec<u8> = Vec::new();
                        for i in 0..n {
                            v.push(pattern(i));
                        }
                        assert!(holds_pattern(&v));
                        v.truncate(LARGE + 1);
                        v.shrink_to_fit();
                        assert!(holds_pattern(&v));
                    }
                });
            }
        });
    }

    #[test]
    fn zeroed_blocks_are_zero_and_vectors_grow_through_the_process_allocator() {
        for size in [100, LARGE, 5 * HUGE_PAGE + 3] {
            let layout = Layout::from_size_align(size, 16).unwrap();
            // SAFETY: read within the block, freed with its layout.
            unsafe {
                let p = Allocator.alloc_zeroed(layout);
                assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                Allocator.dealloc(p, layout);
            }
        }
        // This test binary's global allocator is `Allocator` too.
        let mut text = String::new();
        for i in 0..400_000 {
            text.push_str(&i.to_string());
            text.push('\n');
        }
        assert!(text.len() > 2 * LARGE);
        assert!(text.lines().enumerate().all(|(i, l)| l == i.to_string()));
        text.truncate(10);
        text.shrink_to_fit();
        assert_eq!(text, "0\n1\n2\n3\n4\n");
    }

    #[test]
    fn the_first_large_block_turns_huge_pages_back_on() {
        // SAFETY: reads a flag of this process.
        let small_pages = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) } == 1;
        small_pages_until_large();
        let small = vec![1u8; 4096];
        // Other tests' large blocks may turn them back on at any time, but nothing else turns
        // them off.
        assert!(small_pages() || !SMALL_PAGES.load(Ordering::Relaxed));
        let large = vec![0u8; LARGE];
        assert!(!SMALL_PAGES.load(Ordering::Relaxed));
        // Another test's block may have taken the turn and be just about to make the call.
        let back_on = (0..1000).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            !small_pages()
        });
        assert!(back_on);
        assert_eq!(small.len() + large.len(), 4096 + LARGE);
    }
}
