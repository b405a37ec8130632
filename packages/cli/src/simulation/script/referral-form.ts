/**
 * The first step of every case: the referral form, filled in with an invented person. Names are
 * drawn from short lists of common French names; the NIR, when the internal form carries one, has a
 * valid key so that the form passes validation like a real one.
 */
import { addDays, ageBandAt, type AgeBand, type ReferralFormInput } from '@misas/core';
import type { Random } from '../random.ts';
import type { ScriptContext, Step } from './timeline.ts';

const lastNames = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'Le Goff', 'Le Gall', 'Guillou', 'Morvan', 'Tanguy'];
const firstNames = ['Diego', 'Vanessa', 'Bernadette', 'Lou', 'Camille', 'Nathalie', 'Yannick', 'Sophie', 'Karim', 'Fatou', 'Marie', 'Jean', 'Gwenaëlle', 'Loïc', 'Sandrine', 'Mohamed', 'Céline', 'Pierre', 'Anne', 'Erwan'];

const detectorServices: Readonly<Record<string, readonly string[]>> = {
  'health-insurance-service': ['Accueil CPAM', 'Back office', 'Service social', 'Service médical', "Centre d'examens de santé"],
  'health-professional': ['Cabinet de médecine générale', 'Pharmacie', 'Centre hospitalier', 'Cabinet infirmier'],
  'external-partner': ['CCAS', 'CAF', 'France Travail', 'Restos du Cœur', 'Secours populaire', 'Mutuelle'],
  'reaching-out-query': ['Requête aller-vers'],
  'the-person': ['Demande de la personne'],
};

/** Youngest and oldest age of each band (the simulated people are adults). */
const bandAges: Readonly<Record<AgeBand, readonly [number, number]>> = {
  'under-18': [16, 17],
  '18-25': [18, 25],
  '26-39': [26, 39],
  '40-59': [40, 59],
  '60-69': [60, 69],
  '70-79': [70, 79],
  '80-plus': [80, 95],
};

function birthDateIn(random: Random, band: AgeBand, referralDate: string): string {
  const [youngest, oldest] = bandAges[band];
  // A birth date between the band's oldest and youngest age on the referral date.
  const latest = addDays(referralDate, -Math.ceil(youngest * 365.25) - 1);
  const birthDate = addDays(latest, -random.int(0, Math.floor((oldest - youngest + 1) * 365.25) - 2));
  // Leap years can push a date across a band's edge: the log keeps the band computed from it anyway.
  return ageBandAt(birthDate, referralDate) === band ? birthDate : latest;
}

/** A NIR with a valid key: sex, year and month of birth, department 22, commune and order drawn. */
function nirFor(random: Random, birthDate: string): string {
  const sex = random.pick(['1', '2']);
  const digits = `${sex}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}22${String(random.int(1, 999)).padStart(3, '0')}${String(random.int(1, 999)).padStart(3, '0')}`;
  const key = 97n - (BigInt(digits) % 97n);
  return `${digits}${String(key).padStart(2, '0')}`;
}

function phone(random: Random): string {
  return `0${random.pick(['2', '6', '7'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** The form of the case, and the `ReceiveReferral` step that brings it in at `at`. */
export function referralStep(context: ScriptContext, at: number): Step {
  const { plannedCase, random, calibration } = context;
  const { profile, referralDate } = plannedCase;
  const internal = profile.detectorKind === 'health-insurance-service' || profile.detectorKind === 'reaching-out-query';
  const birthDate = birthDateIn(random, profile.ageBand, referralDate);
  const lastName = random.pick(lastNames);
  const firstName = random.pick(firstNames);
  const person = {
    lastName,
    firstName,
    birthDate,
    phone: phone(random),
    ...(internal && random.chance(calibration.nirOnInternalForm) ? { nir: nirFor(random, birthDate) } : {}),
  };
  const alreadyStarted = random.chance(calibration.alreadyStartedChance) ? [random.pick(['c2s-application', 'ass-application'] as const)] : [];
  const common = {
    referralDate,
    detectionMode: profile.detectionMode,
    reasons: [...profile.reasons],
    detector: {
      kind: profile.detectorKind,
      name: profile.detectorKind === 'the-person' ? `${firstName} ${lastName}` : `${random.pick(firstNames)} ${random.pick(lastNames)}`,
      service: random.pick(detectorServices[profile.detectorKind] ?? ['Partenaire']),
    },
    alreadyStarted,
    ...(profile.careRenunciation
      ? {
          careRenunciation: {
            careTypes: [...profile.careRenunciation.careTypes],
            since: profile.careRenunciation.since,
            causes: [...profile.careRenunciation.causes],
          },
        }
      : {}),
    consent: profile.consent === 'signed' ? { kind: 'signed' as const, signedOn: referralDate } : { kind: 'remote-pending-confirmation' as const },
    objectsToEvaluation: random.chance(calibration.objectsToEvaluation),
  };
  const form: ReferralFormInput = internal ? { variant: 'internal', ...common, person } : { variant: 'external', ...common, person: { lastName, firstName, birthDate, phone: person.phone } };
  const channel =
    profile.detectorKind === 'reaching-out-query' ? 'reaching-out' : profile.detectorKind === 'the-person' ? 'self-referral' : internal ? 'internal-form' : 'external-form';
  return {
    at,
    command: {
      type: 'ReceiveReferral',
      actor: { role: 'detector', id: `detector-${profile.detectorKind}` },
      data: { fundId: plannedCase.fundId, channel, form },
    },
  };
}
