/**
 * Prints the plain closing line `N passed, N failed, N skipped` after Jest's own summary,
 * so tools that read test counts from the last line understand the run.
 */
export default class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(`\n${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}
