//! A single sheet's assessment written as JSON from per-sheet fragments: the
//! batch's full lines.
//!
//! A full assessment is about 13.5 KB of JSON, most of it the `parts`,
//! `sections` and `criteria` lines, whose ids, titles, option texts and
//! citations do not depend on the dossier; serde escapes them again for every
//! dossier. Here each sheet renders them once, on first use, in its
//! [`Kernel`](crate::kernel::Kernel): every part's and section's line, and
//! every criterion's (for a criterion with options, the line of every option
//! number), as the view makes it ([`Line::score`](crate::assess::Line::score),
//! [`part_score`], [`section_score`]) and serde serialises it, cut at the
//! fields a dossier changes (`points`, and `boxes` on a cumulative
//! criterion). A batch line is the assessment built without those lines
//! ([`Edition::assess_owned_apart`](crate::Edition)), serialised by serde and
//! cut at its `parts`, `sections` and `criteria` fields ([`write_split`]),
//! with the lines written in their places from the fragments and the few
//! numbers of the kernel's trace.
//!
//! Field names, their order, what is skipped and how text is escaped all come
//! from serde's derive of the assessment types: this module only knows which
//! fields are holes and writes their values. A line no fragment fits is
//! serialised by serde whole. `tests/suite/assessment_json.rs` compares the
//! batch's lines with `serde_json::to_string` of the library's assessment,
//! byte for byte.

use std::fmt::Display;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeStruct, Serializer};

use crate::assess::{
    Assessment, part_score, part_spans, section_score, section_spans, walk_criteria,
};
use crate::error::Error;
use crate::kernel::{Pick, SCALE, Scored};
use crate::rubric::Sheet;

/// Writes a single sheet's assessment that
/// [`Edition::assess_owned_apart`](crate::Edition) built without its lines,
/// as `serde_json::to_string` writes the assessment with them: the lines
/// are those of `picks` as the kernel scored them in `scored`.
pub(crate) fn write_assessment(
    out: &mut String,
    assessment: &Assessment,
    sheet: &Sheet,
    picks: &[Pick],
    scored: &Scored,
) -> Result<(), Error> {
    type Lines = fn(&mut String, &Sheet, &[Pick], &Scored) -> Result<(), Error>;
    const LINES: [(&str, Lines); 3] = [
        ("parts", write_parts),
        ("sections", write_sections),
        ("criteria", write_criteria),
    ];
    let holes = LINES.map(|(field, _)| field);
    write_split(out, assessment, &holes, |out, hole| match LINES.get(hole) {
        Some((_, lines)) => lines(out, sheet, picks, scored),
        None => Err(json_error("a hole")),
    })
}

/// A sheet's lines, rendered once.
#[derive(Debug)]
pub(crate) struct Fragments {
    /// One per part, in [`part_spans`] order, cut at `points`.
    parts: Vec<Cut>,
    /// One per section, in [`section_spans`] order, cut at `points`.
    sections: Vec<Cut>,
    /// One per criterion, in [`walk_criteria`] order.
    criteria: Vec<Node>,
}

/// Where a sheet keeps its [`Fragments`] once rendered. A clone starts empty
/// and renders its own: a copy of a sheet never uses another's text.
#[derive(Default)]
pub(crate) struct Cache(std::sync::OnceLock<Option<Fragments>>);

/// Whether it is filled yet depends on what scored before, not on the
/// sheet: a sheet's `Debug` (compared in tests) does not show it.
impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

impl Clone for Cache {
    fn clone(&self) -> Self {
        Cache::default()
    }
}

/// The fragments of one criterion's line.
#[derive(Debug)]
enum Node {
    /// A parent criterion: one line, cut at `points`.
    Parent(Cut),
    /// A cumulative criterion: one line, cut at `boxes` and `points`.
    Boxes(Cut),
    /// A criterion with options: the line of each option number (index 0:
    /// no option applies), cut at `points`.
    Options(Vec<Cut>),
}

/// A field whose value a dossier gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hole {
    Points,
    Boxes,
}

impl Hole {
    /// The field's name in the line's type.
    fn field(self) -> &'static str {
        match self {
            Hole::Points => "points",
            Hole::Boxes => "boxes",
        }
    }
}

