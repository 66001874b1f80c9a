//! Every label a printer writes, once: Vietnamese (the reports and forms a
//! council prints) and English (the command line's text view).

use crate::assess::DisqualificationKind;
use crate::dossier::Level;
use crate::rubric::{Action, CertificateKind};

/// A label of a document. [`Label::vi`] and [`Label::en`] give its two texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Label {
    /// The heading of a result.
    ResultTitle,
    /// "Bộ sản phẩm" in a sheet's heading.
    ProductSet,
    /// "Sản phẩm" in a blank form's subtitle.
    ProductGroup,
    /// "Nhóm" in a blank form's subtitle.
    Subgroup,
    /// The product's name.
    Product,
    /// The product's code.
    Code,
    /// The code as a blank form asks for it.
    CodeToFill,
    /// The producer.
    Producer,
    /// The producer as a blank form asks for it.
    ProducerToFill,
    /// A phone number (blank form).
    Phone,
    /// An address (blank form).
    Address,
    /// The sheet scored.
    Sheet,
    /// The edition.
    Edition,
    /// How the edition was chosen.
    EditionChosen,
    /// The hash of the edition's data.
    RubricHash,
    /// The council's level.
    Level,
    /// The round of evaluation.
    Round,
    /// The day of the evaluation.
    EvaluatedOn,
    /// The member who filled a sheet.
    Member,
    /// The council's members and their totals.
    Members,
    /// "members" after a count.
    MembersCount,
    /// A member's total.
    MemberTotal,
    /// A rank from the bands alone.
    BandRank,
    /// The final rank.
    FinalRank,
    /// The spread of the members' totals.
    Spread,
    /// "points" after a number.
    PointsUnit,
    /// The spread's limit.
    Limit,
    /// The spread is within its limit.
    WithinLimit,
    /// The spread exceeds its limit.
    Exceeded,
    /// The criterion column.
    Criteria,
    /// The option chosen column.
    OptionChosen,
    /// The points column.
    Points,
    /// The maximum column.
    Max,
    /// The scale column of a blank form.
    Scale,
    /// The star-mark column.
    StarMark,
    /// A star mark met.
    MarkMet,
    /// A star mark missed.
    MarkMissed,
    /// No option applies (option 0).
    NoneApplies,
    /// A council's mean: the members' options.
    Mean,
    /// Boxes ticked on a cumulative criterion.
    Boxes,
    /// "Yêu cầu" before a requirement.
    Requirement,
    /// The parts' table.
    PartsTable,
    /// A part.
    Part,
    /// The total.
    Total,
    /// A council's total: the members' mean.
    MeanTotal,
    /// The unmet star marks.
    UnmetMarks,
    /// The rank a mark is printed for.
    MarkRank,
    /// The marked option.
    Required,
    /// Points the mark needs.
    Needs,
    /// Points the product has.
    Has,
    /// A minimum set outside the sheet.
    GateOutside,
    /// Why the final rank is below the band's.
    LoweredBy,
    /// The rank was lowered by unmet star marks.
    LoweredByMarks,
    /// The rules that fired.
    Rules,
    /// "Hồ sơ bị loại khi" (the sheet's rule).
    DisqualifiedWhen,
    /// Criteria that do not apply.
    NotApplicable,
    /// "because of" before the criterion that rules another out.
    Because,
    /// The warnings.
    Warnings,
    /// The outcome.
    Outcome,
    /// Who acts on the outcome.
    By,
    /// To whom it goes.
    To,
    /// The policies applied.
    Policies,
    /// The band policy.
    Bands,
    /// The rounding.
    Rounding,
    /// How marks are read.
    MarkReading,
    /// "Ý kiến của người đánh giá".
    Comment,
    /// The place and date line of a signature.
    PlaceDate,
    /// "THƯ KÝ HỘI ĐỒNG".
    Secretary,
    /// "CHỦ TỊCH HỘI ĐỒNG".
    Chair,
    /// "NGƯỜI ĐÁNH GIÁ".
    Assessor,
    /// "(Ký, ghi rõ họ tên)".
    SignHere,
    /// "TỔNG CỘNG".
    GrandTotal,
    /// No rank.
    NoRank,
    /// "sao" after a number of stars.
    StarsUnit,
    /// The dossier rejected by the council.
    KindDossier,
    /// A knock-out rule.
    KindKnockOut,
    /// A stop rule.
    KindStop,
    /// "criterion" before an id.
    CriterionWord,
    /// District level.
    District,
    /// Province level.
    Province,
    /// Central level.
    Central,
    /// Action: recognise.
    Recognise,
    /// Action: propose.
    Propose,
    /// Action: return.
    Return,
    /// Action: none.
    NoAction,
    /// No certificate.
    NoCertificate,
    /// Certified by the province.
    CertifiedProvince,
    /// Certified by the ministry.
    CertifiedMinistry,
    /// The edition was named by the dossier.
    ChosenExplicit,
    /// The edition in force on a day.
    ChosenDate,
    /// A transition rule kept an earlier edition.
    ChosenTransition,
    /// "round" before its number.
    RoundWord,
    /// "year" before a year.
    YearWord,
    /// "proposed before".
    ProposedBefore,
}

