/**
 * A writer process of the PostgreSQL suite (started by `WriterFleet`, never by hand). It waits for
 * a job, prepares it — connections, plan, rows: everything that is not the measured work — says
 * `ready`, and runs it at `go`; then it waits for the next job. The process lives across jobs, so
 * start-up and module loading are paid once, outside every measurement.
 */
import { prepareLimit } from './limit-writer.ts';
import { prepareOurs, type PreparedJob } from './ours-writer.ts';
import { isToWriter, type FromWriter, type WriterJob } from './protocol.ts';

function send(message: FromWriter): void {
  process.send?.(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function prepare(job: WriterJob): Promise<PreparedJob> {
  return job.side === 'ours' ? prepareOurs(job) : prepareLimit(job);
}

let prepared: PreparedJob | undefined;

process.on('message', (message: unknown) => {
  if (!isToWriter(message)) {
    send({ kind: 'failed', message: `unexpected message: ${JSON.stringify(message)}` });
    return;
  }
  switch (message.kind) {
    case 'prepare':
      prepare(message.job).then(
        (job) => {
          prepared = job;
          send({ kind: 'ready' });
        },
        (error: unknown) => send({ kind: 'failed', message: describe(error) }),
      );
      return;
    case 'go': {
      const job = prepared;
      prepared = undefined;
      if (job === undefined) {
        send({ kind: 'failed', message: 'go before a job was prepared' });
        return;
      }
      job.run().then(
        (report) => send({ kind: 'done', report }),
        (error: unknown) => send({ kind: 'failed', message: describe(error) }),
      );
      return;
    }
    case 'exit':
      // Releasing what a job holds happens once, on 'disconnect' below.
      process.disconnect();
      return;
  }
});

// The suite went away (ended or crashed): nothing more will come.
process.on('disconnect', () => {
  void (prepared?.abandon() ?? Promise.resolve()).finally(() => process.exit(0));
});
