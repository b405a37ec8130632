/**
 * The simulated log copied into a SQLite file, event for event and position for position, so that
 * both sides of the comparison read the very log the in-memory figure replays.
 */
import { join } from 'node:path';
import { openSqliteStorage, type SqliteStorage } from '@misas/adapters';
import { EventMetadata, type NewEvent, type StoredEvent } from '@misas/core';

/** One command's append: the consecutive events of a case that share a command id. */
interface CommandGroup {
  readonly streamId: string;
  readonly commandId: string;
  readonly expectedVersion: number;
  readonly events: NewEvent[];
}

function commandGroups(records: readonly StoredEvent[]): CommandGroup[] {
  const groups: CommandGroup[] = [];
  let current: CommandGroup | undefined;
  for (const record of records) {
    const meta = EventMetadata.parse(record.meta);
    if (current === undefined || current.streamId !== meta.caseId || current.commandId !== meta.commandId) {
      current = { streamId: meta.caseId, commandId: meta.commandId, expectedVersion: meta.version - 1, events: [] };
      groups.push(current);
    }
    current.events.push({ type: record.type, data: record.data, meta });
  }
  return groups;
}

/**
 * Opens a SQLite storage under `workDir` holding `records`, appended command by command through
 * the event store (in one write batch: setup is not what is measured).
 * @throws Error when the copy's positions differ from the original's
 */
export async function sqliteCopyOf(records: readonly StoredEvent[], workDir: string): Promise<{ readonly storage: SqliteStorage; readonly path: string }> {
  const path = join(workDir, 'rebuild.db');
  const storage = await openSqliteStorage({ path });
  await storage.writeBatch(async () => {
    for (const group of commandGroups(records)) await storage.events.append(group);
  });
  const head = await storage.events.headPosition();
  if (head !== records.length) throw new Error(`rebuild: the SQLite copy holds ${head} events, the log ${records.length}`);
  return { storage, path };
}
