//! A CSV input that never holds more than one record's limit in memory.
//!
//! The `csv` crate reads a whole record before we can look at its size, so a
//! 300 MB cell would take 300 MB (or more). [`Bounded`] sits between the input
//! and the CSV reader and follows the record boundaries itself (the quoting
//! rules of RFC 4180, as the `csv` crate reads them); when a record grows past
//! the limit, the rest of it is skipped and the record is closed early, and
//! the record's line is noted so the batch reports it as `line-too-long`. The
//! newlines skipped inside it are counted, so every later record keeps its
//! physical line number.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

/// Where the scanner is in the CSV grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field (or of a record).
    FieldStart,
    /// Inside an unquoted field: a quote here is a literal.
    Unquoted,
    /// Inside a quoted field: separators and newlines are data.
    Quoted,
    /// A quote inside a quoted field: a second quote is an escaped one.
    QuoteInQuoted,
}

/// What the batch learns from the scanner.
#[derive(Debug, Default)]
pub struct Cut {
    /// For each record cut short: the line the CSV reader sees it start on,
    /// and the newlines skipped inside it.
    pub records: Vec<(u64, u64)>,
}

impl Cut {
    /// Whether the record the CSV reader reports on `line` was cut short.
    pub fn was_cut(&self, line: u64) -> bool {
        self.records.iter().any(|(at, _)| *at == line)
    }

    /// The physical line of a record the CSV reader reports on `line`.
    pub fn physical(&self, line: u64) -> u64 {
        line + self
            .records
            .iter()
            .filter(|(at, _)| *at < line)
            .map(|(_, hidden)| hidden)
            .sum::<u64>()
    }
}

/// The input, bounded to `limit` bytes per record.
pub struct Bounded<R> {
    inner: R,
    limit: usize,
    state: State,
    /// Bytes of the current record passed on so far.
    in_record: usize,
    /// Whether the current record has content (blank lines are not records).
    started: bool,
    /// Newlines passed on: the CSV reader's line is 1 + this.
    emitted_lines: u64,
    /// Skipping the rest of a record that grew too long: the newlines skipped.
    skipping: Option<u64>,
    /// Bytes to hand out before reading more (the closing of a cut record).
    pending: Vec<u8>,
    /// The line (as the CSV reader counts) the current record started on.
    record_line: u64,
    cut: Rc<RefCell<Cut>>,
    buffer: Vec<u8>,
    /// The unread part of `buffer`.
    start: usize,
    end: usize,
}

impl<R: Read> Bounded<R> {
    /// Wraps `inner`; the returned [`Cut`] fills in as records are cut.
    pub fn new(inner: R, limit: usize) -> (Self, Rc<RefCell<Cut>>) {
        let cut = Rc::new(RefCell::new(Cut::default()));
        (
            Bounded {
                inner,
                limit,
                state: State::FieldStart,
                in_record: 0,
                started: false,
                emitted_lines: 0,
                skipping: None,
                pending: Vec::new(),
                record_line: 1,
                cut: Rc::clone(&cut),
                buffer: vec![0; 1 << 16],
                start: 0,
                end: 0,
            },
            cut,
        )
    }

    /// Advances the grammar over one byte; true at the end of a record.
    fn step(&mut self, byte: u8) -> bool {
        let newline = byte == b'\n' || byte == b'\r';
        let (next, end) = match (self.state, byte) {
            (State::Quoted, b'"') => (State::QuoteInQuoted, false),
            (State::Quoted, _) => (State::Quoted, false),
            (State::QuoteInQuoted, b'"') => (State::Quoted, false),
            (State::FieldStart, b'"') => (State::Quoted, false),
            (_, b',') => (State::FieldStart, false),
            (_, _) if newline => (State::FieldStart, true),
            (State::Unquoted | State::FieldStart | State::QuoteInQuoted, _) => {
                (State::Unquoted, false)
            }
        };
        self.state = next;
        end
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if !self.pending.is_empty() {
                let n = self.pending.len().min(out.len());
                out[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                return Ok(n);
            }
            if self.start == self.end {
                let got = self.inner.read(&mut self.buffer)?;
                if got == 0 {
                    return Ok(0);
                }
                (self.start, self.end) = (0, got);
            }
            let mut written = 0;
            while self.start < self.end && written < out.len() {
                let byte = self.buffer[self.start];
                self.start += 1;
                let was_quoted = matches!(self.state, State::Quoted);
                let end = self.step(byte);
                if let Some(hidden) = self.skipping.as_mut() {
                    if end {
                        // The record is over: close it for the CSV reader.
                        let hidden = *hidden;
                        self.cut
                            .borrow_mut()
                            .records
                            .push((self.record_line, hidden));
                        self.skipping = None;
                        self.pending.push(b'\n');
                        self.emitted_lines += 1;
                        self.in_record = 0;
                        self.started = false;
                        break;
                    }
                    if byte == b'\n' {
                        *hidden += 1;
                    }
                    continue;
                }
                if !self.started && !end {
                    self.started = true;
                    self.record_line = self.emitted_lines + 1;
                }
                self.in_record += 1;
                if self.in_record > self.limit && !end {
                    // Too long: pass on nothing more of it; close the quote
                    // when cut inside one, so the reader ends the record.
                    self.skipping = Some(u64::from(byte == b'\n'));
                    if was_quoted || matches!(self.state, State::Quoted) {
                        self.pending.push(b'"');
                        break;
                    }
                    continue;
                }
                out[written] = byte;
                written += 1;
                if byte == b'\n' {
                    self.emitted_lines += 1;
                }
                if end {
                    self.in_record = 0;
                    self.started = false;
                }
            }
            if written > 0 {
                return Ok(written);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(input: &str, limit: usize) -> (String, Vec<(u64, u64)>) {
        let (mut bounded, cut) = Bounded::new(input.as_bytes(), limit);
        let mut out = Vec::new();
        bounded.read_to_end(&mut out).unwrap();
        let records = cut.borrow().records.clone();
        (String::from_utf8(out).unwrap(), records)
    }

    #[test]
    fn short_records_pass_unchanged() {
        let csv = "a,b\n\"x\ny\",2\n\n3,\"q\"\"uote\"\n";
        assert_eq!(through(csv, 100), (csv.to_string(), vec![]));
    }

    #[test]
    fn a_long_record_is_cut_and_the_next_keeps_its_line() {
        let long = format!("id,x\n1,\"{}\"\n2,ok\n", "z\n".repeat(50));
        let (out, cut) = through(&long, 10);
        // Record 2 (CSV line 2) is cut after 10 bytes, its quote closed.
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].0, 2);
        assert!(out.starts_with("id,x\n1,\"z\nz\nz\nz\""), "{out:?}");
        assert!(out.ends_with("\n2,ok\n"), "{out:?}");
        let mut reader = ::csv::Reader::from_reader(out.as_bytes());
        let lines: Vec<u64> = reader
            .byte_records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        let cut = Cut { records: cut };
        let physical: Vec<u64> = lines.iter().map(|l| cut.physical(*l)).collect();
        // "2,ok" is on physical line 2 + 50 (the quoted cell spans 51 lines).
        assert_eq!(physical, vec![2, 53]);
        assert!(cut.was_cut(lines[0]));
    }
}
