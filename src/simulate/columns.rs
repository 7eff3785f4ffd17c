//! Memory for the Monte Carlo's output columns: hundreds of megabytes at a million iterations,
//! so how it is first touched matters as much as the arithmetic written into it.

/// A column of `len` zeros, backed where the system allows by huge pages: a million-iteration
/// run then takes a few hundred page faults instead of sixty thousand, each of which costs a
/// trip into the kernel (the largest single cost on small virtual machines).
///
/// The zeros cost nothing up front: a large zeroed allocation is fresh memory from the
/// system, which arrives zeroed when first touched, so the page faults (and the zeroing)
/// happen in the workers that write each block, in parallel.
pub fn zeroed<T: Copy + Default>(len: usize) -> Vec<T> {
    let mut column = vec![T::default(); len];
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