/// A line's JSON with holes: `text[..at₀]`, hole 0, `text[at₀..at₁]`, hole 1,
/// …, `text[atₙ..]`.
#[derive(Debug)]
struct Cut {
    text: Box<str>,
    holes: Vec<(usize, Hole)>,
}

impl Cut {
    /// Renders `line` as serde writes it, cut at `holes` (in field order).
    fn new(line: &impl Serialize, holes: &[Hole]) -> Result<Cut, Error> {
        let fields: Vec<&'static str> = holes.iter().map(|h| h.field()).collect();
        let mut text = String::new();
        let mut at = Vec::with_capacity(holes.len());
        write_split(&mut text, line, &fields, |text, index| {
            let hole = holes
                .get(index)
                .copied()
                .ok_or_else(|| json_error("a hole"))?;
            at.push((text.len(), hole));
            Ok(())
        })?;
        Ok(Cut {
            text: text.into_boxed_str(),
            holes: at,
        })
    }

    /// Writes the line with its holes filled by `fill`.
    fn write(
        &self,
        out: &mut String,
        mut fill: impl FnMut(&mut String, Hole) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut from = 0;
        for &(at, hole) in &self.holes {
            out.push_str(self.text.get(from..at).unwrap_or_default());
            fill(out, hole)?;
            from = at;
        }
        out.push_str(self.text.get(from..).unwrap_or_default());
        Ok(())
    }
}

impl Fragments {
    /// Renders every line of `sheet`.
    fn build(sheet: &Sheet) -> Result<Fragments, Error> {
        let zero = rust_decimal::Decimal::ZERO;
        let points = [Hole::Points];
        let parts = part_spans(sheet)
            .map(|(part, _)| Cut::new(&part_score(part, zero), &points))
            .collect::<Result<_, _>>()?;
        let sections = section_spans(sheet)
            .map(|(part, section, _)| Cut::new(&section_score(part, section, zero), &points))
            .collect::<Result<_, _>>()?;
        let mut criteria = Vec::new();
        walk_criteria(sheet, &mut |line| {
            let criterion = line.criterion;
            let node = if !criterion.is_leaf() {
                Node::Parent(Cut::new(&line.score(None, zero), &points)?)
            } else if criterion.is_cumulative() {
                let holes = [Hole::Boxes, Hole::Points];
                Node::Boxes(Cut::new(&line.score(Some(0), zero), &holes)?)
            } else {
                let count = Pick::try_from(criterion.options().len())
                    .map_err(|_| json_error("an option count"))?;
                let lines = (0..=count)
                    .map(|pick| Cut::new(&line.score(Some(pick), zero), &points))
                    .collect::<Result<_, _>>()?;
                Node::Options(lines)
            };
            criteria.push(node);
            Ok(())
        })?;
        Ok(Fragments {
            parts,
            sections,
            criteria,
        })
    }

    /// The sheet's fragments, rendered on first use; `None` if they cannot be
    /// (a line serde cannot cut), and every line is then serialised whole.
    fn of(sheet: &Sheet) -> Option<&Fragments> {
        sheet
            .kernel()
            .fragments
            .0
            .get_or_init(|| Fragments::build(sheet).ok())
            .as_ref()
    }
}

/// Writes a JSON array of `items`, each written by `item`.
fn array<I>(
    out: &mut String,
    items: impl Iterator<Item = I>,
    mut item: impl FnMut(&mut String, I) -> Result<(), Error>,
) -> Result<(), Error> {
    out.push('[');
    for (index, each) in items.enumerate() {
        if index > 0 {
            out.push(',');
        }
        item(out, each)?;
    }
    out.push(']');
    Ok(())
}

/// Writes a line: its fragment with the points filled in, or serde's
/// serialisation of `whole` when there is no fragment.
fn line<T: Serialize>(
    out: &mut String,
    cut: Option<&Cut>,
    scored: &Scored,
    units: i64,
    whole: impl FnOnce() -> T,
) -> Result<(), Error> {
    match cut {
        Some(cut) => cut.write(out, |out, _| points(out, scored, units)),
        None => {
            out.push_str(&serde_json::to_string(&whole()).map_err(json)?);
            Ok(())
        }
    }
}

