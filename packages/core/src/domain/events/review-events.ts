/**
 * The administrative review after its step: a finding updated later (a right opened since changes
 * the picture), and the placeholder GP number the GP rule calls for (seed 003: "un n° de médecin
 * fictif est noté dans le dossier"). The letter that goes with it is issue 15's item 1.
 */
import { z } from 'zod';
import { BusinessDay } from '../business-dates.ts';
import { ReviewFinding, ReviewItem } from '../vocabulary.ts';
import { defineEvent } from './define-event.ts';

export const ReviewFindingUpdated = defineEvent(
  'ReviewFindingUpdated',
  1,
  'A finding of the completed administrative review was changed at a later open step (e.g. a right opened since: the item no longer needs action). `previous` is the finding it replaces.',
  z.strictObject({ item: ReviewItem, finding: ReviewFinding, previous: ReviewFinding.optional() }),
);

export const PlaceholderGpRecorded = defineEvent(
  'PlaceholderGpRecorded',
  1,
  'The GP rule offered no GP search, so the counsellor set the placeholder GP number in the person’s file ("n° de médecin fictif", seed 003) on `setOn`.',
  z.strictObject({ setOn: BusinessDay }),
);

/** The review follow-up events, registered in the catalogue. */
export const reviewEventDefinitions = [ReviewFindingUpdated, PlaceholderGpRecorded] as const;
