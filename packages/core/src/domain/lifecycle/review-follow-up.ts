/**
 * What the review follow-up commands propose, and their rules: a finding is updated only once the
 * review is complete (before, `RecordReviewItem` records it) and only when it changes (no command
 * silently does nothing); the placeholder GP number only when the GP rule said so, and once.
 */
import type { Proposer } from './proposal.ts';
import type { RuleBook } from './rule-types.ts';

type ReviewFollowUpType = 'UpdateReviewFinding' | 'RecordPlaceholderGp';

/** The events each review follow-up command proposes. */
export const reviewFollowUpProposers: { readonly [T in ReviewFollowUpType]: Proposer<T> } = {
  UpdateReviewFinding: ({ command, file }) => {
    const previous = file.review[command.data.item];
    return [{ type: 'ReviewFindingUpdated', data: { ...command.data, ...(previous === undefined ? {} : { previous }) } }];
  },
  RecordPlaceholderGp: ({ today }) => [{ type: 'PlaceholderGpRecorded', data: { setOn: today } }],
};

/** The rules of the review follow-up commands. */
export const reviewFollowUpRules: RuleBook = {
  UpdateReviewFinding: [
    {
      name: 'review-completed',
      description: 'A finding is updated after the administrative review; during it, RecordReviewItem records it.',
      check: (_command, { file }) =>
        file.reviewCompletedAt === null ? 'the administrative review is not complete: record the finding with RecordReviewItem' : undefined,
    },
    {
      name: 'review-finding-changes',
      description: 'An update changes the finding: the same finding again would do nothing.',
      check: (command, { file }) =>
        file.review[command.data.item] === command.data.finding
          ? `${command.data.item} is already ${command.data.finding}: send the finding that changed`
          : undefined,
    },
  ],
  RecordPlaceholderGp: [
    {
      name: 'placeholder-gp-due',
      description: 'The placeholder GP number is set only when the GP rule offered no GP search (AssessGpSearch: placeholder-gp-and-letter).',
      check: (_command, { file }) =>
        file.gpSearch?.outcome !== 'placeholder-gp-and-letter'
          ? 'the GP rule did not call for a placeholder GP number: assess the GP search first (AssessGpSearch)'
          : undefined,
    },
    {
      name: 'placeholder-gp-once',
      description: 'The placeholder GP number is recorded once per case.',
      check: (_command, { file }) =>
        file.placeholderGpSetOn === null ? undefined : `the placeholder GP number was already recorded on ${file.placeholderGpSetOn}`,
    },
  ],
};