impl Label {
    /// The Vietnamese text.
    pub fn vi(self) -> &'static str {
        self.texts().0
    }

    /// The English text.
    pub fn en(self) -> &'static str {
        self.texts().1
    }

    /// The one table: (Vietnamese, English).
    fn texts(self) -> (&'static str, &'static str) {
        use Label::*;
        match self {
            ResultTitle => (
                "Kết quả đánh giá, phân hạng sản phẩm OCOP",
                "OCOP assessment",
            ),
            ProductSet => ("Bộ sản phẩm", "Product set"),
            ProductGroup => ("Sản phẩm", "Products"),
            Subgroup => ("Nhóm", "Group"),
            Product => ("Tên sản phẩm", "Product"),
            Code => ("Mã số sản phẩm", "Code"),
            CodeToFill => ("Mã số sản phẩm (T)-(X)-(STT)-20…", "Code (T)-(X)-(STT)-20…"),
            Producer => ("Chủ thể", "Producer"),
            ProducerToFill => ("Tên chủ thể sản xuất", "Producer"),
            Phone => ("Số điện thoại", "Phone"),
            Address => ("Địa chỉ", "Address"),
            Sheet => ("Bộ sản phẩm", "Sheet"),
            Edition => ("Bộ tiêu chí", "Edition"),
            EditionChosen => ("Căn cứ áp dụng", "Edition chosen"),
            RubricHash => ("Mã dữ liệu", "Data hash"),
            Level => ("Cấp đánh giá", "Level"),
            Round => ("Đợt đánh giá", "Round"),
            EvaluatedOn => ("Ngày đánh giá", "Evaluated on"),
            Member => ("Thành viên", "Member"),
            Members => ("Điểm của thành viên hội đồng", "Council"),
            MembersCount => ("thành viên", "members"),
            MemberTotal => ("Tổng điểm", "Total"),
            BandRank => ("Hạng theo thang điểm", "Band rank"),
            FinalRank => ("Hạng", "Final rank"),
            Spread => ("Chênh lệch giữa các thành viên", "Spread"),
            PointsUnit => ("điểm", "points"),
            Limit => ("giới hạn", "limit"),
            WithinLimit => ("trong giới hạn", "within the limit"),
            Exceeded => (
                "vượt giới hạn, hội đồng cần chấm lại",
                "EXCEEDED, the council should re-score",
            ),
            Criteria => ("Các tiêu chí", "Criteria"),
            OptionChosen => ("Phương án đã chọn", "Option chosen"),
            Points => ("Điểm", "Points"),
            Max => ("Tối đa", "Max"),
            Scale => ("Thang điểm", "Scale"),
            StarMark => ("Dấu sao", "Star mark"),
            MarkMet => ("đạt", "met"),
            MarkMissed => ("chưa đạt", "missed"),
            NoneApplies => ("không phương án nào phù hợp", "none applies"),
            Mean => (
                "trung bình; phương án của từng thành viên",
                "mean; the members' options",
            ),
            Boxes => ("ô đã đánh dấu", "boxes ticked"),
            Requirement => ("Yêu cầu", "Yêu cầu"),
            PartsTable => ("Điểm theo phần", "Parts"),
            Part => ("Phần", "Phần"),
            Total => ("Tổng điểm", "TỔNG CỘNG"),
            MeanTotal => ("Tổng điểm trung bình", "TỔNG CỘNG"),
            UnmetMarks => ("Tiêu chí chưa đạt mức tối thiểu", "Unmet star marks"),
            MarkRank => ("Hạng", "Rank"),
            Required => ("Yêu cầu", "Required"),
            Needs => ("Cần", "Needs"),
            Has => ("Có", "Has"),
            GateOutside => (
                "mức tối thiểu quy định ngoài phiếu",
                "minimum set outside the sheet",
            ),
            LoweredBy => ("Lý do hạng thấp hơn hạng theo điểm", "Lowered by"),
            LoweredByMarks => (
                "chưa đạt mức tối thiểu (dấu sao) tại tiêu chí",
                "unmet star marks on",
            ),

            Rules => ("Quy định đã áp dụng", "Rules applied"),
            DisqualifiedWhen => ("Hồ sơ bị loại khi", "Hồ sơ bị loại khi"),
            NotApplicable => ("Tiêu chí không áp dụng", "Not applicable"),
            Because => ("do tiêu chí", "because of"),
            Warnings => ("Lưu ý", "Warnings"),
            Outcome => ("Kết quả xử lý", "Outcome"),
            By => ("thực hiện", "by"),
            To => ("gửi", "to"),
            Policies => ("Cách tính", "Policies"),
            Bands => ("thang điểm", "bands"),
            Rounding => ("làm tròn", "rounding"),
            MarkReading => ("dấu sao", "star marks"),
            Comment => ("Ý kiến của người đánh giá", "Comment"),
            PlaceDate => ("……………, ngày …… tháng …… năm ……", "……, on ……"),
            Secretary => ("THƯ KÝ HỘI ĐỒNG", "SECRETARY OF THE COUNCIL"),
            Chair => ("CHỦ TỊCH HỘI ĐỒNG", "CHAIR OF THE COUNCIL"),
            Assessor => ("NGƯỜI ĐÁNH GIÁ", "ASSESSOR"),
            SignHere => ("(Ký, ghi rõ họ tên)", "(signature and full name)"),
            GrandTotal => ("TỔNG CỘNG", "TỔNG CỘNG"),
            NoRank => ("không xếp hạng", "no rank"),
            StarsUnit => ("sao", "★"),
            KindDossier => ("hồ sơ bị loại", "dossier rejected"),
            KindKnockOut => ("bị loại", "knock-out"),
            KindStop => ("dừng đánh giá", "evaluation stopped"),
            CriterionWord => ("tiêu chí", "criterion"),
            District => ("cấp huyện", "district"),
            Province => ("cấp tỉnh", "province"),
            Central => ("cấp trung ương", "central"),
            Recognise => ("công nhận", "recognise"),
            Propose => ("đề nghị cấp trên", "propose"),
            Return => ("trả về cấp tỉnh", "return"),
            NoAction => ("không công nhận", "none"),
            NoCertificate => ("không cấp giấy chứng nhận", "no certificate"),
            CertifiedProvince => ("UBND cấp tỉnh công nhận", "certified by the province"),
            CertifiedMinistry => ("Bộ công nhận", "certified by the ministry"),
            ChosenExplicit => ("do hồ sơ chỉ định", "named by the dossier"),
            ChosenDate => ("có hiệu lực vào ngày", "in force on"),
            ChosenTransition => ("quy định chuyển tiếp", "transition rule of"),
            RoundWord => ("đợt", "round"),
            YearWord => ("năm", "of"),
            ProposedBefore => ("đề nghị trước ngày", "proposed before"),
        }
    }

    /// The label of a council level.
    pub fn level(level: Level) -> Label {
        match level {
            Level::District => Label::District,
            Level::Province => Label::Province,
            Level::Central => Label::Central,
        }
    }

    /// The label of an outcome's action.
    pub fn action(action: Action) -> Label {
        match action {
            Action::Recognise => Label::Recognise,
            Action::Propose => Label::Propose,
            Action::Return => Label::Return,
            Action::None => Label::NoAction,
        }
    }

    /// The label of a certificate.
    pub fn certificate(kind: CertificateKind) -> Label {
        match kind {
            CertificateKind::None => Label::NoCertificate,
            CertificateKind::Province => Label::CertifiedProvince,
            CertificateKind::Ministry => Label::CertifiedMinistry,
        }
    }

    /// The label of a disqualification's kind.
    pub fn disqualification(kind: DisqualificationKind) -> Label {
        match kind {
            DisqualificationKind::Dossier => Label::KindDossier,
            DisqualificationKind::KnockOut => Label::KindKnockOut,
            DisqualificationKind::Stop => Label::KindStop,
        }
    }
}

