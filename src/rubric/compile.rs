//! From the data as written to the compiled model: every validation, the
//! indexes and the content hash. Problems are collected, never returned one at
//! a time, so a person editing a draft sees all of them at once.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::def::{
    CriterionDef, EditionDef, ExtendingEditionDef, Fires, GateDef, OptionDef, RuleDef, RuleKind,
    Scoring, SectionDef, SheetDef,
};
use super::{
    Action, Band, BandReading, Case, CertificateKind, Choice, Criterion, Edition, Ends,
    ExclusiveCases, Gate, LevelRules, Mark, NodeKind, OutcomeRule, Part, ProductClass, Rule,
    Section, Sheet, SheetSlot, Transition,
};
use crate::error::{Error, RubricProblem};

/// Ranks that may carry star marks; 1★ and 2★ have none.
const MARKED_RANKS: std::ops::RangeInclusive<u8> = 3..=5;

/// A rubric file as read: its path relative to the edition folder and its text.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Path relative to the edition folder, e.g. `sheets/23-hoa.toml`.
    pub name: &'a str,
    /// The file's TOML text.
    pub text: &'a str,
}

/// Parses and validates an edition from its `edition.toml` and sheet files.
///
/// `origin` names where the data came from in error messages.
pub fn compile(
    origin: &str,
    edition: SourceFile<'_>,
    sheets: &[SourceFile<'_>],
) -> Result<Edition, Error> {
    let mut problems = Problems::default();
    let sheet_defs = parse_sheets(&mut problems, sheets);
    let Some(edition_def) = effective_def(&mut problems, edition, &index_of(&sheet_defs)) else {
        return Err(problems.into_error(origin));
    };
    let compiled = Compiler {
        problems: &mut problems,
        def: &edition_def,
        sheet_files: sheets.len(),
    }
    .edition(SheetInput::Parsed(&sheet_defs));
    match compiled {
        Some(edition) if problems.list.is_empty() => Ok(edition),
        _ => Err(problems.into_error(origin)),
    }
}

/// An embedded edition with its sheets compiled on first use
/// ([`deferred_sheet`]): only `edition.toml` is read now, and the content
/// hash is the one pinned for its data. What checks need every sheet (file
/// names, numbers, gates naming their criteria, known gaps and misprints
/// occurring) is left to [`compile`], which the test suite runs on every
/// embedded edition and whose hash it compares with the pinned one.
pub(crate) fn compile_deferred(
    origin: &str,
    edition: SourceFile<'static>,
    sheets: Vec<SourceFile<'static>>,
    hash: &str,
) -> Result<Edition, Error> {
    let mut problems = Problems::default();
    let mut index = Vec::new();
    for file in &sheets {
        match numbered_key(file.name) {
            Some((number, key)) => index.push((key.to_string(), number)),
            None => problems.list.push(RubricProblem {
                file: file.name.to_string(),
                line: None,
                message: "an embedded sheet file is named `sheets/NN-key.toml`".to_string(),
            }),
        }
    }
    let edition_def = effective_def(&mut problems, edition, &index);
    let compiled = edition_def.as_ref().and_then(|def| {
        Compiler {
            problems: &mut problems,
            def,
            sheet_files: sheets.len(),
        }
        .edition(SheetInput::Deferred {
            files: &sheets,
            index: &index,
            hash,
        })
    });
    match (compiled, edition_def) {
        (Some(mut edition), Some(def)) if problems.list.is_empty() => {
            edition.deferred = Some(std::sync::Arc::new(def));
            Ok(edition)
        }
        _ => Err(problems.into_error(origin)),
    }
}

/// Compiles one sheet of an edition made by [`compile_deferred`]: the sheet
/// checks of [`compile`], its gates as marks and its kernel.
pub(crate) fn deferred_sheet(
    edition: &str,
    def: &EditionDef,
    bands: &[Band],
    max_points: Decimal,
    file: SourceFile<'_>,
) -> Result<Sheet, Error> {
    let mut problems = Problems::default();
    let origin = format!("embedded edition {edition}");
    let Some(sheet_def) = problems.parse::<SheetDef>(file) else {
        return Err(problems.into_error(&origin));
    };
    problems.file = file.name.to_string();
    let mut compiler = Compiler {
        problems: &mut problems,
        def,
        sheet_files: 1,
    };
    let mut sheet = compiler.sheet(
        &sheet_def,
        max_points,
        &mut BTreeSet::new(),
        &mut BTreeSet::new(),
    );
    if let Some(sheet) = &mut sheet {
        compiler.problems.file = "edition.toml".to_string();
        for (index, gate) in def.gates.iter().enumerate() {
            if gate.sheet == sheet.key {
                compiler.mark_gate(index, gate, sheet);
            }
        }
        compiler.kernel(sheet, bands);
    }
    match sheet {
        Some(sheet) if problems.list.is_empty() => Ok(sheet),
        _ => Err(problems.into_error(&origin)),
    }
}

/// The number and key a sheet file's name gives (`sheets/NN-key.toml`).
fn numbered_key(name: &str) -> Option<(u16, &str)> {
    let (number, rest) = number_prefix(name)?;
    Some((number.parse().ok()?, rest.strip_suffix(".toml")?))
}

/// A sheet file's `NN` prefix as written, and the rest of its name.
fn number_prefix(name: &str) -> Option<(&str, &str)> {
    name.strip_prefix("sheets/")?.split_once('-')
}

/// The sheets an edition has, as (key, number).
fn index_of(sheet_defs: &[(String, SheetDef)]) -> Vec<(String, u16)> {
    sheet_defs
        .iter()
        .map(|(_, sheet)| (sheet.key.clone(), sheet.number))
        .collect()
}

/// A gate as its definition states it.
fn gate_of(def: &GateDef) -> Gate {
    Gate {
        stars: def.stars,
        sheet: def.sheet.clone(),
        criterion: def.criterion.clone(),
        option: def.option,
        requirement: def.requirement.clone(),
        cite: def.cite.clone(),
        doubts: def.doubts.clone(),
    }
}

/// The sheets [`Compiler::edition`] builds the edition with.
enum SheetInput<'a> {
    /// Parsed sheet files: compiled and checked with the edition.
    Parsed(&'a [(String, SheetDef)]),
    /// Embedded files, compiled on first use; (key, number) from their names.
    Deferred {
        files: &'a [SourceFile<'static>],
        index: &'a [(String, u16)],
        hash: &'a str,
    },
}

/// The effective definition of an edition, as the compiler reads it: for an
/// edition that `extends` another, its own fields laid over its base's (to
/// any depth); gate groups expanded into `gates`, in sheet order. This is
/// what the content hash covers, so it does not depend on how the file is
/// written (inherited or restated, one gate or a group).
///
/// `sheets` are the edition's sheet files with its base's ([`with_base`]).
///
/// ```
/// let files = ocop::edition::embedded_files("781-2020").unwrap();
/// let own: Vec<_> = files[1..]
///     .iter()
///     .map(|(name, text)| ocop::rubric::compile::SourceFile { name, text })
///     .collect();
/// let edition = ocop::rubric::compile::SourceFile { name: "edition.toml", text: files[0].1 };
/// let sheets = ocop::rubric::compile::with_base(files[0].1, own);
/// let def = ocop::rubric::compile::definition(edition, &sheets)?;
/// assert_eq!(def.bands.len(), 5); // inherited from 1048-2019
/// assert!(def.gate_groups.is_empty() && !def.gates.is_empty());
/// # Ok::<(), ocop::Error>(())
/// ```
pub fn definition(edition: SourceFile<'_>, sheets: &[SourceFile<'_>]) -> Result<EditionDef, Error> {
    let mut problems = Problems::default();
    let sheet_defs = parse_sheets(&mut problems, sheets);
    match effective_def(&mut problems, edition, &index_of(&sheet_defs)) {
        Some(def) if problems.list.is_empty() => Ok(def),
        _ => Err(problems.into_error("definition")),
    }
}

