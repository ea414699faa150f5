fn main() {
    std::process::exit(owa440::cli::main());
}