/// Writes the `parts` array ([`Assessment::parts`]).
fn write_parts(out: &mut String, sheet: &Sheet, _: &[Pick], scored: &Scored) -> Result<(), Error> {
    let mut cuts = Fragments::of(sheet).map(|f| f.parts.iter());
    array(out, part_spans(sheet), |out, (part, span)| {
        let cut = cuts.as_mut().and_then(Iterator::next);
        let units = scored.span(span);
        line(out, cut, scored, units, || {
            part_score(part, scored.mean(units))
        })
    })
}

/// Writes the `sections` array ([`Assessment::sections`]).
fn write_sections(
    out: &mut String,
    sheet: &Sheet,
    _: &[Pick],
    scored: &Scored,
) -> Result<(), Error> {
    let mut cuts = Fragments::of(sheet).map(|f| f.sections.iter());
    array(out, section_spans(sheet), |out, (part, section, span)| {
        let cut = cuts.as_mut().and_then(Iterator::next);
        let units = scored.span(span);
        line(out, cut, scored, units, || {
            section_score(part, section, scored.mean(units))
        })
    })
}

/// Writes the `criteria` array ([`Assessment::criteria`]).
fn write_criteria(
    out: &mut String,
    sheet: &Sheet,
    picks: &[Pick],
    scored: &Scored,
) -> Result<(), Error> {
    let mut nodes = Fragments::of(sheet).map(|f| f.criteria.iter());
    let mut first = true;
    out.push('[');
    walk_criteria(sheet, &mut |line| {
        if !first {
            out.push(',');
        }
        first = false;
        let node = nodes.as_mut().and_then(Iterator::next);
        let pick = line.pick(Some(picks));
        let units = scored.span(line.span);
        let (option, boxes, _) = line.answer(pick);
        let cut = match (node, option, &boxes) {
            (Some(Node::Parent(cut)), None, None) if !line.criterion.is_leaf() => Some(cut),
            (Some(Node::Boxes(cut)), None, Some(_)) => Some(cut),
            (Some(Node::Options(cuts)), Some(number), None) => cuts.get(usize::from(number)),
            _ => None,
        };
        match cut {
            Some(cut) => cut.write(out, |out, hole| match hole {
                Hole::Points => points(out, scored, units),
                Hole::Boxes => {
                    out.push_str(&serde_json::to_string(&boxes).map_err(json)?);
                    Ok(())
                }
            }),
            None => {
                let whole = line.score(pick, scored.mean(units));
                out.push_str(&serde_json::to_string(&whole).map_err(json)?);
                Ok(())
            }
        }
    })?;
    out.push(']');
    Ok(())
}

/// Writes the points of a line (`units` summed over the sheets scored) as
/// serde writes the decimal [`Scored::mean`] gives: a JSON string of the
/// normalised decimal, written straight from the units for a single sheet
/// (by the batch's one printer of kernel units, [`crate::batch::fixed`]).
fn points(out: &mut String, scored: &Scored, units: i64) -> Result<(), Error> {
    if scored.members <= 1 {
        out.push('"');
        crate::batch::fixed(out, units, SCALE);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(&scored.mean(units)).map_err(json)?);
    }
    Ok(())
}

fn json(err: serde_json::Error) -> Error {
    Error::Json {
        message: err.to_string(),
    }
}

fn json_error(what: &str) -> Error {
    Error::Json {
        message: format!("assessment JSON: {what} does not fit"),
    }
}