fn parse_sheets(problems: &mut Problems, sheets: &[SourceFile<'_>]) -> Vec<(String, SheetDef)> {
    // TOML parsing is most of compiling an edition: the sheets are parsed on
    // every core (feature `parallel`), their problems kept in file order.
    #[cfg(feature = "parallel")]
    let parsed: Vec<Result<SheetDef, RubricProblem>> = {
        use rayon::prelude::*;
        sheets.par_iter().map(|file| parse_file(*file)).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let parsed: Vec<Result<SheetDef, RubricProblem>> =
        sheets.iter().map(|file| parse_file(*file)).collect();
    let mut sheet_defs = Vec::new();
    for (file, result) in sheets.iter().zip(parsed) {
        problems
            .texts
            .insert(file.name.to_string(), file.text.to_string());
        match result {
            Ok(def) => sheet_defs.push((file.name.to_string(), def)),
            Err(problem) => problems.list.push(problem),
        }
    }
    sheet_defs
}

/// One rubric file parsed, or the problem with its line.
fn parse_file<T: serde::de::DeserializeOwned>(file: SourceFile<'_>) -> Result<T, RubricProblem> {
    toml::from_str::<T>(file.text).map_err(|err| {
        let line = err.span().map(|span| {
            file.text
                .get(..span.start)
                .unwrap_or("")
                .lines()
                .count()
                .max(1)
        });
        let mut message = err.message().to_string();
        // toml 1 no longer names the key; the span holds it.
        if message == "duplicate key"
            && let Some(key) = err.span().and_then(|span| file.text.get(span))
        {
            message = format!("duplicate key `{}`", key.trim());
        }
        RubricProblem {
            file: file.name.to_string(),
            line,
            message,
        }
    })
}

/// Parses an edition file and resolves its `extends` chain (see [`definition`]).
fn effective_def(
    problems: &mut Problems,
    edition: SourceFile<'_>,
    sheet_index: &[(String, u16)],
) -> Option<EditionDef> {
    let Some(base_id) = extends_of(edition.text) else {
        let def: EditionDef = problems.parse(edition)?;
        return Some(canonical(def, sheet_index, (false, false)));
    };
    let own: Option<ExtendingEditionDef> = problems.parse(edition);
    let (chain, broken) = base_chain(Some(&base_id), crate::edition::embedded_files);
    if let Some(message) = broken {
        problems.list.push(RubricProblem {
            file: edition.name.to_string(),
            line: extends_line(edition.text),
            message,
        });
        return None;
    }
    let base = base_def(problems, &base_id, &chain)?;
    let (def, inherited_gaps) = own?.over(base);
    Some(canonical(def, sheet_index, inherited_gaps))
}

/// The effective definition of a base edition from its chain of files
/// (nearest first), before gate groups are expanded.
fn base_def(problems: &mut Problems, id: &str, chain: &[Files]) -> Option<EditionDef> {
    let text_of = |files: &Files| {
        files
            .iter()
            .find(|(name, _)| *name == "edition.toml")
            .map(|(_, text)| *text)
    };
    let broken = |problems: &mut Problems, message: String| {
        problems.list.push(RubricProblem {
            file: "edition.toml".to_string(),
            line: None,
            message: format!("the base edition {id} does not load: {message}"),
        });
    };
    let mut levels = chain.iter().rev();
    let root = text_of(levels.next()?)?;
    let mut def = match toml::from_str::<EditionDef>(root) {
        Ok(def) => def,
        Err(err) => {
            broken(problems, err.message().to_string());
            return None;
        }
    };
    for files in levels {
        let text = text_of(files)?;
        match toml::from_str::<ExtendingEditionDef>(text) {
            Ok(own) => def = own.over(def).0,
            Err(err) => {
                broken(problems, err.message().to_string());
                return None;
            }
        }
    }
    Some(def)
}

/// Gate groups expanded into `gates`, gates in sheet order (stable: on one
/// sheet, in the order written, single gates before groups); inherited known
/// gaps kept only for the sheets the edition has.
fn canonical(
    mut def: EditionDef,
    sheet_index: &[(String, u16)],
    (inherited_gaps, inherited_misprints): (bool, bool),
) -> EditionDef {
    let number = |key: &str| {
        sheet_index
            .iter()
            .find(|(sheet, _)| sheet == key)
            .map_or(u16::MAX, |(_, number)| *number)
    };
    for group in std::mem::take(&mut def.gate_groups) {
        for gate in group.gates {
            def.gates.push(GateDef {
                stars: group.stars,
                sheet: gate.sheet,
                criterion: gate.criterion,
                option: gate.option,
                requirement: group.requirement.clone(),
                cite: group.cite.clone(),
                doubts: gate.doubts,
            });
        }
    }
    def.gates.sort_by_key(|gate| number(&gate.sheet));
    let has_sheet = |key: &str| sheet_index.iter().any(|(sheet, _)| sheet == key);
    if inherited_gaps {
        def.known_gaps.retain(|gap| has_sheet(&gap.sheet));
    }
    if inherited_misprints {
        def.known_misprints
            .retain(|misprint| misprint.sheet.as_deref().is_none_or(has_sheet));
    }
    def
}

/// Largest rubric file read from a folder (the largest embedded sheet is
/// under 64 KiB): a draft pointing at `/dev/zero` or a huge file is refused,
/// not read into memory.
pub const MAX_RUBRIC_FILE: u64 = 4 << 20;

/// Loads a draft edition from a folder laid out like `criteria/<id>/`:
/// `edition.toml` and `sheets/*.toml`.
///
/// Files are read only when they are regular files (symlinks are followed),
/// and only up to [`MAX_RUBRIC_FILE`] bytes. Anything in `sheets/` that is not
/// a `.toml` file, and a `sheets` that is not a folder, is reported as a
/// problem rather than skipped.
pub fn load_dir(dir: &Path) -> Result<Edition, Error> {
    let edition_text = read_rubric_file(&dir.join("edition.toml"))?;
    let mut layout = Vec::new();
    let paths = sheet_paths(&dir.join("sheets"), &mut layout)?;
    let mut texts = Vec::new();
    for (name, path) in &paths {
        texts.push((name.clone(), read_rubric_file(path)?));
    }
    let own: Vec<SourceFile<'_>> = texts
        .iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect();
    let files = with_base(&edition_text, own);
    let origin = format!("folder {}", dir.display());
    let compiled = compile(
        &origin,
        SourceFile {
            name: "edition.toml",
            text: &edition_text,
        },
        &files,
    );
    if layout.is_empty() {
        return compiled;
    }
    match compiled {
        Ok(_) => {}
        Err(Error::Rubric { problems, .. }) => layout.extend(problems),
        Err(other) => return Err(other),
    }
    Err(Error::Rubric {
        origin,
        problems: layout,
    })
}

/// The sheet files of a draft's `sheets/` folder, as (`sheets/NN-key.toml`,
/// path), sorted; every entry that is not a sheet file is added to `problems`.
fn sheet_paths(
    sheets_dir: &Path,
    problems: &mut Vec<RubricProblem>,
) -> Result<Vec<(String, PathBuf)>, Error> {
    let io = |err: std::io::Error| Error::Io {
        path: sheets_dir.display().to_string(),
        message: err.to_string(),
    };
    let mut paths = Vec::new();
    let problem = |file: String, message: &str| RubricProblem {
        file,
        line: None,
        message: message.to_string(),
    };
    match std::fs::metadata(sheets_dir) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(paths),
        Err(err) => return Err(io(err)),
        Ok(meta) if !meta.is_dir() => {
            problems.push(problem(
                "sheets".to_string(),
                "`sheets` is not a folder: sheet files go in a folder named `sheets`",
            ));
            return Ok(paths);
        }
        Ok(_) => {}
    }
    for entry in std::fs::read_dir(sheets_dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("sheets/{}", crate::error::escape_controls(&file_name));
        let extension = path.extension().and_then(|e| e.to_str());
        if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            problems.push(problem(
                name,
                "a folder: `sheets/` holds only sheet files (`NN-key.toml`)",
            ));
        } else if extension == Some("toml") && path.to_str().is_some() {
            paths.push((name, path));
        } else if extension.is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
            problems.push(problem(
                name,
                "sheet files end in `.toml`, in lower case: rename the file",
            ));
        } else {
            problems.push(problem(
                name,
                "not a sheet file: `sheets/` holds only sheet files (`NN-key.toml`); move it elsewhere",
            ));
        }
    }
    paths.sort();
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(paths)
}

