/**
 * The commands that follow the administrative review after its step: update a finding, and record
 * the placeholder GP number set when the GP rule offers no GP search.
 */
import { z } from 'zod';
import { defineCommand } from './command-envelope.ts';
import { ReviewFinding, ReviewItem } from './vocabulary.ts';

export const UpdateReviewFinding = defineCommand(
  'UpdateReviewFinding',
  'Change a finding of the completed administrative review, at any later open step (e.g. a right opened since: `in-order`).',
  z.strictObject({ item: ReviewItem, finding: ReviewFinding }),
);
export const RecordPlaceholderGp = defineCommand(
  'RecordPlaceholderGp',
  'Record that the placeholder GP number was set in the person’s file (on the day of `occurredAt`), once the GP rule offered no GP search.',
  z.strictObject({}),
);

/** The review follow-up commands, registered in `CaseCommand`. */
export const reviewCommands = [UpdateReviewFinding, RecordPlaceholderGp] as const;