/// Writes `value`, a struct, as `serde_json::to_string` writes it, except
/// that the fields named in `holes` (in field order; each must be
/// serialised, not skipped) are written by `fill` (called with the hole's
/// index), after their `"name":`.
///
/// The fields between holes are serialised by serde with the holes left out
/// ([`Piece`]), each run as one JSON object whose braces are dropped: where a
/// hole goes is decided by the struct's own field order, never by looking in
/// the output (whose strings come from the dossier).
pub(crate) fn write_split<T: Serialize + ?Sized>(
    out: &mut String,
    value: &T,
    holes: &[&'static str],
    mut fill: impl FnMut(&mut String, usize) -> Result<(), Error>,
) -> Result<(), Error> {
    out.push('{');
    let mut any = false;
    for piece in 0..=holes.len() {
        let json_text = serde_json::to_string(&Piece {
            value,
            holes,
            piece,
        })
        .map_err(json)?;
        let body = json_text
            .strip_prefix('{')
            .and_then(|text| text.strip_suffix('}'))
            .ok_or_else(|| json_error("a struct that is not a JSON object"))?;
        if !body.is_empty() {
            if any {
                out.push(',');
            }
            out.push_str(body);
            any = true;
        }
        if let Some(hole) = holes.get(piece) {
            if any {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(hole).map_err(json)?);
            out.push(':');
            fill(out, piece)?;
            any = true;
        }
    }
    out.push('}');
    Ok(())
}

/// The run of `value`'s fields after hole `piece - 1` and before hole
/// `piece` (all fields after the last hole for `piece == holes.len()`),
/// serialised as a struct of those fields alone.
struct Piece<'a, T: ?Sized> {
    value: &'a T,
    holes: &'a [&'static str],
    piece: usize,
}

impl<T: Serialize + ?Sized> Serialize for Piece<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(PieceSerializer {
            inner: serializer,
            holes: self.holes,
            piece: self.piece,
        })
    }
}

/// Passes a struct's fields of one piece to `inner`; anything but a struct is
/// an error.
struct PieceSerializer<'a, S> {
    inner: S,
    holes: &'a [&'static str],
    piece: usize,
}

/// The struct being cut: `passed` holes seen so far.
struct PieceStruct<'a, S> {
    inner: S,
    holes: &'a [&'static str],
    piece: usize,
    passed: usize,
}

fn not_a_struct<E: ser::Error>() -> E {
    E::custom("only a struct's fields can be written in pieces")
}

impl<S: SerializeStruct> SerializeStruct for PieceStruct<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        if self.holes.get(self.passed) == Some(&key) {
            self.passed += 1;
            Ok(())
        } else if self.passed == self.piece {
            self.inner.serialize_field(key, value)
        } else {
            Ok(())
        }
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        if self.holes.get(self.passed) == Some(&key) {
            return Err(ser::Error::custom(format!(
                "field `{key}` is skipped: it cannot be a hole"
            )));
        }
        if self.passed == self.piece {
            self.inner.skip_field(key)?;
        }
        Ok(())
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        if let Some(missing) = self.holes.get(self.passed) {
            return Err(ser::Error::custom(format!(
                "the struct has no field `{missing}` (or not in that order)"
            )));
        }
        self.inner.end()
    }
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*);)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<S::Ok, S::Error> {
            Err(not_a_struct())
        })*
    };
}

impl<'a, S: Serializer> Serializer for PieceSerializer<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = PieceStruct<'a, S::SerializeStruct>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(PieceStruct {
            inner: self.inner.serialize_struct(name, len)?,
            holes: self.holes,
            piece: self.piece,
            passed: 0,
        })
    }

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(not_a_struct())
    }

    fn collect_str<T: Display + ?Sized>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_a_struct())
    }
}

#[cfg(test)]
mod tests {
    use super::write_split;

    #[derive(serde::Serialize)]
    struct Three {
        a: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<u8>,
        c: Vec<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        d: Option<u8>,
    }

    fn split(value: &Three, holes: &[&'static str]) -> Result<String, crate::Error> {
        let mut out = String::new();
        write_split(&mut out, value, holes, |out, index| {
            out.push_str(&format!("<{index}>"));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn holes_take_their_fields_place() {
        let value = Three {
            a: "\"{\"c\":[]}",
            b: None,
            c: vec![1],
            d: Some(4),
        };
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"a":"\"{\"c\":[]}","c":[1],"d":4}"#
        );
        assert_eq!(
            split(&value, &["c"]).unwrap(),
            r#"{"a":"\"{\"c\":[]}","c":<0>,"d":4}"#
        );
        assert_eq!(
            split(&value, &["a", "d"]).unwrap(),
            r#"{"a":<0>,"c":[1],"d":<1>}"#
        );
        assert_eq!(
            split(&value, &[]).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
        // A skipped field, a missing one or holes out of order are errors.
        assert!(split(&value, &["b"]).is_err());
        assert!(split(&value, &["e"]).is_err());
        assert!(split(&value, &["d", "a"]).is_err());
    }
}
