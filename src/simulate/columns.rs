//! Memory for the Monte Carlo's output columns: hundreds of megabytes at a million iterations,
//! so how it is first touched matters as much as the arithmetic written into it.

/// An empty column with room for `len` values, backed where the system allows by huge pages:
/// a million-iteration run then takes a few hundred page faults instead of sixty thousand, each
/// of which costs a trip into the kernel (the largest single cost on small virtual machines).
pub fn with_capacity<T>(len: usize) -> Vec<T> {
    let mut column = Vec::with_capacity(len);
    advise_huge_pages(&mut column);
    column
}

#[cfg(target_os = "linux")]
fn advise_huge_pages<T>(column: &mut Vec<T>) {
    const HUGE: usize = 2 << 20;
    let bytes = column.capacity() * std::mem::size_of::<T>();
    if bytes < 2 * HUGE {
        return;
    }
    // Only whole huge pages inside the allocation are advised.
    let start = column.as_mut_ptr() as usize;
    let first = start.next_multiple_of(HUGE);
    let end = (start + bytes) / HUGE * HUGE;
    if end > first {
        // SAFETY: the range lies inside this vector's own allocation, and MADV_HUGEPAGE only
        // changes how the kernel backs it, never its contents; a refusal (e.g. THP disabled)
        // is harmless, so the result is ignored.
        unsafe {
            libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages<T>(_column: &mut Vec<T>) {}
