//! The one helper for parallel work: a job per item on up to one thread per core, largest first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `job` on every item on up to one scoped thread per core, each with `stack` bytes of
/// stack when given. Threads take the items largest first (by `size`; ties in the items' order),
/// so a large item does not start last; the results are in the items' order. A panic in a job
/// is resumed on the calling thread.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    stack: Option<usize>,
    job: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&items[i])));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((i, job(i, &items[i])));
        }
        done
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let running: Vec<_> = (0..threads)
            .map(|_| {
                let mut thread = std::thread::Builder::new();
                if let Some(bytes) = stack {
                    thread = thread.stack_size(bytes);
                }
                thread
                    .spawn_scoped(scope, work)
                    .expect("the OS can start a thread")
            })
            .collect();
        running
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<usize> = (0..50).collect();
        let doubled = map(&items, |&n| n % 7, Some(1 << 20), |i, &n| (i, n * 2));
        let expected: Vec<(usize, usize)> = items.iter().map(|&n| (n, n * 2)).collect();
        assert_eq!(doubled, expected);
        assert!(map(&[] as &[u8], |_| 0, None, |_, _| 0).is_empty());
    }
}
