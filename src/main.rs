//! The `milepost` command: a thin layer over the library. See `cli` for the commands.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
/// mimalloc rather than the system allocator: reading a PDF makes millions of small allocations,
/// and it halves the time they take (figures in Cargo.toml). The worker processes of `run` are
/// started with its arena commit turned off (`isolate`), so that their memory cap counts only
/// what they use.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives the memory this thread has freed back to the system now. mimalloc otherwise keeps freed
/// pages until this thread allocates again, which a layout helper waiting on its pipe does not
/// (it held 56–59 MB between parts).
fn give_memory_back() {
    // SAFETY: mi_collect only walks mimalloc's own structures; any thread may call it.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