/// Reads a rubric file: a regular file (after following symlinks) of at most
/// [`MAX_RUBRIC_FILE`] bytes of UTF-8.
fn read_rubric_file(path: &Path) -> Result<String, Error> {
    let io = |message: String| Error::Io {
        path: path.display().to_string(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|err| io(err.to_string()))?;
    if !meta.is_file() {
        return Err(io(
            "not a regular file (a folder, device, FIFO or socket): rubric files must be regular files"
                .to_string(),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_RUBRIC_FILE + 1).read_to_end(&mut bytes))
        .map_err(|err| io(err.to_string()))?;
    if bytes.len() as u64 > MAX_RUBRIC_FILE {
        return Err(Error::TooLarge {
            what: format!("rubric file {}", path.display()),
            size: usize::try_from(meta.len().max(bytes.len() as u64)).unwrap_or(usize::MAX),
            limit: usize::try_from(MAX_RUBRIC_FILE).unwrap_or(usize::MAX),
        });
    }
    String::from_utf8(bytes).map_err(|err| {
        io(format!(
            "not UTF-8 text (first bad byte at offset {})",
            err.utf8_error().valid_up_to()
        ))
    })
}

/// The sheets of an edition that `extends` an embedded one: the base's sheet
/// files, with the edition's own files added or replacing them by sheet number
/// (the `NN-` of the file name: 781/2020 replaces 1048's sheet 26 under a new key).
/// The base may itself extend another edition: a nearer edition's sheet
/// replaces a farther one's. An unknown id or a cycle ends the chain (and is
/// reported by [`compile`]).
pub fn with_base<'a>(edition_text: &str, own: Vec<SourceFile<'a>>) -> Vec<SourceFile<'a>> {
    let (chain, _) = base_chain(
        extends_of(edition_text).as_deref(),
        crate::edition::embedded_files,
    );
    if chain.is_empty() {
        return own;
    }
    let mut merged = own;
    for files in chain {
        let base: Vec<SourceFile<'a>> = files
            .into_iter()
            .filter(|(name, _)| name.starts_with("sheets/"))
            .filter(|(name, _)| !merged.iter().any(|file| same_sheet(file.name, name)))
            .map(|(name, text)| SourceFile { name, text })
            .collect();
        merged.extend(base);
    }
    merged.sort_by(|a, b| a.name.cmp(b.name));
    merged
}

/// The `extends` id of an edition file, if it has one.
fn extends_of(edition_text: &str) -> Option<String> {
    // Parsing the file to find no key costs more than the rest of loading an
    // embedded edition: a key spelled `extends` has the word, or a unicode
    // escape (`"ext\u0065nds"`).
    if !["extends", "\\u", "\\U"]
        .iter()
        .any(|needle| edition_text.contains(needle))
    {
        return None;
    }
    toml::from_str::<toml::Table>(edition_text)
        .ok()?
        .get("extends")?
        .as_str()
        .map(str::to_string)
}

type Files = Vec<(&'static str, &'static str)>;

/// The files of the editions an edition extends, nearest first, following
/// each base's own `extends`; with the problem that ended the chain early (an
/// id `lookup` does not know, or one seen before: a cycle).
fn base_chain(
    first: Option<&str>,
    lookup: impl Fn(&str) -> Option<Files>,
) -> (Vec<Files>, Option<String>) {
    let mut chain = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut next = first.map(str::to_string);
    while let Some(id) = next.take() {
        if seen.contains(&id) {
            seen.push(id);
            return (
                chain,
                Some(format!("`extends` runs in a cycle: {}", seen.join(" → "))),
            );
        }
        let Some(files) = lookup(&id) else {
            let via = match seen.last() {
                Some(base) => format!(" (the base edition {base} extends it)"),
                None => String::new(),
            };
            return (
                chain,
                Some(format!(
                    "`extends` names `{}`, which is not an embedded edition{via}: the crate has {}",
                    crate::error::echo(&id),
                    crate::edition::embedded_ids().join(", ")
                )),
            );
        };
        next = files
            .iter()
            .find(|(name, _)| *name == "edition.toml")
            .and_then(|(_, text)| extends_of(text));
        seen.push(id);
        chain.push(files);
    }
    (chain, None)
}

/// The line of the `extends = …` key in an edition file.
fn extends_line(edition_text: &str) -> Option<usize> {
    edition_text
        .lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix("extends")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|index| index + 1)
}

/// Whether two sheet file names are the same sheet: the same name, or the same
/// `NN-` number prefix.
fn same_sheet(a: &str, b: &str) -> bool {
    let number = |name| number_prefix(name).map(|(number, _)| number);
    a == b || number(a).is_some_and(|n| Some(n) == number(b))
}

#[derive(Default)]
struct Problems {
    list: Vec<RubricProblem>,
    file: String,
    texts: BTreeMap<String, String>,
}

impl Problems {
    fn parse<T: serde::de::DeserializeOwned>(&mut self, file: SourceFile<'_>) -> Option<T> {
        self.texts
            .insert(file.name.to_string(), file.text.to_string());
        match parse_file::<T>(file) {
            Ok(value) => Some(value),
            Err(problem) => {
                self.list.push(problem);
                None
            }
        }
    }

    /// Records a problem of the current file; `anchor` is the id it concerns,
    /// whose `id = "…"` line (the last one, for an id used twice) locates it.
    fn push(&mut self, anchor: Option<&str>, message: String) {
        let line = anchor.and_then(|id| {
            let needle = format!("id = \"{id}\"");
            let text = self.texts.get(&self.file)?;
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.trim() == needle)
                .map(|(i, _)| i + 1)
                .last()
        });
        self.list.push(RubricProblem {
            file: self.file.clone(),
            line,
            message,
        });
    }

    fn into_error(self, origin: &str) -> Error {
        Error::Rubric {
            origin: origin.to_string(),
            problems: self.list,
        }
    }
}

struct Compiler<'a> {
    problems: &'a mut Problems,
    def: &'a EditionDef,
    /// How many sheet files were given (some may not have parsed).
    sheet_files: usize,
}

