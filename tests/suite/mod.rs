mod cli;
mod editions;
mod errors;
mod golden;
mod props;
