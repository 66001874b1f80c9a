mod assessment_json;
mod batch;
mod certificate;
mod cli;
#[allow(dead_code)]
#[path = "../../benches/support/corpus.rs"]
mod corpus;
mod council;
mod drafts;
mod editions;
mod errors;
mod forms;
mod golden;
mod hostile;
mod kernel;
mod law;
mod mutations;
mod props;
mod reform;
mod register;
mod report;
mod schemas;
mod streams;
mod summary;

/// For a test that needs something outside the repository (a browser, the
/// reference folder): true when `present`. When it is absent the test fails if
/// the environment variable `CI` is set (.ci/run sets it), and otherwise is
/// skipped with a message on stderr.
fn needs(present: bool, what: &str) -> bool {
    if present {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is missing and CI is set: this test must run in CI"
    );
    eprintln!("skipped: {what} is missing (set CI=1 to make this a failure)");
    false
}