impl Compiler<'_> {
    fn edition(&mut self, input: SheetInput<'_>) -> Option<Edition> {
        self.problems.file = "edition.toml".to_string();
        let def = self.def;
        let signed_on = self.date("signed_on", &def.signed_on);
        let in_force_from = self.date("in_force_from", &def.in_force_from);
        let band_policy = match def.band_policy.as_str() {
            "half-open" => Some(BandReading::HalfOpen),
            "up-to-next-edge" => Some(BandReading::UpToNextEdge),
            other => {
                self.problems.push(
                    None,
                    format!(
                        "unknown band_policy `{other}`: expected `half-open` or `up-to-next-edge`"
                    ),
                );
                None
            }
        };
        let mut transitions = Vec::new();
        for rule in &def.transitions {
            let filed_before = self.date("transitions.filed_before", &rule.filed_before);
            let evaluated_until = self.date("transitions.evaluated_until", &rule.evaluated_until);
            if let (Some(filed_before), Some(evaluated_until)) = (filed_before, evaluated_until) {
                let mut kinds = Vec::new();
                for kind in &rule.kinds {
                    match crate::dossier::Registration::parse(kind) {
                        Some(kind) => kinds.push(kind),
                        None => self.problems.push(
                            None,
                            format!(
                                "transitions: unknown kind `{kind}`: expected first, upgrade or re-rating"
                            ),
                        ),
                    }
                }
                transitions.push(Transition {
                    filed_before,
                    evaluated_until,
                    edition: rule.edition.clone(),
                    kinds,
                    cite: rule.cite.clone(),
                    text: rule.text.clone(),
                });
            }
        }
        let levels = self.levels(def);
        let ends = def.ends.as_ref().and_then(|ends| {
            Some(Ends {
                last_day: self.date("ends.last_day", &ends.last_day)?,
                by: ends.by.clone(),
                text: ends.text.clone(),
                cite: ends.cite.clone(),
            })
        });
        if def.id.trim().is_empty() || def.id.trim() != def.id {
            self.problems.push(
                None,
                format!(
                    "edition id `{}` must be non-empty, without surrounding spaces",
                    def.id
                ),
            );
        }
        let max_points = def.max_points.0;
        let bands = self.bands(max_points);
        let mut misprints_used = BTreeSet::new();
        for index in 0..def.bands.len() {
            self.band_printed(index, &mut misprints_used, max_points);
        }

        let (slots, keys, gates, hash, unparsed) = match input {
            SheetInput::Parsed(sheet_defs) => {
                let (sheets, keys, gates) =
                    self.parsed_sheets(sheet_defs, max_points, bands.as_deref(), misprints_used);
                let hash = content_hash(def, sheet_defs);
                let slots: Vec<_> = sheets.into_iter().map(SheetSlot::compiled).collect();
                // A sheet file that did not parse is already reported; do not
                // report its sheet as missing from the classification too.
                let unparsed = sheet_defs.len() < self.sheet_files;
                (slots, keys, gates, hash, unparsed)
            }
            SheetInput::Deferred { files, index, hash } => {
                let mut slots: Vec<_> = files
                    .iter()
                    .zip(index)
                    .map(|(file, (key, number))| {
                        (
                            *number,
                            SheetSlot {
                                key: key.clone(),
                                file: Some(*file),
                                compiled: std::sync::OnceLock::new(),
                            },
                        )
                    })
                    .collect();
                slots.sort_by_key(|(number, _)| *number);
                let keys = index.iter().map(|(key, _)| key.clone()).collect();
                let gates = def.gates.iter().map(gate_of).collect();
                let slots = slots.into_iter().map(|(_, slot)| slot).collect();
                (slots, keys, gates, hash.to_string(), false)
            }
        };
        let mut classes = Vec::new();
        for group in &def.groups {
            for class in &group.classes {
                if !keys.contains(&class.sheet) && def.unavailable.is_none() && !unparsed {
                    self.problems.push(
                        None,
                        format!(
                            "classification `{}` names sheet `{}`, which the edition does not have",
                            class.nhom, class.sheet
                        ),
                    );
                }
                classes.push(ProductClass {
                    group: format!("{}. {}", group.number, group.title),
                    nhom: class.nhom.clone(),
                    phan_nhom: class.phan_nhom.clone(),
                    ministry: class.ministry.clone(),
                    sheet: class.sheet.clone(),
                });
            }
        }

        let (certification, problems) = super::certification::compile(
            def.certificate_term.as_ref(),
            def.rerating.as_ref(),
            def.late_rerating.as_ref(),
            def.revocation.as_ref(),
            &def.rounds,
        );
        for problem in problems {
            self.problems.push(None, problem);
        }
        Some(Edition {
            id: def.id.clone(),
            title: def.title.clone(),
            decision: def.decision.clone(),
            signed_on: signed_on?,
            in_force_from: in_force_from?,
            source: def.source.clone(),
            confidence: def.confidence.clone(),
            cite: def.cite.clone(),
            max_points,
            band_policy: band_policy?,
            star_footnote: def.star_footnote.clone(),
            product_code: def.product_code.clone(),
            sheets_expected: def.sheets_expected,
            bands: bands?,
            classes,
            sheets: slots,
            deferred: None,
            gates,
            warnings: def.warnings.clone(),
            unavailable: def.unavailable.clone(),
            extends: def.extends.clone(),
            transitions,
            levels,
            ends,
            hash,
            certification,
            part_maxima: def
                .parts
                .iter()
                .map(|part| super::PartMax {
                    id: part.id.clone(),
                    title: part.title.clone(),
                    max: part.max.0,
                })
                .collect(),
            known_misprints: def.known_misprints.clone(),
        })
    }

    /// Compiles and checks every sheet with the edition: what needs them all
    /// (numbers and keys used once, file names, known gaps and misprints that
    /// occur, gates naming their criteria); returns the sheets in number
    /// order, their keys and the gates.
    fn parsed_sheets(
        &mut self,
        sheet_defs: &[(String, SheetDef)],
        max_points: Decimal,
        bands: Option<&[Band]>,
        mut misprints_used: BTreeSet<usize>,
    ) -> (Vec<Sheet>, BTreeSet<String>, Vec<Gate>) {
        let def = self.def;
        let mut sheets = Vec::new();
        let mut gaps_used = BTreeSet::new();
        let mut numbers = BTreeSet::new();
        let mut keys = BTreeSet::new();
        for (file, sheet_def) in sheet_defs {
            self.problems.file = file.clone();
            if !numbers.insert(sheet_def.number) {
                self.problems.push(
                    None,
                    format!("sheet number {} is used by two sheets", sheet_def.number),
                );
            }
            if !keys.insert(sheet_def.key.clone()) {
                self.problems.push(
                    None,
                    format!("sheet key `{}` is used by two sheets", sheet_def.key),
                );
            }
            let expected_name = format!("sheets/{:02}-{}.toml", sheet_def.number, sheet_def.key);
            if *file != expected_name {
                self.problems.push(
                    None,
                    format!("file name should be `{expected_name}` (number and key of the sheet)"),
                );
            }
            if let Some(sheet) =
                self.sheet(sheet_def, max_points, &mut gaps_used, &mut misprints_used)
            {
                sheets.push(sheet);
            }
        }
        sheets.sort_by_key(|sheet| sheet.number);

        self.problems.file = "edition.toml".to_string();
        if sheet_defs.len() > usize::from(def.sheets_expected) {
            self.problems.push(
                None,
                format!(
                    "sheets_expected is {} but {} sheet files are present",
                    def.sheets_expected,
                    sheet_defs.len()
                ),
            );
        }
        for (index, gap) in def.known_gaps.iter().enumerate() {
            if !gaps_used.contains(&index) {
                self.problems.push(None, format!(
                    "known gap of sheet `{}` part `{}` (adding up to {}) does not occur: remove it",
                    gap.sheet, gap.part, gap.sum
                ));
            }
        }
        for (index, misprint) in def.known_misprints.iter().enumerate() {
            let what = match (&misprint.sheet, &misprint.part, misprint.band) {
                (Some(sheet), Some(part), None) => format!("of sheet `{sheet}` part `{part}`"),
                (None, None, Some(stars)) => format!("of band {stars}★"),
                _ => {
                    self.problems.push(
                        None,
                        "a known misprint names either `sheet` and `part` (a part heading) or `band`".to_string(),
                    );
                    continue;
                }
            };
            if !misprints_used.contains(&index) {
                self.problems.push(
                    None,
                    format!(
                        "known misprint {what} (printed {}) does not occur: remove it",
                        misprint.printed
                    ),
                );
            }
        }

        let gates = self.gates(&mut sheets);
        if let Some(bands) = bands {
            for sheet in &mut sheets {
                self.kernel(sheet, bands);
            }
        }
        (sheets, keys, gates)
    }

    /// The sheet's kernel, or the problem that its points do not fit.
    fn kernel(&mut self, sheet: &mut Sheet, bands: &[Band]) {
        match crate::kernel::Kernel::build(sheet, bands) {
            Some(kernel) => sheet.kernel = kernel,
            None => self.problems.push(
                None,
                format!(
                    "sheet `{}`: its points do not fit the scoring units",
                    sheet.key
                ),
            ),
        }
    }

    /// Adds the edition's gates to the criteria they name, as marks.
    fn gates(&mut self, sheets: &mut [Sheet]) -> Vec<Gate> {
        let mut gates = Vec::new();
        for (index, def) in self.def.gates.iter().enumerate() {
            let Some(sheet) = sheets.iter_mut().find(|s| s.key == def.sheet) else {
                self.problems.push(
                    None,
                    format!(
                        "gate {}★ on criterion `{}` of sheet `{}`: the edition has no such sheet",
                        def.stars, def.criterion, def.sheet
                    ),
                );
                continue;
            };
            if self.mark_gate(index, def, sheet) {
                gates.push(gate_of(def));
            }
        }
        gates
    }

    /// Adds gate number `index` to the criterion it names on `sheet`, as a
    /// mark; false (with the problem) when it names none.
    fn mark_gate(&mut self, index: usize, def: &GateDef, sheet: &mut Sheet) -> bool {
        let at = format!(
            "gate {}★ on criterion `{}` of sheet `{}`",
            def.stars, def.criterion, def.sheet
        );
        if !(2..=5).contains(&def.stars) {
            self.problems
                .push(None, format!("{at}: rank must be 2 to 5"));
            return false;
        }
        let criterion = sheet
            .parts
            .iter_mut()
            .flat_map(|p| p.sections.iter_mut())
            .flat_map(|s| s.criteria.iter_mut())
            .find_map(|c| c.find_mut(&def.criterion));
        let Some(criterion) = criterion.filter(|c| c.children.is_empty()) else {
            self.problems
                .push(None, format!("{at}: the sheet has no such leaf criterion"));
            return false;
        };
        let Some(option) = criterion.option(def.option).map(|o| o.points) else {
            self.problems.push(
                None,
                format!(
                    "{at}: option {} does not exist (the criterion has {})",
                    def.option,
                    criterion.options.len()
                ),
            );
            return false;
        };
        criterion.marks.push(Mark {
            stars: def.stars,
            option: def.option,
            points: option,
            gate: Some(index),
        });
        criterion.marks.sort_by_key(|mark| mark.stars);
        true
    }

    fn date(&mut self, field: &str, text: &str) -> Option<Date> {
        match text.parse::<Date>() {
            Ok(date) => Some(date),
            Err(err) => {
                self.problems.push(
                    None,
                    format!("`{field}` = `{text}` is not a valid date (YYYY-MM-DD): {err}"),
                );
                None
            }
        }
    }

    /// A printed restatement that disagrees with the data is a problem,
    /// unless the edition lists it in `known_misprints` (then it is marked used).
    fn misprint(
        &mut self,
        used: &mut BTreeSet<usize>,
        key: (Option<&str>, Option<&str>, Option<u8>),
        printed: Decimal,
        anchor: Option<&str>,
        message: String,
    ) {
        let known = self.def.known_misprints.iter().position(|m| {
            (m.sheet.as_deref(), m.part.as_deref(), m.band) == key && m.printed.0 == printed
        });
        match known {
            Some(index) => {
                used.insert(index);
            }
            None => self.problems.push(
                anchor,
                format!("{message} (if it is printed so, keep it and list it in `known_misprints` of edition.toml, with a doubt)"),
            ),
        }
    }

    /// A part's heading restates its title and, as "(N Điểm)", its maximum.
    fn heading(&mut self, sheet: &str, part: &super::def::PartDef, used: &mut BTreeSet<usize>) {
        let Some(heading) = &part.heading else {
            return;
        };
        let at = format!("sheet `{sheet}`, part `{}`", part.id);
        if !normalised(heading).contains(&normalised(&part.title)) {
            self.problems.push(
                Some(&part.id),
                format!(
                    "{at}: the heading `{heading}` does not contain the title `{}`",
                    part.title
                ),
            );
        }
        match heading_points(heading) {
            Some(printed) if printed != part.max.0 => self.misprint(
                used,
                (Some(sheet), Some(&part.id), None),
                printed,
                Some(&part.id),
                format!(
                    "{at}: the heading prints ({printed} Điểm), the part's maximum is {}",
                    part.max
                ),
            ),
            Some(_) => {}
            None => self.problems.push(
                Some(&part.id),
                format!("{at}: the heading `{heading}` prints no \"(N Điểm)\""),
            ),
        }
    }

    /// A band's printed range restates its lower edge and the next band's:
    /// "từ A đến dưới B" (B the next edge), "từ A đến B" (B the next edge − 1,
    /// integer ranges; the maximum for the top band), "dưới B" (the bottom band).
    fn band_printed(&mut self, index: usize, used: &mut BTreeSet<usize>, max_points: Decimal) {
        let bands = &self.def.bands;
        let Some(band) = bands.get(index) else {
            return;
        };
        let next = bands.get(index + 1).map(|b| b.from.0);
        let at = format!("band {}★ (printed `{}`)", band.stars, band.printed);
        let stars = Some(band.stars);
        let mut check = |this: &mut Self, printed: Decimal, expected: Decimal, what: &str| {
            if printed != expected {
                this.misprint(
                    used,
                    (None, None, stars),
                    printed,
                    None,
                    format!("{at}: prints {printed} {what}, the data gives {expected}"),
                );
            }
        };
        match printed_range(&band.printed) {
            Some(PrintedRange::From { from, to, below }) => {
                check(self, from, band.from.0, "as its lower edge");
                match (next, below) {
                    (Some(next), true) => check(
                        self,
                        to,
                        next,
                        "as the edge below which it ends (the next band's lower edge)",
                    ),
                    (Some(next), false) => check(
                        self,
                        to,
                        next - Decimal::ONE,
                        "as its last point (the next band's lower edge − 1)",
                    ),
                    (None, false) => {
                        check(self, to, max_points, "as its top (the edition's maximum)")
                    }
                    (None, true) => self.problems.push(
                        None,
                        format!("{at}: the top band ends at the maximum, not \"dưới\" a value"),
                    ),
                }
            }
            Some(PrintedRange::Below(to)) => {
                if index != 0 {
                    self.problems.push(
                        None,
                        format!("{at}: only the bottom band is printed \"dưới B\" alone"),
                    );
                }
                match next {
                    Some(next) => check(
                        self,
                        to,
                        next,
                        "as the edge below which it ends (the next band's lower edge)",
                    ),
                    None => self.problems.push(
                        None,
                        format!("{at}: the top band ends at the maximum, not \"dưới\" a value"),
                    ),
                }
            }
            None => self.problems.push(
                None,
                format!(
                    "{at}: prints no range (\"từ A đến dưới B\", \"từ A đến B\" or \"dưới B\")"
                ),
            ),
        }
    }

    /// Bands must cover 0..=max without gaps or overlaps: ranks 1..=5 in order,
    /// lower edges strictly increasing from 0.
    fn bands(&mut self, max_points: Decimal) -> Option<Vec<Band>> {
        let def = self.def;
        let before = self.problems.list.len();
        if def.bands.len() != 5 {
            self.problems.push(
                None,
                format!("expected 5 star bands, found {}", def.bands.len()),
            );
        }
        let mut bands = Vec::new();
        for (index, band) in def.bands.iter().enumerate() {
            let expected_stars = u8::try_from(index + 1).unwrap_or(u8::MAX);
            if band.stars != expected_stars {
                self.problems.push(
                    None,
                    format!(
                        "band {} is for {}★: bands must be listed 1★ to 5★ in order",
                        index + 1,
                        band.stars
                    ),
                );
            }
            if index == 0 && !band.from.0.is_zero() {
                self.problems.push(
                    None,
                    format!(
                        "the lowest band starts at {}, not 0: totals below it have no rank",
                        band.from
                    ),
                );
            }
            let next = def.bands.get(index + 1);
            let (to, to_inclusive) = match next {
                Some(next) => (next.from.0, false),
                None => (max_points, true),
            };
            if band.from.0 >= to {
                self.problems.push(
                    None,
                    format!(
                        "band {}★ starts at {} but the next edge is {}: bands overlap or are empty",
                        band.stars, band.from, to
                    ),
                );
            }
            let certificate = match band.certificate.as_str() {
                "none" => CertificateKind::None,
                "province" => CertificateKind::Province,
                "ministry" => CertificateKind::Ministry,
                other => {
                    self.problems.push(None, format!(
                        "band {}★: unknown certificate `{other}`: expected none, province or ministry",
                        band.stars
                    ));
                    CertificateKind::None
                }
            };
            let certificate_text = match certificate {
                CertificateKind::None => &def.certificates.none,
                CertificateKind::Province => &def.certificates.province,
                CertificateKind::Ministry => &def.certificates.ministry,
            };
            bands.push(Band {
                stars: band.stars,
                from: band.from.0,
                to,
                to_inclusive,
                printed: band.printed.clone(),
                certificate,
                certificate_text: certificate_text.clone(),
                level: band.level.clone(),
            });
        }
        (self.problems.list.len() == before).then_some(bands)
    }

    fn sheet(
        &mut self,
        def: &SheetDef,
        max_points: Decimal,
        gaps_used: &mut BTreeSet<usize>,
        misprints_used: &mut BTreeSet<usize>,
    ) -> Option<Sheet> {
        let mut gaps = Vec::new();
        let before = self.problems.list.len();
        let mut index = BTreeMap::new();
        let mut leaf_ids = Vec::new();
        let mut part_ids = BTreeSet::new();
        let mut section_ids = BTreeSet::new();
        let mut parts = Vec::new();
        let mut total = Decimal::ZERO;
        for part_def in &def.parts {
            self.heading(&def.key, part_def, misprints_used);
            let at = format!("sheet `{}`, part `{}`", def.key, part_def.id);
            if !part_ids.insert(part_def.id.clone()) {
                self.problems
                    .push(Some(&part_def.id), format!("{at}: part id used twice"));
            }
            let mut sections = Vec::new();
            let mut sum = Decimal::ZERO;
            for section_def in &part_def.sections {
                if !section_ids.insert(section_def.id.clone()) {
                    self.problems.push(
                        Some(&section_def.id),
                        format!(
                            "sheet `{}`: section id `{}` used twice",
                            def.key, section_def.id
                        ),
                    );
                }
                sum += section_def.max.0;
                sections.push(self.section(&def.key, section_def, &mut index, &mut leaf_ids));
            }
            let known_gap = self.def.known_gaps.iter().position(|gap| {
                gap.sheet == def.key && gap.part == part_def.id && gap.sum.0 == sum
            });
            if let (Some(index), true) = (known_gap, sum != part_def.max.0) {
                gaps_used.insert(index);
                if let Some(gap) = self.def.known_gaps.get(index) {
                    gaps.push(format!(
                        "sheet `{}` part {}: its criteria add up to {sum}, not {} (known gap kept as stored: {})",
                        def.key, part_def.id, part_def.max, gap.note
                    ));
                }
            } else if sum != part_def.max.0 {
                self.problems.push(
                    Some(&part_def.id),
                    format!(
                        "{at}: sections add up to {sum}, the part says {}",
                        part_def.max
                    ),
                );
            }
            if !self.def.parts.is_empty() {
                match self.def.parts.iter().find(|p| p.id == part_def.id) {
                    Some(expected) if expected.max.0 != part_def.max.0 => self.problems.push(
                        Some(&part_def.id),
                        format!(
                            "{at}: maximum {} but the edition prints {} for part {}",
                            part_def.max, expected.max, expected.id
                        ),
                    ),
                    None => self.problems.push(
                        Some(&part_def.id),
                        format!("{at}: the edition has no part `{}`", part_def.id),
                    ),
                    _ => {}
                }
            }
            total += part_def.max.0;
            parts.push(Part {
                id: part_def.id.clone(),
                title: part_def.title.clone(),
                heading: part_def.heading.clone(),
                max: part_def.max.0,
                notes: part_def.notes.clone(),
                doubts: part_def.doubts.clone(),
                sections,
            });
        }
        if total != max_points {
            self.problems.push(
                None,
                format!(
                    "sheet `{}`: parts add up to {total}, the edition's maximum is {max_points}",
                    def.key
                ),
            );
        }
        self.rule_targets(&def.key, &parts, &index);
        let exclusive_cases = def.exclusive_cases.as_ref().map(|cases| ExclusiveCases {
            text: cases.text.clone(),
            lines: cases.lines.clone(),
            doubt: cases.doubt.clone(),
        });
        if exclusive_cases.is_some()
            && !parts
                .iter()
                .flat_map(|p| &p.sections)
                .flat_map(|s| &s.criteria)
                .flat_map(Criterion::walk)
                .any(|c| !c.cases.is_empty())
        {
            self.problems.push(
                None,
                format!(
                    "sheet `{}`: `exclusive_cases` on a sheet with no case criteria",
                    def.key
                ),
            );
        }
        if def.key.trim().is_empty() || def.key.chars().any(|c| c.is_whitespace()) {
            self.problems.push(
                None,
                format!(
                    "sheet key `{}` must be non-empty and contain no spaces",
                    def.key
                ),
            );
        }
        (self.problems.list.len() == before).then(|| Sheet {
            edition: self.def.id.clone(),
            number: def.number,
            key: def.key.clone(),
            title: def.title.clone(),
            group: def.group.clone(),
            subgroup: def.subgroup.clone(),
            disqualified_when: def.disqualified_when.clone(),
            printed_group: def.printed_group.clone(),
            disqualified_line: def.disqualified_line,
            cite: def.cite.clone(),
            source: def.source.clone(),
            confidence: def.confidence.clone(),
            gaps,
            line: def.line,
            exclusive_cases,
            max: total,
            parts,
            index,
            leaf_ids,
            kernel: crate::kernel::Kernel::default(),
        })
    }

    /// The council levels: known names, each once, every final rank 0–5 in
    /// exactly one outcome.
    fn levels(&mut self, def: &EditionDef) -> Vec<LevelRules> {
        let mut levels: Vec<LevelRules> = Vec::new();
        for level in &def.levels {
            let at = format!("levels `{}`", level.level);
            let Some(name) = crate::dossier::Level::parse(&level.level) else {
                self.problems.push(
                    None,
                    format!("{at}: expected district, province or central"),
                );
                continue;
            };
            if levels.iter().any(|l| l.level == name) {
                self.problems.push(None, format!("{at}: level given twice"));
            }
            let mut outcomes = Vec::new();
            for outcome in &level.outcomes {
                let action = match outcome.action.as_str() {
                    "recognise" => Action::Recognise,
                    "propose" => Action::Propose,
                    "return" => Action::Return,
                    "none" => Action::None,
                    other => {
                        self.problems.push(
                            None,
                            format!(
                                "{at}: unknown action `{other}`: expected recognise, propose, return or none"
                            ),
                        );
                        continue;
                    }
                };
                outcomes.push(OutcomeRule {
                    stars: outcome.stars.clone(),
                    action,
                    by: outcome.by.clone(),
                    to: outcome.to.clone(),
                    text: outcome.text.clone(),
                    cite: outcome.cite.clone(),
                });
            }
            for stars in 0..=5_u8 {
                let count = outcomes.iter().filter(|o| o.stars.contains(&stars)).count();
                if count != 1 {
                    self.problems.push(
                        None,
                        format!("{at}: rank {stars} is in {count} outcomes; every rank 0–5 (0: rejected or stopped) is in exactly one"),
                    );
                }
            }
            if let Some(stray) = outcomes.iter().flat_map(|o| &o.stars).find(|s| **s > 5) {
                self.problems
                    .push(None, format!("{at}: rank {stray} is not 0–5"));
            }
            levels.push(LevelRules {
                level: name,
                title: level.title.clone(),
                cite: level.cite.clone(),
                doubt: level.doubt.clone(),
                outcomes,
            });
        }
        levels
    }

    fn section(
        &mut self,
        sheet: &str,
        def: &SectionDef,
        index: &mut BTreeMap<String, NodeKind>,
        leaf_ids: &mut Vec<String>,
    ) -> Section {
        let direct = !def.options.is_empty();
        let criteria = if direct {
            if !def.criteria.is_empty() {
                self.problems.push(Some(&def.id), format!(
                    "sheet `{sheet}`, section `{}`: has both options (scored directly) and criteria",
                    def.id
                ));
            }
            // A section scored directly is one criterion whose id is the section's.
            let as_criterion = CriterionDef {
                id: def.id.clone(),
                printed_id: None,
                title: def.title.clone(),
                max: def.max,
                printed_max: def.printed_max,
                scoring: def.scoring,
                line: def.line,
                requirements: Vec::new(),
                notes: Vec::new(),
                doubts: def.doubts.clone(),
                inferred: None,
                cases: def.cases.clone(),
                options: def.options.clone(),
                children: Vec::new(),
                rules: def.rules.clone(),
            };
            // Its notes are the section's: a rule quotes one of them.
            self.rule_texts(sheet, &def.id, &def.rules, &def.notes);
            vec![self.criterion(sheet, &as_criterion, None, index, leaf_ids)]
        } else {
            if def.criteria.is_empty() {
                self.problems.push(
                    Some(&def.id),
                    format!(
                        "sheet `{sheet}`, section `{}`: has neither options nor criteria",
                        def.id
                    ),
                );
            }
            if !def.rules.is_empty() {
                self.problems.push(
                    Some(&def.id),
                    format!(
                        "sheet `{sheet}`, section `{}`: rules belong on a criterion (or a section scored directly)",
                        def.id
                    ),
                );
            }
            let mut sum = Decimal::ZERO;
            let mut criteria = Vec::new();
            for criterion_def in &def.criteria {
                sum += criterion_def.max.0;
                criteria.push(self.criterion(sheet, criterion_def, Some(&def.id), index, leaf_ids));
            }
            if !def.criteria.is_empty() && sum != def.max.0 {
                self.problems.push(Some(&def.id), format!(
                    "section `{}` of sheet `{sheet}`: criteria add up to {sum}, the section says {}",
                    def.id, def.max
                ));
            }
            criteria
        };
        Section {
            id: def.id.clone(),
            title: def.title.clone(),
            max: def.max.0,
            direct,
            printed_max: def.printed_max.map(|p| p.0),
            line: def.line,
            doubts: def.doubts.clone(),
            requirements: def.requirements.clone(),
            notes: def.notes.clone(),
            criteria,
        }
    }

    fn criterion(
        &mut self,
        sheet: &str,
        def: &CriterionDef,
        parent: Option<&str>,
        index: &mut BTreeMap<String, NodeKind>,
        leaf_ids: &mut Vec<String>,
    ) -> Criterion {
        let at = format!("criterion `{}` of sheet `{sheet}`", def.id);
        if let Some(parent) = parent {
            let prefix = format!("{parent}.");
            let rest = def.id.strip_prefix(&prefix).unwrap_or("");
            if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
                self.problems.push(
                    Some(&def.id),
                    format!("{at}: id should be `{parent}.<n>`, under `{parent}`"),
                );
            }
        }
        let kind = if def.children.is_empty() {
            NodeKind::Leaf {
                options: def.options.len(),
                cumulative: def.scoring == Scoring::Cumulative,
            }
        } else {
            NodeKind::Parent
        };
        if index.insert(def.id.clone(), kind).is_some() {
            self.problems
                .push(Some(&def.id), format!("{at}: id used twice in the sheet"));
        }
        if def.max.0 < Decimal::ZERO {
            self.problems.push(
                Some(&def.id),
                format!("{at}: maximum {} is negative", def.max),
            );
        }
        let mut children = Vec::new();
        if !def.children.is_empty() {
            if !def.options.is_empty() {
                self.problems.push(
                    Some(&def.id),
                    format!("{at}: has both options and sub-criteria"),
                );
            }
            let mut sum = Decimal::ZERO;
            for child in &def.children {
                sum += child.max.0;
                children.push(self.criterion(sheet, child, Some(&def.id), index, leaf_ids));
            }
            if sum != def.max.0 {
                self.problems.push(
                    Some(&def.id),
                    format!(
                        "{at}: sub-criteria add up to {sum}, the criterion says {}",
                        def.max
                    ),
                );
            }
        } else {
            leaf_ids.push(def.id.clone());
            if def.options.is_empty() {
                self.problems
                    .push(Some(&def.id), format!("{at}: has no options"));
            }
        }
        if def.scoring == Scoring::Cumulative && !def.children.is_empty() {
            self.problems.push(
                Some(&def.id),
                format!("{at}: a cumulative criterion has boxes, not sub-criteria"),
            );
        }
        let options = self.options(&at, def);
        let marks = marks(&options);
        // A section scored directly (no parent) had its rules checked against its notes.
        if parent.is_some() {
            self.rule_texts(sheet, &def.id, &def.rules, &def.notes);
        }
        let rules = self.rules(&at, def);
        Criterion {
            id: def.id.clone(),
            printed_id: def.printed_id.clone(),
            title: def.title.clone(),
            max: def.max.0,
            printed_max: def.printed_max.map(|p| p.0),
            scoring: def.scoring,
            line: def.line,
            requirements: def.requirements.clone(),
            notes: def.notes.clone(),
            doubts: def.doubts.clone(),
            inferred: def.inferred.clone(),
            cases: def
                .cases
                .iter()
                .map(|c| Case {
                    id: c.id.clone(),
                    title: c.title.clone(),
                })
                .collect(),
            options,
            children,
            rules,
            marks,
        }
    }

    /// The criteria and options a sheet's rules name exist: `on` and an
    /// applicability's `criterion` are leaves, `unless_options` are theirs.
    fn rule_targets(&mut self, sheet: &str, parts: &[Part], index: &BTreeMap<String, NodeKind>) {
        let criteria = parts
            .iter()
            .flat_map(|p| &p.sections)
            .flat_map(|s| &s.criteria)
            .flat_map(Criterion::walk);
        for criterion in criteria {
            for rule in &criterion.rules {
                let at = format!(
                    "criterion `{}` of sheet `{sheet}`, rule ({})",
                    criterion.id,
                    rule.kind.name()
                );
                let targets = rule.on.iter().chain(&rule.criterion);
                for id in targets {
                    match index.get(id) {
                        Some(NodeKind::Leaf { .. }) => {}
                        _ => self.problems.push(
                            Some(&criterion.id),
                            format!("{at}: `{id}` is not a criterion answered on this sheet"),
                        ),
                    }
                }
                if let (Some(id), Some(NodeKind::Leaf { options, .. })) = (
                    &rule.criterion,
                    rule.criterion.as_ref().and_then(|id| index.get(id)),
                ) {
                    for &option in &rule.unless_options {
                        if option == 0 || usize::from(option) > *options {
                            self.problems.push(
                                Some(&criterion.id),
                                format!("{at}: `{id}` has no option {option} (1..={options})"),
                            );
                        }
                    }
                    if *id == criterion.id {
                        self.problems.push(
                            Some(&criterion.id),
                            format!(
                                "{at}: a criterion's applicability depends on another criterion"
                            ),
                        );
                    }
                }
            }
        }
    }

    /// Every rule quotes one of its criterion's printed notes.
    fn rule_texts(&mut self, sheet: &str, id: &str, rules: &[RuleDef], notes: &[String]) {
        for rule in rules {
            if !notes.contains(&rule.text) {
                self.problems.push(
                    Some(id),
                    format!(
                        "criterion `{id}` of sheet `{sheet}`: rule text `{}` is not one of its notes",
                        rule.text
                    ),
                );
            }
        }
    }

    /// A rule's own fields agree with its kind; ids it names are checked once
    /// the sheet is complete ([`Compiler::rule_targets`]).
    fn rules(&mut self, at: &str, def: &CriterionDef) -> Vec<Rule> {
        let mut rules = Vec::new();
        for (index, rule) in def.rules.iter().enumerate() {
            let at = format!("{at}, rule {}", index + 1);
            let mut wrong = |what: &str| {
                self.problems.push(
                    Some(&def.id),
                    format!("{at} ({}): {what}", rule.kind.name()),
                )
            };
            match (rule.kind, rule.fires) {
                (RuleKind::AppliesWhen, Some(_)) => wrong("an applicability rule has no `fires`"),
                (RuleKind::AppliesWhen, None) => {
                    if rule.criterion.is_none() || rule.unless_options.is_empty() {
                        wrong("needs `criterion` and `unless_options`");
                    }
                    if !rule.on.is_empty() || !rule.options.is_empty() {
                        wrong("`on` and `options` belong to knock-out and stop rules");
                    }
                }
                (_, None) => wrong("needs `fires`: zero, options or finding"),
                (_, Some(fires)) => {
                    if rule.criterion.is_some() || !rule.unless_options.is_empty() {
                        wrong("`criterion` and `unless_options` belong to applies-when rules");
                    }
                    match fires {
                        Fires::Zero if rule.on.is_empty() || !rule.options.is_empty() => {
                            wrong("fires = zero needs `on` (and no `options`)")
                        }
                        Fires::Options if rule.options.is_empty() || !rule.on.is_empty() => {
                            wrong("fires = options needs `options` (and no `on`)")
                        }
                        Fires::Finding if !rule.on.is_empty() || !rule.options.is_empty() => {
                            wrong("fires = finding takes neither `on` nor `options`")
                        }
                        _ => {}
                    }
                }
            }
            if rule.kind != RuleKind::AppliesWhen && !def.children.is_empty() {
                wrong("a rule sits on a criterion answered directly, not a parent");
            }
            let count = def.options.len();
            for &option in &rule.options {
                if option == 0 || usize::from(option) > count {
                    wrong(&format!("option {option} is not one of 1..={count}"));
                }
            }
            rules.push(Rule {
                kind: rule.kind,
                text: rule.text.clone(),
                line: rule.line,
                fires: rule.fires,
                on: rule.on.clone(),
                options: rule.options.clone(),
                criterion: rule.criterion.clone(),
                unless_options: rule.unless_options.clone(),
                doubt: rule.doubt.clone(),
            });
        }
        rules
    }

    fn options(&mut self, at: &str, def: &CriterionDef) -> Vec<Choice> {
        let case_ids: BTreeSet<&str> = def.cases.iter().map(|c| c.id.as_str()).collect();
        let mut best = None::<Decimal>;
        let mut marks_seen = BTreeMap::<u8, Decimal>::new();
        let mut options = Vec::new();
        for (position, option) in def.options.iter().enumerate() {
            let number = u16::try_from(position + 1).unwrap_or(u16::MAX);
            let OptionDef {
                points,
                min_stars,
                case,
                ..
            } = option;
            let points = points.0;
            if points < Decimal::ZERO || points > def.max.0 {
                self.problems.push(Some(&def.id), format!(
                    "{at}, option {number}: {points} points is outside 0..={} (the criterion maximum)",
                    def.max
                ));
            }
            best = Some(best.map_or(points, |b| b.max(points)));
            if let Some(stars) = *min_stars {
                if !MARKED_RANKS.contains(&stars) {
                    self.problems.push(
                        Some(&def.id),
                        format!("{at}, option {number}: star mark {stars} must be 3, 4 or 5"),
                    );
                } else if marks_seen.insert(stars, points).is_some() {
                    self.problems.push(
                        Some(&def.id),
                        format!("{at}, option {number}: a second {stars}★ mark on the criterion"),
                    );
                }
            }
            match case {
                Some(case) if !case_ids.contains(case.as_str()) => self.problems.push(
                    Some(&def.id),
                    format!(
                        "{at}, option {number}: case `{case}` is not one of the criterion's cases"
                    ),
                ),
                None if !case_ids.is_empty() => self.problems.push(
                    Some(&def.id),
                    format!(
                        "{at}, option {number}: the criterion has cases, so every option names one"
                    ),
                ),
                _ => {}
            }
            options.push(Choice {
                number,
                points,
                min_stars: *min_stars,
                text: option.text.clone(),
                case: case.clone(),
                printed: option.printed.clone(),
                erratum: option.erratum.clone(),
            });
        }
        if def.scoring == Scoring::Cumulative {
            self.problems.cumulative(at, def);
        } else if let Some(best) = best {
            if best != def.max.0 {
                self.problems.push(
                    Some(&def.id),
                    format!(
                        "{at}: the best option gives {best} points, the criterion maximum is {}",
                        def.max
                    ),
                );
            }
        }
        // A higher rank never asks less than a lower one on the same criterion.
        let mut floor = Decimal::MIN;
        for (stars, points) in &marks_seen {
            if *points < floor {
                self.problems.push(Some(&def.id), format!("{at}: the {stars}★ mark asks {points} points, less than a lower rank's mark"));
            }
            floor = floor.max(*points);
        }
        options
    }
}

