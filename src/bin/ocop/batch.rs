//! `ocop batch`: streams records through the library's batch scorer, in
//! bounded chunks, so memory stays constant whatever the input size.

use std::io::{BufRead, IsTerminal, Write};

use ocop::Error;
use ocop::assess::Options;
use ocop::batch::{Input, LineScorer, Outcome, read_input};

/// Records per chunk: enough to keep every core busy, small enough to bound
/// memory (a full assessment is about 10 KB of JSON, a summary line 200 bytes).
const CHUNK_SUMMARY: usize = 16384;
const CHUNK_FULL: usize = 256;

#[derive(Default)]
pub struct Counts {
    pub scored: usize,
    pub errors: usize,
    pub per_rank: [usize; 6],
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Scored(stars) => {
                self.scored += 1;
                if let Some(slot) = self.per_rank.get_mut(usize::from(stars)) {
                    *slot += 1;
                }
            }
            Outcome::Failed => self.errors += 1,
        }
    }

    pub fn report(&self) -> String {
        let ranks: Vec<String> = (1..=5)
            .map(|s| format!("{s}★ {}", self.per_rank[s]))
            .collect();
        format!(
            "ocop batch: {} records, {} scored, {} errors; {}; disqualified {}",
            self.scored + self.errors,
            self.scored,
            self.errors,
            ranks.join(", "),
            self.per_rank[0]
        )
    }
}

fn progress() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} records scored ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    Some(bar)
}

fn io_error(err: std::io::Error) -> Error {
    Error::Io {
        path: "batch input/output".to_string(),
        message: err.to_string(),
    }
}

/// JSON Lines in, one line out per line in. With several jobs, a reader thread
/// fills the next chunk while the pool scores the current one.
pub fn jsonl(
    input: &mut (impl BufRead + Send),
    output: &mut impl Write,
    options: Options,
    summary: bool,
    jobs: usize,
) -> Result<Counts, Error> {
    let size = if summary { CHUNK_SUMMARY } else { CHUNK_FULL };
    let pool = pool(jobs)?;
    let mut counts = Counts::default();
    let bar = progress();
    let mut text = String::with_capacity(size * 256);
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(size);
    let mut scorer = LineScorer::new(options, summary);
    let mut number = 0usize;
    std::thread::scope(|scope| -> Result<(), Error> {
        let (send, chunks) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<Input>>>(1);
        scope.spawn(move || {
            let mut buf = Vec::new();
            loop {
                let mut chunk = Vec::with_capacity(size);
                let read = (|| {
                    while chunk.len() < size {
                        match read_input(input, &mut buf)? {
                            Some(record) => chunk.push(record),
                            None => break,
                        }
                    }
                    Ok(())
                })();
                let done = chunk.is_empty();
                let failed = read.is_err();
                if send.send(read.map(|()| chunk)).is_err() || done || failed {
                    return;
                }
            }
        });
        for chunk in chunks {
            let chunk = chunk.map_err(io_error)?;
            if chunk.is_empty() {
                break;
            }
            let first = number + 1;
            number += chunk.len();
            match &pool {
                #[cfg(feature = "parallel")]
                Some(pool) => {
                    let pieces = pool.install(|| {
                        ocop::batch::score_chunk_parallel(options, summary, &chunk, first)
                    });
                    for piece in pieces {
                        piece.outcomes.iter().for_each(|o| counts.add(*o));
                        output.write_all(piece.text.as_bytes()).map_err(io_error)?;
                    }
                }
                _ => {
                    text.clear();
                    outcomes.clear();
                    ocop::batch::score_chunk(&mut scorer, &chunk, first, &mut text, &mut outcomes);
                    outcomes.iter().for_each(|o| counts.add(*o));
                    output.write_all(text.as_bytes()).map_err(io_error)?;
                }
            }
            if let Some(bar) = &bar {
                bar.set_position(number as u64);
            }
        }
        Ok(())
    })?;
    output.flush().map_err(io_error)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(counts)
}

#[cfg(feature = "parallel")]
type Pool = Option<rayon::ThreadPool>;
#[cfg(not(feature = "parallel"))]
type Pool = Option<()>;

fn pool(jobs: usize) -> Result<Pool, Error> {
    if jobs <= 1 {
        return Ok(None);
    }
    #[cfg(feature = "parallel")]
    {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .map(Some)
            .map_err(|err| Error::Io {
                path: "thread pool".to_string(),
                message: err.to_string(),
            })
    }
    #[cfg(not(feature = "parallel"))]
    {
        Ok(None)
    }
}

