/**
 * The entry of a worker thread of `simulateNational`: plays the funds it is given, each in a store
 * of its own, and posts its progress and each fund's outcome to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { failureMessage, FundsTask, playFunds, type FundMessage } from './fund-tasks.ts';

const port = parentPort;
if (port === null) throw new Error('fund-worker.ts runs in a worker thread');
const post = (message: FundMessage) => port.postMessage(message);
try {
  await playFunds(FundsTask.parse(workerData), post);
} catch (error) {
  post(failureMessage(error));
}
