/**
 * Carrying out a command's vault writes (see `sealPersonalData`) around its append, for the paths
 * where the store does not take them into its own transaction, and the shreds, which always run
 * once the erasure's event is appended.
 */
import type { PersonalDataVault } from './ports/personal-data-vault.ts';
import type { VaultWrite } from './seal-personal-data.ts';

/**
 * Writes the puts before the append, for a store that cannot take the entries into its own
 * transaction. A crash before the append leaves entries no event refers to: `undoPuts` cannot
 * run, and `sweepOrphanedPersonalData` removes them later.
 */
export async function writePutsFirst(vault: PersonalDataVault, writes: readonly VaultWrite[]): Promise<void> {
  for (const write of writes) if (write.kind === 'put') await vault.put(write.subjectRef, write.entry, write.value);
}

/** Undoes the puts of a command that was not appended (its shreds have not run yet). */
export async function undoPuts(vault: PersonalDataVault, writes: readonly VaultWrite[]): Promise<void> {
  for (const write of writes) {
    if (write.kind !== 'put') continue;
    if (write.newSubject) await vault.shred(write.subjectRef);
    else await vault.remove(write.subjectRef, write.entry);
  }
}

/** Runs the shreds of a command whose events are appended (destroying a key cannot be undone). */
export async function runShreds(vault: PersonalDataVault, writes: readonly VaultWrite[]): Promise<void> {
  for (const write of writes) if (write.kind === 'shred') await vault.shred(write.subjectRef);
}
