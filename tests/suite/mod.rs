mod batch;
mod cli;
#[allow(dead_code)]
#[path = "../../benches/support/corpus.rs"]
mod corpus;
mod council;
mod drafts;
mod editions;
mod errors;
mod golden;
mod hostile;
mod kernel;
mod props;
mod reform;
mod report;
mod schemas;
mod streams;
