mod batch;
mod cli;
mod council;
mod editions;
mod errors;
mod golden;
mod props;
mod report;
