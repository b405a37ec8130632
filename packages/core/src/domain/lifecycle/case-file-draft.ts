/**
 * A working copy of a case file that events are recorded into in place.
 *
 * Recording an event as a pure function copies the whole file, and the record or list it adds to,
 * on every event: a cost that grows with the case (a long case's `actions` record is copied on
 * each event, quadratic over a replay). A draft copies the file once when it is made, and each
 * record or list the first time it changes (copy on write); later events change that copy in
 * place. The file it started from, and every record or list it still shares with it, are never
 * written.
 *
 * A draft belongs to one caller, who hands out `file` only when done recording: `applyEvent`
 * (a draft per event, the pure path) and `replay` (one draft for a whole stream).
 */
import type { CaseFile, ConsentOverride, PartnerReferral, PlannedAction } from './case-file.ts';
import type { Outcome } from '../events/catalogue.ts';
import type { ReviewFinding, ReviewItem } from '../vocabulary.ts';

/** The lists events append to. */
type ListKey = 'consentOverrides' | 'rectificationIds' | 'outcomes' | 'noteIds' | 'reminders';
/** The records events add entries to. */
type RecordKey = 'review' | 'actions' | 'partnerReferrals';

/** A bit per list or record: a draft per event (`applyEvent`) then costs no set. */
const bits: { readonly [K in ListKey | RecordKey]: number } = {
  consentOverrides: 1,
  rectificationIds: 2,
  outcomes: 4,
  noteIds: 8,
  reminders: 16,
  review: 32,
  actions: 64,
  partnerReferrals: 128,
};

/** The file's fields a reducer sets directly: every field but the lists and records the draft owns on write. */
export type DraftFields = Omit<CaseFile, ListKey | RecordKey>;

/** Sets `record[key]` as an own property: an id may be `__proto__`, which plain assignment would take for the prototype. */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** A case file being recorded into: see the module's comment. */
export class CaseFileDraft {
  readonly #file: CaseFile;
  /** The lists and records this draft copied, and may therefore change in place: one bit each (see `bits`). */
  #owned = 0;

  /** A draft starting from `from`, which it never writes. */
  constructor(from: CaseFile) {
    this.#file = { ...from };
  }

  /** The file as recorded so far. Hand it out only once done recording into this draft. */
  get file(): Readonly<CaseFile> {
    return this.#file;
  }

  /** The fields set directly (strings, numbers, values replaced whole). */
  get fields(): DraftFields {
    return this.#file;
  }

  /** Replaces the consent overrides with `overrides` (never written in place until copied). */
  replaceConsentOverrides(overrides: ConsentOverride[]): void {
    this.#file.consentOverrides = overrides;
    this.#owned &= ~bits.consentOverrides;
  }

  /** Appends a consent override. */
  appendConsentOverride(override: ConsentOverride): void {
    const file = this.#file;
    (this.#own('consentOverrides') ? file.consentOverrides : (file.consentOverrides = [...file.consentOverrides])).push(override);
  }

  /** Appends an outcome. */
  appendOutcome(outcome: Outcome): void {
    const file = this.#file;
    (this.#own('outcomes') ? file.outcomes : (file.outcomes = [...file.outcomes])).push(outcome);
  }

  /** Appends to one of the lists of ids or keys. */
  appendId(key: 'rectificationIds' | 'noteIds' | 'reminders', id: string): void {
    const file = this.#file;
    (this.#own(key) ? file[key] : (file[key] = [...file[key]])).push(id);
  }

  /** Whether the draft already owns `key`'s copy; from now on it does (the caller copies it when it did not). */
  #own(key: ListKey | RecordKey): boolean {
    const bit = bits[key];
    if ((this.#owned & bit) !== 0) return true;
    this.#owned |= bit;
    return false;
  }

  /** Records a finding of the administrative review. */
  setReviewFinding(item: ReviewItem, finding: ReviewFinding): void {
    if (!this.#own('review')) this.#file.review = { ...this.#file.review };
    this.#file.review[item] = finding;
  }

  /** Sets an action of the plan, by id. */
  setAction(actionId: string, action: PlannedAction): void {
    if (!this.#own('actions')) this.#file.actions = { ...this.#file.actions };
    setOwn(this.#file.actions, actionId, action);
  }

  /** Sets a partner referral, by id. */
  setPartnerReferral(referralId: string, referral: PartnerReferral): void {
    if (!this.#own('partnerReferrals')) this.#file.partnerReferrals = { ...this.#file.partnerReferrals };
    setOwn(this.#file.partnerReferrals, referralId, referral);
  }
}
