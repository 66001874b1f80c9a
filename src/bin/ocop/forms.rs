//! `ocop form` and `ocop self-assess`: the forms of Phụ lục III (QĐ 26/2026).

use ocop::forms::{FormData, FormNumber};
use ocop::{Dossier, Error};

use super::summary::PageFormat;

/// Reads `01`, `02` or `03`.
pub fn parse_form(text: &str) -> Result<FormNumber, String> {
    FormNumber::parse(text).ok_or_else(|| {
        format!("`{text}` is not a form of Phụ lục III: 01 (phiếu đăng ký), 02 (báo cáo tự đánh giá) or 03 (báo cáo của UBND xã)")
    })
}

/// `ocop form NN [--dossier FILE]`: the form, blank or filled from a dossier
/// (Mẫu 02 with the dossier's answers self-scored in its Phần III).
pub fn form(number: FormNumber, dossier: Option<&str>, html: bool) -> Result<String, Error> {
    let data = match dossier {
        Some(file) => {
            let dossier = Dossier::from_json(&super::read_input(file)?)?;
            let mut data = FormData::from_dossier(&dossier)?;
            if number == FormNumber::SelfAssessment {
                data.self_assessment = Some(ocop::forms::self_assess(&dossier, None)?);
            }
            data
        }
        None => FormData::default(),
    };
    Ok(if html {
        ocop::forms::html(number, &data)
    } else {
        ocop::forms::markdown(number, &data)
    })
}

/// `ocop self-assess DOSSIER [--council ASSESSMENT]`: Mẫu 02 with its Phần III
/// filled, and the council's scores beside the producer's.
pub fn self_assess(
    dossier: &str,
    council: Option<&str>,
    format: PageFormat,
) -> Result<String, Error> {
    let dossier = Dossier::from_json(&super::read_input(dossier)?)?;
    let council = match council {
        Some(file) => {
            let value = ocop::dossier::parse_json(&super::read_input(file)?)?;
            Some(ocop::report::load(&value)?)
        }
        None => None,
    };
    let scores = ocop::forms::self_assess(&dossier, council.as_ref())?;
    let mut data = FormData::from_dossier(&dossier)?;
    data.self_assessment = Some(scores);
    Ok(match format {
        PageFormat::Json => super::json(&data),
        PageFormat::Md => ocop::forms::markdown(FormNumber::SelfAssessment, &data),
        PageFormat::Html => ocop::forms::html(FormNumber::SelfAssessment, &data),
    })
}
