//! One request line seen through its layout: fields by name or by the positions the evidence reads.

use super::fields::Layout;
use super::line::Span;
use crate::facts::calendar::days_from_civil;
/// Seconds since 1970 back to `YYYY-MM-DD HH:MM:SS`.
pub use crate::facts::calendar::format_utc as format_time;

/// A data line, its tokens and the layout they are read with. Borrowed: nothing is copied.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The line, line end trimmed.
    pub line: &'a [u8],
    /// 1-based line number in the file.
    pub number: u64,
    pub spans: &'a [Span],
    pub layout: &'a Layout,
    /// The date of the last `#Date:` directive (`YYYY-MM-DD`), for layouts without a `date` field.
    pub header_date: Option<&'a [u8]>,
}

impl<'a> Record<'a> {
    /// The token at `index`, as written (`-` included); `None` past the last token.
    #[inline]
    pub fn raw(&self, index: Option<usize>) -> Option<&'a [u8]> {
        let (s, e) = *self.spans.get(index?)?;
        Some(&self.line[s as usize..e as usize])
    }

    /// The value at `index`: `None` when absent, empty or `-`.
    #[inline]
    pub fn value(&self, index: Option<usize>) -> Option<&'a [u8]> {
        self.raw(index).filter(|v| !v.is_empty() && *v != b"-")
    }

    /// A numeric field (`sc-status`, `sc-win32-status`, ...); `None` when absent or not a number.
    #[inline]
    pub fn number(&self, index: Option<usize>) -> Option<u64> {
        parse_u64(self.value(index)?)
    }

    /// The request time in seconds since 1970 (UTC, as IIS logs it), from `date` (or the `#Date` directive) and
    /// `time`; fractions of a second are dropped.
    pub fn timestamp(&self) -> Option<i64> {
        let date = self.value(self.layout.date).or(self.header_date)?;
        let time = self.value(self.layout.time)?;
        timestamp(date, time)
    }

    /// [`Record::timestamp`] through a cache of the last date's day number (a log holds a few dates and
    /// millions of lines).
    #[inline]
    pub fn timestamp_cached(&self, cache: &mut DateCache) -> Option<i64> {
        let date = self.value(self.layout.date).or(self.header_date)?;
        let time = self.value(self.layout.time)?;
        if date.len() < 10 {
            return None;
        }
        let day = if cache.date == *date.first_chunk::<10>()? {
            cache.day
        } else {
            let d = timestamp(date, b"00:00:00")?;
            cache.date.copy_from_slice(&date[..10]);
            cache.day = d;
            d
        };
        Some(day + seconds_of_day(time)?)
    }
}

/// The last date seen and its start in seconds since 1970.
#[derive(Debug, Clone, Default)]
pub struct DateCache {
    date: [u8; 10],
    day: i64,
}

/// `HH:MM:SS[.fff]` to seconds.
#[inline]
fn seconds_of_day(time: &[u8]) -> Option<i64> {
    if time.len() < 8 || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let d = |i: usize| -> Option<i64> {
        let (a, b) = (time[i].wrapping_sub(b'0'), time[i + 1].wrapping_sub(b'0'));
        (a < 10 && b < 10).then(|| i64::from(a) * 10 + i64::from(b))
    };
    let (h, m, s) = (d(0)?, d(3)?, d(6)?);
    (h < 24 && m < 60 && s <= 60).then_some(h * 3600 + m * 60 + s)
}

/// Digits only, at most 20: `"2148074254"` → 2148074254.
#[inline]
pub fn parse_u64(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 20 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in v {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(d as u64)?;
    }
    Some(n)
}

fn digits(v: &[u8]) -> Option<i64> {
    parse_u64(v).map(|n| n as i64)
}

/// `YYYY-MM-DD` and `HH:MM:SS[.fff]` to seconds since 1970-01-01 UTC.
pub fn timestamp(date: &[u8], time: &[u8]) -> Option<i64> {
    if date.len() < 10 || date[4] != b'-' || date[7] != b'-' || time.len() < 8 || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (y, m, d) = (digits(&date[..4])?, digits(&date[5..7])?, digits(&date[8..10])?);
    let (hh, mm, ss) = (digits(&time[..2])?, digits(&time[3..5])?, digits(&time[6..8])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_of_non_digits_is_no_time() {
        assert_eq!(seconds_of_day(b"A!:0!:0!"), None);
        assert_eq!(seconds_of_day(b"23:59:60"), Some(86_400));
    }

    #[test]
    fn win32_status_beyond_32_bits() {
        assert_eq!(parse_u64(b"2148074254"), Some(2_148_074_254));
        assert_eq!(parse_u64(b"214784354254"), Some(214_784_354_254));
        assert_eq!(parse_u64(b"-"), None);
        assert_eq!(parse_u64(b"99999999999999999999"), None);
        assert_eq!(parse_u64(b"12a"), None);
    }

    #[test]
    fn a_time_with_a_non_digit_is_no_time() {
        assert_eq!(seconds_of_day(b"09:1-:04"), None);
        assert_eq!(seconds_of_day(b"\xff9:10:04"), None);
        assert_eq!(seconds_of_day(b"09:10:04.5"), Some(33_004));
    }

    #[test]
    fn timestamps_round_trip() {
        let t = timestamp(b"2008-03-04", b"13:45:06").unwrap();
        assert_eq!(t, 1_204_638_306);
        assert_eq!(format_time(t), "2008-03-04 13:45:06");
        assert_eq!(
            format_time(timestamp(b"2000-02-29", b"00:00:00.128").unwrap()),
            "2000-02-29 00:00:00"
        );
        assert_eq!(timestamp(b"2008-13-04", b"13:45:06"), None);
        assert_eq!(timestamp(b"garbage!!!", b"13:45:06"), None);
    }

    #[test]
    fn cached_timestamps_agree() {
        let layout = crate::readers::w3c::fields::Layout::new(&["date", "time"]);
        let mut cache = DateCache::default();
        for (d, t) in [
            ("2008-03-04", "13:45:06"),
            ("2008-03-04", "00:00:00"),
            ("2024-02-29", "23:59:59.999"),
        ] {
            let line = format!("{d} {t}");
            let spans = [(0, 10), (11, line.len() as u32)];
            let r = Record {
                line: line.as_bytes(),
                number: 1,
                spans: &spans,
                layout: &layout,
                header_date: None,
            };
            assert_eq!(r.timestamp_cached(&mut cache), r.timestamp(), "{line}");
        }
    }
}
