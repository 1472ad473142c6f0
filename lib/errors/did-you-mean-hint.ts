/** The end of a message when a close name exists: ` (did you mean "user-utils"?)`; empty otherwise, so the message stays exact. */
export function didYouMeanHint(didYouMean: string | undefined): string {
  return didYouMean === undefined ? '' : ` (did you mean "${didYouMean}"?)`;
}
