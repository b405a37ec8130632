// The referral form the checks file: an external partner's form (it never carries a NIR).
import type { ReferralFormInput } from '@misas/core';

export const form: ReferralFormInput = {
  variant: 'external',
  referralDate: '2026-03-02',
  detectionMode: 'face-to-face',
  reasons: ['rights-access'],
  person: { lastName: 'Durand', firstName: 'Lou', birthDate: '1990-05-17' },
  detector: { kind: 'external-partner', name: 'A. Morvan', service: 'CCAS de Lannion' },
  consent: { kind: 'signed', signedOn: '2026-03-02' },
};
