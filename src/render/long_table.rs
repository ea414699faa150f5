//! A table of any number of rows, written in blocks so that the memory it takes does not grow with the rows: the
//! column widths are measured over every block first, then each block is rendered at those widths and the blocks
//! are joined where their borders meet. [`Style::table`]'s presets are condensed (no line between rows), so the
//! joined blocks print exactly what one table of all the rows would.

use super::style::Style;
use comfy_table::{ColumnConstraint, Table, Width};
use std::io::{self, Write};

/// Rows per block.
pub const BLOCK: usize = 256;

/// Writes a table of `header` and the `n` rows `row(0)`, …, `row(n - 1)` (each row is asked for twice).
pub fn write(
    out: &mut dyn Write,
    style: Style,
    header: &[&str],
    n: usize,
    row: impl Fn(usize) -> Vec<String>,
) -> io::Result<()> {
    let block = |start: usize, with_header: bool| {
        let mut t = style.table();
        if with_header {
            t.set_header(header.to_vec());
        }
        for i in start..(start + BLOCK).min(n) {
            t.add_row(row(i));
        }
        t
    };
    if n <= BLOCK {
        return writeln!(out, "{}", block(0, true));
    }
    let mut widths = vec![0u16; header.len()];
    let mut measure = |t: &Table| {
        for (w, m) in widths.iter_mut().zip(t.column_max_content_widths()) {
            *w = (*w).max(m);
        }
    };
    measure(&block(0, true));
    for start in (BLOCK..n).step_by(BLOCK) {
        measure(&block(start, false));
    }
    let last = (n - 1) / BLOCK * BLOCK;
    for start in (0..n).step_by(BLOCK) {
        let mut t = block(start, start == 0);
        for (i, w) in widths.iter().enumerate() {
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(*w + 2)));
            }
        }
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let from = usize::from(start > 0);
        let to = if start == last {
            lines.len()
        } else {
            lines.len().saturating_sub(1)
        };
        for l in lines.get(from..to).unwrap_or_default() {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(i: usize) -> Vec<String> {
        let long = if i == 700 {
            "a much longer cell than the rest"
        } else {
            ""
        };
        vec![
            format!("case-{i}"),
            "x".repeat(i % 13),
            long.to_string(),
            (i * 7).to_string(),
        ]
    }

    #[test]
    fn blocks_print_what_one_table_prints() {
        for style in [
            Style::plain(),
            Style {
                color: false,
                decorate: true,
                width: None,
            },
        ] {
            for n in [0, 1, BLOCK, BLOCK + 1, 3 * BLOCK, 1000] {
                let header = ["case", "filler", "note", "n"];
                let mut one = style.table();
                one.set_header(header.to_vec());
                for i in 0..n {
                    one.add_row(row(i));
                }
                let mut got = Vec::new();
                write(&mut got, style, &header, n, row).unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    format!("{one}\n"),
                    "{n} rows, {style:?}"
                );
            }
        }
    }
}