impl Problems {
    /// A cumulative criterion's boxes add up to its maximum; they carry no star
    /// marks or cases, and there are at most [`MAX_BOXES`] of them.
    fn cumulative(&mut self, at: &str, def: &CriterionDef) {
        let mut sum = Decimal::ZERO;
        for option in &def.options {
            sum = sum.checked_add(option.points.0).unwrap_or(Decimal::MAX);
        }
        if sum != def.max.0 {
            self.push(
                Some(&def.id),
                format!(
                    "{at}: its boxes add up to {sum}, the cumulative criterion's maximum is {}",
                    def.max
                ),
            );
        }
        if def.options.len() > MAX_BOXES {
            self.push(
                Some(&def.id),
                format!(
                    "{at}: {} boxes; a cumulative criterion has at most {MAX_BOXES}",
                    def.options.len()
                ),
            );
        }
        if def.options.iter().any(|o| o.min_stars.is_some()) || !def.cases.is_empty() {
            self.push(
                Some(&def.id),
                format!("{at}: a cumulative criterion carries no star marks and no cases"),
            );
        }
    }
}

/// Lower case, runs of white space as one space: how a heading is compared
/// with a title.
fn normalised(text: &str) -> String {
    text.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The N of a heading's "(N Điểm)", if it prints exactly one.
fn heading_points(heading: &str) -> Option<Decimal> {
    let lower = heading.to_lowercase();
    let mut found = Vec::new();
    for (start, _) in lower.match_indices('(') {
        let rest = lower.get(start + 1..).unwrap_or("");
        let Some(end) = rest.find(')') else { continue };
        let inner = rest.get(..end).unwrap_or("");
        let mut words = inner.split_whitespace();
        if let (Some(number), Some("điểm"), None) = (words.next(), words.next(), words.next()) {
            if let Ok(value) = number.replace(',', ".").parse::<Decimal>() {
                found.push(value);
            }
        }
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A band's range as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrintedRange {
    /// "từ A đến B" or, `below`, "từ A đến dưới B".
    From {
        from: Decimal,
        to: Decimal,
        below: bool,
    },
    /// "dưới B".
    Below(Decimal),
}

/// The first range a band's printed text gives: "từ A (điểm) đến (dưới) B",
/// else "dưới B".
fn printed_range(text: &str) -> Option<PrintedRange> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == ','))
        .map(|word| word.trim_end_matches(['.', ',']))
        .filter(|word| !word.is_empty())
        .collect();
    let number = |index: usize| {
        words
            .get(index)
            .and_then(|word| word.replace(',', ".").parse::<Decimal>().ok())
    };
    let word = |index: usize| words.get(index).copied().unwrap_or("");
    for index in 0..words.len() {
        if word(index) != "từ" {
            continue;
        }
        let Some(from) = number(index + 1) else {
            continue;
        };
        let mut at = index + 2;
        if word(at) == "điểm" {
            at += 1;
        }
        if word(at) != "đến" {
            continue;
        }
        at += 1;
        let below = word(at) == "dưới";
        if below {
            at += 1;
        }
        if let Some(to) = number(at) {
            return Some(PrintedRange::From { from, to, below });
        }
    }
    (0..words.len())
        .find(|&index| word(index) == "dưới" && number(index + 1).is_some())
        .and_then(|index| number(index + 1))
        .map(PrintedRange::Below)
}