/// CSV in (a council's spreadsheet: one row per dossier), CSV out.
pub fn csv(
    input: impl std::io::Read,
    output: impl Write,
    options: Options,
) -> Result<Counts, Error> {
    let mut counts = Counts::default();
    // Memory stays bounded: a record over the limit is cut short as it is read.
    let (input, cut) = crate::bounded::Bounded::new(input, ocop::batch::MAX_LINE);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input);
    let headers = crate::csv_headers(&mut reader)?;
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut writer = ::csv::Writer::from_writer(output);
    let columns = [
        "line",
        "id",
        "edition",
        "sheet",
        "total",
        "A",
        "B",
        "C",
        "band_stars",
        "stars",
        "unmet_marks",
        "error_code",
        "error_message",
        "name",
        "code",
        "producer",
    ];
    writer.write_record(columns).map_err(csv_error)?;
    let mut record = ::csv::ByteRecord::new();
    let id_column = headers.iter().position(|h| h == "id");
    loop {
        let read = reader.read_byte_record(&mut record);
        // The physical line the record starts on (quoted newlines and blank
        // lines counted), as a spreadsheet shows it.
        let seen = record.position().map_or(0, |p| p.line());
        let was_cut = cut.borrow().was_cut(seen);
        let number = usize::try_from(cut.borrow().physical(seen)).unwrap_or(usize::MAX);
        let id = id_column
            .and_then(|at| record.get(at))
            .and_then(|cell| std::str::from_utf8(cell).ok())
            .map(|cell| cell.trim().to_string())
            .unwrap_or_default();
        let row: Result<Vec<String>, Error> = match read {
            Ok(false) => break,
            Ok(true) if was_cut => Err(Error::TooLarge {
                what: format!("CSV record on line {number}"),
                size: ocop::batch::MAX_LINE + 1,
                limit: ocop::batch::MAX_LINE,
            }),
            Ok(true) if record.as_slice().len() > ocop::batch::MAX_LINE => Err(Error::TooLarge {
                what: format!("CSV record on line {number}"),
                size: record.as_slice().len(),
                limit: ocop::batch::MAX_LINE,
            }),
            Ok(true) => record
                .iter()
                .map(|field| {
                    String::from_utf8(field.to_vec()).map_err(|_| Error::InvalidField {
                        field: "(CSV cell)".to_string(),
                        value: "(invalid UTF-8)".to_string(),
                        expected: "UTF-8 text".to_string(),
                    })
                })
                .collect(),
            Err(err) => Err(Error::Io {
                path: format!("CSV record {number}"),
                message: err.to_string(),
            }),
        };
        let result = row.and_then(|fields| {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let dossier = ocop::batch::dossier_from_record(&header_refs, &refs)?;
            let assessment = ocop::assess::assess_with(&dossier, options)?;
            Ok(assessment)
        });
        let cells: Vec<String> = match result {
            Ok(a) => {
                counts.add(Outcome::Scored(a.stars.get()));
                let part = |id: &str| {
                    a.parts
                        .iter()
                        .find(|p| p.id == id)
                        .map(|p| p.points.normalize().to_string())
                        .unwrap_or_default()
                };
                let product = |field: fn(&ocop::Product) -> Option<&str>| {
                    a.product
                        .as_ref()
                        .and_then(field)
                        .unwrap_or_default()
                        .to_string()
                };
                vec![
                    number.to_string(),
                    id.clone(),
                    a.edition.clone(),
                    a.sheet.clone(),
                    a.total.normalize().to_string(),
                    part("A"),
                    part("B"),
                    part("C"),
                    a.band_stars.to_string(),
                    a.stars.to_string(),
                    a.unmet_marks.len().to_string(),
                    String::new(),
                    String::new(),
                    product(|p| p.name.as_deref()),
                    product(|p| p.code.as_deref()),
                    product(|p| p.producer.as_deref()),
                ]
            }
            Err(err) => {
                counts.add(Outcome::Failed);
                let code = match &err {
                    Error::TooLarge { .. } => "line-too-long",
                    other => other.code(),
                };
                let mut row = vec![String::new(); columns.len()];
                row[0] = number.to_string();
                row[1] = id.clone();
                row[11] = code.to_string();
                row[12] = err.to_string();
                row
            }
        };
        writer.write_record(&cells).map_err(csv_error)?;
    }
    writer.flush().map_err(io_error)?;
    Ok(counts)
}

fn csv_error(err: ::csv::Error) -> Error {
    Error::Io {
        path: "CSV output".to_string(),
        message: err.to_string(),
    }
}
