mod batch;
mod cli;
mod council;
mod editions;
mod errors;
mod golden;
mod hostile;
mod props;
mod reform;
mod report;
#[allow(dead_code)]
#[path = "../../benches/support/corpus.rs"]
mod corpus;