/// A rank for people, in Vietnamese: `3 sao (★★★)` or `không xếp hạng`.
pub fn stars_vi(rank: u8) -> String {
    match rank {
        0 => Label::NoRank.vi().to_string(),
        n => format!(
            "{n} {} ({})",
            Label::StarsUnit.vi(),
            "★".repeat(usize::from(n))
        ),
    }
}

/// A rank for the command line: `3★` or `no rank`.
pub fn stars_en(rank: u8) -> String {
    match rank {
        0 => Label::NoRank.en().to_string(),
        n => format!("{n}★"),
    }
}

/// A detail's value in Vietnamese (`en` false) or English.
pub fn value(value: &super::model::Value, en: bool) -> String {
    use super::model::Value;
    let pick = |label: Label| if en { label.en() } else { label.vi() };
    match value {
        Value::Text(text) => text.clone(),
        Value::Level(level) => pick(Label::level(*level)).to_string(),
        Value::Round(r) => format!(
            "{} {} {} {} ({}; {} {}; {})",
            pick(Label::RoundWord),
            r.number,
            pick(Label::YearWord),
            r.year,
            pick(Label::level(r.level)),
            pick(Label::ProposedBefore),
            r.proposed_before,
            r.cite
        ),
        Value::Choice(choice) => match choice {
            crate::assess::EditionChoice::Explicit => pick(Label::ChosenExplicit).to_string(),
            crate::assess::EditionChoice::Date { evaluated_on } => {
                format!("{} {evaluated_on}", pick(Label::ChosenDate))
            }
            crate::assess::EditionChoice::Transition {
                evaluated_on,
                filed_on,
                cite,
            } => format!(
                "{} {cite} ({filed_on} → {evaluated_on})",
                pick(Label::ChosenTransition)
            ),
        },
    }
}

