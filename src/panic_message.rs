//! A panic in a reader is caught at the file boundary and reported as that file's error. The default panic hook would
//! still print "thread panicked" on stderr, which reads like a crash; this hook keeps the message (with its place in
//! the code) for the report instead, per thread.

use std::cell::RefCell;

thread_local! {
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the panic hook: messages are kept for [`take`], nothing is printed.
pub fn install_quiet_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST.with(|m| *m.borrow_mut() = Some(format!("{what}{at}")));
    }));
}

/// The message of this thread's last panic, if the quiet hook kept one.
pub fn take() -> Option<String> {
    LAST.with(|m| m.borrow_mut().take())
}
