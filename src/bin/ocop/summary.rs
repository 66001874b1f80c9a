//! `ocop summary`: the province summary of batch results or stored assessments.

use clap::ValueEnum;
use ocop::Error;
use ocop::summary::{By, Options, Summary};

/// How `summary` and `self-assess` print.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PageFormat {
    /// Markdown.
    Md,
    /// Self-contained A4 HTML.
    Html,
    /// The struct as JSON.
    Json,
}

/// `--by`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Sheet,
    Group,
    District,
    Round,
}

impl From<ByArg> for By {
    fn from(by: ByArg) -> By {
        match by {
            ByArg::Sheet => By::Sheet,
            ByArg::Group => By::Group,
            ByArg::District => By::District,
            ByArg::Round => By::Round,
        }
    }
}

/// Reads a share in 0..=1, e.g. `0.8`.
pub fn parse_share(text: &str) -> Result<rust_decimal::Decimal, String> {
    let value: rust_decimal::Decimal = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a decimal number such as 0.8"))?;
    if value.is_sign_negative() || value > rust_decimal::Decimal::ONE {
        return Err(format!("`{text}` is not a share between 0 and 1"));
    }
    Ok(value)
}

/// Builds the summary of the files (`-`: standard input), read in order.
pub fn run(
    files: &[String],
    by: Option<ByArg>,
    target: rust_decimal::Decimal,
    format: PageFormat,
) -> Result<String, Error> {
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        inputs.push(super::open_input(file)?);
    }
    let records = inputs.into_iter().flat_map(|input| {
        ocop::summary::records(std::io::BufReader::with_capacity(1 << 16, input))
    });
    let summary = Summary::try_build(
        records,
        Options {
            by: by.map(By::from),
            target,
        },
    )?;
    Ok(match format {
        PageFormat::Json => super::json(&summary),
        PageFormat::Md => ocop::summary::markdown(&summary),
        PageFormat::Html => ocop::summary::html(&summary),
    })
}
