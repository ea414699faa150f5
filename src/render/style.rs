//! Colour and decoration: on for a terminal (unless NO_COLOR), off otherwise; `--color` decides.

use crate::rules::Verdict;
use clap::ValueEnum;
use comfy_table::{presets, Color, ContentArrangement, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How to draw: colours, box drawing and width.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Box-drawing tables and a width limit (a terminal); plain columns otherwise.
    pub decorate: bool,
    /// A width to wrap plain tables at: `COLUMNS` when set for output that is not a terminal (`COLUMNS=120
    /// owa440 diagnose x > report.txt`); unset, plain tables keep one row a line, for grep.
    pub width: Option<u16>,
}

impl Style {
    pub fn resolve(choice: ColorChoice, is_terminal: bool) -> Style {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color_env,
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 40 && !is_terminal);
        Style {
            color,
            decorate: is_terminal,
            width,
        }
    }

    pub fn plain() -> Style {
        Style {
            color: false,
            decorate: false,
            width: None,
        }
    }

    /// A table drawn for this style.
    pub fn table(&self) -> Table {
        let mut t = Table::new();
        if self.decorate {
            t.load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
        } else if let Some(w) = self.width {
            t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        } else {
            t.load_preset(presets::ASCII_BORDERS_ONLY_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled);
        }
        if !self.color {
            t.force_no_tty();
        } else {
            t.enforce_styling();
        }
        t
    }

    pub fn verdict_color(&self, v: Verdict) -> Option<Color> {
        if !self.color {
            return None;
        }
        Some(match v {
            Verdict::Confirmed => Color::Red,
            Verdict::Likely => Color::Yellow,
            Verdict::RuledOut => Color::Green,
            Verdict::Unknown => Color::DarkGrey,
        })
    }

    /// Bold heading text (ANSI) when colour is on.
    pub fn heading(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}
