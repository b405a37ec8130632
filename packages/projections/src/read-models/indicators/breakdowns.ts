/**
 * The dimensions an indicator report can be broken down by, as data: how a row falls into groups,
 * and what that means, for the code and for `docs/indicators.md` alike.
 */
import type { CaseRegisterRow } from '../register/register-row.ts';

/** Ids of the breakdown dimensions. */
export type BreakdownDimension = 'fund' | 'detectorKind' | 'reason' | 'careType' | 'renunciationDuration' | 'renunciationCause';

/** One dimension: the groups a row belongs to, and its meaning. */
export interface BreakdownDefinition {
  readonly id: BreakdownDimension;
  readonly label: string;
  /** Whether a row may fall in several groups (the groups then add up to more than the whole). */
  readonly multiValued: boolean;
  readonly definition: string;
  readonly groupsOf: (row: CaseRegisterRow) => readonly string[];
}

/** The group of the rows for which a back-of-form field was left empty (no care given up). */
export const noneGroup = 'none';

const orNone = (values: readonly string[]) => (values.length === 0 ? [noneGroup] : values);

/** Every breakdown dimension, in the order of the documentation. */
export const breakdownDefinitions: readonly BreakdownDefinition[] = [
  { id: 'fund', label: 'Fund', multiValued: false, definition: 'The fund (CPAM) that received the referral.', groupsOf: (row) => [row.fundId] },
  { id: 'detectorKind', label: 'Detector kind', multiValued: false, definition: 'The kind of detector on the referral form.', groupsOf: (row) => [row.detectorKind] },
  {
    id: 'reason',
    label: 'Referral reason',
    multiValued: true,
    definition: 'Each reason ticked on the referral form: a case with several reasons counts in each of their groups.',
    groupsOf: (row) => row.reasons,
  },
  {
    id: 'careType',
    label: 'Care type given up',
    multiValued: true,
    definition: "Each type of care given up (back of the form); 'none' when no care renunciation was filled in.",
    groupsOf: (row) => orNone(row.careTypes),
  },
  {
    id: 'renunciationDuration',
    label: 'Renunciation duration',
    multiValued: false,
    definition: "Since when care is given up; 'none' when no care renunciation was filled in.",
    groupsOf: (row) => [row.renunciationSince ?? noneGroup],
  },
  {
    id: 'renunciationCause',
    label: 'Renunciation cause',
    multiValued: true,
    definition: "Each cause of the renunciation; 'none' when no care renunciation was filled in.",
    groupsOf: (row) => orNone(row.renunciationCauses),
  },
];

/** The definition of one dimension. */
export function breakdownDefinition(id: BreakdownDimension): BreakdownDefinition {
  const found = breakdownDefinitions.find((definition) => definition.id === id);
  if (found === undefined) throw new RangeError(`unknown breakdown dimension '${String(id)}'`);
  return found;
}