/// The most boxes a cumulative criterion may have (a dossier's ticks fit a `u64` bit set below the unanswered marker).
pub(crate) const MAX_BOXES: usize = 63;

fn marks(options: &[Choice]) -> Vec<Mark> {
    let mut marks: Vec<Mark> = options
        .iter()
        .filter_map(|option| {
            option.min_stars.map(|stars| Mark {
                gate: None,
                stars,
                option: option.number,
                points: option.points,
            })
        })
        .collect();
    marks.sort_by_key(|mark| mark.stars);
    marks
}

/// SHA-256 over the canonical JSON of the definitions, sheets in number order:
/// formatting and comments in the TOML do not change it, any datum does.
fn content_hash(edition: &EditionDef, sheets: &[(String, SheetDef)]) -> String {
    let mut ordered: Vec<&SheetDef> = sheets.iter().map(|(_, def)| def).collect();
    ordered.sort_by_key(|def| def.number);
    let mut edition = serde_json::to_value(edition).unwrap_or_default();
    // The register's rules do not score: stored assessments keep verifying.
    if let Some(fields) = edition.as_object_mut() {
        fields.retain(|key, _| {
            !super::def::CERTIFICATION_KEYS.contains(&key.as_str())
                && !super::def::VALIDATION_KEYS.contains(&key.as_str())
        });
    }
    // The canonical text `{"edition":…,"sheets":[…]}` is streamed into the
    // hasher: the sheets are not built as a JSON tree first.
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    let written = (|| -> std::io::Result<()> {
        use std::io::Write;
        hashing.write_all(br#"{"edition":"#)?;
        serde_json::to_writer(&mut hashing, &edition)?;
        hashing.write_all(br#","sheets":"#)?;
        serde_json::to_writer(&mut hashing, &ordered)?;
        hashing.write_all(b"}")
    })();
    if written.is_err() {
        return String::new();
    }
    let digest = hashing.0.finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every embedded edition compiled whole, as `ocop lint` and a draft
    /// are, equals the one handed out with its sheets compiled on first use:
    /// the same hash (the pin in `src/edition.rs`), fields and sheets.
    #[test]
    fn deferred_editions_equal_whole_compiles() {
        for id in crate::edition::embedded_ids() {
            let files = crate::edition::embedded_files(id).unwrap();
            let own = files[1..]
                .iter()
                .map(|(name, text)| SourceFile { name, text })
                .collect();
            let edition_file = SourceFile {
                name: "edition.toml",
                text: files[0].1,
            };
            let whole = compile(id, edition_file, &with_base(files[0].1, own)).unwrap();
            let deferred = crate::edition::edition(id).unwrap();
            assert_eq!(
                whole.hash, deferred.hash,
                "{id}: the data changed; if deliberately, pin the new hash in src/edition.rs"
            );
            assert!(whole.deferred.is_none() && deferred.deferred.is_some());
            assert_eq!(whole.sheet_count(), deferred.sheet_count(), "{id}");
            let sheets = |e: &Edition| e.sheets().map(|s| format!("{s:?}")).collect::<Vec<_>>();
            assert_eq!(sheets(&whole), sheets(deferred), "{id}");
            let rest = |e: &Edition| {
                let mut e = e.clone();
                e.sheets.clear();
                e.deferred = None;
                format!("{e:?}")
            };
            assert_eq!(rest(&whole), rest(deferred), "{id}");
        }
    }

    /// `extends` is found however its key is written, and files without it
    /// are not parsed to look for it.
    #[test]
    fn extends_is_found_in_any_spelling() {
        assert_eq!(extends_of("extends = \"26-2026\""), Some("26-2026".into()));
        assert_eq!(extends_of("\"ext\\u0065nds\" = \"x\""), Some("x".into()));
        assert_eq!(extends_of("'extends' = 'y'"), Some("y".into()));
        assert_eq!(extends_of("id = \"draft\""), None);
    }

    /// A made-up table: a → b → c, and x → y → x.
    fn lookup(id: &str) -> Option<Files> {
        let edition: &'static str = match id {
            "a" => "extends = \"b\"",
            "b" => "extends = \"c\"",
            "c" => "",
            "x" => "extends = \"y\"",
            "y" => "extends = \"x\"",
            "z" => "extends = \"z\"",
            _ => return None,
        };
        Some(vec![("edition.toml", edition)])
    }

    #[test]
    fn base_chain_follows_every_level() {
        let (chain, problem) = base_chain(Some("a"), lookup);
        assert_eq!(chain.len(), 3);
        assert_eq!(problem, None);
    }

    #[test]
    fn base_chain_stops_at_a_cycle() {
        let (chain, problem) = base_chain(Some("x"), lookup);
        assert_eq!(chain.len(), 2);
        assert_eq!(
            problem.as_deref(),
            Some("`extends` runs in a cycle: x → y → x")
        );
        let (chain, problem) = base_chain(Some("z"), lookup);
        assert_eq!(chain.len(), 1);
        assert!(problem.is_some_and(|p| p.contains("z → z")));
    }

    #[test]
    fn base_chain_names_an_unknown_base_of_a_base() {
        let (chain, problem) =
            base_chain(Some("b"), |id| if id == "c" { None } else { lookup(id) });
        assert_eq!(chain.len(), 1);
        let problem = problem.unwrap_or_default();
        assert!(
            problem.contains("`c`") && problem.contains("the base edition b extends it"),
            "{problem}"
        );
    }

    #[test]
    fn extends_line_finds_the_key() {
        assert_eq!(
            extends_line("# extends = x\nid = \"d\"\n\nextends = \"26-2026\"\n"),
            Some(4)
        );
        assert_eq!(extends_line("id = \"d\"\nextends_not = 1\n"), None);
    }

    #[test]
    fn a_duplicate_key_is_named_with_its_line() {
        let mut problems = Problems::default();
        let parsed = problems.parse::<toml::Table>(SourceFile {
            name: "edition.toml",
            text: "id = \"d\"\n\n[x]\na = 1\n a = 2\n",
        });
        assert!(parsed.is_none());
        let problem = &problems.list[0];
        assert_eq!(problem.line, Some(5));
        assert_eq!(problem.message, "duplicate key `a`");
    }
}
