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