/// A disqualification in one line, in Vietnamese (`en` false) or English:
/// its kind, the criterion, the rule as printed, the council's reason, the cite.
pub fn disqualified(d: &crate::assess::Disqualification, en: bool) -> String {
    let pick = |label: Label| if en { label.en() } else { label.vi() };
    let mut line = pick(Label::disqualification(d.kind)).to_string();
    if let Some(criterion) = &d.criterion {
        line.push_str(&format!(", {} {criterion}", pick(Label::CriterionWord)));
    }
    if let Some(rule) = &d.rule {
        line.push_str(&format!(": \"{rule}\""));
    }
    if let Some(reason) = &d.reason {
        line.push_str(&format!(" — {reason}"));
    }
    if let Some(cite) = &d.cite {
        line.push_str(&format!(" ({cite})"));
    }
    line
}

/// An outcome in one line, in Vietnamese (`en` false) or English.
pub fn outcome(o: &crate::assess::Outcome, en: bool) -> String {
    let pick = |label: Label| if en { label.en() } else { label.vi() };
    let mut line = format!(
        "{}: {} — {} {}",
        pick(Label::level(o.level)),
        pick(Label::action(o.action)),
        pick(Label::By),
        o.by
    );
    if let Some(to) = &o.to {
        line.push_str(&format!(", {} {to}", pick(Label::To)));
    }
    line.push_str(&format!(": \"{}\" ({})", o.text, o.cite));
    line
}

/// Why a final rank is below the band's, in Vietnamese (`en` false) or English.
pub fn lowered(lowered: &super::model::Lowered, en: bool) -> String {
    use super::model::Lowered;
    let pick = |label: Label| if en { label.en() } else { label.vi() };
    match lowered {
        Lowered::Marks(ids) => format!("{}: {}", pick(Label::LoweredByMarks), ids.join(", ")),
        Lowered::Rule(kind, criterion) => {
            let mut line = pick(Label::disqualification(*kind)).to_string();
            if let Some(id) = criterion {
                line.push_str(&format!(", {} {id}", pick(Label::CriterionWord)));
            }
            line
        }
    }
}
